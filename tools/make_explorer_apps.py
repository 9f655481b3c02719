"""Write the per-notebook classroom pages notebooks/app/explorers_NN.ipynb and their Chinese twins
notebooks/zh/app/explorers_NN.ipynb from the all-in-one page (notebooks/app/classroom_explorers.ipynb and its twin).

Each page holds one course notebook's explorers: a title cell, then the all-in-one page's own prompt and
explorer cells for that notebook (same sources and ids, so a fix to the all-in-one page is one re-run away).
The first code cell also sets the language. The static site (make site) serves each page with Voici.

    python tools/make_explorer_apps.py      # then execute them (see the Makefile's explorer-apps target)
"""

import copy
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# page -> (the book notebook, the explorer keys' prefixes, the topic in each language)
PAGES = {
    "explorers_04": ("04", ["04_"], "gradient descent", "梯度下降"),
    "explorers_05b": ("05b", ["05_"], "RMSprop in practice", "实践中的 RMSprop"),
    "explorers_06": ("06", ["06_"], "the comparison", "优化器比较"),
    "explorers_06b": ("06b", ["06b_"], "momentum", "动量"),
    "explorers_07": ("07", ["07_"], "mini-batch noise", "小批量噪声"),
    "explorers_08": ("08", ["08_"], "saddles and the Adam family", "鞍点与 Adam 家族"),
}

TITLE = {
    "en": ("# Notebook {nn}'s explorers: {topic}\n\n"
           "The sliders of notebook {nn} on a page of their own, without code; the Python behind them runs in this "
           "browser. Move a slider, or click it and press the arrow keys: the figure redraws, and the sentence under "
           "it says in words what training did."),
    "zh": ("# 笔记本 {nn} 的交互探索图：{topic}\n\n"
           "笔记本 {nn} 的滑块单独成页，不显示代码；它们背后的 Python 就在这个浏览器里运行。"
           "拖动滑块，或点击滑块后按方向键：图会重画，图下方的一句话用文字说明训练的结果。"),
}


def explorer_key(cell):
    found = re.search(r'EXPLORERS\["([^"]+)"\]', "".join(cell["source"]))
    return found.group(1) if found else None


def make_page(app, name, lang):
    nn, prefixes, topic_en, topic_zh = PAGES[name]
    cells = app["cells"]
    language_lines = [line for line in "".join(cells[2]["source"]).splitlines(keepends=True)
                      if "set_language" in line]
    chosen = []
    for index, cell in enumerate(cells):
        key = explorer_key(cell) if cell["cell_type"] == "code" else None
        if key and any(key.startswith(p) for p in prefixes):
            chosen.extend([copy.deepcopy(cells[index - 1]), copy.deepcopy(cell)])
    if not chosen:
        raise SystemExit(f"{name}: no explorer of notebook {nn} on the all-in-one page")
    first = chosen[1]
    source = "".join(first["source"])
    if "set_language" not in source:
        imports, _, call = source.partition("\n\n")
        source = f"{imports}\n{language_lines[0]}\n{language_lines[1]}\n{call}"
    first["source"] = source
    topic = topic_en if lang == "en" else topic_zh
    title = {"cell_type": "markdown", "id": f"{name}-title", "metadata": {},
             "source": TITLE[lang].format(nn=nn, topic=topic)}
    notebook = copy.deepcopy(app)
    notebook["cells"] = [title, *chosen]
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    notebook["metadata"].pop("widgets", None)
    return notebook


def main():
    for lang, folder in (("en", ROOT / "notebooks" / "app"), ("zh", ROOT / "notebooks" / "zh" / "app")):
        app = json.loads((folder / "classroom_explorers.ipynb").read_text(encoding="utf-8"))
        for name in PAGES:
            page = make_page(app, name, lang)
            path = folder / f"{name}.ipynb"
            path.write_text(json.dumps(page, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
