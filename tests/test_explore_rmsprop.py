"""The explorers of notebook 05: every control position draws, divergence is named, the plotted v is RMSprop's.

Expected values come from the plain one-configuration loop (helpers.training.optimize_path with
helpers.optimizers.RMSprop / GradientDescent), not from the stacked sweep the explorers use.
"""

import html

import numpy as np
import pytest

from helpers.classroom.explore_rmsprop import (
    EXPLORERS,
    ROT_DECAY,
    ROT_EPS,
    ROT_KAPPA,
    ROT_STEPS,
    best_axis_condition_number,
    effective_step,
    make_rmsprop_paths_explorer,
    make_rotated_valley_explorer,
    path_surfaces,
    rotated_start,
)
from helpers.classroom.live import Explorer, slider_positions
from helpers.optimizers import GradientDescent, RMSprop
from helpers.surfaces import ill_conditioned_quadratic
from helpers.training import optimize_path

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def paths_explorer():
    return make_rmsprop_paths_explorer()


@pytest.fixture(scope="module")
def valley_explorer():
    return make_rotated_valley_explorer()


def status(explorer):
    return html.unescape(explorer.status.value)


def plain_path(surface, optimizer, n_steps, start=None):
    return optimize_path(surface, optimizer, start=start, n_steps=n_steps)


def test_registered():
    assert set(EXPLORERS) == {"05_rmsprop_paths", "05_rotated_valley"}
    labels = {"05_rmsprop_paths": ["surface", "η learning rate", "ρ decay", "ε eps"],
              "05_rotated_valley": ["θ rotation", "η learning rate"]}
    for name, factory in EXPLORERS.items():
        explorer = factory()
        assert isinstance(explorer, Explorer) and explorer.png.startswith(PNG) and explorer.name == name
        descriptions = " ".join(c.description for c in explorer.controls.values())
        assert all(label in descriptions for label in labels[name])


@pytest.mark.parametrize("factory", [make_rmsprop_paths_explorer, make_rotated_valley_explorer])
def test_every_control_position_draws(factory):
    explorer = factory()
    defaults = explorer.values()
    for name, control in explorer.controls.items():
        positions = slider_positions(control, n=30)
        if hasattr(control, "min"):
            assert len(positions) >= 30
        for value in positions:
            png = explorer.render(**{name: value})
            assert png.startswith(PNG) and explorer.error is None and status(explorer)
        explorer.render(**defaults)


@pytest.mark.parametrize("surface", ["quadratic", "rosenbrock"])
@pytest.mark.parametrize("corner", [dict(learning_rate=1.0, decay=0.0), dict(learning_rate=1.0, decay=0.999),
                                    dict(learning_rate=1e-4, decay=0.999, eps=1.0, eps_inside=True),
                                    dict(learning_rate=1.0, decay=0.0, eps=1e-10, eps_inside=True),
                                    dict(learning_rate=1e-4, decay=0.0, eps=1e-10)])
def test_corners_draw(paths_explorer, surface, corner):
    png = paths_explorer.render(surface=surface, **corner)
    assert png.startswith(PNG) and paths_explorer.error is None
    paths_explorer.render(**{"surface": "quadratic", "learning_rate": 0.05, "decay": 0.9, "eps": 1e-8,
                             "eps_inside": False})


@pytest.mark.parametrize("surface, learning_rate", [("quadratic", 0.01), ("quadratic", 0.05), ("quadratic", 0.2),
                                                    ("quadratic", 1.0), ("rosenbrock", 1e-4),
                                                    ("rosenbrock", 0.05)])
def test_paths_status_says_diverged_exactly_when_a_path_escapes(paths_explorer, surface, learning_rate):
    surf = path_surfaces()[surface]
    gd = plain_path(surf, GradientDescent(learning_rate), 300)
    rms = plain_path(surf, RMSprop(learning_rate, decay=0.9, eps=1e-8), 300)
    paths_explorer.render(surface=surface, learning_rate=learning_rate, decay=0.9, eps=1e-8, eps_inside=False)
    text = status(paths_explorer)
    assert ("GD diverged" in text) == gd.diverged
    assert ("RMSprop diverged" in text) == rms.diverged
    if gd.diverged:
        assert f"GD diverged at step {gd.stopped_at}" in text
    paths_explorer.render(surface="quadratic", learning_rate=0.05)


def test_gd_diverges_above_its_bound_on_the_quadratic(paths_explorer):
    paths_explorer.render(surface="quadratic", learning_rate=0.05, decay=0.9)
    assert "diverged" not in status(paths_explorer)
    paths_explorer.render(learning_rate=0.2)  # bound 2/25 = 0.08
    assert "GD diverged" in status(paths_explorer) and "0.08" in status(paths_explorer)
    paths_explorer.render(learning_rate=0.05)


def test_plotted_square_avg_matches_an_independent_rmsprop(paths_explorer):
    learning_rate, decay, eps = 0.02, 0.968377, 1e-3  # a position of the log(1 - ρ) track
    for inside in (False, True):
        paths_explorer.render(surface="quadratic", learning_rate=learning_rate, decay=decay, eps=eps,
                              eps_inside=inside)
        surf = path_surfaces()["quadratic"]
        optimizer = RMSprop(learning_rate, decay=decay, eps=eps, eps_inside_sqrt=inside)
        point = np.array(surf.start, dtype=np.float64)
        expected_v, expected_path = [], [point.copy()]
        for _ in range(300):
            optimizer.step({"p": point}, {"p": surf.gradient(point)})
            expected_v.append(optimizer.state["p"]["square_avg"].copy())
            expected_path.append(point.copy())
        expected_v = np.array(expected_v)
        lines = {line.get_label(): line for ax in paths_explorer.live_figure.figure.axes for line in ax.lines}
        v_x, v_y = lines["x"].get_ydata(), lines["y"].get_ydata()
        np.testing.assert_allclose(v_x, expected_v[:, 0], rtol=1e-10)
        np.testing.assert_allclose(v_y, expected_v[:, 1], rtol=1e-10)
        step_x = lines["RMSprop x"].get_ydata()
        np.testing.assert_allclose(step_x, effective_step(learning_rate, expected_v, eps, inside)[:, 0], rtol=1e-10)
        rms_path = np.column_stack(lines["RMSprop"].get_data())
        np.testing.assert_allclose(rms_path, np.array(expected_path), rtol=1e-10, atol=1e-12)
    paths_explorer.render(learning_rate=0.05, decay=0.9, eps=1e-8, eps_inside=False)


def test_first_step_is_eta_over_sqrt_one_minus_rho(paths_explorer):
    paths_explorer.render(surface="quadratic", learning_rate=0.01, decay=0.99, eps=1e-8, eps_inside=False)
    assert "x by 0.1 and y by 0.1" in status(paths_explorer)
    paths_explorer.render(learning_rate=0.05, decay=0.9)


@pytest.mark.parametrize("control, value", [("learning_rate", 0.2), ("decay", 0.0), ("eps", 1e-2),
                                            ("eps_inside", True), ("surface", "rosenbrock")])
def test_paths_image_changes_when_a_control_moves(paths_explorer, control, value):
    defaults = {"surface": "quadratic", "learning_rate": 0.05, "decay": 0.9, "eps": 1e-2, "eps_inside": False}
    if control == "eps":
        defaults["eps"] = 1e-8
    before = paths_explorer.render(**defaults)
    assert paths_explorer.render(**{control: value}) != before
    paths_explorer.render(**defaults)
    assert paths_explorer.render(**defaults) == before  # going back shows the same picture (cache is right)
    paths_explorer.render(eps=1e-8)


def test_a_person_switching_the_surface_redraws():
    explorer = make_rmsprop_paths_explorer()
    before = explorer.image.value
    explorer.controls["surface"].value = "rosenbrock"
    assert explorer.image.value != before and explorer.error is None and "GD diverged" in status(explorer)


# --- rotated valley ----------------------------------------------------------------------------


def test_best_axis_condition_number():
    for degrees, expected in ((0, 1.0), (90, 1.0), (45, ROT_KAPPA)):
        H = ill_conditioned_quadratic(ROT_KAPPA, np.deg2rad(degrees)).hessian
        assert best_axis_condition_number(H) == pytest.approx(expected, rel=1e-9)
    # Brute force over diagonal scalings D = diag(1, s): none beats the equal-diagonal scaling.
    H = ill_conditioned_quadratic(ROT_KAPPA, np.deg2rad(20)).hessian
    scales = np.geomspace(1e-3, 1e3, 4001)
    conds = [np.linalg.cond(np.diag([1, s]) @ H @ np.diag([1, s])) for s in np.sqrt(scales)]
    assert min(conds) == pytest.approx(best_axis_condition_number(H), rel=1e-3)


@pytest.mark.parametrize("degrees", [0, 45, 90])
def test_valley_status_matches_a_plain_loop(valley_explorer, degrees):
    learning_rate = 0.015
    surf = ill_conditioned_quadratic(ROT_KAPPA, np.deg2rad(degrees))
    valley_explorer.render(degrees=degrees, learning_rate=learning_rate)
    text = status(valley_explorer)
    for name, optimizer in (("GD", GradientDescent(learning_rate)),
                            ("RMSprop", RMSprop(learning_rate, decay=ROT_DECAY, eps=ROT_EPS))):
        result = plain_path(surf, optimizer, ROT_STEPS, start=rotated_start(degrees))
        below = np.flatnonzero(result.values < 1e-2)
        if below.size:
            assert f"{name} reaches f < 0.01 at step {below[0]}" in text
        else:
            assert f"{name} does not reach f < 0.01" in text
    valley_explorer.render(degrees=0)


def test_rmsprop_helps_along_the_axes_not_along_the_diagonal(valley_explorer):
    def arrival(text, name):
        marker = f"{name} reaches f < 0.01 at step "
        return int(text.split(marker)[1].split(".")[0]) if marker in text else ROT_STEPS + 1

    valley_explorer.render(degrees=0, learning_rate=0.015)
    gd_steps, rms_axis = arrival(status(valley_explorer), "GD"), arrival(status(valley_explorer), "RMSprop")
    valley_explorer.render(degrees=45)
    rms_diag = arrival(status(valley_explorer), "RMSprop")
    assert rms_axis < gd_steps <= rms_diag
    valley_explorer.render(degrees=0)


def test_valley_diverged_named_and_image_changes(valley_explorer):
    before = valley_explorer.render(degrees=0, learning_rate=0.015)
    assert "diverged" not in status(valley_explorer)
    assert valley_explorer.render(degrees=45) != before
    assert valley_explorer.render(learning_rate=0.1) != before
    assert "GD diverged" in status(valley_explorer)
    valley_explorer.render(degrees=0, learning_rate=0.015)
