"""Small SVG charts drawn on the server: bars, columns and a diverging impact chart.

The market page shows a report's numbers with these, so that it needs no
chart library and no script at all. Every piece of text (labels, tooltips,
links) is HTML-escaped here, so a segment named ``<script>`` is drawn as
those characters; the functions return :class:`~markupsafe.Markup` ready
to be placed in a template.

>>> svg = bar_chart([Bar("Lidar", 38.2, "38.2 %")], title="Share", scale=100)
>>> svg.startswith("<svg") and "38.2 %" in svg
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

#: Width of every chart, in SVG user units (the page scales it down to fit).
WIDTH = 640
#: Height of one bar of a horizontal chart.
ROW = 26
#: Longest label drawn in full; longer ones are cut, the full text is in the tooltip.
LABEL_CHARS = 34

COLORS = {
    "bar": "#4e79a7",
    "column": "#59a14f",
    "Driver": "#2e8540",
    "Restraint": "#c0392b",
    "axis": "#9aa5b1",
    "ink": "#1f2933",
    "muted": "#52606d",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value, the value as shown, and optional tooltip and link."""

    label: str
    value: float
    text: str
    note: str | None = None
    href: str | None = None
    kind: str = "bar"
    group: str | None = None


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _tooltip(bar: Bar) -> str:
    parts = [f"{bar.label}: {bar.text}"]
    if bar.note:
        parts.append(bar.note)
    return f"<title>{_esc(chr(10).join(parts))}</title>"


def _label(bar: Bar, x: float, y: float, anchor: str = "end", chars: int = LABEL_CHARS) -> str:
    text = (
        f'<text class="mg-chart-label" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'dominant-baseline="middle">{_esc(_short(bar.label, chars))}</text>'
    )
    if bar.href:
        return f'<a href="{_esc(bar.href)}">{text}</a>'
    return text


def _svg(body: list[str], *, title: str, height: float, chart_id: str | None) -> Markup:
    ident = f' id="{_esc(chart_id)}"' if chart_id else ""
    return Markup(
        f'<svg{ident} class="mg-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'aria-label="{_esc(title)}"><title>{_esc(title)}</title>' + "".join(body) + "</svg>"
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    scale: float | None = None,
    chart_id: str | None = None,
) -> Markup:
    """Horizontal bars, one row each, labels on the left and values at the bar's end.

    Args:
        bars: the rows, drawn in the order given; negative values draw as empty
            bars. A row whose ``group`` differs from the previous row's is
            preceded by a heading row naming the group.
        title: the chart's accessible name (and tooltip of the whole chart).
        scale: the value of a full-length bar (say 100 for percentages);
            the largest value when None.
        chart_id: the ``id`` of the ``<svg>`` element.
    """
    label_w, value_w = 250, 110
    track = WIDTH - label_w - value_w
    top = max((b.value for b in bars), default=0.0)
    full = scale or top or 1.0
    body = []
    row, group = 0, None
    for bar in bars:
        if bar.group is not None and bar.group != group:
            group = bar.group
            body.append(
                f'<text class="mg-chart-group" x="8" y="{6 + row * ROW + ROW / 2 + 2:.1f}" '
                f'font-weight="600">{_esc(_short(group, 60))}</text>'
            )
            row += 1
        y = 6 + row * ROW
        row += 1
        length = max(0.0, min(bar.value, full)) / full * track
        body.append(_label(bar, label_w - 8, y + ROW / 2 - 2))
        body.append(
            f'<rect class="mg-bar mg-bar-{_esc(bar.kind)}" x="{label_w}" y="{y + 3:.1f}" '
            f'width="{length:.1f}" height="{ROW - 10}" fill="{COLORS.get(bar.kind, COLORS["bar"])}"'
            f' data-value="{bar.value:g}">{_tooltip(bar)}</rect>'
        )
        end, middle = label_w + length + 6, y + ROW / 2 - 2
        body.append(
            f'<text class="mg-chart-value" x="{end:.1f}" y="{middle:.1f}" '
            f'dominant-baseline="middle">{_esc(bar.text)}</text>'
        )
    return _svg(body, title=title, height=12 + row * ROW, chart_id=chart_id)


def column_chart(
    columns: Sequence[Bar], *, title: str, chart_id: str | None = None, height: int = 240
) -> Markup:
    """Vertical columns over a baseline (a market's size year by year), values above them.

    ``label`` is written under each column (a year), ``text`` over it.
    """
    base, top_pad, gap = height - 28, 24, 18
    top = max((c.value for c in columns), default=0.0) or 1.0
    n = max(len(columns), 1)
    slot = (WIDTH - 40) / n
    width = min(90.0, slot - gap)
    body = [
        f'<line class="mg-axis" x1="20" y1="{base}" x2="{WIDTH - 20}" y2="{base}" '
        f'stroke="{COLORS["axis"]}"/>'
    ]
    for i, column in enumerate(columns):
        x = 20 + i * slot + (slot - width) / 2
        tall = max(0.0, column.value) / top * (base - top_pad)
        middle = x + width / 2
        body.append(
            f'<rect class="mg-bar mg-bar-{_esc(column.kind)}" x="{x:.1f}" y="{base - tall:.1f}" '
            f'width="{width:.1f}" height="{tall:.1f}" '
            f'fill="{COLORS.get(column.kind, COLORS["column"])}" data-value="{column.value:g}">'
            f"{_tooltip(column)}</rect>"
        )
        body.append(
            f'<text class="mg-chart-value" x="{middle:.1f}" y="{base - tall - 6:.1f}" '
            f'text-anchor="middle">{_esc(column.text)}</text>'
        )
        body.append(_label(column, middle, base + 14, anchor="middle"))
    return _svg(body, title=title, height=height, chart_id=chart_id)


def impact_chart(bars: Sequence[Bar], *, title: str, chart_id: str | None = None) -> Markup:
    """Bars either side of zero: positive values (drivers) right, negative (restraints) left.

    Each bar's ``kind`` picks its colour ("Driver", "Restraint"); labels sit
    on the left, values beside each bar's end.
    """
    label_w, pad = 300, 48
    span = max((abs(b.value) for b in bars), default=0.0) or 1.0
    left = any(b.value < 0 for b in bars)
    right = any(b.value > 0 for b in bars) or not left
    track = WIDTH - label_w - 2 * pad
    # Zero sits in the middle when both signs are present, else at the matching edge.
    if left and right:
        zero, half = label_w + pad + track / 2, track / 2
    elif left:
        zero, half = WIDTH - pad, track
    else:
        zero, half = label_w + pad, track
    height = 12 + len(bars) * ROW
    body = [
        f'<line class="mg-axis" x1="{zero:.1f}" y1="2" x2="{zero:.1f}" y2="{height - 4}" '
        f'stroke="{COLORS["axis"]}"/>'
    ]
    for i, bar in enumerate(bars):
        y = 6 + i * ROW
        length = abs(bar.value) / span * half
        x = zero if bar.value >= 0 else zero - length
        body.append(_label(bar, label_w - 8, y + ROW / 2 - 2, chars=44))
        body.append(
            f'<rect class="mg-bar mg-bar-{_esc(bar.kind)}" x="{x:.1f}" y="{y + 3:.1f}" '
            f'width="{length:.1f}" height="{ROW - 10}" '
            f'fill="{COLORS.get(bar.kind, COLORS["bar"])}" data-value="{bar.value:g}">'
            f"{_tooltip(bar)}</rect>"
        )
        if bar.value >= 0:
            where, anchor = zero + length + 5, "start"
        else:
            where, anchor = zero - length - 5, "end"
        body.append(
            f'<text class="mg-chart-value" x="{where:.1f}" y="{y + ROW / 2 - 2:.1f}" '
            f'text-anchor="{anchor}" dominant-baseline="middle">{_esc(bar.text)}</text>'
        )
    return _svg(body, title=title, height=height, chart_id=chart_id)
