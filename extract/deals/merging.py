"""Merging: folding repeated statements of one deal across a report into one event."""

from __future__ import annotations

import re
from collections.abc import Iterable

from marketgraph.extract.deals.lexicon import _CORPORATE
from marketgraph.extract.facts import Event, Ref


def _same_party(a: Ref, b: Ref) -> bool:
    if a == b:
        return True
    if a.kind != b.kind:
        return False
    wa, wb = _name_words(a.name), _name_words(b.name)
    if not wa or not wb:
        return False
    shorter, longer = sorted((wa, wb), key=len)
    return longer[: len(shorter)] == shorter


def _name_words(name: str) -> list[str]:
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("'s", "")).split()
    while len(words) > 1 and words[-1] in _CORPORATE:
        words.pop()
    return words


def _compatible(a: Event, b: Event) -> bool:
    """Same type, some shared party in one role and no role naming different parties."""
    if a.type != b.type:
        return False
    shared = False
    for role in set(a.roles) | set(b.roles):
        ra, rb = a.roles.get(role, []), b.roles.get(role, [])
        if not ra or not rb:
            continue
        overlap = any(_same_party(x, y) for x in ra for y in rb)
        if not overlap:
            return False
        shared = True
    if not shared:
        return False
    if a.type == "Launch":
        return True
    if a.amount is not None and b.amount is not None and a.amount != b.amount:
        return a.currency != b.currency  # the same price in two currencies
    return True


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Fold repeated statements of one deal into one event with all their mentions.

    Two events are the same deal when they have the same type, share a
    party in some role and name no different parties in any role (a later
    "the sale of the unit" adds no buyer but contradicts none). The merged
    event keeps the first statement's values and fills what it lacks from
    the others.

    >>> a, b = Ref("org", "Acme"), Ref("org", "Widgets Inc")
    >>> first = Event("Acquisition", roles={"acquirer": [a], "acquired": [b]})
    >>> again = Event("Acquisition", roles={"acquired": [Ref("org", "Widgets")]})
    >>> again.status = "completed"
    >>> merged = merge_events([first, again])
    >>> len(merged), merged[0].status
    (1, 'completed')
    """
    merged: list[Event] = []
    for event in events:
        into = next((m for m in merged if _compatible(m, event)), None)
        if into is None:
            merged.append(
                Event(
                    event.type,
                    roles={k: list(v) for k, v in event.roles.items()},
                    date=event.date,
                    amount=event.amount,
                    currency=event.currency,
                    valuation=event.valuation,
                    round_type=event.round_type,
                    status=event.status,
                    product=event.product,
                    mentions=list(event.mentions),
                )
            )
            continue
        for role, refs in event.roles.items():
            have = into.roles.setdefault(role, [])
            # A party the deal already casts in another role ("A bought B" and a later
            # "sold to A" misread) keeps that role: nobody is both buyer and seller.
            elsewhere = [h for r, hs in into.roles.items() if r != role for h in hs]
            for ref in refs:
                if not any(_same_party(ref, h) for h in have + elsewhere):
                    have.append(ref)
            if not have:
                del into.roles[role]
        if into.amount is None and event.amount is not None:
            into.amount, into.currency = event.amount, event.currency
        into.date = _finer_date(into.date, event.date)
        into.valuation = into.valuation if into.valuation is not None else event.valuation
        into.round_type = into.round_type or event.round_type
        into.product = into.product or event.product
        into.status = _later_status(into.status, event.status)
        for mention in event.mentions:
            if mention not in into.mentions:
                into.mentions.append(mention)
    return merged


_STATUS_ORDER = ("rumored", "announced", "pending", "agreed", "completed", "terminated")


def _later_status(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return max(a, b, key=_STATUS_ORDER.index)


def _finer_date(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    if b.startswith(a) and len(b) > len(a):
        return b
    return a
