"""Tests of the region gazetteer: names, aliases and containment."""

from __future__ import annotations

import pytest

from marketgraph.extract.regions import gazetteer, table_parents


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("U.S.", "United States"),
        ("USA", "United States"),
        ("the UK's", "United Kingdom"),
        ("APAC", "Asia-Pacific"),
        ("Asia Pacific", "Asia-Pacific"),
        ("MEA", "Middle East and Africa"),
        ("LATAM", "Latin America"),
        ("UAE", "United Arab Emirates"),
        ("Czechia", "Czech Republic"),
        ("Middle East", "Middle East"),
    ],
)
def test_gazetteer_canonical_resolves_aliases(surface, canonical):
    assert gazetteer().canonical(surface) == canonical


def test_gazetteer_canonical_keeps_acronyms_case_sensitive():
    # "us" the pronoun is not the United States; full names still match in any case.
    assert gazetteer().canonical("us") is None
    assert gazetteer().canonical("GERMANY") == "Germany"


def test_gazetteer_canonical_unknown_place_is_none():
    assert gazetteer().canonical("Springfield") is None


@pytest.mark.parametrize(
    ("country", "macro"),
    [
        ("Germany", "Europe"),
        ("Japan", "Asia-Pacific"),
        ("Australia", "Asia-Pacific"),
        ("Saudi Arabia", "Middle East"),
        ("Egypt", "Africa"),
        ("Brazil", "South America"),
        ("Mexico", "North America"),
        ("Poland", "Europe"),
    ],
)
def test_gazetteer_ancestors_reach_market_report_regions(country, macro):
    assert macro in gazetteer().ancestors(country)


def test_gazetteer_parent_in_picks_nearest_named_ancestor():
    gaz = gazetteer()
    assert gaz.parent_in("Germany", {"Europe", "Western Europe"}) == "Western Europe"
    assert gaz.parent_in("Germany", {"Europe"}) == "Europe"
    assert gaz.parent_in("Germany", {"Asia-Pacific"}) is None
    assert gaz.parent_in("Middle East", {"Middle East and Africa"}) == "Middle East and Africa"


def test_gazetteer_is_country_only_for_countries():
    gaz = gazetteer()
    assert gaz.is_country("Canada")
    assert not gaz.is_country("North America")
    assert not gaz.is_country("European Union")


def test_gazetteer_data_has_every_parent_and_no_cycle():
    gaz = gazetteer()
    assert len([r for r in gaz.regions.values() if r.country]) >= 190
    for region in gaz.regions.values():
        assert region.parent is None or region.parent in gaz.regions
        chain = gaz.ancestors(region.name)
        assert region.name not in chain
        assert len(chain) == len(set(chain))


def test_table_parents_follow_row_nesting_over_finer_gazetteer_regions():
    rows = [
        ["By Geography", "Europe", "Germany"],
        ["France"],
        ["Rest of Europe"],
        ["Asia-Pacific", "China"],
        ["Japan"],
    ]
    parents = table_parents(rows)
    # The gazetteer files Germany under Western Europe and China under Asia; the table does not.
    assert parents["Germany"] == parents["France"] == "Europe"
    assert parents["China"] == parents["Japan"] == "Asia-Pacific"
    assert parents["Europe"] is None and parents["Asia-Pacific"] is None


def test_table_parents_place_a_row_opening_a_sibling_group_at_its_level():
    rows = [
        ["Middle East and Africa", "Middle East", "Qatar"],
        ["Oman"],
        ["Rest of Middle East"],
        ["Africa", "Kenya"],
        ["Nigeria"],
    ]
    parents = table_parents(rows)
    assert parents["Middle East"] == parents["Africa"] == "Middle East and Africa"
    assert parents["Qatar"] == parents["Oman"] == "Middle East"
    assert parents["Kenya"] == parents["Nigeria"] == "Africa"


def test_table_parents_a_row_of_non_places_ends_the_tree():
    rows = [["Europe", "Germany"], ["Coatings"], ["France"]]
    assert "France" in table_parents(rows)
    assert table_parents(rows)["France"] is None


@pytest.mark.parametrize(
    ("state", "country"),
    [
        ("California", "United States"),
        ("District of Columbia", "United States"),
        ("Ontario", "Canada"),
        ("Nunavut", "Canada"),
        ("Queensland", "Australia"),
        ("Bavaria", "Germany"),
        ("Gujarat", "India"),
        ("Guangdong", "China"),
    ],
)
def test_gazetteer_state_is_a_region_inside_its_country(state, country):
    gaz = gazetteer()
    assert gaz.canonical(state) == state
    assert not gaz.is_country(state)
    assert gaz.ancestors(state)[0] == country
    assert gaz.parent_in(state, {country, "North America", "Europe"}) == country


def test_gazetteer_lists_every_us_state_and_canadian_province():
    gaz = gazetteer()
    by_country = {"United States": 0, "Canada": 0}
    for region in gaz.regions.values():
        if region.parent in by_country and not region.country:
            by_country[region.parent] += 1
    # 49 states, the District of Columbia and Washington State; Georgia is the country's name.
    assert by_country == {"United States": 50, "Canada": 13}


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("Calif.", "California"),
        ("N.J.", "New Jersey"),
        ("Ont.", "Ontario"),
        ("NSW", "New South Wales"),
    ],
)
def test_gazetteer_canonical_reads_unambiguous_state_abbreviations(surface, canonical):
    assert gazetteer().canonical(surface) == canonical


@pytest.mark.parametrize("surface", ["OR", "IN", "ME", "Ore.", "ore", "Ill.", "Miss.", "Mass"])
def test_gazetteer_canonical_ignores_postal_codes_and_abbreviations_that_are_words(surface):
    assert gazetteer().canonical(surface) is None


def test_gazetteer_georgia_stays_the_country():
    assert gazetteer().is_country(gazetteer().canonical("Georgia"))


def test_table_parents_nest_states_under_the_table_country_and_keep_macro_regions():
    rows = [
        ["North America", "United States", "Texas"],
        ["Ohio"],
        ["Europe", "Germany"],
        ["France"],
    ]
    parents = table_parents(rows)
    assert parents["Texas"] == parents["Ohio"] == "United States"
    assert parents["United States"] == "North America"
    assert parents["Germany"] == parents["France"] == "Europe"
    assert parents["North America"] is None and parents["Europe"] is None
