"""The Chinese edition keeps up: every Chinese markdown cell and teaching-guide section records the hash of the
English text it translates (tools/zh_sync.py), and this fails, naming them, when the English changed since."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("zh_sync", ROOT / "tools" / "zh_sync.py")
zh_sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(zh_sync)

PAIRS = zh_sync.notebook_pairs()


def test_every_chinese_notebook_has_an_english_twin():
    assert len(PAIRS) >= 26 and all(english.exists() for english, _ in PAIRS)


@pytest.mark.parametrize("english, chinese", PAIRS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chinese_markdown_cell_translates_the_current_english(english, chinese):
    stale = zh_sync.stale_cells(english, chinese)
    assert not stale, (f"{chinese.relative_to(ROOT)}: translate these cells again from "
                       f"{english.relative_to(ROOT)}, then `python tools/zh_sync.py stamp {chinese.relative_to(ROOT)} "
                       f"--cells ID,...`:\n" + "\n".join(f"  {cid}: {why}" for cid, why in stale))


@pytest.mark.parametrize("english, chinese", zh_sync.GUIDES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_guide_section_translates_the_current_english(english, chinese):
    stale = zh_sync.stale_sections(english, chinese)
    assert not stale, f"{chinese.relative_to(ROOT)}: " + "; ".join(why for _, why in stale)


def _pair(tmp_path, en_source, zh_source, stamp_from=None):
    def notebook(source):
        return {"cells": [{"cell_type": "markdown", "id": "a1", "metadata": {}, "source": source}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "zh").mkdir()
    english, chinese = tmp_path / "x.ipynb", tmp_path / "zh" / "x.ipynb"
    english.write_text(json.dumps(notebook(en_source)))
    zh = notebook(zh_source)
    if stamp_from is not None:
        zh["cells"][0]["metadata"]["translation_of"] = zh_sync.digest(stamp_from)
    chinese.write_text(json.dumps(zh))
    return english, chinese


def test_a_changed_english_cell_is_named(tmp_path):
    english, chinese = _pair(tmp_path, "The new English.", "旧的中文。", stamp_from="The old English.")
    assert zh_sync.stale_cells(english, chinese) == [("a1", "its English twin changed since it was translated")]


def test_an_unstamped_cell_is_named_and_a_stamped_one_passes(tmp_path):
    english, chinese = _pair(tmp_path, "Same.", "相同。")
    assert zh_sync.stale_cells(english, chinese)[0][1] == "records no English version"
    (tmp_path / "b").mkdir()
    english2, chinese2 = _pair(tmp_path / "b", "Same.", "相同。", stamp_from="Same.\n")
    assert zh_sync.stale_cells(english2, chinese2) == []


def test_a_changed_guide_section_is_named(tmp_path):
    english, chinese = tmp_path / "en.md", tmp_path / "zh.md"
    english.write_text("intro\n## A\nold a\n## B\nb\n")
    chinese.write_text("引言\n## 甲\n旧\n## 乙\n乙\n")
    zh_sync.stamp_guide(english, chinese)
    assert zh_sync.stale_sections(english, chinese) == []
    assert chinese.read_text().count("translation_of") == 3 and "## 甲\n<!-- translation_of:" in chinese.read_text()
    english.write_text("intro\n## A\nnew a\n## B\nb\n")
    stale = zh_sync.stale_sections(english, chinese)
    assert [i for i, _ in stale] == [1] and "## 甲" in stale[0][1]
    zh_sync.stamp_guide(english, chinese, {1})
    assert zh_sync.stale_sections(english, chinese) == [] and chinese.read_text().count("translation_of") == 3
