"""One course, two languages, no drift: every English notebook has a Chinese twin with the same code.

The twin of notebooks/<path>.ipynb (student notebooks, solutions/, app/) is notebooks/zh/<path>.ipynb. A pair
passes when the two have
- the same cells in the same order: cell type and id,
- the same tags (self-check, exercise, nbval-ignore-output, raises-exception, ...) and the same cell
  metadata otherwise (jupyter.source_hidden included), execution timing aside,
- in every code cell the same syntax tree once every string literal is blanked: a plain string becomes "",
  an f-string keeps its {expressions}, conversions (!r) and format specs (:.3g) and loses only its literal
  text; comments are free; IPython magics and shell lines (%..., !...) must be equal as text,
- the same exercises: a markdown cell holds an exercise heading (### Exercise(s) / ### 练习) in both or in neither,
- the same executed cells (a code cell without an execution count in one only would pass nbval vacuously).

So a fix to the English code fails here until the Chinese notebook has it too. Interim command-line use:
python tests/test_translation_drift.py notebooks/X.ipynb notebooks/zh/X.ipynb
"""

import ast
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"
ENGLISH = sorted([*NOTEBOOKS.glob("*.ipynb"), *NOTEBOOKS.glob("solutions/*.ipynb"), *NOTEBOOKS.glob("app/*.ipynb")])
CHINESE = sorted(ZH.rglob("*.ipynb"))
# Cell metadata that records a run, not the course: free to differ.
RUN_METADATA = {"execution", "ExecuteTime", "scrolled", "collapsed"}
# Which English version a Chinese cell translates (tools/zh_sync.py): recorded in the Chinese cell only.
RUN_METADATA |= {"translation_of"}
EXERCISE_HEADING = {"en": re.compile(r"^#{2,4}\s*Exercises?\b", re.MULTILINE),
                    "zh": re.compile(r"^#{2,4}\s*练习", re.MULTILINE)}
MAGIC = re.compile(r"^(\s*)([%!].*)$")


def twin(english):
    """The Chinese twin's path of an English notebook."""
    return ZH / english.relative_to(NOTEBOOKS)


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


class _BlankStrings(ast.NodeTransformer):
    """Every str constant becomes ""; in an f-string only the literal text, never a format spec."""

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(value=""), node)
        return node

    def visit_JoinedStr(self, node):
        values = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                values.append(ast.copy_location(ast.Constant(value=""), value))
            else:
                values.append(self.visit_FormattedValue(value))
        node.values = values
        return node

    def visit_FormattedValue(self, node):
        node.value = self.visit(node.value)
        if node.format_spec is not None:  # keep its text; blank nothing, but look inside nested {expressions}
            for part in node.format_spec.values:
                if isinstance(part, ast.FormattedValue):
                    part.value = self.visit(part.value)
        return node


def code_shape(source):
    """(syntax tree with strings blanked, magic lines as text) of a code cell; the text itself if unparsable."""
    lines, magics = [], []
    for line in source.splitlines():
        found = MAGIC.match(line)
        if found:
            magics.append(found.group(2).rstrip())
            lines.append(f"{found.group(1)}__magic__()")  # keeps the place and the indentation
        else:
            lines.append(line)
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return ("unparsable", source), magics
    return ast.dump(_BlankStrings().visit(tree), include_attributes=False), magics


def _metadata(cell):
    return {k: v for k, v in cell.get("metadata", {}).items() if k not in RUN_METADATA}


def _has_exercise(cell, language):
    return cell["cell_type"] == "markdown" and bool(EXERCISE_HEADING[language].search(_source(cell)))


def compare(english, chinese):
    """Every way the Chinese notebook's cells drift from the English ones: a list of sentences (empty: none)."""
    problems = []
    en_cells, zh_cells = english["cells"], chinese["cells"]
    if len(en_cells) != len(zh_cells):
        en_ids = [c.get("id") for c in en_cells]
        zh_ids = [c.get("id") for c in zh_cells]
        only_en = [i for i in en_ids if i not in zh_ids]
        only_zh = [i for i in zh_ids if i not in en_ids]
        problems.append(f"{len(en_cells)} cells in English, {len(zh_cells)} in Chinese; only in English: "
                        f"{only_en or 'none'}; only in Chinese: {only_zh or 'none'}")
        return problems  # cell by cell comparisons would only repeat the shift
    for i, (a, b) in enumerate(zip(en_cells, zh_cells, strict=True)):
        where = f"cell {i} (id {a.get('id')})"
        if a["cell_type"] != b["cell_type"]:
            problems.append(f"{where}: a {a['cell_type']} cell in English, a {b['cell_type']} cell in Chinese")
            continue
        if a.get("id") != b.get("id"):
            problems.append(f"{where}: id {a.get('id')!r} in English, {b.get('id')!r} in Chinese")
        tags_a, tags_b = a.get("metadata", {}).get("tags", []), b.get("metadata", {}).get("tags", [])
        if tags_a != tags_b:
            problems.append(f"{where}: tags {tags_a} in English, {tags_b} in Chinese")
        elif _metadata(a) != _metadata(b):
            problems.append(f"{where}: cell metadata {_metadata(a)} in English, {_metadata(b)} in Chinese")
        if _has_exercise(a, "en") != _has_exercise(b, "zh"):
            problems.append(f"{where}: an exercise heading (### Exercise / ### 练习) in "
                            f"{'English' if _has_exercise(a, 'en') else 'Chinese'} only")
        if a["cell_type"] != "code":
            continue
        tree_a, magics_a = code_shape(_source(a))
        tree_b, magics_b = code_shape(_source(b))
        if tree_a != tree_b:
            problems.append(f"{where}: the code differs in more than string literals")
        if magics_a != magics_b:
            problems.append(f"{where}: magics {magics_a} in English, {magics_b} in Chinese")
        if (a.get("execution_count") is None) != (b.get("execution_count") is None):
            problems.append(f"{where}: executed in {'English' if b.get('execution_count') is None else 'Chinese'} "
                            "only (run make execute)")
    return problems


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _name(path):
    return str(path.relative_to(NOTEBOOKS))


def test_every_english_notebook_has_its_chinese_twin():
    missing = [_name(twin(p)) for p in ENGLISH if not twin(p).exists()]
    assert not missing, (f"{len(missing)} of {len(ENGLISH)} English notebooks have no Chinese twin under "
                         f"notebooks/zh/: {', '.join(missing)}")


def test_every_chinese_notebook_has_its_english_original():
    originals = {twin(p) for p in ENGLISH}
    orphans = [_name(p) for p in CHINESE if p not in originals]
    assert not orphans, f"Chinese notebooks without an English original: {', '.join(orphans)}"


@pytest.mark.parametrize("english", ENGLISH, ids=_name)
def test_the_chinese_twin_has_the_same_code_and_cells(english):
    chinese = twin(english)
    assert chinese.exists(), f"{_name(chinese)} is missing: every English notebook needs its Chinese twin"
    problems = compare(_load(english), _load(chinese))
    assert not problems, f"{_name(chinese)} drifts from {_name(english)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("chinese", CHINESE or [ZH / "none.ipynb"], ids=_name)
def test_a_chinese_notebook_speaks_chinese(chinese):
    """Its setup cell calls set_language("zh"), and its markdown is written in Chinese."""
    assert chinese.exists(), "notebooks/zh/ holds no notebook"
    cells = _load(chinese)["cells"]
    code = "\n".join(_source(c) for c in cells if c["cell_type"] == "code")
    assert 'set_language("zh")' in code, f"{_name(chinese)} never calls set_language(\"zh\")"
    assert 'set_language("en")' not in code, f"{_name(chinese)} still calls set_language(\"en\")"
    markdown = "".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in markdown)
    assert han > 0.2 * sum(ch.isalpha() for ch in markdown), f"{_name(chinese)}: its markdown is mostly not Chinese"


# -------------------------------------------------------------------------------------------------
# The comparison itself can fail: small synthetic notebooks.

def _nb(*cells):
    return {"cells": [dict(cell) for cell in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _code(source, cell_id="c1", tags=(), executed=True, **metadata):
    meta = dict(metadata)
    if tags:
        meta["tags"] = list(tags)
    return {"cell_type": "code", "id": cell_id, "metadata": meta, "source": source, "outputs": [],
            "execution_count": 1 if executed else None}


def _md(source, cell_id="m1"):
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


EN = _nb(_md("### Exercise 1: the slope", "m1"),
         _code('x = 0.5\nprint(f"slope: {x:.3g}")\ncheck_close(x, 0.5, hint="use the chain rule")', "c1",
               tags=["self-check"]))


def test_a_translation_of_every_string_passes():
    zh = _nb(_md("### 练习 1：斜率", "m1"),
             _code('x = 0.5  # 注释也可以翻译\nprint(f"斜率：{x:.3g}")\ncheck_close(x, 0.5, hint="用链式法则")', "c1",
                   tags=["self-check"]))
    assert compare(EN, zh) == []


def test_a_change_in_the_code_fails():
    zh = _nb(_md("### 练习 1：斜率", "m1"),
             _code('x = 0.25\nprint(f"斜率：{x:.3g}")\ncheck_close(x, 0.5, hint="用链式法则")', "c1",
                   tags=["self-check"]))
    assert any("differs in more than string literals" in p for p in compare(EN, zh))


def test_a_change_in_a_format_spec_fails():
    zh = _nb(_md("### 练习 1：斜率", "m1"),
             _code('x = 0.5\nprint(f"斜率：{x:.4g}")\ncheck_close(x, 0.5, hint="用链式法则")', "c1",
                   tags=["self-check"]))
    assert any("differs in more than string literals" in p for p in compare(EN, zh))


def test_a_missing_cell_fails():
    zh = _nb(_md("### 练习 1：斜率", "m1"))
    problems = compare(EN, zh)
    assert problems and "only in English: ['c1']" in problems[0]


def test_a_missing_self_check_tag_fails():
    zh = _nb(_md("### 练习 1：斜率", "m1"),
             _code('x = 0.5\nprint(f"斜率：{x:.3g}")\ncheck_close(x, 0.5, hint="用链式法则")', "c1"))
    assert any("tags ['self-check'] in English, [] in Chinese" in p for p in compare(EN, zh))


def test_an_exercise_in_one_language_only_fails():
    zh = _nb(_md("### 斜率", "m1"),
             _code('x = 0.5\nprint(f"斜率：{x:.3g}")\ncheck_close(x, 0.5, hint="用链式法则")', "c1",
                   tags=["self-check"]))
    assert any("exercise heading" in p and "English only" in p for p in compare(EN, zh))


def test_other_magics_hidden_source_and_unexecuted_cells_fail():
    en = _nb(_code("%matplotlib inline\nx = 1", "c1", jupyter={"source_hidden": True}))
    zh = _nb(_code("%matplotlib widget\nx = 1", "c1", executed=False))
    problems = compare(en, zh)
    assert any("magics" in p for p in problems)
    assert any("cell metadata" in p for p in problems)
    assert any("executed in English only" in p for p in problems)


def test_a_swapped_cell_id_or_type_fails():
    zh = _nb(_md("### 练习 1：斜率", "m2"), _md("x = 0.5", "c1"))
    problems = compare(EN, zh)
    assert any("id 'm1' in English, 'm2' in Chinese" in p for p in problems)
    assert any("a code cell in English, a markdown cell in Chinese" in p for p in problems)


if __name__ == "__main__":
    found = compare(_load(Path(sys.argv[1])), _load(Path(sys.argv[2])))
    print("\n".join(found) or "same code, same cells")
    sys.exit(1 if found else 0)
