"""Response bodies of the REST API, as pydantic models.

They mirror the records of :mod:`marketgraph.graph.queries` (read with
``from_attributes``), so the OpenAPI document at ``/docs`` describes every
field. Decimal figures are sent as JSON numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


#: A decimal sent as a JSON number (whole values as integers).
Number = Annotated[Decimal, PlainSerializer(_number, return_type=int | float, when_used="json")]

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Model, Generic[T]):
    """One page of a longer list."""

    items: list[T]
    total: int = Field(description="How many items match in all.")
    limit: int
    offset: int


class Node(Model):
    """A resource by IRI; ``kind`` and ``slug`` are set for entities (see /entities)."""

    iri: str
    label: str | None = None
    kind: str | None = None
    slug: str | None = None


class Mention(Model):
    """A passage of a report: ``text`` is the report's content from ``start`` to ``end``."""

    iri: str
    text: str
    start: int
    end: int
    report: str


class EntitySummary(Model):
    iri: str
    kind: str
    slug: str
    label: str
    alt_labels: list[str]
    types: list[str]


class Fact(Model):
    """A statement in or out of an entity, with the reports and passages behind it."""

    direction: str = Field(description="'out': the entity is the subject; 'in': the object.")
    predicate: str
    value: str = Field(description="The other end: an IRI, or a literal's text.")
    datatype: str | None = Field(None, description="The literal's datatype; None for IRIs.")
    other: Node | None
    other_types: list[str]
    reports: list[str]
    mentions: list[Mention]


class EntityDetail(Model):
    """An entity with one page of its facts (``limit`` from ``offset``) and its first mentions."""

    iri: str
    kind: str
    slug: str
    label: str
    alt_labels: list[str]
    types: list[str]
    reports: list[str]
    mentions: list[Mention] = Field(description="The first mentions, in text order.")
    mentions_total: int = Field(description="How many mentions the entity has in all.")
    facts: list[Fact] = Field(description="One page of facts: out before in, by predicate.")
    facts_total: int = Field(description="How many facts the entity has in all.")
    limit: int
    offset: int


class Party(Model):
    role: str
    entity: Node


class Deal(Model):
    iri: str
    type: str
    label: str | None
    date: str | None = Field(description="ISO date as precise as the text: YYYY, YYYY-MM, ...")
    amount: Number | None
    currency: str | None
    valuation: Number | None
    status: str | None
    round_type: str | None
    product: Node | None
    parties: list[Party]
    reports: list[str]
    mentions: list[Mention]


class Observation(Model):
    iri: str
    measure: str
    value: Number
    unit: str | None
    currency: str | None
    market: Node | None
    segment: Node | None
    year: int | None
    period_start: int | None
    period_end: int | None
    reports: list[str]
    mentions: list[Mention]


class Dimension(Model):
    iri: str = Field(description="Empty for segments in no dimension.")
    label: str | None
    markets: list[Node]
    segments: list[Node]


class Region(Model):
    iri: str
    label: str | None
    slug: str | None
    country: bool
    children: list[Region]


class Edge(Model):
    source: str
    predicate: str
    target: str


class Neighborhood(Model):
    center: str
    depth: int
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = Field(description="True when the node cap stopped the search early.")


class Step(Model):
    """One hop of a path and the fact behind it."""

    source: Node
    target: Node
    relation: str
    forward: bool = Field(description="False when the fact points from target to source.")
    fact: str | None = Field(None, description="IRI of the event or statement linking them.")
    sentence: str | None = Field(None, description="The source sentence, when known.")


class Paths(Model):
    source: Node
    target: Node
    paths: list[list[Step]]


class Report(Model):
    iri: str
    id: str = Field(description="The report's slug, for /reports/{id}.")
    source_name: str
    title: str | None
    sha256: str
    format: str | None
    built_at: str | None
    extractor_version: str | None
    triples: int


class BuildResult(Model):
    """What an upload wrote."""

    report: Report
    replaced: bool = Field(description="True when a report of the same name was replaced.")
    counts: dict[str, int] = Field(description="Facts found, by kind.")
    seconds: float


class EntityCacheState(Model):
    """The cache of entity answers (see ``marketgraph.api.cache``)."""

    entries: int
    bytes: int
    warm: bool = Field(description="Whether every entity's first page has been rendered.")


class Health(Model):
    status: str
    store: str
    reports: int
    quads: int
    entity_cache: EntityCacheState | None = Field(None, description="None when the cache is off.")
