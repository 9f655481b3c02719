"""Slider explorer for notebook 06: pick a cell of the (learning rate, decay) phase map of RMSprop.

One vectorised sweep (helpers.sweep.sweep_mlp) trains RMSprop on XOR for all 30 x 30
(eta, rho) pairs at once; helpers.sweep.classify_runs sorts every run into converged, slow,
diverged or stuck. The left panel is that map (drawn once, a static background; diverged cells hatched, each
region named); a ring marks the chosen cell. The right panel shows that configuration's loss curve.
Moving a slider only looks up a precomputed curve and blits it, so an event costs about 15 ms.

The explorer trains the map in blocks of 5 rows (150 runs, one sweep_mlp call each): its first
picture trains only the block of the chosen cell; a background thread trains the others
(helpers.classroom.live.Precomputed), and the map is drawn whole at the first slider event after that.
A block holds the same runs, bit for bit, as the whole-grid sweep of `phase_sweep` (a test checks).
"""

import functools

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap

from ..data import xor
from ..sweep import REGIMES, classify_runs, lr_decay_grid, sweep_mlp
from .i18n import text
from .live import Explorer, LiveFigure, Precomputed
from .plotting import COLORS, PROJECTOR_STYLE

# The grid: eta log-spaced over 4 decades; rho from 0 to 0.999 with 1 - rho log-spaced, so that
# the usual range 0.9-0.999 gets as many rows as 0-0.9.
LEARNING_RATES = np.logspace(-3, 1, 30)
DECAYS = 1.0 - np.logspace(0, -3, 30)
# The network and training run of every cell (the article's set-up: sigmoid output, MSE loss).
SETTINGS = {"sizes": (2, 8, 1), "hidden": "tanh", "output": "sigmoid", "loss": "mse",
            "optimizer": "rmsprop", "n_steps": 300, "seed": 0}
# Final loss below this: converged (every prediction within about 0.03 of its 0/1 target).
TOL = 1e-3
# One colour per regime, in the order of REGIMES (converged, slow, diverged, stuck). Blue, yellow and
# vermillion stay apart under protanopia, deuteranopia and tritanopia (simulated CIELAB distance >= 34,
# yellow much lighter than the other two); reddish purple sits close to vermillion for some viewers, so
# diverged cells are hatched (//), stuck cells dotted (..), and each region carries its name.
REGIME_COLORS = (COLORS["blue"], COLORS["yellow"], COLORS["vermillion"], COLORS["purple"])
HATCHES = {2: "//", 3: ".."}
# Where each regime's name is written on the map, in map coordinates (log10 eta, -log10(1 - rho)).
# The loss curve's colour per regime (yellow is too pale for a line on white: orange instead).
CURVE_COLORS = {"converged": COLORS["blue"], "slow": COLORS["orange"], "diverged": COLORS["vermillion"],
                "stuck": COLORS["purple"]}
REGIME_LABELS = {"slow": (-2.62, 1.5, 90), "converged": (-1.3, 0.45, 0), "diverged": (0.45, 2.4, 0)}
# The stuck cells form a thin seam along the band's right edge: their name sits in the diverged region,
# with an arrow to one of them.
STUCK_LABEL = {"xy": (-0.38, 1.45), "xytext": (0.45, 1.45)}


@functools.cache
def phase_sweep():
    """The sweep of the whole grid and its classification: (SweepResult, RunClasses). Cached."""
    X, y = xor()
    lr, decay = lr_decay_grid(LEARNING_RATES, DECAYS)
    result = sweep_mlp(X, y, lr, decay, **SETTINGS)
    return result, classify_runs(result, tol=TOL)


ROWS_PER_BLOCK = 5  # decay rows per background chunk: 150 runs, one sweep_mlp call


def phase_block(k):
    """Block k of the grid: rows k * ROWS_PER_BLOCK ... of the map, trained at once.

    Returns (losses (T + 1, 150), RunClasses of those runs); configurations k * 150 ... of lr_decay_grid.
    """
    X, y = xor()
    lr, decay = lr_decay_grid(LEARNING_RATES, DECAYS)
    size = ROWS_PER_BLOCK * LEARNING_RATES.size
    block = slice(k * size, (k + 1) * size)
    result = sweep_mlp(X, y, lr[block], decay[block], **SETTINGS)
    return result.losses, classify_runs(result, tol=TOL)


def decay_axis(decays):
    """The vertical coordinate of the map: -log10(1 - rho), so rho = 0, 0.9, 0.99, 0.999 sit at 0, 1, 2, 3."""
    return -np.log10(1.0 - np.asarray(decays, dtype=np.float64))


def cell_edges(centres):
    """Edges of the cells around equally spaced centres (n,) -> (n + 1,)."""
    centres = np.asarray(centres, dtype=np.float64)
    half = (centres[1] - centres[0]) / 2
    return np.concatenate([centres - half, centres[-1:] + half])


def regime_name(regime):
    """A regime of helpers.sweep.REGIMES ("converged", "slow", "diverged", "stuck") in the current language."""
    return {"converged": text("converged", "收敛"), "slow": text("slow", "缓慢"), "diverged": text("diverged", "发散"),
            "stuck": text("stuck", "停滞")}[regime]


def draw_regime_map(ax, regime):
    """Draw a (n_decay, n_lr) map of regime indices (0-3, as REGIMES) on ax, in the map's coordinates.

    Coloured cells (REGIME_COLORS), diverged and stuck cells hatched, each region named in words (no legend
    covering cells), log ticks for eta and rho. Used by the notebook and by the explorer.
    """
    x_edges, y_edges = cell_edges(np.log10(LEARNING_RATES)), cell_edges(decay_axis(DECAYS))
    ax.pcolormesh(x_edges, y_edges, regime, cmap=ListedColormap(REGIME_COLORS), vmin=-0.5,
                  vmax=len(REGIME_COLORS) - 0.5)
    for index, hatch in HATCHES.items():
        rows, cols = np.nonzero(regime == index)
        cells = [[(x_edges[j], y_edges[i]), (x_edges[j + 1], y_edges[i]), (x_edges[j + 1], y_edges[i + 1]),
                  (x_edges[j], y_edges[i + 1])] for i, j in zip(rows, cols, strict=True)]
        ax.add_collection(PolyCollection(cells, facecolors="none", edgecolors=COLORS["black"], linewidths=0,
                                         hatch=hatch, alpha=0.6))
    box = {"facecolor": "white", "alpha": 0.85, "lw": 0, "boxstyle": "round,pad=0.2"}
    for name, (x, y, rotation) in REGIME_LABELS.items():
        ax.text(x, y, regime_name(name), ha="center", va="center", rotation=rotation, fontsize=15, fontweight="bold",
                bbox=box)
    ax.annotate(regime_name("stuck"), **STUCK_LABEL, ha="center", va="center", fontsize=15, fontweight="bold", bbox=box,
                arrowprops={"arrowstyle": "->", "lw": 2, "color": COLORS["black"]})
    ax.set_xlim(x_edges[0], x_edges[-1])
    ax.set_ylim(y_edges[0], y_edges[-1])
    ax.set_xticks([-3, -2, -1, 0, 1], ["0.001", "0.01", "0.1", "1", "10"])
    ax.set_yticks([0, 1, 2, 3], ["0", "0.9", "0.99", "0.999"])
    ax.set_xlabel(text("η learning rate (log scale)", "η 学习率（对数坐标）"))
    ax.set_ylabel(text("ρ decay (1 − ρ on a log scale)", "ρ 衰减系数（1 − ρ 取对数坐标）"))
    ax.grid(False)


def nearest_cell(learning_rate, decay):
    """Grid indices (i_lr, i_decay) of the cell nearest to (learning_rate, decay), in the map's coordinates."""
    i_lr = int(np.argmin(np.abs(np.log10(LEARNING_RATES) - np.log10(learning_rate))))
    i_decay = int(np.argmin(np.abs(decay_axis(DECAYS) - decay_axis(min(decay, 0.9999)))))
    return i_lr, i_decay


def regime_sentence(classes, index, learning_rate, decay, n_steps):
    """The status sentence for configuration `index` of a classification, naming its regime."""
    return regime_sentence_of(REGIMES[classes.regime[index]], classes.diverged_at[index], classes.converged_at[index],
                              classes.final_loss[index], learning_rate, decay, n_steps, classes.tol)


def regime_sentence_of(regime, diverged_at, converged_at, final_loss, learning_rate, decay, n_steps, tol=TOL):
    """The status sentence for one run, from its regime name and its step and loss numbers."""
    setting = text(f"η = {learning_rate:.3g}, ρ = {decay:.4g}", f"η = {learning_rate:.3g}，ρ = {decay:.4g}")
    if regime == "diverged":
        return text(f"diverged at step {diverged_at}: with {setting} the loss rose above its "
                    f"starting value and ended at {final_loss:.3g}; the steps are too large.",
                    f"在第 {diverged_at} 步发散：取 {setting} 时，损失升到了初始值之上，最后为 {final_loss:.3g}；"
                    "步子太大了。")
    if regime == "converged":
        return text(f"converged: with {setting} the loss first falls below {tol:g} at step "
                    f"{converged_at} and ends at {final_loss:.1e}.",
                    f"收敛：取 {setting} 时，损失在第 {converged_at} 步首次低于 {tol:g}，最后为 {final_loss:.1e}。")
    if regime == "stuck":
        return text(f"stuck: loss {final_loss:.2g} after {n_steps} steps ({setting}); the last third of the run "
                    "found no new low (a plateau).",
                    f"停滞：{n_steps} 步后损失为 {final_loss:.2g}（{setting}）；训练的最后三分之一没有找到新的低点"
                    "（平台区）。")
    return text(f"slow: loss {final_loss:.2g} after {n_steps} steps ({setting}); not below {tol:g} yet, still falling.",
                f"缓慢：{n_steps} 步后损失为 {final_loss:.2g}（{setting}）；还没有低于 {tol:g}，仍在下降。")


def make_phase_map_explorer(learning_rate=0.0304, decay=0.9):
    """Sliders for eta (log, on the grid) and rho (the grid's rows); returns a helpers.classroom.live.Explorer.

    Default: eta ~ 0.03, rho = 0.9, a run that converges. Drawn in the projector style wherever it is
    built (a notebook, the Voila page, a test).
    """
    with mpl.rc_context(PROJECTOR_STYLE):
        return _phase_map_explorer(learning_rate, decay)


def _phase_map_explorer(learning_rate, decay):
    n_lr, n_decay = LEARNING_RATES.size, DECAYS.size
    n_steps = SETTINGS["n_steps"]
    x_centres, y_centres = np.log10(LEARNING_RATES), decay_axis(DECAYS)
    n_blocks = n_decay // ROWS_PER_BLOCK
    k0 = nearest_cell(learning_rate, decay)[1] // ROWS_PER_BLOCK
    blocks = Precomputed(phase_block, sorted(range(n_blocks), key=lambda k: (abs(k - k0), k)), name="phase map",
                         distance=lambda a, b: abs(a - b))
    size = ROWS_PER_BLOCK * n_lr

    def run(index):
        """(losses (T + 1,), regime name, diverged_at, converged_at, final_loss) of configuration `index`."""
        losses, classes = blocks.get(index // size)
        j = index % size
        return (losses[:, j], REGIMES[classes.regime[j]], int(classes.diverged_at[j]), int(classes.converged_at[j]),
                float(classes.final_loss[j]))

    def known_regimes():
        """(n_decay, n_lr) regime indices of the blocks trained so far, NaN elsewhere."""
        regime = np.full(n_decay * n_lr, np.nan)
        for k in range(n_blocks):
            block = blocks.peek(k)
            if block is not None:
                regime[k * size:(k + 1) * size] = block[1].regime
        return regime.reshape(n_decay, n_lr)

    live = LiveFigure(figsize=(11.0, 4.6), dpi=80, layout_key="06_phase_map", ncols=2, width_ratios=(1.0, 1.15))
    ax_map, ax_loss = live.axes

    # Left: the regime map, static; a ring (white halo, black ring, drawn unclipped) marks the chosen cell.
    # Drawn from the blocks trained so far (white rows are not yet), and again at the first slider event
    # after more blocks arrived: baked into the cached background, which costs no full redraw.
    start_loss = float(run(nearest_cell(learning_rate, decay)[1] * n_lr)[0][0])  # the same start in every cell
    shown = {"artists": [], "complete": False, "blocks": 0}
    ax_map.set_title(text("Larger ρ needs a smaller η", "ρ 越大，η 就要越小"))

    def draw_map():
        """The map of the blocks trained so far, baked into the cached background (no full redraw)."""
        with mpl.rc_context(PROJECTOR_STYLE):  # later calls come from slider events, outside the builder's style
            _draw_map()

    def _draw_map():
        live.forget(*shown["artists"])
        for artist in shown["artists"]:
            artist.remove()
        before = set(ax_map.get_children())
        draw_regime_map(ax_map, known_regimes())
        shown["complete"] = blocks.ready
        note = "" if shown["complete"] else text("more cells being computed", "更多格子正在计算")
        shown["artists"] = [a for a in ax_map.get_children() if a not in before]
        shown["artists"].append(ax_map.text(0.02, 0.02, note, transform=ax_map.transAxes, fontsize=11,
                                            style="italic", color="0.35"))
        shown["blocks"] = blocks.n_done
        live.bake(*shown["artists"])

    draw_map()
    (halo,) = ax_map.plot([], [], "o", ms=18, mfc="none", mec="white", mew=6, clip_on=False)
    (marker,) = ax_map.plot([], [], "o", ms=18, mfc="none", mec=COLORS["black"], mew=3, clip_on=False)
    live.animate(halo, marker)

    # Right: the chosen run's loss curve, on fixed axes.
    steps = np.arange(n_steps + 1)
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, n_steps)
    ax_loss.set_ylim(1e-12, 3.0)
    ax_loss.axhline(TOL, color=COLORS["black"], lw=1.2, ls="--")
    ax_loss.axhline(start_loss, color=COLORS["black"], lw=1.2, ls=":")
    ax_loss.text(n_steps, TOL * 1.6, text(f"converged below {TOL:g}", f"低于 {TOL:g} 即收敛"), ha="right", va="bottom",
                 fontsize=13)
    ax_loss.text(n_steps, start_loss / 1.6, text("starting loss", "初始损失"), ha="right", va="top", fontsize=13)
    ax_loss.set_xlabel(text("step t", "步数 t"))
    ax_loss.set_ylabel(text("loss ℒ (MSE)", "损失 ℒ（MSE）"))
    (curve,) = ax_loss.plot([], [], color=COLORS["vermillion"], lw=2.5)
    live.animate(curve)
    # The panel's title names the ringed cell's regime (it changes with the sliders, so it is animated).
    ax_loss.set_title(text("Ringed cell: converged in 000 steps", "圈中的格子：000 步收敛"), fontweight="bold")
    label = live.animate(ax_loss.title)

    def draw(learning_rate, decay):
        if not shown["complete"] and blocks.n_done != shown["blocks"]:
            draw_map()
        i_lr, i_decay = nearest_cell(learning_rate, decay)
        index = i_decay * n_lr + i_lr
        halo.set_data([x_centres[i_lr]], [y_centres[i_decay]])
        marker.set_data([x_centres[i_lr]], [y_centres[i_decay]])
        losses, regime, diverged_at, converged_at, final_loss = run(index)
        curve.set_data(steps, np.clip(losses, 1e-12, None))
        curve.set_color(CURVE_COLORS[regime])
        if regime == "diverged":
            label.set_text(text(f"Ringed cell: diverged at step {diverged_at}",
                                f"圈中的格子：在第 {diverged_at} 步发散"))
        elif regime == "converged":
            label.set_text(text(f"Ringed cell: converged in {converged_at} steps",
                                f"圈中的格子：{converged_at} 步收敛"))
        elif regime == "stuck":
            label.set_text(text(f"Ringed cell: stuck at loss {final_loss:.2g}",
                                f"圈中的格子：停滞在损失 {final_loss:.2g}"))
        else:
            label.set_text(text(f"Ringed cell: slow, final loss {final_loss:.2g}",
                                f"圈中的格子：缓慢，最终损失 {final_loss:.2g}"))
        return regime_sentence_of(regime, diverged_at, converged_at, final_loss, LEARNING_RATES[i_lr],
                                  DECAYS[i_decay], n_steps)

    i_lr, i_decay = nearest_cell(learning_rate, decay)  # the sliders start on the grid cell nearest the defaults
    controls = {
        # A log slider whose 29 steps are the grid's columns (4/29 of a decade each, so not log_slider,
        # which takes a whole number of steps per decade).
        "learning_rate": widgets.FloatLogSlider(value=float(LEARNING_RATES[i_lr]), base=10, min=x_centres[0],
                                                max=x_centres[-1], step=(x_centres[-1] - x_centres[0]) / (n_lr - 1),
                                                description=text("η learning rate", "η 学习率"), readout_format=".3g",
                                                continuous_update=True),
        "decay": widgets.SelectionSlider(options=[(f"{d:.4g}", float(d)) for d in DECAYS],
                                         value=float(DECAYS[i_decay]),
                                         description=text("ρ decay", "ρ 衰减系数"), continuous_update=True),
    }
    return Explorer("06_phase_map", live, controls, draw,
                    description=text("Pick (η, ρ) on RMSprop's phase map and see that run's loss curve.",
                                     "在 RMSprop 的相图上选一个 (η, ρ)，看这次训练的损失曲线。"),
                    precomputed=blocks)


EXPLORERS = {"06_phase_map": make_phase_map_explorer}
