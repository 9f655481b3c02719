"""The built site as files (no browser): every page the manifest names exists, every internal link and #anchor of
every HTML page resolves, nothing in a page is loaded from another host, MathJax and the Chinese font are the
site's own, self-check cells show no source, figures carry alt text, and the student build (built here into a
temporary folder) leaves out the solutions and the teaching guides with every link still resolving."""

import html
import html.parser
import json
import re
import subprocess
import sys
from urllib.parse import unquote, urlparse

import pytest

from .conftest import REPO, SITE, unavailable

BOOK = ("en", "zh")


class Page(html.parser.HTMLParser):
    """The links, loaded resources, ids and images of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.loads, self.ids, self.images = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical",):
            self.loads.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)


_PARSED = {}


def parse(path):
    if path not in _PARSED:
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        _PARSED[path] = page
    return _PARSED[path]


def book_pages(root):
    return sorted(p for lang in BOOK for p in (root / lang).rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html",))


def classroom_pages(root):
    return sorted((root / "classroom" / "voici" / "render").rglob("*.html"))


def broken_links(root, pages):
    """Every relative href of the pages: the file exists and, with a #fragment on a site page, the id exists."""
    problems = []
    root = root.resolve()
    for path in (p.resolve() for p in pages):
        for href in parse(path).links:
            url = urlparse(href)
            if url.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(url.path)).resolve() if url.path else path.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root.resolve()):
                problems.append(f"{path.relative_to(root)}: {href} leaves the site")
                continue
            if not target.exists():
                problems.append(f"{path.relative_to(root)}: {href} -> missing {target.relative_to(root.resolve())}")
                continue
            fragment = unquote(url.fragment)
            if fragment and target.suffix == ".html" and "lab" not in target.relative_to(root.resolve()).parts:
                ids = parse(target).ids  # nbconvert (Voici) writes ids percent-encoded; a browser matches both
                if fragment not in ids and url.fragment not in ids:
                    problems.append(f"{path.relative_to(root)}: {href} -> no id {fragment!r}")
    return problems


@pytest.fixture(scope="module")
def built(site):
    return SITE


def test_every_page_of_the_manifest_exists(built, site):
    for lang in BOOK:
        for page in site["pages"][lang]:
            assert (built / lang / page).exists(), f"{lang}/{page} is missing"
        notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
        assert [p for p in site["pages"][lang] if re.fullmatch(r"notebooks/[^/]+\.html", p)] == \
            [f"notebooks/{n}.html" for n in notebooks]
        if not site["student"]:
            solutions = sorted((REPO / "notebooks" / "solutions").glob("*.ipynb"))
            for notebook in solutions:
                assert (built / lang / "notebooks" / "solutions" / f"{notebook.stem}.html").exists()
            assert (built / lang / "docs" / "teaching-guide.html").exists()
        for doc in ("errata", "glossary", "site"):
            assert (built / lang / "docs" / f"{doc}.html").exists()
    for lang in BOOK:
        for page in site["classroom"]["pages"][lang]:
            assert (built / "classroom" / page).exists()
    assert (built / "lab" / "lab" / "index.html").exists()


def test_every_internal_link_and_anchor_resolves(built):
    pages = book_pages(built) + classroom_pages(built) + [built / "index.html", built / "classroom" / "index.html"]
    assert len(pages) > 50
    problems = broken_links(built, pages)
    assert not problems, f"{len(problems)} broken links, e.g.:\n" + "\n".join(problems[:30])


def test_nothing_is_loaded_from_another_host(built):
    offenders = []
    for path in book_pages(built) + classroom_pages(built):
        for src in parse(path).loads:
            if urlparse(src).scheme in ("http", "https") or src.startswith("//"):
                offenders.append(f"{path.relative_to(built)}: {src}")
    assert not offenders, "\n".join(offenders[:20])
    conf = (built / "en" / "notebooks" / "05_rmsprop.html").read_text()
    assert "_static/mathjax/mathjax/tex-mml-chtml.js" in conf
    assert "[mathjax]/../fonts" in conf, "MathJax 4 would fetch its fonts from a CDN"
    assert list((built / "en" / "_static" / "mathjax" / "fonts" / "mathjax-newcm-font" / "chtml" / "woff2").glob(
        "*.woff2"))
    assert "require.js" not in conf and "html-manager" not in conf


def test_chinese_pages_serve_the_course_font(built):
    css = (built / "zh" / "_static" / "course.css").read_text()
    assert "@font-face" in css and "NotoSansCJKsc-CourseSubset.otf" in css
    assert (built / "zh" / "_static" / "fonts" / "NotoSansCJKsc-CourseSubset.otf").stat().st_size > 100_000
    assert (built / "zh" / "_static" / "fonts" / "OFL.txt").exists()


def test_figures_have_alt_text_and_self_checks_show_no_source(built):
    empty = []
    for path in book_pages(built):
        for image in parse(path).images:
            if not (image.get("alt") or "").strip() or image.get("alt", "").endswith(".png"):
                empty.append(f"{path.relative_to(built)}: {image.get('src')}")
    assert not empty, f"{len(empty)} images without alt text: {empty[:10]}"
    # Each self-check cell's first line (a comment such as "# self-check: find h ...") is not in the page's text,
    # while the first line of the code cell before it is (so the comparison is real).
    for lang in BOOK:
        folder = REPO / "notebooks" if lang == "en" else REPO / "notebooks" / "zh"
        for name in ("05_rmsprop", "02_gradients_by_hand"):
            text = html.unescape(re.sub(r"<[^>]+>", "", (built / lang / "notebooks" / f"{name}.html").read_text()))
            text = re.sub(r"\s+", " ", text)
            cells = [c for c in json.loads((folder / f"{name}.ipynb").read_text())["cells"] if c["cell_type"] == "code"]
            checks = [i for i, c in enumerate(cells) if "self-check" in c["metadata"].get("tags", [])]
            assert checks, f"{lang}/{name} has no self-check cell"
            for index in checks:
                first = re.sub(r"\s+", " ", "".join(cells[index]["source"]).strip().splitlines()[0])
                assert first not in text, f"{lang}/{name}: a self-check's source is shown: {first!r}"
                shown = [c for c in cells[:index] if "self-check" not in c["metadata"].get("tags", [])
                         and "remove-input" not in c["metadata"].get("tags", [])]
                before = re.sub(r"\s+", " ", "".join(shown[-1]["source"]).strip().splitlines()[0])
                assert before in text, f"{lang}/{name}: the code before a self-check is not shown: {before!r}"


def test_explorer_pages_link_to_their_classroom_page_and_back(built, site):
    for lang in BOOK:
        page = parse(built / lang / "notebooks" / "04_gradient_descent.html")
        assert any("classroom/voici/render" in link and "explorers_04" in link for link in page.links)
        page = parse(built / lang / "notebooks" / "02_gradients_by_hand.html")
        assert not any("classroom/voici/render" in link for link in page.links)
        classroom = parse(built / "classroom" / "voici" / "render" / lang / "explorers_04.html")
        assert any(link.endswith(f"{lang}/notebooks/04_gradient_descent.html") for link in classroom.links)
        other = "zh" if lang == "en" else "en"
        assert any(link.endswith(f"../{other}/notebooks/05_rmsprop.html")
                   for link in parse(built / lang / "notebooks" / "05_rmsprop.html").links)


def test_student_build_leaves_out_solutions_and_guides(site, tmp_path):
    """`make site STUDENT=1`'s book (the lab and classroom are the same in both builds): built here."""
    if not (REPO / "build" / "lite" / "lite-manifest.json").exists():
        unavailable("no build/lite (make lite)")
    python = REPO / ".venv-site" / "bin" / "python"
    if not python.exists():
        unavailable("no .venv-site (make site makes it)")
    out = tmp_path / "student"
    result = subprocess.run([str(python), str(REPO / "website" / "build.py"), "--student", "--no-classroom",
                             "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((out / "site-manifest.json").read_text())
    assert manifest["student"] is True
    for lang in BOOK:
        assert not (out / lang / "notebooks" / "solutions").exists()
        assert not (out / lang / "docs" / "teaching-guide.html").exists()
        assert (out / lang / "notebooks" / "05_rmsprop.html").exists()
        text = "".join(p.read_text() for p in (out / lang).rglob("*.html"))
        assert "teaching-guide.html" not in text
        assert "_solutions.html" not in text
    assert not (out / "lab" / "files" / "notebooks" / "solutions").exists()
    assert not (out / "lab" / "files" / "notebooks" / "zh" / "solutions").exists()
    listing = json.loads((out / "lab" / "api" / "contents" / "notebooks" / "all.json").read_text())
    assert "solutions" not in [entry["name"] for entry in listing["content"]]
    pages = book_pages(out)
    problems = [p for p in broken_links(out, pages) if "classroom/" not in p]
    assert not problems, "\n".join(problems[:30])
    print(f"student build: {manifest['book_build_s']} s", file=sys.stderr)
