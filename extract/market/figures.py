"""Market sizes, CAGRs and shares stated in prose, each tied to the market or a segment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from marketgraph.extract.facts import Observation, Ref, Span
from marketgraph.extract.market.clauses import _Clause, _clause, _clauses, _Sentence
from marketgraph.extract.market.segments import _Dimension, _dimension_intro, _Member, _Scheme
from marketgraph.extract.market.subjects import _MARKET, _Resolver
from marketgraph.extract.market.text import _PERCENT, _YEAR, _add_mention, _title, _tokens
from marketgraph.extract.normalize import find_money, parse_percent

_RANGE = re.compile(
    rf"\b({_YEAR})\s*(?:-|–|—|to|until|through|and)\s*({_YEAR})\b(?!\s*(?:-|–)\s*\d)"
)
_PERIOD_END = re.compile(
    rf"\b(?:through|thru|by|till|until|to|up\s+to|ending(?:\s+in)?)\s+(?:the\s+year\s+)?({_YEAR})\b",
    re.I,
)
_POINT_YEAR = re.compile(
    rf"(?:\b(?:in|for|as\s+of|during|by|of|at\s+the\s+end\s+of|end\s+of)\s+"
    rf"(?:the\s+year\s+|fiscal\s+(?:year\s+)?|FY\s?)?|\(|\bFY\s?)({_YEAR})\b(?!\s*(?:-|–)\s*\d)",
    re.I,
)
_CAGR = re.compile(r"\bCAGR\b|compound\s+annual\s+growth\s+rate", re.I)
_SHARE_VERB = re.compile(
    r"\b(?:account(?:s|ed|ing)?\s+for|represent(?:s|ed|ing)?|captur(?:e|es|ed|ing)|"
    r"comprise[sd]?|comprising|constitut(?:e|es|ed|ing)|contribut(?:e|es|ed|ing)|"
    r"(?:made|make|makes|making)\s+up|(?:hold|holds|held|holding)|command(?:s|ed|ing)?)"
    r"(?:\s+(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|"
    r"close\s+to|some|an\s+estimated|a|the))*\s*$",
    re.I,
)
# Money followed by these words is a deal, a budget or a company figure, not a market size.
_NOT_SIZE = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:investments?|funding|round|rounds|raise[sd]?|valuation|deals?|"
    r"acquisitions?|grants?|contracts?|budgets?|loans?|fines?|profits?|loss(?:es)?|"
    r"purchases?|orders?|financing|capital|series)\b",
    re.I,
)
# A spelled-out fraction glossed by the exact figure in parentheses: "two-fifths (39%".
_FRACTION_GLOSS = re.compile(
    r"(?:(?:a|one|two|three|four|seven|nine)[\s-]+)?"
    r"(?:half|thirds?|quarters?|fifths?|eighths?|tenths?)\s*\(\s*$",
    re.I,
)


def _year_after(text: str) -> int | None:
    m = _POINT_YEAR.match(text.lstrip()) or _POINT_YEAR.search(text)
    return int(m.group(1)) if m else None


def _next_number(text: str) -> int:
    """Where the next money amount or percentage starts in ``text`` (its length when none)."""
    cut = len(text)
    p = _PERCENT.search(text)
    if p:
        cut = p.start()
    money = find_money(text)
    if money:
        cut = min(cut, money[0].start)
    return cut


def _intro_year(clause: _Clause) -> int | None:
    m = re.search(rf"\b({_YEAR})\b", clause.intro)
    return int(m.group(1)) if m else None


@dataclass(slots=True)
class _Found:
    measure: str
    value: Decimal
    at: int  # where the figure starts in the sentence's Doc
    currency: str | None = None
    year: int | None = None


def _percent_measure(clause_text: str, at: int, end: int) -> str | None:
    """Whether the percentage at ``clause_text[at:end]`` is a CAGR, a share, or neither."""
    before = clause_text[max(0, at - 60) : at]
    after = clause_text[end : end + 60]
    between_after = after[: _next_number(after)]
    between_before = before[_last_number_end(before) :]
    if re.match(r"^\s*(?:\)|,)?\s*(?:CAGR\b|compound\s+annual\s+growth\s+rate)", after, re.I):
        return "CAGR"
    # "is set to expand at 9% a year through 2030": a yearly growth rate over a period
    if re.match(r"^\s*(?:a|per|each)\s+(?:year|annum)\b|^\s*annually\b", after, re.I) and re.search(
        r"\b(?:grow|expand|advance|rise|climb|increase)\w*\s+(?:at|by)\s+(?:about\s+)?$",
        between_before,
        re.I,
    ):
        return "CAGR"
    if _CAGR.search(between_before[-45:]) and re.search(
        r"(?:CAGR|rate)\s*(?:\(CAGR\))?\s*[,:]?\s*(?:of|at|was|is|stood\s+at|to\s+be)?\s*"
        r"(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|close\s+to)?\s*$",
        between_before,
        re.I,
    ):
        return "CAGR"
    if re.match(r"^\s*(?:\w+\s+){0,6}?(?:market\s+)?share\b", between_after, re.I):
        return "MarketShare"
    # "held the largest share of revenue, 40% in 2025": the figure set off after "share"
    if re.search(
        r"\bshare(?:\s+of\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}?"
        r"(?:market|revenues?|sales|demand|spending))?\s*[,:]\s*$",
        between_before,
        re.I,
    ):
        return "MarketShare"
    if re.search(
        r"\bshare\s*,?\s+(?:of|at|was|is|stood\s+at|reached)\s*"
        r"(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|close\s+to)?\s*$",
        between_before,
        re.I,
    ):
        return "MarketShare"
    # "accounted for nearly a third (32%) of sales": the figure glosses a spelled-out fraction.
    after = re.sub(r"^\s*\)", "", after) if re.search(r"\(\s*$", before) else after
    if _SHARE_VERB.search(_FRACTION_GLOSS.sub("", between_before)) and re.match(
        r"^\s*of\b", after, re.I
    ):
        return "MarketShare"
    if re.match(
        r"^\s*of\s+(?:the\s+)?(?:total\s+|global\s+|overall\s+|worldwide\s+)?"
        r"(?:[\w\-]+\s+){0,5}?(?:market|revenues?|sales|demand|spending|spend)\b",
        after,
        re.I,
    ):
        return "MarketShare"
    return None


def _last_number_end(text: str) -> int:
    last = 0
    for m in _PERCENT.finditer(text):
        last = m.end()
    for money in find_money(text):
        last = max(last, money.end)
    return last


def _period(after: str, clause_text: str) -> tuple[int | None, int | None]:
    m = _RANGE.search(after)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _PERIOD_END.search(after)
    if m:
        return None, int(m.group(1))
    m = _RANGE.search(clause_text)
    if m:
        return int(m.group(1)), int(m.group(2))
    return None, None


def _clause_figures(text: str, clause: _Clause) -> Iterator[tuple[_Found, int | None, int | None]]:
    """The observations one clause states, with the period for a CAGR."""
    if clause.fronted is not None:
        yield from _region_figures(text, clause, *clause.fronted)
    yield from _region_figures(text, clause, clause.subject_end, clause.end_char)


def _region_figures(
    text: str, clause: _Clause, base: int, stop_at: int
) -> Iterator[tuple[_Found, int | None, int | None]]:
    """The observations stated in ``text[base:stop_at]``, a stretch of one clause."""
    body = text[base:stop_at]
    clause_text = text[clause.start_char : clause.end_char]
    offset_in_clause = base - clause.start_char
    for m in _PERCENT.finditer(body):
        value = parse_percent(m.group(0))
        if value is None:
            continue
        at = offset_in_clause + m.start()
        stop = offset_in_clause + m.end()
        measure = _percent_measure(clause_text, at, stop)
        if measure is None:
            continue
        rest = clause_text[stop:]
        if measure == "CAGR":
            start_year, end_year = _period(rest[: _next_percent(rest)], clause_text)
            yield _Found("CAGR", value, base + m.start()), start_year, end_year
        else:
            window = rest[: _next_number(rest)]
            year = _year_after(window) or _intro_year(clause)
            yield _Found("MarketShare", value, base + m.start(), year=year), None, None
    previous_end = -1
    reference = _intro_year(clause)  # the year "a year earlier" counts back from
    for money in find_money(body):
        if money.per_share:
            continue
        tail = body[money.end :]
        # A converted amount in brackets ("EUR 5 billion (USD 5.4 billion)") is the same figure.
        if previous_end >= 0 and re.fullmatch(r"\s*\(\s*", body[previous_end : money.start]):
            previous_end = money.end
            continue
        previous_end = money.end
        if _NOT_SIZE.match(tail):
            continue
        window = tail[: _next_number(tail)]
        year = _year_after(window) or _intro_year(clause)
        back = _YEARS_EARLIER.match(window)
        if back and reference is not None:
            count = back.group(1).lower()
            year = reference - (int(count) if count.isdigit() else _COUNT_WORDS[count])
        found = _Found(
            "MarketSize", money.amount, base + money.start, currency=money.currency, year=year
        )
        reference = year if year is not None else reference
        yield found, None, None


# "USD 4 billion, up from USD 3 billion a year earlier": a year relative to the figure before.
_YEARS_EARLIER = re.compile(
    r"^\W*(a|one|two|three|\d)\s+years?\s+(?:earlier|before|previously|prior)\b", re.I
)
_COUNT_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3}


def _next_percent(text: str) -> int:
    p = _PERCENT.search(text)
    return p.start() if p else len(text)


def _merge(observations: list[Observation], new: Observation) -> None:
    """Add ``new``, or fold it into a statement of the same fact made elsewhere."""
    for old in observations:
        if (old.measure, old.value, old.segment, old.currency, old.market) != (
            new.measure,
            new.value,
            new.segment,
            new.currency,
            new.market,
        ):
            continue
        pairs = (
            (old.year, new.year),
            (old.period_start, new.period_start),
            (old.period_end, new.period_end),
        )
        if any(a is not None and b is not None and a != b for a, b in pairs):
            continue
        old.year = old.year if old.year is not None else new.year
        old.period_start = old.period_start if old.period_start is not None else new.period_start
        old.period_end = old.period_end if old.period_end is not None else new.period_end
        for span in new.mentions:
            _add_mention(old.mentions, span)
        return
    observations.append(new)


_SIZES_MARKET = re.compile(
    r"^\s*(?:\w+\s+)?(?:sizes?|sized|values?|valued|estimates?|estimated|puts?|pegs?|pegged|"
    r"places?|placed)\s+(?:the\s+)?(?:[\w\-]+\s+){0,6}?market(?:\s+size)?\s+at\s*$",
    re.I,
)
# "The firm expects the market to expand at a CAGR of ...": the market is the verb's object.
_EXPECTS_MARKET = re.compile(
    r"^\s*(?:\w+\s+)?(?:expects?|projects?|forecasts?|anticipates?|predicts?|sees?)\s+"
    r"(?:the\s+)?(?:[\w\-]+\s+){0,6}?market\s+(?:to|will)\s+[^,;:]{0,80}$",
    re.I,
)
_PRONOUNS = {"it", "this", "that", "these", "those", "they", "which", "its", "their", "such"}
# A forecaster's verb whose object pronoun stands for the subject of the clause before:
# "..., and the firm projects it to hit USD 9 billion", "analysts see it reaching".
_PROJECTS_IT = re.compile(
    r"^\s*(?:\w+\s+)?(?:projects?|projected|expects?|expected|forecasts?|sees?|predicts?|"
    r"estimates?|estimated)\s+(?:it|them)\s+(?:to\s+)?(?:[\w-]+\s+){0,2}(?:at\s+)?$",
    re.I,
)


def _new_member(dim: _Dimension, subject: str, span: Span) -> _Member | None:
    """A segment named by a clause's subject, for a dimension the report does not list."""
    words = _tokens(subject)
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words or len(words) > 6 or words[0].lower() in _PRONOUNS:
        return None
    name = re.sub(r"^(?:the|a|an)\s+", "", subject.strip(), flags=re.I)
    return dim.add(_title(name), span)


def _observations(
    sentences: list[_Sentence], resolver: _Resolver, scheme: _Scheme
) -> list[Observation]:
    out: list[Observation] = []
    market_ref = resolver.market.ref
    for sentence in sentences:
        text = sentence.sent.doc.text
        context = sentence.context
        previous: object | _Member | Ref | None = None
        for a, b in _clauses(sentence.sent):
            clause = _clause(sentence.sent, a, b)
            named = _dimension_intro(clause.intro)
            if named:
                # "By resin type, epoxy held ..., while acrylic ...": the dimension holds for
                # every clause of the sentence.
                context = scheme.dimension(named, False, sentence.span)
            figures = list(_clause_figures(text, clause))
            if not figures:
                continue
            target = resolver.resolve(clause.subject, context)
            gap = text[clause.subject_end : min(f[0].at for f in figures)]
            if target is None and (_SIZES_MARKET.match(gap) or _EXPECTS_MARKET.match(gap)):
                target = _MARKET  # "Analysts size the market at USD 5 billion"
            if target is None and previous is not None and _PROJECTS_IT.match(gap):
                target = previous  # "..., and analysts expect it to reach USD 9 billion"
            if (
                target is None
                and previous is not None
                and clause.subject.strip().lower() in ("it", "they")
            ):
                target = previous  # "...; it is set to grow at 8% a year": the same subject
            if target is None and context is not None and not context.listed and not context.geo:
                target = _new_member(context, clause.subject, sentence.span)
            if target is None:
                continue
            previous = target
            segment: Ref | None = None
            if isinstance(target, _Member):
                segment = target.ref
                _add_mention(target.mentions, sentence.span)
            elif isinstance(target, Ref):
                segment = target
            for found, start_year, end_year in figures:
                about = segment
                if found.measure == "MarketShare" and about is None:
                    # A share is of a part: "The market was led by epoxy, with a 45% share".
                    about = resolver.named_in(text[clause.subject_end : found.at], context)
                    if about is None:
                        continue
                obs = Observation(
                    measure=found.measure,
                    value=found.value,
                    market=market_ref,
                    currency=found.currency,
                    segment=about,
                    year=found.year,
                    period_start=start_year,
                    period_end=end_year,
                    mentions=[sentence.span],
                )
                _merge(out, obs)
    return out
