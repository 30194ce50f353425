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


# "and" in the languages whose legal forms the suffix list knows (German "und", French "et",
# Spanish "y"): a firm named after two partners keeps it between their names.
_JOINERS = {"and", "&", "und", "et", "y"}


# Small words inside a name: "Bank of ...", "Society for ...".
_PARTICLES = {"of", "for"}
# A part or a body of a firm before "of" ("the Board of Acme Inc") is no name of its own.
_PART_HEADS = {"board", "committee", "office", "department", "division", "unit", "subsidiary",
               "branch", "shareholders", "stockholders", "directors", "chairman"}  # fmt: skip


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
        end = _suffix_run_end(doc, i + 1)
        # "Acme Corp of Canada Ltd": a national arm is named by the parent's name, "of" a
        # place and its own legal form, all one name.
        while end < len(doc) and doc[end].lower_ == "of":
            k = end + 1
            while k < len(doc) and k - end <= 3 and _name_token(doc[k]):
                k += 1
            if k == end + 1 or k >= len(doc) or not is_suffix(doc[k].text):
                break
            end = _suffix_run_end(doc, k + 1)
        start = i
        if start > 0 and doc[start - 1].text == ",":
            start -= 1
        first = start
        joined = particle = False
        while first > 0 and first > start - 7:
            prev = doc[first - 1]
            if prev.lower_ in _JOINERS and not joined and first >= 2:
                # "Dunmore and Vale Printers Inc", "Kessler und Brandt GmbH": one name around
                # a single joining word
                before = doc[first - 2]
                if (
                    _name_token(before)
                    and (first < start or _word(doc[i].text) in {"co", "company"})
                    and not _opener(before)
                    and before.i not in regions
                ):
                    joined = True
                    first -= 1
                    continue
                break
            if (
                prev.lower_ in _PARTICLES
                and not particle
                and first < start
                and first >= 2
                and (
                    doc[first - 2].tag_ in {"NNP", "NNPS"} or doc[first - 2].lower_ in lex.org_words
                )
                and _name_token(doc[first - 2])
                and not _opener(doc[first - 2])
                and doc[first - 2].lower_ not in lex.person_roles | _PART_HEADS
            ):
                # "Bank of Pellham Corp", "Society for Thrift Bancorp Inc": a particle
                # inside one name, not "President of Acme Inc"
                particle = True
                first -= 1
                continue
            if not _name_token(prev):
                break
            if _opener(prev):
                break
            first -= 1
        lead = _word(doc[i].text)
        # "Harlan Brook and Co": a lone "Co" closes a name after a joining word or a
        # "Name Name" pair, but not a single capitalised word ("Ask Co-pilot").
        lone_co = lead == "co" and doc[i].text in {"Co", "Co."} and (joined or start - first >= 2)
        if first == start or (lead in lex.suffixes_needing_more and end == i + 1 and not lone_co):
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


def _suffix_run_end(doc: Doc, end: int) -> int:
    """The end of a run of suffixes ("Co., Ltd.", "Pvt. Ltd.") continued from ``end``."""
    while end < len(doc) and (
        is_suffix(doc[end].text)
        or (doc[end].text in {",", "."} and end + 1 < len(doc) and is_suffix(doc[end + 1].text))
    ):
        end += 1
    return end


def _inside_org_name(doc: Doc, span: Span, suffix_orgs: Sequence[_Candidate] = ()) -> bool:
    """A region word inside a longer company name ("Acme China Holdings").

    The name is the model's ORG or a suffixed name the rules found; a state
    opening one ("Ohio Harbor Foods Inc.") is part of the name, not a place.
    """
    orgs = [(e.start, e.end, False) for e in doc.ents if e.label_ == "ORG"]
    orgs += [(c.start, c.end, True) for c in suffix_orgs]
    for start, end, suffixed in orgs:
        if start <= span.start and span.end <= end:
            if (start, end) == (span.start, span.end):
                return False
            rest = [t for t in doc[start:end] if t.i < span.start or t.i >= span.end]
            # "of" joins a place to a suffixed name ("Acme Corp of Canada Ltd")
            glue = {",", "&", "of"} if suffixed else {",", "&"}
            words = [t for t in rest if not is_suffix(t.text) and t.text not in glue]
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
