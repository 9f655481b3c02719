"""Slider explorer for notebook 06b: heavy-ball momentum on a quadratic, and its (η, μ) map.

Per eigen-direction of f(θ) = ½ θᵀ H θ with curvature λ, PyTorch's heavy ball (buf <- μ buf + g;
θ <- θ - η buf) is the linear recursion θ_{t+1} = (1 + μ - ηλ) θ_t - μ θ_{t-1}, whose two roots solve

    z² - (1 + μ - ηλ) z + μ = 0.

It converges iff both roots lie inside the unit circle: -1 < μ < 1 and 0 < ηλ < 2(1 + μ)
(`stability_bound`; the explorer's slider keeps 0 <= μ < 1). Its per-step rate is the spectral radius
max|z| over the directions (`spectral_radius`). For curvatures in [m, L] (κ = L/m) the best pair puts
both extreme directions on the edge of complex roots: μ* = ((√κ - 1)/(√κ + 1))², η* = 4/(√L + √m)²,
rate √μ* (`optimal_momentum`).

"06b_momentum_map": sliders η (log) and μ (even in log(1 - μ), live.momentum_slider) on the κ = 25
quadratic. Left: the path on the valley. Right, top: the (η, μ) map of every slider position (the run's
regime: converged, slow, diverged), with the analytic boundary η = 2(1 + μ)/L and the optimum drawn
over it, and a ring where the sliders sit. Right, bottom: the distance to the minimum against the step,
with the predicted envelope max|z|ᵗ. Every learning rate of a μ row is run at once
(helpers.sweep.sweep_paths, optimizer="momentum"); the rows are filled by the background thread
(live.Precomputed), the slider's own row first.
"""

import matplotlib as mpl
import numpy as np
from matplotlib.colors import ListedColormap

from .. import _checks
from ..surfaces import ill_conditioned_quadratic
from ..sweep import sweep_paths
from .i18n import text
from .live import Explorer, LiveFigure, Precomputed, log_slider, momentum_slider, reachable_positions, slider_positions
from .plotting import COLORS, OPTIMIZER_COLORS, PROJECTOR_STYLE

KAPPA = 25.0  # curvatures 1 (flat direction) and 25 (steep direction)
START = np.array([-1.8, 0.6])
N_STEPS = 300
LR_RANGE = (1e-3, 1.0)
LR_STEPS_PER_DECADE = 15
MU_SMALLEST_GAP = 1e-3
MU_STEPS_PER_DECADE = 10
ESCAPE_RADIUS = 1e3  # a path that leaves this disc has diverged (sweep_paths' default)
CONVERGED = 1e-8  # f(θ_T) below this fraction of f(θ_0): converged
REGIMES = ("converged", "slow", "diverged")
REGIME_COLORS = (COLORS["blue"], COLORS["yellow"], COLORS["vermillion"])
MISSING_COLOR = "#dddddd"
PATH_COLOR = OPTIMIZER_COLORS["Momentum"]
TINY = 1e-300
ELLIPSE_A = np.array([0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.8, 3.3])
PLANE = (-2.2, 2.2, -1.3, 1.3)


# ---------------------------------------------------------------------------------------------
# The theory, per eigen-direction (the notebook derives each line; these serve the explorer and tests).


def _rates(learning_rate, momentum, curvature):
    eta = _checks.float_array(learning_rate, "learning_rate", finite=True)
    mu = _checks.float_array(momentum, "momentum", finite=True)
    lam = _checks.float_array(curvature, "curvature", finite=True)
    if np.any(eta <= 0):
        raise ValueError("learning_rate must be > 0")
    if np.any((mu <= -1) | (mu >= 1)):
        raise ValueError("momentum must lie in (-1, 1)")
    if np.any(lam <= 0):
        raise ValueError("curvature must be > 0 (a direction of a convex quadratic)")
    return eta, mu, lam


def heavy_ball_roots(learning_rate, momentum, curvature):
    """The two roots z of z² - (1 + μ - ηλ) z + μ = 0, as complex arrays (broadcast shape, 2 on the last axis).

    Heavy ball on ½ λ θ² is θ_{t+1} = (1 + μ - ηλ) θ_t - μ θ_{t-1}; these are the eigenvalues of its
    2 x 2 matrix [[1 + μ - ηλ, -μ], [1, 0]]. Their product is μ, their sum 1 + μ - ηλ.
    """
    eta, mu, lam = _rates(learning_rate, momentum, curvature)
    s = 1.0 + mu - eta * lam
    root = np.sqrt(s * s - 4.0 * mu + 0j)
    return np.stack(np.broadcast_arrays((s + root) / 2, (s - root) / 2), axis=-1)


def spectral_radius(learning_rate, momentum, curvatures):
    """max |z| over both roots and over every curvature in `curvatures` (the last axis): the per-step rate.

    learning_rate, momentum: scalars or arrays that broadcast against each other; curvatures: (n,).
    Returns the broadcast shape of learning_rate and momentum. Below 1: converges; above 1: diverges.
    """
    lam = _checks.float_array(curvatures, "curvatures", ndim=1, finite=True)
    eta = np.asarray(learning_rate, dtype=np.float64)[..., None]
    mu = np.asarray(momentum, dtype=np.float64)[..., None]
    return np.abs(heavy_ball_roots(eta, mu, lam)).max(axis=(-1, -2))


def stability_bound(momentum, curvature):
    """2 (1 + μ) / λ: heavy ball on curvature λ converges iff 0 < η < this (for -1 < μ < 1)."""
    _, mu, lam = _rates(1.0, momentum, curvature)
    return 2.0 * (1.0 + mu) / lam


def optimal_momentum(condition_number, smallest=1.0):
    """(η*, μ*, rate) for curvatures from m = smallest to L = κ m.

    μ* = ((√κ - 1)/(√κ + 1))², η* = 4/(√L + √m)², rate √μ* = (√κ - 1)/(√κ + 1): both extreme
    directions then have a double root of modulus √μ*, and every direction in between complex roots
    of that modulus.
    """
    kappa = _checks.real_number(condition_number, "condition_number")
    if not 1.0 <= kappa < np.inf:
        raise ValueError(f"condition_number must be a finite number >= 1, got {condition_number!r}")
    m = _checks.positive(smallest, "smallest")
    big = kappa * m
    rate = (np.sqrt(kappa) - 1.0) / (np.sqrt(kappa) + 1.0)
    return 4.0 / (np.sqrt(big) + np.sqrt(m)) ** 2, rate**2, rate


def classify_paths(values, diverged_at, tol=CONVERGED):
    """Regime index per run (0 converged, 1 slow, 2 diverged; see REGIMES) from f along each path.

    values: (T + 1, C) f(θ_t); diverged_at: (C,) from sweep_paths. Diverged: the path left the escape
    disc (|θ| > ESCAPE_RADIUS, about 500 times where it started); converged: f(θ_T) < tol f(θ_0);
    slow: the rest, which includes a run that grows too slowly to leave the disc within T steps.
    """
    values = _checks.float_array(values, "values", ndim=2)
    diverged_at = np.asarray(diverged_at)
    if diverged_at.shape != values.shape[1:]:
        raise ValueError(f"diverged_at must have shape {values.shape[1:]} (one per run), got {diverged_at.shape}")
    tol = _checks.positive(tol, "tol")
    diverged = (diverged_at >= 0) | ~np.isfinite(values[-1])
    converged = ~diverged & (values[-1] < tol * values[0])
    return np.where(diverged, 2, np.where(converged, 0, 1))


# ---------------------------------------------------------------------------------------------
# The sweep behind the explorer: one μ row, every learning rate at once.


class MomentumSweep:
    """Heavy-ball paths on the κ = KAPPA quadratic for every learning rate of the grid, one μ row at a time.

    A chunk of `self.precomputed` is one μ (a float): sweep_paths over all `learning_rates` (C,);
    its value is a dict: paths (T + 1, C, 2), diverged_at (C,), values (T + 1, C) f along each path,
    regime (C,). A pair off the grid is its own chunk (μ, η).
    """

    def __init__(self, learning_rates, momenta, n_steps=N_STEPS, first=None):
        self.surface = ill_conditioned_quadratic(KAPPA)
        self.learning_rates = np.unique(np.asarray(learning_rates, dtype=np.float64))
        self.n_steps = n_steps
        momenta = [float(mu) for mu in momenta]
        if first is not None:
            momenta.sort(key=lambda mu: (abs(np.log10(1 - mu) - np.log10(1 - first)), mu))
        self.precomputed = Precomputed(self._compute, momenta, name="momentum rows",
                                       distance=lambda a, b: abs(np.log10((1 - a) / (1 - b))))

    def _compute(self, key):
        mu, alone = (key, None) if isinstance(key, float) else key
        lrs = self.learning_rates if alone is None else np.array([alone])
        result = sweep_paths(self.surface, lrs, np.full(lrs.size, mu), optimizer="momentum", start=START,
                             n_steps=self.n_steps, escape_radius=ESCAPE_RADIUS)
        values = self.surface.value(result.paths)
        return {"paths": result.paths, "diverged_at": result.diverged_at, "values": values,
                "regime": classify_paths(values, result.diverged_at)}

    def column(self, learning_rate):
        matches = np.flatnonzero(np.isclose(self.learning_rates, learning_rate, rtol=1e-9, atol=0.0))
        return int(matches[0]) if matches.size else None

    def run(self, learning_rate, momentum):
        """(path (T + 1, 2), f along it (T + 1,), diverged_at or -1, regime index) of one pair."""
        i = self.column(learning_rate)
        if i is None or float(momentum) not in self.precomputed.chunks:
            row, i = self.precomputed.get((float(momentum), float(learning_rate))), 0
        else:
            row = self.precomputed.get(float(momentum))
        return row["paths"][:, i], row["values"][:, i], int(row["diverged_at"][i]), int(row["regime"][i])

    def regime_row(self, momentum, columns):
        """The regimes of one μ row at these columns, or None if that row is not computed yet."""
        row = self.precomputed.peek(float(momentum))
        return None if row is None else row["regime"][columns]


# ---------------------------------------------------------------------------------------------
# Words.


def momentum_status(learning_rate, momentum, diverged_at, final_ratio, n_steps=N_STEPS):
    """The sentence under the figure: the roots per direction, the verdict, and the bound in numbers."""
    radii = np.abs(heavy_ball_roots(learning_rate, momentum, np.array([1.0, KAPPA]))).max(axis=-1)
    radius = float(radii.max())
    bound = 2.0 * (1.0 + momentum)
    steep = learning_rate * KAPPA
    eta_star, mu_star, rate_star = optimal_momentum(KAPPA)
    words = [text(f"η = {learning_rate:.3g}, μ = {momentum:.4g}: |z| = {radii[0]:.3f} along the flat direction "
                  f"(λ = 1), {radii[1]:.3f} along the steep one (λ = {KAPPA:g}).",
                  f"η = {learning_rate:.3g}，μ = {momentum:.4g}：平坦方向（λ = 1）的 |z| = {radii[0]:.3f}，"
                  f"陡峭方向（λ = {KAPPA:g}）的 |z| = {radii[1]:.3f}。")]
    if diverged_at >= 0 or radius > 1.0:
        if steep >= bound:
            why = text(f"ηλ_max = {steep:.3g} is above 2(1 + μ) = {bound:.3g}",
                       f"ηλ_max = {steep:.3g} 超过了 2(1 + μ) = {bound:.3g}")
        else:
            why = text(f"the spectral radius max|z| = {radius:.3f} is above 1",
                       f"谱半径 max|z| = {radius:.3f} 大于 1")
        if diverged_at >= 0:
            words.append(text(f"The run diverged at step {diverged_at}: {why}.", f"在第 {diverged_at} 步发散：{why}。"))
        else:
            words.append(text(f"Unstable, so it diverges (slowly): {why}; |θ| grows by about {radius:.3f} per step.",
                              f"不稳定，缓慢发散：{why}，|θ| 每步大约放大 {radius:.3f} 倍。"))
    elif final_ratio < CONVERGED:
        words.append(text(f"Converges: the distance to the minimum shrinks by about max|z| = {radius:.3f} per step.",
                          f"收敛：到极小值的距离每步大约缩小为 max|z| = {radius:.3f} 倍。"))
    else:
        words.append(text(f"Slow: max|z| = {radius:.3f} is so close to 1 that {n_steps} steps do not converge.",
                          f"缓慢：max|z| = {radius:.3f} 太接近 1，{n_steps} 步还没有收敛。"))
    words.append(text(f"The best pair for κ = {KAPPA:g} is η* = {eta_star:.3g}, μ* = {mu_star:.3g} "
                      f"(rate {rate_star:.3g} per step).",
                      f"κ = {KAPPA:g} 时最优的一对是 η* = {eta_star:.3g}，μ* = {mu_star:.3g}"
                      f"（每步收敛率 {rate_star:.3g}）。"))
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# The explorer.


def map_x(learning_rates):
    """Horizontal map coordinate: log10 η."""
    return np.log10(np.asarray(learning_rates, dtype=np.float64))


def map_y(momenta):
    """Vertical map coordinate: -log10(1 - μ), so μ = 0, 0.9, 0.99, 0.999 sit at 0, 1, 2, 3."""
    return -np.log10(1.0 - np.asarray(momenta, dtype=np.float64))


def make_momentum_map_explorer(learning_rate=0.05, momentum=0.9):
    """Sliders η (1e-3 to 1, log) and μ (0 to 0.999, even in log(1 - μ)) for heavy ball on the κ = 25 quadratic.

    Default η = 0.05, μ = 0.9: both directions have complex roots of modulus √0.9 ≈ 0.949, so the path
    spirals in and overshoots. The optimum (η* ≈ 0.111, μ* ≈ 0.444) lies between slider positions; the
    nearest, η = 0.1 and μ ≈ 0.499, has max|z| ≈ 0.706 (against √μ* ≈ 0.667).
    """
    learning_rate = _checks.positive(learning_rate, "learning_rate")
    momentum = _checks.unit_interval(momentum, "momentum")
    with mpl.rc_context(PROJECTOR_STYLE):
        return _momentum_explorer(learning_rate, momentum).compact_stored_png()


def _momentum_explorer(learning_rate, momentum):
    lr_control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *LR_RANGE,
                            steps_per_decade=LR_STEPS_PER_DECADE)
    mu_control = momentum_slider(text("μ momentum", "μ 动量"), momentum, smallest_gap=MU_SMALLEST_GAP,
                                 steps_per_decade=MU_STEPS_PER_DECADE)
    grid = np.array(reachable_positions(lr_control))  # the map's columns: evenly spaced in log η
    momenta = [value for _, value in mu_control.options]  # the map's rows: evenly spaced in log(1 - μ)
    sweep = MomentumSweep(np.concatenate([grid, slider_positions(lr_control, 30), [learning_rate]]), momenta,
                          first=momentum)
    columns = np.array([sweep.column(eta) for eta in grid])
    eta_star, mu_star, _ = optimal_momentum(KAPPA)

    live = LiveFigure(figsize=(10.5, 5.6), dpi=80, layout_key="06b_momentum_map")
    grid_spec = live.figure.add_gridspec(2, 2, width_ratios=(1.0, 1.1))
    ax_plane = live.figure.add_subplot(grid_spec[:, 0])
    ax_map = live.figure.add_subplot(grid_spec[0, 1])
    ax_dist = live.figure.add_subplot(grid_spec[1, 1])

    # The valley: filled contours of f drawn once (κ is fixed), the path on top.
    xs = np.linspace(PLANE[0], PLANE[1], 160)
    ys = np.linspace(PLANE[2], PLANE[3], 100)
    XX, YY = np.meshgrid(xs, ys)
    values = sweep.surface.value(np.stack([XX, YY], axis=-1))
    levels = np.concatenate([[0.0], 0.5 * ELLIPSE_A**2, [max(float(values.max()), 0.5 * ELLIPSE_A[-1] ** 2 * 2)]])
    shades = mpl.colormaps["cividis"](np.linspace(0.95, 0.2, len(levels) - 1))
    ax_plane.contourf(xs, ys, values, levels=levels, colors=shades, alpha=0.6)
    ax_plane.contour(xs, ys, values, levels=0.5 * ELLIPSE_A**2, colors="white", linewidths=0.8, alpha=0.7)
    (path_line,) = ax_plane.plot([], [], "-o", color=PATH_COLOR, lw=1.8, ms=3.5, mec="black", mew=0.4)
    live.animate(path_line)
    live.animate(ax_plane.plot(*START, "o", color="white", ms=11, mec="black", zorder=5)[0])
    live.animate(ax_plane.plot(0, 0, "*", color=COLORS["yellow"], ms=20, mec="black", zorder=5)[0])
    plane_note = live.animate(ax_plane.text(0.5, 0.04, "", transform=ax_plane.transAxes, ha="center", va="bottom",
                                            fontsize=13, fontweight="bold", color=COLORS["vermillion"],
                                            bbox={"facecolor": "white", "alpha": 0.9, "lw": 0}, zorder=7))
    ax_plane.set_xlim(PLANE[0], PLANE[1])
    ax_plane.set_ylim(PLANE[2], PLANE[3])
    ax_plane.set_aspect("equal")
    ax_plane.grid(False)
    ax_plane.set_xlabel(text("x  (flat direction, λ = 1)", "x（平坦方向，λ = 1）"))
    ax_plane.set_ylabel(text(f"y  (steep, λ = {KAPPA:g})", f"y（陡峭方向，λ = {KAPPA:g}）"))
    plane_title = live.animate(ax_plane.set_title("", fontsize=14))

    # The map: the regime of every slider position (rows fill in), the analytic boundary, the optimum.
    x, y = map_x(grid), map_y(momenta)
    step_x, step_y = x[1] - x[0], y[1] - y[0]
    extent = (x[0] - step_x / 2, x[-1] + step_x / 2, y[0] - step_y / 2, y[-1] + step_y / 2)
    cmap = ListedColormap(REGIME_COLORS).with_extremes(bad=MISSING_COLOR)
    regime_image = np.full((len(momenta), len(grid)), np.nan)
    image = ax_map.imshow(regime_image, cmap=cmap, vmin=-0.5, vmax=2.5, extent=extent, origin="lower",
                          aspect="auto", interpolation="nearest")
    mus = 1.0 - np.logspace(0, np.log10(MU_SMALLEST_GAP), 200)
    (boundary,) = ax_map.plot(map_x(2.0 * (1.0 + mus) / KAPPA), map_y(mus), color=COLORS["black"], lw=2.2, ls="--")
    (optimum,) = ax_map.plot(map_x(eta_star), map_y(mu_star), "*", color="white", ms=17, mec="black", mew=1.2)
    box = {"facecolor": "white", "alpha": 0.85, "lw": 0, "boxstyle": "round,pad=0.2"}
    over_image = [boundary, optimum,
                  ax_map.text(-0.86, 2.55, "η = 2(1 + μ)/λ_max", ha="right", va="center", fontsize=11, bbox=box),
                  ax_map.text(-0.78, 0.45, "(η*, μ*)", ha="left", va="center", fontsize=11, bbox=box)]
    for (label_x, label_y), words in (((-2.2, 1.9), text("slow", "缓慢")), ((-1.7, 0.55), text("converged", "收敛")),
                                      ((-0.37, 1.5), text("diverged", "发散"))):
        over_image.append(ax_map.text(label_x, label_y, words, ha="center", va="center", fontsize=13,
                                      fontweight="bold", bbox=box))
    (marker,) = ax_map.plot([], [], "o", ms=13, mfc="none", mec=COLORS["black"], mew=3.0)
    waiting = ax_map.text(-1.5, 1.5, "", ha="center", va="center", fontsize=12, style="italic", color="0.25")
    live.animate(marker, waiting)
    ax_map.set_xlim(extent[0], extent[1])
    ax_map.set_ylim(extent[2], extent[3])
    ax_map.set_xticks([-3, -2, -1, 0], ["0.001", "0.01", "0.1", "1"])
    ax_map.set_yticks([0, 1, 2, 3], ["0", "0.9", "0.99", "0.999"])
    ax_map.set_xlabel(text("η learning rate (log scale)", "η 学习率（对数刻度）"))
    ax_map.set_ylabel(text("μ (1 − μ on a log scale)", "μ（1 − μ 取对数刻度）"), fontsize=12)
    ax_map.grid(False)
    live.bake(image, *over_image)  # the map changes as rows arrive; what lies on it is drawn over it
    ax_map.set_title(text(f"Every slider position, {N_STEPS} steps", f"每个滑块位置，{N_STEPS} 步"), fontsize=14)

    # The distance to the minimum, with the envelope predicted by the spectral radius.
    steps = np.arange(N_STEPS + 1)
    ax_dist.set_yscale("log")
    ax_dist.set_xlim(0, N_STEPS)
    ax_dist.set_ylim(1e-12, 1e4)
    ax_dist.set_xlabel(text("step t", "步数 t"))
    ax_dist.set_ylabel(text("|θ_t| distance", "|θ_t| 距离"))
    (dist_line,) = ax_dist.plot([], [], color=PATH_COLOR, lw=2.2, label=text("run", "实际轨迹"))
    (envelope,) = ax_dist.plot([], [], color=COLORS["black"], lw=1.4, ls="--", label="|θ₀| · max|z|ᵗ")
    live.animate(dist_line, envelope)
    ax_dist.legend(loc="upper right", fontsize=11, ncols=2, framealpha=0.9)
    dist_title = live.animate(ax_dist.set_title("", fontsize=14))
    distance_0 = float(np.hypot(*START))

    shown_rows = {"n": -1}

    def refresh_map():
        """Put the rows computed so far into the (baked) map image; returns True if every row is there."""
        filled = 0
        for k, mu in enumerate(momenta):
            row = sweep.regime_row(mu, columns)
            if row is not None:
                regime_image[k] = row
                filled += 1
        if filled != shown_rows["n"]:
            image.set_data(np.ma.masked_invalid(regime_image))
            live.rebake()
            shown_rows["n"] = filled
        return filled == len(momenta)

    def draw(learning_rate, momentum):
        path, f_path, d, _ = sweep.run(learning_rate, momentum)
        shown = path[: d if d >= 0 else len(path)]
        path_line.set_data(shown[:, 0], shown[:, 1])
        complete = refresh_map()
        waiting.set_text("" if complete else text("other rows: being computed", "其余各行：计算中"))
        marker.set_data(map_x([learning_rate]), map_y([momentum]))
        radius = float(spectral_radius(learning_rate, momentum, np.array([1.0, KAPPA])))
        distance = np.hypot(shown[:, 0], shown[:, 1])
        dist_line.set_data(steps[: len(shown)], np.maximum(distance, TINY))
        with np.errstate(over="ignore", under="ignore"):
            envelope.set_data(steps, np.clip(distance_0 * radius**steps, TINY, 1e300))
        dist_title.set_text(text(f"spectral radius max|z| = {radius:.3f}", f"谱半径 max|z| = {radius:.3f}"))
        plane_title.set_text(text(f"heavy ball, η = {learning_rate:.3g}, μ = {momentum:.4g}",
                                  f"重球法，η = {learning_rate:.3g}，μ = {momentum:.4g}"))
        plane_note.set_text(text(f"diverged at step {d}", f"在第 {d} 步发散") if d >= 0 else "")
        final_ratio = float(f_path[len(shown) - 1] / f_path[0])
        return momentum_status(learning_rate, momentum, d, final_ratio)

    controls = {"learning_rate": lr_control, "momentum": mu_control}
    explorer = Explorer("06b_momentum_map", live, controls, draw,
                        description=text("Move η and μ: the path, its rate max|z|, and where the pair sits on the map.",
                                         "移动 η 和 μ：轨迹、收敛率 max|z|，以及这一对参数在相图上的位置。"),
                        precomputed=sweep.precomputed, defer_background=True)
    explorer.sweep = sweep  # the runs behind the map (tests compare them with the theory)
    return explorer


EXPLORERS = {
    "06b_momentum_map": make_momentum_map_explorer,
}
