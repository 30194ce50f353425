"""Real HTTP servers for the API tests: the application under uvicorn, and ``oxigraph serve``.

The TestClient calls the application in-process; clients such as
SPARQLWrapper, rdflib's SPARQLStore or schemathesis's network mode need a
socket. :func:`serving` runs the application under uvicorn in a thread on
loopback, with its lifespan (so an on-disk store gets its worker processes,
exactly as under ``marketgraph serve``); :func:`oxigraph_server` starts the
reference implementation on the same data for differential tests.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from marketgraph.api.app import create_app
from marketgraph.graph.store import MarketStore
from marketgraph.settings import Settings

#: Seconds a server may take to start (the process runner spawns Python workers).
START_SECONDS = 60.0


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(store: MarketStore, **settings) -> Iterator[str]:
    """Serve ``store`` over HTTP on loopback; yields the base URL (no trailing slash).

    ``settings`` are :class:`~marketgraph.settings.Settings` fields. The
    server stops (and the application's lifespan ends) when the block exits.
    """
    port = free_port()
    app = create_app(Settings(port=port, **settings), store=store)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def oxigraph_binary() -> str:
    """The ``oxigraph`` command (from the PyPI package of that name, in the venv)."""
    return shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


@contextmanager
def oxigraph_server(
    location: Path, nquads: Path | None = None, *, merged: bool = False
) -> Iterator[str]:
    """``oxigraph serve`` on a free port, loaded with ``nquads``.

    Its default graph is the union of the named graphs: Oxigraph's own
    (``--union-default-graph``, a statement once per graph holding it), or,
    with ``merged``, their RDF merge written into the default graph after
    loading (each statement once, as SPARQL's dataset merge has it).
    Yields the base URL; its endpoints are ``/query``, ``/update`` and ``/store``.
    """
    port = free_port()
    union = [] if merged else ["--union-default-graph"]
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}", *union],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.1)
        if nquads is not None:
            r = httpx.post(
                base + "/store",
                content=nquads.read_bytes(),
                headers={"Content-Type": "application/n-quads"},
                timeout=600,
            )
            r.raise_for_status()
        if merged:
            merge = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            httpx.post(base + "/update", data={"update": merge}, timeout=600).raise_for_status()
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
