"""Entity fixes from a report's events: deal parties are firms, launchers publish, deal names."""

from __future__ import annotations

import re

from marketgraph.extract.entities.names import canonical_org_name, legal_name, names_part
from marketgraph.extract.facts import Ref, ReportFacts

#: Event roles only an organization plays: a name found in one is a firm, whatever the NER said.
ORG_ROLES = frozenset(
    {"acquirer", "acquired", "seller", "investee", "participant", "licensor", "licensee",
     "launchedBy"}
)  # fmt: skip


#: Roles only a firm can act in: a "product" found raising money or launching is a misread firm.
_ACTING_ROLES = frozenset({"acquirer", "investee", "participant", "licensee", "launchedBy"})


def promote_parties(facts: ReportFacts) -> None:
    """Retype as organizations the persons that buy, sell, raise, partner, license or launch.

    The statistical NER reads many coined company names ("Orrin Vale")
    as people, and some ("Loopwise") as products; being a party to a deal
    is document-level evidence that outweighs it. Investors are left
    alone: people do invest. A product may still be what is bought or licensed.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> vale = Ref("person", "Orrin Vale")
    >>> _ = facts.entity(vale)
    >>> facts.events.append(Event("Partnership", roles={"participant": [vale]}))
    >>> promote_parties(facts)
    >>> sorted(ref.kind for ref in facts.entities), facts.events[0].roles["participant"][0].kind
    (['org'], 'org')
    """
    moved: dict[Ref, Ref] = {}
    for event in facts.events:
        for role, refs in event.roles.items():
            if role in ORG_ROLES:
                for ref in refs:
                    if ref.kind == "person" or (ref.kind == "product" and role in _ACTING_ROLES):
                        moved[ref] = Ref("org", canonical_org_name(ref.name))
    _move_refs(facts, moved)


def link_launches(facts: ReportFacts) -> None:
    """Give a launched dataset its publisher, a launched product its provider, when unknown.

    Whoever releases a dataset publishes it; the rules that read the
    dataset's own sentence miss a releaser the NER did not tag.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> data, lab = Ref("dataset", "Foo-9"), Ref("org", "Acme Lab")
    >>> _ = facts.entity(data)
    >>> facts.events.append(Event("Launch", roles={"launchedBy": [lab], "launched": [data]}))
    >>> link_launches(facts)
    >>> facts.entities[data].publisher
    Ref(kind='org', name='Acme Lab', scope=None)
    """
    for event in facts.events:
        if event.type != "Launch":
            continue
        by = [r for r in event.parties("launchedBy") if r.kind == "org"]
        if not by:
            continue
        for thing in event.parties("launched"):
            entity = facts.entities.get(thing)
            if entity is None:
                continue
            if thing.kind == "dataset" and entity.publisher is None:
                entity.publisher = by[0]
            elif thing.kind == "product" and entity.provider is None:
                entity.provider = by[0]


def adopt_deal_names(facts: ReportFacts) -> None:
    """Rename an organization to the fuller name its deals use, when its own forms agree.

    A leader list's "Acme Pet Holdings LLC" canonicalises to the coined
    "Acme", while the running text calls the firm "Acme Pet" in its deals.
    When a deal party is no entity yet, and an entity's name opens it while
    one of the entity's longer forms extends it, both are the one firm,
    known by the name the text uses.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> facts.entity(Ref("org", "Acme")).aliases.add("Acme Pet Holdings LLC")
    >>> facts.events.append(Event("Partnership", roles={"participant": [Ref("org", "Acme Pet")]}))
    >>> adopt_deal_names(facts)
    >>> sorted(ref.name for ref in facts.entities)
    ['Acme Pet']
    """
    orgs = [ref for ref in facts.entities if ref.kind == "org"]
    moved: dict[Ref, Ref] = {}
    for event in facts.events:
        for refs in event.roles.values():
            for ref in refs:
                if ref.kind != "org" or ref in facts.entities or ref in moved.values():
                    continue
                words = _plain_words(ref.name)
                for known in orgs:
                    have = _plain_words(known.name)
                    if known in moved or not have or len(have) >= len(words):
                        continue
                    if words[: len(have)] != have:
                        continue
                    forms = [_plain_words(a) for a in facts.entities[known].aliases]
                    if any(len(f) > len(words) and f[: len(words)] == words for f in forms):
                        moved[known] = ref
                        break
    _move_refs(facts, moved)
    _fold_short_parties(facts)


def _fold_short_parties(facts: ReportFacts) -> None:
    """Fold a deal party's short form into the one firm whose name it opens.

    News names a firm in full once ("Acme Widgets Inc") and then by its first
    words ("Acme"); a party read off the surface that is no entity of its own
    is that firm when exactly one organization's name or alias extends it.
    A longer name that only adds a place or a unit ("Acme Canada") is a part
    of the firm, not the firm, and is no match.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> _ = facts.entity(Ref("org", "Acme Widgets"))
    >>> facts.events.append(Event("Acquisition", roles={"acquirer": [Ref("org", "Acme")]}))
    >>> _fold_short_parties(facts)
    >>> facts.events[0].roles["acquirer"]
    [Ref(kind='org', name='Acme Widgets', scope=None)]
    """
    orgs = [ref for ref in facts.entities if ref.kind == "org"]
    moved: dict[Ref, Ref] = {}
    for event in facts.events:
        for refs in event.roles.values():
            for ref in refs:
                if ref.kind != "org" or ref in facts.entities or ref in moved:
                    continue
                words = _plain_words(ref.name)
                if not words:
                    continue
                found = set()
                for known in orgs:
                    forms = [_plain_words(f) for f in (known.name, *facts.entities[known].aliases)]
                    if any(
                        len(f) > len(words)
                        and f[: len(words)] == words
                        and not names_part(f[len(words) :])
                        for f in forms
                    ):
                        found.add(known)
                if len(found) == 1:
                    moved[ref] = found.pop()
    if moved:
        for event in facts.events:
            for role, refs in event.roles.items():
                event.roles[role] = list(dict.fromkeys(moved.get(r, r) for r in refs))


def _plain_words(name: str) -> list[str]:
    """The folded words of a name without its legal suffix, coined-word shortening left out."""
    return re.sub(r"[^\w&]+", " ", legal_name(name).lower()).split()


def _move_refs(facts: ReportFacts, moved: dict[Ref, Ref]) -> None:
    """Replace entities by others everywhere: entities, event roles, links and leaders."""
    if not moved:
        return
    for old, new in moved.items():
        entity = facts.entities.pop(old, None)
        if entity is None:
            continue
        target = facts.entity(new)
        target.aliases.update(a for a in entity.aliases | {old.name} if a != new.name)
        for span in entity.mentions:
            if span not in target.mentions:
                target.mentions.append(span)
    for event in facts.events:
        for role, refs in event.roles.items():
            event.roles[role] = list(dict.fromkeys(moved.get(r, r) for r in refs))
    for entity in facts.entities.values():
        for attr in ("publisher", "provider"):
            value = getattr(entity, attr)
            if value in moved:
                setattr(entity, attr, moved[value])
        entity.leaders = list(dict.fromkeys(moved.get(r, r) for r in entity.leaders))
    if facts.publisher in moved:
        facts.publisher = moved[facts.publisher]
