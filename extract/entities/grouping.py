"""Mentions folded into groups, one per entity: acronyms, prefixes, title echoes, misspellings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span

from marketgraph.extract.entities.lexicon import VALUE_LABELS, regulation_index, zipf_frequency
from marketgraph.extract.entities.names import _DISTINCT_TAILS, name_key, names_part, strip_name
from marketgraph.extract.regions import gazetteer

_ACRONYM_DEF = re.compile(
    r"\b((?:[A-Z][\w&'.-]*)(?:\s+(?:of|and|for|the|&|[A-Z][\w&'.-]*)){1,8})\s+\(([A-Z][A-Za-z0-9&.-]{1,9})\)"
)


@dataclass
class Mention:
    """One entity mention in a report: where, as what, with which cues."""

    unit: int
    ent: Span
    offset: int  # the unit's start in the report's text
    label: str
    text: str  # as written, trimmed
    cues: tuple[str, ...]

    @property
    def start(self) -> int:
        return self.offset + self.ent.start_char

    @property
    def end(self) -> int:
        return self.offset + self.ent.end_char


@dataclass
class _Group:
    key: str
    mentions: list[Mention] = field(default_factory=list)
    region: str | None = None
    regulation: str | None = None
    jurisdiction: str | None = None
    kind: str | None = None
    name: str = ""
    aliases: set[str] = field(default_factory=set)

    def cues(self) -> Counter:
        return Counter(c for m in self.mentions for c in set(m.cues))

    def labels(self) -> Counter:
        return Counter(m.label for m in self.mentions)


def _collect(units: Sequence[tuple[int, Doc]]) -> list[Mention]:
    out = []
    for i, (offset, doc) in enumerate(units):
        for ent in doc.ents:
            if ent.label_ in VALUE_LABELS:
                continue
            out.append(Mention(i, ent, offset, ent.label_, strip_name(ent.text), tuple(ent._.cues)))
    return out


def _acronyms(text: str) -> dict[str, str]:
    """Acronym -> full name for "Full Name (FN)" definitions whose initials fit."""
    out = {}
    for m in _ACRONYM_DEF.finditer(text):
        full, short = m.group(1), m.group(2)
        words = full.split()
        initials_all = "".join(w[0] for w in words if w[0].isalpha()).upper()
        initials_caps = "".join(w[0] for w in words if w[0].isupper())
        letters = "".join(c for c in short if c.isalpha()).upper()
        for k in range(len(words)):
            tail = words[k:]
            caps = "".join(w[0] for w in tail if w[0].isupper())
            if caps == letters or "".join(w[0] for w in tail).upper() == letters:
                out[short] = " ".join(tail)
                break
        else:
            if letters in (initials_all, initials_caps):
                out[short] = full
    return out


def _group(mentions: list[Mention], text: str) -> list[_Group]:
    gaz = gazetteer()
    regs = regulation_index()
    acronyms = _acronyms(text)
    # An acronym defined after a regulation's name ("... Act (ABCA)") is that regulation.
    laws = {m.text for m in mentions if m.label == "LAW"}
    groups: dict[str, _Group] = {}
    for m in mentions:
        region = gaz.canonical(m.text)
        reg = regs.get(m.text)
        if reg is None and m.label == "LAW":
            # "Acme Act Safe Harbor": a known regulation opening a longer name
            reg = next((v for k, v in regs.items() if m.text.startswith(k + " ")), None)
        if region is not None and m.label in {"GPE", "ORG", "PERSON", "LAW"}:
            key = "region:" + region
        elif reg is not None:
            key = "law:" + reg[0]
        else:
            full = acronyms.get(m.text)
            key = name_key(full if full else m.text)
            if m.label == "LAW":
                key = "law:" + _law_key(m.text)
            elif full in laws:
                key = "law:" + _law_key(full)
        group = groups.setdefault(key, _Group(key))
        group.mentions.append(m)
        if region is not None and key.startswith("region:"):
            group.region = region
        if reg is not None and key.startswith("law:"):
            group.regulation, group.jurisdiction = reg
    _split_joined(groups)
    _merge_prefixes(groups)
    _merge_title_echoes(groups)
    _merge_fuzzy(groups)
    return list(groups.values())


def _split_joined(groups: dict[str, _Group]) -> None:
    """Drop a name that is two other names joined by "and" ("Acme Mutual and Beta Labs").

    The NER reads the last two items of a list of firms as one name; when
    each half is a name of its own elsewhere in the report, or the form
    closes a comma list and its second half is a name elsewhere, the joined
    form is that misreading and is dropped.
    """
    for key in [k for k in groups if ":" not in k]:
        words = key.split()
        halves = [
            (" ".join(words[:i]), " ".join(words[i + 1 :]))
            for i, word in enumerate(words)
            if word in {"and", "&"} and 0 < i < len(words) - 1
        ]
        listed = all(
            m.ent.start > 0 and m.ent.doc[m.ent.start - 1].text == "," for m in groups[key].mentions
        )
        if any(right in groups and (listed or left in groups) for left, right in halves):
            del groups[key]


def _law_key(text: str) -> str:
    """A regulation key, leading jurisdiction folded ("EU Foo Act" ~ "European Union Foo Act")."""
    words = text.split()
    gaz = gazetteer()
    for k in range(min(3, len(words) - 1), 0, -1):
        region = gaz.canonical(" ".join(words[:k]))
        if region is not None:
            return region.lower() + "|" + name_key(" ".join(words[k:]))
    return "|" + name_key(text)


def _merge_into(groups: dict[str, _Group], small: str, big: str) -> None:
    target = groups[big]
    source = groups.pop(small)
    target.mentions.extend(source.mentions)
    target.region = target.region or source.region
    target.regulation = target.regulation or source.regulation
    target.jurisdiction = target.jurisdiction or source.jurisdiction


def _merge_prefixes(groups: dict[str, _Group]) -> None:
    """Fold a shorter form into the one longer name it opens ("Acme" -> "Acme Robotics")."""
    # Regulations: "Foo Act" without jurisdiction joins the one "<Region> Foo Act".
    for key in [k for k in groups if k.startswith("law:|")]:
        rest = key.split("|", 1)[1]
        longer = [k for k in groups if k.startswith("law:") and k != key and k.endswith("|" + rest)]
        if len(longer) == 1:
            _merge_into(groups, key, longer[0])
    plain = [k for k in groups if ":" not in k]
    for key in sorted(plain, key=len):
        if key not in groups:
            continue
        words = key.split()
        longer = [
            k for k in groups
            if ":" not in k and k != key and k.split()[: len(words)] == words
        ]  # fmt: skip
        if len(longer) != 1:
            continue
        small, big = groups[key], groups[longer[0]]
        tail = set(longer[0].split()[len(words) :])
        if tail & _DISTINCT_TAILS or not _org_like(small) or not _org_like(big):
            continue  # "Acme News" is not Acme; datasets and products keep their names
        if names_part(longer[0].split()[len(words) :]):
            continue  # "Acme Brazil", "Acme Corp of Canada": a unit of Acme, not Acme itself
        if (
            len(words) == 1
            and zipf_frequency(words[0], "en") >= 4.5
            and not any(m.text[:1].isupper() and not m.ent[0].is_sent_start for m in small.mentions)
        ):
            continue
        _merge_into(groups, key, longer[0])


def _merge_title_echoes(groups: dict[str, _Group]) -> None:
    """Fold "Acme Unveils Foo Dataset" into "Foo Dataset": a longer name ending in a known one."""
    named = [k for k in groups if ":" not in k and not _org_like(groups[k])]
    for key in sorted(named, key=len, reverse=True):
        ends = [k for k in named if k != key and k in groups and key.endswith(" " + k)]
        if key in groups and len(ends) >= 1:
            _merge_into(groups, key, max(ends, key=len))


def _org_like(group: _Group) -> bool:
    labels = group.labels()
    return labels.get("ORG", 0) + labels.get("PERSON", 0) >= max(
        labels.get("DATASET", 0), labels.get("PRODUCT", 0), 1
    )


def _merge_fuzzy(groups: dict[str, _Group]) -> None:
    """Fold near-identical spellings ("Acme Roboticss" ~ "Acme Robotics")."""
    plain = sorted((k for k in groups if ":" not in k and len(k) >= 8), key=lambda k: -len(k))
    for i, key in enumerate(plain):
        if key not in groups:
            continue
        for other in plain[i + 1 :]:
            if other in groups and fuzz.ratio(key, other) >= 94:
                _merge_into(groups, other, key)
