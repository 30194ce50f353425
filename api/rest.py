"""The REST API: reports, entities, deals, figures, segments, regions, neighbours, paths.

Handlers are thin: they read parameters, call :mod:`marketgraph.graph.queries`
(or :mod:`marketgraph.graph.network` for paths) and return models from
:mod:`marketgraph.api.models`. Errors raised below become JSON answers in
:mod:`marketgraph.api.errors`. Writes (upload, delete) follow the same rule
as SPARQL Update: only when the server allows updates, with the token.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from marketgraph.api import cache, models
from marketgraph.api.deps import (
    SettingsDep,
    StoreDep,
    get_graph_cache,
    require_write,
    store_changed,
)
from marketgraph.api.errors import PayloadTooLarge, UnsupportedMediaType
from marketgraph.errors import InputError
from marketgraph.graph import queries
from marketgraph.graph.iris import report_slug
from marketgraph.graph.store import MarketStore, ReportInfo

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Most items in the page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]

_UPLOAD_CHUNK = 1 << 16


def _renderers(request: Request) -> CapacityLimiter | None:
    """The threads entity answers are computed in (None: the default pool)."""
    return getattr(request.app.state, "entity_renderers", None)


def _report(info: ReportInfo) -> models.Report:
    return models.Report(id=report_slug(info.iri), **asdict(info))


# --------------------------------------------------------------------------- service


@router.get("/health", tags=["service"], response_model=models.Health)
def health(request: Request, store: StoreDep) -> models.Health:
    """Whether the service can read its store, how much the store holds, and the cache state.

    The counts are read once per state of the store (they take a second at a
    million statements), so a liveness probe stays cheap.
    """
    answers = request.app.state.entity_cache
    state = None
    if answers is not None:
        state = models.EntityCacheState(entries=len(answers), bytes=answers.size, warm=answers.warm)
    reports, quads = request.app.state.summary_cache.get(lambda: (len(store.reports()), len(store)))
    return models.Health(
        status="ok", store=store.location, reports=reports, quads=quads, entity_cache=state
    )


# --------------------------------------------------------------------------- reports


@router.get("/reports", tags=["reports"], response_model=models.Page[models.Report])
def list_reports(store: StoreDep, limit: Limit = 100, offset: Offset = 0):
    """The reports in the store, by source name."""
    infos = store.reports()
    items = [_report(i) for i in infos[offset : offset + limit]]
    return models.Page[models.Report](items=items, total=len(infos), limit=limit, offset=offset)


@router.get("/reports/{report_id}", tags=["reports"], response_model=models.Report)
def get_report(store: StoreDep, report_id: str) -> models.Report:
    """One report by slug, source name or IRI."""
    return _report(store.find_report(report_id))


@router.post(
    "/reports",
    tags=["reports"],
    status_code=201,
    response_model=models.BuildResult,
    dependencies=[Depends(require_write)],
)
async def upload_report(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A .txt, .md, .html or .pdf report.")],
) -> models.BuildResult:
    """Extract a report's facts into the store (replacing a report of the same name).

    Needs the update token (`Authorization: Bearer ...`) on a server that
    allows updates. Answers 413 over the size limit, 415 for a file type
    that is not a report, 400 for a file that cannot be read.
    """
    from marketgraph.extract.loaders import FORMATS, load_bytes

    name = PurePath(file.filename or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in FORMATS:
        raise UnsupportedMediaType(
            f"cannot read {name or 'a file without a name'!r} as a report; upload a file "
            f"ending in {', '.join(FORMATS)}"
        )
    data = await _read_capped(file, settings.max_upload_bytes)
    document = load_bytes(data, name)
    replaced = any(info.source_name == document.source_name for info in store.reports())
    summary = await run_in_threadpool(_build, request, store, document)
    store_changed(request)
    info = store.find_report(document.source_name)
    return models.BuildResult(
        report=_report(info),
        replaced=replaced,
        counts=summary.reports.get(document.source_name, {}),
        seconds=round(summary.seconds, 3),
    )


async def _read_capped(file: UploadFile, limit: int) -> bytes:
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(_too_large(file.size, limit))
    chunks, size = [], 0
    while chunk := await file.read(_UPLOAD_CHUNK):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(_too_large(size, limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> str:
    return (
        f"the upload is over {limit} bytes (got at least {size}); split the report or raise "
        "MARKETGRAPH_MAX_UPLOAD_BYTES"
    )


def _build(request: Request, store: MarketStore, document):
    from marketgraph.graph.build import build_documents

    return build_documents(store, [document], extractor=_extractor(request))


def _extractor(request: Request):
    """The application's extractor, loaded on first use (loading spaCy takes seconds)."""
    state = request.app.state
    with state.extractor_lock:
        if state.extractor is None:
            from marketgraph.extract.pipeline import Extractor

            settings = state.settings
            state.extractor = Extractor(model=settings.spacy_model, batch_size=settings.batch_size)
        return state.extractor


@router.delete(
    "/reports/{report_id}",
    tags=["reports"],
    response_model=models.Report,
    dependencies=[Depends(require_write)],
)
def delete_report(request: Request, store: StoreDep, report_id: str) -> models.Report:
    """Remove a report's named graph; answers with what was removed.

    Needs the update token, like every write.
    """
    info = store.remove_report(report_id)
    store_changed(request)
    return _report(info)


# --------------------------------------------------------------------------- entities


@router.get("/entities", tags=["entities"], response_model=models.Page[models.EntitySummary])
def search_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Text in a label or alternative label.")] = None,
    type: Annotated[
        str | None, Query(description="Kind (org, person, region ...) or class (Country ...).")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Entities whose name contains `q` (any case): exact matches first."""
    return queries.search_entities(store, q, type, limit=limit, offset=offset)


@router.get(
    "/entities/{kind}/{slug:path}/neighbors",
    tags=["entities"],
    response_model=models.Neighborhood,
)
def entity_neighbors(
    store: StoreDep,
    kind: str,
    slug: str,
    depth: Annotated[int, Query(ge=1, le=queries.MAX_DEPTH, description="Links to follow.")] = 1,
):
    """The entities, events and figures within `depth` links of an entity."""
    return queries.neighbors(store, kind, slug, depth=depth)


@router.get("/entities/{kind}/{slug:path}", tags=["entities"], response_model=models.EntityDetail)
async def entity_detail(
    request: Request,
    store: StoreDep,
    kind: str,
    slug: str,
    limit: Limit = queries.FACT_LIMIT,
    offset: Offset = 0,
    mention_limit: Annotated[
        int, Query(ge=0, le=queries.MAX_LIMIT, description="Most of the entity's mentions.")
    ] = queries.MENTION_LIMIT,
):
    """An entity's labels and types, its first mentions, and a page of facts with provenance.

    Facts come out before in, then by predicate and the other end, so
    `offset` pages through them; `facts_total` and `mentions_total` count all.
    """
    key = (kind, slug, limit, offset, mention_limit)
    answers = request.app.state.entity_cache
    body = answers.get(key) if answers is not None else None
    if body is None:
        generation = answers.generation if answers is not None else 0
        body = await to_thread.run_sync(
            cache.render_entity, store, key, limiter=_renderers(request)
        )
        if answers is not None:
            answers.put(key, body, generation)
    # A client that kept the answer asks again with If-None-Match and gets 304 while the
    # entity is unchanged; no-cache: it must ask, since any write may change the answer.
    headers = {"ETag": cache.etag(body), "Cache-Control": "no-cache"}
    if _etags(request.headers.get("if-none-match")) & {headers["ETag"], "*"}:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def _etags(header: str | None) -> set[str]:
    """The entity tags of an If-None-Match header (weak ones compared as strong; * for any)."""
    return {t.strip().removeprefix("W/") for t in (header or "").split(",") if t.strip()}


# --------------------------------------------------------------------------- facts


@router.get("/deals", tags=["facts"], response_model=models.Page[models.Deal])
def list_deals(
    store: StoreDep,
    type: Annotated[
        str | None, Query(description="Acquisition, Investment, FundingRound, Partnership, "
                          "Licensing or Launch; the five deal types when absent.")
    ] = None,
    party: Annotated[str | None, Query(description="An entity: name, kind/slug or IRI.")] = None,
    since: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    min_amount: Annotated[str | None, Query(description="Least amount, whole units.")] = None,
    currency: Annotated[str | None, Query(description="ISO 4217 code, e.g. USD.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):  # fmt: skip
    """Deals, newest first, with parties, figures and source passages."""
    return queries.deals(
        store,
        type_name=type,
        party=party,
        since=since,
        until=until,
        min_amount=min_amount,
        currency=currency,
        limit=limit,
        offset=offset,
    )


@router.get("/observations", tags=["facts"], response_model=models.Page[models.Observation])
def list_observations(
    store: StoreDep,
    measure: Annotated[str | None, Query(description="MarketSize, CAGR or MarketShare.")] = None,
    segment: Annotated[
        str | None,
        Query(description="Segment or region (name, kind/slug or IRI); 'market' for the whole."),
    ] = None,
    year: Annotated[int | None, Query(ge=1000, le=9999, description="Year of the figure.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """The figures reports state: market sizes, growth rates, shares."""
    return queries.observations(
        store, measure=measure, segment=segment, year=year, limit=limit, offset=offset
    )


@router.get("/segments", tags=["facts"], response_model=list[models.Dimension])
def list_segments(store: StoreDep):
    """Segment dimensions, each with its segments and the markets it cuts."""
    return queries.segments(store)


@router.get("/regions", tags=["facts"], response_model=list[models.Region])
def list_regions(store: StoreDep):
    """Regions as a tree: each region with the regions inside it."""
    return queries.regions(store)


# --------------------------------------------------------------------------- paths


@router.get("/paths", tags=["entities"], response_model=models.Paths)
def find_paths(
    request: Request,
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="Entity: name, kind/slug or IRI.")],
    target: Annotated[str, Query(alias="to", description="Entity: name, kind/slug or IRI.")],
    max_len: Annotated[int, Query(ge=1, le=6, description="Most links in a path.")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="Most paths returned.")] = 5,
):
    """The shortest chains of facts linking two entities, each link with its evidence."""
    from marketgraph.graph import network

    G = get_graph_cache(request).get(lambda: network.entity_graph(store))
    start, end = network.find_node(G, source), network.find_node(G, target)
    if start == end:
        raise InputError(f"{source!r} and {target!r} are the same entity; pick two different ones")

    def node(iri: str) -> models.Node:
        data = G.nodes[iri]
        return models.Node(
            iri=iri, label=data.get("label"), kind=data.get("kind"), slug=data.get("slug")
        )

    paths = network.shortest_paths(G, start, end, max_len=max_len, limit=limit)
    return models.Paths(
        source=node(start),
        target=node(end),
        paths=[
            [
                models.Step(
                    source=node(s.source),
                    target=node(s.target),
                    relation=s.relation,
                    forward=s.forward,
                    fact=s.fact.get("fact"),
                    sentence=s.sentence,
                )
                for s in path
            ]
            for path in paths
        ],
    )
