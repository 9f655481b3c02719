"""The stored axes places (classroom.live_layouts) are what constrained layout finds, and give the same pixels."""

import matplotlib as mpl
import pytest

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

FACTORIES = {**explore_gd.EXPLORERS, **explore_phase.EXPLORERS, **explore_rmsprop.EXPLORERS, **explore_noise.EXPLORERS,
             **explore_momentum.EXPLORERS, **explore_saddle.EXPLORERS}
STYLES = {"default style": {}, "projector style": PROJECTOR_STYLE}
REGENERATE = "run `python benchmarks/record_layouts.py` after changing an explorer's figure"


def build(name, style, language, stored=True, monkeypatch=None):
    if not stored:
        monkeypatch.setattr(live_layouts, "STORED_LAYOUTS", {})
    with mpl.rc_context(style), live.background_disabled():
        i18n.set_language(language)
        try:
            return FACTORIES[name]()
        finally:
            i18n.set_language("en")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_the_stored_places_are_those_constrained_layout_finds(name, style, language, monkeypatch):
    where = f"{name} ({style}, {language})"
    stored = build(name, STYLES[style], language)
    assert stored.live_figure.layout_source == "stored", f"{where} has no stored layout: {REGENERATE}"
    fresh = build(name, STYLES[style], language, stored=False, monkeypatch=monkeypatch)
    assert fresh.live_figure.layout_source == "constrained"
    for a, b in zip(stored.live_figure.axes_positions(), fresh.live_figure.axes_positions(), strict=True):
        assert a == pytest.approx(b, abs=1e-9), f"{where}: the stored layout is stale: {REGENERATE}"
    assert stored.png == fresh.png, f"{where}: the stored layout draws other pixels"


def test_each_language_has_layouts_of_its_own():
    with live.background_disabled():
        english = FACTORIES["04_quadratic_zigzag"]().live_figure.layout_fingerprint()
        i18n.set_language("zh")
        try:
            chinese = FACTORIES["04_quadratic_zigzag"]().live_figure.layout_fingerprint()
        finally:
            i18n.set_language("en")
    assert english != chinese and english in live_layouts.STORED_LAYOUTS and chinese in live_layouts.STORED_LAYOUTS


def test_a_figure_without_a_stored_layout_runs_constrained_layout():
    figure = live.LiveFigure(figsize=(4.0, 3.0), layout_key="no such figure")
    figure.figure.add_subplot().set_title("a title")
    assert figure.render().startswith(b"\x89PNG")
    assert figure.layout_source == "constrained"
