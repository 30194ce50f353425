"""Tests of entity typing rules and report-level entity resolution.

All names are invented; each test checks one rule family.
"""

from __future__ import annotations

import pytest

from marketgraph.extract.entities import (
    adopt_deal_names,
    canonical_org_name,
    find_ref,
    is_generic,
    is_suffix,
    link_launches,
    person_shaped,
    promote_parties,
    resolve_entities,
)
from marketgraph.extract.facts import Event, Ref, ReportFacts
from marketgraph.extract.pipeline import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def resolve(nlp, *paragraphs: str) -> tuple[ReportFacts, list]:
    """Run paragraphs (joined by newlines) through the pipeline and resolve them."""
    text = "\n".join(paragraphs)
    units, offset = [], 0
    for para in paragraphs:
        units.append((offset, nlp(para)))
        offset += len(para) + 1
    facts = ReportFacts("t.txt", "0" * 64, text)
    resolve_entities(units, facts, text)
    return facts, units


def names(facts: ReportFacts, kind: str) -> set[str]:
    return {ref.name for ref in facts.entities if ref.kind == kind}


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Brindle Robotics, Inc.", "Brindle Robotics"),
        ("The Brindle Robotics Corp's", "Brindle Robotics"),
        ("Harlow Works Private Limited", "Harlow Works"),
        ("Zentrixo Cloud Services GmbH", "Zentrixo"),
        ("Universal Cloud Services Ltd", "Universal Cloud Services"),
    ],
)
def test_canonical_org_name_strips_suffix_article_and_possessive(surface, name):
    assert canonical_org_name(surface) == name


def test_is_suffix_needs_capitals_for_short_words():
    assert is_suffix("Inc.") and is_suffix("GmbH") and is_suffix("AG")
    assert not is_suffix("Ag") and not is_suffix("Robots")


@pytest.mark.parametrize("text", ["USD 5 million", "34.5%", "AI", "March 2026", "acme.com"])
def test_is_generic_rejects_values_and_terms(text):
    assert is_generic(text)


def test_is_generic_keeps_a_name():
    assert not is_generic("Zorblex")


def test_person_shaped_wants_two_capitalised_non_org_words():
    assert person_shaped("Marisol Quenby")
    assert not person_shaped("Quenby")
    assert not person_shaped("Brindle Labs")
    assert not person_shaped("AI Verity")


# ---------------------------------------------------------------- the component


def test_entity_rules_finds_suffix_org_the_model_misses(nlp):
    doc = nlp("Shares of Quillion Data Systems Private Limited rose sharply.")
    assert ("Quillion Data Systems Private Limited", "ORG") in [
        (e.text, e.label_) for e in doc.ents
    ]


def test_entity_rules_joins_one_and_inside_a_suffixed_name(nlp):
    doc = nlp("Terms were set by Marbury and Lisle Publishers Inc yesterday.")
    assert "Marbury and Lisle Publishers Inc" in [e.text for e in doc.ents]


def test_entity_rules_marks_gazetteer_regions(nlp):
    doc = nlp("Demand in the U.S. and APAC grew faster than in Brazil.")
    regions = [e.text for e in doc.ents if e.label_ == "GPE"]
    assert regions == ["U.S.", "APAC", "Brazil"]


def test_entity_rules_reads_regulation_with_jurisdiction(nlp):
    doc = nlp("The EU Robot Safety Act takes effect next year.")
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "LAW"] == [
        ("EU Robot Safety Act", "LAW")
    ]


def test_entity_rules_dataset_token_needs_dataset_words(nlp):
    with_cue = nlp("Brindle Labs released TALLOW-3B, a corpus of 3 billion tokens.")
    without = nlp("Brindle Labs said TALLOW-3B sales rose.")
    assert "TALLOW-3B" in [e.text for e in with_cue.ents if e.label_ == "DATASET"]
    assert "TALLOW-3B" not in [e.text for e in without.ents if e.label_ == "DATASET"]


def test_entity_rules_records_deal_cues(nlp):
    doc = nlp("Varnex acquired Plimsoll last week.")
    cues = {e.text: set(e._.cues) for e in doc.ents}
    assert "deal-subject" in cues["Varnex"]
    assert "deal-party" in cues["Plimsoll"]


def test_entity_rules_drops_money_and_percent_from_names(nlp):
    doc = nlp("Revenue reached USD 27 billion, up 13%.")
    assert not [e for e in doc.ents if e.label_ in {"ORG", "LAW", "GPE", "PERSON"}]


# ---------------------------------------------------------------- resolution


def test_resolve_merges_surface_forms_into_one_org(nlp):
    facts, _ = resolve(
        nlp,
        "Quorvane Analytics, Inc. opened an office in Lyon.",
        "Quorvane Analytics's revenue grew, and Quorvane acquired Pellwick.",
    )
    orgs = [e for e in facts.entities.values() if e.kind == "org"]
    quorvane = [e for e in orgs if e.name.startswith("Quorvane")]
    assert len(quorvane) == 1
    assert quorvane[0].name == "Quorvane Analytics"
    assert "Quorvane Analytics, Inc." in quorvane[0].aliases


def test_resolve_acronym_definition_gives_one_entity(nlp):
    facts, _ = resolve(
        nlp,
        "The Ardent Robotics Consortium (ARC) signed a partnership with Pellwick Inc.",
        "ARC acquired Tamsin Labs in May.",
    )
    matches = [e for e in facts.entities.values() if "ARC" in e.aliases | {e.name}]
    assert len(matches) == 1
    assert "Ardent Robotics Consortium" in matches[0].aliases | {matches[0].name}


def test_resolve_rejects_capitalised_common_words(nlp):
    facts, _ = resolve(nlp, "Healthcare is the fastest-growing segment.", "Cloud leads demand.")
    assert not names(facts, "org")


def test_resolve_rejects_names_seen_only_in_headings(nlp):
    text = "Cloud Storage Platforms"
    facts = ReportFacts("t.txt", "0" * 64, text)
    doc = nlp(text)
    for ent in doc.ents:
        ent._.cues = (*ent._.cues, "weak")
    resolve_entities([(0, doc)], facts, text, weak_names=[text])
    assert not names(facts, "org")


def test_resolve_person_with_role_is_a_person(nlp):
    facts, _ = resolve(nlp, "Marisol Quenby, chief executive of Varnex Inc, said demand rose.")
    assert "Marisol Quenby" in names(facts, "person")
    assert "Varnex" in names(facts, "org")


def test_resolve_dataset_gets_publisher_license_and_size(nlp):
    facts, _ = resolve(
        nlp,
        "Brindle Labs released TALLOW-3B, a corpus of 3 billion tokens under a CC-BY-SA-3.0 "
        "licence.",
    )
    dataset = facts.entities[Ref("dataset", "TALLOW-3B")]
    assert dataset.publisher == Ref("org", "Brindle Labs")
    assert dataset.license == "CC-BY-SA-3.0"
    assert dataset.size == "3 billion tokens"


def test_resolve_possessive_names_dataset_publisher(nlp):
    facts, _ = resolve(nlp, "Demand is visible in Varnex's Open Kitchen Robot Dataset, with 9 TB.")
    dataset = facts.entities[Ref("dataset", "Open Kitchen Robot Dataset")]
    assert dataset.publisher == Ref("org", "Varnex")


def test_resolve_launched_product_gets_provider(nlp):
    facts, _ = resolve(nlp, "Varnex launched Quorra Studio, a platform for labeling images.")
    product = facts.entities[Ref("product", "Quorra Studio")]
    assert product.provider == Ref("org", "Varnex")


def test_resolve_region_part_of_nearest_named_ancestor(nlp):
    facts, _ = resolve(nlp, "Europe leads, and Germany and France buy the most.")
    assert facts.entities[Ref("region", "Germany")].part_of == Ref("region", "Europe")
    assert facts.entities[Ref("region", "Germany")].country
    alone, _ = resolve(nlp, "Germany buys the most.")
    assert alone.entities[Ref("region", "Germany")].part_of is None


def test_resolve_state_is_a_region_inside_its_country_never_an_org(nlp):
    facts, _ = resolve(
        nlp, "Trevanto Systems, based in Ontario, sells labelling tools across Canada."
    )
    ontario = facts.entities[Ref("region", "Ontario")]
    assert not ontario.country
    assert ontario.part_of == Ref("region", "Canada")
    assert "Ontario" not in names(facts, "org")
    assert "Trevanto Systems" in names(facts, "org")


def test_resolve_state_owning_a_bill_is_a_region(nlp):
    facts, _ = resolve(nlp, "Vermont's SB 412 caps the fees that Quellon Freight may charge.")
    assert "Vermont" in names(facts, "region")
    assert "Vermont" not in names(facts, "org")


def test_entity_rules_reads_state_abbreviation_as_region(nlp):
    doc = nlp("Brisco Labs opened offices in Fresno, Calif., and Hamilton, Ont., last year.")
    regions = [e.text for e in doc.ents if e.label_ == "GPE"]
    assert "Calif." in regions and "Ont." in regions


def test_entity_rules_state_opening_a_suffixed_name_stays_in_the_name(nlp):
    doc = nlp("Kansas Prairie Mills Inc. expanded its grain terminal last year.")
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in {"ORG", "GPE"}] == [
        ("Kansas Prairie Mills Inc.", "ORG")
    ]


def test_resolve_regulation_jurisdiction_and_short_form(nlp):
    facts, _ = resolve(
        nlp,
        "The EU Robot Safety Act applies from May.",
        "Under the Robot Safety Act and GDPR, vendors keep records.",
    )
    regs = {ref.name: e for ref, e in facts.entities.items() if ref.kind == "regulation"}
    assert set(regs) == {"EU Robot Safety Act", "GDPR"}
    assert regs["EU Robot Safety Act"].jurisdiction == Ref("region", "European Union")
    assert "Robot Safety Act" in regs["EU Robot Safety Act"].aliases
    assert regs["GDPR"].jurisdiction == Ref("region", "European Union")


def test_resolve_sets_ref_on_every_kept_entity(nlp):
    _, units = resolve(nlp, "Varnex Inc acquired Plimsoll Tools Corp in Canada.")
    ents = [e for _, doc in units for e in doc.ents if e.label_ in {"ORG", "GPE"}]
    assert {e._.ref for e in ents} == {
        Ref("org", "Varnex"),
        Ref("org", "Plimsoll Tools"),
        Ref("region", "Canada"),
    }


def test_find_ref_matches_legal_forms_and_aliases():
    facts = ReportFacts("r.txt", "0", "")
    facts.entity(Ref("org", "Plimsoll Tools")).aliases.add("PT")
    assert find_ref(facts, "Plimsoll Tools, Inc.") == Ref("org", "Plimsoll Tools")
    assert find_ref(facts, "PT") == Ref("org", "Plimsoll Tools")
    assert find_ref(facts, "Varnex") is None


# ---------------------------------------------------------------- page furniture and citations


def test_entity_rules_cited_author_is_a_person_and_source_an_org(nlp):
    doc = nlp(
        "Vendors agree.[1]Marten Feldor, “Why Lifting Aids Became Software,” "
        "Shopfloor Weekly Review, shopfloorweekly.com"
    )
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Marten Feldor") == "PERSON"
    assert labels.get("Shopfloor Weekly Review") == "ORG"
    assert not [t for t in labels if "[1]" in t]


def test_entity_rules_cut_copyright_and_licence_marks_from_names(nlp):
    doc = nlp("Image © Brennick Analytics. Reuse requires attribution under CC BY 4.0.")
    orgs = [e.text for e in doc.ents if e.label_ == "ORG"]
    assert "CC" not in orgs
    assert not [o for o in orgs if "©" in o]


def test_entity_rules_never_cross_a_bracket_edge(nlp):
    doc = nlp(
        "The report is segmented by Coat Type (Primers, Sealers, and Topcoats), "
        "Sales Channel (Direct-to-Consumer, Retail, and Online)."
    )
    assert not [e.text for e in doc.ents if ("(" in e.text) != (")" in e.text)]


def test_entity_rules_regulators_binding_rule_is_a_regulation(nlp):
    doc = nlp("The Harbour Conduct Authority's Fair Pricing Duty now requires insurers to report.")
    assert ("Fair Pricing Duty", "LAW") in [(e.text, e.label_) for e in doc.ents]
    other = nlp("The Harbour Conduct Authority's Fair Pricing Duty was discussed at length.")
    assert ("Fair Pricing Duty", "LAW") not in [(e.text, e.label_) for e in other.ents]


def test_adopt_deal_names_renames_a_coined_short_form_to_the_deal_name():
    facts = ReportFacts("t.txt", "0" * 64, "")
    short = Ref("org", "Tarnwell")
    facts.entity(short).aliases.add("Tarnwell Pet Holdings LLC")
    facts.entity(Ref("market", "Pet Care")).leaders.append(short)
    full = Ref("org", "Tarnwell Pet")
    facts.events.append(Event("Partnership", roles={"participant": [full, Ref("org", "Orbo")]}))
    adopt_deal_names(facts)
    assert short not in facts.entities
    assert facts.entities[Ref("market", "Pet Care")].leaders == [full]
    assert "Tarnwell Pet Holdings LLC" in facts.entities[full].aliases


def test_adopt_deal_names_leaves_an_unrelated_longer_name_alone():
    facts = ReportFacts("t.txt", "0" * 64, "")
    facts.entity(Ref("org", "Tarnwell")).aliases.add("Tarnwell Group")
    facts.events.append(Event("Acquisition", roles={"acquired": [Ref("org", "Tarnwell Pet")]}))
    adopt_deal_names(facts)
    assert Ref("org", "Tarnwell") in facts.entities


def test_link_launches_sets_a_missing_provider_but_keeps_a_known_one():
    facts = ReportFacts("t.txt", "0" * 64, "")
    tool, kept = Ref("product", "Widget Pro"), Ref("product", "Widget Max")
    facts.entity(tool)
    facts.entity(kept).provider = Ref("org", "Orbo")
    maker = Ref("org", "Zantrel")
    facts.events.append(Event("Launch", roles={"launchedBy": [maker], "launched": [tool, kept]}))
    link_launches(facts)
    assert facts.entities[tool].provider == maker
    assert facts.entities[kept].provider == Ref("org", "Orbo")


# ---------------------------------------------------------------- varied phrasings


def test_entity_rules_reads_plural_regulations_with_inner_of_and_in(nlp):
    doc = nlp("Exporters must follow the Safety in Deep Mines Regulations from next year.")
    laws = [e.text for e in doc.ents if e.label_ == "LAW"]
    assert laws == ["Safety in Deep Mines Regulations"]


def test_entity_rules_passive_verb_and_by_open_no_name(nlp):
    doc = nlp("The Widget Market Report is Segmented by Technology (Foil and Film).")
    assert not [e for e in doc.ents if e.text.startswith("Segmented")]


def test_entity_rules_licensed_object_is_a_product(nlp):
    doc = nlp("Varnex Inc licensed the Pellwick Freight Index from Tamsin Labs in May.")
    products = [e.text for e in doc.ents if e.label_ == "PRODUCT"]
    assert products == ["Pellwick Freight Index"]


def test_entity_rules_licensed_name_before_lower_case_offer_word(nlp):
    doc = nlp("Varnex Inc licenses the RouteWise scheduling engine from Tamsin Labs.")
    assert [e.text for e in doc.ents if e.label_ == "PRODUCT"] == ["RouteWise"]


def test_entity_rules_launched_name_keeps_its_model_number(nlp):
    doc = nlp("Varnex Inc unveiled Brisko 40, a compact pump for small farms.")
    assert [e.text for e in doc.ents if e.label_ == "PRODUCT"] == ["Brisko 40"]


def test_entity_rules_unit_symbols_are_not_names(nlp):
    doc = nlp("Plants below 5 MW and those of 20 GW were compared.")
    assert not [e for e in doc.ents if e.text in {"MW", "GW"}]


def test_canonical_org_name_strips_capital_as_suffix():
    assert canonical_org_name("Quorvane Hydro AS") == "Quorvane Hydro"


def test_resolve_acronym_of_a_regulation_joins_the_regulation(nlp):
    facts, _ = resolve(
        nlp,
        "The Digital Freight Integrity Act (DFIA) applies to carriers.",
        "Under DFIA, carriers must keep records.",
    )
    laws = [e for e in facts.entities.values() if e.kind == "regulation"]
    assert len(laws) == 1
    assert "DFIA" in laws[0].aliases
    assert not names(facts, "org")


def test_resolve_drops_two_listed_names_read_as_one(nlp):
    facts, _ = resolve(
        nlp,
        "Tamsin Labs Ltd. makes pumps.",
        "Leaders are Varnex Inc., Pellwick Mutual and Tamsin Labs Ltd. in this market.",
    )
    assert not [n for n in names(facts, "org") if " and " in n]


def test_resolve_capitalised_first_item_of_a_noun_list_is_no_name(nlp):
    facts, _ = resolve(
        nlp, "Keyloggers, invoice fraud, and outages at cloud hosts have lifted demand for cover."
    )
    assert "Keyloggers" not in names(facts, "org")


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("Orvane Corp released the Glimmer 4 noise logger in May.", "Glimmer 4"),
        ("Orvane Corp brought Glimmer Pro to market in May.", "Glimmer Pro"),
    ],
)
def test_entity_rules_launched_name_keeps_its_model_word(nlp, text, product):
    doc = nlp(text)
    assert product in {e.text for e in doc.ents if e.label_ == "PRODUCT"}


def test_entity_rules_name_split_by_the_model_is_taken_whole(nlp):
    text = (
        "Capital keeps flowing to younger firms. Hayashi Auto Glass took a minority stake in "
        "Veltrine worth USD 25 million in August 2025."
    )
    spans = {e.text for e in nlp(text).ents if e.label_ in {"ORG", "PERSON"}}
    assert "Glass" not in spans
    assert "Hayashi Auto Glass" in spans


def test_promote_parties_product_raising_money_is_an_organization():
    facts = ReportFacts("r.txt", "0", "")
    loop = Ref("product", "Loopwise")
    facts.entity(loop)
    facts.events.append(Event("FundingRound", roles={"investee": [loop]}))
    facts.events.append(Event("Acquisition", roles={"acquired": [Ref("product", "Zorb Hub")]}))
    promote_parties(facts)
    assert facts.events[0].roles["investee"] == [Ref("org", "Loopwise")]
    assert facts.events[1].roles["acquired"] == [Ref("product", "Zorb Hub")]


def test_entity_rules_reads_regulation_with_hyphenated_lower_case_word(nlp):
    doc = nlp("The revised Anti-fouling Regulation applies to hull coatings.")
    assert "Anti-fouling Regulation" in [e.text for e in doc.ents if e.label_ == "LAW"]


def test_entity_rules_reads_bill_numbers_but_not_company_suffixes(nlp):
    doc = nlp("Under Oregon's HB 1187 producers pay fees, Sundvik AB 12 units were sold.")
    laws = [e.text for e in doc.ents if e.label_ == "LAW"]
    assert "HB 1187" in laws
    assert not [law for law in laws if "AB" in law]


# ---------------------------------------------------------------- firm names in news style


@pytest.mark.parametrize("suffix", ["KGaA", "OHG", "ApS", "Kft", "Ltda", "S.L.", "Cie"])
def test_is_suffix_knows_european_and_latin_american_legal_forms(suffix):
    assert is_suffix(suffix)


def test_entity_rules_legal_form_makes_a_person_shaped_name_a_firm(nlp):
    facts, _ = resolve(nlp, "Orvelle Tamsberg KGaA said it is selling a plant.")
    assert "Orvelle Tamsberg" in names(facts, "org")
    assert not names(facts, "person")


@pytest.mark.parametrize(
    "name", ["Kessler und Varnholt GmbH", "Pellwick and Co", "Quarrow et Halvick SA"]
)
def test_entity_rules_joining_word_stays_inside_a_suffixed_name(nlp, name):
    doc = nlp(f"Brindle Labs Inc agreed to buy {name} for cash.")
    assert name in [e.text for e in doc.ents if e.label_ == "ORG"]


def test_entity_rules_national_arm_named_with_of_a_place_is_one_name(nlp):
    doc = nlp("Brindle Labs Inc bought the pump division of Varnex Corp of Canada Ltd last week.")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Varnex Corp of Canada Ltd", "ORG") in ents
    assert ("Canada", "GPE") not in ents


def test_entity_rules_particle_inside_a_suffixed_name_but_not_a_title(nlp):
    doc = nlp("Society for Thrift Bancorp Inc said the Board of Varnex Inc met.")
    orgs = [e.text for e in doc.ents if e.label_ == "ORG"]
    assert "Society for Thrift Bancorp Inc" in orgs
    assert "Varnex Inc" in orgs


def test_resolve_keeps_a_firm_apart_from_its_arm_in_a_place(nlp):
    facts, _ = resolve(
        nlp,
        "Tamsin Vale Ltd agreed to sell its unit, Tamsin Vale Brazil Ltd, to Orrick Group.",
        "Tamsin Vale said the sale would close in June.",
    )
    assert {"Tamsin Vale", "Tamsin Vale Brazil"} <= names(facts, "org")


def test_resolve_joins_a_later_split_form_of_a_joined_name(nlp):
    _, units = resolve(
        nlp,
        "Marbury and Lisle Publishers Inc received two bids.",
        "A rival bid for Marbury and Lisle came from Orrick Group.",
    )
    first = [e for e in units[0][1].ents if "Marbury" in e.text]
    later = [e for e in units[1][1].ents if "Marbury" in e.text or "Lisle" in e.text]
    assert [e.text for e in later] == ["Marbury and Lisle"]
    assert later[0]._.ref == first[0]._.ref


def test_adopt_deal_names_folds_a_short_party_into_the_one_firm_it_opens():
    facts = ReportFacts("r.txt", "0", "")
    facts.entity(Ref("org", "Plimsoll Tools"))
    facts.entity(Ref("org", "Plimsoll Brazil"))
    facts.events.append(Event("Acquisition", roles={"acquirer": [Ref("org", "Plimsoll")]}))
    facts.events.append(Event("Acquisition", roles={"acquired": [Ref("org", "Orrick")]}))
    adopt_deal_names(facts)
    assert facts.events[0].roles["acquirer"] == [Ref("org", "Plimsoll Tools")]
    assert facts.events[1].roles["acquired"] == [Ref("org", "Orrick")]
