"""The top of a ministry or cluster page:

- :func:`first_screen_html`: the verdict in plain words, the programmes by level and
  "what we ask of you" (:mod:`nsss_analysis.report.first_screen`), with the question
  on disputed programmes (which form stands?);
- :func:`in_figures_html`: below it, the analyst's sentences, what the levels mean and
  the forms on record;
- the display objects the notebooks put in a cell, and the download links.

Every value from a form goes through :func:`nsss_analysis.report.display.escape`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from nsss_analysis.diagnostics.budgets import NO_BUDGET_YEAR
from nsss_analysis.diagnostics.summaries import with_budget_of_year
from nsss_analysis.io import Tables
from nsss_analysis.reference.glossary import LEVEL_NAMES
from nsss_analysis.reference.i18n import _, ngettext
from nsss_analysis.reference.numbers import date
from nsss_analysis.reference.vocab import LEVELS
from nsss_analysis.report import first_screen as screen
from nsss_analysis.report.card_parts import (
    LEVEL_GLOSS,
    card_digits,
    card_number,
    notebook_html,
    programme_name,
    text_of,
)
from nsss_analysis.report.display import escape
from nsss_analysis.report.downloads import links_html
from nsss_analysis.report.wording import join_words


def level_counts(scores: pd.DataFrame) -> dict[str, int]:
    """Programmes per level, most gender-responsive first (levels with none left out)."""
    counts = scores["level"].value_counts()
    return {lv: int(counts[lv]) for lv in reversed(LEVELS) if lv in counts.index}


def verdict(scores: pd.DataFrame, unit: str) -> str:
    """The first screen's verdict in plain words (:func:`screen.verdict_line`)."""
    return screen.verdict_line(scores, unit)


def levels_key(scores: pd.DataFrame) -> str:
    """What each level of the unit's programmes means, with its count: one line under
    the analyst's sentences (the first screen shows the counts, not the definitions)."""
    counts = level_counts(scores)
    if not counts:
        return ""
    parts = [_("{count} {level} ({gloss})").format(count=card_digits(c), level=_(LEVEL_NAMES.get(lv, lv)),
                                                   gloss=_(LEVEL_GLOSS[lv]))
             for lv, c in counts.items()]
    return _("What the levels mean: {levels}.").format(levels=join_words(parts, _("and")))


def submission_line(assessments: pd.DataFrame) -> str:
    """The assessment round and the date the form was received (the workbook's own
    date, never a file time), per submitted file."""
    if not len(assessments):
        return ""
    round_col = "assessment_round" if "assessment_round" in assessments.columns else "assessment_fy"
    parts = []
    for file, rows in assessments.groupby("source_file", sort=True):
        rnd = text_of(rows[round_col].iloc[0]) if round_col in rows.columns else ""
        received = text_of(rows["received_date"].iloc[0]) if "received_date" in rows.columns else ""
        received = received[:10] if received else ""
        parts.append(_("{file}: round {round}, received {received}").format(
            file=file, round=card_digits(rnd) if rnd else _("not stated"),
            received=date(received) if received else _("date not recorded")))
    return ngettext("Form on record: {forms}.", "Forms on record: {forms}.", len(parts)).format(
        forms="; ".join(parts))


def forms_on_record(assessments: pd.DataFrame, disputed: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows behind a page, with the forms of its disputed programmes (left out of
    every figure, but read, and shown on their cards): the files the page names."""
    if disputed is None or not len(disputed):
        return assessments
    extra = disputed[[c for c in assessments.columns if c in disputed.columns]]
    return pd.concat([assessments, extra], ignore_index=True) if len(assessments) else extra


def which_form_stands(disputed: pd.DataFrame | None) -> str:
    """The first screen's question on disputed programmes (two differing forms, nothing
    telling which is later), naming them; empty when there are none."""
    if disputed is None or not len(disputed):
        return ""
    names = [programme_name(c, p) for c, p in
             disputed.drop_duplicates("dispute")[["ministry_code", "programme"]].itertuples(index=False)]
    return ngettext(
        "Which form stands? {n} programme came in two differing forms and nothing tells which is the later "
        "one: {names}. Its card shows both; until you say which stands, it is left out of every figure.",
        "Which form stands? {n} programmes came in two differing forms and nothing tells which is the later "
        "one: {names}. Their cards show both; until you say which stands, they are left out of every figure.",
        len(names)).format(n=card_number(len(names)), names=join_words(names, _("and")))


def programme_names(scores: pd.DataFrame) -> dict[str, str]:
    """Each scored programme's name as the page prints it (:func:`programme_name`)."""
    if not len(scores):
        return {}
    return {row["programme"]: programme_name(row["ministry_code"], row["programme"])
            for row in scores[["ministry_code", "programme"]].to_dict("records")}


def first_screen_html(unit: str, scores: pd.DataFrame, assessments: pd.DataFrame, plan: pd.DataFrame,
                      recs: pd.DataFrame | None = None, disputed: pd.DataFrame | None = None,
                      fiscal_year: str | None = None) -> str:
    """The first screen in three parts (:mod:`nsss_analysis.report.first_screen`):
    verdict, programmes by level, what we ask of you; escaped. ``recs`` (the
    recommendations) gives each programme's budget, of the page's budget year
    ``fiscal_year`` (:func:`asks_of_year`). With ``disputed`` programmes (two differing
    forms, nothing telling which is later) it first asks which form stands."""
    html = screen.first_screen_html(unit, scores, plan, recs, programme_names(scores), fiscal_year)
    question = which_form_stands(disputed)
    if not question:
        return html
    block = f'<p class="nsss-disputed"><strong>{escape(question)}</strong></p>'
    end = html.rfind("</section>")
    return html[:end] + block + html[end:] if end >= 0 else html + block


def in_figures_html(scores: pd.DataFrame, assessments: pd.DataFrame, sentences: Sequence[str] = ()) -> str:
    """Below the first screen: the analyst's sentences, what the levels mean and the
    forms on record (round and date received)."""
    bullets = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    return (f"<h2>{escape(_(screen.ANALYSIS_HEADING))}</h2>"
            + (f'<ul class="nsss-headline">{bullets}</ul>' if bullets else "")
            + f"<p>{escape(levels_key(scores))}</p><p>{escape(submission_line(assessments))}</p>")


def asks_of_year(recs: pd.DataFrame | None, budgets: pd.DataFrame | None,
                 fiscal_year: object) -> tuple[pd.DataFrame | None, str | None]:
    """The recommendations with each programme's amount of the page's budget year only
    (none where it has no figure that year, none at all where no year qualifies: an
    amount of another year beside the page's would mix years), and that year."""
    fy = fiscal_year if isinstance(fiscal_year, str) and fiscal_year and fiscal_year != NO_BUDGET_YEAR else None
    if recs is None:
        return None, fy
    return with_budget_of_year(recs, budgets, fy or NO_BUDGET_YEAR), fy


def first_screen(tables: Tables, summary: Mapping[str, pd.DataFrame], unit: str, plan: pd.DataFrame):
    """The first screen of a report (see :func:`first_screen_html`), for a notebook cell."""
    about = summary.get("about")
    year = about["fiscal_year"].iloc[0] if about is not None and len(about) else None
    recs, fy = asks_of_year(tables.recommendations, tables.budgets, year)
    return notebook_html(first_screen_html(unit, summary["programmes"], summary["assessments"], plan,
                                      recs, summary.get("disputed"), fy))


def in_figures(summary: Mapping[str, pd.DataFrame], sentences: Sequence[str]):
    """The analyst's sentences under the first screen (see :func:`in_figures_html`)."""
    return notebook_html(in_figures_html(summary["programmes"],
                                         forms_on_record(summary["assessments"], summary.get("disputed")), sentences))


def downloads_block(slug: str | None):
    """The report's download links (relative file names beside the page)."""
    return notebook_html(links_html(slug))
