"""The market's leaders: names listed under a leader heading or in a leader sentence."""

from __future__ import annotations

import re

from marketgraph.extract.document import Block, Document
from marketgraph.extract.entities import is_suffix
from marketgraph.extract.facts import Span
from marketgraph.extract.market.clauses import _Sentence
from marketgraph.extract.market.segments import _list_items
from marketgraph.extract.market.text import (
    _cells,
    _fold,
    _heading_like,
    _span,
    _tables,
    _word_set,
)

_LEADER_LINE = re.compile(r"^[\w&.,'’()\- ]+$")


def _listed_name(document: Document, after: list[Block]) -> bool:
    """Whether a title-cased line is one name of a list: another short name follows it.

    A layout guesser takes a lone "Acme Mutual Group" line for a heading; a
    real heading is followed by running text instead.
    """
    if not after:
        return False
    text = document.block_text(after[0]).strip()
    return len(text) <= 80 and _name_like(text)


def _name_like(text: str) -> bool:
    text = text.strip()
    words = text.split()
    if not words or len(words) > 8 or not _LEADER_LINE.match(text):
        return False
    connectors = {"and", "of", "the", "&", "de", "for", "und", "et"}
    return all(
        any(ch.isupper() or ch.isdigit() for ch in w)
        or w.lower() in connectors
        or is_suffix(w.strip(","))
        for w in words
    )


def _cue(text: str) -> bool:
    low = _fold(text)
    return any(re.search(rf"\b{re.escape(cue)}\b", low) for cue in _word_set("leader_cues"))


_LEADER_SENTENCE = re.compile(
    r"\b(?:include|includes|including|are|is|such\s+as)\s+(?P<list>[A-Z].+?)\s*\.?\s*$"
)


_LEADERS_FIRST = re.compile(
    r"^(?P<list>[A-Z].+?)\s+(?:are|were|remain|rank)\s+(?:among\s+)?"
    r"(?:the\s+)?(?:key|major|leading|prominent|top|dominant|main)\b"
)


_LED_BY = re.compile(
    r"\b(?:market|industry|field|segment|landscape)\s+(?:is|remains|was|stays)\s+"
    r"(?:still\s+|largely\s+|firmly\s+)?(?:led|dominated|headed)\s+by\s+"
    r"(?P<list>[A-Z][^;:]+?)(?:,\s+(?:which|who|whose|together|with|while)\b.*)?\s*\.?\s*$"
)


def _leaders(document: Document, sentences: list[_Sentence]) -> list[tuple[str, Span]]:
    """Leader names as written, each with the line or sentence naming it."""
    out: list[tuple[str, Span]] = []
    blocks = document.blocks
    for i, block in enumerate(blocks):
        text = document.block_text(block).strip()
        intro = _heading_like(document, block) or text.endswith(":")
        if not (intro and _cue(text)):
            continue
        followers = blocks[i + 1 :]
        for j, follower in enumerate(followers):
            text = document.block_text(follower).strip()
            if not _name_like(text):
                break
            # A heading never ends in a legal suffix: "Acme Sonics Ltd" closing the list is a name.
            if (
                follower.kind == "heading"
                and not _listed_name(document, followers[j + 1 :])
                and not (j > 0 and is_suffix(text.split()[-1]))
            ):
                break
            out.append((text, _span(document, follower.start, follower.end)))
    out.extend(_tabled_leaders(document))
    if out:
        return out
    for sentence in sentences:
        text = " ".join(sentence.span.text.split())  # a hard-wrapped sentence reads as one line
        led = _LED_BY.search(text)
        if not _cue(text) and led is None:
            continue
        m = led or _LEADER_SENTENCE.search(text) or _LEADERS_FIRST.search(text)
        if not m:
            continue
        items = _list_items(m.group("list"), final_and=True)
        merged: list[str] = []
        for item in items:
            if merged and all(is_suffix(w) for w in item.split()):
                merged[-1] += ", " + item
            else:
                merged.append(item)
        for item in merged:
            if _name_like(item):
                out.append((item, sentence.span))
    return out


_COMPANY_HEADER = re.compile(
    r"^(?:company|companies|player|players|vendor|vendors|supplier|suppliers|manufacturer|"
    r"manufacturers|provider|providers|firm|firms|name)$",
    re.I,
)
_LEAD_WORDS = frozenset({"lead", "leads", "leaders", "leading", "top", "major", "key", "largest"})


def _tabled_leaders(document: Document) -> list[tuple[str, Span]]:
    """Leaders given as the first column of a company table under a leader heading.

    "## Who leads" (or "Leading vendors:") over "| Company | Headquarters |" then
    "| Acme Sonics Ltd. | Germany |": each row's first cell is one leader.
    """
    out: list[tuple[str, Span]] = []
    blocks = document.blocks
    for table in _tables(document):
        header = _cells(document, table[0])
        if len(table) < 2 or not header or not _COMPANY_HEADER.match(header[0]):
            continue
        index = blocks.index(table[0])
        heading = next((b for b in reversed(blocks[:index]) if _heading_like(document, b)), None)
        intro = blocks[index - 1] if index else None
        cued = [b for b in (heading, intro) if b is not None]
        if not any(
            _cue(text) or set(_fold(text).split()) & _LEAD_WORDS
            for text in (document.block_text(b) for b in cued)
        ):
            continue
        for row in table[1:]:
            cells = _cells(document, row)
            if cells and cells[0] and _name_like(cells[0]):
                out.append((cells[0], _span(document, row.start, row.end)))
    return out
