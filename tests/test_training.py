import numpy as np
import pytest

from helpers.data import xor
from helpers.network import MLP
from helpers.optimizers import GradientDescent, RMSprop
from helpers.surfaces import ill_conditioned_quadratic, saddle
from helpers.training import optimize_path, train


def test_train_lowers_the_loss_on_xor():
    X, y = xor()
    result = train(MLP([2, 8, 1], seed=0), X, y, RMSprop(0.05), 300)
    assert not result.diverged and result.stopped_at is None
    assert result.losses.shape == (301,)
    assert result.losses[-1] < 0.01 * result.losses[0]
    assert "finished 300 steps" in result.message


def test_train_reports_divergence_in_words():
    X, y = xor()
    net = MLP([2, 8, 1], hidden="tanh", output="identity", seed=0)
    result = train(net, X, y, GradientDescent(50.0), 200)
    assert result.diverged and 0 < result.stopped_at < 200
    assert result.message.startswith(f"diverged at step {result.stopped_at}:")
    assert len(result.losses) == result.stopped_at + 1


def test_gd_on_a_quadratic_follows_the_stability_bound():
    q = ill_conditioned_quadratic(10.0)
    below = optimize_path(q, GradientDescent(0.95 * q.stability_bound), n_steps=400)
    above = optimize_path(q, GradientDescent(1.05 * q.stability_bound), n_steps=400)
    assert not below.diverged and below.values[-1] < 1e-6
    assert above.diverged and "diverged at step" in above.message
    assert np.all(np.isfinite(above.path))


def test_optimize_path_matches_the_recursion():
    # Along each eigen-axis, x_{t+1} = (1 - eta lambda) x_t.
    q = ill_conditioned_quadratic(4.0)
    result = optimize_path(q, GradientDescent(0.1), start=(1.0, 1.0), n_steps=5)
    np.testing.assert_allclose(result.path[-1], [0.9**5, 0.6**5], rtol=1e-12)


def test_optimize_path_keeps_optimizer_state():
    opt = RMSprop(0.01)
    optimize_path(saddle(), opt, n_steps=3)
    assert opt.state["p"]["square_avg"].shape == (2,)


def test_bad_input():
    X, y = xor()
    with pytest.raises(TypeError, match="net must be a helpers.network.MLP"):
        train("net", X, y, GradientDescent(0.1), 10)
    with pytest.raises(TypeError, match="optimizer must be a helpers.optimizers optimizer"):
        train(MLP([2, 1]), X, y, "sgd", 10)
    with pytest.raises(ValueError, match="n_steps must be an int >= 0"):
        train(MLP([2, 1]), X, y, GradientDescent(0.1), -1)
    with pytest.raises(ValueError, match=r"start must be a point \(x, y\)"):
        optimize_path(saddle(), GradientDescent(0.1), start=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match="surface must be a helpers.surfaces.Surface"):
        optimize_path(lambda p: p, GradientDescent(0.1))
