#!/usr/bin/env python
"""Benchmark: how long the overview page takes to make, and to settle in a browser.

For each size in ``--sizes`` (default 1,000 and 10,000 entities) it makes a
synthetic market: invented organizations (most entities), products,
datasets, regions and segments, spread over ``--reports`` reports, with
deals whose parties are drawn by preferential attachment (a few
organizations make many deals, as in real markets). Each report goes
through :func:`~marketgraph.graph.triples.report_triples` like a built
report, into an in-memory store. Then:

1. ``generate``: the server side, :func:`~marketgraph.visual.pages.overview_html`
   with the default node budget (projection, centrality, folding the rest,
   rendering), median of ``--repeat`` runs; ``projection`` is
   :func:`~marketgraph.graph.network.entity_graph` alone.
2. ``browser``: the page served by uvicorn and opened in headless Chromium
   (selenium), ``--repeat`` times. ``ready_ms`` is the page's own
   ``mgPage.readyAt`` (set once vis-network's layout has stabilized and
   physics is off), in milliseconds since navigation began; ``response_ms``
   is when the last byte of the page arrived (the server's work included);
   ``stabilize_ms`` = ``ready_ms - response_ms``, the browser's share.
   The application caches the projection, so only the first of the
   ``browser_runs`` pays for it on the server; the medians are of warm runs
   mostly.

Usage::

    .venv/bin/python bench/visual.py                      # 1,000 and 10,000 entities
    .venv/bin/python bench/visual.py --sizes 2000 --repeat 1
    .venv/bin/python bench/visual.py --screenshots docs   # README pictures only

``--screenshots DIR`` builds ``examples/reports/ai-training-dataset-market.md``
into an in-memory store, serves it, and saves ``DIR/overview.png`` and
``DIR/entity.png`` (the page of the most central organization); no timing.

Figures go to ``bench/results/visual.json`` unless ``--out`` says otherwise.
Needs chromium and chromedriver on the PATH, and selenium.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import uvicorn

from marketgraph.api.app import create_app
from marketgraph.extract.facts import Entity, Event, Ref, ReportFacts, Span
from marketgraph.graph.network import centrality, entity_graph
from marketgraph.graph.store import MarketStore, open_store
from marketgraph.graph.triples import report_triples
from marketgraph.settings import Settings
from marketgraph.visual.pages import overview_html

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
EXAMPLE = ROOT / "examples" / "reports" / "ai-training-dataset-market.md"

#: Share of the entities of each kind; the rest are organizations.
KIND_SHARES = {"product": 0.06, "dataset": 0.04, "region": 0.02, "segment": 0.02, "person": 0.01}
#: Deal types and the roles of their two parties.
DEALS = {
    "Acquisition": ("acquirer", "acquired"),
    "Investment": ("investor", "investee"),
    "FundingRound": ("investor", "investee"),
    "Partnership": ("participant", "participant"),
    "Licensing": ("licensor", "licensee"),
}
#: Invented name parts: organizations are "<stem> <number> <suffix>".
STEMS = ("Norvale", "Quintar", "Brightlake", "Oskary", "Tellmoor", "Vantrel", "Hollin", "Maribor")
SUFFIXES = ("Labs", "Systems", "Data", "Analytics", "Robotics", "Capital", "Works")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--window-size=1280,800",
)


# ------------------------------------------------------------------ synthetic market


def synthetic_reports(entities: int, reports: int, seed: int = 7) -> list[ReportFacts]:
    """``reports`` invented reports that together name about ``entities`` entities."""
    rng = random.Random(seed)
    counts = {kind: max(1, int(entities * share)) for kind, share in KIND_SHARES.items()}
    counts["org"] = entities - sum(counts.values())
    orgs = [
        Ref("org", f"{STEMS[i % len(STEMS)]} {i} {SUFFIXES[i % len(SUFFIXES)]}")
        for i in range(counts["org"])
    ]
    others = {
        kind: [Ref(kind, f"{kind.title()} Item {i}") for i in range(n)]
        for kind, n in counts.items()
        if kind != "org"
    }
    # Preferential attachment: each deal picks parties in proportion to deals made so far.
    weights = [1] * len(orgs)
    deals: list[tuple[str, Ref, Ref, str | None, Decimal | None]] = []
    for _ in range(int(len(orgs) * 1.5)):
        a, b = rng.choices(range(len(orgs)), weights=weights, k=2)
        if a == b:
            continue
        weights[a] += 1
        weights[b] += 1
        kind = rng.choice(list(DEALS))
        date = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}" if rng.random() < 0.8 else None
        amount = Decimal(rng.randint(1, 900)) * 10**6 if rng.random() < 0.6 else None
        deals.append((kind, orgs[a], orgs[b], date, amount))
    out = []
    for r in range(reports):
        lines: list[str] = []
        spans: list[tuple[int, int]] = []
        events: list[Event] = []
        for kind, a, b, date, amount in deals[r::reports]:
            line = f"{a.name} and {b.name} signed a {kind.lower()} deal."
            start = sum(len(x) + 1 for x in lines)
            lines.append(line)
            spans.append((start, start + len(line)))
            first, second = DEALS[kind]
            roles = {first: [a, b]} if first == second else {first: [a], second: [b]}
            events.append(
                Event(
                    kind,
                    roles=roles,
                    date=date,
                    amount=amount,
                    currency="USD" if amount else None,
                    mentions=[Span(start, start + len(line), line)],
                )
            )
        content = "\n".join(lines) + "\n"
        facts = ReportFacts(
            f"synthetic-{r}.txt", hashlib.sha256(content.encode()).hexdigest(), content
        )
        facts.title = f"Synthetic market report {r}"
        facts.events = events
        for ref in orgs[r::reports]:
            facts.entities[ref] = Entity(ref)
        for kind, refs in others.items():
            for i, ref in enumerate(refs[r::reports]):
                entity = Entity(ref)
                if kind in ("product", "dataset"):
                    owner = orgs[rng.randrange(len(orgs))]
                    if kind == "product":
                        entity.provider = owner
                    else:
                        entity.publisher = owner
                elif kind == "region" and i:
                    entity.part_of = refs[r::reports][rng.randrange(i)]
                facts.entities[ref] = entity
        out.append(facts)
    return out


def load(reports: list[ReportFacts]) -> MarketStore:
    store = open_store(backend="memory")
    store.replace_reports(
        report_triples(facts, fmt="txt", extractor_version="bench") for facts in reports
    )
    return store


# ------------------------------------------------------------------ serving and browsing


@contextmanager
def serving(store: MarketStore, node_budget: int = 500) -> Iterator[str]:
    """The full application around ``store`` on a free local port; yields its base URL."""
    app = create_app(Settings(backend="memory", node_budget=node_budget), store=store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def browser(width: int = 1280, height: int = 800):
    """Headless Chromium driven by selenium, with its own throw-away profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        sys.exit("chromium and chromedriver must be on the PATH")
    options = Options()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    profile = tempfile.mkdtemp(prefix="mg-bench-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(300)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, url: str, timeout: float = 300) -> dict[str, float]:
    """Load ``url``, wait for the page's ready flag; its timings in ms since navigation began."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script("return !!(window.mgPage && window.mgPage.ready)")
    )
    found = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return {response: n.responseEnd, dom: n.domContentLoadedEventEnd,"
        " ready: mgPage.readyAt,"
        " nodes: window.mgGraph ? mgGraph.nodes.length : 0,"
        " edges: window.mgGraph ? mgGraph.edges.length : 0};"
    )
    return {
        "response_ms": round(found["response"], 1),
        "dom_ready_ms": round(found["dom"], 1),
        "ready_ms": round(found["ready"], 1),
        "stabilize_ms": round(found["ready"] - found["response"], 1),
        "nodes_drawn": found["nodes"],
        "edges_drawn": found["edges"],
    }


# ------------------------------------------------------------------ measurements


def _median(runs: list[dict[str, float]], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 1)


def measure(entities: int, reports: int, repeat: int, node_budget: int) -> dict:
    """Every figure for one synthetic market of ``entities`` entities."""
    began = time.perf_counter()
    store = load(synthetic_reports(entities, reports))
    setup = time.perf_counter() - began
    projection, generate, size = [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        G = entity_graph(store)
        projection.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        page = overview_html(store, node_budget=node_budget)
        generate.append(time.perf_counter() - t0)
        size = len(page.encode())
    runs = []
    with serving(store, node_budget) as base, browser() as driver:
        for _ in range(repeat):
            runs.append(open_page(driver, base + "/"))
            driver.get("about:blank")
    return {
        "entities": G.number_of_nodes(),
        "links": G.number_of_edges(),
        "reports": reports,
        "triples": len(store),
        "node_budget": node_budget,
        "setup_s": round(setup, 2),
        "projection_s": round(statistics.median(projection), 3),
        "generate_s": round(statistics.median(generate), 3),
        "page_bytes": size,
        "browser": {
            key: _median(runs, key)
            for key in ("response_ms", "dom_ready_ms", "stabilize_ms", "ready_ms")
        }
        | {"nodes_drawn": runs[0]["nodes_drawn"], "edges_drawn": runs[0]["edges_drawn"]},
        "browser_runs": runs,
    }


def most_central_organization(store: MarketStore) -> tuple[str, str]:
    """``(kind, slug)`` of the organization of highest PageRank (name breaks ties)."""
    G = entity_graph(store)
    ranks = centrality(G)
    orgs = [n for n, kind in G.nodes(data="kind") if kind == "org"]
    if not orgs:
        raise SystemExit("the example report holds no organization")
    best = min(orgs, key=lambda n: (-ranks.get(n, {}).get("pagerank", 0.0), G.nodes[n]["label"]))
    return "org", G.nodes[best]["slug"]


def save_screenshots(folder: Path, report: Path = EXAMPLE) -> list[Path]:
    """Build ``report`` in memory, serve it and save ``overview.png`` and ``entity.png``."""
    from marketgraph.graph.build import build_paths

    store = open_store(backend="memory")
    build_paths(store, [report])
    kind, slug = most_central_organization(store)
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    with serving(store) as base, browser(1400, 860) as driver:
        for name, path in (("overview", "/"), ("entity", f"/view/{kind}/{slug}")):
            open_page(driver, base + path)
            # Let the focus animation of the entity page finish before the picture.
            time.sleep(0.6)
            target = folder / f"{name}.png"
            driver.save_screenshot(str(target))
            saved.append(target)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reports", type=int, default=4, help="reports the entities span")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median kept)")
    parser.add_argument("--node-budget", type=int, default=Settings().node_budget)
    parser.add_argument("--out", type=Path, default=RESULTS / "visual.json")
    parser.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="save the README pictures in DIR and stop"
    )
    args = parser.parse_args(argv)
    if args.screenshots:
        for path in save_screenshots(args.screenshots):
            print(f"wrote {path}")
        return 0
    results = {
        "benchmark": "visual",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "sizes": [],
    }
    for entities in args.sizes:
        found = measure(entities, args.reports, args.repeat, args.node_budget)
        results["sizes"].append(found)
        b = found["browser"]
        print(
            f"{found['entities']:>7,} entities {found['links']:>7,} links: generate "
            f"{found['generate_s']:.2f} s (projection {found['projection_s']:.2f} s), "
            f"page {found['page_bytes'] / 1e6:.1f} MB; "
            f"browser: response {b['response_ms']:.0f} ms, "
            f"stabilize {b['stabilize_ms']:.0f} ms, ready {b['ready_ms']:.0f} ms "
            f"({b['nodes_drawn']} nodes, {b['edges_drawn']} edges drawn)"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
