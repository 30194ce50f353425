"""World regions and countries: names, aliases and containment.

The gazetteer (``data/regions.json``) lists every country and the regions
market reports group them in, each with the region directly containing it
("Germany" in "Western Europe" in "Europe"). A report rarely names every
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
    """One gazetteer entry: a country or a region, with its direct container."""

    name: str
    parent: str | None
    aliases: tuple[str, ...]
    country: bool


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
        Region(item["name"], item["parent"], tuple(item["aliases"]), country)
        for key, country in (("regions", False), ("countries", True))
        for item in raw[key]
    ]
    return Gazetteer(entries)
