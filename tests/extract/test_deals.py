"""Tests for deal and launch extraction on short invented sentences.

The Docs come from the plain spaCy model, so parties without a resolved
``ent._.ref`` fall back to names read off the text; one test sets refs.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import spacy
from spacy.tokens import Span

from marketgraph.errors import ExtractionError
from marketgraph.extract.deals import DealContext, find_events, merge_events
from marketgraph.extract.facts import Event, Ref
from marketgraph.extract.pipeline import load_nlp
from marketgraph.settings import get_settings


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(get_settings().spacy_model)


def events_of(nlp, text: str, context: DealContext | None = None, kind: str | None = None):
    found = find_events(nlp(text), 0, context or DealContext())
    return [e for e in found if kind is None or e.type == kind]


def names(event: Event, role: str) -> list[str]:
    return [r.name for r in event.parties(role)]


def test_find_events_active_acquisition_with_total_not_per_share_price(nlp) -> None:
    text = "Zorvex Corp said it agreed to acquire Quillon Inc for 31 dlrs a share, or 240 mln dlrs."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Zorvex Corp"]
    assert names(event, "acquired") == ["Quillon Inc"]
    assert (event.amount, event.currency) == (Decimal(240_000_000), "USD")
    assert event.status == "agreed"


def test_find_events_passive_acquisition(nlp) -> None:
    (event,) = events_of(
        nlp, "Quillon Inc was bought by Zorvex Corp last year.", kind="Acquisition"
    )
    assert names(event, "acquirer") == ["Zorvex Corp"]
    assert names(event, "acquired") == ["Quillon Inc"]


def test_find_events_sale_of_unit_names_seller_and_buyer(nlp) -> None:
    text = "Brantley Group said it sold its Pelham Tools unit to Zorvex Corp for 47 mln dlrs."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "seller") == ["Brantley Group"]
    assert names(event, "acquirer") == ["Zorvex Corp"]
    assert names(event, "acquired") == ["Pelham Tools"]
    assert event.status == "completed"


def test_find_events_purchase_from_a_seller(nlp) -> None:
    text = "Zorvex Corp said it completed its purchase of Quillon Inc from Marlow Holdings."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Zorvex Corp"]
    assert names(event, "seller") == ["Marlow Holdings"]
    assert event.status == "completed"


def test_find_events_possessive_acquisition_takes_its_date(nlp) -> None:
    text = "Brightloom's March 2024 acquisition of Pellow Systems expanded its reach."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquired") == ["Pellow Systems"]
    assert event.date == "2024-03"


def test_find_events_stake_purchase_names_the_company_not_the_shares(nlp) -> None:
    text = "Varnet Inc said it agreed to buy three mln shares, or 17 pct, of Tallow Widget Co Ltd."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquired") == ["Tallow Widget Co Ltd"]


def test_find_events_terminated_deal(nlp) -> None:
    text = "Zorvex Corp said it terminated its agreement to acquire Quillon Inc."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert event.status == "terminated"


def test_find_events_funding_round_with_lead_and_valuation(nlp) -> None:
    text = (
        "Quillon Labs raised $38 million in a Series A round led by Pike Ventures "
        "at a $410 million valuation."
    )
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "investee") == ["Quillon Labs"]
    assert names(event, "leadInvestor") == ["Pike Ventures"]
    assert event.round_type == "Series A"
    assert (event.amount, event.valuation) == (Decimal(38_000_000), Decimal(410_000_000))


def test_find_events_minority_stake_is_an_investment(nlp) -> None:
    text = "Harwick Capital took a minority stake in Dorne Robotics in May 2024."
    (event,) = events_of(nlp, text, kind="Investment")
    assert names(event, "investor") == ["Harwick Capital"]
    assert names(event, "investee") == ["Dorne Robotics"]
    assert event.date == "2024-05"


def test_find_events_partnership_with(nlp) -> None:
    text = "Kestrel Labs partnered with Orbis Analytics to build sensor datasets."
    (event,) = events_of(nlp, text, kind="Partnership")
    assert sorted(names(event, "participant")) == ["Kestrel Labs", "Orbis Analytics"]


def test_find_events_licensing_deal(nlp) -> None:
    text = "Marlow Press licensed its news archive to Quillon Labs in 2024."
    (event,) = events_of(nlp, text, kind="Licensing")
    assert names(event, "licensor") == ["Marlow Press"]
    assert names(event, "licensee") == ["Quillon Labs"]


def test_find_events_launch_of_dataset_and_product(nlp) -> None:
    dataset = events_of(nlp, "Kestrel Labs released the Forge-9 dataset in 2025.", kind="Launch")
    assert [e.parties("launched") for e in dataset] == [[Ref("dataset", "Forge-9")]]
    product = events_of(nlp, "Kestrel Labs launched Orbis Studio in 2025.", kind="Launch")
    assert [e.parties("launched") for e in product] == [[Ref("product", "Orbis Studio")]]


def test_find_events_launch_of_unnamed_thing_is_ignored(nlp) -> None:
    assert events_of(nlp, "Kestrel Labs launched a new tool for annotators.", kind="Launch") == []


def test_find_events_uses_resolved_refs(nlp) -> None:
    doc = nlp("Zorvex Corp acquired Quillon Inc.")
    canonical = Ref("org", "Zorvex")
    doc.ents = [Span(doc, 0, 2, label="ORG"), Span(doc, 3, 5, label="ORG")]
    doc.ents[0]._.ref = canonical
    (event,) = [e for e in find_events(doc, 0, DealContext()) if e.type == "Acquisition"]
    assert event.parties("acquirer") == [canonical]


def test_find_events_mentions_are_offset_into_the_report(nlp) -> None:
    report = "Intro line.\nZorvex Corp acquired Quillon Inc for 9 mln dlrs."
    offset = report.index("Zorvex")
    (event,) = find_events(nlp(report[offset:]), offset, DealContext())
    (mention,) = event.mentions
    assert report[mention.start : mention.end] == mention.text


def test_find_events_block_lead_date_applies_to_its_sentences(nlp) -> None:
    context = DealContext()
    (event,) = events_of(nlp, "April 2024: Zorvex Corp acquired Quillon Inc.", context)
    assert event.date == "2024-04"


def test_find_events_follow_up_sentence_fills_the_amount(nlp) -> None:
    context = DealContext()
    (event,) = events_of(nlp, "Zorvex Corp said it acquired Quillon Inc.", context)
    assert events_of(nlp, "The deal was valued at 48 mln dlrs.", context) == []
    assert event.amount == Decimal(48_000_000)


def test_find_events_needs_a_parsed_doc() -> None:
    with pytest.raises(ExtractionError, match="dependency-parsed"):
        find_events(spacy.blank("en")("Zorvex acquired Quillon."), 0, DealContext())


def test_merge_events_folds_restatements_and_keeps_conflicts_apart() -> None:
    zorvex, quillon = Ref("org", "Zorvex Corp"), Ref("org", "Quillon Inc")
    first = Event("Acquisition", roles={"acquirer": [zorvex], "acquired": [quillon]})
    again = Event("Acquisition", roles={"acquired": [Ref("org", "Quillon")]}, amount=Decimal(5))
    other = Event("Acquisition", roles={"acquirer": [zorvex], "acquired": [Ref("org", "Pellow")]})
    merged = merge_events([first, again, other])
    assert len(merged) == 2
    assert merged[0].amount == Decimal(5)
    assert merged[1].parties("acquired") == [Ref("org", "Pellow")]


@pytest.mark.parametrize(
    "text",
    [
        "Brindle Works snapped up Orvane Tools in May 2026.",
        "Brindle Works picked up Orvane Tools in May 2026.",
    ],
)
def test_find_events_phrasal_buy_verbs_are_acquisitions(nlp, text) -> None:
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Brindle Works"]
    assert names(event, "acquired") == ["Orvane Tools"]


def test_find_events_percentage_stake_bought_is_an_investment(nlp) -> None:
    text = "Harl Group acquired a 15% stake in Pemberly Labs for USD 48 million."
    assert not events_of(nlp, text, kind="Acquisition")
    (event,) = events_of(nlp, text, kind="Investment")
    assert names(event, "investee") == ["Pemberly Labs"]


def test_deal_context_observe_recognises_wire_copy(nlp) -> None:
    context = DealContext()
    context.observe(nlp("Harl Group reported sales of USD 48 million."))
    assert not context.wire
    context.observe(nlp("Harl Group said it paid 48 mln dlrs."))
    assert context.wire


def test_find_events_stake_taken_in_wire_copy_is_an_acquisition_with_its_seller(nlp) -> None:
    text = (
        "Corvane Holdings said it agreed to take a 15 pct stake in Belmar Foods Ltd, "
        "a subsidiary of Ostrava Group Plc, for two mln dlrs."
    )
    assert not events_of(nlp, text, kind="Investment")
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvane Holdings"]
    assert names(event, "acquired") == ["Belmar Foods Ltd"]
    assert names(event, "seller") == ["Ostrava Group Plc"]


def test_find_events_wire_item_keeps_only_its_lead_deal(nlp) -> None:
    context = DealContext()
    (lead,) = events_of(nlp, "Corvane Corp said it acquired Belmar Inc for 14 mln dlrs.", context)
    assert events_of(nlp, "Last year Corvane Corp bought Tessaly Ltd.", context) == []
    assert events_of(nlp, "Belmar Inc was bought by Corvane Corp.", context)  # the lead again
    assert names(lead, "acquired") == ["Belmar Inc"]


def test_find_events_report_prose_keeps_every_deal(nlp) -> None:
    context = DealContext()
    assert events_of(nlp, "Corvane Corp acquired Belmar Inc for USD 12 million.", context)
    assert events_of(nlp, "Last year Corvane Corp bought Tessaly Ltd.", context)


def test_find_events_holding_of_shares_leads_until_a_deal_is_stated(nlp) -> None:
    context = DealContext()
    text = "Corvane Corp said it has 1.2 mln shares, or 6.1 pct, of Belmar Inc."
    (lead,) = events_of(nlp, text, context)
    assert names(lead, "acquirer") == ["Corvane Corp"]
    assert names(lead, "acquired") == ["Belmar Inc"]
    assert events_of(nlp, "Corvane Corp said it agreed to buy Tessaly Ltd.", context) == []
    assert names(lead, "acquired") == ["Tessaly Ltd"]  # the lead now states the deal


def test_find_events_holding_in_a_relative_clause_is_background(nlp) -> None:
    text = "Tessaly Ltd, which owns 19.9 pct of Belmar Inc, reported higher profits."
    assert events_of(nlp, text, kind="Acquisition") == []


def test_find_events_group_is_named_by_its_leader(nlp) -> None:
    text = "A group of investors led by Marta Quinlan said it bought 9.6 pct of Belmar Inc."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Marta Quinlan"]
    assert names(event, "acquired") == ["Belmar Inc"]


def test_find_events_agreed_to_be_acquired(nlp) -> None:
    text = "Belmar Inc agreed to be acquired by Corvane Corp for about 40 mln dlrs."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvane Corp"]
    assert names(event, "acquired") == ["Belmar Inc"]
    assert event.amount == Decimal(40_000_000)


def test_find_events_rejected_takeover_offer_names_bidder_and_target(nlp) -> None:
    text = "Belmar Inc said its board rejected a takeover offer by Corvane Corp."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvane Corp"]
    assert names(event, "acquired") == ["Belmar Inc"]


def test_find_events_buyer_named_through_its_unit_is_the_parent(nlp) -> None:
    text = "Belmar Inc said it sold its Ridley Tools unit to Corvane Corp's Osprey Ltd subsidiary."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvane Corp"]
    assert names(event, "seller") == ["Belmar Inc"]


def test_find_events_present_tense_selling_in_a_relative_clause_is_no_deal(nlp) -> None:
    text = "Tessaly Ltd, which sells payroll software packages to banks, hired a new chief."
    assert events_of(nlp, text, kind="Acquisition") == []


def test_find_events_places_are_not_bought(nlp) -> None:
    doc = nlp(
        "Corvane Corp agreed to buy all the stock of Belmar Inc and two associated "
        "businesses in Idaho and Utah."
    )
    # The pipeline drops place spans that resolve to no region, as it does for states.
    doc.ents = [ent for ent in doc.ents if ent.label_ not in {"GPE", "LOC"}]
    (event,) = [e for e in find_events(doc, 0, DealContext()) if e.type == "Acquisition"]
    assert names(event, "acquired") == ["Belmar Inc"]


def test_find_events_town_and_state_after_a_name_are_not_bought(nlp) -> None:
    text = "Corvane Corp said it agreed to merge with Belmar Group Inc, Rockville Centre, N.Y."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquired") == ["Belmar Group Inc"]


def test_find_events_described_business_of_a_company_names_the_seller(nlp) -> None:
    text = "Corvane Corp will pay 60 mln dlrs for the frozen foods business of Belmar Inc."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvane Corp"]
    assert names(event, "acquired") == ["frozen foods business"]
    assert names(event, "seller") == ["Belmar Inc"]


def test_find_events_division_of_a_company_names_the_seller(nlp) -> None:
    text = "Corvane Corp agreed to acquire the Ridley Tools division of Belmar Industries Inc."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquired")[0].startswith("Ridley Tools")
    assert names(event, "seller") == ["Belmar Industries Inc"]


def test_find_events_shares_exchanged_for_part_of_a_company(nlp) -> None:
    text = "Corvane Corp said it exchanged 4.6 mln common shares for 21 pct of Belmar Inc."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvane Corp"]
    assert names(event, "acquired") == ["Belmar Inc"]


def test_find_events_value_stated_after_assets_is_the_price(nlp) -> None:
    text = "Corvane Corp said it bought Belmar Inc, a deal involving assets valued at 64 mln dlrs."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert event.amount == Decimal(64_000_000)


def test_find_events_joined_forces_is_a_partnership(nlp) -> None:
    text = "Tavren Systems joined forces with Ostrey Foods on cold storage trials."
    (event,) = events_of(nlp, text, kind="Partnership")
    assert set(names(event, "participant")) == {"Tavren Systems", "Ostrey Foods"}


def test_find_events_granted_licence_goes_to_the_indirect_object(nlp) -> None:
    text = "Quell Labs granted Norrin Health a licence to its imaging patents."
    (event,) = events_of(nlp, text, kind="Licensing")
    assert names(event, "licensor") == ["Quell Labs"]
    assert names(event, "licensee") == ["Norrin Health"]


def test_find_events_investor_leading_a_round_in_a_company(nlp) -> None:
    text = (
        "Carrow Ventures led a USD 30 million Series A in Pellam Inc, "
        "a round that valued the start-up at USD 300 million."
    )
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "investee") == ["Pellam Inc"]
    assert names(event, "leadInvestor") == ["Carrow Ventures"]
    assert (event.amount, event.valuation) == (Decimal(30_000_000), Decimal(300_000_000))


def test_find_events_follow_up_sentence_completes_the_round(nlp) -> None:
    text = (
        "Dovetail Imaging has raised USD 75 million in Series C financing. "
        "Wexcombe Partners led the round, which values the company at USD 1.1 billion."
    )
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "leadInvestor") == ["Wexcombe Partners"]
    assert event.valuation == Decimal(1_100_000_000)


# ---------------------------------------------------------------- misparsed and coordinated


def test_find_events_funding_when_an_unknown_brand_is_misread_as_an_adverb(nlp) -> None:
    # The small model tags "Snoutly" ADV and "secured" ADJ: only the surface order is left.
    text = (
        "October 2025: Snoutly secured USD 24 million in a Series A round led by Quarrow Ventures."
    )
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "investee") == ["Snoutly"]
    assert names(event, "leadInvestor") == ["Quarrow Ventures"]
    assert (event.round_type, event.amount, event.date) == (
        "Series A",
        Decimal(24_000_000),
        "2025-10",
    )


def test_find_events_launch_when_an_unknown_brand_is_misread(nlp) -> None:
    text = "December 2025: Snoutly debuted TailTrack, a wellness product for dog owners."
    (event,) = events_of(nlp, text, kind="Launch")
    assert names(event, "launchedBy") == ["Snoutly"]
    assert names(event, "launched") == ["TailTrack"]


def test_find_events_investment_with_in_hung_on_the_amount(nlp) -> None:
    text = (
        "Odenmark Re invested USD 75 million in Tailwind Pet for a minority stake "
        "in September 2025."
    )
    (event,) = events_of(nlp, text, kind="Investment")
    assert names(event, "investor") == ["Odenmark Re"]
    assert names(event, "investee") == ["Tailwind Pet"]
    assert event.amount == Decimal(75_000_000)


def test_find_events_partnership_of_a_coordinated_subject(nlp) -> None:
    text = "Harrowby Bionics and Daikoro Logistics entered a strategic partnership in January 2025."
    (event,) = events_of(nlp, text, kind="Partnership")
    assert set(names(event, "participant")) == {"Harrowby Bionics", "Daikoro Logistics"}


def test_find_events_licence_to_a_party_hung_on_a_second_object(nlp) -> None:
    text = "June 2025: Ovarine Ltd licensed its egg-white protein strain to Hearthmoor Group."
    (event,) = events_of(nlp, text, kind="Licensing")
    assert names(event, "licensor") == ["Ovarine Ltd"]
    assert names(event, "licensee") == ["Hearthmoor Group"]


def test_find_events_published_dataset_is_a_launch_but_a_published_report_is_not(nlp) -> None:
    data = "The Norvale Institute published the LiftSet-12K dataset in 2024."
    (event,) = events_of(nlp, data, kind="Launch")
    assert names(event, "launched") == ["LiftSet-12K"]
    assert event.parties("launched")[0].kind == "dataset"
    assert events_of(nlp, "The Norvale Institute published the Annual Outlook in 2024.") == []


def test_find_events_merger_of_the_two_companies_gives_way_to_a_plain_statement(nlp) -> None:
    context = DealContext()
    text = (
        "Corvane Corp said its holders and those of Belmar Inc approved the merger "
        "of the two companies."
    )
    (lead,) = events_of(nlp, text, context)
    assert (names(lead, "acquirer"), names(lead, "acquired")) == (["Corvane Corp"], ["Belmar Inc"])
    assert (
        events_of(nlp, "Corvane Corp agreed to be acquired by Belmar Inc for 9 mln dlrs.", context)
        == []
    )
    assert (names(lead, "acquirer"), names(lead, "acquired")) == (["Belmar Inc"], ["Corvane Corp"])


def test_find_events_investment_received_from_an_investor(nlp) -> None:
    text = "Plovtek Systems received a USD 40 million strategic investment from Harrowgate Capital."
    (event,) = events_of(nlp, text, kind="Investment")
    assert names(event, "investor") == ["Harrowgate Capital"]
    assert names(event, "investee") == ["Plovtek Systems"]
    assert (event.amount, event.currency) == (Decimal(40_000_000), "USD")


@pytest.mark.parametrize(
    ("text", "round_type"),
    [
        ("Seed funding of USD 9 million was secured by Tarnwell AI.", "seed"),
        ("Pre-seed funding of USD 2 million was secured by Quorvane Labs.", "pre-seed"),
        ("A Series B extension of USD 30 million was secured by Velmora Robotics.", "Series B"),
    ],
)
def test_find_events_passive_round_keeps_its_round_type(nlp, text, round_type) -> None:
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert len(event.parties("investee")) == 1
    assert event.round_type == round_type
    assert event.amount is not None and event.currency == "USD"


def test_find_events_capitalised_round_word_in_a_name_is_no_round(nlp) -> None:
    text = "Tarnwell AI raised USD 5 million in a round led by Bridge Capital."
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert event.round_type is None


@pytest.mark.parametrize("group", ["a consortium", "a joint venture"])
def test_find_events_three_parties_forming_a_group_are_one_partnership(nlp, group) -> None:
    text = f"Orvane Corp, Dellworth Inc, and Pashley Group formed {group} to build storage sites."
    (event,) = events_of(nlp, text, kind="Partnership")
    assert sorted(names(event, "participant")) == ["Dellworth Inc", "Orvane Corp", "Pashley Group"]


def test_find_events_sale_to_a_consortium_is_no_partnership(nlp) -> None:
    text = "Orvane Corp and Dellworth Inc sold Tamsin Ltd to a consortium of investors."
    assert events_of(nlp, text, kind="Partnership") == []


@pytest.mark.parametrize("verb", ["obtained", "secured"])
def test_find_events_licence_obtained_from_the_licensor(nlp, verb) -> None:
    text = f"Kestrel Motors {verb} a license from Lumidyne Corp for its sensor patents."
    (event,) = events_of(nlp, text, kind="Licensing")
    assert names(event, "licensor") == ["Lumidyne Corp"]
    assert names(event, "licensee") == ["Kestrel Motors"]


@pytest.mark.parametrize(
    ("opening", "year"),
    [("In Q3 2025, ", "2025"), ("Q1 2026: ", "2026"), ("During H2 2025 ", "2025")],
)
def test_find_events_quarter_date_does_not_take_an_earlier_month(nlp, opening, year) -> None:
    context = DealContext()
    (first,) = events_of(nlp, "March 2025: Orvane Corp acquired Tamsin Ltd.", context)
    assert first.date == "2025-03"
    text = (
        f"{opening}Dellworth Inc acquired Pashley Group for USD 90 million in a deal that "
        "widened its reach across the northern markets."
    )
    (event,) = events_of(nlp, text, context, kind="Acquisition")
    assert event.date == year


@pytest.mark.parametrize(
    "text",
    [
        "Tarnwell AI raised a USD 20 million Series A in May 2025; Bridge Capital led the round.",
        "Tarnwell AI pulled in USD 20 million of Series A funding, with Bridge Capital leading "
        "the financing.",
    ],
)
def test_find_events_lead_investor_that_leads_the_round_itself(nlp, text) -> None:
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "investee") == ["Tarnwell AI"]
    assert names(event, "leadInvestor") == ["Bridge Capital"]
    assert event.round_type == "Series A"


def test_find_events_coined_name_opening_a_sentence_raises_a_round(nlp) -> None:
    (event,) = events_of(nlp, "Quorvane closed a $4.6 million seed round.", kind="FundingRound")
    assert names(event, "investee") == ["Quorvane"]
    assert (event.amount, event.round_type) == (Decimal(4_600_000), "seed")


def test_find_events_ordinary_word_opening_a_sentence_is_no_party(nlp) -> None:
    assert events_of(nlp, "Founders closed a $4.6 million seed round.") == []


@pytest.mark.parametrize("mou", ["a memorandum of understanding", "an MoU"])
def test_find_events_memorandum_of_understanding_is_a_partnership(nlp, mou) -> None:
    text = f"Orvane Corp and Dellworth Inc signed {mou} in May 2025 to share depots."
    (event,) = events_of(nlp, text, kind="Partnership")
    assert sorted(names(event, "participant")) == ["Dellworth Inc", "Orvane Corp"]


def test_find_events_other_memorandum_is_no_partnership(nlp) -> None:
    text = "Orvane Corp and Dellworth Inc signed a memorandum of sale in May 2025."
    assert events_of(nlp, text, kind="Partnership") == []


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("Orvane Corp brought Glimmer Pro to market in June 2025.", "Glimmer Pro"),
        ("Orvane Corp made its Glimmer Hub platform generally available.", "Glimmer Hub"),
    ],
)
def test_find_events_putting_a_product_on_the_market_is_a_launch(nlp, text, product) -> None:
    (event,) = events_of(nlp, text, kind="Launch")
    assert names(event, "launchedBy") == ["Orvane Corp"]
    assert names(event, "launched") == [product]


def test_find_events_made_available_without_a_name_is_no_launch(nlp) -> None:
    text = "Orvane Corp made its data generally available to researchers."
    assert events_of(nlp, text, kind="Launch") == []


def test_find_events_round_raised_after_an_appositive(nlp) -> None:
    text = (
        "Velmora Films, a Lyon-based developer of coatings, secured EUR 12 million "
        "(USD 13.1 million) in seed financing in March 2026."
    )
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "investee") == ["Velmora Films"]
    assert (event.amount, event.currency, event.date) == (Decimal(12_000_000), "EUR", "2026-03")


def test_find_events_taking_full_ownership_is_an_acquisition(nlp) -> None:
    text = "Tarrow Metals took full ownership of Fennick Alloys in June 2025."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Tarrow Metals"]
    assert names(event, "acquired") == ["Fennick Alloys"]
    assert event.date == "2025-06"


def test_find_events_taking_ownership_of_a_building_names_no_company(nlp) -> None:
    text = "Tarrow Metals took ownership of the new warehouse in June 2025."
    assert events_of(nlp, text, kind="Acquisition") == []


def test_find_events_inking_a_deal_with_a_firm_is_a_partnership(nlp) -> None:
    text = "Wexcombe Foods inked a deal with Darrant Logistics to run its cold stores."
    (event,) = events_of(nlp, text, kind="Partnership")
    assert sorted(names(event, "participant")) == ["Darrant Logistics", "Wexcombe Foods"]


def test_find_events_a_licensing_deal_is_no_partnership(nlp) -> None:
    text = "Wexcombe Foods inked a licensing deal with Darrant Logistics in 2025."
    assert events_of(nlp, text, kind="Partnership") == []
    assert len(events_of(nlp, text, kind="Licensing")) == 1


def test_find_events_round_in_a_fronted_backed_by_phrase(nlp) -> None:
    text = (
        "Backed by a USD 12 million Series A round led by Osterby Capital, Venlow Robotics "
        "introduced Gripline Pro, a picking arm for warehouses."
    )
    (event,) = events_of(nlp, text, kind="FundingRound")
    assert names(event, "investee") == ["Venlow Robotics"]
    assert (event.amount, event.currency) == (Decimal(12_000_000), "USD")
    assert "Series A" not in names(event, "investor")


def test_find_events_home_state_of_a_party_is_no_party() -> None:
    full = load_nlp()  # with the gazetteer, which knows states and provinces
    text = "Trevanto Systems of Ontario acquired Quillmark Labs of Boise, Idaho, for 30 mln dlrs."
    (event,) = events_of(full, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Trevanto Systems"]
    assert names(event, "acquired") == ["Quillmark Labs"]
    wire = "Palvora Corp of Fresno, Calif., said it bought Brightwell Data Inc for 9 mln dlrs."
    (event,) = events_of(full, wire, kind="Acquisition")
    assert names(event, "acquirer") == ["Palvora Corp"]
    assert names(event, "acquired") == ["Brightwell Data Inc"]


def test_find_events_talks_to_sell_name_the_company_that_reports_them(nlp) -> None:
    text = "Zorvex Corp said recent talks to sell its Quill stores to Bramble Co have ended."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "seller") == ["Zorvex Corp"]


def test_find_events_its_purchase_blocked_by_a_court_is_the_reporters(nlp) -> None:
    text = "Pellamy Bancorp said the state court blocked its purchase of Hartlow Savings Bank."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Pellamy Bancorp"]


def test_find_events_offer_for_all_shares_is_a_bid(nlp) -> None:
    text = "Corvance Ltd said it will offer 4 dlrs a share for all the capital of Ulvey Ltd."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Corvance Ltd"]
    assert names(event, "acquired") == ["Ulvey Ltd"]


@pytest.mark.parametrize(
    "follow_up",
    [
        "The merger would create a 900 mln dlr packaging company.",
        "The companies said the deal sets a 5 mln dlr cap on severance.",
        "Marlow estimated the merger will bring cost savings of about 20 mln dlrs.",
    ],
)
def test_find_events_amount_that_is_no_price_is_not_filled_in(nlp, follow_up) -> None:
    context = DealContext()
    (event,) = events_of(nlp, "Marlow Corp agreed to acquire Fennick Inc.", context)
    events_of(nlp, follow_up, context)
    assert event.amount is None


def test_find_events_date_opening_a_log_line_is_no_party() -> None:
    full = load_nlp()  # the plain model reads the one-word buyer as a place
    text = "Mar 2026 – Oskerby acquired Tindle Robotics for USD 8 million."
    (event,) = events_of(full, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Oskerby"]
    assert names(event, "acquired") == ["Tindle Robotics"]


def test_find_events_descriptor_before_the_bought_name(nlp) -> None:
    text = "Harrowgate Marine bought hull design studio Pellin Naval Works in May 2025."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Harrowgate Marine"]
    assert names(event, "acquired")[0].startswith("Pellin")


def test_find_events_holders_approving_a_merger_are_the_targets(nlp) -> None:
    text = "Most Brimley Corp shareholders approved a merger agreement with Cantwell Holdings Inc."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Cantwell Holdings Inc"]
    assert names(event, "acquired") == ["Brimley Corp"]


def test_find_events_seller_named_through_its_owner(nlp) -> None:
    text = "Dunmore Corp bought the plant from a trust controlled by Alvarez Holdings Ltd."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "seller") == ["Alvarez Holdings Ltd"]


def test_find_events_the_thing_bought_later_in_wire_copy_is_the_lead_target(nlp) -> None:
    context = DealContext()
    (lead,) = events_of(nlp, "Pelton Corp agreed to buy Vask Cable TV for 40 mln dlrs.", context)
    text = "Pelton said it will buy the system from a partnership owned by Orrick Inc."
    (event,) = events_of(nlp, text, context, kind="Acquisition")
    assert names(event, "acquired") == names(lead, "acquired")
    assert names(event, "seller") == ["Orrick Inc"]


def test_find_events_the_company_after_another_subject_is_the_reporter(nlp) -> None:
    text = "Dervin Inc said a filing showed that Olmsted Corp had assumed control of the company."
    (event,) = events_of(nlp, text, kind="Acquisition")
    assert names(event, "acquirer") == ["Olmsted Corp"]
    assert names(event, "acquired") == ["Dervin Inc"]


def test_merge_events_keeps_a_party_in_the_role_it_first_had() -> None:
    buyer, bought = Ref("org", "Tolliver Partners"), Ref("org", "Quensel Corp")
    first = Event("Acquisition", roles={"acquirer": [buyer], "acquired": [bought]})
    again = Event("Acquisition", roles={"acquired": [bought], "seller": [Ref("org", "Tolliver")]})
    (merged,) = merge_events([first, again])
    assert merged.roles == {"acquirer": [buyer], "acquired": [bought]}


@pytest.mark.parametrize(
    "text",
    [
        "Ferrand Holdings Ltd said it will not buy any more shares of Cobbet Inc.",
        "Ferrand Holdings Ltd said it does not plan to sell its Cobbet unit.",
    ],
)
def test_find_events_denied_deal_verb_states_no_deal(nlp, text) -> None:
    assert events_of(nlp, text, kind="Acquisition") == []


def test_find_events_date_comes_from_the_deal_clause_not_the_one_before(nlp) -> None:
    text = (
        "Ostrava Labs licensed its coating method to Pembry Works in March 2025, and Vellum "
        "Energy obtained a license from Carrow Institute in November 2025 to use its models."
    )
    dates = sorted(e.date for e in events_of(nlp, text, kind="Licensing"))
    assert dates == ["2025-03", "2025-11"]
