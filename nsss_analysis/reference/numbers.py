"""Numbers as the reader of each language writes them.

English: international grouping (``1,234,567``), ``Tk 1,258.5 crore``, ``46%``,
``2024-25``. Bangla: Bangla digits and South Asian grouping (``১২,৩৪,৫৬৭``),
``১,২৫৮.৫ কোটি টাকা``, ``৪৬%``, ``২০২৪-২৫``.

Babel's ``bn`` locale groups digits the South Asian way (``#,##,##0``), so it does the
grouping here; but it rounds half to even (``0.05`` to ``0.0``), so values are rounded
half away from zero first, and it writes Latin digits even
with ``numbering_system="default"`` (Babel 2.19, measured: ``format_decimal(1234567,
locale="bn", numbering_system="default")`` gives ``12,34,567``), so the digits are
replaced by this module. Every function takes the language (default: the page's, as
``set_language`` chose it) and returns text the
reader's parsers (``intake.quantities``) read back to the same value.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from nsss_analysis.reference.i18n import N_, about_language, current, resolve_language, translator

# Each language's digits, grouping (Bangla readers group by lakh and crore: 12,34,567),
# Babel locale and date format are columns of reference/languages.csv.
#: Amounts of at least this many crore are shown without decimals (as in the English
#: sentences: Tk 1,259 crore, Tk 12.5 crore).
WHOLE_CRORE_FROM = 100
#: Counts of at least one lakh are written in lakh in Bangla prose (১২.৫ লক্ষ).
LAKH = 100_000


def _language(language: str | None) -> str:
    """``language``, or (when none is given) the page's: the one ``set_language`` chose,
    else ``$NSSS_LANGUAGE``, else English."""
    return resolve_language(language) if language else current().language


def _float(value: object) -> float:
    """``float(value)`` of a value :func:`_missing` let through (a number, or text of one)."""
    return float(value)  # type: ignore[arg-type]


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def localise_digits(text: str, language: str | None = None) -> str:
    """``text`` with its ASCII digits in the script of ``language``.

    >>> localise_digits("2024-25", "bn")
    '২০২৪-২৫'
    """
    return about_language(_language(language)).localise(str(text))


def grouped(text: str, language: str | None = None) -> str:
    """An ASCII number text (``1234567.5``) grouped as ``language`` groups digits and in its
    digits (``12,34,567.5`` / ``১২,৩৪,৫৬৭.৫``), decimals kept as written; other text as given.

    >>> grouped("1234567.5", "bn"), grouped("-1234567", "en")
    ('১২,৩৪,৫৬৭.৫', '-1,234,567')
    """
    lang = _language(language)
    m = re.fullmatch(r"(-?)(\d+)(\.\d+)?", str(text))
    if not m:
        return localise_digits(str(text), lang)
    sign, whole, fraction = m.group(1), m.group(2), m.group(3) or ""
    pattern = about_language(lang).grouping.split(".")[0]
    sizes = [len(part) for part in pattern.split(",")[1:]]  # "#,##,##0": the groups 2 and 3, last first
    primary = sizes[-1] if sizes else 0
    secondary = sizes[-2] if len(sizes) > 1 else primary
    if primary and len(whole) > primary:
        head, parts = whole[:-primary], [whole[-primary:]]
        while len(head) > secondary:
            parts.insert(0, head[-secondary:])
            head = head[:-secondary]
        whole = ",".join([head, *parts])
    return localise_digits(sign + whole + fraction, lang)


def number(value: object, language: str | None = None, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimal places and the language's grouping and digits.

    >>> number(1234567, "bn"), number(1234567, "en"), number(-1234.5, "bn", 1)
    ('১২,৩৪,৫৬৭', '1,234,567', '-১,২৩৪.৫')
    """
    lang = _language(language)
    if _missing(value):
        return translator(lang).gettext("n/a")
    spoken = about_language(lang)
    pattern = spoken.grouping + ("." + "0" * decimals if decimals > 0 else "")
    # Half away from zero, as readers round (Babel would round half to even: 0.05 -> 0.0).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format_decimal(rounded, format=pattern, locale=spoken.babel_locale, decimal_quantization=True)
    if text.startswith("-") and set(text[1:]) <= set("0,."):
        text = text[1:]  # -0.0 and values that round to zero carry no sign
    return localise_digits(text, lang)


def signed(value: object, language: str | None = None, decimals: int = 0) -> str:
    """:func:`number` with its sign always written (``+2.5``, ``-0.4``; zero unsigned),
    as an interval end or a change reads.

    >>> signed(2.25, "en", 1), signed(-0.4, "bn", 1), signed(0.04, "en", 1)
    ('+2.3', '-০.৪', '0.0')
    """
    text = number(value, language, decimals)
    if _missing(value) or rounded(_float(value), decimals) <= 0:  # type: ignore[operator]
        return text
    return "+" + text


def significant(value: object, language: str | None = None, digits: int = 3) -> str:
    """:func:`number` with at most ``digits`` significant digits and no trailing zero
    after the point, whole numbers kept whole (a ratio: ``2.45``, ``0.02``, ``1,250``).

    >>> significant(2.4512, "en"), significant(0.020001, "en"), significant(1249.6, "bn")
    ('2.45', '0.02', '১,২৫০')
    """
    if _missing(value) or not 0 < abs(_float(value)) < math.inf:
        return number(value, language)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(_float(value)))))
    kept = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP).normalize()
    return number(value, language, max(0, -kept.as_tuple().exponent))  # type: ignore[operator]


def short(value: object, language: str | None = None) -> str:
    """A constant of the method as Python's ``:g`` writes it (``0.5``, ``10``, ``99.8``),
    in the language's digits: a threshold, a confidence level.

    >>> short(10.0, "en"), short(0.15, "bn")
    ('10', '০.১৫')
    """
    return localise_digits(f"{_float(value):g}", language)


def count(value: object, language: str | None = None) -> str:
    """A whole number of persons or programmes (``১,০৭,৬১৪``)."""
    return number(value, language, 0)


#: Most decimals a percentage is given to keep it off 0% and 100% before "under" or
#: "over" is written.
MAX_PERCENT_DIGITS = 1


def percent(share: object, language: str | None = None, decimals: int = 0) -> str:
    """A share 0-1 as a percentage (``0.46`` → ``46%`` / ``৪৬%``), never rounded to 0%
    or 100% unless it is exactly so: ``0.996`` → ``99.6%``, ``0.0004`` → ``under 0.1%``,
    ``0.9996`` → ``over 99.9%`` (a chart label or a table cell says what a sentence says).

    >>> percent(0.4649, "bn", 1), percent(1, "en"), percent(0.996, "en"), percent(0.0004, "en")
    ('৪৬.৫%', '100%', '99.6%', 'under 0.1%')
    """
    lang = _language(language)
    if _missing(share):
        return translator(lang).gettext("n/a")
    value = _float(share) * 100
    if value in (0.0, 100.0):
        return number(value, lang, 0) + "%"
    for d in range(decimals, max(decimals, MAX_PERCENT_DIGITS) + 1):
        text = number(value, "en", d)
        if float(text.replace(",", "")) not in (0.0, 100.0):
            return number(value, lang, d) + "%"
    limit = 10.0 ** -max(decimals, MAX_PERCENT_DIGITS)
    if value < 50:
        return translator(lang).gettext(N_("under {percent}")).format(percent=localise_digits(f"{limit:g}%", lang))
    return translator(lang).gettext(N_("over {percent}")).format(percent=localise_digits(f"{100 - limit:g}%", lang))


def crore(value: object, language: str | None = None, decimals: int | None = None) -> str:
    """An amount in crore Taka: ``Tk 1,258.5 crore`` / ``১,২৫৮.৫ কোটি টাকা``. Without
    ``decimals``, whole crore from :data:`WHOLE_CRORE_FROM`, else one decimal.

    >>> crore(1258.5, "bn", 1), crore(12.5, "en")
    ('১,২৫৮.৫ কোটি টাকা', 'Tk 12.5 crore')
    """
    lang = _language(language)
    _ = translator(lang)
    if _missing(value):
        return _.gettext("an unknown amount")
    if decimals is None:
        decimals = 0 if abs(_float(value)) >= WHOLE_CRORE_FROM else 1
    return _.gettext("Tk {amount} crore").format(amount=number(value, lang, decimals))


def lakh(persons: object, language: str | None = None, decimals: int = 1) -> str:
    """A number of persons in lakh (``1250000`` → ``12.5 lakh`` / ``১২.৫ লক্ষ``)."""
    lang = _language(language)
    if _missing(persons):
        return translator(lang).gettext("n/a")
    amount = number(_float(persons) / LAKH, lang, decimals)
    return translator(lang).gettext("{amount} lakh").format(amount=amount)


def taka(value: object, language: str | None = None) -> str:
    """An amount in Taka (``Tk 50,000`` / ``৫০,০০০ টাকা``)."""
    lang = _language(language)
    _ = translator(lang)
    if _missing(value):
        return _.gettext("an unknown amount")
    return _.gettext("Tk {amount}").format(amount=number(value, lang, 0))


def fiscal_year(fy: object, language: str | None = None) -> str:
    """A fiscal year ``YYYY-YY`` in the language's digits (``২০২৪-২৫``)."""
    if fy is None or (isinstance(fy, float) and math.isnan(fy)):
        return translator(_language(language)).gettext("n/a")
    return localise_digits(str(fy), language)


def date(value: object, language: str | None = None) -> str:
    """A calendar date as the reader of ``language`` writes it: ISO ``2019-01-31`` in
    English, government style ``৩১-০১-২০১৯`` (DD-MM-YYYY, Bangla digits) in Bangla.
    Accepts a date, a datetime, a pandas Timestamp or ISO text; text that is not a date
    comes back as given (a form's own words).

    >>> date("2019-01-31", "en"), date("2019-01-31", "bn")
    ('2019-01-31', '৩১-০১-২০১৯')
    """
    lang = _language(language)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return translator(lang).gettext("n/a")
    day: _dt.date | None = None
    if isinstance(value, _dt.datetime):
        day = value.date()
    elif isinstance(value, _dt.date):
        day = value
    else:
        text = str(value).strip()
        try:
            day = _dt.date.fromisoformat(text[:10])
        except ValueError:
            return localise_digits(text, lang)
    return localise_digits(day.strftime(about_language(lang).date_format), lang)


#: Bangladesh Standard Time (UTC+6, no daylight saving): the clock a Bangla reader reads.
DHAKA = _dt.timezone(_dt.timedelta(hours=6), "BST")
#: A moment's words in Bangla: date and clock time in Dhaka (a message id).
_DHAKA_TIME = N_("{date}, {time} (Bangladesh time)")


def timestamp(moment: object, language: str | None = None) -> str:
    """A moment (an aware datetime, or text ``2026-12-07 16:01:32 UTC`` as the runner
    records it) as the reader of ``language`` reads it: ``2026-12-07 16:01:32 UTC`` in
    English; in Bangla the date and clock in Dhaka, Bangla digits, no UTC
    (``০৭-১২-২০২৬, ২২:০১ (বাংলাদেশ সময়)``). Text that is no such moment comes back as
    given, in the language's digits.

    >>> timestamp("2026-12-07 16:01:32 UTC", "en")
    '2026-12-07 16:01:32 UTC'
    """
    lang = _language(language)
    when: _dt.datetime | None = None
    if isinstance(moment, _dt.datetime):
        when = moment if moment.tzinfo else moment.replace(tzinfo=_dt.UTC)
    else:
        text = str(moment).strip()
        try:
            when = _dt.datetime.fromisoformat(text.removesuffix("UTC").strip()).replace(tzinfo=_dt.UTC)
        except ValueError:
            return localise_digits(text, lang)
    if lang != "bn":
        return when.astimezone(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    local = when.astimezone(DHAKA)
    words = translator(lang).gettext(_DHAKA_TIME)
    return words.format(date=date(local.date(), lang), time=localise_digits(local.strftime("%H:%M"), lang))


def version(text: object, language: str | None = None) -> str:
    """A version number (``0.1.0``) in the language's digits (``০.১.০``)."""
    return localise_digits(str(text), language)


def rounded(value: object, decimals: int = 0) -> object:
    """``value`` rounded half away from zero to ``decimals`` places, kept a number (a
    workbook cell holds what the page prints: 65.3, not 65.27777777777777); what is
    not a finite number comes back as given.

    >>> rounded(65.27777777777777, 1), rounded(0.125, 2), rounded("n/a", 1)
    (65.3, 0.13, 'n/a')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or _missing(value):
        return value
    if math.isinf(float(value)):
        return value
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))
