"""Building one sentence's events: roles, date, money and status, checked and collected."""

from __future__ import annotations

from spacy.tokens import Span, Token

from marketgraph.extract.deals.clauses import _date, _money, _status
from marketgraph.extract.deals.context import DealContext
from marketgraph.extract.facts import Event, Ref
from marketgraph.extract.facts import Span as TextSpan


def _event(
    kind: str,
    roles: dict[str, list[Ref]],
    sent: Span,
    offset: int,
    *,
    trigger: Token,
    context: DealContext,
    block_date: str | None,
    money: bool = True,
    completed_if_past: bool = True,
) -> Event | None:
    if kind == "Acquisition":
        # A place is where a business is ("two businesses in Oregon"), never what is bought.
        roles["acquired"] = [r for r in roles.get("acquired", []) if r.kind != "region"]
    roles = {role: refs for role, refs in roles.items() if refs}
    # A party may not play two roles ("A sold A"); keep the first role it got.
    seen: set[Ref] = set()
    for role in list(roles):
        roles[role] = [r for r in roles[role] if r not in seen]
        seen.update(roles[role])
        if not roles[role]:
            del roles[role]
    event = Event(kind, roles=roles)
    event.date = _date(sent, context, block_date, trigger)
    if money:
        found = _money(sent, funding=kind == "FundingRound")
        if found.total is not None:
            event.amount, event.currency = found.total.amount, found.total.currency
        if kind == "FundingRound" and found.valuation is not None:
            event.valuation = found.valuation.amount
            event.currency = event.currency or found.valuation.currency
    event.status = _status(trigger, sent, completed_if_past)
    event.mentions.append(TextSpan(offset + sent.start_char, offset + sent.end_char, sent.text))
    return event


class _Emit:
    """Builds events for one sentence and collects them."""

    def __init__(
        self,
        sent: Span,
        offset: int,
        context: DealContext,
        block_date: str | None,
        out: list[Event],
    ) -> None:
        self.sent = sent
        self.offset = offset
        self.context = context
        self.block_date = block_date
        self.out = out
        self.done: set[tuple] = set()

    def __call__(
        self,
        kind: str,
        roles: dict[str, list[Ref]],
        trigger: Token,
        *,
        money: bool = True,
        weak: bool = False,
    ) -> Event | None:
        """Build, check and collect one event; None when incomplete or already stated.

        ``weak`` marks a statement that only hints at a deal (a holding of
        shares, a merger with no direction): in wire copy a later, plainer
        statement of a deal takes its place.
        """
        if _negated(trigger):
            return None
        event = _event(
            kind,
            roles,
            self.sent,
            self.offset,
            trigger=trigger,
            context=self.context,
            block_date=self.block_date,
            money=money,
        )
        if event is None or not _complete(event):
            return None
        key = (kind, tuple(sorted((k, tuple(v)) for k, v in event.roles.items())))
        if key in self.done:
            return None
        self.done.add(key)
        self.out.append(event)
        if weak:
            self.context.weak.add(id(event))
        return event


def _negated(trigger: Token) -> bool:
    """Whether a deal verb is denied: "will not buy", "does not plan to sell"."""
    if trigger.pos_ not in {"VERB", "AUX"}:
        return False
    heads = [trigger, trigger.head] if trigger.dep_ == "xcomp" else [trigger]
    return any(c.dep_ == "neg" for h in heads for c in h.children)


def _complete(event: Event) -> bool:
    """Whether an event names enough parties to be worth stating."""
    roles = event.roles
    match event.type:
        case "Acquisition":
            return bool(roles.get("acquired")) and bool(
                roles.get("acquirer") or roles.get("seller")
            )
        case "Investment":
            return bool(roles.get("investee")) and bool(roles.get("investor"))
        case "FundingRound":
            return bool(roles.get("investee"))
        case "Partnership":
            return len(roles.get("participant", [])) >= 2
        case "Licensing":
            return bool(roles.get("licensor")) and bool(roles.get("licensee"))
        case "Launch":
            return bool(roles.get("launchedBy")) and bool(roles.get("launched"))
    return False
