"""Fast checks that binder/ says what Binder needs, and has not drifted from requirements.txt."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINDER = REPO / "binder"


def requirement_lines(path):
    """The lines pip acts on (comments and blank lines dropped), in order."""
    lines = []
    for raw in Path(path).read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def test_binder_requirements_equal_the_project_pins():
    ours, binder = requirement_lines(REPO / "requirements.txt"), requirement_lines(BINDER / "requirements.txt")
    only_ours = [line for line in ours if line not in binder]
    only_binder = [line for line in binder if line not in ours]
    assert ours == binder, (f"binder/requirements.txt has drifted from requirements.txt "
                            f"(fix: cp requirements.txt binder/requirements.txt); only in requirements.txt: "
                            f"{only_ours}; only in binder/: {only_binder}")


TEST_TOOLS = ("pytest", "pytest-xdist", "nbval", "hypothesis", "ruff", "playwright", "coverage", "execnet",
              "greenlet", "iniconfig", "pluggy", "sortedcontainers")


def package(line):
    return line.split("==")[0].strip().lower().replace("_", "-")


def test_the_learner_runtime_holds_no_test_or_benchmark_tool():
    # requirements.txt is what `make lab` and Binder install for every student.
    for path in (REPO / "requirements.txt", BINDER / "requirements.txt"):
        tools = [line for line in requirement_lines(path) if package(line) in TEST_TOOLS or package(line) == "torch"]
        assert not tools, f"{path.relative_to(REPO)} installs test/benchmark tools for every learner: {tools}"


def test_the_dev_extra_pins_every_test_tool_exactly_and_repeats_no_runtime_pin():
    dev = requirement_lines(REPO / "requirements-dev.txt")
    runtime = {package(line) for line in requirement_lines(REPO / "requirements.txt") if "==" in line}
    loose = [line for line in dev if "==" not in line]
    assert not loose, f"unpinned lines in requirements-dev.txt: {loose}"
    assert {package(line) for line in dev} == set(TEST_TOOLS), "requirements-dev.txt should pin exactly the test tools"
    assert not runtime & {package(line) for line in dev}, "requirements-dev.txt repeats a pin of requirements.txt"


def test_binder_installs_the_project_itself():
    # repo2docker runs `pip install -r binder/requirements.txt` from the repo root, so "-e ." is the repo.
    assert "-e ." in requirement_lines(BINDER / "requirements.txt")


def test_every_pin_is_exact():
    loose = [line for line in requirement_lines(BINDER / "requirements.txt")
             if not line.startswith("-") and "==" not in line]
    assert not loose, f"unpinned requirements in binder/requirements.txt: {loose}"


def test_runtime_asks_for_the_python_the_pins_were_frozen_on():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_post_build_is_executable_and_stops_on_error():
    post_build = BINDER / "postBuild"
    if not post_build.exists():
        return
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable (chmod +x)"
    lines = post_build.read_text().splitlines()
    assert lines[0].startswith("#!"), "binder/postBuild needs a shebang line"
    commands = [line for line in lines[1:] if line.strip() and not line.lstrip().startswith("#")]
    assert commands[0].startswith("set -e"), "binder/postBuild should start with `set -e` (stop on the first error)"
