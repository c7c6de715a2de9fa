"""Text folding shared by every reader: one messy cell as clean text, and the keys
used to match it against the reference data (Bangla digits as ASCII, case and
punctuation folded)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from nsss_analysis.reference.vocab import INVISIBLE, normalise_key

_BANGLA_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


_INVISIBLE = INVISIBLE  # every format character (Cf: ZWJ, LRM, RLM, BOM ...) and the zero-width space


_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


def bangla_digits_to_ascii(text: str) -> str:
    """Replace Bangla digits by ASCII digits.

    >>> bangla_digits_to_ascii("২০২০-২১")
    '2020-21'
    """
    return str(text).translate(_BANGLA_DIGITS)


def clean_text(value: object) -> str | None:
    """The cell as text: NFC, trimmed, inner whitespace (NBSP, new lines) folded to
    one space; ``None`` when blank. Whole floats lose their ``.0``.

    >>> clean_text("  Old\\u00a0Age \\n Allowance ")
    'Old Age Allowance'
    >>> clean_text("   ") is None, clean_text(2020.0)
    (True, '2020')
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def text_lines(value: object) -> str | None:
    """Like :func:`clean_text` but keeps line breaks (list cells split on them)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    lines = [_SPACES.sub(" ", line).strip() for line in re.split(r"\r\n|\r|\n", text)]
    text = "\n".join(line for line in lines if line)
    return text or None


def match_key(text: str) -> str:
    """Matching key: :func:`normalise_key` with Bangla digits as ASCII and no
    spaces around ``/``."""
    return re.sub(r"\s*/\s*", "/", normalise_key(bangla_digits_to_ascii(text)))


#: Characters Excel refuses in a sheet's name, and what is written instead.
_SHEET_FORBIDDEN = str.maketrans({"[": "(", "]": ")", ":": "-", "*": "-", "?": "", "/": "-", "\\": "-"})
#: The longest sheet name Excel accepts.
SHEET_TITLE_CHARS = 31


def sheet_title(text: str) -> str:
    """``text`` as a workbook sheet's name: without the characters Excel refuses
    (a pseudo-locale's ``[...]`` become parentheses) and cut to 31 characters.

    >>> sheet_title("[Åçţîöñ þļåñ öñé ţŵö ţĥŕéé ƒöûŕ ƒîṽé]")
    '(Åçţîöñ þļåñ öñé ţŵö ţĥŕéé ƒöûŕ'
    """
    return str(text).translate(_SHEET_FORBIDDEN).strip("'")[:SHEET_TITLE_CHARS]
