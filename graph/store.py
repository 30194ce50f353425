"""The RDF store: embedded Oxigraph by default, a remote SPARQL 1.1 store on demand.

Every report lives in its own named graph; the ontology in another
(:data:`marketgraph.ontology.ONTOLOGY_GRAPH`). Queries see the union of all
graphs as their default graph. Writes go through SPARQL Update, one request
per change, so a change is applied whole or not at all, on the embedded
store and on a remote one alike.

**The default graph is kept as the merge of the named graphs.** Oxigraph's
own union default graph yields a statement once per graph that holds it, so
a company named in a thousand reports has a thousand copies of its name,
which every query over names would wade through (and count, without
DISTINCT). The embedded store therefore holds the merge itself, as its real
default graph: each statement once, however many reports state it. Every
write keeps it current in the same transaction: replacing a graph drops
from the merge the statements no other graph states and adds the new ones;
a user's SPARQL Update is followed by a full resynchronisation (reading
every statement, about 12 s per million on one core). Statements written
to the default graph alone do not survive that: write into a named graph.
A store made before the merge was kept gets it on its first writable open.
A remote store keeps its own union (see :mod:`marketgraph.graph.remote`).

Backends are chosen by name, the way rdflib picks a store plugin:

>>> store = open_store(backend="memory")
>>> store.reports()
[]
>>> bool(store.query("ASK { ?s a <http://www.w3.org/2002/07/owl#Ontology> }"))
True
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.term import Node

from marketgraph.errors import QueryError, StoreError, UnknownEntity
from marketgraph.graph.iris import report_iri
from marketgraph.ontology import MG, MGID, ONTOLOGY_GRAPH, load_ontology

#: Formats of ``dump`` by file suffix.
DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD}

PREFIXES = {
    "mg": str(MG),
    "mgid": str(MGID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
}
PREFIX_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What the store knows of one report."""

    iri: str
    source_name: str
    title: str | None
    sha256: str
    format: str | None
    built_at: str | None
    extractor_version: str | None
    triples: int


#: SPARQL Update that makes the default graph the merge of the named graphs again.
RESYNC_MERGE = """
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ;
INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"""


def graph_update(graph: URIRef, triples: Iterable[Triple] | None, *, merged: bool = False) -> str:
    """SPARQL Update text that replaces a named graph (drops it when triples is None).

    With ``merged``, the default graph is kept as the merge of the named
    graphs: the old graph's statements that no other graph states leave it,
    and the new ones join it (one INSERT DATA, so blank nodes stay shared).
    """
    g = graph.n3()
    parts = []
    if merged:
        parts.append(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }}"
        )
    parts.append(f"DROP SILENT GRAPH {g}")
    if triples is not None:
        body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
        default = f"\n{body}\n" if merged else ""
        parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}}{default} }}")
    return " ;\n".join(parts)


class MarketStore:
    """The graph of every report built so far.

    Use :func:`open_store` rather than the constructor. ``query`` returns
    pyoxigraph results (``QuerySolutions``, ``QueryBoolean`` or
    ``QueryTriples``), which serialize straight to every SPARQL results
    format; :meth:`rdflib_dataset` gives the same data as an rdflib Dataset.
    """

    def __init__(self, store: ox.Store, *, location: str, merged: bool = False) -> None:
        self._store = store
        self.location = location
        #: Whether the store's own default graph holds the merge of its named graphs.
        self.merged = merged

    # ---------------------------------------------------------------- reading

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> Any:
        """Run a SPARQL query; the default graph is the union of all graphs.

        Args:
            sparql: the query text; the vocabulary's prefixes are predeclared.
            default_graph: IRIs whose merge is the default graph instead.
            named_graphs: IRIs of the only graphs ``GRAPH`` may see.

        Raises:
            QueryError: the query is malformed (with the parser's message).
        """
        kwargs: dict[str, Any] = {"prefixes": PREFIXES}
        try:
            if default_graph:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
            elif not self.merged:
                kwargs["use_default_graph_as_union"] = True
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as e:
            raise QueryError(f"not a graph IRI: {e}; pass absolute IRIs") from None
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL query: {e}") from None
        except (OSError, ValueError) as e:
            raise QueryError(f"the query failed: {e}") from None
        except BaseException as e:
            # A Rust panic inside Oxigraph surfaces as pyo3's PanicException,
            # a BaseException; report it like any failed query.
            if type(e).__name__ != "PanicException":
                raise
            raise QueryError(f"the query engine failed on this query: {e}") from None

    def select(
        self, sparql: str, *, default_graph: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts of :func:`term_value` (unbound variables left out)."""
        results = self.query(sparql, default_graph=default_graph)
        names = [v.value for v in results.variables]
        return [
            {n: term_value(row[n]) for n in names if row[n] is not None}
            for row in results  # type: ignore[union-attr]
        ]

    def reports(self) -> list[ReportInfo]:
        """Every report in the store, by source name."""
        rows = self.select(
            """SELECT ?r ?name ?title ?sha ?fmt ?built ?version (COUNT(*) AS ?n) WHERE {
                 GRAPH ?r { ?r a mg:Report ; mg:sourceName ?name ; mg:sha256 ?sha .
                   OPTIONAL { ?r dcterms:title ?title } OPTIONAL { ?r mg:format ?fmt }
                   OPTIONAL { ?r mg:builtAt ?built } OPTIONAL { ?r mg:extractorVersion ?version }
                   ?s ?p ?o }
               } GROUP BY ?r ?name ?title ?sha ?fmt ?built ?version ORDER BY ?name"""
        )
        return [
            ReportInfo(
                iri=r["r"],
                source_name=r["name"],
                title=r.get("title"),
                sha256=r["sha"],
                format=r.get("fmt"),
                built_at=r.get("built"),
                extractor_version=r.get("version"),
                triples=int(r["n"]),
            )
            for r in rows
        ]

    def find_report(self, name: str) -> ReportInfo:
        """A report by IRI, source name or slug.

        Raises:
            UnknownEntity: no such report (the message lists those there are).
        """
        known = self.reports()
        for info in known:
            if name in (info.iri, info.source_name, str(report_iri(info.source_name))):
                return info
            if info.iri.endswith("/" + name):
                return info
        names = ", ".join(i.source_name for i in known) or "none yet"
        raise UnknownEntity(f"no report named {name!r} in the store; reports: {names}")

    def __len__(self) -> int:
        """Statements in the named graphs (the merged default graph is not counted)."""
        if not self.merged:
            return len(self._store)
        rows = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))[0].value)

    # ---------------------------------------------------------------- writing

    def replace_reports(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> None:
        """Replace each report's named graph, all in one transaction."""
        self._write(" ;\n".join(graph_update(g, t, merged=self.merged) for g, t in graphs))

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple] | None) -> None:
        """Replace one named graph (drop it when ``triples`` is None), in one transaction."""
        self._write(graph_update(graph, triples, merged=self.merged))

    def remove_report(self, name: str) -> ReportInfo:
        """Drop a report's named graph; returns what it was.

        Raises:
            UnknownEntity: no such report.
        """
        info = self.find_report(name)
        self.replace_graph(URIRef(info.iri), None)
        return info

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in bulk (fast, but not one transaction), then merge the default graph.

        For benchmarks and imports of millions of statements; builds use
        :meth:`replace_reports`.
        """
        if self.merged:
            quads = _with_default_copies(quads)
        try:
            self._store.bulk_extend(quads)
        except OSError as e:
            raise StoreError(f"could not write the store at {self.location}: {e}") from None

    def update(self, sparql: str) -> None:
        """Run a user's SPARQL Update as one transaction.

        On a merged store the default graph is made the merge of the named
        graphs again in the same transaction, so statements written to the
        default graph alone are dropped: write into named graphs.

        Raises:
            QueryError: the update is malformed.
            StoreError: the store could not be written.
        """
        if self.merged:
            text = sparql.rstrip()
            sparql = f"{text}\n{'' if text.endswith(';') else ';'}\n{RESYNC_MERGE}"
        self._write(sparql)

    def _write(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL update: {e}") from None
        except OSError as e:
            raise StoreError(f"could not write the store at {self.location}: {e}") from None

    def ensure_ontology(self) -> None:
        """Load the ontology into its named graph unless it is there and current."""
        ontology = load_ontology()
        current = set(self._store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)))
        if len(current) == len(ontology) and current:
            return
        self.replace_graph(URIRef(ONTOLOGY_GRAPH), ontology)

    # ---------------------------------------------------------------- export

    def dump(self, path: Path) -> int:
        """Write the whole store to ``path``, in the format its suffix names.

        Triple formats (Turtle, N-Triples, RDF/XML) get the union of all graphs.
        Returns the number of statements written.

        Raises:
            StoreError: unknown suffix, or the file cannot be written.
        """
        fmt = DUMP_FORMATS.get(path.suffix.lower())
        if fmt is None:
            known = ", ".join(DUMP_FORMATS)
            raise StoreError(f"{path.name}: cannot tell the RDF format; use a suffix of {known}")
        buffer = io.BytesIO()
        if fmt in _QUAD_FORMATS and self.merged:
            # The merged default graph is derived from the named graphs: leave it out.
            named = (q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph))
            counted = _Counted(named)
            ox.serialize(counted, buffer, format=fmt, prefixes=PREFIXES)
            count = counted.count
        elif fmt in _QUAD_FORMATS:
            self._store.dump(buffer, format=fmt, prefixes=PREFIXES)
            count = len(self._store)
        else:
            triples = list(self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
            ox.serialize(triples, buffer, format=fmt, prefixes=PREFIXES)
            count = len(triples)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buffer.getvalue())
        except OSError as e:
            raise StoreError(f"cannot write {path}: {e.strerror}; choose a writable path") from None
        return count

    def rdflib_dataset(self) -> Dataset:
        """The store as an rdflib Dataset (shares the data; default graph is the union)."""
        from oxrdflib import OxigraphStore

        # A merged store's own default graph is the union, each statement once.
        return Dataset(store=OxigraphStore(store=self._store), default_union=not self.merged)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for reading in bulk and backups.

        Write through the methods above, which keep the default graph the
        merge of the named graphs.
        """
        return self._store

    def close(self) -> None:
        """Flush and release the store (an embedded store's lock is freed)."""
        # A read-only embedded store refuses to flush (RuntimeError): nothing to flush.
        with contextlib.suppress(OSError, RuntimeError):
            self._store.flush()
        del self._store

    def __enter__(self) -> MarketStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_INTEGERS = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("integer", "int", "long", "nonNegativeInteger")
)
_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def term_value(term: Any) -> Any:
    """A result term as Python: int and Decimal for numbers, else its lexical text.

    Dates stay ISO text (as precise as stated); IRIs are their string.

    >>> term_value(ox.Literal("12.5", datatype=ox.NamedNode(_DECIMAL)))
    Decimal('12.5')
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == _DECIMAL:
            return Decimal(term.value)
    return term.value


def _open_oxigraph(location: Path | None, read_only: bool = False) -> MarketStore:
    if location is None:
        return MarketStore(ox.Store(), location="memory", merged=True)
    try:
        if read_only:
            store = ox.Store.read_only(str(location))
        else:
            location.mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(location))
    except OSError as e:
        text = str(e)
        if "lock" in text.lower():
            raise StoreError(
                f"the store at {location} is in use by another process (a running "
                "'marketgraph serve'?); stop it or use another --store"
            ) from None
        raise StoreError(f"cannot open the store at {location}: {text}") from None
    merged = _has_default_graph(store)
    if not merged and not read_only:
        # A store from before the merge was kept (or a new one): make it now.
        MarketStore(store, location=str(location))._write(RESYNC_MERGE)
        merged = True
    return MarketStore(store, location=str(location), merged=merged)


def _with_default_copies(quads: Iterable[ox.Quad]) -> Iterable[ox.Quad]:
    """Each quad, then its statement in the default graph (a set: repeats fold)."""
    default = ox.DefaultGraph()
    for q in quads:
        yield q
        yield ox.Quad(q.subject, q.predicate, q.object, default)


class _Counted:
    """An iterable that counts what it hands out."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self):
        for item in self._items:
            self.count += 1
            yield item


def _has_default_graph(store: ox.Store) -> bool:
    default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return next(iter(default), None) is not None


def _open_remote(location: str, *, read_only: bool = False, update_url: str | None = None):
    from marketgraph.graph.remote import RemoteEngine

    if not str(location).startswith(("http://", "https://")):
        raise StoreError(
            f"the sparql backend needs the server's query URL, not {location!r}; "
            "set MARKETGRAPH_SPARQL_QUERY_URL"
        )
    engine = RemoteEngine(str(location), update_url)
    return MarketStore(engine, location=str(location))  # type: ignore[arg-type]


#: Store backends by name: each takes a location and returns a MarketStore.
BACKENDS: dict[str, Callable[..., MarketStore]] = {
    "oxigraph": lambda location, **kw: _open_oxigraph(Path(location), **kw),
    "memory": lambda location=None, **kw: _open_oxigraph(None),
    "sparql": _open_remote,
}


def open_store(
    location: str | Path | None = None,
    *,
    backend: str = "oxigraph",
    read_only: bool = False,
    update_url: str | None = None,
) -> MarketStore:
    """Open (creating when new) a store by backend name, with the ontology loaded.

    Args:
        location: the embedded store's folder, or the query URL of a
            remote SPARQL store (ignored by "memory").
        backend: a name from :data:`BACKENDS`.
        read_only: open an embedded store for reading only (no lock taken).
        update_url: a remote store's update endpoint, when not the query URL.

    Raises:
        StoreError: unknown backend, or the store cannot be opened.
    """
    factory = BACKENDS.get(backend)
    if factory is None:
        raise StoreError(
            f"unknown store backend {backend!r}; choose one of {', '.join(sorted(BACKENDS))}"
        )
    if backend == "memory":
        store = factory()
    else:
        if location is None:
            raise StoreError("no store location given; pass --store DIR or set MARKETGRAPH_STORE")
        extra = {"update_url": update_url} if backend == "sparql" else {}
        store = factory(location, read_only=read_only, **extra)
    if not read_only:
        store.ensure_ontology()
    return store


def open_store_for(settings, *, read_only: bool = False) -> MarketStore:
    """Open the store that ``settings`` (a :class:`~marketgraph.settings.Settings`) names."""
    if settings.backend == "sparql":
        return open_store(
            settings.sparql_query_url, backend="sparql", update_url=settings.sparql_update_url
        )
    return open_store(settings.store, backend=settings.backend, read_only=read_only)
