"""The Bengali font the figures and the PDF use, shipped with the package.

Noto Sans Bengali (regular and bold, SIL Open Font License 1.1; licence text in
``reference/fonts/OFL.txt``) lives in ``nsss_analysis/reference/fonts/`` so that a fresh
machine without root has it. :func:`register_fonts` adds it to matplotlib's font
manager; :func:`font_family` is the family list a figure in a language uses; and
:data:`CSS_FONT_STACK` names the fonts Bangla readers have, for the HTML.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.reference.i18n import resolve_language

FONT_DIR = REFERENCE_DIR / "fonts"
#: The font files shipped with the package.
BENGALI_FONT_FILES: tuple[str, ...] = ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf")
BENGALI_FAMILY = "Noto Sans Bengali"
#: The figures' Latin family; DejaVu Sans ships with matplotlib.
LATIN_FAMILY = "DejaVu Sans"
#: The HTML font stack: Noto Sans Bengali (shipped, and Debian's fonts-noto-core),
#: Nirmala UI and Vrinda (Windows), SolaimanLipi and Kalpurush (common in Bangladesh).
CSS_FONT_STACK = (
    '"Noto Sans Bengali", "Nirmala UI", "Vrinda", "SolaimanLipi", "Kalpurush", '
    '"Noto Sans", "DejaVu Sans", Arial, sans-serif'
)


@lru_cache(maxsize=1)
def register_fonts() -> tuple[Path, ...]:
    """Add the shipped Bengali font files to matplotlib (once per process)."""
    paths = tuple(FONT_DIR / name for name in BENGALI_FONT_FILES)
    for path in paths:
        font_manager.fontManager.addfont(str(path))
    return paths


def font_family(language: str | None = None) -> list[str]:
    """The ``font.family`` list for a figure in ``language``: Bangla text is set in
    Noto Sans Bengali with DejaVu Sans after it for Latin letters and symbols the
    Bengali font lacks (matplotlib falls back glyph by glyph along the list)."""
    register_fonts()
    if resolve_language(language) == "bn":
        return [BENGALI_FAMILY, LATIN_FAMILY]
    return [LATIN_FAMILY, BENGALI_FAMILY]


def figure_rc(language: str | None = None) -> dict[str, object]:
    """Matplotlib settings for a figure in ``language`` (``with mpl.rc_context(...)``):
    the font list, and the language for the text shaper. Matplotlib 3.11 lays text out
    with libraqm (HarfBuzz), so Bangla conjuncts, reph and pre-base vowel signs are
    shaped in PNG, SVG and PDF alike (tests/test_fonts.py measures it on glyph ids)."""
    lang = resolve_language(language)
    return {"font.family": font_family(lang), "text.language": lang}
