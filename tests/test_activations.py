import math
import warnings

import numpy as np
import pytest

from helpers import activations as act
from tests.conftest import central_difference


@pytest.mark.parametrize("z", [-30.0, -2.5, -1e-3, 0.0, 0.7, 4.0, 30.0])
def test_sigmoid_matches_math_exp(z):
    assert act.sigmoid(z) == pytest.approx(1.0 / (1.0 + math.exp(-z)), rel=1e-14)


def test_sigmoid_is_stable_for_huge_inputs():
    z = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow warning fails the test
        s = act.sigmoid(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert np.all(np.diff(s) >= 0)
    assert s[2] == pytest.approx(math.exp(-50.0), rel=1e-12)  # small values keep their precision


def test_known_values():
    assert act.tanh(0.5) == pytest.approx(math.tanh(0.5))
    np.testing.assert_array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu_derivative([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    assert act.sigmoid_derivative(0.0) == pytest.approx(0.25)
    assert act.tanh_derivative(0.0) == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_derivatives_match_finite_differences(name):
    f, f_prime = act.get_activation(name)
    z = np.array([[-3.1, -0.4, 0.3], [0.9, 2.2, -1.7]])  # no point at relu's kink
    numeric = central_difference(lambda v: float(np.sum(f(v))), z)
    np.testing.assert_allclose(f_prime(z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("f", [act.sigmoid, act.tanh, act.relu, act.sigmoid_derivative])
def test_shapes_are_kept(f):
    assert f(np.zeros((4, 3))).shape == (4, 3)


def test_bad_input():
    with pytest.raises(TypeError, match="z must be an array of real numbers"):
        act.sigmoid(["a", "b"])
    with pytest.raises(TypeError, match="z must be an array"):
        act.relu("1.0")
    with pytest.raises(ValueError, match="activation must be one of"):
        act.get_activation("softplus")
    with pytest.raises(TypeError, match="activation must be a str"):
        act.get_activation(3)
