"""No student sees a self-check's expected value, slips or hints without deliberately opening hidden code: every
cell tagged `self-check` of a student notebook (both languages) is stored with its source hidden."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STUDENT_NOTEBOOKS = sorted([*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "notebooks" / "zh").glob("*.ipynb")])


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_self_check_cell_is_stored_hidden(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    checks = [c for c in cells if "self-check" in c.get("metadata", {}).get("tags", [])]
    assert len(checks) >= 2, f"{path.name}: at least two exercises with a self-check each"
    shown = [c.get("id") for c in checks if not c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert not shown, f"{path.name}: self-check cells with visible source: {shown}"


def test_the_student_notebooks_are_all_there():
    assert len(STUDENT_NOTEBOOKS) == 26
