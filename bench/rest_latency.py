#!/usr/bin/env python
"""Benchmark: latency of the REST entity lookup under 32 concurrent clients.

Builds the synthetic graph of ``bench/sparql_endpoint.py`` (``--triples``
quads through ``report_triples`` into an on-disk store), serves it (the
application of ``marketgraph serve`` under uvicorn without its access log;
``--access-log`` runs ``marketgraph serve`` itself), and sends ``--requests``
requests for ``GET /entities/org/{slug}`` (an organization's labels, types
and reports, its first mentions and the first page of its facts, each with
the sentences it came from) from ``--clients`` concurrent httpx clients,
each sending its next request as soon as the last one is answered.
Organizations are drawn uniformly from those the store holds, so most are
named in a few reports and some in thousands. A warm-up of
``2 x --clients`` requests comes first.

Reported (``lookup``): latency percentiles (p50, p90, p99, max) in
milliseconds, throughput, error counts, answer sizes, and the CPU time the
server and this load generator spent per request. The target is p99 < 50 ms.
The first ``--single-requests`` lookups are then sent again by one client
(``lookup_one_client``): the server's own time per lookup, with no queueing
behind other clients. The load generator runs on the same machine as the
server, so on few cores it competes with it for CPU; and with closed-loop
clients the mean latency is ``clients / throughput`` (Little's law), so the
CPU figures bound what any server change can reach.

Usage::

    .venv/bin/python bench/rest_latency.py --triples 50000 --requests 500   # quick
    .venv/bin/python bench/rest_latency.py                                  # full size

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


def start_quiet_server(store: Path) -> tuple[subprocess.Popen, str]:
    """The same application as ``marketgraph serve``, under uvicorn without the access log.

    ``marketgraph serve`` logs a line per request; with the log sent nowhere
    that is CPU spent for nothing, and on a busy machine it shows in the tail.
    """
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "python"), "-m", "uvicorn", "marketgraph.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "MARKETGRAPH_STORE": str(store)},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/health", proc)
    return proc, base


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def measured(base: str, paths: list[str], clients: int, server_pid: int) -> dict:
    """:func:`_drive`, with the CPU the server and this load generator spent per request."""
    server, client = cpu_seconds(server_pid), time.process_time()
    result = asyncio.run(_drive(base, paths, clients))
    server, client = cpu_seconds(server_pid) - server, time.process_time() - client
    result["cpu_ms_per_request"] = {
        "server": round(1000 * server / len(paths), 2),
        "client": round(1000 * client / len(paths), 2),
    }
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
    try:
        names = organization_names(args.orgs, args.seed)
        print(f"building a store of {args.triples:,} triples in {work} ...", flush=True)
        result["graph"], orgs = build_store(work / "store", args.triples, names, args.seed)
        print(f"graph: {result['graph']}", flush=True)
        rng = random.Random(args.seed)
        paths = [f"/entities/org/{slugify(rng.choice(orgs))}" for _ in range(args.requests)]
        start = start_marketgraph if args.access_log else start_quiet_server
        proc, base = start(work / "store")
        try:
            asyncio.run(_drive(base, paths[: 2 * args.clients], args.clients))  # warm up
            result["lookup"] = measured(base, paths, args.clients, proc.pid)
            if args.single_requests:
                # The same lookups one at a time: service time without queueing.
                single = paths[: args.single_requests]
                result["lookup_one_client"] = measured(base, single, 1, proc.pid)
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
    parser.add_argument("--requests", type=int, default=3000, help="Lookups to send.")
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
    shown = ("lookup", "lookup_one_client", "target")
    print(json.dumps({k: result[k] for k in shown if k in result}, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
