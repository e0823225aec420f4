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
    assert HANGUL.search(re.search(r'tooltip="(.*?)"', done).group(1))
