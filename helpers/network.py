"""A multi-layer perceptron with backprop written as the delta recursion (notebooks 01, 03 and 03b).

Notation (shared with the notebooks; ℒ is the loss, L = n_layers the number of weight layers):
    A^[0] = X                                  (N, D)
    Z^[l] = A^[l-1] W^[l] + b^[l]              (N, n_l)
    A^[l] = f_l(Z^[l])                         (N, n_l)
    y_hat = A^[L]                              (N, K)
    delta^[l] = dℒ/dZ^[l]                      (N, n_l)

Backprop, from the output down:
    delta^[L]   = dℒ/dy_hat * f_L'(Z^[L])      (for sigmoid + bce this is (y_hat - y) / (N K))
    dℒ/dW^[l]   = A^[l-1]^T delta^[l]          (n_{l-1}, n_l)
    dℒ/db^[l]   = sum over rows of delta^[l]   (n_l,)
    delta^[l-1] = (delta^[l] W^[l]^T) * f_{l-1}'(Z^[l-1])
"""

import numpy as np

from . import _checks
from .activations import get_activation
from .losses import LOSSES, bce, bce_entries, mse, squared_error, targets_in_unit_interval

HIDDEN = ("sigmoid", "tanh", "relu")
OUTPUTS = ("sigmoid", "identity")


class MLP:
    """A fully connected net: `sizes = [D, H1, ..., K]`, float64 throughout.

    params: {"W1": (D, H1), "b1": (H1,), ..., "WL": (H_{L-1}, K), "bL": (K,)}.
    Weights start as N(0, 1/n_in) (Xavier-like; He's 2/n_in for relu), biases at zero,
    drawn from np.random.default_rng(seed) so that every run is the same.
    """

    def __init__(self, sizes, hidden="tanh", output="sigmoid", seed=0):
        if (isinstance(sizes, (str, bytes, dict, set)) or not hasattr(sizes, "__len__")
                or getattr(sizes, "ndim", 1) != 1):  # a 0-d or 2-D numpy array is no list of sizes either
            raise TypeError(f"sizes must be a list of ints like [2, 8, 1], got {type(sizes).__name__}")
        sizes = [_checks.positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output size, got {sizes}")
        self.sizes = sizes
        self.hidden = _checks.choice(hidden, "hidden", HIDDEN)
        self.output = _checks.choice(output, "output", OUTPUTS)
        self.seed = _checks.seed(seed)
        rng = np.random.default_rng(self.seed)
        gain = 2.0 if self.hidden == "relu" else 1.0
        self.params = {}
        for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            self.params[f"W{layer}"] = rng.normal(0.0, np.sqrt(gain / n_in), size=(n_in, n_out))
            self.params[f"b{layer}"] = np.zeros(n_out)

    @property
    def n_layers(self):
        """L, the number of weight matrices (never the loss, which is ℒ)."""
        return len(self.sizes) - 1

    def _check_X(self, X):
        X = _checks.float_array(X, "X", ndim=2, finite=True)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have {self.sizes[0]} columns (one per input feature), got shape {X.shape}")
        return X

    def _check_y(self, y, n_samples):
        y = _checks.float_array(y, "y", finite=True)
        expected = (n_samples, self.sizes[-1])
        if y.shape != expected:
            hint = " (use y.reshape(-1, 1) for a single output)" if y.ndim == 1 else ""
            raise ValueError(f"y must have shape {expected} to match the output, got {y.shape}{hint}")
        return y

    def forward_with_cache(self, X):
        """Forward pass that keeps what backprop needs.

        Returns (y_hat, cache) with cache = {"A0": X, "Z1": ..., "A1": ..., ..., "ZL": ..., "AL": y_hat}.
        """
        return forward_pass(self.params, self._check_X(X), self.hidden, self.output)

    def forward(self, X):
        """y_hat = A^[L] for inputs X of shape (N, D). Returns (N, K)."""
        return self.forward_with_cache(X)[0]

    def loss_and_grads(self, X, y, loss="mse"):
        """Mean loss over the batch and its gradient for every parameter, by backprop.

        X: (N, D), y: (N, K), loss: "mse" or "bce" (bce needs output="sigmoid").
        Returns (loss, grads) with grads[name].shape == params[name].shape.
        """
        _checks.choice(loss, "loss", LOSSES)
        if loss == "bce" and self.output != "sigmoid":
            raise ValueError("loss='bce' needs output='sigmoid', because it compares probabilities")
        y_hat, cache = self.forward_with_cache(X)
        y = self._check_y(y, y_hat.shape[0])
        if loss == "bce":
            targets_in_unit_interval(y)
        value, grads = backward_pass(self.params, cache, y, self.hidden, self.output, loss)
        return float(value), grads

    def loss(self, X, y, loss="mse"):
        """The mean loss alone (used by gradient checks). Returns a float."""
        _checks.choice(loss, "loss", LOSSES)
        if loss == "bce" and self.output != "sigmoid":
            raise ValueError("loss='bce' needs output='sigmoid', because it compares probabilities")
        y_hat = self.forward(X)
        y = self._check_y(y, y_hat.shape[0])
        return mse(y_hat, y) if loss == "mse" else bce(y_hat, y)

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, hidden={self.hidden!r}, output={self.output!r}, seed={self.seed})"


# The two passes, written once. `MLP` calls them for one net; helpers.sweep calls the same lines for a
# stack of C nets, whose params carry a leading config axis: W (C, n_in, n_out) and b (C, 1, n_out).
# Only two spellings make that possible: `.mT` (the transpose of the last two axes, which is `.T` for
# one matrix) and sums over axis=-2 (the sample axis, which is axis 0 for one net).

def forward_pass(params, X, hidden, output):
    """A^[0] = X;  Z^[l] = A^[l-1] W^[l] + b^[l];  A^[l] = f_l(Z^[l]).  No argument checks.

    params {"W1": (D, H1), "b1": (H1,), ...} (or stacked, see above); X (N, D).
    Returns (y_hat, cache), y_hat = A^[L] of shape (N, K) (stacked: (C, N, K)).
    """
    n_layers = len(params) // 2
    cache = {"A0": X}
    A = X
    for layer in range(1, n_layers + 1):
        f, _ = get_activation(output if layer == n_layers else hidden)
        Z = A @ params[f"W{layer}"] + params[f"b{layer}"]  # (N, n_l)
        A = f(Z)
        cache[f"Z{layer}"], cache[f"A{layer}"] = Z, A
    return A, cache


def loss_value(y_hat, y, loss):
    """ℒ = the mean of the per-entry loss over the last two axes (N samples x K outputs). No argument checks.

    y_hat, y: (N, K), or stacked (C, N, K) with y (N, K) or (C, N, K). Returns a float64 (stacked: shape (C,)).
    """
    entries = bce_entries(y_hat, y) if loss == "bce" else squared_error(y_hat, y)
    return np.mean(entries, axis=(-2, -1))


def backward_pass(params, cache, y, hidden, output, loss):
    """The loss and every gradient by the delta recursion (module docstring). No argument checks.

    cache from forward_pass; y (N, K), or (C, N, K) for a stack of nets each fed its own batch;
    loss "mse" or "bce" (bce with a sigmoid output).
    Returns (loss, grads): the mean over all N K entries (stacked: one per net, shape (C,)) and
    grads[name] with the shape of params[name] (stacked b: (C, n_out)).
    """
    n_layers = len(params) // 2
    y_hat = cache[f"A{n_layers}"]
    value = loss_value(y_hat, y, loss)
    n_entries = y.shape[-2] * y.shape[-1]  # N K (y.size for one net; y may also be stacked (C, N, K))
    if loss == "bce":
        # sigmoid + bce: dℒ/dZ^[L] = (y_hat - y) / (N K); computing it directly avoids 0/0 at saturation.
        delta = (y_hat - y) / n_entries
    else:
        _, f_prime = get_activation(output)
        delta = 2.0 * (y_hat - y) / n_entries * f_prime(cache[f"Z{n_layers}"])
    grads = {}
    for layer in range(n_layers, 0, -1):
        grads[f"W{layer}"] = cache[f"A{layer - 1}"].mT @ delta
        grads[f"b{layer}"] = delta.sum(axis=-2)
        if layer > 1:
            _, f_prime = get_activation(hidden)
            delta = (delta @ params[f"W{layer}"].mT) * f_prime(cache[f"Z{layer - 1}"])
    return value, {name: grads[name] for name in params}
