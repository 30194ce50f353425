"""The statistical NER's entities kept, trimmed, widened or retyped as candidates."""

from __future__ import annotations

import re

from spacy.tokens import Span

from marketgraph.extract.entities.datasets import _LICENSE
from marketgraph.extract.entities.lexicon import VALUE_LABELS, lexicon
from marketgraph.extract.entities.names import _MONEY, _MONTH_ABBREVIATIONS, _MONTHS, is_generic
from marketgraph.extract.entities.spans import _Candidate, _outside_brackets, _trim, _with
from marketgraph.extract.regions import gazetteer


def _org_headed(ent: Span) -> bool:
    """A PERSON span ending in a company word ("Software", "Technologies"): a firm misread."""
    lex = lexicon()
    last = ent[-1].lower_
    return ent.label_ == "PERSON" and (last in lex.descriptors or last in lex.org_words)


def _month_start(ent: Span) -> int:
    """The start of a DATE span widened over the month the model left out ("[Feb] 2026").

    A short or full month name right before a year the model tagged belongs to the date;
    left out, it reads as a capitalised name.
    """
    doc = ent.doc
    start = ent.start
    if start > 0 and ent[0].like_num:
        month = doc[start - 1].lower_.rstrip(".")
        if month in _MONTH_ABBREVIATIONS or month in _MONTHS:
            start -= 1
    return start


def _extend_left(ent: Span) -> int:
    """The start of an ORG span widened over proper nouns the model left out before it.

    The small model often drops a name's first word ("[Lumen] Crest Partners").
    """
    start = ent.start
    doc = ent.doc
    # A one-word "person" or "product" that proper nouns before it modify ("[Acme Auto] Glass")
    # is the tail of a longer name the model split.
    split = (
        len(ent) == 1
        and ent.label_ in {"PERSON", "PRODUCT"}
        and start > ent.sent.start
        and doc[start - 1].dep_ == "compound"
        and doc[start - 1].head.i == start
    )
    if ent.label_ != "ORG" and not _org_headed(ent) and not split:
        return start
    while (
        start > ent.sent.start
        and ent.start - start < 3
        and doc[start - 1].tag_ == "NNP"
        and doc[start - 1].text[:1].isupper()
        and doc[start - 1].ent_iob_ == "O"
        and doc[start - 1].is_alpha
        and gazetteer().canonical(doc[start - 1].text) is None
        and doc[start - 1].lower_ not in lexicon().person_roles
    ):
        start -= 1
    return start


def _model_entity(ent: Span, weak: bool) -> _Candidate | None:
    label = ent.label_
    if label == "DATE":
        return _with(ent.doc[_month_start(ent) : ent.end], label)
    if label in VALUE_LABELS:
        return _with(ent, label)
    start, end = _trim(ent.doc, _extend_left(ent), ent.end)
    start, end = _outside_brackets(ent.doc, start, end)
    # "Segmented by Region", "Backed by Acme": a passive verb and its "by" are no name.
    for k in range(start, end - 1):
        if ent.doc[k].tag_ == "VBN" and ent.doc[k + 1].lower_ == "by":
            start = k + 2
    if start >= end:
        return None
    span = ent.doc[start:end]
    text = span.text
    if _MONEY.match(text) or re.match(r"^[+-]?[\d.,]+\s*%$", text):
        return _with(span, "MONEY" if "%" not in text else "PERCENT")
    if is_generic(text) or not any(c.isupper() for c in text):
        return None
    if text.startswith("Article ") or _LICENSE.fullmatch(text):
        return None
    if _LICENSE.match(ent.doc.text, span.start_char):
        return None  # "CC" of "CC BY 4.0"
    if "©" in text:
        # A copyright line ("Image © Acme Research") names its holder after the sign.
        mark = max(t.i for t in span if "©" in t.text)
        if mark + 1 >= end:
            return None
        span = ent.doc[mark + 1 : end]
        text = span.text
    if (
        span[-1].lower_ in {"dataset", "corpus", "benchmark"}
        and len(span) > 1
        and text[:1].isupper()
    ):
        return _with(span, "DATASET", "dataset-name", "ner")
    if _org_headed(ent):
        label = "ORG"
    if label in {"ORG", "PERSON", "GPE", "LOC", "FAC", "PRODUCT", "LAW"}:
        # A place the gazetteer does not know (a city) is not a region; it may still be
        # an org the model mistook for a place, which context cues must then show.
        mapped = {"LOC": "PLACE", "GPE": "PLACE", "FAC": "ORG"}.get(label, label)
        if label in {"GPE", "LOC"} and gazetteer().canonical(text) is not None:
            mapped = "GPE"
        return _with(span, mapped, "ner", f"ner-{label.lower()}")
    return None
