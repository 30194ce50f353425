"""The networkx projection: a small invented report whose graph is known by hand."""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import pytest

from marketgraph.errors import QueryError, UnknownEntity
from marketgraph.extract.facts import Entity, Event, Observation, Ref, ReportFacts, Span
from marketgraph.graph.iris import entity_iri, report_iri
from marketgraph.graph.network import (
    centrality,
    entity_graph,
    find_entity,
    find_node,
    organization_graph,
    shortest_paths,
)
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import report_triples

QUILLON = Ref("org", "Quillon Systems")
BRISA = Ref("org", "Brisa Analytics")
TAMSIN = Ref("org", "Tamsin Robotics")
ORRERY = Ref("org", "Orrery Capital")
VELTRO = Ref("org", "Veltro Ventures")
LENS = Ref("product", "Quillon Lens")
NORTHLAND = Ref("region", "Northland")
WESTMERE = Ref("region", "Westmere")
ACT = Ref("regulation", "Data Fairness Act")
MARKET = Ref("market", "Drone Mapping")

SENTENCES = [
    "Quillon Systems Ltd. bought Brisa Analytics for USD 120 million in November 2025.",
    "Tamsin Robotics raised a Series B led by Orrery Capital, with Veltro Ventures joining.",
    "Brisa Analytics and Tamsin Robotics agreed to share flight data.",
    "Quillon Systems released Quillon Lens.",
    "Brisa Analytics closed a seed round.",
    "Northland drone mapping revenue reached USD 90 million in 2025.",
]
TEXT = "\n".join(SENTENCES) + "\n"


def _span(sentence: str, text: str = TEXT) -> Span:
    start = text.index(sentence)
    return Span(start, start + len(sentence), sentence)


def _iri(ref: Ref) -> str:
    return str(entity_iri(ref))


def _facts() -> ReportFacts:
    f = ReportFacts("drone-notes.txt", "cd" * 32, TEXT, title="Drone notes")
    f.entities[QUILLON] = Entity(QUILLON, aliases={"Quillon Systems Ltd."})
    f.entities[NORTHLAND] = Entity(NORTHLAND, part_of=WESTMERE, country=True)
    f.entities[ACT] = Entity(ACT, jurisdiction=NORTHLAND)
    f.events += [
        Event(
            "Acquisition",
            roles={"acquirer": [QUILLON], "acquired": [BRISA]},
            date="2025-11",
            amount=Decimal("120000000"),
            currency="USD",
            mentions=[_span(SENTENCES[0])],
        ),
        Event(
            "FundingRound",
            roles={"investee": [TAMSIN], "leadInvestor": [ORRERY], "investor": [VELTRO]},
            round_type="Series B",
            mentions=[_span(SENTENCES[1])],
        ),
        Event(
            "Partnership",
            roles={"participant": [TAMSIN, BRISA]},
            mentions=[_span(SENTENCES[2])],
        ),
        Event(
            "Launch",
            roles={"launchedBy": [QUILLON], "launched": [LENS]},
            mentions=[_span(SENTENCES[3])],
        ),
        Event("FundingRound", roles={"investee": [BRISA]}, mentions=[_span(SENTENCES[4])]),
    ]
    f.observations.append(
        Observation(
            "MarketSize",
            Decimal("90000000"),
            market=MARKET,
            currency="USD",
            segment=NORTHLAND,
            year=2025,
            mentions=[_span(SENTENCES[5])],
        )
    )
    return f


def _second_report() -> ReportFacts:
    text = "Ferro Dynamics acquired Quillon Systems.\n"
    ferro = Ref("org", "Ferro Dynamics")
    f = ReportFacts("ferro.txt", "ef" * 32, text)
    f.events.append(
        Event(
            "Acquisition",
            roles={"acquirer": [ferro], "acquired": [QUILLON]},
            mentions=[_span(text.strip(), text)],
        )
    )
    return f


def _load(*reports: ReportFacts):
    store = open_store(backend="memory")
    store.replace_reports(
        report_triples(facts, fmt="txt", extractor_version="test") for facts in reports
    )
    return store


@pytest.fixture
def G() -> nx.MultiDiGraph:
    return entity_graph(_load(_facts()))


def test_entity_graph_nodes_are_the_entities_with_kind_label_and_aliases(G):
    assert set(G) == {
        _iri(r)
        for r in (QUILLON, BRISA, TAMSIN, ORRERY, VELTRO, LENS, NORTHLAND, WESTMERE, ACT, MARKET)
    }
    quillon = G.nodes[_iri(QUILLON)]
    assert quillon["label"] == "Quillon Systems"
    assert quillon["kind"] == "org"
    assert quillon["slug"] == "quillon-systems"
    assert quillon["aliases"] == ["Quillon Systems Ltd."]
    assert quillon["reports"] == [str(report_iri("drone-notes.txt"))]
    assert G.nodes[_iri(NORTHLAND)]["kind"] == "region"


def test_entity_graph_acquisition_points_from_acquirer_to_acquired(G):
    edges = G.get_edge_data(_iri(QUILLON), _iri(BRISA))
    assert len(edges) == 1
    (data,) = edges.values()
    assert data["relation"] == "Acquisition"
    assert (data["source_role"], data["target_role"]) == ("acquirer", "acquired")
    assert data["date"] == "2025-11"
    assert data["amount"] == Decimal("120000000")
    assert data["currency"] == "USD"
    assert data["sentence"] == SENTENCES[0]
    assert data["fact"] in G.graph["events"]
    assert not G.has_edge(_iri(BRISA), _iri(QUILLON))


def test_entity_graph_funding_round_links_each_investor_to_the_investee(G):
    tamsin = _iri(TAMSIN)
    lead = next(iter(G.get_edge_data(_iri(ORRERY), tamsin).values()))
    other = next(iter(G.get_edge_data(_iri(VELTRO), tamsin).values()))
    assert lead["source_role"] == "leadInvestor"
    assert other["source_role"] == "investor"
    assert lead["round_type"] == "Series B"
    assert lead["fact"] == other["fact"]


def test_entity_graph_partnership_is_one_edge_in_name_order(G):
    brisa, tamsin = _iri(BRISA), _iri(TAMSIN)
    assert G.number_of_edges(brisa, tamsin) == 1
    assert G.number_of_edges(tamsin, brisa) == 0
    data = next(iter(G.get_edge_data(brisa, tamsin).values()))
    assert data["relation"] == "Partnership"


@pytest.mark.parametrize(
    ("source", "target", "relation"),
    [
        (NORTHLAND, WESTMERE, "partOf"),
        (ACT, NORTHLAND, "jurisdiction"),
        (QUILLON, LENS, "Launch"),
        (NORTHLAND, MARKET, "segment"),
    ],
)
def test_entity_graph_links_properties_launches_and_segments(G, source, target, relation):
    relations = [d["relation"] for d in G.get_edge_data(_iri(source), _iri(target)).values()]
    assert relations == [relation]


def test_entity_graph_segment_edge_quotes_the_observation(G):
    data = G.edges[_iri(NORTHLAND), _iri(MARKET), "segment"]
    assert data["sentence"] == SENTENCES[5]
    assert len(data["observations"]) == 1


def test_entity_graph_keeps_one_party_events_on_the_node(G):
    brisa = G.nodes[_iri(BRISA)]
    relations = sorted(G.graph["events"][e]["relation"] for e in brisa["events"])
    assert relations == ["Acquisition", "FundingRound", "Partnership"]
    lone = [
        G.graph["events"][e]
        for e in brisa["events"]
        if G.graph["events"][e]["relation"] == "FundingRound"
    ]
    assert lone[0]["sentence"] == SENTENCES[4]
    assert lone[0]["roles"] == {"investee": [_iri(BRISA)]}


def test_entity_graph_of_one_report_leaves_the_others_out():
    store = _load(_facts(), _second_report())
    whole = entity_graph(store)
    ferro = _iri(Ref("org", "Ferro Dynamics"))
    assert whole.has_edge(ferro, _iri(QUILLON))
    assert len(whole.nodes[_iri(QUILLON)]["reports"]) == 2
    only = entity_graph(store, report="ferro.txt")
    assert set(only) == {ferro, _iri(QUILLON)}


def test_entity_graph_unknown_report_raises():
    with pytest.raises(UnknownEntity, match="no report named"):
        entity_graph(_load(_facts()), report="missing.txt")


def test_organization_graph_keeps_orgs_and_deals_only():
    orgs = organization_graph(_load(_facts()))
    assert set(orgs) == {_iri(r) for r in (QUILLON, BRISA, TAMSIN, ORRERY, VELTRO)}
    relations = sorted(d["relation"] for _, _, d in orgs.edges(data=True))
    assert relations == ["Acquisition", "FundingRound", "FundingRound", "Partnership"]


def test_centrality_degree_counts_distinct_neighbours():
    found = centrality(
        nx.MultiDiGraph([("t", "o"), ("t", "v"), ("t", "b"), ("b", "t"), ("b", "q")])
    )
    assert {n: c["degree"] for n, c in found.items()} == {"t": 3, "o": 1, "v": 1, "b": 2, "q": 1}


def test_centrality_pagerank_ranks_the_middle_of_a_path_highest():
    found = centrality(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    assert found["b"]["pagerank"] > found["a"]["pagerank"]
    assert found["a"]["pagerank"] == pytest.approx(found["c"]["pagerank"])
    assert sum(c["pagerank"] for c in found.values()) == pytest.approx(1.0)


def test_centrality_of_an_empty_graph_is_empty():
    assert centrality(nx.MultiDiGraph()) == {}


def test_shortest_paths_walks_against_edge_direction_and_cites_sentences(G):
    paths = shortest_paths(G, _iri(QUILLON), _iri(VELTRO))
    assert len(paths) == 1
    hops = [(s.source, s.target, s.relation, s.forward) for s in paths[0]]
    assert hops == [
        (_iri(QUILLON), _iri(BRISA), "Acquisition", True),
        (_iri(BRISA), _iri(TAMSIN), "Partnership", True),
        (_iri(TAMSIN), _iri(VELTRO), "FundingRound", False),
    ]
    assert [s.sentence for s in paths[0]] == [SENTENCES[0], SENTENCES[2], SENTENCES[1]]


def test_shortest_paths_respects_max_len(G):
    assert shortest_paths(G, _iri(QUILLON), _iri(VELTRO), max_len=2) == []


def test_shortest_paths_returns_shortest_first_up_to_limit():
    G = nx.MultiDiGraph([("a", "b"), ("b", "d"), ("a", "c"), ("c", "e"), ("e", "d")])
    paths = shortest_paths(G, "a", "d")
    assert [[s.target for s in p] for p in paths] == [["b", "d"], ["c", "e", "d"]]
    assert len(shortest_paths(G, "a", "d", limit=1)) == 1


def test_shortest_paths_of_unlinked_nodes_is_empty():
    G = nx.MultiDiGraph([("a", "b")])
    G.add_node("z")
    assert shortest_paths(G, "a", "z") == []


@pytest.mark.parametrize(
    ("source", "target", "kwargs", "error"),
    [
        ("a", "nowhere", {}, UnknownEntity),
        ("a", "a", {}, QueryError),
        ("a", "b", {"max_len": 0}, QueryError),
    ],
)
def test_shortest_paths_rejects_bad_arguments(source, target, kwargs, error):
    with pytest.raises(error):
        shortest_paths(nx.MultiDiGraph([("a", "b")]), source, target, **kwargs)


@pytest.mark.parametrize("name", ["quillon systems", "Quillon Systems Ltd.", "org/quillon-systems"])
def test_find_node_by_label_alias_or_slug(G, name):
    assert find_node(G, name) == _iri(QUILLON)


def test_find_node_suggests_close_names(G):
    with pytest.raises(UnknownEntity, match="did you mean 'quillon systems'"):
        find_node(G, "Quilon Systems")


def test_find_entity_by_kind_and_slug(G):
    assert find_entity(G, "region", "northland") == _iri(NORTHLAND)
    with pytest.raises(UnknownEntity, match="kinds are"):
        find_entity(G, "planet", "northland")
    with pytest.raises(UnknownEntity, match="no org"):
        find_entity(G, "org", "northland")
