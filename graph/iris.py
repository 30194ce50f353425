"""The one place where IRIs are minted.

Entity IRIs are deterministic, ``mgid:<kind>/<slug>``, so the same entity
named in two reports gets the same IRI and the reports merge. Facts that
belong to one report (events, observations, factors, mentions) get IRIs
under the report's slug, so rebuilding a report replaces them.

>>> str(entity_iri(Ref("org", "Korvo Labs")))
'https://w3id.org/marketgraph/id/org/korvo-labs'
>>> slugify("Société Générale, S.A.")
'societe-generale-s-a'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from marketgraph.extract.facts import Ref
from marketgraph.ontology import MGID

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """The canonical name in lower-case ASCII, words joined by ``-``.

    A name with no ASCII letter or digit at all (say, in Chinese script)
    gets a short stable hash instead, so it still has an IRI.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", folded.lower()).strip("-")
    return slug or "x" + hashlib.sha1(name.encode()).hexdigest()[:10]


def entity_iri(ref: Ref) -> URIRef:
    """``mgid:<kind>/<slug>``; a scoped name (a segment) nests under its scope."""
    if ref.scope:
        return MGID[f"{ref.kind}/{slugify(ref.scope)}/{slugify(ref.name)}"]
    return MGID[f"{ref.kind}/{slugify(ref.name)}"]


def report_iri(source_name: str) -> URIRef:
    """The report's IRI, also the name of its named graph."""
    return MGID[f"report/{slugify(source_name)}"]


def report_slug(iri: URIRef | str) -> str:
    """The slug of a report IRI (the part after ``report/``)."""
    return str(iri).rsplit("report/", 1)[-1]


def fact_iri(report: URIRef, kind: str, *key: object) -> URIRef:
    """An IRI for a fact of one report, stable for the same key.

    >>> r = report_iri("a.txt")
    >>> fact_iri(r, "event", "Acquisition", "acme") == fact_iri(r, "event", "Acquisition", "acme")
    True
    """
    digest = hashlib.sha1("\x1f".join(map(str, key)).encode()).hexdigest()[:12]
    return MGID[f"{kind}/{report_slug(report)}/{digest}"]


def mention_iri(report: URIRef, start: int, end: int) -> URIRef:
    """The IRI of the text span ``start:end`` of a report."""
    return MGID[f"mention/{report_slug(report)}/{start}-{end}"]
