"""Typed fact records: what ``extract`` hands to ``graph``.

These are plain Python objects, with no RDF and no HTTP in them. Every fact
keeps the text spans it was read from (:class:`Span`), so the graph can say
where each statement came from. Entities are referred to by :class:`Ref`,
a value object of kind and canonical name; ``graph`` mints one IRI per Ref.

>>> acme = Ref("org", "Acme")
>>> deal = Event("Acquisition", roles={"acquirer": [acme], "acquired": [Ref("org", "Widgets")]})
>>> deal.parties("acquirer")
[Ref(kind='org', name='Acme', scope=None)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

EntityKind = Literal[
    "org", "person", "dataset", "product", "region", "market", "dimension", "segment", "regulation"
]
ENTITY_KINDS: tuple[str, ...] = EntityKind.__args__  # type: ignore[attr-defined]

EventType = Literal[
    "Acquisition", "Investment", "FundingRound", "Partnership", "Licensing", "Launch"
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

#: The role names an event may use, by event type; they are the vocabulary's
#: property names (``mg:acquirer`` ...). ``product`` is allowed on every type.
EVENT_ROLES: dict[str, tuple[str, ...]] = {
    "Acquisition": ("acquirer", "acquired", "seller"),
    "Investment": ("investor", "investee"),
    "FundingRound": ("investee", "investor", "leadInvestor"),
    "Partnership": ("participant",),
    "Licensing": ("licensor", "licensee"),
    "Launch": ("launchedBy", "launched"),
}

Status = Literal["rumored", "announced", "agreed", "pending", "completed", "terminated"]
Measure = Literal["MarketSize", "CAGR", "MarketShare"]
FactorKind = Literal["Driver", "Restraint"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A piece of the report's text: ``text == content[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """An entity by kind and canonical name.

    ``scope`` disambiguates names that are only unique inside something
    else: a segment's scope is the name of its dimension ("Lidar" in
    "Sensor Type").
    """

    kind: str
    name: str
    scope: str | None = None


@dataclass(slots=True)
class Entity:
    """A named thing the report mentions, with what the report says of it.

    Only the fields that fit the entity's kind are set: ``publisher``,
    ``license`` and ``size`` for datasets; ``provider`` for products;
    ``part_of`` and ``country`` for regions; ``jurisdiction`` for
    regulations; ``leaders`` and ``dimensions`` for markets.
    """

    ref: Ref
    aliases: set[str] = field(default_factory=set)
    mentions: list[Span] = field(default_factory=list)
    publisher: Ref | None = None
    license: str | None = None
    size: str | None = None
    provider: Ref | None = None
    part_of: Ref | None = None
    country: bool = False
    jurisdiction: Ref | None = None
    leaders: list[Ref] = field(default_factory=list)
    dimensions: list[Ref] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.ref.kind

    @property
    def name(self) -> str:
        return self.ref.name


@dataclass(slots=True)
class Event:
    """A deal or a launch: who did what to whom, when, for how much.

    ``date`` is ISO 8601 as precise as the text: "2026", "2026-02" or
    "2026-02-13". ``amount`` and ``valuation`` are in whole currency units,
    ``currency`` an ISO 4217 code.
    """

    type: str
    roles: dict[str, list[Ref]] = field(default_factory=dict)
    date: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    valuation: Decimal | None = None
    round_type: str | None = None
    status: str | None = None
    product: Ref | None = None
    mentions: list[Span] = field(default_factory=list)

    def parties(self, role: str) -> list[Ref]:
        """The entities playing ``role`` (empty when none)."""
        return self.roles.get(role, [])


@dataclass(slots=True)
class Observation:
    """A number the report states about its market.

    ``value`` is a percentage as written for CAGR and share (12.75 means
    12.75 %), whole currency units for a market size (with ``currency``).
    ``segment`` is a segment or region Ref, or None for the whole market.
    """

    measure: str
    value: Decimal
    market: Ref | None = None
    currency: str | None = None
    segment: Ref | None = None
    year: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Factor:
    """A growth driver or restraint with its signed impact on CAGR."""

    kind: str
    label: str
    impact: Decimal | None = None
    geography: str | None = None
    horizon: str | None = None
    market: Ref | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class ReportFacts:
    """Everything extracted from one report."""

    source_name: str
    sha256: str
    content: str
    title: str | None = None
    publisher: Ref | None = None
    entities: dict[Ref, Entity] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    factors: list[Factor] = field(default_factory=list)

    def entity(self, ref: Ref) -> Entity:
        """The entity for ``ref``, added when it is new."""
        found = self.entities.get(ref)
        if found is None:
            found = self.entities[ref] = Entity(ref)
        return found

    def counts(self) -> dict[str, int]:
        """How many facts of each kind: entity kinds, event types and the rest."""
        out: dict[str, int] = {}
        for ref in self.entities:
            out[ref.kind] = out.get(ref.kind, 0) + 1
        for event in self.events:
            out[event.type] = out.get(event.type, 0) + 1
        out["observation"] = len(self.observations)
        out["factor"] = len(self.factors)
        return out
