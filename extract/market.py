"""Market structure and numbers: the market a report covers and what it says of it.

:func:`extract_market` reads one report and adds to its :class:`ReportFacts`:

- the **market** (from the title, a heading or the first sentences:
  "Widget Coating Market Size and Share" gives "Widget Coating"), its named
  **leaders** and the **dimensions** it is cut by;
- **segments** of each dimension, from a segmentation table ("| By Resin
  Type | Epoxy |"), a "segmented by Resin Type (Epoxy, Acrylic), ..."
  sentence, or "By resin type, epoxy held ..." statements; the members of a
  geography dimension are regions, not segments;
- **observations**: market size with its year, CAGR with its period and
  market share with its year, each for the whole market or one segment or
  region, read from the clause that states it;
- **growth factors**: the rows of a driver or restraint impact table.

The rules rest on generic market-report phrasing; the words they use live in
``data/segments.json``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from marketgraph.extract.document import Block, Document
from marketgraph.extract.entities import (
    canonical_org_name,
    is_suffix,
    legal_name,
    short_alias,
)
from marketgraph.extract.facts import Factor, Observation, Ref, ReportFacts, Span
from marketgraph.extract.normalize import find_money, parse_percent
from marketgraph.extract.regions import gazetteer, table_parents

__all__ = ["extract_market", "market_name"]


@cache
def _words() -> dict:
    path = resources.files("marketgraph.extract") / "data" / "segments.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _word_set(key: str) -> frozenset[str]:
    return frozenset(_words()[key])


# --------------------------------------------------------------------------- small text helpers

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_YEAR = r"(?:19|20)\d{2}"
_PERCENT = re.compile(r"(?<![\d.])[+\-−–]?\d+(?:\.\d+)?\s?(?:%|percent\b|per\s?cent\b)", re.I)
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
_BOUNDARY_WORDS = {"while", "whereas", "although", "though"}


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


# --------------------------------------------------------------------------- the market


_MARKET_IN_TITLE = re.compile(
    r"^\s*(?:the\s+)?(?:global\s+|worldwide\s+)?(?P<name>.+?)\s+markets?\b", re.I
)
_MARKET_IN_SENTENCE = re.compile(
    r"\b[Tt]he\s+(?:global\s+|worldwide\s+)?(?P<name>[\w\-&/ ]{2,80}?)\s+market\s+"
    r"(?:size\s+)?(?:is|was|will|has|had|stood|stands|reached|valued|accounted|grew|"
    r"expected|estimated|projected)\b"
)


def market_name(document: Document) -> str | None:
    """The name of the market a report covers, without the word "Market" and what follows.

    Looks at the title, then the headings, then the first paragraphs
    ("The widget coating market size is ..."). Returns None when none names
    a market.

    >>> from marketgraph.extract.document import Document
    >>> market_name(Document("r.txt", "", "", "txt", title="Global Widget Coating Market Report"))
    'Widget Coating'
    """
    candidates: list[str] = []
    if document.title:
        candidates.append(document.title)
    candidates += [document.block_text(b) for b in document.blocks if b.kind == "heading"][:5]
    for text in candidates:
        m = _MARKET_IN_TITLE.match(text)
        if m and _tokens(m.group("name")):
            return m.group("name").strip(" -:,")
    for block in document.blocks[:12]:
        if block.kind != "paragraph":
            continue
        m = _MARKET_IN_SENTENCE.search(document.block_text(block))
        if m:
            return _title(m.group("name").strip())
    return None


@dataclass(slots=True)
class _Market:
    ref: Ref
    folded: list[str]  # the name's words, lower case
    acronyms: set[str]  # all-capital words of the name ("AI")

    def strip(self, words: list[str]) -> tuple[list[str], bool]:
        """``words`` without the market's name (or an acronym spelled out); whether it was there."""
        low = [w.lower() for w in words]
        n = len(self.folded)
        found = False
        i = 0
        out: list[str] = []
        while i < len(words):
            if n and low[i : i + n] == self.folded:
                found = True
                i += n
                continue
            # "artificial intelligence" for "AI": the initials spell an acronym of the name.
            expanded = False
            for acronym in self.acronyms:
                k = len(acronym)
                chunk = words[i : i + k]
                if len(chunk) == k and "".join(w[0] for w in chunk).upper() == acronym:
                    rest = low[i + k : i + k + n - 1]
                    if rest == self.folded[1 : len(rest) + 1] and rest:
                        found = True
                        i += k + len(rest)
                        expanded = True
                        break
            if expanded:
                continue
            out.append(words[i])
            i += 1
        return out, found


# --------------------------------------------------------------------------- segmentation


@dataclass(slots=True)
class _Member:
    name: str
    ref: Ref
    words: list[str]  # as written, for matching
    aliases: set[str] = field(default_factory=set)
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class _Dimension:
    name: str
    geo: bool
    listed: bool  # members come from a table or a "segmented by" list
    aliases: set[str] = field(default_factory=set)
    members: list[_Member] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    @property
    def ref(self) -> Ref:
        return Ref("dimension", self.name)

    def words(self) -> set[str]:
        out = {w.lower() for w in _tokens(self.name)}
        for alias in self.aliases:
            out |= {w.lower() for w in _tokens(alias)}
        return out - {"by"}

    def member(self, name: str) -> _Member | None:
        key = _fold(name)
        for m in self.members:
            if _fold(m.name) == key or key in {_fold(a) for a in m.aliases}:
                return m
        return None

    def add(self, name: str, span: Span | None) -> _Member:
        name = name.strip(" .;:,")
        found = self.member(name)
        if found is None:
            ref = _region_ref(name) if self.geo else Ref("segment", name, scope=self.name)
            found = _Member(name, ref, _tokens(name))
            self.members.append(found)
        if span is not None:
            _add_mention(found.mentions, span)
        return found


def _dimension_name(text: str) -> str:
    text = re.sub(r"^\s*by\s+", "", text.strip(), flags=re.I).strip(" :,.")
    return _title(text)


def _is_geo(name: str) -> bool:
    return bool({w.lower() for w in _tokens(name)} & _word_set("geography_dimensions"))


@dataclass(slots=True)
class _Scheme:
    dimensions: list[_Dimension] = field(default_factory=list)

    def find(self, name: str) -> _Dimension | None:
        """The dimension called ``name``, also when one name's words include the other's."""
        words = {w.lower() for w in _tokens(name)} - {"by"}
        if not words:
            return None
        for dim in self.dimensions:
            if _fold(dim.name) == _fold(name) or _fold(name) in {_fold(a) for a in dim.aliases}:
                return dim
        for dim in self.dimensions:
            own = {w.lower() for w in _tokens(dim.name)}
            if words <= own or own <= words or (dim.geo and _is_geo(name)):
                return dim
        return None

    def dimension(self, name: str, listed: bool, span: Span | None) -> _Dimension:
        dim = self.find(name)
        if dim is None:
            dim = _Dimension(_dimension_name(name), _is_geo(name), listed)
            self.dimensions.append(dim)
        elif _fold(dim.name) != _fold(_dimension_name(name)):
            dim.aliases.add(_dimension_name(name))
        if span is not None:
            _add_mention(dim.mentions, span)
        return dim


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


_BY_CELL = re.compile(r"^\s*by\s+(\S.*)$", re.I)


def _dimension_tables(document: Document, scheme: _Scheme) -> None:
    """Dimensions and members from a "| Dimension | Segments |" table, one dimension a row."""
    for table in _tables(document):
        header = [c.lower() for c in _cells(document, table[0])]
        if len(header) < 2 or not re.search(r"segment|categor|members|types|classes", header[1]):
            continue
        if not re.search(r"dimension|segmentation|categor|criteri|\bby\b|type", header[0]):
            continue
        for row in table[1:]:
            cells = _cells(document, row)
            if len(cells) < 2 or not cells[0] or not cells[1]:
                continue
            items = [i.strip() for i in re.split(r";|,", cells[1]) if i.strip()]
            span = _span(document, row.start, row.end)
            by = _BY_CELL.match(cells[0])
            dim = scheme.dimension(by.group(1) if by else cells[0], True, span)
            dim.listed = True
            for item in items:
                item = re.sub(r"^(?:and|or)\s+", "", item, flags=re.I)
                if len(_tokens(item)) <= 8:
                    dim.add(item, span)


def _segmentation_tables(document: Document, scheme: _Scheme) -> None:
    """Dimensions and members from "| By Resin Type | Epoxy |" rows and the rows under them."""
    rows = [row for table in _tables(document) for row in table]
    current: _Dimension | None = None
    for row in rows:
        cells = [c for c in _cells(document, row) if c]
        if not cells:
            continue
        span = _span(document, row.start, row.end)
        m = _BY_CELL.match(cells[0])
        if m:
            current = scheme.dimension(m.group(1), True, span)
            current.listed = True
            cells = cells[1:]
        elif row.header or _PERCENT.search(" ".join(cells)):
            current = None
            continue
        if current is None:
            continue
        for cell in cells:
            for item in (i.strip() for i in cell.split(";")):
                if item and len(_tokens(item)) <= 8:
                    current.add(item, span)


_SEGMENTED_BY = re.compile(
    r"\b(?:segmented|(?:segment|split|divide|track|categori[sz]e|classifie|break)(?:s|d|ed)?"
    r"(?:\s+down)?\s+(?:the|this|its)\s+[\w\s-]{0,60}?(?:market|industry|sector))\s+"
    r"(?:by|into|based\s+on|on\s+the\s+basis\s+of)\s+(?P<rest>.+)",
    re.I | re.S,
)
_GROUP = re.compile(r"(?P<dim>[A-Za-z][\w\-&/ ]*?)\s*\((?P<items>[^()]+)\)")


def _list_items(text: str, final_and: bool = False) -> list[str]:
    """Split "A, B, and C" at commas; a lone "A and B" splits at "and".

    With ``final_and``, "A, B and C" also splits its last part at "and" (right for
    lists of names, wrong for segments such as "Rail and Road").
    """
    parts = [p.strip() for p in re.split(r",|;", text) if p.strip()]
    if len(parts) == 1 or (final_and and not re.match(r"(?:and|&)\s", parts[-1])):
        last = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", parts[-1]) if p.strip()]
        parts = parts[:-1] + last
    out = []
    for p in parts:
        p = re.sub(r"^(?:and|or|&)\s+", "", p, flags=re.I).strip(" .")
        p = re.sub(r"\s+(?:etc|among others|and others)\.?$", "", p, flags=re.I)
        if p:
            out.append(p)
    return out


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(_fold(a), _fold(b)) >= 85


_INTO = re.compile(
    r"\bsegmented\s+(?:(?:by|based\s+on|on\s+the\s+basis\s+of)\s+(?P<dim>[\w\-&/ ]+?)\s+)?"
    r"into\s+(?P<items>[^.;:()]+)",
    re.I,
)


def _add_listed(scheme: _Scheme, dim_text: str, items: list[str], span: Span) -> None:
    """Record a listed dimension; a list of one the scheme has only adds names to it."""
    known = scheme.find(dim_text)
    if known is not None and known.listed and known.members:
        if _fold(known.name) != _fold(_dimension_name(dim_text)):
            known.aliases.add(_dimension_name(dim_text))
        _add_mention(known.mentions, span)
        for item in items:
            # A second list of the same dimension may misspell or shorten a name.
            member = known.member(item) or next(
                (x for x in known.members if _similar(x.name, item)), None
            )
            if member is not None:
                if _fold(member.name) != _fold(item):
                    member.aliases.add(item)
                _add_mention(member.mentions, span)
        return
    dim = scheme.dimension(dim_text, True, span)
    dim.listed = True
    for item in items:
        dim.add(item, span)


def _segmented_sentences(document: Document, scheme: _Scheme) -> None:
    """Dimensions and members from "segmented by Resin (Epoxy, Acrylic), and Geography (...)"

    or "By resin type, the market is segmented into epoxy, acrylic and polyurethane".
    """
    for block in document.blocks:
        if block.kind not in ("paragraph", "item"):
            continue
        text = document.block_text(block)
        m = _SEGMENTED_BY.search(text)
        if not m:
            continue
        base = block.start + m.start("rest")
        groups = list(_GROUP.finditer(m.group("rest")))
        for g in groups:
            dim_text = re.sub(r"^(?:(?:and|by)\s+)+", "", g.group("dim").strip(), flags=re.I)
            dim_text = " ".join(dim_text.split())
            if not _tokens(dim_text):
                continue
            span = _span(document, base + g.start(), base + g.end())
            items = _list_items(g.group("items"))
            # Currency or unit notes ("in Terms of Value (USD)") are not dimensions.
            if len(items) < 2 and not _is_geo(dim_text):
                continue
            _add_listed(scheme, dim_text, items, span)
        if groups:
            continue
        into = _INTO.search(text)
        if into is None:
            continue
        stop = text.rfind(". ", 0, into.start())
        sentence_start = 0 if stop < 0 else stop + 2
        dim_text = into.group("dim") or _dimension_intro(text[sentence_start : into.start()])
        if not dim_text:
            continue
        raw = re.sub(r"\s+(?:sub-?)?segments?\s*$", "", into.group("items").strip(), flags=re.I)
        items = [_title(i) if i.islower() else i for i in _list_items(raw)]
        if len(items) >= 2:
            span = _span(document, block.start + sentence_start, block.start + into.end())
            _add_listed(scheme, dim_text, items, span)


# --------------------------------------------------------------------------- sentences and clauses


@dataclass(slots=True)
class _Sentence:
    span: Span  # offsets into document.text
    sent: SpacySpan
    offset: int  # document offset of the sentence's Doc
    context: _Dimension | None  # the dimension the section above is about


def _unit_map(units: Iterable[tuple[Doc, int]]) -> dict[int, Doc]:
    return {offset: doc for doc, offset in units}


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


_BY_HEADING = re.compile(
    r"^\s*(?:by|based\s+on|in\s+terms\s+of|on\s+the\s+basis\s+of|with\s+respect\s+to)\s+"
    r"(?P<dim>.+?)\s*(?::|,|\s[-–—]\s|[–—]|$)",
    re.I,
)


def _dimension_intro(text: str) -> str | None:
    """The dimension an intro or heading names ("By resin type," -> "resin type"), or None."""
    m = _BY_HEADING.match(text)
    if m is None:
        return None
    dim = re.sub(r"^(?:the|its)\s+", "", m.group("dim").strip(), flags=re.I)
    words = {w.lower() for w in _tokens(dim)}
    if not words or words <= _word_set("not_dimensions") or re.search(r"\d", dim):
        return None
    return dim


def _sentences(document: Document, units: dict[int, Doc], scheme: _Scheme) -> Iterator[_Sentence]:
    """The sentences of every prose block, with the dimension their section is about."""
    context: _Dimension | None = None
    for block in document.blocks:
        text = document.block_text(block)
        if _heading_like(document, block):
            named = _dimension_intro(text)
            if named:
                context = scheme.dimension(named, False, None)
            elif _is_geo(text) and len(text.split()) <= 4:
                context = next((d for d in scheme.dimensions if d.geo), None)
            else:
                context = None
            continue
        if block.kind == "row":
            continue
        doc = units.get(block.start)
        if doc is None:
            continue
        for sent in doc.sents:
            start = block.start + sent.start_char
            end = block.start + sent.end_char
            span = _span(document, start, end)
            if span.text:
                yield _Sentence(span, sent, block.start, context)


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def _ends_subject(token: Token) -> bool:
    """A finite verb or the clause's head; gerunds inside names ("coating") are not."""
    if token.pos_ == "AUX" or token.tag_ in ("VBZ", "VBD", "VBP", "MD"):
        return True
    return token.pos_ == "VERB" and token.dep_ in ("ROOT", "advcl", "conj", "relcl", "ccomp")


def _clauses(sent: SpacySpan) -> list[tuple[int, int]]:
    """Token ranges (relative to the sentence) of the clauses that have their own subject."""
    bounds = [0]
    tokens = list(sent)
    for i, tok in enumerate(tokens):
        low = tok.lower_
        if low in _BOUNDARY_WORDS or tok.text == ";":
            bounds.append(i + 1 if tok.text == ";" else i)
        elif (
            low in ("and", "but")
            and i > 0
            and tokens[i - 1].text == ","
            and i + 1 < len(tokens)
            and not _is_verb(tokens[i + 1])
            and tokens[i + 1].pos_ not in ("ADV", "PART", "ADP")
        ):
            bounds.append(i)
    bounds.append(len(tokens))
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


@dataclass(slots=True)
class _Clause:
    start_char: int  # in the sentence's Doc
    end_char: int
    subject: str
    subject_end: int  # char in the Doc where the subject ends
    intro: str  # "By resin type", "In 2025"
    # A fronted participial phrase ("Valued at USD 5 billion in 2025,") whose figures
    # belong to the clause's subject: its (start, end) chars in the Doc, or None.
    fronted: tuple[int, int] | None = None


def _clause(sent: SpacySpan, a: int, b: int) -> _Clause:
    tokens = list(sent)[a:b]
    i = 0
    while i < len(tokens) and (tokens[i].is_punct or tokens[i].lower_ in _BOUNDARY_WORDS):
        i += 1
    if i < len(tokens) and tokens[i].lower_ in ("and", "but"):
        i += 1
    intro_parts: list[str] = []
    fronted: tuple[int, int] | None = None
    # Leading phrases closed by a comma and holding no verb ("By resin type,", "In 2025,").
    while True:
        comma = next((k for k in range(i, len(tokens)) if tokens[k].text == ","), None)
        if comma is None or comma == i:
            break
        phrase = sent.doc.text[tokens[i].idx : tokens[comma].idx].strip()
        if fronted is None and _fronted_figure(tokens[i:comma], phrase):
            fronted = (tokens[i].idx, tokens[comma].idx)
            i = comma + 1
            continue
        # Only a phrase that opens with a preposition, an adverb or a year is an intro;
        # "Maize, wheat and barley ..." opens a listed subject.
        lead = tokens[i]
        if _ATTRIBUTION.match(phrase):
            # "According to the firm, the market will ...": a source, not the subject.
            intro_parts.append(phrase)
            i = comma + 1
            continue
        if _dimension_intro(phrase) is None and (
            any(_is_verb(t) for t in tokens[i:comma])
            or (lead.pos_ not in ("ADP", "ADV", "SCONJ") and not re.fullmatch(_YEAR, lead.text))
        ):
            break
        intro_parts.append(phrase)
        i = comma + 1
    # "In 2025 the market was worth ...": a leading year phrase without its comma.
    if (
        i + 2 < len(tokens)
        and tokens[i].pos_ == "ADP"
        and re.fullmatch(_YEAR, tokens[i + 1].text)
        and not tokens[i + 2].is_punct
    ):
        intro_parts.append(sent.doc.text[tokens[i].idx : tokens[i + 1].idx + 4])
        i += 2
    j = i
    while j < len(tokens) and not _ends_subject(tokens[j]):
        # A verbless statement ("North America: a 34% share") ends its subject at the colon
        # or at the first figure; a number that is no figure ("units above 10 kW") stays in.
        if tokens[j].text == ":" or tokens[j].text in "$€£¥" or (j > i and _figure(tokens, j)):
            break
        j += 1
    start = tokens[0].idx if tokens else 0
    end = tokens[-1].idx + len(tokens[-1]) if tokens else 0
    subject_tokens = tokens[i:j]
    subject = (
        sent.doc.text[subject_tokens[0].idx : subject_tokens[-1].idx + len(subject_tokens[-1])]
        if subject_tokens
        else ""
    )
    subject_end = (
        subject_tokens[-1].idx + len(subject_tokens[-1])
        if subject_tokens
        else (tokens[i].idx if i < len(tokens) else end)
    )
    return _Clause(start, end, subject, subject_end, " ; ".join(intro_parts), fronted)


_ATTRIBUTION = re.compile(r"^(?:according\s+to|as\s+per|per|in\s+the\s+view\s+of)\s+\S", re.I)


def _figure(tokens: list[Token], j: int) -> bool:
    """Whether ``tokens[j]`` is the number of a percentage or a money amount."""
    tok = tokens[j]
    if not tok.like_num:
        return False
    if tok.ent_type_ in ("PERCENT", "MONEY"):
        return True
    nxt = tokens[j + 1].text.lower() if j + 1 < len(tokens) else ""
    return nxt in ("%", "percent", "per") or bool(re.fullmatch(r"[mbt]n|(?:m|b|tr)illion", nxt))


def _fronted_figure(tokens: list[Token], phrase: str) -> bool:
    """Whether a comma-closed opening phrase is a participle stating a figure of the subject.

    "Valued at USD 5 billion in 2025, the market ..." and "Growing at a 9% CAGR,
    the segment ...": a past or present participle first, a money amount or a
    percentage inside, no finite verb.
    """
    if not tokens or tokens[0].tag_ not in ("VBN", "VBG"):
        return False
    if any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in tokens):
        return False
    return bool(_PERCENT.search(phrase) or find_money(phrase))


# --------------------------------------------------------------------------- resolving subjects

_MARKET = object()  # the subject is the whole market


@dataclass(slots=True)
class _Resolver:
    market: _Market
    scheme: _Scheme

    def resolve(self, subject: str, context: _Dimension | None) -> object | _Member | Ref | None:
        """What a clause's subject names: the whole market, a segment or region, or None.

        Bracketed asides are ignored; a subject with an appositive ("Road, part of
        the Rail and Road segment,") is tried whole, then up to its first comma.
        """
        subject = re.sub(r"\([^()]*\)", " ", subject).replace("*", " ")
        found = self._resolve(subject, context)
        if found is None and "," in subject:
            found = self._resolve(subject.split(",", 1)[0], context)
        if found is None:
            found = self._headed(subject, context)
        return found

    def _headed(self, subject: str, context: _Dimension | None) -> _Member | None:
        """A segment named after a lower-case head noun ("units below 5 kW", "plants in Asia").

        Only a segment whose full name is what follows the head counts.
        """
        words = subject.split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        for k in (1, 2):
            # lower-case words, the first perhaps capitalised at the sentence start
            if len(words) <= k or not all(
                w.isalpha() and w[1:].islower() and (n == 0 or w.islower())
                for n, w in enumerate(words[:k])
            ):
                return None
            rest = " ".join(words[k:])
            for dim in self._ordered(context):
                member = dim.member(rest)
                if member is not None:
                    return member
        return None

    def _resolve(self, subject: str, context: _Dimension | None) -> object | _Member | Ref | None:
        words = _tokens(subject)
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not words:
            return None
        key = " ".join(w.lower() for w in words)
        for dim in self._ordered(context):
            for member in dim.members:
                names = {_fold(member.name)} | {_fold(a) for a in member.aliases}
                if key in names:
                    return member
        if set(key.split()) <= _word_set("market_measures"):
            return _MARKET  # "Gross written premiums are expected to total USD 9 billion"
        words, named = self.market.strip(words)
        market_words = _word_set("market_words")
        named = named or any(w.lower() in market_words for w in words)
        dim_words: set[str] = set()
        for dim in self.scheme.dimensions:
            dim_words |= dim.words()
        noise = _word_set("filler") | dim_words | _word_set("geography_dimensions")
        # The market's own words describe every segment ("epoxy coatings" in a coatings market).
        rest = [
            w
            for w in words
            if not _in_words(w, noise) and not any(_word_match(w, m) for m in self.market.folded)
        ]
        if not rest:
            bare = {w.lower() for w in words} - {"the", "a", "an"}
            if named or (bare and bare <= _word_set("market_measures")):
                return _MARKET
            return None
        best: tuple[float, int, _Member] | None = None
        for rank, dim in enumerate(self._ordered(context)):
            for member in dim.members:
                score = _cover(rest, member)
                if score is None:
                    continue
                key2 = (score, -rank)
                if best is None or key2 > best[:2]:
                    best = (score, -rank, member)
        if best is not None:
            return best[2]
        return _region_in(subject, rest)

    def named_in(self, text: str, context: _Dimension | None) -> Ref | None:
        """The segment or region named last in ``text`` by its full name, or None."""
        folded = f" {_fold(text)} "
        best: tuple[int, Ref] | None = None
        for dim in self._ordered(context):
            for member in dim.members:
                for name in (member.name, *member.aliases):
                    at = folded.rfind(f" {_fold(name)} ")
                    if at >= 0 and (best is None or at > best[0]):
                        best = (at, member.ref)
        if best is not None:
            return best[1]
        words = text.split()
        for size in range(min(4, len(words)), 0, -1):
            for k in range(len(words) - size, -1, -1):
                region = _known_region(" ".join(words[k : k + size]))
                if region is not None:
                    return region
        return None

    def _ordered(self, context: _Dimension | None) -> list[_Dimension]:
        dims = list(self.scheme.dimensions)
        if context is not None and context in dims:
            dims.remove(context)
            dims.insert(0, context)
        return dims


def _region_in(subject: str, rest: list[str]) -> Ref | None:
    """The region a subject names when nothing else is left in it ("The U.S. widget market")."""
    words = subject.split()
    for size in range(min(4, len(words)), 0, -1):
        for k in range(len(words) - size + 1):
            phrase = " ".join(words[k : k + size])
            region = _known_region(phrase)
            if region is None:
                continue
            own = {w.lower() for w in _tokens(phrase)}
            if all(w.lower() in own for w in rest):
                return region
    return None


def _in_words(word: str, words: frozenset[str] | set[str]) -> bool:
    """Whether ``word`` or its singular or plural form is in ``words`` (lower case)."""
    low = word.lower()
    return low in words or low.removesuffix("s") in words or low + "s" in words


def _word_match(mention: str, target: str) -> bool:
    # A short all-capital word ("IT") only matches itself, never the pronoun "it".
    if target.isupper() and len(target) <= 4:
        return mention == target
    m, t = mention.lower(), target.lower()
    if m == t:
        return True
    shorter, longer = sorted((m, t), key=len)
    if len(shorter) >= 3 and longer in (shorter + "s", shorter + "es"):
        return True  # "cat" and "Cats": a plural of a short word
    return len(shorter) >= 4 and longer.startswith(shorter)


def _cover(mention: list[str], member: _Member) -> float | None:
    """The share of the member's words a mention uses, when every mention word is the member's."""
    target = [w for w in member.words if w.lower() not in ("and", "of", "the")]
    for alias in member.aliases:
        target += [w for w in _tokens(alias) if w.lower() not in ("and", "of", "the")]
    if not target:
        return None
    used: set[int] = set()
    for n, word in enumerate(mention):
        hits = [k for k, t in enumerate(target) if _word_match(word, t)]
        # A trailing common noun may name the thing rather than the segment
        # ("on-premises setups", "IT and telecom buyers").
        if not hits and n == len(mention) - 1 and n > 0 and word.islower() and used:
            continue
        if not hits:
            return None
        used.update(hits)
    return len(used) / len(target)


# --------------------------------------------------------------------------- observations


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


_SIZE_LABEL = re.compile(r"\bmarket\s+(?:size|value|revenue|valuation)\b|^\s*market\s+size", re.I)
_CAGR_LABEL = re.compile(r"\bCAGR\b|\bgrowth\s+rate\b", re.I)
_UNIT_LABEL = re.compile(
    r"\(?\s*(?P<cur>[A-Z]{3}|US\$|\$|€|£)\s*(?P<scale>trillion|billion|million|thousand|bn|mn|tn)"
    r"\b\.?\s*\)?",
    re.I,
)


_YEAR_CELL = re.compile(rf"^\s*({_YEAR})\s*[EFP]?\s*$")
_YEAR_HEADER = re.compile(r"^\s*(?:years?|period|fiscal\s+year)\s*$", re.I)


def _cell_money(label: str, value: str) -> list:
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


def _year_table_figures(document: Document, market: Ref) -> list[Observation]:
    """Market sizes of a table laid out by year, in rows or in columns.

    "| Year | Market Size (USD billion) |" over "| 2025 | 14.6 |", or
    "| Metric | 2025 | 2031 |" over "| Market size (USD million) | 9,842 | 17,655 |".
    """
    out: list[Observation] = []

    def add(label: str, value: str, year: int, row: Block) -> None:
        money = _cell_money(label, value)
        if money:
            out.append(
                Observation(
                    "MarketSize",
                    money[0].amount,
                    market=market,
                    currency=money[0].currency,
                    year=year,
                    mentions=[_span(document, row.start, row.end)],
                )
            )

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
                out.append(
                    Observation(
                        "MarketSize",
                        money[0].amount,
                        market=market,
                        currency=money[0].currency,
                        year=year,
                        mentions=[span],
                    )
                )
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
        for row in table[1:]:
            cells = _cells(document, row)
            if not cells or not cells[0]:
                continue
            target = resolver.resolve(cells[0], None)
            segment = target.ref if isinstance(target, _Member) else target
            if not isinstance(segment, Ref):
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


# --------------------------------------------------------------------------- growth factors


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


# --------------------------------------------------------------------------- leaders


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


# --------------------------------------------------------------------------- entry point


def extract_market(document: Document, units: list[tuple[Doc, int]], facts: ReportFacts) -> None:
    """Add the report's market, segments, leaders, observations and growth factors to ``facts``.

    Args:
        document: the loaded report.
        units: the spaCy Doc of each block with the block's character offset
            in ``document.text``.
        facts: the report's facts, extended in place.

    A report that names no market still yields its growth factors (with no
    market) but no observations.
    """
    unit_map = _unit_map(units)
    name = market_name(document)
    market_ref = Ref("market", name) if name else None
    scheme = _Scheme()
    _segmentation_tables(document, scheme)
    _dimension_tables(document, scheme)
    _segmented_sentences(document, scheme)
    sentences = list(_sentences(document, unit_map, scheme))

    if market_ref is not None:
        market = facts.entity(market_ref)
        if document.title and name and name.lower() in document.title.lower():
            start = document.text.find(document.title)
            if start >= 0:
                _add_mention(market.mentions, _span(document, start, start + len(document.title)))
        folded = [w.lower() for w in _tokens(name or "")]
        acronyms = {w for w in _tokens(name or "") if w.isupper() and len(w) > 1}
        resolver = _Resolver(_Market(market_ref, folded, acronyms), scheme)
        observations = _observations(sentences, resolver, scheme)
        tabled = _snapshot_figures(document, market_ref) + _year_table_figures(document, market_ref)
        for obs in tabled + _column_figures(document, resolver):
            _merge(observations, obs)
    else:
        market = None
        observations = []

    for dim in scheme.dimensions:
        # A dimension only named in passing ("By contrast, ...") has no members to show.
        if not dim.members and not (dim.geo and dim.mentions):
            continue
        entity = facts.entity(dim.ref)
        entity.aliases |= dim.aliases
        for span in dim.mentions:
            _add_mention(entity.mentions, span)
        if market is not None and dim.ref not in market.dimensions:
            market.dimensions.append(dim.ref)
        for member in dim.members:
            m_entity = facts.entity(member.ref)
            m_entity.aliases |= {a for a in member.aliases if a != member.ref.name}
            for span in member.mentions:
                _add_mention(m_entity.mentions, span)

    for written, span in _leaders(document, sentences):
        short = canonical_org_name(written)
        if not short:
            continue
        ref = _known_org(facts, written) or Ref("org", short)
        org = facts.entity(ref)
        if written.strip(" .") != ref.name:
            org.aliases.add(written.strip())
        _add_mention(org.mentions, span)
        if market is not None and ref not in market.leaders:
            market.leaders.append(ref)

    for obs in observations:
        if obs.segment is not None:
            facts.entity(obs.segment)
        facts.observations.append(obs)
    facts.factors.extend(_factors(document, market_ref))
    _table_hierarchy(document, facts)


def _known_org(facts: ReportFacts, written: str) -> Ref | None:
    """The organization the text already knows that a leader list's legal name is.

    "Acme Pet Holdings, Inc." in a list is the "Acme Pet" of the running text:
    the longest known name that opens the legal name, in whole words.
    """
    words = _fold(legal_name(written)).split()
    best: tuple[int, Ref] | None = None
    for ref in facts.entities:
        if ref.kind != "org":
            continue
        have = _fold(ref.name).split()
        if not have or words[: len(have)] != have or (best is not None and len(have) <= best[0]):
            continue
        # One dictionary word ("Summit") may open another firm's name; a coined one does not.
        if len(have) == 1 and len(words) > 1 and short_alias(written) is None:
            continue
        best = (len(have), ref)
    return best[1] if best else None


def _table_hierarchy(document: Document, facts: ReportFacts) -> None:
    """Let the report's own geography table say what contains what.

    The gazetteer links a place to its nearest ancestor the report names,
    which goes wrong when the text names a finer region in passing ("Western
    Europe", "Asia") than the one its table files the country under.
    """
    rows = [_cells(document, row) for table in _tables(document) for row in table]
    parents = table_parents(rows)
    if sum(1 for parent in parents.values() if parent is None) < 2:
        return  # no geography tree, or a single group that may be a fragment
    for name, parent in parents.items():
        entity = facts.entities.get(Ref("region", name))
        if entity is None:
            continue
        if parent is None:
            entity.part_of = None
        elif Ref("region", parent) in facts.entities:
            entity.part_of = Ref("region", parent)
