"""Regulation spans found by rule: "... Act" titles, bill numbers, a regulator's binding rules."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from marketgraph.extract.entities.lexicon import Lexicon
from marketgraph.extract.entities.spans import _Candidate, _trim, _with

_BILL = re.compile(r"(?:SB|HB|AB)\s\d{1,4}(?![\d.,%])")
_YEARLIKE = re.compile(r"(?:19|20)\d{2}")


def _bill_numbers(doc: Doc) -> list[_Candidate]:
    """Legislative bills cited by chamber and number ("SB 54", "AB 1305").

    A year after the letters is no bill number, and "AB" after a capitalized word
    is a Nordic company suffix ("Acme AB 12"), not an Assembly Bill.
    """
    out = []
    for m in _BILL.finditer(doc.text):
        number = m.group(0).split()[1]
        if _YEARLIKE.fullmatch(number):
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None:
            continue
        if m.group(0).startswith("AB") and span.start > 0 and doc[span.start - 1].is_title:
            continue
        out.append(_with(span, "LAW", "regulation-pattern"))
    return out


def _regulations(doc: Doc, lex: Lexicon) -> list[_Candidate]:
    out = _regulator_rules(doc, lex) + _bill_numbers(doc)
    for tok in doc:
        if tok.lower_ not in lex.regulation_heads or not tok.text[0].isupper():
            continue
        start = tok.i
        while start > 0 and start > tok.i - 9:
            prev = doc[start - 1]
            # "of", "on", "in" join the words of a long title ("Safety in Mines Act");
            # a lower-case word after a hyphen ends a compound ("F-gas", "Anti-fraud").
            if (
                prev.text[:1].isupper()
                or prev.text in {"-"}
                or prev.lower_ in {"of", "and", "on", "in"}
                or (prev.is_alpha and start > 1 and doc[start - 2].text == "-")
            ):
                start -= 1
            else:
                break
        while start < tok.i and not doc[start].text[:1].isupper():
            start += 1
        s, e = _trim(doc, start, tok.i + 1)
        if e - s >= 2:
            out.append(_with(doc[s:e], "LAW", "regulation-pattern"))
    return out


def _regulator_rules(doc: Doc, lex: Lexicon) -> list[_Candidate]:
    """A regulator's named rule that binds someone: "the Authority's Fair Duty requires ...".

    The rule's name need not end in "Act": what marks it is its owner, a
    public body, and a verb of obligation it is the subject of.
    """
    out = []
    for tok in doc:
        if tok.text not in {"'s", "’s"} or tok.i == 0:
            continue
        if doc[tok.i - 1].lower_ not in lex.regulator_words:
            continue
        start = end = tok.i + 1
        while end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha:
            end += 1
        if end - start < 2 or end >= len(doc):
            continue
        head = doc[end - 1]
        verb = head.head
        if head.dep_ == "nsubj" and verb.lemma_.lower() in lex.obligation_verbs:
            out.append(_with(doc[start:end], "LAW", "regulation-pattern"))
    return out
