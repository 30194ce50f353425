"""Entity typing and resolution beyond the statistical NER.

Two stages. :class:`EntityRules` is a spaCy component that runs after
``ner`` on one text unit: it merges the model's entities with gazetteer
matches (regions, well-known regulations) and rule spans (corporate
suffixes, "... Act", dataset and product patterns), rejects what is not a
name (percentages, money, generic terms), and records on each entity the
context cues it saw (``ent._.cues``: subject of "acquired", "X, a ...
company", a corporate suffix ...). :func:`resolve_entities` then works on a
whole report: it folds surface forms into one entity ("Acme, Inc.",
"Acme's", "The Acme" -> Acme; "Full Name (FN)" -> one entity), votes one
type per entity over all its mentions, adds :class:`Entity` records to the
report's facts and sets ``ent._.ref`` on every mention.

>>> canonical_org_name("Acme Widgets, Inc.")
'Acme Widgets'
>>> canonical_org_name("The Acme Group's")
'Acme Group'
"""

from __future__ import annotations

from marketgraph.extract.entities.component import register_extensions
from marketgraph.extract.entities.events import adopt_deal_names, link_launches, promote_parties
from marketgraph.extract.entities.lexicon import GAZETTEER_KEY, gazetteer_patterns
from marketgraph.extract.entities.names import (
    canonical_org_name,
    is_coined,
    is_generic,
    is_suffix,
    legal_name,
    person_shaped,
    short_alias,
    strip_name,
)
from marketgraph.extract.entities.products import market_entry_object
from marketgraph.extract.entities.resolution import find_ref, resolve_entities

__all__ = [
    "GAZETTEER_KEY",
    "adopt_deal_names",
    "canonical_org_name",
    "find_ref",
    "gazetteer_patterns",
    "is_coined",
    "is_generic",
    "is_suffix",
    "legal_name",
    "link_launches",
    "market_entry_object",
    "person_shaped",
    "promote_parties",
    "register_extensions",
    "resolve_entities",
    "short_alias",
    "strip_name",
]
