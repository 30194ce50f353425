"""Time limit, SERVICE detection and the worker pool."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from marketgraph.api.errors import Forbidden, QueryTimeout, ServerBusy
from marketgraph.api.execution import Deadline, QueryRunner, refuse_service, uses_service


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://x.test/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://x.test/sparql> { ?s ?p ?o } }",
        "SELECT * { ?a ?b ?c . SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://x.test/sparql> { ?s ?p ?o } }",
        'SELECT * { ?s ?p "a # b" . SERVICE <http://x.test/> { ?s ?p ?o } }',
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x.test/> { ?s ?p ?o } }",
    ],
)
def test_uses_service_finds_the_keyword(query):
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service { ?service ?p ?o }",
        "SELECT $service { $service ?p ?o }",
        "SELECT * { ?s ex:SERVICE ?o . ?s service:x ?o }",
        'SELECT * { ?s ?p "SERVICE <http://x.test/> { }" }',
        "SELECT * { ?s ?p '''long\nSERVICE\ntext''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://x.test/> { }",
        "SELECT * { ?s <http://x.test/SERVICE> ?o }",
        'SELECT * { ?s ?p "x"@service }',
        "SELECT * { _:service ?p ?o }",
    ],
)
def test_uses_service_ignores_names_strings_and_comments(query):
    assert not uses_service(query)


def test_refuse_service_only_when_not_allowed():
    query = "SELECT * { SERVICE <http://x.test/> { ?s ?p ?o } }"
    refuse_service(query, allowed=True)
    with pytest.raises(Forbidden, match="MARKETGRAPH_ALLOW_SERVICE"):
        refuse_service(query, allowed=False)


def test_deadline_check_raises_once_cancelled():
    deadline = Deadline(60)
    deadline.check()
    deadline.cancel()
    with pytest.raises(QueryTimeout, match="60 s"):
        deadline.check()


def test_runner_returns_the_work_result():
    runner = QueryRunner(timeout=5, workers=1)
    try:
        assert asyncio.run(runner.run(lambda deadline: 6 * 7)) == 42
    finally:
        runner.close()


def test_runner_stops_waiting_and_cancels_the_deadline():
    runner = QueryRunner(timeout=0.2, workers=1)
    seen: list[Deadline] = []

    def slow(deadline: Deadline) -> None:
        seen.append(deadline)
        while True:
            deadline.check()
            time.sleep(0.01)

    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            asyncio.run(runner.run(slow))
        assert time.monotonic() - started < 2
        assert seen[0].expired
    finally:
        runner.close()


def test_runner_with_every_worker_busy_says_so():
    runner = QueryRunner(timeout=0.3, workers=1)
    release = threading.Event()

    def hog(deadline: Deadline) -> None:
        release.wait(5)

    async def both():
        first = asyncio.ensure_future(runner.run(hog))
        await asyncio.sleep(0.05)
        with pytest.raises(ServerBusy, match="busy"):
            await runner.run(lambda deadline: 1)
        release.set()
        with pytest.raises(QueryTimeout):
            await first

    try:
        asyncio.run(both())
    finally:
        release.set()
        runner.close()
