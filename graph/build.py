"""Building reports into the store: load, extract, replace each named graph.

Every input is loaded and checked before anything is written, so a bad
file (empty, binary, truncated ...) stops the build with the store exactly
as it was. Reports are then extracted in batches and each batch written in
one transaction, so memory stays bounded by the batch, not the corpus.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marketgraph.errors import InputError
from marketgraph.extract.document import Document
from marketgraph.extract.loaders import iter_report_paths, load
from marketgraph.graph.store import MarketStore
from marketgraph.graph.triples import report_triples


@dataclass(slots=True)
class BuildSummary:
    """What a build wrote: per-report counts of facts by kind, and the time taken."""

    reports: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.reports.values():
            total.update(counts)
        return total


def load_documents(paths: Iterable[Path]) -> list[Document]:
    """Every report under ``paths``, loaded and checked.

    Raises:
        InputError: a path is missing or a file cannot be read as a report,
            or two inputs share a base name (they would share one graph).
    """
    documents: list[Document] = []
    seen: dict[str, Path] = {}
    for path in iter_report_paths(paths):
        if path.name in seen:
            raise InputError(
                f"{path}: another input, {seen[path.name]}, has the same file name and would "
                "replace it; rename one of them"
            )
        seen[path.name] = path
        documents.append(load(path))
    return documents


def build_documents(
    store: MarketStore,
    documents: Sequence[Document],
    *,
    extractor=None,
    jobs: int = 1,
    batch_reports: int = 32,
    progress: Callable[[Document], None] | None = None,
) -> BuildSummary:
    """Extract ``documents`` and replace their named graphs in ``store``.

    Args:
        store: where the graphs go.
        documents: loaded reports (see :func:`load_documents`).
        extractor: an :class:`~marketgraph.extract.pipeline.Extractor`
            (a default one is made when None).
        jobs: processes for the spaCy pipeline.
        batch_reports: reports written per transaction.
        progress: called once per report as it is done.
    """
    from marketgraph.extract.pipeline import EXTRACTOR_VERSION, Extractor

    started = time.perf_counter()
    extractor = extractor or Extractor()
    summary = BuildSummary()
    formats = {d.source_name: d.format for d in documents}
    pending: list = []
    for facts in extractor.pipe(documents, n_process=jobs):
        report, triples = report_triples(
            facts, fmt=formats[facts.source_name], extractor_version=EXTRACTOR_VERSION
        )
        pending.append((report, triples))
        summary.reports[facts.source_name] = facts.counts()
        if progress is not None:
            progress(facts)
        if len(pending) >= batch_reports:
            store.replace_reports(pending)
            pending.clear()
    if pending:
        store.replace_reports(pending)
    summary.seconds = time.perf_counter() - started
    return summary


def build_paths(store: MarketStore, paths: Iterable[Path], **kwargs) -> BuildSummary:
    """Load every report under ``paths``, then build them (see :func:`build_documents`)."""
    return build_documents(store, load_documents(paths), **kwargs)
