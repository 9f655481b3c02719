"""Slider explorers for notebook 04: the learning rate of gradient descent, on XOR and on a quadratic.

"04_xor_learning_rate": one slider, eta. Every slider position is trained at once beforehand
(helpers.sweep.sweep_mlp), so an event only looks up a loss curve and a decision boundary and
blits them. The net is MLP([2, 8, 1], hidden="tanh", output="identity", loss="mse"): with an
identity output a too-large step makes the loss grow without bound, so all four regimes (too
small, good, oscillating, diverged) appear on the slider. (A sigmoid output bounds the loss by 1,
so large steps saturate the units instead of diverging.)

"04_quadratic_zigzag": two sliders, eta and kappa, on f(p) = 1/2 p^T diag(1, kappa) p. Along
eigendirection i gradient descent multiplies the coordinate by (1 - eta lambda_i) each step, so it
is stable iff eta < 2 / lambda_max = 2 / kappa. The figure shows the path on the contours, the two
coordinates against the step with the predicted |1 - eta lambda_i|^t, and |1 - eta lambda_i| as
a function of eta with the bound marked.
"""


import contourpy
import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import LinearSegmentedColormap

from ..data import xor
from ..surfaces import ill_conditioned_quadratic
from ..sweep import forward_stacked, sweep_mlp, sweep_paths
from .i18n import text
from .live import Explorer, LiveFigure, Precomputed, log_slider, reachable_positions, slider_positions
from .plotting import CLASS_COLORS, COLORS, PROJECTOR_STYLE, input_grid

# ---------------------------------------------------------------------------------------------
# XOR: the learning rate decides between four regimes.

XOR_NET = {"sizes": (2, 8, 1), "hidden": "tanh", "output": "identity", "loss": "mse", "seed": 0}
XOR_STEPS = 300
XOR_LR_RANGE = (1e-3, 10.0)
BOX = (-0.5, 1.5, -0.5, 1.5)
GRID_N = 60  # decision boundary drawn from a 60 x 60 grid of network outputs
REGIMES = ("too small", "good", "oscillating", "diverged")
REGIME_COLORS = {"too small": COLORS["sky"], "good": COLORS["green"], "oscillating": COLORS["orange"],
                 "diverged": COLORS["vermillion"]}
# A rise of the loss counts as an oscillation if it is > 10 % in one step while the loss is still
# above 1e-6 of its start (below that, round-off and tiny wobbles do not matter).
RISE_FACTOR = 1.1
RISE_FLOOR = 1e-6
# "Too small": after XOR_STEPS steps the loss has fallen less than 100-fold.
SLOW_FRACTION = 1e-2


def classify_run(losses, diverged_at):
    """The regime of one training run: "too small", "good", "oscillating" or "diverged".

    losses: (T + 1,) the loss before each step (NaN after divergence); diverged_at: step or -1.
    diverged: the loss became inf or exploded; oscillating: the loss rose by > 10 % in a step
    (while above 1e-6 of its start); too small: the final loss is > 1 % of the first; else good.
    """
    losses = np.asarray(losses, dtype=np.float64)
    if diverged_at >= 0:
        return "diverged"
    rises = (losses[1:] > RISE_FACTOR * losses[:-1]) & (losses[:-1] > RISE_FLOOR * losses[0])
    if np.any(rises):
        return "oscillating"
    if losses[-1] > SLOW_FRACTION * losses[0]:
        return "too small"
    return "good"


XOR_CHUNK = 8  # learning rates per background chunk: one sweep_mlp call of 8 costs about as much as of 1


class XorSweep:
    """Every learning rate trained, 8 at a time: losses, regimes and decision-boundary images, by lr.

    learning_rates: (C,) the slider's positions, sorted. They are split into fixed blocks of
    XOR_CHUNK; a block is one chunk of `self.precomputed` (helpers.classroom.live.Precomputed), trained by one
    call of helpers.sweep.sweep_mlp, whether the background thread or a slider event asks first.
    `run(lr)` gives one run: losses (T + 1,), diverged_at, regime, output (GRID_N, GRID_N) the net's
    output on the grid after training, wrong (4,) which XOR points are on the wrong side of
    y_hat = 1/2, correct how many are right. A learning rate off the grid is trained alone.
    """

    def __init__(self, learning_rates, n_steps=XOR_STEPS, chunk_size=XOR_CHUNK, first=None):
        self.X, self.y = xor()
        self.n_steps = n_steps
        self.learning_rates = np.unique(np.asarray(learning_rates, dtype=np.float64))
        self.xs, self.ys, self.grid = input_grid(BOX[:2], BOX[2:], n=GRID_N)
        n = self.learning_rates.size
        self.blocks = [(start, min(start + chunk_size, n)) for start in range(0, n, chunk_size)]
        order = list(range(len(self.blocks)))
        if first is not None:  # the block of the first picture first, then outwards from it
            k0 = self.locate(first)[0]
            if isinstance(k0, int):
                order.sort(key=lambda k: (abs(k - k0), k))
        self.precomputed = Precomputed(self._compute, order, name="XOR learning rates",
                                       distance=lambda a, b: abs(a - b))

    def _compute(self, chunk):
        if isinstance(chunk, int):
            lo, hi = self.blocks[chunk]
            return self._fill(self.learning_rates[lo:hi])
        return self._fill(np.array([chunk[1]], dtype=np.float64))  # ("alone", lr): off the grid

    def _fill(self, learning_rates):
        net = XOR_NET
        result = sweep_mlp(self.X, self.y, learning_rates, sizes=net["sizes"], hidden=net["hidden"],
                           output=net["output"], loss=net["loss"], optimizer="gd", n_steps=self.n_steps,
                           seed=net["seed"])
        with np.errstate(over="ignore", invalid="ignore"):
            grid_out, _ = forward_stacked(result.params, self.grid, hidden=net["hidden"], output=net["output"])
            point_out, _ = forward_stacked(result.params, self.X, hidden=net["hidden"], output=net["output"])
        wrong = (point_out[..., 0] > 0.5) != (self.y[:, 0] > 0.5)
        return {
            "losses": result.losses.T,
            "diverged_at": result.diverged_at,
            "outputs": grid_out[..., 0].reshape(-1, GRID_N, GRID_N),
            "wrong": wrong,
            "correct": np.sum(~wrong, axis=1),
            "regimes": np.array([classify_run(result.losses[:, i], result.diverged_at[i])
                                 for i in range(len(learning_rates))]),
        }

    def locate(self, learning_rate):
        """(chunk, column in it) of this learning rate; an off-grid one is its own chunk ("alone", lr)."""
        matches = np.flatnonzero(np.isclose(self.learning_rates, learning_rate, rtol=1e-9, atol=0.0))
        if not matches.size:
            return ("alone", float(learning_rate)), 0
        i = int(matches[0])
        k = next(k for k, (lo, hi) in enumerate(self.blocks) if lo <= i < hi)
        return k, i - self.blocks[k][0]

    def _pick(self, block, j):
        return {"losses": block["losses"][j], "diverged_at": int(block["diverged_at"][j]),
                "regime": str(block["regimes"][j]), "output": block["outputs"][j], "wrong": block["wrong"][j],
                "correct": int(block["correct"][j])}

    def run(self, learning_rate):
        """One learning rate's run (a dict, see the class); trained now if its chunk is not there yet."""
        chunk, j = self.locate(learning_rate)
        return self._pick(self.precomputed.get(chunk), j)

    def peek(self, learning_rate):
        """That run if its chunk is already there, else None (never trains)."""
        chunk, j = self.locate(learning_rate)
        block = self.precomputed.peek(chunk)
        return None if block is None else self._pick(block, j)


def regime_label(regime):
    """The name of a regime ("too small", "good", "oscillating", "diverged") in the current language."""
    return {"too small": text("too small", "太小"), "good": text("good", "合适"),
            "oscillating": text("oscillating", "振荡"), "diverged": text("diverged", "发散")}[regime]


def xor_status(learning_rate, regime, losses, diverged_at, correct, n_steps=XOR_STEPS):
    """The sentence shown under the XOR figure, naming the regime in words."""
    eta = f"η = {learning_rate:.3g}"
    first = losses[0]
    if regime == "diverged":
        return text(f"{eta} is too large: diverged at step {diverged_at}. The loss grew from {first:.3g} to more than "
                    "a million times that (or to inf); each step overshoots further than the last.",
                    f"{eta} 太大：在第 {diverged_at} 步发散。损失从 {first:.3g} 增长到它的一百万倍以上（或变成 inf）；"
                    "每一步都比上一步冲得更远。")
    last = losses[-1]
    points = text(f"{correct} of 4 points classified right", f"4 个点中分类正确 {correct} 个")
    if regime == "too small":
        return text(f"{eta} is too small: after {n_steps} steps the loss has only fallen from {first:.3g} to "
                    f"{last:.3g} ({last / first:.0%} of its start); {points}.",
                    f"{eta} 太小：{n_steps} 步之后，损失只从 {first:.3g} 降到 {last:.3g}"
                    f"（起点的 {last / first:.0%}）；{points}。")
    if regime == "oscillating":
        rises = int(np.sum((losses[1:] > RISE_FACTOR * losses[:-1]) & (losses[:-1] > RISE_FLOOR * first)))
        jump = float(np.nanmax(losses[1:] / losses[:-1]))
        return text(f"{eta} is oscillating: the steps overshoot, so the loss jumped up at {rises} of {n_steps} steps "
                    f"(by up to ×{jump:.3g}); it still ends at {last:.2g}; {points}.",
                    f"{eta} 在振荡：步子冲过了头，{n_steps} 步中有 {rises} 步损失向上跳"
                    f"（最多 ×{jump:.3g}）；最后仍停在 {last:.2g}；{points}。")
    return text(f"{eta} is good: the loss falls steadily from {first:.3g} to {last:.2g} in {n_steps} steps; {points}.",
                f"{eta} 合适：损失在 {n_steps} 步内从 {first:.3g} 平稳地降到 {last:.2g}；{points}。")


def xor_title(regime):
    """The loss panel's title after "η = ...", for a regime."""
    return {"too small": text("is too small: the loss barely moves", "太小：损失几乎不动"),
            "good": text("is good: a steady fall", "合适：平稳下降"),
            "oscillating": text("oscillates: the loss jumps up", "振荡：损失向上跳"),
            "diverged": text("is too large: diverged", "太大：发散")}[regime]


def _class_cmap():
    return LinearSegmentedColormap.from_list("xor_classes", [CLASS_COLORS[0], "#ffffff", CLASS_COLORS[1]])


def make_xor_learning_rate_explorer(learning_rate=0.1):
    """One slider, η from 1e-3 to 10 (log scale): the XOR MLP's loss curve and decision boundary.

    The first picture trains only the block of 8 learning rates around the slider's value; a
    background thread trains the other blocks (helpers.classroom.live.Precomputed), and a position not
    reached yet is trained on the spot. Once all are there, an event is a lookup and a blit.
    Default η = 0.1: good.
    """
    with mpl.rc_context(PROJECTOR_STYLE):  # the same fonts in a notebook, a test and a benchmark
        return _xor_explorer(learning_rate).compact_stored_png(dither=True)


def _xor_explorer(learning_rate):
    control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *XOR_LR_RANGE, steps_per_decade=10)
    reachable = reachable_positions(control)
    sweep = XorSweep(np.concatenate([reachable, slider_positions(control, 30)]), first=learning_rate)
    sweep.run(learning_rate)  # the first picture's chunk, now; the others in the background thread

    live = LiveFigure(figsize=(10.0, 5.8), dpi=80, layout_key="04_xor_learning_rate")
    grid_spec = live.figure.add_gridspec(2, 2, height_ratios=(5.0, 1.25), width_ratios=(1.35, 1.0))
    ax_loss = live.figure.add_subplot(grid_spec[0, 0])
    ax_plane = live.figure.add_subplot(grid_spec[0, 1])
    ax_eta = live.figure.add_subplot(grid_spec[1, :])

    # Loss against step: every slider position faintly, coloured by its regime; the current one bold.
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, sweep.n_steps)
    ax_loss.set_ylim(1e-8, 1e4)
    ax_loss.set_xlabel(text("step t", "步数 t"))
    ax_loss.set_ylabel(text("loss ℒ (MSE, log scale)", "损失 ℒ（MSE，对数坐标）"))
    loss_title = live.animate(ax_loss.set_title(f"η = 0.001 {xor_title('too small')}", fontsize=14))
    steps = np.arange(sweep.n_steps + 1)
    # The faint curves fill in as the background thread trains their chunks: baked into the cached
    # background (helpers.classroom.live.LiveFigure.bake), so a new chunk never costs a full redraw; the legend on top.
    faint = live.bake(ax_loss.add_collection(LineCollection([], linewidths=1.0, alpha=0.35)))
    handles = [ax_loss.plot([], [], color=REGIME_COLORS[r], lw=3, label=regime_label(r))[0] for r in REGIMES]
    live.bake(ax_loss.legend(handles=handles, loc="lower left", fontsize=12, ncols=2, framealpha=0.9))
    (loss_line,) = ax_loss.plot([], [], color=COLORS["black"], lw=3)
    live.animate(loss_line)
    blowup = live.animate(ax_loss.text(0, 0, "", fontsize=13, fontweight="bold", color=COLORS["vermillion"],
                                       ha="left", va="top"))

    # Decision boundary: the output on a grid, the line y_hat = 1/2, the four points.
    x_lo, x_hi, y_lo, y_hi = BOX
    image = live.animate(ax_plane.imshow(np.zeros((GRID_N, GRID_N)), origin="lower", extent=BOX, cmap=_class_cmap(),
                                         vmin=0.0, vmax=1.0, interpolation="bilinear", aspect="equal"))
    boundary = live.animate(ax_plane.add_collection(LineCollection([], colors=COLORS["black"], linewidths=2.5)))
    colors = [CLASS_COLORS[int(t)] for t in sweep.y[:, 0]]
    live.animate(ax_plane.scatter(sweep.X[:, 0], sweep.X[:, 1], s=380, c=colors, edgecolors="black",
                                  linewidths=2.0, zorder=3))
    for (x1, x2), target in zip(sweep.X, sweep.y[:, 0], strict=True):  # the class written in each point
        live.animate(ax_plane.text(x1, x2, f"{target:.0f}", ha="center", va="center", fontsize=13,
                                   fontweight="bold", color="white", zorder=4))
    wrong = live.animate(ax_plane.scatter([], [], s=700, facecolors="none", edgecolors=COLORS["vermillion"],
                                          linewidths=3, zorder=4))
    ax_plane.set_xlim(x_lo, x_hi)
    ax_plane.set_ylim(y_lo, y_hi)
    ax_plane.set_xlabel(text("x₁ (input 1)", "x₁（输入 1）"))
    ax_plane.set_ylabel(text("x₂ (input 2)", "x₂（输入 2）"))
    ax_plane.set_title(text(f"Output ŷ after {sweep.n_steps} steps", f"{sweep.n_steps} 步后的输出 ŷ"))
    plane_note = live.animate(ax_plane.text(0.5, 0.5, "", transform=ax_plane.transAxes, ha="center", va="center",
                                            fontsize=14, fontweight="bold", color=COLORS["vermillion"],
                                            bbox={"facecolor": "white", "alpha": 0.9, "lw": 0}))

    # The eta axis: which regime each slider position lands in, and where the slider is now.
    ax_eta.set_xscale("log")
    ax_eta.set_xlim(*XOR_LR_RANGE)
    ax_eta.set_ylim(0, 1)
    ax_eta.set_yticks([])
    ax_eta.grid(False)
    ax_eta.set_xlabel(text("η learning rate (log scale): the regime each slider position lands in",
                           "η 学习率（对数坐标）：滑块每个位置落入的状态"))
    edges = np.sqrt(np.array(reachable[:-1]) * np.array(reachable[1:]))
    edges = np.concatenate([[XOR_LR_RANGE[0]], edges, [XOR_LR_RANGE[1]]])
    spans = live.bake(ax_eta.add_collection(PolyCollection([], alpha=0.55, linewidths=0)))
    labels = {regime: live.bake(ax_eta.text(1.0, 0.5, "", ha="center", va="center", fontsize=12, linespacing=0.9))
              for regime in REGIMES}
    waiting = live.bake(ax_eta.text(np.sqrt(XOR_LR_RANGE[0] * XOR_LR_RANGE[1]), 0.5,
                                       text("the other positions: being computed", "其余位置：正在计算"),
                                       ha="center", va="center", fontsize=12,
                                       style="italic", color="0.35"))
    known = {}  # index in `reachable` -> regime, for the positions whose chunk is there

    def update_summary():
        """Every reachable slider position faintly (loss curve, regime span), as far as its chunk is there."""
        new = {k: run["regime"] for k, lr in enumerate(reachable)
               if k not in known and (run := sweep.peek(lr)) is not None}
        if not new:
            return
        known.update(new)
        live.rebake()
        ks = sorted(known)
        faint.set_segments([np.column_stack([steps, sweep.peek(reachable[k])["losses"]]) for k in ks])
        faint.set_colors([REGIME_COLORS[known[k]] for k in ks])
        spans.set_verts([[(edges[k], 0.0), (edges[k + 1], 0.0), (edges[k + 1], 1.0), (edges[k], 1.0)] for k in ks])
        spans.set_facecolors([REGIME_COLORS[known[k]] for k in ks])
        if len(known) < len(reachable):
            return
        waiting.set_text("")
        for regime, artist in labels.items():
            ks = [k for k in range(len(reachable)) if known[k] == regime]
            if ks:
                name = regime_label(regime)
                label = name if len(ks) > 3 else text({"oscillating": "oscil-\nlating"}.get(regime,
                                                                                           regime.replace(" ", "\n")),
                                                      name)
                artist.set_position((np.sqrt(edges[ks[0]] * edges[ks[-1] + 1]), 0.5))
                artist.set_text(label)

    marker = live.animate(ax_eta.axvline(learning_rate, color=COLORS["black"], lw=4, clip_on=False))

    def draw(learning_rate):
        run = sweep.run(learning_rate)
        update_summary()
        regime = run["regime"]
        losses = run["losses"]
        loss_line.set_data(steps, losses)
        loss_title.set_text(f"η = {learning_rate:.3g} {xor_title(regime)}")
        d = run["diverged_at"]
        if d >= 0:
            blowup.set_position((min(d, sweep.n_steps * 0.45), 5e3))
            blowup.set_text(text(f"↑ diverged at step {d}", f"↑ 在第 {d} 步发散"))
        else:
            blowup.set_text("")
        outputs = run["output"]
        image.set_data(np.clip(np.nan_to_num(outputs, nan=0.5), 0.0, 1.0))
        if np.all(np.isfinite(outputs)):
            lines = contourpy.contour_generator(sweep.xs, sweep.ys, outputs).lines(0.5)
        else:
            lines = []
        boundary.set_segments(lines)
        miss = run["wrong"]
        wrong.set_offsets(sweep.X[miss] if miss.any() else np.empty((0, 2)))
        plane_note.set_text(text(f"diverged at step {d}:\nthe boundary is\nmeaningless",
                                 f"在第 {d} 步发散：\n这条边界\n没有意义") if d >= 0 else "")
        marker.set_xdata([learning_rate, learning_rate])
        return xor_status(learning_rate, regime, losses, d, run["correct"], sweep.n_steps)

    return Explorer("04_xor_learning_rate", live, {"learning_rate": control}, draw,
                    description=text("Move η: too small, good, oscillating, diverged.",
                                     "移动 η：太小、合适、振荡、发散。"),
                    precomputed=sweep.precomputed, defer_background=True)



# ---------------------------------------------------------------------------------------------
# The ill-conditioned quadratic: the zig-zag and the stability bound 2 / lambda_max.

QUAD_STEPS = 100
QUAD_LR_RANGE = (1e-3, 1.0)
KAPPA_RANGE = (1.0, 100.0)
QUAD_START = (-1.8, 0.6)
ESCAPE_RADIUS = 1e3  # sweep_paths' default: a path that leaves this disc has diverged
PLANE = (-2.0, 2.0, -1.0, 1.0)
ELLIPSE_A = np.array([0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.8, 3.3])  # semi-axes of the contours along x


def run_message(result):
    """The sentence of a helpers.training result (TrainingResult or PathResult) in the current language.

    helpers.training is numpy core and words its `message` in English only; this says the same from the
    result's facts (diverged, stopped_at, reason, learning_rate, losses), so a Chinese notebook prints Chinese.
    """
    step, eta = result.stopped_at, result.learning_rate
    if not result.diverged:
        n_steps = len(result.losses if hasattr(result, "losses") else result.path) - 1
        if hasattr(result, "losses"):
            final = result.losses[-1]
            return text(f"finished {n_steps} steps; final loss {final:.4g}",
                        f"完成 {n_steps} 步；最终损失 {final:.4g}")
        return text(f"finished {n_steps} steps", f"完成 {n_steps} 步")
    what = {"not finite": text("the loss or its gradient is no longer a finite number",
                               "损失或它的梯度不再是有限的数"),
            "escaped": text("the point ran off to infinity", "点跑向了无穷远")}
    if result.reason == "exploded":
        first, last = result.losses[0], result.losses[-1]
        cause = text(f"the loss grew from {first:.3g} to {last:.3g}", f"损失从 {first:.3g} 增长到 {last:.3g}")
    else:
        cause = what.get(result.reason, text("it stopped", "它停了下来"))
    return text(f"diverged at step {step}: {cause}. The learning rate {eta:g} is too large for this problem; "
                "lower it.",
                f"在第 {step} 步发散：{cause}。学习率 {eta:g} 对这个问题太大了，请调小它。")


def quadratic_status(learning_rate, kappa, diverged_at, final_value, n_steps=QUAD_STEPS):
    """The sentence under the quadratic figure: where eta sits against the bound 2 / kappa, and what happened.

    Near the bound (0.1995 at kappa = 10) eta gets 4 significant digits and the steep factor 3 decimals, so
    that the line never reads "η = 0.2 ... factor -1.00" for a point that converges.
    """
    bound = 2.0 / kappa
    near = f"{learning_rate:.3g}" == f"{bound:.3g}"
    eta = f"η = {learning_rate:.4g}" if near else f"η = {learning_rate:.3g}"
    steep, flat = 1.0 - learning_rate * kappa, 1.0 - learning_rate
    where = text(f"the stability bound 2/λ_max = 2/{kappa:.3g} = {bound:.3g}",
                 f"稳定性上界 2/λ_max = 2/{kappa:.3g} = {bound:.3g}")
    if diverged_at >= 0:
        return text(f"{eta} is above {where}: diverged at step {diverged_at}. Each step multiplies the steep "
                    f"coordinate by 1 − ηκ = {steep:.3g}, so it grows.",
                    f"{eta} 高于{where}：在第 {diverged_at} 步发散。每一步都把陡峭方向的坐标乘以 "
                    f"1 − ηκ = {steep:.3g}，所以它越来越大。")
    if abs(steep) > 1.0:
        return text(f"{eta} is above {where}: the steep coordinate grows by |1 − ηκ| = {abs(steep):.3g} per step, so "
                    f"it will diverge; after {n_steps} steps it has not yet left the plot.",
                    f"{eta} 高于{where}：陡峭方向的坐标每步增长 |1 − ηκ| = {abs(steep):.3g} 倍，所以它终将发散；"
                    f"{n_steps} 步之后它还没有离开画面。")
    if abs(steep) == 1.0:
        return text(f"{eta} sits exactly on {where}: the steep coordinate bounces back and forth and never shrinks.",
                    f"{eta} 恰好等于{where}：陡峭方向的坐标来回弹跳，永不缩小。")
    rate = max(abs(steep), abs(flat))
    if abs(steep) < 5e-3:
        shape = text("is gone after one step (η = 1/κ)", "一步就归零（η = 1/κ）")
    elif steep < 0:
        shape = text("zig-zags (the sign flips each step)", "呈锯齿形（每步变号）")
    else:
        shape = text("shrinks without zig-zag", "平稳缩小，没有锯齿")
    steep_text = f"{steep:.3f}" if round(abs(steep), 2) == 1.0 else f"{steep:.2f}"  # -0.995, not -1.00
    return text(f"{eta} is below {where}: converges. Per step the steep coordinate is multiplied by "
                f"1 − ηκ = {steep_text} and {shape}, the flat one by 1 − η = {flat:.2f}; the slower factor "
                f"{rate:.3g} sets the pace: f = {final_value:.1e} after {n_steps} steps.",
                f"{eta} 低于{where}：收敛。每一步陡峭方向的坐标乘以 1 − ηκ = {steep_text}，{shape}；"
                f"平坦方向的坐标乘以 1 − η = {flat:.2f}；较慢的因子 {rate:.3g} 决定速度：{n_steps} 步后 "
                f"f = {final_value:.1e}。")


def quadratic_title(learning_rate, kappa, diverged_at):
    """The plane's title: where eta sits against 1/kappa and 2/kappa, and what the path does, in a few words."""
    eta, steep = f"η = {learning_rate:.3g}", 1.0 - learning_rate * kappa
    if diverged_at >= 0 or abs(steep) > 1.0:
        outcome = text("diverged", "已发散") if diverged_at >= 0 else text("will diverge", "终将发散")
        return text(f"{eta} > 2/κ = {2.0 / kappa:.3g}: the zig-zag grows, GD " + outcome,
                    f"{eta} > 2/κ = {2.0 / kappa:.3g}：锯齿越来越大，GD " + outcome)
    if abs(steep) == 1.0:
        return text(f"{eta} = 2/κ: the zig-zag neither grows nor shrinks", f"{eta} = 2/κ：锯齿既不变大也不变小")
    if abs(steep) < 5e-3:
        return text(f"{eta} = 1/κ: the steep direction is done in one step", f"{eta} = 1/κ：陡峭方向一步到位")
    bound, half = 2.0 / kappa, 1.0 / kappa
    if steep < 0:
        if f"{learning_rate:.3g}" == f"{bound:.3g}":  # 0.1995 and 0.2 would both read "0.2"
            return text(f"η = {learning_rate:.4g}, just below 2/κ = {bound:.4g}: the zig-zag barely shrinks",
                        f"η = {learning_rate:.4g}，略低于 2/κ = {bound:.4g}：锯齿几乎不缩小")
        return text(f"1/κ < {eta} < 2/κ = {bound:.3g}: GD zig-zags, but converges",
                    f"1/κ < {eta} < 2/κ = {bound:.3g}：GD 走锯齿，但会收敛")
    if f"{learning_rate:.3g}" == f"{half:.3g}":
        return text(f"η = {learning_rate:.4g}, just below 1/κ = {half:.4g}: almost no overshoot",
                    f"η = {learning_rate:.4g}，略低于 1/κ = {half:.4g}：几乎没有冲过头")
    return text(f"{eta} < 1/κ = {half:.3g}: no overshoot, no zig-zag", f"{eta} < 1/κ = {half:.3g}：不冲过头，没有锯齿")


class QuadraticSweep:
    """Gradient-descent paths on the quadratic for many learning rates at once, one chunk per kappa.

    A chunk of `self.precomputed` is one kappa: helpers.sweep.sweep_paths over every learning rate
    of the grid, whether the background thread or a slider event asks first. `kappas` lists the
    slider positions the background fills, nearest to the first picture's kappa first.
    """

    def __init__(self, learning_rates, n_steps=QUAD_STEPS, kappas=()):
        self.learning_rates = np.asarray(learning_rates, dtype=np.float64)
        self.n_steps = n_steps
        self.precomputed = Precomputed(self._compute, [float(k) for k in kappas], name="quadratic kappas",
                                       distance=lambda a, b: abs(np.log(a / b)))

    def _compute(self, key):
        kappa, alone = (key, None) if isinstance(key, float) else key
        lrs = self.learning_rates if alone is None else np.array([alone])
        result = sweep_paths(ill_conditioned_quadratic(kappa), lrs, optimizer="gd", start=QUAD_START,
                             n_steps=self.n_steps, escape_radius=ESCAPE_RADIUS)
        return result.paths, result.diverged_at

    def path(self, learning_rate, kappa):
        """(path (T + 1, 2) up to the last point inside the escape disc, diverged_at or -1)."""
        matches = np.flatnonzero(np.isclose(self.learning_rates, learning_rate, rtol=1e-9, atol=0.0))
        if matches.size:
            paths, diverged_at = self.precomputed.get(float(kappa))
            i = int(matches[0])
        else:  # off the grid: this learning rate alone
            paths, diverged_at = self.precomputed.get((float(kappa), float(learning_rate)))
            i = 0
        return paths[:, i], int(diverged_at[i])


def make_quadratic_zigzag_explorer(learning_rate=0.18, kappa=10.0):
    """Sliders η (1e-3 to 1, log) and κ (1 to 100, log) for GD on f = (x² + κ y²) / 2 from (-1.8, 0.6).

    Default: κ = 10 (bound 0.2) and η = 0.18: stable, but the steep coordinate flips sign every step
    (1 − ηκ = −0.8), the zig-zag, while the flat one shrinks by only 0.82 per step.
    """
    with mpl.rc_context(PROJECTOR_STYLE):
        return _quadratic_explorer(learning_rate, kappa).compact_stored_png(dither=True)


def _quadratic_explorer(learning_rate, kappa):
    lr_control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *QUAD_LR_RANGE, steps_per_decade=10)
    kappa_control = log_slider(text("κ condition number", "κ 条件数"), kappa, *KAPPA_RANGE, steps_per_decade=10)
    n_lr = round((lr_control.max - lr_control.min) / lr_control.step) + 1
    reachable = [float(10.0**e) for e in np.linspace(lr_control.min, lr_control.max, n_lr)]
    n_kappa = round((kappa_control.max - kappa_control.min) / kappa_control.step) + 1
    kappas = np.unique(np.concatenate([[float(10.0**e) for e in np.linspace(kappa_control.min, kappa_control.max,
                                                                            n_kappa)],
                                       slider_positions(kappa_control, 30), [kappa]]))
    kappas = sorted(kappas, key=lambda k: (abs(np.log(k / kappa)), k))  # the first picture's kappa first
    sweep = QuadraticSweep(np.unique(np.concatenate([reachable, slider_positions(lr_control, 30), [learning_rate]])),
                           kappas=kappas)

    live = LiveFigure(figsize=(9.0, 5.9), dpi=80, layout_key="04_quadratic_zigzag")
    grid_spec = live.figure.add_gridspec(2, 2, height_ratios=(1.1, 1.0))
    ax_plane = live.figure.add_subplot(grid_spec[0, :])
    ax_coord = live.figure.add_subplot(grid_spec[1, 0])
    ax_rate = live.figure.add_subplot(grid_spec[1, 1])

    # The plane: filled contour bands of f. The level sets of f are ellipses with semi-axes a along x and
    # a / sqrt(kappa) along y, so they are computed exactly for any kappa (no contour image to cache).
    theta = np.linspace(0.0, 2.0 * np.pi, 121)
    shades = mpl.colormaps["cividis"](np.linspace(0.15, 0.95, len(ELLIPSE_A) + 1))
    ax_plane.set_facecolor(shades[-1])
    bands = [live.animate(ax_plane.fill([], [], color=shades[k], lw=0)[0])
             for k in range(len(ELLIPSE_A) - 1, -1, -1)]  # largest first, so the smaller ones lie on top
    ellipses = [live.animate(ax_plane.plot([], [], color="white", lw=1.0, alpha=0.6)[0]) for _ in ELLIPSE_A]
    (path_line,) = ax_plane.plot([], [], "-o", color=COLORS["orange"], lw=2.0, ms=4.5, mec="black", mew=0.5)
    live.animate(path_line)
    live.animate(ax_plane.plot(*QUAD_START, "o", color="white", ms=11, mec="black", zorder=5)[0])
    live.animate(ax_plane.plot(0, 0, "*", color=COLORS["yellow"], ms=20, mec="black", zorder=5)[0])
    plane_note = live.animate(ax_plane.text(0.5, 0.06, "", transform=ax_plane.transAxes, ha="center", va="bottom",
                                            fontsize=13, fontweight="bold", color=COLORS["vermillion"],
                                            bbox={"facecolor": "white", "alpha": 0.9, "lw": 0}))
    ax_plane.set_xlim(PLANE[0], PLANE[1])
    ax_plane.set_ylim(PLANE[2], PLANE[3])
    ax_plane.set_aspect("equal")
    ax_plane.grid(False)
    ax_plane.set_xlabel(text("x  (flat direction, λ = 1)", "x（平坦方向，λ = 1）"))
    ax_plane.set_ylabel(text("y  (steep,\nλ = κ)", "y（陡峭方向，\nλ = κ）"))
    plane_title = live.animate(ax_plane.set_title(quadratic_title(0.18, 10.0, -1)))

    # Each coordinate against the step, with the prediction |start| |1 - eta lambda|^t dashed.
    steps = np.arange(sweep.n_steps + 1)
    ax_coord.set_yscale("log")
    ax_coord.set_xlim(0, sweep.n_steps)
    ax_coord.set_ylim(1e-10, 1e3)
    ax_coord.set_xlabel(text("step t", "步数 t"))
    ax_coord.set_ylabel(text("|coordinate|", "|坐标|"))
    (x_line,) = ax_coord.plot([], [], color=COLORS["blue"], lw=2.5, label=text("|x_t| flat", "|x_t| 平坦"))
    (y_line,) = ax_coord.plot([], [], color=COLORS["vermillion"], lw=2.5, label=text("|y_t| steep", "|y_t| 陡峭"))
    (x_pred,) = ax_coord.plot([], [], color="black", lw=1.3, ls="--",
                              label=text("|1 − ηλ|ᵗ · |start|", "|1 − ηλ|ᵗ · |起点|"))
    (y_pred,) = ax_coord.plot([], [], color="black", lw=1.3, ls="--")
    live.animate(x_line, y_line, x_pred, y_pred)
    ax_coord.legend(loc="lower left", fontsize=12, framealpha=0.9)  # the lines reach it only when κ ≈ 1 and η ≈ 1
    ax_coord.set_title(text("Each direction follows |1 − ηλ|ᵗ", "每个方向都按 |1 − ηλ|ᵗ 变化"), fontsize=14)

    # |1 - eta lambda_i| against eta: above 1 that direction grows; the bound 2/kappa marked.
    etas = np.geomspace(*QUAD_LR_RANGE, 300)
    ax_rate.set_xscale("log")
    ax_rate.set_xlim(*QUAD_LR_RANGE)
    ax_rate.set_ylim(0.0, 2.0)
    ax_rate.axhspan(1.0, 2.0, color=COLORS["vermillion"], alpha=0.12, lw=0)
    ax_rate.axhline(1.0, color=COLORS["vermillion"], lw=1.5)
    ax_rate.set_xlabel(text("η learning rate (log scale)", "η 学习率（对数坐标）"))
    ax_rate.set_ylabel(text("|1 − ηλ| per step", "每步的 |1 − ηλ|"))
    (flat_curve,) = ax_rate.plot([], [], color=COLORS["blue"], lw=2.0, label="λ = 1")
    (steep_curve,) = ax_rate.plot([], [], color=COLORS["vermillion"], lw=2.0, label="λ = κ")
    bound_line = ax_rate.axvline(0.2, color=COLORS["vermillion"], lw=2.0, ls="--", label="2/κ")
    best_line = ax_rate.axvline(0.2, color=COLORS["green"], lw=2.0, ls=":", label=text("best η", "最佳 η"))
    eta_line = ax_rate.axvline(learning_rate, color="black", lw=2.5)
    (eta_dots,) = ax_rate.plot([], [], "o", color="black", ms=7, zorder=5)
    ax_rate.text(1.3e-3, 1.9, text("above 1: that direction grows", "大于 1：该方向增长"), color=COLORS["vermillion"],
                 fontsize=12, va="top")
    live.animate(flat_curve, steep_curve, bound_line, best_line, eta_line, eta_dots)
    # The legend sits above the axes, where the moving vertical lines never cross it.
    ax_rate.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=12, ncols=4, handlelength=1.2,
                   handletextpad=0.4, columnspacing=0.8, borderaxespad=0.1, borderpad=0.2, frameon=False)

    def draw(learning_rate, kappa):
        lam = np.array([1.0, kappa])
        for line, a in zip(ellipses, ELLIPSE_A, strict=True):
            line.set_data(a * np.cos(theta), a / np.sqrt(kappa) * np.sin(theta))
        for band, a in zip(bands, ELLIPSE_A[::-1], strict=True):
            band.set_xy(np.column_stack([a * np.cos(theta), a / np.sqrt(kappa) * np.sin(theta)]))
        path, d = sweep.path(learning_rate, kappa)
        shown = path[: d if d >= 0 else len(path)]
        path_line.set_data(shown[:, 0], shown[:, 1])
        plane_note.set_text(text(f"diverged at step {d}: η > 2/κ = {2 / kappa:.3g}",
                                 f"在第 {d} 步发散：η > 2/κ = {2 / kappa:.3g}") if d >= 0 else "")
        plane_title.set_text(quadratic_title(learning_rate, kappa, d))

        tiny = 1e-300
        x_line.set_data(steps[: len(shown)], np.maximum(np.abs(shown[:, 0]), tiny))
        y_line.set_data(steps[: len(shown)], np.maximum(np.abs(shown[:, 1]), tiny))
        with np.errstate(over="ignore", divide="ignore"):
            factors = np.abs(1.0 - learning_rate * lam)
            x_pred.set_data(steps, np.maximum(abs(QUAD_START[0]) * factors[0] ** steps, tiny))
            y_pred.set_data(steps, np.maximum(abs(QUAD_START[1]) * factors[1] ** steps, tiny))

        flat_curve.set_data(etas, np.abs(1.0 - etas))
        steep_curve.set_data(etas, np.abs(1.0 - etas * kappa))
        bound = 2.0 / kappa
        bound_line.set_xdata([bound, bound])
        best = 2.0 / (1.0 + kappa)
        best_line.set_xdata([best, best])
        eta_line.set_xdata([learning_rate, learning_rate])
        eta_dots.set_data([learning_rate, learning_rate], np.minimum(factors, 1.98))
        final_value = 0.5 * float(path[-1] @ (lam * path[-1]))
        return quadratic_status(learning_rate, kappa, d, final_value, sweep.n_steps)

    controls = {"learning_rate": lr_control, "kappa": kappa_control}
    return Explorer("04_quadratic_zigzag", live, controls, draw,
                    description=text("Move η and κ: the zig-zag, and divergence above 2/λ_max.",
                                     "移动 η 和 κ：锯齿，以及高于 2/λ_max 时的发散。"),
                    precomputed=sweep.precomputed, defer_background=True)


EXPLORERS = {
    "04_xor_learning_rate": make_xor_learning_rate_explorer,
    "04_quadratic_zigzag": make_quadratic_zigzag_explorer,
}


# ---------------------------------------------------------------------------------------------
# Section 5's static figure: the loss and the sharpness lambda_max of XOR runs at several eta.

SHARPNESS_COLORS = (COLORS["blue"], COLORS["green"], COLORS["vermillion"], COLORS["orange"])


def plot_sharpness(runs, every=2, ylim=(0, 10)):
    """Plot `runs` {eta: (losses, sharpness, ...)}: the loss (log scale) and lambda_max against the step.

    `sharpness[k]` is lambda_max at step `k * every`. Each run's 2/eta is drawn dashed in its colour where it
    lies inside the panel. Shown with pyplot; returns None, so that a notebook cell ending in the call shows it once.
    """
    import matplotlib.pyplot as plt  # a static figure: pyplot, imported only when one is drawn

    fig, (ax_loss, ax_sharp) = plt.subplots(1, 2, figsize=(11, 4.5))
    for color, (lr, (losses, sharpness, *_)) in zip(SHARPNESS_COLORS, runs.items(), strict=False):
        ax_loss.semilogy(losses, color=color, label=f"η = {lr:g}")
        ax_sharp.plot(np.arange(len(sharpness)) * every, sharpness, color=color,
                      label=text(f"λ_max at η = {lr:g}", f"λ_max，η = {lr:g}"))
        if ylim[0] < 2 / lr < ylim[1]:  # 2/0.1 = 20 is off the top of the panel
            ax_sharp.axhline(2 / lr, color=color, ls="--", lw=1.5, label=f"2/η = {2 / lr:.2f}")
    ax_loss.set(xlabel=text("step t", "步 t"), ylabel=text("loss ℒ (log scale)", "损失 ℒ（对数坐标）"),
                title=text("Spikes, then recovery", "先出现尖峰，然后恢复"))
    ax_loss.legend(loc="lower left")
    ax_sharp.set(xlabel=text("step t", "步 t"), ylabel=text("λ_max of the Hessian", "黑塞矩阵的 λ_max"), ylim=ylim,
                 title=text("λ_max may pass 2/η; GD settles only below it", "λ_max 可以越过 2/η；GD 只停在它下方"))
    ax_sharp.legend(loc="lower right", fontsize=11, ncols=2)
    plt.show()
