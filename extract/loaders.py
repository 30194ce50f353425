"""Read report files (plain text, Markdown, HTML, PDF) into :class:`Document`.

Each loader yields the text that provenance offsets index into and the
blocks found in it (headings, paragraphs, list items, table rows), always
with ``text[block.start:block.end]`` equal to the block's own text.

- ``.txt`` and ``.md``: ``text`` is the file decoded as UTF-8, unchanged
  (a byte order mark stays as ``"\\ufeff"`` at offset 0). Markdown headings
  come from ``#`` marks or ``===``/``---`` underlines; plain-text headings
  are guessed from short unpunctuated lines that introduce a paragraph,
  list or table.
- ``.html``: the visible text in reading order, one block per line, with
  navigation, footers, forms, scripts and cookie or newsletter banners left
  out. Table rows are written as ``| a | b |`` and list items as ``- item``,
  so every format reaches extraction in the same shape.
- ``.pdf``: the text pypdf extracts, pages joined by newlines, read with
  the plain-text rules.

Heading and list-item blocks cover their words only, not the ``#`` or
bullet marks; a row block covers the whole ``| ... |`` line and its
``cells`` cover each cell's stripped text (an empty cell is an empty span).

>>> doc = load_bytes(b"# Widget Market\\n\\n- Acme leads.\\n", "notes.md")
>>> [(b.kind, doc.block_text(b)) for b in doc.blocks]
[('heading', 'Widget Market'), ('item', 'Acme leads.')]
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
from selectolax.lexbor import LexborHTMLParser, LexborNode

from marketgraph.errors import InputError
from marketgraph.extract.document import Block, Document

#: Format name by file suffix (lower case).
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(FORMATS)

__all__ = ["FORMATS", "SUPPORTED_SUFFIXES", "iter_report_paths", "load", "load_bytes"]


# --------------------------------------------------------------------------- entry points


def load(path: Path) -> Document:
    """Read the report at ``path``; the format follows the file's suffix.

    Args:
        path: a ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm`` or ``.pdf`` file.

    Returns:
        The :class:`Document`, with ``source_name`` the file's base name and
        ``sha256`` the hex digest of the file's bytes.

    Raises:
        InputError: the path is missing or a folder, the suffix is not
            supported, or the content is empty, not UTF-8 text, not HTML,
            a corrupt PDF or a PDF without text.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; pass a report file, or its files one by one")
    _format_of(path.name, str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from exc
    return _load(data, path.name, str(path))


def load_bytes(data: bytes, source_name: str) -> Document:
    """Read a report from its bytes (an upload); the format follows ``source_name``'s suffix.

    Args:
        data: the file's content.
        source_name: the file's name, such as ``"report.html"``; only its base
            name is kept.

    Raises:
        InputError: as :func:`load`.

    >>> load_bytes(b"Widget Market\\nAcme sells widgets to many buyers.\\n", "w.txt").title
    'Widget Market'
    """
    name = Path(source_name).name or source_name
    return _load(data, name, name)


def iter_report_paths(paths: Iterable[Path]) -> list[Path]:
    """The report files named by ``paths``, with folders expanded.

    A folder stands for every supported file below it (recursively, hidden
    files and folders skipped), sorted by path; files are kept in the order
    given and a file named twice is listed once.

    Raises:
        InputError: a path is missing, a file's suffix is not supported, or
            a folder holds no supported file.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            members = sorted(_supported_files(path))
            if not members:
                raise InputError(
                    f"{path}: the folder holds no report file; add files ending in {_suffix_list()}"
                )
        else:
            _format_of(path.name, str(path))
            members = [path]
        for member in members:
            if member not in seen:
                seen.add(member)
                found.append(member)
    return found


def _supported_files(folder: Path) -> Iterator[Path]:
    for member in folder.rglob("*"):
        relative = member.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if member.is_file() and member.suffix.lower() in FORMATS:
            yield member


def _suffix_list() -> str:
    return ", ".join(SUPPORTED_SUFFIXES)


def _format_of(name: str, label: str) -> str:
    suffix = Path(name).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise InputError(f"{label}: unsupported file type ({shown}); supported: {_suffix_list()}")
    return fmt


def _load(data: bytes, source_name: str, label: str) -> Document:
    fmt = _format_of(source_name, label)
    if not data.strip():
        raise InputError(f"{label}: the file is empty; pass a report with text in it")
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        text, meta_title = _pdf_text(data, label)
        blocks = _text_blocks(text, markdown=False)
        title = meta_title or _first_line(text)
    else:
        raw = _decode(data, label)
        if not raw.replace("\ufeff", "").strip():
            raise InputError(f"{label}: the file is empty; pass a report with text in it")
        if fmt == "html":
            text, blocks, title = _html_document(raw, label)
        else:
            text = raw
            blocks = _text_blocks(text, markdown=fmt == "md")
            title = _markdown_title(text, blocks) if fmt == "md" else _first_line(text)
    return Document(
        source_name=source_name,
        sha256=digest,
        text=text,
        format=fmt,
        title=title,
        blocks=blocks,
    )


def _decode(data: bytes, label: str) -> str:
    # A NUL byte is valid UTF-8 but never appears in a text report: it marks a binary file.
    if b"\x00" in data:
        raise InputError(f"{label}: is not UTF-8 text (binary content); save it as UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{label}: is not UTF-8 text (bad byte at offset {exc.start}); "
            "re-save it with UTF-8 encoding"
        ) from exc


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        stripped = line.strip().lstrip("\ufeff").strip()
        if stripped:
            return stripped
    return None


def _markdown_title(text: str, blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.kind == "heading":
            return text[block.start : block.end]
    return _first_line(text)


# --------------------------------------------------------------------------- text and Markdown

_TERMINAL = ".,;:!?"
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_ITEM = re.compile(r"(?:[-*+•]|\d{1,3}[.)])[ \t]+(?=\S)")
_RULE = re.compile(r"(?:[-*_][ \t]*){3,}$")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+$|^#+$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_FENCE = re.compile(r"(```|~~~)")
_SEPARATOR_CELL = re.compile(r":?-+:?")
_LEAD = re.compile(r"[\s\ufeff]*")
_TRAIL = re.compile(r"[\s\ufeff]+$")


@dataclass(slots=True)
class _Line:
    """One line of the text: ``start``/``end`` bound it without surrounding blanks."""

    start: int
    end: int
    indent: int
    text: str
    kind: str = "text"  # blank, text, row, separator, item, heading, skip
    level: int = 0
    body: int = 0  # where an item's or heading's words start
    body_end: int = 0
    cells: tuple[tuple[int, int], ...] = ()


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    size = len(text)
    while pos <= size:
        nl = text.find("\n", pos)
        end = size if nl < 0 else nl
        raw = text[pos:end]
        # A BOM (kept in ``text``) or a form feed (a page break) is not part of a line's words.
        lead = _LEAD.match(raw).end()  # type: ignore[union-attr]
        content = _TRAIL.sub("", raw[lead:])
        start = pos + lead
        lines.append(_Line(start, start + len(content), lead, content))
        if nl < 0:
            break
        pos = nl + 1
    return lines


def _row_cells(line: _Line) -> tuple[tuple[int, int], ...] | None:
    """Cell spans of a ``| a | b |`` line, or None when the line is not a table row."""
    s = line.text
    if len(s) < 2 or s[0] != "|" or s[-1] != "|":
        return None
    # A pipe escaped as "\|" belongs to the cell's text (Markdown's rule).
    bars = [i for i, ch in enumerate(s) if ch == "|" and (i == 0 or s[i - 1] != "\\")]
    cells = []
    for left, right in itertools.pairwise(bars):
        cell = s[left + 1 : right]
        stripped = cell.strip()
        begin = left + 1 + (len(cell) - len(cell.lstrip()))
        if not stripped:
            begin = left + 1
        cells.append((line.start + begin, line.start + begin + len(stripped)))
    return tuple(cells)


def _is_separator(cells: tuple[tuple[int, int], ...], text: str) -> bool:
    contents = [text[a:b].replace(" ", "") for a, b in cells]
    filled = [c for c in contents if c]
    return bool(filled) and all(_SEPARATOR_CELL.fullmatch(c) for c in filled)


def _classify(lines: list[_Line], text: str, markdown: bool) -> None:
    """Set each line's kind from its own shape (headings of plain text come later)."""
    fence: str | None = None
    for line in lines:
        s = line.text
        if markdown and fence is not None:
            line.kind = "skip"
            if s.startswith(fence):
                fence = None
            continue
        if not s:
            line.kind = "blank"
            continue
        if markdown and (m := _FENCE.match(s)):
            fence = m.group(1)
            line.kind = "skip"
            continue
        cells = _row_cells(line)
        if cells is not None:
            line.cells = cells
            line.kind = "separator" if _is_separator(cells, text) else "row"
            continue
        if _RULE.match(s):
            line.kind = "rule"
            continue
        if markdown and (m := _ATX.match(s)):
            words = s[m.end() :]
            words = _ATX_CLOSE.sub("", words).rstrip()
            if words:
                line.kind = "heading"
                line.level = len(m.group(1))
                line.body = line.start + m.end()
                line.body_end = line.body + len(words)
            else:
                line.kind = "skip"
            continue
        if m := _ITEM.match(s):
            line.kind = "item"
            line.body = line.start + m.end()
            line.body_end = line.end
            continue
        line.kind = "text"


def _apply_setext(lines: list[_Line]) -> None:
    """Markdown ``Title`` + ``=====`` (level 1) or ``-----`` (level 2) underlines."""
    for i in range(1, len(lines)):
        under, above = lines[i], lines[i - 1]
        if above.kind == "text" and under.kind in ("rule", "text") and _SETEXT.match(under.text):
            above.kind = "heading"
            above.level = 1 if under.text.startswith("=") else 2
            above.body, above.body_end = above.start, above.end
            under.kind = "skip"


def _looks_like_title(line: _Line) -> bool:
    """Short, capitalised and unpunctuated: the shape of a plain-text heading."""
    s = line.text
    if line.kind != "text" or s[-1] in _TERMINAL or len(s) > 90 or len(s.split()) > 12:
        return False
    first = next((ch for ch in s if ch.isalnum()), None)
    return first is not None and (first.isupper() or first.isdigit())


def _guess_headings(lines: list[_Line]) -> None:
    """Mark plain-text headings: a short unpunctuated line that introduces content.

    A candidate is a heading when the next non-blank line is prose, a list
    item, a table row or another heading, or when it tops a run of short
    lines (a list of names without bullets). A candidate directly under a
    short non-heading line is taken as part of such a run, and stays text,
    unless prose or a table follows it. A line that runs on into a
    lower-case line is wrapped prose, never a heading. The first line of the
    text, when it is a candidate, is the level-1 title.
    """
    count = len(lines)
    nxt = [count] * count
    following = count
    for i in range(count - 1, -1, -1):
        nxt[i] = following
        if lines[i].kind != "blank":
            following = i

    candidate = [False] * count
    prose = [False] * count
    for i, line in enumerate(lines):
        if line.kind != "text":
            continue
        runs_on = i + 1 < count and lines[i + 1].kind == "text" and lines[i + 1].text[0].islower()
        candidate[i] = _looks_like_title(line) and not runs_on
        prose[i] = not candidate[i] and (len(line.text.split()) >= 6 or len(line.text) >= 40)

    def short(j: int) -> bool:
        return 0 <= j < count and lines[j].kind == "text" and not prose[j]

    heading = [False] * count
    introduces = [False] * count  # followed by prose or a table: a heading whatever precedes it
    for i in range(count - 1, -1, -1):
        j = nxt[i]
        if not candidate[i] or j >= count:
            continue
        introduces[i] = lines[j].kind in ("row", "separator") or prose[j]
        heading[i] = (
            introduces[i]
            or lines[j].kind == "item"
            or heading[j]
            or (j == i + 1 and short(j) and not candidate[j] and short(j + 1))
        )

    first = next((i for i, line in enumerate(lines) if line.kind != "blank"), None)
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i > 0 else None
        if i == first and candidate[i]:
            line.kind, line.level = "heading", 1
        elif heading[i]:
            if not introduces[i] and short(i - 1) and prev is not None and prev.kind != "heading":
                continue
            line.kind = "heading"
            line.level = (
                min(prev.level + 1, 6) if prev is not None and prev.kind == "heading" else 2
            )
        else:
            continue
        line.body, line.body_end = line.start, line.end


def _text_blocks(text: str, markdown: bool) -> list[Block]:
    """Blocks of a plain-text or Markdown ``text`` (offsets into ``text``)."""
    lines = _split_lines(text)
    _classify(lines, text, markdown)
    if markdown:
        _apply_setext(lines)
    else:
        _guess_headings(lines)

    blocks: list[Block] = []
    in_table = False
    i = 0
    while i < len(lines):
        line = lines[i]
        kind = line.kind
        if kind == "row":
            blocks.append(Block("row", line.start, line.end, cells=line.cells, header=not in_table))
            in_table = True
            i += 1
            continue
        if kind == "separator":
            in_table = True
            i += 1
            continue
        in_table = False
        if kind == "heading":
            blocks.append(Block("heading", line.body, line.body_end, level=line.level))
        elif kind == "item":
            end = line.body_end
            # Indented lines under an item continue it.
            while i + 1 < len(lines) and lines[i + 1].kind == "text" and lines[i + 1].indent:
                i += 1
                end = lines[i].end
            blocks.append(Block("item", line.body, end))
        elif kind == "text":
            end = line.end
            prev = line
            # Markdown joins adjacent lines into one paragraph; plain text has no such
            # rule, so only a long line cut mid-sentence continues (hard-wrapped prose).
            while (
                i + 1 < len(lines)
                and lines[i + 1].kind == "text"
                and (markdown or (len(prev.text) >= 40 and not _SENTENCE_END.search(prev.text)))
            ):
                i += 1
                prev = lines[i]
                end = prev.end
            blocks.append(Block("paragraph", line.start, end))
        i += 1
    return blocks


# --------------------------------------------------------------------------- HTML

_SKIP_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form",
        "iframe", "svg", "canvas", "button", "select", "input", "textarea", "object", "embed",
        "dialog", "menu",
    }
)  # fmt: skip
_SKIP_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search"}
)
# Class or id words that mark page furniture rather than report content.
_CLUTTER_WORDS = frozenset(
    {
        "cookie", "cookies", "consent", "banner", "newsletter", "subscribe", "subscription",
        "signup", "popup", "modal", "advert", "advertisement", "ad", "ads", "sponsored",
        "promo", "social", "share", "sharing", "breadcrumb", "breadcrumbs", "sidebar",
        "navbar", "nav", "menu", "gdpr", "skip", "related", "comments",
    }
)  # fmt: skip
_CLUTTER_PARTS = ("cookie", "consent", "newsletter", "gdpr")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "hr", "html", "main", "ol", "p", "pre",
        "section", "summary", "ul", "header", "caption", "tr", "td", "th", "tbody", "thead",
        "tfoot",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def _is_clutter(node: LexborNode) -> bool:
    tag = node.tag
    if tag in _SKIP_TAGS:
        return True
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if (attrs.get("role") or "").lower() in _SKIP_ROLES:
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    hints = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    if hints.strip():
        words = set(_WORD_SPLIT.split(hints))
        if words & _CLUTTER_WORDS or any(part in hints for part in _CLUTTER_PARTS):
            return True
    # A page header that carries the site navigation is furniture; an article's header is not.
    return tag == "header" and node.css_first("nav") is not None


class _HtmlWriter:
    """Walks the DOM and writes the visible text, one block per line."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.blocks: list[Block] = []
        self.inline: list[str] = []
        self.context = ("paragraph", 0)

    def write(self, s: str) -> int:
        start = self.size
        self.parts.append(s)
        self.size += len(s)
        return start

    def flush(self) -> None:
        words = _SPACE.sub(" ", "".join(self.inline)).strip()
        self.inline.clear()
        if not words:
            return
        kind, level = self.context
        if kind == "item":
            self.write("- ")
        start = self.write(words)
        self.write("\n")
        self.blocks.append(Block(kind, start, start + len(words), level=level))

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.inline.append(child.text_content or "")
            elif tag in ("-comment", "-doctype") or _is_clutter(child):
                continue
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in _HEADINGS:
                self.flush()
                saved, self.context = self.context, ("heading", _HEADINGS[tag])
                self.walk(child)
                self.flush()
                self.context = saved
            elif tag == "li":
                self.flush()
                saved, self.context = self.context, ("item", 0)
                self.walk(child)
                self.flush()
                self.context = saved
            elif tag in _BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def table(self, table: LexborNode) -> None:
        caption = table.css_first("caption")
        if caption is not None and not _is_clutter(caption):
            self.walk(caption)
            self.flush()
        first = True
        for row in _own_rows(table):
            texts: list[str] = []
            for cell in row.iter():
                if cell.tag not in ("td", "th") or _is_clutter(cell):
                    continue
                # A pipe inside a cell would split it when the row is read back.
                texts.append(_SPACE.sub(" ", _inline_text(cell)).strip().replace("|", "/"))
                span = (cell.attributes.get("colspan") or "1").strip()
                extra = min(int(span), 50) - 1 if span.isdigit() else 0
                texts.extend([""] * max(extra, 0))
            if not any(texts):
                continue
            start = self.write("|")
            cells = []
            for cell_text in texts:
                self.write(" ")
                begin = self.write(cell_text)
                cells.append((begin, begin + len(cell_text)))
                self.write(" |" if cell_text else "|")
            end = self.size
            self.write("\n")
            self.blocks.append(Block("row", start, end, cells=tuple(cells), header=first))
            first = False

    def text(self) -> str:
        return "".join(self.parts)


def _own_rows(table: LexborNode) -> Iterator[LexborNode]:
    """The table's rows, not those of tables nested in its cells."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child.iter() if row.tag == "tr")


def _inline_text(node: LexborNode) -> str:
    out: list[str] = []
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag in ("-comment", "-doctype") or _is_clutter(child):
            continue
        else:
            out.append(" ")
            out.append(_inline_text(child))
            out.append(" ")
    return "".join(out)


_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")


def _html_document(raw: str, label: str) -> tuple[str, list[Block], str | None]:
    if not _MARKUP.search(raw):
        raise InputError(
            f"{label}: holds no HTML markup; save it with a .txt suffix if it is plain text"
        )
    tree = LexborHTMLParser(raw)
    writer = _HtmlWriter()
    if tree.body is not None:
        try:
            writer.walk(tree.body)
        except RecursionError as exc:
            raise InputError(
                f"{label}: the HTML nests elements too deeply to read; save a simplified page"
            ) from exc
        writer.flush()
    text = writer.text()
    if not text.strip():
        raise InputError(
            f"{label}: the HTML has no visible text; pass the saved page with its content"
        )
    title = None
    node = tree.css_first("title")
    if node is not None:
        title = _SPACE.sub(" ", node.text()).strip() or None
    if title is None:
        node = tree.css_first("h1")
        if node is not None:
            title = _SPACE.sub(" ", _inline_text(node)).strip() or None
    return text, writer.blocks, title


# --------------------------------------------------------------------------- PDF


def _pdf_text(data: bytes, label: str) -> tuple[str, str | None]:
    """The PDF's text (pages joined by newlines) and the title from its metadata."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{label}: the PDF is password-protected; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        title = (meta.title or "").strip() if meta is not None else ""
    except InputError:
        raise
    # pypdf signals damage with its own errors but also with plain ValueError, KeyError
    # and friends from deep inside the parser; any of them means the file is unreadable.
    except Exception as exc:
        reason = _pdf_damage(data) or str(exc).strip().rstrip(".") or type(exc).__name__
        raise InputError(
            f"{label}: the PDF is truncated or corrupt ({reason}); "
            "re-export or re-download the file"
        ) from exc
    text = "\n".join(page.rstrip("\n") for page in pages)
    if not text.strip():
        raise InputError(
            f"{label}: the PDF has no extractable text (scanned pages?); "
            "run OCR on it or export it with text"
        )
    return text, title or None


def _pdf_damage(data: bytes) -> str | None:
    """The first structural fault a strict read finds: a clearer reason than a lenient failure.

    The lenient reader skips a missing end marker or a broken cross-reference
    table and fails later with a vaguer complaint; the strict one names the
    cause.
    """
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        for page in reader.pages:
            page.extract_text()
    except Exception as exc:  # any parser error is the answer we are after
        return str(exc).strip().rstrip(".") or None
    return None
