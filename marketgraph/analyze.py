"""``marketgraph analyze``: network questions about the graph, from the command line.

A typer sub-application (``analyze_app``) mounted by :mod:`marketgraph.cli`.
Every command opens the store read-only, projects it with
:class:`marketgraph.graph.analysis.Analyzer` and prints a table, or JSON
with ``--format json``. Entities are named by label, alias, ``kind/slug``
or IRI.
"""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from marketgraph.console import StoreOption, open_for, out, reports_errors, settings_for

analyze_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Rank, cluster and connect the entities of the graph.",
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, help="Most items shown.")]


def _analyzer(store: Path | None):
    from marketgraph.graph.analysis import Analyzer

    with open_for(settings_for(store), read_only=True) as graph:
        return Analyzer.from_store(graph)


def _print_json(value: Any) -> None:
    data = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
    if isinstance(data, list):
        data = [dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v for v in data]
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _num(value: float) -> str:
    return f"{value:.4f}"


@analyze_app.command()
@reports_errors
def rank(
    store: StoreOption = None,
    kind: Annotated[
        str | None, typer.Option("--type", "-t", help="Entity kind, e.g. org, region, segment.")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Measure: pagerank, degree or betweenness.")
    ] = "pagerank",
    limit: LimitOption = 20,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The most central entities (PageRank, degree or betweenness), of one kind or all."""
    found = _analyzer(store).rank(kind=kind, by=by, limit=limit)
    if fmt is OutputFormat.json:
        _print_json(found)
        return
    table = Table("#", "entity", "kind", "pagerank", "degree", "betweenness", "community")
    for r in found:
        table.add_row(
            str(r.rank), r.label, r.kind, _num(r.pagerank), str(r.degree), _num(r.betweenness),
            "" if r.community is None else str(r.community),
        )  # fmt: skip
    out.print(table if found else "no entities yet; build some reports first")


@analyze_app.command()
@reports_errors
def communities(
    store: StoreOption = None,
    limit: LimitOption = 20,
    members: Annotated[int, typer.Option(min=1, help="Members listed per community.")] = 5,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Groups of entities more linked to each other than to the rest (Louvain)."""
    found = _analyzer(store).communities(limit=limit, members=members)
    if fmt is OutputFormat.json:
        _print_json(found)
        return
    table = Table("#", "size", "most central members")
    for c in found:
        table.add_row(str(c.number), str(c.size), ", ".join(m.label for m in c.members))
    out.print(table if found else "no communities: no two entities are linked yet")


@analyze_app.command()
@reports_errors
def path(
    source: Annotated[str, typer.Argument(help="From this entity (name, kind/slug or IRI).")],
    target: Annotated[str, typer.Argument(help="To this entity.")],
    store: StoreOption = None,
    max_len: Annotated[int, typer.Option("--max-len", min=1, help="Most links in a chain.")] = 4,
    limit: LimitOption = 5,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The shortest chains of facts linking two entities, each link with its source sentence."""
    chains = _analyzer(store).connections(source, target, max_len=max_len, limit=limit)
    if fmt is OutputFormat.json:
        _print_json(chains)
        return
    if not chains:
        out.print(f"no chain of at most {max_len} links between {source!r} and {target!r}")
        return
    for i, chain in enumerate(chains, start=1):
        out.print(f"[bold]{i}.[/] {chain.text}", highlight=False)
        for link in chain.links:
            if link.sentence:
                out.print(f"     [dim]“{link.sentence}”[/]", highlight=False)


@analyze_app.command()
@reports_errors
def similar(
    entity: Annotated[str, typer.Argument(help="Entity (name, kind/slug or IRI).")],
    store: StoreOption = None,
    limit: LimitOption = 10,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Entities of the same kind with the most neighbours in common (Jaccard)."""
    found = _analyzer(store).similar(entity, limit=limit)
    if fmt is OutputFormat.json:
        _print_json(found)
        return
    table = Table("entity", "jaccard", "shared neighbours")
    for s in found:
        table.add_row(s.label, _num(s.score), ", ".join(s.shared))
    out.print(table if found else f"nothing shares a neighbour with {entity!r}")


@analyze_app.command()
@reports_errors
def ego(
    entity: Annotated[str, typer.Argument(help="Entity (name, kind/slug or IRI).")],
    store: StoreOption = None,
    radius: Annotated[int, typer.Option(min=1, help="Links away from the entity.")] = 1,
    limit: LimitOption = 200,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """An entity's neighbourhood: who is within a few links, and the facts among them."""
    found = _analyzer(store).ego(entity, radius=radius, limit=limit)
    if fmt is OutputFormat.json:
        _print_json(found)
        return
    table = Table("from", "fact", "to", "source sentence", title=found.center.label)
    for link in found.links:
        fact = f"{link.phrase} ({link.date})" if link.date else link.phrase
        table.add_row(link.source_label, fact, link.target_label, link.sentence or "")
    out.print(table)
    if found.truncated:
        out.print(f"[dim]showing the {len(found.nodes)} nearest entities; raise --limit[/]")


@analyze_app.command()
@reports_errors
def activity(
    entity: Annotated[str, typer.Argument(help="Entity (name, kind/slug or IRI).")],
    store: StoreOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Deals an entity took part in, counted per year and deal type."""
    found = _analyzer(store).activity(entity)
    if fmt is OutputFormat.json:
        _print_json(found)
        return
    types = sorted({t for counts in (*found.years.values(), found.undated) for t in counts})
    table = Table("year", *types, "total", title=f"{found.label}: {found.total} deal(s)")
    rows = [*found.years.items(), *([("undated", found.undated)] if found.undated else [])]
    for year, counts in rows:
        table.add_row(year, *(str(counts.get(t, 0)) for t in types), str(sum(counts.values())))
    out.print(table)


@analyze_app.command()
@reports_errors
def core(
    store: StoreOption = None,
    k: Annotated[
        int | None, typer.Option("-k", min=1, help="Core order (default: the innermost core).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The k-core: entities each linked to at least k others of the group."""
    found = _analyzer(store).k_core(k)
    if fmt is OutputFormat.json:
        _print_json(found)
        return
    table = Table("entity", "kind", "pagerank", title=f"{found.k}-core: {len(found.members)}")
    for m in found.members:
        table.add_row(m.label, m.kind, _num(m.pagerank))
    out.print(table)


@analyze_app.command()
@reports_errors
def refresh(store: StoreOption = None) -> None:
    """Recompute the rankings and communities stored in the ``analysis`` graph."""
    from marketgraph.graph.analysis import refresh_analysis

    with open_for(settings_for(store)) as graph:
        summary = refresh_analysis(graph)
    out.print(
        f"analysed {summary.entities} entities into {summary.communities} communities "
        f"in {summary.seconds:.1f} s"
    )
