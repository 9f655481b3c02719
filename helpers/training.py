"""Training loops that stop, and say why, when training diverges (notebooks 03-06).

Divergence is an outcome to show a learner, not an exception: the loops return a flag and
a plain-language message instead of raising or filling the plot with NaN. The message is English; the
facts it is made of (`stopped_at`, `reason`, `learning_rate`, the losses or values) are fields of the
result, so that a notebook or `helpers.classroom` can say the same in another language (this core
module imports nothing from helpers.classroom).
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .network import MLP
from .optimizers import Optimizer
from .surfaces import Surface

# A loss this many times the first loss counts as exploded.
EXPLODE_FACTOR = 1e6


@dataclass
class TrainingResult:
    """What `train` returns.

    losses: float array (n_done + 1,): the loss before each step and after the last one.
    diverged: True if training stopped early; stopped_at: the step it stopped at, or None.
    message: one sentence for a learner, in English, e.g. "diverged at step 37: the loss became inf".
    reason: why it stopped, None if it did not: "not finite" (the loss or a gradient became inf or NaN) or
        "exploded" (the loss exceeded explode_factor times its first value; losses[0] and losses[-1] say how).
    learning_rate: the optimizer's learning rate (the message names it).
    """

    losses: np.ndarray
    diverged: bool
    stopped_at: int | None
    message: str
    reason: str | None = None
    learning_rate: float | None = None


def _diverged_message(step, what, learning_rate):
    return (
        f"diverged at step {step}: {what}. The learning rate {learning_rate:g} is too large "
        "for this problem; lower it."
    )


def train(net, X, y, optimizer, n_steps, loss="mse", explode_factor=EXPLODE_FACTOR):
    """Run n_steps of  loss, grads = net.loss_and_grads(X, y);  optimizer.step(net.params, grads).

    Stops early, with diverged=True and a message, when the loss or a gradient becomes
    non-finite or the loss exceeds explode_factor times its first value.
    X: (N, D), y: (N, K). Returns a TrainingResult.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a helpers.network.MLP, got {type(net).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a helpers.optimizers optimizer, got {type(optimizer).__name__}")
    n_steps = _checks.positive_int(n_steps, "n_steps", minimum=0)
    explode_factor = _checks.positive(explode_factor, "explode_factor")
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is detected below and reported in words
        for step in range(n_steps + 1):
            value, grads = net.loss_and_grads(X, y, loss=loss)
            losses.append(value)
            if not np.isfinite(value) or not all(np.all(np.isfinite(g)) for g in grads.values()):
                return TrainingResult(np.array(losses), True, step, _diverged_message(
                    step, "the loss or its gradient is no longer a finite number", optimizer.learning_rate),
                    "not finite", optimizer.learning_rate)
            if value > explode_factor * max(losses[0], np.finfo(float).tiny):
                return TrainingResult(np.array(losses), True, step, _diverged_message(
                    step, f"the loss grew from {losses[0]:.3g} to {value:.3g}", optimizer.learning_rate),
                    "exploded", optimizer.learning_rate)
            if step < n_steps:
                optimizer.step(net.params, grads)
    return TrainingResult(np.array(losses), False, None, f"finished {n_steps} steps; final loss {losses[-1]:.4g}",
                          None, optimizer.learning_rate)


@dataclass
class PathResult:
    """What `optimize_path` returns.

    path: (n_done + 1, 2) points, the start first; values: f along the path, shape (n_done + 1,).
    diverged, stopped_at, message, learning_rate: as in TrainingResult.
    reason: None, or "escaped" (the point left the disc of escape_radius or stopped being finite).
    """

    path: np.ndarray
    values: np.ndarray
    diverged: bool
    stopped_at: int | None
    message: str
    reason: str | None = None
    learning_rate: float | None = None


def optimize_path(surface, optimizer, start=None, n_steps=100, escape_radius=1e3):
    """Follow `optimizer` on a 2-D surface from `start` (default surface.start) for n_steps.

    Stops, with diverged=True and a message, when the point leaves a disc of escape_radius
    around the origin or stops being finite. The optimizer's state stays inspectable
    afterwards under the name "p".
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a helpers.surfaces.Surface, got {type(surface).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a helpers.optimizers optimizer, got {type(optimizer).__name__}")
    start = surface.start if start is None else start
    point = _checks.float_array(start, "start", ndim=1, finite=True).copy()
    if point.shape != (2,):
        raise ValueError(f"start must be a point (x, y), got shape {point.shape}")
    n_steps = _checks.positive_int(n_steps, "n_steps", minimum=0)
    escape_radius = _checks.positive(escape_radius, "escape_radius")
    params = {"p": point}
    path = [point.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, n_steps + 1):
            grad = surface.gradient(point)
            if np.all(np.isfinite(grad)):
                optimizer.step(params, {"p": grad})
            if not np.all(np.isfinite(grad) & np.isfinite(point)) or np.hypot(*point) > escape_radius:
                path = np.array(path)
                return PathResult(path, surface.value(path), True, step, _diverged_message(
                    step, "the point ran off to infinity", optimizer.learning_rate),
                    "escaped", optimizer.learning_rate)
            path.append(point.copy())
    path = np.array(path)
    return PathResult(path, surface.value(path), False, None, f"finished {n_steps} steps", None,
                      optimizer.learning_rate)
