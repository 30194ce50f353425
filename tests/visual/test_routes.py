"""The graph pages over HTTP, with one client for the module."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from visual_data import (
    COAST_LINES,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    coast_facts,
    graph_data,
    hostile_facts,
    load,
    make_app,
    star_facts,
)

from marketgraph.api.deps import GraphCache
from marketgraph.extract.facts import Entity, Observation, Ref, ReportFacts, Span


@pytest.fixture(scope="module")
def client():
    with TestClient(make_app(load(coast_facts(), hostile_facts()))) as test_client:
        yield test_client


def test_overview_route_serves_the_graph_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    labels = {n["label"] for n in graph_data(response.text)["nodes"]}
    assert {"Halvorsen Geodata", "Ridgeway Partners", HOSTILE_SCRIPT} <= labels


def test_overview_route_focus_on_unknown_entity_is_a_404_page(client):
    response = client.get("/", params={"focus": "<b>Nobody</b>"})
    assert response.status_code == 404
    message = HTMLParser(response.text).css_first("#message")
    assert "'<b>Nobody</b>'" in message.text()
    assert "<b>Nobody" not in response.text


def test_overview_route_uses_the_node_budget_setting():
    with TestClient(make_app(load(star_facts(11)), node_budget=10)) as small:
        page = small.get("/").text
    nodes = graph_data(page)["nodes"]
    assert len([n for n in nodes if not n.get("aggregate")]) == 10
    assert [n["label"] for n in nodes if n.get("aggregate")] == ["+2 organizations"]
    assert "2 left out" in HTMLParser(page).css_first("#truncated").text()


def test_entity_route_quotes_sources(client):
    response = client.get("/view/org/saltmarsh-labs")
    assert response.status_code == 200
    quotes = [q.text() for q in HTMLParser(response.text).css("blockquote")]
    assert sorted(quotes) == sorted([COAST_LINES["partners"], COAST_LINES["round"]])


def test_entity_route_depth_parameter_widens_the_view(client):
    near = graph_data(client.get("/view/org/saltmarsh-labs").text)["nodes"]
    far = graph_data(client.get("/view/org/saltmarsh-labs", params={"depth": 2}).text)["nodes"]
    assert len(near) == 3 and len(far) == 4


@pytest.mark.parametrize(
    "path", ["/view/org/nobody", "/view/planet/saltmarsh-labs", "/view/org/%3Cscript%3E"]
)
def test_entity_route_unknown_entity_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert HTMLParser(response.text).css_first("h1").text() == "Not found"
    assert "<script>" not in response.text.split("</head>")[1]


def test_entity_route_rejects_depth_out_of_range(client):
    assert client.get("/view/org/saltmarsh-labs", params={"depth": 9}).status_code == 422


@pytest.mark.parametrize(
    ("name", "media"),
    [("vis-network.min.js", "text/javascript"), ("vis-network.css", "text/css")],
)
def test_asset_route_serves_vis_from_the_pyvis_package(client, name, media):
    response = client.get(f"/static/vis/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.content == files("pyvis").joinpath("lib", "vis-9.1.2", name).read_bytes()


def test_asset_route_serves_the_page_script(client):
    response = client.get("/static/vis/graph.js")
    assert response.status_code == 200
    assert b"stabilizationIterationsDone" in response.content


@pytest.mark.parametrize("name", ["secrets.txt", "..%2Fpages.py", "tom-select.css"])
def test_asset_route_refuses_other_files(client, name):
    assert client.get(f"/static/vis/{name}").status_code == 404


def test_pages_reuse_the_application_graph_cache():
    app = make_app(load(coast_facts()))
    app.state.graph_cache = GraphCache()
    with TestClient(app) as cached:
        assert cached.get("/view/org/saltmarsh-labs").status_code == 200
        # The cache now holds the entity graph the page was drawn from.
        held = app.state.graph_cache.get(lambda: None)
        assert isinstance(held, nx.MultiDiGraph) and "events" in held.graph
        held.nodes[next(n for n in held if n.endswith("/saltmarsh-labs"))]["label"] = "Renamed"
        page = cached.get("/view/org/saltmarsh-labs").text
    assert HTMLParser(page).css_first("#entity-name").text() == "Renamed"


def test_segment_pages_use_the_scoped_slug():
    content = "Aerial surveys held 40% of coastal survey data in 2025.\n"
    aerial = Ref("segment", "Aerial", "Survey Method")
    facts = ReportFacts("segments.txt", "ab" * 32, content)
    facts.entities[aerial] = Entity(aerial)
    facts.observations.append(
        Observation(
            "MarketShare",
            Decimal("40"),
            Ref("market", "Coastal Survey Data"),
            segment=aerial,
            year=2025,
            mentions=[Span(0, len(content) - 1, content.strip())],
        )
    )
    with TestClient(make_app(load(facts))) as segments:
        overview = graph_data(segments.get("/").text)
        page = segments.get("/view/segment/survey-method/aerial")
    urls = {n["label"]: n["url"] for n in overview["nodes"]}
    assert urls["Aerial"] == "/view/segment/survey-method/aerial"
    assert page.status_code == 200
    assert [q.text() for q in HTMLParser(page.text).css("blockquote")] == [content.strip()]


@pytest.mark.parametrize(
    ("path", "heading"), [("/view/deals", "Deals"), ("/view/market", "Market")]
)
def test_deals_and_market_routes_serve_their_pages(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert HTMLParser(response.text).css_first("h1").text() == heading


@pytest.mark.parametrize("path", ["/", "/view/deals"])
def test_routes_limit_graph_pages_to_the_report_asked(client, path):
    def labels(report: str) -> set[str]:
        page = client.get(path, params={"report": report}).text
        return {n["label"] for n in graph_data(page)["nodes"]}

    everything, coast, hostile = labels(""), labels("coast.txt"), labels("hostile.txt")
    assert {HOSTILE_SCRIPT, "Saltmarsh Labs"} <= everything
    assert "Saltmarsh Labs" in coast and HOSTILE_SCRIPT not in coast
    assert hostile == {HOSTILE_SCRIPT, HOSTILE_IMG}


def test_market_route_limits_the_page_to_the_report_asked(client):
    coast = HTMLParser(client.get("/view/market", params={"report": "coast.txt"}).text)
    hostile = HTMLParser(client.get("/view/market", params={"report": "hostile.txt"}).text)
    assert [q.text() for q in coast.css(".mg-sources q")] == [COAST_LINES["size"]]
    assert "No market figures yet" in hostile.css_first("#summary").text()


@pytest.mark.parametrize("path", ["/", "/view/deals", "/view/market", "/view/org/saltmarsh-labs"])
def test_routes_unknown_report_is_a_404_page(client, path):
    response = client.get(path, params={"report": "<i>nowhere</i>.txt"})
    assert response.status_code == 404
    message = HTMLParser(response.text).css_first("#message").text()
    assert "no report named '<i>nowhere</i>.txt'" in message
    assert "<i>nowhere" not in response.text


def test_entity_route_outside_the_report_asked_is_a_404_page(client):
    response = client.get("/view/org/saltmarsh-labs", params={"report": "hostile.txt"})
    assert response.status_code == 404
    assert "hostile.txt" in HTMLParser(response.text).css_first("#message").text()
