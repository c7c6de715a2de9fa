"""The Bengali font ships with the package (OFL) and matplotlib shapes Bangla with it:
conjuncts as one glyph, pre-base vowel signs moved before their consonant, no
missing-glyph box for any Bangla word the workbench writes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from babel.messages.pofile import read_po
from matplotlib import font_manager
from matplotlib._text_helpers import layout

from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import DOMAIN, LOCALE_DIR
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report.fonts import (
    BENGALI_FAMILY,
    BENGALI_FONT_FILES,
    CSS_FONT_STACK,
    FONT_DIR,
    figure_rc,
    font_family,
    register_fonts,
)


def _font(language: str):
    register_fonts()
    files = font_manager.fontManager._find_fonts_by_props(
        font_manager.FontProperties(family=font_family(language))
    )
    font = font_manager.get_font(files)
    font.set_size(12, 72)
    return font


def _glyphs(text: str, language: str = "bn"):
    return list(layout(text, _font(language), language=language))


def _bangla_texts() -> list[str]:
    with open(LOCALE_DIR / "bn" / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        catalogue = read_po(f)
    texts = []
    for m in catalogue:
        if m.id:
            texts.extend(m.string if isinstance(m.string, tuple) else (m.string,))
    ref = load_reference()
    texts += [m.name_bn for m in ref.ministries if m.name_bn]
    texts += [p.name_bn for p in ref.programmes if p.name_bn]
    texts += [numbers.crore(1258.5, "bn", 1), numbers.percent(0.46, "bn"), "৳ ১২,৩৪,৫৬৭"]
    return texts


def test_font_files_ship_with_their_licence():
    for name in BENGALI_FONT_FILES:
        assert (FONT_DIR / name).stat().st_size > 100_000
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Google" in licence


def test_registered_family_resolves_to_the_shipped_file():
    register_fonts()
    path = font_manager.findfont(font_manager.FontProperties(family=BENGALI_FAMILY), fallback_to_default=False)
    assert path.startswith(str(FONT_DIR))
    bold = font_manager.findfont(
        font_manager.FontProperties(family=BENGALI_FAMILY, weight="bold"), fallback_to_default=False
    )
    assert bold.endswith("NotoSansBengali-Bold.ttf")


def test_a_conjunct_is_shaped_into_one_glyph():
    # ক + ্ + ষ (ksha) is one ligature glyph; unshaped it would be three.
    items = _glyphs("ক্ষ")
    assert len(items) == 1 and items[0].glyph_index != 0


def test_a_pre_base_vowel_sign_is_drawn_before_its_consonant():
    # কি: the vowel sign ি is typed after ক but drawn to its left.
    vowel, consonant = _glyphs("কি")
    font = _font("bn")
    assert vowel.glyph_index == font.get_char_index(ord("ি"))
    assert consonant.glyph_index == font.get_char_index(ord("ক"))
    assert vowel.x < consonant.x


def test_ministry_name_is_shaped_with_fewer_glyphs_than_characters():
    text = "সমাজকল্যাণ মন্ত্রণালয়"
    items = _glyphs(text)
    assert len(items) < len(text) - 4  # ল্য, ন্ত্র and য় are ligatures or combined
    assert all(i.glyph_index != 0 for i in items)


def test_no_bangla_word_the_workbench_writes_has_a_missing_glyph():
    missing = [t for t in _bangla_texts() if any(i.glyph_index == 0 for i in _glyphs(t))]
    assert not missing, missing[:5]


def test_english_figures_keep_dejavu_first_and_bangla_figures_noto_first():
    assert font_family("en")[0] == "DejaVu Sans"
    assert font_family("bn")[0] == BENGALI_FAMILY
    assert figure_rc("bn")["text.language"] == "bn"
    assert CSS_FONT_STACK.startswith('"Noto Sans Bengali"')
    for name in ("Nirmala UI", "Vrinda", "SolaimanLipi", "Kalpurush"):
        assert name in CSS_FONT_STACK


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_a_bangla_figure_renders_in_every_format(tmp_path, fmt):
    with mpl.rc_context(figure_rc("bn")):
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.barh(["জেন্ডার-সংবেদনশীল", "জেন্ডার-রূপান্তরমূলক"], [3, 5])
        ax.set_title("সমাজকল্যাণ মন্ত্রণালয়")
        ax.set_xlabel("কর্মসূচি")
        fig.savefig(tmp_path / f"figure.{fmt}")
        if fmt == "png":
            fig.canvas.draw()
            ink = np.asarray(fig.canvas.buffer_rgba())[..., :3].min(axis=2) < 128
            assert ink.sum() > 500
        plt.close(fig)
    data = (tmp_path / f"figure.{fmt}").read_bytes()
    if fmt == "pdf":
        assert b"NotoSansBengali" in data  # the font is embedded
