"""Fixtures for the graph pages: fresh in-memory stores holding the invented reports."""

from __future__ import annotations

import pytest
from visual_data import coast_facts, hostile_facts, load

from marketgraph.graph.store import MarketStore


@pytest.fixture
def coast_store() -> MarketStore:
    return load(coast_facts())


@pytest.fixture
def hostile_store() -> MarketStore:
    return load(hostile_facts())
