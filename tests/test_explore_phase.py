
import numpy as np
import pytest

from helpers.classroom.explore_phase import DECAYS, EXPLORERS, LEARNING_RATES, SETTINGS, TOL, nearest_cell, phase_sweep
from helpers.classroom.live import slider_positions
from helpers.sweep import REGIMES

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return EXPLORERS["06_phase_map"]()


def regime_of(learning_rate, decay):
    _, classes = phase_sweep()
    i_lr, i_decay = nearest_cell(learning_rate, decay)
    return REGIMES[classes.regime[i_decay * LEARNING_RATES.size + i_lr]]


def test_the_grid_is_30_by_30_and_every_slider_position_is_a_cell(explorer):
    result, classes = phase_sweep()
    assert result.losses.shape == (SETTINGS["n_steps"] + 1, 900)
    assert classes.tol == TOL
    positions = {name: slider_positions(control) for name, control in explorer.controls.items()}
    assert len(positions["learning_rate"]) >= 30 and len(positions["decay"]) >= 30
    cells = {nearest_cell(lr, 0.5)[0] for lr in positions["learning_rate"]}
    assert cells == set(range(LEARNING_RATES.size))  # the slider reaches every column, snapped
    assert {nearest_cell(0.01, d)[1] for d in positions["decay"]} == set(range(DECAYS.size))


@pytest.mark.parametrize("name", ["learning_rate", "decay"])
def test_every_position_draws_and_names_the_regime_of_its_cell(explorer, name):
    explorer.render(learning_rate=0.0304, decay=float(DECAYS[20]))
    previous = None
    for value in slider_positions(explorer.controls[name]):
        png = explorer.render(**{name: value})
        assert png.startswith(PNG) and explorer.error is None
        values = explorer.values()
        regime = regime_of(values["learning_rate"], values["decay"])
        status = explorer.status.value
        assert regime in status, (values, status)
        assert sum(r in status for r in REGIMES) == 1
        if previous is not None:
            assert png != previous  # moving a slider changes the picture (at least the marker moves)
        previous = png


def test_all_four_regimes_appear_and_each_is_said_in_words(explorer):
    _, classes = phase_sweep()
    assert set(np.unique(classes.regime)) == {0, 1, 2, 3}
    explorer.render(learning_rate=float(LEARNING_RATES[-1]), decay=float(DECAYS[-1]))
    assert "diverged at step" in explorer.status.value
    explorer.render(learning_rate=float(LEARNING_RATES[0]), decay=float(DECAYS[10]))
    assert "slow: loss" in explorer.status.value
    explorer.render(learning_rate=0.0304, decay=float(DECAYS[10]))
    assert "converged: with" in explorer.status.value
    explorer.render(learning_rate=float(LEARNING_RATES[24]), decay=float(DECAYS[0]))  # eta 2, rho 0: the plateau
    assert "stuck: loss 0.25" in explorer.status.value


def test_the_map_hatches_diverged_cells_and_the_loss_title_names_the_regime(explorer):
    from matplotlib.collections import PolyCollection

    _, classes = phase_sweep()
    ax_map, ax_loss = explorer.live_figure.axes
    hatched = {c.get_hatch(): len(c.get_paths()) for c in ax_map.collections if isinstance(c, PolyCollection)}
    assert hatched == {"//": np.sum(classes.regime == 2), "..": np.sum(classes.regime == 3)}  # diverged, stuck
    assert not ax_map.get_legend()  # regions are named on the map, no legend covers cells
    for learning_rate, decay in [(0.0304, DECAYS[10]), (LEARNING_RATES[0], DECAYS[10]), (10.0, DECAYS[-1])]:
        explorer.render(learning_rate=float(learning_rate), decay=float(decay))
        assert regime_of(learning_rate, decay) in ax_loss.get_title()
