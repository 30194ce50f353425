#!/usr/bin/env python
"""Benchmark: the SPARQL endpoint against ``oxigraph serve`` and rdflib on the same graph.

1. **Build.** Synthetic reports (invented companies, deals, market figures,
   each fact with the sentence it came from) are made as ``ReportFacts``,
   turned into triples by :func:`marketgraph.graph.triples.report_triples`,
   and bulk-loaded into an on-disk store opened with
   :func:`marketgraph.graph.store.open_store`, until the store holds
   ``--triples`` quads (1M by default).
2. **Export.** ``marketgraph export --out graph.nq``, as a user would.
3. **Serve.** ``marketgraph serve`` on the store (uvicorn, queries in worker
   processes, as deployed) and ``oxigraph serve`` on the export (loaded with
   ``oxigraph load``, then its default graph made the merge of the named
   graphs, as marketgraph's store keeps it), both on loopback.
4. **Measure.** Four typical queries, each with a different entity or word
   per request: ``label_lookup`` (an entity by its exact name),
   ``two_hop`` (the organizations one deal away from an organization),
   ``deals_by_year`` (count and total amount of deals per year, over every
   deal) and ``label_search`` (organizations whose name contains a word,
   FILTER over every name). For each server, ``--requests`` requests per
   query go out from ``--clients`` concurrent httpx clients (POST form,
   JSON results), after as many warm-up requests of the same query about
   other entities (so caches are warm, but no answer is already cached);
   throughput is completed requests per second. rdflib's
   own SPARQL engine answers the same query texts in-process (a Dataset
   parsed from the export, no HTTP), ``--rdflib-requests`` of each.
5. **Capacity.** When wrk is installed, the same texts again from wrk's
   ``--clients`` connections for ``--wrk-seconds`` (``capacity``,
   ``capacity_ratios``). The httpx clients spend about a millisecond of CPU
   per request on the same two cores as the servers, which caps what they
   can send; wrk spends microseconds, so its figures are what each server
   can do, and for queries that take well under a millisecond they show
   the cost of a Python HTTP stack against Oxigraph's Rust one.

Before timing, the first text of each query is sent to every engine and the
result row counts are recorded (``rows``), a check that all three did the
same work.

Usage::

    .venv/bin/python bench/sparql_endpoint.py --triples 50000 --requests 100   # quick
    .venv/bin/python bench/sparql_endpoint.py                                  # full size

Figures go to ``bench/results/sparql_endpoint.json`` unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from load import run_wrk, wrk_path
from rdflib import BNode, Literal, URIRef

from marketgraph.extract.facts import Event, Observation, Ref, ReportFacts, Span
from marketgraph.graph.iris import entity_iri
from marketgraph.graph.store import PREFIX_HEADER, open_store
from marketgraph.graph.triples import report_triples

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
JSON_RESULTS = "application/sparql-results+json"
BIN = Path(sys.executable).parent

# Invented name parts: every organization name is a made-up word and a trade word.
_STARTS = "Bri Cal Dra Esk Fen Gal Hol Isk Jor Kel Lom Mar Nev Orl Pra Quen Ros Sel Tam Ulv Vor Wen"
_MIDS = "a e i o u ae ia io"
_ENDS = "dex lin mar nor pex quin rath sorn tic vel wyn xis"
_TRADES = "Labs Data Systems Analytics Robotics Networks Health Capital Works Dynamics"
DEAL_TYPES = {
    "Acquisition": ("acquirer", "acquired"),
    "FundingRound": ("leadInvestor", "investee"),
    "Investment": ("investor", "investee"),
    "Partnership": ("participant", "participant"),
    "Licensing": ("licensor", "licensee"),
}
SEARCH_WORDS = [
    "bri", "dex", "vor", "lin", "ael", "sorn", "kel", "wyn", "quen", "tic", "mar", "ros",
]  # fmt: skip


def organization_names(count: int, seed: int) -> list[str]:
    """``count`` distinct invented organization names."""
    rng = random.Random(seed)
    starts, mids, ends, trades = (s.split() for s in (_STARTS, _MIDS, _ENDS, _TRADES))
    names: set[str] = set()
    while len(names) < count:
        word = rng.choice(starts) + rng.choice(mids) + rng.choice(ends)
        if rng.random() < 0.3:
            word += rng.choice(mids) + rng.choice(ends)
        names.add(f"{word} {rng.choice(trades)}")
    return sorted(names)


class _Writer:
    """Builds a report's text sentence by sentence, handing back each sentence's span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def sentence(self, text: str) -> Span:
        start = self.size
        self.parts.append(text + "\n")
        self.size += len(text) + 1
        return Span(start, start + len(text), text)

    @property
    def content(self) -> str:
        return "".join(self.parts)


def synthetic_report(index: int, orgs: list[str], rng: random.Random) -> ReportFacts:
    """One invented report: a market, its figures, a dozen organizations and their deals."""
    market = Ref("market", f"Synthetic Segment {index % 150} Data")
    writer = _Writer()
    title = writer.sentence(f"{market.name} Market Outlook, part {index}")
    # Preferential choice: low indexes come up far more often, as busy companies do.
    picks = {orgs[min(int(rng.paretovariate(0.8)) - 1, len(orgs) - 1)] for _ in range(12)}
    picks |= {rng.choice(orgs) for _ in range(4)}
    players = sorted(picks)
    facts = ReportFacts(f"synthetic-{index:06d}.txt", "", "")
    facts.title = title.text
    facts.entity(market).mentions.append(title)
    for name in players:
        span = writer.sentence(f"{name} is active in the {market.name} market.")
        facts.entity(Ref("org", name)).mentions.append(
            Span(span.start, span.start + len(name), name)
        )
    for _ in range(7):
        kind = rng.choice(list(DEAL_TYPES))
        first, second = rng.sample(players, 2)
        year = rng.randint(2012, 2026)
        date = f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.7 else str(year)
        amount = Decimal(rng.randint(1, 900)) * 1_000_000 if kind != "Partnership" else None
        said = f"In {date}, {first} and {second} closed a {kind.lower()}"
        said += f" worth USD {amount // 1_000_000} million." if amount else "."
        one, other = DEAL_TYPES[kind]
        if one == other:  # a partnership: both are participants
            roles = {one: [Ref("org", first), Ref("org", second)]}
        else:
            roles = {one: [Ref("org", first)], other: [Ref("org", second)]}
        facts.events.append(
            Event(
                kind,
                roles=roles,
                date=date,
                amount=amount,
                currency="USD" if amount else None,
                round_type="Series B" if kind == "FundingRound" else None,
                mentions=[writer.sentence(said)],
            )
        )
    year = rng.randint(2020, 2026)
    size = Decimal(rng.randint(5, 900)) / 10
    worth = writer.sentence(f"The market was worth USD {size} billion in {year}.")
    growth = Decimal(rng.randint(40, 350)) / 10
    grows = writer.sentence(f"It will grow at a CAGR of {growth}% through {year + 6}.")
    facts.observations += [
        Observation("MarketSize", size * 1_000_000_000, market, "USD", year=year, mentions=[worth]),
        Observation("CAGR", growth, market, period_end=year + 6, mentions=[grows]),
    ]
    facts.content = writer.content
    facts.sha256 = hashlib.sha256(facts.content.encode()).hexdigest()
    return facts


def _ox(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def synthetic_quads(
    target: int, orgs: list[str], seed: int, used: set[str] | None = None
) -> Iterator[list[ox.Quad]]:
    """Reports as lists of quads, through ``report_triples``, until ``target`` quads are made.

    The names of the organizations the reports mention are added to ``used``.
    """
    rng = random.Random(seed)
    built = datetime(2026, 1, 2, tzinfo=UTC)
    made, index = 0, 0
    while made < target:
        facts = synthetic_report(index, orgs, rng)
        if used is not None:
            used.update(r.name for r in facts.entities if r.kind == "org")
        graph, triples = report_triples(facts, fmt="txt", extractor_version="bench", built_at=built)
        g = ox.NamedNode(str(graph))
        quads = [ox.Quad(_ox(s), _ox(p), _ox(o), g) for s, p, o in triples]
        made += len(quads)
        index += 1
        yield quads


def build_store(folder: Path, target: int, orgs: list[str], seed: int) -> tuple[dict, list[str]]:
    """Fill an on-disk store at ``folder`` with at least ``target`` quads.

    Returns counts, and the names of the organizations the store holds.
    """
    started = time.perf_counter()
    reports = 0
    used: set[str] = set()
    with open_store(folder) as store:

        def every_quad() -> Iterator[ox.Quad]:
            nonlocal reports
            for quads in synthetic_quads(target, orgs, seed, used):
                reports += 1
                yield from quads

        store.bulk_load(every_quad())
        store.oxigraph.optimize()
        quads = len(store)
    seconds = round(time.perf_counter() - started, 1)
    counts = {"quads": quads, "reports": reports, "organizations": len(used), "seconds": seconds}
    return counts, sorted(used)


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with status {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


def start_marketgraph(
    store: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """``marketgraph serve`` on ``store``; returns the process and its base URL.

    Without the access log, as ``oxigraph serve`` logs no line per request.
    """
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "marketgraph"), "serve", "--store", str(store),
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/health", proc)
    return proc, base


#: Makes a store's default graph the merge of its named graphs.
MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def start_oxigraph(location: Path, export: Path) -> tuple[subprocess.Popen, str]:
    """``oxigraph serve`` on the export, laid out as marketgraph's store; returns it and its URL.

    The export is loaded with ``oxigraph load``, the default graph made the
    merge of the named graphs (marketgraph keeps it so; Oxigraph's own
    ``--union-default-graph`` would repeat a statement once per graph
    holding it), and the store optimized, as :func:`build_store` optimizes
    marketgraph's.
    """
    exe = shutil.which("oxigraph") or str(BIN / "oxigraph")
    steps = (["load", "--file", str(export)], ["update", "--update", MERGE], ["optimize"])
    for command in steps:
        subprocess.run(
            [exe, *command, "--location", str(location)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/query?query=ASK%7B%7D", proc)
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(20)


# --------------------------------------------------------------------------- queries


def query_texts(name: str, count: int, orgs: list[str], seed: int) -> list[str]:
    """``count`` texts of the query ``name``, each about another entity or word."""
    rng = random.Random(f"{seed}-{name}")
    out = []
    for _ in range(count):
        org = rng.choice(orgs)
        iri = entity_iri(Ref("org", org))
        # Written to run well over Oxigraph's own union default graph too (which
        # repeats a name said in a thousand reports a thousand times): DISTINCT
        # entities first, then join. Unchanged since, so results stay comparable.
        if name == "label_lookup":
            body = f"""SELECT DISTINCT ?e ?class WHERE {{
  {{ SELECT DISTINCT ?e WHERE {{ ?e rdfs:label "{org}" }} }} ?e a ?class }}"""
        elif name == "two_hop":
            # Written without "?other a mg:Organization": with that pattern Oxigraph 0.5
            # picks a join order that takes minutes at this size (both servers alike).
            body = f"""SELECT DISTINCT ?other ?name WHERE {{
  {{ SELECT DISTINCT ?other WHERE {{ ?deal ?role <{iri}> ; ?role2 ?other .
     FILTER(?role2 != rdf:type && ?other != <{iri}>) }} }}
  ?other rdfs:label ?name }}"""
        elif name == "deals_by_year":
            kind = rng.choice(list(DEAL_TYPES))
            body = f"""SELECT ?year (COUNT(DISTINCT ?deal) AS ?deals) (SUM(?amount) AS ?total)
WHERE {{
  {{ SELECT DISTINCT ?deal ?date ?amount WHERE {{
     ?deal a mg:{kind} ; mg:date ?date . OPTIONAL {{ ?deal mg:amount ?amount }} }} }}
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year) }} GROUP BY ?year ORDER BY ?year"""
        elif name == "label_search":
            word = rng.choice(SEARCH_WORDS)
            body = f"""SELECT DISTINCT ?e ?name WHERE {{
  ?e rdfs:label ?name . FILTER(CONTAINS(LCASE(?name), "{word}"))
  FILTER EXISTS {{ ?e a mg:Organization }} }} LIMIT 50"""
        else:
            raise ValueError(name)
        out.append(PREFIX_HEADER + body)
    return out


QUERIES = ("label_lookup", "two_hop", "deals_by_year", "label_search")


async def _drive(url: str, texts: list[str], clients: int) -> dict:
    """Send every text to ``url`` from ``clients`` concurrent clients; returns the timings."""
    queue = list(reversed(texts))
    latencies: list[float] = []
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:

        async def client() -> None:
            while queue:
                text = queue.pop()
                started = time.perf_counter()
                r = await http.post(
                    url, data={"query": text}, headers={"Accept": "application/sparql-results+json"}
                )
                await r.aread()
                latencies.append(time.perf_counter() - started)
                if r.status_code != 200:
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(texts),
        "seconds": round(elapsed, 3),
        "qps": round(len(texts) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 2),
        "errors": errors,
    }


def throughput(url: str, texts: list[str], clients: int, warm_up: list[str]) -> dict:
    """Requests per second once ``warm_up`` (as many texts of the same query, about
    other entities) has been sent: steady state, with no answer already cached."""
    asyncio.run(_drive(url, warm_up, clients))
    return asyncio.run(_drive(url, texts, clients))


def capacity(url: str, texts: list[str], clients: int, seconds: float) -> dict:
    """Throughput under wrk's load (see ``bench/load.py``): what the server itself can do.

    The texts are sent in turn for ``seconds``, after a third as long a warm-up.
    """
    base, path = url.rsplit("/", 1)
    requests = [("POST", f"/{path}", urlencode({"query": t})) for t in texts]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS}
    run_wrk(base, requests, connections=clients, seconds=seconds / 3, headers=headers)
    found = run_wrk(base, requests, connections=clients, seconds=seconds, headers=headers)
    if found["errors"]:
        raise RuntimeError(f"{url} answered wrk's requests with errors: {found['errors']}")
    return found


def http_rows(url: str, text: str) -> int:
    r = httpx.post(
        url,
        data={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=600,
    )
    if r.status_code != 200:
        raise RuntimeError(f"{url} answered {r.status_code}: {r.text[:300]}")
    return len(r.json()["results"]["bindings"])


def rdflib_throughput(dataset, texts: list[str], budget: float) -> dict:
    """Run texts one after the other on rdflib until done or ``budget`` seconds are spent."""
    done, started = 0, time.perf_counter()
    for text in texts:
        list(dataset.query(text))
        done += 1
        if time.perf_counter() - started > budget:
            break
    elapsed = time.perf_counter() - started
    return {"requests": done, "seconds": round(elapsed, 3), "qps": round(done / elapsed, 4)}


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pyoxigraph": ox.__version__,
    }


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="mg-bench-sparql-"))
    result: dict = {"settings": vars(args).copy(), "machine": machine()}
    result["settings"]["out"] = str(args.out)
    try:
        names = organization_names(args.orgs, args.seed)
        print(f"building a store of {args.triples:,} triples in {work} ...", flush=True)
        result["graph"], orgs = build_store(work / "store", args.triples, names, args.seed)
        export = work / "graph.nq"
        started = time.perf_counter()
        command = ["export", "--store", str(work / "store"), "--out", str(export)]
        subprocess.run([str(BIN / "marketgraph"), *command], check=True, stdout=subprocess.DEVNULL)
        result["graph"]["export_seconds"] = round(time.perf_counter() - started, 1)
        result["graph"]["export_bytes"] = export.stat().st_size
        print(f"graph: {result['graph']}", flush=True)

        texts = {q: query_texts(q, args.requests, orgs, args.seed) for q in QUERIES}
        warm_up = {q: query_texts(q, args.requests, orgs, args.seed + 1) for q in QUERIES}
        servers = {}
        mg_proc, mg_base = start_marketgraph(work / "store")
        servers["marketgraph"] = (mg_proc, mg_base + "/sparql")
        ox_proc, ox_base = start_oxigraph(work / "oxigraph", export)
        servers["oxigraph"] = (ox_proc, ox_base + "/query")
        try:
            result["rows"] = {
                q: {name: http_rows(url, texts[q][0]) for name, (_, url) in servers.items()}
                for q in QUERIES
            }
            timings: dict[str, dict] = {name: {} for name in servers}
            for q in QUERIES:
                for name, (_, url) in servers.items():
                    timings[name][q] = throughput(url, texts[q], args.clients, warm_up[q])
                    print(f"{name:12} {q:14} {timings[name][q]}", flush=True)
            if args.wrk_seconds and wrk_path():
                result["capacity"] = {name: {} for name in servers}
                for q in QUERIES:
                    for name, (_, url) in servers.items():
                        found = capacity(url, texts[q], args.clients, args.wrk_seconds)
                        result["capacity"][name][q] = found
                        print(f"{name:12} {q:14} wrk: {found}", flush=True)
        finally:
            for proc, _ in servers.values():
                stop(proc)
        shutil.rmtree(work / "oxigraph", ignore_errors=True)

        if args.rdflib_requests:
            from rdflib import Dataset

            print("parsing the export into rdflib ...", flush=True)
            started = time.perf_counter()
            dataset = Dataset(default_union=True)
            dataset.parse(export, format="nquads")
            result["graph"]["rdflib_parse_seconds"] = round(time.perf_counter() - started, 1)
            timings["rdflib"] = {}
            for q in QUERIES:
                result["rows"][q]["rdflib"] = len(list(dataset.query(texts[q][0])))
                timings["rdflib"][q] = rdflib_throughput(
                    dataset, texts[q][1 : 1 + args.rdflib_requests], args.rdflib_budget
                )
                print(f"{'rdflib':12} {q:14} {timings['rdflib'][q]}", flush=True)
        result["throughput"] = timings
        result["ratios"] = ratios(timings)
        if "capacity" in result:
            qps = {
                name: {q: {"qps": r["requests_per_s"]} for q, r in found.items()}
                for name, found in result["capacity"].items()
            }
            result["capacity_ratios"] = ratios({**qps, "rdflib": timings.get("rdflib", {})})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def ratios(timings: dict[str, dict]) -> dict:
    """marketgraph's throughput over each other engine's, per query."""
    out: dict[str, dict] = {}
    ours = timings["marketgraph"]
    for other, target in (("oxigraph", 0.5), ("rdflib", 20.0)):
        if not timings.get(other):
            continue
        per_query = {q: round(ours[q]["qps"] / timings[other][q]["qps"], 3) for q in ours}
        out[f"marketgraph/{other}"] = {
            "per_query": per_query,
            "geometric_mean": round(statistics.geometric_mean(per_query.values()), 3),
            "worst": min(per_query.values()),
            "target": target,
            "met": min(per_query.values()) >= target,
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="Least quads to build.")
    parser.add_argument("--orgs", type=int, default=20_000, help="Organization names to draw.")
    parser.add_argument("--requests", type=int, default=400, help="Requests per query and server.")
    parser.add_argument("--clients", type=int, default=4, help="Concurrent HTTP clients.")
    parser.add_argument("--rdflib-requests", type=int, default=5, help="rdflib runs per query.")
    parser.add_argument(
        "--rdflib-budget", type=float, default=120, help="Seconds rdflib may spend per query."
    )
    parser.add_argument(
        "--wrk-seconds",
        type=float,
        default=9,
        help="Length of each wrk run, for `capacity` (0, or wrk missing: none).",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS / "sparql_endpoint.json")
    args = parser.parse_args(argv)
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["ratios"], indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
