"""Graph analysis on small invented reports whose answers are worked out by hand.

The main report links eight companies as two tight groups of four joined
by one deal (Dunmore Agritech was acquired by Elmsworth Robotics), plus a
product launched by Dunmore and a company with no deal at all::

    Alder ─ Birchwell        Fenwick ─ Gorse
      │  ╲  ╱  │               │  ╲  ╱  │
      │   ╳    │               │   ╳    │
      │  ╱  ╲  │               │  ╱  ╲  │
    Cedarline ─ Dunmore ──── Elmsworth ─ Hollin      Ivel (alone)
                  │
            Dunmore Probe

(each group of four is fully linked). Only Dunmore and Elmsworth stand
between the groups, so only they have betweenness: Dunmore is on the
shortest paths of 16 pairs across the bridge plus 3 from its product to
its own group, 19 of the 36 pairs of the 9 other entities (Ivel counts,
with no path at all); Elmsworth on 15 (its group of three against the
five on the other side).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketgraph.errors import InputError, UnknownEntity
from marketgraph.extract.facts import Entity, Event, Ref, ReportFacts, Span
from marketgraph.graph.analysis import (
    ANALYSIS_GRAPH,
    Analyzer,
    analysis_view,
    context_links,
    kind_name,
    refresh_analysis,
)
from marketgraph.graph.iris import entity_iri
from marketgraph.graph.network import entity_graph
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import report_triples

ALDER = Ref("org", "Alder Instruments")
BIRCH = Ref("org", "Birchwell Farms")
CEDAR = Ref("org", "Cedarline Seeds")
DUNMORE = Ref("org", "Dunmore Agritech")
ELMS = Ref("org", "Elmsworth Robotics")
FENWICK = Ref("org", "Fenwick Drones")
GORSE = Ref("org", "Gorse Capital")
HOLLIN = Ref("org", "Hollin Labs")
IVEL = Ref("org", "Ivel Systems")
PROBE = Ref("product", "Dunmore Probe")

# (sentence, event type, roles, date, amount)
DEALS = [
    ("Alder Instruments invested in Dunmore Agritech in 2025.",
     "Investment", {"investor": [ALDER], "investee": [DUNMORE]}, "2025", None),
    ("Alder Instruments acquired Birchwell Farms for USD 50 million in May 2024.",
     "Acquisition", {"acquirer": [ALDER], "acquired": [BIRCH]}, "2024-05", "50000000"),
    ("Alder Instruments and Cedarline Seeds formed a partnership in 2025.",
     "Partnership", {"participant": [ALDER, CEDAR]}, "2025", None),
    ("Birchwell Farms licensed its yield models to Cedarline Seeds in 2023.",
     "Licensing", {"licensor": [BIRCH], "licensee": [CEDAR]}, "2023", None),
    ("Birchwell Farms and Dunmore Agritech partnered in 2024.",
     "Partnership", {"participant": [BIRCH, DUNMORE]}, "2024", None),
    ("Cedarline Seeds and Dunmore Agritech work together.",
     "Partnership", {"participant": [CEDAR, DUNMORE]}, None, None),
    ("Elmsworth Robotics acquired Dunmore Agritech for USD 80 million in January 2026.",
     "Acquisition", {"acquirer": [ELMS], "acquired": [DUNMORE]}, "2026-01", "80000000"),
    ("Elmsworth Robotics and Fenwick Drones partnered in 2022.",
     "Partnership", {"participant": [ELMS, FENWICK]}, "2022", None),
    ("Gorse Capital invested in Elmsworth Robotics in 2021.",
     "Investment", {"investor": [GORSE], "investee": [ELMS]}, "2021", None),
    ("Elmsworth Robotics and Hollin Labs formed an alliance in 2023.",
     "Partnership", {"participant": [ELMS, HOLLIN]}, "2023", None),
    ("Fenwick Drones and Gorse Capital signed a partnership in 2024.",
     "Partnership", {"participant": [FENWICK, GORSE]}, "2024", None),
    ("Hollin Labs raised a seed round from Fenwick Drones in 2024.",
     "FundingRound", {"investee": [HOLLIN], "investor": [FENWICK]}, "2024", None),
    ("Gorse Capital invested in Hollin Labs in 2025.",
     "Investment", {"investor": [GORSE], "investee": [HOLLIN]}, "2025", None),
    ("Dunmore Agritech launched Dunmore Probe in 2025.",
     "Launch", {"launchedBy": [DUNMORE], "launched": [PROBE]}, "2025", None),
]  # fmt: skip
LONE = "Ivel Systems was founded in 2020."
TEXT = "\n".join([*(d[0] for d in DEALS), LONE]) + "\n"


def _span(sentence: str, text: str = TEXT) -> Span:
    start = text.index(sentence)
    return Span(start, start + len(sentence), sentence)


def _iri(ref: Ref) -> str:
    return str(entity_iri(ref))


def _facts() -> ReportFacts:
    f = ReportFacts("farm-tech.txt", "a1" * 32, TEXT, title="Farm technology notes")
    f.entities[IVEL] = Entity(IVEL, mentions=[_span(LONE)])
    for sentence, kind, roles, date, amount in DEALS:
        f.events.append(
            Event(
                kind,
                roles=roles,
                date=date,
                amount=Decimal(amount) if amount else None,
                currency="USD" if amount else None,
                mentions=[_span(sentence)],
            )
        )
    return f


def _load(*reports: ReportFacts):
    store = open_store(backend="memory")
    store.replace_reports(report_triples(f, fmt="txt", extractor_version="test") for f in reports)
    return store


@pytest.fixture
def store():
    return _load(_facts())


@pytest.fixture
def analyzer(store) -> Analyzer:
    return Analyzer.from_store(store)


# --------------------------------------------------------------------------- rankings


def test_rank_by_betweenness_puts_the_two_bridge_companies_first(analyzer):
    top = analyzer.rank(by="betweenness", limit=3)
    assert [r.label for r in top] == ["Dunmore Agritech", "Elmsworth Robotics", "Alder Instruments"]
    assert top[0].score == pytest.approx(19 / 36)
    assert top[1].score == pytest.approx(15 / 36)
    assert top[2].score == 0


def test_rank_by_degree_counts_distinct_neighbours(analyzer):
    degrees = {r.label: r.degree for r in analyzer.rank(by="degree", limit=20)}
    assert degrees["Dunmore Agritech"] == 5
    assert degrees["Elmsworth Robotics"] == 4
    assert degrees["Hollin Labs"] == 3
    assert degrees["Dunmore Probe"] == 1
    assert degrees["Ivel Systems"] == 0


def test_rank_by_pagerank_favours_the_best_linked_and_numbers_from_one(analyzer):
    top = analyzer.rank(limit=2)
    assert [r.rank for r in top] == [1, 2]
    assert top[0].label == "Dunmore Agritech"
    assert top[0].pagerank > top[1].pagerank


@pytest.mark.parametrize("kind", ["product", "Product"])
def test_rank_keeps_only_the_kind_asked_for(analyzer, kind):
    assert [r.label for r in analyzer.rank(kind=kind)] == ["Dunmore Probe"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "fame"}, "unknown measure"),
        ({"kind": "planet"}, "unknown entity type"),
        ({"limit": 0}, "limit must be"),
    ],
)
def test_rank_refuses_bad_arguments(analyzer, kwargs, message):
    with pytest.raises(InputError, match=message):
        analyzer.rank(**kwargs)


def test_kind_name_accepts_kinds_and_class_names():
    assert kind_name("Organization") == "org"
    assert kind_name(" segment ") == "segment"


# --------------------------------------------------------------------------- communities


def test_communities_split_the_two_groups_and_leave_out_the_loner(analyzer):
    found = analyzer.communities()
    groups = [{m.iri for m in c.members} for c in found]
    assert groups == [
        {_iri(r) for r in (ALDER, BIRCH, CEDAR, DUNMORE, PROBE)},
        {_iri(r) for r in (ELMS, FENWICK, GORSE, HOLLIN)},
    ]
    assert [c.number for c in found] == [0, 1]
    assert [c.size for c in found] == [5, 4]


def test_communities_are_named_after_their_most_central_members(analyzer):
    first, second = analyzer.communities()
    assert first.name.startswith("Dunmore Agritech, ")
    assert second.name.startswith("Elmsworth Robotics, ")
    assert first.name.count(", ") == 2


def test_communities_members_limit_keeps_the_most_central(analyzer):
    first = analyzer.communities(members=1)[0]
    assert [m.label for m in first.members] == ["Dunmore Agritech"]
    assert first.size == 5


def test_community_numbers_are_the_same_for_the_same_seed(store):
    first = Analyzer.from_store(store, seed=3).community_of
    assert Analyzer.from_store(store, seed=3).community_of == first


def test_k_core_main_core_is_the_eight_companies(analyzer):
    core = analyzer.k_core()
    assert core.k == 3
    assert {m.iri for m in core.members} == {
        _iri(r) for r in (ALDER, BIRCH, CEDAR, DUNMORE, ELMS, FENWICK, GORSE, HOLLIN)
    }


def test_k_core_above_the_main_core_is_empty(analyzer):
    assert analyzer.k_core(4).members == []


# --------------------------------------------------------------------------- connections


def test_connections_explain_the_shortest_chain_fact_by_fact(analyzer):
    best = analyzer.connections("Alder Instruments", "Hollin Labs")[0]
    assert best.hops == 3
    assert best.text == (
        "Alder Instruments → invested in Dunmore Agritech (2025)"
        " → was acquired by Elmsworth Robotics (2026-01, USD 80,000,000)"
        " → partnered with Hollin Labs (2023)"
    )
    assert [link.sentence for link in best.links] == [DEALS[0][0], DEALS[6][0], DEALS[9][0]]
    assert [link.forward for link in best.links] == [True, False, True]
    assert best.links[1].relation == "Acquisition"


def test_connections_list_other_short_chains_up_to_max_len(analyzer):
    chains = analyzer.connections("Alder Instruments", "Hollin Labs", max_len=4, limit=10)
    assert [c.hops for c in chains] == [3, 4, 4, 4, 4]
    assert len({c.text for c in chains}) == 5
    assert len(analyzer.connections("Alder Instruments", "Hollin Labs", max_len=3)) == 1


def test_connections_are_empty_when_nothing_links_the_two(analyzer):
    assert analyzer.connections("Ivel Systems", "Alder Instruments") == []


def test_connections_accept_kind_slug_and_iri(analyzer):
    chains = analyzer.connections("org/alder-instruments", _iri(BIRCH))
    assert chains[0].text == (
        "Alder Instruments → acquired Birchwell Farms (2024-05, USD 50,000,000)"
    )


def test_connections_unknown_name_suggests_close_ones(analyzer):
    with pytest.raises(UnknownEntity, match=r"(?i)did you mean .alder instruments"):
        analyzer.connections("Alder Instrument", "Hollin Labs")


@pytest.mark.parametrize(
    ("source", "target", "kwargs"),
    [
        ("Alder Instruments", "org/alder-instruments", {}),
        ("Alder Instruments", "Hollin Labs", {"max_len": 0}),
        ("Alder Instruments", "Hollin Labs", {"max_len": 99}),
    ],
)
def test_connections_refuse_bad_arguments(analyzer, source, target, kwargs):
    with pytest.raises(InputError):
        analyzer.connections(source, target, **kwargs)


# --------------------------------------------------------------------------- ego, similar, activity


def test_ego_radius_one_holds_the_neighbours_and_their_links(analyzer):
    ego = analyzer.ego("Dunmore Agritech")
    assert ego.center.label == "Dunmore Agritech"
    assert {n.label for n in ego.nodes} == {
        "Dunmore Agritech", "Alder Instruments", "Birchwell Farms", "Cedarline Seeds",
        "Elmsworth Robotics", "Dunmore Probe",
    }  # fmt: skip
    assert len(ego.links) == 8
    assert all(link.forward for link in ego.links)
    assert not ego.truncated


def test_ego_limit_keeps_the_nearest_best_linked(analyzer):
    ego = analyzer.ego("Dunmore Agritech", limit=3)
    assert [n.label for n in ego.nodes] == [
        "Dunmore Agritech", "Elmsworth Robotics", "Alder Instruments",
    ]  # fmt: skip
    assert [n.distance for n in ego.nodes] == [0, 1, 1]
    assert ego.truncated


def test_ego_radius_two_reaches_across_the_bridge(analyzer):
    labels = {n.label for n in analyzer.ego("Dunmore Agritech", radius=2).nodes}
    assert {"Fenwick Drones", "Gorse Capital", "Hollin Labs"} <= labels
    assert "Ivel Systems" not in labels


def test_similar_scores_are_jaccard_of_neighbour_sets(analyzer):
    found = analyzer.similar("Alder Instruments")
    assert [(s.label, s.score) for s in found] == [
        ("Birchwell Farms", 0.5),
        ("Cedarline Seeds", 0.5),
        ("Dunmore Agritech", pytest.approx(1 / 3, abs=1e-6)),
        ("Elmsworth Robotics", pytest.approx(1 / 6, abs=1e-6)),
    ]
    assert found[0].shared == ["Cedarline Seeds", "Dunmore Agritech"]


def test_similar_lists_only_entities_of_the_same_kind(analyzer):
    assert analyzer.similar("Dunmore Probe") == []


def test_activity_counts_deals_per_year_and_type(analyzer):
    activity = analyzer.activity("Dunmore Agritech")
    assert activity.years == {
        "2024": {"Partnership": 1},
        "2025": {"Investment": 1},
        "2026": {"Acquisition": 1},
    }
    assert activity.undated == {"Partnership": 1}
    # The product launch is not a deal.
    assert activity.total == 4


def test_activity_of_an_entity_without_deals_is_empty(analyzer):
    activity = analyzer.activity("Ivel Systems")
    assert (activity.total, activity.years, activity.undated) == (0, {}, {})


# --------------------------------------------------------------------------- context links

CONTEXT_LINES = [
    "Kestrel Aerial and Lumen Geo both sell crop imaging in Northmark.",
    "Marten Survey also sells crop imaging.",
    "Kestrel Aerial acquired Orla Maps in Northmark.",
]
CONTEXT_TEXT = "\n".join(CONTEXT_LINES) + "\n"
KESTREL, LUMEN = Ref("org", "Kestrel Aerial"), Ref("org", "Lumen Geo")
MARTEN, ORLA = Ref("org", "Marten Survey"), Ref("org", "Orla Maps")
NORTHMARK = Ref("region", "Northmark")
CROP = Ref("segment", "Crop Imaging", scope="Application")


def _context_facts() -> ReportFacts:
    first, second, third = (_span(line, CONTEXT_TEXT) for line in CONTEXT_LINES)
    f = ReportFacts("imaging.txt", "b2" * 32, CONTEXT_TEXT)
    for ref, spans in [
        (KESTREL, [first, third]),
        (LUMEN, [first]),
        (MARTEN, [second]),
        (NORTHMARK, [first, third]),
        (CROP, [first, second]),
    ]:
        f.entities[ref] = Entity(ref, mentions=spans)
    f.events.append(
        Event("Acquisition", roles={"acquirer": [KESTREL], "acquired": [ORLA]}, mentions=[third])
    )
    return f


def test_context_links_pair_organizations_with_places_and_segments_named_with_them():
    links = context_links(_load(_context_facts()))
    assert set(links) == {
        (_iri(KESTREL), _iri(NORTHMARK)),
        (_iri(KESTREL), _iri(CROP)),
        (_iri(LUMEN), _iri(NORTHMARK)),
        (_iri(LUMEN), _iri(CROP)),
        (_iri(MARTEN), _iri(CROP)),
        (_iri(ORLA), _iri(NORTHMARK)),
    }
    assert links[(_iri(KESTREL), _iri(NORTHMARK))] == [CONTEXT_LINES[0], CONTEXT_LINES[2]]


def test_similar_uses_shared_segments_and_regions():
    analyzer = Analyzer.from_store(_load(_context_facts()))
    found = [(s.label, s.score) for s in analyzer.similar("Kestrel Aerial")]
    assert found == [
        ("Lumen Geo", pytest.approx(2 / 3, abs=1e-6)),
        ("Marten Survey", pytest.approx(1 / 3, abs=1e-6)),
        ("Orla Maps", 0.25),
    ]


def test_context_link_cites_the_shared_sentence():
    analyzer = Analyzer.from_store(_load(_context_facts()))
    link = analyzer.link(_iri(LUMEN), _iri(CROP))
    assert (link.kind, link.phrase, link.sentence) == (
        "context", "is mentioned with", CONTEXT_LINES[0],
    )  # fmt: skip


def test_analysis_view_weighs_a_pair_by_its_facts_and_sentences():
    store = _load(_context_facts())
    S = analysis_view(entity_graph(store), context_links(store))
    assert S[_iri(KESTREL)][_iri(NORTHMARK)]["weight"] == 2
    assert S[_iri(KESTREL)][_iri(ORLA)]["weight"] == 1


# --------------------------------------------------------------------------- write-back


def _measures(store, prop: str) -> dict[str, object]:
    rows = store.select(f"SELECT ?e ?v WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ ?e mg:{prop} ?v }} }}")
    return {r["e"]: r["v"] for r in rows}


def test_refresh_analysis_writes_measures_sparql_can_rank_by(store):
    summary = refresh_analysis(store)
    assert summary.entities == 9
    assert summary.communities == 2
    top = store.select(
        "SELECT ?label WHERE { ?e mg:betweenness ?b ; rdfs:label ?label } ORDER BY DESC(?b) LIMIT 2"
    )
    assert [r["label"] for r in top] == ["Dunmore Agritech", "Elmsworth Robotics"]
    assert _measures(store, "degree")[_iri(DUNMORE)] == 5
    assert float(_measures(store, "betweenness")[_iri(DUNMORE)]) == pytest.approx(19 / 36)


def test_refresh_analysis_puts_a_community_on_linked_entities_only(store):
    refresh_analysis(store)
    community = _measures(store, "community")
    assert community[_iri(ALDER)] == community[_iri(DUNMORE)] != community[_iri(ELMS)]
    assert _iri(IVEL) not in community
    assert _iri(IVEL) not in _measures(store, "pageRank")


def test_refresh_analysis_follows_a_removed_report(store):
    store.replace_reports([report_triples(_context_facts(), fmt="txt", extractor_version="t")])
    refresh_analysis(store)
    assert _iri(KESTREL) in _measures(store, "degree")
    store.remove_report("imaging.txt")
    refresh_analysis(store)
    degrees = _measures(store, "degree")
    assert _iri(KESTREL) not in degrees
    assert degrees[_iri(DUNMORE)] == 5


def test_refresh_analysis_leaves_reports_and_projection_alone(store):
    before = entity_graph(store)
    refresh_analysis(store)
    after = entity_graph(store)
    assert [r.source_name for r in store.reports()] == ["farm-tech.txt"]
    assert set(after) == set(before)
    assert after.number_of_edges() == before.number_of_edges()


def test_refresh_analysis_on_an_empty_store_writes_no_measures():
    store = open_store(backend="memory")
    summary = refresh_analysis(store)
    assert (summary.entities, summary.communities) == (0, 0)
    assert _measures(store, "degree") == {}


def test_seed_report_connects_two_organizations_with_every_step_cited(shared_dir):
    """Issue 6's acceptance: "how is NVIDIA connected to Scale AI" on the seed report."""
    from marketgraph.graph.build import build_paths

    store = open_store(backend="memory")
    build_paths(store, [shared_dir / "corpus" / "ai-training-dataset-market.txt"])
    chains = Analyzer.from_store(store).connections("NVIDIA", "Scale AI")
    assert chains
    assert any(all(link.sentence for link in chain.links) for chain in chains)
