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
from nsss_analysis.reference.i18n import about_language, resolve_language

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
    """The ``font.family`` list for a figure in ``language``: the language's figure font
    (``reference/languages.csv``) first, then the other shipped fonts, so Bangla text is
    set in Noto Sans Bengali with DejaVu Sans after it for Latin letters and symbols the
    Bengali font lacks (matplotlib falls back glyph by glyph along the list)."""
    register_fonts()
    first = about_language(resolve_language(language)).figure_font
    return [first] + [family for family in (LATIN_FAMILY, BENGALI_FAMILY) if family != first]


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


# --- fonts that travel with the page -------------------------------------------------
# A Bangla page names, first in its font stack, fonts it carries itself: the shipped Noto
# Sans Bengali and matplotlib's DejaVu Sans (for Latin letters), each cut down to the
# characters of the page and inlined as a data: URL in an ``@font-face`` rule (the page's
# Content-Security-Policy allows fonts from data: only). The page then looks the same,
# and its PDF prints the same glyphs, on a machine with no Bengali font at all.

#: The family names the inlined fonts go by (not a system font's name, so that the
#: page's own copy is the one used).
PAGE_BENGALI_FAMILY = "NSSS Noto Sans Bengali"
PAGE_LATIN_FAMILY = "NSSS DejaVu Sans"
#: The HTML font stack of a page that carries its fonts.
PAGE_FONT_STACK = f'"{PAGE_BENGALI_FAMILY}", "{PAGE_LATIN_FAMILY}", ' + CSS_FONT_STACK


def latin_font_dir() -> Path:
    """The folder of matplotlib's DejaVu Sans files."""
    import matplotlib  # the DejaVu Sans files ship with matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def page_font_files() -> tuple[tuple[str, str, Path], ...]:
    """(family, CSS weight, file) of each font a Bangla page carries."""
    latin = latin_font_dir()
    return (
        (PAGE_BENGALI_FAMILY, "400", FONT_DIR / BENGALI_FONT_FILES[0]),
        (PAGE_BENGALI_FAMILY, "700", FONT_DIR / BENGALI_FONT_FILES[1]),
        (PAGE_LATIN_FAMILY, "400", latin / "DejaVuSans.ttf"),
        (PAGE_LATIN_FAMILY, "700", latin / "DejaVuSans-Bold.ttf"),
    )


@lru_cache(maxsize=8)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _drawn(text: str) -> set[str]:
    """The characters of ``text`` that need a glyph (not spaces or control characters)."""
    import unicodedata

    return {c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zs")}


#: The characters the page's Latin font carries: Latin letters, general punctuation,
#: arrows, mathematical operators and a few shapes (what the reports print).
LATIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x024F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2190, 0x21FF), (0x2200, 0x22FF),
)


def _carried(path: Path) -> frozenset[int]:
    """The code points the page's copy of ``path`` has: the whole Bengali font; the
    :data:`LATIN_RANGES` of the Latin one."""
    cmap = _cmap(path)
    if path.name.startswith("NotoSansBengali"):
        return cmap
    return frozenset(c for c in cmap if any(lo <= c <= hi for lo, hi in LATIN_RANGES))


def missing_page_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that none of the page's own fonts has (each would print
    as a box on a machine without a font that has it), in code-point order."""
    files = page_font_files()
    have = _carried(files[0][2]) | _carried(files[2][2])
    return sorted((c for c in _drawn(text) if ord(c) not in have), key=ord)


@lru_cache(maxsize=8)
def _font_data_url(path: Path) -> str:
    """The page's copy of ``path`` as a ``data:`` URL: the Bengali font whole, as shipped
    (every layout rule that shapes Bangla: conjuncts, reph, vowel signs), the Latin one
    cut down to :data:`LATIN_RANGES`. Made once per process."""
    import base64
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    if path.name.startswith("NotoSansBengali"):  # the whole font, as shipped
        return "data:font/ttf;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    options = subset.Options()  # outlines and metrics only: Latin text needs no shaping rules
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]  # keep the names and the licence
    options.notdef_outline = True
    font = TTFont(str(path))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=set(_carried(path)))
    import logging

    quiet = logging.getLogger("fontTools.subset")
    level, quiet.level = quiet.level, logging.ERROR  # "FFTM NOT subset": a table of no use here
    try:
        subsetter.subset(font)
    finally:
        quiet.setLevel(level)
    out = io.BytesIO()
    font.save(out)
    return "data:font/ttf;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def page_font_css() -> str:
    """The ``@font-face`` rules of the fonts a Bangla page carries (inlined)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
        f'font-display: block; src: url("{_font_data_url(path)}"); }}'
        for family, weight, path in page_font_files()
    )
