"""``/analytics``: rankings, communities, paths, similar entities, ego networks, deal activity.

Handlers are thin: they take an :class:`~marketgraph.graph.analysis.Analyzer`
built on the projection the application already caches (the graph cache of
:mod:`marketgraph.api.deps`, cleared on every write), so measures are
computed once per change of the store, not per request. Errors raised by
the analysis (unknown entity, bad argument) become JSON answers through the
application's handler.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from marketgraph.api.deps import StoreDep, get_graph_cache
from marketgraph.graph import analysis
from marketgraph.graph.analysis import (
    MAX_PATH_LEN,
    MAX_RADIUS,
    Activity,
    Analyzer,
    Chain,
    Community,
    Core,
    Ego,
    Ranked,
    Similar,
)

router = APIRouter(prefix="/analytics", tags=["analytics"])

_lock = threading.Lock()

Entity = Annotated[str, Query(description="Entity: name, alias, kind/slug or IRI.")]


def get_analyzer(request: Request, store: StoreDep) -> Analyzer:
    """The analyzer of the application's cached projection, rebuilt when that changes."""
    from marketgraph.graph.network import entity_graph

    G = get_graph_cache(request).get(lambda: entity_graph(store))
    with _lock:
        current = getattr(request.app.state, "analyzer", None)
        if current is None or current.G is not G:
            current = Analyzer(G, analysis.context_links(store))
            request.app.state.analyzer = current
        return current


AnalyzerDep = Annotated[Analyzer, Depends(get_analyzer)]


@router.get("/rank", response_model=list[Ranked])
def rank(
    analyzer: AnalyzerDep,
    kind: Annotated[
        str | None,
        Query(alias="type", description="Entity kind (org, region ...) or class name."),
    ] = None,
    by: Annotated[
        str, Query(pattern="^(pagerank|degree|betweenness)$", description="Measure to rank by.")
    ] = "pagerank",
    limit: Annotated[int, Query(ge=1, le=analysis.MAX_LIMIT)] = 20,
):
    """The most central entities by PageRank, degree or betweenness, of one kind or all."""
    return analyzer.rank(kind=kind, by=by, limit=limit)


@router.get("/communities", response_model=list[Community])
def communities(
    analyzer: AnalyzerDep,
    limit: Annotated[int, Query(ge=1, le=analysis.MAX_LIMIT, description="Most communities.")] = 20,
    members: Annotated[
        int, Query(ge=1, le=analysis.MAX_LIMIT, description="Members listed per community.")
    ] = 10,
):
    """Groups of entities more linked to each other than to the rest, largest first."""
    return analyzer.communities(limit=limit, members=members)


@router.get("/path", response_model=list[Chain])
def path(
    analyzer: AnalyzerDep,
    source: Annotated[str, Query(alias="from", description="Entity the chains start from.")],
    target: Annotated[str, Query(alias="to", description="Entity the chains end at.")],
    max_len: Annotated[int, Query(ge=1, le=MAX_PATH_LEN, description="Most links.")] = 4,
    limit: Annotated[int, Query(ge=1, le=50, description="Most chains.")] = 5,
):
    """The shortest chains of facts between two entities, each link with its sentence."""
    return analyzer.connections(source, target, max_len=max_len, limit=limit)


@router.get("/similar", response_model=list[Similar])
def similar(
    analyzer: AnalyzerDep,
    entity: Entity,
    limit: Annotated[int, Query(ge=1, le=analysis.MAX_LIMIT)] = 10,
):
    """Entities of the same kind with the most neighbours in common (Jaccard)."""
    return analyzer.similar(entity, limit=limit)


@router.get("/ego", response_model=Ego)
def ego(
    analyzer: AnalyzerDep,
    entity: Entity,
    radius: Annotated[int, Query(ge=1, le=MAX_RADIUS, description="Links away.")] = 1,
    limit: Annotated[int, Query(ge=1, le=analysis.MAX_LIMIT, description="Most entities.")] = 200,
):
    """An entity's neighbourhood: entities within ``radius`` links and the facts among them."""
    return analyzer.ego(entity, radius=radius, limit=limit)


@router.get("/activity", response_model=Activity)
def activity(analyzer: AnalyzerDep, entity: Entity):
    """Deals an entity took part in, counted per year and deal type."""
    return analyzer.activity(entity)


@router.get("/core", response_model=Core)
def core(
    analyzer: AnalyzerDep,
    k: Annotated[
        int | None, Query(ge=1, description="Core order; the innermost when absent.")
    ] = None,
):
    """The k-core: entities each linked to at least k others of the group."""
    return analyzer.k_core(k)
