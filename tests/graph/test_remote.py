"""The sparql backend against a real SPARQL server: ``oxigraph serve`` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from marketgraph.errors import QueryError, StoreError
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import report_triples


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(tmp_path_factory.mktemp("ox")),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("oxigraph serve did not start")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def remote(server):
    store = open_store(server + "/query", backend="sparql", update_url=server + "/update")
    store.update("DROP SILENT ALL")
    store.ensure_ontology()
    return store


def test_remote_store_builds_and_lists_reports(remote, facts):
    remote.replace_reports([report_triples(facts, fmt="txt", extractor_version="t")])
    assert [r.source_name for r in remote.reports()] == ["drones.txt"]
    rows = remote.select("SELECT ?a WHERE { ?e a mg:Acquisition ; mg:acquirer/rdfs:label ?a }")
    assert rows == [{"a": "Korvo Labs"}]


def test_remote_store_answers_construct_with_triples(remote, facts):
    remote.replace_reports([report_triples(facts, fmt="txt", extractor_version="t")])
    triples = list(remote.query("CONSTRUCT WHERE { ?e a mg:Acquisition }"))
    assert len(triples) == 1


def test_remote_store_dumps_quads(remote, facts, tmp_path):
    remote.replace_reports([report_triples(facts, fmt="txt", extractor_version="t")])
    path = tmp_path / "g.nq"
    count = remote.dump(path)
    assert count == len(path.read_text().splitlines())
    assert "ontology#Acquisition" in path.read_text()


def test_remote_malformed_query_is_a_query_error(remote):
    with pytest.raises(QueryError):
        remote.query("SELECT WHERE {")


def test_remote_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="cannot reach"):
        open_store(f"http://127.0.0.1:{_free_port()}/query", backend="sparql")


def test_sparql_backend_needs_a_url():
    with pytest.raises(StoreError, match="query URL"):
        open_store("/some/folder", backend="sparql")
