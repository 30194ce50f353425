"""The ontology declares the public vocabulary and agrees with the records and namespace.

Tests marked ``shared`` read the vocabulary contract from ``../shared`` and
check the ontology against what it promises.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.collection import Collection

from marketgraph.extract.facts import EVENT_ROLES, EVENT_TYPES, Measure, Status
from marketgraph.ontology import MG, MGID, ONTOLOGY_GRAPH, ONTOLOGY_PATH, load_ontology
from marketgraph.ontology.generate import NAMESPACE_PATH, namespace_source

G = load_ontology()
# Modules' DefinedNamespaces that only warn on unknown names (XSD, SDO) are
# reached through `ns.` so that pytest's collection does not trip their warnings.
PREFIXES = {
    "schema": ns.SDO,
    "org": ns.ORG,
    "skos": ns.SKOS,
    "prov": ns.PROV,
    "qb": ns.QB,
    "xsd": ns.XSD,
    "mg": MG._NS,
}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)


def in_mg(term) -> bool:
    # By IRI, not `term in MG`, so that the checks do not trust the namespace module.
    return isinstance(term, URIRef) and term.startswith(str(MG))


def mg_terms(graph: Graph) -> list[URIRef]:
    """Every IRI in the mg: namespace that the graph gives a type."""
    return sorted({s for s in graph.subjects(RDF.type, None) if in_mg(s)})


def mg_properties(graph: Graph) -> list[URIRef]:
    return sorted({s for t in PROPERTY_TYPES for s in graph.subjects(RDF.type, t) if in_mg(s)})


def members(graph: Graph, node) -> set:
    """The node itself, or the members of the owl:unionOf list it stands for."""
    union = graph.value(node, OWL.unionOf)
    return set(Collection(graph, union)) if union is not None else {node}


def superclasses(graph: Graph, cls: URIRef) -> set:
    return set(graph.transitive_objects(cls, RDFS.subClassOf))


def domain_covers(graph: Graph, prop: URIRef, cls: URIRef) -> bool:
    domains = set().union(*(members(graph, d) for d in graph.objects(prop, RDFS.domain)))
    return bool(domains & superclasses(graph, cls))


def range_classes(graph: Graph, prop: URIRef) -> set:
    return set().union(*(members(graph, r) for r in graph.objects(prop, RDFS.range)))


def vocabulary(shared_dir: Path) -> str:
    return (shared_dir / "contract" / "vocabulary.md").read_text(encoding="utf-8")


def markdown_tables(text: str) -> list[list[dict[str, str]]]:
    """The pipe tables of a Markdown text, each as rows keyed by lower-case header."""
    tables, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.lstrip().startswith("|"):
            block.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if len(block) > 2:
            header = [cell.lower() for cell in block[0]]
            tables.append([dict(zip(header, row, strict=False)) for row in block[2:]])
        block = []
    return tables


def curie(token: str) -> URIRef:
    prefix, name = token.split(":", 1)
    return URIRef(str(PREFIXES[prefix]) + name)


# --- the file itself -------------------------------------------------------


def test_ontology_parses_with_header():
    assert (ONTOLOGY_GRAPH, RDF.type, OWL.Ontology) in G
    assert G.value(ONTOLOGY_GRAPH, OWL.versionInfo) == Literal("0.1.0")
    assert (ONTOLOGY_GRAPH, URIRef("http://purl.org/dc/terms/title"), None) in G
    assert (ONTOLOGY_GRAPH, URIRef("http://purl.org/dc/terms/description"), None) in G


def test_ontology_path_is_the_packaged_turtle():
    parsed = Graph().parse(data=ONTOLOGY_PATH.read_text(encoding="utf-8"), format="turtle")
    assert len(parsed) == len(G)


def test_load_ontology_is_cached():
    assert load_ontology() is load_ontology()


def test_ontology_uses_only_declared_mg_terms():
    declared = set(mg_terms(G))
    used = {t for triple in G for t in triple if in_mg(t)}
    assert used - declared == set()


@pytest.mark.parametrize("term", mg_terms(G), ids=lambda t: t.fragment)
def test_ontology_term_has_one_label_and_a_comment(term):
    labels = list(G.objects(term, RDFS.label))
    comments = [str(c) for c in G.objects(term, RDFS.comment)]
    assert len(labels) == 1
    assert len(comments) == 1 and len(comments[0].split()) >= 5
    assert (term, RDFS.isDefinedBy, ONTOLOGY_GRAPH) in G


@pytest.mark.parametrize("prop", mg_properties(G), ids=lambda t: t.fragment)
def test_ontology_property_has_domain_and_range(prop):
    assert len(list(G.objects(prop, RDFS.domain))) == 1
    assert len(list(G.objects(prop, RDFS.range))) == 1


@pytest.mark.parametrize("prop", mg_properties(G), ids=lambda t: t.fragment)
def test_ontology_property_kind_matches_its_range(prop):
    ranges = range_classes(G, prop)
    datatype = all(r in ns.XSD or (r, RDF.type, RDFS.Datatype) in G for r in ranges)
    classes = all((r, RDF.type, OWL.Class) in G for r in ranges)
    if (prop, RDF.type, OWL.DatatypeProperty) in G:
        assert datatype and (prop, RDF.type, OWL.ObjectProperty) not in G
    else:
        assert classes


# --- hierarchy and the records of marketgraph.extract ----------------------


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        *[(MG[name], MG.Deal) for name in EVENT_TYPES if name != "Launch"],
        (MG.Deal, MG.Event),
        (MG.Launch, MG.Event),
        (MG.Country, MG.Region),
        (MG.Driver, MG.Factor),
        (MG.Restraint, MG.Factor),
        *[
            (cls, MG.Entity)
            for cls in (
                *(MG.Organization, MG.Person, MG.Dataset, MG.Product, MG.Region),
                *(MG.Market, MG.SegmentDimension, MG.Segment, MG.Regulation, MG.Country),
            )
        ],
    ],
    ids=str,
)
def test_ontology_class_hierarchy(sub, sup):
    assert sup in superclasses(G, sub)


@pytest.mark.parametrize("cls", [MG.Report, MG.Mention, MG.Event, MG.Observation, MG.Factor])
def test_ontology_records_are_not_entities(cls):
    assert MG.Entity not in superclasses(G, cls)


@pytest.mark.parametrize("name", get_args(Measure))
def test_ontology_measure_is_named_individual(name):
    assert (MG[name], RDF.type, OWL.NamedIndividual) in G
    assert (MG[name], RDF.type, MG.Measure) in G


@pytest.mark.parametrize(
    ("event_type", "role"), [(t, r) for t, roles in EVENT_ROLES.items() for r in roles]
)
def test_ontology_event_role_is_party_of_its_event(event_type, role):
    assert MG.party in set(G.transitive_objects(MG[role], RDFS.subPropertyOf))
    assert domain_covers(G, MG[role], MG[event_type])


def test_ontology_status_values_match_records():
    datatype = G.value(MG.status, RDFS.range)
    allowed = {str(v) for v in Collection(G, G.value(datatype, OWL.oneOf))}
    assert allowed == set(get_args(Status))


def test_ontology_date_accepts_each_precision():
    allowed = range_classes(G, MG.date)
    assert allowed == {ns.XSD.date, ns.XSD.gYearMonth, ns.XSD.gYear}


@pytest.mark.parametrize(
    ("prop", "sup"),
    [
        (MG.builtAt, ns.PROV.generatedAtTime),
        (MG.partOf, ns.SDO.containedInPlace),
        (MG.publisher, ns.SDO.publisher),
        (MG.publisher, URIRef("http://purl.org/dc/terms/publisher")),
        (MG.leadInvestor, MG.investor),
    ],
    ids=str,
)
def test_ontology_property_alignment(prop, sup):
    assert (prop, RDFS.subPropertyOf, sup) in G


def test_ontology_mentioned_in_is_inverse_of_mentions():
    assert (MG.mentionedIn, OWL.inverseOf, ns.SDO.mentions) in G


@pytest.mark.parametrize(
    ("prop", "value", "ok"),
    [
        (MG.currency, "USD", True),
        (MG.currency, "usd", False),
        (MG.currency, "US$", False),
        (MG.sha256, "ab" * 32, True),
        (MG.sha256, "AB" * 32, False),
        (MG.sha256, "ab" * 31, False),
    ],
)
def test_ontology_pattern_restriction(prop, value, ok):
    datatype = G.value(prop, RDFS.range)
    facets = list(Collection(G, G.value(datatype, OWL.withRestrictions)))
    pattern = str(G.value(facets[0], ns.XSD.pattern))
    # XML Schema patterns are anchored at both ends.
    assert (re.fullmatch(pattern, value) is not None) is ok


# --- the namespace module --------------------------------------------------


def test_namespace_is_current():
    assert NAMESPACE_PATH.read_text(encoding="utf-8") == namespace_source()


def test_namespace_misspelt_term_raises():
    with pytest.raises(AttributeError):
        _ = MG.Acquisiton


@pytest.mark.parametrize("term", mg_terms(G), ids=lambda t: t.fragment)
def test_namespace_attribute_is_the_term(term):
    assert getattr(MG, term.fragment) == term


def test_namespace_mgid_mints_entity_iris():
    assert MGID["org/acme-robotics"] == URIRef("https://w3id.org/marketgraph/id/org/acme-robotics")


# --- the vocabulary contract -------------------------------------------------


@pytest.mark.shared
def test_ontology_declares_every_vocabulary_term(shared_dir):
    named = set(re.findall(r"`mg:(\w+)`", vocabulary(shared_dir)))
    declared = {t.fragment for t in mg_terms(G)}
    assert named, "no mg: terms found in vocabulary.md"
    assert named - declared == set()


@pytest.mark.shared
def test_ontology_alignments_hold(shared_dir):
    text = vocabulary(shared_dir)
    pairs = set()
    for table in markdown_tables(text):
        for row in table:
            if "aligned with" not in row:
                continue
            cls = re.search(r"`(mg:\w+)`", row["class"]).group(1)
            pairs |= {(cls, token) for token in re.findall(r"`(\w+:\w+)`", row["aligned with"])}
    pairs |= set(re.findall(r"`(mg:\w+)` \(aligned with `(\w+:\w+)`\)", text))
    assert len(pairs) >= 10, "the vocabulary's alignments were not found"
    missing = [(c, a) for c, a in sorted(pairs) if curie(a) not in superclasses(G, curie(c))]
    assert missing == []


@pytest.mark.shared
def test_ontology_domains_cover_vocabulary_tables(shared_dir):
    pairs = set()
    for table in markdown_tables(vocabulary(shared_dir)):
        for row in table:
            if "class" in row and "properties" in row:
                cls = re.search(r"`mg:(\w+)`", row["class"]).group(1)
                pairs |= {(cls, p) for p in re.findall(r"`mg:([a-z]\w*)`", row["properties"])}
            elif "property" in row and row["property"].startswith("`mg:"):
                pairs |= {("Observation", p) for p in re.findall(r"mg:(\w+)", row["property"])}
    assert len(pairs) >= 30, "the vocabulary's property tables were not found"
    missing = [(c, p) for c, p in sorted(pairs) if not domain_covers(G, MG[p], MG[c])]
    assert missing == []


@pytest.mark.shared
def test_ontology_ranges_match_vocabulary_arrows(shared_dir):
    # "`mg:launched` → Product or Dataset": each class named after the arrow
    # must fall within the property's range.
    arrow = re.compile(
        r"`mg:(\w+)`\s*(?:\|\s*)?→\s*(?:the\s+|its\s+)?`?(?:mg:)?([A-Z]\w*)`?"
        r"(?:\s+or\s+`?(?:mg:)?([A-Z]\w*)`?)?"
    )
    found = arrow.findall(vocabulary(shared_dir))
    assert len(found) >= 10, "no '→ Class' ranges found in vocabulary.md"
    missing = [
        (prop, cls)
        for prop, *classes in found
        for cls in classes
        if cls and not superclasses(G, MG[cls]) & range_classes(G, MG[prop])
    ]
    assert missing == []


@pytest.mark.shared
def test_ontology_datatypes_match_vocabulary(shared_dir):
    # "`mg:size` (string ...", "`mg:start`, `mg:end` (`xsd:integer` ...",
    # "| `mg:value` | `xsd:decimal` ...". A comma list counts as one group
    # only where it opens a line, cell or clause; otherwise only its last
    # term is typed ("`mg:investor`, `mg:roundType` (string").
    text = vocabulary(shared_dir)
    typed = re.compile(r"((?:`mg:\w+`,\s*)*)`mg:(\w+)`\s*(?:\(|\|\s*)(string|`xsd:\w+`)")
    expected: dict[str, URIRef] = {}
    for match in typed.finditer(text):
        before = text[: match.start()].rstrip(" ")
        heads = re.findall(r"mg:(\w+)", match.group(1)) if before[-1:] in "\n|;" else []
        datatype = ns.XSD.string if match.group(3) == "string" else curie(match.group(3).strip("`"))
        expected |= {name: datatype for name in [*heads, match.group(2)]}
    assert len(expected) >= 12, "no typed properties found in vocabulary.md"
    wrong = {
        name: datatype
        for name, datatype in expected.items()
        if base_datatype(G, G.value(MG[name], RDFS.range)) != datatype
    }
    assert wrong == {}


def base_datatype(graph: Graph, node):
    """The XSD type a (possibly restricted or enumerated) datatype draws its values from."""
    if isinstance(node, URIRef):
        return node
    if (on := graph.value(node, OWL.onDatatype)) is not None:
        return on
    if (one_of := graph.value(node, OWL.oneOf)) is not None:
        kinds = {v.datatype or ns.XSD.string for v in Collection(graph, one_of)}
        return kinds.pop() if len(kinds) == 1 else None
    return None
