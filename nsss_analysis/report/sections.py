"""Report sections: one call per section, so notebook cells hold no logic. Each
returns display objects built with :mod:`nsss_analysis.report.display` (escaped)."""

from __future__ import annotations

import pandas as pd

from nsss_analysis.diagnostics.counting import NOTHING_TO_RESOLVE, resolution_in_words
from nsss_analysis.diagnostics.recommendations import action_in_words
from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.trends import AnswerChange
from nsss_analysis.mis import coverage as mis_coverage
from nsss_analysis.reference.glossary import ANSWER_NAMES, CLUSTER_NAMES, ITEM_NAMES, LEVEL_NAMES
from nsss_analysis.reference.i18n import N_, _, current, ngettext
from nsss_analysis.reference.numbers import fiscal_year, localise_digits
from nsss_analysis.reference.vocab import LEVELS
from nsss_analysis.report import claims, coverage_text, figures, model_text, notices, quality_text, readings, trend_text
from nsss_analysis.report.card_parts import card_digits
from nsss_analysis.report.display import MISSING, bullets, every_programme, figure, heading, paragraph, table
from nsss_analysis.report.figures.national import term_words
from nsss_analysis.report.labels import label
from nsss_analysis.report.level_rule import level_rule_in_words
from nsss_analysis.report.wording import percent


def headers(columns: dict[str, str]) -> dict[str, str]:
    """A table's column names (message ids) in the report's language."""
    return {column: _(words) for column, words in columns.items()}


def _words(value: object, names: dict[str, str]) -> object:
    """A code of the data (level, cluster, answer) in the report's language; other
    values (missing, or a code the vocabulary lacks) as they are."""
    return _(names[value]) if isinstance(value, str) and value in names else value


def _answer(value: object) -> object:
    """An answer code as a table cell: the answer's word in the report's language."""
    return _words(value, ANSWER_NAMES)


#: The programme table's columns, in words.
PROGRAMME_COLUMNS: dict[str, str] = {
    "programme": N_("Programme"),
    "cluster": N_("NSSS cluster"),
    "level": N_("Level (WHO GRAS)"),
    "inclusion_score": N_("Inclusion score (0-100)"),
    "potential_score": N_("Potential score (0-100)"),
    "completeness": N_("Completeness"),
    "gender_marker": N_("Gender marker (0-2)"),
    "data_readiness": N_("Data readiness (weakest link)"),
    "level_rule": N_("Why this level"),
}


def programme_table(programmes: pd.DataFrame):
    """The ministry's programmes with level and scores: the most gender-responsive
    level first, then by inclusion score (programmes of one ministry, not ministries)."""

    if programmes is None or not len(programmes):
        return paragraph(_("No programme assessed."))
    order = {level: i for i, level in enumerate(reversed(LEVELS))}
    df = programmes.assign(_level=programmes["level"].map(order), level_rule=[
        level_rule_in_words(lv, rule) if isinstance(rule, str) else rule
        for lv, rule in zip(programmes["level"], programmes["level_rule"], strict=True)])
    df = df.sort_values(["_level", "inclusion_score", "programme"], ascending=[True, False, True],
                        na_position="last")
    shown = {"level": LEVEL_NAMES, "cluster": CLUSTER_NAMES}
    df = df.assign(**{c: df[c].map(lambda v, names=names: _words(v, names))
                      for c, names in shown.items() if c in df.columns})
    if "data_readiness" in df.columns:
        df = df.assign(data_readiness=df["data_readiness"].map(_answer))
    return table(df, headers(PROGRAMME_COLUMNS), digits={"inclusion_score": 0, "potential_score": 0,
                                                "completeness": 2})


#: Columns of the recommendations table, in words.
RECOMMENDATION_COLUMNS: dict[str, str] = {
    "rank": N_("Rank"),
    "programme": N_("Programme"),
    "item_label": N_("Item"),
    "answer": N_("Answer"),
    "possible": N_("Possible, says the form"),
    "action": N_("Action (the guideline's words)"),
    "budget_crore": N_("Budget (BDT crore)"),
}


#: The follow-up's answer in the recommendations table ("is the change possible?").
POSSIBLE_WORDS: dict[str, str] = {"yes": N_("yes"), "no": N_("no"), "unknown": N_("not known")}

#: Rows of the ranked recommendations a report shows; the always-listed ones
#: (missing sex-disaggregated data, missing gender indicators) are shown in any case.
RECOMMENDATIONS_SHOWN = 15


def recommendations_table(recs: pd.DataFrame, top: int = RECOMMENDATIONS_SHOWN):
    """The ranked recommendations: the first ``top``, plus every always-listed one."""

    if recs is None or not len(recs):
        return paragraph(_("No gap to act on: every item is answered yes or not applicable."))
    shown = recs[(recs["rank"] <= top) | recs["always_listed"].astype(bool)].sort_values("rank")
    shown = shown.assign(
        item_label=shown["item"].map(label),
        action=[action_in_words(i) or a for i, a in zip(shown["item"], shown["action"], strict=True)],
        answer=shown["answer"].map(lambda a: _words(a, ANSWER_NAMES)),
        possible=shown["followup_answer"].map(lambda a: _(POSSIBLE_WORDS[a]) if a in POSSIBLE_WORDS else MISSING),
    )
    caption = None
    if len(shown) < len(recs):
        caption = _("The first {top} of {total} actions, and every action on missing sex-disaggregated data or "
                    "gender indicators; every action is in the programme cards above and in the action-plan "
                    "workbook.").format(top=claims.count(top, where='sections'), total=claims.count(len(recs), where='sections'))
    return table(shown, headers(RECOMMENDATION_COLUMNS), digits={"budget_crore": 0}, caption=caption)


#: Columns of a model's coefficient table, in words (the odds ratios for a logistic model).
MODEL_COLUMNS: dict[str, str] = {
    "term": N_("Term"),
    "estimate": N_("Estimate"),
    "ci_low": N_("95% low"),
    "ci_high": N_("95% high"),
    "p_value": N_("p"),
    "odds_ratio": N_("Odds ratio"),
    "odds_ratio_ci_low": N_("OR 95% low"),
    "odds_ratio_ci_high": N_("OR 95% high"),
}


def model_section(result) -> list:
    """A model's reading, and its coefficients (figure and table) when it was fitted;
    otherwise only the reason there is no model. A logistic model (coefficients with
    ``odds_ratio``) is drawn as odds ratios on a log axis."""

    out = [paragraph(model_text.model_reading(result))]
    if result is None or not result.ok:
        return out
    odds_ratio = "odds_ratio" in result.coefficients.columns
    title = _("Model: {name}, n={n}").format(name=_(result.name), n=claims.count(result.n, where='sections.model'))
    out.append(figure(figures.model_coefficients(result.coefficients, title, odds_ratio=odds_ratio),
                      ngettext("Fitted on {n} programme.", "Fitted on {n} programmes.", result.n).format(
                          n=claims.count(result.n, where='sections.model'))))
    columns = {column: words for column, words in MODEL_COLUMNS.items()
               if odds_ratio or not column.startswith("odds_ratio")}
    coefficients = result.coefficients.assign(term=result.coefficients["term"].map(term_words))
    out.append(table(coefficients, headers(columns), digits=3))
    return out


#: Columns of the paired-trend table, in words.
PAIR_COLUMNS: dict[str, str] = {
    "programme": N_("Programme"),
    "round_before": N_("Earlier round"),
    "round_after": N_("Later round"),
    "score_before": N_("Score, earlier"),
    "score_after": N_("Score, later"),
    "change": N_("Change"),
    "level_before": N_("Level, earlier"),
    "level_after": N_("Level, later"),
    "items_changed": N_("Answers that changed"),
}


#: One changed answer of a paired programme as the trend table stores it: ``item before → after``.


def _changes_in_words(changed: object) -> object:
    """The trend table's changed answers (:class:`AnswerChange` codes, as
    ``diagnostics.trends`` gives them) in the report's language:
    ``Plan graduation: no → partly; ...``."""
    if not isinstance(changed, (tuple, list)):
        return changed
    return "; ".join(
        f"{_(ITEM_NAMES.get(c.item, c.item))}: {_words(c.before, ANSWER_NAMES)} → {_words(c.after, ANSWER_NAMES)}"
        for c in map(AnswerChange._make, changed))


def trend_section(trend) -> list:
    """The paired trend across assessment rounds: only programmes assessed in both, the
    number paired, each programme's change; or why there is no trend."""

    if trend is None or not trend.ok:
        return [paragraph(trend_text.trend_reading(trend))]
    pairs = trend.pairs.assign(**{c: trend.pairs[c].map(lambda v: _words(v, LEVEL_NAMES))
                                  for c in ("level_before", "level_after") if c in trend.pairs.columns})
    pairs = pairs.assign(**{c: pairs[c].map(lambda v: localise_digits(v) if isinstance(v, str) else v)
                            for c in ("round_before", "round_after") if c in pairs.columns})
    if "items_changed" in pairs.columns:  # item names and answers in words, English too
        pairs = pairs.assign(items_changed=pairs["items_changed"].map(_changes_in_words))
    return [
        figure(figures.trend_by_round(trend.pairs), trend_text.trend_reading(trend)),
        table(pairs, headers(PAIR_COLUMNS), digits={"score_before": 0, "score_after": 0, "change": 0}),
    ]


#: Columns of the budget trend table, in words.
BUDGET_TREND_COLUMNS: dict[str, str] = {
    "fiscal_year": N_("Fiscal year"),
    "n_programmes": N_("Programmes with a budget every year"),
    "budget_crore": N_("Budget (BDT crore)"),
    "n_programmes_women": N_("Programmes reporting women every year"),
    "women_share": N_("Women's share of their beneficiaries"),
}


def budget_trend_section(table: pd.DataFrame | None) -> list:
    """Budgets and women's share across fiscal years for the same programmes."""
    out = [paragraph(trend_text.budget_trend_reading(table))]
    if table is not None and len(table) and int(table["n_programmes"].iloc[0]):
        lang = current().language
        shown = table.assign(women_share=table["women_share"].map(percent),
                             fiscal_year=table["fiscal_year"].map(lambda fy: fiscal_year(fy, lang)))
        out.append(table_of(shown))
    return out


def table_of(df: pd.DataFrame):
    return table(df, headers(BUDGET_TREND_COLUMNS), digits={"budget_crore": 0})


#: Columns of the counting table, in words.
COUNTING_COLUMNS: dict[str, str] = {
    "programme": N_("Programme"),
    "assessment_round": N_("Round"),
    "rows": N_("Rows"),
    "resolution": N_("How it is counted"),
    "used": N_("Row used"),
    "set_unknown": N_("Answers the forms differ on (disputed)"),
}


def counting_section(resolution: pd.DataFrame | None) -> list:
    """Programmes with more than one row in a round and how each is counted once."""
    if resolution is None or not len(resolution):
        return [paragraph(_(NOTHING_TO_RESOLVE))]
    with every_programme():  # the table names the disputed programmes: no note that they are left out
        return [paragraph(quality_text.counting_reading(resolution)),
                table(resolution_in_words(resolution, row_text=_source_row), headers(COUNTING_COLUMNS))]


def _source_row(row: int) -> str:
    """A form row's number in the counting table (where the row is): a figure of the
    page's ledger, as a card's row number is."""
    return card_digits(int(row), unit="number", where="sections.counting")


def coverage_section(tables, ministry_code: str) -> list:
    """The MIS coverage section of a ministry report: women's share per programme with
    intervals, by age band, by district, benefit amounts and payment channels by sex,
    and where the form and the MIS disagree; one sentence when the ministry has no
    processed extract. ``tables``: :class:`nsss_analysis.io.Tables`."""
    with every_programme():  # the beneficiary lists, not the counted forms
        return _coverage_section(tables, ministry_code)


def _coverage_section(tables, ministry_code: str) -> list:
    coverage = tables.coverage_by_sex
    if coverage is None or not (coverage["ministry_code"] == ministry_code).any():
        return [paragraph(notices.no_coverage())]
    shares = mis_coverage.women_share_by_programme(coverage, ministry_code)
    by_age = mis_coverage.coverage_by_age_band(coverage, ministry_code)
    by_district = mis_coverage.coverage_by_district(coverage, ministry_code)
    amounts = mis_coverage.amount_by_sex(coverage, ministry_code)
    channels = mis_coverage.payment_channel_by_sex(coverage, ministry_code)
    disagreements = mis_coverage.form_mis_disagreements(coverage, tables.assessments, tables.coverage_quality)
    disagreements = disagreements[disagreements["ministry_code"] == ministry_code]
    return [
        figure(figures.women_share_points(shares), coverage_text.coverage_reading(shares)),
        figure(figures.coverage_by_age_band(by_age), coverage_text.age_band_reading(by_age)),
        figure(figures.coverage_by_district(by_district), coverage_text.district_reading(by_district)),
        figure(figures.amount_by_sex(amounts), coverage_text.amount_reading(amounts)),
        figure(figures.payment_channel_by_sex(channels), coverage_text.channel_reading(channels)),
        paragraph(_("Where the form and the MIS disagree on sex-disaggregated data:")),
        bullets(coverage_text.disagreement_sentences(disagreements)),
    ]


#: The analyst's sections of a ministry report, after the cards: heading, introduction
#: (message ids: shown in the report's language).
DETAIL_HEADINGS = {
    "programmes": (N_("Programmes, levels and scores"),
                   N_("Each programme's level follows the WHO Gender Responsive Assessment Scale; the inclusion "
                      "score is the mean of three domains (intent, transformative elements, evidence), 0-100; "
                      "the potential score counts every gap the ministry says it can close as closed. The method "
                      "note at the end shows how to recompute each figure.")),
    "items": (N_("The ten items, programme by programme"), None),
    "lifecycle": (N_("Clusters and life-cycle stages"),
                  N_("A programme naming several stages counts under each, with its whole budget.")),
    "budget": (N_("Budget and women's share of beneficiaries"), None),
    "recommendations": (N_("Recommendations, ranked"),
                        N_("Each gap (an item not answered yes) is an action in the words of the 2019 programme "
                           "assessment guideline, ranked first where the form says the change is possible, then "
                           "by the programme's budget.")),
    "coverage": (N_("Coverage by sex in the beneficiary lists (MIS)"),
                 N_("Where a programme's management information system exported its beneficiary list, "
                    "coverage by sex is measured directly instead of taken from the form.")),
}


def ministry_details(tables, summary: dict, headline: dict) -> list:
    """The analyst's part of a ministry report, after the first screen, the programme
    cards and the action plan: the programme table, the answers heatmap, the life-cycle
    matrix, budgets and women's share, the ranked recommendations and MIS coverage,
    each under its heading.

    With fewer than ``SMALL_N`` programmes the report is the cards and the action plan:
    each card already says all of this for its programme, and tables and charts across
    so few programmes would suggest a pattern they cannot show; one sentence says so.
    """
    n = int(headline.get("n_programmes") or 0)
    if n < SMALL_N:
        return [paragraph(ngettext(
            "With {n} programme (fewer than {small_n}), this report is the programme cards and the action plan "
            "above: each card gives the programme's answers, level, money, beneficiaries, coverage by sex and "
            "actions.",
            "With {n} programmes (fewer than {small_n}), this report is the programme cards and the action plan "
            "above: each card gives the programme's answers, level, money, beneficiaries, coverage by sex and "
            "actions.", n).format(n=claims.count(n, where='sections'), small_n=claims.count(SMALL_N, where='sections')))]

    def section(key: str, *items) -> list:
        title, intro = DETAIL_HEADINGS[key]
        return [heading(_(title), 2), *([paragraph(_(intro))] if intro else []), *items]

    fy = headline["fiscal_year"]
    return [
        *section("programmes", programme_table(summary["programmes"]),
                 paragraph(readings.readiness_reading(summary["data_readiness"]))),
        *section("items", figure(figures.item_heatmap(summary["assessments"]),
                                 readings.item_heatmap_reading(summary["assessments"]))),
        *section("lifecycle", figure(figures.lifecycle_heatmap(summary["lifecycle_matrix"]),
                                     readings.lifecycle_reading(summary["lifecycle_matrix"]))),
        *section("budget", figure(
            figures.budget_and_women_share(summary["programme_budgets"], summary["women_share_by_programme"],
                                           fy, headline["ministry_code"]),
            readings.women_share_reading(summary["women_beneficiary_share"], fy))),
        *section("recommendations", paragraph(readings.recommendations_reading(summary["recommendations"])),
                 recommendations_table(summary["recommendations"])),
        *section("coverage", *coverage_section(tables, headline["ministry_code"])),
    ]
