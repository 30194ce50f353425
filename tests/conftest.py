"""Shared fixtures.

Tests that read ``../shared`` (the evaluation corpus beside the checkout)
are marked ``shared``: they skip when it is absent, unless
``MARKETGRAPH_REQUIRE_SHARED=1`` (set by ``.ci/run``) makes them required.
"""

from __future__ import annotations

import os
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
