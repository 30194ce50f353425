"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

- ``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query=``, or
  the query itself as ``application/sparql-query``) answer queries over the
  union of all reports, in the format the client negotiates
  (:mod:`marketgraph.api.formats`), within the time limit and row cap
  (:mod:`marketgraph.api.execution`). ``default-graph-uri`` and
  ``named-graph-uri`` narrow the dataset as the protocol says.
- ``POST /sparql`` with ``update=`` or ``application/sparql-update`` runs an
  update, only when the server allows updates and the request carries the
  update token (``Authorization: Bearer ...``).
- ``GET /sparql`` without a query describes the service (Turtle, SPARQL 1.1
  Service Description) or, for a browser, opens the query page.
"""

from __future__ import annotations

import html
import json
import re
from importlib.resources import files
from typing import Annotated
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID, Namespace
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from marketgraph.api.deps import (
    RunnerDep,
    SettingsDep,
    StoreDep,
    check_write_allowed,
    get_runner,
    get_settings,
    get_store,
    store_changed,
)
from marketgraph.api.errors import MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType
from marketgraph.api.execution import refuse_service
from marketgraph.api.formats import GRAPH, HTML, SOLUTIONS, choose
from marketgraph.errors import InputError
from marketgraph.graph.store import PREFIXES, MarketStore
from marketgraph.settings import Settings

router = APIRouter(tags=["sparql"])

#: The SPARQL 1.1 Service Description vocabulary (rdflib has no namespace object for it).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: Largest query or update text accepted in a request body.
MAX_QUERY_BYTES = 1_000_000
#: Where the query page's assets are served (see :func:`marketgraph.api.app.create_app`).
ASSET_BASE = "/sparql-ui"
STATIC_DIR = files("marketgraph.api") / "static"

EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "Organizations and the reports that name them",
        """SELECT ?org ?name (COUNT(DISTINCT ?report) AS ?reports) WHERE {
  ?org a mg:Organization ; rdfs:label ?name ; mg:mentionedIn ?report .
} GROUP BY ?org ?name ORDER BY DESC(?reports) ?name LIMIT 50""",
    ),
    (
        "Acquisitions: who bought whom, when, for how much",
        """SELECT DISTINCT ?buyer ?bought ?date ?amount ?currency WHERE {
  ?deal a mg:Acquisition ; mg:acquirer/rdfs:label ?buyer ; mg:acquired/rdfs:label ?bought .
  OPTIONAL { ?deal mg:date ?date }
  OPTIONAL { ?deal mg:amount ?amount ; mg:currency ?currency }
} ORDER BY DESC(?date)""",
    ),
    (
        "Market sizes by year, with the sentence each came from",
        """SELECT DISTINCT ?market ?year ?value ?currency ?sentence WHERE {
  ?obs mg:measure mg:MarketSize ; mg:value ?value ; mg:market/rdfs:label ?market .
  OPTIONAL { ?obs mg:year ?year } OPTIONAL { ?obs mg:currency ?currency }
  OPTIONAL { ?obs prov:wasDerivedFrom/mg:text ?sentence }
} ORDER BY ?market ?year""",
    ),
    (
        "Segments by dimension, with their market shares",
        """SELECT DISTINCT ?dimension ?segment ?share ?year WHERE {
  ?seg a mg:Segment ; rdfs:label ?segment ; skos:inScheme/rdfs:label ?dimension .
  OPTIONAL { ?obs mg:segment ?seg ; mg:measure mg:MarketShare ; mg:value ?share .
             OPTIONAL { ?obs mg:year ?year } }
} ORDER BY ?dimension ?segment""",
    ),
    (
        "Regions and the regions containing them",
        """SELECT DISTINCT ?region ?inside WHERE {
  ?r a mg:Region ; rdfs:label ?region .
  OPTIONAL { ?r mg:partOf/rdfs:label ?inside }
} ORDER BY ?inside ?region""",
    ),
    (
        "Funding rounds and their investors",
        """SELECT DISTINCT ?company ?round ?amount ?currency ?investor WHERE {
  ?deal a mg:FundingRound ; mg:investee/rdfs:label ?company .
  OPTIONAL { ?deal mg:roundType ?round }
  OPTIONAL { ?deal mg:amount ?amount ; mg:currency ?currency }
  OPTIONAL { ?deal mg:investor|mg:leadInvestor ?i . ?i rdfs:label ?investor }
}""",
    ),
    (
        "Everything said about organizations (a CONSTRUCT: results as RDF)",
        """CONSTRUCT { ?x ?p ?o } WHERE {
  ?x a mg:Organization ; ?p ?o .
} LIMIT 500""",
    ),
)


# --------------------------------------------------------------------------- routes


@router.get(
    "/sparql",
    summary="SPARQL query (GET)",
    response_class=Response,
    responses={
        200: {
            "description": "Query results, negotiated by Accept or `format`.",
            "content": {f.media_type: {} for f in (*SOLUTIONS, *GRAPH, HTML)},
        }
    },
)
async def sparql_get(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    query: Annotated[str | None, Query(description="The SPARQL query.")] = None,
    default_graph_uri: Annotated[
        list[str] | None, Query(alias="default-graph-uri", description="Default graph IRIs.")
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None, Query(alias="named-graph-uri", description="Named graph IRIs.")
    ] = None,
    format: Annotated[
        str | None,
        Query(description="Result format by name (json, xml, csv, tsv, ttl, nt, jsonld ...)."),
    ] = None,
) -> Response:
    """Answer a query; without one, describe the service (or open the query page).

    The vocabulary's prefixes (`mg:`, `mgid:`, `rdfs:`, `skos:`, `prov:` ...)
    are predeclared. Results stop at the server's row limit; the
    `X-Result-Truncated` header says whether they did.
    """
    if "update" in request.query_params:
        raise MethodNotAllowed("updates must be sent with POST; use POST /sparql with update=")
    # Read every format= given (some clients repeat it); the declared one is for the docs.
    choices = _format_choices(request.query_params.getlist("format"))
    if query is None:
        return describe(request, store, settings, format_name=choices)
    return await _answer(
        request, store, settings, runner, query, default_graph_uri, named_graph_uri, choices
    )


@router.post(
    "/sparql",
    summary="SPARQL query or update (POST)",
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "update": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
                QUERY_TYPE: {"schema": {"type": "string"}},
                UPDATE_TYPE: {"schema": {"type": "string"}},
            }
        }
    },
)
async def sparql_post(request: Request) -> Response:
    """Answer a query, or run an update (when allowed, with the update token).

    Send a form (`query=` or `update=`), or the text itself with
    Content-Type `application/sparql-query` or `application/sparql-update`.
    """
    # SPARQL clients POST: on this hot path, take the store, settings and runner
    # straight from the application (resolving three dependencies cost about a
    # quarter of a small query's time in the server's own process).
    store, settings = await get_store(request), await get_settings(request)
    runner = await get_runner(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_QUERY_BYTES:
        raise PayloadTooLarge(
            f"the request body is {length} bytes, over the {MAX_QUERY_BYTES} byte limit "
            "for a query; shorten the query"
        )
    if media in (QUERY_TYPE, UPDATE_TYPE):
        text = _decode(await _capped_body(request))
        if media == UPDATE_TYPE:
            return await _update(request, store, settings, text, params)
        return await _answer(
            request,
            store,
            settings,
            runner,
            text,
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
            _format_choices(params.getlist("format")),
        )
    if media in FORM_TYPES:
        form = await _form(request, media)
        query, update = form.get("query"), form.get("update")
        if query is not None and update is not None:
            raise InputError("the form has both query= and update=; send one of them")
        if update is not None:
            return await _update(request, store, settings, str(update), form)
        if query is None:
            raise InputError("the form has neither query= nor update=; send one of them")
        default_graphs = [str(v) for v in form.getlist("default-graph-uri")]
        default_graphs += params.getlist("default-graph-uri")
        named_graphs = [str(v) for v in form.getlist("named-graph-uri")]
        named_graphs += params.getlist("named-graph-uri")
        formats = [str(v) for v in form.getlist("format")] + params.getlist("format")
        return await _answer(
            request,
            store,
            settings,
            runner,
            str(query),
            default_graphs,
            named_graphs,
            _format_choices(formats),
        )
    raise UnsupportedMediaType(
        f"cannot read a request body of type {media or 'none'!r}; send "
        f"application/x-www-form-urlencoded, {QUERY_TYPE} or {UPDATE_TYPE}"
    )


async def _capped_body(request: Request) -> bytes:
    """The request body, refused once it passes the size limit (even when sent in chunks)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise PayloadTooLarge(
                f"the request body is over the {MAX_QUERY_BYTES} byte limit for a query; "
                "shorten the query"
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def _form(request: Request, media: str) -> FormData:
    """The fields of a form body, within the size limit."""
    if media == "multipart/form-data":
        try:
            return await request.form(max_part_size=MAX_QUERY_BYTES)
        except HTTPException as e:  # starlette's message for a malformed multipart body
            raise InputError(
                f"cannot read the multipart form ({e.detail}); send a valid form"
            ) from None
    fields = parse_qsl(_decode(await _capped_body(request)), keep_blank_values=True)
    return FormData(fields)


def _format_choices(values: list[str]) -> str | None:
    """The ``format`` parameter's values as one choice list for :func:`formats.choose`."""
    return ",".join(values) if values else None


def _check_iri(name: str, iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise InputError(
            f"{name}={iri!r} is not an IRI; give a graph's full IRI, e.g. a report's from /reports"
        ) from None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the request body is not UTF-8 text; send the query as UTF-8") from None


# --------------------------------------------------------------------------- queries


async def _answer(
    request: Request,
    store: MarketStore,
    settings: Settings,
    runner,
    text: str,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    format_name: str | None,
) -> Response:
    if not text.strip():
        raise InputError("the query is empty; send a SPARQL query such as SELECT * { ?s ?p ?o }")
    refuse_service(text, settings.allow_service)
    for name, iris in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for iri in iris or ():
            _check_iri(name, iri)
    answer = await runner.answer(
        store,
        text,
        row_limit=settings.row_limit,
        accept=request.headers.get("accept"),
        format_name=format_name,
        default_graph=default_graphs or None,
        named_graphs=named_graphs or None,
    )
    headers = {"Vary": "Accept"}
    if answer.rows is not None:
        headers["X-Row-Limit"] = str(settings.row_limit)
        headers["X-Result-Rows"] = str(answer.rows)
        headers["X-Result-Truncated"] = "true" if answer.truncated else "false"
    return Response(answer.body, media_type=answer.format.content_type, headers=headers)


async def _update(request: Request, store: MarketStore, settings: Settings, text: str, params):
    check_write_allowed(request, settings)
    if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
        raise InputError(
            "using-graph-uri and using-named-graph-uri are not supported; write USING or "
            "USING NAMED in the update instead"
        )
    if not text.strip():
        raise InputError("the update is empty; send a SPARQL update such as INSERT DATA { ... }")
    refuse_service(text, settings.allow_service)
    await run_in_threadpool(store.update, text)
    store_changed(request)
    return Response(status_code=204)


# --------------------------------------------------------------------------- description


DESCRIPTION_FORMATS = tuple(
    f for f in GRAPH if f.name in ("turtle", "ntriples", "jsonld", "rdfxml")
)


def describe(
    request: Request, store: MarketStore, settings: Settings, *, format_name: str | None = None
) -> Response:
    """The service description, or the query page when the client prefers HTML."""
    fmt = choose(
        (*DESCRIPTION_FORMATS, HTML), accept=request.headers.get("accept"), format_name=format_name
    )
    if fmt is HTML:
        return HTMLResponse(query_page(), headers={"Vary": "Accept"})
    graph = service_description(store, settings, str(request.url.replace(query="")))
    body = graph.serialize(format=_RDFLIB_NAMES[fmt.name], encoding="utf-8")
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


_RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def service_description(store: MarketStore, settings: Settings, endpoint: str) -> Graph:
    """A SPARQL 1.1 Service Description of this endpoint and its dataset."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service, dataset, default = BNode(), BNode(), BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.allow_update:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.allow_service:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for f in (*SOLUTIONS, *GRAPH):
        fmt = f.results or f.rdf
        g.add((service, SD.resultFormat, URIRef(fmt.iri)))
    g.add(
        (
            service,
            DCTERMS.description,
            Literal(
                f"Market-research reports as a knowledge graph. Results stop at "
                f"{settings.row_limit} rows; queries stop after {settings.query_timeout:g} s. "
                "The default graph is the union of all reports' graphs."
            ),
        )
    )
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    statements = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    g.add((default, VOID.triples, Literal(statements)))
    for info in store.reports():
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(info.iri)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(info.triples)))
        if info.title:
            g.add((inner, DCTERMS.title, Literal(info.title)))
    return g


def with_prefixes(sparql: str) -> str:
    """The query preceded by a PREFIX line for each predeclared prefix it uses.

    The endpoint knows the prefixes anyway; written out, the query also runs
    elsewhere and the editor does not flag them.

    >>> with_prefixes("SELECT * { ?s a mg:Report }").splitlines()[0]
    'PREFIX mg: <https://w3id.org/marketgraph/ontology#>'
    """
    used = [p for p in PREFIXES if re.search(rf"(?<![\w-]){re.escape(p)}:", sparql)]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used) + sparql


def query_page() -> str:
    """The query page: YASGUI over this endpoint, with example queries.

    Without JavaScript (or without the YASGUI assets) a plain form does the same.
    """
    template = (STATIC_DIR / "query.html").read_text(encoding="utf-8")
    queries = [with_prefixes(q) for _, q in EXAMPLES]
    options = "\n".join(
        f'<option value="{i}">{html.escape(title)}</option>'
        for i, (title, _) in enumerate(EXAMPLES)
    )
    return (
        template.replace("{{ASSETS}}", ASSET_BASE)
        .replace("{{OPTIONS}}", options)
        .replace("{{EXAMPLES_JSON}}", json.dumps(queries).replace("</", "<\\/"))
        .replace("{{FIRST_QUERY}}", html.escape(queries[0]))
    )
