"""What route handlers get from the application: store, settings, runner, write guard.

Everything lives on ``app.state`` (set by :func:`marketgraph.api.app.create_app`),
so tests can build an application around any store.
"""

from __future__ import annotations

import hmac
import threading
from typing import Annotated, Any

from fastapi import Depends, Request

from marketgraph.api.errors import Forbidden, Unauthorized
from marketgraph.api.execution import QueryRunner
from marketgraph.api.isolation import ProcessQueryRunner
from marketgraph.graph.store import MarketStore
from marketgraph.settings import Settings

# The dependencies are coroutines though they never wait: FastAPI runs a plain
# function dependency in its thread pool, a hop that cost more than the query
# itself on small SPARQL requests.


async def get_store(request: Request) -> MarketStore:
    """The application's store."""
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    """The application's settings."""
    return request.app.state.settings


async def get_runner(request: Request) -> QueryRunner | ProcessQueryRunner:
    """The pool that runs visitors' SPARQL under the time limit (made at startup).

    Worker processes on snapshots for an embedded on-disk store, worker
    threads otherwise (see :mod:`marketgraph.api.isolation`).
    """
    state = request.app.state
    if state.runner is None:  # an application used without its lifespan
        state.runner = QueryRunner(state.settings.query_timeout)
    return state.runner


StoreDep = Annotated[MarketStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[QueryRunner | ProcessQueryRunner, Depends(get_runner)]


def check_write_allowed(request: Request, settings: Settings) -> None:
    """Refuse a write unless updates are on and the bearer token matches.

    Raises:
        Forbidden: writes are turned off, or on without a token configured.
        Unauthorized: the request's ``Authorization: Bearer`` token is missing or wrong.
    """
    if not settings.allow_update:
        raise Forbidden(
            "this server is read-only; start it with MARKETGRAPH_ALLOW_UPDATE=true and "
            "MARKETGRAPH_UPDATE_TOKEN=<secret> to accept writes"
        )
    if not settings.update_token:
        raise Forbidden(
            "writes are on but no token is set; set MARKETGRAPH_UPDATE_TOKEN=<secret> so "
            "only its holders can write"
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    given = token.strip().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given, settings.update_token.encode()):
        raise Unauthorized(
            "this write needs the update token; send it as 'Authorization: Bearer <token>'"
        )


async def require_write(request: Request, settings: SettingsDep) -> None:
    """Dependency form of :func:`check_write_allowed`."""
    check_write_allowed(request, settings)


class GraphCache:
    """Keeps one derived object (the networkx projection, the store's counts) until the
    store changes.

    Writes through the API call :meth:`invalidate`; the server holds the
    store's lock, so nothing else writes while it runs.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: Any = None
        self._valid = False

    def get(self, build) -> Any:
        with self._lock:
            if not self._valid:
                self._value = build()
                self._valid = True
            return self._value

    def invalidate(self) -> None:
        with self._lock:
            self._valid = False
            self._value = None


def get_graph_cache(request: Request) -> GraphCache:
    return request.app.state.graph_cache


def store_changed(request: Request) -> None:
    """Forget what was derived from the store (call after every write).

    The analysis graph is recomputed (on all but large stores), the networkx
    projection and the entity answers dropped (the latter rendered again in
    the background) and, with worker processes, a new snapshot taken, so
    the next request sees the write.
    """
    from marketgraph.api import cache
    from marketgraph.graph.analysis import refresh_analysis_if_small

    state = request.app.state
    refresh_analysis_if_small(state.store)
    state.graph_cache.invalidate()
    state.summary_cache.invalidate()
    cache.refresh(state.entity_cache, state.store)
    if state.runner is not None:
        state.runner.refresh()
