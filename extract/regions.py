"""World regions, countries and their states: names, aliases and containment.

The gazetteer (``data/regions.json``) lists every country, the regions
market reports group them in, and the states and provinces of the larger
countries, each with the region directly containing it ("Germany" in
"Western Europe" in "Europe"; "Ontario" in "Canada"). A report rarely names every
level, so :meth:`Gazetteer.parent_in` links a region to its nearest
ancestor that the report itself names: a report that speaks of "Europe"
and "Germany" gets Germany partOf Europe.

>>> gaz = gazetteer()
>>> gaz.canonical("U.S.")
'United States'
>>> gaz.parent_in("Germany", {"Europe", "Germany"})
'Europe'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_THE = re.compile(r"^(?:the)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True, slots=True)
class Region:
    """One gazetteer entry: a country or a region, with its direct container.

    States and provinces are regions (``country`` False) whose parent is their country.
    """

    name: str
    parent: str | None
    aliases: tuple[str, ...]
    country: bool
    #: Groupings that also take the place in by custom ("Mexico" in "Latin America").
    also_in: tuple[str, ...] = ()


class Gazetteer:
    """Lookup of region names: canonical names, countries and containment."""

    def __init__(self, regions: Iterable[Region]):
        self.regions: dict[str, Region] = {}
        self._by_form: dict[str, str] = {}
        self._by_folded: dict[str, str] = {}
        for region in regions:
            self.regions[region.name] = region
            for form in (region.name, *region.aliases):
                self._by_form[form] = region.name
                # Acronyms ("US", "EU") only match as written; names match in any case.
                if not _is_acronym(form):
                    self._by_folded.setdefault(form.casefold(), region.name)

    def canonical(self, surface: str) -> str | None:
        """The canonical region name for a surface form, or None when unknown.

        A leading "the" and a trailing possessive are ignored ("the UK's").
        """
        text = _POSSESSIVE.sub("", _THE.sub("", surface.strip()))
        text = " ".join(text.split()).strip(" .,;:()")  # a name wrapped across lines
        if text in self._by_form:
            return self._by_form[text]
        if text + "." in self._by_form:  # "U.S" when a sentence end ate the period
            return self._by_form[text + "."]
        return self._by_folded.get(text.casefold()) if not _is_acronym(text) else None

    def get(self, name: str) -> Region | None:
        return self.regions.get(name)

    def is_country(self, name: str) -> bool:
        region = self.regions.get(name)
        return bool(region and region.country)

    def ancestors(self, name: str) -> list[str]:
        """The regions containing ``name``, nearest first."""
        out: list[str] = []
        region = self.regions.get(name)
        while region is not None and region.parent is not None and region.parent not in out:
            out.append(region.parent)
            region = self.regions.get(region.parent)
        return out

    def parent_in(self, name: str, named: Iterable[str]) -> str | None:
        """The nearest region containing ``name`` among the canonical names in ``named``."""
        named = set(named)
        return next((a for a in self.ancestors(name) if a in named), None)

    def stated_parent(
        self, name: str, sentences: Iterable[str], named: Iterable[str]
    ) -> str | None:
        """The other grouping a place is filed under where the report's own sentences say so.

        Mexico is in North America by default, but "Latin America, chiefly Brazil and
        Mexico, ..." files it under Latin America: a customary grouping the report names,
        written beside the place while its default container is not.

        >>> gazetteer().stated_parent("Mexico", ["Latin America: Brazil and Mexico."],
        ...                           {"Latin America", "North America"})
        'Latin America'
        """
        region = self.regions.get(name)
        if region is None or not region.also_in:
            return None
        named = set(named)
        default = self.parent_in(name, named)
        for sentence in sentences:
            said = {c for c in named if self._said(c, sentence)}
            if default in said:
                continue
            found = next((g for g in region.also_in if g in said), None)
            if found is not None:
                return found
        return None

    def _said(self, name: str, text: str) -> bool:
        region = self.regions.get(name)
        forms = (name, *region.aliases) if region else (name,)
        return any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text) for f in forms)

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Every (surface form, canonical name) pair, for building matchers."""
        yield from self._by_form.items()


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer of world regions and countries, loaded once."""
    raw = json.loads(resources.files(__package__).joinpath("data/regions.json").read_text("utf-8"))
    entries = [
        Region(
            item["name"],
            item["parent"],
            tuple(item["aliases"]),
            country,
            tuple(item.get("also_in", ())),
        )
        for key, country in (("regions", False), ("subdivisions", False), ("countries", True))
        for item in raw[key]
    ]
    return Gazetteer(entries)


_REST_OF = re.compile(r"^(?:the\s+)?rest\s+of\b", re.IGNORECASE)


def table_parents(rows: Iterable[list[str]]) -> dict[str, str | None]:
    """The containment a report's geography table shows, as canonical child -> parent.

    Scope tables nest places by rows: "| Europe | Germany |" opens a group
    and "| France |" on the next row is Germany's sibling; a row may open
    several levels at once ("| Middle East and Africa | Middle East | Qatar |").
    A row whose cells are not all places ends the table's tree. Where a
    row's first cell could sit at more than one depth, the deepest level
    whose parent the gazetteer says contains it is taken. Top-level places
    map to None; "Rest of ..." rows and unknown names take part in the
    nesting but are not reported.

    Args:
        rows: each row's non-empty cell texts, in reading order; a leading
            "By Geography" cell is allowed.

    >>> rows = [["North America", "Canada"], ["Mexico"], ["Europe", "Germany"], ["Italy"]]
    >>> table_parents(rows)["Italy"], table_parents(rows)["Europe"]
    ('Europe', None)
    """
    gaz = gazetteer()
    parents: dict[str, str | None] = {}
    stack: list[str] = []

    def place(cell: str) -> str | None:
        return gaz.canonical(cell) if not _REST_OF.match(cell.strip()) else None

    def record(child: str, parent: str | None) -> None:
        name = place(child)
        if name is not None:
            parents.setdefault(name, place(parent) if parent is not None else None)

    for cells in rows:
        cells = [c.strip() for c in cells if c.strip()]
        if cells and re.fullmatch(r"by\s+(?:geography|region|country)\w*", cells[0], re.I):
            stack, cells = [], cells[1:]
        if not cells or not all(place(c) or _REST_OF.match(c) for c in cells):
            stack = []
            continue
        if len(cells) == 1 and stack:
            stack[-1] = cells[0]
        else:
            at = _depth(cells, stack, gaz)
            stack = stack[:at] + cells
        top = len(stack) - len(cells)
        for i, cell in enumerate(cells):
            parent = stack[top + i - 1] if top + i > 0 else None
            record(cell, parent)
    return parents


def _depth(cells: list[str], stack: list[str], gaz: Gazetteer) -> int:
    """Where a row's first cell goes in the current path: the index it takes in ``stack``."""
    first = gaz.canonical(cells[0])
    if first is None:
        # Unknown to the gazetteer: keep the row's last cell level with the previous row's.
        return max(0, len(stack) - len(cells))
    for at in range(len(stack), 0, -1):
        above = gaz.canonical(stack[at - 1])
        if above is not None and above in gaz.ancestors(first):
            return at
    return 0
