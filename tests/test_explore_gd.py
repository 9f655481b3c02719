"""The explorers of notebook 04: every slider position draws, and the status names the regime honestly.

Expected regimes are computed here independently of the module under test: the quadratic's
per-eigendirection recursion x_t = (1 - eta lambda)^t x_0 in closed form, and the XOR net trained
one learning rate at a time with the plain (unstacked) MLP + GradientDescent loop.
"""

import io
import math
import re

import numpy as np
import pytest
from PIL import Image

from helpers.classroom.explore_gd import (
    EXPLORERS,
    classify_run,
    make_quadratic_zigzag_explorer,
    make_xor_learning_rate_explorer,
)
from helpers.classroom.live import Explorer, slider_positions
from helpers.data import xor
from helpers.network import MLP
from helpers.optimizers import GradientDescent
from helpers.training import train

PNG = b"\x89PNG"
START = (-1.8, 0.6)


@pytest.fixture(scope="module")
def xor_explorer():
    return make_xor_learning_rate_explorer()


@pytest.fixture(scope="module")
def quad_explorer():
    return make_quadratic_zigzag_explorer()


def status(explorer):
    return explorer.status.value


def test_registered():
    assert set(EXPLORERS) == {"04_xor_learning_rate", "04_quadratic_zigzag"}
    for factory in EXPLORERS.values():
        explorer = factory()
        assert isinstance(explorer, Explorer) and explorer.png.startswith(PNG)
        assert all(label in str([c.description for c in explorer.controls.values()])
                   for label in ["η learning rate"])


# --- XOR ------------------------------------------------------------------------------------


def plain_run(learning_rate, n_steps=300):
    """Train the XOR net with the one-config loop (not the stacked sweep) and classify the run."""
    X, y = xor()
    net = MLP([2, 8, 1], hidden="tanh", output="identity", seed=0)
    result = train(net, X, y, GradientDescent(learning_rate), n_steps, loss="mse")
    losses = np.full(n_steps + 1, np.nan)
    losses[: len(result.losses)] = result.losses
    if result.diverged:
        losses[result.stopped_at] = np.nan
    return classify_run(losses, result.stopped_at if result.diverged else -1), result


def test_xor_every_position_draws_and_names_a_regime(xor_explorer):
    control = xor_explorer.controls["learning_rate"]
    positions = slider_positions(control, n=30)
    assert len(positions) >= 30 and positions[0] == pytest.approx(1e-3) and positions[-1] == pytest.approx(10.0)
    seen = set()
    for value in positions:
        png = xor_explorer.render(learning_rate=value)
        assert png.startswith(PNG) and xor_explorer.error is None
        text = status(xor_explorer)
        names = [r for r in ("too small", "good", "oscillating", "too large") if f"is {r}" in text]
        assert len(names) == 1, text
        seen.add(names[0])
        assert ("diverged" in text) == (names[0] == "too large")
    assert seen == {"too small", "good", "oscillating", "too large"}  # all four regimes are reachable
    xor_explorer.render(learning_rate=0.1)


def test_xor_diverges_at_the_largest_rate_not_at_the_default(xor_explorer):
    xor_explorer.render(learning_rate=0.1)
    assert "diverged" not in status(xor_explorer) and "good" in status(xor_explorer)
    xor_explorer.render(learning_rate=10.0)
    assert "diverged" in status(xor_explorer)
    xor_explorer.render(learning_rate=0.1)


@pytest.mark.parametrize("learning_rate, expected", [(0.003, "too small"), (0.1, "good"), (0.4, "oscillating"),
                                                     (2.0, "diverged")])
def test_xor_regimes_match_an_independent_plain_loop(xor_explorer, learning_rate, expected):
    regime, result = plain_run(learning_rate)
    assert regime == expected
    xor_explorer.render(learning_rate=learning_rate)  # off the slider grid: trained on demand
    text = status(xor_explorer)
    if expected == "diverged":
        assert f"diverged at step {result.stopped_at}" in text
    else:
        assert f"is {expected}" in text and "diverged" not in text
        shown = float(re.search(r"(?:to|ends at) ([0-9.]+(?:e[-+]\d+)?)", text).group(1))
        assert shown == pytest.approx(result.losses[-1], rel=0.05)  # the same final loss as the plain loop
    xor_explorer.render(learning_rate=0.1)


def test_xor_image_changes_when_the_slider_moves(xor_explorer):
    before = xor_explorer.render(learning_rate=0.1)
    assert xor_explorer.render(learning_rate=0.5) != before
    assert xor_explorer.render(learning_rate=0.001) != before
    xor_explorer.render(learning_rate=0.1)


def test_a_person_moving_the_slider_redraws():
    explorer = make_xor_learning_rate_explorer()
    before = explorer.image.value
    explorer.controls["learning_rate"].value = 1.0
    assert explorer.image.value != before and explorer.error is None and "diverged" in status(explorer)


# --- quadratic -------------------------------------------------------------------------------


def expected_divergence_step(learning_rate, kappa, n_steps=100, radius=1e3):
    """First t with |(x_t, y_t)| > radius, where x_t = (1 - eta)^t x0, y_t = (1 - eta kappa)^t y0; -1 if none."""
    for t in range(1, n_steps + 1):
        x = START[0] * (1 - learning_rate) ** t
        y = START[1] * (1 - learning_rate * kappa) ** t
        if math.hypot(x, y) > radius:
            return t
    return -1


def check_quadratic_status(explorer):
    v = explorer.values()
    eta, kappa = v["learning_rate"], v["kappa"]
    text = status(explorer)
    bound = 2.0 / kappa
    assert f"2/λ_max = 2/{kappa:.3g} = {bound:.3g}" in text
    step = expected_divergence_step(eta, kappa)
    if step >= 0:
        assert f"diverged at step {step}" in text and "above the stability bound" in text, text
    else:
        assert "diverged" not in text, text
    if eta < bound * (1 - 1e-9):
        assert "below the stability bound" in text and "converges" in text
    elif eta > bound * (1 + 1e-9):
        assert "above the stability bound" in text


def test_quadratic_every_slider_position_draws(quad_explorer):
    defaults = quad_explorer.values()
    for name, control in quad_explorer.controls.items():
        positions = slider_positions(control, n=30)
        assert len(positions) >= 30
        for value in positions:
            png = quad_explorer.render(**{name: value})
            assert png.startswith(PNG) and quad_explorer.error is None
            check_quadratic_status(quad_explorer)
        quad_explorer.render(**defaults)


def test_quadratic_corners(quad_explorer):
    lrs = slider_positions(quad_explorer.controls["learning_rate"])
    kappas = slider_positions(quad_explorer.controls["kappa"])
    for eta in (lrs[0], lrs[-1]):
        for kappa in (kappas[0], kappas[-1]):
            assert quad_explorer.render(learning_rate=eta, kappa=kappa).startswith(PNG)
            check_quadratic_status(quad_explorer)
    quad_explorer.render(learning_rate=1.0, kappa=100.0)
    assert "diverged" in status(quad_explorer)
    quad_explorer.render(learning_rate=1e-3, kappa=1.0)
    assert "diverged" not in status(quad_explorer)
    quad_explorer.render(learning_rate=0.18, kappa=10.0)


def test_quadratic_default_is_a_stable_zigzag_and_the_largest_rate_diverges(quad_explorer):
    quad_explorer.render(learning_rate=0.18, kappa=10.0)
    text = status(quad_explorer)
    assert "diverged" not in text and "zig-zag" in text and "0.2" in text
    quad_explorer.render(learning_rate=1.0)
    assert "diverged" in status(quad_explorer)
    quad_explorer.render(learning_rate=0.18)


def test_quadratic_bound_is_two_over_kappa(quad_explorer):
    # Just below and just above 2 / kappa, computed here.
    for kappa in (4.0, 10.0, 50.0):
        bound = 2.0 / kappa
        quad_explorer.render(kappa=kappa, learning_rate=0.95 * bound)
        assert "below the stability bound" in status(quad_explorer) and "diverged" not in status(quad_explorer)
        quad_explorer.render(learning_rate=1.5 * bound)
        match = re.search(r"diverged at step (\d+)", status(quad_explorer))
        assert match and int(match.group(1)) == expected_divergence_step(1.5 * bound, kappa)
    quad_explorer.render(learning_rate=0.18, kappa=10.0)


def test_quadratic_image_changes_with_each_slider(quad_explorer):
    before = quad_explorer.render(learning_rate=0.18, kappa=10.0)
    assert quad_explorer.render(learning_rate=0.05) != before
    quad_explorer.render(learning_rate=0.18)
    assert quad_explorer.render(kappa=30.0) != before
    quad_explorer.render(learning_rate=0.18, kappa=10.0)


def test_classify_run_on_hand_made_curves():
    t = np.arange(301)
    assert classify_run(0.4 * 0.9**t, -1) == "good"
    assert classify_run(0.4 * 0.9999**t, -1) == "too small"
    bumpy = 0.4 * 0.9**t
    bumpy[10] = bumpy[9] * 3
    assert classify_run(bumpy, -1) == "oscillating"
    assert classify_run(np.r_[0.4, 5.0, np.full(299, np.nan)], 2) == "diverged"


def test_titles_name_the_regime(xor_explorer, quad_explorer):
    loss_axes = xor_explorer.live_figure.figure.axes[0]
    for learning_rate, words in [(0.001, "too small"), (0.1, "good"), (0.4, "oscillates"), (10.0, "diverged")]:
        xor_explorer.render(learning_rate=learning_rate)
        assert words in loss_axes.get_title()
    xor_explorer.render(learning_rate=0.1)
    plane_axes = quad_explorer.live_figure.figure.axes[0]
    for learning_rate, kappa, words in [(0.18, 10.0, "zig-zags, but converges"), (0.01, 10.0, "no zig-zag"),
                                        (0.1, 10.0, "one step"), (1.0, 10.0, "GD diverged")]:
        quad_explorer.render(learning_rate=learning_rate, kappa=kappa)
        assert words in plane_axes.get_title(), plane_axes.get_title()
    quad_explorer.render(learning_rate=0.1, kappa=10.0)
    assert "gone after one step" in status(quad_explorer) and "creeps" not in status(quad_explorer)
    quad_explorer.render(learning_rate=0.18, kappa=10.0)


def test_the_stored_default_picture_is_a_small_palette_png():
    for factory in EXPLORERS.values():
        explorer = factory()
        stored = Image.open(io.BytesIO(explorer.png))
        assert stored.mode == "P" and len(explorer.png) < 60_000  # palette PNG, stored twice in the notebook
        assert explorer.image.value == explorer.png and explorer._repr_mimebundle_()["image/png"]
        name = next(iter(explorer.controls))
        assert Image.open(io.BytesIO(explorer.render(**{name: explorer.values()[name]}))).mode == "RGBA"


def test_plot_sharpness_draws_both_panels_in_both_languages():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.classroom.explore_gd import plot_sharpness
    from helpers.classroom.i18n import set_language

    losses = np.geomspace(1.0, 1e-5, 11)
    runs = {0.1: (losses, np.linspace(4, 8, 6), None), 0.5: (losses, np.linspace(5, 4, 6), None)}
    try:
        for lang, title in (("en", "GD settles only below it"), ("zh", "GD 只停在它下方")):
            set_language(lang)
            assert plot_sharpness(runs) is None  # a cell ending in the call shows the figure once
            loss_ax, sharp_ax = plt.gcf().axes
            assert title in sharp_ax.get_title()
            assert len(loss_ax.get_lines()) == 2
            assert [line.get_ydata()[0] for line in sharp_ax.get_lines() if line.get_linestyle() == "--"] == [4.0]
            plt.close("all")
    finally:
        set_language("en")
