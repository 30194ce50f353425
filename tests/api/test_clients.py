"""The SPARQL endpoint through real clients over HTTP: SPARQLWrapper and rdflib's SPARQLStore.

The server runs as ``marketgraph serve`` would: uvicorn on loopback over an
on-disk store, so queries go through the worker processes. Each client
speaks the protocol its own way (format parameters, Accept lists, GET or
POST bodies); each test checks that the answer parses into what the store
holds.
"""

from __future__ import annotations

import csv
import io

import pytest
from api_market import TOKEN, fill
from live_server import serving
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from marketgraph.graph.store import open_store

# Both libraries still build rdflib's deprecated ConjunctiveGraph inside.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.identifier is deprecated:DeprecationWarning"),
]

ORGS = "SELECT DISTINCT ?name WHERE { ?o a mg:Organization ; rdfs:label ?name } ORDER BY ?name"
ORG_NAMES = ["Brindle Labs", "Mossgrove AI", "Quillon Data", "Tarn Capital"]
CONSTRUCT = "CONSTRUCT { ?o rdfs:label ?name } WHERE { ?o a mg:Organization ; rdfs:label ?name }"
BRINDLE = URIRef("https://w3id.org/marketgraph/id/org/brindle-labs")
DESCRIBE = f"DESCRIBE <{BRINDLE}>"
WIDGETS = URIRef("https://w3id.org/marketgraph/id/report/widgets-txt")
GADGETS = URIRef("https://w3id.org/marketgraph/id/report/gadgets-md")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """The /sparql URL of a live server over an on-disk copy of the invented market."""
    store = fill(open_store(tmp_path_factory.mktemp("clients") / "store"))
    with serving(store, query_timeout=20, allow_update=True, update_token=TOKEN) as base:
        yield base + "/sparql"
    store.close()


def wrapper(endpoint: str, query: str, fmt: str, **options) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint, returnFormat=fmt, **options)
    client.setQuery(query)
    return client


def org_names_from(fmt: str, converted) -> list[str]:
    """The ``name`` column of an ORGS result, read the way each format is written."""
    if fmt == JSON:
        return [b["name"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        return [node.firstChild.data for node in converted.getElementsByTagName("literal")]
    text = converted.decode("utf-8")
    if fmt == CSV:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["name"]
        return [row[0] for row in rows[1:]]
    # TSV writes terms as in Turtle: strings in double quotes.
    lines = text.splitlines()
    assert lines[0] == "?name"
    return [line.removeprefix('"').removesuffix('"') for line in lines[1:]]


# --------------------------------------------------------------------------- SPARQLWrapper


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_each_results_format(endpoint, fmt):
    result = wrapper(endpoint, ORGS, fmt).query()
    assert org_names_from(fmt, result.convert()) == ORG_NAMES


@pytest.mark.parametrize("fmt", [JSON, XML])
@pytest.mark.parametrize("method", ["urlencoded", POSTDIRECTLY])
def test_sparqlwrapper_select_by_post(endpoint, fmt, method):
    client = wrapper(endpoint, ORGS, fmt)
    client.setMethod(POST)
    client.setRequestMethod(method)
    assert org_names_from(fmt, client.query().convert()) == ORG_NAMES


def ask_value(fmt: str, converted) -> bool:
    if fmt == JSON:
        return converted["boolean"]
    if fmt == XML:
        return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    return {"true": True, "false": False}[converted.decode("utf-8").strip()]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize(
    ("name", "expected"), [("Brindle Labs", True), ("Nobody Of That Name", False)]
)
def test_sparqlwrapper_ask_in_each_results_format(endpoint, fmt, name, expected):
    query = f'ASK {{ ?o a mg:Organization ; rdfs:label "{name}" }}'
    assert ask_value(fmt, wrapper(endpoint, query, fmt).query().convert()) is expected


def graph_from(fmt: str, converted) -> Graph:
    """An rdflib graph from what SPARQLWrapper's convert() gives for ``fmt``."""
    if fmt in (JSONLD, RDFXML):
        return converted  # SPARQLWrapper parses these itself
    graph = Graph()
    graph.parse(data=converted.decode("utf-8"), format="turtle" if fmt == TURTLE else "nt")
    return graph


NTRIPLES = "ntriples"  # SPARQLWrapper has no name of its own: ask by Accept header


def graph_wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    if fmt != NTRIPLES:
        return wrapper(endpoint, query, fmt)
    client = wrapper(endpoint, query, N3)
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    return client


@pytest.mark.parametrize("fmt", [TURTLE, NTRIPLES, JSONLD, RDFXML])
def test_sparqlwrapper_construct_in_each_rdf_format(endpoint, fmt):
    result = graph_wrapper(endpoint, CONSTRUCT, fmt).query()
    if fmt == NTRIPLES:
        assert result.info()["content-type"].startswith("application/n-triples")
    graph = graph_from(fmt, result.convert())
    assert sorted(str(o) for o in graph.objects(None, RDFS.label)) == ORG_NAMES
    assert len(graph) == len(ORG_NAMES)


@pytest.mark.parametrize("fmt", [TURTLE, NTRIPLES, JSONLD, RDFXML])
def test_sparqlwrapper_describe_in_each_rdf_format(endpoint, fmt):
    graph = graph_from(fmt, graph_wrapper(endpoint, DESCRIBE, fmt).query().convert())
    assert (BRINDLE, RDFS.label, Literal("Brindle Labs")) in graph
    assert set(graph.subjects()) == {BRINDLE}


def test_sparqlwrapper_n3_is_answered_with_turtle(endpoint):
    # Turtle is a subset of N3, so an N3 request can be served as Turtle.
    result = wrapper(endpoint, CONSTRUCT, N3).query()
    graph = Graph().parse(data=result.convert().decode("utf-8"), format="n3")
    assert len(graph) == len(ORG_NAMES)


def test_sparqlwrapper_update_with_the_token_then_query_sees_it(endpoint):
    update = SPARQLWrapper(endpoint)
    update.setMethod(POST)
    update.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    update.setQuery(
        "INSERT DATA { GRAPH <urn:x:clients> "
        "{ <urn:x:wren> a mg:Organization ; rdfs:label 'Wrenfield Ltd' } }"
    )
    update.query()
    try:
        names = org_names_from(JSON, wrapper(endpoint, ORGS, JSON).query().convert())
        assert names == sorted([*ORG_NAMES, "Wrenfield Ltd"])
    finally:
        update.setQuery("DROP GRAPH <urn:x:clients>")
        update.query()
    assert org_names_from(JSON, wrapper(endpoint, ORGS, JSON).query().convert()) == ORG_NAMES


# --------------------------------------------------------------------------- rdflib SPARQLStore


@pytest.fixture(params=["GET", "POST", "POST_FORM"])
def remote(endpoint, request) -> Dataset:
    """An rdflib Dataset whose store is the endpoint, asked by each HTTP method rdflib has."""
    return Dataset(store=SPARQLStore(endpoint, method=request.param), default_union=True)


def test_sparqlstore_select(remote):
    rows = remote.query(ORGS)
    assert [str(row.name) for row in rows] == ORG_NAMES


def test_sparqlstore_select_with_init_bindings(remote):
    query = "SELECT DISTINCT ?o WHERE { ?o rdfs:label ?name }"
    rows = remote.query(query, initBindings={"name": Literal("Brindle Labs")})
    assert [row.o for row in rows] == [BRINDLE]


def test_sparqlstore_ask_and_construct(remote):
    assert remote.query("ASK { ?d a mg:Acquisition }").askAnswer is True
    assert remote.query("ASK { ?d a mg:Merger }").askAnswer is False
    built = remote.query(CONSTRUCT).graph
    assert sorted(str(o) for o in built.objects(None, RDFS.label)) == ORG_NAMES


def test_sparqlstore_triples_by_pattern(remote):
    found = list(remote.triples((None, RDFS.label, Literal("Brindle Labs"))))
    assert {s for s, _, _ in found} == {BRINDLE}


def test_sparqlstore_lists_the_report_graphs(remote):
    assert {WIDGETS, GADGETS} <= set(remote.store.contexts())


def test_sparqlstore_graph_narrows_to_one_report(remote):
    # A graph named by a report's IRI is asked with default-graph-uri: only its triples.
    gadgets = Graph(store=remote.store, identifier=GADGETS)
    rows = gadgets.query("SELECT DISTINCT ?name WHERE { ?o a mg:Organization ; rdfs:label ?name }")
    assert sorted(str(r.name) for r in rows) == ["Brindle Labs", "Mossgrove AI", "Quillon Data"]
    assert 0 < len(gadgets) < len(remote)
