"""Shared test aids. `central_difference` is written here, independently of helpers.gradcheck,
so that backprop is never checked only against code from the package under test."""

import numpy as np


def central_difference(f, x, h=1e-6):
    """d f / d x by centred differences on a copy of x (x itself is left alone)."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        up = f(x)
        flat[i] = saved - h
        down = f(x)
        flat[i] = saved
        out[i] = (up - down) / (2 * h)
    return grad


def rel_err(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)
