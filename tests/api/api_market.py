"""A small invented market for the API tests, built from hand-made fact records.

Two short reports about made-up companies: the facts are written by hand
(no NLP pipeline), turned into triples by ``report_triples`` and stored, so
every API test reads the same known graph.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

from fastapi.testclient import TestClient

from marketgraph.api.app import create_app
from marketgraph.extract.facts import Event, Observation, Ref, ReportFacts, Span
from marketgraph.graph.store import MarketStore
from marketgraph.graph.triples import report_triples
from marketgraph.settings import Settings

WIDGETS = """Synthetic Widget Data Market
Quillon Data Inc. acquired Brindle Labs for USD 120 million in March 2025.
Mossgrove AI raised USD 40 million in a Series B led by Tarn Capital in January 2026.
The market was worth USD 2.5 billion in 2025 and will grow at a CAGR of 18.2% through 2030.
Text data held a 41.5% share in 2025; North America held 38% of the market.
Germany is the largest market in Europe.
"""

GADGETS = """Gadget Corpus Outlook
Quillon Data and Mossgrove AI formed a partnership in 2024.
Brindle Labs launched the Vellum Corpus in 2026.
Canada is part of North America.
"""

ACME = Ref("org", "Quillon Data")
BRINDLE = Ref("org", "Brindle Labs")
MOSS = Ref("org", "Mossgrove AI")
TARN = Ref("org", "Tarn Capital")
MARKET = Ref("market", "Synthetic Widget Data")
MODALITY = Ref("dimension", "Data Modality")
TEXT = Ref("segment", "Text", "Data Modality")
EUROPE = Ref("region", "Europe")
GERMANY = Ref("region", "Germany")
NORTH_AMERICA = Ref("region", "North America")
CANADA = Ref("region", "Canada")
VELLUM = Ref("dataset", "Vellum Corpus")


def span(content: str, text: str) -> Span:
    start = content.index(text)
    return Span(start, start + len(text), text)


def line(content: str, words: str) -> Span:
    """The whole line of ``content`` that holds ``words``."""
    at = content.index(words)
    start = content.rfind("\n", 0, at) + 1
    end = content.index("\n", at)
    return span(content, content[start:end])


def facts_of(name: str, content: str) -> ReportFacts:
    return ReportFacts(name, hashlib.sha256(content.encode()).hexdigest(), content)


def widgets_facts() -> ReportFacts:
    c = WIDGETS
    f = facts_of("widgets.txt", c)
    f.title = "Synthetic Widget Data Market"
    acme = f.entity(ACME)
    acme.aliases.add("Quillon Data Inc.")
    acme.mentions.append(span(c, "Quillon Data Inc."))
    f.entity(BRINDLE).mentions.append(span(c, "Brindle Labs"))
    f.entity(MOSS).mentions.append(span(c, "Mossgrove AI"))
    f.entity(TARN).mentions.append(span(c, "Tarn Capital"))
    market = f.entity(MARKET)
    market.dimensions.append(MODALITY)
    market.leaders.append(ACME)
    f.entity(MODALITY)
    f.entity(TEXT).mentions.append(span(c, "Text data"))
    f.entity(EUROPE).mentions.append(span(c, "Europe"))
    germany = f.entity(GERMANY)
    germany.country = True
    germany.part_of = EUROPE
    f.entity(NORTH_AMERICA).mentions.append(span(c, "North America"))
    f.events.append(
        Event(
            "Acquisition",
            roles={"acquirer": [ACME], "acquired": [BRINDLE]},
            date="2025-03",
            amount=Decimal(120_000_000),
            currency="USD",
            status="completed",
            mentions=[line(c, "acquired")],
        )
    )
    f.events.append(
        Event(
            "FundingRound",
            roles={"investee": [MOSS], "leadInvestor": [TARN]},
            date="2026-01",
            amount=Decimal(40_000_000),
            currency="USD",
            round_type="Series B",
            mentions=[line(c, "Series B")],
        )
    )
    worth = line(c, "worth")
    f.observations += [
        Observation(
            "MarketSize", Decimal("2500000000"), MARKET, "USD", year=2025, mentions=[worth]
        ),
        Observation("CAGR", Decimal("18.2"), MARKET, period_end=2030, mentions=[worth]),
        Observation(
            "MarketShare",
            Decimal("41.5"),
            MARKET,
            segment=TEXT,
            year=2025,
            mentions=[span(c, "Text data held a 41.5% share in 2025")],
        ),
        Observation(
            "MarketShare",
            Decimal("38"),
            MARKET,
            segment=NORTH_AMERICA,
            mentions=[span(c, "North America held 38% of the market")],
        ),
    ]
    return f


def gadgets_facts() -> ReportFacts:
    c = GADGETS
    f = facts_of("gadgets.md", c)
    f.title = "Gadget Corpus Outlook"
    f.entity(ACME).mentions.append(span(c, "Quillon Data"))
    f.entity(MOSS).mentions.append(span(c, "Mossgrove AI"))
    f.entity(BRINDLE).mentions.append(span(c, "Brindle Labs"))
    f.entity(VELLUM).publisher = BRINDLE
    canada = f.entity(CANADA)
    canada.country = True
    canada.part_of = NORTH_AMERICA
    canada.mentions.append(span(c, "Canada"))
    f.events.append(
        Event(
            "Partnership",
            roles={"participant": [ACME, MOSS]},
            date="2024",
            mentions=[line(c, "partnership")],
        )
    )
    f.events.append(
        Event(
            "Launch",
            roles={"launchedBy": [BRINDLE], "launched": [VELLUM]},
            date="2026",
            mentions=[line(c, "launched")],
        )
    )
    return f


def fill(store: MarketStore) -> MarketStore:
    built = datetime(2026, 1, 2, tzinfo=UTC)
    store.replace_reports(
        report_triples(facts, fmt=fmt, extractor_version="test", built_at=built)
        for facts, fmt in ((widgets_facts(), "txt"), (gadgets_facts(), "md"))
    )
    return store


TOKEN = "test-token-4b1d"


def make_client(store: MarketStore, **settings) -> TestClient:
    """A client over ``store`` with these settings (use it in a ``with`` block)."""
    return TestClient(create_app(Settings(backend="memory", **settings), store=store))


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
