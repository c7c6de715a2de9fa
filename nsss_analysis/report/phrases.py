"""The pieces every generated sentence is built from: figures, names and clauses
in the current language.

The sentences of a report (:mod:`~nsss_analysis.report.headline_text`,
:mod:`~nsss_analysis.report.readings`, :mod:`~nsss_analysis.report.quality_text`,
:mod:`~nsss_analysis.report.trend_text`, :mod:`~nsss_analysis.report.model_text`,
:mod:`~nsss_analysis.report.coverage_text`, :mod:`~nsss_analysis.report.notices`) are
plain text: the notebooks render them through :mod:`nsss_analysis.report.display`,
which escapes them (programme names come from forms).

Every sentence is one message id with named placeholders, in the current language
(:func:`nsss_analysis.reference.i18n.current`): English is the message id itself,
Bangla comes from the catalogue. Where English grammar branches (one or many, the
ministry's or the government's) each branch is its own message. An optional clause
that trails a sentence (``; no clear difference...``) is a placeholder of the
sentence, so the translation decides where it goes and how the sentence ends.
Numbers are written in the current language's digits: the words of
:mod:`nsss_analysis.report.wording` and the helpers below (``int_text``,
``count_text``, ``fixed_text``, ``grouped_text``), which print through
:mod:`nsss_analysis.reference.numbers` (half away from zero, as every figure of every
page); each helper records the figure it prints as a claim of the page's ledger
(:mod:`nsss_analysis.report.claims`).
"""

from __future__ import annotations

from nsss_analysis.diagnostics.budgets import FLAG_RATIO, FLAG_SCALE, flag_parts
from nsss_analysis.diagnostics.rubric import COMPARISON_MIN_N
from nsss_analysis.diagnostics.units import NATIONAL_UNIT, is_missing
from nsss_analysis.reference.grammar import Name
from nsss_analysis.reference.i18n import N_, _, about_language, current, ngettext
from nsss_analysis.reference.names import display_name, shown_name
from nsss_analysis.reference.numbers import fiscal_year as fiscal_year_words
from nsss_analysis.reference.numbers import localise_digits, number, signed, significant
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report import claims
from nsss_analysis.report.wording import join_words


def page_language() -> str:
    return current().language


# Each helper prints one figure and records it as a claim of the page's ledger
# (report.claims); ``meta`` gives the claim's fields the helper cannot know.


def int_text(value, **meta) -> str:
    """A whole number as ``str(int)`` writes it (no grouping), in the language's digits."""
    return str(claims.figure(int(value), "count", localise_digits(str(int(value)), page_language()), **meta))


def count_text(value, **meta) -> str:
    """A whole number with grouping (``1,200`` / ``১,২০০``)."""
    return str(claims.figure(int(value), "count", number(int(value), page_language()), **meta))


def grouped_text(value, unit: str = "number", **meta) -> str:
    """A number rounded to whole units with grouping, half away from zero in every
    language (``1,259`` / ``১,২৫৯`` for 1258.5), so both pages print the same figure."""
    return str(claims.figure(float(value), unit, number(float(value), page_language()), **meta))


def fixed_text(value, decimals: int = 0, sign: bool = False, unit: str = "score", **meta) -> str:
    """``value`` with ``decimals`` decimals (``+`` sign when ``sign``), rounded half away
    from zero and in the language's digits (``reference/numbers.py``)."""
    text = (signed if sign else number)(float(value), page_language(), decimals)
    return str(claims.figure(float(value), unit, text, **meta))


def year_text(fy, **meta) -> str:
    """A fiscal year (``2023-24`` / ``২০২৩-২৪``)."""
    return str(claims.figure(None if is_missing(fy) else str(fy), "fiscal_year", fiscal_year_words(fy, page_language()),
                             **({"fiscal_year": fy} | meta)))


def digits_text(text) -> str:
    """Codes made of numbers (age bands ``60+``, rounds) in the language's digits."""
    return localise_digits(str(text), page_language())


def programmes_phrase(n: int) -> str:
    """``3 programmes`` as a phrase (inside parentheses or lists)."""
    return ngettext("{n} programme", "{n} programmes", n).format(n=count_text(n))


#: The unit of the national overview (:data:`NATIONAL_UNIT`), as a word to translate.
_NATIONAL_UNIT = N_("Bangladesh")


def programme_shown(name: object) -> Name:
    """A programme's name as the page prints it (its Bangla name on a Bangla page where
    one is known), ready for the case endings of a Bangla sentence (``{programme:gen}``)."""
    return Name(shown_name("programme", name, current().language))


def district_shown(name: object) -> Name:
    """A district's name as the page prints it."""
    return Name(shown_name("district", name, current().language))


def round_text(name, **meta) -> str:
    """An assessment round named on the page (a claim: ``numerator``/``denominator``,
    when known, say how many of the set are in it)."""
    return str(claims.figure(str(name), "round", digits_text(name), **({"round": name} | meta)))


#: The plausibility check's flags (``about 10x``, ``about 1/10x``, ``ratio 0.3: check``).
FLAG_WORDS: dict[str, str] = {
    FLAG_SCALE: N_("about {factor}x"),
    FLAG_RATIO: N_("ratio {ratio}: check"),
}


def flag_in_words(flag: object) -> str:
    """A budget plausibility flag (the code of ``diagnostics.budgets.plausibility_flag``)
    in the current language: ``about 10x``, ``about 1/10x``, ``ratio 0.3: check``, its
    number printed by ``reference/numbers.py``; anything else as given."""
    kind, value = flag_parts(flag)
    if kind == FLAG_SCALE and value is not None:
        power = int(value)
        factor = number(10 ** abs(power), page_language())
        return _(FLAG_WORDS[kind]).format(factor=factor if power > 0 else f"{number(1, page_language())}/{factor}")
    if kind == FLAG_RATIO and value is not None:
        return _(FLAG_WORDS[kind]).format(ratio=significant(value, page_language()))
    return str(flag or "")


def excluding_phrase(flagged: int, flags: object) -> str:
    """``; excluding 1 allocation flagged as about 10x the arithmetic`` (or by the
    plausibility check), or empty when no allocation was left out."""
    if not flagged:
        return ""
    every = str(flags).split("; ")
    about = [f for f in str(flags or "").split("; ") if flag_parts(f)[0] == FLAG_SCALE]
    if about and len(about) == len(every):
        return ngettext("; excluding {n} allocation flagged as {about} the arithmetic",
                        "; excluding {n} allocations flagged as {about} the arithmetic", flagged).format(
            n=count_text(flagged), about=join_words([flag_in_words(f) for f in about], "or"))
    return ngettext("; excluding {n} allocation flagged by the check beneficiaries x rate x 12",
                    "; excluding {n} allocations flagged by the check beneficiaries x rate x 12",
                    flagged).format(n=count_text(flagged))


def compare_units(unit: tuple, other: tuple) -> str:
    """The reading of a difference between two units, each ``(n, ci_low, ci_high)``:
    "above"/"below" only when both have at least ``COMPARISON_MIN_N`` programmes and
    the 95% intervals do not overlap; "these data cannot tell" otherwise (with a
    handful of programmes the test has little power: no difference is not a finding); "" when either
    has too few programmes to compare. A clause, in the current language."""
    (n, low, high), (n2, low2, high2) = unit, other
    if is_missing(n) or is_missing(n2) or int(n) < COMPARISON_MIN_N or int(n2) < COMPARISON_MIN_N:
        return ""
    if any(is_missing(v) for v in (low, high, low2, high2)):
        return ""
    if float(low) > float(high2):
        text = _("above the national figure: the 95% intervals do not overlap")
    elif float(high) < float(low2):
        text = _("below the national figure: the 95% intervals do not overlap")
    else:
        return _("these data cannot tell whether it differs from the national figure: the 95% intervals overlap")
    # A stated difference is a claim the comparisons rule checks (both sides' n and intervals).
    return str(claims.figure(None, "difference", text, n=n, low=low, high=high, versus=(None, n2, low2, high2),
                             where="narrative.compare_units"))


def verdict_clause(verdict: str) -> str:
    return _("; {verdict}").format(verdict=verdict) if verdict else ""


def end_sentence(text: str) -> str:
    """Clauses joined by ``;`` closed as one sentence (``.`` / ``।``)."""
    return _("{sentence}.").format(sentence=text)


def unit_name(headline: dict) -> str:
    """The ministry's or division's name in the current language (the register's Bangla
    name where one is recorded; English: the name the headline figures carry); the
    nation's name for the national overview."""
    language = current().language
    unit = headline["unit"]
    ministry = load_reference().ministry_by_code.get(headline.get("ministry_code") or "")
    if ministry is not None:  # a language that takes the register's English names: as the headline carries it
        return Name(ministry.name_in(language) if about_language(language).names != "name" else unit)
    if unit == NATIONAL_UNIT:
        return Name(_(_NATIONAL_UNIT))
    return Name(display_name("cluster", unit, language))
