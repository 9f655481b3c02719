"""`make bench`: what learners feel, measured side by side in one run.

Writes benchmarks/results.json and prints a table:
  explorers                  per slider explorer, each in a fresh process (benchmarks/probe_explorer.py):
                             import time, time to the first picture, time until every slider position is
                             ready, slider event median / p95 (one event = compute what is missing + draw + PNG)
  slider_latency_ms          the slider part of that, as before
  before / ratios            with --compare REV: the same probes run on the helpers of git revision REV
                             (git archive, same venv), interleaved with ours, and after / before ratios
  lab_fresh_clone_s          with --lab: `make lab` in a fresh clone until the server answers (pip cache
                             warm), for this checkout's HEAD and for REV
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
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import helpers  # noqa: E402
import helpers.classroom  # noqa: E402
from helpers.data import xor  # noqa: E402
from helpers.network import MLP  # noqa: E402
from helpers.optimizers import RMSprop  # noqa: E402
from helpers.sweep import lr_decay_grid, sweep_mlp  # noqa: E402
from helpers.training import train  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
PROBE = ROOT / "benchmarks" / "probe_explorer.py"
BEFORE_DIR = ROOT / "build" / "bench-before"
TARGETS = {
    "first picture s": 0.5, "voila interactive s": 5.0,
    "slider median ms": 50, "slider p95 ms": 100, "notebook suite s": 120,
    "ratio tiny": 0.5, "ratio medium": 1.0, "sweep speedup": 10,
}


def explorer_names():
    """(module, name) of every explorer: the EXPLORERS dicts of helpers.explore_* modules."""
    names = []
    for module_info in pkgutil.iter_modules(helpers.classroom.__path__):  # the explorers live in the classroom layer
        if module_info.name.startswith("explore_"):
            module = importlib.import_module(f"helpers.classroom.{module_info.name}")
            names += [(f"classroom.{module_info.name}", name) for name in getattr(module, "EXPLORERS", {})]
    return sorted(names, key=lambda pair: pair[1])


def checkout_helpers(revision):
    """The helpers package of a git revision, extracted (git archive) under build/bench-before; its path."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = BEFORE_DIR / commit
    if not (target / "helpers").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "helpers"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return commit, target


def probe(module, name, helpers_root=None):
    """Run benchmarks/probe_explorer.py in a fresh process; helpers_root first on sys.path if given."""
    env = dict(os.environ)
    if helpers_root is not None:
        env["PYTHONPATH"] = str(helpers_root)
    completed = subprocess.run([sys.executable, str(PROBE), module, name], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=900)
    if completed.returncode != 0:
        raise RuntimeError(f"probe {name} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def import_time(helpers_root=None, repeats=3):
    """Median time of `import helpers` (the package alone) in a fresh process."""
    env = dict(os.environ)
    if helpers_root is not None:
        env["PYTHONPATH"] = str(helpers_root)
    code = "import time; t = time.perf_counter(); import helpers; print(time.perf_counter() - t)"
    # cwd outside the repo: with `-c`, sys.path[0] is the cwd, which would shadow PYTHONPATH's older helpers.
    samples = [float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                    check=True, cwd=tempfile.gettempdir()).stdout) for _ in range(repeats)]
    return round(float(np.median(samples)), 3)


MEASURES = ("import_s", "first_picture_s", "all_ready_s", "slider_median_ms", "slider_p95_ms", "slider_ready_median_ms",
            "slider_ready_p95_ms")


def explorer_timings(revision=None, repeats=3):
    """Every explorer probed `repeats` times (medians), ours and, with a revision, the old one interleaved."""
    before_root = checkout_helpers(revision)[1] if revision else None
    ours, before = {}, {}
    for module, name in explorer_names():
        print(f"  {name} ...", flush=True)
        runs, old_runs = [], []
        for _ in range(repeats):  # interleaved, so both see the same machine load
            runs.append(probe(module, name))
            if before_root is not None:
                old_runs.append(probe(module, name, before_root))
        ours[name] = _medians(runs)
        if old_runs:
            before[name] = _medians(old_runs)
    return ours, before


def _medians(runs):
    out = {key: round(float(np.median([run[key] for run in runs])), 3 if key.endswith("_s") else 1)
           for key in MEASURES}
    out["events"] = runs[0]["events"]
    out["runs"] = len(runs)
    return out


def lab_fresh_clone(revision, timeout=600):
    """Seconds from `make lab` in a fresh clone at `revision` until the server answers /api/status."""
    work = Path(tempfile.mkdtemp(prefix="bench-lab-"))
    try:
        clone = work / "clone"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "checkout", "--quiet", revision], cwd=clone, check=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["JUPYTER_RUNTIME_DIR"] = str(work / "runtime")
        env["JUPYTER_CONFIG_DIR"] = str(work / "config")
        log = open(work / "make-lab.log", "wb")  # noqa: SIM115 - closed below
        start = time.perf_counter()
        process = subprocess.Popen(["make", "lab", f"PORT={port}", "PYTHON=python3"], cwd=clone, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while time.perf_counter() - start < timeout:
                if process.poll() is not None:
                    raise RuntimeError(f"make lab exited: {(work / 'make-lab.log').read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2):
                        pass
                    return round(time.perf_counter() - start, 1)
                except urllib.error.HTTPError:  # 403 without a token: the server answers
                    return round(time.perf_counter() - start, 1)
                except OSError:
                    time.sleep(0.25)
            raise RuntimeError("make lab did not answer in time")
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)
            log.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
        module = importlib.import_module("helpers.classroom.explore_phase")
    except ImportError:
        return 300
    return int(getattr(module, "N_STEPS", 300))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-suite", action="store_true", help="do not time the notebook suite")
    parser.add_argument("--compare", metavar="REV", help="also probe the explorers of git revision REV, side by side")
    parser.add_argument("--lab", action="store_true", help="time `make lab` in fresh clones (HEAD, and REV)")
    parser.add_argument("--explorers-only", action="store_true", help="only the explorer probes (and --lab)")
    parser.add_argument("--repeats", type=int, default=3, help="probe runs per explorer (medians)")
    args = parser.parse_args()
    results = {"machine": {"python": platform.python_version(), "numpy": np.__version__, "threads": 1,
                           "cpus": os.cpu_count(), "platform": platform.platform()}}
    if RESULTS.exists():  # keep what this run does not measure (e.g. the browser's Voila time)
        previous = json.loads(RESULTS.read_text())
        for key in ("voila", "lab_fresh_clone_s", "train_step_ratio_vs_torch", "train_step_detail",
                    "sweep_speedup_vs_loop", "sweep_detail", "notebook_suite_s", "notebook_suite_detail"):
            if key in previous:
                results[key] = previous[key]
    print("explorers, each in a fresh process ...", flush=True)
    ours, before = explorer_timings(args.compare, args.repeats)
    results["explorers"] = ours
    results["slider_latency_ms"] = {name: {"median": r["slider_median_ms"], "p95": r["slider_p95_ms"],
                                           "events": r["events"]} for name, r in ours.items()}
    results["import_helpers_s"] = import_time()
    if args.compare:
        commit, root = checkout_helpers(args.compare)
        results["before"] = {"revision": commit, "explorers": before, "import_helpers_s": import_time(root)}
        results["ratios_after_over_before"] = {
            name: {key: round(ours[name][key] / before[name][key], 2) for key in MEASURES if before[name][key]}
            for name in ours if name in before}
    if args.lab:
        print("make lab in fresh clones ...", flush=True)
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        lab = {head: lab_fresh_clone(head)}
        if args.compare:
            lab[results["before"]["revision"]] = lab_fresh_clone(args.compare)
        results["lab_fresh_clone_s"] = lab
    if args.explorers_only:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print_table(results)
        return
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
    before = results.get("before", {}).get("explorers", {})
    for name, r in results["explorers"].items():
        old = before.get(name)
        was = (lambda key, old=old: f" (was {old[key]})") if old else (lambda key: "")
        rows.append((f"{name} first picture", f"{r['first_picture_s']} s{was('first_picture_s')}", "<= 0.5 s"))
        rows.append((f"{name} all positions ready", f"{r['all_ready_s']} s{was('all_ready_s')}", ""))
        rows.append((f"{name} slider event", f"median {r['slider_median_ms']} ms{was('slider_median_ms')}, "
                     f"p95 {r['slider_p95_ms']} ms{was('slider_p95_ms')} ({r['events']} events)", "<= 50 / 100 ms"))
        rows.append((f"{name} slider event, all ready", f"median {r['slider_ready_median_ms']} ms"
                     f"{was('slider_ready_median_ms')}, p95 {r['slider_ready_p95_ms']} ms{was('slider_ready_p95_ms')}",
                     "<= 50 / 100 ms"))
        rows.append((f"{name} import (fresh process)", f"{r['import_s']} s{was('import_s')}", ""))
    old_import = results.get("before", {}).get("import_helpers_s")
    rows.append(("import helpers", f"{results['import_helpers_s']} s" + (f" (was {old_import})" if old_import else ""),
                 ""))
    for revision, seconds in results.get("lab_fresh_clone_s", {}).items():
        rows.append((f"make lab, fresh clone at {revision}, until the server answers", f"{seconds} s", ""))
    if "voila" in results:
        v = results["voila"]
        rows.append(("Voila classroom page: navigation to a picture that answers a key press",
                     f"{v['interactive_s']} s (browser test)", "<= 5 s"))
    if "train_step_ratio_vs_torch" in results:
        for case, r in results["train_step_detail"].items():
            rows.append((f"train step {case} {r['sizes']} batch {r['batch']}",
                         f"{r['ratio']} (ours {r['ours_us']} us, torch {r['torch_us']} us)",
                         f"<= {TARGETS['ratio ' + case]}"))
    s = results.get("sweep_detail")
    if s:
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
