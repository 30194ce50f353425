"""Extraction quality on whole reports, scored by the shared evaluation scripts.

The dev reports in ``reports/`` are invented markets written for these tests,
each with a hand-written gold file; the seed report and the acquisition news
items are the shared evaluation texts. Floors sit a little below the scores
reached when they were set, so a regression fails while noise does not.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from marketgraph.extract.pipeline import Extractor
from marketgraph.graph.build import build_documents, load_documents
from marketgraph.graph.store import open_store

pytestmark = pytest.mark.slow

REPORTS = Path(__file__).parent / "reports"

# (report file, macro-F1 floor). The last four follow the seed report's own layout (title,
# "Analysis by" line, takeaways, impact tables, scope tables); one is a publisher web page.
DEV_REPORTS = [
    ("agricultural-drone-market.md", 0.94),
    ("cold-chain-software-market.html", 0.94),
    ("medical-imaging-ai-digest.txt", 0.87),
    ("industrial-exoskeleton-market.txt", 0.96),
    ("carbon-capture-software-market.html", 0.96),
    ("pet-insurance-market.txt", 0.96),
    ("precision-fermentation-market.txt", 0.96),
    # Hold-outs in the seed's layout with reworded figures, deals and dates; scored once
    # before any extractor change for them (0.863, 0.893, 0.925), floors set after the fixes.
    ("hydrogen-electrolyzer-market.txt", 0.97),
    ("cyber-insurance-market.txt", 0.90),
    ("satellite-ground-station-market.txt", 0.97),
    # Two more hold-outs, scored once before the changes they exposed (0.808, 0.825).
    ("smart-glass-market.txt", 0.97),
    ("water-leak-detection-market.txt", 0.97),
    # Hold-outs with figures in year tables, shares in parentheses, "a compound annual growth
    # rate of", and deals such as "took full ownership of" or "inked a deal with"; scored once
    # before the changes they exposed (0.903, 0.897).
    ("bioplastics-packaging-market.txt", 0.97),
    ("geothermal-heat-pump-market.txt", 0.97),
    # Hold-out with shares glossing fractions ("nearly two-fifths (39.6%)"), sizes in "bn",
    # a pronoun subject after a semicolon and "was taken over by"; scored once before the
    # changes it exposed (0.988).
    ("autonomous-mining-equipment-market.txt", 0.98),
    # Hold-outs in a new market each: one in the seed's layout, one Markdown report with
    # segment figures in a dimension/segment table, factors and leaders outside impact
    # tables and a bullet deal log with short month names; scored once before the changes
    # they exposed (0.967, 0.785).
    ("electric-ferry-market.txt", 0.96),
    ("smart-beehive-monitoring-market.md", 0.97),
]


def _module(path: Path, name: str):
    """Import one of the shared scripts by path (they are not a package)."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # acq_score.py imports its sibling score.py by name
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def scorer(shared_dir: Path):
    return _module(shared_dir / "eval" / "score.py", "mg_shared_score")


def _export(paths: list[Path], extractor: Extractor, out: Path) -> Path:
    store = open_store(backend="memory")
    build_documents(store, load_documents(paths), extractor=extractor)
    store.dump(out)
    return out


def _macro(scorer, graph: Path, gold: dict, text: Path | None) -> tuple[float, dict]:
    tallies = scorer.run(graph, gold, text)
    counted = [t for t in tallies if not t.name.endswith("(parties only)")]
    return sum(t.f1() for t in counted) / len(counted), {t.name: t.f1() for t in counted}


@pytest.mark.parametrize(("name", "floor"), DEV_REPORTS)
def test_dev_report_macro_f1_above_floor(name, floor, extractor, scorer, tmp_path):
    report = REPORTS / name
    gold = json.loads(report.with_suffix(".json").read_text("utf-8"))
    graph = _export([report], extractor, tmp_path / "graph.nq")
    # HTML offsets index the extracted visible text (mg:content), not the file's bytes.
    text = None if report.suffix == ".html" else report
    macro, per_category = _macro(scorer, graph, gold, text)
    assert macro >= floor, f"{name}: macro-F1 {macro:.3f} < {floor}; {per_category}"


def test_seed_report_scores_high_in_every_category(extractor, scorer, seed_report, tmp_path):
    gold = json.loads(
        (seed_report.parents[1] / "eval" / "gold" / f"{seed_report.stem}.json").read_text("utf-8")
    )
    graph = _export([seed_report], extractor, tmp_path / "graph.nq")
    macro, per_category = _macro(scorer, graph, gold, seed_report)
    assert macro >= 0.95, per_category
    weak = {name: f1 for name, f1 in per_category.items() if f1 < 0.75}
    assert not weak, weak


def test_acquisition_news_mean_slot_f1_above_floor(extractor, shared_dir, tmp_path, monkeypatch):
    keys = shared_dir / "eval" / "acq" / "dev"
    graph = _export([keys], extractor, tmp_path / "acq.nq")
    acq = _module(shared_dir / "eval" / "acq_score.py", "mg_shared_acq_score")
    out = tmp_path / "acq.json"
    monkeypatch.setattr(
        sys, "argv", ["acq_score.py", str(graph), "--keys", str(keys), "--json", str(out)]
    )
    assert acq.main() == 0
    mean = json.loads(out.read_text())["mean_f1"]
    assert mean >= 0.72
