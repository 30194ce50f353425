"""Report-level resolution: one entity per group, its attributes, and ``ent._.ref`` set."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span

from marketgraph.extract.entities.datasets import _LICENSE
from marketgraph.extract.entities.grouping import Mention, _collect, _Group, _group
from marketgraph.extract.entities.lexicon import KIND_LABELS, VALUE_LABELS, lexicon
from marketgraph.extract.entities.names import legal_name, name_key
from marketgraph.extract.entities.organizations import _JOINERS
from marketgraph.extract.entities.voting import _vote
from marketgraph.extract.facts import Entity, Ref, ReportFacts
from marketgraph.extract.facts import Span as TextSpan
from marketgraph.extract.regions import gazetteer

_SIZE = re.compile(
    r"\b\d[\d.,]*\s*(?:TB|GB|PB|MB|terabytes?|petabytes?|gigabytes?)\b|"
    r"\b\d[\d.,]*\s*(?:million|billion|trillion)[- ]tokens?\b|"
    r"\b\d[\d.,]*\s*(?:million|billion|trillion)?\s*(?:hours|images|tokens|trajectories|samples)\b",
    re.IGNORECASE,
)


def resolve_entities(
    units: Sequence[tuple[int, Doc]],
    facts: ReportFacts,
    text: str,
    weak_names: Iterable[str] = (),
) -> dict[Ref, Entity]:
    """Resolve every entity mention of a report and add the entities to ``facts``.

    Args:
        units: (offset into ``text``, processed Doc) for each text unit, in order.
        facts: the report's facts; entities are added to ``facts.entities``.
        text: the report's text (provenance spans index into it).
        weak_names: texts of headings and table cells; a name seen only there
            (a segment such as "Cloud Services") needs a stronger cue than the NER.

    Returns:
        The entities added, by Ref. Each kept mention gets ``ent._.ref``; mentions
        that were rejected are removed from their Doc's ``ents``.
    """
    _rejoin_split_names(units)
    mentions = _collect(units)
    groups = _group(mentions, text)
    weak_keys = {name_key(w) for w in weak_names if w.strip()}
    weak_text = " | ".join(w.lower() for w in weak_names)
    for group in groups:
        _vote(group, weak_keys, weak_text)
    named_regions = {g.region for g in groups if g.kind == "region" and g.region}
    refs: dict[int, Ref] = {}
    added: dict[Ref, Entity] = {}
    by_key: dict[str, Ref] = {}
    for group in groups:
        if group.kind is None:
            continue
        ref = Ref(group.kind, group.name)
        entity = facts.entity(ref)
        entity.aliases.update(a for a in group.aliases if a != group.name)
        if group.kind == "region":
            entity.country = gazetteer().is_country(group.name)
            parent = gazetteer().stated_parent(
                group.name, (_sentence_span(m, text).text for m in group.mentions), named_regions
            ) or gazetteer().parent_in(group.name, named_regions)
            if parent is not None:
                entity.part_of = Ref("region", parent)
        if group.kind == "regulation" and group.jurisdiction:
            entity.jurisdiction = Ref("region", group.jurisdiction)
        seen = {(s.start, s.end) for s in entity.mentions}
        for m in group.mentions:
            refs[id(m.ent)] = ref
            sent = _sentence_span(m, text)
            if (sent.start, sent.end) not in seen:
                seen.add((sent.start, sent.end))
                entity.mentions.append(sent)
        added[ref] = entity
        by_key[group.key] = ref
    _link_attributes(groups, facts, by_key, text)
    _write_back(units, mentions, refs)
    return added


def _joined_cores(units: Sequence[tuple[int, Doc]]) -> list[str]:
    """The leading "A and B" of the suffixed names that join two words, longest first.

    "Dunmore and Vale Printers Inc" is later written "Dunmore and Vale", which
    the model reads as two names; the suffixed form, found by rule, vouches
    that the pair is one.
    """
    cores = set()
    for _, doc in units:
        for ent in doc.ents:
            if "suffix" not in ent._.cues:
                continue
            words = legal_name(ent.text).split()
            for i, word in enumerate(words[1:-1], start=1):
                if word.lower() in _JOINERS and words[i + 1][:1].isupper():
                    cores.add(" ".join(words[: i + 2]))
                    break
    return sorted(cores, key=len, reverse=True)


def _rejoin_split_names(units: Sequence[tuple[int, Doc]]) -> None:
    """Make every later "A and B" of a known joined firm name one ORG entity."""
    cores = _joined_cores(units)
    if not cores:
        return
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(map(re.escape, cores)) + r")(?![\w&])")
    for _, doc in units:
        for m in pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end())
            if span is None or any(e.start <= span.start and span.end <= e.end for e in doc.ents):
                continue  # already one name, or a longer one holds it
            if any(
                e.label_ in VALUE_LABELS and e.start < span.end and span.start < e.end
                for e in doc.ents
            ):
                continue
            ents = [e for e in doc.ents if e.end <= span.start or e.start >= span.end]
            new = Span(doc, span.start, span.end, label="ORG")
            doc.ents = sorted([*ents, new], key=lambda e: e.start)
            for e in doc.ents:
                if (e.start, e.end) == (new.start, new.end):
                    e._.cues = ("joined-name",)


def _sentence_span(m: Mention, text: str) -> TextSpan:
    sent = m.ent.sent
    start, end = m.offset + sent.start_char, m.offset + sent.end_char
    chunk = text[start:end]
    stripped = chunk.strip()
    start += len(chunk) - len(chunk.lstrip())
    return TextSpan(start, start + len(stripped), stripped)


def _link_attributes(
    groups: list[_Group], facts: ReportFacts, by_key: dict[str, Ref], text: str
) -> None:
    """Publisher, licence and size of datasets; provider of products."""
    org_of: dict[tuple[int, int, int], Ref] = {}
    for group in groups:
        if group.kind == "org":
            for m in group.mentions:
                org_of[_ent_key(m.ent)] = by_key[group.key]
    for group in groups:
        if group.kind not in {"dataset", "product"}:
            continue
        ref = by_key[group.key]
        entity = facts.entities[ref]
        for m in group.mentions:
            owner = _owner(m.ent, org_of)
            if owner is not None:
                if group.kind == "dataset" and entity.publisher is None:
                    entity.publisher = owner
                if group.kind == "product" and entity.provider is None:
                    entity.provider = owner
            if group.kind == "dataset":
                sent = m.ent.sent.text
                if entity.license is None and (lic := _LICENSE.search(sent)):
                    entity.license = lic.group(0)
                if entity.size is None and (size := _SIZE.search(sent)):
                    entity.size = size.group(0)


def _ent_key(ent: Span) -> tuple[int, int, int]:
    return id(ent.doc), ent.start, ent.end


def _owner(ent: Span, org_of: dict[tuple[int, int, int], Ref]) -> Ref | None:
    """The organization that owns, released or launched the thing named by ``ent``."""
    doc = ent.doc
    orgs = [e for e in doc.ents if _ent_key(e) in org_of]
    # "<Org>'s <thing>"
    if ent.start >= 2 and doc[ent.start - 1].text in {"'s", "’s"}:
        for o in orgs:
            if o.end == ent.start - 1:
                return _ref_of(o, org_of)
    # "Foo, published by Acme", "Foo, which was put together by Acme"
    for clause in ent.root.children:
        if clause.dep_ in {"acl", "relcl"} and clause.tag_ == "VBN":
            for agent in clause.children:
                if agent.dep_ == "agent" or (agent.dep_ == "prep" and agent.lower_ == "by"):
                    for o in orgs:
                        if any(o.start <= c.i < o.end for c in agent.children):
                            return _ref_of(o, org_of)
    # the subject of the clause that releases or launches it
    sent_orgs = [o for o in orgs if o.sent == ent.sent and o.start < ent.start]
    lex = lexicon()
    verb = ent.root
    while verb.dep_ != "ROOT" and verb.pos_ != "VERB":
        verb = verb.head
    if verb.pos_ == "VERB":
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        cue = verb.lemma_ in lex.launch_verbs or re.search(
            r"\b(?:release[sd]?|launch(?:e[sd])?|publish(?:e[sd])?|unveil(?:e[sd])?)\b",
            ent.sent.text.lower(),
        )
        if cue:
            for o in sent_orgs:
                if any(o.start <= s.i < o.end for s in subjects):
                    return _ref_of(o, org_of)
    return None


def _ref_of(ent: Span, org_of: dict[tuple[int, int, int], Ref]) -> Ref | None:
    return org_of.get(_ent_key(ent))


def _write_back(units: Sequence[tuple[int, Doc]], mentions: list[Mention], refs: dict) -> None:
    """Relabel each Doc's entities by their resolved kind and set ``ent._.ref``."""
    by_doc: dict[int, dict[tuple[int, int], Ref | None]] = defaultdict(dict)
    for m in mentions:
        by_doc[m.unit][(m.ent.start, m.ent.end)] = refs.get(id(m.ent))
    for i, (_, doc) in enumerate(units):
        resolved = by_doc.get(i, {})
        ents = []
        for ent in doc.ents:
            if ent.label_ in VALUE_LABELS:
                ents.append(ent)
                continue
            ref = resolved.get((ent.start, ent.end))
            if ref is None:
                continue
            new = Span(doc, ent.start, ent.end, label=KIND_LABELS[ref.kind])
            new._.cues = ent._.cues
            ents.append(new)
        doc.ents = ents
        for ent in doc.ents:
            key = (ent.start, ent.end)
            if key in resolved:
                ent._.ref = resolved[key]


def find_ref(facts: ReportFacts, surface: str, kinds: Iterable[str] = ("org",)) -> Ref | None:
    """The Ref of a resolved entity that ``surface`` names, or None.

    Compares folded names (case, "the", possessive, legal suffix) with each
    entity's canonical name and aliases, so "Acme Widgets, Inc." finds the
    entity "Acme Widgets".

    >>> facts = ReportFacts("r.txt", "0", "")
    >>> facts.entity(Ref("org", "Acme Widgets")).aliases.add("Acme Widgets Ltd")
    >>> find_ref(facts, "Acme Widgets, Inc.")
    Ref(kind='org', name='Acme Widgets', scope=None)
    """
    kinds = set(kinds)
    want = name_key(surface)
    if not want:
        return None
    if "region" in kinds and (region := gazetteer().canonical(surface)) is not None:
        ref = Ref("region", region)
        if ref in facts.entities:
            return ref
    for ref, entity in facts.entities.items():
        if ref.kind in kinds and (
            name_key(ref.name) == want or any(name_key(a) == want for a in entity.aliases)
        ):
            return ref
    return None
