"""Every page of the static site in Chromium (one launch) with every other host blocked, as a reader sees it:
no console error, no failed request, no request to another host, math typeset (no raw $$ or \\frac outside code),
every image loaded, no horizontal scroll at 390 x 844; search finds the four terms in their language; a book
page's "run it" button opens the lab on that notebook and its first code cell runs; the static classroom page
shows its first explorer and a key press on a slider redraws it. Times are recorded (conftest.record)."""

import statistics
import time

import pytest

from ..browser.pagetools import EXPLORER, HANDLE, IMAGE_DIGEST_JS, at_end, status_text
from ..browser.test_notebooks import STATE_JS, code_cells
from .conftest import DESKTOP, PHONE, SITE, manifest_or_none, record, recording_page

MATH_DONE_JS = """() => {
  const math = document.querySelectorAll('.math');
  if (!math.length) return true;
  return window.MathJax && MathJax.startup && MathJax.startup.promise &&
         document.querySelectorAll('mjx-container').length > 0 &&
         !document.querySelector('.math:not(:has(mjx-container))');
}"""

PAGE_FACTS_JS = """() => {
  const article = document.querySelector('article') || document.body;
  const clone = article.cloneNode(true);
  clone.querySelectorAll('pre, code, .highlight, script, style, mjx-assistive-mml').forEach(e => e.remove());
  const text = clone.innerText;
  const images = [...document.querySelectorAll('article img')];
  return {
    rawMath: ['$$', '\\\\frac', '\\\\begin{', '\\\\sqrt'].filter(t => text.includes(t)),
    brokenImages: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    noAlt: images.filter(i => !(i.alt || '').trim()).map(i => i.src),
    images: images.length,
    mathjax: document.querySelectorAll('mjx-container').length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def book_pages():
    manifest = manifest_or_none()
    if manifest is None:
        return ["(site not built)"]
    return [f"{lang}/{page}" for lang in manifest["languages"] for page in manifest["pages"][lang]]


def wide_elements(page):
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.offsetParent !== null)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")


@pytest.fixture(scope="module")
def load_times():
    times = []
    yield times
    if times:
        record("book page load to text+math (s), median / max over pages",
               [round(statistics.median(times), 2), round(max(times), 2)])


@pytest.mark.parametrize("path", book_pages())
def test_book_page(browser, server, site, path, load_times):
    context, page = recording_page(browser, server, DESKTOP)
    try:
        t0 = time.perf_counter()
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        page.wait_for_function(MATH_DONE_JS, timeout=20000)
        load_times.append(time.perf_counter() - t0)
        page.wait_for_load_state("load")
        facts = page.evaluate(PAGE_FACTS_JS)
        assert not facts["rawMath"], f"{path}: raw TeX visible outside code: {facts['rawMath']}"
        assert not facts["brokenImages"], f"{path}: images that did not load: {facts['brokenImages'][:5]}"
        assert not facts["noAlt"], f"{path}: images without alt text: {facts['noAlt'][:5]}"
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(150)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path}: scrolls sideways by {overflow} px at 390 px: {wide_elements(page)}"
        page.wait_for_timeout(100)
        assert not page.js_errors, f"{path}: console errors: {page.js_errors}"
        assert not page.failed, f"{path}: failed requests: {page.failed}"
        assert not page.external, f"{path}: requests to other hosts: {page.external}"
    finally:
        context.close()


SEARCHES = [("en", "RMSprop", "notebooks/05_rmsprop"), ("en", "learning rate", "notebooks/04_gradient_descent"),
            ("zh", "反向传播", "notebooks/03_backprop"), ("zh", "学习率", "notebooks/04_gradient_descent")]


@pytest.mark.parametrize(("lang", "term", "expected"), SEARCHES)
def test_search_finds_the_pages_that_teach_it(site_page, server, site, lang, term, expected):
    page = site_page
    page.goto(f"{server}/{lang}/search.html?q={term}")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0 || "
                           "(document.querySelector('#search-results p') || {}).innerText", timeout=20000)
    page.wait_for_timeout(500)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any(expected in (link or "") for link in links), f"{lang} search {term!r} found {links[:10]}"
    assert not page.js_errors, page.js_errors
    assert not page.external, page.external


def test_run_it_button_opens_the_lab_and_runs_the_first_cell(site_page, server, site):
    page = site_page
    page.goto(f"{server}/en/notebooks/01_forward_pass.html")
    button = page.locator("a.course-lab")
    assert "lab/lab/index.html?path=notebooks/01_forward_pass.ipynb" in button.get_attribute("href")
    t0 = time.perf_counter()
    button.click()
    deadline = time.monotonic() + 240
    state = None
    while time.monotonic() < deadline:
        if page.evaluate("() => !!window.jupyterapp"):
            state = page.evaluate(STATE_JS)
            if state and state.get("path") == "notebooks/01_forward_pass.ipynb" and state.get("kernel") == "idle":
                break
        time.sleep(0.5)
    assert state and state.get("path") == "notebooks/01_forward_pass.ipynb", f"the lab did not open it: {state}"
    page.evaluate("""() => { const nb = window.jupyterapp.shell.currentWidget.content;
        nb.activeCellIndex = nb.widgets.findIndex(c => c.model.type === 'code');
        window.jupyterapp.commands.execute('notebook:run-cell'); }""")
    while time.monotonic() < deadline:
        state = page.evaluate(STATE_JS)
        if code_cells(state)[0]["count"]:
            break
        time.sleep(0.5)
    assert code_cells(state)[0]["count"], f"the first code cell did not run: {state}"
    record("run-it button to first code cell run in the lab (s)", round(time.perf_counter() - t0, 1))
    assert not page.external, page.external


CLASSROOM = [("en", "explorers_04"), ("zh", "explorers_04")]


@pytest.mark.parametrize(("lang", "stem"), CLASSROOM)
def test_static_classroom_page_answers_a_key_press(browser, server, site, lang, stem):
    context, page = recording_page(browser, server, DESKTOP)
    try:
        t0 = time.perf_counter()
        page.goto(f"{server}/classroom/voici/render/{lang}/{stem}.html", wait_until="commit")
        status = page.locator("#classroom-status")
        status.wait_for(timeout=30000)
        assert status.get_attribute("data-state") == "loading", "the page does not say what is loading"
        explorer = page.locator(EXPLORER).first
        handle = explorer.locator(HANDLE).first
        handle.wait_for(state="visible", timeout=180000)
        img = explorer.locator("img").first
        img.wait_for(timeout=60000)
        before, sentence = img.evaluate(IMAGE_DIGEST_JS), status_text(explorer)
        answered = None
        while time.perf_counter() - t0 < 180:
            handle.focus()
            page.keyboard.press("ArrowLeft" if at_end(handle, "ArrowRight") else "ArrowRight")
            page.wait_for_timeout(700)
            if img.evaluate(IMAGE_DIGEST_JS) != before:
                answered = time.perf_counter() - t0
                break
        assert answered, f"{lang}/{stem}: no slider key press redrew the first explorer within 180 s"
        assert status.get_attribute("data-state") == "ready"
        record(f"classroom {lang}/{stem}: navigation to first slider that answers a key press (s)", round(answered, 1))
        assert sentence is not None
        assert not [e for e in page.js_errors if "favicon" not in e], f"{lang}/{stem}: {page.js_errors}"
        assert not page.external, f"{lang}/{stem}: requests to other hosts: {page.external}"
        page.screenshot(path=str(SITE.parent / "site-test" / f"classroom-{lang}-{stem}.png"))
    finally:
        context.close()
