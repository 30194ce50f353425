"""Licensing: who licensed what to whom, or obtained a licence from whom."""

from __future__ import annotations

from spacy.tokens import Span

from marketgraph.extract.deals.clauses import _governor, _object, _owner, _prep_objects, _subject
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.investments import _received
from marketgraph.extract.deals.lexicon import (
    _GIVE_VERBS,
    _LICENSE_GET_VERBS,
    _LICENSE_NOUNS,
    _LICENSE_VERBS,
)
from marketgraph.extract.deals.parties import _Parties, _refs


def _licensing(sent: Span, parties: _Parties, emit: _Emit) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma in _LICENSE_VERBS and tok.pos_ == "VERB":
            subj = _subject(tok, parties)
            target = _object(tok)
            from_ = _refs(parties, _prep_objects(tok, {"from"}, within=target))
            to = _refs(parties, _prep_objects(tok, {"to"}, within=target))
            for other in (c for c in tok.children if c.dep_ == "dobj" and c is not target):
                # "licensed its protein strain to B" misread as two objects
                from_ = from_ or _refs(parties, _prep_objects(other, {"from"}, within=other))
                to = to or _refs(parties, _prep_objects(other, {"to"}, within=other))
            if from_:
                emit("Licensing", {"licensor": from_, "licensee": subj}, tok, money=False)
            elif to:
                emit("Licensing", {"licensor": subj, "licensee": to}, tok, money=False)
        elif (lemma in _LICENSE_NOUNS and tok.pos_ == "NOUN") or (
            lemma in {"agreement", "deal", "pact", "contract"}
            and any(c.lemma_.lower() in _LICENSE_NOUNS for c in tok.lefts)
        ):
            head = tok
            if tok.dep_ == "compound":
                head = tok.head
            if head is not tok and head.lemma_.lower() not in {
                "agreement",
                "deal",
                "pact",
                "contract",
            }:
                continue
            if _received(
                head, "Licensing", ("licensor", "licensee"), parties, emit, _LICENSE_GET_VERBS
            ):
                continue  # "B obtained a licence from A": the subject is the licensee
            licensor = _owner(head, parties)
            for child in head.lefts:
                if (
                    child.dep_ in {"compound", "nmod"}
                    and child.lemma_.lower() not in _LICENSE_NOUNS
                ):
                    licensor = licensor or parties.of(child)
            licensee = [r for o in _prep_objects(head, {"with", "to"}) for r in parties.of(o)]
            verb = _governor(head)
            if verb is not None and verb.lemma_.lower() in _GIVE_VERBS:
                # "A granted B a licence to its patents": B, the indirect object, receives it.
                given = [c for c in verb.children if c.dep_ in {"dative", "iobj"}]
                licensee = _refs(parties, given) or licensee
            if licensor and licensee:
                emit(
                    "Licensing",
                    {"licensor": licensor, "licensee": licensee},
                    head,
                    money=False,
                )
