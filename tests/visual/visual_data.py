"""Invented reports for the graph pages, written by hand (no NLP), and a small app serving them.

``coast`` is a made-up survey-data market whose graph is a chain:
Fjordline Atlas - Halvorsen Geodata - Pinecrest Imaging - Saltmarsh Labs -
Ridgeway Partners, plus a region inside another and a market. ``hostile``
holds two organizations whose names are markup.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from fastapi import FastAPI
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from marketgraph.extract.facts import Entity, Event, Observation, Ref, ReportFacts, Span
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
