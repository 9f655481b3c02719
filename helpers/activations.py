"""Activation functions and their derivatives (notebook 01 meets them, notebook 02 differentiates them).

Notation (the table in notebook 00): z is the pre-activation (at the output layer, the logit) and
a = f(z) the activation. Each function takes z (any shape) and returns an array of the same shape;
derivatives are taken with respect to z: f'(z). The article's listing writes `z * (1 - z)`: there `z`
is the sigmoid's *output* (our a), so that is sigmoid'(z) = a (1 - a) in our names; here the argument
is always the pre-activation z.
"""

import numpy as np

from . import _checks


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), computed without overflow for any finite z.

    For z >= 0 it uses 1 / (1 + e^{-z}); for z < 0 the equal form e^{z} / (1 + e^{z}).
    Both only ever exponentiate -|z|, so |z| = 1e4 gives 0 or 1 with no warning.
    Shape: same as z.
    """
    z = _checks.float_array(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)) = a (1 - a) with a = sigma(z). Shape: same as z.

    Largest value 1/4 at z = 0.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z). Shape: same as z."""
    return np.tanh(_checks.float_array(z, "z"))


def tanh_derivative(z):
    """tanh'(z) = 1 - tanh(z)^2. Shape: same as z. Largest value 1 at z = 0."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """relu(z) = max(z, 0). Shape: same as z."""
    return np.maximum(_checks.float_array(z, "z"), 0.0)


def relu_derivative(z):
    """relu'(z) = 1 if z > 0 else 0 (we take 0 at the kink z = 0, as PyTorch does). Shape: same as z."""
    return (_checks.float_array(z, "z") > 0).astype(np.float64)


def identity(z):
    """f(z) = z: the output 'activation' of a regression net. Shape: same as z."""
    return _checks.float_array(z, "z").copy()


def identity_derivative(z):
    """f'(z) = 1. Shape: same as z."""
    return np.ones_like(_checks.float_array(z, "z"))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "identity": (identity, identity_derivative),
}


def get_activation(name):
    """Return the pair (f, f') for a name in ACTIVATIONS, or raise ValueError naming the choices."""
    _checks.choice(name, "activation", ACTIVATIONS)
    return ACTIVATIONS[name]
