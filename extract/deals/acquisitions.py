"""Acquisitions, sales, mergers and holdings: who bought what from whom."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from marketgraph.extract.deals.clauses import (
    _governor,
    _object,
    _owner,
    _particle,
    _passive_subject,
    _prep_objects,
    _subject,
)
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.lexicon import (
    _BUY_NOUNS,
    _BUY_PARTICLE_VERBS,
    _BUY_VERBS,
    _GAIN_VERBS,
    _HOLD_VERBS,
    _HOLDING_NOUNS,
    _MERGE_NOUNS,
    _MERGE_VERBS,
    _PART_NOUNS,
    _PRONOUNS,
    _RELATIVE,
    _SELL_NOUNS,
    _SELL_VERBS,
)
from marketgraph.extract.deals.merging import _same_party
from marketgraph.extract.deals.parties import (
    _OWNERSHIP_NOUNS,
    _PARENT_HEADS,
    _UNIT_HEADS,
    _generic,
    _Parties,
    _refs,
)
from marketgraph.extract.facts import Ref


def _acquisitions(sent: Span, parties: _Parties, emit: _Emit) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
            _acquisition_verb(tok, lemma, parties, emit)
        elif tok.pos_ in {"NOUN", "PROPN"}:
            _acquisition_noun(tok, lemma, parties, emit)


def _acquisition_verb(tok: Token, lemma: str, parties: _Parties, emit: _Emit) -> None:
    if (
        lemma in _BUY_VERBS
        or (lemma == "take" and _particle(tok, "over"))
        or (lemma in _BUY_PARTICLE_VERBS and _particle(tok, "up"))
    ):
        target = _object(tok)
        if target is None and any(c.dep_ == "auxpass" for c in tok.children):
            # "A agreed to be acquired by B": the bought company is the governing clause's subject.
            buyer = _refs(parties, _prep_objects(tok, {"by"}))
            acquired = _passive_subject(tok, parties)
            emit("Acquisition", {"acquirer": buyer, "acquired": acquired}, tok)
            return
        if target is None or _is_stake_investment(tok, target):
            return
        buyer = _subject(tok, parties)
        if _minority_stake(target) and not emit.context.wire:
            held = _refs(parties, _prep_objects(target, {"in"}))
            if held:
                emit("Investment", {"investor": buyer, "investee": held}, tok)
                return
        acquired = parties.of(target, units=True)
        if target.lemma_.lower() in _PART_NOUNS and (not acquired or _generic(acquired[0])):
            # "bought a 30 pct interest [in X]" with "in X" hung on the verb
            acquired = _refs(parties, _prep_objects(tok, {"in", "of"})) or acquired
        sources = _prep_objects(tok, {"from"}, within=target)
        seller = _refs(parties, sources) or _owned_by(sources, parties)
        if seller and buyer and all(_generic(r) for r in acquired):
            acquired = _lead_target(target, buyer, emit) or acquired
        seller = seller or _possessor(target, parties, exclude=buyer)
        seller = seller or _appositive_owner(target, parties, exclude=buyer + acquired)
        seller = seller or _unit_owner(target, parties, exclude=buyer + acquired)
        emit("Acquisition", {"acquirer": buyer, "acquired": acquired, "seller": seller}, tok)
    elif lemma in _GAIN_VERBS and (target := _object(tok)) is not None:
        # "A took full ownership of B", "A assumed control of B": A now owns B.
        if target.lemma_.lower() not in {"ownership", "control"}:
            return
        acquired = _refs(parties, _prep_objects(target, {"of", "over"}))
        if acquired:
            buyer = _subject(tok, parties)
            emit("Acquisition", {"acquirer": buyer, "acquired": acquired}, tok)
    elif lemma in {"pay", "exchange", "swap"}:
        # "A paid 9 mln dlrs for a stake in B", "A exchanged shares for 21 pct of B"
        for bought in _prep_objects(tok, {"for"}, within=_object(tok)):
            acquired = parties.of(bought, units=True)
            if acquired:
                buyer = _subject(tok, parties)
                seller = _unit_owner(bought, parties, exclude=buyer + acquired)
                roles = {"acquirer": buyer, "acquired": acquired, "seller": seller}
                emit("Acquisition", roles, tok)
    elif lemma in {"offer", "bid"} and tok.pos_ == "VERB":
        # "A will offer 4 dlrs a share for all of B", "A bid 9 mln dlrs for B": a tender offer.
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        if not all(o.like_num or any(c.like_num for c in o.children) for o in objects[:1]):
            return  # "offered its clients discounts for ...": no price offered
        found = _prep_objects(tok, {"for"})
        for obj in objects:
            found = found or _prep_objects(obj, {"for"}, within=obj)
        acquired = [r for r in _refs(parties, found) if not _generic(r)]
        if acquired:
            emit("Acquisition", {"acquirer": _subject(tok, parties), "acquired": acquired}, tok)
    elif lemma in _SELL_VERBS:
        target = _object(tok)
        if target is None or _habitual(tok):
            return
        seller = _subject(tok, parties)
        buyer = _refs(parties, _parents(_prep_objects(tok, {"to"}, within=target)))
        acquired = parties.of(target, units=True)
        emit("Acquisition", {"acquirer": buyer, "acquired": acquired, "seller": seller}, tok)
    elif lemma in _MERGE_VERBS:
        subj = _subject(tok, parties)
        target = _object(tok)
        into = _prep_objects(tok, {"into"}, within=target)
        if into:
            # "A merged its unit B into C": C absorbs B; A, the owner, sells.
            owned = target is not None and any(
                c.dep_ == "poss" and c.lower_ in _PRONOUNS for c in target.lefts
            )
            emit(
                "Acquisition",
                {
                    "acquirer": _refs(parties, into),
                    "acquired": parties.of(target) if target is not None else subj,
                    "seller": subj if owned else [],
                },
                tok,
            )
        else:
            other = _refs(parties, _prep_objects(tok, {"with"}))
            if len(subj) >= 2 and not other:
                subj, other = subj[:1], subj[1:]
            emit("Acquisition", {"acquirer": subj, "acquired": other}, tok)
    elif lemma in _HOLD_VERBS and emit.context.wire:
        # "A has 7.9 mln shares of B", "A owns 19.9 pct of B": a hint that A is buying B.
        target = _object(tok)
        if target is None or not (target.like_num or target.lemma_.lower() in _PART_NOUNS):
            return
        if tok.dep_ in {"relcl", "acl"} or tok.head.dep_ in {"relcl", "acl"}:
            return  # "B, which owns 20 pct of C": background, not news
        holder = _subject(tok, parties)
        held = [r for r in parties.of(target) if not _generic(r) and r not in holder]
        emit("Acquisition", {"acquirer": holder, "acquired": held}, tok, weak=True)
    elif lemma in {"raise", "increase", "boost", "lift", "build"}:
        target = _object(tok)
        if target is not None and target.lemma_.lower() in _HOLDING_NOUNS | {"stock", "share"}:
            held = _refs(parties, _prep_objects(target, {"in", "of"}))
            emit("Acquisition", {"acquirer": _subject(tok, parties), "acquired": held}, tok)


def _acquisition_noun(tok: Token, lemma: str, parties: _Parties, emit: _Emit) -> None:
    if lemma in _MERGE_NOUNS:
        # "the merger of A with B", "A's merger into B", "a merger agreement with B",
        # "it and B reached a definitive merger agreement"
        head = tok.head if tok.dep_ == "compound" else tok
        into = _refs(parties, _prep_objects(tok, {"into"}))
        of = _refs(parties, _prep_objects(tok, {"of"}))
        other = _refs(parties, _prep_objects(head, {"with"}) + _prep_objects(tok, {"with"}))
        owners = _owner(head, parties)
        if into:
            emit("Acquisition", {"acquirer": into, "acquired": of or owners}, tok)
            return
        first = of or owners
        if not other and len(first) >= 2:
            first, other = first[:1], first[1:]
        if other and not of and _approved_by_holders(head):
            # "A shareholders approved a merger with B": a target's holders vote on its sale.
            first, other = other, first
        if not other and _both_companies(tok):
            # "the merger of the two companies": the two the sentence names, in their order.
            named = _sentence_orgs(tok.sent, parties)
            if len(named) >= 2:
                emit("Acquisition", {"acquirer": named[:1], "acquired": named[1:2]}, tok, weak=True)
            return
        emit("Acquisition", {"acquirer": first, "acquired": other}, tok)
        return
    if tok.dep_ == "compound":
        return
    if lemma in _BUY_NOUNS:
        if lemma in {"offer", "bid"} and not _prep_objects(tok, {"for"}):
            _offer_received(tok, parties, emit)
            return
        targets = _prep_objects(tok, {"of", "for"})
        acquired = _refs(parties, targets, units=True)
        buyer = _refs(parties, _prep_objects(tok, {"by"}))
        buyer = buyer or _owner(tok, parties)
        within = targets[0] if targets else None
        sources = _prep_objects(tok, {"from"}, within=within)
        seller = _refs(parties, sources) or _owned_by(sources, parties)
        if within is not None:
            seller = seller or _possessor(within, parties, exclude=buyer)
            seller = seller or _unit_owner(within, parties, exclude=buyer + acquired)
        emit("Acquisition", {"acquirer": buyer, "acquired": acquired, "seller": seller}, tok)
    elif lemma in _SELL_NOUNS:
        targets = _prep_objects(tok, {"of"})
        within = targets[0] if targets else None
        acquired = _refs(parties, targets, units=True)
        buyer = _refs(parties, _prep_objects(tok, {"to"}, within=within))
        verb = _governor(tok)
        if not buyer and verb is not None:
            buyer = _refs(parties, _prep_objects(verb, {"to"}))
        seller = _refs(parties, _prep_objects(tok, {"by"}))
        if within is not None:
            seller = seller or _possessor(within, parties, exclude=buyer, pronouns=True)
        seller = seller or _owner(tok, parties)
        emit("Acquisition", {"acquirer": buyer, "acquired": acquired, "seller": seller}, tok)


# Verbs whose subject is the target of the offer or bid they take as object.
_TARGET_VERBS = {
    "reject", "receive", "consider", "accept", "spurn", "welcome", "study", "review",
    "evaluate", "weigh", "oppose", "resist", "fight", "rebuff", "recommend",
}  # fmt: skip


def _offer_received(tok: Token, parties: _Parties, emit: _Emit) -> None:
    """ "B rejected a takeover offer by A": A bids for B, the subject of the verb."""
    bidder = _refs(parties, _prep_objects(tok, {"by", "from"}))
    verb = _governor(tok)
    if not bidder or verb is None or verb.lemma_.lower() not in _TARGET_VERBS:
        return
    if tok.dep_ not in {"dobj", "nsubjpass"}:
        return
    target = _subject(verb, parties) if tok.dep_ == "dobj" else []
    if tok.dep_ == "nsubjpass":  # "an offer by A was rejected by B"
        target = _refs(parties, _prep_objects(verb, {"by"}))
    emit("Acquisition", {"acquirer": bidder, "acquired": target}, tok)


def _habitual(verb: Token) -> bool:
    """ "B, which sells software to banks": a present-tense description of trade, not a deal."""
    if verb.tag_ not in {"VBZ", "VBP"} or any(c.dep_ == "aux" for c in verb.children):
        return False
    clause = verb
    while clause.dep_ == "conj":
        clause = clause.head
    return clause.dep_ in {"relcl", "acl"} or any(
        c.dep_ == "nsubj" and c.lower_ in _RELATIVE for c in clause.children
    )


def _parents(tokens: list[Token]) -> list[Token]:
    """ "to C's Foo unit" -> C: a buyer named through its parent's unit is the parent."""
    out = []
    for tok in tokens:
        owner = next((c for c in tok.lefts if c.dep_ == "poss" and c.lower_ not in _PRONOUNS), None)
        unit = tok.lemma_.lower() in {"unit", "subsidiary", "division", "arm", "affiliate"}
        out.append(owner if unit and owner is not None else tok)
    return out


_HOLDER_NOUNS = {"shareholder", "stockholder", "holder", "owner", "investor"}


def _approved_by_holders(noun: Token) -> bool:
    """Whether the deal ``noun`` names is what a company's shareholders approve or vote for."""
    verb = _governor(noun)
    if verb is None or verb.lemma_.lower() not in {"approve", "accept", "vote", "endorse"}:
        return False
    for subj in (c for c in verb.children if c.dep_ == "nsubj"):
        # "its shareholders", or "a majority of its shareholders"
        if subj.lemma_.lower() in _HOLDER_NOUNS or any(
            obj.lemma_.lower() in _HOLDER_NOUNS for obj in _prep_objects(subj, {"of"})
        ):
            return True
    return False


def _both_companies(noun: Token) -> bool:
    """Whether "merger" is "of the two companies" / "between both firms"."""
    for obj in _prep_objects(noun, {"of", "between"}):
        if obj.lemma_.lower() in {"company", "firm", "concern", "group", "bank"} and any(
            c.lower_ in {"two", "both"} for c in obj.lefts
        ):
            return True
    return False


def _sentence_orgs(sent: Span, parties: _Parties) -> list[Ref]:
    """The organisations a sentence names, in order of first mention."""
    out: list[Ref] = []
    for tok in sent:
        ref = parties.ent_ref(tok) if tok.i in parties.ents else None
        if ref is not None and ref.kind == "org" and ref not in out:
            out.append(ref)
    return out


def _is_stake_investment(verb: Token, target: Token) -> bool:
    """ "took a minority stake in X" is an investment, not a purchase of X."""
    return verb.lemma_.lower() == "take" and target.lemma_.lower() in _HOLDING_NOUNS


def _lead_target(target: Token, buyer: list[Ref], emit: _Emit) -> list[Ref]:
    """What "the system" in "it will buy the system from C" is: the item's lead deal's target.

    Only in wire copy, where an item reports one deal, and only for a buyer
    the lead names, so the seller this sentence adds goes to that deal.
    """
    lead = emit.context.lead
    if (
        not emit.context.wire
        or lead is None
        or not any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in target.lefts)
        or not any(_same_party(a, b) for a in buyer for b in lead.roles.get("acquirer", []))
    ):
        return []
    return list(lead.roles.get("acquired", []))


def _owned_by(sources: list[Token], parties: _Parties) -> list[Ref]:
    """The owner of an unnamed seller: "from a partnership (which is) owned by C"."""
    for source in sources:
        for clause in source.children:
            if clause.dep_ not in {"acl", "relcl"}:
                continue
            for tok in clause.subtree:
                if tok.lemma_.lower() in {"own", "control"} and tok.tag_ == "VBN":
                    refs = _refs(parties, _prep_objects(tok, {"by"}))
                    if refs:
                        return refs
    return []


def _possessor(
    target: Token, parties: _Parties, exclude: list[Ref], pronouns: bool = False
) -> list[Ref]:
    """The owner named in "X's unit" when the buyer is someone else: the seller."""
    for child in target.lefts:
        if child.dep_ == "poss" and (pronouns or child.lower_ not in _PRONOUNS):
            return [r for r in parties.of(child) if r not in exclude]
    return []


def _appositive_owner(target: Token, parties: _Parties, exclude: list[Ref]) -> list[Ref]:
    """The owner in "B, the imaging unit of C": an appositive naming the parent company."""
    for child in target.rights:
        if child.dep_ != "appos" or child.lemma_.lower() not in _UNIT_HEADS | _PARENT_HEADS:
            continue
        owners = _refs(parties, _prep_objects(child, {"of"}))
        for poss in child.lefts:
            if poss.dep_ == "poss" and poss.lower_ not in _PRONOUNS:
                owners = owners or parties.of(poss)
        return [r for r in owners if r not in exclude]
    return []


def _unit_owner(target: Token, parties: _Parties, exclude: list[Ref]) -> list[Ref]:
    """The owner in "the Foo division of C", "the assets of its Bar unit of C": the seller."""
    for tok in target.subtree:
        if tok.dep_ in {"relcl", "acl", "appos"} and tok.i != target.i:
            break
        lemma = tok.lemma_.lower()
        if lemma not in _UNIT_HEADS | _PARENT_HEADS or lemma in _OWNERSHIP_NOUNS:
            continue
        for owner in parties._preps(tok, {"of"}):
            refs = [r for r in parties.of(owner) if r not in exclude and not _generic(r)]
            if refs:
                return refs
    return []


_MAJORITY = re.compile(r"(?:majority|controlling|remaining|entire|full|outstanding)", re.I)


def _minority_stake(target: Token) -> bool:
    """ "a 15% stake", "a minority interest": a share of less than half, not the company."""
    if target.lemma_.lower() not in _HOLDING_NOUNS:
        return False
    phrase = target.doc[target.left_edge.i : target.i + 1].text
    if _MAJORITY.search(phrase):
        return False
    if re.search(r"minority", phrase, re.I):
        return True
    pct = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|pct|percent|per cent)", phrase, re.I)
    return pct is not None and float(pct.group(1)) < 50
