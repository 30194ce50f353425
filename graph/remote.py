"""A remote SPARQL 1.1 store, for users who outgrow one machine.

:class:`RemoteEngine` speaks the SPARQL 1.1 Protocol to any server (Oxigraph
server, Apache Jena Fuseki, GraphDB ...) and answers with the same
pyoxigraph result objects as the embedded store, so :class:`MarketStore`
and everything above it work unchanged. The server must treat its default
graph as the union of its named graphs (Oxigraph: ``--union-default-graph``;
Fuseki: ``tdb2:unionDefaultGraph true``), as marketgraph's own store does.

A SPARQL client is a few lines over an HTTP client, and this one has to hand
back pyoxigraph objects, so it is written here on httpx rather than taken
from SPARQLWrapper, whose results would need converting term by term.
"""

from __future__ import annotations

import io
from typing import Any

import httpx
import pyoxigraph as ox

from marketgraph.errors import QueryError, StoreError

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteEngine:
    """The subset of ``pyoxigraph.Store`` that MarketStore uses, over HTTP.

    Args:
        query_url: the server's SPARQL query endpoint.
        update_url: its update endpoint (defaults to ``query_url``).
        timeout: seconds to wait for an answer.
    """

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 30.0):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self._http = httpx.Client(timeout=timeout)

    def query(
        self,
        query: str,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> Any:
        params: list[tuple[str, str]] = [("query", _with_prefixes(query, prefixes))]
        params += [("default-graph-uri", g.value) for g in default_graph or []]
        params += [("named-graph-uri", g.value) for g in named_graphs or []]
        response = self._post(self.query_url, params, accept=_ACCEPT)
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind in _RESULTS:
            return ox.parse_query_results(response.content, format=_RESULTS[kind])
        if kind in _GRAPHS:
            # Hand back real QueryTriples by querying an in-memory copy.
            scratch = ox.Store()
            scratch.load(response.content, format=_GRAPHS[kind])
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        raise StoreError(f"the SPARQL server at {self.query_url} answered with {kind!r}")

    def update(self, update: str, *, prefixes: dict[str, str] | None = None) -> None:
        self._post(self.update_url, [("update", _with_prefixes(update, prefixes))], accept="*/*")

    def quads_for_pattern(self, s, p, o, graph: ox.NamedNode) -> list[ox.Quad]:
        # Only the whole-graph pattern is needed (ensure_ontology).
        rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
        return [ox.Quad(r["s"], r["p"], r["o"], graph) for r in rows]

    def dump(self, output: io.BytesIO, *, format: ox.RdfFormat, prefixes=None) -> None:
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        ox.serialize(quads, output, format=format, prefixes=prefixes)

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))["n"].value)

    def flush(self) -> None:
        self._http.close()

    def _post(self, url: str, form: list[tuple[str, str]], *, accept: str) -> httpx.Response:
        try:
            response = self._http.post(url, data=dict(_group(form)), headers={"Accept": accept})
        except httpx.HTTPError as e:
            raise StoreError(
                f"cannot reach the SPARQL server at {url} ({e}); check the URL and that it runs"
            ) from None
        if response.status_code == 400:
            first = response.text.strip().splitlines()[0] if response.text.strip() else ""
            raise QueryError(f"the SPARQL server refused the request: {first}")
        if response.status_code >= 300:
            raise StoreError(f"the SPARQL server at {url} answered HTTP {response.status_code}")
        return response


def _group(form: list[tuple[str, str]]) -> dict[str, list[str] | str]:
    grouped: dict[str, list[str]] = {}
    for key, value in form:
        grouped.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}


def _with_prefixes(text: str, prefixes: dict[str, str] | None) -> str:
    if not prefixes:
        return text
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items()) + text
