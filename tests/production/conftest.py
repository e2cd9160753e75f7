"""Tests of the production topology (`make prod-test`): the live ones run only against a topology that
scripts/prod-up.sh started (PROD_TEST=1, set by `make prod-test`); the deployment-file checks always run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from topology import Topology, prod_dir  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "live: needs the production topology (make prod-test)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PROD_TEST") == "1":
        return
    skip = pytest.mark.skip(reason="needs the production topology: run `make prod-test`")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def topology() -> Topology:
    path = prod_dir() / "topology.env"
    assert path.is_file(), f"{path} is missing: start the topology with scripts/prod-up.sh (make prod-up)"
    found = Topology.load()
    assert found.healthy(), f"nginx does not answer on {found.public_url}"
    return found
