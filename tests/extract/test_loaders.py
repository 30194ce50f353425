"""Tests for marketgraph.extract.loaders: formats, blocks, offsets and bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from marketgraph.errors import InputError
from marketgraph.extract.document import Document
from marketgraph.extract.loaders import (
    SUPPORTED_SUFFIXES,
    iter_report_paths,
    load,
    load_bytes,
)

DATA = Path(__file__).parent / "data"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text line per entry, one list per page."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    number = 4
    for lines in pages:
        ops = ["BT /F1 12 Tf 14 TL 72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (number + 1)
        )
        objects[number + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        kids.append(b"%d 0 R" % number)
        number += 2
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = ""
    if title is not None:
        objects[number] = b"<< /Title (%s) >>" % title.encode("latin-1")
        info = f" /Info {number} 0 R"
        number += 1
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for key in sorted(objects):
        offsets[key] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (key, objects[key])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % number
    for key in range(1, number):
        out += b"%010d 00000 n \n" % offsets[key]
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (number, info.encode())
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PDF_PAGES = [
    [
        "Sprocket Market Outlook",
        "Acme Gearworks sells sprockets to bicycle makers across many countries.",
        "| Segment | Share |",
        "| Chains | 61% |",
    ],
    ["Demand grows fastest among electric bicycle makers this year."],
]


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "sprockets.pdf"
    path.write_bytes(make_pdf(PDF_PAGES))
    return path


def outline(doc: Document) -> list[tuple[str, int, str]]:
    """(kind, level, text) per block, with rows marked 'header' by level 1."""
    return [
        (b.kind, b.level if b.kind == "heading" else int(b.header), doc.block_text(b))
        for b in doc.blocks
    ]


def assert_offsets_consistent(doc: Document) -> None:
    for block in doc.blocks:
        text = doc.block_text(block)
        assert text, block
        assert text == text.strip(), block
        assert 0 <= block.start < block.end <= len(doc.text)
        for start, end in block.cells:
            assert block.start < start <= end < block.end
            cell = doc.text[start:end]
            assert cell == cell.strip()
            assert "|" not in cell.replace("\\|", "")


# --------------------------------------------------------------------------- plain text


def test_load_txt_text_is_file_unchanged() -> None:
    path = DATA / "sample.txt"
    doc = load(path)
    assert doc.text == path.read_bytes().decode("utf-8")
    assert doc.format == "txt"
    assert doc.source_name == "sample.txt"


def test_load_txt_blocks() -> None:
    doc = load(DATA / "sample.txt")
    assert outline(doc) == [
        ("heading", 1, "Gizmo Sensor Market Report"),
        ("heading", 2, "Gizmo Sensor Market Overview"),
        (
            "paragraph",
            0,
            "The gizmo sensor market is expected to grow steadily as factories adopt "
            "automated inspection.",
        ),
        ("heading", 2, "Key Findings"),
        ("item", 0, "Optical gizmos held the largest share in 2024."),
        ("item", 0, "Acoustic gizmos are the fastest-growing type."),
        ("heading", 2, "Share by Type"),
        ("row", 1, "| Type | Share 2024 | Region |"),
        ("row", 0, "| Optical | 41.2% | Global |"),
        ("row", 0, "| Acoustic | 18.0% |  |"),
        ("heading", 2, "Leading Suppliers"),
        ("paragraph", 0, "Brightfield Instruments Ltd."),
        ("paragraph", 0, "Quorra Sensing"),
        ("paragraph", 0, "Vantell Devices Inc."),
        ("paragraph", 0, "What drives demand for gizmo sensors?"),
        ("paragraph", 0, "Stricter quality rules push plants to inspect every part they make."),
        ("heading", 2, "Closing Remarks"),
        (
            "paragraph",
            0,
            "This closing paragraph is hard-wrapped across two lines because some tools\n"
            "wrap text at a fixed width before they save it.",
        ),
    ]


def test_load_txt_row_cells() -> None:
    doc = load(DATA / "sample.txt")
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [doc.cell_texts(r) for r in rows] == [
        ["Type", "Share 2024", "Region"],
        ["Optical", "41.2%", "Global"],
        ["Acoustic", "18.0%", ""],
    ]


def test_load_txt_title_is_first_line() -> None:
    assert load(DATA / "sample.txt").title == "Gizmo Sensor Market Report"


def test_load_bytes_keeps_bom_and_crlf_in_text() -> None:
    data = "\ufeffTurbine Report\r\nOrvano Wind builds turbines for coastal farms.\r\n".encode()
    doc = load_bytes(data, "turbines.txt")
    assert doc.text == data.decode("utf-8")
    assert doc.text[0] == "\ufeff"
    assert doc.title == "Turbine Report"
    assert outline(doc) == [
        ("heading", 1, "Turbine Report"),
        ("paragraph", 0, "Orvano Wind builds turbines for coastal farms."),
    ]


def test_load_bytes_txt_form_feed_and_odd_spaces_outside_blocks() -> None:
    text = "Crane sales rose in every region during the year.\n\fFleet Outlook\u00a0\n"
    text += "\u00a0 Rental firms plan to renew older cranes soon.\n"
    doc = load_bytes(text.encode(), "cranes.txt")
    assert_offsets_consistent(doc)
    assert outline(doc)[1:] == [
        ("heading", 2, "Fleet Outlook"),
        ("paragraph", 0, "Rental firms plan to renew older cranes soon."),
    ]


def test_load_bytes_txt_question_line_is_not_a_heading() -> None:
    text = "Who buys turbines?\nUtilities buy most turbines sold in the region each year.\n"
    doc = load_bytes(text.encode(), "q.txt")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_load_bytes_txt_table_without_separator_has_header_row() -> None:
    text = "Intro line that says what the table below is about, in full.\n| Alpha |\n| Beta |\n"
    doc = load_bytes(text.encode(), "t.txt")
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [r.header for r in rows] == [True, False]


# --------------------------------------------------------------------------- Markdown


def test_load_md_blocks() -> None:
    doc = load(DATA / "sample.md")
    assert doc.format == "md"
    assert doc.text == (DATA / "sample.md").read_text(encoding="utf-8")
    assert outline(doc) == [
        ("heading", 1, "Widget Robotics Market"),
        (
            "paragraph",
            0,
            "Widget robots are spreading through light assembly, and this paragraph is\n"
            "soft-wrapped over two lines.",
        ),
        ("heading", 2, "Market Snapshot"),
        ("row", 1, "| Segment | Share | Growth |"),
        ("row", 0, "| Arms | 52.5% | 8.1% |"),
        ("row", 0, "| Grippers \\| tools | 47.5% |  |"),
        ("heading", 2, "Highlights"),
        ("item", 0, "Arms lead the market."),
        ("item", 0, "Grippers grow fastest,\n   helped by new factories."),
    ]


def test_load_md_escaped_pipe_stays_in_cell() -> None:
    doc = load(DATA / "sample.md")
    last_row = [b for b in doc.blocks if b.kind == "row"][-1]
    assert doc.cell_texts(last_row) == ["Grippers \\| tools", "47.5%", ""]


def test_load_md_title_is_first_heading() -> None:
    doc = load_bytes(b"Draft notes\n\n## Valve Market\n\nText here.\n", "v.md")
    assert doc.title == "Valve Market"


def test_load_bytes_md_closing_hashes_not_in_heading() -> None:
    doc = load_bytes(b"### Pump Segment ###\n", "p.md")
    assert outline(doc) == [("heading", 3, "Pump Segment")]


# --------------------------------------------------------------------------- HTML


def test_load_html_text_in_reading_order() -> None:
    doc = load(DATA / "sample.html")
    assert doc.format == "html"
    assert doc.text == (
        "Gadget Drone Market\n"
        "The gadget drone market is growing as Skyloft Aerial and Pellucid Drones expand output.\n"
        "Share by Region\n"
        "Regional shares\n"
        "| Region | Share |\n"
        "| Europe | 38% |\n"
        "| Other | |\n"
        "| Asia | |\n"
        "- Skyloft Aerial leads deliveries.\n"
        "- Pellucid Drones focuses on mapping.\n"
        "- Nested point\n"
        "First line\n"
        "Second line\n"
    )


@pytest.mark.parametrize(
    "clutter",
    [
        "Hidden script text",  # script
        "color: red",  # style
        "About us",  # header navigation
        "cookies",  # cookie banner by id
        "Related reading",  # aside
        "Sign up",  # form
        "newsletter",  # newsletter box by class
        "Invisible text",  # hidden attribute
        "Copyright",  # footer
        "Example Research",  # <title> is not body text
    ],
)
def test_load_html_clutter_skipped(clutter: str) -> None:
    assert clutter not in load(DATA / "sample.html").text


def test_load_html_blocks() -> None:
    doc = load(DATA / "sample.html")
    assert [(b.kind, b.level, b.header) for b in doc.blocks] == [
        ("heading", 1, False),
        ("paragraph", 0, False),
        ("heading", 2, False),
        ("paragraph", 0, False),
        ("row", 0, True),
        ("row", 0, False),
        ("row", 0, False),
        ("row", 0, False),
        ("item", 0, False),
        ("item", 0, False),
        ("item", 0, False),
        ("paragraph", 0, False),
        ("paragraph", 0, False),
    ]
    rows = [b for b in doc.blocks if b.kind == "row"]
    # colspan keeps the columns aligned with an empty cell
    assert [doc.cell_texts(r) for r in rows] == [
        ["Region", "Share"],
        ["Europe", "38%"],
        ["Other", ""],
        ["Asia", ""],
    ]


def test_load_html_title_from_title_element() -> None:
    assert load(DATA / "sample.html").title == "Gadget Drone Market | Example Research"


def test_load_bytes_html_title_falls_back_to_h1() -> None:
    html = b"<html><body><h1>Lathe <em>Market</em></h1><p>Lathes turn metal.</p></body></html>"
    doc = load_bytes(html, "lathe.htm")
    assert doc.title == "Lathe Market"
    assert doc.format == "html"


def test_load_bytes_html_pipe_in_cell_does_not_split_it() -> None:
    html = b"<table><tr><td>a|b</td><td>c</td></tr></table>"
    doc = load_bytes(html, "pipes.html")
    (row,) = doc.blocks
    assert len(doc.cell_texts(row)) == 2


# --------------------------------------------------------------------------- PDF


def test_load_pdf_text_and_blocks(pdf_path: Path) -> None:
    doc = load(pdf_path)
    assert doc.format == "pdf"
    for line in PDF_PAGES[0] + PDF_PAGES[1]:
        assert line in doc.text
    assert doc.text.index(PDF_PAGES[0][-1]) < doc.text.index(PDF_PAGES[1][0])
    kinds = [(b.kind, doc.block_text(b)) for b in doc.blocks]
    assert ("heading", "Sprocket Market Outlook") in kinds
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [doc.cell_texts(r) for r in rows] == [["Segment", "Share"], ["Chains", "61%"]]
    assert rows[0].header
    assert doc.title == "Sprocket Market Outlook"


def test_load_bytes_pdf_title_from_metadata() -> None:
    data = make_pdf([["Some body text that is long enough to be a paragraph."]], title="Axle Study")
    assert load_bytes(data, "axle.pdf").title == "Axle Study"


# --------------------------------------------------------------------------- every format


ALL_FIXTURES = ["sample.txt", "sample.md", "sample.html", "pdf"]


def fixture_path(name: str, pdf_path: Path) -> Path:
    return pdf_path if name == "pdf" else DATA / name


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_load_block_offsets_consistent(name: str, pdf_path: Path) -> None:
    doc = load(fixture_path(name, pdf_path))
    assert doc.blocks
    assert_offsets_consistent(doc)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_load_sha256_is_of_file_bytes(name: str, pdf_path: Path) -> None:
    path = fixture_path(name, pdf_path)
    assert load(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_load_bytes_same_as_load(name: str, pdf_path: Path) -> None:
    path = fixture_path(name, pdf_path)
    assert load_bytes(path.read_bytes(), f"uploads/{path.name}") == load(path)


def test_load_suffix_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "NOTES.TXT"
    path.write_text("Gear Notes\nGears mesh with other gears to pass on motion.\n")
    assert load(path).format == "txt"


# --------------------------------------------------------------------------- errors


def test_load_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.txt: no such file"):
        load(tmp_path / "nowhere.txt")


def test_load_folder_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        load(tmp_path)


BAD_INPUT = [
    pytest.param("deck.pptx", b"hello", r"unsupported file type \('\.pptx'\).*\.txt", id="suffix"),
    pytest.param("README", b"hello", r"unsupported file type \(no suffix\)", id="no-suffix"),
    pytest.param("a.txt", b"", "is empty", id="empty-txt"),
    pytest.param("a.md", b" \n\t\r\n", "is empty", id="blank-md"),
    pytest.param("a.pdf", b"", "is empty", id="empty-pdf"),
    pytest.param("a.txt", b"text\x00\x01\x02more", "is not UTF-8 text", id="nul-bytes"),
    pytest.param("a.html", b"<p>caf\xe9</p>", "is not UTF-8 text", id="latin-1"),
    pytest.param("a.txt", "\ufeff  \n".encode(), "is empty", id="bom-only"),
    pytest.param("a.html", b"just words, no tags at all", "no HTML markup", id="no-markup"),
    pytest.param("a.html", b"<html><body><div> </div></body></html>", "no visible", id="no-text"),
    pytest.param(
        "a.html",
        b"<html><script>var x = 1;</script><nav>Home</nav></html>",
        "no visible",
        id="only-clutter",
    ),
    pytest.param("a.pdf", b"this is not a pdf at all", "truncated or corrupt", id="not-pdf"),
    pytest.param(
        "a.pdf",
        make_pdf([["Truncated page text here."]])[:200],
        r"truncated or corrupt \(.+\); re-export",
        id="truncated-pdf",
    ),
    pytest.param("a.pdf", make_pdf([[]]), "no extractable text", id="pdf-no-text"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUT)
def test_load_bytes_bad_input(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_bytes(data, name)
    text = str(caught.value)
    assert text.startswith(f"{name}: ")
    assert "\n" not in text


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUT)
def test_load_bad_file_names_path(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_load_truncated_pdf_names_missing_eof() -> None:
    data = make_pdf([["Page text that will be cut off."]])
    with pytest.raises(InputError, match="EOF marker not found"):
        load_bytes(data[: len(data) - 20], "cut.pdf")


# --------------------------------------------------------------------------- report paths


def test_iter_report_paths_expands_folders_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["b/z.md", "b/a.html", "c.txt", "notes.docx", ".hidden/x.txt", "d.PDF"]:
        (tmp_path / name).write_text("x")
    assert iter_report_paths([tmp_path]) == [
        tmp_path / "b" / "a.html",
        tmp_path / "b" / "z.md",
        tmp_path / "c.txt",
        tmp_path / "d.PDF",
    ]


def test_iter_report_paths_keeps_files_and_drops_repeats(tmp_path: Path) -> None:
    first, second = tmp_path / "y.txt", tmp_path / "x.md"
    first.write_text("x")
    second.write_text("x")
    assert iter_report_paths([first, second, first, tmp_path]) == [first, second]


def test_iter_report_paths_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        iter_report_paths([tmp_path / "gone"])


def test_iter_report_paths_folder_without_reports(tmp_path: Path) -> None:
    (tmp_path / "slides.pptx").write_text("x")
    with pytest.raises(InputError, match=r"holds no report file.*\.pdf"):
        iter_report_paths([tmp_path])


def test_iter_report_paths_unsupported_file(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_text("x")
    with pytest.raises(InputError, match="unsupported file type"):
        iter_report_paths([path])


def test_supported_suffixes_cover_each_format() -> None:
    for suffix in [".txt", ".md", ".markdown", ".html", ".htm", ".pdf"]:
        assert suffix in SUPPORTED_SUFFIXES


# --------------------------------------------------------------------------- seed report


def test_load_seed_report_blocks(seed_report: Path) -> None:
    doc = load(seed_report)
    assert_offsets_consistent(doc)
    kinds = [b.kind for b in doc.blocks]
    assert kinds.count("heading") > 0
    assert kinds.count("row") > 0
    assert kinds.count("paragraph") > 0
    assert kinds.count("item") > 0
    assert any(b.header for b in doc.blocks if b.kind == "row")
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].level == 1
    # a separator row like |---| never becomes a block
    assert not any(set(doc.block_text(b)) <= set("|-: ") for b in doc.blocks)
