"""Train many hyperparameter configurations at once, as stacked arrays (notebooks 04-06).

A loop over 900 (learning rate, decay) pairs calls numpy 900 times per step. Here every
parameter gets a leading "config" axis C instead: W1 has shape (C, D, H), and one matmul
serves all configurations. The math is exactly that of `MLP.loss_and_grads` and
`optimizers.RMSprop`; tests/test_sweep.py checks the two against each other. This is a
speed device, kept apart so that the teaching code stays plain.

By default every configuration starts from the same initial parameters (the same seed), so the
only difference between them is the hyperparameters; pass one seed per configuration to
compare initialisations too (e.g. 5 seeds x 4 learning rates in one sweep).
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import get_activation
from .network import HIDDEN, MLP, OUTPUTS
from .surfaces import Surface
from .training import EXPLODE_FACTOR

OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


def lr_decay_grid(learning_rates, decays):
    """All pairs of two 1-D axes, flattened: returns (lr, decay), each of shape (len(lrs) * len(decays),).

    Row-major: config i is (learning_rates[i % n_lr], decays[i // n_lr]), so
    result.reshape(len(decays), len(learning_rates)) is an image with decay on the vertical axis.
    """
    learning_rates = _checks.float_array(learning_rates, "learning_rates", ndim=1, finite=True)
    decays = _checks.float_array(decays, "decays", ndim=1, finite=True)
    if np.any(learning_rates <= 0):
        raise ValueError("learning_rates must all be numbers > 0")
    if np.any((decays < 0) | (decays >= 1)):
        raise ValueError("decays must lie in [0, 1)")
    lr, decay = np.meshgrid(learning_rates, decays)
    return lr.ravel(), decay.ravel()


def _config_axes(learning_rates, decays, optimizer):
    _checks.choice(optimizer, "optimizer", OPTIMIZERS)
    lr = _checks.float_array(learning_rates, "learning_rates", ndim=1, finite=True)
    if lr.size == 0 or np.any(lr <= 0):
        raise ValueError("learning_rates must be a non-empty 1-D array of numbers > 0")
    if optimizer == "gd":
        if decays is not None:
            raise ValueError("decays must be None for optimizer='gd' (plain gradient descent has no decay)")
        return lr, np.zeros_like(lr)
    if decays is None:
        raise ValueError(f"decays must be given for optimizer={optimizer!r} (one per learning rate)")
    decay = _checks.float_array(decays, "decays", ndim=1, finite=True)
    if decay.shape != lr.shape:
        raise ValueError(f"decays must have the shape of learning_rates {lr.shape}, got {decay.shape}")
    if np.any((decay < 0) | (decay >= 1)):
        raise ValueError("decays must lie in [0, 1)")
    return lr, decay


class _StackedUpdate:
    """One update rule applied to all configurations; lr and decay have shape (C,)."""

    def __init__(self, optimizer, lr, decay, eps, eps_inside_sqrt, beta1=0.9):
        self.optimizer, self.lr, self.decay = optimizer, lr, decay
        self.eps, self.eps_inside_sqrt = eps, eps_inside_sqrt
        self.beta1 = beta1
        self.state = {}
        self.step_count = {}

    def step(self, name, param, grad, active):
        """Update param (C, ...) from grad (C, ...) where active (C,) is True; returns the new param."""
        shape = (-1,) + (1,) * (param.ndim - 1)
        lr, rho = self.lr.reshape(shape), self.decay.reshape(shape)
        grad = np.where(active.reshape(shape), grad, 0.0)
        if self.optimizer == "gd":
            update = lr * grad
        elif self.optimizer == "momentum":  # decay plays the momentum coefficient mu
            buf = self.state.setdefault(name, np.zeros_like(param))
            buf *= rho
            buf += grad
            update = lr * buf
        elif self.optimizer == "adam":  # decay plays beta2, the decay of the squared-gradient average
            t = self.step_count[name] = self.step_count.get(name, 0) + 1
            exp_avg = self.state.setdefault(name, np.zeros_like(param))
            exp_avg_sq = self.state.setdefault(name + ".sq", np.zeros_like(param))
            exp_avg += (1 - self.beta1) * (grad - exp_avg)
            exp_avg_sq *= rho
            exp_avg_sq += (1 - rho) * grad * grad
            step_size = lr / (1 - self.beta1**t)
            denom = np.sqrt(exp_avg_sq) / np.sqrt(1 - rho**t) + self.eps
            update = step_size * exp_avg / denom
        else:
            square_avg = self.state.setdefault(name, np.zeros_like(param))
            square_avg *= rho
            square_avg += (1 - rho) * grad * grad
            if self.eps_inside_sqrt:
                update = lr * grad / np.sqrt(square_avg + self.eps)
            else:
                update = lr * grad / (np.sqrt(square_avg) + self.eps)
        return np.where(active.reshape(shape), param - update, param)


@dataclass
class SweepResult:
    """What `sweep_mlp` returns. C is the number of configurations.

    learning_rates, decays: (C,). losses: (n_steps + 1, C), the loss before each step and after
    the last; NaN from the step a configuration diverged. diverged_at: (C,) int, -1 if never.
    params: the final parameters, {name: (C, *shape)}. seeds: (C,) int, each configuration's seed.
    """

    learning_rates: np.ndarray
    decays: np.ndarray
    losses: np.ndarray
    diverged_at: np.ndarray
    params: dict
    seeds: np.ndarray = None

    @property
    def final_loss(self):
        """The last finite loss of each configuration, inf where it diverged. Shape (C,)."""
        return np.where(self.diverged_at >= 0, np.inf, self.losses[-1])


def forward_stacked(params, X, hidden="tanh", output="sigmoid"):
    """The MLP forward pass for stacked params {"W1": (C, D, H), "b1": (C, H), ...}.

    X: (N, D), shared by all configurations. Returns (y_hat, cache), y_hat of shape (C, N, K).
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of stacked arrays such as SweepResult.params, "
                        f"got {type(params).__name__}")
    n_layers = len(params) // 2
    expected = {f"{kind}{layer}" for layer in range(1, n_layers + 1) for kind in "Wb"}
    if n_layers == 0 or set(params) != expected:
        raise ValueError(f"params must have the keys W1, b1, ..., WL, bL, got {sorted(params)}")
    for layer in range(1, n_layers + 1):
        W = _checks.float_array(params[f"W{layer}"], f"params['W{layer}']", ndim=3)
        b = _checks.float_array(params[f"b{layer}"], f"params['b{layer}']", ndim=2)
        if layer == 1:
            n_configs, n_inputs = W.shape[0], W.shape[1]
            n_in = n_inputs
        if W.shape[:2] != (n_configs, n_in) or b.shape != (n_configs, W.shape[2]):
            raise ValueError(f"params['W{layer}'] has shape {W.shape} and params['b{layer}'] has shape {b.shape}; "
                             f"they must be ({n_configs}, {n_in}, n_out) and ({n_configs}, n_out) to fit the layer "
                             "before")
        n_in = W.shape[2]
    X = _checks.float_array(X, "X", ndim=2, finite=True)
    if X.shape[1] != n_inputs:
        raise ValueError(f"X must have {n_inputs} columns (one per input feature), got shape {X.shape}")
    _checks.choice(hidden, "hidden", HIDDEN)
    _checks.choice(output, "output", OUTPUTS)
    return _forward_stacked(params, X, hidden, output)


def _forward_stacked(params, X, hidden, output):
    """forward_stacked without the argument checks (called on every step of a sweep)."""
    n_layers = len(params) // 2
    cache = {"A0": X}
    A = X
    for layer in range(1, n_layers + 1):
        f, _ = get_activation(output if layer == n_layers else hidden)
        Z = A @ params[f"W{layer}"] + params[f"b{layer}"][:, None, :]
        A = f(Z)
        cache[f"Z{layer}"], cache[f"A{layer}"] = Z, A
    return A, cache


def _loss_and_grads_stacked(params, X, y, hidden, output, loss):
    """MLP.loss_and_grads with a leading config axis: losses (C,), grads {name: (C, ...)}."""
    y_hat, cache = _forward_stacked(params, X, hidden, output)
    n_layers = len(params) // 2
    if loss == "bce":
        p = np.clip(y_hat, 1e-12, 1 - 1e-12)
        losses = -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p), axis=(1, 2))
        delta = (y_hat - y) / y.size
    else:
        losses = np.mean((y_hat - y) ** 2, axis=(1, 2))
        _, f_prime = get_activation(output)
        delta = 2.0 * (y_hat - y) / y.size * f_prime(cache[f"Z{n_layers}"])
    grads = {}
    for layer in range(n_layers, 0, -1):
        A_prev = cache[f"A{layer - 1}"]
        A_prev_T = A_prev.T if A_prev.ndim == 2 else A_prev.swapaxes(1, 2)
        grads[f"W{layer}"] = A_prev_T @ delta
        grads[f"b{layer}"] = delta.sum(axis=1)
        if layer > 1:
            _, f_prime = get_activation(hidden)
            delta = (delta @ params[f"W{layer}"].swapaxes(1, 2)) * f_prime(cache[f"Z{layer - 1}"])
    return losses, grads


def _config_seeds(seed, n_configs):
    """One seed (shared by all configurations) or one per configuration; returns (C,) ints."""
    if isinstance(seed, (list, tuple, np.ndarray)):
        seeds = np.asarray(seed)
        if seeds.ndim != 1 or seeds.size != n_configs:
            raise ValueError(f"seed must be one int or a 1-D list of {n_configs} ints (one per configuration), "
                             f"got shape {seeds.shape}")
        return np.array([_checks.seed(s.item() if isinstance(s, np.generic) else s, f"seed[{i}]")
                         for i, s in enumerate(seed)], dtype=int)
    return np.full(n_configs, _checks.seed(seed))


def sweep_mlp(X, y, learning_rates, decays=None, *, sizes=(2, 8, 1), hidden="tanh", output="sigmoid",
              loss="mse", optimizer="rmsprop", n_steps=300, seed=0, eps=1e-8, eps_inside_sqrt=False,
              explode_factor=EXPLODE_FACTOR, beta1=0.9):
    """Train one MLP(sizes, hidden, output, seed) per configuration, all at once.

    learning_rates: (C,). decays: (C,), the RMSprop decay rho (the momentum mu for
    optimizer="momentum", Adam's beta2 for optimizer="adam", whose beta1 is the keyword
    `beta1`); None for "gd". Use `lr_decay_grid` for a full grid.
    seed: one int for all configurations, or a list of C ints, one per configuration.
    eps_inside_sqrt applies to RMSprop only (Adam follows PyTorch: eps outside the sqrt).
    A configuration counts as diverged (and is frozen) at the first step where its loss is
    not finite or exceeds explode_factor times its first loss. Returns a SweepResult.
    """
    lr, decay = _config_axes(learning_rates, decays, optimizer)
    seeds = _config_seeds(seed, lr.size)
    net = MLP(sizes, hidden=hidden, output=output, seed=int(seeds[0]))  # checks sizes and names
    X = net._check_X(X)
    y = net._check_y(y, X.shape[0])
    _checks.choice(loss, "loss", ("mse", "bce"))
    if loss == "bce" and output != "sigmoid":
        raise ValueError("loss='bce' needs output='sigmoid', because it compares probabilities")
    if loss == "bce" and np.any((y < 0) | (y > 1)):
        raise ValueError("y for binary cross-entropy must lie in [0, 1] (it is a probability)")
    n_steps = _checks.positive_int(n_steps, "n_steps", minimum=0)
    eps = _checks.non_negative(eps, "eps")
    if not isinstance(eps_inside_sqrt, bool):
        raise TypeError(f"eps_inside_sqrt must be True or False, got {eps_inside_sqrt!r}")
    explode_factor = _checks.positive(explode_factor, "explode_factor")
    beta1 = _checks.unit_interval(beta1, "beta1")
    n_configs = lr.size
    if np.all(seeds == seeds[0]):
        params = {name: np.repeat(value[None], n_configs, axis=0) for name, value in net.params.items()}
    else:
        nets = {s: MLP(sizes, hidden=hidden, output=output, seed=int(s)) for s in np.unique(seeds)}
        params = {name: np.stack([nets[s].params[name] for s in seeds]) for name in net.params}
    update = _StackedUpdate(optimizer, lr, decay, eps, eps_inside_sqrt, beta1)
    losses = np.full((n_steps + 1, n_configs), np.nan)
    diverged_at = np.full(n_configs, -1)
    active = np.ones(n_configs, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(n_steps + 1):
            step_losses, grads = _loss_and_grads_stacked(params, X, y, hidden, output, loss)
            finite = np.isfinite(step_losses)
            for g in grads.values():
                finite &= np.all(np.isfinite(g.reshape(n_configs, -1)), axis=1)
            blown = ~finite | (step_losses > explode_factor * np.maximum(losses[0] if step else step_losses, 1e-300))
            newly = active & blown
            diverged_at[newly] = step
            active &= ~blown
            losses[step] = np.where(active, step_losses, np.nan)
            if step < n_steps and active.any():
                for name in params:
                    params[name] = update.step(name, params[name], grads[name], active)
    return SweepResult(lr, decay, losses, diverged_at, params, seeds)


@dataclass
class PathSweepResult:
    """What `sweep_paths` returns. C configurations, T = n_steps.

    paths: (T + 1, C, 2), frozen at the last finite point after divergence.
    square_avg: (T + 1, C, 2), RMSprop's v per coordinate (zeros for "gd").
    diverged_at: (C,) int, -1 if never.
    """

    learning_rates: np.ndarray
    decays: np.ndarray
    paths: np.ndarray
    square_avg: np.ndarray
    diverged_at: np.ndarray


def sweep_paths(surface, learning_rates, decays=None, *, optimizer="rmsprop", start=None, n_steps=100,
                eps=1e-8, eps_inside_sqrt=False, escape_radius=1e3):
    """Follow one optimizer per configuration on a 2-D surface, all at once.

    Same math as `training.optimize_path` with GradientDescent / Momentum / RMSprop, for
    C configurations in one array of points (C, 2). Returns a PathSweepResult.
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a helpers.surfaces.Surface, got {type(surface).__name__}")
    lr, decay = _config_axes(learning_rates, decays, optimizer)
    start = surface.start if start is None else start
    start = _checks.float_array(start, "start", ndim=1, finite=True)
    if start.shape != (2,):
        raise ValueError(f"start must be a point (x, y), got shape {start.shape}")
    n_steps = _checks.positive_int(n_steps, "n_steps", minimum=0)
    eps = _checks.non_negative(eps, "eps")
    if not isinstance(eps_inside_sqrt, bool):
        raise TypeError(f"eps_inside_sqrt must be True or False, got {eps_inside_sqrt!r}")
    escape_radius = _checks.positive(escape_radius, "escape_radius")
    n_configs = lr.size
    update = _StackedUpdate(optimizer, lr, decay, eps, eps_inside_sqrt)
    point = np.repeat(start[None], n_configs, axis=0)
    paths = np.empty((n_steps + 1, n_configs, 2))
    square_avg = np.zeros((n_steps + 1, n_configs, 2))
    paths[0] = point
    diverged_at = np.full(n_configs, -1)
    active = np.ones(n_configs, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(1, n_steps + 1):
            grad = surface._gradient(point)
            active &= np.all(np.isfinite(grad), axis=1)
            new_point = update.step("p", point, grad, active)
            escaped = active & ~(np.all(np.isfinite(new_point), axis=1) & (np.hypot(*new_point.T) <= escape_radius))
            diverged_at[escaped] = step
            active &= ~escaped
            diverged_at[(diverged_at < 0) & ~active] = step
            point = np.where(active[:, None], new_point, point)
            paths[step] = point
            if optimizer == "rmsprop":
                square_avg[step] = update.state["p"]
    return PathSweepResult(lr, decay, paths, square_avg, diverged_at)


REGIMES = ("converged", "slow", "diverged")


@dataclass
class RunClasses:
    """What `classify_runs` returns. C configurations; see REGIMES for the names.

    regime: (C,) int, 0 converged, 1 slow, 2 diverged (an index into REGIMES).
    final_loss: (C,) the last finite loss of each configuration.
    converged_at: (C,) int, the first step whose loss is below tol; -1 unless converged.
    diverged_at: (C,) int, the step the sweep stopped it, or else the first step whose loss
    rose above the starting loss; -1 unless diverged.
    tol: the loss below which a run counts as converged.
    """

    regime: np.ndarray
    final_loss: np.ndarray
    converged_at: np.ndarray
    diverged_at: np.ndarray
    tol: float


def classify_runs(result, tol=1e-3):
    """Sort the runs of a SweepResult into converged, slow and diverged (for a phase map).

        diverged:  the sweep stopped it (loss not finite or exploded), or its final loss is
                   above its starting loss (a bounded loss, e.g. MSE on a sigmoid, cannot
                   explode, but big steps throw it about and leave it worse than it began);
        converged: not diverged, and the final loss is below tol;
        slow:      the rest (still going down, or stuck, after n_steps).
    Returns a RunClasses.
    """
    if not isinstance(result, SweepResult):
        raise TypeError(f"result must be a SweepResult from sweep_mlp, got {type(result).__name__}")
    tol = _checks.positive(tol, "tol")
    losses = result.losses
    n_configs = losses.shape[1]
    columns = np.arange(n_configs)
    finite = np.isfinite(losses)
    last = np.where(finite.any(axis=0), finite.shape[0] - 1 - np.argmax(finite[::-1], axis=0), 0)
    final_loss = losses[last, columns]
    exploded = result.diverged_at >= 0
    worse = ~exploded & (final_loss > losses[0])
    diverged = exploded | worse
    with np.errstate(invalid="ignore"):
        rose = losses > losses[0]
        below = losses < tol
    converged = ~diverged & (final_loss < tol)
    regime = np.where(diverged, 2, np.where(converged, 0, 1))
    diverged_at = np.where(exploded, result.diverged_at, np.where(worse, np.argmax(rose, axis=0), -1))
    converged_at = np.where(converged, np.argmax(below, axis=0), -1)
    return RunClasses(regime, final_loss, converged_at, diverged_at, tol)
