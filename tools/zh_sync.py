"""Which Chinese text translates which version of its English twin: stamp it, and list what has fallen behind.

Notebooks: each markdown cell of notebooks/zh/<path>.ipynb records, in its metadata `translation_of`, a short
hash of the English twin's cell source (the cell with the same id) it translates. Teaching guides: under each
`## ` heading of docs/zh/teaching-guide.md, a comment `<!-- translation_of: HASH -->` records the hash of the
English guide's section at the same position (heading and body up to the next `## `).
tests/test_translation_freshness.py fails and names every cell and section whose English changed since.

After translating a changed English cell or section, stamp it (only what you translated):
    python tools/zh_sync.py stamp notebooks/zh/03_backprop.ipynb --cells cell-id-1,cell-id-2
    python tools/zh_sync.py stamp docs/zh/teaching-guide.md --sections 4,5     (0 = the text before the first ##)
    python tools/zh_sync.py stamp --all       (every pair, as it is now: only when all are known to be in step)
    python tools/zh_sync.py check             (list what is stale; exit 1 if anything is)
"""

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"
GUIDES = [(ROOT / "docs" / "teaching-guide.md", ROOT / "docs" / "zh" / "teaching-guide.md")]
KEY = "translation_of"
STAMP = re.compile(r"\n?<!-- translation_of: ([0-9a-f]{12}) -->\n?")


def digest(text):
    """The 12-hex-digit hash of an English source (trailing white space ignored)."""
    return hashlib.sha256(text.rstrip().encode("utf-8")).hexdigest()[:12]


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def english_of(zh_path):
    return NOTEBOOKS / Path(zh_path).resolve().relative_to(ZH.resolve())


def notebook_pairs():
    return [(english_of(zh), zh) for zh in sorted(ZH.rglob("*.ipynb")) if ".ipynb_checkpoints" not in zh.parts]


def stale_cells(english, chinese):
    """[(cell id, why)] of the Chinese markdown cells that do not record the current English source's hash."""
    en = {c.get("id"): c for c in json.loads(english.read_text(encoding="utf-8"))["cells"]}
    stale = []
    for cell in json.loads(chinese.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        twin = en.get(cell.get("id"))
        recorded = cell.get("metadata", {}).get(KEY)
        if twin is None:
            stale.append((cell.get("id"), "no English cell with this id"))
        elif recorded is None:
            stale.append((cell.get("id"), "records no English version"))
        elif recorded != digest(_source(twin)):
            stale.append((cell.get("id"), "its English twin changed since it was translated"))
    return stale


def _write_notebook(path, notebook):
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def stamp_notebook(chinese, cells=None):
    english = english_of(chinese)
    en = {c.get("id"): c for c in json.loads(english.read_text(encoding="utf-8"))["cells"]}
    notebook = json.loads(chinese.read_text(encoding="utf-8"))
    done = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown" and cell.get("id") in en and (cells is None or cell.get("id") in cells):
            cell.setdefault("metadata", {})[KEY] = digest(_source(en[cell["id"]]))
            done.append(cell["id"])
    missing = set(cells or ()) - set(done)
    if missing:
        raise SystemExit(f"{chinese}: no markdown cell with an English twin has id {sorted(missing)}")
    _write_notebook(chinese, notebook)
    return done


def sections(text):
    """The text split at each line that starts with '## ': [preamble, section 1, ...]."""
    return re.split(r"(?m)^(?=## )", text)


def stale_sections(english, chinese):
    en, zh = sections(english.read_text(encoding="utf-8")), sections(chinese.read_text(encoding="utf-8"))
    if len(en) != len(zh):
        return [(-1, f"{len(en) - 1} sections in English, {len(zh) - 1} in Chinese")]
    stale = []
    for i, (e, z) in enumerate(zip(en, zh, strict=True)):
        found = STAMP.search(z)
        heading = z.splitlines()[0] if z.strip() else "(before the first ##)"
        if found is None:
            stale.append((i, f"{heading}: records no English version"))
        elif found.group(1) != digest(e):
            stale.append((i, f"{heading}: its English section changed since it was translated"))
    return stale


def stamp_guide(english, chinese, which=None):
    en, zh = sections(english.read_text(encoding="utf-8")), sections(chinese.read_text(encoding="utf-8"))
    if len(en) != len(zh):
        raise SystemExit(f"{chinese}: {len(zh) - 1} sections, the English guide has {len(en) - 1}")
    out = []
    for i, (e, z) in enumerate(zip(en, zh, strict=True)):
        if which is None or i in which:
            z = STAMP.sub("\n", z, count=1) if STAMP.search(z) else z
            lines = z.split("\n", 1) if z.startswith("## ") else ["", z]
            head, body = lines[0], lines[1] if len(lines) > 1 else ""
            stamp = f"<!-- translation_of: {digest(e)} -->"
            z = f"{head}\n{stamp}\n{body.lstrip(chr(10))}" if head else f"{stamp}\n{body.lstrip(chr(10))}"
        out.append(z)
    chinese.write_text("".join(out), encoding="utf-8")


def check():
    problems = []
    for english, chinese in notebook_pairs():
        problems += [f"{chinese.relative_to(ROOT)} cell {cid}: {why}" for cid, why in stale_cells(english, chinese)]
    for english, chinese in GUIDES:
        problems += [f"{chinese.relative_to(ROOT)} section {i}: {why}" for i, why in stale_sections(english, chinese)]
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    stamp = sub.add_parser("stamp")
    stamp.add_argument("path", nargs="?", type=Path)
    stamp.add_argument("--cells", help="comma-separated cell ids (default: every markdown cell)")
    stamp.add_argument("--sections", help="comma-separated section numbers of a guide (default: all)")
    stamp.add_argument("--all", action="store_true", help="every notebook pair and guide")
    sub.add_parser("check")
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = check()
        print("\n".join(problems) if problems else "every Chinese cell and guide section is in step")
        return 1 if problems else 0
    if args.all:
        for _, chinese in notebook_pairs():
            stamp_notebook(chinese)
        for english, chinese in GUIDES:
            stamp_guide(english, chinese)
        return 0
    if args.path is None:
        parser.error("stamp needs a path or --all")
    path = args.path.resolve()
    for english, chinese in GUIDES:
        if path == chinese.resolve():
            which = None if args.sections is None else {int(s) for s in args.sections.split(",")}
            stamp_guide(english, chinese, which)
            return 0
    cells = None if args.cells is None else set(args.cells.split(","))
    print(f"stamped {len(stamp_notebook(path, cells))} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
