"""Product spans found by rule: possessed names, launched, licensed or described offers."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from marketgraph.extract.entities.lexicon import VALUE_LABELS, Lexicon
from marketgraph.extract.entities.names import _MONTHS, is_generic
from marketgraph.extract.entities.spans import _Candidate, _name_token, _trim, _with
from marketgraph.extract.regions import gazetteer


def market_entry_object(verb) -> Any:
    """What a verb phrase puts on the market without a launch verb, or None.

    "brought Widget Pro to market", "made its Widget Hub generally
    available": the brought or made thing is launched.
    """
    lemma = verb.lemma_.lower()
    if lemma == "bring" and any(
        c.dep_ == "prep" and c.lower_ == "to" and any(o.lemma_ == "market" for o in c.children)
        for c in verb.children
    ):
        return next((c for c in verb.children if c.dep_ == "dobj"), None)
    if lemma == "make":
        for c in verb.children:
            if c.lemma_.lower() != "available":
                continue
            # The parser reads "made X available" as a small clause: X is its subject.
            inner = next((g for g in c.children if g.dep_ == "nsubj"), None)
            return inner or next((g for g in verb.children if g.dep_ == "dobj"), None)
    return None


def _products(doc: Doc, lex: Lexicon) -> list[_Candidate]:
    out = []
    for tok in doc:
        # "<Org>'s <Capitalised Name>": a named offer of the possessor.
        if tok.text in {"'s", "’s"} and tok.i + 1 < len(doc):
            start = end = tok.i + 1
            while (
                end < len(doc)
                and _name_token(doc[end])
                and doc[end].ent_type_ not in {"DATE", "MONEY", "CARDINAL", "PERCENT"}
            ):
                end += 1
            while end > start and doc[end - 1].text in {"-", "&"}:
                end -= 1
            if end - start >= 2 or (end - start == 1 and doc[start].lower_ in lex.product_heads):
                span = doc[start:end]
                owner = _possessor(doc, tok.i)
                if owner is not None:
                    out.append(_with(owner, "ORG", "possessor"))
                if doc[end - 1].lower_ in lex.dataset_heads:
                    out.append(_with(span, "DATASET", "dataset-name", "possessed"))
                elif (
                    doc[end - 1].lower_ in lex.product_heads
                    and not is_generic(span.text)
                    and doc[start].lower_ not in _MONTHS
                ):
                    out.append(_with(span, "PRODUCT", "product-name", "possessed"))
        # Objects of launch verbs: "launched the Widget Studio".
        if tok.pos_ == "VERB" and tok.lemma_ in lex.launch_verbs:
            out += [_with(s, "PRODUCT", "launch-object") for s in _named_objects(doc, tok, lex)]
        entry = market_entry_object(tok) if tok.pos_ == "VERB" else None
        if entry is not None:
            span = _name_phrase(doc, entry) or _named_head(doc, entry, lex)
            if span is not None:
                out.append(_with(span, "PRODUCT", "launch-object"))
        # What is licensed is an offer: "licensed the Acme Pricing Index from ...",
        # "licenses the Zorb routing engine"; the licensor and licensee are firms.
        if tok.pos_ == "VERB" and tok.lemma_.lower() in {"license", "licence"}:
            out += [_with(s, "PRODUCT", "product-name") for s in _named_objects(doc, tok, lex)]
        # "<Name>, a suite of ...": an appositive saying what the thing is.
        if tok.dep_ == "appos" and tok.lemma_ in lex.product_appositives:
            head = tok.head
            span = _name_phrase(doc, head)
            if span is not None and head.i < tok.i:
                out.append(_with(span, "PRODUCT", "product-appos"))
    return out


def _named_objects(doc: Doc, verb, lex: Lexicon) -> list[Span]:
    """The named direct or passive-subject objects of ``verb`` ("launched the Widget Studio")."""
    out = []
    for child in verb.children:
        if child.dep_ not in {"dobj", "nsubjpass"}:
            continue
        span = _name_phrase(doc, child) or _named_head(doc, child, lex)
        if span is not None:
            out.append(span)
    return out


def _possessor(doc: Doc, clitic: int) -> Span | None:
    """The capitalised name before a possessive "'s", or None."""
    start = clitic
    while start > 0 and _name_token(doc[start - 1]) and clitic - start < 6:
        start -= 1
    start, end = _trim(doc, start, clitic)
    if end <= start or is_generic(doc[start:end].text):
        return None
    return doc[start:end]


def _name_phrase(doc: Doc, head) -> Span | None:
    """The capitalised compound around ``head`` ("Widget Studio"), or None."""
    if not head.text[:1].isupper():
        return None
    start = head.i
    while (
        start > 0
        and doc[start - 1].dep_ in {"compound", "amod", "nmod", "punct"}
        and (_name_token(doc[start - 1]))
    ):
        start -= 1
    end = head.i + 1
    # "launched the Widget T40 Sprayer" may be parsed with "Widget" as the object.
    while (
        end < len(doc)
        and doc[end].tag_ in {"NNP", "NNPS"}
        and _name_token(doc[end])
        and doc[end].dep_ in {"compound", "dep", "appos", "npadvmod", "nummod", "dobj"}
    ):
        end += 1
    span = doc[start:end]
    if is_generic(span.text) or any(t.ent_type_ in VALUE_LABELS for t in span):
        return None
    # A model number closing the name ("Widget 20, a compact unit ..."): a short
    # bare number that ends the phrase, not a quantity with a unit after it.
    if (
        end + 1 < len(doc)
        and re.fullmatch(r"\d{1,3}", doc[end].text)
        and doc[end + 1].text in {",", ".", ";", ":", ")"}
    ):
        return doc[start : end + 1]
    return span


def _named_head(doc: Doc, head, lex: Lexicon) -> Span | None:
    """The capitalised name before a lower-case offer word ("the Zorb routing engine")."""
    if head.text[:1].isupper() or head.lower_ not in lex.product_heads:
        return None
    end = head.i
    # at most two lower-case modifiers between the name and the head ("routing")
    while end > head.i - 2 and end > 0 and doc[end - 1].text.islower():
        end -= 1
    start = end
    if start > 1 and re.fullmatch(r"\d{1,3}", doc[start - 1].text):
        start -= 1  # a model number closing the name ("the Widget 4 noise logger")
    while start > 0 and _name_token(doc[start - 1]) and doc[start - 1].text[:1].isupper():
        start -= 1
    if doc[start].like_num:
        return None  # a bare number with no name before it
    if start == end or start == 0 or doc[start - 1].lower_ not in {"the", "its", "their"}:
        return None
    span = doc[start:end]
    if is_generic(span.text) or gazetteer().canonical(span.text) is not None:
        return None
    return span
