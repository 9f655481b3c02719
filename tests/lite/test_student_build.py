"""The student build of the offline site (`make lite STUDENT=1`, lite/build.py --student, build/lite-student/):
no worked solutions in it, and every relative link of its notebooks and markdown files resolves to a file of
the site. No browser: file checks only (the full site's notebooks run in Chromium in test_lite_notebooks.py).

The solution notebooks' marker (lite/build.py's SOLUTION_TITLE): their title heading, the first line of the
first cell, says "solutions" ("# 02 · Worked solutions", "# Solutions · 00 ...") or 参考答案 ("# 02 · 参考答案").
A test below checks that the marker picks out exactly the repository's notebooks under solutions/ folders.

Locally, without the built site, the build checks skip with the reason; with CI=true they fail.
"""

import json
import os
import re
from pathlib import Path

import pytest

from ..browser.servers import REPO
from .conftest import SITE, unavailable
from .test_lite_files import load_build

STUDENT_SITE = Path(os.environ.get("LITE_STUDENT_SITE", REPO / "build" / "lite-student"))
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def repo_notebooks():
    return sorted(p for p in (REPO / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def markdown_of(path):
    """The markdown text of a notebook (its markdown cells) or of a .md file."""
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "markdown"]


def broken_links(files):
    """(document, target) for each relative link under files/ whose file is not a file or folder of files/."""
    broken = []
    for doc in sorted([*files.rglob("*.ipynb"), *files.rglob("*.md")]):
        for text in markdown_of(doc):
            text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
            for target in LINK.findall(text):
                if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue
                dest = (doc.parent / target.partition("#")[0]).resolve()
                if not (dest.is_relative_to(files.resolve()) and dest.exists()):
                    broken.append((str(doc.relative_to(files)), target))
    return broken


# --- the marker and the staging, on the repository's notebooks and on made-up ones (no build needed) --------

def test_the_marker_picks_out_exactly_the_solution_notebooks():
    build = load_build()
    for path in repo_notebooks():
        in_solutions = "solutions" in path.relative_to(REPO).parts
        marked = build.is_solution_notebook(json.loads(path.read_text(encoding="utf-8")))
        assert marked == in_solutions, f"{path.relative_to(REPO)}: marker says {marked}, folder says {in_solutions}"
    assert len(build.left_out_of_student_build()) == sum("solutions" in p.parts for p in repo_notebooks()) > 0


def notebook(*markdown):
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": text} for text in markdown],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


BUILD = load_build()


def stage(tmp_path, relative, nb, build=BUILD):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "notebooks" / "01_next.ipynb").write_text(json.dumps(notebook("# 01 · Next")), encoding="utf-8")
    build.stage_student_notebook(path, tmp_path)
    return markdown_of(path)


def test_staging_turns_solution_links_into_text(tmp_path):
    cells = stage(tmp_path, "notebooks/00_start.ipynb", notebook(
        "# 00 · Start\n\nTyped numbers need 3 digits. Worked solutions\n  are in the folder `notebooks/solutions/`: "
        "open them after you have tried.",
        "See [the solution](solutions/00_solutions.ipynb), [the guide](../docs/teaching-guide.md#00) and "
        "[the next notebook](01_next.ipynb)."))
    assert "Worked solutions: ask your teacher, once you have tried." in cells[0]
    assert cells[1] == ("See the solution (worked solutions: ask your teacher), the guide (worked solutions: ask your "
                        "teacher) and [the next notebook](01_next.ipynb).")
    assert broken_links(tmp_path) == []


def test_staging_in_chinese(tmp_path):
    cells = stage(tmp_path, "notebooks/zh/00_start.ipynb", notebook(
        "# 00 · 从这里开始\n\n参考答案在文件夹 `notebooks/zh/solutions/` 中：请先自己尝试，再打开它们。",
        "见[答案](solutions/00_solutions.ipynb)。"))
    assert cells == ["# 00 · 从这里开始\n\n参考答案：请先自己尝试，再向老师索取。",
                     "见答案（参考答案：请向老师索取）。"]


@pytest.mark.parametrize(("relative", "text", "message"), [
    ("notebooks/03.ipynb", "# 03 · Backprop\n\nCompare with `notebooks/solutions/03_solutions.ipynb`.",
     "still points at a solutions folder"),
    ("notebooks/extra.ipynb", "# 03 · Worked solutions\n\nThe answers.", "worked-solutions notebook outside"),
    ("notebooks/zh/extra.ipynb", "# 03 · 参考答案\n\n答案。", "worked-solutions notebook outside"),
])
def test_staging_refuses_what_it_cannot_make_safe(tmp_path, relative, text, message):
    with pytest.raises(BUILD.BuildError, match=message):
        stage(tmp_path, relative, notebook(text))


# --- the built student site ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def student_site():
    manifest = STUDENT_SITE / "lite-manifest.json"
    if not manifest.exists():
        unavailable(f"no student build at {STUDENT_SITE} (run `make lite STUDENT=1`, which needs npm)")
    return json.loads(manifest.read_text())


def test_the_student_build_leaves_out_the_solutions(student_site):
    build = load_build()
    expected_out = build.left_out_of_student_build()
    assert student_site["student"] is True and student_site["left_out"] == expected_out
    expected_in = sorted(str(p.relative_to(REPO)) for p in repo_notebooks() if "solutions" not in p.parts)
    assert student_site["notebooks"] == expected_in, "the student build must hold every other notebook"
    files = STUDENT_SITE / "files"
    assert sorted(str(p.relative_to(files)) for p in files.rglob("*.ipynb")) == expected_in
    everything = [p.relative_to(STUDENT_SITE) for p in STUDENT_SITE.rglob("*")]
    under_solutions = [str(p) for p in everything if "solutions" in p.parts]
    assert not under_solutions, f"the student build holds {under_solutions[:5]}"
    guides = [str(p) for p in everything if "teaching-guide" in p.name or "teaching_guide" in p.name]
    assert not guides, f"the student build holds a teaching guide: {guides}"
    # JupyterLite's file browser lists what api/contents says: no solutions folder there either.
    for listing in (STUDENT_SITE / "api" / "contents").rglob("all.json"):
        names = [item["name"] for item in json.loads(listing.read_text())["content"]]
        assert "solutions" not in names, f"{listing.relative_to(STUDENT_SITE)} lists a solutions folder"


def test_no_notebook_of_the_student_build_is_a_solution(student_site):
    build = load_build()
    marked = [str(p.relative_to(STUDENT_SITE)) for p in STUDENT_SITE.rglob("*.ipynb")
              if build.is_solution_notebook(json.loads(p.read_text(encoding="utf-8")))]
    assert not marked, f"solution notebooks (by their title) in the student build: {marked}"


def test_every_link_of_the_student_build_resolves(student_site):
    broken = broken_links(STUDENT_SITE / "files")
    assert not broken, f"links of the student build that resolve to no file of it: {broken}"


def test_every_link_of_the_full_build_resolves():
    if not (SITE / "lite-manifest.json").exists():
        unavailable(f"no built site at {SITE} (run `make lite`, which needs npm)")
    broken = broken_links(SITE / "files")
    assert not broken, f"links of the full build that resolve to no file of it: {broken}"
