"""The Bengali font the figures and the PDF use, shipped with the package.

Noto Sans Bengali (regular and bold, SIL Open Font License 1.1; licence text in
``reference/fonts/OFL.txt``) lives in ``nsss_analysis/reference/fonts/`` so that a fresh
machine without root has it. :func:`register_fonts` adds it to matplotlib's font
manager; :func:`font_family` is the family list a figure in a language uses; and
:data:`CSS_FONT_STACK` names the fonts Bangla readers have, for the HTML;
:func:`missing_glyphs` catches a character no font of a figure has (drawn as a box).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
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


class MissingGlyphWarning(UserWarning):
    """A figure drew a character none of its fonts has: the page shows a box for it.
    The test suite turns this warning into an error (``pyproject.toml``)."""


#: Matplotlib's warning for a character its fonts lack, e.g.
#: ``Glyph 20013 (\N{CJK UNIFIED IDEOGRAPH-4E2D}) missing from font(s) Noto Sans Bengali, DejaVu Sans.``
_GLYPH_WARNING = re.compile(r"Glyph (\d+) \((.*)\) missing from font\(s\) (.*?)\.?$", re.DOTALL)


@contextmanager
def missing_glyphs() -> Iterator[list[str]]:
    """Collect, into the list it yields, each character drawn inside the block that
    none of the fonts has (Matplotlib's "Glyph N missing" warnings, taken out); other
    warnings are passed on as they came."""
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield found
    for w in caught:
        match = _GLYPH_WARNING.match(str(w.message))
        if match:
            char = chr(int(match.group(1)))
            if char not in found:
                found.append(char)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


def warn_missing_glyphs(found: list[str], figure_title: str) -> None:
    """One :class:`MissingGlyphWarning` naming the characters a figure could not draw."""
    if found:
        chars = ", ".join(f"'{c}' U+{ord(c):04X}" for c in found)
        warnings.warn(
            f"figure '{figure_title}': no font has {chars} (drawn as a box)", MissingGlyphWarning, stacklevel=3
        )
