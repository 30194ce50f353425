"""Result formats of the SPARQL endpoint and the choice among them.

A SELECT or ASK result can be sent as SPARQL JSON, XML, CSV or TSV; a
CONSTRUCT or DESCRIBE result as Turtle, N-Triples, N-Quads, TriG, JSON-LD
or RDF/XML. The client picks with the ``Accept`` header (q-values
honoured, parsed by ``mimeparse``) or, overriding it, a ``format``
parameter holding a short name (``csv``, ``ttl`` ...) or a media type.

>>> choose(SOLUTIONS, accept="text/csv;q=0.5, application/sparql-results+xml").name
'xml'
>>> choose(GRAPH, format_name="nt").media_type
'application/n-triples'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mimeparse
import pyoxigraph as ox

from marketgraph.api.errors import NotAcceptable
from marketgraph.errors import InputError


@dataclass(frozen=True, slots=True)
class Format:
    """One way to write a result.

    ``media_type`` is what the response declares; ``aliases`` are other
    media types a client may ask for it by; ``names`` are the short names
    the ``format`` parameter accepts.
    """

    name: str
    media_type: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None

    @property
    def content_type(self) -> str:
        """The Content-Type header: text types say they are UTF-8."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


R = ox.QueryResultsFormat
G = ox.RdfFormat

#: Formats of SELECT and ASK results, the default first.
SOLUTIONS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        ("json", "srj"),
        ("application/json",),
        results=R.JSON,
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        ("xml", "srx"),
        ("application/xml", "text/xml"),
        results=R.XML,
    ),
    Format("csv", "text/csv", ("csv",), results=R.CSV),
    Format("tsv", "text/tab-separated-values", ("tsv",), results=R.TSV),
)

#: Formats of CONSTRUCT and DESCRIBE results (and RDF documents), the default first.
GRAPH: tuple[Format, ...] = (
    # Turtle is a subset of N3, so a request for N3 is answered with Turtle.
    Format(
        "turtle",
        "text/turtle",
        ("turtle", "ttl", "n3"),
        ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
        rdf=G.TURTLE,
    ),
    Format(
        "ntriples",
        "application/n-triples",
        ("ntriples", "n-triples", "nt"),
        ("text/plain",),
        rdf=G.N_TRIPLES,
    ),
    Format("nquads", "application/n-quads", ("nquads", "n-quads", "nq"), rdf=G.N_QUADS),
    Format("trig", "application/trig", ("trig",), rdf=G.TRIG),
    Format(
        "jsonld",
        "application/ld+json",
        ("jsonld", "json-ld", "json"),
        ("application/json",),
        rdf=G.JSON_LD,
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ("rdfxml", "rdf", "xml", "owl"),
        ("application/xml", "text/xml"),
        rdf=G.RDF_XML,
    ),
)

HTML = Format("html", "text/html", ("html",), ("application/xhtml+xml",))


@lru_cache(maxsize=512)
def choose(
    formats: tuple[Format, ...], *, accept: str | None = None, format_name: str | None = None
) -> Format:
    """The format to answer in: the ``format`` parameter, else the best ``Accept`` match.

    Args:
        formats: what the result can be written as, the default first.
        accept: the request's Accept header (None or empty: anything).
        format_name: the ``format`` parameter: a short name or a media type, or
            several separated by commas (the first one known wins).

    Raises:
        NotAcceptable: nothing the client accepts fits (406).
        InputError: the Accept header cannot be parsed (400).

    Answers are cached: clients send the same few Accept headers again and again.
    """
    offered = ", ".join(f.name for f in formats)
    if format_name:
        # Clients that cannot set Accept send the format several ways at once
        # (SPARQLWrapper: "json-ld" and then "application/ld+json,application/x-json+ld"):
        # take the first choice, of any comma-separated piece, that names a format.
        for piece in format_name.split(","):
            wanted = piece.split(";")[0].strip().lower()
            for f in formats:
                if wanted in f.names or wanted == f.media_type or wanted in f.aliases:
                    return f
        raise NotAcceptable(
            f"format={format_name!r} cannot carry this result; use one of {offered}"
        )
    if not accept or not accept.strip():
        return formats[0]
    # mimeparse prefers the later of equally good matches: list the default last,
    # and every format's own media type after all the aliases.
    by_type: dict[str, Format] = {}
    for f in reversed(formats):
        for alias in f.aliases:
            by_type.setdefault(alias, f)
    for f in reversed(formats):
        by_type[f.media_type] = f
    ordered = [t for t in by_type if t not in {f.media_type for f in formats}]
    ordered += [f.media_type for f in reversed(formats)]
    try:
        best = mimeparse.best_match(ordered, accept)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        raise InputError(
            f"cannot parse the Accept header {accept!r}; send media types such as text/csv"
        ) from None
    if not best:
        types = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(
            f"none of the accepted types ({accept}) fits this result; accept one of {types}, "
            f"or pass format= one of {offered}"
        )
    return by_type[best]
