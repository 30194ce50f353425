#!/usr/bin/env python
"""Benchmark: how fast extraction runs, next to plain spaCy on the same texts.

Assembles a corpus of about ``--tokens`` tokens by cycling over report
files, then, in one run:

1. spaCy alone: the configured pipeline (``Settings.spacy_model``) over the
   texts with ``nlp.pipe``;
2. marketgraph: ``loaders.load`` on every file of the corpus, then
   ``Extractor(...).pipe(documents, n_process=jobs)``.

It reports tokens per second for each, the ratio (2)/(1) (what share of
plain spaCy speed extraction keeps), peak resident memory, and machine
facts; writes them as JSON and prints a short table.

Usage::

    .venv/bin/python bench/build_throughput.py --tokens 20000
    .venv/bin/python bench/build_throughput.py --corpus examples/reports --jobs 2 \\
        --out bench/results/throughput.json

Models are loaded and warmed up before the clocks start, so the figures
are steady-state throughput, not start-up time.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import spacy

from marketgraph.errors import MarketGraphError
from marketgraph.extract.document import Document
from marketgraph.extract.loaders import iter_report_paths, load
from marketgraph.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_SOURCES = (
    ROOT / "examples" / "reports",
    SHARED / "corpus",
    SHARED / "eval" / "acq" / "dev",
)
RESULTS = ROOT / "bench" / "results"


@dataclasses.dataclass(slots=True)
class Source:
    """One distinct report file of the corpus, loaded once to count its tokens."""

    path: Path
    text: str
    tokens: int


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Extraction throughput against plain spaCy on the same corpus.",
    )
    parser.add_argument(
        "--corpus",
        nargs="+",
        type=Path,
        metavar="DIR_OR_FILE",
        help="report files or folders to cycle over (default: examples/reports, "
        "../shared/corpus and ../shared/eval/acq/dev, those that exist)",
    )
    parser.add_argument(
        "--tokens",
        type=int,
        default=1_000_000,
        help="target corpus size in spaCy tokens (default: 1000000)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes for nlp.pipe and Extractor.pipe"
    )
    parser.add_argument(
        "--batch-size", type=int, default=None, help="texts per batch (default: Settings)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON file to write (default: bench/results/build_throughput-<time>.json)",
    )
    args = parser.parse_args(argv)
    if args.tokens < 1:
        parser.error(f"--tokens must be at least 1, got {args.tokens}")
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.batch_size is not None and args.batch_size < 1:
        parser.error(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.corpus is None:
        args.corpus = [path for path in DEFAULT_SOURCES if path.is_dir()]
        if not args.corpus:
            parser.error("no default corpus folder exists; pass report files with --corpus")
    try:
        args.files = iter_report_paths(args.corpus)
    except MarketGraphError as exc:
        parser.error(str(exc))
    return args


def read_sources(files: Iterable[Path], nlp: spacy.language.Language) -> list[Source]:
    """Load each file once and count its tokens with the pipeline's tokenizer.

    Files the loader refuses are skipped with a note on stderr, so one odd
    file in a folder does not stop the run.
    """
    sources = []
    for path in files:
        try:
            text = load(path).text
        except MarketGraphError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        sources.append(Source(path, text, len(nlp.tokenizer(text))))
    return [source for source in sources if source.tokens]


def assemble(sources: Sequence[Source], target: int) -> list[Source]:
    """Cycle over ``sources`` until their tokens reach ``target`` (at least one of each file
    when the target allows, always at least one file)."""
    plan: list[Source] = []
    total = 0
    while total < target:
        for source in sources:
            plan.append(source)
            total += source.tokens
            if total >= target:
                break
    return plan


def peak_rss_mb() -> dict[str, float]:
    """Peak resident set size so far, of this process and of its finished children, in MB."""
    # Linux reports kilobytes, macOS bytes.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return {"self": round(own, 1), "children": round(children, 1)}


def bench_spacy(
    nlp: spacy.language.Language, texts: Sequence[str], batch_size: int, jobs: int
) -> dict[str, float]:
    """Time the full pipeline over ``texts``; tokens are counted from the parsed docs."""
    # Warm-up outside the clock: first calls fill caches and allocate buffers.
    for _ in nlp.pipe(texts[:2], batch_size=batch_size):
        pass
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=jobs))
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "tokens": tokens,
        "tokens_per_s": round(tokens / seconds, 1),
        "docs_per_s": round(len(texts) / seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
    }


def bench_extraction(
    paths: Sequence[Path], tokens: int, batch_size: int, jobs: int
) -> dict[str, object]:
    """Time loading every file of the corpus, then extracting facts from the documents."""
    # Imported here so the module's absence is reported as a result, not a crash.
    from marketgraph.extract.pipeline import Extractor

    extractor = Extractor(model=None, batch_size=batch_size)
    for _ in extractor.pipe([load(paths[0])], n_process=1):
        pass  # warm-up: the model is loaded lazily on first use

    start = time.perf_counter()
    documents: list[Document] = [load(path) for path in paths]
    load_seconds = time.perf_counter() - start

    start = time.perf_counter()
    reports = 0
    facts: dict[str, int] = {}
    for report in extractor.pipe(documents, n_process=jobs):
        reports += 1
        for kind, count in report.counts().items():
            facts[kind] = facts.get(kind, 0) + count
    extract_seconds = time.perf_counter() - start

    return {
        "load_seconds": round(load_seconds, 3),
        "extract_seconds": round(extract_seconds, 3),
        "tokens_per_s": round(tokens / extract_seconds, 1),
        "end_to_end_tokens_per_s": round(tokens / (load_seconds + extract_seconds), 1),
        "reports": reports,
        "facts": dict(sorted(facts.items())),
        "peak_rss_mb": peak_rss_mb(),
    }


def machine_facts(model: str) -> dict[str, object]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "spacy": spacy.__version__,
        "model": model,
    }


def print_table(result: dict) -> None:
    corpus, plain, extraction = result["corpus"], result["spacy"], result["extraction"]
    print(
        f"corpus: {corpus['tokens']:,} tokens in {corpus['documents']} documents "
        f"({corpus['distinct_files']} distinct files); jobs={result['jobs']}, "
        f"batch size={result['batch_size']}"
    )
    print(f"{'stage':<22}{'seconds':>10}{'tokens/s':>12}{'peak RSS MB':>13}")
    print(
        f"{'spaCy nlp.pipe':<22}{plain['seconds']:>10.2f}{plain['tokens_per_s']:>12,.0f}"
        f"{plain['peak_rss_mb']['self']:>13.0f}"
    )
    if "error" in extraction:
        print(f"{'extraction':<22}  not measured: {extraction['error']}")
        return
    print(
        f"{'load (all files)':<22}{extraction['load_seconds']:>10.2f}"
        f"{corpus['tokens'] / max(extraction['load_seconds'], 1e-9):>12,.0f}"
    )
    print(
        f"{'Extractor.pipe':<22}{extraction['extract_seconds']:>10.2f}"
        f"{extraction['tokens_per_s']:>12,.0f}{extraction['peak_rss_mb']['self']:>13.0f}"
    )
    print(f"ratio extraction / spaCy: {result['ratio']:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = get_settings()
    batch_size = args.batch_size or settings.batch_size
    nlp = spacy.load(settings.spacy_model)

    sources = read_sources(args.files, nlp)
    if not sources:
        print("error: no readable report among the corpus files; check --corpus", file=sys.stderr)
        return 2
    plan = assemble(sources, args.tokens)
    texts = [source.text for source in plan]

    plain = bench_spacy(nlp, texts, batch_size, args.jobs)
    del nlp  # the extractor loads its own pipeline; keep one copy in memory at a time
    try:
        extraction = bench_extraction(
            [source.path for source in plan], plain["tokens"], batch_size, args.jobs
        )
    except ImportError as exc:
        extraction = {"error": f"marketgraph.extract.pipeline is unavailable ({exc})"}

    result = {
        "benchmark": "build_throughput",
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_facts(settings.spacy_model),
        "jobs": args.jobs,
        "batch_size": batch_size,
        "corpus": {
            "target_tokens": args.tokens,
            "tokens": plain["tokens"],
            "characters": sum(len(text) for text in texts),
            "documents": len(plan),
            "distinct_files": len(sources),
            "roots": [str(path) for path in args.corpus],
        },
        "spacy": plain,
        "extraction": extraction,
        "ratio": (
            round(extraction["tokens_per_s"] / plain["tokens_per_s"], 4)
            if "tokens_per_s" in extraction
            else None
        ),
    }

    out = args.out
    if out is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = RESULTS / f"build_throughput-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_table(result)
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
