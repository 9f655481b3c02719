"""The mini-batch explorer of notebook 07: every slider position draws, its curves are those of a plain loop."""

import numpy as np
import pytest

from helpers.classroom import live
from helpers.classroom.explore_noise import (
    BATCH_SIZES,
    EXPLORERS,
    N_SAMPLES,
    N_STEPS,
    learning_rate_grid,
    make_noise_explorer,
    noise_data,
    noise_runs,
)
from helpers.data import minibatch_indices
from helpers.network import MLP
from helpers.optimizers import Adam, GradientDescent, Momentum, RMSprop

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    with live.background_disabled():
        return EXPLORERS["07_minibatch_noise"]()


def loop_losses(batch_size, opt):
    """The loss on all 64 samples along a plain loop of MLP + one optimizer on the explorer's batches."""
    X, y = noise_data()
    net = MLP([2, 8, 1], seed=0)
    rows = (minibatch_indices(N_SAMPLES, batch_size, N_STEPS, seed=0) if batch_size < N_SAMPLES
            else [slice(None)] * N_STEPS)
    losses = []
    for batch in rows:
        losses.append(net.loss(X, y, loss="bce"))
        opt.step(net.params, net.loss_and_grads(X[batch], y[batch], loss="bce")[1])
    losses.append(net.loss(X, y, loss="bce"))
    return np.array(losses)


def test_the_controls_span_full_batch_to_one_and_the_usual_ranges(explorer):
    controls = explorer.controls
    assert [value for _, value in controls["batch_size"].options] == list(BATCH_SIZES) == [64, 32, 16, 8, 4, 2, 1]
    assert live.slider_positions(controls["decay"])[-1] == 0.999 and 0.9 in live.slider_positions(controls["decay"])
    assert np.allclose(learning_rate_grid()[[0, -1]], [1e-3, 1.0])


@pytest.mark.parametrize("batch_size", [64, 8, 1])
def test_the_plotted_curves_are_a_plain_loop_on_the_same_batches(explorer, batch_size):
    eta = learning_rate_grid()[6]  # 0.0158: no run is chaotic here
    explorer.render(batch_size=batch_size, learning_rate=float(eta), decay=0.9)
    ax_loss = explorer.live_figure.figure.axes[0]
    lines = {line.get_label(): line.get_ydata() for line in ax_loss.get_lines() if line.get_label() in
             ("GD", "Momentum", "RMSprop", "Adam")}
    references = {"GD": GradientDescent(eta), "Momentum": Momentum(eta, momentum=0.9),
                  "RMSprop": RMSprop(eta, decay=0.9), "Adam": Adam(eta)}
    for name, opt in references.items():
        reference = loop_losses(batch_size, opt)
        assert np.max(np.abs(lines[name] - reference) / reference) < 1e-9, name


@pytest.mark.parametrize("name", ["batch_size", "learning_rate", "decay"])
def test_every_position_of_every_slider_draws_a_picture(explorer, name):
    explorer.render(batch_size=8, learning_rate=float(learning_rate_grid()[8]), decay=0.9)
    previous, seen = None, None
    for value in live.slider_positions(explorer.controls[name], 30):
        png = explorer.render(**{name: value})
        assert png.startswith(PNG) and explorer.error is None
        assert "Final loss on all 64 samples" in explorer.status.value
        # η snaps to the nearest of the 16 grid values: a new grid value must change the picture
        where = int(np.argmin(np.abs(np.log10(learning_rate_grid() / value)))) if name == "learning_rate" else value
        if previous is not None and where != seen:
            assert png != previous, value
        previous, seen = png, where


def test_large_steps_say_diverged_in_words(explorer):
    explorer.render(batch_size=1, learning_rate=1.0, decay=0.999)
    assert "diverged" in explorer.status.value and "Traceback" not in explorer.status.value
    explorer.render(batch_size=64, learning_rate=float(learning_rate_grid()[6]), decay=0.9)
    assert "diverged" not in explorer.status.value


def test_a_position_computed_on_the_spot_equals_the_background_one():
    direct = noise_runs(4, "rmsprop", 0.99)
    again = noise_runs(4, "rmsprop", 0.99)
    assert all(np.array_equal(direct[k], again[k], equal_nan=True) for k in direct)
    assert direct["losses"].shape == (N_STEPS + 1, learning_rate_grid().size)


def test_bad_arguments_are_refused_with_clear_messages():
    with pytest.raises(ValueError, match=r"batch_size must be one of \(64, 32"):
        make_noise_explorer(batch_size=3)
    with pytest.raises(ValueError, match=r"learning_rate must lie in \[0.001, 1\]"):
        make_noise_explorer(learning_rate=5.0)
    with pytest.raises(TypeError, match="learning_rate must be a real number"):
        make_noise_explorer(learning_rate="0.1")
    with pytest.raises(ValueError, match=r"decay must be in \[0, 1\)"):
        make_noise_explorer(decay=1.0)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        noise_runs(8, "sgd", 0.9)
    with pytest.raises(ValueError, match="batch_size must be one of"):
        noise_runs(True, "gd", 0.9)


def test_the_learning_rate_grid_is_what_the_slider_can_reach(explorer):
    control = explorer.controls["learning_rate"]
    n = round((control.max - control.min) / control.step) + 1
    reachable = [float(control.base**e) for e in np.linspace(control.min, control.max, n)]
    assert np.array_equal(learning_rate_grid(), reachable)
