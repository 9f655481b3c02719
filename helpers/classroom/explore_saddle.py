"""Slider explorer for notebook 08: leaving a saddle and crossing a flat shelf, GD against the Adam family.

"08_saddle": a surface selector (the saddle (x² − b y²)/2 with b = 0.1, or a flat shelf before a
drop), η (log slider), ρ (the decay of RMSprop, also Adam's β₂; even in log(1 − ρ)) and the start
offset δ (how far the start lies from where the ground falls away: y₀ = δ on the saddle, the
distance x₀ = −δ to the edge of the shelf). Left: the paths of GD, Adagrad, RMSprop and Adam on
the contours. Right: the coordinate that has to move (|y| on the saddle, x on the shelf) against the
step. The status line gives each optimizer's steps to escape, and on the saddle GD's formula
ln(1/δ) / ln(1 + η b).

Every learning rate of the slider is run at once (helpers.sweep.sweep_paths) for each
(surface, optimizer, ρ, δ) that is visited; the rows of the shown surface at the default δ (every ρ) and
at the default ρ (every δ), and the other surface at the defaults, are filled by the background thread
(helpers.classroom.live.Precomputed); any other row is computed at its first event.
"""

import matplotlib as mpl
import numpy as np

from .. import _checks
from ..surfaces import Saddle, Shelf
from ..sweep import sweep_paths
from .i18n import text
from .live import Explorer, LiveFigure, Precomputed, decay_slider, log_slider, reachable_positions, slider_positions
from .plotting import COLORS, OPTIMIZER_COLORS, PROJECTOR_STYLE

STEPS = 1000
SADDLE_B = 0.1  # the small negative curvature: the way out of the saddle
ESCAPE_Y = 1.0  # the saddle is left once |y| >= 1
SHELF_PAST = 0.3  # the shelf is left once x >= 0.3 (below the drop)
ARRIVE = 0.1  # "at the minimum": |x - x_min| < 0.1
BLOWUP = 10.0  # a coordinate that should settle has |value| > 10: diverged
BETA1 = 0.9  # Adam's beta1 (its beta2 is the ρ slider)
LR_RANGE = (1e-3, 3.0)
NAMES = ("GD", "Adagrad", "RMSprop", "Adam")
KINDS = {"GD": "gd", "Adagrad": "adagrad", "RMSprop": "rmsprop", "Adam": "adam"}
VIEW = {"saddle": {"xlim": (-1.3, 1.3), "ylim": (-1.3, 1.3)}, "shelf": {"xlim": (-1.1, 2.1), "ylim": (-0.7, 0.7)}}


def saddle_surfaces():
    """The two surfaces of the explorer, by name: the saddle (a = 1, b = 0.1) and the shelf."""
    return {"saddle": Saddle(1.0, SADDLE_B), "shelf": Shelf()}


def start_point(surface, offset):
    """Where a run starts: (1, δ) on the saddle (δ above the ridge y = 0), (−δ, 0.5) on the shelf (δ before the
    edge)."""
    return np.array([1.0, offset]) if surface == "saddle" else np.array([-offset, 0.5])


def gd_saddle_steps(learning_rate, curvature, offset, radius=ESCAPE_Y):
    """GD's steps to leave the saddle: y_t = (1 + η b)^t y₀ reaches radius R at t = ln(R / y₀) / ln(1 + η b).

    Returns the real number (round it up for a count of steps); arrays broadcast.
    """
    learning_rate = _checks.float_array(learning_rate, "learning_rate", finite=True)
    curvature = _checks.float_array(curvature, "curvature", finite=True)
    offset = _checks.float_array(offset, "offset", finite=True)
    radius = _checks.positive(radius, "radius")
    for name, value in (("learning_rate", learning_rate), ("curvature", curvature), ("offset", offset)):
        if np.any(value <= 0):
            raise ValueError(f"{name} must be > 0, got {value!r}")
    if np.any(offset >= radius):
        raise ValueError(f"offset must be below radius {radius:g} (the start must lie inside the saddle's region)")
    return np.log(radius / offset) / np.log1p(learning_rate * curvature)


def steps_to_escape(paths, surface):
    """First step t at which each path has left: |y_t| >= 1 on the saddle, x_t >= 0.3 on the shelf; -1 if never.

    paths: (T + 1, C, 2). Returns (C,) ints.
    """
    paths = _checks.float_array(paths, "paths", ndim=3)
    if paths.shape[-1] != 2:
        raise ValueError(f"paths must have shape (T + 1, C, 2), got {paths.shape}")
    _checks.choice(surface, "surface", tuple(VIEW))
    with np.errstate(invalid="ignore"):
        out = np.abs(paths[..., 1]) >= ESCAPE_Y if surface == "saddle" else paths[..., 0] >= SHELF_PAST
    return np.where(out.any(axis=0), np.argmax(out, axis=0), -1)


def diverged_steps(paths, surface, sweep_diverged):
    """First step at which a coordinate that should settle blew up (|x| > 10 on the saddle, |x| or |y| > 10 on
    the shelf), or at which the sweep stopped the run before it escaped; -1 if never. paths: (T + 1, C, 2)."""
    escaped = steps_to_escape(paths, surface)
    with np.errstate(invalid="ignore"):
        blown = ~np.isfinite(paths).all(axis=-1)
        blown |= np.abs(paths[..., 0]) > BLOWUP
        if surface == "shelf":
            blown |= np.abs(paths[..., 1]) > BLOWUP
    first = np.where(blown.any(axis=0), np.argmax(blown, axis=0), -1)
    stopped = (sweep_diverged >= 0) & ((escaped < 0) | (sweep_diverged <= escaped))
    return np.where(first >= 0, first, np.where(stopped, sweep_diverged, -1))


def run_row(surfaces, learning_rates, surface, optimizer, decay, offset):
    """One row: every learning rate for one (surface, optimizer, ρ, δ). Returns (paths float32 (T + 1, C, 2),
    escaped (C,), diverged (C,), arrived (C,)): arrived is the first step within ARRIVE of the minimum's x
    on the shelf (-1 if never, and always -1 on the saddle)."""
    decays = None if optimizer in ("gd", "adagrad") else np.full(len(learning_rates), decay)
    result = sweep_paths(surfaces[surface], learning_rates, decays, optimizer=optimizer,
                         start=start_point(surface, offset), n_steps=STEPS, escape_radius=1e12, beta1=BETA1)
    paths = result.paths
    escaped = steps_to_escape(paths, surface)
    diverged = diverged_steps(paths, surface, result.diverged_at)
    arrived = np.full(paths.shape[1], -1)
    if surface == "shelf":
        near = np.abs(paths[..., 0] - surfaces["shelf"].minimum[0]) < ARRIVE
        arrived = np.where(near.any(axis=0), np.argmax(near, axis=0), -1)
    escaped = np.where((diverged >= 0) & ((escaped < 0) | (diverged <= escaped)), -1, escaped)
    return paths.astype(np.float32), escaped, diverged, arrived


def _key(surface, name, decay, offset):
    if name in ("GD", "Adagrad"):
        decay = 0.0
    return (surface, name, float(decay), float(offset))


OFFSETS = tuple(float(f"{10 ** (k / 2):.3g}") for k in range(-10, 1))  # 1e-05, 3.16e-05, ..., 0.316, 1


def offset_slider(description, value):
    """A SelectionSlider over OFFSETS (two per decade, 1e-5 to 1), whose value is the float δ."""
    import ipywidgets as widgets

    if value not in OFFSETS:
        raise ValueError(f"offset must be one of {OFFSETS}, got {value!r}")
    return widgets.SelectionSlider(options=[(f"{o:.3g}", o) for o in OFFSETS], value=value, description=description,
                                   continuous_update=True)


def _steps(n):
    return text(f"{n} step" if n == 1 else f"{n} steps", f"{n} 步")


def _words(surface, name, learning_rate, offset, escaped, diverged, arrived):
    if diverged >= 0:
        if name == "GD" and surface == "saddle":
            return text(f"GD diverged at step {diverged}: η = {learning_rate:.3g} is above 2/a = 2 along x.",
                        f"GD 在第 {diverged} 步发散：η = {learning_rate:.3g} 超过了 x 方向的界 2/a = 2。")
        return text(f"{name} diverged at step {diverged}.", f"{name} 在第 {diverged} 步发散。")
    if surface == "saddle":
        if escaped >= 0:
            sentence = text(f"{name} leaves the saddle after {_steps(escaped)}",
                            f"{name} 用 {escaped} 步离开鞍点")
        else:
            sentence = text(f"{name} has not left the saddle after {STEPS} steps",
                            f"{name} 在 {STEPS} 步内没有离开鞍点")
        if name == "GD" and offset < ESCAPE_Y:  # δ = 1 starts on the way out: no formula to quote
            formula = float(gd_saddle_steps(learning_rate, SADDLE_B, offset))
            sentence += text(f" (formula ln(1/δ)/ln(1 + ηb) = {formula:.4g})",
                             f"（公式 ln(1/δ)/ln(1 + ηb) = {formula:.4g}）")
        return sentence + text(".", "。")
    past = (text(f"{name} is past the drop at step {escaped}", f"{name} 在第 {escaped} 步越过陡坡") if escaped >= 0
            else text(f"{name} is still on the shelf after {STEPS} steps", f"{name} 在 {STEPS} 步后仍在平台上"))
    if escaped >= 0:
        past += (text(f", at the minimum at step {arrived}", f"，在第 {arrived} 步到达最小值附近") if arrived >= 0
                 else text(", not at the minimum yet", "，尚未到达最小值"))
    return past + text(".", "。")


def saddle_status(surface, learning_rate, decay, offset, results):
    """The sentence under the figure: each optimizer's escape (and arrival on the shelf), in words."""
    head = text(f"η = {learning_rate:.3g}, ρ = β₂ = {decay:.4g}, δ = {offset:.3g}: ",
                f"η = {learning_rate:.3g}，ρ = β₂ = {decay:.4g}，δ = {offset:.3g}：")
    return head + text(" ", "").join(_words(surface, name, learning_rate, offset, *results[name]) for name in NAMES)


def make_saddle_explorer(surface="saddle", learning_rate=0.1, decay=0.9, offset=1e-3):
    """Surface (saddle or shelf), η (1e-3 to 3, log), ρ = β₂ (0 to 0.999, even in log(1 − ρ)), δ (1e-5 to 1).

    Default: the saddle, η = 0.1, ρ = 0.9, δ = 1e-3: GD needs 695 steps to leave it, RMSprop 4.
    """
    with mpl.rc_context(PROJECTOR_STYLE):
        return _saddle_explorer(surface, learning_rate, decay, offset).compact_stored_png()


def _saddle_explorer(surface, learning_rate, decay, offset):
    import ipywidgets as widgets

    surface_control = widgets.Dropdown(options=((text("saddle (x² − 0.1 y²)/2", "鞍点 (x² − 0.1 y²)/2"), "saddle"),
                                                (text("flat shelf before a drop", "陡坡前的平台"), "shelf")),
                                       value=surface, description=text("surface", "曲面"))
    lr_control = log_slider(text("η learning rate", "η 学习率"), learning_rate, *LR_RANGE, steps_per_decade=10)
    decay_control = decay_slider(text("ρ decay (Adam's β₂)", "ρ 衰减系数（Adam 的 β₂）"), decay, steps_per_decade=5)
    offset_control = offset_slider(text("δ start offset", "δ 起点偏移"), offset)
    surfaces = saddle_surfaces()
    learning_rates = np.unique(np.concatenate([reachable_positions(lr_control), slider_positions(lr_control, 30),
                                               [learning_rate]]))
    decays = [float(d) for d in slider_positions(decay_control, 30)]
    offsets = [value for _, value in offset_control.options]
    # The background fills the shown surface: every ρ at the default δ, every δ at the default ρ, and the other
    # surface at the defaults. Any other (ρ, δ) is computed at its first event (four sweeps, about a second).
    chunks = [_key(surface, n, decay, offset) for n in NAMES]
    chunks += [_key(surface, n, d, offset) for d in decays for n in ("RMSprop", "Adam")]
    chunks += [_key(surface, n, decay, o) for o in offsets for n in NAMES]
    chunks += [_key(other, n, decay, offset) for other in surfaces if other != surface for n in NAMES]

    def compute(key):
        surface_name, name, rho, delta = key[:4]
        rates = learning_rates if len(key) == 4 else np.array([key[4]])
        return run_row(surfaces, rates, surface_name, KINDS[name], rho, delta)

    def distance(a, b):
        if a[0] != b[0]:
            return 10.0
        return abs(np.log10(1 - a[2] + 1e-3) - np.log10(1 - b[2] + 1e-3)) + abs(np.log10(a[3] / b[3]))

    precomputed = Precomputed(compute, list(dict.fromkeys(chunks)), name="saddle paths", distance=distance)

    def get(surface_name, name, rate, rho, delta):
        key = _key(surface_name, name, rho, delta)
        matches = np.flatnonzero(np.isclose(learning_rates, rate, rtol=1e-9, atol=0.0))
        if matches.size:
            i = int(matches[0])
        else:
            key, i = key + (float(rate),), 0
        paths, escaped, diverged, arrived = precomputed.get(key)
        return paths[:, i], int(escaped[i]), int(diverged[i]), int(arrived[i])

    live = LiveFigure(figsize=(10.5, 5.0), dpi=80, layout_key=f"08_saddle/{surface}")
    ax_plane, ax_coord = live.figure.subplots(1, 2, width_ratios=(1.0, 1.1))
    ax_plane.grid(False)
    ax_plane.set_xlabel("x")
    ax_plane.set_ylabel("y")
    background = {"artists": [], "shown": None}
    lines, ends, coords = {}, {}, {}
    styles = {"GD": "-", "Adagrad": "-.", "RMSprop": "-", "Adam": "--"}
    colors = {name: OPTIMIZER_COLORS[name] for name in NAMES}
    for name in NAMES:
        (lines[name],) = ax_plane.plot([], [], styles[name], color=colors[name], lw=2.2, label=name)
        (ends[name],) = ax_plane.plot([], [], "o", color=colors[name], ms=8, mec="black", zorder=6)
        (coords[name],) = ax_coord.plot([], [], styles[name], color=colors[name], lw=2.2, label=name)
        live.animate(lines[name], ends[name], coords[name])
    (start_dot,) = ax_plane.plot([], [], "o", color="white", ms=11, mec="black", zorder=5)
    live.animate(start_dot)
    ax_plane.legend(loc="upper left", fontsize=11, framealpha=0.9)
    plane_note = live.animate(ax_plane.text(0.5, 0.04, "", transform=ax_plane.transAxes, ha="center", va="bottom",
                                            fontsize=13, fontweight="bold", color=COLORS["vermillion"],
                                            bbox={"facecolor": "white", "alpha": 0.9, "lw": 0}, zorder=7))
    plane_title = live.animate(ax_plane.set_title("", fontsize=14))
    ax_coord.set_xscale("symlog", linthresh=10)
    ax_coord.set_xlim(0, STEPS)
    ax_coord.set_xlabel(text("step t", "步数 t"))
    threshold = ax_coord.axhline(ESCAPE_Y, color=COLORS["black"], lw=1.0, ls=":")
    coord_title = ax_coord.set_title("", fontsize=14)

    def show_surface(name):
        if background["shown"] == name:
            return
        for artist in background["artists"]:
            artist.remove()
        view, surf = VIEW[name], surfaces[name]
        ax_plane.set_xlim(*view["xlim"])
        ax_plane.set_ylim(*view["ylim"])
        xs = np.linspace(*view["xlim"], 160)
        ys = np.linspace(*view["ylim"], 120)
        values = surf.value(np.stack(np.meshgrid(xs, ys), axis=-1))
        filled = ax_plane.contourf(xs, ys, values, levels=14, cmap="cividis_r", alpha=0.6)
        contour = ax_plane.contour(xs, ys, values, levels=14, colors="white", linewidths=0.8, alpha=0.7)
        background["artists"] = [filled, contour]
        if name == "saddle":
            ax_coord.set_yscale("log")
            ax_coord.set_ylim(1e-6, 3.0)
            ax_coord.set_ylabel(text("|y|, the way out", "|y|（离开的方向）"))
            threshold.set_ydata([ESCAPE_Y, ESCAPE_Y])
            coord_title.set_text(text("Leaving the saddle: |y| ≥ 1", "离开鞍点：|y| ≥ 1"))
        else:
            ax_coord.set_yscale("linear")
            ax_coord.set_ylim(-1.1, 2.1)
            ax_coord.set_ylabel(text("x, along the shelf", "x（沿平台方向）"))
            threshold.set_ydata([surf.minimum[0], surf.minimum[0]])
            coord_title.set_text(text("Over the edge, on to the minimum (dotted)",
                                      "越过陡坡，走向最小值（虚线）"))
        ax_coord.legend(loc="lower right" if name == "saddle" else "upper left", fontsize=11, framealpha=0.9)
        background["shown"] = name
        live.invalidate()

    steps = np.arange(STEPS + 1)

    def draw(surface, learning_rate, decay, offset):
        show_surface(surface)
        view = VIEW[surface]
        results, notes = {}, []
        for name in NAMES:
            path, escaped, diverged, arrived = get(surface, name, learning_rate, decay, offset)
            results[name] = (escaped, diverged, arrived)
            n = diverged + 1 if diverged >= 0 else STEPS + 1
            if surface == "saddle" and escaped >= 0:
                n = min(n, escaped + 1)
            shown = path[:n]
            inside = (np.abs(shown[:, 0]) < 10) & (np.abs(shown[:, 1]) < 10)
            shown = shown[: int(np.argmin(inside)) if not inside.all() else n]
            lines[name].set_data(shown[:, 0], shown[:, 1])
            ends[name].set_data(shown[-1:, 0], shown[-1:, 1])
            if surface == "saddle":
                coords[name].set_data(steps[:n], np.clip(np.abs(path[:n, 1]), 1e-7, 10.0))
            else:
                coords[name].set_data(steps[:n], np.clip(path[:n, 0], -5.0, 5.0))
            if diverged >= 0:
                notes.append(text(f"{name} diverged at step {diverged}", f"{name} 在第 {diverged} 步发散"))
        start = start_point(surface, offset)
        start_dot.set_data([np.clip(start[0], *view["xlim"])], [np.clip(start[1], *view["ylim"])])
        plane_note.set_text(text("; ", "；").join(notes))
        where = text("saddle", "鞍点") if surface == "saddle" else text("shelf", "平台")
        plane_title.set_text(text(f"{where}: η = {learning_rate:.3g}, ρ = {decay:.4g}",
                                  f"{where}：η = {learning_rate:.3g}，ρ = {decay:.4g}"))
        return saddle_status(surface, learning_rate, decay, offset, results)

    controls = {"surface": surface_control, "learning_rate": lr_control, "decay": decay_control,
                "offset": offset_control}
    return Explorer("08_saddle", live, controls, draw,
                    description=text("Move η, ρ and the start offset δ; switch between the saddle and the shelf.",
                                     "移动 η、ρ 和起点偏移 δ；在鞍点和平台之间切换。"),
                    precomputed=precomputed, defer_background=True)


EXPLORERS = {"08_saddle": make_saddle_explorer}
