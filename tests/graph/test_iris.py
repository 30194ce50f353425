import pytest

from marketgraph.extract.facts import Ref
from marketgraph.graph.iris import entity_iri, fact_iri, mention_iri, report_iri, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Korvo Labs", "korvo-labs"),
        ("United States", "united-states"),
        ("  Ägir & Søn  ", "agir-sn"),
        ("AT&T", "at-t"),
        ("3M", "3m"),
    ],
)
def test_slugify_lower_ascii_words_joined_by_dash(name, slug):
    assert slugify(name) == slug


def test_slugify_gives_a_stable_slug_to_names_without_ascii():
    assert slugify("北京") == slugify("北京")
    assert slugify("北京") != slugify("上海")
    assert slugify("北京").isascii()


def test_entity_iri_follows_kind_slash_slug():
    assert str(entity_iri(Ref("region", "United States"))).endswith("/id/region/united-states")


def test_entity_iri_nests_a_scoped_name_under_its_scope():
    a = entity_iri(Ref("segment", "Other", scope="Sensor Type"))
    b = entity_iri(Ref("segment", "Other", scope="Mounting"))
    assert a != b
    assert str(a).endswith("/segment/sensor-type/other")


def test_fact_iri_is_stable_and_scoped_to_its_report():
    one, two = report_iri("one.txt"), report_iri("two.txt")
    assert fact_iri(one, "event", "x") == fact_iri(one, "event", "x")
    assert fact_iri(one, "event", "x") != fact_iri(two, "event", "x")
    assert fact_iri(one, "event", "x") != fact_iri(one, "event", "y")


def test_mention_iri_carries_the_offsets():
    assert str(mention_iri(report_iri("r.md"), 3, 9)).endswith("/mention/r-md/3-9")
