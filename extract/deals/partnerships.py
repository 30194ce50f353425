"""Partnerships: firms that partner, team up, form a consortium or sign an agreement."""

from __future__ import annotations

from spacy.tokens import Span, Token

from marketgraph.extract.deals.clauses import (
    _governor,
    _object,
    _owner,
    _particle,
    _prep_objects,
    _subject,
)
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.lexicon import (
    _AGREEMENT_NOUNS,
    _BUY_NOUNS,
    _BUY_VERBS,
    _FORM_VERBS,
    _FUNDING_NOUNS,
    _GROUP_NOUNS,
    _LICENSE_NOUNS,
    _LICENSE_VERBS,
    _MERGE_NOUNS,
    _MERGE_VERBS,
    _PARTNER_NOUNS,
    _PARTNER_VERBS,
    _SELL_NOUNS,
    _SELL_VERBS,
    _SIGN_VERBS,
)
from marketgraph.extract.deals.parties import _Parties, _refs
from marketgraph.extract.facts import Ref


def _partnerships(sent: Span, parties: _Parties, emit: _Emit) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        members: list[Ref] = []
        joins = lemma in {"join", "combine", "pool"} and any(
            c.dep_ == "dobj" and c.lemma_.lower() in {"force", "hand", "effort", "resource"}
            for c in tok.children
        )  # "joined forces with", "joined hands with", "pooled resources with"
        if (lemma in _PARTNER_VERBS or joins) and tok.pos_ == "VERB":
            if lemma == "team" and not _particle(tok, "up"):
                continue
            members = _subject(tok, parties)
            if not members and tok.dep_ == "acl":
                # "partner" has no passive: "A partnered with B" misparsed as a modifier of A
                members = parties.of(tok.head)
            # "joined forces with B": the parser may hang "with B" on "forces"
            members += _refs(parties, _prep_objects(tok, {"with"}, within=_object(tok)))
        elif (
            lemma in _PARTNER_NOUNS or lemma in _GROUP_NOUNS or _understanding(tok)
        ) and tok.pos_ in {"NOUN", "PROPN"}:
            if lemma == "venture" and not any(c.lower_ == "joint" for c in tok.lefts):
                continue
            if lemma in _GROUP_NOUNS:
                verb = _governor(tok)
                if tok.dep_ != "dobj" or verb is None or verb.lemma_.lower() not in _FORM_VERBS:
                    continue
            head = tok
            if tok.dep_ == "compound" and tok.head.lemma_.lower() in _AGREEMENT_NOUNS:
                head = tok.head  # "signed a collaboration agreement with B"
            members = _owner(head, parties)
            verb = _governor(head)
            if verb is not None and head.dep_ == "dobj":
                members += _coordinated_subject(verb, parties)
            for noun in {tok, head}:
                members += _refs(parties, _prep_objects(noun, {"with", "between"}))
        elif (
            lemma in _AGREEMENT_NOUNS
            and tok.dep_ == "dobj"
            and tok.head.lemma_.lower() in _SIGN_VERBS
            and not _specific_agreement(tok)
        ):
            # "A inked a deal with B to supply ...": a bare agreement between two firms.
            others = _refs(parties, _prep_objects(tok, {"with"}))
            if others:
                members = _subject(tok.head, parties) + others
        # People rarely partner; a name in this role typed a person is a misread firm.
        members = list(dict.fromkeys(r for r in members if r.kind in {"org", "person"}))
        if len(members) >= 2:
            emit("Partnership", {"participant": members}, tok, money=False)


def _specific_agreement(noun: Token) -> bool:
    """Whether an agreement is named as a deal of another kind ("a licensing deal", "a
    merger agreement", "an agreement to acquire B"), which other extractors read."""
    other = _LICENSE_NOUNS | _BUY_NOUNS | _SELL_NOUNS | _MERGE_NOUNS | _FUNDING_NOUNS
    other |= _PARTNER_NOUNS  # "a partnership agreement" is read from its own noun
    if noun.lemma_.lower() == "memorandum" or any(
        t.lemma_.lower() in other for t in noun.subtree if t is not noun
    ):
        return True
    for t in noun.head.subtree:
        if t.lemma_.lower() in _BUY_VERBS | _SELL_VERBS | _MERGE_VERBS | _LICENSE_VERBS:
            return True
    return False


def _understanding(tok: Token) -> bool:
    """Whether ``tok`` heads a memorandum of understanding ("signed an MoU with B").

    A memorandum of understanding is the usual first, non-binding step of a
    partnership; other memoranda (of sale, of offering) are not.
    """
    if tok.text.upper() == "MOU":
        return True
    return tok.lemma_.lower() == "memorandum" and any(
        o.lower_ == "understanding" for o in _prep_objects(tok, {"of"})
    )


def _coordinated_subject(verb: Token, parties: _Parties) -> list[Ref]:
    """Every party of a coordinated subject ("A and B entered a partnership").

    The parser may hang "A and" under B as a modifier rather than a
    conjunct; any entity inside the subject phrase, joined by "and", counts.
    """
    out: list[Ref] = []
    for subj in verb.children:
        if subj.dep_ != "nsubj":
            continue
        phrase = list(subj.subtree)
        if not any(t.lower_ in {"and", "&"} and t.dep_ == "cc" for t in phrase):
            continue
        for t in phrase:
            if t.dep_ in {"prep", "pobj", "poss"} or t.head.dep_ == "prep":
                continue
            if t.i in parties.ents:
                refs = [parties.ent_ref(t)]
            elif t.pos_ == "PROPN" and (
                # "A, B Inc, and C": the parser may read the middle name as an apposition
                t.dep_ in {"conj", "appos"} or any(c.dep_ == "cc" for c in t.children)
            ):
                refs = [parties._name_ref(t)]  # a conjunct the NER left out
            else:
                continue
            out += [r for r in refs if r is not None and r.kind == "org" and r not in out]
    return out
