"""Choosing a result format from Accept (with q-values) or the format parameter."""

from __future__ import annotations

import pytest

from marketgraph.api.errors import NotAcceptable
from marketgraph.api.formats import GRAPH, SOLUTIONS, choose
from marketgraph.errors import InputError


@pytest.mark.parametrize("accept", [None, "", "*/*"])
def test_choose_defaults_to_the_first_format(accept):
    assert choose(SOLUTIONS, accept=accept).name == "json"
    assert choose(GRAPH, accept=accept).name == "turtle"


@pytest.mark.parametrize(
    ("formats", "accept", "expected"),
    [
        (SOLUTIONS, "text/*", "csv"),
        (GRAPH, "text/*", "turtle"),
        (SOLUTIONS, "application/json", "json"),
        (GRAPH, "application/json", "jsonld"),
        (SOLUTIONS, "application/xml", "xml"),
        (GRAPH, "application/xml", "rdfxml"),
        (SOLUTIONS, "text/csv;q=0, */*;q=0.1", "json"),
        (SOLUTIONS, "text/csv;q=0.2, text/tab-separated-values;q=0.3", "tsv"),
        (GRAPH, "application/n-triples;q=0.5, application/n-quads", "nquads"),
    ],
)
def test_choose_honours_accept_and_q_values(formats, accept, expected):
    assert choose(formats, accept=accept).name == expected


@pytest.mark.parametrize(
    ("formats", "name", "expected"),
    [
        (SOLUTIONS, "CSV", "csv"),
        (SOLUTIONS, "text/tab-separated-values", "tsv"),
        (GRAPH, "ttl", "turtle"),
        (GRAPH, "xml", "rdfxml"),
        (GRAPH, "json", "jsonld"),
    ],
)
def test_choose_format_name_wins_over_accept(formats, name, expected):
    assert choose(formats, accept="image/png", format_name=name).name == expected


def test_choose_nothing_acceptable_raises_not_acceptable():
    with pytest.raises(NotAcceptable, match="text/turtle"):
        choose(GRAPH, accept="text/csv")


def test_choose_unknown_format_name_lists_the_choices():
    with pytest.raises(NotAcceptable, match="json, xml, csv, tsv"):
        choose(SOLUTIONS, format_name="yaml")


def test_choose_unparseable_accept_is_an_input_error():
    with pytest.raises(InputError, match="Accept"):
        choose(SOLUTIONS, accept="nonsense;;;")


def test_text_formats_declare_utf8():
    csv = choose(SOLUTIONS, format_name="csv")
    assert csv.content_type == "text/csv; charset=utf-8"
    assert choose(SOLUTIONS).content_type == "application/sparql-results+json"
