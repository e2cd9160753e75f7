"""Fixtures of the browser tests: the real assistant (shared with tests/channels) and Debian's chromium
driven by Playwright through executable_path (`playwright install` is never used)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "channels"))  # the assistant fixture lives with the channel tests

from assistant_server import in_ci, running_assistant, stop_assistant  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = ROOT / "results" / "browser"


def unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def assistant(request):
    """The real assistant, shared with tests/channels and stopped when pytest ends."""
    request.config.add_cleanup(stop_assistant)
    return running_assistant()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium, installed by scripts/ensure-chromium.sh when it is missing."""
    result = subprocess.run([str(ROOT / "scripts" / "ensure-chromium.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        unavailable(f"chromium is not available: {result.stderr.strip()}")
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def browser(chromium_path: str):
    """Module-scoped on purpose: Playwright's sync API keeps an asyncio loop running in this thread while
    it is open, so later tests in the same pytest run that call asyncio.run() would fail."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -r requirements/dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS
