"""Normalizers: money, dates and percentages as written -> typed values.

Reports and news items write the same value many ways ("USD 17 billion",
"$14bn", "14,000 mln dlrs"); the graph stores one form: a
:class:`~decimal.Decimal` in whole units with an ISO 4217 code, an ISO 8601
date as precise as the text, a signed percentage. The currency surface forms
live in ``data/currencies.json`` (symbols, codes, words with country
qualifiers, the abbreviations of wire-service copy such as "dlrs" or "stg").

>>> parse_money("USD 17 billion")
(Decimal('17000000000'), 'USD')
>>> parse_date("Nov. 7, 2027")
'2027-11-07'
>>> parse_percent("-4.25%")
Decimal('-4.25')
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from marketgraph.errors import InputError

__all__ = [
    "DateMatch",
    "MoneyMatch",
    "currency_code",
    "find_dates",
    "find_money",
    "parse_date",
    "parse_money",
    "parse_percent",
]

_SCALES: dict[str, int] = {
    "thousand": 10**3,
    "thousands": 10**3,
    "k": 10**3,
    "lakh": 10**5,
    "lakhs": 10**5,
    "lac": 10**5,
    "million": 10**6,
    "millions": 10**6,
    "mln": 10**6,
    "mn": 10**6,
    "mio": 10**6,
    "mil": 10**6,
    "m": 10**6,
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "billion": 10**9,
    "billions": 10**9,
    "bln": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "trillions": 10**12,
    "tln": 10**12,
    "trn": 10**12,
    "tn": 10**12,
}
# One-letter scales only count when glued to the number ("$3m"), so that a
# stray "m" or "b" after a space is not read as a multiplier.
_GLUED_ONLY = {"k", "m", "b"}

_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:[- ](?P<fn>\d)/(?P<fd>\d{1,2}))?"
_SCALE = (
    r"(?:(?P<glued>(?i:"
    + "|".join(sorted(_SCALES, key=len, reverse=True))
    + r"))\b|\s*(?P<spaced>(?i:"
    + "|".join(sorted(set(_SCALES) - _GLUED_ONLY, key=len, reverse=True))
    + r"))\b)?"
)


@dataclass(frozen=True, slots=True)
class MoneyMatch:
    """A money expression found in a text: its value and where it was written.

    ``per_share`` is True when the text goes on "a share" / "per share", a
    price per unit rather than a total.
    """

    amount: Decimal
    currency: str
    start: int
    end: int
    per_share: bool = False


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text: ISO 8601 value (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

    value: str
    start: int
    end: int


@cache
def _table() -> dict:
    path = resources.files("marketgraph.extract") / "data" / "currencies.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _word_index() -> dict[str, tuple[str, dict[str, str]]]:
    """Every currency word form (lower case) -> (default code, qualifier map)."""
    table = _table()
    index: dict[str, tuple[str, dict[str, str]]] = {}
    for word, spec in table["words"].items():
        entry = (spec["default"], spec["qualifiers"])
        index[word] = entry
        for form in table["word_forms"].get(word, []):
            index[form] = entry
    return index


def _alternation(items: list[str]) -> str:
    # Longest first, so "US$" wins over "$" and "new zealand" over "zealand".
    return "|".join(re.escape(x) for x in sorted(set(items), key=len, reverse=True))


@cache
def _money_pattern() -> re.Pattern[str]:
    table = _table()
    codes = _alternation(table["codes"])
    prefixes = _alternation(list(table["prefixes"]))
    qualifiers = _alternation([q for spec in table["words"].values() for q in spec["qualifiers"]])
    words = _alternation(list(_word_index()))
    before = rf"(?:(?P<pre>{prefixes})|\b(?P<precode>{codes}))\s?{_NUMBER}{_SCALE}"
    # "39.3 mln N.Z. dlrs": number, scale, optional qualifier, word or code.
    after = (
        rf"(?<![\w.]){_NUMBER.replace('?P<', '?P<a_')}{_SCALE.replace('?P<', '?P<a_')}"
        rf"\s+(?:(?P<qual>(?i:{qualifiers}))\s+)?"
        rf"(?:(?P<word>(?i:{words}))|(?P<code>{codes}))(?![\w$])"
        # "in 2027 USD 17 billion": the code belongs to the number after it.
        r"(?!\s?[$€£¥]?\d)"
    )
    return re.compile(rf"{before}|{after}")


_PER_SHARE = re.compile(
    r"\s*(?:(?:in )?cash\s+)?(?:(?:a|per)\s+(?:\w+\s+){0,3}?(?:share|unit|ads)s?\b|each\b)", re.I
)


def _check_text(text: object, name: str = "text") -> str:
    if not isinstance(text, str):
        raise InputError(f"{name} must be a str, got {type(text).__name__}; pass the text itself")
    return text


def _number(num: str, frac_n: str | None, frac_d: str | None, scale: str | None) -> Decimal:
    value = Decimal(num.replace(",", ""))
    if frac_n and frac_d and int(frac_d):
        value += Decimal(frac_n) / Decimal(frac_d)
    if scale:
        value *= _SCALES[scale.lower()]
    if value == value.to_integral_value():
        return value.to_integral_value()
    return value.normalize()


def currency_code(text: str) -> str | None:
    """The ISO 4217 code a currency surface form stands for, or None.

    Accepts codes ("usd"), symbols ("€", "US$"), words and their
    abbreviations with an optional country qualifier ("N.Z. dlrs",
    "Swiss francs", "stg").

    >>> currency_code("Canadian dollars")
    'CAD'
    """
    text = " ".join(_check_text(text).split())
    if not text:
        return None
    table = _table()
    if text.upper() in table["codes"]:
        return text.upper()
    if text in table["prefixes"]:
        return table["prefixes"][text]
    words = text.lower().split()
    index = _word_index()
    # The currency word is the tail ("dlrs", "pounds sterling"); what precedes it qualifies it.
    for cut in range(len(words)):
        word, qualifier = " ".join(words[cut:]), " ".join(words[:cut])
        if word in index:
            default, qualifiers = index[word]
            return qualifiers.get(qualifier) if qualifier else default
    return None


def find_money(text: str) -> list[MoneyMatch]:
    """Every money expression in ``text``, in order of position.

    Numbers without a currency ("95 mln") are not money and are skipped.

    >>> found = find_money("31 dlrs a share, or 240 mln dlrs")
    >>> [(m.amount, m.currency, m.per_share) for m in found]
    [(Decimal('31'), 'USD', True), (Decimal('240000000'), 'USD', False)]
    """
    _check_text(text)
    table = _table()
    found: list[MoneyMatch] = []
    for m in _money_pattern().finditer(text):
        g = m.groupdict()
        try:
            if g["num"] is not None:
                currency = table["prefixes"].get(g["pre"]) if g["pre"] else g["precode"]
                amount = _number(g["num"], g["fn"], g["fd"], g["glued"] or g["spaced"])
            else:
                if g["word"]:
                    default, qualifiers = _word_index()[g["word"].lower()]
                    qual = g["qual"]
                    currency = qualifiers.get(qual.lower(), default) if qual else default
                else:
                    currency = g["code"]
                scale = g["a_glued"] or g["a_spaced"]
                amount = _number(g["a_num"], g["a_fn"], g["a_fd"], scale)
        except InvalidOperation:
            continue
        if currency is None:
            continue
        per_share = bool(_PER_SHARE.match(text, m.end()))
        found.append(MoneyMatch(amount, currency, m.start(), m.end(), per_share))
    return found


def parse_money(text: str) -> tuple[Decimal, str] | None:
    """The first money expression in ``text`` as (amount in whole units, ISO code), or None.

    >>> parse_money("47.9 mln N.Z. dlrs")
    (Decimal('47900000'), 'NZD')
    >>> parse_money("Rs 700 crore")
    (Decimal('7000000000'), 'INR')
    """
    found = find_money(text)
    return (found[0].amount, found[0].currency) if found else None


_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Capitalised only: lower-case "may" and "march" are usually verbs.
_MONTH = (
    r"(?P<month>"
    + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
    + r"|"
    + "|".join(sorted((m.upper() for m in _MONTHS if len(m) > 3), key=len, reverse=True))
    + r")\b\.?"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d,.]\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# A month with no year is only a date after a word that introduces one.
_LEAD = (
    r"(?:\b(?:in|on|since|by|until|till|through|during|from|of|early|late|mid|end"
    r"|last|this|next|before|after)\b[\s-]+)"
)

_DATE_PATTERNS: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)(?:-(?P<day>[0-3]\d))?\b"), False),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}"), False),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"), False),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}"), False),
    (
        re.compile(
            rf"\b(?:[QH][1-4]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+"
            rf"(?:quarter|half)(?:\s+of)?|FY|fiscal(?:\s+year)?)\s*'?{_YEAR}",
            re.I,
        ),
        False,
    ),
    (re.compile(rf"\b{_YEAR}\b"), False),
    (re.compile(rf"{_LEAD}{_MONTH}\s+{_DAY}\b(?!\s*(?:%|pct|percent|mln|million))"), True),
    (re.compile(rf"{_LEAD}{_MONTH}(?!\s*\d)"), True),
]


def _date_value(g: dict[str, str | None], default_year: int | None) -> str | None:
    year = int(g["year"]) if g.get("year") else default_year
    if year is None:
        return None
    month = None
    if g.get("mnum"):
        month = int(g["mnum"])
    elif g.get("month"):
        month = _MONTHS[g["month"].lower()]
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if not g.get("day"):
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, int(g["day"])).isoformat()
    except ValueError:
        return None


def find_dates(text: str, default_year: int | None = None) -> list[DateMatch]:
    """Every date in ``text``, in order of position, each as precise as written.

    A month or month-and-day with no year takes ``default_year`` (and is
    skipped without one). Quarters and halves give their year.

    >>> [d.value for d in find_dates("signed on March 4 and closed in Q2 2025", 2025)]
    ['2025-03-04', '2025']
    """
    _check_text(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for pattern, needs_year in _DATE_PATTERNS:
        if needs_year and default_year is None:
            continue
        for m in pattern.finditer(text):
            start = m.start("month") if "month" in m.groupdict() and m.group("month") else m.start()
            if any(s < m.end() and start < e for s, e in taken):
                continue
            value = _date_value(m.groupdict(), default_year)
            if value is None:
                continue
            taken.append((start, m.end()))
            found.append(DateMatch(value, start, m.end()))
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str, default_year: int | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601 ("2026", "2026-02", "2026-02-03"), or None.

    >>> parse_date("November 2027")
    '2027-11'
    >>> parse_date("in March", default_year=2025)
    '2025-03'
    """
    found = find_dates(text, default_year)
    return found[0].value if found else None


_PERCENT = re.compile(
    r"(?P<sign>[+\-−–])?\s?(?P<num>\d+(?:\.\d+)?)\s?"
    r"(?:%|(?i:pct|percent|per\s?cent|percentage\s+points?|pp)\b)"
)


def parse_percent(text: str) -> Decimal | None:
    """The first percentage in ``text`` as a signed Decimal (12.75 means 12.75 %), or None.

    >>> parse_percent("grew 13.75 pct")
    Decimal('13.75')
    >>> parse_percent("(−4.25%)")
    Decimal('-4.25')
    """
    m = _PERCENT.search(_check_text(text))
    if m is None:
        return None
    value = Decimal(m.group("num"))
    if m.group("sign") and m.group("sign") != "+":
        value = -value
    return value
