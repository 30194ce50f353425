"""/analytics: rankings, paths, neighbourhoods and activity over the invented market."""

from __future__ import annotations

import pytest


def test_rank_lists_organizations_by_pagerank(client):
    rows = client.get("/analytics/rank", params={"type": "org"}).json()
    assert {r["kind"] for r in rows} == {"org"}
    assert {"Quillon Data", "Brindle Labs"} <= {r["label"] for r in rows}
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_path_explains_each_step_with_the_fact(client):
    chains = client.get(
        "/analytics/path", params={"from": "Quillon Data", "to": "Brindle Labs"}
    ).json()
    assert chains
    assert chains[0]["hops"] == 1
    assert "acquired" in chains[0]["text"]


def test_path_to_an_unknown_entity_is_404_with_one_line(client):
    r = client.get("/analytics/path", params={"from": "Quillon Data", "to": "Nobody Ltd"})
    assert r.status_code == 404
    assert "\n" not in r.json()["detail"]


def test_activity_counts_deals_by_year_and_type(client):
    body = client.get("/analytics/activity", params={"entity": "Quillon Data"}).json()
    assert body["years"]["2025"]["Acquisition"] == 1


def test_ego_holds_the_direct_neighbours(client):
    body = client.get("/analytics/ego", params={"entity": "Mossgrove AI", "radius": 1}).json()
    labels = {n["label"] for n in body["nodes"]}
    assert "Tarn Capital" in labels


@pytest.mark.parametrize(
    "params", [{"by": "fame"}, {"limit": 0}], ids=["unknown measure", "limit below one"]
)
def test_rank_rejects_bad_parameters_with_422(client, params):
    assert client.get("/analytics/rank", params=params).status_code == 422


def test_analysis_graph_is_queryable_by_sparql_after_a_write(writable):
    from api_market import auth

    client, _ = writable
    r = client.post(
        "/sparql",
        data={"update": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"},
        headers=auth(),
    )
    assert r.status_code in (200, 204)
    ask = client.get(
        "/sparql",
        params={"query": "ASK { GRAPH mgid:analysis { ?e mg:pageRank ?r } }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    assert ask["boolean"] is True
