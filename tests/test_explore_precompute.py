"""Explorers are ready at once: the first picture first, the other slider positions in a background thread.

What is checked here (no timing: `make bench` measures the times):
- whatever the background thread computed is bit for bit what computing on demand gives;
- the first picture, and what a stored notebook keeps, never depends on the thread's timing;
- a position the thread has not reached is computed on the spot; an error there reaches the caller;
- the thread prints nothing.
"""

import dataclasses
import threading
import time

import numpy as np
import pytest

from helpers.classroom import (
    explore_gd,
    explore_momentum,
    explore_neuron,
    explore_noise,
    explore_phase,
    explore_rmsprop,
    explore_saddle,
)
from helpers.classroom.live import Precomputed, background_disabled, slider_positions

FACTORIES = {**explore_gd.EXPLORERS, **explore_neuron.EXPLORERS, **explore_phase.EXPLORERS,
             **explore_rmsprop.EXPLORERS, **explore_noise.EXPLORERS, **explore_momentum.EXPLORERS,
             **explore_saddle.EXPLORERS}
THREADED = sorted(name for name in FACTORIES if name != "01_single_neuron_xor")


def assert_identical(a, b, where="value"):
    """Equal bit for bit (NaN equal to NaN), through dicts, tuples, lists and dataclasses."""
    if dataclasses.is_dataclass(a):
        assert type(a) is type(b), where
        for field in dataclasses.fields(a):
            assert_identical(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_identical(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_identical(x, y, f"{where}[{i}]")
    else:
        x, y = np.asarray(a), np.asarray(b)
        assert x.dtype == y.dtype and x.shape == y.shape, where
        if x.dtype.kind == "f":
            assert np.array_equal(np.ascontiguousarray(x).view(np.uint8), np.ascontiguousarray(y).view(np.uint8)), \
                f"{where} differs in its bits"
        else:
            assert np.array_equal(x, y), f"{where} differs"


def positions(explorer):
    """The events `make bench` sends: every control over >= 30 positions, the others at their defaults."""
    defaults = explorer.values()
    for name, control in explorer.controls.items():
        for value in slider_positions(control, 30):
            yield {**defaults, name: value}


@pytest.mark.parametrize("name", THREADED)
def test_what_the_background_computed_equals_computing_on_demand(name):
    threaded = FACTORIES[name]()
    first_png = threaded.png
    assert threaded.precomputed, f"{name} hands nothing to the background thread"
    assert not all(job.n_done == len(job) for job in threaded.precomputed), "everything was computed up front"
    assert threaded.wait_ready(timeout=300), "the background thread did not finish"
    with background_disabled():
        on_demand = FACTORIES[name]()
    assert on_demand.png == first_png, "the first picture depends on the background thread"
    assert on_demand.wait_ready(timeout=300)  # without a thread: every chunk computed here, in this thread
    for job, reference in zip(threaded.precomputed, on_demand.precomputed, strict=True):
        assert job.chunks == reference.chunks
        for chunk in job.chunks:
            assert_identical(job.peek(chunk), reference.peek(chunk), f"{name} chunk {chunk!r}")
    # And the pictures: the same events give the same bytes.
    for values in positions(threaded):
        assert threaded.render(**values) == on_demand.render(**values), (name, values)


@pytest.mark.parametrize("name", THREADED)
def test_an_event_before_the_thread_gets_there_computes_on_the_spot(name):
    with background_disabled():  # no thread at all: every position not in the first picture is missing
        explorer = FACTORIES[name]()
    missing_before = sum(len(job.missing()) for job in explorer.precomputed)
    assert missing_before > 0
    for values in list(positions(explorer))[::7]:
        png = explorer.render(**values)
        assert png.startswith(b"\x89PNG") and explorer.error is None
    assert sum(len(job.missing()) for job in explorer.precomputed) < missing_before


@pytest.mark.parametrize("name", THREADED)
def test_the_stored_picture_does_not_change_when_the_thread_finishes(name):
    # nbconvert stores the Image widget's value at the end of a run: it must be the first picture.
    explorer = FACTORIES[name]()
    stored, status = explorer.image.value, explorer.status.value
    assert explorer.wait_ready(timeout=300)
    time.sleep(0.05)
    assert explorer.image.value == stored and explorer.status.value == status
    assert explorer._repr_mimebundle_()["image/png"]


def test_the_phase_map_blocks_are_the_whole_grid_sweep_of_notebook_06():
    # Notebook 06 prints regime counts from one sweep of all 900 cells; the explorer's map, trained in
    # blocks, must show those same runs.
    result, classes = explore_phase.phase_sweep()
    size = explore_phase.ROWS_PER_BLOCK * explore_phase.LEARNING_RATES.size
    for k in range(explore_phase.DECAYS.size // explore_phase.ROWS_PER_BLOCK):
        losses, block = explore_phase.phase_block(k)
        part = slice(k * size, (k + 1) * size)
        assert_identical(losses, result.losses[:, part], f"block {k} losses")
        assert_identical(block.regime, classes.regime[part], f"block {k} regimes")
        assert_identical(block.diverged_at, classes.diverged_at[part], f"block {k} diverged_at")


def test_the_xor_blocks_equal_one_sweep_of_every_learning_rate():
    # The faint curves and the regime strip come from blocks of 8; one sweep of all must agree bit for bit.
    lrs = np.geomspace(1e-3, 10.0, 20)
    blocks = explore_gd.XorSweep(lrs, chunk_size=8)
    whole = explore_gd.XorSweep(lrs, chunk_size=len(lrs))
    for lr in lrs:
        assert_identical(blocks.run(lr), whole.run(lr), f"lr {lr}")


def test_precomputed_waits_for_the_thread_and_reports_errors_in_the_caller():
    started, release = threading.Event(), threading.Event()
    calls = []

    def compute(chunk):
        calls.append(chunk)
        if chunk == "slow":
            started.set()
            release.wait(5)
        if chunk == "bad":
            raise ValueError("bad chunk")
        return np.full(3, float(len(chunk)))

    job = Precomputed(compute, ["slow", "bad", "ok"])
    thread = threading.Thread(target=lambda: [job._fill_one() for _ in range(4)])
    thread.start()
    assert started.wait(5)
    waiter = threading.Thread(target=lambda: calls.append(("got", job.get("slow")[0])))
    waiter.start()
    time.sleep(0.05)
    release.set()
    waiter.join(5)
    thread.join(5)
    assert calls.count("slow") == 1, "get() computed a chunk the thread was computing"
    assert ("got", 4.0) in calls
    assert job.ready and job.missing() == ["bad"]
    with pytest.raises(ValueError, match="bad chunk"):  # failed in the thread: raised here, in the caller
        job.get("bad")
    assert job.get("off the list")[0] == 12.0 and job.done("off the list")


def test_the_background_thread_prints_nothing(capfd):
    explorer = FACTORIES["04_xor_learning_rate"](learning_rate=10.0)  # diverging runs: overflow in numpy
    assert explorer.wait_ready(timeout=300)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_precomputed_rejects_a_compute_that_is_not_a_function():
    with pytest.raises(TypeError, match="compute"):
        Precomputed(42, [1, 2])


@pytest.mark.parametrize("name", ["06_phase_map", "05_rotated_valley"])
def test_make_execute_stores_the_finished_picture(name, monkeypatch):
    """With HELPERS_COMPLETE_PICTURES=1 (make execute) the saved fallback picture is the finished one:
    the same bytes as an explorer that computed every position before it was displayed."""
    import base64

    from helpers.classroom.live import COMPLETE_PICTURES

    with background_disabled():
        finished = FACTORIES[name]()
        first = finished.png
        finished.wait_ready()
        finished._complete_stored_picture()
    assert finished.png != first  # the first picture is partly filled in: the test has something to see
    monkeypatch.setenv(COMPLETE_PICTURES, "1")
    with background_disabled():
        stored = FACTORIES[name]()
        bundle = stored._repr_mimebundle_()
    assert stored.ready
    assert base64.b64decode(bundle["image/png"]) == finished.png
    assert stored.image.value == finished.png


def test_no_background_thread_where_python_has_no_threads(monkeypatch):
    """Pyodide (the offline site) cannot start a thread: there explorers compute every position on demand."""
    from helpers.classroom import live

    assert live._threads_available(), "this machine's Python starts threads"
    monkeypatch.setattr(live.sys, "platform", "emscripten")
    assert not live._threads_available()
