"""The pages analysts open: the overview, an entity, the deals and the market.

- :func:`overview_html` (``/``): every entity, coloured and shaped by kind,
  sized by centrality, with search and filters by kind and by report; above
  the node budget the least central are folded into one node per kind.
- :func:`entity_html` (``/view/{kind}/{slug}``): one entity's neighbourhood
  and the source sentence of each of its facts.
- :func:`deals_html` (``/view/deals``): organizations linked by deals, one
  line style per deal type, with a date range filter.
- :func:`marketgraph.visual.market.market_html` (``/view/market``): the
  segment tree and the report's numbers as charts drawn on the server.

Every page takes a ``report`` (IRI, source name or slug) that limits it to
that report's named graph, and carries a bar linking to the others with a
report picker when the store holds several reports.

pyvis builds the node and edge records; the pages are rendered from this
package's own templates, so that no page asks any other host for anything:
vis-network's script and stylesheet come from the installed pyvis package,
either inlined (:func:`write_overview`, a file that works offline) or served
by :mod:`marketgraph.visual.routes` under ``asset_base``.

Everything the store says is text, never markup: labels, aliases and quotes
are HTML-escaped in tooltips and templates, and the graph data reaches the
page as a JSON block in which ``<``, ``>`` and ``&`` are ``\\u`` escapes,
so a name such as ``</script><script>alert(1)</script>`` is shown as it is
written and runs nothing. Each page also carries a Content-Security-Policy
that lets only its own scripts run.

>>> from marketgraph.graph.store import open_store
>>> page = overview_html(open_store(backend="memory"))
>>> "No entities yet" in page and "https://" not in page.split("</head>")[0]
True
"""

from __future__ import annotations

import html
import json
import math
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from marketgraph.errors import InputError, UnknownEntity
from marketgraph.graph.network import (
    centrality,
    deal_view,
    entity_graph,
    find_entity,
    find_node,
    left_out,
)
from marketgraph.graph.store import MarketStore, ReportInfo

#: The vis-network build shipped with pyvis 0.3.2 that the pages use.
VIS_FOLDER = ("lib", "vis-9.1.2")
#: Files served under ``asset_base``: vis-network's, then this package's own.
VIS_ASSETS = ("vis-network.min.js", "vis-network.css")
OWN_ASSETS = ("graph.js", "graph.css")


@dataclass(frozen=True, slots=True)
class KindStyle:
    """How one entity kind is drawn."""

    name: str
    color: str
    shape: str


#: Node colour and shape by entity kind (vis-network shapes with the label below).
KIND_STYLES: dict[str, KindStyle] = {
    "org": KindStyle("Organization", "#4e79a7", "dot"),
    "person": KindStyle("Person", "#f28e2b", "diamond"),
    "dataset": KindStyle("Dataset", "#59a14f", "square"),
    "product": KindStyle("Product", "#b07aa1", "triangle"),
    "region": KindStyle("Region", "#76b7b2", "hexagon"),
    "market": KindStyle("Market", "#e15759", "star"),
    "dimension": KindStyle("Segment dimension", "#edc948", "triangleDown"),
    "segment": KindStyle("Segment", "#ff9da7", "dot"),
    "regulation": KindStyle("Regulation", "#9c755f", "square"),
}
_OTHER = KindStyle("Other", "#bab0ac", "dot")


@dataclass(frozen=True, slots=True)
class DealStyle:
    """How one deal type's edges are drawn: colour and dash pattern (None: a solid line)."""

    name: str
    color: str
    dashes: tuple[int, ...] | None


#: Edge colour and dashes by deal type, on the deals page and the entity page.
DEAL_STYLES: dict[str, DealStyle] = {
    "Acquisition": DealStyle("Acquisition", "#c0392b", None),
    "Investment": DealStyle("Investment", "#2e8540", (10, 5)),
    "FundingRound": DealStyle("Funding round", "#2f6f9f", (3, 5)),
    "Partnership": DealStyle("Partnership", "#8e44ad", (16, 6)),
    "Licensing": DealStyle("Licensing", "#d68910", (10, 4, 2, 4)),
}

#: Facts listed in a node's tooltip.
TOOLTIP_FACTS = 5

_VIS_OPTIONS: dict[str, Any] = {
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False},
    "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif"}},
    "edges": {
        "smooth": {"enabled": True, "type": "continuous"},
        "color": {"color": "#9aa5b1", "highlight": "#34495e", "inherit": False},
        "font": {"size": 11, "align": "middle", "face": "system-ui, sans-serif"},
    },
}


# ------------------------------------------------------------------ escaping


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element of an HTML page.

    ``json.dumps`` leaves ``</script>`` and ``<!--`` as they are, and either
    would end or derail the script element; every ``<``, ``>`` and ``&``
    becomes a ``\\u`` escape instead (the same string to a JSON parser), and
    so do the two line separators that old JavaScript parsers choke on.

    >>> str(script_json({"name": "</script><!--"}))
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    for raw, escaped in _SCRIPT_ESCAPES:
        text = text.replace(raw, escaped)
    return Markup(text)


_SCRIPT_ESCAPES = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_SCRIPT_END = re.compile(r"<(/script|!--)", re.IGNORECASE)
_STYLE_END = re.compile(r"</style", re.IGNORECASE)


def _inline_script(code: str) -> Markup:
    # A library's code is trusted, but a closing tag inside one of its strings
    # would still end the element early.
    return Markup(_SCRIPT_END.sub(lambda m: "<\\" + m.group(1), code))


def _inline_style(css: str) -> Markup:
    return Markup(_STYLE_END.sub("<\\\\/style", css))


# ------------------------------------------------------------------ assets


def asset_path(name: str):
    """The packaged file served as ``{asset_base}/{name}`` (a ``Traversable``).

    Raises:
        UnknownEntity: not one of :data:`VIS_ASSETS` or :data:`OWN_ASSETS`.
    """
    if name in VIS_ASSETS:
        return files("pyvis").joinpath(*VIS_FOLDER, name)
    if name in OWN_ASSETS:
        return files("marketgraph.visual").joinpath("static", name)
    known = ", ".join(VIS_ASSETS + OWN_ASSETS)
    raise UnknownEntity(f"no page asset named {name!r}; assets are {known}")


@cache
def _asset_text(name: str) -> str:
    return asset_path(name).read_text(encoding="utf-8")


@cache
def _templates() -> jinja2.Environment:
    folder = files("marketgraph.visual").joinpath("templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _kind_css() -> Markup:
    rules = [f".kind-{k} {{ background: {s.color}; }}" for k, s in KIND_STYLES.items()]
    return Markup("\n".join(rules))


def render_page(
    template: str,
    *,
    inline: bool,
    asset_base: str,
    nav: dict[str, Any] | None = None,
    **context: Any,
) -> str:
    nonce = secrets.token_urlsafe(16)
    if inline:
        assets = {
            "vis_js": _inline_script(_asset_text("vis-network.min.js")),
            "own_js": _inline_script(_asset_text("graph.js")),
            "vis_css": _inline_style(_asset_text("vis-network.css")),
            "own_css": _inline_style(_asset_text("graph.css")),
        }
        # A file opened from disk has no origin of its own: allow nothing outside the page.
        csp = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
    else:
        assets = {}
        csp = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "base-uri 'none'; form-action 'self'"
        )
    page = _templates().get_template(template)
    return page.render(
        inline=inline,
        nav=nav,
        asset_base=asset_base.rstrip("/"),
        nonce=nonce,
        csp=csp,
        kind_css=_kind_css(),
        **assets,
        **context,
    )


# ------------------------------------------------------------------ text


def format_amount(amount: Decimal | int | float | None, currency: str | None = None) -> str:
    """A sum as a reader says it: ``USD 120 million``, ``EUR 1.5 billion``.

    >>> format_amount(Decimal("1500000000"), "EUR")
    'EUR 1.5 billion'
    >>> format_amount(Decimal("250000"))
    '250,000'
    """
    if amount is None:
        return ""
    value = Decimal(str(amount))
    for size, word in (
        (Decimal(10) ** 12, "trillion"),
        (Decimal(10) ** 9, "billion"),
        (Decimal(10) ** 6, "million"),
    ):
        if abs(value) >= size:
            number = f"{(value / size).quantize(Decimal('0.01')).normalize():f} {word}"
            break
    else:
        number = f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,}"
    return f"{currency} {number}" if currency else number


def fact_summary(fact: dict[str, Any]) -> str:
    """One line for a fact: ``Acquisition · 2025-11 · USD 120 million``."""
    parts = [fact.get("relation") or "fact"]
    if fact.get("round_type"):
        parts.append(fact["round_type"])
    if fact.get("date"):
        parts.append(str(fact["date"]))
    if fact.get("amount") is not None:
        parts.append(format_amount(fact["amount"], fact.get("currency")))
    if fact.get("status"):
        parts.append(fact["status"])
    return " · ".join(parts)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def node_tooltip(G: nx.MultiDiGraph, node: str) -> str:
    """The escaped HTML of a node's tooltip: name, kind, aliases and its first facts."""
    data = G.nodes[node]
    lines = [
        f"<strong>{_esc(data['label'])}</strong>",
        f"<em>{_esc(KIND_STYLES.get(data['kind'], _OTHER).name)}</em>",
    ]
    if data.get("aliases"):
        lines.append("also: " + _esc(", ".join(data["aliases"])))
    facts = _node_facts(G, node)
    for fact in facts[:TOOLTIP_FACTS]:
        lines.append("• " + _esc(_fact_line(G, node, fact)))
    if len(facts) > TOOLTIP_FACTS:
        lines.append(f"… and {len(facts) - TOOLTIP_FACTS} more")
    return "<br>".join(lines)


def _fact_line(G: nx.MultiDiGraph, node: str, fact: dict[str, Any]) -> str:
    others = [
        G.nodes[p]["label"]
        for parties in fact.get("roles", {}).values()
        for p in parties
        if p != node and p in G
    ]
    text = fact_summary(fact)
    return f"{text} with {', '.join(others)}" if others else text


def _node_facts(G: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """The events a node takes part in, dated ones first, latest first."""
    events = [G.graph["events"][e] for e in G.nodes[node].get("events", [])]
    dated = sorted((f for f in events if f.get("date")), key=lambda f: str(f["date"]), reverse=True)
    return dated + [f for f in events if not f.get("date")]


def _edge_tooltip(facts: list[dict[str, Any]]) -> str:
    lines = []
    for fact in facts:
        line = _esc(fact_summary(fact))
        if fact.get("sentence"):
            line += f"<br><q>{_esc(fact['sentence'])}</q>"
        lines.append(line)
    return "<hr>".join(lines)


# ------------------------------------------------------------------ graph to vis


def report_query(report: str | None, **params: Any) -> str:
    """The query string that keeps a page on one report: ``?report=...`` or ``""``.

    >>> report_query("notes.txt", depth=2), report_query(None)
    ('?report=notes.txt&depth=2', '')
    """
    found = {"report": report, **params} if report else params
    kept = {k: v for k, v in found.items() if v is not None}
    return "?" + urlencode(kept) if kept else ""


def view_url(kind: str, slug: str, report: str | None = None) -> str:
    """The entity page's path: ``/view/{kind}/{slug}``, kept on ``report`` when given."""
    return f"/view/{quote(kind, safe='')}/{quote(slug, safe='/')}" + report_query(report)


def rest_url(kind: str, slug: str) -> str:
    """The REST resource of an entity: ``/entities/{kind}/{slug}``."""
    return f"/entities/{quote(kind, safe='')}/{quote(slug, safe='/')}"


def sparql_url(iri: str) -> str:
    """A link to the SPARQL endpoint, with a query for every statement about ``iri``."""
    query = (
        "SELECT ?property ?value ?graph WHERE {\n"
        f"  GRAPH ?graph {{ <{iri}> ?property ?value }}\n}}"
    )
    return "/sparql?" + urlencode({"query": query})


def _keep(
    G: nx.MultiDiGraph, ranks: dict[str, dict[str, float]], budget: int, pinned: str | None
) -> list[str]:
    """The ``budget`` most central nodes (PageRank, then degree, then name), ``pinned`` always."""

    def rank(n: str) -> tuple:
        found = ranks.get(n, {"pagerank": 0.0, "degree": 0})
        return (-found["pagerank"], -found["degree"], G.nodes[n]["label"].casefold(), n)

    ordered = sorted(G, key=rank)
    kept = ordered[:budget]
    if pinned is not None and pinned not in kept:
        kept = [*kept[: budget - 1], pinned]
    return kept


def _network(
    G: nx.MultiDiGraph,
    nodes: list[str],
    ranks: dict[str, dict[str, float]],
    *,
    links: bool,
    edges: str,
    report: str | None = None,
) -> Network:
    """A pyvis Network of ``nodes`` and the edges among them.

    Node records carry, beside vis-network's fields, ``kind``, ``names``
    (label and aliases, for the search box), ``reports`` (report IRIs, for
    the report filter) and ``url`` (the entity page, or None when ``links``
    is False). ``edges`` is "merged" (one edge per pair of nodes), "facts"
    (one labelled edge per fact) or "deals" (one edge per deal, styled by type).
    """
    net = Network(directed=True)
    top = max((ranks.get(n, {}).get("pagerank", 0.0) for n in nodes), default=0.0) or 1.0
    for n in nodes:
        data = G.nodes[n]
        style = KIND_STYLES.get(data["kind"], _OTHER)
        weight = ranks.get(n, {}).get("pagerank", 0.0) / top
        net.add_node(
            n,
            label=data["label"],
            shape=style.shape,
            color=style.color,
            size=round(10 + 26 * weight**0.5, 1),
            title=node_tooltip(G, n),
            kind=data["kind"],
            names=[data["label"], *data.get("aliases", [])],
            reports=data.get("reports", []),
            url=view_url(data["kind"], data["slug"], report) if links else None,
        )
    kept = set(nodes)
    sub = G.subgraph(kept)
    {"merged": _add_merged_edges, "facts": _add_fact_edges, "deals": _add_deal_edges}[edges](
        net, sub
    )
    return net


def _add_merged_edges(net: Network, G: nx.MultiDiGraph) -> None:
    """One drawn edge per ordered pair of nodes, its tooltip listing every fact."""
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for u, v, data in G.edges(data=True):
        pairs.setdefault((u, v), []).append(data)
    for (u, v), facts in pairs.items():
        net.add_edge(
            u,
            v,
            title=_edge_tooltip(facts),
            width=min(1 + len(facts), 6),
            arrows=_arrows(facts[0]),
            dashes=all(f.get("kind") != "event" for f in facts),
        )


def _add_fact_edges(net: Network, G: nx.MultiDiGraph) -> None:
    """One drawn edge per fact, labelled with its type, date and amount."""
    seen: dict[frozenset, int] = {}
    for u, v, data in G.edges(data=True):
        pair = frozenset((u, v))
        nth = seen[pair] = seen.get(pair, -1) + 1
        is_event = data.get("kind") == "event"
        style = DEAL_STYLES.get(data.get("relation", "")) if is_event else None
        net.add_edge(
            u,
            v,
            label=fact_summary(data) if is_event else data.get("relation", ""),
            title=_edge_tooltip([data]),
            arrows=_arrows(data),
            dashes=_dashes(style) if style else not is_event,
            **({"color": _edge_color(style)} if style else {}),
            # Parallel facts curve apart instead of drawing over each other.
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.12 + 0.18 * nth}
            if nth
            else {"enabled": True, "type": "continuous"},
        )


def _add_deal_edges(net: Network, G: nx.MultiDiGraph) -> None:
    """One drawn edge per deal, coloured and dashed by its type; date and type kept for filters.

    Up to :data:`DEAL_LABELS` edges are labelled with their date and amount;
    beyond, labels would hide the drawing, and the tooltips say it all.
    """
    labelled = G.number_of_edges() <= DEAL_LABELS

    def label(fact: dict[str, Any]) -> str | None:
        if not labelled:
            return None
        found = [str(fact["date"]) if fact.get("date") else ""]
        found.append(format_amount(fact.get("amount"), fact.get("currency")))
        return " · ".join(f for f in found if f) or None

    seen: dict[frozenset, int] = {}
    for u, v, data in G.edges(data=True):
        style = DEAL_STYLES.get(data.get("relation", ""), DealStyle("Deal", "#9aa5b1", None))
        pair = frozenset((u, v))
        nth = seen[pair] = seen.get(pair, -1) + 1
        net.add_edge(
            u,
            v,
            title=_edge_tooltip([data]),
            arrows=_arrows(data),
            dashes=_dashes(style),
            width=2,
            color=_edge_color(style),
            label=label(data),
            relation=data.get("relation"),
            date=data.get("date"),
            fact=data.get("fact"),
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.12 + 0.18 * nth}
            if nth
            else {"enabled": True, "type": "continuous"},
        )


def _edge_color(style: DealStyle) -> dict[str, Any]:
    return {"color": style.color, "highlight": style.color, "hover": style.color, "inherit": False}


def _dashes(style: DealStyle) -> list[int] | bool:
    # vis-network takes a dash pattern as a list, and False for a solid line.
    return list(style.dashes) if style.dashes else False


def _arrows(fact: dict[str, Any]) -> dict[str, Any]:
    undirected = fact.get("relation") == "Partnership"
    return {"to": {"enabled": not undirected, "scaleFactor": 0.6}}


def _legend(
    G: nx.MultiDiGraph, nodes: list[str], folded: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """One entry per kind drawn, in the order of :data:`KIND_STYLES`, with its counts.

    ``count`` is how many are drawn, ``folded`` how many more are left out.
    """
    counts: dict[str, int] = dict.fromkeys(folded or {}, 0)
    for n in nodes:
        kind = G.nodes[n]["kind"]
        counts[kind] = counts.get(kind, 0) + 1
    order = [*KIND_STYLES, *sorted(set(counts) - KIND_STYLES.keys())]
    return [
        {
            "kind": kind,
            "count": counts[kind],
            "folded": (folded or {}).get(kind, 0),
            **_style_fields(KIND_STYLES.get(kind, _OTHER)),
        }
        for kind in order
        if kind in counts
    ]


def _style_fields(style: KindStyle) -> dict[str, str]:
    return {"name": style.name, "color": style.color, "shape": style.shape}


#: The entity page draws few nodes with labelled edges: longer springs, level labels.
_ENTITY_OPTIONS: dict[str, Any] = {
    **_VIS_OPTIONS,
    "physics": {
        **_VIS_OPTIONS["physics"],
        "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 230},
    },
    "edges": {
        **_VIS_OPTIONS["edges"],
        "font": {**_VIS_OPTIONS["edges"]["font"], "align": "horizontal", "background": "#ffffff"},
    },
}


#: Above this many nodes vis-network's initial layout (Kamada-Kawai) costs more than it saves.
IMPROVED_LAYOUT_LIMIT = 150
#: Layout steps before physics stops: fewer on large drawings, whose every step costs more.
STABILIZATION_STEPS = ((150, 400), (600, 220), (None, 150))


def _steps(nodes: int) -> int:
    return next(steps for limit, steps in STABILIZATION_STEPS if limit is None or nodes <= limit)


def _graph_data(
    net: Network,
    *,
    page: str,
    focus: str | None,
    links: bool,
    options: dict[str, Any] = _VIS_OPTIONS,
    **extra: Any,
) -> Markup:
    layout = {"improvedLayout": len(net.nodes) <= IMPROVED_LAYOUT_LIMIT, "randomSeed": 7}
    physics = options["physics"]
    stabilization = {**physics["stabilization"], "iterations": _steps(len(net.nodes))}
    return script_json(
        {
            "page": page,
            "nodes": net.nodes,
            "edges": net.edges,
            "options": {
                **options,
                "layout": layout,
                "physics": {**physics, "stabilization": stabilization},
            },
            "focus": focus,
            "links": links,
            **extra,
        }
    )


# ------------------------------------------------------------------ navigation


def _report_label(info: ReportInfo) -> str:
    return f"{info.title} ({info.source_name})" if info.title else info.source_name


def report_scope(
    store: MarketStore, report: str | None
) -> tuple[list[ReportInfo], ReportInfo | None]:
    """Every report in the store, and the one ``report`` names (None for all).

    Raises:
        UnknownEntity: no such report.
    """
    reports = store.reports()
    if report is None:
        return reports, None
    return reports, store.find_report(report)


def nav_context(
    page: str, reports: list[ReportInfo], chosen: ReportInfo | None, **keep: Any
) -> dict[str, Any]:
    """What the bar at the top of each page needs: its links and the report picker."""
    return {
        "page": page,
        "query": report_query(chosen.source_name if chosen else None),
        "report": _report_label(chosen) if chosen else None,
        "reports": [
            {
                "value": info.source_name,
                "label": _report_label(info),
                "selected": chosen is not None and info.iri == chosen.iri,
            }
            for info in reports
        ],
        "keep": [(name, str(value)) for name, value in keep.items() if value is not None],
    }


def graph_for(
    store: MarketStore, chosen: ReportInfo | None, graph: nx.MultiDiGraph | None
) -> nx.MultiDiGraph:
    """The entity graph of one report, or the cached graph of the store, or a new one."""
    if chosen is not None:
        return entity_graph(store, chosen.iri)
    return graph if graph is not None else entity_graph(store)


# ------------------------------------------------------------------ overview

_PLURALS = {"Person": "people", "Other": "others"}


def _plural(style: KindStyle, count: int) -> str:
    if count == 1:
        return style.name.lower()
    return _PLURALS.get(style.name, style.name.lower() + "s")


def _add_left_out(
    net: Network, G: nx.MultiDiGraph, nodes: list[str], ranks: dict[str, dict[str, float]]
) -> list[dict[str, Any]]:
    """One node per kind standing for the entities left out, linked to those drawn.

    Returns one ``{"kind", "name", "count"}`` per group, largest first.
    """
    out = []
    for group in left_out(G, nodes):
        style = KIND_STYLES.get(group.kind, _OTHER)
        count = len(group.members)
        plural = _plural(style, count)
        members = sorted(group.members, key=lambda n: -ranks.get(n, {}).get("pagerank", 0.0))
        top = ", ".join(G.nodes[n]["label"] for n in members[:TOOLTIP_FACTS])
        node_id = f"left-out:{group.kind}"
        title = "<br>".join(
            [
                f"<strong>{count:,} more {_esc(plural)}</strong>",
                "<em>left out of this drawing: the least central</em>",
                f"the most central of them: {_esc(top)}",
                "Search for one by name to draw it.",
            ]
        )
        net.add_node(
            node_id,
            label=f"+{count:,} {plural}",
            shape=style.shape,
            color={"background": "#ffffff", "border": style.color},
            borderWidth=2,
            shapeProperties={"borderDashes": [4, 3]},
            size=round(12 + 6 * math.log10(count + 1), 1),
            title=title,
            kind=group.kind,
            names=[],
            reports=sorted({r for n in group.members for r in G.nodes[n].get("reports", [])}),
            url=None,
            aggregate=count,
        )
        for other, links in group.links.items():
            net.add_edge(
                other,
                node_id,
                title=_esc(f"{G.nodes[other]['label']}: {links:,} links to left-out {plural}"),
                width=round(min(1 + math.log2(links), 6), 1),
                dashes=True,
                color={"color": "#c3ccd5", "highlight": "#7b8794", "inherit": False},
                arrows={"to": {"enabled": False}},
            )
        out.append({"kind": group.kind, "name": plural, "count": count})
    return out


def _report_filter(
    G: nx.MultiDiGraph, nodes: list[str], reports: list[ReportInfo]
) -> list[dict[str, Any]]:
    """One checkbox per report that mentions a drawn entity, with how many it mentions."""
    counts: dict[str, int] = {}
    for n in nodes:
        for r in G.nodes[n].get("reports", []):
            counts[r] = counts.get(r, 0) + 1
    return [
        {"iri": info.iri, "label": _report_label(info), "count": counts[info.iri]}
        for info in reports
        if info.iri in counts
    ]


def overview_html(
    store: MarketStore,
    *,
    focus: str | None = None,
    node_budget: int = 500,
    report: str | None = None,
    asset_base: str | None = "/static/vis",
    graph: nx.MultiDiGraph | None = None,
) -> str:
    """The page of the whole graph: every entity, coloured by kind, sized by centrality.

    Above ``node_budget`` entities only the most central are drawn; the rest
    are folded into one node per kind ("+1,234 organizations") linked to the
    drawn entities they touch, and the page says how many were left out.
    With several reports, a filter hides the entities of unticked reports.

    Args:
        store: the store to draw.
        focus: an entity's name, alias, ``kind/slug`` or IRI to centre on
            (always drawn, even when it would be left out).
        node_budget: most entities drawn.
        report: draw only this report (IRI, source name or slug).
        asset_base: where the page loads its scripts and styles from; None
            inlines them (a page that needs no server: no links, no nav bar).
        graph: the store's :func:`~marketgraph.graph.network.entity_graph`,
            when the caller keeps one (ignored with ``report``).

    Raises:
        UnknownEntity: ``focus`` or ``report`` is not in the store.
        InputError: ``node_budget`` is below 1.
    """
    if node_budget < 1:
        raise InputError(f"node_budget must be at least 1 (got {node_budget})")
    reports, chosen = report_scope(store, report)
    G = graph_for(store, chosen, graph)
    pinned = find_node(G, focus) if focus else None
    ranks = centrality(G)
    nodes = _keep(G, ranks, node_budget, pinned)
    links = asset_base is not None
    scope = chosen.source_name if chosen else None
    net = _network(G, nodes, ranks, links=links, edges="merged", report=scope)
    drawn_edges = len(net.edges)
    groups = _add_left_out(net, G, nodes, ranks) if len(nodes) < len(G) else []
    folded = {g["kind"]: g["count"] for g in groups}
    return render_page(
        "overview.html",
        inline=asset_base is None,
        asset_base=asset_base or "",
        nav=nav_context("overview", reports, chosen) if links else None,
        title="Market graph",
        total=G.number_of_nodes(),
        shown=len(nodes),
        left_out=G.number_of_nodes() - len(nodes),
        groups=groups,
        edges=drawn_edges,
        legend=_legend(G, nodes, folded),
        reports=reports if chosen is None else [chosen],
        report_filter=_report_filter(G, nodes, reports) if chosen is None else [],
        report=_report_label(chosen) if chosen else None,
        data_json=_graph_data(
            net,
            page="overview",
            focus=pinned,
            links=links,
            truncated=len(nodes) < len(G),
            # A file opened from disk has no server to ask for the entities left out.
            search_url="/" + report_query(scope) if links else None,
        ),
    )


def write_overview(
    store: MarketStore,
    path: str | Path,
    *,
    focus: str | None = None,
    node_budget: int = 500,
    report: str | None = None,
) -> Path:
    """Write the overview as one self-contained HTML file (no server, no network needed).

    vis-network's script and stylesheet are read from the installed pyvis
    package and inlined; nothing is written anywhere but ``path``.

    Raises:
        UnknownEntity: ``focus`` or ``report`` is not in the store.
        InputError: the file cannot be written.
    """
    page = overview_html(
        store, focus=focus, node_budget=node_budget, report=report, asset_base=None
    )
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {target}: {e.strerror}; choose a writable path") from None
    return target


# ------------------------------------------------------------------ entity


def entity_html(
    store: MarketStore,
    kind: str,
    slug: str,
    depth: int = 1,
    *,
    node_budget: int = 500,
    report: str | None = None,
    asset_base: str = "/static/vis",
    graph: nx.MultiDiGraph | None = None,
) -> str:
    """The page of one entity: its neighbourhood and the evidence of every fact.

    Deal edges are labelled with their type, date and amount; the side panel
    quotes the source sentence of each fact and links to the REST resource
    of each entity and to a ready-made SPARQL query.

    Args:
        kind, slug: the entity, as in its IRI ``mgid:<kind>/<slug>``.
        depth: how many hops of neighbours to draw (1 to 3).
        node_budget: most entities drawn (the most central are kept).
        report: only what this report says (IRI, source name or slug).
        graph: the store's :func:`~marketgraph.graph.network.entity_graph`,
            when the caller keeps one (ignored with ``report``).

    Raises:
        UnknownEntity: no such entity (in that report), or no such report.
        InputError: depth outside 1..3.
    """
    if not 1 <= depth <= 3:
        raise InputError(f"depth must be 1, 2 or 3 (got {depth})")
    reports, chosen = report_scope(store, report)
    G = graph_for(store, chosen, graph)
    try:
        node = find_entity(G, kind, slug)
    except UnknownEntity as e:
        if chosen is None:
            raise
        raise UnknownEntity(f"{e} of report {chosen.source_name!r}; try all reports") from None
    scope = chosen.source_name if chosen else None
    around = nx.ego_graph(G.to_undirected(as_view=True), node, radius=depth)
    hood = G.subgraph(around).copy()
    hood.graph["events"] = G.graph["events"]
    ranks = centrality(hood)
    nodes = _keep(hood, ranks, node_budget, node)
    net = _network(hood, nodes, ranks, links=True, edges="facts", report=scope)
    data = G.nodes[node]
    return render_page(
        "entity.html",
        inline=False,
        asset_base=asset_base,
        nav=nav_context("entity", reports, chosen, depth=depth if depth != 1 else None),
        title=data["label"],
        entity={
            **data,
            "iri": node,
            "kind_name": KIND_STYLES.get(kind, _OTHER).name,
            "rest": rest_url(kind, data["slug"]),
            "sparql": sparql_url(node),
        },
        facts=_panel_facts(G, node, scope),
        depth=depth,
        depth_links=[(d, report_query(scope, depth=d)) for d in (1, 2, 3) if d != depth],
        shown=len(nodes),
        left_out=hood.number_of_nodes() - len(nodes),
        legend=_legend(hood, nodes),
        data_json=_graph_data(net, page="entity", focus=node, links=True, options=_ENTITY_OPTIONS),
    )


def _party(G: nx.MultiDiGraph, iri: str, role: str, report: str | None) -> dict[str, Any]:
    data = G.nodes[iri]
    return {
        "label": data["label"],
        "role": role,
        "view": view_url(data["kind"], data["slug"], report),
        "rest": rest_url(data["kind"], data["slug"]),
    }


def _panel_facts(G: nx.MultiDiGraph, node: str, report: str | None) -> list[dict[str, Any]]:
    """Every fact about the entity, with its parties, quotes and links."""
    out = []
    for fact in _node_facts(G, node):
        parties = [
            _party(G, p, role, report)
            for role, found in fact.get("roles", {}).items()
            for p in found
            if p != node
        ]
        out.append(
            {
                "summary": fact_summary(fact),
                "label": fact.get("label"),
                "parties": parties,
                "quotes": fact.get("sentences", []),
                "sparql": sparql_url(fact["fact"]),
            }
        )
    links = [(v, d, "out") for _, v, d in G.out_edges(node, data=True)]
    links += [(u, d, "in") for u, _, d in G.in_edges(node, data=True)]
    for other, data, way in links:
        if data.get("kind") == "event":
            continue
        relation = data.get("relation", "")
        out.append(
            {
                "summary": relation if way == "out" else f"{relation} (of)",
                "label": None,
                "parties": [_party(G, other, relation, report)],
                "quotes": data.get("sentences", []),
                "sparql": sparql_url(node),
            }
        )
    return out


# ------------------------------------------------------------------ deals

#: Most deal edges drawn with a label.
DEAL_LABELS = 80

_DEALS_OPTIONS: dict[str, Any] = {
    **_VIS_OPTIONS,
    "physics": {
        **_VIS_OPTIONS["physics"],
        "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 150},
    },
}


def deals_html(
    store: MarketStore,
    *,
    node_budget: int = 500,
    report: str | None = None,
    asset_base: str = "/static/vis",
    graph: nx.MultiDiGraph | None = None,
) -> str:
    """The page of deals: organizations linked by acquisitions, investments, rounds and more.

    Each deal type has its own colour and dash pattern (see
    :data:`DEAL_STYLES`, shown in the legend, where each type can be hidden);
    a date range filter hides the deals dated outside it. Organizations with
    no deal are not drawn; above ``node_budget`` only the most central are.

    Args:
        node_budget: most organizations drawn.
        report: only this report's deals (IRI, source name or slug).
        graph: the store's :func:`~marketgraph.graph.network.entity_graph`,
            when the caller keeps one (ignored with ``report``).

    Raises:
        UnknownEntity: no such report.
        InputError: ``node_budget`` is below 1.
    """
    if node_budget < 1:
        raise InputError(f"node_budget must be at least 1 (got {node_budget})")
    reports, chosen = report_scope(store, report)
    G = graph_for(store, chosen, graph)
    orgs = deal_view(G)
    dealt = [n for n in orgs if orgs.degree(n)]
    D = orgs.subgraph(dealt).copy()
    D.graph["events"] = G.graph["events"]
    ranks = centrality(D)
    nodes = _keep(D, ranks, node_budget, None)
    scope = chosen.source_name if chosen else None
    net = _network(D, nodes, ranks, links=True, edges="deals", report=scope)
    for record in net.nodes:
        # Size says how many deals an organization made, not how central it is.
        made = len(
            {k for _, _, k in D.edges(record["id"], keys=True)}
            | {k for _, _, k in D.in_edges(record["id"], keys=True)}
        )
        record["size"] = round(min(10 + 5 * math.sqrt(made), 40), 1)
        record["deals"] = made
    counts: dict[str, set[str]] = {}
    dates = []
    for edge in net.edges:
        counts.setdefault(edge["relation"], set()).add(edge["fact"])
        if edge.get("date"):
            dates.append(str(edge["date"]))
    legend = [
        {
            "type": kind,
            "name": style.name,
            "color": style.color,
            "dasharray": " ".join(map(str, style.dashes)) if style.dashes else None,
            "count": len(counts[kind]),
        }
        for kind, style in DEAL_STYLES.items()
        if kind in counts
    ]
    return render_page(
        "deals.html",
        inline=False,
        asset_base=asset_base,
        nav=nav_context("deals", reports, chosen),
        title="Deals",
        deals=len({e["fact"] for e in net.edges}),
        organizations=len(nodes),
        left_out=len(dealt) - len(nodes),
        quiet=orgs.number_of_nodes() - len(dealt),
        deal_legend=legend,
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
        undated=sum(1 for e in net.edges if not e.get("date")),
        data_json=_graph_data(net, page="deals", focus=None, links=True, options=_DEALS_OPTIONS),
    )


def not_found_html(message: str) -> str:
    """A small page saying what was not found (the message is shown as text)."""
    return render_page(
        "not_found.html", inline=False, asset_base="/static/vis", title="Not found", message=message
    )
