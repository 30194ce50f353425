"""One kind, canonical name and aliases per group, voted over its mentions and their cues."""

from __future__ import annotations

import re
from collections import Counter

from marketgraph.extract.entities.grouping import _Group
from marketgraph.extract.entities.lexicon import lexicon, zipf_frequency
from marketgraph.extract.entities.names import (
    canonical_org_name,
    is_suffix,
    legal_name,
    person_shaped,
    short_alias,
    strip_name,
)
from marketgraph.extract.regions import gazetteer

_STRONG_ORG = {
    "suffix": 5,
    "deal-subject": 3,
    "deal-party": 3,
    "org-appos": 3,
    "publication": 3,
    "possessor": 1,
}


# A sentence that lists a report's segments: "The report is segmented by Material (...)".
_SEGMENT_LIST = re.compile(r"\bsegment(?:ed|s)?\s+(?:by|into|on\s+the\s+basis\s+of)\b", re.I)


def _vote(group: _Group, weak_keys: set[str], weak_text: str) -> None:
    """Choose the group's kind (or None to reject it), canonical name and aliases."""
    cues = group.cues()
    labels = group.labels()
    texts = Counter(m.text for m in group.mentions if "weak" not in m.cues or "suffix" in m.cues)
    if not texts:
        texts = Counter(m.text for m in group.mentions)
    if group.region:
        group.kind, group.name = "region", group.region
        group.aliases = {t for t in texts if t != group.region}
        return
    if group.regulation or (
        labels.get("LAW", 0) and (cues.get("regulation-pattern") or cues.get("gazetteer"))
    ):
        group.kind = "regulation"
        if group.regulation:
            group.name = group.regulation
        else:
            group.name = max(
                texts, key=lambda t: (len(t.split()) > 1 and " " in t, texts[t], len(t))
            )
            group.jurisdiction = _jurisdiction_of(group.name)
        group.aliases = set(texts)
        return

    running = [m for m in group.mentions if "weak" not in m.cues]
    strong_org = sum(w * cues.get(c, 0) for c, w in _STRONG_ORG.items())
    scores: Counter = Counter()
    for m in group.mentions:
        w = 1 if "weak" not in m.cues else 0.25
        if m.label == "DATASET":
            scores["dataset"] += 4 * w
        elif m.label == "PRODUCT":
            scores["product"] += 3 * w
        elif m.label == "ORG":
            scores["org"] += w
        elif m.label == "PERSON":
            scores["person"] += w
    scores["org"] += strong_org
    display = _display_name(texts)
    if scores["person"] and (not person_shaped(display) or cues.get("org-appos")):
        # An organization word in the name ("... Robotics") settles it; otherwise keep a doubt.
        weight = 1.0 if _has_org_word(display) else 0.5
        scores["org"] += weight * scores.pop("person")
    if person_shaped(display) and (cues.get("person-appos") or cues.get("cited-author")):
        scores["person"] += 3
    if scores["person"] and scores["org"] and person_shaped(display) and not strong_org:
        scores["org"] = 0
    if not scores:
        return
    kind, best = scores.most_common(1)[0]

    key = group.key
    strong = (
        strong_org
        or cues.get("dataset-token")
        or cues.get("dataset-name")
        or cues.get("launch-object")
        or cues.get("product-name")
        or cues.get("product-appos")
    )
    if not strong:
        if not running:
            return  # seen only in headings, table rows or title-case lines
        if key in weak_keys or (len(key) > 3 and f"{key}" in weak_text and len(key.split()) > 1):
            return  # a heading's or table cell's words (a segment), not a name
        if (
            len(key.split()) == 1
            and re.search(rf"\b{re.escape(key)}\b", weak_text)
            and all(_SEGMENT_LIST.search(m.ent.sent.text) for m in running)
        ):
            return  # a word of a listed segment ("Bio-based Resin"), met only in the list
        words = key.split()
        if len(words) == 1 and not display.isupper() and zipf_frequency(words[0], "en") >= 3.0:
            return  # "Healthcare is growing ...": a capitalised common word, no name cue
        if all(m.label == "PERSON" for m in running) and kind != "person":
            return
        if kind == "person" and not person_shaped(display):
            return
    if kind == "org" and best < 1 and not strong:
        return
    group.kind = kind
    if kind == "org":
        forms = Counter(canonical_org_name(t) for t in texts.elements())
        group.name = max(forms, key=lambda f: (forms[f], -len(f)))
        group.aliases = {t for t in texts if t != group.name and not _is_variant(t, group.name)}
        group.aliases |= {legal_name(t) for t in texts} - {group.name}
        short = short_alias(group.name)
        if short:
            group.aliases.add(short)
    else:
        group.name = display
        group.aliases = {t for t in texts if t != display}


def _has_org_word(text: str) -> bool:
    lex = lexicon()
    return any(
        w.lower() in lex.org_words or w.lower() in lex.descriptors or is_suffix(w)
        for w in strip_name(text).split()
    )


def _display_name(texts: Counter) -> str:
    return max(texts, key=lambda t: (texts[t], len(t)))


def _is_variant(text: str, name: str) -> bool:
    """ "Acme's" or "The Acme" is the same form as "Acme", not an alias worth keeping."""
    return strip_name(text) == name


def _jurisdiction_of(name: str) -> str | None:
    words = name.split()
    gaz = gazetteer()
    for k in range(min(3, len(words) - 1), 0, -1):
        region = gaz.canonical(" ".join(words[:k]))
        if region is not None:
            return region
    return None
