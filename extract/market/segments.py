"""The market a report covers and how it cuts it: dimensions and their segments or regions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marketgraph.extract.document import Document
from marketgraph.extract.facts import Ref, Span
from marketgraph.extract.market.text import (
    _PERCENT,
    _add_mention,
    _cells,
    _fold,
    _region_ref,
    _span,
    _tables,
    _title,
    _tokens,
    _word_set,
)

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
