"""The cache of entity answers: what it keeps, what it drops, and that answers stay true."""

from __future__ import annotations

import pytest
from api_market import TOKEN, auth, fill, make_client

from marketgraph.api.cache import EntityCache, first_pages, refresh, render_entity
from marketgraph.graph import queries
from marketgraph.graph.store import open_store

QUILLON = "/entities/org/quillon-data"


def test_cache_drops_the_least_recently_used_answers_past_its_size():
    cache = EntityCache(max_bytes=10)
    cache.put("a", b"1234", cache.generation)
    cache.put("b", b"1234", cache.generation)
    assert cache.get("a") == b"1234"  # now "b" is the least recently used
    cache.put("c", b"1234", cache.generation)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (b"1234", b"1234")
    assert cache.size == 8


def test_cache_refuses_an_answer_bigger_than_itself():
    cache = EntityCache(max_bytes=3)
    cache.put("a", b"1234", cache.generation)
    assert cache.get("a") is None
    assert cache.size == 0


def test_an_answer_computed_before_a_change_is_not_kept():
    cache = EntityCache(max_bytes=100)
    generation = cache.generation
    cache.invalidate()  # the store changed while the answer was computed
    cache.put("a", b"old", generation)
    assert cache.get("a") is None


def test_warm_up_renders_every_entity_first_page():
    store = fill(open_store(backend="memory"))
    cache = EntityCache(max_bytes=10_000_000)
    refresh(cache, store).join(30)
    assert cache.warm
    entities = queries.entity_keys(store)
    assert ("org", "quillon-data") in entities
    assert len(cache) == len(entities)
    key = ("org", "quillon-data", queries.FACT_LIMIT, 0, queries.MENTION_LIMIT)
    assert cache.get(key) == render_entity(store, key)


def test_warm_up_stops_when_full():
    store = fill(open_store(backend="memory"))
    cache = EntityCache(max_bytes=3000)
    cache.warm_up(lambda: first_pages(store), lambda key: render_entity(store, key)).join(30)
    assert 0 < len(cache) < len(queries.entity_keys(store))
    assert cache.size <= 3000


@pytest.mark.parametrize("megabytes", [0, 64])
def test_entity_answers_are_the_same_with_and_without_the_cache(megabytes):
    store = fill(open_store(backend="memory"))
    with make_client(store) as reference:
        expected = reference.get(QUILLON, params={"limit": 2}).json()
    with make_client(store, entity_cache_mb=0) as plain:
        assert plain.app.state.entity_cache is None
        assert plain.get(QUILLON, params={"limit": 2}).json() == expected
    with make_client(store, entity_cache_mb=megabytes) as cached:
        first = cached.get(QUILLON, params={"limit": 2})
        again = cached.get(QUILLON, params={"limit": 2})
        assert first.json() == again.json() == expected
        assert again.headers["content-type"] == "application/json"


def test_a_write_through_the_api_shows_in_the_next_entity_answer():
    store = fill(open_store(backend="memory"))
    with make_client(store, allow_update=True, update_token=TOKEN) as client:
        before = client.get(QUILLON).json()
        key = ("org", "quillon-data", queries.FACT_LIMIT, 0, queries.MENTION_LIMIT)
        assert client.app.state.entity_cache.get(key) is not None
        update = """INSERT DATA { GRAPH <urn:notes> {
            <https://w3id.org/marketgraph/id/org/quillon-data> mg:headquarters "Oslo" } }"""
        r = client.post("/sparql", data={"update": update}, headers=auth())
        assert r.status_code == 204
        after = client.get(QUILLON).json()
    assert not any(f["value"] == "Oslo" for f in before["facts"])
    assert any(f["value"] == "Oslo" for f in after["facts"])


def test_health_reports_the_cache_once_warm():
    store = fill(open_store(backend="memory"))
    with make_client(store) as client:
        assert client.app.state.entity_cache.wait(30)
        state = client.get("/health").json()["entity_cache"]
        assert state["warm"] is True
        assert state["entries"] == len(queries.entity_keys(store))
        assert state["bytes"] > 0
    with make_client(store, entity_cache_mb=0) as plain:
        assert plain.get("/health").json()["entity_cache"] is None


def test_entity_answer_carries_an_etag_and_answers_304_while_unchanged():
    store = fill(open_store(backend="memory"))
    with make_client(store, allow_update=True, update_token=TOKEN) as client:
        first = client.get(QUILLON)
        tag = first.headers["etag"]
        assert first.headers["cache-control"] == "no-cache"
        again = client.get(QUILLON, headers={"If-None-Match": f'"other", W/{tag}'})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == tag
        update = """INSERT DATA { GRAPH <urn:notes> {
            <https://w3id.org/marketgraph/id/org/quillon-data> mg:headquarters "Oslo" } }"""
        assert client.post("/sparql", data={"update": update}, headers=auth()).status_code == 204
        changed = client.get(QUILLON, headers={"If-None-Match": tag})
        assert changed.status_code == 200
        assert changed.headers["etag"] != tag


def test_health_counts_follow_writes_through_the_api():
    store = fill(open_store(backend="memory"))
    with make_client(store, allow_update=True, update_token=TOKEN) as client:
        before = client.get("/health").json()
        update = "DROP GRAPH <https://w3id.org/marketgraph/id/report/widgets-txt>"
        assert client.post("/sparql", data={"update": update}, headers=auth()).status_code == 204
        after = client.get("/health").json()
    assert after["reports"] == before["reports"] - 1
    assert after["quads"] < before["quads"]
