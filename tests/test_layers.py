"""The numpy core never imports the classroom layer (figures, explorers, self-checks, words)."""

import ast
import pathlib

HELPERS = pathlib.Path(__file__).resolve().parents[1] / "helpers"
CORE = sorted(p for p in HELPERS.glob("*.py"))


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_the_core_has_modules():
    assert len(CORE) >= 10, [p.name for p in CORE]


def test_no_core_module_imports_the_classroom_layer():
    offenders = {
        path.name: name
        for path in CORE
        for name in imported_modules(path)
        if "classroom" in name.split(".") or name.startswith(".classroom")
        or name.endswith(("matplotlib", "ipywidgets")) or name.startswith(("matplotlib", "ipywidgets"))
    }
    assert offenders == {}, f"the numpy core must not import the classroom layer or plotting: {offenders}"
