"""The notices of a page: the synthetic-data notice, the fiscal year of the
subtitle, what "all fiscal years" means on a page filed under ``all-years/``, and the
line shown instead of the coverage section when no MIS extract was processed. Each in
the current language.
"""

from __future__ import annotations

import html

from nsss_analysis.diagnostics.budgets import report_year
from nsss_analysis.io import Tables
from nsss_analysis.reference.i18n import N_, _, current
from nsss_analysis.reference.numbers import localise_digits
from nsss_analysis.report import claims

#: Shown at the top of a report built from data marked synthetic (``data/raw/SYNTHETIC``).
DATA_NOTICE = (
    "These figures are synthetic: the raw folder carries the SYNTHETIC marker. Except a few "
    "budget and beneficiary figures taken from published sources, they illustrate the method "
    "and are not an official assessment."
)


#: :data:`DATA_NOTICE` as a message id (the file name is not a word to translate).
_DATA_NOTICE_MESSAGE = N_(
    "These figures are synthetic: the raw folder carries the {marker} marker. Except a few "
    "budget and beneficiary figures taken from published sources, they illustrate the "
    "method and are not an official assessment."
)


def data_notice(synthetic: bool) -> str:
    """The notice a page built from synthetic data carries, in the current language;
    empty for real submissions."""
    if not synthetic:
        return ""
    return str(claims.synthetic_notice(_(_DATA_NOTICE_MESSAGE).format(marker="SYNTHETIC"),
                                       where="narrative.data_notice"))


def fiscal_year_phrase(headline: dict) -> str:
    """`` · budget figures for FY 2023-24`` for a report's subtitle (empty without a year)."""
    fy = headline.get("fiscal_year")
    if not fy:
        return ""
    return _(" · budget figures for FY {fiscal_year}").format(
        fiscal_year=localise_digits(str(fy), current().language))


#: The folder of the reports that cover all fiscal years (the runner files them there).
ALL_YEARS_FOLDER = "all-years/"
#: Said near the top of a page that covers all fiscal years, in the page's language.
ALL_YEARS_NOTE = N_("All fiscal years: no budget is on record for these programmes and their forms name no "
                    "assessment round, so this page's figures cannot be placed in one fiscal year (the page is "
                    "kept in the folder {folder}).")


def all_years_note(tables: Tables, ministry: str | None = None, fiscal_year: str | None = None) -> str:
    """:data:`ALL_YEARS_NOTE` when the unit's report covers all fiscal years: no year
    was asked for (``fiscal_year``, the page's parameter) and the unit has no budget
    year and no assessment round (``diagnostics.budgets.report_year``, the runner's own
    test for the folder); else "". ``ministry`` a register code, None for every
    ministry (the national overview, a cluster, the national plan)."""
    if fiscal_year or report_year(tables.budgets, tables.assessments, ministry) is not None:
        return ""
    return _(ALL_YEARS_NOTE).format(folder=ALL_YEARS_FOLDER)


def all_years(tables: Tables, ministry: str | None = None, fiscal_year: str | None = None):
    """:func:`all_years_note` as a paragraph for the page's top (a notebook output),
    or None."""
    from IPython.display import HTML  # only a notebook shows it

    note = all_years_note(tables, ministry, fiscal_year)
    return HTML(f"<p>{html.escape(note)}</p>") if note else None


#: Shown instead of the coverage section when a ministry has no processed extract
#: (a message id: :func:`no_coverage` gives it in the current language).
NO_COVERAGE = N_("No MIS beneficiary extract has been processed for this ministry's programmes, so coverage "
                 "by sex comes only from the forms above.")


def no_coverage() -> str:
    """:data:`NO_COVERAGE` in the current language."""
    return _(NO_COVERAGE)
