"""Start and stop JupyterLab and Voila for the browser tests (127.0.0.1, free port, random token).

Both servers serve a *copy* of the repository (see `copy_repo`), so that nothing a browser does
(JupyterLab autosaves, checkpoints, workspaces) can rewrite a stored notebook in the repo.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Directories that are never needed to run a notebook (and some are large).
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "build", ".hypothesis", ".ruff_cache", ".pytest_cache",
                                     "__pycache__", "*.egg-info", ".ipynb_checkpoints")

# JupyterLab user settings for the test: no news or update toast over the page, every cell rendered
# even when off-screen (windowing off), and no autosave (a second guard besides the copy).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port():
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_static(folder, probe, log_path, timeout=30.0):
    """`python -m http.server` on 127.0.0.1 serving `folder`, as any static host would; yields its base URL.

    Waits until `probe` (a path under the folder) answers; the server's output goes to `log_path`.
    """
    port = free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                    "--directory", str(folder)], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/{probe}", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(f"http.server did not serve {folder} on port {port}") from None
                time.sleep(0.2)
        try:
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def copy_repo(destination):
    """Copy the repository (without venv, git, caches) to `destination`; returns its Path."""
    destination = Path(destination)
    shutil.copytree(REPO, destination, ignore=COPY_IGNORE)
    return destination


def _root_flag():
    return ["--allow-root"] if hasattr(os, "getuid") and os.getuid() == 0 else []


class Server:
    """A Jupyter server process in its own process group, with its log in a file."""

    def __init__(self, name, command, env, port, token, log_path):
        self.name, self.port, self.token = name, port, token
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = Path(log_path)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def log_tail(self, n_chars=3000):
        try:
            return self.log_path.read_text(errors="replace")[-n_chars:]
        except OSError:
            return ""

    def wait_until_up(self, path, timeout=60.0):
        """Poll `path` (e.g. /api/status) until the server answers 200; raise with its log if it does not."""
        deadline = time.monotonic() + timeout
        url = f"{self.base_url}{path}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                request = urllib.request.Request(url, headers={"Authorization": f"token {self.token}"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method, path):
        """A JSON request to the server's REST API (token auth); returns the decoded answer or None."""
        request = urllib.request.Request(f"{self.base_url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop(self):
        """Stop the server and its kernels (SIGTERM to its process group, SIGKILL after 10 s)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._log.close()


def start_lab(root_dir, work_dir):
    """JupyterLab on 127.0.0.1 serving `root_dir`, with its settings, workspaces and runtime under `work_dir`."""
    work_dir = Path(work_dir)
    settings_dir = work_dir / "lab-settings"
    for relative, values in LAB_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    (work_dir / "workspaces").mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
               JUPYTER_RUNTIME_DIR=str(work_dir / "runtime"), JUPYTER_CONFIG_DIR=str(work_dir / "config"),
               JUPYTERLAB_WORKSPACES_DIR=str(work_dir / "workspaces"), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.workspaces_dir={work_dir / 'workspaces'}", "--LabApp.expose_app_in_browser=True",
               *_root_flag()]
    server = Server("JupyterLab", command, env, port, token, work_dir / "jupyterlab.log")
    try:
        server.wait_until_up("/api/status")
    except BaseException:
        server.stop()
        raise
    return server


# The classroom page's kernel pool (the same flags as `make app`): Voila starts a kernel per pool slot
# when it starts, runs the notebook in it, and hands a request that pre-rendered page and kernel.
VOILA_POOL_ARGS = ("--preheat_kernel=True", "--pool_size=1")


def wait_until_quiet(pid, deadline, quiet_s=1.0, step_s=0.25):
    """Wait until the child processes of `pid` (the kernels) use no CPU for quiet_s seconds, or the deadline."""
    import psutil

    def cpu_seconds():
        total = 0.0
        for child in psutil.Process(pid).children(recursive=True):
            try:
                times = child.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    last, quiet_since = cpu_seconds(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(step_s)
        now = cpu_seconds()
        if now - last > 0.02:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        last = now


def start_voila(notebook, work_dir, preheat=True, env_extra=None, wait_for_pool=True, timeout=120.0):
    """Voila on 127.0.0.1 serving one notebook (code cells stripped), token auth on.

    preheat: with Voila's own kernel pool (VOILA_POOL_ARGS), as `make app` serves it; then, unless
    wait_for_pool is False, wait until Voila logs that the pool is filled (a teacher starts the server
    before the class opens the page). env_extra: variables for the server and its kernels (PYTHONPATH).
    """
    work_dir = Path(work_dir)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(work_dir / "voila-runtime"),
               JUPYTER_CONFIG_DIR=str(work_dir / "voila-config"), PYTHONUNBUFFERED="1", **(env_extra or {}))
    command = [sys.executable, "-m", "voila", str(notebook), "--no-browser", "--Voila.ip=127.0.0.1",
               f"--port={port}", f"--token={token}", "--Voila.port_retries=0",
               *(VOILA_POOL_ARGS if preheat else ())]
    server = Server("Voila", command, env, port, token, work_dir / "voila.log")
    try:
        server.wait_until_up("/login")  # Voila has no /api/status; its login page answers once it is up
        if preheat and wait_for_pool:
            deadline = time.monotonic() + timeout
            while "Kernel pool of" not in server.log_tail(100_000):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Voila's kernel pool was not filled within {timeout:.0f} s:\n"
                                       f"{server.log_tail()}")
                time.sleep(0.1)
            # "filled" means the kernel started; it then runs the notebook (and the explorers' background
            # threads). Voila reports no end of that (its /api/kernels is closed), so wait until its kernels
            # have used no CPU for a second.
            wait_until_quiet(server.process.pid, deadline)
    except BaseException:
        server.stop()
        raise
    return server
