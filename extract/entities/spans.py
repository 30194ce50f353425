"""Candidate entity spans and the token-range helpers the span rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from marketgraph.extract.entities.lexicon import zipf_frequency
from marketgraph.extract.entities.names import is_suffix


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A proposed entity: token range, label and the cues that proposed it."""

    start: int
    end: int
    label: str
    cues: tuple[str, ...]


def _with(span: Span, label: str, *cues: str) -> _Candidate:
    return _Candidate(span.start, span.end, label, tuple(sorted(set(cues))))


def _heading_like(doc: Doc) -> bool:
    """A short title-cased line without a final period: a heading or a table label."""
    words = [t for t in doc if t.is_alpha and len(t.text) > 3 and not t.is_stop]
    if not words or len(doc) > 20 or doc.text.rstrip().endswith((".", "?", "!")):
        return False
    return sum(1 for t in words if t.text[0].isupper()) / len(words) > 0.75


def _quoted_titles(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of quoted, title-cased phrases: cited article titles, not names."""
    out = []
    for m in re.finditer(r"[“\"]([^”\"]{8,200})[”\"]", doc.text):
        words = [w for w in m.group(1).split() if w[:1].isalpha() and len(w) > 3]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6:
            out.append((m.start(1), m.end(1)))
    return out


def _category_lists(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of parenthesised lists of three or more items: "(Maize, Wheat, Barley)"."""
    return [
        (m.start(1), m.end(1))
        for m in re.finditer(r"\(([^()]{5,400})\)", doc.text)
        if m.group(1).count(",") >= 2
    ]


def _opens_noun_list(ent: Span) -> bool:
    """Whether a capitalised common word only opens a list of things ("Fraud, theft, and ...").

    The first item of a sentence-initial list is capitalised like a name; when
    the items after it are lower-case nouns, it is one of them.
    """
    doc = ent.doc
    if ent.start != ent.sent.start or ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return False
    nxt = doc[ent.end + 1]
    if not (nxt.text.islower() and nxt.pos_ in {"NOUN", "ADJ"}):
        return False
    # a list item joins the name as a conjunct; an appositive ("Jo Li, head of ...") does not
    joined = any(
        t.dep_ == "conj" and ent.start <= t.head.i < ent.end
        for t in doc[ent.end + 1 : min(len(doc), ent.end + 8)]
    )
    # Dictionary words, rare ones too ("Keyloggers"); a coined firm name is in no dictionary.
    known = all(zipf_frequency(t.lower_, "en") >= 1.5 for t in ent if t.is_alpha)
    return joined and ent.label_ != "PERSON" and known and len(ent) <= 2


def _common_words(text: str) -> bool:
    """Whether every word of a name is an ordinary English word ("Cloud Storage")."""
    words = [w for w in re.split(r"[\s\-/&]+", text) if w and w.lower() not in {"and", "of"}]
    return bool(words) and all(zipf_frequency(w.lower(), "en") >= 2.5 for w in words)


def _name_token(token) -> bool:
    text = token.text
    if text in {"&", "-"}:
        return True
    if is_suffix(text) or not any(c.isalpha() for c in text):
        return False
    return any(c.isupper() for c in text) or text[0].isdigit()


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner or sentence-opening common word, and trailing "'s"."""
    while start < end and (
        doc[start].lower_ in {"the", "a", "an", "&", "-", "and"}
        or (_opener(doc[start]) and end - start > 1)
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in {"'s", "’s", "'", "’", ",", "-", "&", "and", "of"}
        or (doc[end - 1].is_lower and doc[end - 1].is_alpha)
    ):
        end -= 1
    return start, end


def _outside_brackets(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Cut a span at a bracket it does not close: "Animal Type (Dogs, Cats" -> "Animal Type".

    A name may hold a whole "(...)" group, but a span that opens or closes
    one half-way ran across the edge of a parenthesised list.
    """
    depth = 0
    for i in range(start, end):
        if doc[i].text == "(":
            depth += 1
        elif doc[i].text == ")":
            if depth == 0:
                return _trim(doc, i + 1, end)
            depth -= 1
    if depth == 0:
        return start, end
    cut = next(i for i in range(start, end) if doc[i].text == "(")
    return _trim(doc, start, cut)


def _opener(token) -> bool:
    """A sentence's capitalised first word that is not part of a name ("Yesterday", "In")."""
    return (
        token.is_sent_start
        and token.tag_ not in {"NNP", "NNPS"}
        and (token.is_stop or token.pos_ in {"ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "VERB"})
    )
