"""The classroom page's time to interactive in Voila, before and after, side by side (Chromium + Playwright).

    python benchmarks/voila_tti.py [--compare REV] [--repeats N]

Time to interactive: from navigation to the first explorer picture that answers a key press (the
browser test measures the same with tests/browser/pagetools.time_to_interactive). Each measurement
starts a fresh Voila server; with the kernel pool, the page is opened once the pool is filled, as a
class opens it after the teacher started `make app`. Modes, interleaved:
  after, pool       this checkout, Voila's preheated kernel pool (what `make app` serves)
  after, no pool    this checkout, a kernel started per request
  before            REV's helpers and app notebook (git archive), served as REV's `make app` did (no pool)
The result goes into benchmarks/results.json under "voila".
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, chromium_path  # noqa: E402
from tests.browser.pagetools import time_to_interactive  # noqa: E402
from tests.browser.servers import copy_repo, start_voila  # noqa: E402

APP = Path("notebooks/app/classroom_explorers.ipynb")
RESULTS = ROOT / "benchmarks" / "results.json"


def old_checkout(revision, work):
    """REV's helpers and notebooks/app, extracted into work/before; its root."""
    target = work / "before"
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision, "helpers", "notebooks/app"], cwd=ROOT, capture_output=True,
                             check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def measure(browser, root, preheat, work, env_extra=None):
    server = start_voila(root / APP, work, preheat=preheat, env_extra=env_extra, timeout=300)
    try:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            seconds, presses = time_to_interactive(page, f"{server.base_url}/?token={server.token}", timeout_s=300)
        finally:
            context.close()
    finally:
        server.stop()
    return round(seconds, 2), presses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", metavar="REV", help="also measure REV's app without a pool")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        sys.exit("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="voila-tti-"))
    try:
        after_root = copy_repo(work / "after")
        modes = {"after, pool": (after_root, True, None), "after, no pool": (after_root, False, None)}
        if args.compare:
            before_root = old_checkout(args.compare, work)
            modes["before"] = (before_root, False, {"PYTHONPATH": str(before_root)})
        samples = {mode: [] for mode in modes}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            for k in range(args.repeats):
                for mode, (root, preheat, env_extra) in modes.items():
                    seconds, presses = measure(browser, root, preheat, work / f"{mode}-{k}".replace(", ", "-"),
                                               env_extra)
                    print(f"  {mode}: {seconds} s ({presses} press(es))", flush=True)
                    samples[mode].append(seconds)
                    time.sleep(1)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    voila = {mode: {"interactive_s": round(statistics.median(values), 2), "runs": values}
             for mode, values in samples.items()}
    voila["interactive_s"] = voila["after, pool"]["interactive_s"]
    if args.compare:
        voila["revision_before"] = args.compare
        voila["ratio_after_over_before"] = round(voila["after, pool"]["interactive_s"] /
                                                 voila["before"]["interactive_s"], 3)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["voila"] = voila
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(voila, indent=2))


if __name__ == "__main__":
    main()
