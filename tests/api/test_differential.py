"""The endpoint against a reference: ``oxigraph serve`` on the same export answers the same.

The invented market is built into an on-disk store, written out with
``marketgraph export`` as N-Quads and loaded into ``oxigraph serve``, whose
default graph is then made the RDF merge of the named graphs (SPARQL's
dataset merge: a statement two reports share is there once, as in
marketgraph's default graph). Each query goes to both servers over HTTP; the
answers are compared as multisets of rows (terms normalized: numbers by
value, plain literals as xsd:string, blank nodes as one placeholder), as
lists when the query orders its rows, and as isomorphic graphs for
CONSTRUCT and DESCRIBE. The queries spell out their prefixes, since only
marketgraph predeclares them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation

import httpx
import pytest
from api_market import fill
from live_server import oxigraph_server, serving
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from marketgraph.cli import app as cli
from marketgraph.graph.store import PREFIX_HEADER, open_store

WIDGETS = "https://w3id.org/marketgraph/id/report/widgets-txt"
GADGETS = "https://w3id.org/marketgraph/id/report/gadgets-md"

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}
RESULTS_JSON = "application/sparql-results+json"

#: SELECT queries whose rows come in no set order: compared as multisets.
UNORDERED = {
    "join": """SELECT ?buyer ?bought ?amount ?currency WHERE {
        ?deal a mg:Acquisition ; mg:acquirer ?a ; mg:acquired ?b ; mg:amount ?amount ;
              mg:currency ?currency .
        ?a rdfs:label ?buyer . ?b rdfs:label ?bought }""",
    "optional": """SELECT ?org ?round ?amount WHERE {
        ?org a mg:Organization .
        OPTIONAL { ?deal mg:investee ?org ; mg:roundType ?round ; mg:amount ?amount } }""",
    "filter-regex": """SELECT DISTINCT ?entity ?name WHERE {
        ?entity rdfs:label ?name . FILTER(regex(?name, "^(m|b)", "i")) }""",
    "group-by": """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?g) AS ?someGraph) WHERE {
        GRAPH ?g { ?s a ?class } FILTER(?g != <https://w3id.org/marketgraph/ontology>)
        } GROUP BY ?class HAVING (COUNT(DISTINCT ?s) > 0)""",
    "aggregate-numbers": """SELECT ?measure (SUM(?v) AS ?total) (AVG(?v) AS ?mean)
        (MAX(?v) AS ?top) (COUNT(*) AS ?n) WHERE {
        ?obs mg:measure ?measure ; mg:value ?v } GROUP BY ?measure""",
    "property-path": """SELECT ?region ?outer WHERE {
        ?r a mg:Region ; rdfs:label ?region ; mg:partOf+ ?o . ?o rdfs:label ?outer }""",
    "path-sequence-alternative": """SELECT ?company ?investor ?sentence WHERE {
        ?deal mg:investee/rdfs:label ?company ;
              (mg:investor|mg:leadInvestor)/rdfs:label ?investor ;
              prov:wasDerivedFrom/mg:text ?sentence }""",
    "subclass-closure": """SELECT ?class WHERE {
        ?class rdfs:subClassOf* mg:Event . FILTER(isIRI(?class)) }""",
    "blank-node-lists": """SELECT ?cls ?member WHERE {
        ?cls owl:unionOf ?list . ?list rdf:rest*/rdf:first ?member }""",
    "graph-variable": """SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } }
        GROUP BY ?g""",
    "values": """SELECT ?name ?kind WHERE {
        VALUES ?kind { mg:Organization mg:Region mg:Dataset }
        ?e a ?kind ; rdfs:label ?name }""",
    "minus-bind-strings": """SELECT ?name ?upper ?len WHERE {
        ?e a mg:Organization ; rdfs:label ?name .
        MINUS { ?deal mg:acquired ?e }
        BIND(UCASE(?name) AS ?upper) BIND(STRLEN(?name) AS ?len) }""",
    "not-exists-dates": """SELECT ?event ?date (YEAR(?when) AS ?y) WHERE {
        ?event mg:date ?date . BIND(xsd:date(CONCAT(STR(?date), "-01-01")) AS ?when)
        FILTER NOT EXISTS { ?event a mg:Launch } }""",
    "union-distinct": """SELECT DISTINCT ?party WHERE {
        { ?d mg:participant ?party } UNION { ?d mg:acquirer ?party } }""",
}

#: SELECT queries ordered on one typed column with unique values: compared as lists.
ORDERED = {
    "order-limit-decimal": """SELECT ?obs ?v WHERE { ?obs mg:value ?v }
        ORDER BY DESC(?v) LIMIT 3""",
    "order-offset-integer": f"""SELECT ?m ?start WHERE {{
        ?m a mg:Mention ; mg:start ?start ; mg:inReport <{WIDGETS}> }}
        ORDER BY ?start LIMIT 4 OFFSET 1""",
}

ASK = {
    "ask-true": "ASK { ?d a mg:FundingRound ; mg:roundType 'Series B' }",
    "ask-false": "ASK { ?d a mg:Acquisition ; mg:acquired/rdfs:label 'Tarn Capital' }",
}

GRAPHS = {
    "construct": """CONSTRUCT { ?deal mg:party ?p . ?p rdfs:label ?name } WHERE {
        ?deal mg:participant|mg:acquirer|mg:acquired ?p . ?p rdfs:label ?name }""",
    "construct-with-blank-nodes": """CONSTRUCT { ?cls owl:unionOf ?list . ?list ?p ?o }
        WHERE { ?cls owl:unionOf ?list . ?list rdf:rest* ?node . ?node ?p ?o }""",
    "describe": "DESCRIBE <https://w3id.org/marketgraph/id/org/brindle-labs>",
}

#: Protocol parameters narrowing the dataset, with a query whose answer shows it.
DATASETS = {
    "default-graph-uri": (
        {"default-graph-uri": GADGETS},
        "SELECT ?name WHERE { ?o a mg:Organization ; rdfs:label ?name }",
    ),
    "named-graph-uri": (
        {"named-graph-uri": WIDGETS},
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ),
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Base URLs of (marketgraph, oxigraph), serving the same exported data."""
    folder = tmp_path_factory.mktemp("differential")
    fill(open_store(folder / "store")).close()
    export = folder / "market.nq"
    done = CliRunner().invoke(
        cli, ["export", "--store", str(folder / "store"), "--out", str(export)]
    )
    assert done.exit_code == 0, done.output
    store = open_store(folder / "store")
    with (
        serving(store, query_timeout=20) as ours,
        oxigraph_server(folder / "oxigraph", export, merged=True) as reference,
    ):
        yield ours + "/sparql", reference + "/query"
    store.close()


def ask(url: str, query: str, accept: str, params: dict[str, str] | None = None) -> httpx.Response:
    response = httpx.post(
        url,
        data={"query": PREFIX_HEADER + query, **(params or {})},
        headers={"Accept": accept},
        timeout=30,
    )
    assert response.status_code == 200, f"{url}: {response.text}"
    return response


def term(binding: dict) -> tuple:
    """A JSON results term, normalized so that equal RDF terms compare equal."""
    kind = binding["type"]
    if kind == "bnode":
        return ("bnode",)  # labels are the server's own; only the kind can be compared
    if kind == "uri":
        return ("uri", binding["value"])
    if "xml:lang" in binding:
        return ("literal", binding["value"], "@" + binding["xml:lang"].lower())
    datatype = binding.get("datatype", XSD + "string")
    value = binding["value"]
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:  # NaN and INF stay as written
            pass
    return ("literal", value, datatype)


def rows(response: httpx.Response) -> list[tuple]:
    body = response.json()
    names = body["head"]["vars"]
    return [tuple((n, term(b[n])) for n in names if n in b) for b in body["results"]["bindings"]]


@pytest.mark.parametrize("name", sorted(UNORDERED))
def test_differential_select_rows_match_as_multisets(servers, name):
    ours, reference = (rows(ask(url, UNORDERED[name], RESULTS_JSON)) for url in servers)
    assert ours, "the query should match something in the invented market"
    assert Counter(ours) == Counter(reference)


@pytest.mark.parametrize("name", sorted(ORDERED))
def test_differential_ordered_rows_match_in_order(servers, name):
    ours, reference = (rows(ask(url, ORDERED[name], RESULTS_JSON)) for url in servers)
    assert len(ours) > 1
    assert ours == reference


@pytest.mark.parametrize("name", sorted(ASK))
def test_differential_ask_answers_match(servers, name):
    ours, reference = (ask(url, ASK[name], RESULTS_JSON).json()["boolean"] for url in servers)
    assert ours is reference is (name == "ask-true")


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_differential_graphs_are_isomorphic(servers, name):
    ours, reference = (
        Graph().parse(data=ask(url, GRAPHS[name], "application/n-triples").text, format="nt")
        for url in servers
    )
    assert len(ours) > 0
    assert isomorphic(ours, reference)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_differential_dataset_parameters_narrow_alike(servers, name):
    params, query = DATASETS[name]
    ours, reference = (rows(ask(url, query, RESULTS_JSON, params)) for url in servers)
    everything = rows(ask(servers[0], query, RESULTS_JSON))
    assert ours and Counter(ours) != Counter(everything)
    assert Counter(ours) == Counter(reference)
