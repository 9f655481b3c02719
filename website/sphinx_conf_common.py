"""Sphinx settings shared by both languages of the book (website/build.py writes each language's conf.py,
which imports this). The comments name the trap each setting avoids (docs/site.md; JUPYTER-NOTES)."""

import re

extensions = ["myst_nb"]
master_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "search-words.txt"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme = "sphinx_book_theme"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_prev_next": True,
    # pydata-sphinx-theme asks no other host for anything with these off
    "icon_links": [],
}
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "sbt-sidebar-nav.html"]}

# Stored outputs only: the build never runs a notebook.
nb_execution_mode = "off"
# No require.js and widget manager from a CDN (myst-nb adds them to any page whose notebook holds widget state).
nb_ipywidgets_js = {}
# An explorer cell shows its stored PNG, not an empty widget view.
nb_mime_priority_overrides = [("html", mime, None) for mime in
                              ["application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json"]]
nb_merge_streams = True

myst_enable_extensions = ["dollarmath", "amsmath", "html_image", "colon_fence"]
myst_heading_anchors = 4


def _jupyter_slug(text):
    """JupyterLab's anchors (#Notation, #记号): the heading's text with spaces as hyphens, case kept."""
    return text.strip().replace(" ", "-")


myst_heading_slug_func = _jupyter_slug
suppress_warnings = ["config.cache", "myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]

# MathJax 4 from this site (Sphinx's default is a CDN), and its fonts too (MathJax 4 fetches them from a CDN
# even when it is served locally, unless loader.paths.fonts says where they are).
mathjax_path = "mathjax/mathjax/tex-mml-chtml.js"
mathjax4_config = {
    "loader": {"paths": {"fonts": "[mathjax]/../fonts"}},
    "tex": {"tags": "ams"},
    "options": {"menuOptions": {"settings": {"enrich": False}}},
}


def _search_options(app, config):
    if config.language == "zh":
        # jieba splits compounds a reader types whole (学习率 -> 学习 率): a user dictionary keeps them as words
        # too (cut_for_search still yields their parts).
        config.html_search_options = {"dict": str(app.srcdir / "search-words.txt")}


def _page_context(app, pagename, templatename, context, doctree):
    depth = pagename.count("/")
    root = "../" * depth
    lang = context["course_lang"]
    other = context["other_lang"]
    target = pagename if pagename in context["other_pages"] else "index"
    if pagename in ("search", "genindex"):
        target = pagename
    context["other_url"] = f"{root}../{other}/{target}.html"
    context["lab_url"] = ""
    context["classroom_url"] = ""
    context["binder_url"] = ""
    match = re.fullmatch(r"notebooks/(solutions/)?([^/]+)", pagename)
    if match:
        folder = "notebooks/" if lang == "en" else "notebooks/zh/"
        path = f"{folder}{match.group(1) or ''}{match.group(2)}.ipynb"
        context["lab_url"] = f"{root}../lab/lab/index.html?path={path}"
        repo = context.get("binder_repo") or ""
        found = re.match(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?(?:/tree/([^/]+))?/?$", repo)
        if found:
            org, name, branch = found.group(1), found.group(2), found.group(3) or "HEAD"
            context["binder_url"] = f"https://mybinder.org/v2/gh/{org}/{name}/{branch}?urlpath=lab/tree/{path}"
        explorers = context["classroom"].get(match.group(2))
        if explorers and not match.group(1):
            context["classroom_url"] = f"{root}../classroom/voici/render/{lang}/{explorers}.html"


def setup(app):
    app.connect("config-inited", _search_options)
    app.connect("html-page-context", _page_context)

# Loaded first on every page: the ChineseStemmer that Sphinx 9.0.4's zh search data names (website/search-zh.js).
html_js_files = [("search-zh.js", {"priority": 1})]
