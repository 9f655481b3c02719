"""Figure style for a projector, colour-blind-safe colours, and small plotting aids.

Okabe & Ito's palette stays distinguishable under the common colour-vision deficiencies.
`use_projector_style()` sets fonts of 14 pt and thick lines so that a figure projected at
the back of a classroom is still readable.
"""

import matplotlib as mpl
import numpy as np

from .. import _checks

# Okabe-Ito colours, named for what they show in these notebooks.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
# One colour per optimizer, used the same way in every notebook.
OPTIMIZER_COLORS = {
    "GD": COLORS["blue"],
    "Momentum": COLORS["green"],
    "RMSprop": COLORS["vermillion"],
    "Adam": COLORS["purple"],
    "Adagrad": COLORS["orange"],
}
# Two classes: 0 and 1.
CLASS_COLORS = (COLORS["blue"], COLORS["orange"])

PROJECTOR_STYLE = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": mpl.cycler(color=list(COLORS.values())),
    "image.cmap": "cividis",
    "figure.constrained_layout.use": True,
}


def use_projector_style():
    """Apply PROJECTOR_STYLE to matplotlib's rcParams (call once at the top of a notebook)."""
    mpl.rcParams.update(PROJECTOR_STYLE)


def input_grid(xlim, ylim, n=100):
    """Points covering a rectangle, to draw a classifier's decision boundary.

    Returns (xs (n,), ys (n,), points (n*n, 2)); reshape predictions with .reshape(n, n).
    """
    n = _checks.positive_int(n, "n", minimum=2)
    for limits, name in ((xlim, "xlim"), (ylim, "ylim")):
        low, high = _checks.pair(limits, name)
        if not low < high:
            raise ValueError(f"{name} must be (low, high) with low < high, got {limits!r}")
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    XX, YY = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([XX.ravel(), YY.ravel()])
