import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from helpers.classroom import selfcheck
from helpers.classroom.live import Explorer, LiveFigure, log_slider, message_png, slider_positions

PNG = b"\x89PNG\r\n\x1a\n"


def make_explorer():
    live = LiveFigure(figsize=(4, 3))
    ax = live.figure.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    (line,) = ax.plot([], [])
    live.animate(line)

    def draw(slope):
        line.set_data([0, 1], [0, slope])
        return "diverged: slope too steep" if slope > 0.9 else None

    return Explorer("test", live, {"slope": widgets.FloatSlider(value=0.5, min=0, max=1, step=0.05)}, draw)


def test_render_changes_the_picture_and_the_status():
    explorer = make_explorer()
    first = explorer.render(slope=0.2)
    second = explorer.render(slope=0.8)
    assert first.startswith(PNG) and second.startswith(PNG) and first != second
    assert explorer.status.value == ""
    explorer.render(slope=1.0)
    assert "diverged" in explorer.status.value


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_blitted_render_matches_a_full_draw():
    explorer = make_explorer()
    blitted = pixels(explorer.render(slope=0.3))
    full = pixels(explorer.live_figure.render_full())
    other = pixels(explorer.render(slope=0.6))
    assert blitted.shape == full.shape
    # Blitting draws the line on top of the spines, so a few edge pixels may differ slightly.
    assert np.mean(np.any(blitted != full, axis=-1)) < 0.002
    assert np.mean(np.any(other != full, axis=-1)) > 0.005  # a different state is visibly different


def test_a_slider_event_redraws_the_image():
    explorer = make_explorer()
    before = explorer.image.value
    explorer.controls["slope"].value = 0.7  # as a person moving the slider
    assert explorer.image.value != before and explorer.error is None


def test_a_failing_draw_shows_a_message_not_a_traceback():
    live = LiveFigure(figsize=(3, 2))
    live.figure.add_subplot()
    slider = widgets.IntSlider(value=0, min=0, max=2)

    def draw(k):
        if k == 2:
            raise ValueError("learning_rate must be a finite number > 0")

    explorer = Explorer("fails", live, {"k": slider}, draw)
    slider.value = 2
    assert isinstance(explorer.error, ValueError)
    assert "Could not draw this setting" in explorer.status.value
    assert bytes(explorer.image.value).startswith(PNG)


def test_static_picture_in_display_data():
    explorer = make_explorer()
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == explorer.png


def test_slider_positions_cover_the_range():
    values = slider_positions(log_slider("η", 0.1, 1e-3, 10.0), n=30)
    assert len(values) >= 30 and values[0] == pytest.approx(1e-3) and values[-1] == pytest.approx(10.0)
    assert slider_positions(widgets.Dropdown(options=[("a", 1), ("b", 2)])) == [1, 2]
    assert slider_positions(widgets.Checkbox()) == [False, True]
    ints = slider_positions(widgets.IntSlider(min=0, max=5))
    assert ints == [0, 1, 2, 3, 4, 5]


def test_unknown_control_is_refused():
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['speed'\]"):
        make_explorer().render(speed=1)


def test_message_png():
    assert message_png("hello").startswith(PNG)


def test_selfcheck_messages(capsys):
    assert selfcheck.check_close(np.array([1.0, 2.0]), [1.0, 2.0], hint="h")
    assert not selfcheck.check_close(np.array([1.0]), [1.0, 2.0], hint="think of the shapes")
    assert not selfcheck.check_close(np.array([1.0, 3.0]), [1.0, 2.0], hint="recheck the sum")
    assert not selfcheck.check_close(..., [1.0], hint="h")
    assert selfcheck.check_true(True, hint="h")
    assert not selfcheck.check_true(False, hint="look at the sign")
    assert selfcheck.check_choice(" B ", "b", hint="h")
    assert not selfcheck.check_choice("a", "b", hint="reread the update rule")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✅") and "think of the shapes" in out[1] and "recheck the sum" in out[2]
    assert out[3].startswith("⏳") and "look at the sign" in out[5] and "reread the update rule" in out[7]
    assert "2.0" not in out[1] + out[2]  # the expected value is never revealed


def test_decay_slider_is_even_in_log_one_minus_rho():
    from helpers.classroom.live import decay_slider

    control = decay_slider("ρ decay", 0.9)
    values = [value for _, value in control.options]
    assert values[0] == 0.0 and values[-1] == 0.999 and 0.9 in values and 0.99 in values
    gaps = np.log10(1 - np.array(values))
    # every step of the track is the same factor on 1 - ρ: a tenth of a decade
    np.testing.assert_allclose(np.diff(gaps), -0.1, atol=2e-3)  # values rounded to 6 decimals
    share = np.mean(np.array(values) >= 0.9)
    assert 0.6 < share < 0.7, f"0.9-0.999 should get about two thirds of the track, got {share:.2f}"
    assert control.value == 0.9


def test_decay_slider_keeps_a_value_off_the_track():
    from helpers.classroom.live import decay_slider

    control = decay_slider("ρ decay", 0.95)
    assert control.value == 0.95 and 0.95 in [value for _, value in control.options]
