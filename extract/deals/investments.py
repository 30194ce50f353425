"""Investments and funding rounds: who put money into whom, in which round, led by whom."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from marketgraph.extract.deals.acquisitions import _appositive_owner
from marketgraph.extract.deals.clauses import (
    _governor,
    _money,
    _object,
    _owner,
    _prep_objects,
    _subject,
)
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.lexicon import (
    _BACKING_VERBS,
    _FUNDING_NOUNS,
    _HOLDING_NOUNS,
    _INVEST_NOUNS,
    _INVEST_VERBS,
    _RAISE_VERBS,
    _RECEIVE_VERBS,
    _ROUND,
)
from marketgraph.extract.deals.parties import _Parties, _refs
from marketgraph.extract.facts import Event, Ref


def _investments(sent: Span, parties: _Parties, emit: _Emit) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma in _INVEST_VERBS and tok.pos_ == "VERB":
            investee = [r for o in _prep_objects(tok, {"in", "into"}) for r in parties.of(o)]
            target = _object(tok)
            if not investee and target is not None:
                # "invested USD 75 million in B": the parser hangs "in B" on the amount.
                inside = _prep_objects(target, {"in", "into"}, within=target)
                investee = [r for o in inside for r in parties.of(o)]
            if investee:
                emit("Investment", {"investor": _subject(tok, parties), "investee": investee}, tok)
        elif lemma in _INVEST_NOUNS and tok.pos_ == "NOUN":
            investee = [r for o in _prep_objects(tok, {"in", "into"}) for r in parties.of(o)]
            if investee:
                emit("Investment", {"investor": _owner(tok, parties), "investee": investee}, tok)
            else:
                _received(tok, "Investment", ("investor", "investee"), parties, emit)
        elif lemma == "take" and tok.pos_ == "VERB":
            target = _object(tok)
            if target is not None and target.lemma_.lower() in _HOLDING_NOUNS:
                investee = [r for o in _prep_objects(target, {"in"}) for r in parties.of(o)]
                if investee and emit.context.wire:
                    # Wire copy files every share purchase as an acquisition of the company.
                    seller = _appositive_owner(
                        _prep_objects(target, {"in"})[0], parties, exclude=investee
                    )
                    roles = {"acquirer": _subject(tok, parties), "acquired": investee}
                    emit("Acquisition", {**roles, "seller": seller}, tok)
                elif investee:
                    emit(
                        "Investment",
                        {"investor": _subject(tok, parties), "investee": investee},
                        tok,
                    )


def _received(
    noun: Token,
    kind: str,
    roles: tuple[str, str],
    parties: _Parties,
    emit: _Emit,
    verbs: frozenset[str] | set[str] = _RECEIVE_VERBS,
) -> Event | None:
    """An event stated as something the subject got "from" a party.

    "B received a USD 40 million investment from A": ``roles`` names the
    giver's role then the receiver's; the giver is the object of "from",
    the receiver the subject of the verb that takes ``noun`` as its object.
    """
    verb = _governor(noun)
    if verb is None or noun.dep_ != "dobj" or verb.lemma_.lower() not in verbs:
        return None
    givers = _refs(parties, _prep_objects(verb, {"from"}, within=noun))
    if not givers:
        return None
    giver, receiver = roles
    money = kind != "Licensing"
    return emit(kind, {giver: givers, receiver: _subject(verb, parties)}, noun, money=money)


def _funding(sent: Span, parties: _Parties, emit: _Emit) -> None:
    text = sent.text
    round_match = _ROUND.search(text)
    for tok in sent:
        lemma = tok.lemma_.lower()
        investee: list[Ref] = []
        led_by: list[Ref] = []
        trigger = None
        if lemma == "lead" and tok.pos_ == "VERB" and tok.tag_ != "VBN":
            # "V led a USD 30 million Series A in B": the subject leads, "in" names who raised.
            target = _object(tok)
            if target is None or not _is_round_phrase(target):
                continue
            investee = _refs(parties, _prep_objects(tok, {"in", "into"}, within=target))
            led_by = _subject(tok, parties)
            trigger = tok
        elif lemma in _RAISE_VERBS and tok.pos_ == "VERB":
            # "pulled in USD 75 million": the amount hangs on the particle.
            target = _object(tok) or next(
                (o for c in tok.children if c.dep_ == "prt" for o in c.children), None
            )
            money_obj = target is not None and (
                target.like_num
                or _is_round_phrase(target)
                or target.ent_type_ == "MONEY"
                or any(t.ent_type_ == "MONEY" or t.text in "$€£¥" for t in target.subtree)
                or target.lemma_.lower() in _FUNDING_NOUNS
            )
            funding_words = re.search(r"\b(?:funding|financing|round|Series|seed)\b", text, re.I)
            if target is None and funding_words and _money(sent, funding=True).total is not None:
                # "secured EUR 8 million in seed funding" misparsed without an object
                target = next(
                    (c for c in tok.children if c.dep_ in {"prep", "npadvmod", "dobj"}), None
                )
                money_obj = target is not None
            if money_obj and (lemma == "raise" or funding_words) and target is not None:
                if target.lemma_.lower() in _HOLDING_NOUNS | {"bid", "offer", "price"}:
                    continue
                investee = _subject(tok, parties)
                trigger = tok
        elif (lemma in {"funding", "financing", "round"} and tok.pos_ == "NOUN") or (
            tok.text == "Series" and tok.i + 1 < sent.end and tok.nbor().text[:1].isupper()
        ):
            head = tok
            while head.dep_ == "compound" and head.head.i > head.i:
                head = head.head
            if head is not tok and head.lemma_.lower() in {"funding", "financing", "round"}:
                continue  # the head noun is its own trigger
            verb = _governor(head)
            if verb is not None and verb.lemma_.lower() in _RAISE_VERBS:
                continue  # "raised ... in a Series A round": the verb carries it
            # "Acme's USD 6 million seed funding": the owner may hang on any word before.
            # Parsers often hang it on the amount instead, so walk back to the clause's start.
            for left in reversed(sent.doc[sent.start : head.i]):
                if left.pos_ in {"VERB", "AUX"}:
                    break
                if left.dep_ == "poss":
                    investee = parties.of(left)
                    break
            investee = investee or _backed_clause_subject(head, parties)
            trigger = head
        if trigger is None or not investee:
            continue
        lead, investors = _round_investors(sent, parties)
        event = emit(
            "FundingRound",
            {"investee": investee, "leadInvestor": led_by + lead, "investor": investors},
            trigger,
        )
        if event is not None and round_match is not None:
            event.round_type = _round_name(round_match.group("round") or round_match.group("cap"))


def _backed_clause_subject(round_noun: Token, parties: _Parties) -> list[Ref]:
    """Who raised a round named in a fronted participle: "Backed by a USD 9 million
    round, Acme opened ..." makes Acme, the main clause's subject, the company."""
    tok = round_noun
    for _ in range(4):
        if tok.dep_ not in {"pobj", "agent", "prep", "dobj"}:
            break
        tok = tok.head
        if tok.tag_ == "VBN" and tok.lemma_.lower() in _BACKING_VERBS:
            if tok.dep_ in {"advcl", "nsubj", "csubj"} and tok.i < tok.head.i:
                return _subject(tok.head, parties)
            break
    return []


def _round_investors(sent: Span, parties: _Parties) -> tuple[list[Ref], list[Ref]]:
    """The lead investors ("led by V") and the other investors a funding sentence names."""
    lead: list[Ref] = []
    investors: list[Ref] = []
    for t in sent:
        if t.lemma_.lower() == "lead" and t.tag_ in {"VBN", "VBD"}:
            lead += [r for o in _prep_objects(t, {"by"}) for r in parties.of(o)]
        if _leads_round(t):
            # "V led the round", "with V leading the financing": the doer leads.
            lead += [r for c in t.children if c.dep_ == "nsubj" for r in parties.of(c)]
        if t.lemma_.lower() in {"back", "support", "fund", "join"} and t.tag_ == "VBN":
            # "backed by a USD 9 million round" names the money, not a backer
            backers = [o for o in _prep_objects(t, {"by"}) if not _is_round_phrase(o)]
            investors += [r for o in backers for r in parties.of(o)]
        if t.lower_ in {"from", "including"} and t.head.lemma_.lower() in {
            "participation",
            "investor",
            "round",
            *_RAISE_VERBS,
            *_FUNDING_NOUNS,
        }:
            investors += [r for o in t.children if o.dep_ == "pobj" for r in parties.of(o)]
    return lead, investors


def _leads_round(tok: Token) -> bool:
    """Whether ``tok`` is an active "lead" whose object is the round itself, not a company.

    "V led the round" names a lead investor; "V led a Series A in B" is
    read by the funding extractor, where "in" names the company that raised.
    """
    if tok.lemma_.lower() != "lead" or tok.pos_ != "VERB" or tok.tag_ == "VBN":
        return False
    target = _object(tok)
    if target is None or target.lemma_.lower() not in _FUNDING_NOUNS | {"series", "seed"}:
        return False
    return not _prep_objects(tok, {"in", "into"}, within=target)


def _is_round_phrase(tok: Token) -> bool:
    """Whether a noun phrase names a funding round or its amount ("a USD 30 million Series A")."""
    words = {t.lemma_.lower() for t in tok.subtree}
    return bool(words & (_FUNDING_NOUNS | {"series", "seed"})) or tok.ent_type_ == "MONEY"


def _round_name(text: str) -> str:
    return text if text.startswith(("Series", "Pre-Series", "pre-Series")) else text.lower()
