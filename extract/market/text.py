"""Word lists, patterns and small text and table helpers that every market rule uses."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from marketgraph.extract.document import Block, Document
from marketgraph.extract.facts import Ref, Span
from marketgraph.extract.regions import gazetteer


@cache
def _words() -> dict:
    path = resources.files("marketgraph.extract") / "data" / "segments.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _word_set(key: str) -> frozenset[str]:
    return frozenset(_words()[key])


_TOKEN = re.compile(r"[A-Za-z0-9]+")
_YEAR = r"(?:19|20)\d{2}"
_PERCENT = re.compile(r"(?<![\d.])[+\-−–]?\d+(?:\.\d+)?\s?(?:%|percent\b|per\s?cent\b)", re.I)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.replace("'s", "").replace("’s", ""))


def _fold(text: str) -> str:
    return " ".join(t.lower() for t in _tokens(text))


def _title(text: str) -> str:
    """Capitalise lower-case words ("soil sensors" -> "Soil Sensors"); keep "eBay", "AI"."""
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in text.split())


def _span(document: Document, start: int, end: int) -> Span:
    text = document.text
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, end, text[start:end])


def _add_mention(mentions: list[Span], span: Span) -> None:
    if span not in mentions:
        mentions.append(span)


def _region_ref(name: str) -> Ref:
    """The region Ref for a place name: the gazetteer's canonical name when it knows it."""
    return _known_region(name) or Ref("region", name)


def _known_region(name: str) -> Ref | None:
    canonical = gazetteer().canonical(name)
    return Ref("region", canonical) if canonical else None


def _tables(document: Document) -> list[list[Block]]:
    """Runs of consecutive table-row blocks."""
    tables: list[list[Block]] = []
    previous: Block | None = None
    for block in document.blocks:
        if block.kind == "row":
            if previous is not None and previous.kind == "row" and not block.header:
                tables[-1].append(block)
            else:
                tables.append([block])
        previous = block
    return tables


def _cells(document: Document, row: Block) -> list[str]:
    return [c.strip() for c in document.cell_texts(row)]


def _heading_like(document: Document, block: Block) -> bool:
    if block.kind == "heading":
        return True
    text = document.block_text(block).strip()
    return (
        block.kind == "paragraph"
        and 0 < len(text.split()) <= 12
        and text[-1:] not in ".!?;:"
        and text[:1].isupper()
    )
