"""The graph pages as HTML: what they list, quote and link, and that names stay text."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib.resources import files
from urllib.parse import parse_qs, urlparse

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from visual_data import (
    ATLAS,
    COAST_LINES,
    HALVORSEN,
    HOSTILE_ALIAS,
    HOSTILE_IMG,
    HOSTILE_LINE,
    HOSTILE_SCRIPT,
    IMG_ORG,
    LOWMARK,
    PINECREST,
    RIDGEWAY,
    SALTMARSH,
    SCRIPT_ORG,
    coast_facts,
    graph_data,
    iri,
    load,
    star_facts,
)

from marketgraph.errors import InputError, UnknownEntity
from marketgraph.visual.pages import (
    KIND_STYLES,
    entity_html,
    format_amount,
    overview_html,
    script_json,
    write_overview,
)

COAST_LABELS = {
    "Halvorsen Geodata", "Pinecrest Imaging", "Saltmarsh Labs", "Ridgeway Partners",
    "Fjordline Atlas", "Lowmark", "Greater Ostia", "Coastal Survey Data",
}  # fmt: skip


def _nodes(page: str) -> dict[str, dict]:
    return {n["id"]: n for n in graph_data(page)["nodes"]}


# ------------------------------------------------------------------ overview


def test_overview_html_lists_every_entity_label(coast_store):
    labels = {n["label"] for n in graph_data(overview_html(coast_store))["nodes"]}
    assert labels == COAST_LABELS


def test_overview_html_colours_and_shapes_nodes_by_kind(coast_store):
    nodes = _nodes(overview_html(coast_store))
    org, dataset = nodes[iri(HALVORSEN)], nodes[iri(ATLAS)]
    assert (org["color"], org["shape"]) == (KIND_STYLES["org"].color, KIND_STYLES["org"].shape)
    assert (dataset["color"], dataset["shape"]) == (
        KIND_STYLES["dataset"].color,
        KIND_STYLES["dataset"].shape,
    )
    assert org["kind"] == "org"


def test_overview_html_sizes_nodes_by_centrality(coast_store):
    nodes = _nodes(overview_html(coast_store))
    # Pinecrest sits in the middle of the chain of deals, Ridgeway at its end.
    assert nodes[iri(PINECREST)]["size"] > nodes[iri(RIDGEWAY)]["size"]


def test_overview_html_tooltip_names_kind_aliases_and_facts(coast_store):
    title = _nodes(overview_html(coast_store))[iri(HALVORSEN)]["title"]
    text = HTMLParser(title).text()
    assert "Organization" in text
    assert "also: Halvorsen Geodata AS" in text
    assert "Acquisition · 2025-06 · EUR 85 million with Pinecrest Imaging" in text


def test_overview_html_edges_merge_facts_between_two_nodes(coast_store):
    edges = graph_data(overview_html(coast_store))["edges"]
    deal = [e for e in edges if (e["from"], e["to"]) == (iri(HALVORSEN), iri(PINECREST))]
    assert len(deal) == 1
    assert COAST_LINES["deal"] in HTMLParser(deal[0]["title"]).text()


def test_overview_html_links_nodes_to_entity_pages(coast_store):
    page = overview_html(coast_store)
    assert _nodes(page)[iri(LOWMARK)]["url"] == "/view/region/lowmark"
    assert graph_data(page)["links"] is True


def test_overview_html_keeps_the_most_central_within_budget():
    page = overview_html(load(star_facts(5)), node_budget=1)
    assert [n["label"] for n in graph_data(page)["nodes"]] == ["Hubbard Mills"]
    message = HTMLParser(page).css_first("#truncated").text()
    assert " ".join(message.split()) == "Showing the 1 most central of 6 entities; 5 left out."


def test_overview_html_says_nothing_of_truncation_within_budget():
    page = overview_html(load(star_facts(5)), node_budget=6)
    assert len(graph_data(page)["nodes"]) == 6
    assert HTMLParser(page).css_first("#truncated") is None


def test_overview_html_keeps_and_focuses_the_focus_entity():
    page = overview_html(load(star_facts(5)), node_budget=1, focus="leaf works 3")
    data = graph_data(page)
    assert [n["label"] for n in data["nodes"]] == ["Leaf Works 3"]
    assert data["focus"] == data["nodes"][0]["id"]


def test_overview_html_unknown_focus_raises(coast_store):
    with pytest.raises(UnknownEntity, match="Nobody"):
        overview_html(coast_store, focus="Nobody")


def test_overview_html_rejects_an_empty_budget(coast_store):
    with pytest.raises(InputError, match="node_budget"):
        overview_html(coast_store, node_budget=0)


def test_overview_html_of_one_report_draws_only_it(coast_store):
    store = load(*_two_reports())
    labels = {n["label"] for n in graph_data(overview_html(store, report="star.txt"))["nodes"]}
    assert "Hubbard Mills" in labels and "Halvorsen Geodata" not in labels


def _two_reports():
    return coast_facts(), star_facts(2)


def test_overview_html_loads_assets_only_from_asset_base(coast_store):
    tree = HTMLParser(overview_html(coast_store, asset_base="/assets"))
    sources = [s.attributes["src"] for s in tree.css("script[src]")]
    sheets = [s.attributes["href"] for s in tree.css("link[rel=stylesheet]")]
    assert sources == ["/assets/vis-network.min.js", "/assets/graph.js"]
    assert sheets == ["/assets/vis-network.css", "/assets/graph.css"]


def test_overview_html_asks_no_other_host(coast_store):
    tree = HTMLParser(overview_html(coast_store))
    for node in tree.css("[src], [href]"):
        for attr in ("src", "href"):
            value = node.attributes.get(attr)
            if value is not None:
                assert value.startswith(("/", "?", "data:")), value


def test_write_overview_inlines_vis_and_writes_only_the_file(coast_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # pyvis would copy its lib/ here; nothing may appear
    target = write_overview(coast_store, tmp_path / "out" / "graph.html")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "out",
        "out/graph.html",
    ]
    page = target.read_text(encoding="utf-8")
    tree = HTMLParser(page)
    assert tree.css("script[src]") == [] and tree.css("link[rel=stylesheet]") == []
    vis = files("pyvis").joinpath("lib", "vis-9.1.2", "vis-network.min.js").read_text()
    assert vis[:2000] in page
    assert {n["label"] for n in graph_data(page)["nodes"]} == COAST_LABELS
    # A file has no server behind it: clicks show details instead of following links.
    assert graph_data(page)["links"] is False


def test_write_overview_unwritable_path_raises(coast_store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        write_overview(coast_store, blocker / "graph.html")


# ------------------------------------------------------------------ entity page


def test_entity_html_quotes_the_source_sentence_of_each_fact(coast_store):
    tree = HTMLParser(entity_html(coast_store, "org", "pinecrest-imaging"))
    quotes = [q.text() for q in tree.css("blockquote.mg-quote")]
    assert sorted(quotes) == sorted([COAST_LINES["deal"], COAST_LINES["partners"]])


def test_entity_html_labels_deal_edges_with_type_date_and_amount(coast_store):
    edges = graph_data(entity_html(coast_store, "org", "pinecrest-imaging"))["edges"]
    labels = {e["label"] for e in edges}
    assert "Acquisition · 2025-06 · EUR 85 million" in labels
    assert "Partnership" in labels


def test_entity_html_draws_neighbours_within_depth(coast_store):
    near = _nodes(entity_html(coast_store, "org", "pinecrest-imaging"))
    far = _nodes(entity_html(coast_store, "org", "pinecrest-imaging", depth=2))
    assert set(near) == {iri(PINECREST), iri(HALVORSEN), iri(SALTMARSH)}
    assert set(far) == set(near) | {iri(ATLAS), iri(RIDGEWAY)}


def test_entity_html_links_parties_to_rest_resources(coast_store):
    tree = HTMLParser(entity_html(coast_store, "org", "pinecrest-imaging"))
    links = {a.attributes["href"] for a in tree.css("#facts a")}
    assert "/entities/org/pinecrest-imaging" in links
    assert "/entities/org/halvorsen-geodata" in links
    assert "/view/org/saltmarsh-labs" in links


def test_entity_html_sparql_links_run_and_find_the_facts(coast_store):
    tree = HTMLParser(entity_html(coast_store, "org", "pinecrest-imaging"))
    queries = [
        parse_qs(urlparse(a.attributes["href"]).query)["query"][0]
        for a in tree.css("#facts a")
        if a.attributes["href"].startswith("/sparql?")
    ]
    assert len(queries) == 3  # the entity, the acquisition, the partnership
    for query in queries:
        assert coast_store.select(query), query


def test_entity_html_unknown_entity_raises(coast_store):
    with pytest.raises(UnknownEntity, match="no org with the slug 'nobody'"):
        entity_html(coast_store, "org", "nobody")


def test_entity_html_rejects_depth_out_of_range(coast_store):
    with pytest.raises(InputError, match="depth"):
        entity_html(coast_store, "org", "pinecrest-imaging", depth=4)


# ------------------------------------------------------------------ escaping

HOSTILE_NAMES = [HOSTILE_SCRIPT, HOSTILE_IMG]


def _hostile_pages(store):
    return {
        "overview": overview_html(store),
        "standalone": overview_html(store, asset_base=None),
        "script-org": entity_html(store, "org", "script-alert-1-script"),
        "img-org": entity_html(store, "org", "img-src-x-onerror-alert-1"),
    }


@pytest.mark.parametrize("which", ["overview", "standalone", "script-org", "img-org"])
def test_pages_never_hold_hostile_names_as_markup(hostile_store, which):
    page = _hostile_pages(hostile_store)[which]
    for name in [*HOSTILE_NAMES, HOSTILE_ALIAS]:
        assert name not in page
    assert "<img" not in page
    assert "alert(1)</script>" not in page
    tree = HTMLParser(page)
    assert tree.css("img") == []
    # Only the page's own scripts: the data block and vis-network's and ours.
    assert len(tree.css("script")) == 3
    assert all(s.attributes.get("nonce") for s in tree.css("script:not(#graph-data)"))


@pytest.mark.parametrize("which", ["overview", "standalone", "script-org", "img-org"])
def test_pages_show_hostile_names_literally(hostile_store, which):
    data = graph_data(_hostile_pages(hostile_store)[which])
    nodes = {n["id"]: n for n in data["nodes"]}
    assert {n["label"] for n in nodes.values()} == set(HOSTILE_NAMES)
    script_node = nodes[iri(SCRIPT_ORG)]
    assert HOSTILE_ALIAS in script_node["names"]
    tooltip = HTMLParser(script_node["title"])
    assert tooltip.css("script, img") == []
    assert HOSTILE_SCRIPT in tooltip.text() and HOSTILE_ALIAS in tooltip.text()
    for edge in data["edges"]:
        quote = HTMLParser(edge["title"])
        assert quote.css("script, img") == []
        assert HOSTILE_LINE in quote.text()


@pytest.mark.parametrize(
    ("slug", "name"),
    [("script-alert-1-script", HOSTILE_SCRIPT), ("img-src-x-onerror-alert-1", HOSTILE_IMG)],
)
def test_entity_html_heading_and_quote_are_text(hostile_store, slug, name):
    tree = HTMLParser(entity_html(hostile_store, "org", slug))
    assert tree.css_first("#entity-name").text() == name
    assert [q.text() for q in tree.css("blockquote")] == [HOSTILE_LINE]
    other = ({HOSTILE_SCRIPT, HOSTILE_IMG} - {name}).pop()
    assert other in [a.text() for a in tree.css(".mg-parties a")]
    assert iri(IMG_ORG) in tree.css_first("script#graph-data").text()


@pytest.mark.parametrize(
    "value",
    [
        {"name": "</script><script>alert(1)</script>"},
        {"name": "<!-- <script>"},
        ["a & b", "x > y", "line\u2028break"],
    ],
)
def test_script_json_cannot_end_the_script_element(value):
    text = str(script_json(value))
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert "\u2028" not in text
    assert json.loads(text) == value


# ------------------------------------------------------------------ text


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("85000000"), "EUR", "EUR 85 million"),
        (Decimal("1250000000"), "USD", "USD 1.25 billion"),
        (Decimal("2000000000000"), None, "2 trillion"),
        (Decimal("250000"), "GBP", "GBP 250,000"),
        (None, "USD", ""),
    ],
)
def test_format_amount_reads_like_a_report(amount, currency, expected):
    assert format_amount(amount, currency) == expected
