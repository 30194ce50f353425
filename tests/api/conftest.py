"""Fixtures of the API tests: one read-only client over the invented market, and writable ones."""

from __future__ import annotations

import pytest
from api_market import TOKEN, fill, make_client

from marketgraph.graph.store import MarketStore, open_store


@pytest.fixture(scope="module")
def market_store() -> MarketStore:
    return fill(open_store(backend="memory"))


@pytest.fixture(scope="module")
def client(market_store: MarketStore):
    """The module's one read-only client over the shared market."""
    with make_client(market_store) as test_client:
        yield test_client


@pytest.fixture
def writable():
    """A client that may write (updates on, token set) over a fresh copy of the market."""
    store = fill(open_store(backend="memory"))
    with make_client(store, allow_update=True, update_token=TOKEN) as test_client:
        yield test_client, store
