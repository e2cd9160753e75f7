"""Fixtures of the channel tests: the providers' stand-in API and (for integration) the real assistant."""

from __future__ import annotations

from typing import Iterator

import pytest
from provider_standin import ProviderStandIn


@pytest.fixture(scope="session")
def provider_api() -> Iterator[ProviderStandIn]:
    standin = ProviderStandIn()
    yield standin
    standin.close()


@pytest.fixture
def provider(provider_api: ProviderStandIn) -> ProviderStandIn:
    """The stand-in, with the requests of earlier tests forgotten."""
    provider_api.clear()
    return provider_api


@pytest.fixture(scope="session")
def assistant(request):
    """The real assistant (trained model, action server, this project's credentials.yml) on loopback.

    One for the whole test run, shared with tests/browser: it is stopped when pytest ends (a fixture
    teardown would stop it as soon as pytest moves to the other directory).
    """
    from assistant_server import running_assistant, stop_assistant

    request.config.add_cleanup(stop_assistant)
    return running_assistant()
