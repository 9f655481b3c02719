"""The set-up without make, as README.md prints it, replayed on this machine (`make setup-test`).

README.md and README.zh.md print the same two command blocks, each after a marker comment:
`<!-- no-make:unix -->` (macOS/Linux) and `<!-- no-make:windows -->` (PowerShell). The replay:

1. copies the files git tracks (their working-tree text) into a fresh temporary folder: no .venv, no build/;
2. runs the unix block's lines EXACTLY as printed, except the last, with bash from that folder, on a PATH that
   holds only `python3` (a symlink to the Python running this test, 3.11+): no make, no other tool;
3. runs the last line, `.venv/bin/jupyter lab notebooks`, in the background with these flags appended, and
   only these: `--no-browser --port=<a free port> --ServerApp.ip=127.0.0.1 --IdentityProvider.token=<a token>
   --allow-root` (a test opens no browser, must not collide with another server, and may run as root);
4. checks that JupyterLab answers (/api/status), serves the notebooks folder (/api/contents lists
   00_start_here.ipynb), starts a kernel through the REST API that runs code with the copy's `helpers`, and
   that `jupyter nbconvert --execute` of notebooks/00_start_here.ipynb with that venv runs every cell.

The Windows block cannot run here; a test checks that it says the same as the unix block (the same pip
command, the same `jupyter lab notebooks`), only with PowerShell's paths. pip's cache is used (warm on CI's
machine), so the replay takes about a minute. Timings go to build/setup/replay.json.
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
import uuid
from pathlib import Path

import pytest

from tests.browser.servers import COPY_IGNORE, free_port

REPO = Path(__file__).resolve().parents[2]
READMES = [REPO / "README.md", REPO / "README.zh.md"]
MARKER = "<!-- no-make:{} -->"
APPENDED = "--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token} --allow-root"
LAB_LINE = ".venv/bin/jupyter lab notebooks"


def command_block(readme, system):
    """The lines of the fenced block right after the marker comment for `system` ("unix" or "windows")."""
    text = readme.read_text(encoding="utf-8")
    marker = MARKER.format(system)
    assert text.count(marker) == 1, f"{readme.name}: expected the marker {marker} exactly once"
    after = text.split(marker, 1)[1]
    found = re.match(r"\s*```[a-z]*\n(.*?)\n```", after, re.DOTALL)
    assert found, f"{readme.name}: no fenced code block right after {marker}"
    return [line for line in found.group(1).splitlines() if line.strip()]


def test_the_two_readmes_print_the_same_commands():
    for system in ("unix", "windows"):
        english, chinese = (command_block(readme, system) for readme in READMES)
        assert english == chinese, f"the {system} commands of README.md and README.zh.md differ:\n{english}\n{chinese}"


def test_the_windows_commands_match_the_unix_ones():
    unix, windows = command_block(READMES[0], "unix"), command_block(READMES[0], "windows")
    assert len(unix) == len(windows) == 3, (unix, windows)
    assert re.fullmatch(r"python3 -m venv \.venv", unix[0]), unix[0]
    assert re.fullmatch(r"py -3\.1[1-9] -m venv \.venv", windows[0]), windows[0]
    for u, w in zip(unix[1:], windows[1:], strict=True):
        assert u.replace(".venv/bin/", ".venv\\Scripts\\") == w, f"{u!r} and {w!r} differ beyond the paths"
    assert unix[-1] == LAB_LINE, f"the last unix line is {unix[-1]!r}: this test replaces only {LAB_LINE!r}"


def tracked_copy(destination):
    """The files git tracks, as they are in the working tree, copied to destination (a fresh clone's files)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
        paths = [p for p in listed.decode().split("\0") if p and (REPO / p).is_file()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: everything but caches and venvs
        shutil.copytree(REPO, destination, ignore=COPY_IGNORE)
        return
    for path in paths:
        target = destination / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / path, target)


def base_python():
    """The interpreter behind this test's venv (the README's `python3`), which must be 3.11 or newer."""
    python = Path(getattr(sys, "_base_executable", sys.executable))
    assert sys.version_info >= (3, 11), f"the README's commands need Python 3.11+, this is {sys.version}"
    return python


def request(url, token, method="GET", body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def wait_for(what, poll, timeout_s, process=None):
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            result = poll()
            if result:
                return result
        except (urllib.error.URLError, OSError):
            pass
        if process is not None and process.poll() is not None:
            pytest.fail(f"JupyterLab exited (code {process.returncode}) before {what}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s} s waiting for {what}", pytrace=False)
        time.sleep(0.25)


def run_code(port, token, kernel_id, code, timeout_s=60):
    """Run code in a kernel through the server's websocket; returns its stdout and the execute reply status."""
    import websocket  # websocket-client, in requirements.txt

    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels",
                                     header=[f"Authorization: token {token}"], timeout=timeout_s)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                                       "session": uuid.uuid4().hex, "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "channel": "shell",
                            "content": {"code": code, "silent": False, "store_history": False,
                                        "user_expressions": {}, "allow_stdin": False}}))
        stdout, status, deadline = [], None, time.monotonic() + timeout_s
        while status is None and time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "stream":
                stdout.append(message["content"]["text"])
            elif kind == "error":
                stdout.append("\n".join(message["content"]["traceback"]))
            elif kind == "execute_reply":
                status = message["content"]["status"]
        return "".join(stdout), status
    finally:
        ws.close()


def test_readme_commands_without_make(tmp_path):
    commands = command_block(READMES[0], "unix")
    assert commands[-1] == LAB_LINE, commands
    root = tmp_path / "repo"
    root.mkdir()
    tracked_copy(root)
    assert not (root / ".venv").exists() and (root / "requirements.txt").exists()

    # A PATH with python3 only.
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(base_python())
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env.update(PATH=str(tools), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"), IPYTHONDIR=str(tmp_path / "ipython"))
    assert shutil.which("make", path=env["PATH"]) is None, "make is reachable on the replay's PATH"
    assert shutil.which("python3", path=env["PATH"]) == str(tools / "python3")

    t0 = time.monotonic()
    script = "set -e\n" + "\n".join(commands[:-1]) + "\n"
    install = subprocess.run(["/bin/bash", "-c", script], cwd=root, env=env, capture_output=True, text=True,
                             timeout=900)
    t_install = time.monotonic() - t0
    assert install.returncode == 0, (f"the README's commands failed (exit {install.returncode}):\n{script}\n"
                                     f"{install.stdout[-4000:]}\n{install.stderr[-4000:]}")

    port, token = free_port(), uuid.uuid4().hex
    lab_line = f"{commands[-1]} {APPENDED.format(port=port, token=token)}"
    log = open(tmp_path / "lab.log", "wb")  # noqa: SIM115 - closed below
    lab = subprocess.Popen(["/bin/bash", "-c", f"exec {lab_line}"], cwd=root, env=env, stdout=log,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        t1 = time.monotonic()
        status = wait_for("/api/status", lambda: request(f"{base}/api/status", token), 90, lab)
        t_lab = time.monotonic() - t1
        assert "started" in status, status
        listing = request(f"{base}/api/contents", token)
        names = {item["name"] for item in listing["content"]}
        assert "00_start_here.ipynb" in names, f"JupyterLab does not serve notebooks/ at its root: {sorted(names)}"

        kernel = request(f"{base}/api/kernels", token, method="POST", body={"name": "python3"}, timeout=60)
        # The kernel reports "idle" only once a client connects: the websocket is that client.
        out, reply = run_code(port, token, kernel["id"],
                              "import helpers, numpy\nprint(helpers.__file__)\nprint(int(numpy.arange(10).sum()))",
                              timeout_s=90)
        assert reply == "ok" and out.splitlines()[-1] == "45", f"the kernel did not run code: {reply}\n{out}"
        assert str(root) in out, f"the kernel's helpers is not the copy's own (-e .): {out}"
        request(f"{base}/api/kernels/{kernel['id']}", token, method="DELETE")
    finally:
        os.killpg(lab.pid, 15)
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, 9)
            lab.wait()
        log.close()

    t2 = time.monotonic()
    executed = tmp_path / "executed"
    result = subprocess.run([str(root / ".venv" / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                             "--ExecutePreprocessor.timeout=300", "--output-dir", str(executed),
                             "notebooks/00_start_here.ipynb"], cwd=root, env=env, capture_output=True, text=True,
                            timeout=600)
    t_run = time.monotonic() - t2
    assert result.returncode == 0, f"nbconvert --execute 00_start_here failed:\n{result.stderr[-4000:]}"
    cells = json.loads((executed / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c.get("execution_count") for c in code), "not every code cell of 00 ran"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"00_start_here raised: {errors[0].get('ename')}: {errors[0].get('evalue')}"

    timings = {"install_s": round(t_install, 1), "lab_answers_s": round(t_lab, 1), "run_00_s": round(t_run, 1),
               "python": sys.version.split()[0]}
    print(f"\nno-make replay: {timings}")
    report = REPO / "build" / "setup"
    report.mkdir(parents=True, exist_ok=True)
    (report / "replay.json").write_text(json.dumps(timings, indent=2) + "\n")
