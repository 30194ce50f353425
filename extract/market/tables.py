"""Market sizes, CAGRs and shares stated in tables: by year, as key-value rows, or per segment."""

from __future__ import annotations

import re

from marketgraph.extract.document import Block, Document
from marketgraph.extract.facts import Observation, Ref, Span
from marketgraph.extract.market.figures import _period, _year_after
from marketgraph.extract.market.segments import _Member
from marketgraph.extract.market.subjects import _Resolver
from marketgraph.extract.market.text import _YEAR, _cells, _span, _tables
from marketgraph.extract.normalize import MoneyMatch, find_money, parse_percent

_SIZE_LABEL = re.compile(r"\bmarket\s+(?:size|value|revenue|valuation)\b|^\s*market\s+size", re.I)
_CAGR_LABEL = re.compile(r"\bCAGR\b|\bgrowth\s+rate\b", re.I)
_UNIT_LABEL = re.compile(
    r"\(?\s*(?P<cur>[A-Z]{3}|US\$|\$|€|£)\s*(?P<scale>trillion|billion|million|thousand|bn|mn|tn)"
    r"\b\.?\s*\)?",
    re.I,
)


# "2031", "2031F", "2031 (forecast)", "2025 (est.)": a year, perhaps marked as an estimate.
_YEAR_CELL = re.compile(
    rf"^\s*({_YEAR})\s*(?:[EFP]|\(\s*(?:forecast|projected|projection|estimated?|est\.?|"
    r"actual|base\s+year|[EFP])\s*\))?\s*$",
    re.I,
)
_YEAR_HEADER = re.compile(r"^\s*(?:years?|period|fiscal\s+year)\s*$", re.I)


def _cell_money(label: str, value: str) -> list[MoneyMatch]:
    """The amount a table cell states, taking currency and scale from its label when the
    cell holds a bare number ("| Market Size (USD billion) |" over "| 14.6 |")."""
    money = find_money(value)
    if money:
        return money
    unit = _UNIT_LABEL.search(label)
    number = re.search(r"(\d[\d,]*(?:\.\d+)?)", value)
    if unit is None or number is None:
        return []
    return find_money(f"{unit.group('cur')} {number.group(1)} {unit.group('scale')}")


def _market_size(market: Ref, money: MoneyMatch, year: int | None, span: Span) -> Observation:
    """The market's size in ``year``, as a table row states it."""
    return Observation(
        "MarketSize",
        money.amount,
        market=market,
        currency=money.currency,
        year=year,
        mentions=[span],
    )


def _year_table_figures(document: Document, market: Ref) -> list[Observation]:
    """Market sizes of a table laid out by year, in rows or in columns.

    "| Year | Market Size (USD billion) |" over "| 2025 | 14.6 |", or
    "| Metric | 2025 | 2031 |" over "| Market size (USD million) | 9,842 | 17,655 |".
    """
    out: list[Observation] = []

    def add(label: str, value: str, year: int, row: Block) -> None:
        money = _cell_money(label, value)
        if money:
            out.append(_market_size(market, money[0], year, _span(document, row.start, row.end)))

    for table in _tables(document):
        header = _cells(document, table[0])
        if len(header) < 2:
            continue
        year_columns = {
            k: int(m.group(1))
            for k, label in enumerate(header)
            if k > 0 and (m := _YEAR_CELL.match(label))
        }
        size_columns = [k for k, label in enumerate(header) if k > 0 and _SIZE_LABEL.search(label)]
        if len(year_columns) >= 2:
            # Years across the top: each row whose first cell names the market size.
            for row in table[1:]:
                cells = _cells(document, row)
                if not cells or not _SIZE_LABEL.search(cells[0]):
                    continue
                for k, year in year_columns.items():
                    if k < len(cells):
                        add(cells[0], cells[k], year, row)
        elif size_columns and (_YEAR_HEADER.match(header[0]) or not header[0]):
            # Years down the side: the first cell of each row is the year.
            for row in table[1:]:
                cells = _cells(document, row)
                m = _YEAR_CELL.match(cells[0]) if cells else None
                if m is None:
                    continue
                for k in size_columns:
                    if k < len(cells):
                        add(header[k], cells[k], int(m.group(1)), row)
    return out


def _snapshot_figures(document: Document, market: Ref) -> list[Observation]:
    """Figures of a key-value overview table: "| Market Size (2026) | USD 11.9 Billion |"."""
    out: list[Observation] = []
    for table in _tables(document):
        for row in table:
            cells = _cells(document, row)
            filled = [c for c in cells if c]
            if len(filled) != 2:
                continue
            label, value = filled
            if re.search(r"impact|share|segment|region|country", label, re.I):
                continue
            span = _span(document, row.start, row.end)
            years = [int(y) for y in re.findall(rf"\b{_YEAR}\b", label)]
            if _SIZE_LABEL.search(label):
                money = _cell_money(label, value)
                if not money:
                    continue
                year = years[0] if len(years) == 1 else _year_after(value)
                out.append(_market_size(market, money[0], year, span))
            elif _CAGR_LABEL.search(label) and (percent := parse_percent(value)) is not None:
                start, end = _period(value, label)
                out.append(
                    Observation(
                        "CAGR",
                        percent,
                        market=market,
                        period_start=start,
                        period_end=end,
                        mentions=[span],
                    )
                )
    return out


def _column_figures(document: Document, resolver: _Resolver) -> list[Observation]:
    """Shares and CAGRs of a table with one row per segment or region.

    "| Region | Share of 2025 revenue | ... |" then "| Europe | 19.4% | ... |":
    the header names the measure and its year (or period); the first cell
    of each row names what the figure is about.
    """
    out: list[Observation] = []
    for table in _tables(document):
        header = _cells(document, table[0])
        columns: list[tuple[int, str, tuple[int | None, int | None]]] = []
        for k, label in enumerate(header):
            if k == 0 or re.search(r"impact", label, re.I):
                continue
            if _CAGR_LABEL.search(label):
                columns.append((k, "CAGR", _period(label, label)))
            elif re.search(r"\bshare\b", label, re.I):
                years = re.findall(rf"\b{_YEAR}\b", label)
                columns.append((k, "MarketShare", (int(years[0]) if years else None, None)))
        if not columns:
            continue
        first_figure = min(k for k, _, _ in columns)
        for row in table[1:]:
            cells = _cells(document, row)
            segment = _row_subject(cells[:first_figure], resolver)
            if segment is None:
                continue
            span = _span(document, row.start, row.end)
            for k, measure, (first, last) in columns:
                value = parse_percent(cells[k]) if k < len(cells) else None
                if value is None:
                    continue
                share = measure == "MarketShare"
                out.append(
                    Observation(
                        measure,
                        value,
                        market=resolver.market.ref,
                        segment=segment,
                        year=first if share else None,
                        period_start=None if share else first,
                        period_end=None if share else last,
                        mentions=[span],
                    )
                )
    return out


def _row_subject(labels: list[str], resolver: _Resolver) -> Ref | None:
    """The segment or region a figure row is about, from the cells left of its figures.

    "| Europe | 19.4% |" names it in its only label cell; "| Offering | Software | 31% |"
    files it under its dimension first, so the label nearest the figures is tried first.
    """
    for label in reversed(labels):
        if not label:
            continue
        target = resolver.resolve(label, None)
        segment = target.ref if isinstance(target, _Member) else target
        if isinstance(segment, Ref):
            return segment
    return None
