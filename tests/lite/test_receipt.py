"""The progress receipt in the offline lab (Chromium, every other host blocked): a student answers exercise 1 of
00_start_here rightly, runs its self-check, then the notebook's last cell, the receipt
(`helpers.classroom.selfcheck.receipt`), and the file it wrote, progress-00_start_here.csv beside the notebook
in the browser's storage, is read back through JupyterLite's contents API and checked: exercise 1 right at the
first try, and none of the student's code in it.

The test needs the notebook to end in a receipt cell and its check to pass `exercise="1"` (helpers' receipt
API); while the stored 00_start_here has no receipt cell, it skips with that reason (locally and in CI: it is
not the machine that lacks something). Without the built site or Chromium it skips locally and fails with
CI=true, like the other lite tests.

The receipt cell runs twice: its file was a .json at first, and JupyterLite keeps a .json file as a parsed
object; rewriting one from the kernel kept the Pyodide kernel busy for over 300 s. It is a .csv now. The file
read back is saved in build/lite-test/ (what a student downloads).
"""

import csv
import io
import json
import re
import time

import pytest

from ..browser.test_notebooks import STATE_JS, code_cells, summarise, unexpected_errors
from .conftest import SITE

OUT = SITE.parent / "lite-test"

NOTEBOOK = "notebooks/00_start_here.ipynb"
STEM = "00_start_here"
# Exercise 1 of 00: one GD step on (w - 3)^2 from w = 1 with eta = 0.25 -> 2 (notebooks/solutions/00_01_solutions).
EXERCISE_LINE = re.compile(r"^w_new = \.\.\.$", re.MULTILINE)
RIGHT_ANSWER = "w_new = 2.0"
TIMEOUT_S = 300

SET_SOURCE_AND_RUN_JS = """([index, source]) => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (source !== null) panel.content.widgets[index].model.sharedModel.setSource(source);
  panel.content.activeCellIndex = index;
  window.jupyterapp.commands.execute('notebook:run-cell');  // not awaited: the test polls the cell's count
}"""

OUTPUT_TEXT_JS = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  return Array.from(cell.node.querySelectorAll('.jp-OutputArea-output')).map(o => o.innerText).join('\\n');
}"""

READ_FILE_JS = """async (path) => {
  const model = await window.jupyterapp.serviceManager.contents.get(path, {content: true});
  return {format: model.format, content: model.content};
}"""


def stored_cells():
    return json.loads((SITE / "files" / NOTEBOOK).read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def wait_for(page, predicate, what, timeout_s=TIMEOUT_S):
    deadline, state = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS) if page.evaluate("() => !!window.jupyterapp") else None
        if state is not None and predicate(state):
            return state
        time.sleep(0.5)
    raise AssertionError(f"{NOTEBOOK}: timed out after {timeout_s} s waiting for {what}; {summarise(state)}")


def run_cell(page, index, new_source=None):
    before = wait_for(page, lambda s: True, "the notebook")["cells"][index]["count"]
    page.evaluate(SET_SOURCE_AND_RUN_JS, [index, new_source])
    state = wait_for(page, lambda s: unexpected_errors(s) or (s["kernel"] == "idle" and
                                                              s["cells"][index]["count"] not in (None, before)),
                     f"cell {index} to run")
    assert not unexpected_errors(state), f"cell {index} raised: {unexpected_errors(state)}"
    return page.evaluate(OUTPUT_TEXT_JS, index)


def test_receipt_in_the_offline_lab(site, request):
    cells = stored_cells()
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and source(c).strip()]
    last = code[-1]
    if "receipt(" not in source(cells[last]):
        pytest.skip(f"{NOTEBOOK} does not end in a receipt cell yet (its last code cell: "
                    f"{source(cells[last]).strip()[:60]!r}); this test runs once it does")
    exercise = next(i for i in code if EXERCISE_LINE.search(source(cells[i])))
    check = next(i for i in code if i > exercise)
    assert "self-check" in cells[check]["metadata"].get("tags", []), f"cell {check} is not exercise 1's check"
    assert 'exercise="1"' in source(cells[check]), "exercise 1's check does not record into the receipt"

    # Chromium and the server only now, so that the skip above costs nothing.
    lite_server, page = request.getfixturevalue("lite_server"), request.getfixturevalue("lite_page")
    page.goto(f"{lite_server}/lab/index.html?path={NOTEBOOK}", timeout=180_000)
    wait_for(page, lambda s: s["path"] == NOTEBOOK and s["kernel"] == "idle", "the notebook to open", 180)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    state = wait_for(page, lambda s: unexpected_errors(s) or (s["kernel"] == "idle" and
                                                              all(c["count"] for c in code_cells(s))), "Run All")
    assert not unexpected_errors(state), f"Run All raised: {unexpected_errors(state)}"

    answered = EXERCISE_LINE.sub(RIGHT_ANSWER, source(cells[exercise]))
    run_cell(page, exercise, answered)
    said = run_cell(page, check)
    assert "✅" in said, f"exercise 1's check did not say right to {RIGHT_ANSWER!r}: {said!r}"
    shown = run_cell(page, last)
    assert f"progress-{STEM}.csv" in shown, f"the receipt cell did not say where it wrote: {shown!r}"
    again = run_cell(page, check)  # the check run again on the same right answer, then the receipt again
    assert "✅" in again
    shown = run_cell(page, last)  # a second write of the same file (a .json one hung JupyterLite's kernel)

    path = f"notebooks/progress-{STEM}.csv"
    deadline = time.monotonic() + 30
    while True:  # the kernel's write reaches the browser's storage through the service worker
        try:
            stored = page.evaluate(READ_FILE_JS, path)
            break
        except Exception as error:  # noqa: BLE001 - Playwright re-raises the page's "not found"
            if time.monotonic() > deadline:
                raise AssertionError(f"the receipt file {path} is not in the offline lab's storage: {error}") from None
            time.sleep(1)
    text = stored["content"]
    assert isinstance(text, str), stored
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"progress-{STEM}.csv").write_text(text, encoding="utf-8")  # the file as a student downloads it
    rows = {row["exercise"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"1", "2"} and all(row["notebook"] == STEM for row in rows.values()), text
    assert rows["1"]["verdict"] == "right", f"exercise 1 is not right in the receipt: {text}"
    assert (rows["1"]["tries"], rows["1"]["solved"]) == ("1", "True"), "a re-run of a right answer is no new try"
    assert rows["2"]["verdict"] == "not attempted" and rows["2"]["tries"] == "0", text
    assert "w_new" not in text and RIGHT_ANSWER not in text, "the receipt holds the student's code"
    assert not page.external, f"the lite site asked other hosts for {sorted(set(page.external))}"
