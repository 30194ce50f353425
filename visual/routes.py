"""The graph pages over HTTP: ``/``, ``/view/deals``, ``/view/market``, ``/view/{kind}/{slug}``.

Every page takes ``?report=`` (a report's IRI, source name or slug; empty
for all reports), which limits it to that report's named graph. The
pages' scripts and styles are served under :data:`ASSET_BASE`.

Include :data:`router` in the API's application. The store and settings
come from the API's dependencies (:mod:`marketgraph.api.deps`); when the
application keeps a graph cache (``app.state.graph_cache``) the pages reuse
its :func:`~marketgraph.graph.network.entity_graph` instead of rebuilding it
on every request.
"""

from __future__ import annotations

from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from marketgraph.api.deps import StoreDep
from marketgraph.errors import InputError, UnknownEntity
from marketgraph.graph.network import entity_graph
from marketgraph.graph.store import MarketStore
from marketgraph.settings import get_settings
from marketgraph.visual.market import market_html
from marketgraph.visual.pages import (
    asset_path,
    deals_html,
    entity_html,
    not_found_html,
    overview_html,
)

ASSET_BASE = "/static/vis"
_MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

router = APIRouter(tags=["pages"])

ReportParam = Annotated[
    str | None,
    Query(description="Only this report (IRI, source name or slug); empty for every report."),
]


def _node_budget(request: Request) -> int:
    settings = getattr(request.app.state, "settings", None) or get_settings()
    return settings.node_budget


def _graph(request: Request, store: MarketStore) -> nx.MultiDiGraph | None:
    """The cached entity graph, or None (the page builds its own) when there is no cache."""
    cache = getattr(request.app.state, "graph_cache", None)
    if cache is None:
        return None
    found = cache.get(lambda: entity_graph(store))
    # The cache may hold another projection; only an entity graph will do.
    return found if isinstance(found, nx.MultiDiGraph) and "events" in found.graph else None


def _missing(message: str) -> HTMLResponse:
    return HTMLResponse(not_found_html(message), status_code=404)


def _page(make_page, request: Request, store: MarketStore, report: str | None, *args, **kwargs):
    """Render one page, limited to ``report`` when given, or the not-found page.

    Every page shares the cached projection of the whole store; a page of
    one report projects that report's graph itself.
    """
    report = report or None
    try:
        html = make_page(
            store,
            *args,
            report=report,
            asset_base=ASSET_BASE,
            graph=None if report else _graph(request, store),
            **kwargs,
        )
    except (UnknownEntity, InputError) as e:
        return _missing(str(e))
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse, summary="The graph of every entity")
def overview(
    request: Request,
    store: StoreDep,
    focus: Annotated[str | None, Query(description="Entity to centre on.")] = None,
    report: ReportParam = None,
) -> HTMLResponse:
    """The overview page: every entity (the most central above the node budget)."""
    return _page(
        overview_html,
        request,
        store,
        report,
        focus=focus or None,
        node_budget=_node_budget(request),
    )


@router.get("/view/deals", response_class=HTMLResponse, summary="Organizations linked by deals")
def deals_view(request: Request, store: StoreDep, report: ReportParam = None) -> HTMLResponse:
    """The deals page: one line style per deal type, a date range filter."""
    return _page(deals_html, request, store, report, node_budget=_node_budget(request))


@router.get("/view/market", response_class=HTMLResponse, summary="Segments and figures as charts")
def market_view(request: Request, store: StoreDep, report: ReportParam = None) -> HTMLResponse:
    """The market page: the segment tree, sizes, shares, growth and factors as charts."""
    return _page(market_html, request, store, report)


@router.get(
    "/view/{kind}/{slug:path}", response_class=HTMLResponse, summary="One entity's neighbourhood"
)
def entity_view(
    request: Request,
    store: StoreDep,
    kind: str,
    slug: str,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops of neighbours drawn.")] = 1,
    report: ReportParam = None,
) -> HTMLResponse:
    """The page of one entity, with the source sentence of every fact."""
    return _page(
        entity_html,
        request,
        store,
        report,
        kind,
        slug,
        depth,
        node_budget=_node_budget(request),
    )


@router.get(ASSET_BASE + "/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    """vis-network's files from the installed pyvis package, and this package's own."""
    try:
        path = asset_path(name)
    except UnknownEntity as e:
        return Response(str(e), status_code=404, media_type="text/plain")
    media_type = _MEDIA_TYPES["." + name.rsplit(".", 1)[-1]]
    return Response(
        path.read_bytes(),
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
