#!/usr/bin/env python
"""Benchmark: graph analysis on a synthetic market graph of ``--entities`` entities.

Generates a store the way ``report_triples`` lays one out (entities with
labels, deals with two parties, a date and a cited sentence, products and
datasets with their provider or publisher, regions inside regions), spread
over ``--reports`` named graphs, and bulk-loads it into an in-memory
Oxigraph store. Parties are drawn with preferential attachment, so a few
organizations take part in many deals, as in real markets.

Then it times, one after the other:

1. ``projection``: :meth:`marketgraph.graph.analysis.Analyzer.from_store`
   (the SPARQL projection to networkx, with the co-mention links);
2. ``analysis_view``: the undirected weighted view every measure runs on;
3. ``pagerank``, ``degree``, ``betweenness`` (sampled, ``--k`` sources);
4. ``communities`` (Louvain) and ``k_core``;
5. ``path``: :func:`connections` between random pairs of organizations,
   median and worst of ``--paths`` queries;
6. ``similar``, ``ego`` and ``activity`` for one busy organization;
7. ``write_back``: writing the measures into the ``analysis`` graph;
   ``refresh_total`` adds up the steps :func:`refresh_analysis` runs.

Usage::

    .venv/bin/python bench/analysis.py --entities 2000 --relations 6000
    .venv/bin/python bench/analysis.py            # full size: 100,000 / 300,000

Figures go to ``bench/results/analysis.json`` unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD
from rdflib.namespace import PROV

from marketgraph.extract.facts import Ref
from marketgraph.graph import analysis
from marketgraph.graph.iris import entity_iri, mention_iri, report_iri
from marketgraph.graph.store import open_store
from marketgraph.graph.triples import KIND_CLASSES
from marketgraph.ontology import MG, MGID

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

#: Share of the entities of each kind; the rest are organizations.
KIND_SHARES = {"product": 0.05, "dataset": 0.05, "region": 0.01, "segment": 0.02, "market": 0.01}
#: Deal types and the roles of their two parties.
DEALS = {
    "Acquisition": ("acquirer", "acquired"),
    "Investment": ("investor", "investee"),
    "FundingRound": ("investor", "investee"),
    "Partnership": ("participant", "participant"),
    "Licensing": ("licensor", "licensee"),
}


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _lit(value, datatype=None) -> ox.Literal:
    if datatype is None:
        return ox.Literal(str(value))
    return ox.Literal(str(value), datatype=ox.NamedNode(str(datatype)))


def synthetic_quads(entities: int, relations: int, reports: int, seed: int) -> Iterator[ox.Quad]:
    """The quads of a synthetic store: ``entities`` nodes, ``relations`` links between them.

    Every relation is either a deal between two organizations (with a
    sentence citing it, as extraction leaves it) or an entity-to-entity
    property (provider, publisher, partOf, inScheme), one per product,
    dataset, region and segment.
    """
    rnd = random.Random(seed)
    kinds: dict[str, list[ox.NamedNode]] = {}
    graphs = [_n(report_iri(f"synthetic-{i}.txt")) for i in range(reports)]
    a, label, mentioned = _n(RDF.type), _n(RDFS.label), _n(MG.mentionedIn)
    for g in graphs:
        yield ox.Quad(g, a, _n(MG.Report), g)
        yield ox.Quad(g, _n(MG.sourceName), _lit(g.value.rsplit("/", 1)[-1]), g)
        yield ox.Quad(g, _n(MG.sha256), _lit("0" * 64), g)
    counts = {kind: max(1, int(entities * share)) for kind, share in KIND_SHARES.items()}
    counts["org"] = entities - sum(counts.values())
    for kind, count in counts.items():
        nodes = kinds[kind] = []
        for i in range(count):
            name = f"{kind.title()} {i:06d}"
            node = _n(entity_iri(Ref(kind, name)))
            nodes.append(node)
            g = graphs[i % reports]
            yield ox.Quad(node, a, _n(KIND_CLASSES[kind]), g)
            yield ox.Quad(node, label, _lit(name), g)
            yield ox.Quad(node, mentioned, g, g)
    properties = 0
    orgs = kinds["org"]
    for kind, prop in (("product", MG.provider), ("dataset", MG.publisher)):
        for node in kinds[kind]:
            yield ox.Quad(node, _n(prop), rnd.choice(orgs), graphs[0])
            properties += 1
    regions = kinds["region"]
    for i, node in enumerate(regions[1:], start=1):
        yield ox.Quad(node, _n(MG.partOf), regions[rnd.randrange(i)], graphs[0])
        properties += 1
    for node in kinds["segment"]:
        yield ox.Quad(node, _n(MG.segmentedBy), rnd.choice(kinds["market"]), graphs[0])
        properties += 1
    # Preferential attachment: each deal draws parties from a pool where
    # every past party appears once more, so busy organizations get busier.
    pool = list(orgs)
    types = list(DEALS)
    deals = max(0, relations - properties)
    start = 0
    for i in range(deals):
        g = graphs[i % reports]
        kind = types[i % len(types)]
        first = rnd.choice(pool)
        second = rnd.choice(pool)
        while second == first:
            second = rnd.choice(orgs)
        pool += (first, second)
        event = _n(MGID[f"event/synthetic/{i}"])
        year = 2015 + rnd.randrange(11)
        text = f"{first.value[-6:]} and {second.value[-6:]} closed a {kind.lower()} in {year}."
        mention = _n(mention_iri(report_iri(g.value), start, start + len(text)))
        start += len(text) + 1
        role_a, role_b = DEALS[kind]
        yield ox.Quad(event, a, _n(MG[kind]), g)
        yield ox.Quad(event, label, _lit(f"{kind} {i}"), g)
        yield ox.Quad(event, _n(MG[role_a]), first, g)
        yield ox.Quad(event, _n(MG[role_b]), second, g)
        yield ox.Quad(event, _n(MG.date), _lit(year, XSD.gYear), g)
        yield ox.Quad(event, _n(PROV.wasDerivedFrom), mention, g)
        yield ox.Quad(mention, a, _n(MG.Mention), g)
        yield ox.Quad(mention, _n(MG.inReport), g, g)
        yield ox.Quad(mention, _n(MG.text), _lit(text), g)
        yield ox.Quad(mention, _n(MG.start), _lit(start, XSD.integer), g)


#: CPU seconds of each step, next to the wall-clock ones: the machine may be shared.
CPU: dict[str, float] = {}


def _timed(results: dict, name: str, fn, *args, **kwargs):
    began, cpu = time.perf_counter(), time.process_time()
    value = fn(*args, **kwargs)
    results[name] = round(time.perf_counter() - began, 3)
    CPU[name] = round(time.process_time() - cpu, 3)
    print(f"{name:>14}: {results[name]:9.3f} s wall, {CPU[name]:9.3f} s cpu",
          file=sys.stderr, flush=True)  # fmt: skip
    return value


def run(args: argparse.Namespace) -> dict:
    seconds: dict[str, float] = {}
    store = open_store(backend="memory")
    quads = synthetic_quads(args.entities, args.relations, args.reports, args.seed)
    _timed(seconds, "load", store.bulk_load, quads)

    analyzer = _timed(
        seconds, "projection", analysis.Analyzer.from_store, store, seed=args.seed, samples=args.k
    )
    net = analyzer.G
    S = _timed(seconds, "analysis_view", lambda: analyzer.simple)
    _timed(seconds, "pagerank", lambda: analyzer.pagerank)
    _timed(seconds, "degree", lambda: analyzer.degree)
    _timed(seconds, "betweenness", lambda: analyzer.betweenness)
    found = _timed(seconds, "communities", analyzer.communities, limit=analysis.MAX_LIMIT)
    core = _timed(seconds, "k_core", analyzer.k_core)

    rnd = random.Random(args.seed + 1)
    orgs = [n for n, d in net.nodes(data=True) if d["kind"] == "org" and S.degree(n) > 0]
    _timed(seconds, "name_index", lambda: analyzer.node(net.nodes[orgs[0]]["label"]))
    times, hops = [], []
    for _ in range(args.paths):
        # By label, as a user asks, so the name look-up is part of the time.
        source, target = (net.nodes[n]["label"] for n in rnd.sample(orgs, 2))
        began = time.perf_counter()
        chains = analyzer.connections(source, target, max_len=args.max_len, limit=5)
        times.append(time.perf_counter() - began)
        hops.append(chains[0].hops if chains else None)
    seconds["path_median"] = round(statistics.median(times), 4)
    seconds["path_max"] = round(max(times), 4)
    print(f"{'path':>14}: median {seconds['path_median']} s, max {seconds['path_max']} s",
          file=sys.stderr)  # fmt: skip

    busy = max(orgs, key=S.degree)
    _timed(seconds, "similar", analyzer.similar, busy)
    _timed(seconds, "ego", analyzer.ego, busy, radius=1)
    _timed(seconds, "activity", analyzer.activity, busy)
    _timed(seconds, "write_back", analysis.write_analysis, store, analyzer)
    # refresh_analysis is projection, measures and write-back in a row.
    steps = ("projection", "analysis_view", "pagerank", "betweenness", "communities", "write_back")
    seconds["refresh_total"] = round(sum(seconds[s] for s in steps), 3)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "graph": {
            "entities": args.entities,
            "relations_requested": args.relations,
            "quads": len(store),
            "nodes": net.number_of_nodes(),
            "edges": net.number_of_edges(),
            "simple_edges": S.number_of_edges(),
            "communities": len(set(analyzer.community_of.values())),
            "largest_community": found[0].size if found else 0,
            "main_core": core.k,
            "main_core_size": len(core.members),
            "paths_found": sum(h is not None for h in hops),
            "path_hops": dict(sorted(Counter(str(h) if h else "none" for h in hops).items())),
        },
        "settings": {"k": args.k, "paths": args.paths, "max_len": args.max_len, "seed": args.seed},
        "seconds": seconds,
        "cpu_seconds": CPU,
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "networkx": nx.__version__,
            "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else None,
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=300_000)
    parser.add_argument("--reports", type=int, default=100, help="named graphs to spread over")
    parser.add_argument("--k", type=int, default=analysis.BETWEENNESS_SAMPLES,
                        help="sources sampled for betweenness")  # fmt: skip
    parser.add_argument("--paths", type=int, default=20, help="path queries to time")
    parser.add_argument("--max-len", type=int, default=analysis.MAX_PATH_LEN,
                        help="longest path searched")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS / "analysis.json")
    args = parser.parse_args(argv)
    figures = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
