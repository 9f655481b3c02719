"""The static classroom: the explorer notebooks (notebooks/app/ and notebooks/zh/app/) as Voici pages whose Python
runs in the reader's browser, built into build/site/classroom/ by website/build.py (make site).

voici-core 0.9.0 is a jupyterlite-core 0.6 addon (the lab's pin): `jupyter lite build --apps voici` renders each
notebook it finds, with its stored outputs, into a page that starts a Pyodide kernel and runs the notebook.
The kernel, its wheels and its preload list are the lab's own (make lite's build/src-lite: static/pyodide and
jupyter-lite.json), so the classroom and the lab run the same numpy, matplotlib, ipywidgets and helpers.

What the build then changes in each page, and why:
- the kernel's pyodideUrl: jupyter-lite.json's relative "./static/pyodide/pyodide.js" is copied unchanged into
  each page and would resolve against the page's own folder (404, the kernel never starts): each page gets the
  path from its own folder;
- Voila's lab template links Font Awesome from a CDN (two <link> tags): removed (the pages use no icon font);
- a bar on top: a link back to the book (the notebook the explorers come from, and the book's start), a link to
  the same page in the other language, and a line that says what is loading until the first slider answers;
- links of the prompts to ../NN_x.ipynb point at the book's page of that notebook.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

WEBSITE = Path(__file__).resolve().parent
REPO = WEBSITE.parent
SOURCE = REPO / "build" / "src-classroom"
LITE_SOURCE = REPO / "build" / "src-lite"

WORDS = {
    "en": {"book": "← The book", "notebook": "Notebook {nn} in the book", "other": "中文", "all": "All explorers",
           "loading": "Loading: Python starts in this browser (Pyodide, about 35 MB the first time), then this "
                      "page's explorers are built. The sliders answer when this line turns green.",
           "ready": "Ready: move a slider."},
    "zh": {"book": "← 课程", "notebook": "课程中的笔记本 {nn}", "other": "English", "all": "全部交互探索图",
           "loading": "正在加载：Python 在这个浏览器里启动（Pyodide，第一次约 35 MB），然后构建本页的交互探索图。"
                      "这一行变成绿色时，滑块即可使用。",
           "ready": "已就绪：拖动滑块试试。"},
}


# Voici's pages sit at classroom/voici/render/<lang>/<page>.html; their asset paths are relative to that folder.
PAGE_DEPTH = 3


class BuildError(RuntimeError):
    pass


def log(message):
    print(f"[site] {message}", flush=True)


def app_notebooks(lang):
    folder = REPO / "notebooks" / "app" if lang == "en" else REPO / "notebooks" / "zh" / "app"
    return sorted(folder.glob("*.ipynb"))


def book_notebook(lang, stem):
    """The book page of an app notebook's explorers (explorers_05b -> notebooks/05b_....html)."""
    match = re.fullmatch(r"explorers_(\w+)", stem)
    if not match:
        return None, None
    nn = match.group(1)
    found = sorted((REPO / "notebooks").glob(f"{nn}_*.ipynb"))
    return nn, (f"notebooks/{found[0].stem}.html" if found else None)


def bar(lang, stem, depth):
    words = WORDS[lang]
    up = "../" * depth
    other = "zh" if lang == "en" else "en"
    links = [f'<a href="{up}../{lang}/index.html">{words["book"]}</a>']
    nn, page = book_notebook(lang, stem)
    if page:
        links.append(f'<a class="classroom-notebook" href="{up}../{lang}/{page}">{words["notebook"].format(nn=nn)}</a>')
    if stem != "classroom_explorers":
        links.append(f'<a href="classroom_explorers.html">{words["all"]}</a>')
    links.append(f'<a href="../{other}/{stem}.html" hreflang="{other}" lang="{other}">{words["other"]}</a>')
    style = ("<style>@font-face{font-family:'Course CJK';src:url('" + up + "../zh/_static/fonts/"
             "NotoSansCJKsc-CourseSubset.otf') format('opentype');}"
             # Chromium on Linux gives up before a web font listed after `sans-serif` (measured: boxes), so the
             # course's font comes first where Chinese is shown (its subset has Latin glyphs too)
             + ("body,.jp-RenderedHTMLCommon,.widget-label,.widget-readout,.jp-RenderedHTMLCommon *,"
                ".widget-html-content,.widget-html-content *,.explorer-status,.explorer-status *"
                "{font-family:'Course CJK',system-ui,sans-serif!important}" if lang == "zh" else "")
             # Voici's loading cover (#loading) and its app shell (#main) fill the window: the bar stays on top
             + "#classroom-header{position:fixed;top:0;left:0;right:0;z-index:10000}"
             "#classroom-header,#classroom-header *{font-family:'Course CJK',system-ui,sans-serif!important}"
             "#main{top:var(--classroom-bar,0px)!important;height:calc(100% - var(--classroom-bar,0px))!important}"
             "#loading{padding-top:var(--classroom-bar,0px)}"
             ".classroom-bar{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:.5rem 1rem;border-bottom:1px solid "
             "#ccc;font-size:15px;background:#f7f7f7}"
             ".classroom-status{padding:.4rem 1rem;background:#fff4d6;font-size:15px}"
             ".classroom-status[data-state=ready]{background:#e4f5e4}"
             "img{max-width:100%;height:auto}</style>")
    script = ("<script>(function(){var s=document.getElementById('classroom-status');"
              "var h=document.getElementById('classroom-header');var t0=performance.now();"
              "function fit(){document.documentElement.style.setProperty('--classroom-bar',h.offsetHeight+'px');}"
              "fit();window.addEventListener('resize',fit);"
              "function tick(){var k=document.querySelector('.widget-slider .noUi-handle');"
              "if(k){s.dataset.state='ready';s.textContent="
              + json.dumps(words["ready"]) + ";window.classroomReadyMs=performance.now()-t0;fit();return;}"
              "setTimeout(tick,250);}tick();})();</script>")
    html = (f'{style}<header id="classroom-header"><nav class="classroom-bar" aria-label="course">'
            f'{" · ".join(links)}</nav><div id="classroom-status" class="classroom-status" role="status" '
            f'data-state="loading">{words["loading"]}</div></header>{script}')
    return html


def patch_page(path, lang, depth, book_pages):
    text = path.read_text()
    # 1. each page's own relative path to the kernel
    up = "../" * depth
    text, count = re.subn(r'("pyodideUrl":\s*")\./static/pyodide/pyodide\.js"',
                          rf'\g<1>{up}static/pyodide/pyodide.js"', text)
    if count == 0 and "pyodideUrl" in text:
        raise BuildError(f"{path}: no relative pyodideUrl to fix")
    # 2. no Font Awesome from a CDN
    text = re.sub(r'<link[^>]+(?:cdnjs|cdn\.jsdelivr|unpkg|fontawesome|font-awesome)[^>]*>', "", text)
    # 3. prompts' links to notebooks point at the book
    def book_link(match):
        name = match.group(1)
        return f'href="{up}../{lang}/notebooks/{name}.html"' if name in book_pages else match.group(0)

    text = re.sub(r'href="\.\./([\w]+)\.ipynb"', book_link, text)
    # 4. the bar and the loading line
    text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + bar(lang, path.stem, depth), text, count=1)
    path.write_text(text)


def index_page(out, pages):
    rows = []
    for lang in ("en", "zh"):
        title = {"en": "Classroom explorers (Python in your browser)",
                 "zh": "课堂交互探索图（Python 在浏览器里运行）"}[lang]
        rows.append(f'<h2 lang="{lang}">{title}</h2><ul>')
        for stem in pages[lang]:
            rows.append(f'<li><a href="voici/render/{lang}/{stem}.html">{stem}</a></li>')
        rows.append("</ul>")
    html = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\"><title>Classroom explorers · 课堂交互探索图</title>"
            "<style>@font-face{font-family:'Course CJK';src:url('../zh/_static/fonts/NotoSansCJKsc-CourseSubset.otf')"
            " format('opentype');}body{font-family:'Course CJK',system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
            "padding:0 1rem}</style></head><body><p><a href=\"../index.html\">← Backprop and RMSprop · 反向传播与 "
            "RMSprop</a></p>" + "".join(rows) + "</body></html>")
    (out / "index.html").write_text(html)


def build(out, lite, student):
    t0 = time.monotonic()
    if not (LITE_SOURCE / "static" / "pyodide" / "pyodide-lock.json").exists():
        raise BuildError(f"{LITE_SOURCE} has no Pyodide: run `make lite` first (make site does)")
    shutil.rmtree(SOURCE, ignore_errors=True)
    (SOURCE / "files").mkdir(parents=True)
    shutil.copytree(LITE_SOURCE / "static", SOURCE / "static")
    shutil.copy2(LITE_SOURCE / "jupyter-lite.json", SOURCE / "jupyter-lite.json")
    pages = {}
    for lang in ("en", "zh"):
        (SOURCE / "files" / lang).mkdir()
        pages[lang] = []
        for notebook in app_notebooks(lang):
            shutil.copy2(notebook, SOURCE / "files" / lang / notebook.name)
            pages[lang].append(notebook.stem)
    shutil.rmtree(out, ignore_errors=True)
    log("jupyter lite build --apps voici (classroom)")
    env = dict(os.environ, JUPYTERLITE_NO_LIBARCHIVE="1")
    command = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(SOURCE), "--output-dir",
               str(out), "--apps", "voici", "--no-sourcemaps", "--no-unused-shared-packages"]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=SOURCE, env=env)
    except subprocess.CalledProcessError as error:
        raise BuildError(f"jupyter lite build (voici) failed:\n{error.stdout[-3000:]}{error.stderr[-3000:]}") from error
    book_pages = {p.stem for p in (REPO / "notebooks").glob("*.ipynb")}
    rendered = {}
    for lang in ("en", "zh"):
        for stem in pages[lang]:
            target = out / "voici" / "render" / lang / f"{stem}.html"
            if not target.exists():
                raise BuildError(f"Voici rendered no page for {lang}/{stem}.ipynb")
            patch_page(target, lang, PAGE_DEPTH, book_pages)
            rendered.setdefault(lang, []).append(f"voici/render/{lang}/{stem}.html")
    index_page(out, pages)
    (out / "favicon.ico").write_bytes((lite / "favicon.ico").read_bytes()) if (lite / "favicon.ico").exists() else None
    log(f"classroom: {sum(len(v) for v in rendered.values())} pages in {time.monotonic() - t0:.0f} s")
    return {"pages": rendered, "build_s": round(time.monotonic() - t0, 1)}
