"""Every notebook of the offline site (build/lite), in Chromium with every other host blocked: it opens in
JupyterLite, Run All ends with no error output, every widget renders, every slider redraws its figure after a
key press, and no request leaves 127.0.0.1. Notebooks are the ones the site was built with.

Text outputs that differ from the stored ones (Pyodide's older numpy and matplotlib) are written to
build/lite-test/<notebook>.json and summed up at the end; they are reported, not asserted (nbval checks the
stored outputs on the pinned stack).
"""

import json
import time

import pytest

from ..browser.pagetools import exercise_sliders, real_js_errors
from ..browser.test_notebooks import STATE_JS, assert_outputs_clean, code_cells, summarise, unexpected_errors
from .conftest import SITE, write_result

OPEN_TIMEOUT_S = 180
RUN_TIMEOUT_S = 600  # notebook 06 took 2 min on a quiet 2-core machine, 5 min on a loaded one


def site_notebooks():
    manifest = SITE / "lite-manifest.json"
    if not manifest.exists():
        return ["(site not built)"]
    # The per-notebook classroom pages (notebooks/app/explorers_*.ipynb, zh too) hold the all-in-one page's own cells
    # (tools/make_explorer_apps.py), which this test runs in app/classroom_explorers.ipynb; tests/site runs one in
    # the static classroom. Running all twelve again here would add minutes of CI for no new cell.
    return [n for n in json.loads(manifest.read_text())["notebooks"] if "/app/explorers_" not in n]


# Each cell's text outputs as the page's model holds them, for comparison with the stored notebook.
OUTPUTS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map(cell => cell.model.type === 'code' ? cell.model.outputs.toJSON() : []);
}"""


class Timings:
    def __init__(self):
        self.sliders = []

    def add_slider(self, where, explorer, slider, key, ms):
        self.sliders.append({"explorer": explorer, "slider": slider, "key": key, "ms": round(ms, 1)})


def wait_for(page, predicate, timeout_s, what, notebook):
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS) if page.evaluate("() => !!window.jupyterapp") else None
        if state is not None and predicate(state):
            return state
        time.sleep(0.5)
    raise AssertionError(f"{notebook}: timed out after {timeout_s} s waiting for {what} in the lite site; "
                         f"last state: {summarise(state)}")


def text_of(output):
    """The comparable text of one output: stream text or text/plain (figures and widgets are not compared)."""
    if output.get("output_type") == "stream":
        return ("stream", "".join(output.get("text", "")))
    if output.get("output_type") in ("execute_result", "display_data"):
        data = output.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data or "image/png" in data:
            return None
        text = data.get("text/plain")
        return ("text", "".join(text)) if text is not None else None
    return None


def merged(outputs):
    texts = [t for t in map(text_of, outputs) if t is not None]
    stream = "".join(t for kind, t in texts if kind == "stream")
    return [t for kind, t in texts if kind == "text"] + ([stream] if stream else [])


def output_diffs(notebook, live_outputs):
    """Cells whose text output in the lite run differs from the stored one (cells nbval checks only)."""
    stored = json.loads((SITE / "files" / notebook).read_text())
    diffs = []
    code = [c for c in stored["cells"]]
    for index, (cell, live) in enumerate(zip(code, live_outputs, strict=False)):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or {"nbval-ignore-output", "nbval-skip"} & set(tags):
            continue
        if "NBVAL_IGNORE_OUTPUT" in "".join(cell["source"]) or "NBVAL_SKIP" in "".join(cell["source"]):
            continue
        before, after = merged(cell.get("outputs", [])), merged(live)
        if before != after:
            diffs.append({"cell": index, "stored": before, "lite": after})
    return diffs


@pytest.mark.parametrize("notebook", site_notebooks())
def test_notebook_in_lite(lite_page, lite_server, site, notebook):
    page = lite_page
    result = {"notebook": notebook}
    t0 = time.monotonic()
    try:
        page.goto(f"{lite_server}/lab/index.html?path={notebook}", timeout=OPEN_TIMEOUT_S * 1000)
        wait_for(page, lambda s: s["path"] == notebook and s["kernel"] == "idle", OPEN_TIMEOUT_S,
                 "the notebook to open and its kernel to report idle", notebook)
        result["open_s"] = round(time.monotonic() - t0, 1)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        wait_for(page, lambda s: all(c["count"] is None for c in code_cells(s)), 30, "outputs to clear", notebook)
        t_run = time.monotonic()
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        # The kernel says "idle" before it can run a cell: the first count marks when it really started.
        wait_for(page, lambda s: unexpected_errors(s) or code_cells(s)[0]["count"], RUN_TIMEOUT_S,
                 "the first cell to run", notebook)
        result["ready_s"] = round(time.monotonic() - t0, 1)
        state = wait_for(page, lambda s: unexpected_errors(s) or (s["kernel"] == "idle" and
                                                                  all(c["count"] for c in code_cells(s))),
                         RUN_TIMEOUT_S, "Run All to finish", notebook)
        result["run_s"] = round(time.monotonic() - t_run, 1)
        result["load_s"] = round(time.monotonic() - t0, 1)
        assert not unexpected_errors(state), f"{notebook}: Run All raised in the lite site: {unexpected_errors(state)}"

        assert_outputs_clean(page, state, notebook, render_wait_s=30)

        result["output_diffs"] = output_diffs(notebook, page.evaluate(OUTPUTS_JS))

        t_sliders = time.monotonic()
        timings = Timings()
        result["sliders"] = timings.sliders
        result["handles"] = exercise_sliders(page, page.locator(".jp-Notebook"), notebook, timings)
        result["sliders_s"] = round(time.monotonic() - t_sliders, 1)

        errors = real_js_errors(page)
        assert not errors, f"{notebook}: the lite page logged JavaScript errors:\n" + "\n".join(errors)
        assert not page.external, f"{notebook}: the lite site asked other hosts for {sorted(set(page.external))}"
    finally:
        result["total_s"] = round(time.monotonic() - t0, 1)
        result["external_requests"] = sorted(set(page.external))
        write_result(notebook, result)
