"""Interactive graph pages: the overview of every entity and one entity's neighbourhood.

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
from marketgraph.graph.network import centrality, entity_graph, find_entity, find_node
from marketgraph.graph.store import MarketStore

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


def _render(template: str, *, inline: bool, asset_base: str, **context: Any) -> str:
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


def view_url(kind: str, slug: str) -> str:
    """The entity page's path: ``/view/{kind}/{slug}``."""
    return f"/view/{quote(kind, safe='')}/{quote(slug, safe='/')}"


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
    edge_labels: bool,
) -> Network:
    """A pyvis Network of ``nodes`` and the edges among them."""
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
            url=view_url(data["kind"], data["slug"]) if links else None,
        )
    kept = set(nodes)
    sub = G.subgraph(kept)
    if edge_labels:
        _add_fact_edges(net, sub)
    else:
        _add_merged_edges(net, sub)
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
        net.add_edge(
            u,
            v,
            label=fact_summary(data) if is_event else data.get("relation", ""),
            title=_edge_tooltip([data]),
            arrows=_arrows(data),
            dashes=not is_event,
            # Parallel facts curve apart instead of drawing over each other.
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.12 + 0.18 * nth}
            if nth
            else {"enabled": True, "type": "continuous"},
        )


def _arrows(fact: dict[str, Any]) -> dict[str, Any]:
    undirected = fact.get("relation") == "Partnership"
    return {"to": {"enabled": not undirected, "scaleFactor": 0.6}}


def _legend(G: nx.MultiDiGraph, nodes: list[str]) -> list[dict[str, Any]]:
    """One entry per kind drawn, in the order of :data:`KIND_STYLES`, with its count."""
    counts: dict[str, int] = {}
    for n in nodes:
        kind = G.nodes[n]["kind"]
        counts[kind] = counts.get(kind, 0) + 1
    order = [*KIND_STYLES, *sorted(set(counts) - KIND_STYLES.keys())]
    return [
        {"kind": kind, "count": counts[kind], **_style_fields(KIND_STYLES.get(kind, _OTHER))}
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


def _graph_data(
    net: Network, *, focus: str | None, links: bool, options: dict[str, Any] = _VIS_OPTIONS
) -> Markup:
    layout = {"improvedLayout": len(net.nodes) <= IMPROVED_LAYOUT_LIMIT, "randomSeed": 7}
    return script_json(
        {
            "nodes": net.nodes,
            "edges": net.edges,
            "options": {**options, "layout": layout},
            "focus": focus,
            "links": links,
        }
    )


# ------------------------------------------------------------------ pages


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

    Above ``node_budget`` entities only the most central are drawn, and the
    page says how many were left out.

    Args:
        store: the store to draw.
        focus: an entity's name, alias, ``kind/slug`` or IRI to centre on.
        node_budget: most entities drawn.
        report: draw only this report (IRI, source name or slug).
        asset_base: where the page loads its scripts and styles from; None
            inlines them (a page that needs no server).
        graph: the store's :func:`~marketgraph.graph.network.entity_graph`,
            when the caller keeps one (ignored with ``report``).

    Raises:
        UnknownEntity: ``focus`` or ``report`` is not in the store.
        InputError: ``node_budget`` is below 1.
    """
    if node_budget < 1:
        raise InputError(f"node_budget must be at least 1 (got {node_budget})")
    G = graph if graph is not None and report is None else entity_graph(store, report)
    pinned = find_node(G, focus) if focus else None
    ranks = centrality(G)
    nodes = _keep(G, ranks, node_budget, pinned)
    links = asset_base is not None
    net = _network(G, nodes, ranks, links=links, edge_labels=False)
    reports = store.reports()
    return _render(
        "overview.html",
        inline=asset_base is None,
        asset_base=asset_base or "",
        title="Market graph",
        total=G.number_of_nodes(),
        shown=len(nodes),
        left_out=G.number_of_nodes() - len(nodes),
        edges=len(net.edges),
        legend=_legend(G, nodes),
        reports=[r.title or r.source_name for r in reports],
        report=report,
        data_json=_graph_data(net, focus=pinned, links=links),
    )


def write_overview(
    store: MarketStore, path: str | Path, *, focus: str | None = None, node_budget: int = 500
) -> Path:
    """Write the overview as one self-contained HTML file (no server, no network needed).

    vis-network's script and stylesheet are read from the installed pyvis
    package and inlined; nothing is written anywhere but ``path``.

    Raises:
        UnknownEntity: ``focus`` is not in the store.
        InputError: the file cannot be written.
    """
    page = overview_html(store, focus=focus, node_budget=node_budget, asset_base=None)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {target}: {e.strerror}; choose a writable path") from None
    return target


def entity_html(
    store: MarketStore,
    kind: str,
    slug: str,
    depth: int = 1,
    *,
    node_budget: int = 500,
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
        graph: the store's :func:`~marketgraph.graph.network.entity_graph`,
            when the caller keeps one.

    Raises:
        UnknownEntity: no such entity.
        InputError: depth outside 1..3.
    """
    if not 1 <= depth <= 3:
        raise InputError(f"depth must be 1, 2 or 3 (got {depth})")
    G = graph if graph is not None else entity_graph(store)
    node = find_entity(G, kind, slug)
    around = nx.ego_graph(G.to_undirected(as_view=True), node, radius=depth)
    hood = G.subgraph(around).copy()
    hood.graph["events"] = G.graph["events"]
    ranks = centrality(hood)
    nodes = _keep(hood, ranks, node_budget, node)
    net = _network(hood, nodes, ranks, links=True, edge_labels=True)
    data = G.nodes[node]
    return _render(
        "entity.html",
        inline=False,
        asset_base=asset_base,
        title=data["label"],
        entity={
            **data,
            "iri": node,
            "kind_name": KIND_STYLES.get(kind, _OTHER).name,
            "rest": rest_url(kind, data["slug"]),
            "sparql": sparql_url(node),
        },
        facts=_panel_facts(G, node),
        depth=depth,
        shown=len(nodes),
        left_out=hood.number_of_nodes() - len(nodes),
        legend=_legend(hood, nodes),
        data_json=_graph_data(net, focus=node, links=True, options=_ENTITY_OPTIONS),
    )


def _party(G: nx.MultiDiGraph, iri: str, role: str) -> dict[str, Any]:
    data = G.nodes[iri]
    return {
        "label": data["label"],
        "role": role,
        "view": view_url(data["kind"], data["slug"]),
        "rest": rest_url(data["kind"], data["slug"]),
    }


def _panel_facts(G: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """Every fact about the entity, with its parties, quotes and links."""
    out = []
    for fact in _node_facts(G, node):
        parties = [
            _party(G, p, role)
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
                "parties": [_party(G, other, relation)],
                "quotes": data.get("sentences", []),
                "sparql": sparql_url(node),
            }
        )
    return out


def not_found_html(message: str) -> str:
    """A small page saying what was not found (the message is shown as text)."""
    return _render(
        "not_found.html", inline=False, asset_base="/static/vis", title="Not found", message=message
    )
