"""helpers.sweep against plain Python loops of helpers.network.MLP + helpers.optimizers."""

import numpy as np
import pytest

from helpers.data import gaussian_blobs, minibatch_indices, two_spirals, xor
from helpers.network import MLP
from helpers.optimizers import Adam, GradientDescent, Momentum, RMSprop
from helpers.surfaces import ill_conditioned_quadratic, rosenbrock
from helpers.sweep import REGIMES, SweepResult, classify_runs, forward_stacked, lr_decay_grid, sweep_mlp, sweep_paths
from helpers.training import optimize_path, train

from .conftest import rel_err


def make_optimizer(optimizer, learning_rate, decay, eps=1e-8, eps_inside_sqrt=False, beta1=0.9):
    if optimizer == "gd":
        return GradientDescent(learning_rate)
    if optimizer == "momentum":
        return Momentum(learning_rate, momentum=decay)
    if optimizer == "adam":
        return Adam(learning_rate, beta1=beta1, beta2=decay, eps=eps)
    return RMSprop(learning_rate, decay=decay, eps=eps, eps_inside_sqrt=eps_inside_sqrt)


# How close must the sweep stay to the loop? Both run the same lines of helpers.network and
# helpers.optimizers, but a stacked matmul may round differently from a single one (BLAS kernels
# differ between CPUs), and a chaotic run (sign descent's limit cycle, a learning rate on the edge)
# turns a one-ulp difference into an O(1) one within ~100 steps. So each configuration is compared
# within the envelope that a 1e-13 relative nudge of its starting weights produces in the loop
# itself: tight (~1e-12) where training is well-conditioned, loose only where the loop is chaotic.
NUDGE = 1e-13


def _loop(X, y, sizes, hidden, output, loss, optimizer, learning_rate, decay, n_steps, seed, nudge=0.0, **opt_kw):
    net = MLP(sizes, hidden=hidden, output=output, seed=seed)
    for value in net.params.values():
        value *= 1.0 + nudge
    return net, train(net, X, y, make_optimizer(optimizer, learning_rate, decay, **opt_kw), n_steps, loss=loss)


def _relative_gap(a, b):
    return np.abs(a - b) / np.maximum(np.abs(b), 1e-300)


def assert_sweep_matches_loop(result, X, y, sizes, hidden, output, loss, optimizer, n_steps, seeds, **opt_kw):
    """Assert sweep == loop within the loop's own sensitivity; return how many configurations were tight."""
    tight = 0
    for c in range(result.learning_rates.size):
        decay = None if optimizer == "gd" else result.decays[c]
        args = (X, y, sizes, hidden, output, loss, optimizer, result.learning_rates[c], decay, n_steps, int(seeds[c]))
        net, reference = _loop(*args, **opt_kw)
        nudged_net, nudged = _loop(*args, nudge=NUDGE, **opt_kw)
        if reference.stopped_at == nudged.stopped_at:  # the divergence step is robust: it must match
            assert result.diverged_at[c] == (reference.stopped_at if reference.diverged else -1), c
            if reference.diverged:
                assert np.all(np.isnan(result.losses[reference.stopped_at:, c]))
        finite = np.isfinite(result.losses[:, c])
        horizon = min(int(np.argmin(finite)) if not finite.all() else finite.size,  # the losses before a stop
                      len(reference.losses) - reference.diverged, len(nudged.losses) - nudged.diverged)
        envelope = 1e-12 + 100 * _relative_gap(nudged.losses[:horizon], reference.losses[:horizon])
        gap = _relative_gap(result.losses[:horizon, c], reference.losses[:horizon])
        assert np.all(gap <= envelope), (c, int(np.argmax(gap > envelope)), gap.max())
        if envelope.max() < 1e-9:
            tight += 1
            for name, value in net.params.items():  # also after divergence: both stop before the bad update
                assert rel_err(result.params[name][c], value) < 1e-9, (c, name)
    return tight


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_sweep_mlp_equals_a_loop_of_mlp_and_optimizers(optimizer):
    X, y = xor()
    lr = np.array([0.01, 0.1, 0.5]) if optimizer in ("rmsprop", "adam") else np.array([0.1, 1.0, 5.0])
    decays = None if optimizer == "gd" else np.array([0.0, 0.9, 0.99])
    result = sweep_mlp(X, y, lr, decays, sizes=(2, 5, 1), optimizer=optimizer, n_steps=60, seed=3)
    assert assert_sweep_matches_loop(result, X, y, (2, 5, 1), "tanh", "sigmoid", "mse", optimizer, 60, [3, 3, 3]) >= 2


@pytest.mark.parametrize("eps_inside_sqrt", [False, True])
def test_rmsprop_eps_conventions_match_the_loop_and_differ(eps_inside_sqrt):
    X, y = two_spirals(20, seed=1)
    lr, decay = lr_decay_grid([0.003, 0.03], [0.5, 0.99])
    kw = {"sizes": (2, 6, 4, 1), "hidden": "relu", "loss": "bce", "n_steps": 40, "eps": 1e-4}
    result = sweep_mlp(X, y, lr, decay, eps_inside_sqrt=eps_inside_sqrt, **kw)
    assert assert_sweep_matches_loop(result, X, y, (2, 6, 4, 1), "relu", "sigmoid", "bce", "rmsprop", 40, [0] * 4,
                                     eps=1e-4, eps_inside_sqrt=eps_inside_sqrt) >= 3
    other = sweep_mlp(X, y, lr, decay, eps_inside_sqrt=not eps_inside_sqrt, **kw)
    assert rel_err(result.losses[-1], other.losses[-1]) > 1e-6  # the placement of eps matters


def test_diverging_configurations_are_flagged_frozen_and_match_the_loop():
    X, y = xor()
    lr = np.array([0.05, 50.0])
    kw = {"sizes": (2, 8, 1), "output": "identity", "n_steps": 200, "seed": 0}
    for optimizer, decays in (("gd", None), ("momentum", np.array([0.9, 0.9]))):
        result = sweep_mlp(X, y, lr, decays, optimizer=optimizer, **kw)
        assert result.diverged_at[0] == -1 and 0 < result.diverged_at[1] < 200
        assert np.isinf(result.final_loss[1]) and np.isfinite(result.final_loss[0])
        assert all(np.all(np.isfinite(p)) for p in result.params.values())
        tight = assert_sweep_matches_loop(result, X, y, (2, 8, 1), "tanh", "identity", "mse", optimizer, 200, [0, 0])
        assert tight >= 1


def test_one_seed_per_configuration_matches_the_loop():
    X, y = xor()
    seeds = [0, 1, 2, 0, 1, 2]
    lr = np.repeat([0.01, 0.1], 3)
    result = sweep_mlp(X, y, lr, np.full(6, 0.999), optimizer="adam", beta1=0.8, n_steps=30, seed=seeds)
    assert result.seeds.tolist() == seeds
    tight = assert_sweep_matches_loop(result, X, y, (2, 8, 1), "tanh", "sigmoid", "mse", "adam", 30, seeds, beta1=0.8)
    assert tight == 6
    assert rel_err(result.losses[0, 0], result.losses[0, 1]) > 1e-6  # different seeds, different starts
    shared = sweep_mlp(X, y, [0.1, 0.2], [0.9, 0.9], seed=np.int64(4))
    assert shared.seeds.tolist() == [4, 4]


def test_shapes():
    X, y = two_spirals(30)
    lr, decay = lr_decay_grid(np.logspace(-3, -1, 4), [0.0, 0.5, 0.9])
    assert lr.shape == decay.shape == (12,)
    assert np.array_equal(lr.reshape(3, 4)[1], np.logspace(-3, -1, 4)) and np.all(decay.reshape(3, 4)[:, 0] ==
                                                                                  [0.0, 0.5, 0.9])
    result = sweep_mlp(X, y, lr, decay, sizes=(2, 7, 3, 1), n_steps=5)
    assert isinstance(result, SweepResult)
    assert result.losses.shape == (6, 12) and result.diverged_at.shape == (12,)
    assert {k: v.shape for k, v in result.params.items()} == {
        "W1": (12, 2, 7), "b1": (12, 7), "W2": (12, 7, 3), "b2": (12, 3), "W3": (12, 3, 1), "b3": (12, 1)}
    y_hat, cache = forward_stacked(result.params, X)
    assert y_hat.shape == (12, 30, 1) and cache["Z2"].shape == (12, 30, 3)
    net = MLP((2, 7, 3, 1))
    net.params = {k: v[5].copy() for k, v in result.params.items()}
    assert rel_err(y_hat[5], net.forward(X)) < 1e-12
    assert sweep_mlp(X, y, lr, decay, sizes=(2, 7, 3, 1), n_steps=0).losses.shape == (1, 12)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_sweep_paths_equals_optimize_path(optimizer):
    # On a 2-D surface every operation is elementwise (the quadratic's gradient is written out entry
    # by entry), and IEEE-754 rounds each one the same way for one point or a stack, on any CPU: so
    # the sweep equals the loop bit for bit, even at decay 0 where RMSprop is sign descent and falls
    # into a limit cycle. Adam's bias correction beta2**t is a power of an array in the sweep and of a
    # float in the loop, which may differ by an ulp: it is compared within the loop's own sensitivity.
    surface = ill_conditioned_quadratic(10.0, angle=0.3)
    bound = surface.stability_bound
    lr = np.array([0.3, 0.9, 1.1, 3.0]) * (bound if optimizer in ("gd", "momentum") else 0.1)
    decays = None if optimizer == "gd" else np.array([0.0, 0.5, 0.9, 0.99])
    result = sweep_paths(surface, lr, decays, optimizer=optimizer, n_steps=150)
    assert result.paths.shape == (151, 4, 2) and result.square_avg.shape == (151, 4, 2)
    for c in range(4):
        decay = None if optimizer == "gd" else decays[c]
        reference = optimize_path(surface, make_optimizer(optimizer, lr[c], decay), n_steps=150)
        stop = reference.stopped_at if reference.diverged else 151
        assert result.diverged_at[c] == (stop if reference.diverged else -1)
        if optimizer == "adam":
            nudged = optimize_path(surface, make_optimizer(optimizer, lr[c], decay), n_steps=150,
                                   start=np.asarray(surface.start) * (1 + NUDGE))
            envelope = 1e-12 + 100 * np.abs(nudged.path - reference.path).max()
            assert np.abs(result.paths[:stop, c] - reference.path).max() <= envelope
        else:
            assert np.array_equal(result.paths[:stop, c], reference.path)
        if reference.diverged:
            assert np.all(result.paths[stop:, c] == result.paths[stop - 1, c])  # frozen at the last good point
    if optimizer == "gd":
        assert list(result.diverged_at >= 0) == [False, False, True, True]  # the 2 / lambda_max bound


def test_sweep_paths_records_rmsprop_square_avg():
    surface = rosenbrock()
    result = sweep_paths(surface, [0.01], [0.9], n_steps=20, eps_inside_sqrt=True)
    opt = RMSprop(0.01, decay=0.9, eps_inside_sqrt=True)
    reference = optimize_path(surface, opt, n_steps=20)
    assert np.array_equal(result.paths[:, 0], reference.path)  # elementwise only: exact (see above)
    assert np.array_equal(result.square_avg[-1, 0], opt.state["p"]["square_avg"])


def test_classify_runs_tells_stuck_from_slow():
    # Memoryless RMSprop (rho = 0) at eta = 2 sits on the plateau 0.25 (every output 1/2); eta = 0.001
    # creeps down the whole way: the same "not converged, not diverged", two different stories.
    X, y = xor()
    result = sweep_mlp(X, y, [2.043, 0.001], [0.0, 0.0], n_steps=300)
    classes = classify_runs(result, tol=1e-3)
    assert [REGIMES[r] for r in classes.regime] == ["stuck", "slow"]
    third = result.losses[200:]
    assert abs(result.losses[-1, 0] - 0.25) < 1e-3 and np.min(third[:, 0]) >= 0.95 * np.min(result.losses[:200, 0])
    assert np.all(np.diff(result.losses[:, 1]) < 0)  # the slow one falls at every step
    assert classify_runs(sweep_mlp(X, y, [2.043], [0.0], n_steps=1)).regime[0] != 3  # no last third to judge


def test_classify_runs_sorts_the_three_regimes():
    X, y = xor()
    lr = np.array([0.001, 0.03, 5.0])
    result = sweep_mlp(X, y, lr, np.full(3, 0.99), n_steps=300)
    classes = classify_runs(result, tol=1e-3)
    assert [REGIMES[r] for r in classes.regime] == ["slow", "converged", "diverged"]
    assert classes.converged_at[1] > 0 and result.losses[classes.converged_at[1], 1] < 1e-3
    assert result.losses[classes.converged_at[1] - 1, 1] >= 1e-3  # the first step below tol
    assert classes.converged_at[0] == classes.converged_at[2] == -1
    assert classes.diverged_at[2] > 0 and result.losses[classes.diverged_at[2], 2] > result.losses[0, 2]
    assert classes.diverged_at[0] == classes.diverged_at[1] == -1
    # An exploded run (NaN from the step it diverged) is diverged at the sweep's step, with its last finite loss.
    exploded = sweep_mlp(X, y, [0.05, 50.0], sizes=(2, 8, 1), output="identity", optimizer="gd", n_steps=200)
    classes = classify_runs(exploded)
    assert classes.regime[1] == 2 and classes.diverged_at[1] == exploded.diverged_at[1]
    assert classes.final_loss[1] == exploded.losses[exploded.diverged_at[1] - 1, 1]


def test_bad_arguments_are_refused_with_clear_messages():
    X, y = xor()
    with pytest.raises(ValueError, match="optimizer must be one of"):
        sweep_mlp(X, y, [0.1], [0.9], optimizer="sgd")
    with pytest.raises(ValueError, match="decays must be None for optimizer='gd'"):
        sweep_mlp(X, y, [0.1], [0.9], optimizer="gd")
    with pytest.raises(ValueError, match="decays must be given"):
        sweep_mlp(X, y, [0.1], optimizer="rmsprop")
    with pytest.raises(ValueError, match="decays must have the shape of learning_rates"):
        sweep_mlp(X, y, [0.1, 0.2], [0.9])
    with pytest.raises(ValueError, match=r"decays must lie in \[0, 1\)"):
        sweep_mlp(X, y, [0.1], [1.0])
    with pytest.raises(ValueError, match="learning_rates must be a non-empty 1-D array of numbers > 0"):
        sweep_mlp(X, y, [0.0], [0.9])
    with pytest.raises(TypeError, match="learning_rates must be an array of numbers"):
        sweep_mlp(X, y, "0.1", [0.9])
    with pytest.raises(ValueError, match="must hold only finite numbers"):
        sweep_mlp(X, y, [np.nan], [0.9])
    with pytest.raises(ValueError, match="seed must be one int or a 1-D list of 2 ints"):
        sweep_mlp(X, y, [0.1, 0.2], [0.9, 0.9], seed=[0, 1, 2])
    with pytest.raises(TypeError, match=r"seed\[1\] must be an int"):
        sweep_mlp(X, y, [0.1, 0.2], [0.9, 0.9], seed=[0, 1.5])
    with pytest.raises(TypeError, match="n_steps must be an int"):
        sweep_mlp(X, y, [0.1], [0.9], n_steps=10.0)
    with pytest.raises(ValueError, match="y must have shape"):
        sweep_mlp(X, y.ravel(), [0.1], [0.9])
    with pytest.raises(ValueError, match="loss='bce' needs output='sigmoid'"):
        sweep_mlp(X, y, [0.1], [0.9], loss="bce", output="identity")
    with pytest.raises(ValueError, match="beta1 must be in"):
        sweep_mlp(X, y, [0.1], [0.9], optimizer="adam", beta1=1.0)
    with pytest.raises(TypeError, match="surface must be a helpers.surfaces.Surface"):
        sweep_paths("rosenbrock", [0.1], [0.9])
    with pytest.raises(ValueError, match="start must be a point"):
        sweep_paths(rosenbrock(), [0.1], [0.9], start=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="result must be a SweepResult"):
        classify_runs(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="tol must be a finite number > 0"):
        classify_runs(sweep_mlp(X, y, [0.1], [0.9], n_steps=1), tol=0.0)


def _minibatch_loop(X, y, optimizer, learning_rate, decay, batches, seed=0, sizes=(2, 6, 1), loss="mse", nudge=0.0):
    """The plain loop: full-data loss recorded, then one optimizer step on the gradient of batch t."""
    net = MLP(sizes, seed=seed)
    for value in net.params.values():
        value *= 1.0 + nudge
    opt = make_optimizer(optimizer, learning_rate, decay)
    losses = []
    for rows in batches:
        losses.append(net.loss(X, y, loss=loss))
        _, grads = net.loss_and_grads(X[rows], y[rows], loss=loss)
        opt.step(net.params, grads)
    losses.append(net.loss(X, y, loss=loss))
    return net, np.array(losses)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_minibatch_sweep_equals_a_loop_on_the_same_batches(optimizer):
    X, y = gaussian_blobs(24, distance=1.5, spread=0.8, seed=2)
    batches = minibatch_indices(24, 5, 40, seed=1)
    lr = np.array([0.01, 0.05]) if optimizer in ("rmsprop", "adam") else np.array([0.3, 1.0])
    decays = None if optimizer == "gd" else np.array([0.9, 0.99])
    result = sweep_mlp(X, y, lr, decays, sizes=(2, 6, 1), optimizer=optimizer, n_steps=40, batch_indices=batches)
    assert result.losses.shape == (41, 2) and np.all(result.diverged_at == -1)
    for c in range(2):
        decay = None if optimizer == "gd" else decays[c]
        net, reference = _minibatch_loop(X, y, optimizer, lr[c], decay, batches)
        _, nudged = _minibatch_loop(X, y, optimizer, lr[c], decay, batches, nudge=NUDGE)
        envelope = 1e-12 + 100 * _relative_gap(nudged, reference)
        assert np.all(_relative_gap(result.losses[:, c], reference) <= envelope), c
        for name, value in net.params.items():
            assert rel_err(result.params[name][c], value) < 1e-9, (c, name)
    full = sweep_mlp(X, y, lr, decays, sizes=(2, 6, 1), optimizer=optimizer, n_steps=40)
    assert rel_err(result.losses[-1], full.losses[-1]) > 1e-6  # mini-batches are not the full batch


def test_minibatch_sweep_with_one_schedule_per_configuration():
    X, y = gaussian_blobs(20, distance=1.0, spread=1.0, seed=0)
    schedules = np.stack([minibatch_indices(20, 4, 30, seed=s) for s in (0, 1, 0)])
    result = sweep_mlp(X, y, [0.01] * 3, [0.9] * 3, n_steps=30, batch_indices=schedules, loss="bce")
    for c in range(3):
        _, reference = _minibatch_loop(X, y, "rmsprop", 0.01, 0.9, schedules[c], sizes=(2, 8, 1), loss="bce")
        assert rel_err(result.losses[:, c], reference) < 1e-10, c
    assert np.array_equal(result.losses[:, 0], result.losses[:, 2])  # same batches, same run
    assert rel_err(result.losses[:, 0], result.losses[:, 1]) > 1e-6  # another batch order, another run
    # Batches of all N samples give the full-batch gradient: the full-batch sweep to round-off.
    everything = np.tile(np.arange(20), (30, 1))
    assert rel_err(sweep_mlp(X, y, [0.01], [0.9], n_steps=30, batch_indices=everything).losses,
                   sweep_mlp(X, y, [0.01], [0.9], n_steps=30).losses) < 1e-12


def test_minibatch_indices_draws_without_replacement_epoch_by_epoch():
    batches = minibatch_indices(10, 3, 7, seed=4)
    assert batches.shape == (7, 3) and batches.dtype.kind == "i"
    for epoch in (batches[0:3], batches[3:6]):  # 3 batches of 3 per epoch; 1 sample left out each time
        assert len(set(epoch.ravel().tolist())) == 9
    assert np.array_equal(batches, minibatch_indices(10, 3, 7, seed=4))
    assert not np.array_equal(batches, minibatch_indices(10, 3, 7, seed=5))
    assert minibatch_indices(5, 5, 0, seed=0).shape == (0, 5)
    assert sorted(minibatch_indices(5, 5, 1)[0].tolist()) == [0, 1, 2, 3, 4]


def test_minibatch_arguments_are_refused_with_clear_messages():
    X, y = xor()
    with pytest.raises(ValueError, match=r"batch_indices must have shape \(n_steps, B\) = \(3, B\)"):
        sweep_mlp(X, y, [0.1], [0.9], n_steps=3, batch_indices=np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match=r"batch_indices must lie in 0 .. 3"):
        sweep_mlp(X, y, [0.1], [0.9], n_steps=2, batch_indices=np.full((2, 2), 4))
    with pytest.raises(TypeError, match="batch_indices must hold ints"):
        sweep_mlp(X, y, [0.1], [0.9], n_steps=2, batch_indices=np.zeros((2, 2)))
    with pytest.raises(TypeError, match="batch_indices must be an int array"):
        sweep_mlp(X, y, [0.1], [0.9], n_steps=2, batch_indices=3)
    with pytest.raises(ValueError, match="batch_size must be at most n_samples = 4"):
        minibatch_indices(4, 5, 10)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        minibatch_indices(4, 2.0, 10)


@pytest.mark.parametrize("optimizer", ["gd", "rmsprop", "adam"])
def test_track_updates_records_step_sizes_and_square_avg_like_a_loop(optimizer):
    X, y = gaussian_blobs(16, distance=1.0, spread=1.0, seed=3)
    batches = minibatch_indices(16, 4, 12, seed=2)
    decays = None if optimizer == "gd" else [0.9]
    result = sweep_mlp(X, y, [0.05], decays, optimizer=optimizer, n_steps=12, batch_indices=batches,
                       track_updates=True)
    assert result.update_rms.shape == result.square_avg_mean.shape == (12, 1)
    net = MLP((2, 8, 1), seed=0)
    opt = make_optimizer(optimizer, 0.05, None if optimizer == "gd" else 0.9)
    for t, rows in enumerate(batches):
        before = np.concatenate([v.ravel() for v in net.params.values()])
        opt.step(net.params, net.loss_and_grads(X[rows], y[rows])[1])
        after = np.concatenate([v.ravel() for v in net.params.values()])
        assert rel_err(result.update_rms[t, 0], np.sqrt(np.mean((after - before) ** 2))) < 1e-9, t
        if optimizer == "gd":
            assert np.isnan(result.square_avg_mean[t, 0])
        else:
            key = "square_avg" if optimizer == "rmsprop" else "exp_avg_sq"
            v = np.concatenate([opt.state[name][key].ravel() for name in net.params])
            assert rel_err(result.square_avg_mean[t, 0], v.mean()) < 1e-9, t
    assert sweep_mlp(X, y, [0.05], decays, optimizer=optimizer, n_steps=3).update_rms is None
    with pytest.raises(TypeError, match="track_updates must be True or False"):
        sweep_mlp(X, y, [0.05], decays, optimizer=optimizer, n_steps=3, track_updates=1)
