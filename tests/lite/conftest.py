"""Fixtures for the offline-site tests: build/lite/ served on 127.0.0.1 by `python -m http.server`, Debian's
Chromium with every other host unresolvable, and a record of every request that left 127.0.0.1.

Locally, without the built site, Chromium or Playwright, the tests skip with the reason; with CI=true they fail.
Run them with `make lite-test` (which builds the site first, `make lite`).
"""

import json
import os
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..browser.conftest import VIEWPORT, chromium_path, in_ci, launched_chromium
from ..browser.servers import REPO, serve_static

SITE = Path(os.environ.get("LITE_SITE", REPO / "build" / "lite"))
RESULTS = REPO / "build" / "lite-test"
# Every host name resolves to nothing except the loopback address the site is served on.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def unavailable(reason):
    if in_ci():
        pytest.fail(f"lite tests cannot run: {reason}. With CI=true they must run (.ci/run installs chromium "
                    "and npm; `make lite-test` builds the site first).", pytrace=False)
    pytest.skip(f"lite tests skipped: {reason} (they run when it is there, and must run with CI=true)")


@pytest.fixture(scope="session")
def site():
    manifest = SITE / "lite-manifest.json"
    if not manifest.exists():
        unavailable(f"no built site at {SITE} (run `make lite`, which needs npm)")
    return json.loads(manifest.read_text())


@pytest.fixture(scope="session")
def lite_server(site, tmp_path_factory):
    """`python -m http.server` on 127.0.0.1 serving build/lite, as a teacher would serve the folder."""
    yield from serve_static(SITE, "jupyter-lite.json", tmp_path_factory.mktemp("lite-server") / "http.log")


@pytest.fixture(scope="session")
def lite_browser():
    path = chromium_path()
    if path is None:
        unavailable("no Chromium at /usr/bin/chromium (install Debian's `chromium`, or set CHROMIUM_PATH)")
    yield from launched_chromium(path, OFFLINE_ARGS, unavailable)


@pytest.fixture
def lite_page(lite_browser, lite_server):
    """A fresh context and page (empty browser storage) that records JavaScript errors and every request
    to a host other than the site's."""
    context = lite_browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.js_errors, page.external = [], []
    site_host = urlparse(lite_server).netloc

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != site_host:
            page.external.append(request.url)

    def on_console(message):
        if message.type == "error":
            page.js_errors.append(f"console.error: {message.text} [{(message.location or {}).get('url', '')}]")

    context.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page.js_errors.append(f"uncaught: {error}"))
    yield page
    context.close()


def write_result(notebook, data):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / (notebook.replace("/", "__") + ".json")).write_text(json.dumps(data, indent=1) + "\n")


_SESSION = {}


def pytest_sessionstart(session):
    _SESSION.setdefault("start", time.time())


def pytest_terminal_summary(terminalreporter):
    """Per-notebook times and slider key-to-image times of this run (results in build/lite-test/)."""
    if not RESULTS.exists():
        return
    start = _SESSION.get("start")
    results = []
    for path in sorted(RESULTS.glob("*.json")):
        if start is None or path.stat().st_mtime >= start:
            results.append(json.loads(path.read_text()))
    if not results:
        return
    write = terminalreporter.write_line
    terminalreporter.section("lite site timings (also in build/lite-test/)")
    nan = float("nan")
    for r in results:
        write(f"{r['notebook']}: kernel ready {r.get('ready_s', nan):.1f} s, run all {r.get('run_s', nan):.1f} s, "
              f"first load to all cells done {r.get('load_s', nan):.1f} s, sliders {r.get('sliders_s', 0):.1f} s, "
              f"{len(r.get('output_diffs', []))} output(s) differ from stored")
    presses = sorted(s["ms"] for r in results for s in r.get("sliders", []))
    if presses:
        median = presses[len(presses) // 2]
        write(f"slider key press -> new image: median {median:.0f} ms, max {presses[-1]:.0f} ms over "
              f"{len(presses)} presses")
