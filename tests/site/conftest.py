"""Fixtures for the static-site tests: build/site/ served on 127.0.0.1 by `python -m http.server`, Debian's Chromium
(one launch for the session) with every other host unresolvable, and a record of every request that left 127.0.0.1.

Locally, without the built site, Chromium or Playwright, the tests skip with the reason; with CI=true they fail.
Run them with `make site-test` (which builds the site first, `make site`). Measurements go to
build/site-test/measurements.json and are printed at the end.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..browser.conftest import chromium_path, in_ci, launched_chromium
from ..browser.servers import REPO, serve_static

SITE = Path(os.environ.get("SITE_DIR", REPO / "build" / "site"))
RESULTS = REPO / "build" / "site-test"
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
MEASURED = {}


def unavailable(reason):
    if in_ci():
        pytest.fail(f"site tests cannot run: {reason}. With CI=true they must run (.ci/run installs chromium "
                    "and npm; `make site-test` builds the site first).", pytrace=False)
    pytest.skip(f"site tests skipped: {reason} (they run when it is there, and must run with CI=true)")


def manifest_or_none():
    path = SITE / "site-manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture(scope="session")
def site():
    manifest = manifest_or_none()
    if manifest is None:
        unavailable(f"no built site at {SITE} (run `make site`, which needs npm)")
    return manifest


@pytest.fixture(scope="session")
def server(site, tmp_path_factory):
    """`python -m http.server` on 127.0.0.1 serving build/site, as any static host would."""
    yield from serve_static(SITE, "site-manifest.json", tmp_path_factory.mktemp("site-server") / "http.log")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("no Chromium at /usr/bin/chromium (install Debian's `chromium`, or set CHROMIUM_PATH)")
    yield from launched_chromium(path, OFFLINE_ARGS, unavailable)


def recording_page(browser, server, viewport=DESKTOP):
    """A fresh context and page that record console errors, uncaught errors, failed responses and every
    request to a host other than the site's."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.js_errors, page.external, page.failed = [], [], []
    host = urlparse(server).netloc

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            page.external.append(request.url)

    def on_console(message):
        if message.type == "error":
            page.js_errors.append(f"console.error: {message.text} [{(message.location or {}).get('url', '')}]")

    context.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page.js_errors.append(f"uncaught: {error}"))
    page.on("response", lambda response: page.failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return context, page


@pytest.fixture
def site_page(browser, server):
    context, page = recording_page(browser, server)
    yield page
    context.close()


def record(key, value):
    MEASURED[key] = value
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "measurements.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    old[key] = value
    path.write_text(json.dumps(old, indent=1, ensure_ascii=False) + "\n")


def pytest_terminal_summary(terminalreporter):
    manifest = manifest_or_none()
    if manifest is None and not MEASURED:
        return
    terminalreporter.write_sep("-", "static site: measured")
    if manifest:
        terminalreporter.write_line(f"build: {manifest['build_s']} s (book {manifest['book_build_s']} s); size "
                                    f"{manifest['size_bytes'] / 1e6:.0f} MB in {manifest['files']} files "
                                    f"{manifest['sizes_mb']}")
    for key, value in sorted(MEASURED.items()):
        terminalreporter.write_line(f"{key}: {value}")
