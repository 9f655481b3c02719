"""The stored axes places (classroom.live_layouts) are what constrained layout finds, and give the same pixels."""

import matplotlib as mpl
import pytest

from helpers.classroom import explore_gd, explore_phase, explore_rmsprop, live, live_layouts
from helpers.classroom.plotting import PROJECTOR_STYLE

FACTORIES = {**explore_gd.EXPLORERS, **explore_phase.EXPLORERS, **explore_rmsprop.EXPLORERS}
STYLES = {"default style": {}, "projector style": PROJECTOR_STYLE}
REGENERATE = "run `python benchmarks/record_layouts.py` after changing an explorer's figure"


def build(name, style, stored=True, monkeypatch=None):
    if not stored:
        monkeypatch.setattr(live_layouts, "STORED_LAYOUTS", {})
    with mpl.rc_context(style), live.background_disabled():
        return FACTORIES[name]()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_the_stored_places_are_those_constrained_layout_finds(name, style, monkeypatch):
    stored = build(name, STYLES[style])
    assert stored.live_figure.layout_source == "stored", f"{name} ({style}) has no stored layout: {REGENERATE}"
    fresh = build(name, STYLES[style], stored=False, monkeypatch=monkeypatch)
    assert fresh.live_figure.layout_source == "constrained"
    for a, b in zip(stored.live_figure.axes_positions(), fresh.live_figure.axes_positions(), strict=True):
        assert a == pytest.approx(b, abs=1e-9), f"{name} ({style}): the stored layout is stale: {REGENERATE}"
    assert stored.png == fresh.png, f"{name} ({style}): the stored layout draws other pixels"


def test_a_figure_without_a_stored_layout_runs_constrained_layout():
    figure = live.LiveFigure(figsize=(4.0, 3.0), layout_key="no such figure")
    figure.figure.add_subplot().set_title("a title")
    assert figure.render().startswith(b"\x89PNG")
    assert figure.layout_source == "constrained"
