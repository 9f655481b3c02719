"""The course's time model: the minutes a first-time student needs for a notebook, computed from its cells.

Rates (docs/AUTHORING.md, "Times are computed"); a slower rate is allowed, never a faster one:
- prose: 120 words a minute. Markdown text of every kind counts (tables, lists, collapsed `<details>` blocks,
  inline math: a token of inline math is a word). A word is a whitespace-separated token holding a letter or a
  digit; a link counts its text, not its address. Chinese notebooks take their English twin's minutes.
- a display equation (`$$ … $$`): 1 minute each.
- code the student reads and runs: 20 lines a minute (non-blank, non-comment lines), self-check cells excluded
  (their source is hidden).
- a figure (an image/png output, a markdown image): 0.5 minute; a slider explorer (a cell whose output is a
  live widget): 3 minutes, its static picture included.
- an exercise (an `### Exercise` heading, with the self-check cells after it): 8 minutes where one of its
  checks takes a function (`check_function`), a condition computed from the learner's code (`check_true`), or
  its check cell is tagged `derivation` or `diagnosis`; 5 minutes where the answer is a typed value, a shape or
  a choice. A self-check cell with no exercise heading before it in its section is an exercise of its own.
Cells tagged `optional` count towards the notebook's optional minutes, every other cell towards its core.
Optional cells sit in blocks (runs of consecutive optional cells, each under a heading that states its
minutes); each block and the core are rounded up to a whole minute, and the optional minutes are the blocks'
sum.

Usage: python tools/time_model.py [--sections] [--json] [NOTEBOOK ...]   (default: every course notebook)
"""

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

WORDS_PER_MINUTE = 120
MINUTES_PER_EQUATION = 1.0
CODE_LINES_PER_MINUTE = 20
MINUTES_PER_FIGURE = 0.5
MINUTES_PER_EXPLORER = 3.0
MINUTES_SHORT_EXERCISE = 5.0
MINUTES_LONG_EXERCISE = 8.0
LONG_CHECKS = ("check_function(", "check_true(")
LONG_TAGS = {"derivation", "diagnosis"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
EXERCISE_HEADING = re.compile(r"^#{2,4}\s*(?:[0-9.]+\s*)?Exercises?\b", re.MULTILINE)

DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
ENV_MATH = re.compile(r"\\begin\{(equation|align|gather)\*?\}.*?\\end\{\1\*?\}", re.DOTALL)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w", re.UNICODE)


def course_notebooks():
    """The English course notebooks in reading order (file order): notebooks/NN*.ipynb."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if re.match(r"\d\d", p.name))


def english_twin(path):
    """A Chinese notebook's English twin (its minutes are the twin's); an English path is returned as is."""
    path = Path(path).resolve()
    zh = (NOTEBOOKS / "zh").resolve()
    if zh in path.parents:
        return NOTEBOOKS / path.relative_to(zh)
    return path


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def prose_parts(markdown):
    """(words, display equations, markdown images) of one markdown cell's text."""
    equations = len(DISPLAY_MATH.findall(markdown))
    rest = DISPLAY_MATH.sub(" ", markdown)
    equations += len(ENV_MATH.findall(rest))
    rest = ENV_MATH.sub(" ", rest)
    images = len(MD_IMAGE.findall(rest)) + len(HTML_IMAGE.findall(rest))
    rest = MD_IMAGE.sub(r" \1 ", rest)
    rest = HTML_IMAGE.sub(" ", rest)
    rest = MD_LINK.sub(r" \1 ", rest)
    rest = HTML_TAG.sub(" ", rest)
    words = sum(1 for token in rest.split() if WORD.search(token))
    return words, equations, images


def code_lines(source):
    """Non-blank, non-comment lines of a code cell."""
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def figures_and_explorers(cell):
    """(figures, explorers) among a code cell's outputs: a live widget counts as one explorer, its picture not."""
    outputs = cell.get("outputs", [])
    if any(WIDGET_MIME in out.get("data", {}) for out in outputs):
        return 0, 1
    return sum(1 for out in outputs if "image/png" in out.get("data", {})), 0


def exercise_minutes(cell):
    source = _source(cell)
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & LONG_TAGS or any(call in source for call in LONG_CHECKS):
        return MINUTES_LONG_EXERCISE
    return MINUTES_SHORT_EXERCISE


@dataclass
class Part:
    """What one part of a notebook (its core, its optional cells, or a section) asks of the student."""
    words: int = 0
    equations: int = 0
    code_lines: int = 0
    figures: int = 0
    explorers: int = 0
    exercise_minutes: dict = field(default_factory=dict)  # exercise number in the notebook -> its minutes

    @property
    def exercises(self):
        return list(self.exercise_minutes.values())

    def add(self, cell, exercise=None):
        """Add a cell; `exercise` numbers the exercise a self-check cell belongs to."""
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "markdown":
            words, equations, images = prose_parts(_source(cell))
            self.words += words
            self.equations += equations
            self.figures += images
        elif cell["cell_type"] == "code":
            if "self-check" in tags:
                minutes = exercise_minutes(cell)
                self.exercise_minutes[exercise] = max(minutes, self.exercise_minutes.get(exercise, 0.0))
            else:
                self.code_lines += code_lines(_source(cell))
            figures, explorers = figures_and_explorers(cell)
            self.figures += figures
            self.explorers += explorers

    @property
    def exact_minutes(self):
        return (self.words / WORDS_PER_MINUTE + self.equations * MINUTES_PER_EQUATION
                + self.code_lines / CODE_LINES_PER_MINUTE + self.figures * MINUTES_PER_FIGURE
                + self.explorers * MINUTES_PER_EXPLORER + sum(self.exercises))

    @property
    def minutes(self):
        exact = self.exact_minutes
        return math.ceil(exact - 1e-9) if exact > 0 else 0


@dataclass
class NotebookTime:
    path: Path
    core: Part
    optional: Part
    sections: list  # [(heading, optional?, Part, cell id)] in order: each "## " section, each optional block inside
    # one, and the rest of a core section after such a block (same heading and id); cells above the first "## "
    # are "(top)". A row's Part holds only its own cells, so the core rows add up to the core.
    optional_blocks: list  # [(first cell's id, Part)]: each run of consecutive optional cells

    @property
    def optional_minutes(self):
        return sum(part.minutes for _, part in self.optional_blocks)

    @property
    def name(self):
        return self.path.stem


def is_optional(cell):
    return "optional" in cell.get("metadata", {}).get("tags", [])


def measure(path):
    """The time model of one notebook (a Chinese notebook: of its English twin)."""
    path = english_twin(path)
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    core, optional = Part(), Part()
    sections = [["(top)", False, Part(), None]]
    core_heading = ("(top)", None)  # the core section that core cells after an optional block continue
    exercise, open_exercise = 0, False
    blocks, in_block = [], False
    for cell in notebook["cells"]:
        source = _source(cell)
        heading = re.search(r"^##\s+(.+)$", source, re.MULTILINE) if cell["cell_type"] == "markdown" else None
        if heading:
            sections.append([heading.group(1).strip(), is_optional(cell), Part(), cell.get("id")])
            if not is_optional(cell):
                core_heading = (heading.group(1).strip(), cell.get("id"))
        elif is_optional(cell) and not in_block:  # an optional block inside a core section: a row of its own
            sub = re.search(r"^#{3,4}\s+(.+)$", source, re.MULTILINE)
            sections.append([sub.group(1).strip() if sub else "(optional)", True, Part(), cell.get("id")])
        elif in_block and not is_optional(cell):  # the core section goes on after the block
            sections.append([core_heading[0], False, Part(), core_heading[1]])
        if cell["cell_type"] == "markdown":
            if heading:
                open_exercise = False
            if EXERCISE_HEADING.search(source):
                exercise, open_exercise = exercise + 1, True
        elif "self-check" in cell.get("metadata", {}).get("tags", []) and not open_exercise:
            exercise += 1  # a check with no heading of its own is an exercise of its own
        (optional if is_optional(cell) else core).add(cell, exercise)
        sections[-1][2].add(cell, exercise)
        if is_optional(cell):
            if not in_block:
                blocks.append((cell.get("id"), Part()))
            blocks[-1][1].add(cell, exercise)
        in_block = is_optional(cell)
    return NotebookTime(Path(path), core, optional, [tuple(s) for s in sections if s[2].exact_minutes > 0],
                        blocks)


def table(times):
    lines = ["| notebook | core words | core min | optional min |", "|---|---|---|---|"]
    for t in times:
        lines.append(f"| {t.name} | {t.core.words} | {t.core.minutes} | {t.optional_minutes} |")
    core = sum(t.core.minutes for t in times)
    optional = sum(t.optional_minutes for t in times)
    lines.append(f"| course | {sum(t.core.words for t in times)} | {core} | {optional} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--sections", action="store_true", help="also the minutes of every ## section")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    times = [measure(p) for p in (args.notebooks or course_notebooks())]
    if args.json:
        print(json.dumps({t.name: {"core_minutes": t.core.minutes, "optional_minutes": t.optional_minutes,
                                   "core_words": t.core.words,
                                   "sections": [{"heading": h, "optional": o, "minutes": round(p.exact_minutes, 1)}
                                                for h, o, p, _ in t.sections]} for t in times},
                         ensure_ascii=False, indent=1))
        return 0
    print(table(times))
    if args.sections:
        for t in times:
            print(f"\n{t.name}: core {t.core.minutes} min, optional {t.optional_minutes} min")
            for heading, optional, part, _ in t.sections:
                flag = " (optional)" if optional else ""
                print(f"  {part.exact_minutes:5.1f} min  {heading}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
