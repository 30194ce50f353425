"""Invented reports for the graph pages, written by hand (no NLP), and a small app serving them.

``coast`` is a made-up survey-data market whose graph is a chain:
Fjordline Atlas - Halvorsen Geodata - Pinecrest Imaging - Saltmarsh Labs -
Ridgeway Partners, plus a region inside another and a market. ``hostile``
holds two organizations whose names are markup. ``figures`` gives the
coast market its numbers: sizes by year, shares by segment, a driver and
a restraint. ``hostile_market`` is a market whose every name is markup.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from fastapi import FastAPI
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from marketgraph.extract.facts import (
    Entity,
    Event,
    Factor,
    Observation,
    Ref,
    ReportFacts,
    Span,
)
from marketgraph.graph.iris import entity_iri
from marketgraph.graph.store import MarketStore, open_store
from marketgraph.graph.triples import report_triples
from marketgraph.settings import Settings
from marketgraph.visual.routes import router

HALVORSEN = Ref("org", "Halvorsen Geodata")
PINECREST = Ref("org", "Pinecrest Imaging")
SALTMARSH = Ref("org", "Saltmarsh Labs")
RIDGEWAY = Ref("org", "Ridgeway Partners")
ATLAS = Ref("dataset", "Fjordline Atlas")
LOWMARK = Ref("region", "Lowmark")
OSTIA = Ref("region", "Greater Ostia")
MARKET = Ref("market", "Coastal Survey Data")

COAST_LINES = {
    "deal": "Halvorsen Geodata AS acquired Pinecrest Imaging for EUR 85 million in June 2025.",
    "partners": "Pinecrest Imaging partnered with Saltmarsh Labs on shoreline surveys.",
    "round": "Saltmarsh Labs raised USD 12 million from Ridgeway Partners.",
    "launch": "Halvorsen Geodata released the Fjordline Atlas.",
    "size": "Lowmark coastal survey data sales reached EUR 40 million in 2025.",
}
COAST = "\n".join(COAST_LINES.values()) + "\n"

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_ALIAS = "</script><!-- Hostile Holdings"
SCRIPT_ORG = Ref("org", HOSTILE_SCRIPT)
IMG_ORG = Ref("org", HOSTILE_IMG)
HOSTILE_LINE = f"{HOSTILE_SCRIPT} bought {HOSTILE_IMG} for USD 5 million."
HOSTILE = HOSTILE_LINE + "\n"


def span(content: str, text: str) -> Span:
    start = content.index(text)
    return Span(start, start + len(text), text)


def iri(ref: Ref) -> str:
    return str(entity_iri(ref))


def _facts(name: str, content: str) -> ReportFacts:
    return ReportFacts(name, hashlib.sha256(content.encode()).hexdigest(), content)


def coast_facts() -> ReportFacts:
    c, lines = COAST, COAST_LINES
    f = _facts("coast.txt", c)
    f.title = "Coastal Survey Data Market"
    f.entities[HALVORSEN] = Entity(HALVORSEN, aliases={"Halvorsen Geodata AS"})
    f.entities[LOWMARK] = Entity(LOWMARK, part_of=OSTIA, country=True)
    f.entities[ATLAS] = Entity(ATLAS, publisher=HALVORSEN)
    f.events += [
        Event(
            "Acquisition",
            roles={"acquirer": [HALVORSEN], "acquired": [PINECREST]},
            date="2025-06",
            amount=Decimal("85000000"),
            currency="EUR",
            mentions=[span(c, lines["deal"])],
        ),
        Event(
            "Partnership",
            roles={"participant": [PINECREST, SALTMARSH]},
            mentions=[span(c, lines["partners"])],
        ),
        Event(
            "FundingRound",
            roles={"investee": [SALTMARSH], "investor": [RIDGEWAY]},
            amount=Decimal("12000000"),
            currency="USD",
            mentions=[span(c, lines["round"])],
        ),
        Event(
            "Launch",
            roles={"launchedBy": [HALVORSEN], "launched": [ATLAS]},
            mentions=[span(c, lines["launch"])],
        ),
    ]
    f.observations.append(
        Observation(
            "MarketSize",
            Decimal("40000000"),
            MARKET,
            "EUR",
            segment=LOWMARK,
            year=2025,
            mentions=[span(c, lines["size"])],
        )
    )
    return f


def hostile_facts() -> ReportFacts:
    f = _facts("hostile.txt", HOSTILE)
    f.title = HOSTILE_SCRIPT
    f.entities[SCRIPT_ORG] = Entity(SCRIPT_ORG, aliases={HOSTILE_ALIAS})
    f.events.append(
        Event(
            "Acquisition",
            roles={"acquirer": [SCRIPT_ORG], "acquired": [IMG_ORG]},
            amount=Decimal("5000000"),
            currency="USD",
            mentions=[span(HOSTILE, HOSTILE_LINE)],
        )
    )
    return f


def star_facts(leaves: int = 5) -> ReportFacts:
    """A hub organization in partnership with each of ``leaves`` others."""
    lines = [f"Hubbard Mills partnered with Leaf Works {i}." for i in range(leaves)]
    content = "\n".join(lines) + "\n"
    f = _facts("star.txt", content)
    hub = Ref("org", "Hubbard Mills")
    for i, line in enumerate(lines):
        leaf = Ref("org", f"Leaf Works {i}")
        f.events.append(
            Event("Partnership", roles={"participant": [hub, leaf]}, mentions=[span(content, line)])
        )
    return f


def load(*reports: ReportFacts) -> MarketStore:
    store = open_store(backend="memory")
    store.replace_reports(
        report_triples(facts, fmt="txt", extractor_version="test") for facts in reports
    )
    return store


def make_app(store: MarketStore, node_budget: int = 500) -> FastAPI:
    """An application serving only the graph pages, around ``store``."""
    app = FastAPI()
    app.state.store = store
    app.state.settings = Settings(backend="memory", node_budget=node_budget)
    app.include_router(router)
    return app


def graph_data(page: str) -> dict:
    """The nodes, edges and options a page hands to vis-network."""
    block = HTMLParser(page).css_first("script#graph-data")
    return json.loads(block.text())


ROUTE = Ref("dimension", "Survey Method")
AERIAL = Ref("segment", "Aerial", "Survey Method")
SONAR = Ref("segment", "Sonar", "Survey Method")
FIGURE_LINES = {
    "size-2024": "Coastal survey data sales were EUR 310 million in 2024.",
    "size-2026": "Sales should reach EUR 420 million in 2026.",
    "aerial": "Aerial surveys held 61.5% of the market in 2025.",
    "sonar": "Sonar surveys held 22% of the market in 2025.",
    "driver": "Harbour dredging programmes add 2.4% to annual growth.",
    "restraint": "Permit delays take 1.1% off annual growth.",
}
FIGURES = "\n".join(FIGURE_LINES.values()) + "\n"


def figures_facts() -> ReportFacts:
    """Numbers about the coast market, in a report of their own."""
    c, lines = FIGURES, FIGURE_LINES
    f = _facts("figures.txt", c)
    f.title = "Coastal Survey Data Figures"
    f.entities[MARKET] = Entity(MARKET, dimensions=[ROUTE])
    for seg in (AERIAL, SONAR):
        f.entities[seg] = Entity(seg)
    for key, year, value in (("size-2024", 2024, "310000000"), ("size-2026", 2026, "420000000")):
        f.observations.append(
            Observation(
                "MarketSize", Decimal(value), MARKET, "EUR", year=year,
                mentions=[span(c, lines[key])],
            )
        )  # fmt: skip
    for key, seg, value in (("aerial", AERIAL, "61.5"), ("sonar", SONAR, "22")):
        f.observations.append(
            Observation(
                "MarketShare", Decimal(value), MARKET, segment=seg, year=2025,
                mentions=[span(c, lines[key])],
            )
        )  # fmt: skip
    f.factors += [
        Factor(
            "Driver", "Harbour dredging programmes", Decimal("2.4"), market=MARKET,
            mentions=[span(c, lines["driver"])],
        ),
        Factor(
            "Restraint", "Permit delays", Decimal("-1.1"), market=MARKET,
            mentions=[span(c, lines["restraint"])],
        ),
    ]  # fmt: skip
    return f


HOSTILE_MARKET = Ref("market", HOSTILE_SCRIPT)
HOSTILE_SEGMENT = Ref("segment", HOSTILE_IMG, HOSTILE_ALIAS)
HOSTILE_FACTOR = "<svg onload=alert(1)> growth"
HOSTILE_FIGURE = f"{HOSTILE_IMG} held 40% of {HOSTILE_SCRIPT} in 2025."


def hostile_market_facts() -> ReportFacts:
    """A market, a dimension, a segment and a driver whose names are markup."""
    c = HOSTILE_FIGURE + "\n"
    f = _facts("hostile-market.txt", c)
    dimension = Ref("dimension", HOSTILE_ALIAS)
    f.entities[HOSTILE_MARKET] = Entity(HOSTILE_MARKET, dimensions=[dimension])
    f.entities[HOSTILE_SEGMENT] = Entity(HOSTILE_SEGMENT)
    f.observations.append(
        Observation(
            "MarketShare", Decimal("40"), HOSTILE_MARKET, segment=HOSTILE_SEGMENT, year=2025,
            mentions=[span(c, HOSTILE_FIGURE)],
        )
    )  # fmt: skip
    f.factors.append(
        Factor("Driver", HOSTILE_FACTOR, Decimal("1.5"), market=HOSTILE_MARKET,
               mentions=[span(c, HOSTILE_FIGURE)])
    )  # fmt: skip
    return f
