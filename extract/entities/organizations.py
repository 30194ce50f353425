"""Organization spans found by rule: suffixed names, cited sources and their authors."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from marketgraph.extract.entities.lexicon import GAZETTEER_KEY, Lexicon
from marketgraph.extract.entities.names import _word, is_generic, is_suffix
from marketgraph.extract.entities.spans import _Candidate, _name_token, _opener, _trim, _with

# A cited source: "[3] Jane Doe, “Title,” Trade Weekly, example.com". The name before
# the opening quote is the author; the name after the closing quote the publication.
_NAME_WORDS = r"[A-Z][\w&.'’-]*(?:\s+(?:of|for|and|&|[A-Z][\w&.'’-]*)){0,5}"
_CITED_AUTHOR = re.compile(
    r"(?:^|\]|[.;]\s)\s*(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2})"
    r"\s*,\s*[“\"]"
)
_CITED_SOURCE = re.compile(rf",\s*[”\"]\s*(?P<name>{_NAME_WORDS})\s*,\s*\S*\.[a-z]{{2,}}")


def _suffix_orgs(doc: Doc, lex: Lexicon) -> list[_Candidate]:
    out = []
    regions = {
        i
        for span in doc.spans.get(GAZETTEER_KEY, [])
        if span.label_ == "REGION"
        for i in range(span.start, span.end)
    }
    i = 0
    while i < len(doc):
        if not is_suffix(doc[i].text) or i == 0:
            i += 1
            continue
        # the suffix run: "Co., Ltd.", "Private Limited", "Pvt. Ltd."
        end = i + 1
        while end < len(doc) and (
            is_suffix(doc[end].text)
            or (doc[end].text in {",", "."} and end + 1 < len(doc) and is_suffix(doc[end + 1].text))
        ):
            end += 1
        start = i
        if start > 0 and doc[start - 1].text == ",":
            start -= 1
        first = start
        joined = False
        while first > 0 and first > start - 7:
            prev = doc[first - 1]
            if prev.lower_ in {"and", "&"} and not joined and first >= 2:
                # "Dunmore and Vale Printers Inc": one name around a single "and"
                before = doc[first - 2]
                if (
                    _name_token(before)
                    and first < start
                    and not _opener(before)
                    and before.i not in regions
                ):
                    joined = True
                    first -= 1
                    continue
                break
            if not _name_token(prev):
                break
            if _opener(prev):
                break
            first -= 1
        lead = _word(doc[i].text)
        if first == start or (lead in lex.suffixes_needing_more and end == i + 1):
            i = end
            continue
        if lead in {"company", "co"} and not doc[i].text[0].isupper():
            i = end
            continue
        s, e = _trim(doc, first, end)
        if e > s and not is_generic(doc[s:e].text):
            out.append(_with(doc[s:e], "ORG", "suffix"))
        i = end
    return out


def _inside_org_name(doc: Doc, span: Span, suffix_orgs: Sequence[_Candidate] = ()) -> bool:
    """A region word inside a longer company name ("Acme China Holdings").

    The name is the model's ORG or a suffixed name the rules found; a state
    opening one ("Ohio Harbor Foods Inc.") is part of the name, not a place.
    """
    orgs = [(e.start, e.end) for e in doc.ents if e.label_ == "ORG"]
    orgs += [(c.start, c.end) for c in suffix_orgs]
    for start, end in orgs:
        if start <= span.start and span.end <= end:
            if (start, end) == (span.start, span.end):
                return False
            rest = [t for t in doc[start:end] if t.i < span.start or t.i >= span.end]
            words = [t for t in rest if not is_suffix(t.text) and t.text not in {",", "&"}]
            if words and all(t.text[:1].isupper() and t.is_alpha for t in words):
                return not {t.lower_ for t in words} <= {"the"}
    return False


def _citations(doc: Doc) -> list[_Candidate]:
    """The author and the publication of a cited source ("Jane Doe, “Title,” Weekly, x.com")."""
    out = []
    for pattern, label, cue in (
        (_CITED_AUTHOR, "PERSON", "cited-author"),
        (_CITED_SOURCE, "ORG", "publication"),
    ):
        for m in pattern.finditer(doc.text):
            span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="contract")
            if span is not None and len(span) > 0 and not is_generic(span.text):
                out.append(_with(span, label, cue))
    return out
