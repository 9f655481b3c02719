"""Small 2-D data sets made with numpy from a seed (no downloads).

Every function returns (X, y): X of shape (N, 2) float64 inputs and y of shape (N, 1)
float64 targets in {0, 1}, ready for an MLP with sizes [2, ..., 1].
"""

import numpy as np

from . import _checks


def xor():
    """The four corners of the unit square, labelled by x1 XOR x2. X: (4, 2), y: (4, 1).

    No straight line separates the 1s from the 0s, so a net without a hidden layer cannot fit it.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, y


def two_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaved half circles, n_samples // 2 each (the first class gets the odd one).

    Gaussian noise of standard deviation `noise` is added to each coordinate.
    """
    n_samples = _checks.positive_int(n_samples, "n_samples", minimum=2)
    noise = _checks.non_negative(noise, "noise")
    rng = np.random.default_rng(_checks.seed(seed))
    n_a = n_samples - n_samples // 2
    n_b = n_samples // 2
    t_a = np.linspace(0.0, np.pi, n_a)
    t_b = np.linspace(0.0, np.pi, n_b)
    upper = np.column_stack([np.cos(t_a), np.sin(t_a)])
    lower = np.column_stack([1.0 - np.cos(t_b), 0.5 - np.sin(t_b)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_a), np.ones(n_b)]).reshape(-1, 1)
    return X, y


def two_spirals(n_samples=200, noise=0.05, turns=1.5, seed=0):
    """Two interleaved spirals around the origin, within about [-1, 1]^2.

    The hardest of these sets: a net needs several hidden units and many steps to untangle it.
    """
    n_samples = _checks.positive_int(n_samples, "n_samples", minimum=2)
    noise = _checks.non_negative(noise, "noise")
    turns = _checks.positive(turns, "turns")
    rng = np.random.default_rng(_checks.seed(seed))
    n_a = n_samples - n_samples // 2
    n_b = n_samples // 2
    X_parts = []
    for n, phase in ((n_a, 0.0), (n_b, np.pi)):
        radius = np.linspace(0.1, 1.0, n)
        angle = 2.0 * np.pi * turns * radius + phase
        X_parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    X = np.vstack(X_parts) + rng.normal(0.0, noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_a), np.ones(n_b)]).reshape(-1, 1)
    return X, y


def gaussian_blobs(n_samples=200, distance=2.0, spread=0.5, seed=0):
    """Two round Gaussian clouds centred at (-distance/2, 0) and (+distance/2, 0).

    With distance >> spread they are linearly separable: one neuron suffices.
    """
    n_samples = _checks.positive_int(n_samples, "n_samples", minimum=2)
    distance = _checks.non_negative(distance, "distance")
    spread = _checks.non_negative(spread, "spread")
    rng = np.random.default_rng(_checks.seed(seed))
    n_a = n_samples - n_samples // 2
    n_b = n_samples // 2
    centres = np.array([[-distance / 2, 0.0]] * n_a + [[distance / 2, 0.0]] * n_b)
    X = centres + rng.normal(0.0, spread, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_a), np.ones(n_b)]).reshape(-1, 1)
    return X, y


def minibatch_indices(n_samples, batch_size, n_steps, seed=0):
    """The sample indices of n_steps mini-batches of batch_size rows each: an int array (n_steps, batch_size).

    Epoch by epoch: shuffle 0 .. n_samples - 1 with np.random.default_rng(seed), cut the shuffled order into
    n_samples // batch_size batches (the n_samples % batch_size left over are dropped), and go on with a fresh
    shuffle. So each batch is drawn *without replacement*, and every sample is used once per epoch.
    Pass the result to helpers.sweep.sweep_mlp(batch_indices=...) to feed every configuration the same batches.
    """
    n_samples = _checks.positive_int(n_samples, "n_samples")
    batch_size = _checks.positive_int(batch_size, "batch_size")
    if batch_size > n_samples:
        raise ValueError(f"batch_size must be at most n_samples = {n_samples}, got {batch_size}")
    n_steps = _checks.positive_int(n_steps, "n_steps", minimum=0)
    rng = np.random.default_rng(_checks.seed(seed))
    per_epoch = n_samples // batch_size
    n_epochs = -(-n_steps // per_epoch)  # ceil
    batches = [rng.permutation(n_samples)[: per_epoch * batch_size].reshape(per_epoch, batch_size)
               for _ in range(n_epochs)]
    return np.concatenate(batches)[:n_steps] if batches else np.zeros((0, batch_size), dtype=np.int64)
