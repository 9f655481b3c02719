"""The explorer and the theory of notebook 06b: heavy ball's roots, bound and optimum, and the (η, μ) map.

Expected values come from independent computations: the heavy-ball recursion written out here in plain
Python floats, numpy's eigenvalues of the 2 x 2 iteration matrix, bisection on the roots, and the plain
one-configuration loop (helpers.optimizers.Momentum), never from the stacked sweep the explorer uses.
"""

import html
import math

import numpy as np
import pytest

from helpers.classroom import live
from helpers.classroom.explore_momentum import (
    EXPLORERS,
    KAPPA,
    N_STEPS,
    START,
    MomentumSweep,
    classify_paths,
    heavy_ball_roots,
    make_momentum_map_explorer,
    optimal_momentum,
    spectral_radius,
    stability_bound,
)
from helpers.classroom.live import Explorer, slider_positions
from helpers.optimizers import Momentum
from helpers.surfaces import ill_conditioned_quadratic

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def explorer():
    with live.background_disabled():
        return make_momentum_map_explorer()


def status(ex):
    return html.unescape(ex.status.value)


def loop_path(learning_rate, momentum, n_steps=N_STEPS):
    """buf <- mu buf + g; theta <- theta - eta buf on (x² + 25 y²)/2, in plain Python floats; stops past |θ| > 1e3."""
    x, y = float(START[0]), float(START[1])
    bx = by = 0.0
    path = [(x, y)]
    for _ in range(n_steps):
        bx, by = momentum * bx + x, momentum * by + KAPPA * y
        x, y = x - learning_rate * bx, y - learning_rate * by
        if not math.hypot(x, y) <= 1e3:
            return np.array(path), len(path)
        path.append((x, y))
    return np.array(path), -1


def test_registered():
    assert EXPLORERS == {"06b_momentum_map": make_momentum_map_explorer}


def test_default_picture_and_labels(explorer):
    assert isinstance(explorer, Explorer) and explorer.png.startswith(PNG) and explorer.name == "06b_momentum_map"
    assert explorer.controls["learning_rate"].description == "η learning rate"
    assert explorer.controls["momentum"].description == "μ momentum"
    words = status(explorer)
    assert "Converges" in words and "0.949" in words and "η* = 0.111" in words


@pytest.mark.parametrize(("learning_rate", "momentum"), [(0.05, 0.9), (0.1, 0.369043), (0.001, 0.0), (0.2, 0.498813)])
def test_the_plotted_path_is_an_independent_loop(explorer, learning_rate, momentum):
    learning_rate = min(slider_positions(explorer.controls["learning_rate"], 30),
                        key=lambda v: abs(math.log(v / learning_rate)))
    explorer.render(learning_rate=learning_rate, momentum=momentum)
    path_line = explorer.live_figure.artists[0]
    expected, diverged_at = loop_path(learning_rate, momentum)
    drawn = np.column_stack([path_line.get_xdata(), path_line.get_ydata()])
    assert drawn.shape == expected.shape
    np.testing.assert_allclose(drawn, expected, rtol=1e-9, atol=1e-12)
    words = status(explorer)
    if diverged_at >= 0:
        assert f"diverged at step {diverged_at}" in words
    else:
        assert "diverged" not in words


def test_the_sweep_equals_helpers_momentum_step_by_step():
    sweep = MomentumSweep([0.02, 0.05], [0.9])
    surface = ill_conditioned_quadratic(KAPPA)
    for learning_rate in (0.02, 0.05):
        path, values, diverged_at, regime = sweep.run(learning_rate, 0.9)
        opt, params = Momentum(learning_rate, momentum=0.9), {"p": START.copy()}
        for t in range(1, 40):
            opt.step(params, {"p": surface.gradient(params["p"])})
            np.testing.assert_allclose(path[t], params["p"], rtol=1e-12, atol=1e-15)
        assert diverged_at == -1 and regime == 0


def test_extreme_learning_rate_says_diverged(explorer):
    explorer.render(learning_rate=1.0, momentum=0.9)
    words = status(explorer)
    assert "diverged at step" in words and "above 2(1 + μ) = 3.8" in words and explorer.error is None


def test_every_slider_position_draws(explorer):
    for name, control in explorer.controls.items():
        for value in slider_positions(control, 30):
            assert explorer.render(**{name: value}).startswith(PNG)
            assert explorer.error is None and status(explorer)
    explorer.render(learning_rate=0.05, momentum=0.9)


def test_roots_are_the_eigenvalues_of_the_iteration_matrix():
    rng = np.random.default_rng(3)
    for _ in range(50):
        eta, mu, lam = rng.uniform(1e-3, 1.0), rng.uniform(0.0, 0.999), rng.uniform(0.1, 50.0)
        matrix = np.array([[1 + mu - eta * lam, -mu], [1.0, 0.0]])
        expected = np.sort_complex(np.linalg.eigvals(matrix).astype(complex))
        np.testing.assert_allclose(np.sort_complex(heavy_ball_roots(eta, mu, lam)), expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("momentum", [0.0, 0.3, 0.9, 0.99])
@pytest.mark.parametrize("curvature", [1.0, 25.0])
def test_the_stability_bound_is_where_a_root_reaches_the_unit_circle(momentum, curvature):
    low, high = 1e-9, 10.0
    for _ in range(200):  # bisection on the largest modulus of the roots: independent of the closed form
        mid = (low + high) / 2
        low, high = (mid, high) if np.abs(heavy_ball_roots(mid, momentum, curvature)).max() < 1 else (low, mid)
    assert stability_bound(momentum, curvature) == pytest.approx(low, rel=1e-9)
    assert stability_bound(momentum, curvature) == pytest.approx(2 * (1 + momentum) / curvature, rel=1e-12)


def test_a_run_just_inside_the_bound_converges_and_just_outside_diverges():
    for momentum in (0.0, 0.5, 0.9):
        bound = 2 * (1 + momentum) / KAPPA
        for factor, converges in ((0.97, True), (1.03, False)):
            previous = theta = 1.0
            for _ in range(3000):
                previous, theta = theta, (1 + momentum - factor * bound * KAPPA) * theta - momentum * previous
                if abs(theta) > 1e7:
                    break
            assert (abs(theta) < 1e-6) == converges and (abs(theta) > 1e6) == (not converges)


def test_the_optimum_puts_a_double_root_at_both_ends():
    for kappa in (4.0, 25.0, 100.0, 400.0):
        eta, mu, rate = optimal_momentum(kappa)
        assert rate == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), rel=1e-12)
        assert mu == pytest.approx(rate**2, rel=1e-12)
        for lam in (1.0, kappa):
            s = 1 + mu - eta * lam
            assert abs(s * s - 4 * mu) < 1e-9  # double root
        # no pair of a fine grid beats it
        etas, mus = np.meshgrid(np.geomspace(eta / 2, eta * 2, 201), np.linspace(0, 0.999, 201))
        assert spectral_radius(etas, mus, [1.0, kappa]).min() >= rate - 1e-12


def test_spectral_radius_broadcasts_and_is_the_largest_root():
    radius = spectral_radius(np.array([0.01, 0.1, 1.0])[:, None], np.array([0.0, 0.9]), [1.0, 25.0])
    assert radius.shape == (3, 2)
    assert radius[0, 0] == pytest.approx(0.99)  # mu = 0: max |1 - eta lambda| = 1 - 0.01
    assert radius[2, 0] == pytest.approx(24.0)  # |1 - 25|
    assert radius[1, 1] == pytest.approx(math.sqrt(0.9))  # both directions complex at eta = 0.1, mu = 0.9


def test_classify_paths():
    values = np.array([[1.0, 1.0, 1.0], [1e-9, 0.5, 1e-9], [1e-10, 0.4, 1e-12]])
    assert classify_paths(values, np.array([-1, -1, 2])).tolist() == [0, 1, 2]


def test_the_maps_diverged_cells_are_the_unstable_ones(explorer):
    explorer.wait_ready()
    sweep = explorer.sweep
    assert len(sweep.precomputed.chunks) == 31
    for mu in sweep.precomputed.chunks:
        row = sweep.precomputed.peek(mu)
        unstable = spectral_radius(sweep.learning_rates, mu, [1.0, KAPPA]) > 1
        np.testing.assert_array_equal(row["regime"] == 2, unstable)


def test_momentum_slider_is_even_in_log_one_minus_mu():
    control = live.momentum_slider()
    values = [v for _, v in control.options]
    assert values[0] == 0.0 and 0.9 in values and 0.99 in values and 0.999 in values and control.value == 0.9
    gaps = -np.log10(1 - np.array(values))
    np.testing.assert_allclose(np.diff(gaps), 0.1, atol=1e-4)
    assert control.description == "μ momentum"
    # decay_slider keeps its track: the same positions
    assert [v for _, v in live.decay_slider().options] == values
    assert live.decay_slider().description == "ρ decay"
