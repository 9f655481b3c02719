"""Slider explorer for notebook 07: GD, Momentum, RMSprop and Adam fed the same noisy mini-batches.

"07_minibatch_noise": a batch-size control (the full batch of 64 samples down to 1), η (log slider) and
RMSprop's decay ρ (even in log(1 - ρ), live.decay_slider). The data set is two overlapping Gaussian
clouds (helpers.data.gaussian_blobs), so that even at the best weights the per-sample gradients do not
vanish: the mini-batch gradient stays noisy near the minimum. One seeded schedule of mini-batches
(helpers.data.minibatch_indices) is shared by all four optimizers.

Left: the loss on all 64 samples against the step, for the four optimizers. Right, top: RMSprop's
√v̄ (the root of its square_avg, averaged over every weight) for this batch size and for the full batch;
right, bottom: the size of RMSprop's update (the RMS over weights of θ_{t+1} - θ_t), with η for scale.
At the full batch the update shrinks towards 0 as the gradient does; with small batches √v stays at the
noise level and the update stays near η: the iterate keeps moving.

Numbers: one chunk is one (batch size, optimizer, ρ) swept over every learning rate of the slider at once
(helpers.sweep.sweep_mlp with batch_indices); GD, Momentum (μ = 0.9) and Adam (β₁ = 0.9, β₂ = 0.999) do
not depend on ρ. The first picture computes its own chunks, a background thread the rest
(helpers.classroom.live.Precomputed).
"""

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

from .. import _checks
from ..data import gaussian_blobs, minibatch_indices
from ..sweep import sweep_mlp
from .i18n import text
from .live import Explorer, LiveFigure, Precomputed, decay_slider, log_slider, slider_positions
from .plotting import COLORS, OPTIMIZER_COLORS, PROJECTOR_STYLE

N_SAMPLES = 64
BATCH_SIZES = (64, 32, 16, 8, 4, 2, 1)  # full batch down to 1, halving
N_STEPS = 150
SCHEDULE_SEED = 0  # the order of the mini-batches, shared by every optimizer and learning rate
LR_RANGE = (1e-3, 1.0)
STEPS_PER_DECADE = 5
MOMENTUM = 0.9
SETTINGS = {"sizes": (2, 8, 1), "hidden": "tanh", "output": "sigmoid", "loss": "bce", "n_steps": N_STEPS, "seed": 0}
OPTIMIZERS = {"GD": "gd", "Momentum": "momentum", "RMSprop": "rmsprop", "Adam": "adam"}
TINY = 1e-300


def noise_data():
    """The data set: two overlapping clouds, 64 samples. Returns (X (64, 2), y (64, 1))."""
    return gaussian_blobs(N_SAMPLES, distance=1.5, spread=0.75, seed=1)


def batch_schedule(batch_size):
    """The sample indices of every step, (N_STEPS, batch_size), or None for the full batch."""
    if batch_size == N_SAMPLES:
        return None
    return minibatch_indices(N_SAMPLES, batch_size, N_STEPS, seed=SCHEDULE_SEED)


def learning_rate_grid():
    """Every value the η slider can take (5 per decade from 1e-3 to 1: 16 values)."""
    low, high = np.log10(LR_RANGE[0]), np.log10(LR_RANGE[1])  # the slider's min and max exponents
    n = round((high - low) * STEPS_PER_DECADE) + 1
    return np.array([float(10.0**e) for e in np.linspace(low, high, n)])  # as the FloatLogSlider computes them


def noise_runs(batch_size, optimizer, decay, learning_rates=None):
    """Train one optimizer at every learning rate at once on the batches of `batch_size`.

    optimizer: "gd", "momentum", "rmsprop" or "adam"; decay: RMSprop's ρ (ignored by the others: Momentum
    uses μ = 0.9, Adam β₂ = 0.999). Returns a dict of arrays: losses (T + 1, C), update_rms (T, C),
    square_avg_mean (T, C), diverged_at (C,), learning_rates (C,).
    """
    if isinstance(batch_size, bool) or batch_size not in BATCH_SIZES:
        raise ValueError(f"batch_size must be one of {BATCH_SIZES} (64 is the full batch), got {batch_size!r}")
    _checks.choice(optimizer, "optimizer", tuple(OPTIMIZERS.values()))
    decay = _checks.unit_interval(decay, "decay")
    X, y = noise_data()
    lr = learning_rate_grid() if learning_rates is None else np.asarray(learning_rates, dtype=np.float64)
    decays = {"gd": None, "momentum": np.full(lr.size, MOMENTUM), "adam": np.full(lr.size, 0.999),
              "rmsprop": np.full(lr.size, float(decay))}[optimizer]
    result = sweep_mlp(X, y, lr, decays, optimizer=optimizer, batch_indices=batch_schedule(batch_size),
                       track_updates=True, **SETTINGS)
    return {"losses": result.losses, "update_rms": result.update_rms, "square_avg_mean": result.square_avg_mean,
            "diverged_at": result.diverged_at, "learning_rates": result.learning_rates}


def chunk_key(batch_size, optimizer, decay):
    """The chunk of one (batch size, optimizer, ρ): ρ only matters for RMSprop."""
    return (int(batch_size), optimizer, round(float(decay), 6) if optimizer == "rmsprop" else 0.0)


def run_words(name, losses, diverged_at):
    """('diverged' or not, one phrase) for one run: diverged if stopped or if it ends above its start."""
    finite = losses[np.isfinite(losses)]
    final = float(finite[-1])
    if diverged_at >= 0 or final > losses[0]:
        return True, text(f"{name} diverged (loss {final:.2g}, above its start)",
                          f"{name} 发散了（损失 {final:.2g}，高于起始值）")
    return False, f"{name} {final:.3f}"


def v_ratio(rms, full, column):
    """How many times the full batch's √v̄ this batch size's RMSprop √v̄ sits, over the last 50 steps (NaN if a
    run diverged): the root of the ratio of the two mean square_avg over steps T - 49 … T."""
    mine, theirs = rms["square_avg_mean"][-50:, column], full["square_avg_mean"][-50:, column]
    if not (np.all(np.isfinite(mine)) and np.all(np.isfinite(theirs))) or theirs.mean() <= 0:
        return float("nan")
    return float(np.sqrt(mine.mean() / theirs.mean()))


def make_noise_explorer(batch_size=8, learning_rate=10**-1.6, decay=0.9):
    """Batch size (64 = full batch, down to 1), η (1e-3 to 1, log) and ρ (log in 1 - ρ); returns an Explorer.

    Default: batch 8, η ≈ 0.025, ρ = 0.9: RMSprop's √v̄ ends about 7 times above the full batch's (the noise);
    the status line gives the ratio.
    """
    if isinstance(batch_size, bool) or batch_size not in BATCH_SIZES:
        raise ValueError(f"batch_size must be one of {BATCH_SIZES} (64 is the full batch), got {batch_size!r}")
    learning_rate = _checks.positive(learning_rate, "learning_rate")
    if not LR_RANGE[0] <= learning_rate <= LR_RANGE[1]:
        raise ValueError(f"learning_rate must lie in [{LR_RANGE[0]:g}, {LR_RANGE[1]:g}], got {learning_rate!r}")
    decay = _checks.unit_interval(decay, "decay")
    with mpl.rc_context(PROJECTOR_STYLE):
        return _noise_explorer(batch_size, learning_rate, decay).compact_stored_png()


def _noise_explorer(batch_size, learning_rate, decay):
    batch_control = widgets.SelectionSlider(
        options=[(text(f"{b} (full)", f"{b}（全批量）") if b == N_SAMPLES else str(b), b) for b in BATCH_SIZES],
        value=batch_size, description=text("B batch size", "B 批量大小"), continuous_update=True)
    lr_control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *LR_RANGE,
                            steps_per_decade=STEPS_PER_DECADE)
    decay_control = decay_slider(text("ρ decay", "ρ 衰减系数"), decay)
    grid = learning_rate_grid()
    decays = [round(float(d), 6) for d in slider_positions(decay_control)]
    # First the chunks of the first picture's batch size (and the full batch, drawn for reference), then the
    # other batch sizes outwards from it, the four optimizers at the slider's ρ (so that moving B soon is a
    # lookup); then RMSprop at every other ρ, batch size by batch size in the same order.
    order = sorted(BATCH_SIZES, key=lambda b: (b not in (batch_size, N_SAMPLES), abs(np.log2(b / batch_size))))
    chunks = [chunk_key(b, o, decay) for b in order for o in OPTIMIZERS.values()]
    chunks += [chunk_key(b, "rmsprop", d) for b in order for d in decays]

    def distance(a, b):
        return (abs(np.log2(a[0] / b[0])), 0 if a[1] == b[1] else 1, abs(a[2] - b[2]))

    runs = Precomputed(lambda key: noise_runs(*key), chunks, name="mini-batch runs", distance=distance)

    def column(value):
        return int(np.argmin(np.abs(np.log10(grid) - np.log10(value))))

    live = LiveFigure(figsize=(11.0, 5.4), dpi=80, layout_key="07_minibatch_noise")
    grid_spec = live.figure.add_gridspec(2, 2, width_ratios=(1.15, 1.0))
    ax_loss = live.figure.add_subplot(grid_spec[:, 0])
    ax_v = live.figure.add_subplot(grid_spec[0, 1])
    ax_step = live.figure.add_subplot(grid_spec[1, 1], sharex=ax_v)
    steps = np.arange(N_STEPS + 1)

    start_loss = float(runs.get(chunk_key(batch_size, "gd", decay))["losses"][0, 0])
    ax_loss.set_xlim(0, N_STEPS)
    ax_loss.set_ylim(0.1, 0.8)
    ax_loss.axhline(start_loss, color=COLORS["black"], lw=1.0, ls=":")
    ax_loss.set_xlabel(text("step t", "步数 t"))
    ax_loss.set_ylabel(text("loss ℒ on all 64 samples (BCE)", "全部 64 个样本上的损失 ℒ（BCE）"))
    curves = {}
    for name in OPTIMIZERS:
        (curves[name],) = ax_loss.plot([], [], color=OPTIMIZER_COLORS[name], lw=2.2, label=name)
        live.animate(curves[name])
    ax_loss.legend(loc="upper right", fontsize=12, ncols=2, framealpha=0.9)
    loss_title = live.animate(ax_loss.set_title("", fontsize=14))

    ax_v.set_yscale("log")
    ax_v.set_xlim(0, N_STEPS)
    ax_v.set_ylim(1e-4, 1.0)
    ax_v.set_ylabel("√v̄")
    ax_v.set_title(text("RMSprop's √v̄: the gradient scale it sees", "RMSprop 的 √v̄：它看到的梯度尺度"), fontsize=14)
    (v_batch,) = ax_v.plot([], [], color=OPTIMIZER_COLORS["RMSprop"], lw=2.2, label=text("this B", "当前 B"))
    (v_full,) = ax_v.plot([], [], color=COLORS["black"], lw=1.6, ls="--", label=text("full batch", "全批量"))
    live.animate(v_batch, v_full)
    ax_v.legend(loc="lower left", fontsize=11, ncols=2, framealpha=0.9)
    ax_v.tick_params(labelbottom=False)

    ax_step.set_yscale("log")
    ax_step.set_ylim(1e-5, 10.0)
    ax_step.set_xlabel(text("step t", "步数 t"))
    ax_step.set_ylabel(text("|Δθ| (RMS)", "|Δθ|（均方根）"))
    (s_batch,) = ax_step.plot([], [], color=OPTIMIZER_COLORS["RMSprop"], lw=2.2, label=text("this B", "当前 B"))
    (s_full,) = ax_step.plot([], [], color=COLORS["black"], lw=1.6, ls="--", label=text("full batch", "全批量"))
    (s_eta,) = ax_step.plot([], [], color=COLORS["black"], lw=1.2, ls=":", label="η")
    live.animate(s_batch, s_full, s_eta)
    ax_step.legend(loc="lower left", fontsize=11, ncols=3, framealpha=0.9)
    step_title = live.animate(ax_step.set_title("", fontsize=14))

    def draw(batch_size, learning_rate, decay):
        j = column(learning_rate)
        words, any_diverged = [], False
        for name, optimizer in OPTIMIZERS.items():
            run = runs.get(chunk_key(batch_size, optimizer, decay))
            losses, diverged_at = run["losses"][:, j], int(run["diverged_at"][j])
            shown = np.isfinite(losses)
            curves[name].set_data(steps[shown], losses[shown])
            diverged, phrase = run_words(name, losses, diverged_at)
            any_diverged |= diverged
            words.append(phrase)
        rms = runs.get(chunk_key(batch_size, "rmsprop", decay))
        full = runs.get(chunk_key(N_SAMPLES, "rmsprop", decay))
        t = steps[1:]
        v_batch.set_data(t, np.sqrt(np.maximum(rms["square_avg_mean"][:, j], TINY)))
        v_full.set_data(t, np.sqrt(np.maximum(full["square_avg_mean"][:, j], TINY)))
        s_batch.set_data(t, np.maximum(rms["update_rms"][:, j], TINY))
        s_full.set_data(t, np.maximum(full["update_rms"][:, j], TINY))
        s_eta.set_data([0, N_STEPS], [grid[j], grid[j]])
        where = text("full batch", "全批量") if batch_size == N_SAMPLES else text(f"batch {batch_size}",
                                                                                   f"批量 {batch_size}")
        loss_title.set_text(text(f"Same batches for all four: {where}, η = {grid[j]:.3g}",
                                 f"四者用同样的批次：{where}，η = {grid[j]:.3g}"))
        tail = rms["update_rms"][-50:, j]
        tail = tail[np.isfinite(tail)]
        ratio = float(np.median(tail)) / grid[j] if tail.size else float("nan")
        step_title.set_text(text(f"RMSprop's update, last 50 steps ≈ {ratio:.2g} η",
                                 f"RMSprop 的更新量，最后 50 步 ≈ {ratio:.2g} η"))
        sentence = (text("Final loss on all 64 samples: ", "全部 64 个样本上的最终损失：")
                    + text("; ", "；").join(words) + text(".", "。"))
        if any_diverged:
            sentence += text(" The steps are too large for this η.", "对这个 η 来说步子太大了。")
        elif batch_size != N_SAMPLES:
            above = v_ratio(rms, full, j)
            if np.isfinite(above):
                sentence += text(f" RMSprop's √v̄ over the last 50 steps: {above:.1f} times the full batch's.",
                                 f"最后 50 步 RMSprop 的 √v̄ 是全批量的 {above:.1f} 倍。")
        return sentence

    controls = {"batch_size": batch_control, "learning_rate": lr_control, "decay": decay_control}
    return Explorer("07_minibatch_noise", live, controls, draw,
                    description=text("Shrink the batch: the noise keeps RMSprop's √v and its steps from vanishing.",
                                     "缩小批量：噪声使 RMSprop 的 √v 和步长不再趋于零。"),
                    precomputed=runs, defer_background=True)


EXPLORERS = {"07_minibatch_noise": make_noise_explorer}
