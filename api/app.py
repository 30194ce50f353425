"""The web application: SPARQL endpoint, REST API, query page and graph pages.

>>> from marketgraph.graph.store import open_store
>>> app = create_app(Settings(backend="memory"), store=open_store(backend="memory"))
>>> {"/sparql", "/entities", "/deals"} <= set(app.openapi()["paths"])
True
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from marketgraph.api import analytics, cache, rest, sparql
from marketgraph.api.deps import GraphCache
from marketgraph.api.errors import install_error_handlers
from marketgraph.api.execution import QueryRunner
from marketgraph.api.isolation import ProcessQueryRunner, snapshots_supported
from marketgraph.graph.store import MarketStore, open_store_for
from marketgraph.settings import Settings, get_settings
from marketgraph.visual import routes as pages

log = logging.getLogger(__name__)

#: Worker threads for SPARQL queries over an in-memory or remote store.
QUERY_THREADS = 4
#: Worker processes for SPARQL queries over an embedded on-disk store.
QUERY_PROCESSES = 2
#: Threads computing entity answers at once (the cache's misses).
RENDER_THREADS = 2
#: Headers a browser script on another origin may read.
EXPOSED_HEADERS = ["X-Result-Truncated", "X-Row-Limit", "X-Result-Rows"]

DESCRIPTION = """Market-research reports as a knowledge graph.

- `/sparql`: SPARQL 1.1 endpoint (query page in a browser; service description otherwise).
- REST: reports, entities with every fact and its source passage, deals, figures,
  segments, regions, neighbourhoods and paths.
- Errors are `{"detail": "..."}`: what went wrong and how to fix it.
"""


def create_app(settings: Settings | None = None, store: MarketStore | None = None) -> FastAPI:
    """The application, over ``store`` or the store the settings name.

    Args:
        settings: configuration (from the environment when None).
        store: an open store to serve; when None, the settings' store is
            opened at startup and closed at shutdown. A store passed in is
            left open: its owner closes it.

    Raises:
        StoreError: (at startup) the settings' store cannot be opened.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = app.state.store is None
        if owned:
            app.state.store = open_store_for(settings)
        app.state.runner = make_runner(app.state.store, settings)
        await app.state.runner.start()
        app.state.entity_cache = cache.cache_for(settings)
        # Entity answers not in the cache are computed a few at a time, first come
        # first served: 32 threads sharing the GIL would each take 16 times longer.
        app.state.entity_renderers = anyio.CapacityLimiter(RENDER_THREADS)
        cache.refresh(app.state.entity_cache, app.state.store)
        try:
            yield
        finally:
            if app.state.entity_cache is not None:
                app.state.entity_cache.close()
                app.state.entity_cache = None
            app.state.runner.close()
            app.state.runner = None
            if owned:
                app.state.store.close()
                app.state.store = None

    app = FastAPI(
        title="marketgraph",
        description=DESCRIPTION,
        version=_version(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.runner = None
    app.state.graph_cache = GraphCache()
    app.state.summary_cache = GraphCache()
    app.state.entity_cache = None
    app.state.extractor = None
    app.state.extractor_lock = threading.Lock()

    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=EXPOSED_HEADERS,
        )
    app.include_router(sparql.router)
    app.include_router(rest.router)
    app.mount(sparql.ASSET_BASE, StaticFiles(directory=str(sparql.STATIC_DIR)), name="sparql-ui")
    app.include_router(analytics.router)
    app.include_router(pages.router)
    return app


def make_runner(store: MarketStore, settings: Settings) -> QueryRunner | ProcessQueryRunner:
    """Worker processes on snapshots when the store allows it, else worker threads."""
    if snapshots_supported(store):
        return ProcessQueryRunner(store, settings.query_timeout, workers=QUERY_PROCESSES)
    return QueryRunner(settings.query_timeout, workers=QUERY_THREADS)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("marketgraph")
    except PackageNotFoundError:
        return "0"
