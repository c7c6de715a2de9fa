"""What the house knows about each language it writes in, as reference data.

``reference/languages.csv`` holds one row a language; every place that writes
differently in one language than in another asks the :class:`Language` record a
question ("which digits?", "does the page carry its own font?", "does a word change
case in mid-sentence?") instead of comparing the code with ``"en"`` or ``"bn"``. A new
language is a row here, a message catalogue under ``reference/locale/<catalogue>/``,
a ``name_<code>`` column where its names come from the registers, and a font.

Columns:

``code``
    The BCP 47 tag (``en``, ``bn``, ``en-XA``), used in ``--language``, ``<html lang>``
    and the report folders.
``name``
    The language's own name, for the language links of a page.
``script``
    Its script (ISO 15924: ``Latn``, ``Beng``): a Latin code (``MoSW``) is printed beside a
    name only in Latin text.
``catalogue``
    The folder of its compiled catalogue under ``reference/locale``; empty for the
    source language, whose message ids are its words.
``babel_locale``
    The Babel locale whose decimal and group symbols its numbers use.
``digits``
    Its ten digits, zero to nine.
``grouping``
    The Babel pattern of its digit grouping (``#,##,##0``: lakh and crore).
``names``
    The column of the registers (ministries, programmes, districts...) its names come
    from (``name``: the English name).
``page_font``
    The font family a page in it carries inlined (empty: the reader's own fonts do).
``figure_font``
    The first font family of its figures.
``direction``
    ``ltr`` or ``rtl``.
``date_format``
    How it writes a calendar date (``strftime``).
``sentence_end``
    What ends a sentence before the next one starts (``. ``, ``। ``).
``has_case``
    ``yes`` when its script has capitals, so a label is lower-cased in mid-sentence.
``list_style``
    The CSS ``list-style-type`` of a numbered list (empty: the browser's).
``folder``
    The sub-folder its pages are written to beside the source language's (empty: none).
``in_all``
    ``yes`` when ``--language all`` renders it (a pseudo-locale is asked for by name).
``pseudo``
    ``yes`` for a pseudo-locale (``en-XA``): made from the catalogue by
    ``tools/pseudo_catalogue.py`` to find words that bypass it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from nsss_analysis.config import REFERENCE_DIR

LANGUAGES_FILE = REFERENCE_DIR / "languages.csv"


@dataclass(frozen=True)
class Language:
    """One row of ``reference/languages.csv`` (see the module docstring)."""

    code: str
    name: str
    script: str
    catalogue: str
    babel_locale: str
    digits: str
    grouping: str
    names: str
    page_font: str
    figure_font: str
    direction: str
    date_format: str
    sentence_end: str
    has_case: bool
    list_style: str
    folder: str
    in_all: bool
    pseudo: bool

    @property
    def is_source(self) -> bool:
        """Whether its words are the message ids and the data's stored words (it has no
        catalogue): text the house stores (a reason, a rule, a code's word, a register's
        English name) is shown as stored; every other language says it in its own words."""
        return not self.catalogue

    @property
    def index_file(self) -> str:
        """The file of its index page: ``index.html`` for the source language, else
        ``index.<code>.html``."""
        return "index.html" if self.is_source else f"index.{self.code}.html"

    @property
    def carries_fonts(self) -> bool:
        """Whether its pages carry their own font (the reader may have none for its script)."""
        return bool(self.page_font)

    @property
    def ascii_digits(self) -> bool:
        """Whether it writes numbers with the ASCII digits 0-9."""
        return self.digits == "0123456789"

    def localise(self, text: str) -> str:
        """``text`` with its ASCII digits in this language's digits."""
        return str(text).translate(_digit_table(self.digits))

    def name_of(self, names: dict[str, str] | object, english: str) -> str:
        """The name to show from a register row: its ``names`` column when filled, else
        ``english``. ``names`` is a mapping of column to value, or an object with the
        column as an attribute."""
        if self.names == "name":
            return english
        value = names.get(self.names, "") if isinstance(names, dict) else getattr(names, self.names, "")
        return str(value) if value else english


@cache
def _digit_table(digits: str) -> dict[int, int]:
    return str.maketrans("0123456789", digits)


def _yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1"}


@cache
def all_languages() -> tuple[Language, ...]:
    """Every language of ``reference/languages.csv``, in its order (the source language first)."""
    with open(LANGUAGES_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        values = {k: (v if k == "sentence_end" else v.strip()) for k, v in row.items()}
        out.append(Language(**{  # type: ignore[arg-type]  # the booleans are converted just below
            **values, "has_case": _yes(values["has_case"]), "in_all": _yes(values["in_all"]),
            "pseudo": _yes(values["pseudo"])}))
    return tuple(out)


def codes() -> tuple[str, ...]:
    """Every language code, the source language first."""
    return tuple(lang.code for lang in all_languages())


def default_codes() -> tuple[str, ...]:
    """The languages ``--language all`` renders (no pseudo-locale)."""
    return tuple(lang.code for lang in all_languages() if lang.in_all)


def find(code: str) -> Language | None:
    """The language of ``code`` (any case, ``_`` or ``-``: ``en_xa`` is ``en-XA``), else ``None``."""
    key = str(code).strip().replace("_", "-").lower()
    for lang in all_languages():
        if lang.code.lower() == key:
            return lang
    return None
