"""The gallery's figures in the language of the build: fonts, text, glyph checks.

The examples draw their figures in English, as a user running them sees.
When the Korean edition is built, sphinx-gallery calls :func:`reset_fonts`
before each example and :func:`scraper` after each code block: the scraper
replaces every piece of text in the open figures by its Korean translation
from ``locale/ko/figures.po`` and then saves them with matplotlib's own
scraper. The English build saves them unchanged and writes the texts each example
drew to ``_build/figures/<example>.pot``, the templates that
``locale/update-ko.sh`` merges into that catalogue.

Numbers in a text change from run to run, so a message stands for the text
with each number replaced by ``%1``, ``%2``, ... in order:
``"test accuracy 0.88"`` is the message ``"test accuracy %1"``. A text with
no Latin letter once its numbers are taken out (a tick label, a Korean
word) needs no message. In the Korean build a text with no translation, or a
glyph missing from the fonts, fails the build.
"""

import hashlib
import re
import warnings
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "locale" / "ko" / "figures.po"
TEMPLATES = HERE / "_build" / "figures"
# What the gallery's figures were last drawn in: language and translations.
STAMP = HERE / "_build" / "gallery-language"

# The build's language, set by conf.py when the configuration is read.
LANGUAGE = "en"
NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d+(?:\.\d+)?(?:e[-+\u2212]?\d+)?")
PLACEHOLDER = re.compile(r"%(\d+)")
LATIN = re.compile(r"[A-Za-z]")
HANGUL = re.compile("[\uac00-\ud7a3]")
# The commands of math text (matplotlib's ``\\mathdefault``, ``\\times``):
# not words to translate.
MATH_DEFAULT = re.compile(r"\\[A-Za-z]+")
# matplotlib's warning (its wording before 3.8 said "current font").
GLYPH_MISSING = r"Glyph \d+ .*missing from (current )?font"

_seen = {}  # the English build's figure messages, per example
_table = None  # the Korean build's translations, read once


def _drawn_as(language):
    """The stamp of figures drawn in ``language`` with today's translations."""
    digest = hashlib.sha1()
    for path in (CATALOGUE, Path(__file__)):
        digest.update(path.read_bytes())
    return f"{language} {digest.hexdigest()}"


def must_redraw(language, path=None):
    """Whether the examples must run again to draw their figures in ``language``.

    They must unless the last successful build drew them in that language
    with the same catalogue and code. When they must, the stamp is removed
    at once: a build that fails half-way leaves figures of both languages,
    and the next build then draws them all again.

    Parameters
    ----------
    language : str
        The language of this build.
    path : Path, default=STAMP
        Where the last successful build recorded what it drew.

    Returns
    -------
    bool
    """
    path = STAMP if path is None else path
    drawn = path.read_text().strip() if path.exists() else None
    if drawn == _drawn_as(language):
        return False
    path.unlink(missing_ok=True)
    return True


def stamp(language, path=None):
    """Record that the figures were drawn in ``language`` (after a build)."""
    path = STAMP if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_drawn_as(language) + "\n")


def message_of(text):
    """The message a figure's text stands for, and the numbers it holds."""
    numbers = NUMBER.findall(text)
    parts = NUMBER.split(text)
    message = parts[0] + "".join(f"%{i}{part}" for i, part in enumerate(parts[1:], 1))
    return message, numbers


def needs_message(message):
    """Whether a figure's message has words to translate (a Latin letter)."""
    return bool(LATIN.search(MATH_DEFAULT.sub("", PLACEHOLDER.sub("", message))))


def translate(text, table):
    """``text`` in the catalogue's language, or None when it lacks a message.

    Parameters
    ----------
    text : str
        A text of a figure, numbers included.
    table : dict of str to str
        Messages (numbers as ``%1``, ``%2``, ...) to their translations.

    Returns
    -------
    str or None
        The translation with the numbers put back, ``text`` itself when it
        needs no message, or None when its message has no translation.
    """
    message, numbers = message_of(text)
    if not needs_message(message) or HANGUL.search(text):
        # Nothing to translate, or translated already (an axis shared by
        # two plots has its tick labels translated once).
        return text
    if message not in table:
        return None
    return PLACEHOLDER.sub(lambda m: numbers[int(m.group(1)) - 1], table[message])


def load_catalogue(path=CATALOGUE):
    """The translated messages of a catalogue, as a dict (fuzzy ones left out)."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        catalogue = read_po(f)
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


def korean_font():
    """The path of the Hangul font the Korean figures use (NanumGothic).

    Its bold face lies beside it, as ``NanumGothicBold.ttf``.

    It comes from the ``koreanize-matplotlib`` package (the ``docs``
    extra), which ships the font files; the package itself is not imported,
    as importing it changes matplotlib's settings.
    """
    spec = find_spec("koreanize_matplotlib")
    if spec is None:
        raise RuntimeError(
            "The Korean figures need the NanumGothic font from the "
            "koreanize-matplotlib package: pip install '.[docs]'."
        )
    return (
        Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NanumGothic.ttf"
    )


def reset_fonts(gallery_conf, fname):
    """sphinx-gallery resetter: Hangul from NanumGothic in the Korean build.

    Latin letters, digits and symbols keep matplotlib's DejaVu Sans; Hangul
    falls back to NanumGothic, which DejaVu Sans lacks.
    """
    if LANGUAGE != "ko":
        return
    import matplotlib
    from matplotlib import font_manager

    regular = korean_font()
    known = {font.fname for font in font_manager.fontManager.ttflist}
    for font in (regular, regular.with_name("NanumGothicBold.ttf")):
        if str(font) not in known:
            font_manager.fontManager.addfont(str(font))
    # A list of families, not the generic "sans-serif": matplotlib falls back
    # from font to font only along an explicit list.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]


def _texts(fig):
    """Every text of a figure, tick labels included."""
    from matplotlib.text import Text

    fig.canvas.draw()  # makes the tick labels
    return fig.findobj(Text)


def _translate_figure(fig, table):
    """Put the figure's texts in the table's language; return those missing."""
    from matplotlib.ticker import FixedFormatter, FixedLocator

    missing = []
    fig.canvas.draw()  # makes the tick labels
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # Tick labels with words (categories, named ticks) are made anew
            # at every draw: they are fixed here, where the ticks stand.
            locations = axis.get_ticklocs()
            ticks = axis.get_major_ticks(len(locations))
            labels = [tick.label1.get_text() for tick in ticks]
            if not any(needs_message(message_of(s)[0]) for s in labels):
                continue
            done = [translate(s, table) for s in labels]
            missing += [s for s, t in zip(labels, done) if t is None]
            axis.set_major_locator(FixedLocator(locations))
            axis.set_major_formatter(
                FixedFormatter([t or s for s, t in zip(labels, done)])
            )
    for text in _texts(fig):
        original = text.get_text()
        done = translate(original, table)
        if done is None:
            missing.append(original)
        elif done != original:
            text.set_text(done)
    return list(dict.fromkeys(missing))


def scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery image scraper: matplotlib's, in the build's language.

    A glyph missing from the fonts is an error in either language
    (matplotlib only warns, and would draw an empty box).
    """
    global _table
    import matplotlib.pyplot as plt
    from sphinx_gallery.scrapers import matplotlib_scraper

    figures = [plt.figure(n) for n in plt.get_fignums()]
    if LANGUAGE == "ko":
        if _table is None:
            _table = load_catalogue()
        missing = []
        for fig in figures:
            missing += _translate_figure(fig, _table)
        if missing:
            wanted = sorted({message_of(s)[0] for s in missing})
            raise RuntimeError(
                f"{block_vars['src_file']}: figure texts with no Korean "
                f"translation in {CATALOGUE.relative_to(HERE)}: {wanted}. "
                "Run docs/locale/update-ko.sh after an English build and "
                "translate them."
            )
    else:
        example = Path(block_vars["src_file"]).stem
        seen = _seen.setdefault(example, set())
        for fig in figures:
            for text in _texts(fig):
                message, _ = message_of(text.get_text())
                if needs_message(message):
                    seen.add(message)
        _write_template(example, seen)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        return matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)


def _write_template(example, messages):
    """One example's figure messages, as a gettext template."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalogue = Catalog(project="skbackprop figures")
    for message in sorted(messages):
        catalogue.add(message)
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATES / f"{example}.pot", "wb") as f:
        write_po(f, catalogue, width=76)


CARD = re.compile(
    r'(tooltip=")(?P<tooltip>[^"]*)(">.*?:doc:`/auto_examples/(?P<name>\w+)`.*?'
    r'<div class="sphx-glr-thumbnail-title">)(?P<title>.*?)(</div>)',
    re.S,
)


def _plain(rst):
    """The text a reader sees of a line of reStructuredText (for a tooltip)."""
    rst = re.sub(r"`([^`<]*?)\s*<[^`>]*>`_{1,2}", r"\1", rst)  # links

    def role(match):
        title, target = match.group(1), match.group(2)
        if title is not None:
            return title.strip()
        return target.rsplit(".", 1)[-1] if target.startswith("~") else target

    rst = re.sub(r":[a-z:]+:`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`", role, rst)
    rst = re.sub(r"\\ ", "", rst)
    return rst.replace("``", "").replace("**", "").replace("*", "")


def translate_cards(source, catalogues, examples):
    """The gallery index's example cards in the language of ``catalogues``.

    sphinx-gallery writes each card's title and tooltip as raw HTML, which
    gettext cannot reach: both are taken from the example's own catalogue
    (its title, and its first paragraph for the tooltip).

    Parameters
    ----------
    source : str
        The gallery's generated ``index.rst``.
    catalogues : Path
        The folder of the examples' catalogues (``<name>.po``).
    examples : Path
        The folder of the examples' scripts.

    Returns
    -------
    str
        The index with every card translated.
    """
    from html import escape

    def card(match):
        table = load_catalogue(catalogues / f"{match['name']}.po")
        script = (examples / f"{match['name']}.py").read_text(encoding="utf-8")
        docstring = re.match(r'\s*"""(.*?)"""', script, re.S).group(1)
        blocks = [
            b for b in re.split(r"\n\s*\n", docstring.strip()) if not b.startswith("..")
        ]
        title = next(
            line.strip()
            for line in blocks[0].splitlines()
            if line.strip() and not set(line.strip()) <= set("=-~^*#")
        )
        first = " ".join(blocks[1].split())
        table = {" ".join(k.split()): v for k, v in table.items()}
        if title not in table or first not in table:
            raise KeyError(
                f"{match['name']}.po lacks the translation of the example's "
                "title or first paragraph (the gallery card shows both)"
            )
        return (
            match.group(1)
            + escape(_plain(table[first]), quote=True)
            + match.group(3)
            + escape(table[title], quote=False)
            + match.group(6)
        )

    return CARD.sub(card, source)


RUNNING_TIME = re.compile(
    r"\*\*Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)"
)


def translate_running_time(source):
    """An example page's running time in Korean.

    sphinx-gallery writes it anew at every run, so it cannot be a message of
    the example's catalogue.

    Parameters
    ----------
    source : str
        The example page's generated reStructuredText.

    Returns
    -------
    str
    """
    return RUNNING_TIME.sub(r"**스크립트 전체 실행 시간:** (\1분 \2초)", source)
