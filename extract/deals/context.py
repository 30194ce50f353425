"""The running state one block of a report passes to the next: dates, subject, recent deals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from marketgraph.extract.deals.lexicon import _OPENING, _WIRE_STYLE
from marketgraph.extract.facts import Event, Ref
from marketgraph.extract.normalize import find_dates


@dataclass(slots=True)
class DealContext:
    """What one block tells the next while a report is read in order.

    ``date`` is the latest date seen in a heading or at the start of a
    block ("March 2026: ..."), applied to events of that block that state
    none; ``year`` is the latest year seen anywhere, the default for a
    month written without one. ``subject`` is the company the text last
    named as a subject, for "it" and "the company" in later sentences.
    ``recent`` holds the events of the current item so that later
    paragraphs can complete them.

    ``wire`` turns True once a block reads like wire-service copy ("mln
    dlrs", "pct"). A news item of that kind reports one deal, stated in
    its lead: later paragraphs recall earlier or rival deals, so an
    acquisition that does not fit the first one (``lead``) is dropped, and
    buying or holding shares of a company counts as acquiring it.
    """

    year: int | None = None
    date: str | None = None
    subject: Ref | None = None
    recent: list[Event] = field(default_factory=list)
    row: bool = False  # the block being read is a table row, one sentence a cell
    wire: bool = False
    lead: Event | None = None
    lead_is_weak: bool = False  # the lead only hints at a deal; a plain statement replaces it
    weak: set[int] = field(default_factory=set)  # ids of the hinting events in ``recent``

    def observe(self, sdoc: Doc) -> str | None:
        """Update the dates from one block; return the date the block opens with, if any.

        A block that is a heading, or that opens with a date ("Nov. 2027:"
        as a bullet's lead), sets ``date``; any year seen updates ``year``.
        """
        text = sdoc.text
        self.wire = self.wire or bool(_WIRE_STYLE.search(text))
        dates = find_dates(text, self.year)
        lead = opening = None
        if dates and dates[0].start <= 3:
            rest = text[dates[0].end : dates[0].end + 3]
            if len(text) < 80 or re.match(r"\s*[:\-–—|).]", rest):
                lead = dates[0].value
        if dates and lead is None and _OPENING.match(text[: dates[0].start]):
            # "In Q3 2025, A bought B": the block's own date, not one for the blocks after it.
            opening = dates[0].value
        if lead is not None:
            self.date = lead
        for found in dates:
            self.year = int(found.value[:4])
        return lead or opening
