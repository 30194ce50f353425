"""The application as a whole: docs, CORS, error bodies, store lifetime, page routes."""

from __future__ import annotations

import pytest
from api_market import make_client
from fastapi.testclient import TestClient

from marketgraph.api.app import create_app
from marketgraph.graph.store import open_store
from marketgraph.settings import Settings


def test_app_openapi_documents_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        "/sparql", "/health", "/reports", "/reports/{report_id}", "/entities",
        "/entities/{kind}/{slug}", "/entities/{kind}/{slug}/neighbors", "/deals",
        "/observations", "/segments", "/regions", "/paths",
    }  # fmt: skip
    assert expected <= set(paths)
    assert set(paths["/sparql"]) == {"get", "post"}


def test_app_serves_the_docs_page(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert "swagger" in r.text.lower()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/no/such/page", 404),
        ("put", "/reports", 405),
        ("get", "/entities?limit=abc", 422),
        ("get", "/entities/org/nobody", 404),
        ("get", "/sparql?query=SELECT", 400),
    ],
)
def test_app_errors_are_one_line_json_details(client, method, path, status):
    r = client.request(method, path)
    assert r.status_code == status
    body = r.json()
    assert list(body) == ["detail"]
    assert isinstance(body["detail"], str)
    assert body["detail"] and "\n" not in body["detail"]


def test_app_cors_allows_configured_origins_only(market_store):
    with make_client(market_store, cors_origins=["http://allowed.test"]) as c:
        ok = c.get("/health", headers={"Origin": "http://allowed.test"})
        assert ok.headers["access-control-allow-origin"] == "http://allowed.test"
        assert "X-Result-Truncated" in ok.headers["access-control-expose-headers"]
        other = c.get("/health", headers={"Origin": "http://elsewhere.test"})
        assert "access-control-allow-origin" not in other.headers


def test_app_without_cors_origins_sends_no_cors_headers(client):
    r = client.get("/health", headers={"Origin": "http://allowed.test"})
    assert "access-control-allow-origin" not in r.headers


def test_app_opens_and_closes_the_settings_store(tmp_path):
    settings = Settings(store=tmp_path / "store", backend="oxigraph")
    with TestClient(create_app(settings)) as c:
        assert c.get("/health").json()["reports"] == 0
    # Closed at shutdown: the lock is free for the next owner.
    with open_store(tmp_path / "store") as again:
        assert again.reports() == []


def test_app_leaves_a_given_store_open(market_store):
    with make_client(market_store) as c:
        assert c.get("/health").status_code == 200
    assert len(market_store.reports()) == 2


def test_app_includes_the_graph_pages(client):
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")


def test_app_includes_the_analytics_routes(client):
    assert any(p.startswith("/analytics/") for p in client.get("/openapi.json").json()["paths"])
