"""The command line: every command's happy path and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marketgraph.cli import app

runner = CliRunner()

REPORT = """# Widget Coating Market Report

The widget coating market is expected to reach USD 2.4 billion by 2030.

## Recent developments

- In March 2026, Korvo Labs acquired Pellucid Data for USD 40 million.
"""


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A store holding one small report, built once for the module."""
    root = tmp_path_factory.mktemp("cli")
    report = root / "widgets.md"
    report.write_text(REPORT, encoding="utf-8")
    result = run("build", report, "--store", root / "store")
    assert result.exit_code == 0, result.output
    return root / "store"


def _snapshot(store: Path) -> str:
    result = run("export", "--store", store, "--out", store.parent / "snap.nq")
    assert result.exit_code == 0, result.output
    lines = (store.parent / "snap.nq").read_text().splitlines()
    return "\n".join(sorted(line for line in lines if "builtAt" not in line))


def test_build_prints_what_it_found(built):
    result = run("reports", "--store", built)
    assert result.exit_code == 0
    assert "widgets.md" in result.output


def test_export_format_follows_the_suffix(built, tmp_path):
    out = tmp_path / "g.jsonld"
    assert run("export", "--store", built, "--out", out).exit_code == 0
    assert isinstance(json.loads(out.read_text()), list | dict)


def test_query_prints_rows_as_json(built):
    result = run(
        "query",
        "SELECT ?name WHERE { ?r a mg:Report ; mg:sourceName ?name }",
        "--store",
        built,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["widgets.md"]


def test_query_reads_a_file_given_with_at(built, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("ASK { ?r a mg:Report }")
    result = run("query", f"@{q}", "--store", built)
    assert result.exit_code == 0
    assert result.output.strip() == "true"


def test_malformed_query_is_one_line_and_exit_1(built):
    result = run("query", "SELECT WHERE {", "--store", built)
    assert result.exit_code == 1
    assert "malformed SPARQL" in result.output


def test_stats_counts_classes(built):
    result = run("stats", "--store", built)
    assert result.exit_code == 0
    assert "mg:Report" in result.output


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "empty.txt").write_text("")
    (tmp / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp / "report.docx").write_text("hello")
    (tmp / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    (tmp / "garbage.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    return {
        "empty": (tmp / "empty.txt", "empty"),
        "binary": (tmp / "binary.txt", "UTF-8"),
        "suffix": (tmp / "report.docx", ".docx"),
        "missing": (tmp / "nowhere.txt", "nowhere.txt"),
        "truncated pdf": (tmp / "broken.pdf", "broken.pdf"),
        "malformed html": (tmp / "garbage.html", "garbage.html"),
    }


@pytest.mark.parametrize(
    "case", ["empty", "binary", "suffix", "missing", "truncated pdf", "malformed html"]
)
def test_bad_input_is_one_line_exit_1_and_store_unchanged(built, tmp_path, case):
    path, words = _bad_inputs(tmp_path)[case]
    before = _snapshot(built)
    result = run("build", path, "--store", built)
    assert result.exit_code == 1
    message = result.output.strip()
    assert "\n" not in message
    assert words in message
    assert _snapshot(built) == before


def test_bad_file_among_good_ones_writes_nothing(built, tmp_path):
    good = tmp_path / "good.md"
    good.write_text(REPORT)
    (tmp_path / "zero.md").write_text("")
    before = _snapshot(built)
    result = run("build", good, tmp_path / "zero.md", "--store", built)
    assert result.exit_code == 1
    assert _snapshot(built) == before


def test_remove_unknown_report_lists_known_ones(built):
    result = run("remove", "nope.md", "--store", built)
    assert result.exit_code == 1
    assert "widgets.md" in result.output


def test_export_to_unknown_suffix_is_refused(built, tmp_path):
    result = run("export", "--store", built, "--out", tmp_path / "g.xyz")
    assert result.exit_code == 1
    assert "suffix" in result.output


def test_remove_then_rebuild_round_trip(tmp_path):
    report = tmp_path / "w.md"
    report.write_text(REPORT)
    store = tmp_path / "s"
    assert run("build", report, "--store", store).exit_code == 0
    assert run("remove", "w.md", "--store", store).exit_code == 0
    assert "no reports" in run("reports", "--store", store).output


def test_visualize_writes_a_self_contained_page(built, tmp_path):
    out = tmp_path / "page.html"
    result = run("visualize", "--store", built, "--out", out, "--report", "widgets.md")
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "Korvo Labs" in html
    assert '<script src="http' not in html


def test_visualize_unknown_report_is_refused(built, tmp_path):
    result = run("visualize", "--store", built, "--out", tmp_path / "p.html", "--report", "x.md")
    assert result.exit_code == 1
    assert "widgets.md" in result.output
    assert not (tmp_path / "p.html").exists()


def test_reading_commands_refuse_a_store_that_does_not_exist(tmp_path):
    result = run("reports", "--store", tmp_path / "nothing")
    assert result.exit_code == 1
    assert "no store at" in result.output
    assert not (tmp_path / "nothing").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["build", "--jobs", "0", "report.txt"], "--jobs"),
        (["frobnicate"], "frobnicate"),
        (["export"], "--out"),
    ],
    ids=["bad option value", "unknown command", "missing option"],
)
def test_usage_errors_are_one_line_with_exit_2(args, words):
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "marketgraph"
    result = subprocess.run([str(cli), *args], capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert words in lines[0]
    assert "--help" in lines[0]
