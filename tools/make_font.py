"""Regenerate the Chinese font subset shipped with helpers (helpers/classroom/fonts/).

    make font                                  # or:
    python tools/make_font.py --source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The source is Noto Sans CJK SC Regular (SIL Open Font License 1.1), from Debian's package fonts-noto-cjk
(`apt-get install fonts-noto-cjk`, or `apt-get download fonts-noto-cjk && dpkg-deb -x *.deb dir` to
unpack it without installing it system-wide). The subset keeps:

- the 3755 characters of GB2312 level 1 (the common Chinese characters),
- CJK symbols and punctuation (U+3000-U+303F) and the full-width forms (U+FF00-U+FFEF),
- Latin, Greek, punctuation and common symbols (see LATIN_AND_SYMBOLS),
- every other character of the Chinese notebooks (notebooks/zh/) and of helpers/classroom/*.py that
  DejaVu Sans (matplotlib's own font, the fallback for Latin, Greek and math symbols) does not have.

Run it again after adding Chinese text with a rare character; tests/test_zh_font.py names such a character.
The family is renamed so that the subset never passes for the full font on a machine that has both.
"""

import argparse
import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.classroom import fonts  # noqa: E402  (the shipped file's name and family live there)

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"
LATIN_AND_SYMBOLS = [
    (0x20, 0x7E), (0xA0, 0xFF),  # Basic Latin, Latin-1
    (0x370, 0x3FF),  # Greek
    (0x2000, 0x206F), (0x2070, 0x209F),  # general punctuation, super- and subscripts
    (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF),  # letterlike symbols, arrows, math operators
    (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x2700, 0x27BF),  # circled numbers, shapes, dingbats (check marks)
]


def gb2312_level1():
    """The 3755 characters of GB2312 level 1 (rows 16-55 of the GB2312 table), decoded by Python's codec."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # row 55 ends at cell 0xF9
    return chars


def course_characters(roots=(ROOT,)):
    """Every character of the Chinese notebooks (sources and outputs), docs/ and helpers/classroom/*.py."""
    chars = set()
    for root in roots:
        for path in sorted((root / "notebooks" / "zh").rglob("*.ipynb")):
            chars |= set(json.dumps(json.load(path.open(encoding="utf-8")), ensure_ascii=False))
        for pattern in ("helpers/classroom/*.py", "docs/**/*.md", "README*.md"):
            for path in sorted(root.glob(pattern)):
                chars |= set(path.read_text(encoding="utf-8"))
    return chars


def pick_sc_face(source):
    """The Simplified Chinese face of a .ttc collection (or the font itself)."""
    if source.suffix.lower() == ".ttc":
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return font
        raise SystemExit(f"{source} has no face named {SOURCE_FAMILY!r}")
    return TTFont(str(source))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="NotoSansCJK-Regular.ttc (fonts-noto-cjk)")
    parser.add_argument("--also", type=Path, nargs="*", default=[],
                        help="other checkouts whose Chinese text to include too (work in progress)")
    args = parser.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} not found: apt-get install fonts-noto-cjk (or pass --source)")
    import matplotlib.font_manager as fm

    dejavu = TTFont(fm.findfont("DejaVu Sans", fallback_to_default=False))
    dejavu_cmap = set(dejavu.getBestCmap())
    font = pick_sc_face(args.source)
    source_cmap = set(font.getBestCmap())

    wanted = {ord(c) for c in gb2312_level1()}
    wanted |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    # Latin, Greek, punctuation and common symbols as well: mathtext draws the plain text of a label that
    # holds $...$ in the first font of font.family only (no fallback), so a Chinese label with a formula
    # needs its spaces, digits and letters in this font too.
    for low, high in LATIN_AND_SYMBOLS:
        wanted |= set(range(low, high + 1))
    base = set(wanted)
    extra = {ord(c) for c in course_characters((ROOT, *args.also))} - dejavu_cmap
    extra = {c for c in extra if c > 0x7F}
    missing = sorted(c for c in extra if c not in source_cmap)
    wanted |= extra
    wanted &= source_cmap

    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence and its URL
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.layout_features = ["vert", "vrt2", "locl"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)

    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 3, 4, 16):
            record.string = fonts.FAMILY if record.nameID in (1, 16) else fonts.FAMILY + " Regular"
        elif record.nameID == 6:
            record.string = fonts.FAMILY.replace(" ", "") + "-Regular"
    target = fonts.FONT_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # the same source and text give the same bytes
    font.save(str(target))
    print(f"{target.relative_to(ROOT)}: {len(font.getBestCmap())} characters, "
          f"{target.stat().st_size / 1e6:.2f} MB ({len((extra - base) & source_cmap)} from the course's text beyond "
          "GB2312 level 1, punctuation and symbols)")
    if missing:
        print("not in the source font either (they stay missing):", "".join(chr(c) for c in missing))


if __name__ == "__main__":
    main()
