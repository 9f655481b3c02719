import numpy as np
import pytest

from helpers.gradcheck import check_mlp_gradients, numerical_gradient, relative_error
from helpers.network import MLP


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-8)


def test_numerical_gradient_restores_x_exactly():
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error_values():
    assert relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(1.0)  # a sign flip is error 1
    assert relative_error([1.0], [1.0 + 2e-8]) == pytest.approx(1e-8, rel=1e-6)


def test_check_mlp_gradients_flags_a_broken_backprop():
    X = np.random.default_rng(0).normal(size=(5, 2))
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    net = MLP([2, 4, 1])
    errors = check_mlp_gradients(net, X, y, loss="bce")
    assert list(errors) == ["W1", "b1", "W2", "b2"]
    assert max(errors.values()) < 1e-7
    original = net.loss_and_grads

    def sign_flipped(*args, **kwargs):  # the article's E7
        value, grads = original(*args, **kwargs)
        return value, {k: -g for k, g in grads.items()}

    net.loss_and_grads = sign_flipped
    assert min(check_mlp_gradients(net, X, y, loss="bce").values()) > 0.99


def test_bad_input():
    with pytest.raises(TypeError, match="f must be a callable"):
        numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(np.sum, [1.0, 2.0])
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        numerical_gradient(np.sum, np.zeros(2), h=0)
    with pytest.raises(ValueError, match="computed has shape"):
        relative_error(np.zeros(2), np.zeros(3))
