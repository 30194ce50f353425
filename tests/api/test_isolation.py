"""Queries in worker processes over snapshots of an on-disk store."""

from __future__ import annotations

import os
import time

import pytest
from api_market import TOKEN, auth, fill, make_client

from marketgraph.api.isolation import ProcessQueryRunner, snapshots_supported
from marketgraph.graph.store import open_store

ORGS = "SELECT DISTINCT ?name WHERE { ?o a mg:Organization ; rdfs:label ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def disk_client(tmp_path_factory):
    store = fill(open_store(tmp_path_factory.mktemp("isolation") / "store"))
    settings = {"query_timeout": 1.5, "allow_update": True, "update_token": TOKEN}
    with make_client(store, **settings) as client:
        yield client
    store.close()


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["name"]["value"] for b in response.json()["results"]["bindings"]]


def runner(client) -> ProcessQueryRunner:
    found = client.app.state.runner
    assert isinstance(found, ProcessQueryRunner)
    return found


def test_isolation_only_for_on_disk_stores(market_store, tmp_path):
    assert not snapshots_supported(market_store)
    with open_store(tmp_path / "s") as on_disk:
        assert snapshots_supported(on_disk)


def test_isolation_worker_answers_queries(disk_client):
    r = disk_client.get("/sparql", params={"query": ORGS})
    assert names(r) == ["Brindle Labs", "Mossgrove AI", "Quillon Data", "Tarn Capital"]
    assert len(runner(disk_client).worker_pids()) == 2


def test_isolation_errors_come_back_with_their_status(disk_client):
    r = disk_client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x "})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("malformed SPARQL query")


def test_isolation_overrunning_query_is_killed(disk_client):
    # Counting a triple cross product computes everything before the first row.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
    before = set(runner(disk_client).worker_pids())
    started = time.monotonic()
    r = disk_client.get("/sparql", params={"query": slow})
    assert r.status_code == 503
    assert time.monotonic() - started < 5
    after = set(runner(disk_client).worker_pids())
    gone = before - after
    assert len(gone) == 1 and len(after) == 2
    (pid,) = gone
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert names(disk_client.get("/sparql", params={"query": ORGS}))


def test_isolation_engine_crash_leaves_the_server_running(disk_client):
    # pyoxigraph 0.5 aborts its process sorting these mixed-type columns; whatever
    # the engine does, the server must answer and keep answering.
    graph = "https://w3id.org/marketgraph/id/report/gadgets-md"
    crash = f"SELECT * {{ GRAPH <{graph}> {{ ?a ?p ?x . ?b ?q ?y }} }} ORDER BY ?x ?y"
    r = disk_client.get("/sparql", params={"query": crash})
    assert r.status_code in (200, 500)
    if r.status_code == 500:
        assert "crashed" in r.json()["detail"]
    assert names(disk_client.get("/sparql", params={"query": ORGS}))


def test_isolation_writes_are_seen_by_later_queries(disk_client):
    update = (
        "INSERT DATA { GRAPH <urn:x:g> { <urn:x:n> a mg:Organization ; rdfs:label 'Ulmo Works' } }"
    )
    r = disk_client.post("/sparql", data={"update": update}, headers=auth())
    assert r.status_code == 204
    assert "Ulmo Works" in names(disk_client.get("/sparql", params={"query": ORGS}))
