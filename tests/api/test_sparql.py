"""The SPARQL endpoint: protocol, negotiation, limits, updates and the service description."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from api_market import TOKEN, auth, make_client
from rdflib import Graph

REPORTS = "SELECT ?r WHERE { ?r a mg:Report } ORDER BY ?r"
WIDGETS = "https://w3id.org/marketgraph/id/report/widgets-txt"
GADGETS = "https://w3id.org/marketgraph/id/report/gadgets-md"
ORGS = "SELECT DISTINCT ?name WHERE { ?o a mg:Organization ; rdfs:label ?name } ORDER BY ?name"
ORG_NAMES = ["Brindle Labs", "Mossgrove AI", "Quillon Data", "Tarn Capital"]
CONSTRUCT = "CONSTRUCT { ?o rdfs:label ?name } WHERE { ?o a mg:Organization ; rdfs:label ?name }"


def bindings(response, var: str) -> list[str]:
    return [b[var]["value"] for b in response.json()["results"]["bindings"]]


def count_reports(client) -> int:
    return len(bindings(client.get("/sparql", params={"query": REPORTS}), "r"))


# --------------------------------------------------------------------------- protocol


def test_sparql_get_answers_json_by_default(client):
    r = client.get("/sparql", params={"query": REPORTS})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert bindings(r, "r") == [GADGETS, WIDGETS]


def test_sparql_post_form_answers_query(client):
    r = client.post("/sparql", data={"query": ORGS})
    assert r.status_code == 200
    assert bindings(r, "name") == ORG_NAMES


def test_sparql_post_sparql_query_body_answers_query(client):
    r = client.post(
        "/sparql", content=ORGS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200
    assert bindings(r, "name") == ORG_NAMES


def test_sparql_post_unknown_body_type_is_415(client):
    r = client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.json()["detail"]


def test_sparql_ask_answers_boolean(client):
    r = client.get("/sparql", params={"query": "ASK { ?x mg:roundType 'Series B' }"})
    assert r.json()["boolean"] is True


def test_sparql_typed_literals_keep_their_datatype(client):
    r = client.get("/sparql", params={"query": "SELECT ?v { ?x mg:roundType ?r ; mg:amount ?v }"})
    (value,) = r.json()["results"]["bindings"]
    assert value["v"]["datatype"].endswith("#decimal")
    assert float(value["v"]["value"]) == 40_000_000


# --------------------------------------------------------------------------- negotiation


def test_sparql_accept_csv_gives_csv(client):
    r = client.get("/sparql", params={"query": ORGS}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["name"]
    assert [row[0] for row in rows[1:]] == ORG_NAMES


def test_sparql_accept_q_values_pick_the_preferred(client):
    accept = "text/csv;q=0.4, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.5"
    r = client.get("/sparql", params={"query": ORGS}, headers={"Accept": accept})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(r.content)
    literals = [e.text for e in root.iter() if e.tag.endswith("literal")]
    assert literals == ORG_NAMES


def test_sparql_format_parameter_overrides_accept(client):
    r = client.get(
        "/sparql", params={"query": ORGS, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.text.splitlines()[0] == "?name"


@pytest.mark.parametrize(
    ("accept", "fmt", "rdflib_format"),
    [
        ("text/turtle", None, "turtle"),
        ("application/n-triples", None, "nt"),
        ("application/rdf+xml", None, "xml"),
        ("application/ld+json", None, "json-ld"),
        (None, "nt", "nt"),
    ],
)
def test_sparql_construct_in_each_rdf_format(client, accept, fmt, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    params = {"query": CONSTRUCT, **({"format": fmt} if fmt else {})}
    r = client.get("/sparql", params=params, headers=headers)
    assert r.status_code == 200
    graph = Graph().parse(data=r.content, format=rdflib_format)
    assert sorted(str(o) for o in graph.objects()) == ORG_NAMES


def test_sparql_construct_defaults_to_turtle(client):
    r = client.get("/sparql", params={"query": CONSTRUCT})
    assert r.headers["content-type"].startswith("text/turtle")


def test_sparql_unservable_accept_is_406(client):
    r = client.get("/sparql", params={"query": ORGS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/csv" in r.json()["detail"]


def test_sparql_graph_format_for_select_is_406(client):
    r = client.get("/sparql", params={"query": ORGS, "format": "turtle"})
    assert r.status_code == 406


# --------------------------------------------------------------------------- dataset


def test_sparql_default_graph_uri_narrows_the_default_graph(client):
    params = {"query": ORGS, "default-graph-uri": GADGETS}
    names = bindings(client.get("/sparql", params=params), "name")
    # The gadgets report names three of the four companies; Tarn Capital is only in widgets.
    assert names == ["Brindle Labs", "Mossgrove AI", "Quillon Data"]


def test_sparql_named_graph_uri_limits_graph_patterns(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": query, "named-graph-uri": WIDGETS})
    assert bindings(r, "g") == [WIDGETS]


def test_sparql_form_graph_parameters_are_honoured(client):
    r = client.post("/sparql", data={"query": ORGS, "default-graph-uri": [GADGETS]})
    assert "Tarn Capital" not in bindings(r, "name")


# --------------------------------------------------------------------------- errors and limits


def test_sparql_malformed_query_is_400_with_parser_message(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y "})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail.startswith("malformed SPARQL query")
    assert "\n" not in detail


def test_sparql_empty_query_is_400(client):
    assert client.get("/sparql", params={"query": "  "}).status_code == 400


def test_sparql_row_limit_truncates_and_says_so(market_store):
    with make_client(market_store, row_limit=2) as small:
        r = small.get("/sparql", params={"query": ORGS})
        assert bindings(r, "name") == ORG_NAMES[:2]
        assert r.headers["X-Result-Truncated"] == "true"
        assert r.headers["X-Row-Limit"] == "2"


def test_sparql_row_limit_caps_construct_triples(market_store):
    with make_client(market_store, row_limit=3) as small:
        r = small.get("/sparql", params={"query": CONSTRUCT, "format": "nt"})
        assert len(Graph().parse(data=r.content, format="nt")) == 3
        assert r.headers["X-Result-Truncated"] == "true"


def test_sparql_result_under_the_limit_is_not_truncated(client):
    r = client.get("/sparql", params={"query": ORGS})
    assert r.headers["X-Result-Truncated"] == "false"
    assert r.headers["X-Result-Rows"] == "4"


def test_sparql_slow_query_is_stopped_with_503(market_store):
    # A triple cross product of the whole store: far more rows than the limit lets through.
    slow = "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
    with make_client(market_store, query_timeout=0.3, row_limit=10**9) as hasty:
        started = time.monotonic()
        r = hasty.get("/sparql", params={"query": slow})
        assert r.status_code == 503
        assert "time limit" in r.json()["detail"]
        assert time.monotonic() - started < 5
        # The endpoint still answers afterwards.
        assert hasty.get("/sparql", params={"query": REPORTS}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_sparql_service_is_refused_by_default(client, query):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 403
    assert "MARKETGRAPH_ALLOW_SERVICE" in r.json()["detail"]


def test_sparql_word_service_in_strings_and_names_is_not_refused(client):
    query = 'SELECT ?service WHERE { ?service rdfs:label "SERVICE desk" } # SERVICE'
    assert client.get("/sparql", params={"query": query}).status_code == 200


# --------------------------------------------------------------------------- updates

INSERT = 'INSERT DATA { GRAPH <urn:x:test> { <urn:x:a> rdfs:label "inserted" } }'


def test_sparql_update_refused_when_updates_are_off(client):
    before = count_reports(client)
    r = client.post("/sparql", data={"update": "DROP ALL"}, headers=auth())
    assert r.status_code == 403
    assert "MARKETGRAPH_ALLOW_UPDATE" in r.json()["detail"]
    assert count_reports(client) == before == 2


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": TOKEN}])
def test_sparql_update_needs_the_bearer_token(writable, headers):
    client, store = writable
    r = client.post("/sparql", data={"update": "DROP ALL"}, headers=headers)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert len(store.reports()) == 2


def test_sparql_update_without_token_configured_is_refused(market_store):
    with make_client(market_store, allow_update=True) as open_client:
        r = open_client.post("/sparql", data={"update": "DROP ALL"}, headers=auth())
        assert r.status_code == 403
        assert "MARKETGRAPH_UPDATE_TOKEN" in r.json()["detail"]
    assert len(market_store.reports()) == 2


def test_sparql_update_with_token_changes_the_store(writable):
    client, _ = writable
    r = client.post(
        "/sparql",
        content=INSERT.encode(),
        headers={"Content-Type": "application/sparql-update", **auth()},
    )
    assert r.status_code == 204
    r = client.get("/sparql", params={"query": "ASK { <urn:x:a> rdfs:label 'inserted' }"})
    assert r.json()["boolean"] is True


def test_sparql_malformed_update_is_400_and_changes_nothing(writable):
    client, store = writable
    size = len(store)
    r = client.post("/sparql", data={"update": "INSERT DATA { <urn:x:a> "}, headers=auth())
    assert r.status_code == 400
    assert len(store) == size


def test_sparql_update_by_get_is_405(client):
    assert client.get("/sparql", params={"update": INSERT}).status_code == 405


def test_sparql_query_and_update_together_are_400(writable):
    client, _ = writable
    r = client.post("/sparql", data={"query": REPORTS, "update": INSERT}, headers=auth())
    assert r.status_code == 400


# --------------------------------------------------------------------------- description


def test_sparql_without_query_describes_the_service(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(o) for s, p, o in g if str(p) == sd + "name"}
    assert names == {WIDGETS, GADGETS}
    languages = {str(o) for s, p, o in g if str(p) == sd + "supportedLanguage"}
    assert languages == {sd + "SPARQL11Query"}


def test_sparql_description_counts_the_merged_default_graph(client, market_store):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    void_triples = "http://rdfs.org/ns/void#triples"
    (default,) = (o for s, p, o in g if str(p) == sd + "defaultGraph")
    (size,) = (
        o.toPython() for s, p, o in g.triples((default, None, None)) if str(p) == void_triples
    )
    named = [q for q in market_store.oxigraph if not isinstance(q.graph_name, ox.DefaultGraph)]
    distinct = {(q.subject, q.predicate, q.object) for q in named}
    assert size == len(distinct) < len(named)  # the two reports share statements


def test_sparql_description_lists_update_when_allowed(writable):
    client, _ = writable
    r = client.get("/sparql", params={"format": "nt"})
    assert "SPARQL11Update" in r.text


def test_sparql_browser_gets_the_query_page(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text
    assert "PREFIX mg: <https://w3id.org/marketgraph/ontology#>" in r.text
    script = r.text.split("var examples = ", 1)[1].split(";\n", 1)[0]
    queries = json.loads(script)
    assert len(queries) >= 5
    assert all(q.startswith("PREFIX ") for q in queries)


def test_sparql_query_page_assets_are_served(client):
    r = client.get("/sparql-ui/yasgui/yasgui.min.css")
    assert r.status_code == 200
    assert len(r.content) > 1000


def test_sparql_example_queries_run(client):
    from marketgraph.api.sparql import EXAMPLES, with_prefixes

    for _, query in EXAMPLES:
        r = client.get("/sparql", params={"query": with_prefixes(query)})
        assert r.status_code == 200, r.text


@pytest.mark.parametrize("iri", ["not an iri", "widgets-txt"])
def test_sparql_bad_graph_iri_is_400(client, iri):
    r = client.get("/sparql", params={"query": ORGS, "default-graph-uri": iri})
    assert r.status_code == 400
    assert "default-graph-uri" in r.json()["detail"]


def test_sparql_body_over_the_limit_is_413(client):
    from marketgraph.api.sparql import MAX_QUERY_BYTES

    query = "SELECT * { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES
    r = client.post(
        "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 413
