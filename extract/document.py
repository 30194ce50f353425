"""The loaded report: its text and the structure the loader saw in it.

A loader (``marketgraph.extract.loaders``) turns a file into a
:class:`Document`. ``text`` is what provenance offsets index into: for
plain text and Markdown the file decoded as UTF-8, unchanged; for HTML and
PDF the visible text in reading order. ``blocks`` mark headings,
paragraphs, list items and table rows by character offsets into ``text``,
so extraction can read a table row cell by cell and still cite the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of the text: ``text[start:end]``.

    ``cells`` are set for table rows (each cell's stripped span), ``level``
    for headings (1 for a title, 2 for a section ...), ``header`` is True
    for a table's header row.
    """

    kind: str
    start: int
    end: int
    level: int = 0
    cells: tuple[tuple[int, int], ...] = ()
    header: bool = False


@dataclass(slots=True)
class Document:
    """A report ready for extraction."""

    source_name: str
    sha256: str
    text: str
    format: str
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def cell_texts(self, block: Block) -> list[str]:
        return [self.text[s:e] for s, e in block.cells]
