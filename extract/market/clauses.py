"""Prose cut into sentences and clauses: each clause's subject, intro and fronted figure."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from marketgraph.extract.document import Document
from marketgraph.extract.facts import Span
from marketgraph.extract.market.segments import _Dimension, _dimension_intro, _is_geo, _Scheme
from marketgraph.extract.market.text import _PERCENT, _YEAR, _heading_like, _span
from marketgraph.extract.normalize import find_money

_BOUNDARY_WORDS = {"while", "whereas", "although", "though"}


@dataclass(slots=True)
class _Sentence:
    span: Span  # offsets into document.text
    sent: SpacySpan
    offset: int  # document offset of the sentence's Doc
    context: _Dimension | None  # the dimension the section above is about


def _unit_map(units: Iterable[tuple[Doc, int]]) -> dict[int, Doc]:
    return {offset: doc for doc, offset in units}


def _sentences(document: Document, units: dict[int, Doc], scheme: _Scheme) -> Iterator[_Sentence]:
    """The sentences of every prose block, with the dimension their section is about."""
    context: _Dimension | None = None
    for block in document.blocks:
        text = document.block_text(block)
        if _heading_like(document, block):
            named = _dimension_intro(text)
            if named:
                context = scheme.dimension(named, False, None)
            elif _is_geo(text) and len(text.split()) <= 4:
                context = next((d for d in scheme.dimensions if d.geo), None)
            else:
                context = None
            continue
        if block.kind == "row":
            continue
        doc = units.get(block.start)
        if doc is None:
            continue
        for sent in doc.sents:
            start = block.start + sent.start_char
            end = block.start + sent.end_char
            span = _span(document, start, end)
            if span.text:
                yield _Sentence(span, sent, block.start, context)


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def _ends_subject(token: Token) -> bool:
    """A finite verb or the clause's head; gerunds inside names ("coating") are not."""
    if token.pos_ == "AUX" or token.tag_ in ("VBZ", "VBD", "VBP", "MD"):
        return True
    return token.pos_ == "VERB" and token.dep_ in ("ROOT", "advcl", "conj", "relcl", "ccomp")


def _clauses(sent: SpacySpan) -> list[tuple[int, int]]:
    """Token ranges (relative to the sentence) of the clauses that have their own subject."""
    bounds = [0]
    tokens = list(sent)
    for i, tok in enumerate(tokens):
        low = tok.lower_
        if low in _BOUNDARY_WORDS or tok.text == ";":
            bounds.append(i + 1 if tok.text == ";" else i)
        elif (
            low in ("and", "but")
            and i > 0
            and tokens[i - 1].text == ","
            and i + 1 < len(tokens)
            and not _is_verb(tokens[i + 1])
            and tokens[i + 1].pos_ not in ("ADV", "PART", "ADP")
        ):
            bounds.append(i)
    bounds.append(len(tokens))
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


@dataclass(slots=True)
class _Clause:
    start_char: int  # in the sentence's Doc
    end_char: int
    subject: str
    subject_end: int  # char in the Doc where the subject ends
    intro: str  # "By resin type", "In 2025"
    # A fronted participial phrase ("Valued at USD 5 billion in 2025,") whose figures
    # belong to the clause's subject: its (start, end) chars in the Doc, or None.
    fronted: tuple[int, int] | None = None


def _clause(sent: SpacySpan, a: int, b: int) -> _Clause:
    tokens = list(sent)[a:b]
    i = 0
    while i < len(tokens) and (tokens[i].is_punct or tokens[i].lower_ in _BOUNDARY_WORDS):
        i += 1
    if i < len(tokens) and tokens[i].lower_ in ("and", "but"):
        i += 1
    intro_parts: list[str] = []
    fronted: tuple[int, int] | None = None
    # Leading phrases closed by a comma and holding no verb ("By resin type,", "In 2025,").
    while True:
        comma = next((k for k in range(i, len(tokens)) if tokens[k].text == ","), None)
        if comma is None or comma == i:
            break
        phrase = sent.doc.text[tokens[i].idx : tokens[comma].idx].strip()
        if fronted is None and _fronted_figure(tokens[i:comma], phrase):
            fronted = (tokens[i].idx, tokens[comma].idx)
            i = comma + 1
            continue
        # Only a phrase that opens with a preposition, an adverb or a year is an intro;
        # "Maize, wheat and barley ..." opens a listed subject.
        lead = tokens[i]
        if _ATTRIBUTION.match(phrase):
            # "According to the firm, the market will ...": a source, not the subject.
            intro_parts.append(phrase)
            i = comma + 1
            continue
        if _dimension_intro(phrase) is None and (
            any(_is_verb(t) for t in tokens[i:comma])
            or (lead.pos_ not in ("ADP", "ADV", "SCONJ") and not re.fullmatch(_YEAR, lead.text))
        ):
            break
        intro_parts.append(phrase)
        i = comma + 1
    # "In 2025 the market was worth ...": a leading year phrase without its comma.
    if (
        i + 2 < len(tokens)
        and tokens[i].pos_ == "ADP"
        and re.fullmatch(_YEAR, tokens[i + 1].text)
        and not tokens[i + 2].is_punct
    ):
        intro_parts.append(sent.doc.text[tokens[i].idx : tokens[i + 1].idx + 4])
        i += 2
    j = i
    while j < len(tokens) and not _ends_subject(tokens[j]):
        # A verbless statement ("North America: a 34% share") ends its subject at the colon
        # or at the first figure; a number that is no figure ("units above 10 kW") stays in.
        if tokens[j].text == ":" or tokens[j].text in "$€£¥" or (j > i and _figure(tokens, j)):
            break
        j += 1
    start = tokens[0].idx if tokens else 0
    end = tokens[-1].idx + len(tokens[-1]) if tokens else 0
    subject_tokens = tokens[i:j]
    subject = (
        sent.doc.text[subject_tokens[0].idx : subject_tokens[-1].idx + len(subject_tokens[-1])]
        if subject_tokens
        else ""
    )
    subject_end = (
        subject_tokens[-1].idx + len(subject_tokens[-1])
        if subject_tokens
        else (tokens[i].idx if i < len(tokens) else end)
    )
    return _Clause(start, end, subject, subject_end, " ; ".join(intro_parts), fronted)


_ATTRIBUTION = re.compile(r"^(?:according\s+to|as\s+per|per|in\s+the\s+view\s+of)\s+\S", re.I)


def _figure(tokens: list[Token], j: int) -> bool:
    """Whether ``tokens[j]`` is the number of a percentage or a money amount."""
    tok = tokens[j]
    if not tok.like_num:
        return False
    if tok.ent_type_ in ("PERCENT", "MONEY"):
        return True
    nxt = tokens[j + 1].text.lower() if j + 1 < len(tokens) else ""
    return nxt in ("%", "percent", "per") or bool(re.fullmatch(r"[mbt]n|(?:m|b|tr)illion", nxt))


def _fronted_figure(tokens: list[Token], phrase: str) -> bool:
    """Whether a comma-closed opening phrase is a participle stating a figure of the subject.

    "Valued at USD 5 billion in 2025, the market ..." and "Growing at a 9% CAGR,
    the segment ...": a past or present participle first, a money amount or a
    percentage inside, no finite verb.
    """
    if not tokens or tokens[0].tag_ not in ("VBN", "VBG"):
        return False
    if any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in tokens):
        return False
    return bool(_PERCENT.search(phrase) or find_money(phrase))
