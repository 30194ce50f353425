"""The market page: each market's segment tree, and the report's numbers as charts.

Charts are SVG drawn on the server (:mod:`marketgraph.visual.charts`), so the
page runs no chart script; every label is escaped there or by the template.
The page shares its frame (nav bar, report picker, styles) with the graph
pages of :mod:`marketgraph.visual.pages`.

>>> from marketgraph.graph.store import open_store
>>> "No market figures yet" in market_html(open_store(backend="memory"))
True
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from marketgraph.graph.network import Figure, GrowthFactor, MarketFigures, market_figures
from marketgraph.graph.store import MarketStore
from marketgraph.visual.charts import Bar, bar_chart, column_chart, impact_chart
from marketgraph.visual.pages import (
    format_amount,
    graph_for,
    nav_context,
    render_page,
    report_scope,
    sparql_url,
    view_url,
)

#: How each measure is named on the market page: in titles, and in short notes.
MEASURE_NAMES = {"MarketSize": "Market size", "MarketShare": "Share", "CAGR": "Growth (CAGR)"}
MEASURE_NOTES = {"MarketSize": "size", "MarketShare": "share", "CAGR": "CAGR"}
#: Most bars in one chart; the rest are counted under it.
CHART_BARS = 30
#: Most regions listed in the region tree.
TREE_REGIONS = 300


def figure_value(figure: Figure) -> str:
    """A number as the report would write it: ``USD 2.35 billion``, ``18.25 %``.

    >>> from decimal import Decimal
    >>> figure_value(Figure("x", "MarketShare", Decimal("18.20"), unit="percent"))
    '18.2 %'
    """
    if figure.currency:
        return format_amount(figure.value, figure.currency)
    if figure.unit == "percent" or figure.measure in ("CAGR", "MarketShare"):
        return f"{figure.value.normalize():f} %"
    return format_amount(figure.value)


def figure_when(figure: Figure) -> str:
    """The year or period of a number: ``2025``, ``2026–2031``, ``through 2031``."""
    if figure.year is not None:
        return str(figure.year)
    if figure.period_start is not None and figure.period_end is not None:
        return f"{figure.period_start}–{figure.period_end}"
    if figure.period_end is not None:
        return f"through {figure.period_end}"
    if figure.period_start is not None:
        return f"from {figure.period_start}"
    return ""


def _entity_link(G: nx.MultiDiGraph, iri: str | None, report: str | None) -> dict[str, Any]:
    if iri is None or iri not in G:
        return {"label": iri.rsplit("/", 1)[-1] if iri else "", "href": None}
    data = G.nodes[iri]
    return {"label": data["label"], "href": view_url(data["kind"], data["slug"], report)}


def _dimension_of(G: nx.MultiDiGraph, segment: str | None) -> str | None:
    """The IRI of the dimension a segment is in (None for regions and unknown nodes)."""
    if segment is None or segment not in G:
        return None
    for _, target, relation in G.out_edges(segment, data="relation"):
        if relation == "inScheme":
            return target
    return None


def _size_charts(record: MarketFigures) -> list[dict[str, Any]]:
    """The whole market's size year by year (one chart per currency), with its CAGR."""
    sizes = [
        f
        for f in record.figures
        if f.measure == "MarketSize" and f.segment is None and f.year is not None
    ]
    growth = [f for f in record.figures if f.measure == "CAGR" and f.segment is None]
    caption = "; ".join(f"CAGR {figure_value(f)} ({figure_when(f)})".strip() for f in growth)
    charts = []
    for currency in sorted({f.currency or "" for f in sizes}):
        by_year: dict[int, Figure] = {}
        for f in sizes:
            if (f.currency or "") == currency:
                by_year.setdefault(f.year, f)  # type: ignore[arg-type]
        columns = [
            Bar(str(year), float(f.value), figure_value(f), note=f.sentence, kind="column")
            for year, f in sorted(by_year.items())
        ]
        title = "Market size by year" + (f" ({currency})" if currency else "")
        charts.append(
            {
                "kind": "size",
                "title": title,
                "svg": column_chart(columns, title=title),
                "caption": caption,
            }
        )
    return charts


def _segment_charts(
    G: nx.MultiDiGraph, record: MarketFigures, report: str | None
) -> list[dict[str, Any]]:
    """One bar chart per measure and year (or period): every segment and region it covers.

    Bars are grouped by dimension ("Regions" for regions), largest first.
    """
    groups: dict[tuple[str, str, str], list[Figure]] = {}
    for f in record.figures:
        if f.segment is not None:
            groups.setdefault((f.measure, figure_when(f), f.currency or ""), []).append(f)
    order = list(MEASURE_NAMES)
    charts = []
    for (measure, when, currency), found in sorted(
        groups.items(), key=lambda item: (order.index(item[0][0]), item[0][1], item[0][2])
    ):

        def dimension(f: Figure) -> str:
            dim = _dimension_of(G, f.segment)
            if dim is not None:
                return _entity_link(G, dim, report)["label"]
            kind = G.nodes[f.segment].get("kind") if f.segment in G else None
            return "Regions" if kind == "region" else "Other"

        found.sort(key=lambda f: (dimension(f), -f.value))
        bars = []
        for f in found[:CHART_BARS]:
            link = _entity_link(G, f.segment, report)
            bars.append(
                Bar(
                    link["label"],
                    float(f.value),
                    figure_value(f),
                    note=f.sentence,
                    href=link["href"],
                    group=dimension(f),
                )
            )
        name = MEASURE_NAMES.get(measure, measure)
        title = (
            f"{name} by segment"
            + (f", {when}" if when else "")
            + (f" ({currency})" if currency else "")
        )
        kind = {"MarketShare": "share", "CAGR": "growth"}.get(measure, "segment-size")
        scale = 100 if measure == "MarketShare" else None
        charts.append(
            {
                "kind": kind,
                "title": title,
                "svg": bar_chart(bars, title=title, scale=scale),
                "caption": f"{len(found) - CHART_BARS} more not drawn"
                if len(found) > CHART_BARS
                else "",
            }
        )
    return charts


def _factor_chart(factors: list[GrowthFactor]) -> list[dict[str, Any]]:
    """Drivers and restraints by their impact on CAGR, drivers first, strongest first."""
    rated = [f for f in factors if f.impact is not None]
    if not rated:
        return []
    rated.sort(key=lambda f: (f.kind != "Driver", -f.impact))  # type: ignore[operator]
    bars = []
    for f in rated[:CHART_BARS]:
        notes = [f.kind, f.geography, f.horizon, f.sentence]
        bars.append(
            Bar(
                f.label,
                float(f.impact),  # type: ignore[arg-type]
                f"{f.impact:+} pp",
                note="\n".join(n for n in notes if n),
                kind=f.kind,
            )
        )
    title = "Drivers and restraints by impact on CAGR (percentage points)"
    return [
        {
            "kind": "factors",
            "title": title,
            "svg": impact_chart(bars, title=title),
            "caption": f"{len(rated) - CHART_BARS} more not drawn"
            if len(rated) > CHART_BARS
            else "",
        }
    ]


def _segment_tree(
    G: nx.MultiDiGraph, record: MarketFigures, dimensions: list[str], report: str | None
) -> list[dict[str, Any]]:
    """The market's dimensions, each with its segments and the numbers about them."""
    notes: dict[str, list[str]] = {}
    for f in record.figures:
        if f.segment is not None:
            text = f"{MEASURE_NOTES.get(f.measure, f.measure)} {figure_value(f)}"
            notes.setdefault(f.segment, []).append(f"{text} ({figure_when(f)})")
    tree = []
    for dim in dimensions:
        if dim not in G:
            continue
        segments = sorted(
            (u for u, _, rel in G.in_edges(dim, data="relation") if rel == "inScheme"),
            key=lambda n: G.nodes[n]["label"].casefold(),
        )
        tree.append(
            {
                **_entity_link(G, dim, report),
                "segments": [
                    {**_entity_link(G, s, report), "notes": notes.get(s, [])} for s in segments
                ],
            }
        )
    return tree


def _region_tree(
    G: nx.MultiDiGraph, record_notes: dict[str, list[str]], report: str | None
) -> tuple[list[dict[str, Any]], int]:
    """Regions nested by ``mg:partOf`` (at most :data:`TREE_REGIONS`); and how many were cut."""
    regions = sorted(
        (n for n, kind in G.nodes(data="kind") if kind == "region"),
        key=lambda n: G.nodes[n]["label"].casefold(),
    )
    parent: dict[str, str] = {}
    for u, v, relation in G.edges(data="relation"):
        if relation == "partOf" and G.nodes[u].get("kind") == G.nodes[v].get("kind") == "region":
            parent.setdefault(u, v)
    children: dict[str, list[str]] = {}
    for child, up in parent.items():
        children.setdefault(up, []).append(child)
    placed: set[str] = set()

    def branch(node: str) -> dict[str, Any] | None:
        if node in placed or len(placed) >= TREE_REGIONS:
            return None
        placed.add(node)
        kids = sorted(children.get(node, []), key=lambda n: G.nodes[n]["label"].casefold())
        return {
            **_entity_link(G, node, report),
            "notes": record_notes.get(node, []),
            "children": [b for b in map(branch, kids) if b is not None],
        }

    roots = [n for n in regions if n not in parent]
    # A cycle of partOf has no root; its members are listed at the top level.
    tree = [b for b in map(branch, roots + regions) if b is not None]
    return tree, len(regions) - len(placed)


def market_html(
    store: MarketStore,
    *,
    report: str | None = None,
    asset_base: str = "/static/vis",
    graph: nx.MultiDiGraph | None = None,
) -> str:
    """The market page: each market's segment tree, and its numbers drawn as charts.

    Charts (SVG drawn here, no script): the market's size year by year with
    its CAGR; every share, size and growth rate stated for a segment or
    region, by dimension; drivers and restraints by impact on CAGR. A table
    lists every number with the sentence it was read from.

    Args:
        report: only this report's numbers (IRI, source name or slug).
        graph: the store's :func:`~marketgraph.graph.network.entity_graph`,
            when the caller keeps one (ignored with ``report``).

    Raises:
        UnknownEntity: no such report.
    """
    reports, chosen = report_scope(store, report)
    G = graph_for(store, chosen, graph)
    scope = chosen.source_name if chosen else None
    records = market_figures(store, chosen.iri if chosen else None)
    every_dimension = sorted(
        (n for n, kind in G.nodes(data="kind") if kind == "dimension"),
        key=lambda n: G.nodes[n]["label"].casefold(),
    )
    named = [r for r in records if r.market is not None]
    region_notes: dict[str, list[str]] = {}
    markets = []
    for i, record in enumerate(records):
        dimensions = list(record.dimensions)
        if len(named) == 1 and record.market is not None:
            dimensions += [d for d in every_dimension if d not in dimensions]
        for f in record.figures:
            if f.segment in G and G.nodes[f.segment]["kind"] == "region":
                region_notes.setdefault(f.segment, []).append(
                    f"{MEASURE_NOTES.get(f.measure, f.measure)} {figure_value(f)}"
                    f" ({figure_when(f)})"
                )
        head = (
            _entity_link(G, record.market, scope)
            if record.market
            else {"label": "Figures that name no market", "href": None}
        )
        out_edges = G.out_edges(record.market, data="relation") if record.market in G else []
        leaders = [_entity_link(G, v, scope) for _, v, rel in out_edges if rel == "leader"]
        markets.append(
            {
                **head,
                "anchor": f"market-{i}",
                "leaders": leaders,
                "tree": _segment_tree(G, record, dimensions, scope),
                "charts": _size_charts(record)
                + _segment_charts(G, record, scope)
                + _factor_chart(record.factors),
                "unrated": [f for f in record.factors if f.impact is None],
                "rows": [
                    {
                        "measure": MEASURE_NAMES.get(f.measure, f.measure),
                        "about": _entity_link(G, f.segment, scope)
                        if f.segment
                        else {"label": "whole market", "href": None},
                        "value": figure_value(f),
                        "when": figure_when(f),
                        "sentence": f.sentence,
                    }
                    for f in record.figures
                ],
                "sparql": sparql_url(record.market) if record.market else None,
            }
        )
    regions, regions_cut = _region_tree(G, region_notes, scope)
    return render_page(
        "market.html",
        inline=False,
        asset_base=asset_base,
        nav=nav_context("market", reports, chosen),
        title="Market",
        markets=markets,
        regions=regions,
        regions_cut=regions_cut,
    )
