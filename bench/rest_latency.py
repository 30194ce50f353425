#!/usr/bin/env python
"""Benchmark: latency of the REST entity lookup under 32 concurrent clients.

Builds the synthetic graph of ``bench/sparql_endpoint.py`` (``--triples``
quads through ``report_triples`` into an on-disk store), serves it (the
application of ``marketgraph serve`` under uvicorn without its access log;
``--access-log`` runs ``marketgraph serve`` itself), and sends requests for
``GET /entities/org/{slug}`` (an organization's labels, types and reports,
its first mentions and the first page of its facts, each with the
sentences it came from) from ``--clients`` concurrent clients, each sending
its next request as soon as the last one is answered. Organizations are
drawn uniformly from those the store holds, so most are named in a few
reports and some in thousands.

The server is measured twice:

- ``lookup``: as deployed, with the cache of entity answers
  (``marketgraph.api.cache``) warm: the run waits until ``/health`` says
  every entity's first page is rendered, which the server does in the
  background after start-up and after every write.
- ``lookup_cache_off``: with ``MARKETGRAPH_ENTITY_CACHE_MB=0``, every
  lookup read from the store: what the first request for an entity costs.

The load comes from wrk (``--load wrk``, the default when installed: a
native generator whose own CPU use is negligible) for ``--seconds``, or
from httpx clients in this process (``--load httpx``, ``--requests``
lookups). On a two-core machine a Python load generator competes with the
server for CPU and its own event loop dominates the latency it records,
so its figures measure the pair, not the server. A warm-up of
``2 x --clients`` requests comes first. Reported per run: latency
percentiles (p50, p90, p99, max) in milliseconds, throughput, errors, and
the server's CPU time per request; ``lookup_one_client`` repeats the cached
lookups from one client (service time without queueing). The target is
p99 < 50 ms.

Usage::

    .venv/bin/python bench/rest_latency.py --triples 50000 --seconds 5   # quick
    .venv/bin/python bench/rest_latency.py                               # full size

Figures go to ``bench/results/rest_latency.json`` unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import run_wrk, wrk_path
from sparql_endpoint import (
    BIN,
    RESULTS,
    build_store,
    free_port,
    machine,
    organization_names,
    start_marketgraph,
    stop,
    wait_until_up,
)

from marketgraph.graph.iris import slugify

TARGET_P99_MS = 50.0
_TICKS = os.sysconf("SC_CLK_TCK")


def start_quiet_server(
    store: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """The same application as ``marketgraph serve``, under uvicorn without the access log.

    ``marketgraph serve`` logs a line per request; with the log sent nowhere
    that is CPU spent for nothing, and on a busy machine it shows in the tail.
    """
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "python"), "-m", "uvicorn", "marketgraph.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "MARKETGRAPH_STORE": str(store), **(env or {})},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/health", proc)
    return proc, base


def wait_until_warm(base: str, seconds: float = 600) -> dict | None:
    """Wait until the server's entity cache is warm; returns its state (None when off)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        state = httpx.get(base + "/health", timeout=30).json().get("entity_cache")
        if state is None or state["warm"]:
            return state
        time.sleep(0.5)
    raise RuntimeError(f"the entity cache was not warm after {seconds:g} s")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def measured(
    base: str, paths: list[str], clients: int, server_pid: int, load: str, seconds: float
) -> dict:
    """One run of the lookups, with the CPU the server spent per request."""
    server = cpu_seconds(server_pid)
    if load == "wrk":
        result = run_wrk(
            base, [("GET", p, "") for p in paths], connections=clients, seconds=seconds
        )
    else:
        client = time.process_time()
        result = asyncio.run(_drive(base, paths, clients))
        result["client_cpu_ms_per_request"] = round(
            1000 * (time.process_time() - client) / len(paths), 2
        )
    server = cpu_seconds(server_pid) - server
    result["server_cpu_ms_per_request"] = round(1000 * server / max(result["requests"], 1), 2)
    return result


def percentile(sorted_values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


async def _drive(base: str, paths: list[str], clients: int) -> dict:
    queue = list(reversed(paths))
    latencies: list[float] = []
    sizes: list[int] = []
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:

        async def client() -> None:
            while queue:
                path = queue.pop()
                started = time.perf_counter()
                r = await http.get(path)
                body = await r.aread()
                latencies.append(time.perf_counter() - started)
                sizes.append(len(body))
                if r.status_code != 200:
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests": len(paths),
        "clients": clients,
        "seconds": round(elapsed, 3),
        "requests_per_s": round(len(paths) / elapsed, 1),
        "latency_ms": {
            "p50": round(percentile(ms, 0.50), 2),
            "p90": round(percentile(ms, 0.90), 2),
            "p99": round(percentile(ms, 0.99), 2),
            "max": round(ms[-1], 2),
            "mean": round(statistics.fmean(ms), 2),
        },
        "response_bytes": {"median": int(statistics.median(sizes)), "max": max(sizes)},
        "errors": errors,
    }


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="mg-bench-rest-"))
    result: dict = {"settings": {**vars(args), "out": str(args.out)}, "machine": machine()}
    load = args.load or ("wrk" if wrk_path() else "httpx")
    result["settings"]["load"] = load
    try:
        names = organization_names(args.orgs, args.seed)
        print(f"building a store of {args.triples:,} triples in {work} ...", flush=True)
        result["graph"], orgs = build_store(work / "store", args.triples, names, args.seed)
        print(f"graph: {result['graph']}", flush=True)
        rng = random.Random(args.seed)
        paths = [f"/entities/org/{slugify(rng.choice(orgs))}" for _ in range(args.requests)]
        start = start_marketgraph if args.access_log else start_quiet_server
        for name, env in (
            ("lookup", {}),
            ("lookup_cache_off", {"MARKETGRAPH_ENTITY_CACHE_MB": "0"}),
        ):
            started = time.monotonic()
            proc, base = start(work / "store", env)
            try:
                cache = wait_until_warm(base)
                if cache is not None:  # how long after the server was started
                    cache["warm_after_seconds"] = round(time.monotonic() - started, 1)
                asyncio.run(_drive(base, paths[: 2 * args.clients], args.clients))  # warm up
                run_ = measured(base, paths, args.clients, proc.pid, load, args.seconds)
                result[name] = {**run_, "entity_cache": cache}
                print(f"{name}: {result[name]}", flush=True)
                if name == "lookup" and args.single_requests:
                    # The same lookups one at a time: service time without queueing.
                    single = paths[: args.single_requests]
                    result["lookup_one_client"] = measured(
                        base, single, 1, proc.pid, load, args.seconds / 3
                    )
            finally:
                stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    p99 = result["lookup"]["latency_ms"]["p99"]
    result["target"] = {"p99_ms": TARGET_P99_MS, "met": p99 < TARGET_P99_MS}
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="Least quads to build.")
    parser.add_argument("--orgs", type=int, default=20_000, help="Organization names to draw.")
    parser.add_argument(
        "--requests", type=int, default=3000, help="Lookups (httpx), or distinct paths (wrk)."
    )
    parser.add_argument("--seconds", type=float, default=15, help="Length of a wrk run.")
    parser.add_argument(
        "--load", choices=("wrk", "httpx"), default=None, help="Load generator (default: wrk)."
    )
    parser.add_argument("--clients", type=int, default=32, help="Concurrent HTTP clients.")
    parser.add_argument(
        "--single-requests", type=int, default=500, help="Lookups sent again by one client."
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="Serve with `marketgraph serve` (which logs every request) instead of quiet uvicorn.",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "rest_latency.json")
    args = parser.parse_args(argv)
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    shown = ("lookup", "lookup_one_client", "lookup_cache_off", "target")
    print(json.dumps({k: result[k] for k in shown if k in result}, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
