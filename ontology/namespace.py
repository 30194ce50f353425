# Generated from marketgraph.ttl by marketgraph.ontology.generate: do not edit.
# To regenerate after changing the ontology: python -m marketgraph.ontology.generate
"""The ontology's terms as a closed rdflib namespace.

``MG`` holds every term the ontology declares: ``MG.Acquisition`` is the
class's IRI, and a term it does not declare raises AttributeError.
``MGID`` is the namespace that entity IRIs are minted in.

>>> str(MG.Acquisition)
'https://w3id.org/marketgraph/ontology#Acquisition'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class MG(DefinedNamespace):
    """marketgraph ontology, version 0.1.0.

    Generated from the ontology <https://w3id.org/marketgraph/ontology>.
    """

    _fail = True
    _NS = Namespace("https://w3id.org/marketgraph/ontology#")

    # Classes
    Acquisition: URIRef  # Acquisition
    Country: URIRef  # Country
    Dataset: URIRef  # Dataset
    Deal: URIRef  # Deal
    Driver: URIRef  # Driver
    Entity: URIRef  # Entity
    Event: URIRef  # Event
    Factor: URIRef  # Factor
    FundingRound: URIRef  # Funding round
    Investment: URIRef  # Investment
    Launch: URIRef  # Launch
    Licensing: URIRef  # Licensing
    Market: URIRef  # Market
    Measure: URIRef  # Measure
    Mention: URIRef  # Mention
    Observation: URIRef  # Observation
    Organization: URIRef  # Organization
    Partnership: URIRef  # Partnership
    Person: URIRef  # Person
    Product: URIRef  # Product
    Region: URIRef  # Region
    Regulation: URIRef  # Regulation
    Report: URIRef  # Report
    Restraint: URIRef  # Restraint
    Segment: URIRef  # Segment
    SegmentDimension: URIRef  # Segment dimension

    # Individuals
    CAGR: URIRef  # compound annual growth rate
    MarketShare: URIRef  # market share
    MarketSize: URIRef  # market size

    # Object properties
    acquired: URIRef  # acquired
    acquirer: URIRef  # acquirer
    inReport: URIRef  # in report
    investee: URIRef  # investee
    investor: URIRef  # investor
    jurisdiction: URIRef  # jurisdiction
    launched: URIRef  # launched
    launchedBy: URIRef  # launched by
    leadInvestor: URIRef  # lead investor
    leader: URIRef  # leader
    licensee: URIRef  # licensee
    licensor: URIRef  # licensor
    market: URIRef  # market
    measure: URIRef  # measure
    mentionedIn: URIRef  # mentioned in
    partOf: URIRef  # part of
    participant: URIRef  # participant
    party: URIRef  # party
    product: URIRef  # product
    provider: URIRef  # provider
    publisher: URIRef  # publisher
    segment: URIRef  # segment
    segmentedBy: URIRef  # segmented by
    seller: URIRef  # seller

    # Datatype properties
    amount: URIRef  # amount
    betweenness: URIRef  # betweenness
    builtAt: URIRef  # built at
    community: URIRef  # community
    content: URIRef  # content
    currency: URIRef  # currency
    date: URIRef  # date
    degree: URIRef  # degree
    end: URIRef  # end
    extractorVersion: URIRef  # extractor version
    format: URIRef  # format
    geography: URIRef  # geography
    horizon: URIRef  # horizon
    impactOnCAGR: URIRef  # impact on CAGR
    license: URIRef  # license
    pageRank: URIRef  # PageRank
    periodEnd: URIRef  # period end
    periodStart: URIRef  # period start
    roundType: URIRef  # round type
    sha256: URIRef  # SHA-256 digest
    size: URIRef  # size
    sourceName: URIRef  # source name
    start: URIRef  # start
    status: URIRef  # status
    text: URIRef  # text
    unit: URIRef  # unit
    valuation: URIRef  # valuation
    value: URIRef  # value
    year: URIRef  # year


MGID = Namespace("https://w3id.org/marketgraph/id/")
