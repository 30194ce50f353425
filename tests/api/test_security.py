"""What a visitor cannot do to a running server, checked over real HTTP.

The server runs as ``marketgraph serve`` runs it: uvicorn over an on-disk
store, queries in worker processes, a 1 s query time limit, updates allowed
only with the token. tests/api/test_sparql.py and test_rest.py check the
same rules in-process; here they are checked through sockets, with bodies
sent in chunks (no Content-Length to trust), with more than one client at
once, and through SPARQLWrapper, a client researchers use.
"""

from __future__ import annotations

import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from api_market import TOKEN, auth, fill
from live_server import serving
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import Unauthorized

from marketgraph.api.sparql import MAX_QUERY_BYTES
from marketgraph.graph.store import open_store

LIMIT_SECONDS = 1.0
UPLOAD_LIMIT = 4096
ORGS = "SELECT DISTINCT ?name WHERE { ?o a mg:Organization ; rdfs:label ?name }"
#: Counting a triple cross product: the engine computes it all before the first row.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
INSERT = "INSERT DATA { GRAPH <urn:x:intruder> { <urn:x:i> rdfs:label 'Intruder Holdings' } }"
SERVICE_INSERT = (
    "INSERT { GRAPH <urn:x:fetched> { ?s ?p ?o } } "
    "WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    store = fill(open_store(tmp_path_factory.mktemp("security") / "store"))
    settings = {
        "query_timeout": LIMIT_SECONDS,
        "allow_update": True,
        "update_token": TOKEN,
        "max_upload_bytes": UPLOAD_LIMIT,
    }
    with serving(store, **settings) as url:
        yield url
    store.close()


def org_names(base: str) -> set[str]:
    r = httpx.get(base + "/sparql", params={"query": ORGS}, timeout=30)
    assert r.status_code == 200, r.text
    return {b["name"]["value"] for b in r.json()["results"]["bindings"]}


def graph_exists(base: str, iri: str) -> bool:
    r = httpx.get(base + "/sparql", params={"query": f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def report_names(base: str) -> list[str]:
    r = httpx.get(base + "/reports", timeout=30)
    assert r.status_code == 200, r.text
    return [item["source_name"] for item in r.json()["items"]]


def chunks(data: bytes, size: int = 1 << 16):
    """``data`` as a generator, so httpx sends it chunked, without Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


# --------------------------------------------------------------------------- updates


@pytest.mark.parametrize(
    "headers", [{}, auth("not-the-token"), {"Authorization": f"Basic {TOKEN}"}]
)
@pytest.mark.parametrize("body", ["form", "update"])
def test_security_update_without_the_right_token_is_refused(base, headers, body):
    if body == "form":
        r = httpx.post(base + "/sparql", data={"update": INSERT}, headers=headers)
    else:
        kind = {"Content-Type": "application/sparql-update"}
        r = httpx.post(base + "/sparql", content=INSERT.encode(), headers={**headers, **kind})
    assert r.status_code == 401
    assert "Bearer" in r.headers["WWW-Authenticate"]
    assert not graph_exists(base, "urn:x:intruder")


def test_security_sparqlwrapper_update_without_the_token_raises_unauthorized(base):
    client = SPARQLWrapper(base + "/sparql")
    client.setMethod(POST)
    client.setQuery(INSERT)
    with pytest.raises(Unauthorized):
        client.query()
    client.addCustomHttpHeader("Authorization", "Bearer not-the-token")
    with pytest.raises(Unauthorized):
        client.query()


@pytest.mark.parametrize("headers", [{}, auth("not-the-token")])
def test_security_rest_writes_without_the_token_are_refused(base, headers):
    r = httpx.delete(base + "/reports/widgets.txt", headers=headers)
    assert r.status_code == 401
    files = {"file": ("tiny.txt", b"Larchmere Ltd bought Oriel Co.")}
    r = httpx.post(base + "/reports", files=files, headers=headers)
    assert r.status_code == 401
    assert report_names(base) == ["gadgets.md", "widgets.txt"]


# --------------------------------------------------------------------------- SERVICE


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x a mg:Organization . "
        "{ SELECT ?x WHERE { SERVICE SILENT <http://127.0.0.1:9/q> { ?x ?p ?o } } } }",
        "ASK { OPTIONAL { Service <http://127.0.0.1:9/sparql> { ?s ?p ?o } } }",
    ],
)
@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_security_service_is_refused_however_sent(base, query, how):
    if how == "get":
        r = httpx.get(base + "/sparql", params={"query": query})
    elif how == "form":
        r = httpx.post(base + "/sparql", data={"query": query})
    else:
        kind = {"Content-Type": "application/sparql-query"}
        r = httpx.post(base + "/sparql", content=query.encode(), headers=kind)
    assert r.status_code == 403
    assert "SERVICE" in r.json()["detail"]


def test_security_service_in_an_update_is_refused_even_with_the_token(base):
    r = httpx.post(base + "/sparql", data={"update": SERVICE_INSERT}, headers=auth())
    assert r.status_code == 403
    assert not graph_exists(base, "urn:x:fetched")


def test_security_sparqlwrapper_sees_service_refused(base):
    client = SPARQLWrapper(base + "/sparql", returnFormat=JSON)
    client.setQuery("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403


# --------------------------------------------------------------------------- sizes


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "mg-test-boundary-71c2"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


@pytest.mark.parametrize("chunked", [False, True])
def test_security_oversized_upload_is_413(base, chunked):
    body, boundary = multipart("huge.txt", b"Larchmere Ltd bought Oriel Co.\n" * 1000)
    assert len(body) > UPLOAD_LIMIT
    r = httpx.post(
        base + "/reports",
        content=chunks(body) if chunked else body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **auth()},
        timeout=30,
    )
    assert r.status_code == 413
    assert "MARKETGRAPH_MAX_UPLOAD_BYTES" in r.json()["detail"]
    assert report_names(base) == ["gadgets.md", "widgets.txt"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", b"ASK {} #" + b"x" * MAX_QUERY_BYTES),
        ("application/x-www-form-urlencoded", b"query=ASK+%7B%7D+%23" + b"x" * MAX_QUERY_BYTES),
        (
            "application/sparql-update",
            b"CLEAR SILENT GRAPH <urn:x:none> #" + b"x" * MAX_QUERY_BYTES,
        ),
    ],
)
def test_security_oversized_sparql_body_sent_in_chunks_is_413(base, content_type, body):
    headers = {"Content-Type": content_type, **auth()}
    r = httpx.post(base + "/sparql", content=chunks(body), headers=headers, timeout=30)
    assert r.status_code == 413
    assert "byte limit" in r.json()["detail"]


# --------------------------------------------------------------------------- slow queries


def timed_get(url: str, params: dict | None = None) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.get(url, params=params, timeout=60)
    return response, time.monotonic() - started


def test_security_slow_query_is_stopped_and_the_server_keeps_answering(base):
    with ThreadPoolExecutor(3) as pool:
        slow = pool.submit(timed_get, base + "/sparql", {"query": SLOW})
        # While the slow query runs, the REST API and the other query worker still answer.
        time.sleep(0.2)
        health, _ = timed_get(base + "/health")
        quick, _ = timed_get(base + "/sparql", {"query": ORGS})
        stopped, seconds = slow.result()
    assert health.status_code == 200 and quick.status_code == 200
    assert stopped.status_code == 503
    assert "time limit" in stopped.json()["detail"]
    assert seconds < LIMIT_SECONDS + 4
    assert "Brindle Labs" in org_names(base)


def test_security_a_burst_of_slow_queries_does_not_take_the_server_down(base):
    # More slow queries than worker processes: each is answered 503 (stopped, or refused
    # while every worker stayed busy), none hangs, and queries work afterwards.
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: timed_get(base + "/sparql", {"query": SLOW}), range(4)))
    assert [r.status_code for r, _ in answers] == [503] * 4
    assert max(seconds for _, seconds in answers) < LIMIT_SECONDS + 4
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # replacement workers take a moment to start
        r = httpx.get(base + "/sparql", params={"query": ORGS}, timeout=30)
        if r.status_code == 200:
            break
        time.sleep(0.5)
    assert r.status_code == 200
