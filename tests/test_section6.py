"""The semantics of the pages' statements (docs/method.md), one rule per test, each on a
small synthetic fixture built to break the old behaviour: exact funnel limits, the
synthetic notice read from the data, the Scores sheet per programme and round,
disputed programmes, the budget year, like-for-like trends, unknowns in headlines,
comparators from the same round and counts by lineage."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from nsss_analysis.mis.coverage import district_funnel

# --- districts: exact funnel limits ---------------------------------------------------------


def _exact_outside(female: int, total: int, p0: float, level: float = 0.998) -> bool:
    """Outside the two-sided limits when either tail beyond the count is rarer than
    (1 - level) / 2 under Binomial(total, p0): the definition, computed directly."""
    tail = (1 - level) / 2
    return bool(stats.binom.cdf(female, total, p0) < tail
                or stats.binom.sf(female - 1, total, p0) < tail)


def test_funnel_limits_are_exact_binomial_not_normal():
    # Synthetic: an overall share near 95%, one small district at 9 of 12 (75%): the normal
    # approximation puts it below the 99.8% limit, the binomial gives P(X <= 9) of about 2%.
    by_district = pd.DataFrame({
        "programme": "Synthetic Allowance", "fiscal_year": "2023-24",
        "district": ["Kushtia", "Dhaka", "Feni", "Bagerhat"],
        "female": [9, 9_491, 2_700, 12], "total": [12, 9_988, 3_000, 12]})
    by_district = by_district.assign(women_share=by_district["female"] / by_district["total"])
    funnel = district_funnel(by_district).set_index("district")
    p0 = by_district["female"].sum() / by_district["total"].sum()
    for d, r in by_district.set_index("district").iterrows():
        assert bool(funnel.loc[d, "outside_998"]) == _exact_outside(r["female"], r["total"], p0), d
    assert not funnel.loc["Kushtia", "outside_998"]
    assert funnel.loc["Feni", "outside_998"]  # 90% of 3,000 against about 94%
    # the limits are shares a district of that size can have, within 0-1
    for name in ("low_95", "high_95", "low_998", "high_998"):
        k = funnel[name] * funnel["total"]
        assert np.allclose(k, np.round(k)) and funnel[name].between(0, 1).all()


# --- synthetic: read from the processed tables -----------------------------------------------

def test_no_notebook_passes_a_literal_to_the_synthetic_notice():
    import ast
    import json
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "notebooks"
    calls = 0
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            for m in re.finditer(r"data_notice\(([^()]*)\)", source):
                calls += 1
                argument = ast.parse(m.group(1) or "None", mode="eval").body
                assert not isinstance(argument, ast.Constant), f"{path.name}: data_notice({m.group(1)})"
            for line in source.splitlines():
                if "data_notice(" in line:
                    assert "synthetic" in line, f"{path.name}: the notice is not conditioned on the data: {line}"
    assert calls >= 3  # national, ministry and cluster notebooks


# --- the data workbook's Scores sheet ---------------------------------------------------------

MOSW = {"ministry": "Ministry of Social Welfare", "ministry_code": "MoSW"}


def _forms(n: int, round_: str | None, file: str, **answers) -> pd.DataFrame:
    """``n`` synthetic MoSW programmes P0..P(n-1) of one file and round."""
    from nsss_analysis.reference.vocab import ITEMS
    from tests.support.frames import assessments_frame, programme_row

    rows = [programme_row(**MOSW, source_file=file, source_row=k + 2, programme=f"P{k}",
                          assessment_round=round_,
                          **(dict.fromkeys(ITEMS[: (k * 3) % 10], "yes") | answers)) for k in range(n)]
    return assessments_frame(*rows)


def test_scores_sheet_has_one_row_per_programme_and_round_with_the_round():
    from nsss_analysis.io import Tables
    from nsss_analysis.report.downloads import ministry_rows

    old = _forms(3, "2018-19", "MoSW 2019.xlsx", graduation="no")
    new = _forms(4, "2023-24", "MoSW 2024.xlsx")
    again = new.iloc[[0]].assign(source_file="MoSW 2024 copy.xlsx")  # repeated cell for cell
    tables = Tables(assessments=pd.concat([old, new, again], ignore_index=True))
    sheet = ministry_rows(tables, "MoSW")["Scores"]
    assert "assessment_round" in sheet.columns
    assert len(sheet) == 7 and not sheet.duplicated(["programme", "assessment_round"]).any()
    assert sheet.groupby("programme")["assessment_round"].nunique().to_dict() == {
        "P0": 2, "P1": 2, "P2": 2, "P3": 1}


# --- disputed programmes ------------------------------------------------------------------------

def test_revision_words_and_dates_in_names_break_ties():
    from nsss_analysis.diagnostics.counting import later_by_name

    assert later_by_name(["MoSW form.xlsx", "MoSW form (final).xlsx"]) == 1
    assert later_by_name(["MoSW_revised.xlsx", "MoSW.xlsx"]) == 0
    assert later_by_name(["MoSW v2.xlsx", "MoSW v3.xlsx"]) == 1
    assert later_by_name(["MoSW.xlsx", "MoSW (2).xlsx"]) == 1
    assert later_by_name(["sent 2024-03-05/MoSW.xlsx", "sent 2024-01-10/MoSW.xlsx"]) == 0
    assert later_by_name(["MoSW 05.03.2024.xlsx", "MoSW 10.01.2024.xlsx"]) == 0
    # nothing tells: both carry the word, different words, a fiscal year is not a date
    assert later_by_name(["MoSW final.xlsx", "MoSW-final.csv"]) is None
    assert later_by_name(["MoSW final.xlsx", "MoSW revised.xlsx"]) is None
    assert later_by_name(["MoSW 2023-24.xlsx", "MoSW 2022-23.xlsx"]) is None
    assert later_by_name(["MoSW.xlsx", "MoSW copy.csv"]) is None


def _disputed_fixture():
    """Synthetic: MoSW P0..P5 in 2023-24 from one file; P0 also in a second file with
    different answers, no received dates and no revision word; P0 in 2018-19 too."""
    new = _forms(6, "2023-24", "MoSW 2024.xlsx")
    twin = new.iloc[[0]].assign(source_file="MoSW copy.csv", empowerment_objective="yes",
                                norms_awareness="yes", social_capital="yes", gender_analysis="no")
    old = _forms(1, "2018-19", "MoSW 2019.xlsx")
    return pd.concat([old, new, twin], ignore_index=True)


def test_a_disputed_programme_is_left_out_and_each_form_keeps_its_own_score():
    from nsss_analysis.diagnostics.counting import counted_assessments, current_assessments, disputed_forms
    from nsss_analysis.diagnostics.scoring import score_programmes

    a = _disputed_fixture()
    counted, resolution = counted_assessments(a)
    line = resolution[resolution["disputed"]]
    assert len(line) == 1 and line.iloc[0]["programme"] == "P0" and line.iloc[0]["used"] == ""
    assert not ((counted["programme"] == "P0") & (counted["assessment_round"] == "2023-24")).any()
    current = current_assessments(counted, resolution)
    assert sorted(current["programme"]) == ["P1", "P2", "P3", "P4", "P5"]  # 2018-19 does not stand in
    forms = disputed_forms(a, resolution)
    assert sorted(forms["source_file"]) == ["MoSW 2024.xlsx", "MoSW copy.csv"]
    own = score_programmes(forms).set_index("source_file")["inclusion_score"]
    by_hand = {f: score_programmes(a[(a["source_file"] == f) & (a["programme"] == "P0")]).iloc[0]["inclusion_score"]
               for f in own.index}
    assert own.to_dict() == by_hand and own.nunique() == 2
    # programmes that are not disputed score as they would alone
    alone = score_programmes(a[a["programme"] != "P0"]).set_index(["programme", "source_file"])
    mine = score_programmes(current).set_index(["programme", "source_file"])
    assert mine["inclusion_score"].equals(alone.loc[mine.index, "inclusion_score"])


def test_a_disputed_programme_is_out_of_counts_means_and_budget_shares_and_said():
    from nsss_analysis.diagnostics.summaries import headline_figures, ministry_summary
    from nsss_analysis.io import Tables
    from nsss_analysis.reference.vocab import BUDGET_COLUMNS
    from nsss_analysis.report import (
        card_parts,
        cards,
        headline_text,
        page_top,
    )

    a = _disputed_fixture()
    budgets = pd.DataFrame([dict(source_file="b.xlsx", source_sheet="Budget", source_row=k + 2, **MOSW,
                                 programme=f"P{k}", cluster="Social Allowance", fiscal_year="2023-24",
                                 budget_crore=100.0 * (k + 1), beneficiaries=np.nan,
                                 women_beneficiaries=np.nan, monthly_rate_bdt=np.nan) for k in range(6)],
                           columns=list(BUDGET_COLUMNS))
    tables = Tables(assessments=a, budgets=budgets)
    h = headline_figures(tables, "MoSW")
    assert h["n_programmes"] == 5 and h["n_disputed"] == 1 and h["disputed_programmes"] == ["P0"]
    assert h["budget_total_crore"] == sum(100.0 * (k + 1) for k in range(1, 6))  # P0's money left out
    text = " ".join(headline_text.headline_sentences(h))
    assert "1 programme with two differing forms (P0) is left out" in text
    summary = ministry_summary(tables, "MoSW")
    assert "P0" not in set(summary["programmes"]["programme"])
    assert (summary["level_shares"].query("scope == 'ministry'")["n"] == 5).all()
    html = cards.programme_cards_html(tables, summary["assessments"], pd.DataFrame(
        columns=["programme", "source_file", "source_row", "ministry_code"]))
    forms = summary["disputed"]
    assert len(forms) == 2 and "Which form stands?" in html
    for score in forms["inclusion_score"]:
        assert "<td" in html and card_parts.card_number(score) in html
    plan = pd.DataFrame(columns=["followup_answer", "rank", "programme", "item_code", "ministry_code", "action",
                                 "action_id", "source_file", "source_row"])
    first = page_top.first_screen_html("MoSW", summary["programmes"], summary["assessments"],
                                    plan, disputed=forms)
    assert "Which form stands? 1 programme came in two differing forms" in first


# --- the budget year ------------------------------------------------------------------------------

def _budget_rows(spec: dict[str, list[int]]) -> pd.DataFrame:
    """Synthetic budget rows: fiscal year -> the programme numbers with a figure that
    year (P{k}: 100 x (k + 1) crore, 10 more each later year)."""
    from nsss_analysis.reference.vocab import BUDGET_COLUMNS

    rows = [dict(source_file="b.xlsx", source_sheet="Budget", source_row=len(spec) * 100 + k, **MOSW,
                 programme=f"P{k}", cluster="Social Allowance", fiscal_year=fy,
                 budget_crore=100.0 * (k + 1) + 10 * i, beneficiaries=np.nan, women_beneficiaries=np.nan,
                 monthly_rate_bdt=np.nan)
            for i, (fy, ks) in enumerate(sorted(spec.items())) for k in ks]
    out = pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))
    return out.assign(source_row=range(2, len(out) + 2))


def test_the_budget_year_is_the_latest_year_most_programmes_have():
    from nsss_analysis.diagnostics.budgets import resolve_fiscal_year

    # 8 programmes with a budget; 2024-25 has 2 of them (latest, but not half), 2023-24 has 6
    b = _budget_rows({"2022-23": list(range(8)), "2023-24": list(range(6)), "2024-25": [0, 1]})
    assert resolve_fiscal_year(b, "MoSW") == "2023-24"
    assert resolve_fiscal_year(b) == "2023-24"
    # fewer than 5 programmes with a figure in any year: no year qualifies
    assert resolve_fiscal_year(_budget_rows({"2023-24": [0, 1, 2, 3]}), "MoSW") is None
    # an explicit year wins
    assert resolve_fiscal_year(b, "MoSW", "2024-25") == "2024-25"


def test_nationally_the_budget_year_needs_half_the_ministries():
    from nsss_analysis.diagnostics.budgets import resolve_fiscal_year

    b = _budget_rows({"2023-24": list(range(6)), "2024-25": list(range(6))})
    others = [b[b["fiscal_year"] == "2023-24"].assign(ministry_code=code, ministry=code,
                                                      source_row=b["source_row"] + 100 * (i + 1))
              for i, code in enumerate(["MoWCA", "MoDMR"])]
    # 2024-25: 6 of 18 programmes (under half) and 1 of 3 ministries: the year is 2023-24
    assert resolve_fiscal_year(pd.concat([b, *others], ignore_index=True)) == "2023-24"


def test_no_budget_share_without_a_budget_year_and_quick_wins_quote_that_year_only():
    from nsss_analysis.diagnostics.recommendations import recommendations
    from nsss_analysis.diagnostics.scoring import score_programmes
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.io import Tables
    from nsss_analysis.report import headline_text

    a = _forms(6, "2023-24", "MoSW 2024.xlsx", social_capital="no", social_capital_possible="yes")
    few = _budget_rows({"2023-24": [0, 1, 2], "2024-25": [0, 1]})
    h = headline_figures(Tables(assessments=a, budgets=few), "MoSW")
    assert h["fiscal_year"] is None and h["no_budget_year"] and np.isnan(h["budget_share"])
    text = " ".join(headline_text.headline_sentences(h))
    assert "no budget share is given" in text and "FY 2024-25: Tk 320 crore, 2 programmes" in text
    assert all(np.isnan(w["budget_crore"]) for w in h["quick_wins"])  # no amount from an unqualified year
    assert "crore)" not in headline_text.headline_sentences(h)[-2]
    # with a qualifying year, the amount quoted is that year's, not the programme's latest
    b = _budget_rows({"2023-24": list(range(6)), "2024-25": [0]})
    recs = recommendations(a, score_programmes(a), b)
    assert 110.0 in set(recs.loc[recs["programme"] == "P0", "budget_crore"])  # P0 latest: 2024-25
    h = headline_figures(Tables(assessments=a, budgets=b), "MoSW")
    assert h["fiscal_year"] == "2023-24"
    amounts = {w["programme"]: w["budget_crore"] for w in h["quick_wins"]}
    assert amounts and all(v == 100.0 * (int(p[1:]) + 1) for p, v in amounts.items())


def test_a_comparison_quotes_the_national_figure_with_its_interval_and_never_says_no_difference():
    from nsss_analysis.report import headline_text, phrases

    assert phrases.compare_units((5, 0.2, 0.5), (40, 0.1, 0.3)).startswith("these data cannot tell")
    h = {"n_programmes": 6, "ministry_code": "MoSW", "mean_inclusion_score": 40.0, "mean_ci_low": 20.0,
         "mean_ci_high": 60.0, "national_mean_inclusion_score": 33.0, "national_mean_ci_low": 28.0,
         "national_mean_ci_high": 38.0, "national_n": 43}
    text = headline_text._score_sentence(h, 6)
    assert "the national mean is 33 (95% interval 28–38), 43 programmes" in text
    assert "no clear difference" not in text


# --- comparators counted the same way as the unit -----------------------------------------------

def test_a_small_ministry_is_compared_with_the_nation_in_the_current_round_only():
    from nsss_analysis.diagnostics.scoring import score_programmes
    from nsss_analysis.diagnostics.summaries import ministry_summary
    from nsss_analysis.io import Tables
    from nsss_analysis.report import comparison

    small = _forms(3, "2023-24", "MoSW 2024.xlsx")
    other = {"ministry": "Ministry of Women and Children Affairs", "ministry_code": "MoWCA"}
    new = _forms(6, "2023-24", "MoWCA 2024.xlsx").assign(**other, programme=lambda d: "W" + d["programme"])
    baseline = new.assign(source_file="MoWCA 2019.xlsx", assessment_round="2018-19")  # counted in 2018-19 only
    a = pd.concat([small, new, baseline], ignore_index=True)
    tables = Tables(assessments=a, scores=score_programmes(a))  # as loaded: scores of every round
    summary = ministry_summary(tables, "MoSW")
    html = str(comparison.national_comparison(summary, tables, "MoSW")[0].data)
    assert "of 9 (" in html and "of 15" not in html
    assert "95% interval" in html  # the national figure with its own interval


# --- counts by lineage ----------------------------------------------------------------------------

def test_a_shared_file_counts_once_and_its_quarantined_lines_go_to_the_ministry_they_name():
    from nsss_analysis.diagnostics.indicators import data_quality
    from nsss_analysis.diagnostics.tracker import submission_tracker, tracker_summary
    from nsss_analysis.reference.i18n import translator
    from nsss_analysis.report import quality_text

    other = {"ministry": "Ministry of Women and Children Affairs", "ministry_code": "MoWCA"}
    mosw = _forms(2, "2023-24", "joint.xlsx")
    mowca = _forms(2, "2023-24", "joint.xlsx").assign(**other, source_row=lambda d: d["source_row"] + 10)
    a = pd.concat([mosw, mowca], ignore_index=True)
    q = pd.DataFrame({"source_file": "joint.xlsx", "source_sheet": "Programmes", "source_row": [20, 21],
                      "column": [None, None],
                      "value": ["Ministry of Social Welfare | Rural Social Services | 2010-11 | ongoing",
                                "Total | 4 programmes"],
                      "reason": "row not used: synthetic", "reason_id": "", "reason_values": ""})
    dq = data_quality(a, q, None, "ministry").set_index("ministry_code")
    assert dq.loc["MoSW", "n_quarantined"] == 1 and dq.loc["MoWCA", "n_quarantined"] == 0
    assert dq.loc["MoWCA", "n_quarantined_shared_unnamed"] == 1
    said = " ".join(quality_text.data_quality_sentences(dq.reset_index().loc[[1]]))
    assert "No line of the submissions was quarantined" not in said and "shares with other ministries" in said
    assert data_quality(a, q, None, "national").iloc[0]["n_quarantined"] == 2
    tracker = submission_tracker(a, None, q, {"MoSW": "Ministry of Social Welfare",
                                              "MoWCA": "Ministry of Women and Children Affairs"})
    first = tracker_summary(tracker, translator("en"))[0]
    assert first.startswith("2 ministries and divisions sent 1 assessment file(s): 4 programme rows accepted, "
                            "2 rows of those files quarantined"), first


# --- like-for-like trends -------------------------------------------------------------------------

def test_an_answer_going_missing_is_not_a_rise():
    from nsss_analysis.diagnostics.counting import counted_assessments
    from nsss_analysis.diagnostics.scoring import score_programmes
    from nsss_analysis.diagnostics.trends import trend_by_round
    from nsss_analysis.report import trend_text

    old = _forms(5, "2018-19", "MoSW 2019.xlsx", gender_analysis="no")
    new = _forms(5, "2023-24", "MoSW 2024.xlsx", gender_analysis="unknown")
    new.loc[new["programme"] == "P1", "skills_training"] = "yes"  # one real change
    counted, _ = counted_assessments(pd.concat([old, new], ignore_index=True))
    result = trend_by_round(counted, score_programmes(counted))
    pairs = result.pairs.set_index("programme")
    assert (pairs.drop(index="P1")["change"] == 0).all()  # the old code read no -> unknown as a rise
    assert pairs.loc["P1", "change"] > 0 and result.summary["n_up"] == 1
    assert (pairs["items_became_unknown"] == "gender_analysis").all()
    text = trend_text.trend_reading(result)
    assert "became unknown in the later round" in text and "not counted as a fall or rise" in text


# --- unknowns in headlines ------------------------------------------------------------------------

def test_a_headline_with_many_unknowns_gives_the_count_read_both_ways():
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.io import Tables
    from nsss_analysis.report import headline_text

    a = _forms(5, "2023-24", "MoSW 2024.xlsx", empowerment_objective="unknown", empowerment_actions="unknown")
    h = headline_figures(Tables(assessments=a), "MoSW")
    assert (h["n_answers"], h["n_unknown"]) == (50, 10) and h["unknown_said"]
    k = h["n_gender_specific_or_transformative"]
    assert h["k_if_unknown_no"] <= k < h["k_if_unknown_yes"] == 5  # an objective at yes makes each specific
    text = " ".join(headline_text.headline_sentences(h))
    assert (f"10 of 50 answers behind this count are unknown; with every unknown read as no, "
            f"{h['k_if_unknown_no']} of 5 programmes would be") in text and "5 of 5 with every unknown read as yes" in text
    few = headline_figures(Tables(assessments=_forms(5, "2023-24", "MoSW 2024.xlsx", graduation="unknown")), "MoSW")
    assert not few["unknown_said"]  # 5 of 50: not more than 1 in 10
    assert "behind this count are unknown" not in " ".join(headline_text.headline_sentences(few))


# --- denominators under 5 in the MIS: counts, in text and charts --------------------------------

def _mis_few_men():
    """Synthetic MIS tables: 1,000 women and 4 men in one programme."""
    channels = pd.DataFrame({"programme": "X", "fiscal_year": "2023-24",
                             "sex": ["female", "female", "male", "male"],
                             "payment_channel": ["mobile", "bank", "mobile", "bank"],
                             "beneficiaries": [900, 100, 3, 1]})
    amounts = pd.DataFrame({"programme": "X", "fiscal_year": "2023-24", "sex": ["female", "male"],
                            "beneficiaries": [1000, 4], "amount_bdt": [600_000.0, 2_600.0],
                            "mean_bdt": [600.0, 650.0]})
    return channels, amounts


def test_shares_and_means_of_fewer_than_5_people_are_counts_in_text():
    from nsss_analysis.report import coverage_text

    channels, amounts = _mis_few_men()
    text = coverage_text.channel_reading(channels)
    assert "3 of 4 men" in text and "75%" not in text and "900 of 1,000 (90%) women" in text
    text = coverage_text.amount_reading(amounts)
    assert "Tk 650" not in text and "4 men, too few for a mean" in text and "(n = 1,000)" in text


def test_a_single_woman_or_man_is_counted_in_the_singular():
    import pandas as pd

    from nsss_analysis.reference.i18n import language
    from nsss_analysis.report import coverage_text

    amounts = pd.DataFrame({"programme": "X", "fiscal_year": "2023-24", "sex": ["female", "male"],
                            "beneficiaries": [1, 1], "amount_bdt": [600.0, 650.0], "mean_bdt": [600.0, 650.0]})
    text = coverage_text.amount_reading(amounts)
    assert "1 woman and 1 man, too few for a mean of both" in text, text
    with language("bn"):
        text = coverage_text.amount_reading(amounts)
    assert "১ জন নারী ও ১ জন পুরুষ" in text and "1" not in text, text


def test_charts_label_fewer_than_5_people_with_counts_and_draw_no_mean():
    from nsss_analysis.report import figures

    figures.set_theme()
    channels, amounts = _mis_few_men()
    fig = figures.payment_channel_by_sex(channels)
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("3 of 4" in t for t in labels) and not any("75%" in t for t in labels) and "90%" in labels
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert 0.75 not in widths and 0.25 not in widths  # no share bar for the 4 men
    fig = figures.amount_by_sex(amounts)
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "650" not in labels and any("no mean" in t for t in labels)
    heights = [p.get_height() for ax in fig.axes for p in ax.patches]
    assert 650.0 not in heights


# --- charts keep the sentences' rules -------------------------------------------------------------

def _units_small_and_large():
    """Synthetic: MoSW with 6 programmes, MoWCA with 2 (1 ready)."""
    from nsss_analysis.diagnostics.scoring import score_programmes

    other = {"ministry": "Ministry of Women and Children Affairs", "ministry_code": "MoWCA"}
    big = _forms(6, "2023-24", "MoSW 2024.xlsx")
    small = _forms(2, "2023-24", "MoWCA 2024.xlsx").assign(**other, programme=lambda d: "W" + d["programme"])
    small.loc[0, ["sex_disaggregated_data", "gender_reporting", "gender_indicators"]] = "yes"
    return score_programmes(pd.concat([big, small], ignore_index=True))


def test_charts_draw_no_mean_percentage_bar_or_no_data_for_a_unit_under_5():
    from nsss_analysis.diagnostics.indicators import data_readiness, level_shares, mean_score
    from nsss_analysis.report import figures

    figures.set_theme()
    scores = _units_small_and_large()
    means = pd.concat([mean_score(scores, "ministry"), mean_score(scores, "national")], ignore_index=True)
    fig = figures.mean_score_by_unit(means)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert any("no mean" in t for t in texts)
    drawn = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections if hasattr(c, "get_offsets")
                            and len(c.get_offsets())])
    small_mean = means[(means["unit"] == "Ministry of Women and Children Affairs")]["mean"].iloc[0]
    assert not np.isclose(drawn, small_mean).any() or np.isclose(
        means[means["unit"] == "Ministry of Social Welfare"]["mean"].iloc[0], small_mean)
    fig = figures.levels_by_unit(level_shares(scores, "ministry"))
    widths = {round(p.get_y(), 3): 0.0 for p in fig.axes[0].patches}
    for p in fig.axes[0].patches:
        widths[round(p.get_y(), 3)] += p.get_width()
    assert sorted(round(w, 6) for w in widths.values()) == [0.0, 1.0]  # the unit of 2 has no 100% bar
    readiness = pd.concat([data_readiness(scores, "ministry"), data_readiness(scores, "national")],
                          ignore_index=True)
    fig = figures.share_by_unit(readiness, title="Data readiness", xlabel="Share ready")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "1 of 2" in texts and "no data" not in texts


# --- budget columns in a programme sheet ----------------------------------------------------------

def test_budget_columns_in_a_programme_sheet_are_read_as_budget_rows(raw_dir, write_xlsx, form_row):
    from conftest import PROGRAMME_LABELS

    from nsss_analysis.intake.clean import clean_raw

    headers = [*PROGRAMME_LABELS, "Allocation 2021-22 (Tk crore)", "Budget FY 2020-21 (Tk lakh)"]
    write_xlsx(raw_dir / "MoWCA submission.xlsx", {"Programmes": [
        ["Ministry of Women and Children Affairs"],
        headers,
        [*form_row(ministry="Ministry of Women and Children Affairs", programme="Mother and Child Benefit Programme",
                   graduation="Yes"), 1234.5, 110000],
        [*form_row(ministry="Ministry of Women and Children Affairs", programme="Vulnerable Women Benefit",
                   graduation="No"), None, 5000],
    ]})
    result = clean_raw(raw_dir)
    assert len(result.assessments) == 2
    b = result.budgets.sort_values(["fiscal_year", "programme"]).reset_index(drop=True)
    got = {(r["programme"], r["fiscal_year"]): r["budget_crore"] for r in b.to_dict("records")}
    assert got == {("Mother and Child Benefit Programme", "2021-22"): 1234.5,
                   ("Mother and Child Benefit Programme", "2020-21"): 1100.0,  # 1,10,000 lakh
                   ("Vulnerable Women Benefit", "2020-21"): 50.0}
    assert set(b["ministry_code"]) == {"MoWCA"} and set(b["source_sheet"]) == {"Programmes"}
    assert sorted(b["source_row"]) == [3, 3, 4]  # the programme rows they came from
    messages = " ".join(m for f in result.files for m in f.messages)
    assert "not in the form" not in messages
