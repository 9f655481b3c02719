"""Slider explorers for notebook 05: RMSprop against gradient descent on 2-D surfaces.

"05_rmsprop_paths": a surface selector (the ill-conditioned quadratic, or Rosenbrock's banana),
sliders for eta, the decay rho and eps, and a toggle for where eps sits (outside the sqrt as in
PyTorch, inside as in Keras/TF1). Left: the GD and RMSprop paths on the contours. Right: RMSprop's
square_avg v per coordinate, and its effective step eta / (sqrt(v) + eps) per coordinate, with
GD's constant eta for comparison. Every learning rate of the slider is run at once
(helpers.sweep.sweep_paths) for each (surface, rho, eps, placement) that is visited, so moving
eta is a lookup and moving rho, eps or the placement costs one vectorised sweep.

"05_rotated_valley": the quadratic with condition number 100 rotated by theta. GD does not care
about the rotation; RMSprop divides each *coordinate* by its own root mean square, which fixes
a valley that lies along the axes (theta = 0 or 90 degrees) but cannot fix one that lies along
a diagonal (theta = 45 degrees). The first picture runs its own angle; a background thread runs
the other angles (every learning rate of the slider at once), and the lower panel fills in.
"""

from collections import OrderedDict

import matplotlib as mpl
import numpy as np

from ..surfaces import ill_conditioned_quadratic, rosenbrock
from ..sweep import sweep_paths
from .i18n import text
from .live import Explorer, LiveFigure, Precomputed, decay_slider, log_slider, reachable_positions, slider_positions
from .plotting import COLORS, OPTIMIZER_COLORS, PROJECTOR_STYLE

GD_COLOR = OPTIMIZER_COLORS["GD"]
RMS_COLOR = OPTIMIZER_COLORS["RMSprop"]
X_COLOR, Y_COLOR = COLORS["orange"], COLORS["purple"]
TINY = 1e-300  # keeps log-scale lines finite where a value is exactly 0
ESCAPE_RADIUS = 1e3  # sweep_paths' default: a path that leaves this disc has diverged


# ---------------------------------------------------------------------------------------------
# Shared: the learning rates of a log slider, and a cache of swept paths.


def _lr_grid(control, extra=()):
    return np.unique(np.concatenate([reachable_positions(control), slider_positions(control, 30), list(extra)]))


def _row_distance(a, b):
    """How far apart two rows are: another surface or optimizer is far; else how far decay and eps are."""
    if a[:2] != b[:2] or a[4] != b[4]:
        return (1, 0.0)
    return (0, abs(a[2] - b[2]) + abs(np.log10(max(a[3], 1e-300) / max(b[3], 1e-300))))


class PathCache:
    """Paths of GD and RMSprop on named surfaces, swept over a grid of learning rates at once.

    A "row" is one (surface, optimizer, decay, eps, placement) swept over every learning rate of
    the grid (one call of helpers.sweep.sweep_paths); a learning rate off the grid is run alone.
    The rows listed in `rows` are the chunks of `self.precomputed` (helpers.classroom.live.Precomputed): the
    background thread fills them in that order, and kept. Any other row is computed on the spot by
    the same call and kept among the `max_rows` most recent.
    path: (T + 1, 2), frozen at the last point inside the escape disc; square_avg: (T + 1, 2).
    """

    def __init__(self, surfaces, learning_rates, n_steps, starts=None, max_rows=96, rows=(), extra=None,
                 distance=None):
        self.surfaces = surfaces  # name -> Surface
        self.starts = starts or {}
        self.learning_rates = np.asarray(learning_rates, dtype=np.float64)
        self.n_steps = n_steps
        self.max_rows = max_rows
        self._rows = OrderedDict()
        self.extra = extra  # extra(key, (paths, square_avg, diverged_at)) -> more numbers for a row, computed with it
        self.precomputed = Precomputed(self._compute, [self.key(*row) for row in rows], name="paths",
                                       distance=distance or _row_distance)

    @staticmethod
    def key(surface, optimizer="rmsprop", decay=0.0, eps=1e-8, inside=False):
        """The row of one configuration (GD ignores decay, eps and placement)."""
        if optimizer == "gd":
            decay, eps, inside = 0.0, 0.0, False
        return (surface, optimizer, float(decay), float(eps), bool(inside))

    def _compute(self, key):
        learning_rates = self.learning_rates if len(key) == 5 else np.array([key[5]])
        row = self._sweep(key, learning_rates)
        return row if self.extra is None else (*row, self.extra(key, row))

    def _sweep(self, key, learning_rates):
        surface, optimizer, decay, eps, inside = key[:5]  # a sixth entry marks an off-grid learning rate
        decays = None if optimizer == "gd" else np.full(len(learning_rates), decay)
        result = sweep_paths(self.surfaces[surface], learning_rates, decays, optimizer=optimizer,
                             start=self.starts.get(surface), n_steps=self.n_steps, eps=eps,
                             eps_inside_sqrt=inside, escape_radius=ESCAPE_RADIUS)
        return result.paths, result.square_avg, result.diverged_at

    def row(self, key):
        """(paths (T + 1, 2, C), square_avg, diverged_at (C,)) of one row: stored, awaited or computed now."""
        if key in self.precomputed.chunks:
            return self.precomputed.get(key)
        if key in self._rows:
            self._rows.move_to_end(key)
        else:
            self._rows[key] = self._compute(key)
            if len(self._rows) > self.max_rows:
                self._rows.popitem(last=False)
        return self._rows[key]

    def peek(self, key):
        """That row if it is there already, else None (never computes)."""
        return self.precomputed.peek(key) if key in self.precomputed.chunks else self._rows.get(key)

    def column(self, learning_rate):
        """Index of this learning rate in the grid, or None."""
        matches = np.flatnonzero(np.isclose(self.learning_rates, learning_rate, rtol=1e-9, atol=0.0))
        return int(matches[0]) if matches.size else None

    def get(self, surface, learning_rate, optimizer="rmsprop", decay=0.0, eps=1e-8, inside=False):
        """(path (T + 1, 2), square_avg (T + 1, 2), diverged_at or -1) of one configuration."""
        key = self.key(surface, optimizer, decay, eps, inside)
        i = self.column(learning_rate)
        if i is None:
            paths, square_avg, diverged_at = self.row(key + (float(learning_rate),))[:3]
            i = 0
        else:
            paths, square_avg, diverged_at = self.row(key)[:3]
        return paths[:, i], square_avg[:, i], int(diverged_at[i])


# ---------------------------------------------------------------------------------------------
# GD and RMSprop side by side, on the quadratic or on Rosenbrock.

PATH_STEPS = 300
QUAD_KAPPA = 25.0
LR_RANGE = (1e-4, 1.0)
EPS_RANGE = (1e-10, 1.0)
def surface_options():
    """The surface selector's (label, name) pairs, in the current language."""
    return ((text("valley: quadratic, κ = 25", "山谷：二次函数，κ = 25"), "quadratic"),
            (text("Rosenbrock banana", "Rosenbrock 香蕉函数"), "rosenbrock"))


def _diverged_at(who, step):
    return text(f"{who} diverged at step {step}", f"{who} 在第 {step} 步发散")


def _sentences(words):
    """Sentences joined as the language writes them: with spaces in English, without in Chinese."""
    return text(" ", "").join(words)
# Per surface: plot window, contour levels, and the y ranges of v and of the effective step.
SURFACE_VIEW = {
    "quadratic": {"xlim": (-2.0, 2.0), "ylim": (-2.0, 2.0), "levels": np.geomspace(1e-2, 60.0, 14),
                  "v_ylim": (1e-8, 1e4), "step_ylim": (1e-6, 1e4)},
    "rosenbrock": {"xlim": (-2.0, 2.0), "ylim": (-1.0, 3.0), "levels": np.geomspace(1e-1, 2.5e3, 14),
                   "v_ylim": (1e-6, 1e8), "step_ylim": (1e-6, 1e4)},
}


def path_surfaces():
    """The two surfaces of the paths explorer, by name."""
    return {"quadratic": ill_conditioned_quadratic(QUAD_KAPPA), "rosenbrock": rosenbrock()}


def effective_step(learning_rate, square_avg, eps, eps_inside_sqrt):
    """eta / (sqrt(v) + eps) (PyTorch) or eta / sqrt(v + eps) (Keras/TF1): RMSprop's step per unit gradient."""
    with np.errstate(divide="ignore"):
        if eps_inside_sqrt:
            return learning_rate / np.sqrt(square_avg + eps)
        return learning_rate / (np.sqrt(square_avg) + eps)


def _gd_words(surface_name, surface, learning_rate, diverged_at, final):
    if diverged_at >= 0:
        if surface_name == "quadratic":
            return text(f"GD diverged at step {diverged_at}: η = {learning_rate:.3g} is above its stability bound "
                        f"2/λ_max = {surface.stability_bound:.3g}.",
                        f"GD 在第 {diverged_at} 步发散：η = {learning_rate:.3g} 高于它的稳定性上界 "
                        f"2/λ_max = {surface.stability_bound:.3g}。")
        return text(f"GD diverged at step {diverged_at}: the valley walls are so steep (curvature in the thousands) "
                    f"that η = {learning_rate:.3g} overshoots.",
                    f"GD 在第 {diverged_at} 步发散：山谷两壁太陡（曲率上千），η = {learning_rate:.3g} 会冲过头。")
    return text(f"GD ends at f = {final:.2g}.", f"GD 最后停在 f = {final:.2g}。")


def paths_status(surface_name, surface, learning_rate, decay, eps, inside, gd, rms):
    """The sentence under the paths figure: what each path did, and RMSprop's first step in numbers."""
    gd_path, _, gd_div = gd
    rms_path, square_avg, rms_div = rms
    words = [_gd_words(surface_name, surface, learning_rate, gd_div, float(surface.value(gd_path[-1])))]
    if rms_div >= 0:
        words.append(text(f"RMSprop diverged at step {rms_div}.", f"RMSprop 在第 {rms_div} 步发散。"))
    else:
        final = float(surface.value(rms_path[-1]))
        words.append(text(f"RMSprop ends at f = {final:.2g}.", f"RMSprop 最后停在 f = {final:.2g}。"))
    first = np.abs(rms_path[1] - rms_path[0])
    zero_start = learning_rate / np.sqrt(1 - decay)
    words.append(text(f"RMSprop's first step moved x by {first[0]:.3g} and y by {first[1]:.3g}; "
                      f"from v = 0 it would be η/√(1−ρ) = {zero_start:.3g} on each axis if √(1−ρ)|g| ≫ ε.",
                      f"RMSprop 的第一步让 x 移动了 {first[0]:.3g}，y 移动了 {first[1]:.3g}；"
                      f"从 v = 0 出发，若 √(1−ρ)|g| ≫ ε，每个轴上的这一步都应是 η/√(1−ρ) = {zero_start:.3g}。"))
    floor = np.sqrt(eps) if inside else eps
    if floor > 1e-3 * np.sqrt(max(float(square_avg[-1].max()), TINY)):
        where = text("inside", "里面") if inside else text("outside", "外面")
        words.append(text(f"ε = {eps:.2g} {where} the √ puts a floor of {floor:.2g} under √v: it caps the step.",
                          f"ε = {eps:.2g} 放在 √ {where}，给 √v 垫了一个 {floor:.2g} 的下限：它限制了步长。"))
    return _sentences(words)


def make_rmsprop_paths_explorer(learning_rate=0.05, decay=0.9, eps=1e-8, eps_inside_sqrt=False,
                                surface="quadratic"):
    """Surface selector, η (1e-4 to 1, log), ρ (0 to 0.999), ε (1e-10 to 1, log) and ε's placement.

    Default: the κ = 25 quadratic, η = 0.05 (below GD's bound 0.08, so GD zig-zags but converges),
    ρ = 0.9, ε = 1e-8 outside the sqrt (PyTorch).
    """
    with mpl.rc_context(PROJECTOR_STYLE):
        return _paths_explorer(learning_rate, decay, eps, eps_inside_sqrt, surface).compact_stored_png()


def _paths_explorer(learning_rate, decay, eps, eps_inside_sqrt, surface):
    import ipywidgets as widgets

    surface_control = widgets.Dropdown(options=surface_options(), value=surface, description=text("surface", "曲面"))
    lr_control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *LR_RANGE, steps_per_decade=10)
    decay_control = decay_slider(text("ρ decay", "ρ 衰减系数"), decay)  # even in log(1 - ρ): 0.9-0.999 gets a third
    eps_control = log_slider(text("ε eps", "ε 数值稳定项"), eps, *EPS_RANGE, steps_per_decade=2)
    place_control = widgets.ToggleButtons(options=((text("ε outside √ (PyTorch)", "ε 在 √ 外（PyTorch）"), False),
                                                   (text("ε inside √ (Keras, TF1)", "ε 在 √ 内（Keras、TF1）"), True)),
                                          value=eps_inside_sqrt, description=text("ε placement", "ε 的位置"))
    surfaces = path_surfaces()
    # The rows the background fills: for each surface (the shown one first), GD and RMSprop at the
    # sliders' values, then every position of one control with the others at their values.
    rows = []
    for name in sorted(surfaces, key=lambda n: n != surface):
        rows += [(name, "gd"), (name, "rmsprop", decay, eps, eps_inside_sqrt),
                 (name, "rmsprop", decay, eps, not eps_inside_sqrt)]
        rows += [(name, "rmsprop", d, eps, eps_inside_sqrt) for d in slider_positions(decay_control, 30)]
        rows += [(name, "rmsprop", decay, e, eps_inside_sqrt)
                 for e in np.unique(np.concatenate([reachable_positions(eps_control),
                                                    slider_positions(eps_control, 30)]))]
    cache = PathCache(surfaces, _lr_grid(lr_control, [learning_rate]), PATH_STEPS, rows=rows)

    live = LiveFigure(figsize=(10.5, 5.4), dpi=80, layout_key=f"05_rmsprop_paths/{surface}")
    grid_spec = live.figure.add_gridspec(2, 2, width_ratios=(1.0, 1.1))
    ax_plane = live.figure.add_subplot(grid_spec[:, 0])
    ax_v = live.figure.add_subplot(grid_spec[0, 1])
    ax_step = live.figure.add_subplot(grid_spec[1, 1], sharex=ax_v)
    steps = np.arange(PATH_STEPS + 1)

    ax_plane.set_aspect("equal")
    ax_plane.grid(False)
    ax_plane.set_xlabel("x")
    ax_plane.set_ylabel("y")
    background = {"artists": [], "shown": None}
    (gd_line,) = ax_plane.plot([], [], "-", color=GD_COLOR, lw=2.0, label="GD")
    (rms_line,) = ax_plane.plot([], [], "-", color=RMS_COLOR, lw=2.0, label="RMSprop")
    (gd_end,) = ax_plane.plot([], [], "o", color=GD_COLOR, ms=8, mec="black", zorder=6)
    (rms_end,) = ax_plane.plot([], [], "o", color=RMS_COLOR, ms=8, mec="black", zorder=6)
    (start_dot,) = ax_plane.plot([], [], "o", color="white", ms=11, mec="black", zorder=5)
    (goal,) = ax_plane.plot([], [], "*", color=COLORS["yellow"], ms=20, mec="black", zorder=5)
    live.animate(gd_line, rms_line, gd_end, rms_end, start_dot, goal)
    ax_plane.legend(loc="upper right", fontsize=12, framealpha=0.9)
    plane_note = live.animate(ax_plane.text(0.5, 0.04, "", transform=ax_plane.transAxes, ha="center", va="bottom",
                                            fontsize=13, fontweight="bold", color=COLORS["vermillion"],
                                            bbox={"facecolor": "white", "alpha": 0.9, "lw": 0}, zorder=7))
    plane_title = live.animate(ax_plane.set_title("", fontsize=14))

    ax_v.set_yscale("log")
    ax_v.set_xlim(0, PATH_STEPS)
    ax_v.set_ylabel("square_avg v")
    ax_v.set_title(text("RMSprop's v per coordinate", "RMSprop 每个坐标的 v"), fontsize=14)
    (v_x,) = ax_v.plot([], [], color=X_COLOR, lw=2.2, label="x")
    (v_y,) = ax_v.plot([], [], color=Y_COLOR, lw=2.2, ls="--", label="y")
    live.animate(v_x, v_y)
    ax_v.legend(loc="upper right", fontsize=12, ncols=2, framealpha=0.9)
    ax_v.tick_params(labelbottom=False)

    ax_step.set_yscale("log")
    ax_step.set_xlabel(text("step t", "步数 t"))
    ax_step.set_ylabel(text("step per unit g", "每单位 g 的步长"))
    (s_x,) = ax_step.plot([], [], color=X_COLOR, lw=2.2, label="RMSprop x")
    (s_y,) = ax_step.plot([], [], color=Y_COLOR, lw=2.2, ls="--", label="RMSprop y")
    (s_gd,) = ax_step.plot([], [], color=GD_COLOR, lw=2.0, ls=":", label="GD: η")
    live.animate(s_x, s_y, s_gd)
    ax_step.legend(loc="upper right", fontsize=11, ncols=3, framealpha=0.9, handlelength=1.5, columnspacing=0.8)
    step_title = live.animate(ax_step.set_title("", fontsize=14))

    def show_surface(name):
        """Contours of the chosen surface in the (cached) background; redrawn only on a switch."""
        if background["shown"] == name:
            return
        for artist in background["artists"]:
            artist.remove()
        view, surf = SURFACE_VIEW[name], surfaces[name]
        ax_plane.set_xlim(*view["xlim"])
        ax_plane.set_ylim(*view["ylim"])
        xs, ys, values = surf.grid(160)
        levels = np.concatenate([[0.0], view["levels"], [max(float(values.max()), view["levels"][-1] * 2)]])
        shades = mpl.colormaps["cividis"](np.linspace(0.95, 0.2, len(levels) - 1))
        filled = ax_plane.contourf(xs, ys, values, levels=levels, colors=shades, alpha=0.6)
        lines = ax_plane.contour(xs, ys, values, levels=view["levels"], colors="white", linewidths=0.8, alpha=0.7)
        background["artists"] = [filled, lines]
        ax_v.set_ylim(*view["v_ylim"])
        ax_step.set_ylim(*view["step_ylim"])
        background["shown"] = name
        live.invalidate()

    def draw(surface, learning_rate, decay, eps, eps_inside):
        show_surface(surface)
        surf = surfaces[surface]
        gd = cache.get(surface, learning_rate, "gd")
        rms = cache.get(surface, learning_rate, "rmsprop", decay, eps, eps_inside)
        for line, end, (path, _, d) in ((gd_line, gd_end, gd), (rms_line, rms_end, rms)):
            shown = path[: d if d >= 0 else len(path)]
            line.set_data(shown[:, 0], shown[:, 1])
            end.set_data(shown[-1:, 0], shown[-1:, 1])
        start_dot.set_data([gd[0][0, 0]], [gd[0][0, 1]])
        goal.set_data([surf.minimum[0]], [surf.minimum[1]])
        notes = [_diverged_at(who, d) for who, (_, _, d) in (("GD", gd), ("RMSprop", rms)) if d >= 0]
        plane_note.set_text(text("; ", "；").join(notes))
        label = text("quadratic, κ = 25", "二次函数，κ = 25") if surface == "quadratic" else "Rosenbrock"
        plane_title.set_text(text(f"{label}: GD and RMSprop, η = {learning_rate:.3g}",
                                  f"{label}：GD 与 RMSprop，η = {learning_rate:.3g}"))

        _, square_avg, d = rms
        n = d if d >= 0 else PATH_STEPS + 1
        v = np.maximum(square_avg[1:n], TINY)
        v_x.set_data(steps[1:n], v[:, 0])
        v_y.set_data(steps[1:n], v[:, 1])
        eff = np.maximum(effective_step(learning_rate, square_avg[1:n], eps, eps_inside), TINY)
        s_x.set_data(steps[1:n], eff[:, 0])
        s_y.set_data(steps[1:n], eff[:, 1])
        s_gd.set_data([0, PATH_STEPS], [learning_rate, learning_rate])
        formula = "η / √(v + ε)" if eps_inside else "η / (√v + ε)"
        step_title.set_text(text(f"effective step {formula}", f"有效步长 {formula}"))
        return paths_status(surface, surf, learning_rate, decay, eps, eps_inside, gd, rms)

    controls = {"surface": surface_control, "learning_rate": lr_control, "decay": decay_control,
                "eps": eps_control, "eps_inside": place_control}
    return Explorer("05_rmsprop_paths", live, controls, draw,
                    description=text("Move η, ρ and ε; switch ε's placement and the surface.",
                                     "移动 η、ρ 和 ε；切换 ε 的位置和曲面。"),
                    precomputed=cache.precomputed, defer_background=True)


# ---------------------------------------------------------------------------------------------
# The rotated valley: where per-coordinate scaling stops helping.

ROT_KAPPA = 100.0
ROT_STEPS = 200
ROT_DIVERGED_LEVEL = ROT_STEPS * 1.15  # where the arrival panel draws a diverged run
ROT_DECAY = 0.9
ROT_EPS = 1e-8
ROT_LR_RANGE = (1e-3, 0.1)
ROT_START = np.array([-1.8, 0.6])  # in the valley's own frame (flat axis, steep axis)
ROT_TOL = 1e-2  # "arrived": f below this
ELLIPSE_A = np.array([0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.8, 3.3])


def rotation(degrees):
    """The 2 x 2 rotation matrix R(theta)."""
    theta = np.deg2rad(degrees)
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def rotated_start(degrees):
    """The start point, rotated with the valley, so that GD sees the same problem at every angle."""
    return rotation(degrees) @ ROT_START


def best_axis_condition_number(hessian):
    """Condition number of D^-1/2 H D^-1/2 with D = diag(H): for a 2 x 2 H the best any per-axis scaling reaches.

    (For 2 x 2 matrices, scaling to equal diagonal is optimal: Forsythe & Straus, 1955.) With
    c = H12 / sqrt(H11 H22), the scaled matrix has eigenvalues 1 +- |c|, so it is (1 + |c|) / (1 - |c|).
    """
    c = abs(hessian[0, 1]) / np.sqrt(hessian[0, 0] * hessian[1, 1])
    return (1 + c) / (1 - c)


def steps_to_arrive(values, tol=ROT_TOL):
    """First step t with f(p_t) < tol, or -1 if none."""
    below = np.flatnonzero(values < tol)
    return int(below[0]) if below.size else -1


def make_rotated_valley_explorer(degrees=0, learning_rate=0.015):
    """Sliders θ (0 to 90 degrees) and η (1e-3 to 0.1, log) on the κ = 100 quadratic rotated by θ; ρ = 0.9.

    Default θ = 0, η = 0.015 (GD's bound is 2/κ = 0.02): RMSprop arrives in fewer steps than GD (about 120
    against 170); from about 18° it is slower than GD, and near 45° it takes about as long as GD.
    """
    with mpl.rc_context(PROJECTOR_STYLE):
        return _rotated_explorer(degrees, learning_rate).compact_stored_png()


def _rotated_explorer(degrees, learning_rate):
    import ipywidgets as widgets

    angle_control = widgets.IntSlider(value=degrees, min=0, max=90, step=1,
                                      description=text("θ rotation (°)", "θ 旋转角（°）"))
    lr_control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *ROT_LR_RANGE, steps_per_decade=10)
    angles = list(range(0, 91))
    surfaces = {a: ill_conditioned_quadratic(ROT_KAPPA, np.deg2rad(a)) for a in angles}
    starts = {a: rotated_start(a) for a in angles}
    # One row per (angle, optimizer), every learning rate at once: the first picture's angle first,
    # then outwards from it; the background thread fills them, a slider event computes a missing one.
    order = sorted(angles, key=lambda a: (abs(a - degrees), a))
    rows = [(a, optimizer, ROT_DECAY if optimizer == "rmsprop" else 0.0, ROT_EPS if optimizer == "rmsprop" else 0.0,
             False) for a in order for optimizer in ("gd", "rmsprop")]
    def arrivals(key, row):
        """Steps to f < ROT_TOL for every learning rate of a row (-1: not within ROT_STEPS, -2: diverged)."""
        paths, _, diverged_at = row
        below = surfaces[key[0]].value(paths) < ROT_TOL  # (T + 1, C)
        first = np.where(below.any(axis=0), np.argmax(below, axis=0), -1)
        return np.where(diverged_at >= 0, -2, first)

    cache = PathCache(surfaces, _lr_grid(lr_control, [learning_rate]), ROT_STEPS, starts=starts, max_rows=400,
                      rows=rows, extra=arrivals,
                      distance=lambda a, b: abs(a[0] - b[0]) + (0.0 if a[1] == b[1] else 0.5))

    def arrival(a, optimizer):
        """Steps to f < ROT_TOL for every learning rate at angle a, or None if that row is not computed yet."""
        row = cache.peek(PathCache.key(a, optimizer, ROT_DECAY, ROT_EPS, False))
        return None if row is None else row[3]

    live = LiveFigure(figsize=(10.5, 5.4), dpi=80, layout_key="05_rotated_valley")
    grid_spec = live.figure.add_gridspec(2, 2, width_ratios=(1.0, 1.1))
    ax_plane = live.figure.add_subplot(grid_spec[:, 0])
    ax_f = live.figure.add_subplot(grid_spec[0, 1])
    ax_angle = live.figure.add_subplot(grid_spec[1, 1])

    theta = np.linspace(0.0, 2.0 * np.pi, 121)
    ellipses = [live.animate(ax_plane.plot([], [], color=COLORS["black"], lw=0.9, alpha=0.35)[0]) for _ in ELLIPSE_A]
    (axis_line,) = ax_plane.plot([], [], color=COLORS["black"], lw=1.0, ls=":", alpha=0.7)
    (gd_line,) = ax_plane.plot([], [], "-", color=GD_COLOR, lw=2.0, label="GD")
    (rms_line,) = ax_plane.plot([], [], "-", color=RMS_COLOR, lw=2.0, label="RMSprop")
    (start_dot,) = ax_plane.plot([], [], "o", color="white", ms=11, mec="black", zorder=5)
    live.animate(axis_line, gd_line, rms_line, start_dot)
    live.animate(ax_plane.plot(0, 0, "*", color=COLORS["yellow"], ms=20, mec="black", zorder=5)[0])
    ax_plane.set_xlim(-2.0, 2.0)
    ax_plane.set_ylim(-2.0, 2.0)
    ax_plane.set_aspect("equal")
    ax_plane.grid(False)
    ax_plane.set_xlabel("x")
    ax_plane.set_ylabel("y")
    ax_plane.legend(loc="upper right", fontsize=12, framealpha=0.9)
    plane_title = live.animate(ax_plane.set_title("", fontsize=14))
    plane_note = live.animate(ax_plane.text(0.5, 0.04, "", transform=ax_plane.transAxes, ha="center", va="bottom",
                                            fontsize=13, fontweight="bold", color=COLORS["vermillion"],
                                            bbox={"facecolor": "white", "alpha": 0.9, "lw": 0}, zorder=7))

    steps = np.arange(ROT_STEPS + 1)
    ax_f.set_yscale("log")
    ax_f.set_xlim(0, ROT_STEPS)
    ax_f.set_ylim(1e-8, 1e3)
    ax_f.axhline(ROT_TOL, color=COLORS["black"], lw=1.0, ls=":")
    ax_f.set_xlabel(text("step t", "步数 t"))
    ax_f.set_ylabel("f(p_t)")
    ax_f.set_title(text(f"Loss along each path (ρ = {ROT_DECAY})", f"每条路径上的损失（ρ = {ROT_DECAY}）"), fontsize=14)
    (f_gd,) = ax_f.plot([], [], color=GD_COLOR, lw=2.2, label="GD")
    (f_rms,) = ax_f.plot([], [], color=RMS_COLOR, lw=2.2, label="RMSprop")
    live.animate(f_gd, f_rms)
    ax_f.legend(loc="lower left", fontsize=12, ncols=2, framealpha=0.9)

    ax_angle.set_xlim(0, 90)
    ax_angle.set_ylim(0, ROT_STEPS * 1.3)
    ax_angle.set_xticks([0, 15, 30, 45, 60, 75, 90])
    ax_angle.set_xlabel(text("θ rotation of the valley (degrees)", "θ 山谷的旋转角（度）"))
    ax_angle.set_ylabel(text(f"steps to f < {ROT_TOL:g}", f"到达 f < {ROT_TOL:g} 的步数"))
    ax_angle.axhline(ROT_STEPS, color=COLORS["black"], lw=1.0, ls=":")
    ax_angle.text(45, ROT_STEPS * 1.02, text(f"not within {ROT_STEPS} steps", f"{ROT_STEPS} 步内未到达"), ha="center",
                  va="bottom", fontsize=11)
    ax_angle.axhline(ROT_DIVERGED_LEVEL, color=COLORS["vermillion"], lw=1.0, ls=":")
    ax_angle.text(45, ROT_DIVERGED_LEVEL * 1.01, text("diverged", "发散"), ha="center", va="bottom", fontsize=11,
                  color=COLORS["vermillion"])
    (arr_gd,) = ax_angle.plot([], [], color=GD_COLOR, lw=2.2, label="GD")
    (arr_rms,) = ax_angle.plot([], [], color=RMS_COLOR, lw=2.2, label="RMSprop")
    marker = ax_angle.axvline(degrees, color=COLORS["black"], lw=2.5)
    waiting = ax_angle.text(45, ROT_STEPS * 0.5, "", ha="center", va="center", fontsize=12, style="italic",
                            color="0.35")
    live.animate(arr_gd, arr_rms, marker, waiting)
    ax_angle.set_title(text("Arrival against the angle", "到达步数与角度"), fontsize=14)

    def draw(degrees, learning_rate):
        surf = surfaces[degrees]
        rot = rotation(degrees)
        for line, a in zip(ellipses, ELLIPSE_A, strict=True):
            local = np.stack([a * np.cos(theta), a / np.sqrt(ROT_KAPPA) * np.sin(theta)])
            line.set_data(*(rot @ local))
        axis_line.set_data(*(rot @ np.array([[-3.0, 3.0], [0.0, 0.0]])))
        gd = cache.get(degrees, learning_rate, "gd")
        rms = cache.get(degrees, learning_rate, "rmsprop", ROT_DECAY, ROT_EPS, False)
        results = {}
        for name, line, f_line, (path, _, d) in (("GD", gd_line, f_gd, gd), ("RMSprop", rms_line, f_rms, rms)):
            shown = path[: d if d >= 0 else len(path)]
            line.set_data(shown[:, 0], shown[:, 1])
            values = surf.value(shown)
            f_line.set_data(steps[: len(shown)], np.maximum(values, TINY))
            results[name] = (d, -1 if d >= 0 else steps_to_arrive(values), float(values[-1]))
        start_dot.set_data([starts[degrees][0]], [starts[degrees][1]])
        j = cache.column(learning_rate)
        complete = True
        for line, key in ((arr_gd, "gd"), (arr_rms, "rmsprop")):
            counts = np.full(len(angles), np.nan)  # a gap where an angle is not computed yet
            for k, a in enumerate(angles):
                row = arrival(a, key) if j is not None else None
                if row is None:
                    complete = False
                else:
                    counts[k] = row[j] if row[j] >= 0 else ROT_STEPS if row[j] == -1 else ROT_DIVERGED_LEVEL
            if j is None:
                line.set_data([], [])
            else:
                line.set_data(angles, counts)
        waiting.set_text("" if complete or j is None
                         else text("the other angles: being computed", "其余角度：正在计算"))
        marker.set_xdata([degrees, degrees])
        kappa_axis = best_axis_condition_number(surf.hessian)
        plane_title.set_text(text(f"valley rotated by θ = {degrees}°", f"山谷旋转了 θ = {degrees}°"))
        notes = [_diverged_at(who, d) for who, (d, _, _) in results.items() if d >= 0]
        plane_note.set_text(text("; ", "；").join(notes))
        return rotated_status(degrees, learning_rate, kappa_axis, results)

    controls = {"degrees": angle_control, "learning_rate": lr_control}
    return Explorer("05_rotated_valley", live, controls, draw,
                    description=text("Turn the valley: per-axis scaling helps along the axes, not along a diagonal.",
                                     "旋转山谷：逐轴缩放对沿坐标轴的山谷有效，对沿对角线的无效。"),
                    precomputed=cache.precomputed, defer_background=True)


def rotated_status(degrees, learning_rate, kappa_axis, results):
    """The sentence under the rotated-valley figure."""
    words = [text(f"θ = {degrees}°: the best any per-axis scaling can do is condition number {kappa_axis:.3g} "
                  f"(the valley's own is {ROT_KAPPA:g}).",
                  f"θ = {degrees}°：任何逐轴缩放最多能把条件数降到 {kappa_axis:.3g}"
                  f"（山谷本身的条件数是 {ROT_KAPPA:g}）。")]
    for name, (d, arrived, final) in results.items():
        if d >= 0:
            bound = 2.0 / ROT_KAPPA
            extra = text(f" (η = {learning_rate:.3g} is above 2/λ_max = {bound:.3g})",
                         f"（η = {learning_rate:.3g} 高于 2/λ_max = {bound:.3g}）") if name == "GD" else ""
            words.append(text(f"{name} diverged at step {d}{extra}.", f"{name} 在第 {d} 步发散{extra}。"))
        elif arrived >= 0:
            words.append(text(f"{name} reaches f < {ROT_TOL:g} at step {arrived}.",
                              f"{name} 在第 {arrived} 步到达 f < {ROT_TOL:g}。"))
        else:
            words.append(text(f"{name} does not reach f < {ROT_TOL:g} in {ROT_STEPS} steps (f = {final:.2g}).",
                              f"{name} 在 {ROT_STEPS} 步内没有到达 f < {ROT_TOL:g}（f = {final:.2g}）。"))
    return _sentences(words)


EXPLORERS = {
    "05_rmsprop_paths": make_rmsprop_paths_explorer,
    "05_rotated_valley": make_rotated_valley_explorer,
}
