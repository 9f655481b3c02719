"""Binder's install path, replayed without docker.

1. repo2docker (in a throwaway venv) prints the Dockerfile it would build (`--no-build --debug`); we
   check its plan: Python 3.11, `pip install -r binder/requirements.txt` run after the whole repo is
   copied in (so `-e .` finds the project), then binder/postBuild.
2. We run that plan's commands ourselves: a fresh Python 3.11 venv, the same pip command from the root
   of a copy of the repo, postBuild, then nbval on every notebook with that venv's own kernel.
What is not replayed: repo2docker's base conda environment (JupyterHub's single-user server and
friends), which the image has before our requirements are installed on top.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.servers import COPY_IGNORE, free_port

REPO = Path(__file__).resolve().parents[2]
REPO2DOCKER = "jupyter-repo2docker==2026.4.0"
PYTHON = "3.11"
NBVAL_TIMEOUT_S = 900


def in_ci():
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason):
    if in_ci():
        pytest.fail(f"Binder replay cannot run: {reason}", pytrace=False)
    pytest.skip(f"Binder replay skipped: {reason} (it must run with CI=true)")


def run(command, timeout, **kwargs):
    """Run a command; on failure, fail the test with its output."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(map(str, command))}` exited with {result.returncode}:\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}", pytrace=False)
    return result


def python_311():
    """An interpreter of the version binder/runtime.txt names (a venv does not read runtime.txt)."""
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which(f"python{PYTHON}")
    if found is None:
        unavailable(f"no python{PYTHON} on PATH, the version binder/runtime.txt asks for")
    return found


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """The repo as repo2docker sees it (a checkout without venv, caches or build output)."""
    root = tmp_path_factory.mktemp("binder") / "repo"
    shutil.copytree(REPO, root, ignore=COPY_IGNORE)
    return root


@pytest.fixture(scope="module")
def build_plan(repo_copy, tmp_path_factory):
    """repo2docker's Dockerfile for this repo (stdout) and its log (stderr), printed without docker."""
    venv = tmp_path_factory.mktemp("r2d") / "venv"
    run([python_311(), "-m", "venv", str(venv)], timeout=120)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", REPO2DOCKER],
                             capture_output=True, text=True, timeout=300)
    if install.returncode != 0:
        unavailable(f"could not install {REPO2DOCKER} into a throwaway venv:\n{install.stderr[-2000:]}")
    result = run([str(venv / "bin" / "repo2docker"), "--no-build", "--no-run", "--debug", str(repo_copy)],
                 timeout=300, cwd=repo_copy.parent)
    return result.stdout, result.stderr


def test_repo2docker_plan(build_plan):
    dockerfile, log = build_plan
    assert f"python={PYTHON}" in log, f"repo2docker did not pick Python {PYTHON} (runtime.txt):\n{log[-2000:]}"
    repo_copied = re.search(r"^COPY .*src/ \$\{REPO_DIR\}/", dockerfile, re.MULTILINE)
    pip_line = re.search(r'^RUN \$\{KERNEL_PYTHON_PREFIX\}/bin/pip install --no-cache-dir -r "binder/requirements.txt"',
                         dockerfile, re.MULTILINE)
    assert repo_copied and pip_line, f"unexpected plan:\n{dockerfile}"
    # `-e .` is a local reference: repo2docker installs after copying the whole repo, from its root.
    assert repo_copied.start() < pip_line.start(), "requirements installed before the repo was copied in"
    assert re.search(r"^WORKDIR \$\{REPO_DIR\}", dockerfile, re.MULTILINE)
    if (REPO / "binder" / "postBuild").exists():
        post_build = re.search(r"^RUN .*binder/postBuild", dockerfile, re.MULTILINE)
        assert post_build and post_build.start() > pip_line.start(), "postBuild is not run after the install"


class LabFromVenv:
    """JupyterLab started from the Binder venv (the image's `jupyter lab`), for GET requests."""

    def __init__(self, venv, root):
        self.port, self.token = free_port(), "binder-replay"
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root.parent / "jupyter-config"),
                   JUPYTER_RUNTIME_DIR=str(root.parent / "jupyter-runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(root.parent / "lab-user-settings"))
        root_flag = ["--allow-root"] if os.getuid() == 0 else []
        self.process = subprocess.Popen(
            [str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={root}", *root_flag],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def get(self, path, timeout_s=60):
        """The body of GET path (token auth), retried until the server is up."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"Authorization": f"token {self.token}"})
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(request, timeout=timeout_s) as response:
                    return response.read().decode()
            except urllib.error.HTTPError:
                raise
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.25)

    def setting_defaults(self, plugin):
        """The default of each setting of a JupyterLab plugin, with overrides.json applied."""
        schema = json.loads(self.get(f"/lab/api/settings/{plugin}"))["schema"]
        return {name: spec.get("default") for name, spec in schema["properties"].items()}

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def check_running_image(venv, repo_copy):
    """What a Binder user meets: news toast off (postBuild), and the Voila URL of the classroom app works."""
    lab = LabFromVenv(venv, repo_copy)
    try:
        if (repo_copy / "binder" / "postBuild").exists():
            notification = lab.setting_defaults("@jupyterlab/apputils-extension:notification")
            assert notification.get("fetchNews") == "false", f"postBuild did not switch the news off: {notification}"
        # mybinder.org/v2/gh/ORG/REPO/main?urlpath=voila/render/notebooks/app/classroom_explorers.ipynb
        page = lab.get("/voila/render/notebooks/app/classroom_explorers.ipynb", timeout_s=120)
        assert page.count("application/vnd.jupyter.widget-view+json") >= 3 and "Traceback" not in page, (
            "Voila's Binder URL did not render the app's explorers")
        # The Chinese page (README.zh.md's Binder link): its explorers and its Chinese words, no glyph warning.
        page = lab.get("/voila/render/notebooks/zh/app/classroom_explorers.ipynb", timeout_s=120)
        assert page.count("application/vnd.jupyter.widget-view+json") >= 3 and "Traceback" not in page, (
            "Voila's Binder URL did not render the Chinese app's explorers")
        assert "发散" in page and "missing from font" not in page, "the Chinese app page is not in Chinese"
    finally:
        lab.stop()


def test_binder_install_then_nbval(build_plan, repo_copy, tmp_path_factory):
    dockerfile, _ = build_plan
    venv = tmp_path_factory.mktemp("kernel-env") / "venv"
    t0 = time.monotonic()
    run([python_311(), "-m", "venv", str(venv)], timeout=120)
    # The plan's own command, with the venv as ${KERNEL_PYTHON_PREFIX}. --no-cache-dir is dropped on
    # purpose: pip's cache keeps this replay at ~40 s instead of downloading every wheel again.
    command = re.search(r'^RUN \$\{KERNEL_PYTHON_PREFIX\}/bin/pip (install .*)$', dockerfile, re.MULTILINE).group(1)
    args = [a.strip('"') for a in command.split() if a != "--no-cache-dir"]
    run([str(venv / "bin" / "pip"), *args, "--quiet", "--disable-pip-version-check"], timeout=900, cwd=repo_copy)
    t_install = time.monotonic() - t0

    post_build = repo_copy / "binder" / "postBuild"
    if post_build.exists():
        env = dict(os.environ, NB_PYTHON_PREFIX=str(venv), PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
        run([str(post_build)], timeout=120, cwd=repo_copy, env=env)
    check_running_image(venv, repo_copy)
    # A learner's Binder has no test tools; nbval comes on top here, from the pinned dev extra.
    learner_has = run([str(venv / "bin" / "python"), "-c", "import importlib.util as u; "
                       "print([m for m in ('pytest', 'nbval', 'playwright', 'hypothesis') if u.find_spec(m)])"],
                      timeout=60).stdout.strip()
    assert learner_has == "[]", f"Binder's install brings test tools to every learner: {learner_has}"
    run([str(venv / "bin" / "pip"), "install", "-r", "requirements-dev.txt", "--quiet", "--disable-pip-version-check"],
        timeout=900, cwd=repo_copy)

    # The kernel is this venv's own: nbval --nbval-current-env run by the venv's python.
    t1 = time.monotonic()
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", "--nbval",
                             "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                             "-n", "2", "--dist", "loadfile", "-q", "notebooks"],
                            capture_output=True, text=True, timeout=NBVAL_TIMEOUT_S, cwd=repo_copy)
    t_nbval = time.monotonic() - t1
    print(f"\nBinder replay: install {t_install:.0f} s, nbval {t_nbval:.0f} s")
    report = Path(REPO / "build" / "binder")
    report.mkdir(parents=True, exist_ok=True)
    (report / "replay.json").write_text(json.dumps({"install_s": round(t_install, 1), "nbval_s": round(t_nbval, 1),
                                                    "nbval_summary": result.stdout.strip().splitlines()[-1:]},
                                                   indent=2) + "\n")
    assert result.returncode == 0, f"nbval in the Binder venv failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    imported = run([str(venv / "bin" / "python"), "-c", "import helpers, sys; print(helpers.__file__)"],
                   timeout=60, cwd="/")
    assert str(repo_copy) in imported.stdout, f"helpers is not the repo's own (-e .): {imported.stdout}"
