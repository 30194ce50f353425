import pytest
from rdflib import URIRef

from marketgraph.errors import QueryError, StoreError, UnknownEntity
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import report_triples
from marketgraph.ontology import ONTOLOGY_GRAPH


def _add(store, facts):
    store.replace_reports([report_triples(facts, fmt="txt", extractor_version="t")])


def test_open_store_loads_the_ontology_into_its_own_graph(store):
    assert store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ mg:Acquisition ?p ?o }} }}")


def test_open_store_twice_does_not_duplicate_the_ontology(tmp_path):
    with open_store(tmp_path / "s") as s:
        first = len(s)
    with open_store(tmp_path / "s") as s:
        assert len(s) == first


def test_report_lives_in_its_own_named_graph(store, facts):
    _add(store, facts)
    (info,) = store.reports()
    assert info.source_name == "drones.txt"
    assert store.query(f"ASK {{ GRAPH <{info.iri}> {{ ?e a mg:Acquisition }} }}")


def test_default_graph_is_the_union_of_reports(store, facts):
    _add(store, facts)
    assert store.query("ASK { ?e a mg:Acquisition ; mg:acquirer ?a . ?a rdfs:label ?l }")


def test_rebuilding_a_report_replaces_its_graph_and_nothing_else(store, facts):
    _add(store, facts)
    other = type(facts)("other.txt", "cd" * 32, "x", entities=dict(facts.entities))
    _add(store, other)
    facts.events.clear()
    _add(store, facts)
    assert not store.query("ASK { ?e a mg:Acquisition }")
    assert {r.source_name for r in store.reports()} == {"drones.txt", "other.txt"}


def test_remove_report_drops_its_graph(store, facts):
    _add(store, facts)
    store.remove_report("drones.txt")
    assert store.reports() == []
    assert not store.query("ASK { ?s a mg:Report }")


def test_remove_unknown_report_names_those_there_are(store, facts):
    _add(store, facts)
    with pytest.raises(UnknownEntity, match=r"drones\.txt"):
        store.remove_report("nope.txt")


def test_malformed_query_raises_query_error_with_the_parser_message(store):
    with pytest.raises(QueryError, match="malformed"):
        store.query("SELECT WHERE {")


def test_failed_update_leaves_the_store_unchanged(store, facts):
    _add(store, facts)
    before = len(store)
    with pytest.raises(QueryError):
        store.update("DROP GRAPH <urn:x> ; INSERT DATA { <a> <b> ")
    assert len(store) == before


def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(StoreError, match="memory"):
        open_store(backend="postgres")


@pytest.mark.parametrize("suffix", [".nq", ".trig", ".ttl", ".nt", ".jsonld", ".rdf"])
def test_dump_writes_a_file_rdflib_can_read(store, facts, tmp_path, suffix):
    from rdflib import Dataset

    _add(store, facts)
    path = tmp_path / f"g{suffix}"
    store.dump(path)
    ds = Dataset(default_union=True)
    ds.parse(path)
    assert len(ds) > 0
    assert any(
        ds.triples((None, None, URIRef("https://w3id.org/marketgraph/ontology#Acquisition")))
    )


def test_dump_refuses_an_unknown_suffix(store, tmp_path):
    with pytest.raises(StoreError, match="suffix"):
        store.dump(tmp_path / "g.xyz")


def test_embedded_store_locked_by_another_handle_says_so(tmp_path):
    with open_store(tmp_path / "s"), pytest.raises(StoreError, match="in use"):
        open_store(tmp_path / "s")


def test_rdflib_dataset_sees_the_same_data(store, facts):
    _add(store, facts)
    ds = store.rdflib_dataset()
    rows = list(
        ds.query("SELECT ?e WHERE { ?e a <https://w3id.org/marketgraph/ontology#Acquisition> }")
    )
    assert len(rows) == 1
