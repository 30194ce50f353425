"""Running SPARQL for the endpoint: time limit, row cap, SERVICE check, serialization.

**How a query is stopped.** pyoxigraph cannot interrupt a query it is
evaluating, but it evaluates lazily, row by row, and releases the GIL while
it works. So each query runs in a worker thread of a small pool
(:class:`QueryRunner`): the worker pulls rows one at a time and checks a
:class:`Deadline` between rows, and the request handler waits at most
``query_timeout`` seconds for it. On time-out the client gets 503 at once
and the deadline is cancelled, so the worker stops at its next row. A
query that computes everything before its first row (ORDER BY, GROUP BY
over a huge join) keeps its worker busy until that step ends; the pool is
bounded, so such queries cannot pile up threads: later queries wait in the
queue, and one that is still queued at its own time limit is dropped
unstarted and answered 503 too.

**Row cap.** A SELECT returns at most ``row_limit`` rows and a
CONSTRUCT/DESCRIBE at most ``row_limit`` triples; :class:`Answer` says
whether the result was cut, and the endpoint tells the client in the
``X-Result-Truncated`` and ``X-Row-Limit`` headers.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox

from marketgraph.api.errors import Forbidden, QueryTimeout, ServerBusy
from marketgraph.api.formats import GRAPH, SOLUTIONS, Format, choose
from marketgraph.errors import StoreError
from marketgraph.graph.store import PREFIXES, MarketStore

T = TypeVar("T")

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Deadline:
    """The moment a query must stop by; cancelling it stops the query early.

    >>> Deadline(60).expired
    False
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds
        self._cancelled = threading.Event()

    @property
    def expired(self) -> bool:
        return self._cancelled.is_set() or time.monotonic() >= self._at

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        """Raise QueryTimeout once the time is up."""
        if self.expired:
            raise self.error()

    def error(self) -> QueryTimeout:
        return QueryTimeout(
            f"the query ran past the {self.seconds:g} s time limit and was stopped; "
            "narrow it (add LIMIT or more selective patterns) and try again"
        )


def busy_error(seconds: float) -> ServerBusy:
    return ServerBusy(
        f"every query worker stayed busy for the {seconds:g} s time limit; retry in a few seconds"
    )


class QueryRunner:
    """A bounded pool of worker threads that run blocking store work under a time limit."""

    def __init__(self, timeout: float, workers: int = 4) -> None:
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")

    async def run(self, work: Callable[[Deadline], T]) -> T:
        """Run ``work(deadline)`` in a worker; raise QueryTimeout when it overruns.

        ``work`` should call ``deadline.check()`` between units of work.
        """
        deadline = Deadline(self.timeout)
        future = self._pool.submit(work, deadline)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            deadline.cancel()
            if future.cancel():  # it never started: every worker was busy
                raise busy_error(self.timeout) from None
            raise deadline.error() from None

    async def answer(self, store: MarketStore, sparql: str, **options: Any) -> Answer:
        """Answer a query in a worker thread; ``options`` as :func:`evaluate` takes them."""
        return await self.run(lambda deadline: evaluate(store, sparql, deadline, **options))

    async def start(self) -> None:
        """Nothing to do: the threads start on demand."""

    def refresh(self) -> None:
        """Nothing to do: threads read the live store (the process runner snapshots it)."""

    def close(self) -> None:
        """Stop taking work; queued work is dropped, running work ends on its own."""
        self._pool.shutdown(wait=False, cancel_futures=True)


# --------------------------------------------------------------------------- SERVICE


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Everything that may hide the word SERVICE without being the keyword: strings
# (long ones first), IRIs, comments. What is left is keywords, names and punctuation.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$@.-])SERVICE(?![\w:-])", re.IGNORECASE)


def uses_service(sparql: str) -> bool:
    """Whether a query or update calls ``SERVICE`` (federation).

    The text is read as the SPARQL parser reads it: ``\\u`` escapes decoded
    first, then strings, IRIs and comments set aside, so a variable
    ``?service``, a name ``ex:service`` or the word inside a string or a
    comment does not count.

    >>> uses_service('SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT ?service { ?service ex:SERVICE "SERVICE" } # SERVICE')
    False
    """
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    bare = _OPAQUE.sub(" ", decoded)
    return _SERVICE.search(bare) is not None


def refuse_service(sparql: str, allowed: bool) -> None:
    """Raise Forbidden when ``sparql`` uses SERVICE and the server does not allow it."""
    if not allowed and uses_service(sparql):
        raise Forbidden(
            "SERVICE (federated query) is turned off on this server; drop the SERVICE "
            "clause, or start the server with MARKETGRAPH_ALLOW_SERVICE=true"
        )


# --------------------------------------------------------------------------- evaluation


@dataclass(slots=True)
class Answer:
    """A serialized query result and what the client should know of it."""

    body: bytes
    format: Format
    kind: str
    rows: int | None = None
    truncated: bool = False


def evaluate(
    store: MarketStore,
    sparql: str,
    deadline: Deadline,
    *,
    row_limit: int,
    accept: str | None = None,
    format_name: str | None = None,
    default_graph: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> Answer:
    """Run a query and write its result in the format the client wants.

    Raises:
        QueryError: malformed query (400), QueryTimeout (503),
            NotAcceptable (406); InputError for a bad Accept header.
    """
    try:
        return _evaluate(
            store,
            sparql,
            deadline,
            row_limit=row_limit,
            accept=accept,
            format_name=format_name,
            default_graph=default_graph,
            named_graphs=named_graphs,
        )
    except BaseException as exc:
        # pyoxigraph's result iterators may only be freed by the thread that made
        # them, and the traceback keeps the frames holding them alive: drop it here,
        # in the worker, before the error travels to the event loop's thread.
        exc.__traceback__ = None
        if type(exc).__name__ == "PanicException":
            # The engine's Rust code crashed (pyo3 raises a BaseException for that).
            raise StoreError(
                f"the query engine failed on this query ({str(exc).splitlines()[0]}); "
                "rewrite it (an ORDER BY over values of mixed types is a known trigger)"
            ) from None
        raise


def _evaluate(
    store: MarketStore,
    sparql: str,
    deadline: Deadline,
    *,
    row_limit: int,
    accept: str | None,
    format_name: str | None,
    default_graph: list[str] | None,
    named_graphs: list[str] | None,
) -> Answer:
    results = store.query(sparql, default_graph=default_graph, named_graphs=named_graphs)
    if isinstance(results, ox.QueryBoolean):
        fmt = choose(SOLUTIONS, accept=accept, format_name=format_name)
        return Answer(results.serialize(format=fmt.results) or b"", fmt, "ask")
    if isinstance(results, ox.QueryTriples):
        fmt = choose(GRAPH, accept=accept, format_name=format_name)
        triples: list[ox.Triple] = []
        truncated = False
        for triple in results:
            deadline.check()
            if len(triples) == row_limit:
                truncated = True
                break
            triples.append(triple)
        body = ox.serialize(triples, format=fmt.rdf, prefixes=_prefixes_for(fmt)) or b""
        return Answer(body, fmt, "graph", len(triples), truncated)
    fmt = choose(SOLUTIONS, accept=accept, format_name=format_name)
    names = [v.value for v in results.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    # Results repeat terms (a label, a class) across rows: convert each term once.
    converted: dict[Any, dict[str, Any]] = {}
    for solution in results:
        deadline.check()
        if len(bindings) == row_limit:
            truncated = True
            break
        row = {}
        for name, term in zip(names, solution, strict=True):
            if term is not None:
                value = converted.get(term)
                if value is None:
                    value = converted[term] = _term_json(term)
                row[name] = value
        bindings.append(row)
    body = json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    if fmt.results is not ox.QueryResultsFormat.JSON:
        # pyoxigraph writes every results format, but only from its own result
        # objects: read the capped JSON back and let it write the others.
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=fmt.results) or b""
    return Answer(body, fmt, "select", len(bindings), truncated)


def _prefixes_for(fmt: Format) -> dict[str, str] | None:
    if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        return PREFIXES
    return None


def _term_json(term: Any) -> dict[str, Any]:
    """A term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")
