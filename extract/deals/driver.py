"""Reading one block: every rule family over each sentence, then follow-ups and wire leads."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from marketgraph.errors import ExtractionError
from marketgraph.extract.deals.acquisitions import _acquisitions
from marketgraph.extract.deals.clauses import _money, _object, _prep_objects, _subject
from marketgraph.extract.deals.context import DealContext
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.investments import _funding, _investments, _is_round_phrase
from marketgraph.extract.deals.launches import _launches
from marketgraph.extract.deals.lexicon import _PRONOUNS
from marketgraph.extract.deals.licensing import _licensing
from marketgraph.extract.deals.merging import _compatible
from marketgraph.extract.deals.parties import _generic, _Parties, _refs
from marketgraph.extract.deals.partnerships import _partnerships
from marketgraph.extract.deals.surface import _misread_lead
from marketgraph.extract.facts import Event, Ref

_EXTRACTORS = (_acquisitions, _investments, _funding, _partnerships, _licensing, _launches)


_AMOUNT_FOLLOW_UP = re.compile(
    r"\b(?:transaction|deal|purchase|acquisition|sale|price|valued|worth|terms|paid|pay|cost|"
    r"bought|sold|acquired)\b",
    re.I,
)


def find_events(sdoc: Doc, offset: int, context: DealContext) -> list[Event]:
    """The deals and launches one parsed block states.

    Args:
        sdoc: a spaCy Doc of one block, with a dependency parse and its
            final entity spans (``ent._.ref`` set where resolved).
        offset: the block's character offset in the report, so that
            ``offset + token.idx`` indexes the report's text.
        context: the running :class:`DealContext` of the report; read and
            updated here (call once per block, in reading order, headings
            included).

    Returns:
        One Event per deal statement, each with the sentence as its mention.
        An event found here may also have been completed in place: a block
        that only gives the price of the deal before it sets that earlier
        event's ``amount``.
    """
    if not sdoc.has_annotation("DEP"):
        raise ExtractionError(
            "find_events needs a dependency-parsed Doc; run a pipeline with a parser "
            "(Settings.spacy_model) over the block first"
        )
    block_date = context.observe(sdoc)
    parties = _Parties(sdoc, context)
    events: list[Event] = []
    for sent in sdoc.sents:
        found: list[Event] = []
        emit = _Emit(sent, offset, context, block_date or context.date, found)
        for extract in _EXTRACTORS:
            extract(sent, parties, emit)
        if not found:
            _misread_lead(sent, parties, emit)
        found = _drop_contained(found)
        if not found:
            _fill_amount(sent, context)
            _fill_round(sent, parties, [*context.recent, *events])
        events.extend(found)
        # The first organisation a sentence names as its subject is what "it" means later.
        for tok in sent:
            if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and tok.lower_ not in _PRONOUNS:
                refs = parties.of(tok)
                if refs and refs[0].kind == "org":
                    context.subject = refs[0]
                break
    if context.wire:
        events = _follow_lead(events, context)
    context.recent.extend(events)
    return events


def _follow_lead(events: list[Event], context: DealContext) -> list[Event]:
    """Keep, in wire copy, only the acquisitions that restate the item's lead deal.

    The first acquisition stated becomes the lead; a later one is kept when
    it could be the same deal (:func:`merge_events` folds it in) and dropped
    otherwise. A weak lead (a holding of shares, an undirected merger) gives
    way to the first plain deal statement after it, which is copied into the
    lead event in place, since that event has already been returned.
    """
    weak = context.weak
    kept: list[Event] = []
    deals = [e for e in events if e.type == "Acquisition"]
    # Within a block, a statement naming both buyer and bought leads over a partial one.
    deals.sort(key=lambda e: (id(e) in weak, not (e.parties("acquirer") and e.parties("acquired"))))
    for event in events:
        if event.type != "Acquisition":
            kept.append(event)
    if context.lead is None:
        # The item may have stated its deal before its wording showed it to be wire copy.
        context.lead = next((e for e in context.recent if e.type == "Acquisition"), None)
        context.lead_is_weak = id(context.lead) in weak
    for event in deals:
        lead = context.lead
        if lead is None:
            context.lead, context.lead_is_weak = event, id(event) in weak
            kept.append(event)
        elif context.lead_is_weak and id(event) not in weak:
            _adopt(lead, event)
            context.lead_is_weak = False
        elif id(event) not in weak and _compatible(lead, event):
            kept.append(event)
    for event in events:
        if event not in kept and event is not context.lead:
            weak.discard(id(event))  # an id is only unique while its object lives
    return sorted(kept, key=events.index)


def _adopt(lead: Event, event: Event) -> None:
    """Make ``lead`` state what ``event`` states, keeping the lead's identity."""
    lead.roles = {role: list(refs) for role, refs in event.roles.items()}
    lead.amount, lead.currency = event.amount, event.currency
    lead.date = event.date or lead.date
    lead.status = event.status
    lead.mentions[:] = [*event.mentions, *lead.mentions]


def _fill_amount(sent: Span, context: DealContext) -> None:
    """Give the latest amount-less deal the price a follow-up sentence states."""
    if not context.recent or not _AMOUNT_FOLLOW_UP.search(sent.text):
        return
    last = context.recent[-1]
    if last.amount is not None or last.type in {"Partnership", "Licensing", "Launch"}:
        return
    money = _money(sent)
    if money.total is not None:
        last.amount, last.currency = money.total.amount, money.total.currency


def _fill_round(sent: Span, parties: _Parties, recent: list[Event]) -> None:
    """Complete the latest funding round from a follow-up sentence.

    "V led the round, which values the company at USD 1 billion" names the
    lead investor and the valuation of the round stated just before.
    """
    last = next((e for e in reversed(recent[-3:]) if e.type == "FundingRound"), None)
    if last is None:
        return
    for tok in sent:
        if tok.lemma_.lower() == "lead" and tok.pos_ == "VERB":
            target = _object(tok)
            if tok.tag_ == "VBN":
                leads = _refs(parties, _prep_objects(tok, {"by"}))
                target = tok.head
            else:
                leads = _subject(tok, parties)
            if target is not None and _is_round_phrase(target) and leads:
                have = last.roles.setdefault("leadInvestor", [])
                have.extend(r for r in leads if r not in have and r.kind == "org")
    if last.valuation is None:
        found = _money(sent, funding=True)
        if found.valuation is not None:
            last.valuation = found.valuation.amount
            last.currency = last.currency or found.valuation.currency


def _drop_contained(events: list[Event]) -> list[Event]:
    """Within one sentence, drop an event whose parties another event of its type covers."""
    keep: list[Event] = []
    named = [e for e in events if not any(_generic(r) for r in e.roles.get("acquired", []))]
    for event in events:
        parts = _party_set(event)
        if event not in named and any(
            o.type == event.type and (_party_set(o) & parts) for o in named
        ):
            continue  # "a 30 pct interest" beside the same deal naming the company
        if any(
            other is not event and other.type == event.type and parts < _party_set(other)
            for other in events
        ):
            continue
        keep.append(event)
    return keep


def _party_set(event: Event) -> set[tuple[str, Ref]]:
    return {(role, ref) for role, refs in event.roles.items() for ref in refs}
