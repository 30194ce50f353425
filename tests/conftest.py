"""Shared fixtures.

Tests that read ``../shared`` (the evaluation corpus beside the checkout)
are marked ``shared``: they skip when it is absent, unless
``MARKETGRAPH_REQUIRE_SHARED=1`` (set by ``.ci/run``) makes them required.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "reports"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``../shared`` folder, or a skip (a failure in CI) when it is absent."""
    if not SHARED.is_dir():
        if os.environ.get("MARKETGRAPH_REQUIRE_SHARED") == "1":
            pytest.fail(f"{SHARED} is required (MARKETGRAPH_REQUIRE_SHARED=1) but absent")
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def seed_report(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "ai-training-dataset-market.txt"


@pytest.fixture(scope="session")
def example_report() -> Path:
    return EXAMPLES / "ai-training-dataset-market.md"


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]


def _missing(what: str):
    if os.environ.get("MARKETGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is required (MARKETGRAPH_REQUIRE_BROWSER=1) but absent")
    pytest.skip(f"{what} is absent")


@pytest.fixture(scope="module")
def driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium")
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        _missing("chromium or chromedriver")
    options = Options()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="mg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)
