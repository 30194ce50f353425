"""The word lists of ``data/gazetteer.json``, entity labels and English word frequencies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from marketgraph.extract.regions import gazetteer

try:  # word frequencies tell a coined name ("Zyphra") from a dictionary word ("Cloud")
    from wordfreq import zipf_frequency
except ImportError:  # pragma: no cover - the project depends on wordfreq

    def zipf_frequency(word: str, lang: str) -> float:
        return 0.0


#: The labels this package gives final entities, by entity kind.
KIND_LABELS = {
    "org": "ORG",
    "person": "PERSON",
    "region": "GPE",
    "regulation": "LAW",
    "dataset": "DATASET",
    "product": "PRODUCT",
}
#: Entity labels of the statistical model kept as they are (numbers, dates ...).
VALUE_LABELS = {"MONEY", "DATE", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL", "TIME"}
GAZETTEER_KEY = "mg_gazetteer"


@dataclass(frozen=True)
class Lexicon:
    """The generic word lists of ``data/gazetteer.json``."""

    suffixes: frozenset[str]
    suffixes_needing_more: frozenset[str]
    descriptors: frozenset[str]
    org_words: frozenset[str]
    generic_terms: frozenset[str]
    deal_verbs: frozenset[str]
    deal_nouns: frozenset[str]
    org_appositives: frozenset[str]
    person_roles: frozenset[str]
    dataset_heads: frozenset[str]
    dataset_cues: frozenset[str]
    model_cues: frozenset[str]
    product_heads: frozenset[str]
    product_appositives: frozenset[str]
    launch_verbs: frozenset[str]
    regulation_heads: frozenset[str]
    regulator_words: frozenset[str]
    obligation_verbs: frozenset[str]
    regulations: tuple[dict[str, Any], ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged word lists, loaded once."""
    raw = json.loads(
        resources.files("marketgraph.extract").joinpath("data/gazetteer.json").read_text("utf-8")
    )
    sets = {
        key: frozenset(raw[key])
        for key in (
            "descriptors", "org_words", "generic_terms", "deal_verbs", "deal_nouns",
            "org_appositives", "person_roles", "dataset_heads", "dataset_cues", "model_cues",
            "product_heads", "product_appositives", "launch_verbs", "regulation_heads",
            "regulator_words", "obligation_verbs",
        )
    }  # fmt: skip
    return Lexicon(
        suffixes=frozenset(raw["corporate_suffixes"]),
        suffixes_needing_more=frozenset(raw["suffixes_needing_more"]),
        regulations=tuple(raw["regulations"]),
        **sets,
    )


@lru_cache(maxsize=1)
def regulation_index() -> dict[str, tuple[str, str | None]]:
    """Surface form -> (canonical name, jurisdiction) for the well-known regulations."""
    out: dict[str, tuple[str, str | None]] = {}
    for item in lexicon().regulations:
        for form in (item["name"], *item["aliases"]):
            out[form] = (item["name"], item["jurisdiction"])
    return out


def gazetteer_patterns() -> list[dict[str, Any]]:
    """SpanRuler phrase patterns: every region form (REGION) and well-known regulation (LAW)."""
    patterns = [
        {"label": "REGION", "pattern": form, "id": name}
        for form, name in gazetteer().surface_forms()
    ]
    patterns += [
        {"label": "LAW", "pattern": form, "id": name}
        for form, (name, _) in regulation_index().items()
    ]
    return patterns
