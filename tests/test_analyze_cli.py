"""``marketgraph analyze``: commands over a small embedded store built from invented facts.

Three companies in a line: Quarry Optics bought Rivet Sensors, which
partners with Sable Maps; so Rivet is the hub, and Quarry reaches Sable
in two links.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from marketgraph.analyze import analyze_app
from marketgraph.extract.facts import Event, Ref, ReportFacts, Span
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import report_triples

QUARRY, RIVET, SABLE = (
    Ref("org", "Quarry Optics"),
    Ref("org", "Rivet Sensors"),
    Ref("org", "Sable Maps"),
)
LINES = [
    "Quarry Optics acquired Rivet Sensors in 2024.",
    "Rivet Sensors and Sable Maps partnered in 2025.",
]
TEXT = "\n".join(LINES) + "\n"

runner = CliRunner()


def _span(line: str) -> Span:
    start = TEXT.index(line)
    return Span(start, start + len(line), line)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analyze") / "store"
    facts = ReportFacts("optics.txt", "c3" * 32, TEXT)
    facts.events += [
        Event("Acquisition", roles={"acquirer": [QUARRY], "acquired": [RIVET]}, date="2024",
              mentions=[_span(LINES[0])]),
        Event("Partnership", roles={"participant": [RIVET, SABLE]}, date="2025",
              mentions=[_span(LINES[1])]),
    ]  # fmt: skip
    with open_store(folder) as store:
        store.replace_reports([report_triples(facts, fmt="txt", extractor_version="test")])
    return folder


def _run(*args: str):
    return runner.invoke(analyze_app, list(args))


def _json(*args: str):
    result = _run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_analyze_rank_json_lists_the_hub_first(store_dir):
    rows = _json("rank", "--store", str(store_dir))
    assert rows[0]["label"] == "Rivet Sensors"
    assert rows[0]["degree"] == 2
    assert rows[0]["betweenness"] == 1.0


def test_analyze_rank_table_shows_every_entity(store_dir):
    result = _run("rank", "--store", str(store_dir), "--by", "degree")
    assert result.exit_code == 0
    for name in ("Quarry Optics", "Rivet Sensors", "Sable Maps"):
        assert name in result.stdout


def test_analyze_path_prints_the_chain_and_its_sentences(store_dir):
    result = _run("path", "Quarry Optics", "Sable Maps", "--store", str(store_dir))
    assert result.exit_code == 0
    assert "Quarry Optics → acquired Rivet Sensors (2024) → partnered with Sable Maps (2025)" in (
        " ".join(result.stdout.split())
    )
    assert LINES[1] in result.stdout


def test_analyze_path_json_gives_links_with_sentences(store_dir):
    chains = _json("path", "org/quarry-optics", "Sable Maps", "--store", str(store_dir))
    assert len(chains) == 1
    assert [link["sentence"] for link in chains[0]["links"]] == LINES


def test_analyze_similar_json_scores_shared_neighbours(store_dir):
    found = _json("similar", "Quarry Optics", "--store", str(store_dir))
    assert [(s["label"], s["score"], s["shared"]) for s in found] == [
        ("Sable Maps", 1.0, ["Rivet Sensors"])
    ]


def test_analyze_ego_json_holds_the_neighbours(store_dir):
    ego = _json("ego", "Rivet Sensors", "--store", str(store_dir))
    assert {n["label"] for n in ego["nodes"]} == {"Quarry Optics", "Rivet Sensors", "Sable Maps"}
    assert len(ego["links"]) == 2


def test_analyze_communities_json_holds_the_linked_entities(store_dir):
    found = _json("communities", "--store", str(store_dir))
    assert sum(c["size"] for c in found) == 3


def test_analyze_activity_json_counts_deals_by_year(store_dir):
    found = _json("activity", "Rivet Sensors", "--store", str(store_dir))
    assert found["years"] == {"2024": {"Acquisition": 1}, "2025": {"Partnership": 1}}


def test_analyze_unknown_entity_is_one_line_error(store_dir):
    result = _run("similar", "Nobody Inc", "--store", str(store_dir))
    assert result.exit_code == 1
    assert "no entity named 'Nobody Inc'" in result.stderr
    assert "Traceback" not in result.output


def test_analyze_missing_store_says_how_to_fix(tmp_path):
    result = _run("rank", "--store", str(tmp_path / "absent"))
    assert result.exit_code == 1
    assert "marketgraph build" in result.stderr
