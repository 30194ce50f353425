"""Fixtures for the graph stage: hand-made facts, no NLP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketgraph.extract.facts import Entity, Event, Factor, Observation, Ref, ReportFacts, Span
from marketgraph.graph.store import open_store

TEXT = (
    "Korvo Labs, Inc. acquired Pellucid Data for USD 40 million in March 2026.\n"
    "The drone mapping market is worth USD 1.5 billion in 2025.\n"
)


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


@pytest.fixture
def facts() -> ReportFacts:
    """A small report's facts, written by hand."""
    first, second = TEXT.splitlines()
    korvo, pellucid = Ref("org", "Korvo Labs"), Ref("org", "Pellucid Data")
    market = Ref("market", "Drone Mapping")
    f = ReportFacts("drones.txt", "ab" * 32, TEXT, title="Drone Mapping Market")
    f.entities[korvo] = Entity(korvo, aliases={"Korvo Labs, Inc."}, mentions=[_span(TEXT, first)])
    f.entities[market] = Entity(market)
    f.events.append(
        Event(
            "Acquisition",
            roles={"acquirer": [korvo], "acquired": [pellucid]},
            date="2026-03",
            amount=Decimal("40000000"),
            currency="USD",
            status="completed",
            mentions=[_span(TEXT, first)],
        )
    )
    f.observations.append(
        Observation(
            "MarketSize",
            Decimal("1500000000"),
            market=market,
            currency="USD",
            year=2025,
            mentions=[_span(TEXT, second)],
        )
    )
    f.factors.append(Factor("Driver", "Cheaper sensors", Decimal("2.5"), "Global", "Short term"))
    return f


@pytest.fixture
def store():
    """A fresh in-memory store per test."""
    return open_store(backend="memory")
