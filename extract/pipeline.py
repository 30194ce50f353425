"""The spaCy pipeline and the extractor that turns a Document into ReportFacts.

:func:`load_nlp` loads the configured spaCy model and adds marketgraph's
components: a gazetteer :class:`~spacy.pipeline.SpanRuler` before ``ner``
(regions, well-known regulations) and ``mg_entity_rules`` after it
(:mod:`marketgraph.extract.entities`). :class:`Extractor` runs each text
unit of a report (a paragraph, list item, heading or table row) through the
pipeline, resolves the report's entities, then hands the units to the
market and deal extractors.

>>> from marketgraph.extract.document import Block, Document
>>> text = "Acme Robotics Inc. acquired Widgetry Ltd in Germany."
>>> doc = Document("news.txt", "0" * 64, text, "txt", blocks=[Block("paragraph", 0, len(text))])
>>> facts = Extractor().extract(doc)
>>> sorted(ref.name for ref in facts.entities if ref.kind == "org")
['Acme Robotics', 'Widgetry']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from marketgraph.errors import ExtractionError
from marketgraph.extract import entities
from marketgraph.extract.deals import DealContext, find_events, merge_events
from marketgraph.extract.document import Block, Document
from marketgraph.extract.entities import (
    GAZETTEER_KEY,
    adopt_deal_names,
    canonical_org_name,
    find_ref,
    gazetteer_patterns,
    link_launches,
    promote_parties,
    resolve_entities,
    strip_name,
)
from marketgraph.extract.facts import Ref, ReportFacts
from marketgraph.extract.facts import Span as TextSpan
from marketgraph.extract.market import extract_market
from marketgraph.settings import get_settings

#: Recorded on every report built, so a graph says which extractor made it.
EXTRACTOR_VERSION = "0.2.0"

_PUBLISHER_BY = re.compile(
    r"\b(?:Analysis|Report|Research|Study|Survey|Insights?|Outlook|Forecasts?|Review|Brief|"
    r"Whitepaper|Published|Prepared|Compiled|Written)\s+by\s+(?:the\s+)?"
    r"([A-Z][\w&.'’-]*(?:\s+(?:of|&|and|[A-Z][\w&.'’-]*)){0,5})\s*$"
)
_PUBLISHER_SOURCE = re.compile(
    r"^\W*(?:Source|Publisher|Copyright|©)\s*[:©]?\s*(?:©\s*)?(?:\d{4}\s*,?\s*)?"
    r"([A-Z][\w&.'’-]*(?:\s+(?:of|&|and|[A-Z][\w&.'’-]*)){0,5})[\s|.,]*$"
)


@dataclass(slots=True)
class Unit:
    """One text unit run through spaCy: a paragraph, item, heading or table row.

    ``doc`` is the processed spaCy Doc of ``text[start:end]`` with newlines as
    spaces, so a token's offset in the report is ``start + token.idx``.
    """

    start: int
    end: int
    kind: str
    block: Block | None
    doc: Doc

    @property
    def offset(self) -> int:
        return self.start


# ---------------------------------------------------------------- the model


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline with marketgraph's components, loaded once per model name.

    Args:
        model: a spaCy package name; ``Settings.spacy_model`` when None.

    Raises:
        ExtractionError: the model is not installed.
    """
    name = model or get_settings().spacy_model
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ExtractionError(
            f"spaCy model {name!r} is not installed; pip install {name.replace('_', '-')} "
            f"or set MARKETGRAPH_SPACY_MODEL to an installed pipeline"
        ) from exc
    add_components(nlp)
    return nlp


def add_components(nlp: Language) -> Language:
    """Add the gazetteer ruler and the entity rules to a pipeline that has ``ner``."""
    entities.register_extensions()
    if "ner" not in nlp.pipe_names:
        raise ExtractionError(
            "the spaCy pipeline has no 'ner' component; use a trained pipeline such as "
            "en_core_web_sm"
        )
    _split_footnote_marks(nlp)
    if "mg_gazetteer" not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "span_ruler",
            name="mg_gazetteer",
            before="ner",
            config={"spans_key": GAZETTEER_KEY, "validate": False, "overwrite": False},
        )
        ruler.add_patterns(gazetteer_patterns())
    if "mg_entity_rules" not in nlp.pipe_names:
        nlp.add_pipe("mg_entity_rules", after="ner")
    return nlp


def _split_footnote_marks(nlp: Language) -> None:
    """Make "systems.[4]Jane" three tokens: reports glue footnote marks to the next word."""
    infixes = [*nlp.Defaults.infixes, r"\[\d{1,3}\]", r"\.(?=\[\d{1,3}\])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


# ---------------------------------------------------------------- units


def _hard_wrapped(text: str) -> bool:
    """Whether the text is wrapped at a fixed width (news wires), not one line per paragraph."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return False
    lengths = sorted(len(line) for line in lines)
    return lengths[-1] <= 100 and sum(1 for n in lengths if n >= 40) >= len(lengths) / 2


def plan_units(document: Document) -> list[tuple[int, int, str, Block | None]]:
    """The (start, end, kind, block) units of a document, in reading order.

    Each block is a unit. In a hard-wrapped text, consecutive paragraph
    lines with no blank line or indent between them are joined, so a
    sentence is not cut at a line end; in any text, a one-line "heading"
    that stops mid-sentence ("Acme Corp said it acquired") is joined to
    the line right below it. Without blocks, the text is split into lines
    (or wrapped paragraphs) here.
    """
    text = document.text
    wrapped = _hard_wrapped(text)
    blocks = document.blocks or _line_blocks(text)
    units: list[tuple[int, int, str, Block | None]] = []
    for block in blocks:
        # In wrapped text a "heading" may be a paragraph's first line: join by layout alone.
        # Elsewhere only a line that stops mid-sentence is joined to the line below: a
        # "heading" ending in a plain word, or any line followed by one in lower case.
        if (
            units
            and block.kind in {"paragraph", "heading"}
            and units[-1][2] in {"paragraph", "heading"}
            and _one_line_break(text[units[-1][1] : block.start])
            and (
                (wrapped and text[units[-1][1] : block.start] == "\n")
                or (units[-1][2] == "heading" and _cut_short(text[units[-1][0] : units[-1][1]]))
                or _continues(text[units[-1][0] : units[-1][1]], text[block.start : block.end])
            )
        ):
            start, _, _, first = units[-1]
            units[-1] = (start, block.end, "paragraph", first)
            continue
        units.append((block.start, block.end, block.kind, block))
    return units or [(0, len(text), "paragraph", None)]


def _one_line_break(gap: str) -> bool:
    """Whether the text between two blocks is one line break, give or take spaces."""
    return gap.count("\n") == 1 and not gap.strip()


def _continues(line: str, below: str) -> bool:
    """Whether ``below`` carries on the sentence ``line`` left open at its line end.

    The line has no closing punctuation and the next one opens with a
    lower-case word: "Acme Corp said it has" / "agreed to buy Widgetry".

    >>> _continues("Acme Corp said it has", "agreed to buy Widgetry Ltd.")
    True
    >>> _continues("Acme Corp bought Widgetry.", "analysts said the price was high.")
    False
    """
    first = below.split(maxsplit=1)[0] if below.strip() else ""
    return (
        first[:1].isalpha()
        and first[:1].islower()
        and not line.rstrip().endswith((".", "!", "?", ":", ";"))
    )


# Lower-case words that may end a real heading: corporate suffixes in a list of names.
_HEADING_TAIL_WORDS = {"plc", "inc", "ltd", "llc", "corp", "co", "bv", "nv", "sa", "ag", "gmbh"}


def _cut_short(line: str) -> bool:
    """Whether a one-line "heading" is a sentence cut at its line end.

    A heading is capitalised and has no closing punctuation; one whose last
    word is a plain lower-case word ("Acme Corp said it acquired") is the
    first line of a short news item, continued on the next line.

    >>> _cut_short("Acme Corp said it acquired"), _cut_short("Regional Market Outlook")
    (True, False)
    """
    words = line.split()
    if len(words) < 3:
        return False
    last = words[-1]
    return last.isalpha() and last.islower() and last not in _HEADING_TAIL_WORDS


def _line_blocks(text: str) -> list[Block]:
    """Blocks for a document its loader gave none: one per non-empty line."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + len(line) - len(line.lstrip())
        end = start + len(stripped)
        kind = (
            "row"
            if stripped.startswith("|")
            else "item"
            if stripped[:2] in {"- ", "* "}
            else ("paragraph")
        )
        out.append(Block(kind, start, end))
    return out


_EMPHASIS = re.compile(r"(?<![*_\w])(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)(?![*_\w])")


def _parse_text(document: Document, start: int, end: int, kind: str) -> str:
    """The text of a unit as the parser sees it: same length, so offsets still hold.

    Line breaks become spaces; Markdown's bold markers become spaces; in a
    table row each cell separator becomes a full stop, so that every cell
    reads as a sentence of its own rather than one run-on clause.
    """
    text = document.text[start:end].replace("\n", " ").replace("\r", " ")
    if document.format in {"md", "markdown"} or kind == "row":
        text = _EMPHASIS.sub(lambda m: " " * len(m.group(0)), text)
    if kind == "row":
        chars = list(text)
        for i, ch in enumerate(chars):
            if ch != "|":
                continue
            chars[i] = " "
            j = i - 1
            while j >= 0 and chars[j] == " ":
                j -= 1
            if j >= 0 and chars[j] not in ".!?:;":
                chars[j + 1] = "."
        text = "".join(chars)
    return text


# A cell of a data row: a percentage, money, a year or date, or a bare number.
_FIGURE_CELL = re.compile(
    r"\d\s*%|[$€£¥]\s*\d|\b[A-Z]{3}\s+\d|\b(?:19|20)\d{2}\b|^\W*[+\-−]?\d[\d.,]*\W*$"
)


def _weak_names(document: Document, units: list[Unit]) -> list[str]:
    """Texts of headings and of table cells in rows without numbers (segment lists)."""
    out = []
    for unit in units:
        block = unit.block
        if unit.kind == "heading":
            out.append(document.text[unit.start : unit.end])
        elif unit.kind == "row":
            cells = (
                document.cell_texts(block)
                if block is not None and block.cells
                else [c.strip() for c in document.text[unit.start : unit.end].split("|")]
            )
            # A row of figures or dates is data; a row of names ("| By Size | Below 1 kW |")
            # is a list of segments, even with a number in a name.
            if not any(_FIGURE_CELL.search(c) for c in cells):
                out.extend(c for c in cells if c)
    return out


# ---------------------------------------------------------------- the extractor


class Extractor:
    """Turns Documents into ReportFacts with the spaCy pipeline and the rules.

    Args:
        model: spaCy package to load (``Settings.spacy_model`` when None).
        batch_size: text units per ``nlp.pipe`` batch.

    Raises:
        ExtractionError: the model is missing.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64):
        self.nlp = load_nlp(model)
        self.batch_size = batch_size

    def extract(self, document: Document) -> ReportFacts:
        """All facts of one document."""
        return next(self.pipe([document]))

    def pipe(self, documents: Iterable[Document], n_process: int = 1) -> Iterator[ReportFacts]:
        """Facts of each document, in order, processing text units in batches.

        Units of all documents stream through one ``nlp.pipe``; a document's
        facts are built as soon as its last unit is back, so memory holds one
        document and one batch. ``n_process > 1`` uses spaCy's worker processes.
        """
        plans: dict[int, tuple[Document, list]] = {}

        def stream() -> Iterator[tuple[str, tuple[int, int]]]:
            for seq, document in enumerate(documents):
                plan = plan_units(document)
                plans[seq] = (document, plan)
                for j, (start, end, kind, _) in enumerate(plan):
                    yield _parse_text(document, start, end, kind), (seq, j)

        results = self.nlp.pipe(
            stream(), as_tuples=True, batch_size=self.batch_size, n_process=n_process
        )
        for seq, items in groupby(results, key=lambda item: item[1][0]):
            docs = [doc for doc, _ in items]
            document, plan = plans.pop(seq)
            units = [
                Unit(start, end, kind, block, doc)
                for (start, end, kind, block), doc in zip(plan, docs, strict=True)
            ]
            yield self._facts(document, units)

    def _facts(self, document: Document, units: list[Unit]) -> ReportFacts:
        facts = ReportFacts(
            source_name=document.source_name,
            sha256=document.sha256,
            content=document.text,
            title=_title(document, units),
        )
        for unit in units:
            if unit.kind in {"heading", "row"}:
                for ent in unit.doc.ents:
                    ent._.cues = (*ent._.cues, "weak")
        resolve_entities(
            [(u.start, u.doc) for u in units], facts, document.text, _weak_names(document, units)
        )
        facts.publisher = _publisher(document, units, facts)

        extract_market(document, [(u.doc, u.start) for u in units], facts)
        context = DealContext()
        events = []
        for unit in units:
            context.row = unit.kind == "row"
            events.extend(find_events(unit.doc, unit.start, context))
        facts.events.extend(merge_events(events))
        promote_parties(facts)
        adopt_deal_names(facts)
        link_launches(facts)
        _true_mentions(facts, document.text)
        return facts


def _true_mentions(facts: ReportFacts, text: str) -> None:
    """Make every mention quote the report itself, trimmed of blanks and cell bars.

    Rules read the parser's copy of a unit, in which Markdown bold markers
    and table bars became spaces or stops; offsets still hold, so the
    report's own characters are taken back from them.
    """

    def fixed(span: TextSpan) -> TextSpan:
        start, end = span.start, span.end
        while start < end and (text[start].isspace() or text[start] == "|"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == "|"):
            end -= 1
        return span if start >= end else TextSpan(start, end, text[start:end])

    holders = [*facts.events, *facts.observations, *facts.factors, *facts.entities.values()]
    for holder in holders:
        holder.mentions[:] = list(dict.fromkeys(fixed(m) for m in holder.mentions))


def _title(document: Document, units: list[Unit]) -> str | None:
    if document.title:
        return document.title
    for unit in units:
        if unit.kind == "heading":
            return document.text[unit.start : unit.end].strip()
    first = next((u for u in units if document.text[u.start : u.end].strip()), None)
    return document.text[first.start : first.end].strip() if first else None


def _publisher(document: Document, units: list[Unit], facts: ReportFacts) -> Ref | None:
    """The organization the report names itself as by ("... Analysis by Acme Research")."""
    found: Counter = Counter()
    where: dict[str, TextSpan] = {}
    written: dict[str, str] = {}
    candidates = [document.title] if document.title else []
    for unit in units:
        line = document.text[unit.start : unit.end]
        if len(line) <= 160:
            candidates.append(line)
            for cell in line.split("|"):
                m = _PUBLISHER_SOURCE.match(cell.strip())
                if m:
                    name = canonical_org_name(m.group(1))
                    written.setdefault(name, strip_name(m.group(1)))
                    found[name] += 1
                    where.setdefault(name, TextSpan(unit.start, unit.end, line))
        m = _PUBLISHER_BY.search(line.strip()) if len(line) <= 160 else None
        if m:
            name = canonical_org_name(m.group(1))
            written.setdefault(name, strip_name(m.group(1)))
            found[name] += 2
            where.setdefault(name, TextSpan(unit.start, unit.end, line))
    if not found:
        return None
    name = found.most_common(1)[0][0]
    ref = find_ref(facts, name) or find_ref(facts, written[name])
    if ref is None:
        ref = Ref("org", name)
        entity = facts.entity(ref)
        if name in where:
            entity.mentions.append(where[name])
    if written[name] != ref.name:
        facts.entity(ref).aliases.add(written[name])  # the full name, as the report writes it
    return ref
