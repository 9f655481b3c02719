"""The classroom app (`make app`, `make app LANG=zh`): Voila shows the explorers of notebooks 04-08 without
code, in English and in Chinese, and a slider moved with the keyboard changes its figure there too.

The first test measures the page's time to interactive (navigation -> the first picture that answers a
key press) on a fresh server with its kernel pool filled, as a class meets it; it is reported (terminal
summary, build/browser/timings.json), not asserted: `make bench` holds the targets.
"""

import re

import nbformat
import pytest

from .conftest import SCREENSHOTS
from .pagetools import ERROR_TEXTS, EXPLORER, exercise_sliders, real_js_errors, time_to_interactive
from .servers import start_voila

APPS = {"en": "notebooks/app/classroom_explorers.ipynb", "zh": "notebooks/zh/app/classroom_explorers.ipynb"}
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module", params=sorted(APPS))
def voila(request, browser, served_root, work_dir):
    app = APPS[request.param]
    notebook = served_root / app
    assert notebook.exists(), f"{app} is missing"
    server = start_voila(notebook, work_dir / f"voila-{request.param}")
    server.app, server.language = app, request.param
    try:
        yield server
    finally:
        server.stop()


def test_voila_page_answers_a_key_press_soon_after_navigation(page, voila, timings):
    # First in this module: the request takes the pool's preheated kernel, as the first student would.
    seconds, presses = time_to_interactive(page, f"{voila.base_url}/?token={voila.token}")
    if voila.language == "en":
        timings.voila = {"interactive_s": round(seconds, 2), "presses": presses, "preheated_pool": True}
    assert seconds > 0


def test_voila_app(page, voila, served_root, timings):
    APP = voila.app
    nb = nbformat.read(served_root / APP, as_version=4)
    n_explorers = sum(1 for cell in nb.cells if cell.cell_type == "code" and "EXPLORERS" in cell.source)
    assert n_explorers >= 3, f"{APP} builds only {n_explorers} explorers"

    page.goto(f"{voila.base_url}/?token={voila.token}", timeout=120_000)
    page.wait_for_function(f"() => document.querySelectorAll('{EXPLORER} img[src]').length >= {n_explorers}",
                           timeout=120_000)
    body = page.locator("body").inner_text()
    for text in ERROR_TEXTS:
        assert text not in body, f"the Voila page shows '{text}'"
    # A clean page: no code cell shows its source (markdown cells do have an input area: their text).
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0, "Voila shows code"
    assert "EXPLORERS" not in body and "import " not in body, "Voila shows code text"
    if voila.language == "zh":
        assert len(HAN.findall(body)) > 200, "the Chinese page shows little Chinese text"
        statuses = page.locator(".explorer-status").all_inner_texts()
        assert statuses and all(HAN.search(s) for s in statuses if s.strip()), f"English status lines: {statuses}"

    page.locator(EXPLORER).first.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if voila.language == "en" else "-zh"
    page.screenshot(path=str(SCREENSHOTS / f"voila-classroom_explorers{suffix}.png"))

    n_handles = exercise_sliders(page, page.locator("body"), "voila:" + APP, timings, keys=("ArrowRight",))
    assert n_handles >= n_explorers, f"only {n_handles} slider handles in {n_explorers} explorers"
    errors = real_js_errors(page)
    assert not errors, "the Voila page logged JavaScript errors:\n" + "\n".join(errors)
