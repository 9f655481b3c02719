"""The Chinese edition's glyphs: the shipped font covers every character, figures draw no missing-glyph box,
and no stored output (either language) carries a missing-glyph warning or a stderr stream.

matplotlib reports a character that no font in font.family has with a UserWarning "Glyph ... missing from
font(s) ..." (plain text) or a log record "Font ... does not have a glyph for ..." (mathtext, on the
matplotlib.mathtext logger); either means a box (□) in the picture. Both are errors here.
"""

import importlib
import json
import logging
import pkgutil
import re
import tomllib
import warnings
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import helpers.classroom
from helpers.classroom import fonts, i18n, live
from helpers.classroom.plotting import use_projector_style

ROOT = Path(__file__).resolve().parent.parent
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh").rglob("*.ipynb"))
ALL_NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
CLASSROOM = ROOT / "helpers" / "classroom"
REGENERATE = "run `make font` (tools/make_font.py) to put it into helpers/classroom/fonts/"
# Printed by selfcheck (a browser shows them with its own emoji font), never drawn by matplotlib.
PRINTED_ONLY = set("✅❌⏳")
MISSING_GLYPH = re.compile(r"Glyph \d+ .*missing from font|does not have a glyph for")
EXPLORER_MODULES = sorted(m.name for m in pkgutil.iter_modules(helpers.classroom.__path__)
                          if m.name.startswith("explore_"))


@pytest.fixture
def chinese():
    """The Chinese language (and font) for one test; English again afterwards."""
    with mpl.rc_context():
        i18n.set_language("zh")
        try:
            yield
        finally:
            i18n.set_language("en")


class _GlyphLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def no_missing_glyphs():
    """Missing-glyph warnings raise; missing-glyph and font log warnings (mathtext, findfont) fail the test."""
    handler = _GlyphLog()
    loggers = [logging.getLogger(name) for name in ("matplotlib.mathtext", "matplotlib.font_manager")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=r".*missing from font")
            yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    boxes = [m for m in handler.messages if MISSING_GLYPH.search(m)]
    assert not boxes, f"mathtext drew boxes for missing glyphs: {boxes}"
    # A notebook shows these log lines as stderr outputs ("findfont: Failed to find font weight bold ...").
    assert not handler.messages, f"matplotlib logged warnings while drawing: {handler.messages}"


def _cmap(path):
    with TTFont(str(path)) as font:
        return set(font.getBestCmap())


def _course_chinese_text():
    """{where: text} of everything matplotlib may draw in the Chinese edition: helpers' sources, and the
    code cells and text outputs of the Chinese notebooks."""
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(CLASSROOM.glob("*.py"))}
    for nb in ZH_NOTEBOOKS:
        parts = []
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            parts.append("".join(cell["source"]))
            for output in cell.get("outputs", []):
                parts.append("".join(output.get("text", "")))
                parts.append("".join(output.get("data", {}).get("text/plain", "")))
        texts[str(nb.relative_to(ROOT))] = "\n".join(parts)
    return texts


def test_the_font_and_its_licence_ship_as_package_data():
    assert fonts.FONT_PATH.exists(), f"{fonts.FONT_PATH} is missing: {REGENERATE}"
    size = fonts.FONT_PATH.stat().st_size
    assert size < 2.5e6, f"the font subset is {size / 1e6:.2f} MB, more than 2.5 MB"
    licence = fonts.LICENSE_PATH.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans CJK SC" in licence
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "helpers.classroom.fonts" in config["packages"]
    assert {"*.otf", "OFL.txt"} <= set(config["package-data"]["helpers.classroom.fonts"])
    with TTFont(str(fonts.FONT_PATH)) as font:
        assert font["name"].getDebugName(1) == fonts.FAMILY


def test_the_font_holds_the_common_characters():
    cmap = _cmap(fonts.FONT_PATH)
    common = ("的一是了不在有人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
              "产种面而方后多定行学法所民得经梯度学习率衰减系数反向传播指数移动平均")
    assert {ord(c) for c in common} <= cmap
    assert {ord(c) for c in "，。：；？！（）“”、《》—…"} <= cmap | _cmap(font_manager.findfont("DejaVu Sans"))
    assert len(cmap) > 3755  # GB2312 level 1 and more


def test_every_character_of_the_chinese_edition_is_in_a_font():
    covered = _cmap(fonts.FONT_PATH) | _cmap(font_manager.findfont("DejaVu Sans"))
    problems = []
    for where, text in _course_chinese_text().items():
        missing = sorted({c for c in text if ord(c) > 0x7F and ord(c) not in covered and c not in PRINTED_ONLY
                          and not c.isspace() and ord(c) != 0xFE0F})
        if missing:
            problems.append(f"{where}: {''.join(missing)}")
    assert not problems, "characters in no font of the course: " + REGENERATE + "\n" + "\n".join(problems)


def test_set_language_and_the_projector_style_compose_in_either_order():
    with mpl.rc_context():
        for order in (("zh", "style"), ("style", "zh")):
            mpl.rcdefaults()
            for step in order:
                i18n.set_language("zh") if step == "zh" else use_projector_style()
            assert mpl.rcParams["font.family"][0] == fonts.FAMILY, order
            assert mpl.rcParams["font.size"] == 14, order
            assert fonts.FONT_PATH.name in Path(font_manager.findfont(fonts.FAMILY)).name
        i18n.set_language("zh")  # twice: still one entry
        assert mpl.rcParams["font.family"].count(fonts.FAMILY) == 1
        i18n.set_language("en")
        assert fonts.FAMILY not in mpl.rcParams["font.family"]
        assert i18n.get_language() == "en"


def test_text_picks_the_language_and_refuses_non_strings(chinese):
    assert i18n.text("diverged", "发散") == "发散"
    with pytest.raises(TypeError, match="two strings"):
        i18n.text("diverged", None)
    with pytest.raises(ValueError, match="one of"):
        i18n.set_language("fr")


def test_a_chinese_label_with_a_formula_draws_every_glyph(chinese, no_missing_glyphs):
    use_projector_style()
    figure = Figure(figsize=(6, 3))
    ax = figure.add_subplot()
    ax.plot([1, 10, 100], [3, 2, 1], label=r"学习率 $\eta = 0.1$，衰减系数 $\rho$")
    ax.set_xscale("log")
    ax.set_title("损失 ℒ 随步数 t 下降：−1 → 10⁻³ (x₁, x₂) ✓ ✗", fontweight="bold")
    ax.set_xlabel(r"步数 $t$（迭代）")
    ax.legend()
    FigureCanvasAgg(figure).draw()
    assert live.message_png("无法画出这个设置：发散").startswith(b"\x89PNG")


def _slider_extremes(control):
    """The values a control is moved to: its ends (a slider) or every option (a toggle or a selection)."""
    if hasattr(control, "options") and not hasattr(control, "min"):
        options = control.options
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        if len(values) > 3:  # a SelectionSlider: both ends
            return [values[0], values[-1]]
        return values
    if hasattr(control, "base"):
        return [float(control.base ** control.min), float(control.base ** control.max)]
    return [control.min, control.max]


@pytest.mark.parametrize("module_name", EXPLORER_MODULES)
def test_every_explorer_draws_every_glyph_in_chinese(module_name, chinese, no_missing_glyphs):
    """Each explorer of EXPLORERS built in Chinese, then every control moved to its ends: no box, Chinese words."""
    module = importlib.import_module(f"helpers.classroom.{module_name}")
    assert module.EXPLORERS, f"{module_name} lists no explorer"
    for name, factory in module.EXPLORERS.items():
        with live.background_disabled():
            explorer = factory()
        han = re.compile(r"[\u4e00-\u9fff]")
        for control_name, control in explorer.controls.items():
            assert han.search(control.description), f"{name}: control {control_name} is described in English"
            for value in _slider_extremes(control):
                png = explorer.render(**{control_name: value})
                assert png.startswith(b"\x89PNG")
                assert explorer.error is None, f"{name} at {control_name}={value!r}: {explorer.error}"
                status = explorer.status.value
                assert not status or han.search(status), f"{name} at {control_name}={value!r}: {status}"
                if "diverged" in status:
                    pytest.fail(f"{name}: an English status line in Chinese: {status}")
        explorer.live_figure.render_full()
        assert han.search(explorer.description), f"{name}: its description is in English"


@pytest.mark.parametrize("module_name", EXPLORER_MODULES)
def test_every_explorer_draws_every_glyph_in_english(module_name, no_missing_glyphs):
    module = importlib.import_module(f"helpers.classroom.{module_name}")
    for factory in module.EXPLORERS.values():
        with live.background_disabled():
            explorer = factory()
        explorer.live_figure.render_full()


def test_a_diverged_status_line_says_so_in_each_language(chinese):
    from helpers.classroom import explore_gd, explore_phase

    losses = np.array([1.0, 10.0, np.nan])
    assert "发散" in explore_gd.xor_status(5.0, "diverged", losses, 1, 2)
    assert "发散" in explore_phase.regime_sentence_of("diverged", 12, -1, 3.0, 1.0, 0.9, 300)
    assert "发散" in explore_gd.quadratic_status(0.5, 10.0, 4, np.inf)
    i18n.set_language("en")
    assert "diverged" in explore_gd.xor_status(5.0, "diverged", losses, 1, 2)
    assert "diverged" in explore_phase.regime_sentence_of("diverged", 12, -1, 3.0, 1.0, 0.9, 300)


def test_selfcheck_speaks_chinese_and_english_unchanged(chinese, capsys):
    from helpers.classroom import selfcheck

    assert selfcheck.check_close(0.5, 0.5, hint="用链式法则")
    assert not selfcheck.check_close(0.4, 0.5, hint="用链式法则")
    assert not selfcheck.check_shape(4, (4,))
    assert not selfcheck.check_choice(..., expected="A")
    zh = capsys.readouterr().out.splitlines()
    assert zh == ["✅ 正确：你的答案 与答案一致。", "❌ 还不对：你的答案 不是正确的数。 提示：用链式法则",
                  "❌ 还不对：你的形状 是整数 4，不是元组：单靠括号构不成元组，逗号才行；请写成带逗号的 (4,)。",
                  "⏳ 还没有作答：把 你的答案 中的 ... 换成你的答案，再运行这个单元格。"]
    assert selfcheck.RIGHT == "✅ 正确"
    i18n.set_language("en")
    assert selfcheck.RIGHT == "✅ Right"
    assert not selfcheck.check_close(0.4, 0.5, hint="use the chain rule")
    assert capsys.readouterr().out == "❌ Not yet: your answer is not the right number. Hint: use the chain rule\n"


def _outputs(nb):
    for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            yield i, output


@pytest.mark.parametrize("nb", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_no_stored_output_has_a_missing_glyph_or_a_stderr_stream(nb):
    problems = []
    for i, output in _outputs(nb):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            problems.append(f"cell {i}: stderr: {''.join(output.get('text', ''))[:200]!r}")
        text = json.dumps({k: v for k, v in output.items() if k != "data"}, ensure_ascii=False)
        text += json.dumps({k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")},
                           ensure_ascii=False)
        if MISSING_GLYPH.search(text):
            problems.append(f"cell {i}: a missing-glyph warning")
    assert not problems, f"{nb.relative_to(ROOT)}:\n" + "\n".join(problems)
