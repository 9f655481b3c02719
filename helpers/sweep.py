"""Train many hyperparameter configurations at once, as stacked arrays (notebooks 04-08).

A loop over 900 (learning rate, decay) pairs calls numpy 900 times per step. Here every
parameter gets a leading "config" axis C instead: W1 has shape (C, D, H), and one matmul
serves all configurations. Nothing here re-implements a formula: the forward and backward
passes are helpers.network's `forward_pass` / `backward_pass` and the update rules are the
classes of helpers.optimizers, run on stacked arrays (hyperparameters as (C, 1) columns).

By default every configuration starts from the same initial parameters (the same seed), so the
only difference between them is the hyperparameters; pass one seed per configuration to
compare initialisations too (e.g. 5 seeds x 4 learning rates in one sweep).
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .network import HIDDEN, MLP, OUTPUTS, backward_pass, forward_pass, loss_value
from .optimizers import Adagrad, Adam, GradientDescent, Momentum, RMSprop
from .surfaces import Surface
from .training import EXPLODE_FACTOR

OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam", "adagrad")
NO_DECAY = ("gd", "adagrad")  # optimizers without a decay (or momentum) hyperparameter


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
    if optimizer in NO_DECAY:
        if decays is not None:
            raise ValueError(f"decays must be None for optimizer={optimizer!r} (it has no decay)")
        return lr, np.zeros_like(lr)
    if decays is None:
        raise ValueError(f"decays must be given for optimizer={optimizer!r} (one per learning rate)")
    decay = _checks.float_array(decays, "decays", ndim=1, finite=True)
    if decay.shape != lr.shape:
        raise ValueError(f"decays must have the shape of learning_rates {lr.shape}, got {decay.shape}")
    if np.any((decay < 0) | (decay >= 1)):
        raise ValueError("decays must lie in [0, 1)")
    return lr, decay


def _stacked_optimizer(optimizer, lr, decay, eps, eps_inside_sqrt, beta1=0.9, bias_correction=True):
    """The optimizer class of helpers.optimizers, holding one hyperparameter value per configuration.

    lr and decay (C,) become (C, 1) columns; the sweep hands each parameter over as a (C, P) array,
    so the optimizer's own update lines broadcast over all configurations. decay is the RMSprop
    decay rho, the momentum mu for "momentum", and beta2 for "adam".
    """
    lr_column = np.asarray(lr, dtype=np.float64)[:, None]
    decay_column = np.asarray(decay, dtype=np.float64)[:, None]
    if optimizer == "gd":
        opt = GradientDescent(1.0)
    elif optimizer == "momentum":
        opt = Momentum(1.0)
        opt.momentum = decay_column
    elif optimizer == "adam":
        opt = Adam(1.0, beta1=beta1, eps=eps, bias_correction=bias_correction)
        opt.beta2 = decay_column
    elif optimizer == "adagrad":
        opt = Adagrad(1.0, eps=eps)
    else:
        opt = RMSprop(1.0, eps=eps, eps_inside_sqrt=eps_inside_sqrt)
        opt.decay = decay_column
    opt.learning_rate = lr_column
    return opt


def _frozen_step(opt, params, grads, active):
    """One optimizer step for the active rows of (C, P) params; the other rows stay exactly as they were."""
    if active.all():  # the common case: nothing to freeze, no copies
        opt._apply(params, grads)
        return
    frozen = ~active
    kept = {name: param[frozen] for name, param in params.items()}
    for grad in grads.values():
        grad[frozen] = 0.0  # a diverged row may hold NaN; its update is thrown away below
    opt._apply(params, grads)
    for name, param in params.items():
        param[frozen] = kept[name]


@dataclass
class SweepResult:
    """What `sweep_mlp` returns. C is the number of configurations.

    learning_rates, decays: (C,). losses: (n_steps + 1, C), the loss before each step and after
    the last; NaN from the step a configuration diverged. diverged_at: (C,) int, -1 if never.
    params: the final parameters, {name: (C, *shape)}. seeds: (C,) int, each configuration's seed.
    With track_updates=True: update_rms (n_steps, C), the root mean square over every weight and bias
    of the step theta_{t+1} - theta_t (NaN once diverged); square_avg_mean (n_steps, C), the mean over
    every weight and bias of RMSprop's square_avg v (Adam's exp_avg_sq) after step t (NaN for GD, Momentum).
    """

    learning_rates: np.ndarray
    decays: np.ndarray
    losses: np.ndarray
    diverged_at: np.ndarray
    params: dict
    seeds: np.ndarray = None
    update_rms: np.ndarray = None
    square_avg_mean: np.ndarray = None

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
    return forward_pass(_with_row_axis(params), X, hidden, output)


def _with_row_axis(params):
    """Stacked params with each bias as (C, 1, n_out), the shape network.forward_pass adds to (C, N, n_out)."""
    return {name: value[:, None, :] if name.startswith("b") else value for name, value in params.items()}



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


def _batch_schedule(batch_indices, n_configs, n_steps, n_samples):
    """batch_indices checked and shaped (1 or C, n_steps, B) (None stays None)."""
    if batch_indices is None:
        return None
    if isinstance(batch_indices, (str, bytes)) or not hasattr(batch_indices, "__len__"):
        raise TypeError(f"batch_indices must be an int array (n_steps, B) or (C, n_steps, B), "
                        f"got {type(batch_indices).__name__}")
    batches = np.asarray(batch_indices)
    if batches.dtype == bool or batches.dtype.kind not in "iu":
        raise TypeError(f"batch_indices must hold ints (sample indices), got dtype {batches.dtype}")
    if batches.ndim == 2:
        batches = batches[None]
    if batches.ndim != 3 or batches.shape[0] not in (1, n_configs) or batches.shape[1] != n_steps:
        raise ValueError(f"batch_indices must have shape (n_steps, B) = ({n_steps}, B) or (C, n_steps, B) = "
                         f"({n_configs}, {n_steps}, B), got {np.shape(batch_indices)}")
    if batches.shape[2] == 0:
        raise ValueError("batch_indices must hold at least one sample per batch (B >= 1)")
    if batches.size and (batches.min() < 0 or batches.max() >= n_samples):
        raise ValueError(f"batch_indices must lie in 0 .. {n_samples - 1} (rows of X), got values from "
                         f"{batches.min()} to {batches.max()}")
    return batches.astype(np.intp, copy=False)


def sweep_mlp(X, y, learning_rates, decays=None, *, sizes=(2, 8, 1), hidden="tanh", output="sigmoid",
              loss="mse", optimizer="rmsprop", n_steps=300, seed=0, eps=1e-8, eps_inside_sqrt=False,
              explode_factor=EXPLODE_FACTOR, beta1=0.9, batch_indices=None, track_updates=False,
              bias_correction=True):
    """Train one MLP(sizes, hidden, output, seed) per configuration, all at once.

    learning_rates: (C,). decays: (C,), the RMSprop decay rho (the momentum mu for
    optimizer="momentum", Adam's beta2 for optimizer="adam", whose beta1 is the keyword
    `beta1`); None for "gd". Use `lr_decay_grid` for a full grid.
    seed: one int for all configurations, or a list of C ints, one per configuration.
    eps_inside_sqrt applies to RMSprop only (Adam follows PyTorch: eps outside the sqrt).
    A configuration counts as diverged (and is frozen) at the first step where its loss is
    not finite or exceeds explode_factor times its first loss. Returns a SweepResult.

    batch_indices: None (full batch: every step's gradient is that of the whole data set), or the
    sample indices of each step's mini-batch: an int array (n_steps, B) shared by every configuration
    (helpers.data.minibatch_indices makes one), or (C, n_steps, B), one schedule per configuration (e.g.
    several batch orders). Step t then computes the gradient on X[batch_indices[t]] only, while `losses`
    still records the loss on the whole data set (an extra forward pass), so runs stay comparable.
    track_updates=True also records the size of every step and RMSprop's v (see SweepResult).
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
    _checks.boolean(eps_inside_sqrt, "eps_inside_sqrt")
    explode_factor = _checks.positive(explode_factor, "explode_factor")
    beta1 = _checks.unit_interval(beta1, "beta1")
    _checks.boolean(bias_correction, "bias_correction")
    n_configs = lr.size
    batches = _batch_schedule(batch_indices, n_configs, n_steps, X.shape[0])
    _checks.boolean(track_updates, "track_updates")
    if np.all(seeds == seeds[0]):
        params = {name: np.repeat(value[None], n_configs, axis=0) for name, value in net.params.items()}
    else:
        nets = {s: MLP(sizes, hidden=hidden, output=output, seed=int(s)) for s in np.unique(seeds)}
        params = {name: np.stack([nets[s].params[name] for s in seeds]) for name in net.params}
    params = _with_row_axis(params)
    rows = {name: value.reshape(n_configs, -1) for name, value in params.items()}  # (C, P) views, updated in place
    opt = _stacked_optimizer(optimizer, lr, decay, eps, eps_inside_sqrt, beta1, bias_correction)
    losses = np.full((n_steps + 1, n_configs), np.nan)
    diverged_at = np.full(n_configs, -1)
    active = np.ones(n_configs, dtype=bool)
    n_params = sum(value.shape[1] for value in rows.values())
    update_rms = np.full((n_steps, n_configs), np.nan) if track_updates else None
    square_avg_mean = np.full((n_steps, n_configs), np.nan) if track_updates else None
    state_key = {"rmsprop": "square_avg", "adam": "exp_avg_sq"}.get(optimizer)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(n_steps + 1):
            y_hat, cache = forward_pass(params, X, hidden, output)
            if batches is None:
                step_losses, grads = backward_pass(params, cache, y, hidden, output, loss)
            else:  # the loss on all of X; the gradient on this step's mini-batch (none after the last step)
                step_losses = loss_value(y_hat, y, loss)
                grads = {}
                if step < n_steps:
                    rows_t = batches[:, step] if batches.shape[0] > 1 else batches[0, step]  # (C, B) or shared (B,)
                    _, batch_cache = forward_pass(params, X[rows_t], hidden, output)
                    _, grads = backward_pass(params, batch_cache, y[rows_t], hidden, output, loss)
            grads = {name: grad.reshape(n_configs, -1) for name, grad in grads.items()}
            finite = np.isfinite(step_losses)
            for g in grads.values():
                finite &= np.all(np.isfinite(g), axis=1)
            blown = ~finite | (step_losses > explode_factor * np.maximum(losses[0] if step else step_losses, 1e-300))
            newly = active & blown
            diverged_at[newly] = step
            active &= ~blown
            losses[step] = np.where(active, step_losses, np.nan)
            if step < n_steps and active.any():
                before = {name: value.copy() for name, value in rows.items()} if track_updates else None
                _frozen_step(opt, rows, grads, active)
                if track_updates:
                    squares = sum(np.sum((rows[name] - before[name]) ** 2, axis=1) for name in rows)
                    update_rms[step] = np.where(active, np.sqrt(squares / n_params), np.nan)
                    if state_key is not None:
                        total = sum(np.sum(opt.state[name][state_key], axis=1) for name in rows)
                        square_avg_mean[step] = np.where(active, total / n_params, np.nan)
    final = {name: value[:, 0, :] if name.startswith("b") else value for name, value in params.items()}
    return SweepResult(lr, decay, losses, diverged_at, final, seeds, update_rms, square_avg_mean)


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
                eps=1e-8, eps_inside_sqrt=False, escape_radius=1e3, beta1=0.9):
    """Follow one optimizer per configuration on a 2-D surface, all at once.

    Same math as `training.optimize_path` with the classes of helpers.optimizers (GradientDescent,
    Momentum, RMSprop, Adam with beta2 = decays and the keyword beta1, Adagrad), for C configurations
    in one array of points (C, 2). start: one point (2,) for all, or one per configuration (C, 2).
    Returns a PathSweepResult.
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a helpers.surfaces.Surface, got {type(surface).__name__}")
    lr, decay = _config_axes(learning_rates, decays, optimizer)
    start = surface.start if start is None else start
    start = _checks.float_array(start, "start", finite=True)
    if start.shape != (2,) and start.shape != (lr.size, 2):
        raise ValueError(f"start must be a point (x, y) or one point per configuration, shape ({lr.size}, 2); "
                         f"got shape {start.shape}")
    n_steps = _checks.positive_int(n_steps, "n_steps", minimum=0)
    eps = _checks.non_negative(eps, "eps")
    _checks.boolean(eps_inside_sqrt, "eps_inside_sqrt")
    escape_radius = _checks.positive(escape_radius, "escape_radius")
    beta1 = _checks.unit_interval(beta1, "beta1")
    n_configs = lr.size
    opt = _stacked_optimizer(optimizer, lr, decay, eps, eps_inside_sqrt, beta1)
    point = np.array(np.broadcast_to(start, (n_configs, 2)))  # (C, 2), updated in place by the optimizer
    paths = np.empty((n_steps + 1, n_configs, 2))
    square_avg = np.zeros((n_steps + 1, n_configs, 2))
    paths[0] = point
    diverged_at = np.full(n_configs, -1)
    active = np.ones(n_configs, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(1, n_steps + 1):
            grad = surface._gradient(point)
            active &= np.all(np.isfinite(grad), axis=1)
            last_good = point.copy()
            _frozen_step(opt, {"p": point}, {"p": grad}, active)
            escaped = active & ~(np.all(np.isfinite(point), axis=1) & (np.hypot(*point.T) <= escape_radius))
            diverged_at[escaped] = step
            active &= ~escaped
            diverged_at[(diverged_at < 0) & ~active] = step
            point[~active] = last_good[~active]
            paths[step] = point
            if optimizer == "rmsprop":
                square_avg[step] = opt.state["p"]["square_avg"]
    return PathSweepResult(lr, decay, paths, square_avg, diverged_at)


REGIMES = ("converged", "slow", "diverged", "stuck")
# Stuck: the last third of the run found no loss lower than this fraction of the best loss before it.
# (On the phase map of notebook 06 the runs fall into two clear groups, still falling (ratios up to
# 0.91) and flat (0.98 and above), so the line at 0.95 is far from both.)
PLATEAU = 0.95


@dataclass
class RunClasses:
    """What `classify_runs` returns. C configurations; see REGIMES for the names.

    regime: (C,) int, 0 converged, 1 slow, 2 diverged, 3 stuck (an index into REGIMES).
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
    """Sort the runs of a SweepResult into four regimes, converged, diverged, stuck and slow (for a phase map).

        diverged:  the sweep stopped it (loss not finite or exploded), or its final loss is
                   above its starting loss (a bounded loss, e.g. MSE on a sigmoid, cannot
                   explode, but big steps throw it about and leave it worse than it began);
        converged: not diverged, and the final loss is below tol;
        stuck:     neither, and the last third of the run lowered the best loss by less than
                   5 % (its best is at least PLATEAU times the best before it): a plateau, such
                   as the loss 0.25 of a net whose every output is 1/2, or a rattle that goes
                   nowhere. (A learning rate so small that a third of the run gains under 5 %
                   stalls in the same sense, and counts as stuck too.)
        slow:      the rest: still going down after n_steps, not fast enough to converge.
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
    cut = losses.shape[0] * 2 // 3  # the last third of the run starts here
    stuck = np.zeros(n_configs, dtype=bool)
    if 0 < cut < losses.shape[0]:
        # Runs that are neither diverged nor converged have only finite losses; a diverged run's NaN
        # compares False here, and it is masked out anyway.
        no_new_low = losses[cut:].min(axis=0) >= PLATEAU * losses[:cut].min(axis=0)
        stuck = no_new_low & ~diverged & ~converged
    regime = np.where(diverged, 2, np.where(converged, 0, np.where(stuck, 3, 1)))
    diverged_at = np.where(exploded, result.diverged_at, np.where(worse, np.argmax(rose, axis=0), -1))
    converged_at = np.where(converged, np.argmax(below, axis=0), -1)
    return RunClasses(regime, final_loss, converged_at, diverged_at, tol)
