"""Write the time model's minutes wherever the course states them: `make times` (python tools/time_docs.py).

The minutes come from tools/time_model.py, never from an author's estimate. This rewrites, in both languages:
- each course notebook's title cell ("**Time:** C min core + O min optional") and the heading of each optional
  block ("(optional, N min)" / "（选学，N 分钟）");
- the time cell ("C + O min" / "C + O 分钟") of every table row that links a course notebook, in 00's map, both
  READMEs and both teaching guides, and the course total ("**Whole course:** …" / "**整个课程：** …");
- the generated blocks of the teaching guides, between `<!-- time-model:NAME -->` and `<!-- /time-model:NAME -->`:
  `sections NN_stem` (a notebook's sections with their minutes), `lessons` (the whole core in at most six
  90-minute lessons) and `paths` (backprop and RMSprop in one 90-minute lesson, and in one 50-minute lecture;
  the sections they use are chosen in PATHS below).
A Chinese cell or guide section that was in step with its English twin before (tools/zh_sync.py) is stamped
again after, since this tool changed both the same way; one that had fallen behind stays behind.
`--check` writes nothing and exits 1 if anything would change (tests/test_time_model.py runs it).
"""

import argparse
import json
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import time_model as tm  # noqa: E402
import zh_sync  # noqa: E402

ROOT = tm.ROOT
LESSON_MINUTES, START_UP = 90, 5
LESSON_CORE = LESSON_MINUTES - START_UP
MAX_LESSONS = 6
LECTURE_MINUTES = 50
MIN_PART = 10  # a lesson does not start a notebook with less than this many minutes of it; the next lesson does
DOCS = {ROOT / "README.md": "en", ROOT / "README.zh.md": "zh",
        ROOT / "docs" / "teaching-guide.md": "en", ROOT / "docs" / "zh" / "teaching-guide.md": "zh"}
MAPS = {tm.NOTEBOOKS / "00_start_here.ipynb": "en", tm.NOTEBOOKS / "zh" / "00_start_here.ipynb": "zh"}

# The two short paths for a teacher with one slot in a larger course: (notebook stem, heading prefix) of each
# section, in teaching order. A heading prefix is the start of the English heading ("4. One layer down").
PATHS = {
    "90": [("03_backprop", "1. "), ("03_backprop", "2. "), ("03_backprop", "3. "), ("03_backprop", "4. "),
           ("03_backprop", "5. "), ("03_backprop", "6. "),
           ("05_rmsprop", "1. "), ("05_rmsprop", "2. "), ("05_rmsprop", "3. "), ("05_rmsprop", "4. "),
           ("05_rmsprop", "6. "), ("05_rmsprop", "8. "),
           ("05b_rmsprop_epsilon_and_valleys", "3. ")],
    "50": [("03_backprop", "2. "), ("03_backprop", "3. "), ("03_backprop", "4. "),
           ("05_rmsprop", "2. "), ("05_rmsprop", "3. "), ("05_rmsprop", "4. "),
           ("05b_rmsprop_epsilon_and_valleys", "3. ")],
}
PATH_SLIDERS = {
    "90": ("Sliders to project: 05b §3's explorer (GD and RMSprop on the same valley, η learning rate, ρ decay): "
           "move each slider to its ends and let the class read the status line under the figure. 03's Exercise 1 "
           "and 05's Exercise 2 can be done at home before class.",
           "要投影的滑块：05b 第 3 节的交互探索图（同一个山谷上的 GD 与 RMSprop，η 学习率，ρ 衰减系数）："
           "把每个滑块拖到两端，让全班读图下方的状态句。03 的练习 1 和 05 的练习 2 可以让学生课前在家完成。"),
    "50": ("On the board: δ at the output and one layer down (03 §2-§4), then the average of squared gradients "
           "and its zero start (05 §2-§4). Sliders to project: 05b §3's explorer (η and ρ). The exercises go "
           "home; their self-checks answer there.",
           "在黑板上：输出层的 δ 和下一层的 δ（03 第 2–4 节），再讲梯度平方的平均及其零初始化（05 第 2–4 节）。"
           "要投影的滑块：05b 第 3 节的交互探索图（η 和 ρ）。练习留作课后作业，自测会在家里给出反馈。"),
}
PATH_TITLES = {"90": ("Backprop and RMSprop in one 90-minute lesson", "一节 90 分钟的课讲完反向传播与 RMSprop"),
               "50": ("Backprop and RMSprop in one 50-minute lecture", "一次 50 分钟的讲座讲完反向传播与 RMSprop")}
PATH_LIMITS = {"90": LESSON_CORE, "50": LECTURE_MINUTES - START_UP}

TIME_CELL = {"en": re.compile(r"^\s*\d+(?:\s*\+\s*\d+)?\s*min(?:\s*\(\+\s*\d+\s*optional\))?\s*$"),
             "zh": re.compile(r"^\s*\d+(?:\s*\+\s*\d+)?\s*分钟(?:（另有\s*\d+\s*分钟选学）)?\s*$")}
TITLE = {"en": re.compile(r"(\*\*Time:\*\*)[^·\n]*?(\s*·)"), "zh": re.compile(r"(\*\*时间：\*\*)[^·\n]*?(\s*·)")}
TOTAL = {"en": re.compile(r"\*\*Whole course:\*\*[^\n.;]*"), "zh": re.compile(r"\*\*整个课程：\*\*[^\n。；]*")}
OPTIONAL_HEADING = {"en": re.compile(r"\(optional, \d+ min\)"), "zh": re.compile(r"（选学，\d+ 分钟）")}
BLOCK = re.compile(r"(<!-- time-model:(\w+)(?: ([\w]+))? -->\n).*?(<!-- /time-model:\2 -->)", re.DOTALL)


def minutes_cell(core, optional, lang):
    unit = "min" if lang == "en" else "分钟"
    return f"{core} + {optional} {unit}" if optional else f"{core} {unit}"


def title_time(core, optional, lang):
    if lang == "en":
        return f"{core} min core + {optional} min optional" if optional else f"{core} min core"
    return f"核心 {core} 分钟 + 选学 {optional} 分钟" if optional else f"核心 {core} 分钟"


def total_text(times, lang):
    core, optional = sum(t.core.minutes for t in times), sum(t.optional_minutes for t in times)
    if lang == "en":
        return f"**Whole course:** {core} min core + {optional} min optional"
    return f"**整个课程：** 核心 {core} 分钟 + 选学 {optional} 分钟"


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def rewrite_tables(text, times, lang):
    out = []
    for line in text.split("\n"):
        if line.lstrip().startswith("|"):
            for t in times:
                if f"{t.name}.ipynb" in line:
                    cells = line.split("|")
                    for i, cell in enumerate(cells):
                        if TIME_CELL[lang].match(cell):
                            cells[i] = f" {minutes_cell(t.core.minutes, t.optional_minutes, lang)} "
                    line = "|".join(cells)
        out.append(line)
    text = "\n".join(out)
    return TOTAL[lang].sub(total_text(times, lang), text)


# ---- generated blocks of the guides ----

def section_heading(t, cell_id, lang):
    """A section's heading in the language of the guide (the Chinese twin's heading cell has the same id)."""
    path = t.path if lang == "en" else tm.NOTEBOOKS / "zh" / t.path.name
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell.get("id") == cell_id:
            found = re.search(r"^#{2,4}\s+(.+)$", _source(cell), re.MULTILINE)
            return found.group(1).strip() if found else cell_id
    return cell_id


def core_sections(t):
    """[(heading, cell id, exact minutes)] of a notebook's core, the cells above its first heading included."""
    return [(h, cid, part.exact_minutes) for h, optional, part, cid in t.sections if not optional]


def render_sections(t, lang):
    head = ("| section | minutes |\n|---|---|" if lang == "en" else "| 小节 | 分钟 |\n|---|---|")
    rows = []
    for _heading, optional, part, cid in t.sections:
        name = (("(title and introduction)" if lang == "en" else "（标题与引言）") if cid is None
                else section_heading(t, cid, lang))
        marked = re.search("optional|选学", name)
        flag = (" (optional)" if lang == "en" else "（选学）") if optional and not marked else ""
        rows.append(f"| {name}{flag} | {part.exact_minutes:.1f} |")
    if lang == "en":
        total = f"Core {t.core.minutes} min, optional {t.optional_minutes} min (the model rounds each part up)."
    else:
        total = f"核心 {t.core.minutes} 分钟，选学 {t.optional_minutes} 分钟（模型把每一部分向上取整）。"
    return "\n".join([head, *rows, "", total])


def pack_lessons(times):
    """The whole core in lessons of at most LESSON_CORE minutes, in reading order, cut at section boundaries.

    Returns [[(notebook time, [section indices]), ...], ...]: a notebook goes whole into a lesson where it fits;
    otherwise the lesson takes as many of its sections as fit and the next lesson the rest. A lesson's minutes
    are the model's exact minutes of its sections (the plan states them to 0.1 min; a title rounds a notebook's
    core up to the whole minute), never more than LESSON_CORE.
    """
    lessons, current = [], []
    for t in times:
        pending = list(range(len(core_sections(t))))
        while pending:
            take = 0
            for k in range(1, len(pending) + 1):
                if lesson_minutes([*current, (t, pending[:k])]) > LESSON_CORE:
                    break
                take = k
            small = take and current and take < len(pending) and _part_minutes(t, pending[:take]) < MIN_PART
            if take and not small:
                current.append((t, pending[:take]))
                pending = pending[take:]
            if pending:
                if not current:
                    raise ValueError(f"{t.name}: a section is longer than a lesson")
                lessons.append(current)
                current = []
    if current:
        lessons.append(current)
    return lessons


def lesson_minutes(lesson):
    """A lesson's minutes: the sum of its parts' exact minutes."""
    return sum(_part_minutes(t, indices) for t, indices in lesson)


def _part_minutes(t, indices):
    """The exact core minutes of some sections of a notebook (all of them: its core's exact minutes)."""
    sections = core_sections(t)
    return sum(sections[i][2] for i in indices)


def _section_label(t, section, lang):
    """§N for a numbered heading ("4. One layer down"), else its words (short); the part above the first one."""
    heading, cid = section[0], section[1]
    if cid is None:
        return "intro" if lang == "en" else "引言"
    numbered = re.match(r"(\d+)\.", heading)
    if numbered:
        return f"§{numbered.group(1)}"
    words = section_heading(t, cid, lang)
    return words if len(words) <= 30 else words[:29] + "…"


def _part_label(t, indices, lang):
    number = t.name.split("_")[0]
    sections = core_sections(t)
    if len(indices) == len(sections):
        prefix = "../" if lang == "en" else "../../"
        folder = "notebooks/" if lang == "en" else "notebooks/zh/"
        return f"[{number}]({prefix}{folder}{t.name}.ipynb)"
    first, last = sections[indices[0]], sections[indices[-1]]
    span = _section_label(t, first, lang)
    if first is not last:
        end = ("end" if lang == "en" else "结尾") if indices[-1] == len(sections) - 1 else _section_label(t, last, lang)
        span += f"–{end}"
    return f"{number} {span}"


def render_lessons(times, lang):
    lessons = pack_lessons(times)
    if lang == "en":
        rows = ["| lesson | core content | core minutes |", "|---|---|---|"]
    else:
        rows = ["| 课次 | 核心内容 | 核心分钟数 |", "|---|---|---|"]
    for n, lesson in enumerate(lessons, 1):
        parts = [f"{_part_label(t, idx, lang)}: {_part_minutes(t, idx):.1f}" for t, idx in lesson]
        rows.append(f"| {n} | {' · '.join(parts)} | {lesson_minutes(lesson):.1f} |")
    core = sum(t.core.minutes for t in times)
    if lang == "en":
        rows += ["", f"{len(lessons)} lessons of 90 minutes: at most {LESSON_CORE} minutes of core each and "
                     f"{START_UP} for starting up; the whole core is {core} min. The plan adds the model's minutes to "
                     "0.1 min; a notebook's title rounds its core up to the whole minute."]
    else:
        rows += ["", f"共 {len(lessons)} 节 90 分钟的课：每节核心内容至多 {LESSON_CORE} 分钟，"
                     f"另留 {START_UP} 分钟开场；整个核心共 {core} 分钟。课表按模型的分钟数相加，精确到 0.1 分钟；"
                     "笔记本标题把核心时间向上取整到整分钟。"]
    return "\n".join(rows)


def path_sections(times, key):
    """[(notebook time, heading cell id, core minutes)] of each section PATHS[key] names (its core rows only)."""
    by_name = {t.name: t for t in times}
    chosen = []
    for stem, prefix in PATHS[key]:
        t = by_name[stem]
        rows = [(cid, part.exact_minutes) for h, opt, part, cid in t.sections if h.startswith(prefix) and not opt]
        if not rows or len({cid for cid, _ in rows}) != 1:
            raise ValueError(f"PATHS[{key!r}]: {stem} has {len(rows)} core sections starting with {prefix!r}")
        chosen.append((t, rows[0][0], sum(minutes for _, minutes in rows)))
    return chosen


def render_paths(times, lang):
    out = []
    for key in PATHS:
        chosen = path_sections(times, key)
        title = PATH_TITLES[key][0 if lang == "en" else 1]
        total = math.ceil(sum(minutes for _, _, minutes in chosen) - 1e-9)
        if lang == "en":
            out += [f"**{title}** ({total} min of sections, {START_UP} for starting up):", "",
                    "| notebook | section | minutes |", "|---|---|---|"]
        else:
            out += [f"**{title}**（各小节共 {total} 分钟，另留 {START_UP} 分钟开场）：", "",
                    "| 笔记本 | 小节 | 分钟 |", "|---|---|---|"]
        for t, cid, minutes in chosen:
            out.append(f"| {t.name.split('_')[0]} | {section_heading(t, cid, lang)} | {minutes:.1f} |")
        out += ["", PATH_SLIDERS[key][0 if lang == "en" else 1], ""]
    return "\n".join(out).rstrip()


def rewrite_blocks(text, times, lang):
    by_name = {t.name: t for t in times}

    def block(match):
        kind, arg = match.group(2), match.group(3)
        if kind == "sections":
            body = render_sections(by_name[arg], lang)
        elif kind == "lessons":
            body = render_lessons(times, lang)
        elif kind == "paths":
            body = render_paths(times, lang)
        else:
            raise ValueError(f"unknown generated block {kind!r}")
        return f"{match.group(1)}{body}\n{match.group(4)}"
    return BLOCK.sub(block, text)


# ---- notebooks ----

def rewrite_notebook(path, t, lang, times):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    blocks = dict(t.optional_blocks)
    changed = False
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        source = _source(cell)
        new = source
        if i == 0:
            new = TITLE[lang].sub(lambda m: f"{m.group(1)} {title_time(t.core.minutes, t.optional_minutes, lang)}"
                                  f"{m.group(2)}", new, count=1)
        if cell.get("id") in blocks:
            minutes = blocks[cell["id"]].minutes
            heading = f"(optional, {minutes} min)" if lang == "en" else f"（选学，{minutes} 分钟）"
            new = OPTIONAL_HEADING[lang].sub(heading, new, count=1)
        if path in MAPS:
            new = rewrite_tables(new, times, lang)
        if new != source:
            cell["source"] = new.splitlines(keepends=True)
            changed = True
    if changed:
        path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return changed



def run(check=False):
    times = [tm.measure(p) for p in tm.course_notebooks()]
    for key in PATHS:
        chosen = path_sections(times, key)
        total = math.ceil(sum(minutes for _, _, minutes in chosen) - 1e-9)
        if total > PATH_LIMITS[key]:
            raise ValueError(f"the {key}-minute path needs {total} min of sections (at most {PATH_LIMITS[key]})")
    if len(pack_lessons(times)) > MAX_LESSONS:
        raise ValueError(f"the core needs {len(pack_lessons(times))} lessons of {LESSON_MINUTES} min "
                         f"(at most {MAX_LESSONS})")
    stale_cells_before = {zh: {cid for cid, _ in zh_sync.stale_cells(en, zh)} for en, zh in zh_sync.notebook_pairs()}
    stale_sections_before = {zh: {i for i, _ in zh_sync.stale_sections(en, zh)} for en, zh in zh_sync.GUIDES}
    before = {p: p.read_bytes() for p in [*DOCS, *tm.course_notebooks(),
                                          *(tm.NOTEBOOKS / "zh" / p.name for p in tm.course_notebooks())]}
    for t in times:
        rewrite_notebook(t.path, t, "en", times)
        rewrite_notebook(tm.NOTEBOOKS / "zh" / t.path.name, t, "zh", times)
    for doc, lang in DOCS.items():
        text = doc.read_text(encoding="utf-8")
        new = rewrite_blocks(rewrite_tables(text, times, lang), times, lang)
        if new != text:
            doc.write_text(new, encoding="utf-8")
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    if check:
        for p, data in before.items():
            p.write_bytes(data)
        return changed
    for en, zh in zh_sync.notebook_pairs():  # restamp what was in step before and was rewritten by this tool
        if zh in changed or en in changed:
            stale_before = stale_cells_before[zh]
            ids = [c.get("id") for c in json.loads(zh.read_text(encoding="utf-8"))["cells"]
                   if c["cell_type"] == "markdown" and c.get("id") not in stale_before]
            if ids:
                zh_sync.stamp_notebook(zh, set(ids) & {c.get("id") for c in json.loads(en.read_text(
                    encoding="utf-8"))["cells"]})
    for en, zh in zh_sync.GUIDES:
        if zh in changed or en in changed:
            stale_before = stale_sections_before[zh]
            count = len(zh_sync.sections(zh.read_text(encoding="utf-8")))
            zh_sync.stamp_guide(en, zh, {i for i in range(count) if i not in stale_before})
    return changed


def run_to_fixed_point(check=False, passes=5):
    """Stated minutes are words too (00's map counts them): write until a pass changes nothing."""
    if check:
        return run(check=True)
    changed = set()
    for _ in range(passes):
        this = run()
        if not this:
            return sorted(changed)
        changed |= set(this)
    raise RuntimeError(f"the stated times did not settle after {passes} passes")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    args = parser.parse_args(argv)
    changed = run_to_fixed_point(check=args.check)
    for path in changed:
        print(("would change " if args.check else "wrote ") + str(path.relative_to(ROOT)))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
