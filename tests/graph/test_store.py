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


# ------------------------------------------------------------ the merged default graph

KORVO = "<https://w3id.org/marketgraph/id/org/korvo-labs>"
KORVO_NAME = f"SELECT ?name WHERE {{ {KORVO} rdfs:label ?name }}"


def _other(facts):
    """A second report naming the same company."""
    return type(facts)("other.txt", "cd" * 32, "x", entities=dict(facts.entities))


def test_a_statement_two_reports_share_is_in_the_default_graph_once(store, facts):
    _add(store, facts)
    _add(store, _other(facts))
    assert len(store.select(KORVO_NAME)) == 1
    graphs = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ {KORVO} rdfs:label ?n }} }}")
    assert len(graphs) == 2


def test_removing_one_of_two_reports_keeps_what_the_other_states(store, facts):
    _add(store, facts)
    _add(store, _other(facts))
    store.remove_report("drones.txt")
    assert store.select(KORVO_NAME) == [{"name": "Korvo Labs"}]
    assert not store.query("ASK { ?e a mg:Acquisition }")  # only drones.txt said it
    store.remove_report("other.txt")
    assert store.select(KORVO_NAME) == []


def test_updates_into_named_graphs_show_in_the_default_graph(store):
    store.update("INSERT DATA { GRAPH <urn:g:1> { <urn:a> <urn:p> <urn:b> } }")
    store.update("INSERT DATA { GRAPH <urn:g:2> { <urn:a> <urn:p> <urn:b> } } ;")
    assert len(store.select("SELECT * WHERE { <urn:a> <urn:p> ?o }")) == 1
    store.update("DELETE DATA { GRAPH <urn:g:1> { <urn:a> <urn:p> <urn:b> } }")
    assert store.query("ASK { <urn:a> <urn:p> <urn:b> }")
    store.update("DROP GRAPH <urn:g:2>")
    assert not store.query("ASK { <urn:a> <urn:p> <urn:b> }")


def test_a_statement_written_to_the_default_graph_alone_does_not_stay(store):
    store.update("INSERT DATA { <urn:a> <urn:p> <urn:b> }")
    assert not store.query("ASK { <urn:a> <urn:p> <urn:b> }")


def test_the_merge_keeps_blank_nodes_joined_to_their_statements(store):
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> _:x . _:x <urn:q> 'v' } }")
    assert store.select("SELECT ?v WHERE { <urn:a> <urn:p>/<urn:q> ?v }") == [{"v": "v"}]
    store.update("DROP GRAPH <urn:g>")
    assert not store.query("ASK { ?s <urn:q> ?v }")


def test_len_and_nquads_export_leave_the_derived_default_graph_out(store, facts, tmp_path):
    import pyoxigraph as ox

    _add(store, facts)
    named = len(store.select("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert len(store) == named
    path = tmp_path / "g.nq"
    assert store.dump(path) == named
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == named
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in quads)


def test_a_store_without_the_merge_gets_it_on_a_writable_open(tmp_path):
    import pyoxigraph as ox

    # A store as written before the merge was kept: named graphs only.
    raw = ox.Store(str(tmp_path / "s"))
    for g in ("urn:g:1", "urn:g:2"):
        raw.add(
            ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode(g))
        )
    del raw
    with open_store(tmp_path / "s", read_only=True) as old:
        assert not old.merged  # read-only: answers from Oxigraph's union instead
        assert old.query("ASK { <urn:a> <urn:p> 'x' }")
    with open_store(tmp_path / "s") as s:
        assert s.merged
        assert len(s.select("SELECT * WHERE { <urn:a> <urn:p> ?o }")) == 1
    with open_store(tmp_path / "s", read_only=True) as again:
        assert again.merged
        assert again.select("SELECT ?o WHERE { <urn:a> <urn:p> ?o }") == [{"o": "x"}]


def test_bulk_load_merges_what_it_adds_into_the_default_graph(store):
    import pyoxigraph as ox

    a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    store.bulk_load(ox.Quad(a, p, ox.Literal("x"), ox.NamedNode(f"urn:g:{i}")) for i in range(3))
    assert store.select("SELECT ?o WHERE { <urn:a> <urn:p> ?o }") == [{"o": "x"}]
    assert len(store.select("SELECT ?g WHERE { GRAPH ?g { <urn:a> <urn:p> ?o } }")) == 3
