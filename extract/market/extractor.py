"""The entry point: run every market rule over one report and add what they find to its facts."""

from __future__ import annotations

from spacy.tokens import Doc

from marketgraph.extract.document import Document
from marketgraph.extract.entities import canonical_org_name, legal_name, short_alias
from marketgraph.extract.facts import Ref, ReportFacts
from marketgraph.extract.market.clauses import _sentences, _unit_map
from marketgraph.extract.market.factors import _factors, _listed_factors
from marketgraph.extract.market.figures import _merge, _observations
from marketgraph.extract.market.leaders import _leaders
from marketgraph.extract.market.segments import (
    _dimension_tables,
    _Market,
    _Scheme,
    _segmentation_tables,
    _segmented_sentences,
    market_name,
)
from marketgraph.extract.market.subjects import _Resolver
from marketgraph.extract.market.tables import (
    _column_figures,
    _snapshot_figures,
    _year_table_figures,
)
from marketgraph.extract.market.text import _add_mention, _cells, _fold, _span, _tables, _tokens
from marketgraph.extract.regions import table_parents


def extract_market(document: Document, units: list[tuple[Doc, int]], facts: ReportFacts) -> None:
    """Add the report's market, segments, leaders, observations and growth factors to ``facts``.

    Args:
        document: the loaded report.
        units: the spaCy Doc of each block with the block's character offset
            in ``document.text``.
        facts: the report's facts, extended in place.

    A report that names no market still yields its growth factors (with no
    market) but no observations.
    """
    unit_map = _unit_map(units)
    name = market_name(document)
    market_ref = Ref("market", name) if name else None
    scheme = _Scheme()
    _segmentation_tables(document, scheme)
    _dimension_tables(document, scheme)
    _segmented_sentences(document, scheme)
    sentences = list(_sentences(document, unit_map, scheme))

    if market_ref is not None:
        market = facts.entity(market_ref)
        if document.title and name and name.lower() in document.title.lower():
            start = document.text.find(document.title)
            if start >= 0:
                _add_mention(market.mentions, _span(document, start, start + len(document.title)))
        folded = [w.lower() for w in _tokens(name or "")]
        acronyms = {w for w in _tokens(name or "") if w.isupper() and len(w) > 1}
        resolver = _Resolver(_Market(market_ref, folded, acronyms), scheme)
        observations = _observations(sentences, resolver, scheme)
        tabled = _snapshot_figures(document, market_ref) + _year_table_figures(document, market_ref)
        for obs in tabled + _column_figures(document, resolver):
            _merge(observations, obs)
    else:
        market = None
        observations = []

    for dim in scheme.dimensions:
        # A dimension only named in passing ("By contrast, ...") has no members to show.
        if not dim.members and not (dim.geo and dim.mentions):
            continue
        entity = facts.entity(dim.ref)
        entity.aliases |= dim.aliases
        for span in dim.mentions:
            _add_mention(entity.mentions, span)
        if market is not None and dim.ref not in market.dimensions:
            market.dimensions.append(dim.ref)
        for member in dim.members:
            m_entity = facts.entity(member.ref)
            m_entity.aliases |= {a for a in member.aliases if a != member.ref.name}
            for span in member.mentions:
                _add_mention(m_entity.mentions, span)

    for written, span in _leaders(document, sentences):
        short = canonical_org_name(written)
        if not short:
            continue
        ref = _known_org(facts, written) or Ref("org", short)
        org = facts.entity(ref)
        if written.strip(" .") != ref.name:
            org.aliases.add(written.strip())
        _add_mention(org.mentions, span)
        if market is not None and ref not in market.leaders:
            market.leaders.append(ref)

    for obs in observations:
        if obs.segment is not None:
            facts.entity(obs.segment)
        facts.observations.append(obs)
    facts.factors.extend(_factors(document, market_ref) or _listed_factors(document, market_ref))
    _table_hierarchy(document, facts)


def _known_org(facts: ReportFacts, written: str) -> Ref | None:
    """The organization the text already knows that a leader list's legal name is.

    "Acme Pet Holdings, Inc." in a list is the "Acme Pet" of the running text:
    the longest known name that opens the legal name, in whole words.
    """
    words = _fold(legal_name(written)).split()
    best: tuple[int, Ref] | None = None
    for ref in facts.entities:
        if ref.kind != "org":
            continue
        have = _fold(ref.name).split()
        if not have or words[: len(have)] != have or (best is not None and len(have) <= best[0]):
            continue
        # One dictionary word ("Summit") may open another firm's name; a coined one does not.
        if len(have) == 1 and len(words) > 1 and short_alias(written) is None:
            continue
        best = (len(have), ref)
    return best[1] if best else None


def _table_hierarchy(document: Document, facts: ReportFacts) -> None:
    """Let the report's own geography table say what contains what.

    The gazetteer links a place to its nearest ancestor the report names,
    which goes wrong when the text names a finer region in passing ("Western
    Europe", "Asia") than the one its table files the country under.
    """
    rows = [_cells(document, row) for table in _tables(document) for row in table]
    parents = table_parents(rows)
    if sum(1 for parent in parents.values() if parent is None) < 2:
        return  # no geography tree, or a single group that may be a fragment
    for name, parent in parents.items():
        entity = facts.entities.get(Ref("region", name))
        if entity is None:
            continue
        if parent is None:
            entity.part_of = None
        elif Ref("region", parent) in facts.entities:
            entity.part_of = Ref("region", parent)
