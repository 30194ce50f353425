"""Clause roles around a trigger: subject, object, prepositional objects, status, date, money."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from marketgraph.extract.deals.context import DealContext
from marketgraph.extract.deals.lexicon import (
    _AGREED,
    _COMPLETED,
    _FUNDING_VALUATION_BEFORE,
    _NOT_A_PRICE,
    _NOT_A_PRICE_AFTER,
    _PENDING,
    _PERIOD,
    _PRICE_CUE,
    _RUMORED,
    _SMALLEST_TOTAL,
    _TERMINATED,
    _VALUATION_AFTER,
    _VALUATION_BEFORE,
    _VALUED_AT,
)
from marketgraph.extract.deals.parties import _PARENT_HEADS, _Parties
from marketgraph.extract.facts import Ref
from marketgraph.extract.normalize import MoneyMatch, find_dates, find_money


def _subject(verb: Token, parties: _Parties) -> list[Ref]:
    """The doer of ``verb``: its subject, the agent of a passive, or the governing clause's.

    Climbs from "acquire" in "said it agreed to acquire" or "talks to sell
    X have ended" up to the first clause that has a subject.
    """
    tok, came_from = verb, None
    for _ in range(7):
        for child in tok.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return parties.of(obj)
        for child in _subjects(tok, came_from):
            refs = parties.of(child)
            if not refs and child.tag_ in {"VBN", "VBG"}:
                # "Backed by X, Acme launched ...": the parser may take the fronted
                # participle for the subject; the name just before the verb is the doer.
                refs = _name_before(tok, parties)
            if not refs and child.lemma_.lower() in _PARENT_HEADS:
                # "its board decided to sell X": the company whose board it is.
                for poss in child.lefts:
                    if poss.dep_ == "poss":
                        refs = parties.of(poss)
            if refs or tok.pos_ in {"VERB", "AUX"}:
                return refs
        if tok.dep_ == "relcl":
            return parties.of(tok.head)
        if (
            tok.dep_ == "acl"
            and tok.tag_ in {"VBG", "VBD", "VBZ", "VBP"}
            and tok.head.pos_ == "PROPN"
        ):
            # "Acme, buying B" or a name misread as modified by its own clause
            return parties.of(tok.head)
        if tok.dep_ in {
            "xcomp",
            "conj",
            "advcl",
            "ccomp",
            "pcomp",
            "acl",
            "dobj",
            "pobj",
            "prep",
            "nsubj",
            "attr",
        }:
            came_from, tok = tok, tok.head
            continue
        break
    return parties.row_subject(verb)


def _subjects(tok: Token, came_from: Token | None) -> list[Token]:
    """The subjects of ``tok``, less a date read as one beside the real subject.

    In a dated log line ("**May 2025** - Acme bought Widgetry") the parser
    may take the date for a second subject of the verb.
    """
    found = [
        child
        for child in tok.children
        if child.dep_ in {"nsubj", "csubj"} and (came_from is None or child.i != came_from.i)
    ]
    if len(found) > 1:
        found = [child for child in found if not _is_date(child)] or found
    return found


def _is_date(tok: Token) -> bool:
    """Whether ``tok`` heads a date: "May" of "May 2025" even when only the year is tagged."""
    return tok.ent_type_ in {"DATE", "TIME"} or any(
        c.dep_ == "nummod" and c.ent_type_ == "DATE" for c in tok.children
    )


def _name_before(verb: Token, parties: _Parties) -> list[Ref]:
    """The party named right before ``verb`` after a comma: "..., Acme introduced"."""
    ent = next((e for e in verb.doc.ents if e.end == verb.i), None)
    if ent is None or ent.start == 0 or verb.doc[ent.start - 1].text != ",":
        return []
    return parties.of(ent.root)


def _passive_subject(verb: Token, parties: _Parties) -> list[Ref]:
    """The subject a passive infinitive takes from the clause above ("A agreed to be sold")."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in {"xcomp", "conj"}:
            return []
        tok = tok.head
        for child in tok.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return parties.of(child)
    return []


def _object(verb: Token) -> Token | None:
    found = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass", "attr"}]
    if len(found) > 1:
        # The parser may split one object in two: a date fronted in a log line ("May 2025 -
        # Acme bought B") or a descriptor before the name ("bought design studio B Ltd").
        found = [c for c in found if not _is_date(c)] or found
        found = [c for c in found if c.pos_ == "PROPN" or c.ent_type_] or found
    if found:
        return found[0]
    # "dispose of X"
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _prep_objects(tok: Token, words: set[str], within: Token | None = None) -> list[Token]:
    """Objects of the prepositions ``words`` on ``tok``, or else anywhere in ``within``'s phrase.

    The parser often hangs "to Z" of "sold its unit to Z" on the unit rather
    than the verb; ``within`` (the object) is searched for that reason,
    skipping clauses nested in it.
    """
    out = []
    for child in tok.children:
        if child.dep_ in {"prep", "dative", "agent"} and child.lower_ in words:
            out.extend(obj for obj in child.children if obj.dep_ == "pobj")
    if out or within is None:
        return out
    stack = [within]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in {"relcl", "acl", "advcl", "ccomp", "xcomp"}:
                continue
            if child.dep_ in {"prep", "dative"} and child.lower_ in words:
                out.extend(obj for obj in child.children if obj.dep_ == "pobj")
            else:
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _governor(noun: Token) -> Token | None:
    """The verb a trigger noun hangs from: "completed" in "completed the sale of X"."""
    tok = noun
    for _ in range(6):
        if tok.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj", "attr", "conj", "appos", "prep"}:
            tok = tok.head
            if tok.pos_ in {"VERB", "AUX"}:
                return tok
            continue
        break
    return None


def _owner(noun: Token, parties: _Parties) -> list[Ref]:
    """Who a trigger noun belongs to: "A's acquisition", "its purchase", or the verb's subject."""
    for child in noun.lefts:
        if child.dep_ == "poss":
            return parties.of(child)
    if noun.dep_ == "conj":
        for child in noun.head.lefts:
            if child.dep_ == "poss":
                return parties.of(child)
    verb = _governor(noun)
    if verb is not None and noun.dep_ != "nsubj":
        return _subject(verb, parties)
    return []


def _status(trigger: Token, sent: Span, past_means_completed: bool) -> str:
    """A deal's status from the words around its trigger."""
    # Look at the clause chain from the trigger up to the root, and its auxiliaries.
    chain = [trigger, *list(trigger.ancestors)]
    near = " ".join(
        t.text for h in chain[:4] for t in [h, *[c for c in h.children if c.dep_ in {"aux", "neg"}]]
    )
    text = sent.text
    if _TERMINATED.search(text):
        return "terminated"
    if _COMPLETED.search(near) or _COMPLETED.search(text):
        return "completed"
    if _AGREED.search(near) or re.search(r"definitive|letter of intent|in principle", text, re.I):
        return "agreed"
    if _RUMORED.search(near):
        return "rumored"
    if _PENDING.search(near) or trigger.lemma_.lower() in {"bid", "offer"}:
        return "pending"
    if (
        past_means_completed
        and trigger.tag_ in {"VBD", "VBN"}
        and not any(
            c.dep_ == "aux" and c.lower_ in {"will", "would", "to"} for c in trigger.children
        )
    ):
        return "completed"
    return "announced"


def _date(
    sent: Span, context: DealContext, block_date: str | None, trigger: Token | None = None
) -> str | None:
    """The date in the trigger's phrase, else the nearest in the sentence, else the block's."""
    text = sent.text
    found = find_dates(text, context.year)
    if not found:
        return block_date
    if trigger is None or len(found) == 1:
        best = found[0]
    else:
        at = trigger.idx - sent.start_char
        lo = trigger.left_edge.idx - sent.start_char
        hi = trigger.right_edge.idx + len(trigger.right_edge) - sent.start_char
        inside = [d for d in found if lo <= d.start and d.end <= hi]
        lo, hi = _clause_range(trigger)
        lo, hi = lo - sent.start_char, hi - sent.start_char
        clause = [d for d in found if lo <= d.start and d.end <= hi]
        pool = inside or clause or found
        best = min(pool, key=lambda d: min(abs(d.start - at), abs(d.end - at)))
    if _PERIOD.match(text, best.start):
        return best.value  # a quarter or half never takes the month of an earlier date
    return _finest(best.value, block_date)


def _clause_range(trigger: Token) -> tuple[int, int]:
    """The character range of the clause a trigger is in, less clauses joined to it.

    In "A licensed X to B in May, and C bought D in June", "bought" and its
    date are not part of "licensed"'s clause.
    """
    verb = trigger
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    joined = {
        t.i
        for c in verb.children
        if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}
        for t in c.subtree
    }
    # the "and" joining the next clause goes with it
    words = [t for t in verb.subtree if t.i not in joined and not (joined and t.dep_ == "cc")]
    return words[0].idx, words[-1].idx + len(words[-1])


def _finest(value: str, block_date: str | None) -> str:
    # "March 2026: ... at a fair in 2026" -- the block's lead date says more.
    if block_date and block_date.startswith(value) and len(block_date) > len(value):
        return block_date
    return value


@dataclass(slots=True)
class _Money:
    total: MoneyMatch | None = None
    valuation: MoneyMatch | None = None
    amounts: list[MoneyMatch] = field(default_factory=list)


def _money(sent: Span, funding: bool = False) -> _Money:
    """The price or amount a sentence states, apart from per-share prices and company figures.

    With ``funding``, money stated as what the company is worth ("valuing it
    at", "a round that valued the start-up at") is the valuation, not the amount.
    """
    text = sent.text
    out = _Money()
    best: tuple[int, MoneyMatch] | None = None
    for m in find_money(text):
        before, after = text[: m.start], text[m.end :]
        if (
            _VALUATION_AFTER.match(after)
            or _VALUATION_BEFORE.search(before)
            or (funding and _FUNDING_VALUATION_BEFORE.search(before[-60:]))
        ):
            out.valuation = out.valuation or m
            continue
        if m.per_share or m.amount < _SMALLEST_TOTAL or _NOT_A_PRICE_AFTER.match(after):
            continue
        score = 0
        if _VALUED_AT.search(before[-40:]):
            score += 3  # "assets valued at 64 mln dlrs": the deal's value, whatever precedes
        elif _NOT_A_PRICE.search(before[-40:]):
            score -= 5
        if _PRICE_CUE.search(before[-30:]):
            score += 2
        if re.match(r"\s*\(", after) or re.search(r"\(\s*$", before):
            score += 0  # a converted figure in brackets is the same amount
        if score < 0:
            continue
        out.amounts.append(m)
        if best is None or score > best[0]:
            best = (score, m)
    if best is not None:
        out.total = best[1]
    return out


def _particle(tok: Token, word: str) -> bool:
    return any(c.dep_ == "prt" and c.lower_ == word for c in tok.children)
