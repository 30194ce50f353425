"""Running visitors' SPARQL in worker processes, on a snapshot of the store.

Threads (:class:`~marketgraph.api.execution.QueryRunner`) cannot stop a
query that computes everything before its first row, and a query can crash
the engine outright: pyoxigraph aborts the whole process when its sort
meets values it cannot order (seen with ORDER BY over columns that mix
types). Neither may take the server down, so for an embedded on-disk store
the endpoint runs queries in a small pool of worker processes instead:

- The server takes a *snapshot* of the store (``Store.backup``: a RocksDB
  checkpoint, hard links on the same file system, so cheap) into a private
  temporary folder, and again after every write made through the API. The
  workers open the newest snapshot read-only, so they never touch the
  server's locked store and always see every completed write.
- A query that overruns the time limit has its worker killed (the client
  gets 503); a worker that dies mid-query yields 500. Either way a fresh
  worker takes its place and the server carries on.

An in-memory or remote store cannot be snapshotted; those keep the threads.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from marketgraph import errors as core_errors
from marketgraph.api import errors as api_errors
from marketgraph.api.execution import Answer, Deadline, busy_error, evaluate
from marketgraph.api.formats import GRAPH, SOLUTIONS
from marketgraph.errors import MarketGraphError, StoreError
from marketgraph.graph.store import MarketStore, open_store

log = logging.getLogger(__name__)

#: Error classes a worker may send back, by name.
_ERRORS: dict[str, type[MarketGraphError]] = {
    cls.__name__: cls
    for module in (api_errors, core_errors)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, MarketGraphError)
}


def snapshots_supported(store: MarketStore) -> bool:
    """Whether ``store`` is an embedded on-disk store that can be snapshotted."""
    engine = getattr(store, "oxigraph", None)
    return isinstance(engine, ox.Store) and Path(store.location).is_dir()


@dataclass(frozen=True, slots=True)
class Job:
    """One query for a worker (plain values: it crosses a process boundary)."""

    snapshot: str
    sparql: str
    row_limit: int
    seconds: float
    accept: str | None
    format_name: str | None
    default_graph: list[str] | None
    named_graphs: list[str] | None


def _serve(conn) -> None:
    """A worker's loop: say it is ready, then answer jobs until the pipe closes."""
    conn.send("ready")
    opened: tuple[str, MarketStore] | None = None
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened is None or opened[0] != job.snapshot:
                opened = (job.snapshot, open_store(job.snapshot, read_only=True))
            answer = evaluate(
                opened[1],
                job.sparql,
                Deadline(job.seconds),
                row_limit=job.row_limit,
                accept=job.accept,
                format_name=job.format_name,
                default_graph=job.default_graph,
                named_graphs=job.named_graphs,
            )
        except MarketGraphError as e:
            conn.send(("error", type(e).__name__, str(e)))
            continue
        except Exception as e:  # a bug: report it, and keep the worker
            conn.send(("error", "StoreError", f"the query failed inside the server: {e!r}"))
            continue
        fmt = answer.format.name
        conn.send(("ok", answer.body, answer.kind, fmt, answer.rows, answer.truncated))


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, seconds: float) -> bool:
        """Wait until the worker has started (imports take a second or so)."""
        try:
            return self.conn.poll(seconds) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            return False

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


async def _readable(conn, seconds: float) -> bool:
    """Wait, in the event loop, until ``conn`` has something to read (or has closed).

    The loop watches the pipe itself: waiting in a worker thread instead
    (``conn.poll``) cost a thread hop per query, most of a small query's time.
    """
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(True)

    loop.add_reader(fd, wake)
    try:
        return await asyncio.wait_for(ready, seconds)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # uvloop makes a watched descriptor non-blocking; the pipe's reads and
        # writes expect it blocking (a long answer arrives in several pieces).
        os.set_blocking(fd, True)


class ProcessQueryRunner:
    """A pool of worker processes answering queries on snapshots of one store.

    Call :meth:`start` (the application's startup does) before the first
    query, so that starting the workers does not count against its time.

    Args:
        store: an embedded on-disk store (see :func:`snapshots_supported`).
        timeout: seconds a query may take, waiting for a worker included.
        workers: how many worker processes.

    Raises:
        StoreError: the store cannot be snapshotted.
    """

    #: Seconds a new worker may take to start.
    START_SECONDS = 60.0

    def __init__(self, store: MarketStore, timeout: float, workers: int = 2) -> None:
        self.timeout = timeout
        self._store = store
        self._context = multiprocessing.get_context("spawn")
        self._folder = Path(tempfile.mkdtemp(prefix="marketgraph-snapshots-"))
        self._lock = threading.Lock()
        self._generation = 0
        self._snapshots: list[Path] = []
        self._size = workers
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self.refresh()

    async def start(self) -> None:
        """Start the workers and wait until they are ready."""
        await self._started()

    async def _started(self) -> asyncio.Queue[_Worker]:
        if self._idle is not None:
            return self._idle
        self._loop = asyncio.get_running_loop()
        self._idle = idle = asyncio.Queue()
        workers = [_Worker(self._context) for _ in range(self._size)]
        self._all.extend(workers)
        ready = await self._loop.run_in_executor(
            None, lambda: [w.wait_ready(self.START_SECONDS) for w in workers]
        )
        if not all(ready):
            raise StoreError(
                "the SPARQL worker processes did not start; check the server log and that "
                "the machine can start Python processes"
            )
        for worker in workers:
            idle.put_nowait(worker)
        return idle

    # ------------------------------------------------------------ snapshots

    def refresh(self) -> None:
        """Snapshot the store as it is now; later queries read the new snapshot.

        The snapshot before it stays (a query may still be reading it); older
        ones are deleted.
        """
        with self._lock:
            self._generation += 1
            target = self._folder / f"snapshot-{self._generation}"
            try:
                self._store.oxigraph.backup(str(target))
            except OSError as e:
                raise StoreError(
                    f"cannot snapshot the store into {target}: {e}; free disk space in the "
                    "temporary folder or set TMPDIR"
                ) from None
            self._snapshots.append(target)
            while len(self._snapshots) > 2:
                shutil.rmtree(self._snapshots.pop(0), ignore_errors=True)

    @property
    def snapshot(self) -> str:
        return str(self._snapshots[-1])

    # ------------------------------------------------------------ queries

    async def answer(
        self,
        store: MarketStore,
        sparql: str,
        *,
        row_limit: int,
        accept: str | None = None,
        format_name: str | None = None,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> Answer:
        """Answer a query in a worker; see :func:`~marketgraph.api.execution.evaluate`.

        ``store`` is ignored: workers read the latest snapshot of this runner's store.

        Raises:
            QueryTimeout: no worker was free in time, or the query overran (its
                worker is killed).
            StoreError: the worker died while answering (the engine crashed).
            QueryError, InputError: as the query's evaluation raises them.
        """
        started = time.monotonic()
        timeout_error = Deadline(self.timeout).error()
        idle = await self._started()
        try:
            worker = await asyncio.wait_for(idle.get(), self.timeout)
        except TimeoutError:
            raise busy_error(self.timeout) from None
        job = Job(
            self.snapshot,
            sparql,
            row_limit,
            self.timeout,
            accept,
            format_name,
            default_graph,
            named_graphs,
        )
        try:
            worker.conn.send(job)
            left = max(self.timeout - (time.monotonic() - started), 0.0)
            ready = await _readable(worker.conn, left)
            if not ready:
                self._replace(worker)
                raise timeout_error
            message = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise StoreError(
                "the query engine crashed on this query; rewrite it (an ORDER BY over "
                "values of mixed types is a known trigger) or report it"
            ) from None
        idle.put_nowait(worker)
        if message[0] == "error":
            _, name, text = message
            raise _ERRORS.get(name, StoreError)(text)
        _, body, kind, format_name, rows, truncated = message
        formats = GRAPH if kind == "graph" else SOLUTIONS
        fmt = next(f for f in formats if f.name == format_name)
        return Answer(body, fmt, kind, rows, truncated)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another, which joins the pool once ready."""
        worker.stop()
        fresh = _Worker(self._context)
        self._all = [fresh if w is worker else w for w in self._all]

        def join_when_ready() -> None:
            if fresh.wait_ready(self.START_SECONDS) and self._loop is not None:
                self._loop.call_soon_threadsafe(self._idle.put_nowait, fresh)
            else:
                log.error("a replacement SPARQL worker did not start")

        threading.Thread(target=join_when_ready, daemon=True).start()

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (none before the first query)."""
        return [w.process.pid for w in self._all if w.process.is_alive()]

    def close(self) -> None:
        """Stop the workers and delete the snapshots."""
        for worker in self._all:
            worker.stop()
        self._all = []
        self._idle = None
        shutil.rmtree(self._folder, ignore_errors=True)
