"""End-to-end tests: Debian's Chromium, driven by Playwright, against one live Django server.

No browser is downloaded: Playwright launches /usr/bin/chromium (scripts/ensure-chromium.sh
installs it). Every test gets `browse`, which opens one browser context per person (their own
cookies), keeps a screenshot of each key page under var/e2e-artifacts/<test>/ and collects the
console errors of every page, so a Content-Security-Policy violation fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MUTUA_E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e-artifacts"
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# CI sets MUTUA_E2E_REQUIRED: there a missing Playwright or browser fails the run; elsewhere the
# end-to-end tests are skipped with the command that installs what is missing.
REQUIRED = bool(os.environ.get("MUTUA_E2E_REQUIRED"))
try:
    from playwright import sync_api
except ImportError:
    if REQUIRED:
        raise
    collect_ignore_glob = ["test_*.py"]  # they import Playwright: `make install` brings it


# Per module, not per session: Playwright's sync API keeps an event loop running in this thread
# while it is open, which the rest of the suite must not inherit.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    # While Playwright runs its event loop in this thread, Django would refuse the tests' own ORM
    # calls (set-up and reading results), which are still synchronous and safe here.
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    # A loaded CI machine (2 cores, the suite's other work) may take more than the default 5 s.
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


class Browse:
    """Pages for the people of a scenario, with their screenshots and console errors."""

    def __init__(self, chromium: Any, base_url: str, folder: Path) -> None:
        self.chromium = chromium
        self.base_url = base_url
        self.folder = folder
        self.contexts: list[Any] = []
        self.pages: list[Any] = []
        self.console_errors: list[str] = []
        self.shots = 0

    def page(self, **context_options: Any) -> Any:
        context = self.chromium.new_context(
            base_url=self.base_url, locale="en-GB", accept_downloads=True, **context_options
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))
        self.contexts.append(context)
        self.pages.append(page)
        return page

    def _console(self, page: Any, message: Any) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        self.console_errors.append(f"{page.url}: {message.text} ({source})")

    def shot(self, page: Any, name: str) -> Path:
        """Keep what the user sees now (the whole page) as an artefact of this run."""
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browse(
    request: pytest.FixtureRequest, chromium: Any, live_server: Any, settings: Any
) -> Iterator[Browse]:
    # The live server runs the site as in production: no DEBUG pages, the real security headers.
    settings.ALLOWED_HOSTS = ["*"]
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    session = Browse(chromium, live_server.url, folder)
    yield session
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for n, page in enumerate(session.pages):
            if not page.is_closed():
                page.screenshot(path=str(folder / f"failure-{n}.png"), full_page=True)
    session.close()
    assert not session.console_errors, "console errors:\n" + "\n".join(session.console_errors)
