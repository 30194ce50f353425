"""The RDF graph seen as a network of entities, for drawing and path finding.

:func:`entity_graph` projects the store onto a :class:`networkx.MultiDiGraph`
whose nodes are the entities (keyed by IRI) and whose edges are what links
two of them:

- an *event* (a deal or a launch) becomes one edge between each pair of its
  parties that plays a directed pair of roles (the acquirer points at the
  company it bought, the investor at the investee, the licensor at the
  licensee, partners point at each other in name order);
- an entity-to-entity *property* (``mg:partOf``, ``mg:publisher``,
  ``mg:provider``, ``mg:jurisdiction``, ``mg:leader``, ``mg:segmentedBy``,
  ``skos:inScheme``) becomes one edge from subject to object;
- an observation about a segment or region of a market becomes one edge
  from the segment to the market (relation ``segment``).

Node attributes: ``label``, ``kind`` (``org``, ``region`` ...), ``slug``
(the IRI's part after ``<kind>/``), ``aliases`` and ``reports`` (sorted
lists) and ``events`` (IRIs of the events the entity takes part in, with or
without a counterpart). Edge attributes: ``relation`` (the event type or
the property's name), ``kind`` (``event``, ``property`` or ``observation``),
``fact`` (the event's or property's IRI), ``sentence`` (the first source
sentence, its ``mg:text``; None for properties) and ``sentences``; event
edges also carry ``source_role``, ``target_role``, ``label``, ``date`` (the
ISO text), ``amount`` and ``valuation`` (``Decimal``), ``currency``,
``round_type``, ``status`` and ``report``. ``G.graph["events"]`` maps
every event's IRI to its record (the same fields plus ``roles``: role name
to party IRIs), so one-party events (a funding round with no named
investor) are not lost.

>>> from marketgraph.graph.store import open_store
>>> G = entity_graph(open_store(backend="memory"))
>>> G.number_of_nodes(), G.graph["events"]
(0, {})
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import networkx as nx
from rapidfuzz import process
from rdflib import URIRef
from rdflib.namespace import SKOS

from marketgraph.errors import QueryError, UnknownEntity
from marketgraph.graph.store import MarketStore
from marketgraph.graph.triples import CLASS_KINDS, KIND_CLASSES
from marketgraph.ontology import MG, MGID

#: Event types that are deals: what links organizations in :func:`organization_graph`.
DEAL_TYPES: tuple[str, ...] = (
    "Acquisition",
    "Investment",
    "FundingRound",
    "Partnership",
    "Licensing",
)
#: Every event type the projection reads.
EVENT_TYPES: tuple[str, ...] = (*DEAL_TYPES, "Launch")

#: How an event becomes edges: (from-role, to-role) pairs, most specific first.
#: A pair with the same role twice links every two parties in name order.
EDGE_ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "Acquisition": (("acquirer", "acquired"), ("acquirer", "seller")),
    "Investment": (("investor", "investee"),),
    "FundingRound": (("leadInvestor", "investee"), ("investor", "investee")),
    "Partnership": (("participant", "participant"),),
    "Licensing": (("licensor", "licensee"),),
    "Launch": (("launchedBy", "launched"),),
}
#: The role that acts in each event type; an event's ``mg:product`` hangs off it.
ACTOR_ROLES: dict[str, str] = {
    "Acquisition": "acquirer",
    "Investment": "investor",
    "FundingRound": "investee",
    "Partnership": "participant",
    "Licensing": "licensor",
    "Launch": "launchedBy",
}
_ROLES = sorted({r for pairs in EDGE_ROLES.values() for pair in pairs for r in pair} | {"product"})

#: Entity-to-entity properties drawn as edges, by the name edges carry.
PROPERTIES: dict[str, URIRef] = {
    "partOf": MG.partOf,
    "publisher": MG.publisher,
    "provider": MG.provider,
    "jurisdiction": MG.jurisdiction,
    "leader": MG.leader,
    "segmentedBy": MG.segmentedBy,
    "inScheme": SKOS.inScheme,
}

_EVENT_FIELDS = {
    "date": MG.date,
    "amount": MG.amount,
    "currency": MG.currency,
    "valuation": MG.valuation,
    "round_type": MG.roundType,
    "status": MG.status,
}


def _values(var: str, iris) -> str:
    return f"VALUES ?{var} {{ {' '.join(URIRef(i).n3() for i in iris)} }}"


def _slug(iri: str, kind: str) -> str:
    prefix = f"{MGID}{kind}/"
    return iri[len(prefix) :] if iri.startswith(prefix) else iri.rstrip("/").rsplit("/", 1)[-1]


def entity_graph(store: MarketStore, report: str | None = None) -> nx.MultiDiGraph:
    """The entities of the store and what links them, as a directed multigraph.

    See the module's documentation for the node and edge attributes.

    Args:
        store: the store to read.
        report: only this report's named graph (its IRI, source name or
            slug); every report when None.

    Raises:
        UnknownEntity: no such report.
    """
    graphs = [store.find_report(report).iri] if report is not None else None
    G = nx.MultiDiGraph()
    G.graph["events"] = {}
    _add_entities(G, store, graphs)
    sentences = _sentences(store, graphs)
    _add_events(G, store, graphs, sentences)
    _add_properties(G, store, graphs)
    _add_observations(G, store, graphs, sentences)
    return G


def _add_entities(G: nx.MultiDiGraph, store: MarketStore, graphs: list[str] | None) -> None:
    # DISTINCT, because a merge of listed report graphs (and a remote store's
    # union) repeats an entity named in several reports; sorting here rather
    # than in SPARQL is several times faster.
    rows = store.select(
        f"""SELECT DISTINCT ?e ?class ?label WHERE {{
              {_values("class", KIND_CLASSES.values())}
              ?e a ?class . OPTIONAL {{ ?e rdfs:label ?label }}
            }}""",
        default_graph=graphs,
    )
    rows.sort(key=lambda r: (r["e"], r.get("label", ""), r["class"]))
    # Every label seen, for when two reports spell an entity differently.
    names: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = row["e"]
        if iri not in G:
            kind = CLASS_KINDS[URIRef(row["class"])]
            # An entity stored without a label still gets a readable name.
            name = row.get("label") or _slug(iri, kind)
            G.add_node(iri, label=name, kind=kind, slug=_slug(iri, kind), events=[])
        if "label" in row:
            names[iri].add(row["label"])
    for row in store.select(
        "SELECT DISTINCT ?e ?a WHERE { ?e skos:altLabel ?a }", default_graph=graphs
    ):
        if row["e"] in G:
            names[row["e"]].add(row["a"])
    reports: dict[str, set[str]] = defaultdict(set)
    for row in store.select(
        "SELECT DISTINCT ?e ?r WHERE { ?e mg:mentionedIn ?r }", default_graph=graphs
    ):
        reports[row["e"]].add(row["r"])
    for iri, data in G.nodes(data=True):
        data["aliases"] = sorted(names[iri] - {data["label"]})
        data["reports"] = sorted(reports[iri])


def _sentences(
    store: MarketStore, graphs: list[str] | None, classes: list[URIRef] | None = None
) -> dict[str, list[tuple]]:
    """Source sentences of every event and observation (or ``classes``), in reading order."""
    classes = classes or [MG[t] for t in EVENT_TYPES] + [MG.Observation]
    rows = store.select(
        f"""SELECT DISTINCT ?node ?text ?start ?report WHERE {{
              {_values("class", classes)}
              ?node a ?class ; prov:wasDerivedFrom ?m .
              ?m mg:text ?text .
              OPTIONAL {{ ?m mg:start ?start }} OPTIONAL {{ ?m mg:inReport ?report }}
            }}""",
        default_graph=graphs,
    )
    out: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        out[row["node"]].append((row.get("report", ""), row.get("start", 0), row["text"]))
    for found in out.values():
        found.sort()
    return out


def _add_events(G, store, graphs, sentences) -> None:
    # Three plain queries joined here: SPARQL joins of events with their roles
    # and fields cost several times more on large stores.
    events: dict[str, dict[str, Any]] = {}
    rows = store.select(
        f"""SELECT DISTINCT ?ev ?type ?label WHERE {{
              {_values("type", [MG[t] for t in EVENT_TYPES])}
              ?ev a ?type . OPTIONAL {{ ?ev rdfs:label ?label }}
            }}""",
        default_graph=graphs,
    )
    rows.sort(key=lambda r: (r["ev"], r["type"], r.get("label", "")))
    for row in rows:
        iri = row["ev"]
        if iri in events:
            continue
        found = sentences.get(iri, [])
        events[iri] = {
            "fact": iri,
            "relation": row["type"].removeprefix(str(MG._NS)),
            "label": row.get("label"),
            "roles": {},
            "sentence": found[0][2] if found else None,
            "sentences": [text for _, _, text in found],
            "report": found[0][0] if found else None,
            **dict.fromkeys(_EVENT_FIELDS),
        }
    rows = store.select(
        f"""SELECT DISTINCT ?ev ?role ?party WHERE {{
              {_values("role", [MG[r] for r in _ROLES])} ?ev ?role ?party
            }}""",
        default_graph=graphs,
    )
    rows.sort(key=lambda r: (r["ev"], r["role"], r["party"]))
    for row in rows:
        record, party = events.get(row["ev"]), row["party"]
        if record is not None and party in G:
            parties = record["roles"].setdefault(row["role"].removeprefix(str(MG._NS)), [])
            if party not in parties:
                parties.append(party)
    field_rows = store.select(
        f"""SELECT DISTINCT ?ev ?field ?value WHERE {{
              {_values("field", _EVENT_FIELDS.values())} ?ev ?field ?value
            }}""",
        default_graph=graphs,
    )
    names = {str(p): name for name, p in _EVENT_FIELDS.items()}
    for row in field_rows:
        if row["ev"] in events:
            events[row["ev"]][names[row["field"]]] = row["value"]
    for iri, record in events.items():
        G.graph["events"][iri] = record
        for parties in record["roles"].values():
            for party in parties:
                if iri not in G.nodes[party]["events"]:
                    G.nodes[party]["events"].append(iri)
        for u, v, source_role, target_role in _event_pairs(record):
            data = {k: val for k, val in record.items() if k != "roles"}
            G.add_edge(
                u,
                v,
                key=iri,
                kind="event",
                source_role=source_role,
                target_role=target_role,
                **data,
            )


def _event_pairs(record: dict[str, Any]):
    """(from, to, from-role, to-role) for each edge one event makes, no pair twice."""
    roles: dict[str, list[str]] = record["roles"]
    pairs = list(EDGE_ROLES.get(record["relation"], ()))
    actor = ACTOR_ROLES.get(record["relation"])
    if actor:
        pairs.append((actor, "product"))
    seen: set[tuple[str, str]] = set()
    for source_role, target_role in pairs:
        if source_role == target_role:
            candidates = itertools.combinations(sorted(roles.get(source_role, [])), 2)
        else:
            candidates = itertools.product(roles.get(source_role, []), roles.get(target_role, []))
        for u, v in candidates:
            if u != v and (u, v) not in seen:
                seen.add((u, v))
                yield u, v, source_role, target_role


def _add_properties(G, store, graphs) -> None:
    rows = store.select(
        f"SELECT ?s ?p ?o WHERE {{ {_values('p', PROPERTIES.values())} ?s ?p ?o }}",
        default_graph=graphs,
    )
    names = {str(p): name for name, p in PROPERTIES.items()}
    for row in rows:
        s, o = row["s"], row["o"]
        if s in G and o in G and s != o:
            G.add_edge(
                s,
                o,
                key=names[row["p"]],
                kind="property",
                relation=names[row["p"]],
                fact=row["p"],
                sentence=None,
                sentences=[],
            )


def _add_observations(G, store, graphs, sentences) -> None:
    rows = store.select(
        """SELECT ?obs ?segment ?market WHERE {
             ?obs a mg:Observation ; mg:segment ?segment ; mg:market ?market .
           } ORDER BY ?obs""",
        default_graph=graphs,
    )
    for row in rows:
        u, v = row["segment"], row["market"]
        if u not in G or v not in G or u == v:
            continue
        # One edge per segment and market, however many numbers the report gives.
        if not G.has_edge(u, v, key="segment"):
            G.add_edge(
                u,
                v,
                key="segment",
                kind="observation",
                relation="segment",
                fact=str(MG.segment),
                observations=[],
                sentence=None,
                sentences=[],
            )
        data = G.edges[u, v, "segment"]
        data["observations"].append(row["obs"])
        for _, _, text in sentences.get(row["obs"], []):
            if text not in data["sentences"]:
                data["sentences"].append(text)
        data["sentence"] = data["sentences"][0] if data["sentences"] else None


def organization_graph(store: MarketStore, report: str | None = None) -> nx.MultiDiGraph:
    """Organizations and the deals between them (:data:`DEAL_TYPES`).

    Every organization is a node, linked or not; edges are the deal edges of
    :func:`entity_graph` whose both ends are organizations.

    Raises:
        UnknownEntity: no such report.
    """
    return deal_view(entity_graph(store, report))


def deal_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The organizations of an :func:`entity_graph` and the deals between them.

    A copy: changing it leaves G alone. ``graph["events"]`` is shared with G.

    >>> G = nx.MultiDiGraph(events={})
    >>> G.add_node("a", kind="org")
    >>> G.add_node("p", kind="product")
    >>> _ = G.add_edge("a", "p", kind="event", relation="Launch")
    >>> list(deal_view(G)), deal_view(G).number_of_edges()
    (['a'], 0)
    """
    orgs = nx.MultiDiGraph()
    orgs.graph["events"] = G.graph.get("events", {})
    orgs.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "org")
    orgs.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if d.get("kind") == "event" and d.get("relation") in DEAL_TYPES and u in orgs and v in orgs
    )
    return orgs


def simple_view(G: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph of G: ``weight`` counts the edges between two nodes.

    >>> M = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    >>> simple_view(M)["a"]["b"]["weight"]
    2
    """
    S = nx.Graph()
    S.add_nodes_from(G)
    for u, v in G.edges():
        if u == v:
            continue
        if S.has_edge(u, v):
            S[u][v]["weight"] += 1
        else:
            S.add_edge(u, v, weight=1)
    return S


def centrality(G: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """PageRank and degree of every node, on G's undirected simple view.

    ``pagerank`` weighs a link by how many facts make it; ``degree`` counts
    distinct neighbours (parallel facts and direction do not count twice).

    >>> c = centrality(nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("b", "hub")]))
    >>> c["hub"]["degree"], c["a"]["degree"]
    (2, 1)
    >>> c["hub"]["pagerank"] > c["a"]["pagerank"]
    True
    """
    S = simple_view(G)
    if not S:
        return {}
    ranks = nx.pagerank(S, weight="weight")
    return {n: {"pagerank": ranks[n], "degree": d} for n, d in S.degree()}


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a path: the fact that links ``source`` to ``target``.

    ``forward`` is False when the fact's edge points the other way (the
    path walks from the acquired company to its acquirer, say).
    """

    source: str
    target: str
    relation: str
    forward: bool
    sentence: str | None
    fact: dict[str, Any] = field(repr=False)


def shortest_paths(
    G: nx.MultiDiGraph, source: str, target: str, max_len: int = 4, limit: int = 5
) -> list[list[Step]]:
    """The shortest ways from one entity to another, each hop with its evidence.

    Edges are walked in either direction. Paths come shortest first, at most
    ``limit`` of them, none longer than ``max_len`` hops; between two nodes
    linked by several facts, a step cites an event with a source sentence
    before a bare property.

    Args:
        G: a graph from :func:`entity_graph` or :func:`organization_graph`.
        source, target: node keys (entity IRIs).
        max_len: most hops in a path (at least 1).
        limit: most paths returned (at least 1).

    Returns:
        A list of paths, each a list of :class:`Step`; empty when the two
        are not linked within ``max_len`` hops.

    Raises:
        UnknownEntity: source or target is not in G.
        QueryError: source equals target, or max_len or limit is below 1.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", relation="Acquisition", sentence="A bought B.")
    >>> _ = G.add_edge("c", "b", relation="Investment", sentence="C backs B.")
    >>> [[(s.source, s.target, s.forward) for s in p] for p in shortest_paths(G, "a", "c")]
    [[('a', 'b', True), ('b', 'c', False)]]
    """
    for node in (source, target):
        if node not in G:
            raise UnknownEntity(f"{node!r} is not in the graph; pass an entity IRI it holds")
    if source == target:
        raise QueryError("source and target are the same entity; pick two different ones")
    if max_len < 1 or limit < 1:
        raise QueryError(f"max_len and limit must be at least 1 (got {max_len} and {limit})")
    S = simple_view(G)
    paths: list[list[Step]] = []
    try:
        for nodes in nx.shortest_simple_paths(S, source, target):
            if len(nodes) - 1 > max_len or len(paths) >= limit:
                break
            paths.append([_step(G, u, v) for u, v in itertools.pairwise(nodes)])
    except nx.NetworkXNoPath:
        pass
    return paths


def _step(G: nx.MultiDiGraph, u: str, v: str) -> Step:
    candidates = [(True, d) for d in (G.get_edge_data(u, v) or {}).values()]
    candidates += [(False, d) for d in (G.get_edge_data(v, u) or {}).values()]
    # Cite an event before a property, and a fact with a sentence before one without.
    forward, data = min(
        candidates,
        key=lambda c: (c[1].get("kind") != "event", c[1].get("sentence") is None, not c[0]),
    )
    return Step(u, v, data.get("relation", ""), forward, data.get("sentence"), data)


def find_node(G: nx.MultiDiGraph, name: str) -> str:
    """The node a name designates: its IRI, ``kind/slug``, label or an alias.

    Labels and aliases match without regard to case.

    Raises:
        UnknownEntity: nothing matches (the message suggests close names).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x:1", label="Acme Corp", aliases=["Acme"], kind="org", slug="acme-corp")
    >>> find_node(G, "acme"), find_node(G, "org/acme-corp")
    ('x:1', 'x:1')
    """
    if name in G:
        return name
    wanted = name.strip().casefold()
    names: dict[str, str] = {}
    for node, data in G.nodes(data=True):
        if f"{data.get('kind')}/{data.get('slug')}" == name.strip():
            return node
        for known in (data.get("label", ""), *data.get("aliases", ())):
            names.setdefault(known.casefold(), node)
    if wanted in names:
        return names[wanted]
    close = [m for m, _, _ in process.extract(wanted, list(names), limit=3, score_cutoff=60)]
    hint = f"; did you mean {', '.join(repr(m) for m in close)}?" if close else ""
    raise UnknownEntity(f"no entity named {name!r} in the graph{hint}")


def find_entity(G: nx.MultiDiGraph, kind: str, slug: str) -> str:
    """The node of the entity ``mgid:<kind>/<slug>``.

    Raises:
        UnknownEntity: no such entity (the message names the kinds there are).
    """
    for node, data in G.nodes(data=True):
        if data.get("kind") == kind and data.get("slug") == slug:
            return node
    if kind not in KIND_CLASSES:
        known = ", ".join(KIND_CLASSES)
        raise UnknownEntity(f"no entity kind {kind!r}; kinds are {known}")
    raise UnknownEntity(f"no {kind} with the slug {slug!r} in the store")


# ------------------------------------------------------------------ drawing aids


@dataclass(frozen=True, slots=True)
class LeftOut:
    """The entities of one kind left out of a drawing, and their links to those drawn.

    ``members`` are in the order the caller ranked them; ``links`` maps each
    drawn node to how many of its neighbours are among the members.
    """

    kind: str
    members: list[str]
    links: dict[str, int]


def left_out(G: nx.MultiDiGraph, kept: list[str] | set[str]) -> list[LeftOut]:
    """The nodes of G not in ``kept``, grouped by kind, each group with its links to ``kept``.

    Members keep G's node order within a group; groups come largest first.
    Links count distinct neighbours, whatever the direction or number of facts.

    >>> G = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("b", "hub")])
    >>> nx.set_node_attributes(G, "org", "kind")
    >>> [(g.kind, g.members, g.links) for g in left_out(G, ["hub"])]
    [('org', ['a', 'b'], {'hub': 2})]
    """
    drawn = set(kept)
    members: dict[str, list[str]] = defaultdict(list)
    links: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node, kind in G.nodes(data="kind"):
        if node in drawn:
            continue
        members[kind].append(node)
        for other in set(G.successors(node)) | set(G.predecessors(node)):
            if other in drawn:
                links[kind][other] += 1
    groups = [LeftOut(kind, found, dict(links[kind])) for kind, found in members.items()]
    groups.sort(key=lambda g: (-len(g.members), g.kind))
    return groups


# ------------------------------------------------------------------ market figures


@dataclass(frozen=True, slots=True)
class Figure:
    """One number a report states (an ``mg:Observation``), as plain Python.

    ``segment`` is the IRI of the segment or region the number is about, None
    for the whole market; ``sentence`` the first source sentence.
    """

    fact: str
    measure: str
    value: Decimal
    unit: str | None = None
    currency: str | None = None
    segment: str | None = None
    year: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class GrowthFactor:
    """A driver or restraint (``kind`` is "Driver" or "Restraint") with its impact on CAGR."""

    fact: str
    kind: str
    label: str
    impact: Decimal | None = None
    geography: str | None = None
    horizon: str | None = None
    sentence: str | None = None


@dataclass(slots=True)
class MarketFigures:
    """A market's numbers, growth factors and the segment dimensions it is cut by.

    ``market`` is the market's IRI, or None for figures that name no market
    when the store holds several markets.
    """

    market: str | None
    figures: list[Figure] = field(default_factory=list)
    factors: list[GrowthFactor] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)


def _year(value: Any) -> int | None:
    return int(str(value)[:4]) if value is not None else None


def market_figures(store: MarketStore, report: str | None = None) -> list[MarketFigures]:
    """Every market with the numbers, growth factors and segment dimensions that belong to it.

    A number or factor that names no market belongs to the only market when
    there is one, else to a record whose ``market`` is None (listed last).
    Dimensions come from ``mg:segmentedBy``, and from the segments the
    market's numbers are about. Figures are sorted by measure, segment and year.

    Args:
        store: the store to read.
        report: only this report's named graph (IRI, source name or slug).

    Raises:
        UnknownEntity: no such report.

    >>> from marketgraph.graph.store import open_store
    >>> market_figures(open_store(backend="memory"))
    []
    """
    graphs = [store.find_report(report).iri] if report is not None else None
    markets = {
        row["m"]: MarketFigures(row["m"])
        for row in store.select(
            "SELECT ?m WHERE { ?m a mg:Market } ORDER BY ?m", default_graph=graphs
        )
    }
    sentences = _sentences(store, graphs, [MG.Observation, MG.Driver, MG.Restraint])
    orphans = MarketFigures(None)

    def owner(market: str | None) -> MarketFigures:
        if market in markets:
            return markets[market]
        return next(iter(markets.values())) if len(markets) == 1 else orphans

    def first(fact: str) -> str | None:
        found = sentences.get(fact)
        return found[0][2] if found else None

    rows = store.select(
        """SELECT ?x ?measure ?value ?unit ?currency ?market ?segment ?year ?start ?end WHERE {
             ?x a mg:Observation ; mg:measure ?measure ; mg:value ?value .
             OPTIONAL { ?x mg:unit ?unit } OPTIONAL { ?x mg:currency ?currency }
             OPTIONAL { ?x mg:market ?market } OPTIONAL { ?x mg:segment ?segment }
             OPTIONAL { ?x mg:year ?year } OPTIONAL { ?x mg:periodStart ?start }
             OPTIONAL { ?x mg:periodEnd ?end }
           } ORDER BY ?measure ?segment ?year ?end ?x""",
        default_graph=graphs,
    )
    seen: set[str] = set()
    for row in rows:
        if row["x"] in seen or not isinstance(row["value"], Decimal):
            continue
        seen.add(row["x"])
        owner(row.get("market")).figures.append(
            Figure(
                fact=row["x"],
                measure=row["measure"].removeprefix(str(MG._NS)),
                value=row["value"],
                unit=row.get("unit"),
                currency=row.get("currency"),
                segment=row.get("segment"),
                year=_year(row.get("year")),
                period_start=_year(row.get("start")),
                period_end=_year(row.get("end")),
                sentence=first(row["x"]),
            )
        )
    rows = store.select(
        """SELECT ?x ?kind ?label ?impact ?geography ?horizon ?market WHERE {
             VALUES ?kind { mg:Driver mg:Restraint }
             ?x a ?kind ; rdfs:label ?label .
             OPTIONAL { ?x mg:impactOnCAGR ?impact } OPTIONAL { ?x mg:geography ?geography }
             OPTIONAL { ?x mg:horizon ?horizon } OPTIONAL { ?x mg:market ?market }
           } ORDER BY ?kind ?label ?x""",
        default_graph=graphs,
    )
    seen.clear()
    for row in rows:
        if row["x"] in seen:
            continue
        seen.add(row["x"])
        impact = row.get("impact")
        owner(row.get("market")).factors.append(
            GrowthFactor(
                fact=row["x"],
                kind=row["kind"].removeprefix(str(MG._NS)),
                label=row["label"],
                impact=impact if isinstance(impact, Decimal) else None,
                geography=row.get("geography"),
                horizon=row.get("horizon"),
                sentence=first(row["x"]),
            )
        )
    rows = store.select(
        """SELECT DISTINCT ?m ?d WHERE {
             { ?m mg:segmentedBy ?d }
             UNION { ?x a mg:Observation ; mg:market ?m ; mg:segment/skos:inScheme ?d }
           } ORDER BY ?m ?d""",
        default_graph=graphs,
    )
    for row in rows:
        record = markets.get(row["m"])
        if record is not None and row["d"] not in record.dimensions:
            record.dimensions.append(row["d"])
    out = list(markets.values())
    if orphans.figures or orphans.factors:
        out.append(orphans)
    return out
