"""Notebook 08's surfaces, the Adam ablation and the saddle explorer, against independent loops and formulas."""

import numpy as np
import pytest

from helpers import optimizers, surfaces
from helpers.classroom import explore_saddle
from helpers.classroom.live import background_disabled
from helpers.data import xor
from helpers.network import MLP
from helpers.sweep import sweep_mlp, sweep_paths


def central_difference(f, point, h=1e-6):
    point = np.asarray(point, dtype=np.float64)
    grad = np.zeros(2)
    for i in range(2):
        step = np.zeros(2)
        step[i] = h
        grad[i] = (f(point + step) - f(point - step)) / (2 * h)
    return grad


@pytest.mark.parametrize("surface", [surfaces.Saddle(1.0, 0.1), surfaces.Saddle(3.0, 0.02), surfaces.Shelf(),
                                     surfaces.Shelf(2.0, 8.0, 0.01, 1.0, 3.0)], ids=lambda s: s.name)
def test_gradients_match_centred_differences(surface):
    for point in ([-1.5, 0.5], [-0.05, -0.3], [0.0, 0.0], [0.2, 0.7], [1.4, -0.1], [-30.0, 2.0]):
        numeric = central_difference(lambda p: float(surface.value(p)), point)
        np.testing.assert_allclose(surface.gradient(point), numeric, rtol=1e-6, atol=1e-8)


def test_the_default_saddle_is_the_old_one():
    p = np.array([[0.3, -0.7], [2.0, 1.0]])
    np.testing.assert_array_equal(surfaces.saddle().value(p), 0.5 * (p[:, 0] ** 2 - p[:, 1] ** 2))
    np.testing.assert_array_equal(surfaces.saddle().gradient(p), np.stack([p[:, 0], -p[:, 1]], axis=-1))


def test_the_shelf_is_flat_then_drops_then_has_one_minimum():
    s = surfaces.Shelf()
    xs = np.linspace(-2.0, s.minimum[0] - 1e-3, 2001)
    slope = s.gradient(np.stack([xs, np.zeros_like(xs)], axis=-1))[:, 0]
    assert np.all(slope < 0)  # downhill all the way to the minimum: no other minimum
    assert np.max(np.abs(slope[xs < -1.0])) < 0.015  # the shelf: tiny slopes
    assert np.min(slope) < -2.0  # the drop: slopes over 2
    assert np.abs(s.gradient(s.minimum)).max() < 1e-12
    assert abs(s.minimum[0] - 1.5) < 1e-3


def test_gd_saddle_steps_is_the_count_of_a_gd_loop():
    for learning_rate, b, y0 in [(0.1, 0.1, 1e-3), (0.5, 0.02, 1e-5), (1.0, 1.0, 0.3)]:
        y, t = y0, 0
        while abs(y) < 1.0:
            y -= learning_rate * (-b * y)  # GD on -b y^2 / 2
            t += 1
        assert t == int(np.ceil(explore_saddle.gd_saddle_steps(learning_rate, b, y0)))


def test_steps_to_escape_reads_the_first_step_out():
    paths = np.zeros((5, 3, 2))
    paths[2:, 0, 1] = 1.0      # out at step 2
    paths[4, 1, 1] = -1.5      # out at step 4 (downwards)
    assert list(explore_saddle.steps_to_escape(paths, "saddle")) == [2, 4, -1]
    paths[3:, 2, 0] = 0.31     # past the drop at step 3
    assert list(explore_saddle.steps_to_escape(paths, "shelf")) == [-1, -1, 3]


def plain_loop(surface, optimizer, start, n_steps):
    p = {"p": np.array(start, dtype=np.float64)}
    path = [p["p"].copy()]
    for _ in range(n_steps):
        optimizer.step(p, {"p": surface.gradient(p["p"])})
        path.append(p["p"].copy())
    return np.array(path)


@pytest.mark.parametrize("surface_name", ["saddle", "shelf"])
def test_the_explorer_plots_the_paths_of_plain_optimizer_loops(surface_name):
    with background_disabled():
        explorer = explore_saddle.make_saddle_explorer(surface=surface_name, learning_rate=0.1, decay=0.9, offset=0.01)
    surface = explore_saddle.saddle_surfaces()[surface_name]
    start = explore_saddle.start_point(surface_name, 0.01)
    references = {"GD": optimizers.GradientDescent(0.1), "Adagrad": optimizers.Adagrad(0.1, eps=1e-8),
                  "RMSprop": optimizers.RMSprop(0.1, decay=0.9), "Adam": optimizers.Adam(0.1, beta1=0.9, beta2=0.9)}
    lines = dict(zip(explore_saddle.NAMES, [line for line in explorer.live_figure.figure.axes[0].lines
                                            if line.get_label() in explore_saddle.NAMES], strict=True))
    for name, opt in references.items():
        path = plain_loop(surface, opt, start, explore_saddle.STEPS)
        x, y = lines[name].get_data()
        n = len(x)
        assert n > 1
        np.testing.assert_allclose(x, path[:n, 0], rtol=1e-6, atol=1e-7)  # the explorer stores float32
        np.testing.assert_allclose(y, path[:n, 1], rtol=1e-6, atol=1e-7)


def test_default_status_gives_the_escape_counts_and_gd_formula():
    with background_disabled():
        explorer = explore_saddle.make_saddle_explorer()
    status = explorer.status.value
    assert "GD leaves the saddle after 695 steps" in status and "694.2" in status
    assert "RMSprop leaves the saddle after 4 steps" in status


def test_the_largest_learning_rate_says_diverged_without_a_traceback():
    with background_disabled():
        explorer = explore_saddle.make_saddle_explorer()
    explorer.render(learning_rate=explorer.controls["learning_rate"].value * 0 + 3.0)
    assert "diverged" in explorer.status.value and explorer.error is None
    explorer.render(surface="shelf", offset=1.0)
    assert explorer.error is None


def test_rmsprop_leaves_the_saddle_between_its_two_bounds():
    # eta <= RMSprop's step along y <= eta / sqrt(1 - rho): steps to escape between the two counts.
    learning_rates = np.array([0.01, 0.03, 0.1])
    for rho in (0.0, 0.9, 0.99):
        result = sweep_paths(surfaces.Saddle(1.0, 0.1), learning_rates, np.full(3, rho), start=(1.0, 1e-3),
                             n_steps=200, escape_radius=1e12)
        escaped = explore_saddle.steps_to_escape(result.paths, "saddle")
        assert np.all(escaped <= np.ceil((1 - 1e-3) / learning_rates))
        assert np.all(escaped >= np.floor(np.sqrt(1 - rho) * (1 - 1e-3) / learning_rates))


def adam_without_correction(grads, learning_rate, beta1, beta2, eps):
    """The written-out formula: m, v averages from zero, step eta m / (sqrt(v) + eps), no 1 - beta^t."""
    theta, m, v, path = np.zeros_like(grads[0]), np.zeros_like(grads[0]), np.zeros_like(grads[0]), []
    for g in grads:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        theta = theta - learning_rate * m / (np.sqrt(v) + eps)
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("scale", [1e-5, 1e-2, 1.0, 10.0])
def test_adam_without_bias_correction_is_its_written_formula(scale):
    grads = np.random.default_rng(3).normal(size=(30, 4)) * scale
    opt, p, path = optimizers.Adam(0.01, beta1=0.8, beta2=0.99, bias_correction=False), {"p": np.zeros(4)}, []
    for g in grads:
        opt.step(p, {"p": g})
        path.append(p["p"].copy())
    np.testing.assert_allclose(np.array(path), adam_without_correction(grads, 0.01, 0.8, 0.99, 1e-8), rtol=1e-12)
    first = adam_without_correction(grads[:1], 1.0, 0.8, 0.99, 0.0)[0]
    corrected = optimizers.Adam(1.0, beta1=0.8, beta2=0.99, eps=0.0)
    q = {"p": np.zeros(4)}
    corrected.step(q, {"p": grads[0]})
    np.testing.assert_allclose(first / q["p"], 0.2 / np.sqrt(0.01), rtol=1e-12)  # (1 - b1) / sqrt(1 - b2)


def test_the_sweep_runs_adam_without_correction_and_adagrad_like_loops():
    X, y = xor()
    for optimizer, kwargs, make in [("adam", {"bias_correction": False},
                                     lambda lr, d: optimizers.Adam(lr, beta2=d, bias_correction=False)),
                                    ("adagrad", {}, lambda lr, d: optimizers.Adagrad(lr, eps=1e-8))]:
        lrs = np.array([0.01, 0.1])
        decays = None if optimizer == "adagrad" else np.array([0.99, 0.9])
        result = sweep_mlp(X, y, lrs, decays, optimizer=optimizer, n_steps=20, **kwargs)

        for i, lr in enumerate(lrs):
            net = MLP((2, 8, 1), hidden="tanh", output="sigmoid", seed=0)
            opt = make(lr, None if decays is None else decays[i])
            for _ in range(20):
                _, grads = net.loss_and_grads(X, y, loss="mse")
                opt.step(net.params, grads)
            for name in net.params:
                np.testing.assert_allclose(result.params[name][i], net.params[name], rtol=1e-9, atol=1e-12)


def test_sweep_paths_per_configuration_starts_equal_separate_runs():
    s = surfaces.Shelf()
    starts = np.array([[-1.0, 0.5], [-0.01, 0.2]])
    both = sweep_paths(s, [0.1, 0.1], None, optimizer="adagrad", start=starts, n_steps=50)
    for i in range(2):
        alone = sweep_paths(s, [0.1], None, optimizer="adagrad", start=starts[i], n_steps=50)
        np.testing.assert_array_equal(both.paths[:, i], alone.paths[:, 0])
