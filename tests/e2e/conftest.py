"""End-to-end fixtures: the real assistant (shared with tests/channels and tests/browser)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "channels"))  # the assistant fixture lives with the channel tests

from assistant_server import running_assistant, stop_assistant  # noqa: E402


@pytest.fixture(scope="session")
def assistant(request):
    request.config.add_cleanup(stop_assistant)
    return running_assistant()
