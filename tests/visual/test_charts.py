"""The SVG charts of the market page: bar lengths, sides of zero, and text kept as text."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from marketgraph.visual.charts import LABEL_CHARS, Bar, bar_chart, column_chart, impact_chart


def _rects(svg: str) -> list:
    return HTMLParser(str(svg)).css("rect.mg-bar")


def _width(rect) -> float:
    return float(rect.attributes["width"])


def test_bar_chart_lengths_follow_the_scale():
    svg = bar_chart([Bar("A", 50, "50 %"), Bar("B", 25, "25 %")], title="t", scale=100)
    a, b = _rects(svg)
    assert _width(a) == pytest.approx(2 * _width(b))
    # On a scale of 100 a half bar is half the track, not the longest bar.
    full = bar_chart([Bar("A", 100, "100 %")], title="t", scale=100)
    assert _width(a) == pytest.approx(_width(_rects(full)[0]) / 2)


def test_bar_chart_without_scale_gives_the_largest_bar_the_full_track():
    one = _rects(bar_chart([Bar("A", 3, "3")], title="t"))[0]
    two = _rects(bar_chart([Bar("A", 3, "3"), Bar("B", 300, "300")], title="t"))
    assert _width(two[1]) == pytest.approx(_width(one))
    assert _width(two[0]) == pytest.approx(_width(one) / 100)


def test_bar_chart_heads_each_group_once():
    bars = [
        Bar("A", 1, "1", group="G1"),
        Bar("B", 2, "2", group="G1"),
        Bar("C", 3, "3", group="G2"),
    ]
    groups = [t.text() for t in HTMLParser(str(bar_chart(bars, title="t"))).css(".mg-chart-group")]
    assert groups == ["G1", "G2"]


def test_impact_chart_draws_negatives_left_of_zero():
    svg = impact_chart(
        [Bar("up", 2.0, "+2", kind="Driver"), Bar("down", -1.0, "-1", kind="Restraint")],
        title="t",
    )
    tree = HTMLParser(str(svg))
    zero = float(tree.css_first("line.mg-axis").attributes["x1"])
    up, down = _rects(svg)
    assert float(up.attributes["x"]) == pytest.approx(zero)
    assert float(down.attributes["x"]) + _width(down) == pytest.approx(zero)
    assert _width(up) == pytest.approx(2 * _width(down))
    assert "mg-bar-Restraint" in down.attributes["class"]


def test_column_chart_heights_follow_values_and_years_label_columns():
    svg = column_chart([Bar("2024", 1, "1 bn"), Bar("2030", 4, "4 bn")], title="t")
    low, high = _rects(svg)
    assert float(high.attributes["height"]) == pytest.approx(4 * float(low.attributes["height"]))
    labels = [t.text() for t in HTMLParser(str(svg)).css(".mg-chart-label")]
    assert labels == ["2024", "2030"]


@pytest.mark.parametrize("chart", [bar_chart, column_chart, impact_chart])
def test_charts_keep_markup_in_labels_as_text(chart):
    name = '<script>alert(1)</script>"><img src=x>'
    svg = str(
        chart([Bar(name, 1, "<b>1</b>", note="</title><img>", href="/x?a=1&b=2")], title=name)
    )
    tree = HTMLParser(svg)
    assert tree.css("script, img, b") == []
    assert "<script>" not in svg and "<img" not in svg
    assert tree.css_first("svg > title").text() == name
    assert tree.css_first("a").attributes["href"] == "/x?a=1&b=2"


def test_bar_chart_cuts_long_labels_and_keeps_them_whole_in_the_tooltip():
    name = "A segment whose name goes on for far longer than a chart label can hold"
    tree = HTMLParser(str(bar_chart([Bar(name, 1, "1")], title="t")))
    shown = tree.css_first(".mg-chart-label").text()
    assert len(shown) <= LABEL_CHARS and shown.endswith("…")
    assert name.startswith(shown[:-1])
    assert tree.css_first("rect title").text().startswith(name)
