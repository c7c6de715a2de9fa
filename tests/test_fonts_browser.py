"""Bangla figures against the browser: matplotlib's shaped text is as wide as
Chromium's for the same words and font (both shape with HarfBuzz), and a test page
shows an English and a Bangla figure side by side (kept as ``fonts-page.png``)."""

from __future__ import annotations

import html
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import LEVEL_NAMES
from nsss_analysis.reference.i18n import translator
from nsss_analysis.report.fonts import (
    BENGALI_FONT_FILES,
    CSS_FONT_STACK,
    FONT_DIR,
    figure_rc,
)
from tests.support.browser import CHROMIUM, chromium

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]

WORDS = [
    "সমাজকল্যাণ মন্ত্রণালয়",
    "নারী ও কন্যাশিশুর ক্ষমতায়ন",
    "লিঙ্গ-বিভাজিত তথ্য",
    "জেন্ডার-রূপান্তরমূলক",
    "কর্মসূচি",
    "লক্ষ্যগোষ্ঠী",
]
#: Text size in pixels for the comparison (matplotlib at 72 dpi: points = pixels).
SIZE = 40
#: Widths may differ by hinting and rounding; unshaped text differs by far more.
TOLERANCE = 0.03


def _matplotlib_width(text: str) -> float:
    with mpl.rc_context({**figure_rc("bn"), "figure.dpi": 72}):
        fig = plt.figure(figsize=(20, 2), dpi=72)
        t = fig.text(0, 0.5, text, size=SIZE)
        fig.canvas.draw()
        width = t.get_window_extent().width
        plt.close(fig)
    return width


def _browser_widths(tmp_path) -> list[float]:
    font = (FONT_DIR / BENGALI_FONT_FILES[0]).as_uri()
    spans = "".join(f'<div><span class="w">{html.escape(w)}</span></div>' for w in WORDS)
    page = tmp_path / "widths.html"
    page.write_text(
        f"""<!doctype html><meta charset="utf-8"><style>
        @font-face {{ font-family: "Shipped Bengali"; src: url("{font}"); }}
        span {{ font-family: "Shipped Bengali"; font-size: {SIZE}px; white-space: pre; }}
        </style>{spans}<pre id="out"></pre><script>
        document.fonts.ready.then(() => {{
          document.getElementById("out").textContent = [...document.querySelectorAll(".w")]
            .map(s => "W=" + s.getBoundingClientRect().width).join(" ");
        }});</script>""",
        encoding="utf-8",
    )
    dom = chromium(["--virtual-time-budget=5000", "--dump-dom", page.as_uri()], tmp_path / "profile-w")
    return [float(w) for w in re.findall(r"W=([\d.]+)", dom)]


def test_matplotlib_shapes_bangla_as_wide_as_chromium(tmp_path):
    browser = _browser_widths(tmp_path)
    assert len(browser) == len(WORDS)
    for word, theirs in zip(WORDS, browser):
        ours = _matplotlib_width(word)
        assert abs(ours - theirs) / theirs < TOLERANCE, (word, ours, theirs)


def test_a_page_shows_the_english_and_the_bangla_figure(tmp_path, request):
    paths = {}
    for language in ("en", "bn"):
        _ = translator(language)
        levels = [_(name) for name in LEVEL_NAMES.values()]
        with mpl.rc_context(figure_rc(language)):
            fig, ax = plt.subplots(figsize=(6, 2.6), dpi=100)
            ax.barh(levels, [2, 5, 7, 3, 1], color="#4a6fa5")
            ax.set_title(_("Gender integration level"))
            ax.set_xlabel(_("Programmes"))
            ax.set_xticks(range(0, 8, 2), [numbers.count(v, language) for v in range(0, 8, 2)])
            fig.tight_layout()
            paths[language] = tmp_path / f"levels-{language}.svg"
            fig.savefig(paths[language])
            plt.close(fig)
    page = tmp_path / "page.html"
    page.write_text(
        f"""<!doctype html><meta charset="utf-8"><style>body {{ font-family: {CSS_FONT_STACK}; }}</style>
        <h2>English</h2><img src="{paths['en'].name}"><h2>বাংলা</h2><img src="{paths['bn'].name}">
        <p>{html.escape(translator('bn')('Takes no account of the different needs of women and men.'))}</p>""",
        encoding="utf-8",
    )
    shot = tmp_path / "fonts-page.png"
    chromium([f"--screenshot={shot}", "--window-size=700,720", page.as_uri()], tmp_path / "profile-p")
    assert shot.stat().st_size > 10_000
    bangla_svg = paths["bn"].read_text(encoding="utf-8")
    assert "<text" not in bangla_svg  # glyphs as paths: shaped by matplotlib, no font needed
