"""Record the axes places constrained layout finds for every explorer's figure -> helpers/classroom/live_layouts.py.

    python benchmarks/record_layouts.py

For each explorer (default arguments), in each language (helpers.classroom.i18n: other words, other text
sizes, so a layout of its own) and under matplotlib's default style and under the projector style
(notebooks call helpers.classroom.plotting.use_projector_style()), build it with the table switched off, so that
constrained layout runs, and store the places it found under the figure's fingerprint. The first picture
then skips constrained layout (a fifth to a half of its time). tests/test_explore_layouts.py checks the
table against a fresh constrained layout.
"""

from pathlib import Path

import matplotlib as mpl

from helpers.classroom import (
    explore_gd,
    explore_momentum,
    explore_noise,
    explore_phase,
    explore_rmsprop,
    explore_saddle,
    i18n,
    live,
    live_layouts,
)
from helpers.classroom.plotting import PROJECTOR_STYLE

TARGET = Path(live_layouts.__file__)
FACTORIES = {**explore_gd.EXPLORERS, **explore_phase.EXPLORERS, **explore_rmsprop.EXPLORERS, **explore_noise.EXPLORERS,
             **explore_momentum.EXPLORERS, **explore_saddle.EXPLORERS}


def constrained_layouts():
    """{fingerprint: axes places} of every explorer, laid out by constrained layout now."""
    saved = dict(live_layouts.STORED_LAYOUTS)
    live_layouts.STORED_LAYOUTS.clear()
    table = {}
    try:
        for language in i18n.LANGUAGES:
            for style in ({}, PROJECTOR_STYLE):
                with mpl.rc_context(style), live.background_disabled():
                    i18n.set_language(language)
                    for factory in FACTORIES.values():
                        figure = factory().live_figure
                        assert figure.layout_source == "constrained"
                        table[figure.layout_fingerprint()] = figure.axes_positions()
    finally:
        i18n.set_language("en")
        live_layouts.STORED_LAYOUTS.clear()
        live_layouts.STORED_LAYOUTS.update(saved)
    return table


def main():
    table = constrained_layouts()
    text = TARGET.read_text()
    head = text[: text.index("STORED_LAYOUTS = ")]
    lines = ["STORED_LAYOUTS = {"]
    for key in sorted(table):
        lines.append(f"    {key!r}: [")
        lines += [f"        ({', '.join(repr(v) for v in bounds)})," for bounds in table[key]]
        lines.append("    ],")
    lines.append("}")
    TARGET.write_text(head + "\n".join(lines) + "\n")
    print(f"{len(table)} layouts written to {TARGET}")


if __name__ == "__main__":
    main()
