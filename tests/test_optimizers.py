"""Hand-computed steps and argument checks; reference trajectories are in test_optimizer_references.py."""

import math

import numpy as np
import pytest

from helpers.optimizers import Adagrad, Adam, GradientDescent, Momentum, RMSprop


def one_param(value):
    return {"w": np.array([value], dtype=np.float64)}


def test_gradient_descent_by_hand():
    params = one_param(1.0)
    GradientDescent(0.1).step(params, {"w": np.array([2.0])})
    assert params["w"][0] == pytest.approx(0.8)


def test_momentum_by_hand():
    params, opt = one_param(0.0), Momentum(0.1, momentum=0.5)
    for _ in range(3):
        opt.step(params, {"w": np.array([1.0])})
    # buffers 1, 1.5, 1.75 -> w = -0.1 * (1 + 1.5 + 1.75)
    assert params["w"][0] == pytest.approx(-0.425)
    assert opt.state["w"]["momentum_buffer"][0] == pytest.approx(1.75)


def test_rmsprop_two_steps_by_hand():
    params, opt = one_param(0.0), RMSprop(0.01, decay=0.9, eps=0.0)
    opt.step(params, {"w": np.array([2.0])})
    v1 = 0.1 * 4.0
    assert opt.state["w"]["square_avg"][0] == pytest.approx(v1)
    assert params["w"][0] == pytest.approx(-0.01 * 2.0 / math.sqrt(v1))
    opt.step(params, {"w": np.array([-1.0])})
    v2 = 0.9 * v1 + 0.1 * 1.0
    assert params["w"][0] == pytest.approx(-0.01 * 2.0 / math.sqrt(v1) + 0.01 * 1.0 / math.sqrt(v2))


def test_rmsprop_eps_placement_differs_for_tiny_gradients():
    g = {"w": np.array([1e-6])}
    outside, inside = one_param(0.0), one_param(0.0)
    RMSprop(1.0, decay=0.0, eps=1e-8).step(outside, g)
    RMSprop(1.0, decay=0.0, eps=1e-8, eps_inside_sqrt=True).step(inside, g)
    assert outside["w"][0] == pytest.approx(-1e-6 / (1e-6 + 1e-8))
    assert inside["w"][0] == pytest.approx(-1e-6 / math.sqrt(1e-12 + 1e-8))  # floor sqrt(1e-8) = 1e-4


def test_adam_first_step_is_learning_rate():
    params = {"w": np.array([0.0, 0.0])}
    Adam(0.001).step(params, {"w": np.array([1e-3, -50.0])})
    np.testing.assert_allclose(params["w"], [-0.001, 0.001], rtol=1e-4)


def test_state_has_the_shape_of_each_parameter():
    params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3)}
    grads = {"W1": np.ones((2, 3)), "b1": np.ones(3)}
    opt = RMSprop(centered=True, momentum=0.9)
    opt.step(params, grads)
    for name in params:
        assert set(opt.state[name]) == {"square_avg", "grad_avg", "momentum_buffer"}
        assert all(s.shape == params[name].shape for s in opt.state[name].values())


@pytest.mark.parametrize("lr", [0, -1.0, float("nan"), float("inf")])
def test_learning_rate_must_be_positive(lr):
    with pytest.raises(ValueError, match="learning_rate must be"):
        GradientDescent(lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1]])
def test_learning_rate_must_be_a_number(lr):
    with pytest.raises(TypeError, match="learning_rate must be a real number"):
        RMSprop(lr)


@pytest.mark.parametrize(("cls", "kwargs", "name"), [
    (RMSprop, {"decay": 1.0}, "decay"),
    (RMSprop, {"decay": -0.1}, "decay"),
    (RMSprop, {"momentum": 1.5}, "momentum"),
    (Momentum, {"momentum": 1.0}, "momentum"),
    (Adam, {"beta1": 1.0}, "beta1"),
    (Adam, {"beta2": -0.5}, "beta2"),
])
def test_coefficients_must_be_in_unit_interval(cls, kwargs, name):
    with pytest.raises(ValueError, match=rf"{name} must be in \[0, 1\)"):
        cls(0.1, **kwargs)


def test_eps_and_flags():
    with pytest.raises(ValueError, match="eps must be a finite number >= 0"):
        RMSprop(eps=-1e-8)
    with pytest.raises(ValueError, match="eps must be a finite number >= 0"):
        Adam(eps=-1.0)
    with pytest.raises(TypeError, match="centered must be True or False"):
        RMSprop(centered="yes")
    with pytest.raises(TypeError, match="eps_inside_sqrt must be True or False"):
        RMSprop(eps_inside_sqrt=1)


def test_bad_grads():
    params = {"W": np.zeros((2, 2)), "b": np.zeros(2)}
    opt = RMSprop()
    with pytest.raises(ValueError, match="grads must have the same keys as params"):
        opt.step(params, {"W": np.zeros((2, 2))})
    with pytest.raises(ValueError, match=r"grads\['b'\] has shape \(2, 1\) but params\['b'\] has shape \(2,\)"):
        opt.step(params, {"W": np.zeros((2, 2)), "b": np.zeros((2, 1))})
    with pytest.raises(ValueError, match=r"grads\['W'\] holds NaN or inf"):
        opt.step(params, {"W": np.full((2, 2), np.nan), "b": np.zeros(2)})
    with pytest.raises(TypeError, match="params and grads must be dicts"):
        opt.step([np.zeros(2)], [np.zeros(2)])
    with pytest.raises(TypeError, match=r"params\['W'\] must be a float64 numpy array"):
        opt.step({"W": [[0.0]]}, {"W": [[1.0]]})
    assert opt.step_count == 0 and opt.state == {}  # nothing was half-applied


def test_adagrad_keeps_a_running_sum_that_never_forgets():
    # By hand: after gradients 3 and then 4 the state is 9 + 16 = 25, and the second step is
    # eta * 4 / (sqrt(25) + eps); RMSprop would have forgotten part of the first gradient.
    opt, params = Adagrad(learning_rate=0.5, eps=0.0), {"w": np.array([1.0])}
    opt.step(params, {"w": np.array([3.0])})
    assert params["w"][0] == 1.0 - 0.5 * 3.0 / 3.0
    opt.step(params, {"w": np.array([4.0])})
    assert sorted(opt.state["w"]) == ["sum"] and opt.state["w"]["sum"][0] == 25.0
    assert params["w"][0] == pytest.approx(0.5 - 0.5 * 4.0 / 5.0, rel=1e-15)
