"""Parties: the organisations and people that tokens and noun phrases of a block name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from marketgraph.extract.deals.context import DealContext
from marketgraph.extract.deals.lexicon import (
    _CORPORATE,
    _GENERIC_HEADS,
    _NON_PARTY_LABELS,
    _PART_NOUNS,
    _PRONOUNS,
    _RELATIVE,
)
from marketgraph.extract.entities import is_coined as _coined
from marketgraph.extract.facts import Ref

if not Span.has_extension("ref"):
    Span.set_extension("ref", default=None)


def _entity_index(sdoc: Doc) -> dict[int, Span]:
    index: dict[int, Span] = {}
    for ent in sdoc.ents:
        if ent.label_ in _NON_PARTY_LABELS and ent._.ref is None:
            continue
        for i in range(ent.start, ent.end):
            index[i] = ent
    return index


def _clean_name(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"(?:'s|’s|')$", "", text)
    text = re.sub(r"(?<=[a-z])\.$", "", text)  # a sentence's full stop glued to "Ltd."
    return text.strip(" ,;:-")


def _ent_ref(ent: Span) -> Ref | None:
    """The Ref of an entity span: its resolved one, else one made from its text and label."""
    ref = ent._.ref
    if ref is not None:
        return ref
    if ent.label_ in _NOT_NAME_LABELS or ent.label_ in _NON_PARTY_LABELS:
        return None
    name = _clean_name(ent.text)
    if not name or not any(c.isalpha() for c in name):
        return None
    if ent.label_ == "PERSON" and _looks_personal(name):
        return Ref("person", name)
    return Ref("org", name)


def _looks_personal(name: str) -> bool:
    """ "Jane Q. Doe" but not "Zorvex" or "Kestrel AI": small models tag many firms PERSON."""
    words = name.split()
    if not 2 <= len(words) <= 4 or words[-1].lower().strip(".") in _CORPORATE:
        return False
    return all(
        (w[:1].isupper() and w[1:].islower() and w.isalpha()) or re.fullmatch(r"[A-Z]\.", w)
        for w in words
    )


_NAME_PARTICLES = {
    "de",
    "des",
    "du",
    "la",
    "le",
    "und",
    "von",
    "van",
    "der",
    "den",
    "di",
    "da",
    "y",
}
_NOT_NAME_LABELS = {"GPE", "LOC", "NORP", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"}


def _is_name(tok: Token) -> bool:
    """A token that can be part of a proper name: capitalised, an initial, or "3M"-like."""
    text = tok.text
    if not text or tok.pos_ in {"DET", "PRON", "ADP", "CCONJ", "PUNCT", "AUX", "VERB", "SCONJ"}:
        return tok.pos_ == "PROPN" and text[:1].isupper()
    if text[:1].isupper():
        # Sentence-initial capitals are no evidence, unless the word is coined ("Zyphra").
        return tok.pos_ == "PROPN" or tok.i > tok.sent.start or _coined(text)
    return text[:1].isdigit() and any(c.isalpha() for c in text) and tok.pos_ == "PROPN"


def _is_suffix(tok: Token) -> bool:
    return tok.lower_.strip(".") in _CORPORATE


def _name_span(tok: Token) -> Span | None:
    """The capitalised name a token heads or is modified by, read off the surface.

    "Pelham Tools Ltd" -> itself; "its Pelham unit" -> "Pelham" (the name
    before a lower-case head); None when no name is there.
    """
    doc = tok.doc
    sent = tok.sent
    head = tok
    if not _is_name(head):
        # The nearest name right before the head, inside its own phrase.
        names = [
            c
            for c in tok.lefts
            if c.dep_ in {"compound", "nmod", "amod"}
            and _is_name(c)
            and not (c.pos_ == "ADJ" and c.dep_ == "amod")  # "its European business"
        ]
        if not names:
            return None
        head = names[-1]
        while head.i + 1 < tok.i and _is_name(doc[head.i + 1]):
            head = doc[head.i + 1]
    if head.ent_type_ in _NOT_NAME_LABELS:
        return None
    start, end = head.i, head.i + 1
    while start > sent.start:
        prev = doc[start - 1]
        if _is_name(prev) and prev.ent_type_ not in _NOT_NAME_LABELS:
            start -= 1
        elif (
            prev.text in {"-", "/"}
            and not prev.whitespace_
            and start - 2 >= sent.start
            and not doc[start - 2].whitespace_
            and (doc[start - 2].text[:1].isupper() or doc[start - 2].text[:1].isdigit())
        ):
            start -= 2  # "QX-ALPHA", "Dun/Rae"
        elif (
            prev.lower_ in _NAME_PARTICLES | {"&"}
            and start - 2 >= sent.start
            and _is_name(doc[start - 2])
        ):
            start -= 2
        elif (
            prev.lower_ == "and"
            and start - 2 >= sent.start
            and _is_name(doc[start - 2])
            and (_is_suffix(doc[start]) or prev.ent_iob_ == "I")
        ):
            start -= 2  # "Harlan Brook and Co"
        elif (
            prev.tag_ == "POS"
            and start - 2 >= sent.start
            and _is_name(doc[start - 2])
            and not (start - 3 >= sent.start and _is_name(doc[start - 3]))
            and _is_suffix(doc[end - 1])
            and not any(_is_suffix(doc[i]) for i in range(start, end - 1))
        ):
            start -= 2  # "Moe's Catering Inc": one name with a possessive inside
        else:
            break
    while end < sent.end:
        nxt = doc[end]
        if _is_suffix(nxt) and _is_name(nxt):
            end += 1
        elif (
            nxt.lower_ in {"and", "&"}
            and end + 1 < sent.end
            and doc[end + 1].lower_.strip(".") in {"co", "company", "sons", "partners"}
        ):
            end += 2
        else:
            break
    span = doc[start:end]
    if not any(t.pos_ == "PROPN" or t.text[:1].isupper() for t in span):
        return None
    return span


_PARENT_HEADS = {
    "board",
    "unit",
    "subsidiary",
    "division",
    "arm",
    "affiliate",
    "management",
    "directors",
    "shareholders",
}
# Heads of a noun phrase naming a business bought or sold without a proper
# name ("a brick plant", "its two tin mines"): the phrase itself is used.
_UNIT_HEADS = {
    "unit",
    "division",
    "subsidiary",
    "subsidiaries",
    "business",
    "businesses",
    "plant",
    "mill",
    "factory",
    "operation",
    "asset",
    "property",
    "facility",
    "store",
    "branch",
    "station",
    "field",
    "mine",
    "refinery",
    "hotel",
    "chain",
    "brand",
    "portfolio",
    "network",
    "newspaper",
    "magazine",
    "interest",
    "operations",
    "assets",
    "properties",
    "facilities",
    "stores",
    "branches",
    "stations",
    "mines",
    "hotels",
    "hospital",
    "hospitals",
    "newspapers",
    "restaurant",
    "restaurants",
    "centers",
    "units",
    "plants",
    "mills",
    "divisions",
    "system",
    "systems",
    "terminal",
    "terminals",
}


class _Parties:
    """Resolves tokens to entity Refs within one block."""

    def __init__(self, sdoc: Doc, context: DealContext) -> None:
        self.doc = sdoc
        self.context = context
        self.ents = _entity_index(sdoc)

    def ent_ref(self, tok: Token) -> Ref | None:
        ent = self.ents.get(tok.i)
        if ent is None:
            return None
        ref = _ent_ref(ent)
        if ent._.ref is None and ref is not None and ref.kind == "org":
            # Unresolved spans are often cut short ("T. Vane Co"); the surface name is fuller.
            span = _name_span(tok)
            if span is not None and span.start <= ent.start and span.end >= ent.end:
                ref = Ref("org", _clean_name(span.text))
        return ref

    def place(self, tok: Token) -> bool:
        """Whether a token is part of a place name no party resolved to (a city, a state)."""
        ent = self.ents.get(tok.i)
        if ent is not None and ent.label_ in {"GPE", "LOC", "PLACE"}:
            return ent._.ref is None or ent._.ref.kind == "region"
        if ent is not None and ent._.ref is not None:
            return ent._.ref.kind == "region"
        # "Harbor Point, Ga., office": a state's abbreviation after a comma, or a town before one.
        if _STATE_ABBREVIATION.match(tok.text):
            return tok.i > 0 and tok.doc[tok.i - 1].text == ","
        return any(c.dep_ == "appos" and _STATE_ABBREVIATION.match(c.text) for c in tok.children)

    def row_subject(self, verb: Token) -> list[Ref]:
        """In a table row, the party named in an earlier cell of a subjectless clause.

        "| April 2026 | Acme | Unveiled the Widget 3 |": Acme did the unveiling.
        """
        if not self.context.row or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
            return []  # a clause with its own subject keeps it
        cut = verb.sent.start_char
        before = [
            ent
            for ent in self.doc.ents
            if ent.end_char <= cut and ent.label_ not in _NON_PARTY_LABELS | _NOT_NAME_LABELS
        ]
        for ent in reversed(before):
            ref = _ent_ref(ent)
            if ref is not None and ref.kind in {"org", "person"}:
                return [ref]
        return []

    def of(self, tok: Token | None, *, depth: int = 0, units: bool = False) -> list[Ref]:
        """The parties a noun phrase headed by ``tok`` names (several for "A and B").

        With ``units``, a phrase naming an unnamed business ("a brick
        plant") counts as a party too.
        """
        if tok is None or depth > 4:
            return []
        refs = self._one(tok, depth, units)
        if not refs:
            return []
        for conj in tok.conjuncts:
            if conj.i > tok.i and conj.pos_ in {"PROPN", "NOUN", "PRON"} and not self.place(conj):
                for ref in self._one(conj, depth + 1, False):
                    if ref not in refs:
                        refs.append(ref)
        return refs

    def _one(self, tok: Token, depth: int, units: bool = False) -> list[Ref]:
        ref = self.ent_ref(tok)
        if ref is not None:
            return [ref]
        low = tok.lower_
        if low in _PRONOUNS:
            found = self.antecedent(tok)
            return [found] if found else []
        if low in _RELATIVE and tok.head.dep_ == "relcl":
            return self.of(tok.head.head, depth=depth + 1)
        lemma = tok.lemma_.lower()
        if lemma in _GENERIC_HEADS and any(c.lower_ in {"the", "this"} for c in tok.lefts):
            found = self.antecedent(tok)
            return [found] if found else []
        if lemma in _GROUP_HEADS:
            # "a group of investors led by Jane Roe": the group goes by its leader.
            for leader in _leaders(tok):
                ref = self.ent_ref(leader) or self._name_ref(leader)
                if ref is not None:
                    return [ref]
        if (lemma in _PART_NOUNS or tok.like_num) and not (units and _described_unit(tok)):
            words = {"of", "in"} if lemma in _OWNERSHIP_NOUNS or tok.like_num else {"of"}
            for prep in self._preps(tok, words):
                if self.place(prep):
                    continue  # "two businesses in Oregon": where they are, not whose
                refs = self.of(prep, depth=depth + 1, units=units)
                if refs:
                    return refs
            # "17 pct" conjoined with "three mln shares" shares its "of".
            for conj in tok.conjuncts:
                for prep in self._preps(conj, {"of", "in"}):
                    refs = self.of(prep, depth=depth + 1, units=units)
                    if refs:
                        return refs
        # "its subsidiary, Pelham Tools Ltd": the name is in apposition.
        for child in tok.rights:
            if child.dep_ == "appos" and not self.place(child):
                ref = self.ent_ref(child) or self._name_ref(child)
                if ref is not None:
                    return [ref]
        # "its Pelham Tools computer business": the name modifies the head.
        for child in tok.lefts:
            if child.dep_ in {"compound", "nmod", "amod"} and not self.place(child):
                ref = self.ent_ref(child)
                if ref is not None:
                    return [ref]
        ref = self._name_ref(tok)
        if ref is not None:
            return [ref]
        if units and (tok.lower_ in _UNIT_HEADS or lemma in _UNIT_HEADS):
            phrase = _unit_phrase(tok)
            if phrase:
                return [Ref("org", phrase)]
        return []

    def _name_ref(self, tok: Token) -> Ref | None:
        span = _name_span(tok)
        if span is None or self.place(span[-1]):
            return None
        for t in span:
            ent = self.ents.get(t.i)
            if ent is not None and ent._.ref is not None:
                return ent._.ref
        name = _clean_name(span.text)
        if len(name) < 2 or name.lower() in _PRONOUNS:
            return None
        return Ref("org", name)

    @staticmethod
    def _preps(tok: Token, words: set[str]) -> Iterator[Token]:
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in words:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        yield obj

    def antecedent(self, tok: Token) -> Ref | None:
        """What "it" / "its" / "the company" stands for: the nearest reporting subject."""
        head = tok.head
        seen = 0
        # "A took control of the company": an object is not its own clause's subject ("its" may be).
        own = tok.dep_ in {"dobj", "pobj"}
        while head is not None and seen < 8:
            for child in head.children:
                if child.dep_ in {"nsubj", "nsubjpass"} and child.i < tok.i and child != tok:
                    if child.lower_ in _PRONOUNS or child.lower_ in _RELATIVE:
                        continue
                    if own and head.pos_ in {"VERB", "AUX"}:
                        continue
                    if child.lemma_.lower() in _AUTHORITY_HEADS:
                        continue  # "A said the court blocked its purchase of B": "its" is A
                    refs = self._one(child, 5)
                    if refs:
                        return refs[0]
            own = own and head.pos_ not in {"VERB", "AUX"}
            if head.head is head:
                break
            head = head.head
            seen += 1
        # Otherwise the first party named earlier in the sentence, then the text's subject.
        for i in range(tok.sent.start, tok.i):
            cand = self.doc[i]
            if i in self.ents and cand.dep_ in {"nsubj", "nsubjpass"}:
                ref = self.ent_ref(cand)
                if ref is not None and ref.kind == "org":
                    return ref
        return self.context.subject


_STATE_ABBREVIATION = re.compile(r"^(?:[A-Z][a-z]{1,4}\.|[A-Z]\.[A-Z]\.)$")
# Words for a share of ownership, whose "in" names the company ("a stake in B"); after
# other part words "in" names a place ("its businesses in Idaho").
_OWNERSHIP_NOUNS = {
    "stake", "interest", "holding", "position", "share", "stock", "equity", "capital", "pct",
    "percent", "%", "majority", "control",
}  # fmt: skip
# Heads of public bodies that rule on deals rather than make them.
_AUTHORITY_HEADS = {
    "court", "judge", "office", "department", "commission", "ministry", "agency", "regulator",
    "authority", "tribunal", "panel", "administration",
}  # fmt: skip
_GROUP_HEADS = {"group", "consortium", "syndicate", "investor", "partnership", "team", "firm"}
_LEADING_VERBS = {"lead", "control", "head", "form", "organize", "organise", "manage"}


def _leaders(group: Token) -> list[Token]:
    """The parties "led by", "controlled by" or "formed by" which an unnamed group is known by."""
    out = []
    for tok in group.subtree:
        if tok.i <= group.i or tok.dep_ == "relcl":
            continue
        if tok.lemma_.lower() in _LEADING_VERBS and tok.tag_ == "VBN":
            out += [o for c in tok.children if c.dep_ == "agent" for o in c.children]
        if out:
            break
    return [o for o in out if o.dep_ == "pobj"]


def _described_unit(tok: Token) -> bool:
    """ "the European milling business of C": a unit of C described by its trade, not all of C."""
    if tok.lemma_.lower() not in _UNIT_HEADS or tok.lemma_.lower() in _OWNERSHIP_NOUNS:
        return False
    return any(
        c.dep_ in {"compound", "amod", "nmod"}
        and c.lower_ not in _UNIT_SKIP
        and not c.like_num
        and c.pos_ != "PROPN"
        for c in tok.lefts
    )


_UNIT_SKIP = {"all", "substantially", "remaining", "more", "certain", "other", "entire", "its"}


def _unit_phrase(tok: Token) -> str:
    """ "its two tin mines" -> "two tin mines": the head and its modifiers."""
    skip: set[int] = set()
    for child in tok.lefts:
        if child.dep_ in {"det", "poss", "predet", "advmod", "quantmod"}:
            skip.update(t.i for t in child.subtree)
    words = [
        t.text
        for t in tok.doc[tok.left_edge.i : tok.i + 1]
        if t.i not in skip
        and not t.is_space
        and t.lower_ not in _UNIT_SKIP
        and (not t.is_punct or t.text == "-")
    ]
    return _clean_name(" ".join(words).replace(" - ", "-"))


def _refs(parties: _Parties, tokens: Iterable[Token], *, units: bool = False) -> list[Ref]:
    out: list[Ref] = []
    for tok in tokens:
        for ref in parties.of(tok, units=units):
            if ref not in out:
                out.append(ref)
    return out


def _generic(ref: Ref) -> bool:
    """A party named by a common-noun phrase ("two tin mines"), not a proper name."""
    return not ref.name[:1].isupper()
