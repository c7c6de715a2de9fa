"""Numbers in words: percentages, intervals, counts with their noun, amounts in
crore, lists joined with "and". Every sentence of the reports formats its figures
through these, in the language the page is written in (:func:`i18n.current`):
English as it always was, Bangla with Bangla digits, lakh-crore grouping and words
from the message catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference import numbers
from nsss_analysis.reference.grammar import Name, join_list
from nsss_analysis.reference.i18n import N_, Nn_, _, current, ngettext, pgettext
from nsss_analysis.report import claims

#: The nouns :func:`plural` counts, marked so that their singular and plural reach the
#: catalogue (a count's words differ by language: ``৫টি কর্মসূচি``, ``৫ জন``).
COUNTED_NOUNS: tuple[tuple[str, str], ...] = (
    Nn_("{n} programme", "{n} programmes"),
    Nn_("{n} assessed programme", "{n} assessed programmes"),
    Nn_("{n} action", "{n} actions"),
    Nn_("{n} allocation", "{n} allocations"),
    Nn_("{n} budget row", "{n} budget rows"),
    Nn_("{n} district", "{n} districts"),
    Nn_("{n} item", "{n} items"),
    Nn_("{n} line", "{n} lines"),
    Nn_("{n} row", "{n} rows"),
    Nn_("{n} form", "{n} forms"),
    Nn_("{n} round", "{n} rounds"),
    Nn_("{n} ministry", "{n} ministries"),
    Nn_("{n} cluster", "{n} clusters"),
    Nn_("{n} beneficiary", "{n} beneficiaries"),
    Nn_("{n} woman", "{n} women"),
    Nn_("{n} person", "{n} people"),
    Nn_("{n} year", "{n} years"),
)


#: :func:`ngettext` under another name, for message ids built at run time (the marked
#: pairs are in :data:`COUNTED_NOUNS`; extraction must not see the call).
_counted = ngettext


#: Nouns :func:`count_share` names after a count ("46 of 100 programmes").
SHARED_NOUNS: tuple[str, ...] = (N_("programmes"), N_("ministries"), N_("beneficiaries"))


def _language() -> str:
    return current().language


def plural(n: int, singular: str, plural_form: str | None = None, **meta: Any) -> str:
    """``plural(1, "programme")`` → ``"1 programme"``; ``plural(3, ...)`` → ``"3 programmes"``
    (Bangla: ``"৩টি কর্মসূচি"``, from the catalogue's ``{n} programme`` entry). The count
    is a claim of the page's ledger (``meta``: its fields, e.g. ``programmes``)."""
    word = singular if n == 1 else (plural_form or singular + "s")
    number_text = str(claims.count(n, **meta))
    ids = ("{n} " + singular, "{n} " + (plural_form or singular + "s"))
    template = _counted(*ids, n)
    if template.startswith("{n} ") and template[4:] in (singular, plural_form or singular + "s"):
        template = "{n} " + _(word)  # a noun the catalogue does not count: translate the word
    return template.format(n=number_text)


#: Most decimals a percentage is printed with before "under"/"over" is used.
MAX_PERCENT_DIGITS = numbers.MAX_PERCENT_DIGITS


def _digits(text: str) -> str:
    return numbers.localise_digits(text, _language())


def percent(share: object, digits: int = 0, **meta: object) -> str:
    """A share 0-1 as a percentage (``0.583`` → ``58%``); ``n/a`` when missing.

    Never rounded to 0% or 100% unless exactly so: ``0.996`` → ``99.6%``,
    ``0.0004`` → ``under 0.1%``, ``0.9996`` → ``over 99.9%``. The figure is a claim of the
    page's ledger; ``meta`` gives its fields (``numerator``, ``denominator``, ``unit=
    "money_share"`` for a share of an amount...).
    """
    unit = str(meta.pop("unit", "percent"))
    return str(claims.figure(share, unit, _percent_text(share, digits), **meta))


def _float(value: object) -> float:
    """``float(value)`` of a value :func:`is_missing` let through (a number, or its text)."""
    return float(cast(float, value))


def _percent_text(share: object, digits: int = 0) -> str:
    """The one formatter's percentage (never rounded to 0% or 100% unless exactly so)."""
    return numbers.percent(share, _language(), digits)


def _bounds(low: float, high: float, as_percent: bool, digits: int) -> tuple[str, str]:
    """Both bounds with enough decimals that they differ and that neither is rounded
    to 0% or 100% unless exactly so (``99.7%``–``100%``)."""
    scale, unit, edges = (100.0, "%", (0.0, 100.0)) if as_percent else (1.0, "", ())
    values = (low * scale, high * scale)
    for d in range(digits, digits + 4):
        shown = [v if v in edges else numbers.rounded(v, d) for v in values]
        rounded_to_edge = any(v not in edges and s in edges for v, s in zip(values, shown, strict=True))
        if not rounded_to_edge and shown[0] != shown[1]:
            break
    low_text, high_text = (numbers.number(v, _language(), 0 if v in edges else d) for v in values)
    return low_text + unit, high_text + unit


def interval(low: object, high: object, as_percent: bool = True, digits: int = 0, **meta: object) -> str:
    """``(95% interval 32%-81%)``, or the empty string when there is no interval (or
    one of zero width, which is never printed). A claim of the page's ledger (``meta``:
    ``n``, ``method``...)."""
    if is_missing(low) or is_missing(high) or _float(low) == _float(high):
        return ""
    lo, hi = _bounds(_float(low), _float(high), as_percent, digits)
    text = " (" + _("95% interval {low}–{high}").format(low=lo, high=hi) + ")"
    return str(claims.figure(None, "interval", text, low=low, high=high, **meta))


def _share_text(share: object, low: object, high: object) -> str:
    text = _percent_text(share)
    if not (is_missing(low) or is_missing(high) or _float(low) == _float(high)):
        lo, hi = _bounds(_float(low), _float(high), True, 0)
        text = _("{share}, 95% interval {low}–{high}").format(share=text, low=lo, high=hi)
    return text


def share_with_interval(share: object, low: object, high: object, **meta: object) -> str:
    """``58%, 95% interval 32%–81%`` (or ``58%`` when there is no interval); a claim of
    the page's ledger (``meta``: ``numerator``, ``denominator``, ``n``...)."""
    if not (is_missing(low) or is_missing(high)):
        meta = {"low": low, "high": high, "method": "wilson"} | meta
    return str(claims.figure(share, str(meta.pop("unit", "percent")), _share_text(share, low, high), **meta))


def count_share(count: int, n: int, low: object = None, high: object = None,
                min_n: int = 5, noun: str = "", **meta: object) -> str:
    """A count with its share: ``46 of 100 programmes (46%, 95% interval 36%–56%)``;
    only the count, ``1 of 2 programmes``, when ``n`` is under ``min_n`` (a percentage
    of so few misleads). One claim of the page's ledger (``meta``: its other fields)."""
    count, n = int(count), int(n)
    language = _language()
    values = {"count": numbers.count(count, language), "n": numbers.count(n, language)}
    text = (_("{count} of {n} {noun}").format(noun=Name(_(noun)), **values) if noun
            else _("{count} of {n}").format(**values))
    meta = {"numerator": count, "denominator": n, "n": n} | meta
    if n < min_n or n == 0:
        return str(claims.figure(count, "count", text, **meta))
    if not (is_missing(low) or is_missing(high)):
        meta = {"low": low, "high": high, "method": "wilson"} | meta
    return str(claims.figure(count / n, "percent", f"{text} ({_share_text(count / n, low, high)})", **meta))


def crore(value: object, **meta: Any) -> str:
    """BDT crore with thousands separators (``1258.5`` → ``Tk 1,259 crore``, whole crore
    from 100, else one decimal), rounded half away from zero in every language; a claim
    of the page's ledger (``meta``: ``fiscal_year``, ``programmes``...)."""
    if is_missing(value):
        return _("an unknown amount")
    return str(claims.crore(value, **meta))


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"`` (``conjunction="or"`` after a negation), in
    the page's language by the rule of ``reference.grammar.join_list`` (Bangla: "ক ও খ",
    "ক, খ এবং গ"). ``conjunction`` may also be the word already translated."""
    items = [str(i) for i in items]
    if conjunction in ("and", _("and"), pgettext("joining a list", "and")):
        return join_list(items, "and", current().language)
    if conjunction in ("or", _("or"), pgettext("joining a list", "or")):
        return join_list(items, "or", current().language)
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def sentence(text: str) -> str:
    """Capitalise the first letter (messages from other modules start in lower case)."""
    return text[:1].upper() + text[1:] if text else text
