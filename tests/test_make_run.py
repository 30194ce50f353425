"""What ``make run`` does, end to end: build the example report, serve it, draw it.

The commands run as a user runs them (the installed console script, a real
embedded store on disk, uvicorn on a loopback port), and headless Chromium
checks that the graph page shows the example report's entities.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports"

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLI = str(Path(sys.executable).parent / "marketgraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(base: str, server: subprocess.Popen) -> None:
    """Wait until ``marketgraph serve`` answers /health; fail with its output if it exits."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"marketgraph serve did not start: {server.stdout.read()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example reports built into a fresh store and served by ``marketgraph serve``."""
    store = tmp_path_factory.mktemp("run") / "store"
    build = subprocess.run(
        [CLI, "build", str(EXAMPLES), "--store", str(store)], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    port = _free_port()
    server = subprocess.Popen(
        [CLI, "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_serving(base, server)
    yield base, store
    server.terminate()
    server.wait(10)


def test_serve_prints_the_page_sparql_and_docs_addresses(tmp_path):
    # A second server on the same store would be refused (the store is locked),
    # so the banner is checked on its own, empty store.
    port = _free_port()
    proc = subprocess.Popen(
        [CLI, "serve", "--store", str(tmp_path / "s"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
    finally:
        proc.terminate()
        proc.wait(10)
    base = f"http://127.0.0.1:{port}"
    assert [line.split()[-1] for line in lines] == [base + "/", base + "/sparql", base + "/docs"]


def test_graph_page_shows_the_example_reports_entities(served, driver):
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = served
    labels = httpx.get(
        base + "/sparql",
        params={"query": "SELECT ?l WHERE { ?o a mg:Organization ; rdfs:label ?l }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    organizations = {row["l"]["value"] for row in labels}
    assert len(organizations) >= 5

    driver.get_log("browser")
    driver.get(base + "/")
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return !!(window.mgGraph && window.mgGraph.ready)")
    )
    drawn = set(driver.execute_script("return mgGraph.nodes.get().map(n => n.label)"))
    assert organizations <= drawn
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    driver.save_screenshot(str(artifacts / "make-run-overview.png"))


def test_serve_on_a_port_in_use_is_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        _assert_serve_refused_in_one_line(tmp_path / "s", taken.getsockname()[1])


def test_serve_on_a_store_in_use_is_one_line_and_exit_1(served):
    _, store = served
    _assert_serve_refused_in_one_line(store, _free_port())


def _assert_serve_refused_in_one_line(store: Path, port: int) -> None:
    """``marketgraph serve`` exits 1 with one line saying what is in use."""
    result = subprocess.run(
        [CLI, "serve", "--store", str(store), "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "in use" in result.stderr


@pytest.mark.parametrize("flag", ["--access-log", "--no-access-log"])
def test_serve_logs_requests_unless_told_not_to(tmp_path, flag):
    port = _free_port()
    proc = subprocess.Popen(
        [CLI, "serve", "--store", str(tmp_path / "s"), "--port", str(port), flag],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, proc)
        httpx.get(base + "/reports", timeout=10)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    assert ("GET /reports" in output) == (flag == "--access-log")
