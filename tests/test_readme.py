"""The README's SPARQL examples run, and answer, over the example report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketgraph.graph.analysis import refresh_analysis
from marketgraph.graph.build import build_paths
from marketgraph.graph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
QUERIES = re.findall(r"```sparql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


@pytest.fixture(scope="module")
def example_store():
    store = open_store(backend="memory")
    build_paths(store, [ROOT / "examples" / "reports"])
    refresh_analysis(store)  # as 'marketgraph build' does
    return store


def test_readme_has_sparql_examples():
    assert len(QUERIES) >= 3


@pytest.mark.parametrize("query", QUERIES, ids=[q.splitlines()[0][:40] for q in QUERIES])
def test_readme_sparql_example_answers_over_the_example_report(example_store, query):
    rows = example_store.select(query)
    assert rows, "the example returned no rows"
