"""Reports and the form in English or Bangla, through gettext.

English strings are the message ids; the Bangla words live in the message catalogue
``reference/locale/bn/LC_MESSAGES/nsss.po`` (compiled to ``nsss.mo`` beside it, kept
in the repository; ``make i18n`` extracts, updates and compiles them with Babel, and a
test checks that the ``.mo`` matches the ``.po``). No language dictionary is kept in
code: a module marks its words with :func:`N_` (or calls ``_``) and the catalogue
translates them.

The language is a context, as Django's ``translation.override``: ``with language("bn"):``
makes Bangla the language of every ``_``, ``ngettext`` and number printed inside the block
(held in a :class:`contextvars.ContextVar`, so threads and asyncio tasks each keep their
own, and the previous language comes back when the block ends, even on an error). Outside
any block it is the ``NSSS_LANGUAGE`` environment variable, else English.
:func:`set_language` (a notebook's ``language`` parameter calls it once) and
:func:`forget_language` set and clear the context without a block.
"""

from __future__ import annotations

import csv
import gettext
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.errors import UsageError
from nsss_analysis.reference.languages import Language, codes, default_codes, find

#: The gettext domain: ``locale/<lang>/LC_MESSAGES/nsss.mo``.
DOMAIN = "nsss"
LOCALE_DIR = REFERENCE_DIR / "locale"
#: The languages ``--language all`` writes reports and the form in (``reference/languages.csv``);
#: English is the source language.
LANGUAGES: tuple[str, ...] = default_codes()
#: Every language the house can write in, pseudo-locales (``en-XA``) included.
SUPPORTED: tuple[str, ...] = codes()
SOURCE_LANGUAGE = SUPPORTED[0]
#: ``--language all`` renders every language.
ALL = "all"
#: The environment variable that chooses the language when no parameter does.
LANGUAGE_VARIABLE = "NSSS_LANGUAGE"


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it here (it is translated
    where it is shown, by ``_(message)``)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural message pair (``{n} programme``, ``{n} programmes``)
    for extraction; it is translated where shown, by :func:`ngettext`."""
    return singular, plural


def resolve_language(language: str | None = None) -> str:
    """The language to use: ``language`` if given, else ``$NSSS_LANGUAGE``, else English.

    >>> resolve_language("BN"), resolve_language("bn_BD"), resolve_language("en_xa")
    ('bn', 'bn', 'en-XA')
    """
    chosen = language if language else os.environ.get(LANGUAGE_VARIABLE) or SOURCE_LANGUAGE
    found = find(str(chosen)) or find(str(chosen).strip().replace("-", "_").split("_")[0])
    if found is None:
        raise UsageError(
            f"language '{chosen}' is not supported; choose one of {', '.join(SUPPORTED)}"
        )
    return found.code


def about_language(language: str | None = None) -> Language:
    """The reference record of ``language`` (default: the context's): its digits, fonts,
    name column, sentence end... (``reference/languages.csv``). Code asks it instead of
    comparing a language code.

    >>> about_language("bn").sentence_end, about_language("en").has_case
    ('। ', True)
    """
    code = resolve_language(language) if language else current().language
    found = find(code)
    assert found is not None  # resolve_language only returns codes of the reference data
    return found


def languages(choice: str | None = None) -> tuple[str, ...]:
    """The languages a ``--language`` choice asks for: ``all`` means every one the
    reference data renders by default (not a pseudo-locale, which is asked for by name).

    >>> languages("all"), languages("bn")
    (('en', 'bn'), ('bn',))
    """
    if choice is None and os.environ.get(LANGUAGE_VARIABLE, "").strip().lower() == ALL:
        return LANGUAGES
    if choice is not None and str(choice).strip().lower() == ALL:
        return LANGUAGES
    return (resolve_language(choice),)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (the source language, whose reference row
    names no catalogue: the message ids themselves)."""
    folder = about_language(language).catalogue
    if not folder:
        return gettext.NullTranslations()
    path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.is_file():
        raise UsageError(f"{path}: the {language} message catalogue is not compiled; run make i18n")
    with open(path, "rb") as f:
        return gettext.GNUTranslations(f)


@dataclass(frozen=True)
class Translator:
    """The words of one language: ``gettext`` (``_``), ``ngettext`` and ``pgettext``."""

    language: str
    catalogue: gettext.NullTranslations

    @property
    def about(self) -> Language:
        """The reference record of its language (:func:`about_language`)."""
        return about_language(self.language)

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalogue.pgettext(context, message)

    __call__ = gettext


def translator(language: str | None = None) -> Translator:
    """The :class:`Translator` of ``language`` (default ``$NSSS_LANGUAGE``, else English).

    >>> _ = translator("bn")
    >>> _("Programme"), _.ngettext("{n} programme", "{n} programmes", 3)
    ('কর্মসূচি', '{n}টি কর্মসূচি')
    """
    code = resolve_language(language)
    return Translator(code, translations(code))


#: The language chosen by :func:`language` or :func:`set_language` (``None``: the environment's).
_current: ContextVar[Translator | None] = ContextVar("nsss_language", default=None)


@contextmanager
def language(code: str | None = None) -> Iterator[Translator]:
    """Write in ``code`` inside the block, then go back to the language before it.

    >>> with language("bn"):
    ...     _("Programme")
    'কর্মসূচি'
    >>> with language("en"):
    ...     _("Programme")
    'Programme'
    """
    chosen = translator(code)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def set_language(language: str | None = None) -> Translator:
    """Make ``language`` the one :func:`_` and :func:`ngettext` use from here on in this
    context (a notebook's ``language`` parameter calls this once), and return its
    translator. Prefer ``with language(...)`` where the language is needed for a block."""
    chosen = translator(language)
    _current.set(chosen)
    return chosen


def forget_language() -> None:
    """Back to the environment's language (a warm kernel does this between reports)."""
    _current.set(None)


def current() -> Translator:
    """The language of the context (:func:`language`, :func:`set_language`), else the environment's."""
    chosen = _current.get()
    return chosen if chosen is not None else translator()


def _(message: str) -> str:
    """``message`` in the current language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message in the current language, for ``n``."""
    return current().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context``."""
    return current().pgettext(context, message)


# --- extraction of the words kept in reference data (see babel.cfg) -------------------


def extract_csv_fields(
    fileobj: io.BufferedReader, keywords: object, comment_tags: object, options: dict
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for reference CSV files whose words a page shows: the columns
    named by the ``fields`` option (``babel.cfg``) become message ids, e.g. the form's
    column labels and the guideline's questions, or what each cluster is meant to reach."""
    text = fileobj.read().decode("utf-8")
    fields = str(options.get("fields", "label instruction")).split()
    for lineno, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        first = next(iter(row.values()), "")
        for field in fields:
            if row.get(field):
                yield lineno, "gettext", row[field], [f"{first} ({field})"]


def extract_notebook(
    fileobj: io.BufferedReader, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str | tuple[str, ...], list[str]]]:
    """Babel extractor for the report notebooks: the strings their code cells mark
    with ``_()`` or ``ngettext()`` (headings, lead paragraphs), as in a Python file."""
    import json  # a notebook is JSON; only ``make i18n`` reads notebooks

    from babel.messages.extract import extract_python

    notebook = json.loads(fileobj.read().decode("utf-8"))
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        for _lineno, funcname, message, comments in extract_python(
            io.BytesIO(source.encode("utf-8")), keywords, comment_tags, options
        ):  # Babel annotates extract_python with the extractor-method result; it yields these four
            yield number, funcname, message, comments  # type: ignore[misc]


def untranslated(language: str) -> list[str]:
    """Message ids of the ``.po`` catalogue of ``language`` without a translation."""
    from babel.messages.pofile import read_po  # only to check the catalogue: a command never needs it

    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        catalogue = read_po(f)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(s and s.strip() for s in strings) or message.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


#: A run of Latin-script words (letters, apostrophes, hyphens, inner digits) joined by
#: spaces or light punctuation: what an English phrase looks like inside Bangla text.
_PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_]\w*(?::[A-Za-z<>^0-9.,]*)?\}(?!\})")
_LATIN_RUN = re.compile(r"[A-Za-z][\w'’-]*(?:[ \t,;:/()&]+[A-Za-z][\w'’-]*)+", re.ASCII)


def english_runs(text: str, allowed: Iterable[str] = (), min_words: int = 2) -> list[str]:
    """Phrases of at least ``min_words`` Latin-script words left in ``text`` once every
    ``allowed`` string (proper names, programme names without a Bangla name, codes) is
    taken out: a Bangla page should have none.

    >>> english_runs("বয়স্ক ভাতা: Old Age Allowance, ২০২৪-২৫ অর্থবছর was good", ["Old Age Allowance"])
    ['was good']
    """
    text = _PLACEHOLDER.sub(" ", text)  # a message's placeholders ({unit:gen}) are not words
    names = sorted({a.strip() for a in allowed if a and a.strip()}, key=len, reverse=True)
    if names:  # whole words only: an allowed "No" must not cut "Nominal" or "norms"
        text = re.sub(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", " ", text)
    runs = (m.group().strip(" ,;:/()&") for m in _LATIN_RUN.finditer(text))
    return [r for r in runs if len(re.findall(r"[A-Za-z][\w'’-]*", r)) >= min_words]


Gettext = Callable[[str], str]
