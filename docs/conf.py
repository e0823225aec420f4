"""Sphinx configuration of the skbackprop documentation.

The build is offline: no intersphinx, no remote images, nothing fetched.
"""

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, os.path.abspath(".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gallery_language  # noqa: E402

import skbackprop  # noqa: E402

project = "skbackprop"
author = "The skbackprop developers"
copyright = "2025, The skbackprop developers"
version = release = skbackprop.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # Serves MathJax from the built site's _static/mathjax (no CDN), so the
    # equations render offline.
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = []
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
root_doc = "index"
default_role = "literal"

# API pages are written by hand in api.rst: no stub files are generated.
autosummary_generate = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"
# Short names in signatures and in the page's table of contents:
# "BackpropClassifier.fit" rather than "skbackprop.BackpropClassifier.fit",
# "fit()" under its class, so the side bar shows them whole.
add_module_names = False
toc_object_entries_show_parents = "hide"

# numpydoc: members are listed with autodoc's :members: in api.rst, so the
# class member tables of numpydoc would only duplicate them.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Example gallery --------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    # matplotlib's scraper and resetter, with the figures' text and fonts in
    # the language of the build (docs/gallery_language.py).
    "image_scrapers": ("gallery_language.scraper",),
    "reset_modules": ("matplotlib", "gallery_language.reset_fonts"),
    "abort_on_example_error": True,
    "show_memory": False,
    # The computation-times page loads jQuery and DataTables from a CDN.
    "write_computation_times": False,
    "plot_gallery": "True",
    "capture_repr": ("_repr_html_", "__repr__"),
}

# HTML -----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skbackprop {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
# The section navigation is empty on pages with no sub-pages: no left side
# bar there (the gallery's pages keep theirs, listing the examples).
# Every page at the top of docs/ is one without sub-pages.
html_sidebars = {
    page.stem: [] for page in Path(__file__).resolve().parent.glob("*.rst")
}

# Translations -----------------------------------------------------------------
# The Korean edition of every page but the API reference is built with
# ``-D language=ko`` into docs/_build/html/ko. The catalogues are the .po files
# in docs/locale/ko/LC_MESSAGES (one per page); Sphinx compiles them to .mo at
# build time. The gallery runs again in the Korean build, its figures' text
# translated from docs/locale/ko/figures.po (docs/gallery_language.py).
locale_dirs = ["locale/"]
gettext_compact = False  # one catalogue per page
gettext_uuid = False
gettext_location = False  # no source line numbers: smaller, stabler diffs
gettext_last_translator = "skbackprop developers"
gettext_language_team = "Korean"

_LOCALE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
_CATALOGUES = os.path.join(_LOCALE, "ko", "LC_MESSAGES")
# Pages with a Korean catalogue link to their counterpart in the other language
# (the front page does so in its text; sphinx.po holds the theme's labels).
_TRANSLATED = {
    os.path.splitext(os.path.relpath(os.path.join(folder, name), _CATALOGUES))[0]
    for folder, _, names in os.walk(_CATALOGUES)
    for name in names
    if name.endswith(".po")
} - {root_doc, "sphinx", "api"}


def _language_link(app, pagename, templatename, context, doctree):
    """Put a link to the same page in the other language atop a translated page."""
    if pagename not in _TRANSLATED or "body" not in context:
        return
    up = "../" * pagename.count("/")
    if app.config.language == "ko":
        href, label, lang = f"{up}../{pagename}.html", "English", "en"
    else:
        href, label, lang = f"{up}ko/{pagename}.html", "한국어", "ko"
    link = (
        f'<p class="language-link" style="text-align: right">'
        f'<a href="{href}" hreflang="{lang}" lang="{lang}">{label}</a></p>\n'
    )
    context["body"] = link + context["body"]


def _korean_style(app, config):
    """Korean pages break lines between words, not inside them.

    The Korean build also sets the tag ``ko``, for the few blocks that only
    one language shows (``.. only:: ko``): the tutorial's pseudocode.
    """
    if config.language == "ko":
        app.tags.add("ko")
        # The theme prints this option as it is (it is not a message).
        config.html_theme_options["search_bar_text"] = "문서 검색..."
        config.html_static_path.append(os.path.join(_LOCALE, "_static"))
        app.add_css_file("korean.css")


def _gallery_language(app, config):
    """Draw the figures in the build's language.

    The gallery's output (docs/auto_examples) is shared by both builds: the
    examples run again unless their figures were last drawn in this language
    with the same translations (docs/gallery_language.py keeps the stamp).
    """
    language = config.language or "en"
    gallery_language.LANGUAGE = language
    if str(config.plot_gallery).lower() in ("0", "false"):
        # The examples' pages are written without their figures: the next
        # build that runs the gallery draws them all again.
        gallery_language.STAMP.unlink(missing_ok=True)
    elif gallery_language.must_redraw(language):
        config.sphinx_gallery_conf["run_stale_examples"] = True


def _stamp_gallery(app, exception):
    """Record the language the figures were drawn in, once a build succeeds."""
    drawn = app.builder.name == "html" and app.config.sphinx_gallery_conf.get(
        "plot_gallery"
    )
    if exception is None and drawn:
        gallery_language.stamp(gallery_language.LANGUAGE)


def _translate_gallery(app, docname, source):
    """What gettext cannot reach on the gallery's pages, in Korean: the cards
    of the index (raw HTML) and each example's running time."""
    if app.config.language != "ko" or not docname.startswith("auto_examples/"):
        return
    source[0] = gallery_language.translate_running_time(source[0])
    if docname == "auto_examples/index":
        for catalogue in (Path(_CATALOGUES) / "auto_examples").glob("*.po"):
            app.env.note_dependency(str(catalogue))
        source[0] = gallery_language.translate_cards(
            source[0],
            Path(_CATALOGUES) / "auto_examples",
            Path(app.srcdir) / "../examples",
        )


def setup(app):
    app.connect("config-inited", _korean_style)
    app.connect("config-inited", _gallery_language)
    app.connect("source-read", _translate_gallery)
    app.connect("build-finished", _stamp_gallery)
    app.connect("html-page-context", _language_link)
