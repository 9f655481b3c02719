"""Links and reading order: every relative link in the course's markdown resolves, every #anchor exists,
and each student notebook's title cell links to 00, its previous and its next notebook in file order,
stating the same time as 00's map, the README and the teaching guide.

The Chinese edition too: notebooks/zh/ (same file names, so the same links between notebooks; a Chinese
heading has its own anchor, e.g. 00_start_here.ipynb#记号), README.zh.md and docs/zh/. A Chinese title cell
states "**时间：** ... NN 分钟", the same minutes as its English twin, and its course tables (zh 00's map,
README.zh.md) say "NN 分钟"."""

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
TIME = re.compile(r"\*\*Time:\*\*\s*(\d+)\s*min")
TIME_ZH = re.compile(r"\*\*时间：\*\*[^\d\n]*(\d+)\s*分钟")


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


def stated_times(edition="en"):
    times = {}
    for nb in STUDENT if edition == "en" else STUDENT_ZH:
        assert nb.exists(), f"{nb.relative_to(ROOT)} is missing"
        found = (TIME if edition == "en" else TIME_ZH).search(title_cell(nb))
        assert found, f"{nb.name} ({edition}): the title cell states no '**Time:** NN min' / '**时间：** NN 分钟'"
        times[nb.name] = int(found.group(1))
    return times


def table_times(text, prefix, unit="min"):
    """{notebook file: minutes} from the rows of a table that link a notebook and end in 'NN min ...'."""
    rows = {}
    for line in text.splitlines():
        link = re.search(r"\]\(" + re.escape(prefix) + r"(\d\d[a-z]?_\w+\.ipynb)\)", line)
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        minutes = [re.match(r"(\d+) " + unit, c) for c in cells]
        minutes = [m for m in minutes if m]
        if line.startswith("|") and link and minutes:
            rows[link.group(1)] = int(minutes[0].group(1))
    return rows


@pytest.mark.parametrize(("where", "text", "prefix"), [
    ("00's map", lambda: markdown_cells(STUDENT[0])[1], ""),
    ("README", lambda: (ROOT / "README.md").read_text(encoding="utf-8"), "notebooks/"),
    ("teaching guide", lambda: GUIDE.read_text(encoding="utf-8").split("\n## ")[1], "../notebooks/"),
])
def test_course_tables_state_the_title_cell_times(where, text, prefix):
    assert table_times(text(), prefix) == stated_times(), f"the course table of the {where}"


@pytest.mark.parametrize(("where", "text", "prefix"), [
    ("Chinese 00's map", lambda: markdown_cells(STUDENT_ZH[0])[1], ""),
    ("README.zh.md", lambda: README_ZH.read_text(encoding="utf-8"), "notebooks/zh/"),
])
def test_chinese_course_tables_state_the_title_cell_times(where, text, prefix):
    assert table_times(text(), prefix, unit="分钟") == stated_times("zh"), f"the course table of the {where}"


def test_a_chinese_title_cell_states_the_time_of_its_english_twin():
    assert stated_times("zh") == stated_times("en")


def test_the_two_readmes_link_each_other_first():
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    first_link = LINK.search(english.split("\n## ", 1)[0])
    assert first_link and first_link.group(1) == "README.zh.md", "README.md must open with a link to README.zh.md"
    assert "README.md" in linked_files(README_ZH.read_text(encoding="utf-8").split("\n## ", 1)[0])


def test_chinese_course_totals_match_the_title_cells():
    total = sum(stated_times("zh").values())
    assert f"（{total} 分钟）" in markdown_cells(STUDENT_ZH[0])[1]
    assert f"（{total} 分钟）" in README_ZH.read_text(encoding="utf-8")


def test_course_totals_match_the_title_cells():
    total = sum(stated_times().values())
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"The slots add up to {total} minutes" in guide
    assert f"({total} min)" in markdown_cells(STUDENT[0])[1]
    assert f"({total} min)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_guide_section_headings_state_the_title_cell_times():
    headings = re.findall(r"^## (\d\d[a-z]?) · .*\((\d+) min", GUIDE.read_text(encoding="utf-8"), re.MULTILINE)
    times = stated_times()
    by_number = {nb.stem.split("_")[0]: times[nb.name] for nb in STUDENT}
    assert {number: int(minutes) for number, minutes in headings} == by_number
