"""Growth drivers and restraints: the rows of a factor impact table, or list items giving
an impact on the CAGR."""

from __future__ import annotations

import re

from marketgraph.extract.document import Document
from marketgraph.extract.facts import Factor, Ref
from marketgraph.extract.market.text import _cells, _fold, _heading_like, _span, _tables, _word_set
from marketgraph.extract.normalize import parse_percent


def _kind_of(text: str) -> str | None:
    low = _fold(text)
    words = set(low.split())
    if words & _word_set("restraint_words"):
        return "Restraint"
    if words & _word_set("driver_words"):
        return "Driver"
    return None


def _cell(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index] or None


def _factors(document: Document, market: Ref | None) -> list[Factor]:
    out: list[Factor] = []
    blocks = document.blocks
    for table in _tables(document):
        header = _cells(document, table[0])
        impact = next((k for k, c in enumerate(header) if re.search(r"impact|cagr", c, re.I)), None)
        if impact is None or impact == 0:
            continue
        kind = _kind_of(header[0])
        if kind is None:
            index = blocks.index(table[0])
            above = next((b for b in reversed(blocks[:index]) if _heading_like(document, b)), None)
            kind = _kind_of(document.block_text(above)) if above is not None else None
        # A mixed table says each row's kind in a column of its own ("| Type | Driver |").
        typed = next(
            (
                k
                for k, c in enumerate(header)
                if k and re.fullmatch(r"(?:factor\s+)?(?:type|kind|nature)", c.strip(), re.I)
            ),
            None,
        )
        if kind is None and typed is None:
            continue
        geo = next(
            (k for k, c in enumerate(header) if re.search(r"geograph|region|relevance", c, re.I)),
            None,
        )
        horizon = next(
            (
                k
                for k, c in enumerate(header)
                if re.search(r"timeline|time ?frame|horizon|term|period", c, re.I)
            ),
            None,
        )
        for row in table[1:]:
            cells = _cells(document, row)
            if len(cells) <= impact or not cells[0]:
                continue
            value = parse_percent(cells[impact])
            if value is None:
                continue
            row_kind = _kind_of(cells[typed]) if typed is not None and len(cells) > typed else None
            row_kind = row_kind or kind
            if row_kind is None:
                continue
            if row_kind == "Restraint" and value > 0 and "+" not in cells[impact]:
                value = -value  # a restraint lowers the CAGR even when the sign is left out
            out.append(
                Factor(
                    kind=row_kind,
                    label=cells[0],
                    impact=value,
                    geography=_cell(cells, geo),
                    horizon=_cell(cells, horizon),
                    market=market,
                    mentions=[_span(document, row.start, row.end)],
                )
            )
    return out


# "*Labour shortages* (impact on CAGR: +2.6%). ..." or "Labour shortages: +2.6% impact on CAGR".
_LISTED_FACTOR = re.compile(
    r"^(?P<label>[^()\n:;]{3,120}?)\s*(?:\(|[:–—-]\s+)\s*(?:est(?:imated|\.)?\s+)?"
    r"(?:(?:impact|effect)\s+on\s+(?:the\s+)?(?:forecast\s+)?CAGR\s*[:=]?\s*"
    r"(?P<before>[+\-−–]?\s*\d+(?:\.\d+)?\s*(?:%|pp\b|percentage\s+points?))"
    r"|(?P<after>[+\-−–]?\s*\d+(?:\.\d+)?\s*(?:%|pp\b|percentage\s+points?))\s+"
    r"(?:impact|effect)\s+on\s+(?:the\s+)?(?:forecast\s+)?CAGR)",
    re.I,
)


def _listed_factors(document: Document, market: Ref | None) -> list[Factor]:
    """Drivers and restraints written as list items that state their impact on the CAGR.

    The kind comes from the nearest heading or lead-in line above the list
    ("**Restraints**", "Key challenges:").
    """
    out: list[Factor] = []
    kind: str | None = None
    for block in document.blocks:
        text = document.block_text(block).strip()
        if block.kind != "item":
            # A heading or short lead-in sets the kind; running prose under it does not.
            if block.kind == "heading" or len(text.split()) <= 12 or text.endswith(":"):
                kind = _kind_of(text)
            continue
        m = _LISTED_FACTOR.match(text)
        if kind is None or m is None:
            continue
        label = m.group("label").strip(" *_\"'")
        figure = m.group("before") or m.group("after")
        value = parse_percent(re.sub(r"pp\b|percentage\s+points?", "%", figure))
        if not label or value is None:
            continue
        if kind == "Restraint" and value > 0 and "+" not in m.group(0):
            value = -value
        out.append(
            Factor(
                kind=kind,
                label=label,
                impact=value,
                geography=None,
                horizon=None,
                market=market,
                mentions=[_span(document, block.start, block.end)],
            )
        )
    return out
