"""Facts to triples, per the public vocabulary.

:func:`report_triples` turns one report's :class:`ReportFacts` into the
triples of its named graph: the report record, every entity with its labels,
every event, observation and growth factor, and a ``mg:Mention`` for each
text span a fact was read from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from marketgraph.extract.facts import Entity, Event, Factor, Observation, Ref, ReportFacts, Span
from marketgraph.graph.iris import entity_iri, fact_iri, mention_iri, report_iri
from marketgraph.ontology import MG

Triple = tuple[URIRef, URIRef, URIRef | Literal]

#: The class of each entity kind.
KIND_CLASSES: dict[str, URIRef] = {
    "org": MG.Organization,
    "person": MG.Person,
    "dataset": MG.Dataset,
    "product": MG.Product,
    "region": MG.Region,
    "market": MG.Market,
    "dimension": MG.SegmentDimension,
    "segment": MG.Segment,
    "regulation": MG.Regulation,
}
CLASS_KINDS: dict[URIRef, str] = {cls: kind for kind, cls in KIND_CLASSES.items()}

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def date_literal(value: str) -> Literal:
    """An ISO date as precise as written: ``2026``, ``2026-02`` or ``2026-02-13``.

    >>> date_literal("2026-02").datatype == XSD.gYearMonth
    True
    """
    datatype = _DATE_TYPES.get(len(value))
    if datatype is None:
        raise ValueError(f"not an ISO year, year-month or date: {value!r}")
    return Literal(value, datatype=datatype)


def decimal_literal(value: Decimal | int | float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def year_literal(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def report_triples(
    facts: ReportFacts,
    *,
    fmt: str,
    extractor_version: str,
    built_at: datetime | None = None,
) -> tuple[URIRef, list[Triple]]:
    """The report's IRI and the triples of its named graph.

    Args:
        facts: what extraction found in the report.
        fmt: the input format ("txt", "md", "html", "pdf").
        extractor_version: recorded on the report, so a graph says what built it.
        built_at: the build time (now, when not given).
    """
    report = report_iri(facts.source_name)
    out: list[Triple] = []
    add = out.append
    add((report, RDF.type, MG.Report))
    add((report, MG.sourceName, Literal(facts.source_name)))
    add((report, MG.sha256, Literal(facts.sha256)))
    add((report, MG.content, Literal(facts.content)))
    add((report, MG.format, Literal(fmt)))
    add((report, MG.extractorVersion, Literal(extractor_version)))
    when = (built_at or datetime.now(UTC)).replace(microsecond=0)
    add((report, MG.builtAt, Literal(when.isoformat(), datatype=XSD.dateTime)))
    if facts.title:
        add((report, DCTERMS.title, Literal(facts.title)))
    if facts.publisher:
        add((report, MG.publisher, entity_iri(facts.publisher)))

    mentions: dict[tuple[int, int], URIRef] = {}

    def cite(node: URIRef, spans: Iterable[Span]) -> None:
        for span in spans:
            key = (span.start, span.end)
            iri = mentions.get(key)
            if iri is None:
                iri = mentions[key] = mention_iri(report, span.start, span.end)
                add((iri, RDF.type, MG.Mention))
                add((iri, MG.inReport, report))
                add((iri, MG.text, Literal(span.text)))
                add((iri, MG.start, Literal(span.start)))
                add((iri, MG.end, Literal(span.end)))
            add((node, PROV.wasDerivedFrom, iri))

    referenced: set[Ref] = set()

    def ref(r: Ref) -> URIRef:
        referenced.add(r)
        return entity_iri(r)

    for entity in facts.entities.values():
        out.extend(_entity_triples(entity, report, ref))
        cite(entity_iri(entity.ref), entity.mentions)
    if facts.publisher:
        referenced.add(facts.publisher)

    for event in facts.events:
        node = _event_iri(report, event)
        out.extend(_event_triples(node, event, ref))
        cite(node, event.mentions)

    for obs in facts.observations:
        node = fact_iri(
            report,
            "observation",
            obs.measure,
            obs.value,
            obs.currency,
            obs.segment,
            obs.year,
            obs.period_start,
            obs.period_end,
        )
        out.extend(_observation_triples(node, obs, ref))
        cite(node, obs.mentions)

    for factor in facts.factors:
        node = fact_iri(report, "factor", factor.kind, factor.label)
        out.extend(_factor_triples(node, factor, ref))
        cite(node, factor.mentions)

    # An entity named only as a party of a fact still needs its type and label.
    for r in referenced - facts.entities.keys():
        out.extend(_entity_triples(Entity(r), report, ref))
    return report, out


def _entity_triples(entity: Entity, report: URIRef, ref) -> Iterator[Triple]:
    node = entity_iri(entity.ref)
    yield node, RDF.type, KIND_CLASSES[entity.kind]
    if entity.country:
        yield node, RDF.type, MG.Country
    yield node, RDFS.label, Literal(entity.name)
    for alias in sorted(entity.aliases - {entity.name}):
        yield node, SKOS.altLabel, Literal(alias)
    yield node, MG.mentionedIn, report
    if entity.ref.kind == "segment" and entity.ref.scope:
        yield node, SKOS.inScheme, ref(Ref("dimension", entity.ref.scope))
    if entity.publisher:
        yield node, MG.publisher, ref(entity.publisher)
    if entity.license:
        yield node, MG.license, Literal(entity.license)
    if entity.size:
        yield node, MG.size, Literal(entity.size)
    if entity.provider:
        yield node, MG.provider, ref(entity.provider)
    if entity.part_of:
        yield node, MG.partOf, ref(entity.part_of)
    if entity.jurisdiction:
        yield node, MG.jurisdiction, ref(entity.jurisdiction)
    for leader in entity.leaders:
        yield node, MG.leader, ref(leader)
    for dimension in entity.dimensions:
        yield node, MG.segmentedBy, ref(dimension)


def _event_iri(report: URIRef, event: Event) -> URIRef:
    parties = sorted((role, r.kind, r.name) for role, refs in event.roles.items() for r in refs)
    return fact_iri(report, "event", event.type, parties, event.date)


def event_label(event: Event) -> str:
    """A short human label: ``Acquisition: Acme, Widgets (2026-02)``."""
    names = [r.name for refs in event.roles.values() for r in refs]
    label = f"{event.type}: {', '.join(names)}" if names else event.type
    return f"{label} ({event.date})" if event.date else label


def _event_triples(node: URIRef, event: Event, ref) -> Iterator[Triple]:
    yield node, RDF.type, MG[event.type]
    yield node, RDFS.label, Literal(event_label(event))
    for role, refs in event.roles.items():
        for r in refs:
            yield node, MG[role], ref(r)
    if event.date:
        yield node, MG.date, date_literal(event.date)
    if event.amount is not None:
        yield node, MG.amount, decimal_literal(event.amount)
    if event.valuation is not None:
        yield node, MG.valuation, decimal_literal(event.valuation)
    if event.currency and (event.amount is not None or event.valuation is not None):
        yield node, MG.currency, Literal(event.currency)
    if event.round_type:
        yield node, MG.roundType, Literal(event.round_type)
    if event.status:
        yield node, MG.status, Literal(event.status)
    if event.product:
        yield node, MG.product, ref(event.product)


def _observation_triples(node: URIRef, obs: Observation, ref) -> Iterator[Triple]:
    yield node, RDF.type, MG.Observation
    yield node, MG.measure, MG[obs.measure]
    yield node, MG.value, decimal_literal(obs.value)
    if obs.currency:
        yield node, MG.currency, Literal(obs.currency)
    elif obs.measure in ("CAGR", "MarketShare"):
        yield node, MG.unit, Literal("percent")
    if obs.market:
        yield node, MG.market, ref(obs.market)
    if obs.segment:
        yield node, MG.segment, ref(obs.segment)
    if obs.year is not None:
        yield node, MG.year, year_literal(obs.year)
    if obs.period_start is not None:
        yield node, MG.periodStart, year_literal(obs.period_start)
    if obs.period_end is not None:
        yield node, MG.periodEnd, year_literal(obs.period_end)


def _factor_triples(node: URIRef, factor: Factor, ref) -> Iterator[Triple]:
    yield node, RDF.type, MG[factor.kind]
    yield node, RDFS.label, Literal(factor.label)
    if factor.impact is not None:
        yield node, MG.impactOnCAGR, decimal_literal(factor.impact)
    if factor.geography:
        yield node, MG.geography, Literal(factor.geography)
    if factor.horizon:
        yield node, MG.horizon, Literal(factor.horizon)
    if factor.market:
        yield node, MG.market, ref(factor.market)
