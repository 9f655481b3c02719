"""The single-neuron XOR explorer of notebook 01: every slider position draws, and XOR is never 4 of 4."""

import itertools
import re

import numpy as np
import pytest

from helpers.classroom.explore_neuron import EXPLORERS, half_plane, make_single_neuron_explorer
from helpers.classroom.live import Explorer, slider_positions

PNG = b"\x89PNG"
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
# Written out here, independently of the module under test.
Y = {"XOR": [0, 1, 1, 0], "AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1]}


def correct_count(w1, w2, b, dataset):
    """Points on the positive side (w1 x1 + w2 x2 + b > 0) are predicted as class 1."""
    predicted = [1 if w1 * x1 + w2 * x2 + b > 0 else 0 for x1, x2 in X]
    return sum(p == t for p, t in zip(predicted, Y[dataset], strict=True))


def reported_count(explorer):
    match = re.search(r"(\d) of 4 correct", explorer.status.value)
    assert match, f"no 'k of 4 correct' in the status {explorer.status.value!r}"
    return int(match.group(1))


@pytest.fixture(scope="module")
def explorer():
    return make_single_neuron_explorer()


def test_registered_and_is_an_explorer(explorer):
    assert EXPLORERS == {"01_single_neuron_xor": make_single_neuron_explorer}
    assert isinstance(explorer, Explorer)
    assert set(explorer.controls) == {"w1", "w2", "b", "dataset"}
    assert explorer.png.startswith(PNG)


def test_every_slider_position_draws_and_xor_is_never_four_of_four(explorer):
    defaults = explorer.values()
    for name, control in explorer.controls.items():
        positions = slider_positions(control, n=30)
        if name != "dataset":
            assert len(positions) >= 30
        for value in positions:
            png = explorer.render(**{name: value})
            assert png.startswith(PNG) and explorer.error is None
            v = explorer.values()
            expected = correct_count(v["w1"], v["w2"], v["b"], v["dataset"])
            assert reported_count(explorer) == expected
            if v["dataset"] == "XOR":
                assert expected < 4 and "4 of 4" not in explorer.status.value
        explorer.render(**defaults)


def test_xor_never_four_of_four_on_a_grid_of_all_three_weights(explorer):
    values = slider_positions(explorer.controls["w1"], n=30)
    seen = set()
    for w1, w2, b in itertools.product(values[::3], values[::3], values[::3]):
        k = correct_count(w1, w2, b, "XOR")
        assert k <= 3
        seen.add(k)
    assert 3 in seen  # the best a line can do is reachable
    explorer.render(w1=1.0, w2=1.0, b=-0.5, dataset="XOR")
    assert reported_count(explorer) == 3 and "wrong side" in explorer.status.value


@pytest.mark.parametrize("dataset, weights", [("AND", (1.0, 1.0, -1.5)), ("OR", (1.0, 1.0, -0.5))])
def test_and_or_reach_four_of_four(explorer, dataset, weights):
    w1, w2, b = weights
    explorer.render(w1=w1, w2=w2, b=b, dataset=dataset)
    assert reported_count(explorer) == 4 == correct_count(w1, w2, b, dataset)
    explorer.render(w1=1.0, w2=1.0, b=-0.5, dataset="XOR")


def test_the_image_changes_when_each_control_moves(explorer):
    explorer.render(w1=1.0, w2=1.0, b=-0.5, dataset="XOR")
    for name, value in [("w1", -2.0), ("w2", 3.0), ("b", 1.2), ("dataset", "AND")]:
        before = explorer.png
        after = explorer.render(**{name: value})
        assert after != before, f"moving {name} did not change the picture"
    explorer.render(w1=1.0, w2=1.0, b=-0.5, dataset="XOR")


def test_a_person_moving_a_slider_redraws_the_widget():
    explorer = make_single_neuron_explorer()
    before = explorer.image.value
    explorer.controls["b"].value = -1.5
    assert explorer.image.value != before and explorer.error is None


def test_half_plane_is_the_positive_side():
    box = (-0.5, 1.5, -0.5, 1.5)
    polygon = half_plane(1.0, 0.0, -0.5, box)  # x1 > 0.5: a rectangle
    assert np.allclose(sorted(map(tuple, polygon)), sorted([(0.5, -0.5), (1.5, -0.5), (1.5, 1.5), (0.5, 1.5)]))
    assert half_plane(0.0, 0.0, -1.0, box).shape == (0, 2)  # z < 0 everywhere: empty
    assert half_plane(0.0, 0.0, 1.0, box).shape == (4, 2)  # z > 0 everywhere: the whole box
