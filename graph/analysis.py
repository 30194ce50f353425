"""Graph analysis for competitive intelligence: who is central, who clusters, who links whom.

The analyses run on a networkx projection of the store:

- :func:`marketgraph.graph.network.entity_graph` gives the entities and the
  facts between them (deals and launches, entity-to-entity properties,
  observations linking a segment or region to its market);
- :func:`context_links` adds what that projection leaves out, the link
  between an organization and the **segments and regions** it is named
  with: an organization and a segment (or region) are linked when one
  source sentence (one ``mg:Mention``) is cited both for the organization,
  or a fact it takes part in, and for the segment or region, or an
  observation about it; and an organization that a report cites as party
  to a deal or launch and the **market** that report covers. Such a link
  carries kind ``context``, relation ``mentionedWith`` (``activeIn`` for a
  market), and its sentences as evidence.

Every measure runs on the *analysis view*: the undirected simple graph of
both (:func:`analysis_view`), where ``weight`` counts the facts and
sentences behind a link. Degree counts distinct neighbours; PageRank is
weighted; betweenness counts hops, exact up to
:data:`EXACT_BETWEENNESS_NODES` nodes and estimated from
:data:`BETWEENNESS_SAMPLES` seeded source nodes above that. Communities
come from Louvain (``networkx.community.louvain_communities``, seeded), are
numbered by size (0 is the largest) and named after their members of
highest PageRank.

:class:`Analyzer` holds one projection and computes each measure once, on
first use. :func:`refresh_analysis` writes the measures back into the
``analysis`` named graph (:data:`ANALYSIS_GRAPH`) as ``mg:degree``,
``mg:pageRank``, ``mg:betweenness`` and ``mg:community``, so SPARQL can
rank and filter by them.

>>> from marketgraph.graph.store import open_store
>>> refresh_analysis(open_store(backend="memory")).entities
0
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import networkx as nx
from rdflib import RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV

from marketgraph.errors import InputError, QueryError
from marketgraph.graph.network import DEAL_TYPES, entity_graph, find_node, simple_view
from marketgraph.graph.store import MarketStore
from marketgraph.graph.triples import KIND_CLASSES
from marketgraph.ontology import MG, MGID

#: The named graph the measures are written to.
ANALYSIS_GRAPH = MGID["analysis"]
#: Up to this many nodes, betweenness is exact; above, it is sampled.
EXACT_BETWEENNESS_NODES = 1000
#: Source nodes sampled for betweenness on larger graphs.
BETWEENNESS_SAMPLES = 50
#: The measures :meth:`Analyzer.rank` orders by.
MEASURES: tuple[str, ...] = ("pagerank", "degree", "betweenness")
#: Bounds on path, ego and list queries, so one request cannot take the server down.
MAX_PATH_LEN = 6
MAX_RADIUS = 3
MAX_LIMIT = 1000
#: How many member names a community's name is made of.
NAME_MEMBERS = 3

_KIND_ORDER = {"event": 0, "property": 1, "observation": 2, "context": 3}

#: How an event edge reads, by (from-role, to-role): walked forward, walked backward.
_ROLE_PHRASES: dict[tuple[str, str], tuple[str, str]] = {
    ("acquirer", "acquired"): ("acquired", "was acquired by"),
    ("acquirer", "seller"): ("bought from", "sold to"),
    ("investor", "investee"): ("invested in", "was backed by"),
    ("leadInvestor", "investee"): ("led a round in", "raised a round led by"),
    ("participant", "participant"): ("partnered with", "partnered with"),
    ("licensor", "licensee"): ("licensed to", "licensed from"),
    ("launchedBy", "launched"): ("launched", "was launched by"),
}
#: How a property, observation or context edge reads: forward, backward.
_RELATION_PHRASES: dict[str, tuple[str, str]] = {
    "partOf": ("is part of", "contains"),
    "publisher": ("is published by", "publishes"),
    "provider": ("is provided by", "provides"),
    "jurisdiction": ("applies in", "is the jurisdiction of"),
    "leader": ("is led by", "leads"),
    "segmentedBy": ("is segmented by", "is a way to segment"),
    "inScheme": ("is a segment of", "has the segment"),
    "segment": ("is a segment of", "has the segment"),
    "mentionedWith": ("is mentioned with", "is mentioned with"),
    "activeIn": ("is active in the market for", "has as an active player"),
}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Member:
    """An entity with its PageRank, as listed in a community or a core."""

    iri: str
    label: str
    kind: str
    pagerank: float


@dataclass(frozen=True, slots=True)
class Ranked:
    """One line of a ranking: the entity, its place and all its measures."""

    rank: int
    iri: str
    label: str
    kind: str
    score: float
    degree: int
    pagerank: float
    betweenness: float
    community: int | None


@dataclass(frozen=True, slots=True)
class Community:
    """A group of entities more linked to each other than to the rest.

    ``name`` joins the labels of its members of highest PageRank;
    ``members`` lists the most central ones first (at most the number asked).
    """

    number: int
    name: str
    size: int
    members: list[Member]


@dataclass(frozen=True, slots=True)
class Link:
    """One fact linking two entities, in the direction a path walks it.

    ``phrase`` reads from ``source`` to ``target`` ("acquired", "was
    acquired by"); ``forward`` is False when the fact itself points the
    other way. ``fact`` is the event's IRI, the property's IRI or the
    sentence's ``mg:Mention`` IRI.
    """

    source: str
    source_label: str
    target: str
    target_label: str
    relation: str
    kind: str
    phrase: str
    forward: bool
    date: str | None
    amount: str | None
    currency: str | None
    sentence: str | None
    report: str | None
    fact: str | None

    @property
    def text(self) -> str:
        """``phrase target (date, amount)``, as it reads inside a chain."""
        details = [d for d in (self.date, _money(self.amount, self.currency)) if d]
        tail = f" ({', '.join(details)})" if details else ""
        return f"{self.phrase} {self.target_label}{tail}"


@dataclass(frozen=True, slots=True)
class Chain:
    """A path between two entities, explained fact by fact.

    ``text`` reads like "Acme → acquired Widgets (2026-03) → partnered with Gizmo".
    """

    hops: int
    text: str
    links: list[Link]


@dataclass(frozen=True, slots=True)
class EgoNode:
    iri: str
    label: str
    kind: str
    distance: int


@dataclass(frozen=True, slots=True)
class Ego:
    """An entity's neighbourhood: entities within ``radius`` links, and the links among them.

    ``truncated`` is True when more entities were in reach than the limit
    allowed (the nearest, then the best linked, are kept).
    """

    center: EgoNode
    radius: int
    nodes: list[EgoNode]
    links: list[Link]
    truncated: bool


@dataclass(frozen=True, slots=True)
class Similar:
    """An entity of the same kind and how alike its neighbours are (Jaccard, 0 to 1)."""

    iri: str
    label: str
    kind: str
    score: float
    shared: list[str]


@dataclass(frozen=True, slots=True)
class Activity:
    """Deals an entity took part in: counts per year and deal type.

    ``years`` maps a year ("2025") to counts by deal type; deals with no
    date are counted in ``undated``.
    """

    iri: str
    label: str
    total: int
    years: dict[str, dict[str, int]]
    undated: dict[str, int]


@dataclass(frozen=True, slots=True)
class Core:
    """The k-core: the largest group where every entity links to at least ``k`` others in it."""

    k: int
    members: list[Member]


@dataclass(frozen=True, slots=True)
class AnalysisSummary:
    """What :func:`refresh_analysis` wrote."""

    entities: int
    communities: int
    sampled: bool
    seconds: float
    triples: int = field(default=0)


# --------------------------------------------------------------------------- projection


def context_links(
    store: MarketStore, report: str | None = None
) -> dict[tuple[str, str], list[str]]:
    """Organizations and the segments, regions and markets they are cited with.

    An organization is linked to a segment or region when one sentence is
    cited for both (for the organization itself or a deal it is party to,
    and for the segment or region or a number about it); and to the market
    a report covers when the report cites it as party to a deal or launch,
    since that is the report saying the organization is active there.

    Args:
        store: the store to read.
        report: only this report's named graph (its IRI); every report when None.

    Returns:
        ``(organization IRI, segment or region IRI)`` to the sentences that
        name both, in reading order.
    """
    rows = store.query(
        """SELECT DISTINCT ?org ?place ?text ?start WHERE {
             VALUES ?class { mg:Segment mg:Region }
             ?place a ?class .
             { ?place prov:wasDerivedFrom ?m }
             UNION { ?obs mg:segment ?place ; prov:wasDerivedFrom ?m }
             { ?org prov:wasDerivedFrom ?m }
             UNION { ?fact ?role ?org ; prov:wasDerivedFrom ?m }
             ?org a mg:Organization .
             ?m mg:text ?text . OPTIONAL { ?m mg:start ?start }
           }""",
        default_graph=[report] if report else None,
    )
    deals = store.query(
        """SELECT DISTINCT ?org ?place ?text ?start WHERE {
             VALUES ?type { mg:Acquisition mg:Investment mg:FundingRound mg:Partnership
                            mg:Licensing mg:Launch }
             ?event a ?type ; ?role ?org ; prov:wasDerivedFrom ?m .
             ?org a mg:Organization .
             ?m mg:inReport ?r ; mg:text ?text . OPTIONAL { ?m mg:start ?start }
             ?place a mg:Market ; mg:mentionedIn ?r .
           }""",
        default_graph=[report] if report else None,
    )
    found: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for row in [*rows, *deals]:
        start = int(row["start"].value) if row["start"] is not None else 0
        found[(row["org"].value, row["place"].value)].append((start, row["text"].value))
    return {pair: [text for _, text in sorted(set(hits))] for pair, hits in found.items()}


def analysis_view(
    G: nx.MultiDiGraph, context: dict[tuple[str, str], list[str]] | None = None
) -> nx.Graph:
    """The undirected simple graph every measure runs on.

    ``weight`` counts the facts of G between two nodes plus the sentences of
    their context link. Context pairs naming a node G lacks are skipped.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "a")])
    >>> G.add_node("r")
    >>> S = analysis_view(G, {("a", "r"): ["A sells in R.", "A grows in R."]})
    >>> S["a"]["b"]["weight"], S["a"]["r"]["weight"]
    (2, 2)
    """
    S = simple_view(G)
    for (u, v), sentences in (context or {}).items():
        if u not in S or v not in S or u == v:
            continue
        if S.has_edge(u, v):
            S[u][v]["weight"] += len(sentences)
        else:
            S.add_edge(u, v, weight=len(sentences))
    return S


def betweenness(S: nx.Graph, k: int | None = None, seed: int = 0) -> dict[Any, float]:
    """Betweenness of every node of S (normalized, hops not weights).

    Exact when ``k`` is None and S has at most :data:`EXACT_BETWEENNESS_NODES`
    nodes; otherwise estimated from ``k`` (default :data:`BETWEENNESS_SAMPLES`)
    source nodes drawn with ``seed``.

    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    n = S.number_of_nodes()
    if k is None and n <= EXACT_BETWEENNESS_NODES:
        return nx.betweenness_centrality(S)
    k = min(n, k or BETWEENNESS_SAMPLES)
    return nx.betweenness_centrality(S, k=k, seed=seed)


# --------------------------------------------------------------------------- analyzer


class Analyzer:
    """The analyses of one projection; each measure is computed once, on first use.

    Args:
        G: a graph from :func:`~marketgraph.graph.network.entity_graph`.
        context: organization-to-segment/region links from :func:`context_links`.
        seed: seed of Louvain and of sampled betweenness, for repeatable answers.
        samples: source nodes for betweenness on large graphs (None: the default).

    Entities may be named by IRI, ``kind/slug``, label or alias everywhere.

    >>> a = Analyzer(nx.MultiDiGraph())
    >>> a.rank(), a.communities()
    ([], [])
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        context: dict[tuple[str, str], list[str]] | None = None,
        *,
        seed: int = 0,
        samples: int | None = None,
    ) -> None:
        self.G = G
        self.context = {
            pair: sentences
            for pair, sentences in (context or {}).items()
            if pair[0] in G and pair[1] in G and pair[0] != pair[1]
        }
        self.seed = seed
        self.samples = samples

    @classmethod
    def from_store(cls, store: MarketStore, report: str | None = None, **kwargs) -> Analyzer:
        """Project the store (or one report) and wrap it.

        Raises:
            UnknownEntity: no such report.
        """
        G = entity_graph(store, report)
        graph = store.find_report(report).iri if report is not None else None
        return cls(G, context_links(store, graph), **kwargs)

    # ------------------------------------------------------------ measures

    @cached_property
    def simple(self) -> nx.Graph:
        """The analysis view (see :func:`analysis_view`)."""
        return analysis_view(self.G, self.context)

    @cached_property
    def pagerank(self) -> dict[str, float]:
        """PageRank of every node, links weighted by the facts behind them."""
        S = self.simple
        return nx.pagerank(S, weight="weight") if S else {}

    @cached_property
    def degree(self) -> dict[str, int]:
        """Distinct neighbours of every node."""
        return dict(self.simple.degree())

    @cached_property
    def betweenness(self) -> dict[str, float]:
        """Betweenness of every node: exact on small graphs, sampled on large ones."""
        return betweenness(self.simple, self.samples, self.seed) if self.simple else {}

    @property
    def sampled(self) -> bool:
        """Whether betweenness is estimated from a sample rather than exact."""
        return self.samples is not None or len(self.simple) > EXACT_BETWEENNESS_NODES

    @cached_property
    def _partition(self) -> list[list[str]]:
        """Louvain communities of two or more, largest first, members by PageRank."""
        if not self.simple.number_of_edges():
            return []
        found = nx.community.louvain_communities(self.simple, weight="weight", seed=self.seed)
        ranks = self.pagerank
        groups = [
            sorted(group, key=lambda n: (-ranks[n], self._label(n), n))
            for group in found
            if len(group) > 1
        ]
        groups.sort(key=lambda g: (-len(g), [self._label(n) for n in g[:NAME_MEMBERS]]))
        return groups

    @cached_property
    def community_of(self) -> dict[str, int]:
        """Each entity's community number (entities alone in theirs have none)."""
        return {n: i for i, group in enumerate(self._partition) for n in group}

    # ------------------------------------------------------------ helpers

    def _label(self, node: str) -> str:
        return self.G.nodes[node].get("label", node)

    def _kind(self, node: str) -> str:
        return self.G.nodes[node].get("kind", "")

    def _member(self, node: str) -> Member:
        return Member(node, self._label(node), self._kind(node), self.pagerank.get(node, 0.0))

    def node(self, name: str) -> str:
        """The node a name designates (IRI, ``kind/slug``, label or alias).

        Raises:
            UnknownEntity: nothing matches (the message suggests close names).
        """
        if name in self.G:
            return name
        slugs, names = self._names
        found = slugs.get(name.strip()) or names.get(name.strip().casefold())
        # find_node owns the error message, with its suggestions of close names.
        return found or find_node(self.G, name)

    @cached_property
    def _names(self) -> tuple[dict[str, str], dict[str, str]]:
        """``kind/slug``, then case-folded labels and aliases, to nodes: quick look-ups."""
        slugs: dict[str, str] = {}
        names: dict[str, str] = {}
        for node, data in self.G.nodes(data=True):
            slugs.setdefault(f"{data.get('kind')}/{data.get('slug')}", node)
            for known in (data.get("label", ""), *data.get("aliases", ())):
                names.setdefault(known.casefold(), node)
        return slugs, names

    # ------------------------------------------------------------ rankings

    def rank(self, kind: str | None = None, by: str = "pagerank", limit: int = 20) -> list[Ranked]:
        """The most central entities, of one kind or all.

        Args:
            kind: an entity kind ("org", "region" ...) or class name
                ("Organization"); None for every kind.
            by: one of :data:`MEASURES`.
            limit: most entities returned.

        Raises:
            InputError: unknown kind or measure, or limit out of range.
        """
        _check_limit(limit)
        if by not in MEASURES:
            raise InputError(f"unknown measure {by!r}; rank by one of {', '.join(MEASURES)}")
        wanted = kind_name(kind) if kind else None
        scores = getattr(self, by)
        nodes = [n for n in self.G if wanted is None or self._kind(n) == wanted]
        nodes.sort(key=lambda n: (-scores.get(n, 0), self._label(n), n))
        return [
            Ranked(
                rank=i,
                iri=n,
                label=self._label(n),
                kind=self._kind(n),
                score=float(scores.get(n, 0)),
                degree=self.degree.get(n, 0),
                pagerank=self.pagerank.get(n, 0.0),
                betweenness=self.betweenness.get(n, 0.0),
                community=self.community_of.get(n),
            )
            for i, n in enumerate(nodes[:limit], start=1)
        ]

    # ------------------------------------------------------------ communities

    def communities(self, limit: int = 20, members: int = 10) -> list[Community]:
        """The largest communities, each with its most central members first.

        Raises:
            InputError: limit or members out of range.
        """
        _check_limit(limit)
        _check_limit(members, "members")
        return [
            Community(
                number=i,
                name=", ".join(self._label(n) for n in group[:NAME_MEMBERS]),
                size=len(group),
                members=[self._member(n) for n in group[:members]],
            )
            for i, group in enumerate(self._partition[:limit])
        ]

    def k_core(self, k: int | None = None) -> Core:
        """The k-core of the analysis view; the innermost (main) core when k is None.

        Raises:
            InputError: k is below 1.
        """
        if k is not None and k < 1:
            raise InputError(f"k must be at least 1 (got {k})")
        if not self.simple:
            return Core(k or 0, [])
        cores = nx.core_number(self.simple)
        k = max(cores.values()) if k is None else k
        members = [self._member(n) for n, c in cores.items() if c >= k and k > 0]
        members.sort(key=lambda m: (-m.pagerank, m.label, m.iri))
        return Core(k, members)

    # ------------------------------------------------------------ connections

    def link(self, u: str, v: str) -> Link:
        """The best evidence that u and v are linked, read from u to v.

        An event is cited before a property, a property before an
        observation or a shared sentence, a fact with a sentence before one
        without.

        Raises:
            QueryError: u and v are not linked.
        """
        candidates: list[tuple[bool, dict[str, Any]]] = []
        candidates += [(True, d) for d in (self.G.get_edge_data(u, v) or {}).values()]
        candidates += [(False, d) for d in (self.G.get_edge_data(v, u) or {}).values()]
        for forward, pair in ((True, (u, v)), (False, (v, u))):
            if pair in self.context:
                sentences = self.context[pair]
                market = self.G.nodes[pair[1]].get("kind") == "market"
                relation = "activeIn" if market else "mentionedWith"
                candidates.append(
                    (forward, {"kind": "context", "relation": relation,
                               "sentence": sentences[0], "sentences": sentences})
                )  # fmt: skip
        if not candidates:
            raise QueryError(f"{self._label(u)!r} and {self._label(v)!r} are not linked")
        forward, data = min(
            candidates,
            key=lambda c: (
                _KIND_ORDER.get(c[1].get("kind", ""), 9), c[1].get("sentence") is None, not c[0]
            ),
        )  # fmt: skip
        amount = data.get("amount")
        return Link(
            source=u,
            source_label=self._label(u),
            target=v,
            target_label=self._label(v),
            relation=data.get("relation", ""),
            kind=data.get("kind", ""),
            phrase=_phrase(data, forward),
            forward=forward,
            date=data.get("date"),
            amount=None if amount is None else str(amount),
            currency=data.get("currency"),
            sentence=data.get("sentence"),
            report=data.get("report"),
            fact=data.get("fact"),
        )

    def connections(
        self, source: str, target: str, max_len: int = 4, limit: int = 5
    ) -> list[Chain]:
        """The shortest chains of facts between two entities, shortest first.

        Links are walked in either direction; every chain is a simple path
        of at most ``max_len`` links, and at most ``limit`` chains come back
        (the shortest one first, then other short ones).

        Raises:
            UnknownEntity: either name matches no entity.
            InputError: both name the same entity, or max_len or limit is out of range.
        """
        start, end = self.node(source), self.node(target)
        if start == end:
            raise InputError(f"{source!r} and {target!r} are the same entity; pick two")
        if not 1 <= max_len <= MAX_PATH_LEN:
            raise InputError(f"max_len must be between 1 and {MAX_PATH_LEN} (got {max_len})")
        _check_limit(limit)
        chains: list[Chain] = []
        try:
            for nodes in nx.shortest_simple_paths(self.simple, start, end):
                if len(nodes) - 1 > max_len or len(chains) >= limit:
                    break
                links = [self.link(u, v) for u, v in itertools.pairwise(nodes)]
                text = " → ".join([self._label(start), *(link.text for link in links)])
                chains.append(Chain(len(links), text, links))
        except nx.NetworkXNoPath:
            pass
        return chains

    def ego(self, entity: str, radius: int = 1, limit: int = 200) -> Ego:
        """The entities within ``radius`` links of one entity, and the links among them.

        When more than ``limit`` entities are in reach, the nearest are kept,
        the best linked first.

        Raises:
            UnknownEntity: the name matches no entity.
            InputError: radius or limit out of range.
        """
        center = self.node(entity)
        if not 1 <= radius <= MAX_RADIUS:
            raise InputError(f"radius must be between 1 and {MAX_RADIUS} (got {radius})")
        _check_limit(limit)
        S = self.simple
        reach = nx.single_source_shortest_path_length(S, center, cutoff=radius)
        order = sorted(reach, key=lambda n: (reach[n], -S.degree(n), self._label(n), n))
        kept = order[:limit]
        nodes = [EgoNode(n, self._label(n), self._kind(n), reach[n]) for n in kept]
        links = []
        for u, v in S.subgraph(kept).edges():
            found = self.link(u, v)
            links.append(found if found.forward else self.link(v, u))
        links.sort(key=lambda link: (reach[link.source] + reach[link.target], link.source_label,
                                     link.target_label))  # fmt: skip
        return Ego(nodes[0], radius, nodes, links, truncated=len(order) > limit)

    def similar(self, entity: str, limit: int = 10) -> list[Similar]:
        """Entities of the same kind whose neighbours overlap most with this one's (Jaccard).

        Only entities sharing at least one neighbour are listed; ``shared``
        names up to ten of the neighbours they share.

        Raises:
            UnknownEntity: the name matches no entity.
            InputError: limit out of range.
        """
        node = self.node(entity)
        _check_limit(limit)
        S, kind = self.simple, self._kind(node)
        candidates = {
            w for v in S[node] for w in S[v] if w != node and self._kind(w) == kind
        }  # fmt: skip
        scored = []
        for _, other, score in nx.jaccard_coefficient(S, [(node, c) for c in candidates]):
            shared = sorted(self._label(n) for n in set(S[node]) & set(S[other]))
            scored.append(Similar(other, self._label(other), kind, round(score, 6), shared[:10]))
        scored.sort(key=lambda s: (-s.score, -len(s.shared), s.label, s.iri))
        return scored[:limit]

    def activity(self, entity: str) -> Activity:
        """How many deals of each type an entity took part in, per year.

        Raises:
            UnknownEntity: the name matches no entity.
        """
        node = self.node(entity)
        events = self.G.graph.get("events", {})
        years: dict[str, Counter] = defaultdict(Counter)
        undated: Counter = Counter()
        total = 0
        for iri in self.G.nodes[node].get("events", []):
            record = events.get(iri)
            if record is None or record["relation"] not in DEAL_TYPES:
                continue
            total += 1
            date = record.get("date")
            (years[date[:4]] if date else undated)[record["relation"]] += 1
        return Activity(
            iri=node,
            label=self._label(node),
            total=total,
            years={y: dict(sorted(years[y].items())) for y in sorted(years)},
            undated=dict(sorted(undated.items())),
        )


def kind_name(name: str) -> str:
    """The entity kind a type name means: a kind ("org") or class local name ("Organization").

    Raises:
        InputError: neither (the message lists the kinds).

    >>> kind_name("Organization"), kind_name("region")
    ('org', 'region')
    """
    wanted = name.strip().lower()
    for kind, cls in KIND_CLASSES.items():
        if wanted in (kind, str(cls).rsplit("#", 1)[-1].lower()):
            return kind
    raise InputError(f"unknown entity type {name!r}; use one of {', '.join(KIND_CLASSES)}")


def _check_limit(limit: int, name: str = "limit") -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"{name} must be between 1 and {MAX_LIMIT} (got {limit})")


def _phrase(data: dict[str, Any], forward: bool) -> str:
    roles = (data.get("source_role"), data.get("target_role"))
    phrases = _ROLE_PHRASES.get(roles) or _RELATION_PHRASES.get(data.get("relation", ""))
    if phrases is None:
        # An event role pair with no phrase of its own, e.g. a deal's product.
        relation = data.get("relation", "fact").lower()
        phrases = (f"has a {relation} involving", f"is involved in a {relation} of")
    return phrases[0] if forward else phrases[1]


def _money(amount: str | None, currency: str | None) -> str | None:
    if amount is None:
        return None
    try:
        text = f"{float(amount):,.0f}"
    except ValueError:
        text = amount
    return f"{currency} {text}" if currency else text


# --------------------------------------------------------------------------- write-back


def _decimal(value: float) -> Literal:
    # xsd:decimal has no exponent form, and 12 places keep PageRank meaningful on large graphs.
    text = f"{value:.12f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def analysis_triples(analyzer: Analyzer, when: datetime | None = None) -> Iterator[tuple]:
    """The triples of the ``analysis`` graph: the measures of every linked entity.

    Entities with no link at all get none (their degree would be 0 and
    their PageRank the floor); ``mg:community`` is only set on entities
    in a community of two or more.
    """
    stamp = (when or datetime.now(UTC)).replace(microsecond=0)
    yield ANALYSIS_GRAPH, PROV.generatedAtTime, Literal(stamp.isoformat(), datatype=XSD.dateTime)
    yield (
        ANALYSIS_GRAPH,
        RDFS.comment,
        Literal(
            "Network measures of the entities, recomputed whenever reports change."
            + (" Betweenness is estimated from a sample." if analyzer.sampled else "")
        ),
    )
    community = analyzer.community_of
    for node, degree in analyzer.degree.items():
        if degree == 0:
            continue
        iri = URIRef(node)
        yield iri, MG.degree, Literal(degree)
        yield iri, MG.pageRank, _decimal(analyzer.pagerank[node])
        yield iri, MG.betweenness, _decimal(analyzer.betweenness.get(node, 0.0))
        if node in community:
            yield iri, MG.community, Literal(community[node])


def write_analysis(store: MarketStore, analyzer: Analyzer) -> int:
    """Replace the ``analysis`` graph with the analyzer's measures; returns the triples written.

    Raises:
        StoreError: the store cannot be written.
    """
    triples = list(analysis_triples(analyzer))
    store.replace_graph(ANALYSIS_GRAPH, triples)
    return len(triples)


def refresh_analysis(store: MarketStore, **kwargs) -> AnalysisSummary:
    """Recompute every measure from the store and rewrite the ``analysis`` graph.

    Call it after reports are built or removed. On a store of a few
    reports it takes milliseconds; on large graphs betweenness is sampled.

    Args:
        store: the store to read and write.
        kwargs: passed to :class:`Analyzer` (``seed``, ``samples``).

    Raises:
        StoreError: the store cannot be written.
    """
    began = time.perf_counter()
    analyzer = Analyzer.from_store(store, **kwargs)
    written = write_analysis(store, analyzer)
    return AnalysisSummary(
        entities=sum(1 for d in analyzer.degree.values() if d),
        communities=len(analyzer._partition),
        sampled=analyzer.sampled,
        seconds=round(time.perf_counter() - began, 3),
        triples=written,
    )


#: Above this many entities, build and remove leave the analysis graph to
#: ``marketgraph analyze refresh``: sampled betweenness and Louvain take
#: minutes there, too long to run after every change.
AUTO_REFRESH_LIMIT = 20_000


def refresh_analysis_if_small(
    store: MarketStore, limit: int = AUTO_REFRESH_LIMIT
) -> AnalysisSummary | None:
    """:func:`refresh_analysis`, unless the store holds more than ``limit`` entities.

    Returns None when it was skipped, so the caller can say so.
    """
    rows = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e mg:mentionedIn ?r }")
    if rows and int(rows[0]["n"]) > limit:
        return None
    return refresh_analysis(store)
