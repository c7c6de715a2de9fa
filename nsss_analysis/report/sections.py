"""Report sections: one call per section, so notebook cells hold no logic. Each
returns display objects built with :mod:`nsss_analysis.report.display` (escaped)."""

from __future__ import annotations

import pandas as pd

from nsss_analysis.diagnostics.recommendations import action_in_words
from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.mis import coverage as mis_coverage
from nsss_analysis.reference.i18n import N_, _
from nsss_analysis.reference.vocab import LEVELS
from nsss_analysis.report import figures, narrative
from nsss_analysis.report.display import MISSING, bullets, figure, heading, paragraph, table
from nsss_analysis.report.labels import ANSWER_LABELS, label
from nsss_analysis.report.level_rule import level_rule_in_words
from nsss_analysis.report.wording import percent, sentence

#: The programme table's columns, in words.
PROGRAMME_COLUMNS: dict[str, str] = {
    "programme": "Programme",
    "cluster": "NSSS cluster",
    "level": "Level (WHO GRAS)",
    "inclusion_score": "Inclusion score (0-100)",
    "potential_score": "Potential score (0-100)",
    "completeness": "Completeness",
    "gender_marker": "Gender marker (0-2)",
    "data_readiness": "Data readiness (weakest link)",
    "level_rule": "Why this level",
}


def programme_table(programmes: pd.DataFrame):
    """The ministry's programmes with level and scores: the most gender-responsive
    level first, then by inclusion score (programmes of one ministry, not ministries)."""

    if programmes is None or not len(programmes):
        return paragraph("No programme assessed.")
    order = {level: i for i, level in enumerate(reversed(LEVELS))}
    df = programmes.assign(_level=programmes["level"].map(order), level_rule=[
        level_rule_in_words(lv, rule) if isinstance(rule, str) else rule
        for lv, rule in zip(programmes["level"], programmes["level_rule"], strict=True)])
    df = df.sort_values(["_level", "inclusion_score", "programme"], ascending=[True, False, True],
                        na_position="last")
    return table(df, PROGRAMME_COLUMNS, digits={"inclusion_score": 0, "potential_score": 0,
                                                "completeness": 2})


#: Columns of the recommendations table, in words.
RECOMMENDATION_COLUMNS: dict[str, str] = {
    "rank": "Rank",
    "programme": "Programme",
    "item_label": "Item",
    "answer": "Answer",
    "possible": "Possible, says the form",
    "action": "Action (the guideline's words)",
    "budget_crore": "Budget (BDT crore)",
}


#: Rows of the ranked recommendations a report shows; the always-listed ones
#: (missing sex-disaggregated data, missing gender indicators) are shown in any case.
RECOMMENDATIONS_SHOWN = 15


def recommendations_table(recs: pd.DataFrame, top: int = RECOMMENDATIONS_SHOWN):
    """The ranked recommendations: the first ``top``, plus every always-listed one."""

    if recs is None or not len(recs):
        return paragraph("No gap to act on: every item is answered yes or not applicable.")
    shown = recs[(recs["rank"] <= top) | recs["always_listed"].astype(bool)].sort_values("rank")
    shown = shown.assign(
        item_label=shown["item"].map(label),
        action=[action_in_words(i) or a for i, a in zip(shown["item"], shown["action"], strict=True)],
        answer=shown["answer"].map(lambda a: ANSWER_LABELS.get(a, a)),
        possible=shown["followup_answer"].map(
            lambda a: {"yes": "yes", "no": "no", "unknown": "not known"}.get(a, MISSING)
        ),
    )
    caption = None
    if len(shown) < len(recs):
        caption = (f"The first {top} of {len(recs)} actions, and every action on missing "
                   "sex-disaggregated data or gender indicators; every action is in the programme cards "
                   "above and in the action-plan workbook.")
    return table(shown, RECOMMENDATION_COLUMNS, digits={"budget_crore": 0}, caption=caption)


def model_section(result) -> list:
    """A model's reading, and its coefficients (figure and table) when it was fitted;
    otherwise only the reason there is no model. A logistic model (coefficients with
    ``odds_ratio``) is drawn as odds ratios on a log axis."""

    out = [paragraph(narrative.model_reading(result))]
    if result is None or not result.ok:
        return out
    odds_ratio = "odds_ratio" in result.coefficients.columns
    title = f"Model: {result.name}, n={result.n}"
    out.append(figure(figures.model_coefficients(result.coefficients, title, odds_ratio=odds_ratio),
                      sentence(result.message) + "."))
    columns = {"term": "Term", "estimate": "Estimate", "ci_low": "95% low", "ci_high": "95% high",
               "p_value": "p"}
    if odds_ratio:
        columns |= {"odds_ratio": "Odds ratio", "odds_ratio_ci_low": "OR 95% low",
                    "odds_ratio_ci_high": "OR 95% high"}
    out.append(table(result.coefficients, columns, digits=3))
    return out


#: Columns of the paired-trend table, in words.
PAIR_COLUMNS: dict[str, str] = {
    "programme": "Programme",
    "round_before": "Earlier round",
    "round_after": "Later round",
    "score_before": "Score, earlier",
    "score_after": "Score, later",
    "change": "Change",
    "level_before": "Level, earlier",
    "level_after": "Level, later",
    "items_changed": "Answers that changed",
}


def trend_section(trend) -> list:
    """The paired trend across assessment rounds: only programmes assessed in both, the
    number paired, each programme's change; or why there is no trend."""

    if trend is None or not trend.ok:
        return [paragraph(sentence(trend.message) + "." if trend is not None else "No trend.")]
    return [
        figure(figures.trend_by_round(trend.pairs), narrative.trend_reading(trend)),
        table(trend.pairs, PAIR_COLUMNS, digits={"score_before": 0, "score_after": 0, "change": 0}),
    ]


#: Columns of the budget trend table, in words.
BUDGET_TREND_COLUMNS: dict[str, str] = {
    "fiscal_year": "Fiscal year",
    "n_programmes": "Programmes with a budget every year",
    "budget_crore": "Budget (BDT crore)",
    "n_programmes_women": "Programmes reporting women every year",
    "women_share": "Women's share of their beneficiaries",
}


def budget_trend_section(table: pd.DataFrame | None) -> list:
    """Budgets and women's share across fiscal years for the same programmes."""
    out = [paragraph(narrative.budget_trend_reading(table))]
    if table is not None and len(table) and int(table["n_programmes"].iloc[0]):
        shown = table.assign(women_share=table["women_share"].map(percent))
        out.append(table_of(shown))
    return out


def table_of(df: pd.DataFrame):
    return table(df, BUDGET_TREND_COLUMNS, digits={"budget_crore": 0})


#: Columns of the counting table, in words.
COUNTING_COLUMNS: dict[str, str] = {
    "programme": "Programme",
    "assessment_round": "Round",
    "rows": "Rows",
    "resolution": "How it is counted",
    "used": "Row used",
    "set_unknown": "Answers set to unknown",
}


def counting_section(resolution: pd.DataFrame | None) -> list:
    """Programmes with more than one row in a round and how each is counted once."""
    if resolution is None or not len(resolution):
        return [paragraph("Every programme has one row per assessment round: nothing to resolve.")]
    return [paragraph(narrative.counting_reading(resolution)),
            table(resolution, COUNTING_COLUMNS)]


def coverage_section(tables, ministry_code: str) -> list:
    """The MIS coverage section of a ministry report: women's share per programme with
    intervals, by age band, by district, benefit amounts and payment channels by sex,
    and where the form and the MIS disagree; one sentence when the ministry has no
    processed extract. ``tables``: :class:`nsss_analysis.io.Tables`."""
    coverage = tables.coverage_by_sex
    if coverage is None or not (coverage["ministry_code"] == ministry_code).any():
        return [paragraph(narrative.NO_COVERAGE)]
    shares = mis_coverage.women_share_by_programme(coverage, ministry_code)
    by_age = mis_coverage.coverage_by_age_band(coverage, ministry_code)
    by_district = mis_coverage.coverage_by_district(coverage, ministry_code)
    amounts = mis_coverage.amount_by_sex(coverage, ministry_code)
    channels = mis_coverage.payment_channel_by_sex(coverage, ministry_code)
    disagreements = mis_coverage.form_mis_disagreements(coverage, tables.assessments, tables.coverage_quality)
    disagreements = disagreements[disagreements["ministry_code"] == ministry_code]
    return [
        figure(figures.women_share_points(shares), narrative.coverage_reading(shares)),
        figure(figures.coverage_by_age_band(by_age), narrative.age_band_reading(by_age)),
        figure(figures.coverage_by_district(by_district), narrative.district_reading(by_district)),
        figure(figures.amount_by_sex(amounts), narrative.amount_reading(amounts)),
        figure(figures.payment_channel_by_sex(channels), narrative.channel_reading(channels)),
        paragraph("Where the form and the MIS disagree on sex-disaggregated data:"),
        bullets(narrative.disagreement_sentences(disagreements)),
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
        return [paragraph(f"With {n} programme{'s' if n != 1 else ''} (fewer than {SMALL_N}), this report is the "
                          "programme cards and the action plan above: each card gives the programme's answers, "
                          "level, money, beneficiaries, coverage by sex and actions.")]

    def section(key: str, *items) -> list:
        title, intro = DETAIL_HEADINGS[key]
        return [heading(_(title), 2), *([paragraph(_(intro))] if intro else []), *items]

    fy = headline["fiscal_year"]
    return [
        *section("programmes", programme_table(summary["programmes"]),
                 paragraph(narrative.readiness_reading(summary["data_readiness"]))),
        *section("items", figure(figures.item_heatmap(summary["assessments"]),
                                 narrative.item_heatmap_reading(summary["assessments"]))),
        *section("lifecycle", figure(figures.lifecycle_heatmap(summary["lifecycle_matrix"]),
                                     narrative.lifecycle_reading(summary["lifecycle_matrix"]))),
        *section("budget", figure(
            figures.budget_and_women_share(summary["programme_budgets"], summary["women_share_by_programme"],
                                           fy, headline["ministry_code"]),
            narrative.women_share_reading(summary["women_beneficiary_share"], fy))),
        *section("recommendations", paragraph(narrative.recommendations_reading(summary["recommendations"])),
                 recommendations_table(summary["recommendations"])),
        *section("coverage", *coverage_section(tables, headline["ministry_code"])),
    ]
