"""Tests for the money, date and percentage normalizers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketgraph.errors import InputError
from marketgraph.extract.normalize import (
    currency_code,
    find_dates,
    find_money,
    parse_date,
    parse_money,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("USD 17 billion", "17000000000", "USD"),
        ("$1.7bn", "1700000000", "USD"),
        ("EUR 7 million", "7000000", "EUR"),
        ("EUR9m", "9000000", "EUR"),
        ("€43 million", "43000000", "EUR"),
        ("£7m", "7000000", "GBP"),
        ("US$ 2.5 million", "2500000", "USD"),
        ("C$7.5 million", "7500000", "CAD"),
        ("47.9 mln N.Z. dlrs", "47900000", "NZD"),
        ("95 mln dlrs", "95000000", "USD"),
        ("1.9 bln U.S. dlrs", "1900000000", "USD"),
        ("1,270,000 Canadian dollars", "1270000", "CAD"),
        ("Rs 700 crore", "7000000000", "INR"),
        ("8 lakh rupees", "800000", "INR"),
        ("173 mln marks", "173000000", "DEM"),
        ("41 mln dms", "41000000", "DEM"),
        ("7 mln Swiss francs", "7000000", "CHF"),
        ("310 mln French francs", "310000000", "FRF"),
        ("23 mln stg", "23000000", "GBP"),
        ("6 billion yen", "6000000000", "JPY"),
        ("2 billion Swedish crowns", "2000000000", "SEK"),
        ("19 billion USD", "19000000000", "USD"),
    ],
)
def test_parse_money_forms(text: str, amount: str, currency: str) -> None:
    assert parse_money(text) == (Decimal(amount), currency)


def test_parse_money_needs_a_currency() -> None:
    assert parse_money("sales of 95 mln last year") is None


def test_parse_money_reads_fractions_of_wire_copy() -> None:
    assert parse_money("12-1/2 dlrs") == (Decimal("12.5"), "USD")


def test_find_money_flags_per_share_prices() -> None:
    found = find_money("offered 31 dlrs a share, or about 240 mln dlrs, for Quillon Corp")
    assert [(m.amount, m.per_share) for m in found] == [
        (Decimal(31), True),
        (Decimal(240_000_000), False),
    ]


def test_find_money_spans_cover_the_expression() -> None:
    text = "paid $3.7 billion in cash"
    (match,) = find_money(text)
    assert text[match.start : match.end] == "$3.7 billion"


def test_find_money_one_letter_scale_must_be_glued() -> None:
    assert parse_money("$9 m") == (Decimal(9), "USD")
    assert parse_money("$9m") == (Decimal(9_000_000), "USD")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("N.Z. dlrs", "NZD"),
        ("Canadian dollars", "CAD"),
        ("dollars", "USD"),
        ("€", "EUR"),
        ("usd", "USD"),
        ("pounds sterling", "GBP"),
        ("Belgian francs", "BEF"),
        ("Martian dollars", None),
        ("widgets", None),
    ],
)
def test_currency_code_forms(text: str, code: str | None) -> None:
    assert currency_code(text) == code


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("November 2027", "2027-11"),
        ("Nov. 7, 2027", "2027-11-07"),
        ("7 November 2027", "2027-11-07"),
        ("Sept. 30, 2024", "2024-09-30"),
        ("2027-11-07", "2027-11-07"),
        ("2027", "2027"),
        ("Q3 2027", "2027"),
        ("the second half of 2025", "2025"),
    ],
)
def test_parse_date_forms(text: str, value: str) -> None:
    assert parse_date(text) == value


def test_parse_date_month_without_year_uses_default() -> None:
    assert parse_date("closed in March") is None
    assert parse_date("closed in March", default_year=2024) == "2024-03"
    assert parse_date("signed on March 4", default_year=2024) == "2024-03-04"


def test_parse_date_lower_case_may_is_not_a_month() -> None:
    assert parse_date("the deal may close soon", default_year=2024) is None


def test_parse_date_rejects_impossible_days() -> None:
    assert parse_date("February 30, 2027") == "2027"


def test_parse_date_ignores_numbers_that_only_look_like_years() -> None:
    assert parse_date("sold 1,987 units") is None


def test_find_dates_in_order_of_position() -> None:
    found = find_dates("agreed in June 2023 and closed on Jan. 5, 2024")
    assert [d.value for d in found] == ["2023-06", "2024-01-05"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("13.75%", "13.75"),
        ("-4.25%", "-4.25"),
        ("(−4.25%)", "-4.25"),
        ("+7 pct", "7"),
        ("4 percent", "4"),
        ("up 1.9 percentage points", "1.9"),
    ],
)
def test_parse_percent_signed(text: str, value: str) -> None:
    assert parse_percent(text) == Decimal(value)


def test_parse_percent_none_without_percentage() -> None:
    assert parse_percent("grew by 13 mln") is None


def test_normalizers_reject_non_text() -> None:
    with pytest.raises(InputError, match="must be a str"):
        parse_money(12)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["In Q3 2025, demand rose", "H2 2025 was slow", "fiscal 2025"])
def test_find_dates_quarter_or_half_gives_the_year_only(text):
    assert [d.value for d in find_dates(text, 2024)] == ["2025"]
