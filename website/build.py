"""Build the course's static site into build/site/ (`make site`; `make site STUDENT=1` for the student build).

One folder that any static host serves, and that needs no other host in the browser:

- en/ and zh/: the book. Every course notebook as a page rendered from its STORED outputs (Sphinx 9 + myst-nb
  with execution off + sphinx-book-theme), the solutions (not in the student build), the teaching guides (not in
  the student build), the glossary and the errata page, in reading order with previous/next links; every page
  links to the same page in the other language, to the notebook in the lab and, where it holds explorers, to
  its static classroom page. Math by MathJax 4 (npm mathjax@4.1.3 + @mathjax/mathjax-newcm-font@4.1.3) served
  from the site; Chinese glyphs from the course's own font subset (helpers/classroom/fonts/, OFL).
- lab/: the offline JupyterLite site of `make lite` (build/lite), copied unchanged.
- classroom/: the explorers as static Voici pages (voici-core 0.9.0) whose Python runs in the reader's browser
  (Pyodide, the lab's own runtime and wheels).

Sources are staged under build/src-site/ (copies: the repo's notebooks are read, never modified or executed).
What a staged copy changes, and why, is listed in stage_notebook(). Pins: requirements-site.txt and NPM below.

Usage: python website/build.py [--out build/site] [--lite build/lite] [--student] [--binder-repo URL]
"""

import argparse
import concurrent.futures
import copy
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

WEBSITE = Path(__file__).resolve().parent
REPO = WEBSITE.parent
BUILD = REPO / "build"
CACHE = Path(os.environ.get("SITE_CACHE") or BUILD / "site-cache").resolve()
SOURCE = BUILD / "src-site"

NPM = {"mathjax": "mathjax@4.1.3", "font": "@mathjax/mathjax-newcm-font@4.1.3"}
# What the pages need of MathJax (the rest of the npm package, e.g. the SVG output and the node builds, is left out)
MATHJAX_KEEP = ["tex-mml-chtml.js", "a11y", "input", "output", "ui", "sre", "adaptors", "LICENSE", "package.json"]
FONT_KEEP = ["chtml", "chtml.js", "package.json"]

LANGS = ("en", "zh")
TITLES = {"en": "Backprop and RMSprop, derived", "zh": "反向传播与 RMSprop：从推导到实现"}
WORDS = {
    "en": {"other": "中文", "other_title": "这一页的中文版", "lab": "Run it in the lab",
           "lab_title": "Open this notebook in JupyterLite: Python runs in your browser, nothing to install",
           "binder": "Run it on Binder", "classroom": "Explorers without code",
           "classroom_title": "This notebook's sliders as a page of their own, running in your browser",
           "course": "The course", "solutions": "Solutions", "guides": "For teachers and readers",
           "search": "Search"},
    "zh": {"other": "English", "other_title": "This page in English", "lab": "在实验室中运行",
           "lab_title": "在 JupyterLite 中打开这个笔记本：Python 在浏览器里运行，无需安装",
           "binder": "在 Binder 上运行", "classroom": "只看滑块（无代码）",
           "classroom_title": "这个笔记本的滑块单独成页，在浏览器里运行",
           "course": "课程", "solutions": "参考答案", "guides": "给教师和读者",
           "search": "搜索"},
}
# The classroom page of each notebook that holds explorers: notebooks/app/explorers_NN.ipynb (and zh twins).
CLASSROOM = {"04_gradient_descent": "explorers_04", "05b_rmsprop_epsilon_and_valleys": "explorers_05b",
             "06_comparison": "explorers_06", "06b_momentum_theory": "explorers_06b",
             "07_minibatch_noise": "explorers_07", "08_saddles_and_the_adam_family": "explorers_08"}
# Words that jieba's dictionary splits but a reader types whole (the search index keeps them as words too).
EXTRA_WORDS = ["学习率", "反向传播", "前向传播", "衰减系数", "梯度下降", "链式法则", "数值稳定项", "有效步长",
               "小批量", "动量法", "稳定性上界", "条件数", "鞍点", "相图", "偏差修正", "均方误差", "交叉熵",
               "指数移动平均", "梯度检验", "有限差分", "误差信号", "激活函数", "计算图", "零初始化"]

MIME_PRIORITY_OFF = ["application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json"]


class BuildError(RuntimeError):
    pass


def log(message):
    print(f"[site] {message}", flush=True)


def run(command, what, **kwargs):
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as error:
        raise BuildError(f"{what}: {command[0]} not found ({error})") from error
    except subprocess.CalledProcessError as error:
        raise BuildError(f"{what} failed (exit {error.returncode}): {' '.join(map(str, command))}\n"
                         f"{(error.stdout or '')[-4000:]}{(error.stderr or '')[-4000:]}") from error


# --- npm ----------------------------------------------------------------------------------------------------

def npm_package(spec):
    """An npm package, packed and unpacked once into the cache; returns its folder."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", spec.lstrip("@"))
    target = CACHE / name
    if (target / "package" / "package.json").exists():
        return target / "package"
    if shutil.which("npm") is None:
        raise BuildError(f"npm is needed to fetch {spec} (Debian: apt-get install npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"npm pack {spec}")
    result = run(["npm", "pack", spec, "--pack-destination", str(CACHE), "--silent"], f"npm pack {spec}")
    tarball = CACHE / result.stdout.strip().splitlines()[-1]
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(tmp, target)
    tarball.unlink()
    version = json.loads((target / "package" / "package.json").read_text())["version"]
    if version != spec.rsplit("@", 1)[1]:
        raise BuildError(f"npm gave {spec.rsplit('@', 1)[0]} {version}, not {spec}")
    return target / "package"


def copy_selected(source, target, keep):
    target.mkdir(parents=True, exist_ok=True)
    for name in keep:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        else:
            shutil.copy2(path, target / name)


# --- staging ------------------------------------------------------------------------------------------------

def course_files(student):
    """{repo path: staged path (relative to a language's source folder)} for each language."""
    files = {}
    for lang in LANGS:
        base = REPO / "notebooks" if lang == "en" else REPO / "notebooks" / "zh"
        docs = REPO / "docs" if lang == "en" else REPO / "docs" / "zh"
        mapping = {}
        for path in sorted(base.glob("*.ipynb")):
            mapping[path.relative_to(REPO).as_posix()] = f"notebooks/{path.name}"
        if not student:
            for path in sorted((base / "solutions").glob("*.ipynb")):
                mapping[path.relative_to(REPO).as_posix()] = f"notebooks/solutions/{path.name}"
            mapping[(docs / "teaching-guide.md").relative_to(REPO).as_posix()] = "docs/teaching-guide.md"
        mapping[(docs / "errata.md").relative_to(REPO).as_posix()] = "docs/errata.md"
        mapping["docs/glossary.md"] = "docs/glossary.md"
        mapping[(docs / "site.md").relative_to(REPO).as_posix()] = "docs/site.md"
        files[lang] = mapping
    return files


def github_slug(text):
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def jupyter_slug(text):
    """JupyterLab's heading anchor (and the site's): the heading's text with spaces as hyphens."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[`*]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.strip().replace(" ", "-")


LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")


def rewrite_links(text, repo_path, staged_path, mapping, other_mapping, anchors, lang):
    """Relative links of a markdown text, resolved as in the repo and pointed at the staged copies:
    a link to a file the build leaves out becomes plain text; one to the other language's page goes there."""
    repo_dir = posixpath.dirname(repo_path)
    staged_dir = posixpath.dirname(staged_path)

    def replace(match):
        bang, label, target = match.groups()
        if bang or re.match(r"^[a-z]+:", target) or target.startswith("/"):
            return match.group(0)
        path, _, anchor = target.partition("#")
        if not path:
            anchor = anchors.get(anchor, anchor)
            return f"[{label}](#{anchor})"
        resolved = posixpath.normpath(posixpath.join(repo_dir, path))
        suffix = f"#{anchor}" if anchor else ""
        if resolved in mapping:
            return f"[{label}]({posixpath.relpath(mapping[resolved], staged_dir or '.')}{suffix})"
        if resolved in other_mapping:
            other = other_mapping[resolved]
            html = re.sub(r"\.(ipynb|md)$", ".html", other)
            depth = staged_path.count("/") + 1
            return f'<a href="{"../" * depth}{OTHER[lang]}/{html}{suffix}">{label}</a>'
        if resolved.startswith(("notebooks/", "docs/")) or resolved.endswith((".ipynb", ".md")):
            return label  # a page the site leaves out (student build): plain text
        return match.group(0)

    return LINK.sub(replace, text)


OTHER = {"en": "zh", "zh": "en"}


def space_display_math(text):
    """A blank line before and after each $$ block, as JupyterLab reads it (myst reads a block glued to the
    text around it differently: the prose after it became one math span, raw \\frac visible)."""
    lines, out, inside = text.split("\n"), [], False
    for index, line in enumerate(lines):
        stripped = line.strip()
        prefix = re.match(r"^(\s*(?:>\s*)*)", line).group(1)
        quote = prefix.rstrip() if ">" in prefix else ""
        opens = stripped.startswith("$$") and not inside
        closes = False
        if opens:
            single = len(stripped) > 4 and stripped.endswith("$$")
            if out and out[-1].strip() not in ("", ">") and out[-1].strip() != quote:
                out.append(quote)
            inside = not single
            closes = single
        elif inside and stripped.endswith("$$"):
            inside, closes = False, True
        out.append(line)
        if closes and index + 1 < len(lines) and lines[index + 1].strip() not in ("", ">"):
            out.append(quote)
    return "\n".join(out)


TITLE_CALL = re.compile(r"""(?:suptitle|set_title|title)\(\s*(f?)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def figure_alt(cell, heading, lang):
    """The text alternative of a cell's figure: the titles its code sets (an f-string's fields shown as …),
    or, where the figure comes from helpers, the status sentence stored as text/plain, or the section's heading."""
    titles = []
    for prefix, literal in TITLE_CALL.findall("".join(cell["source"])):
        body = literal[1:-1].encode().decode("unicode_escape", "ignore") if "\\" in literal else literal[1:-1]
        if prefix:
            body = re.sub(r"\{[^{}]*\}", "…", body)
        body = plain_text(body)
        if body and body not in titles:
            titles.append(body)
    if titles:
        return "; ".join(titles)
    word = "Figure" if lang == "en" else "图"
    return f"{word}: {heading}" if heading else word


GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
         "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "rho": "ρ", "sigma": "σ", "tau": "τ", "nabla": "∇",
         "sqrt": "√", "max": "max", "min": "min", "cdot": "·", "approx": "≈", "le": "≤", "ge": "≥", "to": "→"}


def plain_text(tex):
    """A heading or title without TeX markup, for alt text (\\eta -> η, braces and $ dropped)."""
    text = re.sub(r"\\(left|right)\b", "", tex)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: GREEK.get(m.group(1), m.group(1)), text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text.replace("$", "").replace("{", "").replace("}", "").replace("\\", "")).strip()


def explorer_status(notebook, output):
    """The status sentence an explorer showed when the notebook was stored (its widget state), or None."""
    state = notebook["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get(
        "state", {})
    stack = [output["data"]["application/vnd.jupyter.widget-view+json"].get("model_id")]
    seen = set()
    while stack:
        model = stack.pop()
        if model in seen or model not in state:
            continue
        seen.add(model)
        values = state[model].get("state", {})
        if "explorer-status" in values.get("_dom_classes", []) and values.get("value"):
            return plain_text(values["value"])
        stack.extend(c.removeprefix("IPY_MODEL_") for c in values.get("children", []) if isinstance(c, str))
    return None


def stage_notebook(source, target, lang, repo_path, staged_path, mapping, other_mapping):
    """A copy of the notebook for the book. What it changes:
    - metadata.widgets dropped (no widget manager in the book; ~125 KB less per explorer page);
    - cells tagged self-check get the tag remove-input (their source is not shown, their output is);
    - display math gets blank lines around it; relative links point at the staged copies (or become plain text
      where the build leaves the target out); in-page anchors keep JupyterLab's form;
    - every image output gets alt text (figure_alt) through myst-nb's cell metadata mystnb.image.alt;
    - an explorer cell shows its stored PNG (the widget view is switched off in conf.py), with its stored
      text/plain as the alt text."""
    notebook = json.loads(source.read_text())
    stored = copy.deepcopy(notebook["metadata"])
    notebook["metadata"].pop("widgets", None)
    heading = ""
    figures = 0
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            text = space_display_math(text)
            text = rewrite_links(text, repo_path, staged_path, mapping, other_mapping, {}, lang)
            cell["source"] = text
            found = re.findall(r"^#{1,4}\s+(.+)$", text, flags=re.M)
            if found:
                heading = plain_text(re.sub(r"[`*]", "", found[-1]))
            continue
        if cell["cell_type"] != "code":
            continue
        tags = cell["metadata"].setdefault("tags", [])
        if "self-check" in tags and "remove-input" not in tags:
            tags.append("remove-input")
        has_png = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_png:
            figures += 1
            views = [o for o in cell["outputs"] if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
            alt = figure_alt(cell, heading, lang)
            if views:
                status = explorer_status({"metadata": stored}, views[0])
                word = "Explorer" if lang == "en" else "交互探索图"
                alt = f"{word}: {status}" if status else f"{word}: {heading}"
            cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1))
    return figures


def stage_markdown(source, target, lang, repo_path, staged_path, mapping, other_mapping):
    text = source.read_text()
    headings = re.findall(r"^#{1,6}\s+(.+)$", text, flags=re.M)
    anchors = {github_slug(h): jupyter_slug(h) for h in headings}
    text = space_display_math(text)
    text = rewrite_links(text, repo_path, staged_path, mapping, other_mapping, anchors, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def notebook_title(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), flags=re.M)
            if match:
                return match.group(1).strip()
    return path.stem


def write_index(folder, lang, mapping):
    words = WORDS[lang]
    staged = list(mapping.values())
    course = [s for s in staged if s.startswith("notebooks/") and "/solutions/" not in s]
    solutions = [s for s in staged if "/solutions/" in s]
    docs = [s for s in ["docs/errata.md", "docs/glossary.md", "docs/teaching-guide.md", "docs/site.md"] if s in staged]
    intro = {
        "en": ("A course that derives a small neural network's backpropagation and the RMSprop update, step by "
               "step: every formula written out, mirrored in numpy and checked with a number. Each page is a "
               "notebook as it was last run; the button **Run it in the lab** opens the same notebook in your "
               "browser (JupyterLite: Python runs on your machine, nothing to install). Pages with sliders also "
               "link to a classroom page that shows only the explorers."),
        "zh": ("本课程一步步推导小型神经网络的反向传播和 RMSprop 更新：每个公式都写出来，"
               "用 numpy 实现，并用一个数字验证。每一页都是笔记本最后一次运行的结果；"
               "按钮 **在实验室中运行** 会在你的浏览器里打开同一个笔记本"
               "（JupyterLite：Python 在你的电脑上运行，无需安装）。"
               "带滑块的页面还链接到一个只显示交互探索图的课堂页面。"),
    }[lang]
    parts = [f"# {TITLES[lang]}\n", intro + "\n"]

    def toctree(caption, entries):
        if entries:
            names = "\n".join(re.sub(r"\.(ipynb|md)$", "", e) for e in entries)
            parts.append(f"```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{names}\n```\n")

    toctree(words["course"], course)
    toctree(words["solutions"], solutions)
    toctree(words["guides"], docs)
    (folder / "index.md").write_text("\n".join(parts))


CONF = '''# Written by website/build.py for one language of the book; see that file.
import sys
sys.path.insert(0, {website!r})
from sphinx_conf_common import *  # noqa: F401,F403

language = {lang!r}
project = {title!r}
html_title = {title!r}
html_context = {context!r}
'''


def stage_language(lang, files, student, binder_repo, site_root_name):
    folder = SOURCE / lang
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    mapping, other = files[lang], files[OTHER[lang]]
    figures = 0
    for repo_path, staged_path in mapping.items():
        source = REPO / repo_path
        if not source.exists():
            raise BuildError(f"{repo_path} is missing")
        if repo_path.endswith(".ipynb"):
            figures += stage_notebook(source, folder / staged_path, lang, repo_path, staged_path, mapping, other)
        else:
            stage_markdown(source, folder / staged_path, lang, repo_path, staged_path, mapping, other)
    write_index(folder, lang, mapping)
    static = folder / "_static"
    static.mkdir()
    shutil.copy2(WEBSITE / "course.css", static / "course.css")
    shutil.copy2(WEBSITE / "search-zh.js", static / "search-zh.js")
    fonts = static / "fonts"
    fonts.mkdir()
    for name in ["NotoSansCJKsc-CourseSubset.otf", "OFL.txt"]:
        shutil.copy2(REPO / "helpers" / "classroom" / "fonts" / name, fonts / name)
    shutil.copytree(WEBSITE / "templates", folder / "_templates")
    if lang == "zh":
        (folder / "search-words.txt").write_text("".join(f"{w} 100000\n" for w in EXTRA_WORDS))
    # the other language's pages, so that a page with no twin links to the other book's start instead
    other_pages = sorted(re.sub(r"\.(ipynb|md)$", "", s) for s in other.values()) + ["index"]
    context = {"default_mode": "light", "course_lang": lang, "words": WORDS[lang], "other_lang": OTHER[lang],
               "other_pages": other_pages,
               "classroom": CLASSROOM, "binder_repo": binder_repo or "", "student": student}
    (folder / "conf.py").write_text(CONF.format(website=str(WEBSITE), lang=lang, title=TITLES[lang],
                                                context=context))
    return figures


def sphinx_build(lang, out):
    folder = SOURCE / lang
    log(f"sphinx-build ({lang})")
    result = run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1", "-E", str(folder),
                  str(out / lang)], f"sphinx-build of the {lang} book",
                 env=dict(os.environ, PYTHONHASHSEED="0"))
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    return warnings


def install_mathjax(out):
    mathjax, font = npm_package(NPM["mathjax"]), npm_package(NPM["font"])
    target = out / "_static" / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    copy_selected(mathjax, target / "mathjax", MATHJAX_KEEP)
    copy_selected(font, target / "fonts" / "mathjax-newcm-font", FONT_KEEP)
    shutil.copy2(font / "LICENSE", target / "fonts" / "mathjax-newcm-font" / "LICENSE") \
        if (font / "LICENSE").exists() else None


def prune_lab_for_students(lab):
    """The student build's lab: make lite's site less the solutions (their files and their entries in the
    contents listings). lite/build.py itself is not changed here; once it has a --student flag, make site
    STUDENT=1 can build the lab with it instead and this step finds nothing to remove."""
    removed = []
    for folder in ("notebooks/solutions", "notebooks/zh/solutions"):
        for base in (lab / "files", lab / "api" / "contents"):
            if (base / folder).exists():
                shutil.rmtree(base / folder)
                removed.append(f"{base.name}/{folder}")
    for listing in (lab / "api" / "contents").rglob("all.json"):
        data = json.loads(listing.read_text())
        if isinstance(data, dict) and isinstance(data.get("content"), list):
            kept = [c for c in data["content"] if c.get("name") != "solutions"]
            if len(kept) != len(data["content"]):
                data["content"] = kept
                listing.write_text(json.dumps(data))
    manifest = lab / "lite-manifest.json"
    data = json.loads(manifest.read_text())
    data["notebooks"] = [n for n in data["notebooks"] if "/solutions/" not in n]
    manifest.write_text(json.dumps(data, indent=2) + "\n")
    log(f"student build: the lab without {', '.join(removed) or 'solutions (none found)'}")


def landing_page(out, student):
    html = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backprop and RMSprop · 反向传播与 RMSprop</title>
<style>
@font-face{font-family:"Course CJK";src:url("zh/_static/fonts/NotoSansCJKsc-CourseSubset.otf") format("opentype");}
body{font-family:"Course CJK",system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
a{display:block;font-size:1.25rem;margin:.6rem 0}
</style></head><body>
<h1>Backprop and RMSprop, derived<br><span lang="zh">反向传播与 RMSprop：从推导到实现</span></h1>
<a href="en/index.html">Read the course in English</a>
<a href="zh/index.html" lang="zh">阅读中文版</a>
<a href="lab/lab/index.html?path=notebooks/00_start_here.ipynb">Open the lab (Python in your browser) · 打开实验室</a>
<a href="classroom/index.html">The classroom explorers, without code · 课堂滑块页面</a>
</body></html>
"""
    (out / "index.html").write_text(html)


def folder_size(path):
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def build(out, lite, student, binder_repo, skip_classroom=False):
    t0 = time.monotonic()
    files = course_files(student)
    figures = {}
    for lang in LANGS:
        figures[lang] = stage_language(lang, files, student, binder_repo, out.name)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    warnings = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {lang: pool.submit(sphinx_build, lang, out) for lang in LANGS}
        for lang, future in futures.items():
            warnings[lang] = future.result()
    for lang in LANGS:
        install_mathjax(out / lang)
        for junk in [".buildinfo", ".doctrees", "objects.inv"]:
            path = out / lang / junk
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        shutil.rmtree(out / lang / "_sources", ignore_errors=True)
    shutil.rmtree(out / "jupyter_execute", ignore_errors=True)  # myst-nb's copies of the notebooks (unused)
    t_book = time.monotonic() - t0
    # the lab: make lite's site, copied
    if not (lite / "lite-manifest.json").exists():
        raise BuildError(f"no offline lab at {lite}: run `make lite` first (make site does)")
    shutil.copytree(lite, out / "lab")
    if student:
        prune_lab_for_students(out / "lab")
    classroom = {}
    if not skip_classroom:
        sys.path.insert(0, str(WEBSITE))
        import classroom as classroom_build

        classroom = classroom_build.build(out / "classroom", lite, student)
    landing_page(out, student)
    shutil.copy2(lite / "favicon.ico", out / "favicon.ico")  # asked for by every browser at the root
    size, count = folder_size(out)
    manifest = {"student": student, "languages": list(LANGS), "binder_repo": binder_repo or None,
                "pages": {lang: sorted(re.sub(r"\.(ipynb|md)$", ".html", s) for s in files[lang].values())
                          + ["index.html"] for lang in LANGS},
                "figures": figures, "classroom": classroom, "sphinx_warnings": warnings,
                "npm": NPM, "size_bytes": size, "files": count,
                "sizes_mb": {part.name: round(folder_size(part)[0] / 1e6, 1) for part in sorted(out.iterdir())
                             if part.is_dir()},
                "book_build_s": round(t_book, 1), "build_s": round(time.monotonic() - t0, 1)}
    (out / "site-manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    for lang in LANGS:
        for line in warnings[lang]:
            print(f"[site] sphinx ({lang}): {line}", file=sys.stderr)
    log(f"built {out}: {size / 1e6:.0f} MB in {count} files ({manifest['sizes_mb']}), book {t_book:.0f} s, "
        f"all {manifest['build_s']:.0f} s{' (student build)' if student else ''}")
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "site")
    parser.add_argument("--lite", type=Path, default=BUILD / "lite")
    parser.add_argument("--student", action="store_true", help="leave out the solutions and teaching guides")
    parser.add_argument("--binder-repo", default=os.environ.get("SITE_BINDER_REPO", ""),
                        help="https://github.com/ORG/REPO[/tree/BRANCH]: adds a Binder button (off when empty)")
    parser.add_argument("--no-classroom", action="store_true", help="skip the Voici pages (quick book builds)")
    args = parser.parse_args()
    try:
        build(args.out.resolve(), args.lite.resolve(), args.student, args.binder_repo, args.no_classroom)
    except BuildError as error:
        print(f"\nmake site: the site was not built.\n{error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
