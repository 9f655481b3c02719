"""What a person does in the page, written once for JupyterLab and Voila: press keys on slider handles
of `helpers.classroom.live.Explorer` widgets and watch their figure change.

An Explorer renders as `.explorer` (a VBox) holding the controls, an <img> (ipywidgets.Image, its
src a blob: URL of the PNG bytes) and `.explorer-status` (a sentence such as "diverged at step 37",
in Chinese "在第 37 步发散").
"""

import re

HANDLE = ".widget-slider .noUi-handle"
EXPLORER = ".explorer"
ERROR_TEXTS = ("Traceback (most recent call last)", "Error displaying widget")
# An explorer that could not draw a setting says so in the status line, in either language.
COULD_NOT_DRAW = ("Could not draw", "无法画出")
# A diverged run's status line, in either language.
DIVERGED = ("diverged", "发散")

# Console messages that are not errors of this course. Each entry says why it is harmless.
BENIGN_CONSOLE = [
    # Voila's page template links Font Awesome's CSS from a public CDN (icons only). A machine without
    # internet (CI, this test box) cannot resolve the CDN's name; widgets and figures do not need it.
    re.compile(r"Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|CONNECTION_REFUSED)"
               r" \[https://cdn\.jsdelivr\.net/npm/@fortawesome/"),
]

# SHA-256 of the bytes behind an <img> (its src is a blob: or data: URL); secure context on 127.0.0.1.
IMAGE_DIGEST_JS = """async (img) => {
  const buffer = await (await fetch(img.src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}"""

# Record performance.now() at the next keydown and at the first load of a new src of the <img>.
PROBE_JS = """(img) => {
  const probe = {before: img.src, tKey: null, tImage: null};
  window.__sliderProbe = probe;
  document.addEventListener('keydown', () => { if (probe.tKey === null) probe.tKey = performance.now(); },
                            {capture: true, once: true});
  const onLoad = () => {
    if (img.src !== probe.before && probe.tImage === null) {
      probe.tImage = performance.now();
      img.removeEventListener('load', onLoad);
    }
  };
  img.addEventListener('load', onLoad);
}"""


def benign(message):
    return any(pattern.search(message) for pattern in BENIGN_CONSOLE)


def real_js_errors(page):
    """The page's console errors and uncaught errors, less the allow-listed benign ones."""
    return [message for message in page.js_errors if not benign(message)]


def slider_label(handle):
    """The description shown left of a slider (e.g. 'η learning rate')."""
    return handle.evaluate("""(h) => {
      const box = h.closest('.widget-slider');
      const label = box && box.querySelector('.widget-label');
      return label ? label.textContent.trim() : (h.getAttribute('aria-label') || '?');
    }""")


def status_text(explorer):
    status = explorer.locator(".explorer-status")
    return status.first.inner_text().strip() if status.count() else ""


def image_digest(explorer):
    return explorer.locator("img").first.evaluate(IMAGE_DIGEST_JS)


def at_end(handle, key):
    """Whether `key` cannot move the handle: it already sits at that end of its range.

    Uses aria-valuenow/min/max, which noUiSlider rounds to 2 decimals: a step of 0.001 may not show
    there, so a press is judged by the figure, and these attributes only by where the ends are.
    """
    now, low, high = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    if key in ("ArrowRight", "ArrowUp", "End", "PageUp"):
        return now >= high
    return now <= low


def press_and_time(page, explorer, handle, key, timeout_ms=15000):
    """Focus the handle, press `key`, wait for the explorer's new image.

    Returns (milliseconds from key press to the new image loaded, changed: whether the image bytes differ).
    Fails if no new image arrives within timeout_ms.
    """
    img = explorer.locator("img").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    digest_before = img.evaluate(IMAGE_DIGEST_JS)
    img.evaluate(PROBE_JS)
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__sliderProbe && window.__sliderProbe.tImage !== null",
                               timeout=timeout_ms)
    except Exception as error:  # noqa: BLE001 - reported as a test failure with context
        raise AssertionError(f"no new figure within {timeout_ms} ms after {key} on '{slider_label(handle)}'"
                             f" (aria-valuenow {handle.get_attribute('aria-valuenow')})") from error
    probe = page.evaluate("() => ({tKey: window.__sliderProbe.tKey, tImage: window.__sliderProbe.tImage})")
    changed = img.evaluate(IMAGE_DIGEST_JS) != digest_before
    return probe["tImage"] - probe["tKey"], changed


def slider_handles(root):
    """Yield (explorer index, explorer, handle, label) for every slider handle of every explorer under `root`."""
    explorers = root.locator(EXPLORER)
    for e in range(explorers.count()):
        explorer = explorers.nth(e)
        handles = explorer.locator(HANDLE)
        for h in range(handles.count()):
            handle = handles.nth(h)
            yield e, explorer, handle, slider_label(handle)


def exercise_sliders(page, root, where, timings, keys=("ArrowRight", "ArrowRight", "ArrowLeft")):
    """Press arrow keys on every slider handle of every explorer under `root`; assert each figure changes.

    Returns the number of handles exercised. Timings go to `timings` (key press to new image).
    """
    opposite = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight", "ArrowUp": "ArrowDown",
                "ArrowDown": "ArrowUp"}
    n_handles = 0
    for e, explorer, handle, label in slider_handles(root):
        for key in keys:
            if at_end(handle, key):  # at the end of the range: go the other way
                key = opposite[key]
            ms, changed = press_and_time(page, explorer, handle, key)
            assert changed, (f"{where}: slider '{label}' of explorer {e} moved with {key}, "
                             "but the figure's image bytes did not change")
            timings.add_slider(where, e, label, key, ms)
        status = status_text(explorer)
        assert not any(text in status for text in ERROR_TEXTS + COULD_NOT_DRAW), (
            f"{where}: explorer {e} says '{status}' after moving '{label}'")
        n_handles += 1
    return n_handles


def push_learning_rates_to_end(page, root, where):
    """Press End on every learning-rate slider (label mentions 'learning rate', '学习率' or 'η').

    Returns the list of (explorer index, label, status sentence) after each move.
    """
    results = []
    for e, explorer, handle, label in slider_handles(root):
        if not re.search(r"learning rate|学习率|η|\blr\b", label, re.IGNORECASE):
            continue
        if not at_end(handle, "End"):
            press_and_time(page, explorer, handle, "End")
        results.append((e, label, status_text(explorer)))
    return results


def time_to_interactive(page, url, retry_ms=1000, timeout_s=120.0):
    """Seconds from navigation to the first explorer picture that answers a key press (Voila's classroom page).

    Navigate; wait for the first explorer's <img>; press ArrowRight on its first slider handle until a new
    image arrives (a press sent before the kernel is connected may be lost: press again every retry_ms).
    Returns (seconds, presses).
    """
    import time

    start = time.perf_counter()
    page.goto(url, timeout=int(timeout_s * 1000), wait_until="commit")
    first = page.locator(f"{EXPLORER} img[src]").first
    first.wait_for(state="attached", timeout=int(timeout_s * 1000))
    explorer = page.locator(EXPLORER).first
    handle = explorer.locator(HANDLE).first
    handle.wait_for(state="visible", timeout=int(timeout_s * 1000))
    img = explorer.locator("img").first
    presses = 0
    while time.perf_counter() - start < timeout_s:
        key = "ArrowLeft" if at_end(handle, "ArrowRight") else "ArrowRight"
        handle.focus()
        img.evaluate(PROBE_JS)
        page.keyboard.press(key)
        presses += 1
        try:
            page.wait_for_function("() => window.__sliderProbe && window.__sliderProbe.tImage !== null",
                                   timeout=retry_ms)
            return time.perf_counter() - start, presses
        except Exception:  # noqa: BLE001, S112 - not answered yet: press again
            continue
    raise AssertionError(f"no explorer picture answered a key press within {timeout_s:.0f} s of navigation")
