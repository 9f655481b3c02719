"""Finite-difference gradient checks (notebooks 02 and 03).

The centred difference (f(x + h) - f(x - h)) / 2h has error O(h^2) from truncation plus
about eps_machine * |f| / h from round-off; h = 1e-5 balances the two in float64.
"""

import numpy as np

from . import _checks
from .network import MLP


def _scalar(value):
    """f's value as a float; f must return one real number, not an array or a string."""
    try:
        if isinstance(value, (str, bytes)) or np.iscomplexobj(value):
            raise TypeError
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"f must return a single real number (e.g. the loss), got {type(value).__name__} "
                        f"{value!r:.60}") from None


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of the scalar function f at the array x.

    grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h) for every index i of x.
    f is called as f(x); x is perturbed *in place* one entry at a time (so f may also read x
    through a closure, e.g. a net's params) and each entry is restored exactly afterwards.
    x: float64 ndarray of any shape. Returns an array of the same shape.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a scalar, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("x must be a float64 numpy array (it is perturbed in place)")
    if not x.flags.writeable:
        raise ValueError("x must be a writeable array (it is perturbed in place); pass a copy, e.g. x.copy()")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must hold only finite numbers (no NaN or inf)")
    h = _checks.positive(h, "h")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + h
            f_plus = _scalar(f(x))
            x[index] = original - h
            f_minus = _scalar(f(x))
        finally:
            x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(computed, reference):
    """||computed - reference|| / (||computed|| + ||reference||), Euclidean norms over all entries (0 if both are 0).

    computed: the gradient under test (e.g. from backprop); reference: what it is checked against (e.g. a
    centred difference). The formula is symmetric, so the order only matters for the error messages.
    For float64 centred differences at a generic point, below 1e-7 the gradient is right (the
    course's one threshold). Above it, look closer: a wrong formula gives order 1, but so can a
    correct one when a sample sits within h of a kink such as relu's (notebook 02 measures 0.16),
    so re-check at another point before blaming backprop. The norm form is not fooled by single
    entries that are both nearly zero.
    """
    computed = _checks.float_array(computed, "computed", finite=True)
    reference = _checks.float_array(reference, "reference", finite=True)
    _checks.same_shape(computed, "computed", reference, "reference")
    denominator = np.linalg.norm(computed) + np.linalg.norm(reference)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(computed - reference) / denominator)


def check_mlp_gradients(net, X, y, loss="mse", h=1e-5):
    """Compare every backprop gradient of `net` with centred differences.

    Returns {param name: relative error} in the order of net.params; the worst is
    max(result.values()).
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a helpers.network.MLP, got {type(net).__name__}")
    h = _checks.positive(h, "h")
    _, grads = net.loss_and_grads(X, y, loss=loss)
    errors = {}
    for name, param in net.params.items():
        numeric = numerical_gradient(lambda _: net.loss(X, y, loss=loss), param, h=h)
        errors[name] = relative_error(grads[name], numeric)
    return errors
