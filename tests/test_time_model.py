"""The time model (tools/time_model.py): its rates on hand-made notebooks, every notebook's core within its
45-minute slot, and every stated time (title cells, 00's map, both READMEs, both teaching guides) equal to it."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("time_model", ROOT / "tools" / "time_model.py")
tm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tm)

COURSE = tm.course_notebooks()
TITLE = {"en": re.compile(r"\*\*Time:\*\*\s*(\d+) min core(?: \+ (\d+) min optional)?"),
         "zh": re.compile(r"\*\*时间：\*\*\s*核心 (\d+) 分钟(?: \+ 选学 (\d+) 分钟)?")}
TOTAL = {"en": re.compile(r"\*\*Whole course:\*\*\s*(\d+) min core \+ (\d+) min optional"),
         "zh": re.compile(r"\*\*整个课程：\*\*\s*核心 (\d+) 分钟 \+ 选学 (\d+) 分钟")}
CELL_TIME = re.compile(r"^\s*(\d+)(?:\s*\+\s*(\d+))?\s*(?:min|分钟)\s*$")
OPTIONAL_HEADING = {"en": re.compile(r"^#{2,4} .*\(optional, (\d+) min\)", re.MULTILINE),
                    "zh": re.compile(r"^#{2,4} .*（选学，(\d+) 分钟）", re.MULTILINE)}
DOCS = {"README.md": "en", "README.zh.md": "zh", "docs/teaching-guide.md": "en", "docs/zh/teaching-guide.md": "zh"}


def _md(text, tags=()):
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)}, "source": text}


def _code(text, tags=(), outputs=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": text, "outputs": list(outputs),
            "execution_count": 1}


def _measure(tmp_path, cells):
    path = tmp_path / "99_test.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return tm.measure(path)


def test_rates_on_a_hand_made_notebook(tmp_path):
    png = {"output_type": "display_data", "data": {"image/png": "x", "text/plain": "<Figure>"}}
    widget = {"output_type": "display_data", "data": {tm.WIDGET_MIME: {}, "image/png": "x"}}
    t = _measure(tmp_path, [
        _md("# Title\n\n" + "word " * 238 + "and $x^2$"),  # Title + 238 + 2 = 241 words ("#" is no word)
        _md("$$\na = b\n$$\n\nand [a link](https://example.org/very/long/path) here\n\n$$c$$"),  # 2 eq, 4 words
        _code("# a comment\n\nx = 1\ny = 2\n", outputs=[png, png]),  # 2 lines, 2 figures
        _code("explorer = make()\nexplorer", outputs=[widget]),  # 2 lines, 1 explorer (its picture not counted)
        _md("### Exercise 1: a value"),  # 4 words (Exercise, 1:, a, value)
        _code("answer = ...", tags=["exercise"]),  # 1 line
        _code("check_close(answer, 1.0, 'hint')\nz = 3", tags=["self-check"]),  # not read; 5 min
        _md("### Exercise 2: a function"),  # 4 words
        _code("check_close(a, 1.0, 'h')", tags=["self-check"]),
        _code("check_function(f, g, h, 'h')", tags=["self-check"]),  # same exercise: 8 min
        _md("## Going further (optional, 3 min)\n\n<details><summary>open</summary>\n\n" + "w " * 120
            + "</details>", tags=["optional"]),
    ])
    core = t.core
    assert (core.words, core.equations, core.code_lines, core.figures, core.explorers) == (253, 2, 5, 2, 1)
    assert core.exercises == [5.0, 8.0]
    expected = 253 / 120 + 2 + 5 / 20 + 2 * 0.5 + 3 + 13
    assert core.exact_minutes == pytest.approx(expected)
    assert core.minutes == 22  # 21.36, rounded up
    assert t.optional.words == 126 and t.optional_minutes == 2  # details text counts; 1.05 min -> 2


def test_a_diagnosis_tag_makes_a_choice_exercise_long_and_a_lone_check_is_an_exercise(tmp_path):
    t = _measure(tmp_path, [
        _md("## 1. Section"),
        _code("check_choice(a, expected_hash='x')", tags=["self-check", "diagnosis"]),
        _code("check_shape(s, (2,))", tags=["self-check"]),
    ])
    assert t.core.exercises == [8.0, 5.0]


def test_a_chinese_notebook_takes_its_english_twins_minutes():
    for path in COURSE:
        zh = tm.NOTEBOOKS / "zh" / path.name
        assert tm.english_twin(zh) == path
        assert tm.measure(zh).core.minutes == tm.measure(path).core.minutes


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_each_core_fits_its_45_minute_slot(path):
    t = tm.measure(path)
    assert t.core.minutes <= 45, f"{path.name}: core {t.core.minutes} min by the model (at most 45)"


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_title_cell_states_the_models_minutes(path, lang):
    t = tm.measure(path)
    notebook = path if lang == "en" else tm.NOTEBOOKS / "zh" / path.name
    found = TITLE[lang].search(_source(_cells(notebook)[0]))
    assert found, f"{notebook}: the title cell has no time in the form {TITLE[lang].pattern!r}"
    stated = (int(found.group(1)), int(found.group(2) or 0))
    assert stated == (t.core.minutes, t.optional_minutes), \
        f"{notebook}: states {stated}, the model gives core {t.core.minutes}, optional {t.optional_minutes}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_optional_cells_sit_together_under_a_heading_with_their_minutes(path, lang):
    notebook = path if lang == "en" else tm.NOTEBOOKS / "zh" / path.name
    by_id = {cell.get("id"): cell for cell in _cells(notebook)}
    for first_id, part in tm.measure(path).optional_blocks:
        first = by_id[first_id]
        heading = OPTIONAL_HEADING[lang].search(_source(first))
        assert first["cell_type"] == "markdown" and heading, \
            f"{notebook}: an optional block must start with a heading like 'Going further (optional, N min)'"
        assert int(heading.group(1)) == part.minutes, \
            f"{notebook}: an optional block states {heading.group(1)} min, the model gives {part.minutes}"


def _table_minutes(text, stem):
    """(core, optional) of every table row that links notebook `stem`, from its 'N + M min' cell."""
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("|") and f"{stem}.ipynb" in line:
            for cell in line.strip().strip("|").split("|"):
                match = CELL_TIME.match(cell)
                if match:
                    found.append((int(match.group(1)), int(match.group(2) or 0)))
    return found


def _stated_docs():
    docs = [(ROOT / name, lang) for name, lang in DOCS.items()]
    return docs + [(tm.NOTEBOOKS / "00_start_here.ipynb", "en"), (tm.NOTEBOOKS / "zh" / "00_start_here.ipynb", "zh")]


@pytest.mark.parametrize("doc, lang", _stated_docs(), ids=lambda x: str(x).replace(str(ROOT) + "/", ""))
def test_maps_readmes_and_guides_state_the_models_minutes(doc, lang):
    text = doc.read_text(encoding="utf-8")
    if doc.suffix == ".ipynb":
        text = "\n".join(_source(c) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
    times = [tm.measure(p) for p in COURSE]
    for t in times:
        rows = _table_minutes(text, t.name)
        assert rows, f"{doc.name}: no table row links {t.name}.ipynb with a time like '40 + 5 min'"
        for row in rows:
            assert row == (t.core.minutes, t.optional_minutes), \
                f"{doc.name}: {t.name} stated {row}, the model gives ({t.core.minutes}, {t.optional_minutes})"
    total = TOTAL[lang].search(text)
    assert total, f"{doc.name}: no course total in the form {TOTAL[lang].pattern!r}"
    assert (int(total.group(1)), int(total.group(2))) == (sum(t.core.minutes for t in times),
                                                           sum(t.optional_minutes for t in times))


_docs_spec = importlib.util.spec_from_file_location("time_docs", ROOT / "tools" / "time_docs.py")
time_docs = importlib.util.module_from_spec(_docs_spec)
_docs_spec.loader.exec_module(time_docs)


def test_every_stated_time_is_what_make_times_writes():
    changed = time_docs.run(check=True)
    assert not changed, "stated times differ from the model; run `make times`: " + ", ".join(
        str(p.relative_to(ROOT)) for p in changed)


def test_the_whole_core_fits_six_90_minute_lessons_of_85_core_minutes():
    times = [tm.measure(p) for p in COURSE]
    lessons = time_docs.pack_lessons(times)
    assert len(lessons) <= 6, f"{len(lessons)} lessons"
    covered = []
    for lesson in lessons:
        exact = sum(time_docs.core_sections(t)[i][2] for t, indices in lesson for i in indices)
        assert exact <= 85 + 1e-9 and round(time_docs.lesson_minutes(lesson), 1) <= 85, "a lesson's parts exceed it"
        covered += [(t.name, i) for t, indices in lesson for i in indices]
    assert covered == [(t.name, i) for t in times for i in range(len(time_docs.core_sections(t)))]
    assert sum(t.core.minutes for t in times) <= 510


@pytest.mark.parametrize("key, limit", [("90", 85), ("50", 45)])
def test_each_short_path_fits_its_slot_and_uses_core_sections_of_03_and_05(key, limit):
    chosen = time_docs.path_sections([tm.measure(p) for p in COURSE], key)
    assert chosen, f"the {key}-minute path names no section"
    assert sum(minutes for _, _, minutes in chosen) <= limit
    assert {t.name[:2] for t, _, _ in chosen} >= {"03", "05"}


def test_a_lesson_plan_cannot_exceed_its_lesson(tmp_path, monkeypatch):
    """The packer refuses a section longer than a lesson instead of writing a plan that runs over."""
    long = _measure(tmp_path, [_md("## 1. Long\n\n" + "word " * 120 * 90)])
    with pytest.raises(ValueError, match="longer than a lesson"):
        time_docs.pack_lessons([long])
