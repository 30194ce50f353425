"""Read functions over the store for the REST API: search, detail, deals, numbers, trees.

Each function runs one or a few SPARQL queries and returns plain
dataclasses, so the API (or a notebook) can use them without knowing the
vocabulary. Lists are paged: a :class:`Page` holds one slice of the
matches and the total count. Nothing here speaks HTTP; bad arguments raise
:class:`~marketgraph.errors.InputError`, a missing entity
:class:`~marketgraph.errors.UnknownEntity`.

>>> from marketgraph.graph.store import open_store
>>> search_entities(open_store(backend="memory"), "acme").total
0
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import PROV, SKOS

from marketgraph.errors import InputError, UnknownEntity
from marketgraph.extract.facts import EVENT_TYPES
from marketgraph.graph.iris import slugify
from marketgraph.graph.store import PREFIXES, MarketStore, term_value
from marketgraph.graph.triples import KIND_CLASSES
from marketgraph.ontology import MG, MGID

#: The most a page may hold; larger ``limit`` values are refused.
MAX_LIMIT = 1000
#: Facts in one page of :func:`entity_detail` unless asked for another number.
FACT_LIMIT = 100
#: The entity's own mentions :func:`entity_detail` returns unless asked for another number.
MENTION_LIMIT = 20
#: Deepest neighbourhood :func:`neighbors` explores.
MAX_DEPTH = 3
#: Types ``deals`` lists unless asked for another: the subclasses of ``mg:Deal``.
DEAL_TYPES: tuple[str, ...] = tuple(t for t in EVENT_TYPES if t != "Launch")
MEASURES: tuple[str, ...] = ("MarketSize", "CAGR", "MarketShare")

#: Entity classes by the names a caller may use: kind ("org") or class local name.
TYPE_NAMES: dict[str, str] = {
    **{kind: str(cls) for kind, cls in KIND_CLASSES.items()},
    **{str(cls).rsplit("#", 1)[-1].lower(): str(cls) for cls in KIND_CLASSES.values()},
    "country": str(MG.Country),
}

# Properties that describe an entity itself rather than relate it to something.
_OWN = (RDF.type, RDFS.label, SKOS.altLabel, MG.mentionedIn, PROV.wasDerivedFrom)
_NOT_EDGES = (*_OWN, MG.inReport)
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class Page:
    """One slice of a longer list: ``items`` from ``offset``, of ``total`` in all."""

    items: list[Any]
    total: int
    limit: int
    offset: int


@dataclass(slots=True)
class Node:
    """A resource by IRI with its label; ``kind`` and ``slug`` are set for entities."""

    iri: str
    label: str | None = None
    kind: str | None = None
    slug: str | None = None


@dataclass(slots=True)
class Mention:
    """A passage of a report a fact was read from: ``content[start:end] == text``."""

    iri: str
    text: str
    start: int
    end: int
    report: str


@dataclass(slots=True)
class EntitySummary:
    """An entity as a search hit."""

    iri: str
    kind: str
    slug: str
    label: str
    alt_labels: list[str]
    types: list[str]


@dataclass(slots=True)
class Fact:
    """One statement about an entity, with where it came from.

    ``direction`` is "out" when the entity is the subject, "in" when it is
    the object; ``other`` is the node at the far end (None for a literal
    ``value``). ``mentions`` are the passages behind the statement: those of
    the subject (an event, an observation, or the entity itself).
    """

    direction: str
    predicate: str
    value: str
    datatype: str | None
    other: Node | None
    other_types: list[str]
    reports: list[str]
    mentions: list[Mention]


@dataclass(slots=True)
class EntityDetail:
    """What the store says of one entity: ``facts`` is one page of ``facts_total``.

    ``mentions`` holds the first of the entity's ``mentions_total`` mentions;
    ``limit`` and ``offset`` are the page of facts.
    """

    iri: str
    kind: str
    slug: str
    label: str
    alt_labels: list[str]
    types: list[str]
    reports: list[str]
    mentions: list[Mention]
    facts: list[Fact]
    facts_total: int
    mentions_total: int
    limit: int
    offset: int


@dataclass(slots=True)
class Party:
    role: str
    entity: Node


@dataclass(slots=True)
class Deal:
    """A deal or launch with its parties, figures and provenance."""

    iri: str
    type: str
    label: str | None
    date: str | None
    amount: Decimal | None
    currency: str | None
    valuation: Decimal | None
    status: str | None
    round_type: str | None
    product: Node | None
    parties: list[Party]
    reports: list[str]
    mentions: list[Mention]


@dataclass(slots=True)
class ObservationRecord:
    """A number a report states, with what it is about."""

    iri: str
    measure: str
    value: Decimal
    unit: str | None
    currency: str | None
    market: Node | None
    segment: Node | None
    year: int | None
    period_start: int | None
    period_end: int | None
    reports: list[str]
    mentions: list[Mention]


@dataclass(slots=True)
class Dimension:
    """A way a market is cut, with its segments."""

    iri: str
    label: str | None
    markets: list[Node]
    segments: list[Node]


@dataclass(slots=True)
class RegionNode:
    """A region and the regions directly inside it."""

    iri: str
    label: str | None
    slug: str | None
    country: bool
    children: list[RegionNode] = field(default_factory=list)


@dataclass(slots=True)
class Edge:
    source: str
    predicate: str
    target: str


@dataclass(slots=True)
class Neighborhood:
    """The nodes within ``depth`` links of an entity, and the links between them."""

    center: str
    depth: int
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool


# --------------------------------------------------------------------------- helpers


def curie(iri: str) -> str:
    """The IRI with a known prefix (``mg:Organization``), or as it is.

    >>> curie("https://w3id.org/marketgraph/ontology#Deal")
    'mg:Deal'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def entity_key(iri: str) -> tuple[str, str] | None:
    """``(kind, slug)`` of an entity IRI ``mgid:<kind>/<slug>``, None for other IRIs.

    >>> entity_key("https://w3id.org/marketgraph/id/segment/sensor-type/lidar")
    ('segment', 'sensor-type/lidar')
    """
    base = str(MGID)
    if not iri.startswith(base):
        return None
    kind, _, slug = iri[len(base) :].partition("/")
    return (kind, slug) if kind in KIND_CLASSES and slug else None


def entity_iri_of(kind: str, slug: str) -> str:
    """The IRI of ``mgid:<kind>/<slug>``.

    Raises:
        InputError: the kind is not an entity kind, or the slug is not one.
    """
    if kind not in KIND_CLASSES:
        raise InputError(f"unknown entity kind {kind!r}; use one of {', '.join(KIND_CLASSES)}")
    parts = slug.strip("/").split("/")
    if not slug or any(p != slugify(p) for p in parts):
        raise InputError(
            f"{slug!r} is not an entity slug; slugs are lower-case ASCII words joined by '-'"
        )
    return f"{MGID}{kind}/{'/'.join(parts)}"


def _node(iri: str, label: str | None = None) -> Node:
    key = entity_key(iri)
    return Node(iri, label, *key) if key else Node(iri, label)


def _lit(value: str) -> str:
    """A SPARQL string literal (escaped) for user text."""
    return Literal(value).n3()


def _iri(value: str) -> str:
    """A SPARQL IRI for user text; pyoxigraph checks the IRI syntax."""
    try:
        return str(ox.NamedNode(value))
    except ValueError:
        raise InputError(f"{value!r} is not a valid IRI; give an absolute http(s) IRI") from None


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(_iri(i) for i in iris)} }}"


def _rows(store: MarketStore, sparql: str) -> list[dict[str, Any]]:
    results = store.query(sparql)
    names = [v.value for v in results.variables]
    return [{n: term_value(t) for n, t in zip(names, row, strict=True)} for row in results]


def _count(store: MarketStore, where: str) -> int:
    rows = _rows(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"]) if rows else 0


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit {limit} is out of range; use 1 to {MAX_LIMIT}")
    if offset < 0:
        raise InputError(f"offset {offset} is negative; use 0 or more")


def _labels(store: MarketStore, iris: Iterable[str]) -> dict[str, str]:
    iris = set(iris)
    if not iris:
        return {}
    rows = _rows(
        store,
        f"SELECT ?x (MIN(?l) AS ?label) WHERE {{ {_values('x', iris)} ?x rdfs:label ?l }} "
        "GROUP BY ?x",
    )
    return {r["x"]: r["label"] for r in rows}


def _mentions(store: MarketStore, subjects: Iterable[str]) -> dict[str, list[Mention]]:
    """The mentions each subject was derived from, by subject IRI, in text order."""
    subjects = set(subjects)
    out: dict[str, list[Mention]] = {s: [] for s in subjects}
    if not subjects:
        return out
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?x ?m ?text ?start ?end ?report WHERE {{
              {_values("x", subjects)}
              ?x prov:wasDerivedFrom ?m . ?m mg:text ?text ; mg:start ?start ; mg:end ?end .
              OPTIONAL {{ ?m mg:inReport ?report }}
            }}""",
    )
    # Sorted here, not by ORDER BY: pyoxigraph's sort can abort the process on
    # columns that mix types or unbound values.
    for r in sorted(rows, key=lambda r: (r["report"] or "", r["start"], r["end"])):
        out[r["x"]].append(Mention(r["m"], r["text"], r["start"], r["end"], r["report"] or ""))
    return out


def _reports_of(store: MarketStore, subjects: Iterable[str]) -> dict[str, list[str]]:
    """The report graphs that state something about each subject."""
    subjects = set(subjects)
    out: dict[str, list[str]] = {s: [] for s in subjects}
    if not subjects:
        return out
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?x ?g WHERE {{ {_values("x", subjects)}
              GRAPH ?g {{ ?x a ?type }} ?g a mg:Report }} ORDER BY ?g""",
    )
    for r in rows:
        out[r["x"]].append(r["g"])
    return out


def _match_entity(var: str, name: str) -> str:
    """A graph pattern binding ``?var`` to entities named ``name``.

    ``name`` is an IRI, ``kind/slug``, or a name matched case-insensitively
    against labels and alternative labels (or by slug).
    """
    if name.startswith(("http://", "https://")):
        return f"VALUES ?{var} {{ {_iri(name)} }}"
    kind, sep, slug = name.partition("/")
    if sep and kind in KIND_CLASSES:
        return f"VALUES ?{var} {{ {_iri(entity_iri_of(kind, slug))} }}"
    folded = _lit(name.casefold())
    slug_tail = _lit("/" + slugify(name))
    return f"""{{ {{ ?{var} rdfs:label ?_{var}n }} UNION {{ ?{var} skos:altLabel ?_{var}n }}
               FILTER(LCASE(STR(?_{var}n)) = {folded} || STRENDS(STR(?{var}), {slug_tail})) }}"""


# --------------------------------------------------------------------------- entities


def entity_class(type_name: str) -> str:
    """The class IRI for a type name: a kind ("org") or class local name ("Country").

    Raises:
        InputError: the name is neither (the message lists the choices).
    """
    cls = TYPE_NAMES.get(type_name.strip().lower())
    if cls is None:
        kinds = ", ".join(sorted(TYPE_NAMES))
        raise InputError(f"unknown entity type {type_name!r}; use one of {kinds}")
    return cls


def entity_keys(store: MarketStore) -> list[tuple[str, str]]:
    """``(kind, slug)`` of every entity in the store, sorted."""
    classes = sorted(set(TYPE_NAMES.values()))
    rows = store.query(f"SELECT DISTINCT ?x WHERE {{ {_values('cls', classes)} ?x a ?cls }}")
    return sorted({key for row in rows if (key := entity_key(row["x"].value))})


def search_entities(
    store: MarketStore,
    q: str | None = None,
    type_name: str | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Entities whose label or alternative label contains ``q`` (any case).

    Exact matches come first, then names starting with ``q``, then the
    rest, each group by label. Without ``q`` every entity is listed.

    Args:
        q: text to look for; None or blank for all.
        type_name: a kind ("org", "region" ...) or class name ("Country").
        limit, offset: the page.

    Raises:
        InputError: unknown type, or limit/offset out of range.
    """
    _check_page(limit, offset)
    classes = [entity_class(type_name)] if type_name else sorted(set(TYPE_NAMES.values()))
    text = (q or "").strip().casefold()
    where = f"{_values('cls', classes)} ?x a ?cls ."
    rank = "0"
    if text:
        needle = _lit(text)
        where += f"""
          {{ ?x rdfs:label ?name }} UNION {{ ?x skos:altLabel ?name }}
          BIND(LCASE(STR(?name)) AS ?folded)
          FILTER(CONTAINS(?folded, {needle}))"""
        rank = f"IF(?folded = {needle}, 0, IF(STRSTARTS(?folded, {needle}), 1, 2))"
    total = _count(store, where)
    rows = _rows(
        store,
        f"""SELECT ?x (MIN({rank}) AS ?rank) (MIN(?l) AS ?label) WHERE {{
              {where} OPTIONAL {{ ?x rdfs:label ?l }}
            }} GROUP BY ?x ORDER BY ?rank LCASE(?label) ?x LIMIT {limit} OFFSET {offset}""",
    )
    iris = [r["x"] for r in rows]
    alts, types = _alt_labels_and_types(store, iris)
    items = []
    for r in rows:
        key = entity_key(r["x"]) or ("", r["x"])
        label = r["label"] or key[1]
        items.append(EntitySummary(r["x"], *key, label, alts[r["x"]], types[r["x"]]))
    return Page(items, total, limit, offset)


@dataclass(slots=True)
class _NodeFacts:
    """Labels, alternative labels, types (as CURIEs) and reports of some nodes."""

    labels: dict[str, str]
    alts: dict[str, list[str]]
    types: dict[str, list[str]]
    reports: dict[str, list[str]]


def _node_facts(store: MarketStore, iris: Iterable[str], *, reports: bool = False) -> _NodeFacts:
    """What :func:`_labels` and :func:`_alt_labels_and_types` give, in one query.

    The label is the least of a node's labels; lists are sorted. ``reports``
    also collects the reports each node is mentioned in.
    """
    iris = sorted(set(iris))
    out = _NodeFacts({}, {i: [] for i in iris}, {i: [] for i in iris}, {i: [] for i in iris})
    if not iris:
        return out
    mentioned = '} UNION { ?x mg:mentionedIn ?v BIND("report" AS ?p)' if reports else ""
    seen: set[tuple[str, str, str]] = set()
    for r in _rows(
        store,
        # DISTINCT: a remote store's union repeats a statement once per report.
        f"""SELECT DISTINCT ?x ?p ?v WHERE {{ {_values("x", iris)}
              {{ ?x rdfs:label ?v BIND("label" AS ?p) }}
              UNION {{ ?x skos:altLabel ?v BIND("alt" AS ?p) }}
              UNION {{ ?x a ?v BIND("type" AS ?p) {mentioned} }}
            }}""",
    ):
        x, kind, value = r["x"], r["p"], r["v"]
        if (x, kind, value) in seen:  # the same statement in several reports
            continue
        seen.add((x, kind, value))
        if kind == "label":
            if x not in out.labels or value < out.labels[x]:
                out.labels[x] = value
        elif kind == "alt":
            out.alts[x].append(value)
        elif kind == "type":
            out.types[x].append(curie(value))
        else:
            out.reports[x].append(value)
    for found in (*out.alts.values(), *out.types.values(), *out.reports.values()):
        found.sort()
    return out


def _alt_labels_and_types(
    store: MarketStore, iris: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    alts: dict[str, list[str]] = {i: [] for i in iris}
    types: dict[str, list[str]] = {i: [] for i in iris}
    if not iris:
        return alts, types
    for r in _rows(
        store,
        f"""SELECT DISTINCT ?x ?p ?v WHERE {{ {_values("x", iris)}
              {{ ?x skos:altLabel ?v BIND("alt" AS ?p) }} UNION {{ ?x a ?v BIND("type" AS ?p) }}
            }}""",
    ):
        (alts if r["p"] == "alt" else types)[r["x"]].append(
            r["v"] if r["p"] == "alt" else curie(r["v"])
        )
    for found in (*alts.values(), *types.values()):
        found.sort()
    return alts, types


def entity_detail(
    store: MarketStore,
    kind: str,
    slug: str,
    *,
    limit: int = FACT_LIMIT,
    offset: int = 0,
    mention_limit: int = MENTION_LIMIT,
) -> EntityDetail:
    """The labels, types and reports of an entity, a page of its facts and its first mentions.

    Facts come in a stable order (out before in, then by predicate, then by
    the other end), so ``offset`` pages through them; only the facts of the
    page are looked up in full (reports, passages, the other end's label),
    which keeps an entity named in thousands of reports cheap to show. The
    entity's own mentions are read from the first reports naming it, in
    the order of ``reports``.

    Args:
        limit, offset: the page of facts; ``facts_total`` counts them all.
        mention_limit: most of the entity's own mentions returned, in text
            order; ``mentions_total`` counts them all.

    Raises:
        InputError: ``kind`` or ``slug`` is malformed, or the page is out of range.
        UnknownEntity: the store holds no such entity.
    """
    _check_page(limit, offset)
    if not 0 <= mention_limit <= MAX_LIMIT:
        raise InputError(f"mention_limit {mention_limit} is out of range; use 0 to {MAX_LIMIT}")
    iri = entity_iri_of(kind, slug)
    node = _iri(iri)
    own_facts = _node_facts(store, [iri], reports=True)
    if not own_facts.types[iri]:
        raise UnknownEntity(
            f"no entity {kind}/{slug} in the store; search by name to find its slug"
        )
    own = ", ".join(_iri(str(p)) for p in _OWN)
    # ?o is the far end either way: the object of an out fact, the subject of an in fact.
    facts_where = f"""
        {{ GRAPH ?g {{ {node} ?p ?o }} FILTER(?p NOT IN ({own})) BIND("out" AS ?dir) }}
        UNION {{ GRAPH ?g {{ ?o ?p {node} }} FILTER(?p NOT IN (prov:wasDerivedFrom, mg:inReport))
                 BIND("in" AS ?dir) }}"""
    # Every fact with its reports, but nothing more, is read and sorted here:
    # pyoxigraph's ORDER BY decodes strings at each comparison, ten times slower
    # at thousands of facts. Passages and labels are read for the page alone.
    graphs: dict[tuple[str, str, Any], list[str]] = {}
    for row in store.query(f"SELECT ?dir ?p ?o ?g WHERE {{ {facts_where} }}"):
        graphs.setdefault((row["dir"].value, row["p"].value, row["o"]), []).append(row["g"].value)
    every = sorted(graphs, key=_fact_order)
    keys = every[offset : offset + limit]
    others = {o.value for _, _, o in keys if isinstance(o, ox.NamedNode)}
    other_facts = _node_facts(store, others)
    labels, other_types = other_facts.labels, other_facts.types
    subjects = {o.value for d, _, o in keys if d == "in"}
    reports = own_facts.reports[iri]
    # An entity named in few reports has few mentions: read them all with the
    # others' (one query less); a much-named one is counted and paged apart.
    few = len(reports) <= max(mention_limit, MENTION_LIMIT)
    mentions = _mentions(store, subjects | {iri} if few else subjects)
    if few:
        mentions_total, first_mentions = len(mentions[iri]), mentions[iri][:mention_limit]
    else:
        out_reports = {g for key in keys if key[0] == "out" for g in graphs[key]}
        mentions[iri] = _own_mentions(store, node, out_reports)
        mentions_total, first_mentions = _own_mention_page(store, node, reports, mention_limit)
    by_report: dict[tuple[str, str], list[Mention]] = {}
    for subject, found in mentions.items():
        for m in found:
            by_report.setdefault((subject, m.report), []).append(m)

    facts = []
    for key in keys:
        direction, p, o = key
        if isinstance(o, ox.Literal):
            fact = Fact(direction, curie(p), o.value, curie(o.datatype.value), None, [], [], [])
        else:
            other = _node(o.value, labels.get(o.value))
            types = other_types.get(o.value, [])
            fact = Fact(direction, curie(p), o.value, None, other, types, [], [])
        subject = iri if direction == "out" else o.value
        for g in sorted(set(graphs[key])):
            fact.reports.append(g)
            fact.mentions.extend(by_report.get((subject, g), []))
        facts.append(fact)
    return EntityDetail(
        iri,
        kind,
        slug,
        own_facts.labels.get(iri, slug),
        own_facts.alts[iri],
        own_facts.types[iri],
        reports,
        first_mentions,
        facts,
        facts_total=len(every),
        mentions_total=mentions_total,
        limit=limit,
        offset=offset,
    )


def _mention(row: Any) -> Mention:
    report = row["report"]
    return Mention(
        row["m"].value,
        row["text"].value,
        int(row["start"].value),
        int(row["end"].value),
        report.value if report is not None else "",
    )


def _own_mentions(store: MarketStore, node: str, reports: Iterable[str]) -> list[Mention]:
    """The entity's own mentions in some reports (each in its report's graph), in text order."""
    # One branch per report graph, named outright: pyoxigraph joins VALUES ?report
    # only after reading every mention of the entity, 50 times slower for a
    # company named in thousands of reports.
    branches = " UNION ".join(
        f"""{{ GRAPH {_iri(r)} {{ {node} prov:wasDerivedFrom ?m .
                 ?m mg:text ?text ; mg:start ?start ; mg:end ?end }}
               BIND({_iri(r)} AS ?report) }}"""
        for r in sorted(set(reports))
    )
    if not branches:
        return []
    rows = store.query(f"SELECT DISTINCT ?m ?text ?start ?end ?report WHERE {{ {branches} }}")
    return sorted(map(_mention, rows), key=lambda m: (m.report, m.start, m.end, m.iri))


def _own_mention_page(
    store: MarketStore, node: str, reports: Sequence[str], limit: int
) -> tuple[int, list[Mention]]:
    """How many mentions the entity has, and the first ``limit`` in text order.

    ``reports`` are the reports naming the entity, sorted. Its mentions are
    read a few reports at a time, in that order, until ``limit`` are found:
    most reports mention an entity they name, so one query usually does.
    """
    total = _rows(
        store, f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {node} prov:wasDerivedFrom ?m }}"
    )
    found: list[Mention] = []
    start, step = 0, max(limit, 1)
    while len(found) < limit and start < len(reports):
        found += _own_mentions(store, node, reports[start : start + step])
        start, step = start + step, 2 * step
    return int(total[0]["n"]), found[:limit]


def _fact_order(key: tuple[str, str, Any]) -> tuple[bool, str, bool, str, str, str]:
    """Sort key of ``(direction, predicate, other end)``: out before in, then by predicate."""
    direction, p, o = key
    if isinstance(o, ox.Literal):
        return direction != "out", p, True, o.value, o.datatype.value, o.language or ""
    return direction != "out", p, False, o.value, "", ""


# --------------------------------------------------------------------------- deals


def _check_date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not _ISO_DATE.fullmatch(value):
        raise InputError(f"{name}={value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _date_bound(var: str, bound: str, op: str) -> str:
    """A FILTER comparing dates of any precision on their common prefix.

    "2026-02" is both after "2026" and before "2026-02-15": it overlaps them.
    """
    n = f"IF(STRLEN(STR(?{var})) < {len(bound)}, STRLEN(STR(?{var})), {len(bound)})"
    return f"FILTER(SUBSTR(STR(?{var}), 1, {n}) {op} SUBSTR({_lit(bound)}, 1, {n}))"


def deals(
    store: MarketStore,
    *,
    type_name: str | None = None,
    party: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_amount: Decimal | str | None = None,
    currency: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Deals (or launches, when ``type_name="Launch"``), newest first.

    Args:
        type_name: an event type ("Acquisition" ...); the five deal types when None.
        party: an entity taking any role: IRI, ``kind/slug`` or name.
        since, until: ISO dates of any precision; a deal whose date overlaps
            the bound is kept, a deal without a date is not.
        min_amount: the least ``mg:amount`` (in whole currency units).
        currency: ISO 4217 code of the amount.
        limit, offset: the page.

    Raises:
        InputError: unknown type, malformed date or amount, bad page.
    """
    _check_page(limit, offset)
    if type_name is None:
        types = list(DEAL_TYPES)
    else:
        match = {t.lower(): t for t in EVENT_TYPES}.get(type_name.strip().lower())
        if match is None:
            raise InputError(
                f"unknown deal type {type_name!r}; use one of {', '.join(EVENT_TYPES)}"
            )
        types = [match]
    where = [_values("type", (str(MG[t]) for t in types)), "?x a ?type ."]
    if party:
        where += [_match_entity("party", party), "?x ?role ?party ."]
    if since or until:
        where.append("?x mg:date ?date .")
        if since := _check_date("since", since):
            where.append(_date_bound("date", since, ">="))
        if until := _check_date("until", until):
            where.append(_date_bound("date", until, "<="))
    if min_amount is not None:
        try:
            least = Decimal(str(min_amount))
        except InvalidOperation:
            raise InputError(
                f"min_amount={min_amount!r} is not a number; write e.g. 1000000"
            ) from None
        where += ["?x mg:amount ?amount .", f"FILTER(?amount >= {least})"]
    if currency:
        where.append(f"?x mg:currency ?cur . FILTER(UCASE(STR(?cur)) = {_lit(currency.upper())})")
    body = "\n".join(where)
    total = _count(store, body)
    iris = [
        r["x"]
        for r in _rows(
            store,
            f"""SELECT ?x (MAX(STR(?d)) AS ?when) WHERE {{
                  {{ SELECT DISTINCT ?x WHERE {{ {body} }} }}
                  OPTIONAL {{ ?x mg:date ?d }} }}
                GROUP BY ?x ORDER BY DESC(?when) ?x LIMIT {limit} OFFSET {offset}""",
        )
    ]
    return Page(_deal_records(store, iris), total, limit, offset)


_DEAL_FIELDS = {
    "date": "date", "amount": "amount", "currency": "currency", "valuation": "valuation",
    "status": "status", "roundType": "round_type", "label": "label",
}  # fmt: skip


def _deal_records(store: MarketStore, iris: Sequence[str]) -> list[Deal]:
    if not iris:
        return []
    props = " ".join(_iri(str(MG[p])) for p in _DEAL_FIELDS if p != "label")
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?x ?p ?o ?type WHERE {{ {_values("x", iris)}
              {{ ?x a ?type FILTER(STRSTARTS(STR(?type), STR(mg:))) }}
              UNION {{ VALUES ?p {{ {props} rdfs:label }} ?x ?p ?o }}
              UNION {{ ?x ?p ?o FILTER(isIRI(?o) && ?p NOT IN (rdf:type, prov:wasDerivedFrom)) }}
            }}""",
    )
    fields: dict[str, dict[str, Any]] = {i: {} for i in iris}
    types: dict[str, set[str]] = {i: set() for i in iris}
    links: dict[str, list[tuple[str, str]]] = {i: [] for i in iris}
    for r in rows:
        x = r["x"]
        if r["type"]:
            types[x].add(r["type"].rsplit("#", 1)[-1])
            continue
        name = r["p"].rsplit("#", 1)[-1]
        if isinstance(r["o"], str) and entity_key(r["o"]):
            links[x].append((name, r["o"]))
        elif name in _DEAL_FIELDS:
            fields[x][_DEAL_FIELDS[name]] = r["o"]
    labels = _labels(store, (o for pairs in links.values() for _, o in pairs))
    mentions = _mentions(store, iris)
    reports = _reports_of(store, iris)
    out = []
    for x in iris:
        specific = sorted(types[x] - {"Deal", "Event"}) or sorted(types[x]) or ["Event"]
        f = fields[x]
        product = next((o for role, o in links[x] if role == "product"), None)
        parties = [
            Party(role, _node(o, labels.get(o)))
            for role, o in sorted(links[x])
            if role != "product"
        ]
        out.append(
            Deal(
                x,
                specific[0],
                f.get("label"),
                f.get("date"),
                f.get("amount"),
                f.get("currency"),
                f.get("valuation"),
                f.get("status"),
                f.get("round_type"),
                _node(product, labels.get(product)) if product else None,
                parties,
                reports[x],
                mentions[x],
            )
        )
    return out


# --------------------------------------------------------------------------- observations


def measure_name(name: str) -> str:
    """The measure's local name for any casing ("cagr" -> "CAGR").

    Raises:
        InputError: not a measure.
    """
    found = {m.lower(): m for m in MEASURES}.get(name.strip().lower())
    if found is None:
        raise InputError(f"unknown measure {name!r}; use one of {', '.join(MEASURES)}")
    return found


def observations(
    store: MarketStore,
    *,
    measure: str | None = None,
    segment: str | None = None,
    year: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """The numbers reports state, by measure, then segment, then year.

    Args:
        measure: "MarketSize", "CAGR" or "MarketShare" (any case).
        segment: the segment or region a number is about (IRI, ``kind/slug``
            or name); "market" for numbers about the whole market.
        year: a size's or share's year, or either end of a CAGR's period.
        limit, offset: the page.

    Raises:
        InputError: unknown measure, bad page.
    """
    _check_page(limit, offset)
    where = ["?x a mg:Observation ."]
    if measure:
        where.append(f"?x mg:measure {_iri(str(MG[measure_name(measure)]))} .")
    if segment:
        if segment.strip().lower() == "market":
            where.append("FILTER NOT EXISTS { ?x mg:segment ?any }")
        else:
            where += [_match_entity("seg", segment), "?x mg:segment ?seg ."]
    if year is not None:
        y = _lit(f"{year:04d}")
        where.append(
            f"""{{ ?x mg:year ?y }} UNION {{ ?x mg:periodStart ?y }} UNION {{ ?x mg:periodEnd ?y }}
                FILTER(STR(?y) = {y})"""
        )
    body = "\n".join(where)
    total = _count(store, body)
    iris = [
        r["x"]
        for r in _rows(
            store,
            f"""SELECT DISTINCT ?x ?m ?sl ?yr WHERE {{ {{ SELECT DISTINCT ?x WHERE {{ {body} }} }}
                  OPTIONAL {{ ?x mg:measure ?m }}
                  OPTIONAL {{ ?x mg:segment/rdfs:label ?sl }}
                  OPTIONAL {{ ?x mg:year|mg:periodEnd ?yr }}
                }} ORDER BY ?m ?sl ?yr ?x""",
        )
    ]
    # An observation with several labels or years sorts once, at its first place.
    iris = list(dict.fromkeys(iris))[offset : offset + limit]
    return Page(_observation_records(store, iris), total, limit, offset)


def _observation_records(store: MarketStore, iris: Sequence[str]) -> list[ObservationRecord]:
    if not iris:
        return []
    rows = _rows(
        store,
        f"""SELECT ?x ?p ?o WHERE {{ {_values("x", iris)} ?x ?p ?o
              FILTER(?p NOT IN (rdf:type, prov:wasDerivedFrom)) }}""",
    )
    fields: dict[str, dict[str, Any]] = {i: {} for i in iris}
    for r in rows:
        fields[r["x"]][r["p"].rsplit("#", 1)[-1]] = r["o"]
    labels = _labels(
        store, (f[k] for f in fields.values() for k in ("market", "segment") if k in f)
    )
    mentions = _mentions(store, iris)
    reports = _reports_of(store, iris)

    def node(value: str | None) -> Node | None:
        return _node(value, labels.get(value)) if value else None

    def year(value: Any) -> int | None:
        return int(value) if value is not None else None

    return [
        ObservationRecord(
            x,
            str(f.get("measure", "")).rsplit("#", 1)[-1],
            f.get("value"),
            f.get("unit"),
            f.get("currency"),
            node(f.get("market")),
            node(f.get("segment")),
            year(f.get("year")),
            year(f.get("periodStart")),
            year(f.get("periodEnd")),
            reports[x],
            mentions[x],
        )
        for x, f in fields.items()
    ]


# --------------------------------------------------------------------------- trees


def segments(store: MarketStore) -> list[Dimension]:
    """Every segment dimension with its segments and the markets cut by it, by label.

    Segments in no dimension are listed under a dimension with an empty IRI.
    """
    rows = _rows(
        store,
        """SELECT DISTINCT ?d ?seg ?market WHERE {
             { ?d a mg:SegmentDimension OPTIONAL { ?seg skos:inScheme ?d }
               OPTIONAL { ?market mg:segmentedBy ?d } }
             UNION { ?seg a mg:Segment FILTER NOT EXISTS { ?seg skos:inScheme ?any } }
           }""",
    )
    found: dict[str, tuple[set[str], set[str]]] = {}
    for r in rows:
        segs, markets = found.setdefault(r["d"] or "", (set(), set()))
        if r["seg"]:
            segs.add(r["seg"])
        if r["market"]:
            markets.add(r["market"])
    labels = _labels(store, {i for s, m in found.values() for i in s | m} | set(found) - {""})

    def nodes(iris: set[str]) -> list[Node]:
        return sorted((_node(i, labels.get(i)) for i in iris), key=lambda n: n.label or n.iri)

    dims = [Dimension(d, labels.get(d), nodes(m), nodes(s)) for d, (s, m) in found.items()]
    return sorted(dims, key=lambda d: (d.iri == "", (d.label or d.iri).lower()))


def regions(store: MarketStore) -> list[RegionNode]:
    """Regions as a forest by ``mg:partOf``: roots contain the regions under them.

    A region stated to be part of two regions appears under each; a cycle of
    ``partOf`` (a data error) is broken where it closes.
    """
    rows = _rows(
        store,
        """SELECT ?r (MIN(?l) AS ?label) (SAMPLE(?c) AS ?country) WHERE { ?r a mg:Region
             OPTIONAL { ?r rdfs:label ?l }
             OPTIONAL { ?r a mg:Country BIND(true AS ?c) } } GROUP BY ?r""",
    )
    info = {r["r"]: (r["label"], bool(r["country"])) for r in rows}
    children: dict[str, list[str]] = {}
    has_parent: set[str] = set()
    for r in _rows(store, "SELECT DISTINCT ?r ?p WHERE { ?r a mg:Region ; mg:partOf ?p }"):
        if r["p"] in info:
            children.setdefault(r["p"], []).append(r["r"])
            has_parent.add(r["r"])

    def build(iri: str, path: frozenset[str]) -> RegionNode:
        label, country = info[iri]
        key = entity_key(iri)
        node = RegionNode(iri, label, key[1] if key else None, country)
        kids = [c for c in children.get(iri, []) if c not in path]
        node.children = sorted(
            (build(c, path | {c}) for c in kids), key=lambda n: (n.label or n.iri).lower()
        )
        return node

    roots = [i for i in info if i not in has_parent]
    # A cycle with no root outside it would vanish; start it at its first member.
    reached: set[str] = set()

    def mark(n: RegionNode) -> None:
        reached.add(n.iri)
        for c in n.children:
            mark(c)

    forest = [build(r, frozenset({r})) for r in roots]
    for tree in forest:
        mark(tree)
    for i in sorted(info):
        if i not in reached:
            tree = build(i, frozenset({i}))
            mark(tree)
            forest.append(tree)
    return sorted(forest, key=lambda n: (n.label or n.iri).lower())


# --------------------------------------------------------------------------- neighbours


def neighbors(
    store: MarketStore, kind: str, slug: str, *, depth: int = 1, max_nodes: int = 500
) -> Neighborhood:
    """The entities, events and figures within ``depth`` links of an entity.

    Links are object properties between resources in either direction;
    types, labels, reports and provenance are not links. An event counts as
    a node, so an acquirer is 2 links from the company it bought.

    Args:
        depth: 1 to :data:`MAX_DEPTH`.
        max_nodes: stop growing once this many nodes are found (``truncated``).

    Raises:
        InputError: bad depth, kind or slug. UnknownEntity: no such entity.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise InputError(f"depth {depth} is out of range; use 1 to {MAX_DEPTH}")
    center = entity_iri_of(kind, slug)
    if not store.query(f"ASK {{ {_iri(center)} a ?type }}"):
        raise UnknownEntity(f"no entity {kind}/{slug} in the store; search by name to find it")
    skip = ", ".join(_iri(str(p)) for p in _NOT_EDGES)
    seen = {center}
    frontier = {center}
    edges: set[tuple[str, str, str]] = set()
    truncated = False
    for _ in range(depth):
        if not frontier:
            break
        rows = _rows(
            store,
            f"""SELECT DISTINCT ?s ?p ?o WHERE {{ {_values("n", frontier)}
                  {{ ?n ?p ?o BIND(?n AS ?s) }} UNION {{ ?s ?p ?n BIND(?n AS ?o) }}
                  FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN ({skip}))
                  FILTER NOT EXISTS {{ ?o a mg:Report }} FILTER NOT EXISTS {{ ?s a mg:Report }}
                  FILTER(!STRSTARTS(STR(?o), STR(mg:)))
                }}""",
        )
        new: set[str] = set()
        for r in rows:
            for end in (r["s"], r["o"]):
                if end not in seen and end not in new:
                    if len(seen) + len(new) >= max_nodes:
                        truncated = True
                        continue
                    new.add(end)
            if {r["s"], r["o"]} <= seen | new:
                edges.add((r["s"], curie(r["p"]), r["o"]))
        seen |= new
        frontier = new
    labels = _labels(store, seen)
    nodes = sorted((_node(i, labels.get(i)) for i in seen), key=lambda n: n.iri)
    return Neighborhood(center, depth, nodes, [Edge(*e) for e in sorted(edges)], truncated)
