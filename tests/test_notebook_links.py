"""Links and reading order: every relative link in the course's markdown resolves, every #anchor exists,
and each student notebook's title cell links to 00, its previous and its next notebook in file order.
Stated times (title cells, 00's map, READMEs, guides) are checked against the time model in test_time_model.py.

The Chinese edition too: notebooks/zh/ (same file names, so the same links between notebooks; a Chinese
heading has its own anchor, e.g. 00_start_here.ipynb#记号), README.zh.md and docs/zh/. """

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
GUIDE = ROOT / "docs" / "teaching-guide.md"
STUDENT = sorted(NOTEBOOKS.glob("[0-9][0-9]*.ipynb"))  # file order is reading order
STUDENT_ZH = [NOTEBOOKS / "zh" / p.name for p in STUDENT]  # the Chinese twins, in the same order
ALL_NOTEBOOKS = sorted(NOTEBOOKS.rglob("*.ipynb"))
README_ZH = ROOT / "README.zh.md"
MARKDOWN_FILES = [ROOT / "README.md", README_ZH, *sorted((ROOT / "docs").rglob("*.md"))]

LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def markdown_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "markdown"]


def strip_fences(text):
    return re.sub(r"```.*?```", "", text, flags=re.DOTALL)


def sources():
    """(path of the document, its markdown text) for every document whose links we check."""
    for nb in ALL_NOTEBOOKS:
        yield nb, "\n\n".join(markdown_cells(nb))
    for md in MARKDOWN_FILES:
        yield md, md.read_text(encoding="utf-8")


def plain_heading(text):
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link shows its text
    return text.replace("`", "").replace("*", "").strip()


def github_anchors(markdown):
    """GitHub's heading ids: lowercase, punctuation dropped, each space a '-', repeats get -1, -2, ..."""
    seen, anchors = {}, set()
    for heading in HEADING.findall(strip_fences(markdown)):
        slug = re.sub(r"[^\w\- ]", "", plain_heading(heading).lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def jupyter_anchors(nb):
    """JupyterLab's heading ids: the heading text with each space a '-'."""
    return {plain_heading(h).replace(" ", "-")
            for cell in markdown_cells(nb) for h in HEADING.findall(cell)}


def links():
    for doc, text in sources():
        for target in LINK.findall(strip_fences(text)):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            yield doc, target


LINKS = list(links())


def test_the_course_has_its_thirteen_notebooks():
    assert [p.stem[:3].rstrip("_") for p in STUDENT] == [
        "00", "01", "02", "02b", "03", "03b", "04", "05", "05b", "06", "06b", "07", "08"]


@pytest.mark.parametrize(("doc", "target"), LINKS,
                         ids=[f"{d.relative_to(ROOT)}->{t}" for d, t in LINKS])
def test_relative_link_resolves(doc, target):
    file_part, _, anchor = target.partition("#")
    dest = (doc.parent / file_part).resolve() if file_part else doc
    assert dest.exists(), f"{doc.relative_to(ROOT)} links to {target}, which does not exist"
    if not anchor:
        return
    if dest.suffix == ".md":
        assert anchor in github_anchors(dest.read_text(encoding="utf-8")), (
            f"{doc.relative_to(ROOT)}: no heading in {dest.name} has the anchor #{anchor}")
    elif dest.suffix == ".ipynb":
        assert anchor in jupyter_anchors(dest), (
            f"{doc.relative_to(ROOT)}: no heading in {dest.name} has the anchor #{anchor}")


def test_the_guide_links_to_every_notebook_section():
    guide = GUIDE.read_text(encoding="utf-8")
    contents = guide.split("\n## ", 1)[0]
    targets = set(re.findall(r"\]\(#([^)]+)\)", contents))
    for nb in STUDENT:
        number = nb.stem.split("_")[0]
        assert any(t.startswith(f"{number}--") for t in targets), f"the contents list no section for {number}"
    assert targets <= github_anchors(guide)


def title_cell(nb):
    return markdown_cells(nb)[0]


def linked_files(text):
    return {t.partition("#")[0] for t in LINK.findall(text)}


@pytest.mark.parametrize("edition", ["en", "zh"])
@pytest.mark.parametrize("index", range(len(STUDENT)), ids=[p.stem for p in STUDENT])
def test_title_cell_links_back_previous_and_next(index, edition):
    nb = (STUDENT if edition == "en" else STUDENT_ZH)[index]
    assert nb.exists(), f"{nb.relative_to(ROOT)} is missing"
    linked = linked_files(title_cell(nb))
    if index > 0:
        assert STUDENT[0].name in linked, f"{nb.name}: no link back to {STUDENT[0].name}"
        assert STUDENT[index - 1].name in linked, f"{nb.name}: its previous is {STUDENT[index - 1].name}"
    if index + 1 < len(STUDENT):
        assert STUDENT[index + 1].name in linked, f"{nb.name}: its next is {STUDENT[index + 1].name}"
    wrong = {p.name for i, p in enumerate(STUDENT) if abs(i - index) > 1 and i > 0} & linked
    assert not wrong, f"{nb.name}: the title cell links to {sorted(wrong)}, not a neighbour in reading order"


def test_the_two_readmes_link_each_other_first():
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    first_link = LINK.search(english.split("\n## ", 1)[0])
    assert first_link and first_link.group(1) == "README.zh.md", "README.md must open with a link to README.zh.md"
    assert "README.md" in linked_files(README_ZH.read_text(encoding="utf-8").split("\n## ", 1)[0])
