"""Names in the page's language: the one resolver for every place a name is printed.

A page prints ministry, division, programme, agency, district and cluster names in
headlines, tables, figures, cards, actions, workbooks and the index. Each goes through
:func:`display_name`, which looks the name up in the reference data (the register of
ministries, the catalogue of programmes, the districts, the clusters) and returns it in
the page's language; what the form wrote is kept only where no name is known.
"""

from __future__ import annotations

from functools import cache

from nsss_analysis.reference.i18n import current, resolve_language, translator
from nsss_analysis.reference.ministries import find_ministry
from nsss_analysis.reference.vocab import load_reference, normalise_key

#: The kinds of name the resolver knows.
KINDS: tuple[str, ...] = ("ministry", "programme", "agency", "district", "cluster")


def _language(language: str | None) -> str:
    return resolve_language(language) if language else current().language


@cache
def _programmes() -> dict[str, tuple[str, str]]:
    """Every spelling of a catalogued programme (English and Bangla, folded) -> its
    (English, Bangla) names."""
    table: dict[str, tuple[str, str]] = {}
    for p in load_reference().programmes:
        for spelling in (p.programme, p.name_bn):
            if spelling:
                table.setdefault(normalise_key(spelling), (p.programme, p.name_bn))
    return table


def display_name(kind: str, value: object, language: str | None = None) -> str:
    """``value`` (a code, key or the form's text) as a ``kind`` name in ``language``
    (default: the page's). Unknown names come back as given, stripped.

    >>> display_name("ministry", "MoSW", "bn")
    'সমাজকল্যাণ মন্ত্রণালয়'
    >>> display_name("programme", "বয়স্ক ভাতা", "en")
    'Old Age Allowance'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; one of {', '.join(KINDS)}")
    text = "" if value is None else str(value).strip()
    if not text:
        return text
    code = _language(language)
    if kind in ("ministry", "agency"):
        ministry = find_ministry(text)
        return ministry.name_in(code) if ministry else text
    if kind == "programme":
        english, bangla = _programmes().get(normalise_key(text), (text, ""))
        return bangla if code == "bn" and bangla else english
    if kind == "cluster":
        return translator(code).gettext(text)
    return text


def canonical_name(kind: str, value: object) -> str:
    """The one name a ``kind`` name is stored under, whatever language or alias the
    form wrote it in: the register's English name of a ministry or agency, the
    catalogue's English name of a programme; unknown names come back as given.
    A Bangla form's "বয়স্ক ভাতা" thus joins the English form's "Old Age Allowance".

    >>> canonical_name("programme", "বয়স্ক ভাতা")
    'Old Age Allowance'
    """
    return display_name(kind, value, "en")
