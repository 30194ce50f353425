"""Launches: the products and datasets a party launched, released or published."""

from __future__ import annotations

from spacy.tokens import Span, Token

from marketgraph.extract.deals.clauses import _object, _owner, _particle, _prep_objects, _subject
from marketgraph.extract.deals.emit import _Emit
from marketgraph.extract.deals.lexicon import (
    _DATASET_WORDS,
    _LAUNCH_NOUNS,
    _LAUNCH_VERBS,
    _PRONOUNS,
    _PUBLISH_VERBS,
)
from marketgraph.extract.deals.parties import _clean_name, _is_name, _name_span, _Parties, _refs
from marketgraph.extract.entities import market_entry_object
from marketgraph.extract.facts import Ref


def _launches(sent: Span, parties: _Parties, emit: _Emit) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        things: list[Token] = []
        by: list[Ref] = []
        publish = lemma in _PUBLISH_VERBS
        entry = market_entry_object(tok) if tok.pos_ == "VERB" else None
        if (lemma in _LAUNCH_VERBS or publish or entry is not None) and tok.pos_ == "VERB":
            if lemma == "roll" and not _particle(tok, "out"):
                continue
            target = entry if entry is not None else _object(tok)
            if (
                target is None
                and tok.dep_ in {"acl", "relcl"}
                and tok.tag_ == "VBN"
                and not publish
            ):
                # "Foo, released by Acme in 2025": the modified noun is what was released.
                by = _refs(parties, _prep_objects(tok, {"by"}))
                things = [tok.head] if by else []
            elif target is None:
                continue
            else:
                things = [target, *target.conjuncts]
                by = _subject(tok, parties)
        elif lemma in _LAUNCH_NOUNS and tok.pos_ in {"NOUN", "PROPN"}:
            by = _owner(tok, parties)
            things = _prep_objects(tok, {"of"})
            # "its Foo release": the name modifies the noun.
            things += [c for c in tok.lefts if c.dep_ in {"compound", "nmod"} and _is_name(c)]
            # "releases such as Foo", "the launch of tools, including Acme's Foo"
            for t in [*list(things), tok]:
                for child in t.rights:
                    if child.dep_ == "prep" and child.lower_ in {"as", "including", "like"}:
                        things += [o for o in child.children if o.dep_ == "pobj"]
                    if child.dep_ == "amod" and child.lower_ == "such":
                        things += _prep_objects(child, {"as"})
            things = [t for t in things for t in (t, *t.conjuncts)]
        else:
            continue
        for thing in things:
            owner = by
            for child in thing.lefts:
                if child.dep_ == "poss" and child.lower_ not in _PRONOUNS:
                    owner = parties.of(child) or owner
            ref = _launched(thing, parties)
            if ref is None or (publish and ref.kind != "dataset"):
                continue  # reports and papers are published too; only a dataset is a release
            owners = [r for r in owner if r.kind in {"org", "person"}]
            if not owners:
                continue
            emit("Launch", {"launchedBy": owners, "launched": [ref]}, tok, money=False)
            if len(owners) >= 2:
                emit("Partnership", {"participant": owners}, tok, money=False)


def _launched(thing: Token, parties: _Parties) -> Ref | None:
    """The Product or Dataset a launch names, or None for an unnamed thing ("a new tool")."""
    ent = parties.ents.get(thing.i)
    if ent is not None and ent._.ref is not None and ent._.ref.kind in {"product", "dataset"}:
        return ent._.ref
    # "the Widget 4 noise logger": a named product modifying a lower-case head.
    if not _is_name(thing):
        for left in thing.lefts:
            ent = parties.ents.get(left.i)
            if ent is not None and ent._.ref is not None and ent._.ref.kind == "product":
                return ent._.ref
    span = _name_span(thing)
    if span is None:
        return None
    name = _clean_name(span.text)
    if not name or name.lower() in _PRONOUNS:
        return None
    words = {t.lower_ for t in thing.subtree} | {thing.head.lower_}
    kind = "dataset" if words & _DATASET_WORDS else "product"
    return Ref(kind, name)
