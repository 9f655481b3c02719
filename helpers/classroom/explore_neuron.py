"""Slider explorer for notebook 01: move one neuron's weights and bias, and watch it fail on XOR.

A single neuron z = w1 x1 + w2 x2 + b, a = sigmoid(z), predicts class 1 where z > 0 (a > 1/2).
Its decision boundary is the straight line w1 x1 + w2 x2 + b = 0. The left panel shows the four
points of a data set coloured by class, the line, and the two half-planes shaded by the class
the neuron predicts there; the right panel shows the neuron's output sigmoid(z) for each point
against the threshold 1/2. On XOR no setting gets more than 3 of the 4 points right
(erratum E5 of the source article); on AND and OR, 4 of 4 is reachable.
"""

import ipywidgets as widgets
import numpy as np

from ..activations import sigmoid
from .i18n import text
from .live import Explorer, LiveFigure
from .plotting import CLASS_COLORS, COLORS

# The four corners of the unit square, in the order of helpers.data.xor().
POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TARGETS = {
    "XOR": np.array([0.0, 1.0, 1.0, 0.0]),
    "AND": np.array([0.0, 0.0, 0.0, 1.0]),
    "OR": np.array([0.0, 1.0, 1.0, 1.0]),
}
# The input plane drawn (a little wider than the unit square, so that lines near the points show).
BOX = (-0.5, 1.5, -0.5, 1.5)


def predict(w1, w2, b, X=POINTS):
    """Class predicted by one neuron for each row of X (N, 2): 1 where z = X @ w + b > 0, else 0. Shape (N,)."""
    z = X @ np.array([w1, w2]) + b
    return (z > 0).astype(np.float64)


def n_correct(w1, w2, b, dataset="XOR"):
    """How many of the four points of `dataset` ("XOR", "AND" or "OR") one neuron classifies right."""
    return int(np.sum(predict(w1, w2, b) == TARGETS[dataset]))


def half_plane(w1, w2, b, box=BOX):
    """Corners of the part of the box where w1 x1 + w2 x2 + b > 0 (a polygon, possibly empty): (M, 2).

    Sutherland-Hodgman clipping of the box's four corners against one straight line.
    """
    x_lo, x_hi, y_lo, y_hi = box
    corners = [(x_lo, y_lo), (x_hi, y_lo), (x_hi, y_hi), (x_lo, y_hi)]
    values = [w1 * x + w2 * y + b for x, y in corners]
    kept = []
    for i in range(4):
        p, q = corners[i], corners[(i + 1) % 4]
        fp, fq = values[i], values[(i + 1) % 4]
        if fp > 0:
            kept.append(p)
        if (fp > 0) != (fq > 0):  # the edge crosses the line: keep the crossing point
            t = fp / (fp - fq)
            kept.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return np.array(kept, dtype=np.float64).reshape(-1, 2)


def boundary_segment(w1, w2, b, box=BOX):
    """The part of the line w1 x1 + w2 x2 + b = 0 inside the box, as two points (2, 2); empty (0, 2) if none."""
    x_lo, x_hi, y_lo, y_hi = box
    points = []
    if w2 != 0:
        for x in (x_lo, x_hi):
            y = -(w1 * x + b) / w2
            if y_lo <= y <= y_hi:
                points.append((x, y))
    if w1 != 0:
        for y in (y_lo, y_hi):
            x = -(w2 * y + b) / w1
            if x_lo <= x <= x_hi:
                points.append((x, y))
    if len(points) < 2:
        return np.empty((0, 2))
    points = np.array(points)
    # The two points farthest apart (a corner crossing may appear twice).
    i, j = max(((i, j) for i in range(len(points)) for j in range(i + 1, len(points))),
               key=lambda ij: np.sum((points[ij[0]] - points[ij[1]]) ** 2))
    return points[[i, j]]


def status_sentence(k, dataset):
    """The sentence shown under the figure for k of 4 points correct on a data set."""
    if dataset == "XOR":
        if k == 3:
            return text("XOR: 3 of 4 correct: one point is always on the wrong side. "
                        "No straight line has (0,1) and (1,0) on one side and (0,0) and (1,1) on the other.",
                        "XOR：4 个点中对了 3 个：总有一个点在错误的一侧。"
                        "没有一条直线能把 (0,1) 和 (1,0) 放在一侧、把 (0,0) 和 (1,1) 放在另一侧。")
        return text(f"XOR: {k} of 4 correct. The best any single neuron can do on XOR is 3 of 4.",
                    f"XOR：4 个点中对了 {k} 个。单个神经元在 XOR 上最多只能对 3 个。")
    if k == 4:
        return text(f"{dataset}: 4 of 4 correct: this line separates the two classes.",
                    f"{dataset}：4 个点全对：这条直线把两类分开了。")
    return text(f"{dataset}: {k} of 4 correct. A line that separates {dataset} exists: keep moving the sliders.",
                f"{dataset}：4 个点中对了 {k} 个。能分开 {dataset} 的直线是存在的：继续移动滑块。")


def make_single_neuron_explorer(w1=1.0, w2=1.0, b=-0.5, dataset="XOR"):
    """Sliders for w1, w2, b of one neuron and a data-set toggle; returns a helpers.classroom.live.Explorer.

    Default: w = (1, 1), b = -0.5, the neuron computes OR, which gets 3 of 4 XOR points right.
    """
    live = LiveFigure(figsize=(10.0, 4.5), dpi=80, ncols=2, width_ratios=(1.0, 1.1))
    ax, ax_out = live.axes
    x_lo, x_hi, y_lo, y_hi = BOX

    # Left: the input plane.
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_aspect("equal")
    ax.set_xlabel(text("x₁ (input 1)", "x₁（输入 1）"))
    ax.set_ylabel(text("x₂ (input 2)", "x₂（输入 2）"))
    ax.set_title(text("One neuron = one straight line", "一个神经元 = 一条直线"))
    shade_one = live.animate(ax.fill([], [], color=CLASS_COLORS[1], alpha=0.25, lw=0)[0])
    shade_zero = live.animate(ax.fill([], [], color=CLASS_COLORS[0], alpha=0.18, lw=0)[0])
    (line,) = ax.plot([], [], color=COLORS["black"], lw=2.5)
    live.animate(line)
    points = live.animate(ax.scatter(POINTS[:, 0], POINTS[:, 1], s=260, edgecolors="black", linewidths=1.5,
                                     zorder=3))
    wrong = live.animate(ax.scatter([], [], s=900, facecolors="none", edgecolors=COLORS["vermillion"],
                                    linewidths=3, zorder=4))
    score = live.animate(ax.text(0.03, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize=15,
                                 fontweight="bold", bbox={"facecolor": "white", "alpha": 0.85, "lw": 0}))
    legend_handles = [
        ax.scatter([], [], s=120, color=CLASS_COLORS[0], edgecolors="black", label=text("class 0", "类别 0")),
        ax.scatter([], [], s=120, color=CLASS_COLORS[1], edgecolors="black", label=text("class 1", "类别 1")),
        ax.scatter([], [], s=200, facecolors="none", edgecolors=COLORS["vermillion"], linewidths=2.5,
                   label=text("wrong side", "在错误一侧")),
    ]
    # Outside the axes: inside, the animated shading would be drawn over it.
    live.figure.legend(handles=legend_handles, loc="outside lower center", ncols=3, fontsize=12)
    equation = live.animate(ax.text(0.03, 0.85, "", transform=ax.transAxes, ha="left", va="top", fontsize=12,
                                    bbox={"facecolor": "white", "alpha": 0.85, "lw": 0}))

    # Right: the neuron's output for each point, against the threshold 1/2.
    labels = [f"({int(x1)},{int(x2)})" for x1, x2 in POINTS]
    positions = np.arange(4)
    bars = ax_out.bar(positions, np.zeros(4), width=0.6, edgecolor="black")
    live.animate(*bars)
    live.animate(ax_out.axhline(0.5, color=COLORS["black"], ls="--", lw=1.5))  # drawn over the bars
    ax_out.set_xlim(-0.6, 3.6)
    ax_out.set_ylim(0.0, 1.15)
    ax_out.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0", "", "½", "", "1"])
    ax_out.set_xticks(positions, labels)
    ax_out.set_xlabel(text("input point (x₁, x₂)", "输入点 (x₁, x₂)"))
    ax_out.set_ylabel(text("output a = σ(z)", "输出 a = σ(z)"))
    ax_out.set_title(text("Output above ½ means class 1", "输出高于 ½ 即为类别 1"))
    marks = [live.animate(ax_out.text(p, 1.02, "", ha="center", va="bottom", fontsize=16, fontweight="bold"))
             for p in positions]

    def draw(w1, w2, b, dataset):
        target = TARGETS[dataset]
        colors = [CLASS_COLORS[int(t)] for t in target]
        prediction = predict(w1, w2, b)
        correct = prediction == target
        k = int(np.sum(correct))

        positive = half_plane(w1, w2, b)
        negative = half_plane(-w1, -w2, -b)
        shade_one.set_xy(positive if len(positive) else np.zeros((1, 2)))
        shade_zero.set_xy(negative if len(negative) else np.zeros((1, 2)))
        segment = boundary_segment(w1, w2, b)
        line.set_data(segment[:, 0], segment[:, 1])
        points.set_facecolors(colors)
        wrong.set_offsets(POINTS[~correct] if np.any(~correct) else np.empty((0, 2)))
        score.set_text(text(f"{dataset}: {k} of 4 correct", f"{dataset}：4 个中对了 {k} 个"))
        score.set_color(COLORS["green"] if k == 4 else COLORS["vermillion"])
        formula = (f"{w1:.1f} x₁ {'+' if w2 >= 0 else '−'} {abs(w2):.1f} x₂ "
                   f"{'+' if b >= 0 else '−'} {abs(b):.1f} = 0")
        equation.set_text(text(f"line: {formula}", f"直线：{formula}"))

        outputs = sigmoid(POINTS @ np.array([w1, w2]) + b)
        for bar, height, color, mark, ok in zip(bars, outputs, colors, marks, correct, strict=True):
            bar.set_height(height)
            bar.set_facecolor(color)
            mark.set_text("✓" if ok else "✗")
            mark.set_color(COLORS["green"] if ok else COLORS["vermillion"])
        return status_sentence(k, dataset)

    def weight_slider(description, value):
        return widgets.FloatSlider(value=value, min=-4.0, max=4.0, step=0.1, description=description,
                                   readout_format=".1f", continuous_update=True)

    controls = {
        "w1": weight_slider(text("w₁ weight 1", "w₁ 权重 1"), w1),
        "w2": weight_slider(text("w₂ weight 2", "w₂ 权重 2"), w2),
        "b": weight_slider(text("b bias", "b 偏置"), b),
        "dataset": widgets.ToggleButtons(options=list(TARGETS), value=dataset, description=text("data set", "数据集")),
    }
    return Explorer("01_single_neuron_xor", live, controls, draw,
                    description=text("Move one neuron's weights and bias: no straight line separates XOR.",
                                     "移动一个神经元的权重和偏置：没有一条直线能分开 XOR。"))


EXPLORERS = {"01_single_neuron_xor": make_single_neuron_explorer}
