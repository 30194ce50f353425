"""Tests of the spaCy pipeline assembly, text units and the Extractor."""

from __future__ import annotations

import re

import pytest

from marketgraph.errors import ExtractionError
from marketgraph.extract.document import Block, Document
from marketgraph.extract.facts import Ref
from marketgraph.extract.loaders import load_bytes
from marketgraph.extract.pipeline import EXTRACTOR_VERSION, Extractor, load_nlp, plan_units


def document(text: str, blocks=None, name: str = "t.txt") -> Document:
    return Document(name, "0" * 64, text, "txt", blocks=list(blocks or []))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_load_nlp_missing_model_raises_extraction_error():
    with pytest.raises(ExtractionError, match=r"not installed.*MARKETGRAPH_SPACY_MODEL"):
        load_nlp("no_such_model_xyz")


def test_load_nlp_adds_components_around_ner_and_caches():
    nlp = load_nlp()
    names = nlp.pipe_names
    assert names.index("mg_gazetteer") < names.index("ner") < names.index("mg_entity_rules")
    assert load_nlp() is nlp


def test_load_nlp_splits_glued_footnote_marks():
    tokens = [t.text for t in load_nlp().make_doc("robots.[4]Jane Orlow wrote")]
    assert tokens[:4] == ["robots", ".", "[4]", "Jane"]


def test_extractor_version_is_set():
    assert EXTRACTOR_VERSION


def test_plan_units_joins_hard_wrapped_lines():
    lines = [
        "Varnex Holdings Inc said it agreed to buy Plimsoll",
        "Tools Corp, a maker of hand tools, for an undisclosed",
        "sum of cash and stock, the two companies said today.",
        "    The deal is expected to close in the second quarter.",
    ]
    text = "\n".join(lines)
    blocks, start = [], 0
    for line in lines:
        stripped = line.strip()
        offset = start + line.index(stripped)
        blocks.append(
            Block("heading" if start == 0 else "paragraph", offset, offset + len(stripped))
        )
        start += len(line) + 1
    units = plan_units(document(text, blocks))
    assert len(units) == 2  # the indented line starts a new paragraph
    assert text[units[0][0] : units[0][1]].endswith("the two companies said today.")


def test_plan_units_keeps_one_line_paragraphs_apart():
    text = "Widget Market Overview\n" + "A long paragraph about widgets and demand. " * 5
    blocks = [Block("heading", 0, 22), Block("paragraph", 23, len(text))]
    assert len(plan_units(document(text, blocks))) == 2


def test_plan_units_without_blocks_splits_lines():
    text = "First line here.\n| a | b |\n- an item"
    kinds = [kind for _, _, kind, _ in plan_units(document(text))]
    assert kinds == ["paragraph", "row", "item"]


def test_extract_fills_report_record(extractor):
    text = "Widget Robot Market Analysis by Orrin Research\nVarnex Inc acquired Plimsoll Tools."
    facts = extractor.extract(document(text, name="w.txt"))
    assert facts.source_name == "w.txt"
    assert facts.sha256 == "0" * 64
    assert facts.content == text
    assert facts.title == "Widget Robot Market Analysis by Orrin Research"
    assert facts.publisher == Ref("org", "Orrin Research")
    assert Ref("org", "Orrin Research") in facts.entities


def test_extract_reads_publisher_from_source_line(extractor):
    text = "Varnex Inc grew.\n| Source: Harbor Lane Partners | |"
    facts = extractor.extract(document(text))
    assert facts.publisher == Ref("org", "Harbor Lane Partners")


def test_extract_names_across_wrapped_lines(extractor):
    text = (
        "Varnex Holdings Inc said it agreed to buy Plimsoll\n"
        "Tools Corp, a maker of hand tools, for an undisclosed\n"
        "sum of cash and stock, the two companies said today.\n"
    )
    facts = extractor.extract(document(text))
    assert Ref("org", "Plimsoll Tools") in facts.entities


def test_extract_mentions_index_the_report_text(extractor):
    text = "Intro line.\nVarnex Inc opened a plant in Canada."
    facts = extractor.extract(document(text))
    for entity in facts.entities.values():
        for span in entity.mentions:
            assert text[span.start : span.end] == span.text


def test_pipe_yields_one_facts_per_document_in_order(extractor):
    docs = [document(f"Varnex Inc bought Plimsoll Tools Corp in {c}.", name=f"{i}.txt")
            for i, c in enumerate(["Canada", "Japan", "Brazil"])]  # fmt: skip
    out = list(extractor.pipe(docs))
    assert [f.source_name for f in out] == ["0.txt", "1.txt", "2.txt"]
    assert [
        Ref("region", c) in f.entities
        for f, c in zip(out, ["Canada", "Japan", "Brazil"], strict=True)
    ] == [
        True,
        True,
        True,
    ]


def test_pipe_empty_document_still_yields_facts(extractor):
    out = list(extractor.pipe([document("")]))
    assert len(out) == 1 and not out[0].entities


@pytest.mark.slow
def test_pipe_with_worker_processes_matches_single_process(extractor):
    docs = [document("Varnex Inc acquired Plimsoll Tools Corp in Germany.", name=f"{i}.txt")
            for i in range(3)]  # fmt: skip
    single = [sorted(f.entities) for f in extractor.pipe(docs)]
    multi = [sorted(f.entities) for f in extractor.pipe(docs, n_process=2)]
    assert multi == single


def test_extractor_table_row_subject_comes_from_an_earlier_cell(extractor) -> None:
    text = (
        "Brixham Aerial makes drones.\n\n"
        "| Date | Company | Development |\n| --- | --- | --- |\n"
        "| April 2026 | Brixham Aerial | Unveiled the Brixham T9 Sprayer. |\n"
    )
    rows = [m.start() for m in re.finditer(r"^\|.*$", text, flags=re.M)]
    blocks = [Block("paragraph", 0, 28)] + [
        Block("row", s, text.index("\n", s), header=i == 0) for i, s in enumerate(rows)
    ]
    facts = extractor.extract(Document("r.md", "0" * 64, text, "md", blocks=blocks))
    (launch,) = [e for e in facts.events if e.type == "Launch"]
    assert launch.parties("launchedBy") == [Ref("org", "Brixham Aerial")]
    assert launch.date == "2026-04"


def test_extractor_region_wrapped_across_lines_is_found(extractor) -> None:
    text = "Demand rose in Saudi Arabia and the rest of the Middle\n  East in 2025."
    doc = Document("r.md", "0" * 64, text, "md", blocks=[Block("item", 0, len(text))])
    facts = extractor.extract(doc)
    assert Ref("region", "Middle East") in facts.entities
    assert facts.entities[Ref("region", "Saudi Arabia")].part_of == Ref("region", "Middle East")


def test_extractor_mentions_quote_the_report_not_the_parser_copy(extractor):
    from marketgraph.extract.loaders import load_bytes

    text = (
        "# Widget Market\n\n"
        "- **May 2026** – Brennock Robotics acquired Orvane Sensors for USD 9 million.\n"
    )
    document = load_bytes(text.encode("utf-8"), "report.md")
    facts = extractor.extract(document)
    mentions = [m for event in facts.events for m in event.mentions]
    assert len(mentions) == 1
    assert all(document.text[m.start : m.end] == m.text for m in mentions)
    assert not [m for m in mentions if m.text.startswith(("|", " ")) or m.text.endswith("|")]


def test_extract_publisher_keeps_its_full_name_as_alias(extractor):
    text = "Widget Robot Market Analysis by Quorvane Market Insights\nVarnex Inc grew."
    facts = extractor.extract(document(text))
    names = {facts.publisher.name} | facts.entities[facts.publisher].aliases
    assert "Quorvane Market Insights" in names


def test_extractor_segment_row_with_a_number_is_no_organization(extractor):
    text = (
        "The Widget Market Report is segmented by Rated Output (Below 5 MW and Above 5 MW).\n"
        "| By Rated Output | Below 5 MW |\n| Above 5 MW | |"
    )
    facts = extractor.extract(document(text))
    assert not [r for r in facts.entities if r.kind == "org" and "Output" in r.name]


def test_plan_units_joins_a_heading_cut_mid_sentence():
    text = "Norrith Group said it acquired\nTalvane Inc for an undisclosed sum.\n"
    blocks = [Block("heading", 0, 30), Block("paragraph", 31, len(text) - 1)]
    units = plan_units(document(text, blocks))
    assert [(start, end, kind) for start, end, kind, _ in units] == [
        (0, len(text) - 1, "paragraph")
    ]


@pytest.mark.parametrize(
    "heading",
    [
        "Norrith Holdings plc",  # a list of names, the last ending in a lower-case suffix
        "Regional Demand for Industrial Valves and Marine Pumps",  # long, title case
    ],
)
def test_plan_units_keeps_a_real_heading_apart(heading):
    text = f"{heading}\nTalvane Inc makes valves for ships and pumps for mines.\n"
    blocks = [
        Block("heading", 0, len(heading)),
        Block("paragraph", len(heading) + 1, len(text) - 1),
    ]
    kinds = [kind for _, _, kind, _ in plan_units(document(text, blocks))]
    assert kinds == ["heading", "paragraph"]


def test_extract_deal_stated_across_a_cut_first_line(extractor):
    text = "Norrith Group said it acquired\nTalvane Inc for an undisclosed sum.\n"
    facts = extractor.extract(load_bytes(text.encode(), "item.txt"))
    deals = [e for e in facts.events if e.type == "Acquisition"]
    assert [[r.name for r in e.parties("acquired")] for e in deals] == [["Talvane"]]


def test_extractor_word_of_a_listed_segment_is_no_organization(extractor):
    text = (
        "The Widget Market Report is segmented by Resin (Polyvinylidene, Bio-based "
        "Polyamide, and Others).\n| By Resin | Polyvinylidene |\n| Bio-based Polyamide | |"
    )
    facts = extractor.extract(document(text))
    orgs = [r.name for r in facts.entities if r.kind == "org"]
    assert "Polyamide" not in orgs
    assert "Polyvinylidene" not in orgs


def test_plan_units_joins_a_lower_case_line_to_the_line_it_continues():
    # Not hard-wrapped (too few lines), and the first line is a paragraph, not a heading.
    text = "Quenby Mills Inc said it has\nagreed to sell its Ardle Yarns unit to Pobrey Corp.\n"
    blocks = [Block("paragraph", 0, 28), Block("paragraph", 29, len(text) - 1)]
    units = plan_units(document(text, blocks))
    assert [(start, end) for start, end, _, _ in units] == [(0, len(text) - 1)]


def test_plan_units_keeps_a_lower_case_line_after_a_full_stop_apart():
    text = "Quenby Mills Inc sold Ardle Yarns.\nanalysts said the price was fair.\n"
    blocks = [Block("paragraph", 0, 34), Block("paragraph", 35, len(text) - 1)]
    assert len(plan_units(document(text, blocks))) == 2


def _acquisition(extractor, text: str):
    facts = extractor.extract(load_bytes(text.encode(), "item.txt"))
    (event,) = [e for e in facts.events if e.type == "Acquisition"]
    return {role: [r.name for r in event.parties(role)] for role in ("acquirer", "seller")}


def test_extractor_lead_cut_at_its_line_end_keeps_the_buyer(extractor):
    text = (
        "Tarrowby Holdings Corp said it has\nsigned a definitive agreement for the "
        "acquisition of Quenmore Savings Bank.\n"
    )
    assert _acquisition(extractor, text)["acquirer"] == ["Tarrowby Holdings"]


def test_extractor_seller_named_alone_on_the_line_before_said(extractor):
    text = (
        "Brellick Ceramics Plc\nsaid it had agreed to sell its Dunvale Foam Corp unit to "
        "Ostrane Tooling Co.\n"
    )
    roles = _acquisition(extractor, text)
    assert roles["seller"] == ["Brellick Ceramics"]
    assert roles["acquirer"] == ["Ostrane Tooling"]
