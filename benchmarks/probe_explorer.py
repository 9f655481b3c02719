"""One explorer, measured in a fresh process (run by benchmarks/run.py; prints one JSON line).

    python benchmarks/probe_explorer.py MODULE NAME

MODULE is a helpers.explore_* module, NAME a key of its EXPLORERS. Whichever `helpers` comes
first on sys.path is measured, so run.py points PYTHONPATH at an older checkout to compare.
  import_s         `import helpers.<MODULE>` in this fresh process (numpy, matplotlib, ipywidgets...)
  first_picture_s  the factory call plus the display bundle (what a cell shows), fresh fonts and caches
  all_ready_s      from the factory call until every precomputed slider position is there
                   (an explorer without a background thread is ready with its first picture)
  slider_*         a second explorer, swept at once: every control over >= 30 positions, one event =
                   set the value, compute what is missing, draw, PNG encode
  slider_ready_*   the same sweep on the first explorer, once every position is ready
"""

import importlib
import json
import os
import sys
import time

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")


def main(module_name, name):
    start = time.perf_counter()
    module = importlib.import_module(f"helpers.{module_name}")
    import_s = time.perf_counter() - start

    import numpy as np

    from helpers.classroom.live import slider_positions

    factory = module.EXPLORERS[name]
    start = time.perf_counter()
    explorer = factory()
    bundle = explorer._repr_mimebundle_()
    first_picture_s = time.perf_counter() - start
    assert "image/png" in bundle
    if hasattr(explorer, "wait_ready"):
        assert explorer.wait_ready(timeout=300), "the background never finished"
        ready_at = max([job.ready_at for job in explorer.precomputed] or [start + first_picture_s])
        all_ready_s = max(ready_at - start, first_picture_s)
    else:
        all_ready_s = first_picture_s

    ready_ms = sweep(explorer, slider_positions)  # every position there: lookups and blits only
    swept = factory()  # a second one, swept at once, so that its events meet positions that are not ready yet
    ms = sweep(swept, slider_positions)
    print(json.dumps({"explorer": name, "helpers": os.path.dirname(module.__file__), "import_s": round(import_s, 3),
                      "first_picture_s": round(first_picture_s, 3), "all_ready_s": round(all_ready_s, 3),
                      "slider_median_ms": round(float(np.median(ms)), 1),
                      "slider_p95_ms": round(float(np.percentile(ms, 95)), 1), "events": len(ms),
                      "slider_ready_median_ms": round(float(np.median(ready_ms)), 1),
                      "slider_ready_p95_ms": round(float(np.percentile(ready_ms, 95)), 1)}))


def sweep(explorer, slider_positions):
    """Every control over >= 30 positions, back to back, the others at their defaults: ms per event."""
    import numpy as np

    defaults = explorer.values()
    times = []
    for control_name, control in explorer.controls.items():
        for value in slider_positions(control, 30):
            t0 = time.perf_counter()
            png = explorer.render(**{control_name: value})
            times.append(time.perf_counter() - t0)
            assert png[:4] == b"\x89PNG"
        explorer.render(**defaults)
    return np.array(times) * 1e3


if __name__ == "__main__":
    main(*sys.argv[1:3])
