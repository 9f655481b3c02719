"""Loss functions and their gradients (notebook 02).

Notation: the loss is ℒ (code `loss`; L is reserved for the number of layers), y_hat = ŷ the network's
output, y the target, z the logit (the output layer's pre-activation, ŷ = sigmoid(z) for a sigmoid output).
Every loss is a mean over *all* elements of its inputs, so that it does not grow with the
batch size, and every gradient carries the matching 1/(N K). Shapes: y_hat and y are both
(N, K); they must be equal, because numpy would otherwise broadcast a (4, 1) target against
a (4, 2) output into a (4, 2) error without complaint (the article's erratum E6).
"""

import numpy as np

from . import _checks
from .activations import sigmoid

# Probabilities are clipped to [PROB_CLIP, 1 - PROB_CLIP] before a log, so that log(0) never happens.
PROB_CLIP = 1e-12


def _pair(y_hat, y, y_hat_name="y_hat"):
    y_hat = _checks.float_array(y_hat, y_hat_name, finite=True)
    y = _checks.float_array(y, "y", finite=True)
    _checks.same_shape(y_hat, y_hat_name, y, "y")
    if y.size == 0:
        raise ValueError("y must hold at least one element, got an empty array")
    return y_hat, y


def targets_in_unit_interval(y):
    """Raise ValueError unless every target lies in [0, 1], as binary cross-entropy needs."""
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y for binary cross-entropy must lie in [0, 1] (it is a probability)")


def squared_error(y_hat, y):
    """(y_hat - y)^2 entry by entry, no checks: mse is its mean (helpers.network and the sweep use it too)."""
    return (y_hat - y) ** 2


def bce_entries(y_hat, y):
    """-(y log p + (1 - y) log(1 - p)) entry by entry, p = y_hat clipped to [1e-12, 1 - 1e-12]; no checks.

    bce is its mean (helpers.network and the sweep use it too).
    """
    p = np.clip(y_hat, PROB_CLIP, 1 - PROB_CLIP)
    return -(y * np.log(p) + (1 - y) * np.log1p(-p))


def mse(y_hat, y):
    """Mean squared error ℒ = mean((y_hat - y)^2) over all N*K elements. Returns a float."""
    y_hat, y = _pair(y_hat, y)
    return float(np.mean(squared_error(y_hat, y)))


def mse_grad(y_hat, y):
    """∂ℒ/∂y_hat = 2 (y_hat - y) / (N K) for ℒ = mse(y_hat, y). Shape: (N, K), like y_hat.

    Note the sign: the error is (y_hat - y). Writing (y - y_hat) without the minus sign
    turns descent into ascent (erratum E7).
    """
    y_hat, y = _pair(y_hat, y)
    return 2.0 * (y_hat - y) / y.size


def bce(y_hat, y):
    """Binary cross-entropy ℒ = -mean(y log y_hat + (1 - y) log(1 - y_hat)). Returns a float.

    y_hat are probabilities in [0, 1]; they are clipped to [1e-12, 1 - 1e-12] before the log.
    Prefer `bce_with_logits` when you have the logits: it needs no clipping.
    """
    y_hat, y = _pair(y_hat, y)
    targets_in_unit_interval(y)
    if np.any((y_hat < 0) | (y_hat > 1)):
        raise ValueError("y_hat for binary cross-entropy must lie in [0, 1] (it is a probability)")
    return float(np.mean(bce_entries(y_hat, y)))


def bce_grad(y_hat, y):
    """∂ℒ/∂y_hat = (y_hat - y) / (y_hat (1 - y_hat)) / (N K) for ℒ = bce(y_hat, y). Shape: (N, K).

    It blows up as y_hat approaches 0 or 1; multiplied by sigmoid' it gives the tame
    `bce_with_logits_grad`.
    """
    y_hat, y = _pair(y_hat, y)
    targets_in_unit_interval(y)
    if np.any((y_hat < 0) | (y_hat > 1)):
        raise ValueError("y_hat for binary cross-entropy must lie in [0, 1] (it is a probability)")
    p = np.clip(y_hat, PROB_CLIP, 1 - PROB_CLIP)
    return (p - y) / (p * (1 - p)) / y.size


def bce_with_logits(logits, y):
    """Binary cross-entropy of sigmoid(logits) against y, computed stably from the logits z.

    ℒ = mean(max(z, 0) - z y + log(1 + exp(-|z|))), which equals bce(sigmoid(z), y) without
    ever forming log(0). Shapes: logits and y both (N, K). Returns a float.
    """
    z, y = _pair(logits, y, "logits")
    targets_in_unit_interval(y)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(logits, y):
    """∂ℒ/∂z = (sigmoid(z) - y) / (N K) for ℒ = bce_with_logits(z, y), z the logits. Shape: (N, K).

    The sigmoid's derivative cancels against the log's, so the gradient never vanishes when
    the sigmoid saturates on a wrong answer (erratum E15: compare mse on a sigmoid).
    """
    z, y = _pair(logits, y, "logits")
    targets_in_unit_interval(y)
    return (sigmoid(z) - y) / y.size


LOSSES = {"mse": (mse, mse_grad), "bce": (bce, bce_grad)}
