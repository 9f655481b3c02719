"""`make bench`: what learners feel, measured side by side in one run.

Writes benchmarks/results.json and prints a table:
  slider_latency_ms          every slider figure: one event = compute + draw + PNG encode
  notebook_suite_s           wall time of nbval on all notebooks, as `make nbval` runs it
  train_step_ratio_vs_torch  one float64 training step (forward + backprop + RMSprop), ours / torch eager
  sweep_speedup_vs_loop      900 (lr, decay) configurations: Python loop time / vectorised sweep time

Timings are medians of repeated runs; ratios compare two timings taken in the same process.
Both numpy and torch are held to one thread, so the ratio compares code, not core counts.
"""

import os

# One thread for numpy's BLAS and for torch: set before either is imported.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import pkgutil  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import helpers  # noqa: E402
from helpers.data import xor  # noqa: E402
from helpers.live import slider_positions  # noqa: E402
from helpers.network import MLP  # noqa: E402
from helpers.optimizers import RMSprop  # noqa: E402
from helpers.sweep import lr_decay_grid, sweep_mlp  # noqa: E402
from helpers.training import train  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
TARGETS = {
    "slider median ms": 50, "slider p95 ms": 100, "notebook suite s": 120,
    "ratio tiny": 0.5, "ratio medium": 1.0, "sweep speedup": 10,
}


def explorer_factories():
    """Every EXPLORERS dict in helpers.explore_* modules: {figure name: factory}."""
    factories = {}
    for module_info in pkgutil.iter_modules(helpers.__path__):
        if module_info.name.startswith("explore_"):
            module = importlib.import_module(f"helpers.{module_info.name}")
            factories.update(getattr(module, "EXPLORERS", {}))
    return dict(sorted(factories.items()))


def slider_latency(n_positions=30):
    """Sweep each control of each explorer over >= n_positions values; time every event."""
    results = {}
    for name, factory in explorer_factories().items():
        explorer = factory()
        defaults = explorer.values()
        times = []
        for control_name, control in explorer.controls.items():
            for value in slider_positions(control, n_positions):
                start = time.perf_counter()
                png = explorer.render(**{control_name: value})
                times.append(time.perf_counter() - start)
                assert png[:4] == b"\x89PNG"
            explorer.render(**defaults)
        ms = np.array(times) * 1e3
        results[name] = {"median": round(float(np.median(ms)), 1), "p95": round(float(np.percentile(ms, 95)), 1),
                         "events": len(times)}
    return results


def notebook_suite():
    """Wall time of the nbval run of `make nbval` (same command, same flags)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
               "-n", "2", "--dist", "loadfile", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "notebooks"]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                            "MKL_NUM_THREADS")}
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    last_line = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""
    return round(elapsed, 1), completed.returncode, last_line


def _median_time(fn, repeats, inner):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - start) / inner)
    return float(np.median(samples))


def train_step_ratio(torch):
    """Ours / torch eager for one step of forward + backprop + RMSprop update, float64, 1 thread."""
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    cases = {"tiny": ([2, 8, 1], 4), "medium": ([64, 128, 10], 256)}
    out = {}
    for case, (sizes, batch) in cases.items():
        rng = np.random.default_rng(0)
        X = rng.normal(size=(batch, sizes[0]))
        y = rng.uniform(size=(batch, sizes[-1]))
        net = MLP(sizes, hidden="tanh", output="sigmoid", seed=0)
        optimizer = RMSprop(0.01, decay=0.9)

        def ours(net=net, optimizer=optimizer, X=X, y=y):
            _, grads = net.loss_and_grads(X, y, loss="mse")
            optimizer.step(net.params, grads)

        layers = []
        for i in range(1, len(sizes)):
            linear = torch.nn.Linear(sizes[i - 1], sizes[i])
            with torch.no_grad():  # same initial weights as ours (torch stores W transposed)
                linear.weight.copy_(torch.from_numpy(net.params[f"W{i}"].T.copy()))
                linear.bias.copy_(torch.from_numpy(net.params[f"b{i}"]))
            layers += [linear, torch.nn.Tanh() if i < len(sizes) - 1 else torch.nn.Sigmoid()]
        model = torch.nn.Sequential(*layers)
        torch_optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=1e-8)
        X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
        loss_fn = torch.nn.MSELoss()

        def theirs(model=model, torch_optimizer=torch_optimizer, X_t=X_t, y_t=y_t, loss_fn=loss_fn):
            torch_optimizer.zero_grad()
            loss = loss_fn(model(X_t), y_t)
            loss.backward()
            torch_optimizer.step()

        inner = 200 if case == "tiny" else 20
        for fn in (ours, theirs):  # warm up
            _median_time(fn, 2, inner)
        t_ours, t_torch = [], []
        for _ in range(7):  # interleaved, so both see the same machine load
            t_ours.append(_median_time(ours, 1, inner))
            t_torch.append(_median_time(theirs, 1, inner))
        ours_us, torch_us = np.median(t_ours) * 1e6, np.median(t_torch) * 1e6
        out[case] = {"ratio": round(float(ours_us / torch_us), 3), "ours_us": round(float(ours_us), 1),
                     "torch_us": round(float(torch_us), 1), "sizes": sizes, "batch": batch}
    return out


def sweep_speedup(n_steps):
    """900 configurations (30 lr x 30 decay) of the XOR net: vectorised sweep vs a Python loop."""
    X, y = xor()
    lr, decay = lr_decay_grid(np.logspace(-3, 0, 30), np.linspace(0.0, 0.99, 30))
    sweep_times = []
    for _ in range(3):
        start = time.perf_counter()
        sweep_mlp(X, y, lr, decay, n_steps=n_steps)
        sweep_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    for learning_rate, rho in zip(lr, decay, strict=True):
        train(MLP([2, 8, 1], seed=0), X, y, RMSprop(float(learning_rate), decay=float(rho)), n_steps)
    loop_time = time.perf_counter() - start
    sweep_time = float(np.median(sweep_times))
    return {"speedup": round(loop_time / sweep_time, 1), "sweep_s": round(sweep_time, 3),
            "loop_s": round(loop_time, 2), "configs": int(lr.size), "n_steps": n_steps}


def phase_map_steps():
    """The number of training steps of notebook 06's phase map (its module says), else 300."""
    try:
        module = importlib.import_module("helpers.explore_phase")
    except ImportError:
        return 300
    return int(getattr(module, "N_STEPS", 300))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-suite", action="store_true", help="do not time the notebook suite")
    args = parser.parse_args()
    results = {"machine": {"python": platform.python_version(), "numpy": np.__version__, "threads": 1,
                           "cpus": os.cpu_count(), "platform": platform.platform()}}
    print("slider figures ...", flush=True)
    results["slider_latency_ms"] = slider_latency()
    try:
        import torch
    except ImportError:
        torch = None
        print("torch is not installed: train_step_ratio_vs_torch skipped "
              "(pip install -r benchmarks/requirements.txt to measure it)")
    if torch is not None:
        print("training step vs torch ...", flush=True)
        ratios = train_step_ratio(torch)
        results["train_step_ratio_vs_torch"] = {case: r["ratio"] for case, r in ratios.items()}
        results["train_step_detail"] = ratios
        results["machine"]["torch"] = torch.__version__
    print("vectorised sweep vs loop ...", flush=True)
    sweep = sweep_speedup(phase_map_steps())
    results["sweep_speedup_vs_loop"] = sweep["speedup"]
    results["sweep_detail"] = sweep
    if not args.skip_suite:
        print("notebook suite (nbval) ...", flush=True)
        seconds, returncode, summary = notebook_suite()
        results["notebook_suite_s"] = seconds
        results["notebook_suite_detail"] = {"returncode": returncode, "summary": summary}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def print_table(results):
    rows = [("figure / measure", "value", "target")]
    for name, r in results["slider_latency_ms"].items():
        rows.append((f"slider {name}", f"median {r['median']} ms, p95 {r['p95']} ms ({r['events']} events)",
                     "<= 50 / 100 ms"))
    if "train_step_ratio_vs_torch" in results:
        for case, r in results["train_step_detail"].items():
            rows.append((f"train step {case} {r['sizes']} batch {r['batch']}",
                         f"{r['ratio']} (ours {r['ours_us']} us, torch {r['torch_us']} us)",
                         f"<= {TARGETS['ratio ' + case]}"))
    s = results["sweep_detail"]
    rows.append((f"sweep {s['configs']} configs x {s['n_steps']} steps",
                 f"{s['speedup']}x (sweep {s['sweep_s']} s, loop {s['loop_s']} s)", ">= 10x"))
    if "notebook_suite_s" in results:
        rows.append(("notebook suite (nbval, 2 workers)",
                     f"{results['notebook_suite_s']} s ({results['notebook_suite_detail']['summary']})", "<= 120 s"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * width for width in widths))
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
