"""The REST API over the invented market (see api_market.py for what the reports say)."""

from __future__ import annotations

import hashlib

import pytest
from api_market import GADGETS, WIDGETS, auth, facts_of, make_client, span

from marketgraph.extract.facts import Ref

ORG = "https://w3id.org/marketgraph/id/org/"


def items(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["items"]


def labels(response) -> list[str]:
    return [i["label"] for i in items(response)]


def report_names(client) -> list[str]:
    return [r["source_name"] for r in items(client.get("/reports"))]


# --------------------------------------------------------------------------- service


def test_health_counts_reports_and_quads(client):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["reports"] == 2
    assert body["quads"] > 100


# --------------------------------------------------------------------------- reports


def test_reports_lists_both_reports_by_name(client):
    r = client.get("/reports")
    assert r.json()["total"] == 2
    assert [(i["id"], i["source_name"], i["format"]) for i in items(r)] == [
        ("gadgets-md", "gadgets.md", "md"),
        ("widgets-txt", "widgets.txt", "txt"),
    ]
    assert items(r)[1]["sha256"] == hashlib.sha256(WIDGETS.encode()).hexdigest()


def test_reports_page_by_limit_and_offset(client):
    r = client.get("/reports", params={"limit": 1, "offset": 1})
    assert [i["id"] for i in items(r)] == ["widgets-txt"]
    assert r.json()["total"] == 2


@pytest.mark.parametrize("name", ["widgets-txt", "widgets.txt"])
def test_report_found_by_slug_or_name(client, name):
    assert client.get(f"/reports/{name}").json()["title"] == "Synthetic Widget Data Market"


def test_report_unknown_is_404_naming_the_reports(client):
    r = client.get("/reports/nothing-here")
    assert r.status_code == 404
    assert "gadgets.md" in r.json()["detail"]


# --------------------------------------------------------------------------- entities


@pytest.mark.parametrize("q", ["quill", "QUILLON", "inc."])
def test_entities_search_matches_labels_and_alt_labels_in_any_case(client, q):
    r = client.get("/entities", params={"q": q})
    assert [i["iri"] for i in items(r)] == [ORG + "quillon-data"]
    assert items(r)[0]["alt_labels"] == ["Quillon Data Inc."]


def test_entities_search_ranks_prefix_matches_first(client):
    # "Data Modality" starts with the text; the other two only contain it.
    r = client.get("/entities", params={"q": "data"})
    assert labels(r) == ["Data Modality", "Quillon Data", "Synthetic Widget Data"]


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("org", ["Brindle Labs", "Mossgrove AI", "Quillon Data", "Tarn Capital"]),
        ("Organization", ["Brindle Labs", "Mossgrove AI", "Quillon Data", "Tarn Capital"]),
        ("country", ["Canada", "Germany"]),
        ("dataset", ["Vellum Corpus"]),
    ],
)
def test_entities_filter_by_kind_or_class(client, type_name, expected):
    assert labels(client.get("/entities", params={"type": type_name})) == expected


def test_entities_pages_keep_the_total(client):
    r = client.get("/entities", params={"type": "org", "limit": 2, "offset": 2})
    assert labels(r) == ["Quillon Data", "Tarn Capital"]
    assert r.json()["total"] == 4


def test_entities_unknown_type_is_400_listing_the_kinds(client):
    r = client.get("/entities", params={"type": "planet"})
    assert r.status_code == 400
    assert "org" in r.json()["detail"]


def test_entity_detail_has_labels_reports_and_facts_with_provenance(client):
    body = client.get("/entities/org/quillon-data").json()
    assert body["label"] == "Quillon Data"
    assert body["alt_labels"] == ["Quillon Data Inc."]
    assert len(body["reports"]) == 2
    facts = {(f["direction"], f["predicate"]) for f in body["facts"]}
    assert {("in", "mg:acquirer"), ("in", "mg:participant"), ("in", "mg:leader")} <= facts
    (acquirer,) = [f for f in body["facts"] if f["predicate"] == "mg:acquirer"]
    assert acquirer["other_types"] == ["mg:Acquisition"]
    (mention,) = acquirer["mentions"]
    assert mention["text"].startswith("Quillon Data Inc. acquired Brindle Labs")
    assert WIDGETS[mention["start"] : mention["end"]] == mention["text"]
    assert mention["report"].endswith("/report/widgets-txt")


def test_entity_detail_mentions_index_the_report_text(client):
    body = client.get("/entities/org/mossgrove-ai").json()
    texts = {"widgets-txt": WIDGETS, "gadgets-md": GADGETS}
    assert len(body["mentions"]) == 2
    for m in body["mentions"]:
        content = texts[m["report"].rsplit("/", 1)[-1]]
        assert content[m["start"] : m["end"]] == m["text"] == "Mossgrove AI"


def test_entity_detail_out_facts_name_the_other_end(client):
    body = client.get("/entities/region/germany").json()
    (part_of,) = [f for f in body["facts"] if f["predicate"] == "mg:partOf"]
    assert part_of["direction"] == "out"
    assert part_of["other"]["label"] == "Europe"
    assert part_of["other"]["slug"] == "europe"
    assert "mg:Country" in body["types"]


def test_entity_detail_literal_facts_keep_their_datatype(client):
    body = client.get("/entities/dataset/vellum-corpus").json()
    (publisher,) = [f for f in body["facts"] if f["predicate"] == "mg:publisher"]
    assert publisher["other"]["iri"] == ORG + "brindle-labs"
    assert publisher["datatype"] is None


def test_entity_detail_of_a_segment_has_a_nested_slug(client):
    body = client.get("/entities/segment/data-modality/text").json()
    assert (body["kind"], body["slug"], body["label"]) == ("segment", "data-modality/text", "Text")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/entities/org/nobody-at-all", 404),
        ("/entities/planet/mars", 400),
        ("/entities/org/Not A Slug", 400),
    ],
)
def test_entity_detail_errors(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert r.json()["detail"]


def fact_keys(body: dict) -> list[tuple[str, str, str]]:
    return [(f["direction"], f["predicate"], f["value"]) for f in body["facts"]]


def test_entity_detail_facts_come_out_before_in_then_by_predicate(client):
    vellum = client.get("/entities/dataset/vellum-corpus").json()
    assert [(d, p) for d, p, _ in fact_keys(vellum)] == [
        ("out", "mg:publisher"),
        ("in", "mg:launched"),
    ]
    quillon = client.get("/entities/org/quillon-data").json()
    assert [p for _, p, _ in fact_keys(quillon)] == ["mg:acquirer", "mg:leader", "mg:participant"]


def test_entity_detail_pages_of_one_fact_add_up_to_the_whole_list(client):
    whole = client.get("/entities/org/quillon-data").json()
    assert whole["facts_total"] == len(whole["facts"]) == 3
    assert (whole["limit"], whole["offset"]) == (100, 0)
    pages = [
        client.get("/entities/org/quillon-data", params={"limit": 1, "offset": n}).json()
        for n in range(3)
    ]
    assert [p["facts_total"] for p in pages] == [3, 3, 3]
    # Each fact keeps its reports and passages on a page of its own.
    assert [f for p in pages for f in p["facts"]] == whole["facts"]


def test_entity_detail_page_past_the_end_is_empty_with_the_total(client):
    body = client.get("/entities/org/quillon-data", params={"offset": 3}).json()
    assert body["facts"] == []
    assert body["facts_total"] == 3
    assert body["label"] == "Quillon Data"


def test_entity_detail_mentions_are_capped_with_their_total(client):
    whole = client.get("/entities/org/mossgrove-ai").json()
    first = client.get("/entities/org/mossgrove-ai", params={"mention_limit": 1}).json()
    none = client.get("/entities/org/mossgrove-ai", params={"mention_limit": 0}).json()
    assert whole["mentions_total"] == first["mentions_total"] == none["mentions_total"] == 2
    # Text order puts the report whose IRI sorts first ahead.
    assert [m["report"].rsplit("/", 1)[-1] for m in whole["mentions"]] == [
        "gadgets-md",
        "widgets-txt",
    ]
    assert first["mentions"] == whole["mentions"][:1]
    assert none["mentions"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 1001},
        {"limit": "many"},
        {"offset": -1},
        {"mention_limit": -1},
        {"mention_limit": 1001},
    ],
)
def test_entity_detail_bad_page_is_422_naming_the_parameter(client, params):
    r = client.get("/entities/org/quillon-data", params=params)
    assert r.status_code == 422
    assert next(iter(params)) in r.json()["detail"]


def test_neighbors_depth_one_reaches_events_and_direct_links(client):
    body = client.get("/entities/org/brindle-labs/neighbors").json()
    kinds = sorted(n["kind"] or "fact" for n in body["nodes"])
    # Brindle Labs itself, the dataset it publishes, the acquisition and the launch.
    assert kinds == ["dataset", "fact", "fact", "org"]
    assert body["truncated"] is False


def test_neighbors_depth_two_reaches_the_counterparty(client):
    body = client.get("/entities/org/brindle-labs/neighbors", params={"depth": 2}).json()
    iris = {n["iri"] for n in body["nodes"]}
    assert ORG + "quillon-data" in iris
    assert ORG + "tarn-capital" not in iris
    assert all({e["source"], e["target"]} <= iris for e in body["edges"])


def test_neighbors_of_a_segment_route_past_the_nested_slug(client):
    body = client.get("/entities/segment/data-modality/text/neighbors").json()
    assert body["center"].endswith("/segment/data-modality/text")


def test_neighbors_depth_out_of_range_is_422(client):
    r = client.get("/entities/org/brindle-labs/neighbors", params={"depth": 9})
    assert r.status_code == 422
    assert "depth" in r.json()["detail"]


# --------------------------------------------------------------------------- deals


def deal_types(response) -> list[str]:
    return [d["type"] for d in items(response)]


def test_deals_are_newest_first_without_launches(client):
    r = client.get("/deals")
    assert [(d["type"], d["date"]) for d in items(r)] == [
        ("FundingRound", "2026-01"),
        ("Acquisition", "2025-03"),
        ("Partnership", "2024"),
    ]


def test_deals_carry_figures_as_numbers_and_parties(client):
    (deal,) = items(client.get("/deals", params={"type": "Acquisition"}))
    assert deal["amount"] == 120_000_000
    assert deal["currency"] == "USD"
    assert deal["status"] == "completed"
    roles = {(p["role"], p["entity"]["label"]) for p in deal["parties"]}
    assert roles == {("acquirer", "Quillon Data"), ("acquired", "Brindle Labs")}
    assert deal["mentions"][0]["text"].startswith("Quillon Data Inc. acquired")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Launch"}, ["Launch"]),
        ({"type": "fundinground"}, ["FundingRound"]),
        ({"party": "Quillon Data Inc."}, ["Acquisition", "Partnership"]),
        ({"party": "org/tarn-capital"}, ["FundingRound"]),
        ({"party": ORG + "brindle-labs"}, ["Acquisition"]),
        ({"since": "2025"}, ["FundingRound", "Acquisition"]),
        ({"until": "2025"}, ["Acquisition", "Partnership"]),
        # A deal dated only to the month overlaps a day inside that month.
        ({"since": "2025-03-20", "until": "2025-12"}, ["Acquisition"]),
        ({"min_amount": "50000000"}, ["Acquisition"]),
        ({"currency": "usd"}, ["FundingRound", "Acquisition"]),
    ],
)
def test_deals_filters(client, params, expected):
    assert deal_types(client.get("/deals", params=params)) == expected


@pytest.mark.parametrize("params", [{"type": "Merger"}, {"since": "March"}, {"min_amount": "lots"}])
def test_deals_bad_filters_are_400(client, params):
    r = client.get("/deals", params=params)
    assert r.status_code == 400
    assert r.json()["detail"]


# --------------------------------------------------------------------------- observations


def test_observations_list_every_figure(client):
    r = client.get("/observations")
    assert r.json()["total"] == 4
    assert {o["measure"] for o in items(r)} == {"MarketSize", "CAGR", "MarketShare"}


def test_observations_cagr_has_its_period_and_unit(client):
    (cagr,) = items(client.get("/observations", params={"measure": "cagr"}))
    assert (cagr["value"], cagr["unit"], cagr["period_end"]) == (18.2, "percent", 2030)
    assert cagr["market"]["label"] == "Synthetic Widget Data"


@pytest.mark.parametrize(
    ("params", "values"),
    [
        ({"segment": "Text"}, [41.5]),
        ({"segment": "region/north-america"}, [38]),
        ({"segment": "market", "measure": "MarketSize"}, [2_500_000_000]),
        ({"year": 2030}, [18.2]),
        ({"year": 2025, "measure": "MarketShare"}, [41.5]),
    ],
)
def test_observations_filters(client, params, values):
    assert [o["value"] for o in items(client.get("/observations", params=params))] == values


def test_observations_unknown_measure_is_400(client):
    assert client.get("/observations", params={"measure": "Revenue"}).status_code == 400


# --------------------------------------------------------------------------- trees


def test_segments_group_by_dimension(client):
    (dimension,) = client.get("/segments").json()
    assert dimension["label"] == "Data Modality"
    assert [s["label"] for s in dimension["segments"]] == ["Text"]
    assert [m["label"] for m in dimension["markets"]] == ["Synthetic Widget Data"]


def test_regions_form_a_tree_by_part_of(client):
    tree = client.get("/regions").json()
    shape = [(r["label"], [(c["label"], c["country"]) for c in r["children"]]) for r in tree]
    assert shape == [("Europe", [("Germany", True)]), ("North America", [("Canada", True)])]


# --------------------------------------------------------------------------- paths


def test_paths_link_two_entities_through_facts(client):
    body = client.get("/paths", params={"from": "Tarn Capital", "to": "quillon data"}).json()
    (path,) = body["paths"]
    assert [(s["source"]["label"], s["relation"], s["target"]["label"]) for s in path] == [
        ("Tarn Capital", "FundingRound", "Mossgrove AI"),
        ("Mossgrove AI", "Partnership", "Quillon Data"),
    ]
    assert "Series B" in path[0]["sentence"]


def test_paths_too_short_a_limit_finds_none(client):
    params = {"from": "Tarn Capital", "to": "Quillon Data", "max_len": 1}
    assert client.get("/paths", params=params).json()["paths"] == []


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from": "Nobody Inc", "to": "Quillon Data"}, 404),
        ({"from": "Quillon Data", "to": "org/quillon-data"}, 400),
        ({"from": "Quillon Data"}, 422),
    ],
)
def test_paths_errors(client, params, status):
    assert client.get("/paths", params=params).status_code == status


# --------------------------------------------------------------------------- writes

ZEPHYR = "Zephyr Widgets Review\nZephyr Robotics sells widget kits across Europe.\n"


class FakeExtractor:
    """Finds the one company of ZEPHYR, so uploads need no NLP model."""

    def pipe(self, documents, n_process=1):
        for doc in documents:
            facts = facts_of(doc.source_name, doc.text)
            facts.sha256 = doc.sha256
            facts.title = doc.title
            if "Zephyr Robotics" in doc.text:
                facts.entity(Ref("org", "Zephyr Robotics")).mentions.append(
                    span(doc.text, "Zephyr Robotics")
                )
            yield facts


def upload(client, name: str, data: bytes, headers=None):
    return client.post("/reports", files={"file": (name, data)}, headers=headers or auth())


def test_upload_builds_the_report_into_the_store(writable):
    client, _ = writable
    client.app.state.extractor = FakeExtractor()
    r = upload(client, "zephyr.txt", ZEPHYR.encode())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["report"]["source_name"] == "zephyr.txt"
    assert body["report"]["title"] == "Zephyr Widgets Review"
    assert body["replaced"] is False
    assert body["counts"]["org"] == 1
    assert report_names(client) == ["gadgets.md", "widgets.txt", "zephyr.txt"]
    assert labels(client.get("/entities", params={"q": "zephyr"})) == ["Zephyr Robotics"]


def test_upload_again_replaces_the_report(writable):
    client, _ = writable
    client.app.state.extractor = FakeExtractor()
    upload(client, "zephyr.txt", ZEPHYR.encode())
    r = upload(client, "zephyr.txt", b"Zephyr Notes\nNothing named here at all.\n")
    assert r.json()["replaced"] is True
    assert report_names(client).count("zephyr.txt") == 1
    assert client.get("/entities", params={"q": "zephyr"}).json()["total"] == 0


def test_upload_refreshes_paths(writable):
    client, _ = writable
    client.app.state.extractor = FakeExtractor()
    before = client.get("/paths", params={"from": "Zephyr Robotics", "to": "Quillon Data"})
    assert before.status_code == 404
    upload(client, "zephyr.txt", ZEPHYR.encode())
    after = client.get("/paths", params={"from": "Zephyr Robotics", "to": "Quillon Data"})
    # Zephyr Robotics is now known (though linked to nothing).
    assert after.status_code == 200
    assert after.json()["paths"] == []


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("notes.docx", b"PK\x03\x04 not a report", 415, ".txt"),
        ("empty.txt", b"", 400, "empty"),
    ],
)
def test_upload_bad_files_are_refused_and_change_nothing(writable, name, data, status, words):
    client, store = writable
    client.app.state.extractor = FakeExtractor()
    size = len(store)
    r = upload(client, name, data)
    assert r.status_code == status
    assert words in r.json()["detail"]
    assert len(store) == size


def test_upload_over_the_size_limit_is_413(market_store):
    settings = {"allow_update": True, "update_token": "t", "max_upload_bytes": 64}
    with make_client(market_store, **settings) as small:
        small.app.state.extractor = FakeExtractor()
        r = upload(small, "zephyr.txt", ZEPHYR.encode() * 4, headers=auth("t"))
        assert r.status_code == 413
        assert "MARKETGRAPH_MAX_UPLOAD_BYTES" in r.json()["detail"]
    assert len(market_store.reports()) == 2


def test_upload_without_the_token_is_401(writable):
    client, store = writable
    client.app.state.extractor = FakeExtractor()
    r = client.post("/reports", files={"file": ("zephyr.txt", ZEPHYR.encode())})
    assert r.status_code == 401
    assert len(store.reports()) == 2


def test_writes_on_a_read_only_server_are_403(client):
    r = upload(client, "zephyr.txt", ZEPHYR.encode())
    assert r.status_code == 403
    assert client.delete("/reports/widgets-txt", headers=auth()).status_code == 403
    assert report_names(client) == ["gadgets.md", "widgets.txt"]


def test_delete_removes_the_report_and_what_only_it_said(writable):
    client, _ = writable
    r = client.delete("/reports/gadgets-md", headers=auth())
    assert r.status_code == 200
    assert r.json()["source_name"] == "gadgets.md"
    assert report_names(client) == ["widgets.txt"]
    assert client.get("/entities/dataset/vellum-corpus").status_code == 404
    assert client.get("/entities/org/quillon-data").status_code == 200


def test_delete_unknown_report_is_404_and_changes_nothing(writable):
    client, store = writable
    size = len(store)
    assert client.delete("/reports/nothing-here", headers=auth()).status_code == 404
    assert len(store) == size


def test_delete_without_the_token_is_401(writable):
    client, store = writable
    assert client.delete("/reports/gadgets-md").status_code == 401
    assert len(store.reports()) == 2
