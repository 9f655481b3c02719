"""Measure the static site (make site-bench; the site must be built: make site).

- a book page's load time from a local server: navigation to text + typeset math (MathJax done), fresh browser
  context each time (cold cache), for a few pages of each language;
- each static classroom page's time from navigation to the first slider that answers a key press (a new
  picture after ArrowRight), fresh context each time (cold cache: Pyodide and the wheels are fetched again).

Chromium with every other host blocked, served by python -m http.server on 127.0.0.1. Results go to
build/site-test/bench.json and are printed. The machine's load average is recorded with them: on a busy 2-core
machine every number here grows.

    .venv/bin/python benchmarks/site_bench.py [--pages explorers_04 ...] [--book-repeats 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.browser.pagetools import time_to_interactive  # noqa: E402
from tests.browser.servers import free_port  # noqa: E402
from tests.site.test_site_pages import MATH_DONE_JS  # noqa: E402

SITE = ROOT / "build" / "site"
OUT = ROOT / "build" / "site-test" / "bench.json"
BOOK_PAGES = ["notebooks/05_rmsprop.html", "notebooks/03_backprop.html", "notebooks/00_start_here.html"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="classroom page stems (default: all, both languages)")
    parser.add_argument("--book-repeats", type=int, default=3)
    args = parser.parse_args()
    manifest = json.loads((SITE / "site-manifest.json").read_text())
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
                               str(SITE)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    base = f"http://127.0.0.1:{port}"
    results = {"load_average_before": os.getloadavg(), "build_s": manifest["build_s"],
               "size_mb": round(manifest["size_bytes"] / 1e6, 1), "sizes_mb": manifest["sizes_mb"],
               "book": {}, "classroom": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS + [
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            for lang in manifest["languages"]:
                for page_path in BOOK_PAGES:
                    times = []
                    for _ in range(args.book_repeats):
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        page = context.new_page()
                        t0 = time.perf_counter()
                        page.goto(f"{base}/{lang}/{page_path}", wait_until="domcontentloaded")
                        t_text = time.perf_counter() - t0
                        page.wait_for_function(MATH_DONE_JS, timeout=30000)
                        times.append((round(t_text, 2), round(time.perf_counter() - t0, 2)))
                        context.close()
                    results["book"][f"{lang}/{page_path}"] = {
                        "text_s_median": statistics.median(t for t, _ in times),
                        "text_and_math_s_median": statistics.median(m for _, m in times), "runs": times}
                    print(f"book {lang}/{page_path}: text+math {results['book'][f'{lang}/{page_path}']}", flush=True)
            for lang, pages in manifest["classroom"]["pages"].items():
                for page_path in pages:
                    stem = Path(page_path).stem
                    if args.pages and stem not in args.pages:
                        continue
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    try:
                        seconds, presses = time_to_interactive(page, f"{base}/classroom/{page_path}",
                                                               timeout_s=240)
                        results["classroom"][f"{lang}/{stem}"] = {"first_answer_s": round(seconds, 1),
                                                                  "presses": presses}
                    except AssertionError as error:
                        results["classroom"][f"{lang}/{stem}"] = {"error": str(error)}
                    finally:
                        context.close()
                    print(f"classroom {lang}/{stem}: {results['classroom'][f'{lang}/{stem}']}", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    results["load_average_after"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
