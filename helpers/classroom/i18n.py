"""The language of every sentence and label that the classroom layer writes.

A notebook's setup cell calls ``set_language("en")`` or ``set_language("zh")``; the English
notebook and its Chinese twin then differ only in string literals (tests/test_translation_drift.py).
English is the default, and its wording never depends on this module.

    set_language(language)  "en" or "zh"; "zh" also puts the shipped Chinese font (classroom.fonts) first
                            in matplotlib's font.family, "en" takes it out again. Only that rcParam
                            changes, so set_language and use_projector_style() compose in either order.
    get_language()          "en" or "zh"
    text(en, zh)            the wording in the current language; ``en`` and ``zh`` are the same sentence

Words are looked up when a sentence is written (inside the function that prints or draws it), never at
import time, so set_language("zh") after ``import helpers.classroom.explore_gd`` still gives Chinese.
"""

LANGUAGES = ("en", "zh")

_current = "en"


def set_language(language):
    """Use ``language`` ("en" or "zh") for self-check feedback, explorer status lines and figure labels."""
    global _current
    if not isinstance(language, str):
        raise TypeError(f"language must be a string, one of {LANGUAGES}; got {type(language).__name__}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}; got {language!r}")
    from .fonts import use_chinese_font

    use_chinese_font(language == "zh")
    _current = language


def get_language():
    """The language in use: "en" or "zh"."""
    return _current


def text(en, zh):
    """``zh`` when the language is Chinese, else ``en``: the two are one sentence in two languages."""
    if not isinstance(en, str) or not isinstance(zh, str):
        raise TypeError(f"text(en, zh) takes two strings, got {type(en).__name__} and {type(zh).__name__}")
    return zh if _current == "zh" else en
