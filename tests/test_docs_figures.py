"""The gallery's figures in Korean: the catalogue of their texts is complete and
keeps each text's numbers, and the translation machinery puts them back."""

import importlib.util
import io
import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "locale" / "ko" / "figures.po"
HANGUL = re.compile("[\uac00-\ud7a3]")


def _module():
    spec = importlib.util.spec_from_file_location(
        "gallery_language", ROOT / "docs" / "gallery_language.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gallery_language = _module()


def _messages():
    with open(CATALOGUE, "rb") as f:
        return [m for m in read_po(f, locale="ko") if m.id]


def test_every_figure_text_is_translated():
    messages = _messages()
    assert len(messages) > 50
    missing = [m.id for m in messages if not m.string or m.fuzzy]
    assert not missing, f"untranslated or fuzzy in figures.po: {missing}"


def test_translations_keep_the_numbers_and_the_math():
    placeholder = gallery_language.PLACEHOLDER
    for m in _messages():
        if not m.string:
            continue
        assert Counter(placeholder.findall(m.string)) == Counter(
            placeholder.findall(m.id)
        ), m.id
        # Math text has no fallback font: Hangul there would be empty boxes.
        for math in re.findall(r"\$[^$]*\$", m.string):
            assert not HANGUL.search(math), m.string


def test_words_are_translated():
    """A text with words gets Korean words, but for code and notation."""
    kept = [m.id for m in _messages() if m.string == m.id]
    for text in kept:
        words = re.findall(r"[A-Za-z]{3,}", gallery_language.MATH_DEFAULT.sub("", text))
        prose = [w for w in words if w.lower() in {"the", "and", "with", "of"}]
        assert not prose, f"figures.po keeps English prose: {text!r}"


@pytest.mark.parametrize(
    "text, message, numbers",
    [
        ("test accuracy 0.88", "test accuracy %1", ["0.88"]),
        (
            "digits, 64-30-10 sigmoid network",
            "digits, %1-%2-%3 sigmoid network",
            ["64", "30", "10"],
        ),
        ("h1\nnet = -0.378", "h1\nnet = %1", ["-0.378"]),
        ("float64, w1, x_2", "float64, w1, x_2", []),
        ("alpha=1e-4", "alpha=%1", ["1e-4"]),
    ],
)
def test_message_of(text, message, numbers):
    assert gallery_language.message_of(text) == (message, numbers)


def test_translate_puts_the_numbers_back():
    table = {"MinMax-scaled to [%1, %2]": "[%1, %2]로 MinMax 스케일 조정"}
    translate = gallery_language.translate
    assert translate("MinMax-scaled to [0, 1]", table) == "[0, 1]로 MinMax 스케일 조정"
    assert translate("0.5", table) == "0.5"  # no words: no message needed
    assert translate("$\\mathdefault{10^{-2}}$", table) == "$\\mathdefault{10^{-2}}$"
    assert translate("validation score", table) is None
    assert translate("같은 설정\nMLP", table) == "같은 설정\nMLP"  # done already


def test_figure_is_translated_and_missing_texts_are_named():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="training loss")
    ax.set_title("test accuracy 0.91")
    ax.set_xticks([0, 1], ["raw", "standardised"])
    ax.legend()
    table = {
        "training loss": "학습 손실",
        "test accuracy %1": "테스트 정확도 %1",
        "raw": "원본",
    }
    try:
        # No Hangul font here (the docs build has one): the glyphs are moot.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=gallery_language.GLYPH_MISSING)
            missing = gallery_language._translate_figure(fig, table)
            fig.canvas.draw()
        assert missing == ["standardised"]
        assert ax.get_title() == "테스트 정확도 0.91"
        assert ax.get_legend().get_texts()[0].get_text() == "학습 손실"
        assert [t.get_text() for t in ax.get_xticklabels()] == ["원본", "standardised"]
    finally:
        plt.close(fig)


def test_a_missing_glyph_fails_the_figure():
    """matplotlib only warns when a font lacks a glyph; the scraper errs."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    fig.text(0.5, 0.5, "학습 손실", family="DejaVu Sans")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=gallery_language.GLYPH_MISSING)
            with pytest.raises(UserWarning, match="missing from font"):
                fig.savefig(io.BytesIO())
    finally:
        plt.close(fig)


def test_cards_are_translated():
    """The gallery index's cards (raw HTML) take the examples' catalogues."""
    index = (
        '<div class="sphx-glr-thumbcontainer" tooltip="old">\n\n'
        ".. only:: html\n\n  :doc:`/auto_examples/plot_xor`\n\n"
        '.. raw:: html\n\n      <div class="sphx-glr-thumbnail-title">XOR</div>\n'
    )
    catalogues = ROOT / "docs" / "locale" / "ko" / "LC_MESSAGES" / "auto_examples"
    done = gallery_language.translate_cards(index, catalogues, ROOT / "examples")
    assert 'tooltip="old"' not in done
    title = re.search(r'thumbnail-title">(.*?)</div>', done).group(1)
    assert HANGUL.search(title)
    tooltip = re.search(r'tooltip="(.*?)"', done).group(1)
    assert HANGUL.search(tooltip)
    # Only text in the tooltip: no roles, literals or emphasis left.
    every = gallery_language.translate_cards(
        (ROOT / "docs" / "auto_examples" / "index.rst").read_text(encoding="utf-8")
        if (ROOT / "docs" / "auto_examples" / "index.rst").exists()
        else index,
        catalogues,
        ROOT / "examples",
    )
    for tooltip in re.findall(r'tooltip="(.*?)"', every):
        assert not re.search(r"[`*<]|&lt;", tooltip), tooltip


def test_the_gallery_is_redrawn_when_the_language_changes(tmp_path):
    """A build redraws the figures unless the last successful one drew them
    in its language with the same translations; deciding to redraw removes
    the stamp, so a build that fails half-way is redrawn next time."""
    path = tmp_path / "gallery-language"
    assert gallery_language.must_redraw("en", path)  # never drawn
    gallery_language.stamp("en", path)
    assert not gallery_language.must_redraw("en", path)
    assert gallery_language.must_redraw("ko", path)
    assert not path.exists()
    assert gallery_language.must_redraw("en", path)  # the ko build failed
    gallery_language.stamp("ko", path)
    path.write_text(path.read_text().replace("ko ", "ko 0"))  # other catalogue
    assert gallery_language.must_redraw("ko", path)


def _scrape(monkeypatch, tmp_path, language, table):
    """Run the scraper on one open figure, as sphinx-gallery would."""
    matplotlib = pytest.importorskip("matplotlib")
    pytest.importorskip("sphinx_gallery")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sphinx_gallery.gen_gallery import DEFAULT_GALLERY_CONF
    from sphinx_gallery.scrapers import ImagePathIterator

    monkeypatch.setattr(gallery_language, "LANGUAGE", language)
    monkeypatch.setattr(gallery_language, "_table", table)
    monkeypatch.setattr(gallery_language, "TEMPLATES", tmp_path / "figures")
    fig, ax = plt.subplots()
    ax.set_title("test accuracy 0.91")
    ax.set_xlabel("epoch")
    block_vars = {
        "src_file": str(tmp_path / "plot_x.py"),
        "image_path_iterator": ImagePathIterator(str(tmp_path / "img_{0:03}.png")),
    }
    gallery_conf = {
        **DEFAULT_GALLERY_CONF,
        "src_dir": str(tmp_path),
        "builder_name": "html",
        "matplotlib_animations": (False, None),
    }
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=gallery_language.GLYPH_MISSING)
            return gallery_language.scraper(None, block_vars, gallery_conf), ax
    finally:
        plt.close("all")


def test_the_scraper_refuses_a_figure_text_with_no_translation(monkeypatch, tmp_path):
    table = {"test accuracy %1": "테스트 정확도 %1"}
    with pytest.raises(RuntimeError, match=r"no Korean translation.*'epoch'"):
        _scrape(monkeypatch, tmp_path, "ko", table)


def test_the_english_scraper_writes_the_figure_messages(monkeypatch, tmp_path):
    _scrape(monkeypatch, tmp_path, "en", None)
    with open(tmp_path / "figures" / "plot_x.pot", "rb") as f:
        ids = {m.id for m in read_po(f) if m.id}
    assert ids == {"test accuracy %1", "epoch"}


def test_labels_on_both_sides_and_matplotlib_numbers():
    """Tick labels drawn twice are translated once; matplotlib's own numbers
    (minor log ticks, the offset text) need no message."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert gallery_language.translate("$\\mathdefault{2\\times10^{-1}}$", {})
    assert gallery_language.translate("1e\u22125", {}) == "1e\u22125"
    fig, ax = plt.subplots()
    ax.set_xticks([0, 1], ["raw", "raw"])
    ax.tick_params(labeltop=True)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=gallery_language.GLYPH_MISSING)
            missing = gallery_language._translate_figure(fig, {"raw": "원본"})
            fig.canvas.draw()
        assert missing == []
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert len(labels) == 4 and set(labels) == {"원본"}
    finally:
        plt.close(fig)


def test_running_time_in_korean():
    line = "   **Total running time of the script:** (0 minutes 2.463 seconds)"
    done = gallery_language.translate_running_time(line)
    assert done == "   **스크립트 전체 실행 시간:** (0분 2.463초)"
