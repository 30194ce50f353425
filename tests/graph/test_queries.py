"""The read functions behind the REST API, on small graphs written by hand.

The API tests (tests/api) cover these functions through HTTP on a richer
market; these check the edge cases that are easier to reach directly.
"""

from __future__ import annotations

import pytest

from marketgraph.errors import InputError, UnknownEntity
from marketgraph.extract.facts import Entity, Ref, ReportFacts, Span
from marketgraph.graph import queries
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import report_triples

TEXT = "Arvel is in Brask. Brask is in Arvel. Oskor is in Arvel.\n"


def store_with(*entities: Entity):
    facts = ReportFacts("places.txt", "cd" * 32, TEXT)
    for e in entities:
        facts.entities[e.ref] = e
    store = open_store(backend="memory")
    store.replace_reports([report_triples(facts, fmt="txt", extractor_version="t")])
    return store


def region(name: str, part_of: str | None = None) -> Entity:
    return Entity(
        Ref("region", name),
        part_of=Ref("region", part_of) if part_of else None,
        mentions=[Span(TEXT.index(name), TEXT.index(name) + len(name), name)],
    )


def test_regions_cycle_is_cut_where_it_closes():
    store = store_with(region("Arvel", "Brask"), region("Brask", "Arvel"), region("Oskor", "Arvel"))
    (root,) = queries.regions(store)

    def shape(node):
        return (node.label, [shape(c) for c in node.children])

    # No root lies outside the cycle, so it starts at its first member by IRI.
    assert shape(root) == ("Arvel", [("Brask", []), ("Oskor", [])])


def test_search_without_text_lists_every_entity_of_the_type():
    store = store_with(region("Arvel"), region("Brask"))
    page = queries.search_entities(store, None, "region")
    assert [e.label for e in page.items] == ["Arvel", "Brask"]
    assert page.total == 2


def test_search_text_with_quotes_is_matched_literally():
    store = store_with(region("Arvel"))
    assert queries.search_entities(store, 'a" } ; DROP ALL #').total == 0


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (queries.MAX_LIMIT + 1, 0), (10, -1)])
def test_search_page_out_of_range_is_input_error(limit, offset):
    with pytest.raises(InputError):
        queries.search_entities(open_store(backend="memory"), "x", limit=limit, offset=offset)


@pytest.mark.parametrize(
    ("kind", "slug"), [("planet", "mars"), ("org", "Has Caps"), ("org", ""), ("org", "a//b")]
)
def test_entity_iri_of_rejects_bad_kinds_and_slugs(kind, slug):
    with pytest.raises(InputError):
        queries.entity_iri_of(kind, slug)


def test_entity_key_splits_kind_and_nested_slug():
    iri = queries.entity_iri_of("segment", "modality/text")
    assert queries.entity_key(iri) == ("segment", "modality/text")
    assert queries.entity_key("https://example.org/org/x") is None


def test_neighbors_stop_at_the_node_cap():
    store = store_with(region("Arvel"), region("Brask", "Arvel"), region("Oskor", "Arvel"))
    found = queries.neighbors(store, "region", "arvel", depth=1, max_nodes=2)
    assert len(found.nodes) == 2
    assert found.truncated is True


def test_neighbors_of_unknown_entity_raise():
    with pytest.raises(UnknownEntity):
        queries.neighbors(open_store(backend="memory"), "org", "nobody")


def test_curie_shortens_known_namespaces_only():
    assert queries.curie("https://w3id.org/marketgraph/id/org/x") == "mgid:org/x"
    assert queries.curie("urn:x:unknown") == "urn:x:unknown"


def test_entity_detail_pages_in_facts_by_subject_in_a_stable_order():
    parts = [region(name, "Arvel") for name in ("Oskor", "Brask")]
    store = store_with(region("Arvel"), *parts)
    pages = [queries.entity_detail(store, "region", "arvel", limit=1, offset=n) for n in (0, 1)]
    assert [p.facts_total for p in pages] == [2, 2]
    assert [f.other.label for p in pages for f in p.facts] == ["Brask", "Oskor"]
    assert all(f.direction == "in" and f.predicate == "mg:partOf" for p in pages for f in p.facts)


def test_entity_detail_counts_a_fact_stated_by_two_reports_once():
    store = open_store(backend="memory")
    reports = []
    for name in ("one.txt", "two.txt"):
        facts = ReportFacts(name, name[0] * 64, TEXT)
        for e in (region("Brask", "Arvel"), region("Arvel")):
            facts.entities[e.ref] = e
        reports.append(report_triples(facts, fmt="txt", extractor_version="t"))
    store.replace_reports(reports)
    detail = queries.entity_detail(store, "region", "brask")
    (part_of,) = detail.facts
    assert detail.facts_total == 1
    assert [g.rsplit("/", 1)[-1] for g in part_of.reports] == ["one-txt", "two-txt"]
    # The entity's own mention in each report backs the out fact.
    assert [m.text for m in part_of.mentions] == ["Brask", "Brask"]
    assert detail.mentions_total == 2


@pytest.mark.parametrize(
    "page", [{"limit": 0}, {"limit": queries.MAX_LIMIT + 1}, {"offset": -1}, {"mention_limit": -1}]
)
def test_entity_detail_page_out_of_range_is_input_error(page):
    store = store_with(region("Arvel"))
    with pytest.raises(InputError):
        queries.entity_detail(store, "region", "arvel", **page)


def three_reports_naming_brask():
    """Brask is in Arvel per three reports; b.txt names it without a passage."""
    store = open_store(backend="memory")
    reports = []
    for name in ("a.txt", "b.txt", "c.txt"):
        facts = ReportFacts(name, name[0] * 64, TEXT)
        brask = region("Brask", "Arvel")
        if name == "b.txt":
            brask.mentions.clear()
        for e in (brask, region("Arvel")):
            facts.entities[e.ref] = e
        reports.append(report_triples(facts, fmt="txt", extractor_version="t"))
    store.replace_reports(reports)
    return store


@pytest.mark.parametrize("few", [True, False])
@pytest.mark.parametrize("mention_limit", [1, 2])
def test_entity_detail_mentions_of_a_much_named_entity_skip_reports_without_any(
    monkeypatch, few, mention_limit
):
    if not few:  # Treat three reports as many: mentions are counted and read in chunks.
        monkeypatch.setattr(queries, "MENTION_LIMIT", 1)
    store = three_reports_naming_brask()
    detail = queries.entity_detail(store, "region", "brask", mention_limit=mention_limit)
    assert len(detail.reports) == 3
    assert detail.mentions_total == 2
    expected = ["a-txt", "c-txt"][:mention_limit]
    assert [m.report.rsplit("/", 1)[-1] for m in detail.mentions] == expected
    (part_of,) = detail.facts
    assert [m.report.rsplit("/", 1)[-1] for m in part_of.mentions] == ["a-txt", "c-txt"]
    assert len(part_of.reports) == 3
