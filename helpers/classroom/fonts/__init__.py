"""The Chinese font of the classroom layer: a subset of Noto Sans CJK SC, shipped as package data.

NotoSansCJKsc-CourseSubset.otf holds the common Chinese characters (GB2312 level 1), CJK punctuation and
every other character the Chinese notebooks and helpers' Chinese words use; its licence is OFL.txt beside
it (SIL Open Font License 1.1). `tools/make_font.py` (`make font`) regenerates it from Debian's
fonts-noto-cjk. It travels inside the helpers package, so every install path has it: a laptop's pip
install, Binder, Voila, CI and the Pyodide wheel of the JupyterLite site.

    use_chinese_font(True)   register the file with matplotlib (once) and put its family first in
                             rcParams["font.family"], before "sans-serif" (DejaVu Sans)
    use_chinese_font(False)  take it out of font.family again

matplotlib falls back glyph by glyph along font.family (not along font.sans-serif), so the subset holds
only what DejaVu Sans lacks: a Chinese label's digits, Latin and Greek letters and math symbols are drawn
by DejaVu Sans exactly as in the English figures. i18n.set_language calls it; it changes only font.family,
which use_projector_style() does not set, so the two compose in either order.
"""

from pathlib import Path

FAMILY = "Noto Sans CJK SC Course Subset"
FONT_PATH = Path(__file__).with_name("NotoSansCJKsc-CourseSubset.otf")
LICENSE_PATH = Path(__file__).with_name("OFL.txt")

_registered = False


def register():
    """Add the shipped font to matplotlib's font manager (once); returns its family name.

    The subset has one weight, Regular. It is entered for every weight (100-900) as well, so that a bold
    title finds it without matplotlib's "Failed to find font weight bold" log line (which a notebook would
    show as a stderr output); bold Chinese text is then drawn in the regular weight.
    """
    global _registered
    if not _registered:
        import dataclasses

        from matplotlib import font_manager

        manager = font_manager.fontManager
        manager.addfont(str(FONT_PATH))
        regular = next(entry for entry in reversed(manager.ttflist) if entry.name == FAMILY)
        for weight in (100, 200, 300, 500, 600, 700, 800, 900):
            manager.ttflist.append(dataclasses.replace(regular, weight=weight))
        manager._findfont_cached.cache_clear()  # as addfont does: forget lookups made before these entries
        _registered = True
    return FAMILY


def use_chinese_font(on):
    """Put the Chinese font first in rcParams["font.family"] (on=True), or take it out (on=False)."""
    import matplotlib as mpl

    families = [name for name in mpl.rcParams["font.family"] if name != FAMILY]
    if on:
        register()
        families = [FAMILY, *(families or ["sans-serif"])]
    mpl.rcParams["font.family"] = families or ["sans-serif"]
