import math

import numpy as np
import pytest

from helpers import losses
from helpers.activations import sigmoid
from tests.conftest import central_difference

Y_HAT = np.array([[0.2], [0.9], [0.6], [0.05]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def test_mse_by_hand():
    expected = (0.2**2 + 0.1**2 + 0.4**2 + 0.05**2) / 4
    assert losses.mse(Y_HAT, Y) == pytest.approx(expected, rel=1e-14)


def test_bce_by_hand():
    expected = -(math.log(0.8) + math.log(0.9) + math.log(0.6) + math.log(0.95)) / 4
    assert losses.bce(Y_HAT, Y) == pytest.approx(expected, rel=1e-14)


def test_mse_is_a_mean_over_all_elements():
    y_hat, y = np.ones((3, 2)), np.zeros((3, 2))
    assert losses.mse(y_hat, y) == 1.0


@pytest.mark.parametrize(("loss", "grad"), [(losses.mse, losses.mse_grad), (losses.bce, losses.bce_grad)])
def test_gradients_match_finite_differences(loss, grad):
    numeric = central_difference(lambda p: loss(p, Y), Y_HAT)
    np.testing.assert_allclose(grad(Y_HAT, Y), numeric, rtol=1e-6)


def test_mse_grad_sign_points_uphill():
    # E7: the gradient is 2 (y_hat - y) / N; a step against it must lower the loss.
    step = Y_HAT - 0.1 * losses.mse_grad(Y_HAT, Y)
    assert losses.mse(step, Y) < losses.mse(Y_HAT, Y)


def test_bce_with_logits_agrees_with_bce_and_is_stable():
    logits = np.array([[-3.0], [2.0], [0.5], [-1.0]])
    assert losses.bce_with_logits(logits, Y) == pytest.approx(losses.bce(sigmoid(logits), Y), rel=1e-12)
    big = np.array([[800.0], [-800.0]])  # sigmoid is exactly 0 or 1 here; bce on probabilities would clip
    assert losses.bce_with_logits(big, np.array([[0.0], [1.0]])) == pytest.approx(800.0)
    numeric = central_difference(lambda a: losses.bce_with_logits(a, Y), logits)
    np.testing.assert_allclose(losses.bce_with_logits_grad(logits, Y), numeric, rtol=1e-6)


def test_the_broadcasting_trap_is_refused():
    # E6: a (4, 2) output against a (4, 1) target broadcasts silently in numpy.
    with pytest.raises(ValueError, match=r"y_hat has shape \(4, 2\) but y has shape \(4, 1\)"):
        losses.mse(np.zeros((4, 2)), Y)


@pytest.mark.parametrize("f", [losses.bce, losses.bce_grad, losses.bce_with_logits])
def test_bce_targets_must_be_probabilities(f):
    with pytest.raises(ValueError, match=r"y for binary cross-entropy must lie in \[0, 1\]"):
        f(Y_HAT, Y * 2)


def test_bad_input():
    with pytest.raises(ValueError, match="finite"):
        losses.mse([[np.nan]], [[0.0]])
    with pytest.raises(TypeError, match="y_hat must be an array"):
        losses.mse("0.5", [[0.0]])
    with pytest.raises(ValueError, match="y_hat for binary cross-entropy"):
        losses.bce([[1.5]], [[1.0]])
    with pytest.raises(ValueError, match="at least one element"):
        losses.mse(np.zeros((0, 1)), np.zeros((0, 1)))
