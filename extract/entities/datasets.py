"""Dataset spans found by rule: coined tokens near dataset words, names headed by "Dataset"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from marketgraph.extract.entities.lexicon import Lexicon
from marketgraph.extract.entities.names import is_generic
from marketgraph.extract.entities.spans import _Candidate, _name_token, _with
from marketgraph.extract.regions import gazetteer

_LICENSE = re.compile(
    r"\b(?:CC[- ]?(?:BY|0)(?:[- ](?:SA|NC|ND))*(?:[- ]\d\.\d)?|CC0|Apache[- ]2\.0|"
    r"MIT License|ODC[- ]By(?:[- ]\d\.\d)?|ODbL|CDLA[- ][A-Za-z]+(?:[- ]\d\.\d)?|"
    r"GPL-?\d(?:\.\d)?|LGPL-?\d(?:\.\d)?|BSD[- ]\d[- ]Clause)\b"
)
_DATASET_TOKEN = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)+(?![\w-])")


def _datasets(doc: Doc, weak: bool, lex: Lexicon) -> list[_Candidate]:
    out = []
    text = doc.text
    # Coined, dataset-like tokens ("ABC-2T", "FooBench3-Chat") next to dataset words.
    for m in _DATASET_TOKEN.finditer(text):
        token = m.group(0)
        if _LICENSE.fullmatch(token) or not _dataset_like(token):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or not _sentence_has(span.sent, lex.dataset_cues):
            continue
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        if after in lex.model_cues:
            continue
        out.append(_with(span, "DATASET", "dataset-token"))
    # Capitalised names headed by a dataset word: "Open Robot Motion Dataset".
    for tok in doc:
        if tok.lower_ not in {"dataset", "corpus", "benchmark"}:
            continue
        end = tok.i + 1
        if tok.text[0].isupper():
            if end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha:
                continue  # the head is inside a longer title ("... Dataset Market")
            if weak:
                continue
            start = tok.i
            while start > 0 and _name_token(doc[start - 1]) and doc[start - 1].text != "-":
                prev = doc[start - 1]
                if prev.tag_.startswith("VB") or prev.ent_type_ in {"ORG", "PERSON"}:
                    break  # "Acme Unveils Foo Dataset": the name starts after the verb
                start -= 1
            if start < tok.i:
                out.append(_with(doc[start:end], "DATASET", "dataset-name"))
        else:
            # "the Foo dataset": the capitalised words before a lower-case head
            start = tok.i
            while start > 0 and _name_token(doc[start - 1]):
                start -= 1
            if start < tok.i and doc[start - 1].lower_ in {"the", "its", "their"}:
                span = doc[start : tok.i]
                if not is_generic(span.text) and gazetteer().canonical(span.text) is None:
                    out.append(_with(span, "DATASET", "dataset-name"))
    return out


def _sentence_has(sent: Span, words: Iterable[str]) -> bool:
    low = sent.text.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", low) for w in words)


def _dataset_like(token: str) -> bool:
    parts = re.split(r"[-.]", token)
    if len(parts) < 2 or any(not p for p in parts):
        return False
    if all(p.isdigit() for p in parts[1:]) and parts[0].isalpha() and len(parts[0]) <= 3:
        return False  # "ISO-27001"-like codes and version numbers
    has_digit = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    camel = any(re.search(r"[a-z][A-Z]", p) for p in parts)
    caps = sum(1 for p in parts if p.isupper() and len(p) >= 2)
    return caps == len(parts) or ((has_digit or camel) and any(c.isupper() for c in token))
