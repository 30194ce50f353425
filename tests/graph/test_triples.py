from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import PROV, SKOS

from marketgraph.extract.facts import Entity, Ref
from marketgraph.graph.iris import entity_iri
from marketgraph.graph.triples import date_literal, report_triples
from marketgraph.ontology import MG


def _graph(facts) -> tuple:
    report, triples = report_triples(facts, fmt="txt", extractor_version="test")
    g = Graph()
    for t in triples:
        g.add(t)
    return report, g


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("2026", XSD.gYear), ("2026-02", XSD.gYearMonth), ("2026-02-13", XSD.date)],
)
def test_date_literal_is_as_precise_as_the_text(value, datatype):
    assert date_literal(value).datatype == datatype


def test_date_literal_rejects_other_shapes():
    with pytest.raises(ValueError):
        date_literal("Feb 2026")


def test_report_record_has_source_name_sha_and_content(facts):
    report, g = _graph(facts)
    assert (report, RDF.type, MG.Report) in g
    assert g.value(report, MG.sourceName) == Literal("drones.txt")
    assert g.value(report, MG.sha256) == Literal(facts.sha256)
    assert str(g.value(report, MG.content)) == facts.content


def test_entity_has_one_label_and_its_other_forms_as_alt_labels(facts):
    report, g = _graph(facts)
    korvo = entity_iri(Ref("org", "Korvo Labs"))
    assert list(g.objects(korvo, RDFS.label)) == [Literal("Korvo Labs")]
    assert set(g.objects(korvo, SKOS.altLabel)) == {Literal("Korvo Labs, Inc.")}
    assert (korvo, MG.mentionedIn, report) in g


def test_party_named_only_in_an_event_still_gets_type_and_label(facts):
    _, g = _graph(facts)
    pellucid = entity_iri(Ref("org", "Pellucid Data"))
    assert (pellucid, RDF.type, MG.Organization) in g
    assert g.value(pellucid, RDFS.label) == Literal("Pellucid Data")


def test_event_carries_parties_date_amount_currency_and_status(facts):
    _, g = _graph(facts)
    (event,) = g.subjects(RDF.type, MG.Acquisition)
    assert g.value(event, MG.acquirer) == entity_iri(Ref("org", "Korvo Labs"))
    assert g.value(event, MG.acquired) == entity_iri(Ref("org", "Pellucid Data"))
    assert g.value(event, MG.date) == Literal("2026-03", datatype=XSD.gYearMonth)
    assert g.value(event, MG.amount).toPython() == Decimal("40000000")
    assert g.value(event, MG.currency) == Literal("USD")
    assert g.value(event, MG.status) == Literal("completed")


def test_mention_offsets_give_back_its_text(facts):
    _, g = _graph(facts)
    mentions = list(g.subjects(RDF.type, MG.Mention))
    assert mentions
    for m in mentions:
        start, end = int(g.value(m, MG.start)), int(g.value(m, MG.end))
        assert facts.content[start:end] == str(g.value(m, MG.text))


def test_every_event_and_observation_is_derived_from_a_mention(facts):
    _, g = _graph(facts)
    for cls in (MG.Acquisition, MG.Observation):
        for node in g.subjects(RDF.type, cls):
            assert g.value(node, PROV.wasDerivedFrom) is not None


def test_observation_money_has_currency_and_percentages_have_unit(facts):
    from marketgraph.extract.facts import Observation

    facts.observations.append(Observation("CAGR", Decimal("12.5"), period_end=2031))
    _, g = _graph(facts)
    by_measure = {g.value(o, MG.measure): o for o in g.subjects(RDF.type, MG.Observation)}
    size, cagr = by_measure[MG.MarketSize], by_measure[MG.CAGR]
    assert g.value(size, MG.currency) == Literal("USD")
    assert g.value(size, MG.year) == Literal("2025", datatype=XSD.gYear)
    assert g.value(cagr, MG.unit) == Literal("percent")
    assert g.value(cagr, MG.periodEnd) == Literal("2031", datatype=XSD.gYear)
    assert g.value(cagr, MG.periodStart) is None


def test_factor_impact_is_a_signed_decimal(facts):
    _, g = _graph(facts)
    (driver,) = g.subjects(RDF.type, MG.Driver)
    assert g.value(driver, MG.impactOnCAGR).toPython() == Decimal("2.5")
    assert str(g.value(driver, RDFS.label)) == "Cheaper sensors"


def test_segment_is_in_the_scheme_of_its_dimension(facts):
    segment = Ref("segment", "Fixed Wing", scope="Platform")
    facts.entities[segment] = Entity(segment)
    _, g = _graph(facts)
    dimension = entity_iri(Ref("dimension", "Platform"))
    assert g.value(entity_iri(segment), SKOS.inScheme) == dimension
    assert (dimension, RDF.type, MG.SegmentDimension) in g


def test_country_is_also_a_region(facts):
    france = Ref("region", "France")
    facts.entities[france] = Entity(france, country=True, part_of=Ref("region", "Europe"))
    _, g = _graph(facts)
    node = entity_iri(france)
    assert {MG.Region, MG.Country} <= set(g.objects(node, RDF.type))
    assert g.value(node, MG.partOf) == entity_iri(Ref("region", "Europe"))
