"""The graph pages as HTML: what they list, quote and link, and that names stay text."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib.resources import files
from urllib.parse import parse_qs, urlparse

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from visual_data import (
    AERIAL,
    ATLAS,
    COAST_LINES,
    FIGURE_LINES,
    HALVORSEN,
    HOSTILE_ALIAS,
    HOSTILE_FACTOR,
    HOSTILE_FIGURE,
    HOSTILE_IMG,
    HOSTILE_LINE,
    HOSTILE_SCRIPT,
    IMG_ORG,
    LOWMARK,
    PINECREST,
    RIDGEWAY,
    SALTMARSH,
    SCRIPT_ORG,
    SONAR,
    coast_facts,
    figures_facts,
    graph_data,
    hostile_facts,
    hostile_market_facts,
    iri,
    load,
    star_facts,
)

from marketgraph.errors import InputError, UnknownEntity
from marketgraph.extract.facts import Ref
from marketgraph.visual.market import market_html
from marketgraph.visual.pages import (
    DEAL_STYLES,
    KIND_STYLES,
    deals_html,
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
    drawn = [n["label"] for n in graph_data(page)["nodes"] if not n.get("aggregate")]
    assert drawn == ["Hubbard Mills"]
    message = HTMLParser(page).css_first("#truncated").text()
    assert " ".join(message.split()) == "Showing the 1 most central of 6 entities; 5 left out."


def test_overview_html_folds_the_rest_into_one_node_per_kind():
    page = overview_html(load(star_facts(5)), node_budget=1)
    data = graph_data(page)
    folded = [n for n in data["nodes"] if n.get("aggregate")]
    assert [(n["id"], n["label"], n["aggregate"], n["url"]) for n in folded] == [
        ("left-out:org", "+5 organizations", 5, None)
    ]
    hub = next(n["id"] for n in data["nodes"] if n["label"] == "Hubbard Mills")
    (edge,) = [e for e in data["edges"] if e["to"] == "left-out:org"]
    assert edge["from"] == hub
    assert "Hubbard Mills: 5 links" in HTMLParser(edge["title"]).text()
    # Folded entities cannot be searched for on the page: their names are not listed.
    assert folded[0]["names"] == []
    assert "5 organizations" in HTMLParser(page).css_first("#folded").text()


def test_overview_html_says_nothing_of_truncation_within_budget():
    page = overview_html(load(star_facts(5)), node_budget=6)
    assert len(graph_data(page)["nodes"]) == 6
    assert HTMLParser(page).css_first("#truncated") is None


def test_overview_html_keeps_and_focuses_the_focus_entity():
    page = overview_html(load(star_facts(5)), node_budget=1, focus="leaf works 3")
    data = graph_data(page)
    drawn = [n for n in data["nodes"] if not n.get("aggregate")]
    assert [n["label"] for n in drawn] == ["Leaf Works 3"]
    assert data["focus"] == drawn[0]["id"]


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


# ------------------------------------------------------------------ navigation and reports


def _two_report_store():
    return load(coast_facts(), star_facts(2))


@pytest.mark.parametrize(
    "render",
    [
        overview_html,
        deals_html,
        market_html,
        lambda store, **kw: entity_html(store, "org", "hubbard-mills", **kw),
    ],
)
def test_pages_link_to_each_other_and_keep_the_report(render):
    store = _two_report_store()
    links = [a.attributes["href"] for a in HTMLParser(render(store)).css("#nav a")]
    assert links[:3] == ["/", "/view/deals", "/view/market"]
    scoped = [
        a.attributes["href"] for a in HTMLParser(render(store, report="star.txt")).css("#nav a")
    ]
    assert scoped[:3] == [
        "/?report=star.txt",
        "/view/deals?report=star.txt",
        "/view/market?report=star.txt",
    ]


def test_report_picker_lists_reports_and_marks_the_chosen_one():
    tree = HTMLParser(overview_html(_two_report_store(), report="coast.txt"))
    options = [
        (o.attributes["value"], "selected" in o.attributes)
        for o in tree.css("#report-select option")
    ]
    assert options == [("", False), ("coast.txt", True), ("star.txt", False)]


def test_report_picker_is_absent_with_one_report(coast_store):
    assert HTMLParser(overview_html(coast_store)).css_first("#report-select") is None


def test_entity_html_of_one_report_keeps_links_in_it():
    page = entity_html(_two_report_store(), "org", "pinecrest-imaging", report="coast.txt")
    views = [n["url"] for n in graph_data(page)["nodes"]]
    assert views and all(u.endswith("?report=coast.txt") for u in views)
    depth = HTMLParser(page).css_first("a.mg-depth").attributes["href"]
    assert depth == "?report=coast.txt&depth=2"


def test_entity_html_of_a_report_without_it_raises():
    with pytest.raises(UnknownEntity, match=r"report 'star\.txt'"):
        entity_html(_two_report_store(), "org", "pinecrest-imaging", report="star.txt")


def test_overview_html_report_filter_lists_reports_and_nodes_carry_theirs():
    store = _two_report_store()
    page = overview_html(store)
    boxes = HTMLParser(page).css("#report-filter input[data-report]")
    coast, star = (str(r.iri) for r in sorted(store.reports(), key=lambda r: r.source_name))
    assert [b.attributes["data-report"] for b in boxes] == [coast, star]
    nodes = {n["label"]: n for n in graph_data(page)["nodes"]}
    assert nodes["Hubbard Mills"]["reports"] == [star]
    assert nodes["Halvorsen Geodata"]["reports"] == [coast]


def test_overview_html_of_one_report_has_no_report_filter():
    page = overview_html(_two_report_store(), report="star.txt")
    assert HTMLParser(page).css_first("#report-filter") is None


# ------------------------------------------------------------------ deals


def test_deals_html_draws_organizations_with_deals_only(coast_store):
    data = graph_data(deals_html(coast_store))
    labels = {n["label"] for n in data["nodes"]}
    assert labels == {
        "Halvorsen Geodata",
        "Pinecrest Imaging",
        "Saltmarsh Labs",
        "Ridgeway Partners",
    }
    assert {e["relation"] for e in data["edges"]} == {"Acquisition", "Partnership", "FundingRound"}


@pytest.mark.parametrize("relation", ["Acquisition", "Partnership", "FundingRound"])
def test_deals_html_styles_each_deal_type(coast_store, relation):
    (edge,) = [e for e in graph_data(deals_html(coast_store))["edges"] if e["relation"] == relation]
    style = DEAL_STYLES[relation]
    assert edge["color"]["color"] == style.color
    assert edge["dashes"] == (list(style.dashes) if style.dashes else False)


def test_deals_html_legend_shows_each_type_drawn_with_its_line(coast_store):
    items = HTMLParser(deals_html(coast_store)).css("#deal-legend label")
    found = {
        i.css_first("input").attributes["data-deal"]: i.css_first("line").attributes for i in items
    }
    assert set(found) == {"Acquisition", "Partnership", "FundingRound"}
    assert found["Acquisition"]["stroke"] == DEAL_STYLES["Acquisition"].color
    assert "stroke-dasharray" not in found["Acquisition"]
    assert found["Partnership"]["stroke-dasharray"] == " ".join(
        map(str, DEAL_STYLES["Partnership"].dashes)
    )


def test_deals_html_edges_carry_date_and_label(coast_store):
    edges = graph_data(deals_html(coast_store))["edges"]
    (deal,) = [e for e in edges if e["relation"] == "Acquisition"]
    assert (deal["date"], deal["label"]) == ("2025-06", "2025-06 · EUR 85 million")
    assert COAST_LINES["deal"] in HTMLParser(deal["title"]).text()
    (round_,) = [e for e in edges if e["relation"] == "FundingRound"]
    assert round_["date"] is None


def test_deals_html_summary_counts_deals_and_quiet_organizations():
    store = load(coast_facts(), figures_facts())
    text = " ".join(HTMLParser(deals_html(store)).css_first("#summary").text().split())
    assert text.startswith("3 deals between 4 organizations.")
    page = deals_html(load(star_facts(3)), node_budget=2)
    assert (
        "2 most central organizations; 2 left out"
        in HTMLParser(page).css_first("#truncated").text()
    )


# ------------------------------------------------------------------ market


@pytest.fixture
def market_page() -> HTMLParser:
    return HTMLParser(market_html(load(coast_facts(), figures_facts())))


def _bars(tree: HTMLParser, chart: str) -> dict[str, float]:
    figure = tree.css_first(f'figure[data-chart="{chart}"]')
    labels = [t.text() for t in figure.css(".mg-chart-label")]
    values = [float(r.attributes["data-value"]) for r in figure.css("rect.mg-bar")]
    return dict(zip(labels, values, strict=True))


def test_market_html_charts_size_by_year(market_page):
    assert _bars(market_page, "size") == {"2024": 310000000.0, "2026": 420000000.0}
    title = market_page.css_first('figure[data-chart="size"] figcaption').text()
    assert "Market size by year (EUR)" in title


def test_market_html_charts_share_by_segment(market_page):
    assert _bars(market_page, "share") == {"Aerial": 61.5, "Sonar": 22.0}
    share = market_page.css_first('figure[data-chart="share"]')
    assert share.css_first(".mg-chart-group").text() == "Survey Method"
    assert share.css_first("a").attributes["href"] == "/view/segment/survey-method/aerial"


def test_market_html_charts_drivers_and_restraints_by_impact(market_page):
    assert _bars(market_page, "factors") == {
        "Harbour dredging programmes": 2.4,
        "Permit delays": -1.1,
    }


def test_market_html_segment_tree_nests_segments_in_their_dimension(market_page):
    (dimension,) = market_page.css(".mg-segment-tree > li")
    assert dimension.css_first("a").text() == "Survey Method"
    segments = [li.css_first("a").text() for li in dimension.css("li.mg-segment")]
    assert segments == ["Aerial", "Sonar"]
    assert "share 61.5 % (2025)" in dimension.css_first("li.mg-segment").text()


def test_market_html_region_tree_nests_regions(market_page):
    (outer,) = market_page.css(".mg-region-tree > li")
    assert outer.css_first("a").text() == "Greater Ostia"
    assert [a.text() for a in outer.css("a")] == ["Greater Ostia", "Lowmark"]
    assert outer.css_first("ul").css_first("a").text() == "Lowmark"
    assert "size EUR 40 million (2025)" in outer.text()


def test_market_html_lists_every_number_with_its_sentence(market_page):
    quotes = {q.text() for q in market_page.css(".mg-sources q")}
    assert {FIGURE_LINES["aerial"], FIGURE_LINES["size-2024"], COAST_LINES["size"]} <= quotes


def test_market_html_of_one_report_shows_only_its_numbers():
    tree = HTMLParser(market_html(load(coast_facts(), figures_facts()), report="coast.txt"))
    assert tree.css('figure[data-chart="share"]') == []
    assert {q.text() for q in tree.css(".mg-sources q")} == {COAST_LINES["size"]}


def test_market_html_of_an_empty_store_says_so():
    from marketgraph.graph.store import open_store

    assert "No market figures yet" in HTMLParser(market_html(open_store(backend="memory"))).text()


def test_market_figures_give_segments_their_dimension():
    from marketgraph.graph.network import market_figures

    (record,) = market_figures(load(figures_facts()))
    assert record.dimensions == [iri(Ref("dimension", "Survey Method"))]
    shares = {f.segment: f.value for f in record.figures if f.measure == "MarketShare"}
    assert shares == {iri(AERIAL): Decimal("61.5"), iri(SONAR): Decimal("22")}
    assert [(f.kind, f.impact) for f in record.factors] == [
        ("Driver", Decimal("2.4")),
        ("Restraint", Decimal("-1.1")),
    ]


# ------------------------------------------------------------------ escaping

HOSTILE_NAMES = [HOSTILE_SCRIPT, HOSTILE_IMG]


def _hostile_pages(store):
    return {
        "overview": overview_html(store),
        "standalone": overview_html(store, asset_base=None),
        "script-org": entity_html(store, "org", "script-alert-1-script"),
        "img-org": entity_html(store, "org", "img-src-x-onerror-alert-1"),
        "deals": deals_html(store),
    }


GRAPH_PAGES = ["overview", "standalone", "script-org", "img-org", "deals"]


def _assert_no_markup(page: str, names: list[str]) -> None:
    for name in names:
        assert name not in page
    assert "<img" not in page and "<svg onload" not in page
    assert "alert(1)</script>" not in page
    assert HTMLParser(page).css("img") == []


@pytest.mark.parametrize("which", GRAPH_PAGES)
def test_pages_never_hold_hostile_names_as_markup(hostile_store, which):
    page = _hostile_pages(hostile_store)[which]
    _assert_no_markup(page, [*HOSTILE_NAMES, HOSTILE_ALIAS])
    tree = HTMLParser(page)
    # Only the page's own scripts: the data block and vis-network's and ours.
    assert len(tree.css("script")) == 3
    assert all(s.attributes.get("nonce") for s in tree.css("script:not(#graph-data)"))


def test_market_page_never_holds_hostile_names_as_markup():
    page = market_html(load(hostile_facts(), hostile_market_facts()))
    _assert_no_markup(page, [*HOSTILE_NAMES, HOSTILE_ALIAS, HOSTILE_FACTOR, HOSTILE_FIGURE])
    tree = HTMLParser(page)
    # No data block and no vis-network: only the page script, and no inline handler anywhere.
    assert [s.attributes.get("src") for s in tree.css("script")] == ["/static/vis/graph.js"]
    assert not [n for n in tree.css("*") if any(a.startswith("on") for a in n.attributes)]
    texts = {n.text() for n in tree.css("svg text, svg title, q, .mg-tree a, h2 a, option")}
    assert {HOSTILE_SCRIPT, HOSTILE_FACTOR, HOSTILE_FIGURE} <= texts
    # The report picker lists the hostile report's title as text.
    options = [o.text() for o in tree.css("#report-select option")]
    assert f"{HOSTILE_SCRIPT} (hostile.txt)" in options


@pytest.mark.parametrize("which", GRAPH_PAGES)
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
