"""A fallback for a misparsed lead: "Name verb-ed ..." read by surface word order."""

from __future__ import annotations

import re

from spacy.tokens import Span

from marketgraph.extract.deals.clauses import _money
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.investments import _round_investors, _round_name
from marketgraph.extract.deals.lexicon import (
    _BUY_VERBS,
    _DATASET_WORDS,
    _INVEST_VERBS,
    _LAUNCH_VERBS,
    _NON_PARTY_LABELS,
    _PARTNER_VERBS,
    _PRONOUNS,
    _RAISE_VERBS,
    _ROUND,
)
from marketgraph.extract.deals.parties import _clean_name, _is_suffix, _Parties
from marketgraph.extract.facts import Ref

_IRREGULAR = {"bought": "buy", "took": "take", "sold": "sell", "won": "win"}
_LEAD_SKIP = {"in", "on", "during", "by", "since", ":", "-", "–", "—", ",", "|"}
_OBJECT_SKIP = {"the", "a", "an", "its", "their", "new", "all-new"}


def _verb_base(word: str) -> str | None:
    """The deal or launch verb an inflected form comes from ("secured" -> "secure"), or None."""
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if not word.endswith(("ed", "s")):
        return None
    verbs = _BUY_VERBS | _RAISE_VERBS | _LAUNCH_VERBS | _INVEST_VERBS | _PARTNER_VERBS
    for cut in (1, 2, 3):
        if word[:-cut] in verbs:
            return word[:-cut]
    return None


def _name_run(sent: Span, i: int) -> tuple[int, int]:
    """The capitalised name starting at token ``i`` as a (start, end) token range."""
    doc = sent.doc
    end = i
    while end < sent.end:
        tok = doc[end]
        if tok.ent_type_ in _NON_PARTY_LABELS and tok.ent_type_ != "LAW":
            break
        named = tok.text[:1].isupper() or (tok.text[:1].isdigit() and end > i)
        joiner = tok.text in {"&", "-", "."} and end > i and end + 1 < sent.end
        if not (named or joiner or (_is_suffix(tok) and end > i)):
            break
        end += 1
    while end > i and doc[end - 1].text in {"&", "-", "."}:
        end -= 1
    return i, end


def _misread_lead(sent: Span, parties: _Parties, emit: _Emit) -> None:
    """Read "Name verb-ed ..." at a clause's start when the parser misread the verb.

    The small model tags an unknown brand ("Snoutly", "Whiskerly") as an
    adverb and its verb as an adjective, so no clause has a subject. The
    surface order still says who did what: a capitalised name opening the
    sentence (after a lead date), directly followed by an inflected deal
    or launch verb.
    """
    doc = sent.doc
    i = sent.start
    while i < sent.end and (
        doc[i].ent_type_ in {"DATE", "TIME"} or doc[i].lower_ in _LEAD_SKIP or doc[i].is_space
    ):
        i += 1
    start, end = _name_run(sent, i)
    if end <= start or end >= sent.end:
        return
    name_end = end
    if doc[end].text == "," and end + 1 < sent.end and doc[end + 1].lower_ in {"a", "an", "the"}:
        # "Name, a Lyon-based maker of films, secured ...": the verb follows the appositive.
        close = next((k for k in range(end + 2, sent.end) if doc[k].text == ","), None)
        if close is None or close + 1 >= sent.end:
            return
        end = close + 1
    trigger = doc[end]
    base = _verb_base(trigger.text)
    if base is None or any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.i >= start for c in trigger.children
    ):
        return  # a verb with its own subject was read by the parse-based rules
    subject = _run_ref(doc[start:name_end], parties)
    if subject is None or subject.kind not in {"org", "person"}:
        return
    rest = doc[end + 1 : sent.end]
    text = rest.text
    if base in _RAISE_VERBS:
        funding = re.search(r"\b(?:funding|financing|round|Series|seed)\b", text, re.I)
        if funding and _money(sent, funding=True).total is not None:
            lead, investors = _round_investors(sent, parties)
            event = emit(
                "FundingRound",
                {"investee": [subject], "leadInvestor": lead, "investor": investors},
                trigger,
            )
            round_match = _ROUND.search(text)
            if event is not None and round_match is not None:
                event.round_type = _round_name(
                    round_match.group("round") or round_match.group("cap")
                )
        return
    after = end + 1
    while after < sent.end and doc[after].lower_ in _OBJECT_SKIP:
        after += 1
    o_start, o_end = _name_run(sent, after)
    thing = _run_ref(doc[o_start:o_end], parties) if o_end > o_start else None
    if base in _LAUNCH_VERBS and thing is not None:
        kind = thing.kind
        if kind not in {"product", "dataset"}:
            near = {t.lower_ for t in doc[o_end : min(o_end + 3, sent.end)]}
            kind = "dataset" if near & _DATASET_WORDS else "product"
        emit("Launch", {"launchedBy": [subject], "launched": [Ref(kind, thing.name)]}, trigger)
    elif base in _BUY_VERBS and thing is not None:
        seller = []
        for j in range(o_end, sent.end - 1):
            if doc[j].lower_ == "from":
                f_start, f_end = _name_run(sent, j + 1)
                ref = _run_ref(doc[f_start:f_end], parties) if f_end > f_start else None
                seller = [ref] if ref is not None else []
                break
        roles = {"acquirer": [subject], "acquired": [thing], "seller": seller}
        emit("Acquisition", roles, trigger)
    elif base in _INVEST_VERBS | _PARTNER_VERBS:
        word = "in" if base in _INVEST_VERBS else "with"
        for j in range(end + 1, sent.end - 1):
            if doc[j].lower_ == word:
                p_start, p_end = _name_run(sent, j + 1)
                other = _run_ref(doc[p_start:p_end], parties) if p_end > p_start else None
                if other is not None and base in _INVEST_VERBS:
                    emit("Investment", {"investor": [subject], "investee": [other]}, trigger)
                elif other is not None:
                    emit("Partnership", {"participant": [subject, other]}, trigger, money=False)
                break


def _run_ref(run: Span, parties: _Parties) -> Ref | None:
    """The Ref of a name found by its surface: its entity's, else a new organization."""
    for tok in run:
        ent = parties.ents.get(tok.i)
        if ent is not None and ent._.ref is not None:
            return ent._.ref
    name = _clean_name(run.text)
    if len(name) < 2 or name.lower() in _PRONOUNS or not any(c.isalpha() for c in name):
        return None
    return Ref("org", name)
