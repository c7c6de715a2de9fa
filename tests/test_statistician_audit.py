"""A statistician's reading of comparisons, categories inside a unit, districts, shares
near 0% and 100%, tiny beneficiary lists and trends (docs/method.md, sections 4, 5, 7
and 8), each on a small synthetic fixture built to break the statement it guards: the
printer must write what the method allows, and the rules of the claims ledger must
catch the statement when a printer does not."""

from __future__ import annotations

import pandas as pd
import pytest

from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import language
from nsss_analysis.report import claims, rules

# --- shares near 0% and 100%: never rounded to the edge unless exact -----------------------


@pytest.mark.parametrize(("share", "english", "bangla"), [
    (0.996, "99.6%", "৯৯.৬%"), (0.9996, "over 99.9%", None), (0.003, "0.3%", "০.৩%"),
    (0.0004, "under 0.1%", None), (1.0, "100%", "১০০%"), (0.0, "0%", "০%"), (0.46, "46%", "৪৬%"),
])
def test_the_one_formatter_never_rounds_a_share_to_0_or_100_percent(share, english, bangla):
    assert numbers.percent(share, "en") == english
    if bangla:
        assert numbers.percent(share, "bn") == bangla
    assert numbers.percent(share, "bn") not in ("০%", "১০০%") or share in (0.0, 1.0)


def test_a_chart_label_of_a_share_near_100_percent_is_not_100_percent():
    from nsss_analysis.report.figures.style import _pct

    with claims.page("t") as ledger:
        label = _pct(0.997, numerator=997, denominator=1000)
    assert label == "99.7%"
    assert not rules.exact_extremes(ledger.claims)


def test_the_rule_catches_a_share_printed_as_0_or_100_percent():
    near = claims.Claim(text="100%", value=0.996, unit="percent", denominator=1000, where="figure")
    low = claims.Claim(text="৫ of ১,০০০ (০%)", value=0.0005, unit="percent", denominator=1000)
    exact = claims.Claim(text="4 of 4 (100%)", value=1.0, unit="percent", denominator=4)
    kept = claims.Claim(text="99.6%", value=0.996, unit="percent", denominator=1000)
    found = rules.exact_extremes([near, low, exact, kept])
    assert [v.claim_id for v in found] == [near.id, low.id]
    assert "exact_extremes" in rules.RULES


# --- categories inside a unit: the items answered yes ------------------------------------------

def _item_shares(n: int, yes: dict[str, int]) -> pd.DataFrame:
    """Synthetic item shares of one ministry: ``n`` programmes answering each item."""
    return pd.DataFrame({"scope": "ministry", "unit": "X", "item": list(yes),
                         "count_yes": list(yes.values()), "n": n})


def _reading(shares: pd.DataFrame) -> tuple[str, list[rules.Violation]]:
    from nsss_analysis.report import readings

    with claims.page("t") as ledger:
        text = readings.item_yes_reading(shares)
    return text, rules.check(ledger.claims)


def test_no_most_or_least_item_is_named_with_fewer_than_5_programmes():
    text, broken = _reading(_item_shares(3, {"gender_analysis": 2, "empowerment_objective": 0}))
    assert "cannot tell" in text and "most or least often" in text and "Gender analysis" not in text
    assert not broken


def test_no_most_or_least_item_is_named_when_their_intervals_overlap():
    # 1 of 6 against 0 of 6, and 4 of 5 against 1 of 5 (as on the bundled pages): overlapping
    for n, yes in ((6, {"gender_analysis": 1, "empowerment_objective": 0}),
                   (5, {"graduation": 4, "social_capital": 1})):
        text, broken = _reading(_item_shares(n, yes))
        assert text.startswith("These data cannot tell") and "(" not in text, text
        assert not broken


def test_a_most_and_a_least_item_apart_are_named_and_checked_as_a_difference():
    text, broken = _reading(_item_shares(20, {"gender_analysis": 19, "skills_training": 19,
                                              "empowerment_objective": 1}))
    assert "most often: gender analysis and skills training (19 of 20 programmes)" in text
    assert "least often: empowerment objective (1 of 20)" in text
    assert not broken
    with language("bn"):
        text, broken = _reading(_item_shares(20, {"gender_analysis": 19, "empowerment_objective": 1}))
    assert "সবচেয়ে বেশি" in text and not broken


def test_the_comparisons_rule_would_fail_a_most_and_least_from_overlapping_intervals():
    bad = claims.Claim(text="x is most often answered yes (1 of 6); y the least (0 of 6)", value=None,
                       unit="difference", n=6, low=0.03, high=0.56, versus=(None, 6, 0.0, 0.39))
    assert [v.rule for v in rules.comparisons([bad])] == ["comparisons"]


# --- the national figure beside a comparison carries its interval --------------------------------

def test_readiness_beside_the_nation_quotes_the_national_interval():
    from nsss_analysis.report import readings

    readiness = pd.DataFrame({"scope": ["ministry", "national"], "unit": ["X", "Bangladesh"],
                              "n_ready": [1, 3], "n": [9, 43], "ci_low": [0.02, 0.024],
                              "ci_high": [0.43, 0.187]})
    with claims.page("t") as ledger:
        text = readings.readiness_reading(readiness)
    assert "against 3 of 43 (7%, 95% interval 2%–19%) nationally" in text
    assert "cannot tell" in text and not rules.check(ledger.claims)


def test_units_counted_above_or_below_the_national_mean_are_differences_the_rules_check():
    from nsss_analysis.report import readings

    mean = pd.DataFrame({"scope": ["national", "ministry", "ministry", "ministry"],
                         "unit": ["Bangladesh", "A", "B", "C"], "indicator": "inclusion_score",
                         "mean": [34.0, 69.0, 40.0, 50.0], "ci_low": [25.0, 52.0, 20.0, 10.0],
                         "ci_high": [42.0, 85.0, 60.0, 90.0], "n": [43, 5, 9, 3]})
    with claims.page("t") as ledger:
        text = readings.mean_score_reading(mean)
    assert "1 lies above it and 0 below it" in text
    stated = [c for c in ledger.claims if c.unit == "difference"]
    assert len(stated) == 1 and stated[0].n == 5 and not rules.check(ledger.claims)


# --- districts: "cannot tell", never "what chance gives" as a finding -----------------------------

def _districts(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    """Synthetic MIS counts by district: (district, women, total)."""
    df = pd.DataFrame(rows, columns=["district", "female", "total"])
    return df.assign(programme="Widow allowance", fiscal_year="2023-24", women_share=df["female"] / df["total"])


def test_districts_within_the_limits_are_not_read_as_no_difference():
    from nsss_analysis.report import coverage_text

    # one man among 12 where 97% are women: within the exact limits
    rows = [("Kushtia", 11, 12)] + [(f"D{i}", 97, 100) for i in range(9)]
    with claims.page("t") as ledger:
        text = coverage_text.district_reading(_districts(rows))
    assert "these data cannot tell the districts apart" in text
    assert "chance gives" not in text and "Kushtia" not in text and "from" not in text
    assert not rules.check(ledger.claims)
    with language("bn"):
        text = coverage_text.district_reading(_districts(rows))
    assert "বলা যায় না" in text


def test_a_district_of_fewer_than_5_named_outside_the_limits_is_a_count():
    from nsss_analysis.report import coverage_text

    rows = [("Tiny", 0, 3)] + [(f"D{i}", 1000, 1000) for i in range(5)] + [("Big", 4996, 5000)]
    with claims.page("t") as ledger:
        text = coverage_text.district_reading(_districts(rows))
    assert "Tiny (0 of 3)" in text and "0%" not in text
    assert not rules.check(ledger.claims)


# --- tiny beneficiary lists: counts, not percentages ---------------------------------------------

def test_women_share_and_age_bands_of_fewer_than_5_people_are_counts():
    from nsss_analysis.report import coverage_text

    shares = pd.DataFrame({"programme": ["Small", "Large"], "fiscal_year": "2023-24", "share": [0.75, 0.996],
                           "ci_low": [0.30, 0.99], "ci_high": [0.95, 0.998], "total": [4, 987]})
    by_age = pd.DataFrame({"programme": ["Small", "Small", "Large", "Large"], "fiscal_year": "2023-24",
                           "age_band": ["36-59", "60+", "36-59", "60+"], "female": [1, 1, 400, 583],
                           "male": [0, 2, 2, 2], "hijra": 0, "total": [1, 3, 402, 585]})
    by_age = by_age.assign(women_share=by_age["female"] / by_age["total"])
    with claims.page("t") as ledger:
        share_text = coverage_text.coverage_reading(shares)
        age_text = coverage_text.age_band_reading(by_age)
    assert "women are 3 of Small's 4 and" in share_text and "75%" not in share_text
    assert "99.6% of Large's 987 (95% interval" in share_text
    assert "Small: 3 of 4 beneficiaries are aged 60+" in age_text and "Large: 59% of 987" in age_text
    assert not rules.check(ledger.claims)
    percents = [c for c in ledger.claims if c.unit == "percent"]
    assert percents and all(c.denominator is not None for c in percents)


# --- trends: the method note states the like-for-like rule -----------------------------------------

def test_the_method_note_says_trends_are_like_for_like():
    from nsss_analysis.report import method_note

    text = method_note.method_note("en")
    assert "computed over the items answered in both" in text and "never as a fall or rise" in text
    assert "সমানে-সমানে" in method_note.method_note("bn")


# --- unknowns behind a cluster's headline count ----------------------------------------------------

def test_a_cluster_headline_with_many_unknowns_gives_the_count_read_both_ways(bundled):
    from nsss_analysis.diagnostics.summaries import count_once
    from nsss_analysis.io import load_tables
    from nsss_analysis.reference.vocab import ITEMS
    from nsss_analysis.report import cluster_page

    current = count_once(load_tables(bundled)).current
    a, s = current.assessments, current.scores
    cluster = a["cluster"].value_counts().index[0]
    a, s = a[a["cluster"] == cluster], s[s["cluster"] == cluster]
    answered = a.assign(**{i: a[i].replace("unknown", "no").fillna("no") for i in ITEMS})
    assert cluster_page.cluster_unknown_sentence(answered, s) == ""
    # 2 of the 10 items unknown in every programme: 20% of the answers behind the count
    blanked = answered.assign(gender_analysis="unknown", graduation="unknown")
    text = cluster_page.cluster_unknown_sentence(blanked, s)
    assert text.startswith(f"{2 * len(a)} of {10 * len(a)} answers behind this count are unknown")
    assert f"of {len(s)} programmes would be" in text and "read as yes" in text


# --- trends: a level that changes only because an answer went missing is not a change ----------------

def test_a_level_lost_to_an_answer_going_missing_is_not_a_fall_in_the_trend():
    from nsss_analysis.diagnostics.counting import counted_assessments
    from nsss_analysis.diagnostics.scoring import score_programmes
    from nsss_analysis.diagnostics.trends import trend_by_round
    from nsss_analysis.reference.vocab import ITEMS
    from nsss_analysis.report import trend_text
    from tests.support.frames import assessments_frame, programme_row

    def forms(round_: str, objective: str) -> pd.DataFrame:
        # synthetic: 5 programmes, gender-specific only through their empowerment objective
        return assessments_frame(*[
            programme_row(ministry="Ministry of Social Welfare", ministry_code="MoSW", source_file=f"{round_}.xlsx",
                          source_row=k + 2, programme=f"P{k}", assessment_round=round_,
                          **(dict.fromkeys(ITEMS, "no") | {"empowerment_objective": objective}))
            for k in range(5)])

    counted, _ = counted_assessments(pd.concat([forms("2018-19", "yes"), forms("2023-24", "unknown")],
                                               ignore_index=True))
    scores = score_programmes(counted)
    own = scores.groupby("source_file")["level"].agg(set)
    assert own["2018-19.xlsx"] == {"gender-specific"} and own["2023-24.xlsx"] != {"gender-specific"}
    result = trend_by_round(counted, scores)
    assert result.summary["gsot_before"] == result.summary["gsot_after"]  # like for like: no fall
    assert (result.pairs["change"] == 0).all()
    text = trend_text.trend_reading(result)
    assert "over the items answered in both rounds: 0 of 5 in the earlier round, 0 of 5 in the later" in text
    assert "5 answers became unknown" in text


def test_the_women_share_chart_draws_no_share_for_fewer_than_5_people():
    from nsss_analysis.report import figures

    figures.set_theme()
    shares = pd.DataFrame({"programme": ["Small", "Large"], "fiscal_year": "2023-24", "share": [0.75, 0.46],
                           "ci_low": [0.30, 0.44], "ci_high": [0.95, 0.48], "total": [4, 1994]})
    fig = figures.women_share_points(shares)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("3 of 4 are women") for t in texts) and not any("75%" in t for t in texts)
    drawn = [x for line in ax.lines for x in line.get_xdata()]
    assert 0.75 not in drawn and 0.46 in drawn


# --- the index: the national mean beside a unit's is quoted with its interval -----------------------

def test_the_index_quotes_the_national_mean_with_its_interval():
    from nsss_analysis.report.headline_file import Headline
    from nsss_analysis.runner.index import index_figures

    figures = {"unit": "M", "ministry_code": "X", "n_programmes": 9, "n_gender_specific_or_transformative": 6,
               "share": 6 / 9, "ci_low": 0.35, "ci_high": 0.88, "mean_inclusion_score": 42.0, "mean_ci_low": 21.0,
               "mean_ci_high": 62.0, "national_mean_inclusion_score": 34.0, "national_mean_ci_low": 25.0,
               "national_mean_ci_high": 42.0, "national_n": 43}
    headline = Headline.from_figures(figures)
    with claims.page("index") as ledger:
        cell = index_figures(headline)["score"]
        bangla = index_figures(headline, "bn")["score"]
    assert cell == "42 (21–62); national 34 (25–42)"
    assert "৩৪ (২৫–৪২)" in bangla
    assert not rules.check(ledger.claims)


def test_a_programme_in_one_district_of_fewer_than_5_people_is_not_compared():
    from nsss_analysis.report import coverage_text

    with claims.page("t") as ledger:
        text = coverage_text.district_reading(_districts([("Dhaka", 1, 4)]))
        several = coverage_text.district_reading(_districts([("Dhaka", 1, 2), ("Khulna", 0, 2)]))
    assert "one district, Dhaka, so there is nothing to compare" in text and "every one of" not in text
    assert "around the overall 1 of 4;" in several and several.count("%") == 1  # the 99.8% of the limits only
    assert not rules.check(ledger.claims)


def test_a_form_and_mis_disagreement_is_in_the_page_language_and_never_0_percent():
    from nsss_analysis.report import coverage_text

    row = {"programme": "Old Age Allowance", "sex_disaggregated_data": "yes", "kind": "form_yes_mis_unknown_sex",
           "unknown_sex_share": 0.003, "mis_rows_read": 1000, "mis_counted": 997,
           "message": "the form says yes, but 0% of the MIS rows have no readable sex"}
    with claims.page("t") as ledger:
        english = coverage_text.disagreement_sentence(row)
        with language("bn"):
            bangla = coverage_text.disagreement_sentence(row)
    assert "but 0.3% of the MIS rows have no readable sex" in english
    assert "০.৩%" in bangla and "the form says" not in bangla
    assert not rules.check(ledger.claims)


def test_a_card_women_share_of_almost_everyone_is_not_100_percent():
    from nsss_analysis.report.card_parts import women_share_cell

    with claims.page("t") as ledger:
        cells = [women_share_cell(2_775_900, 2_776_000), women_share_cell(2_775_000, 2_775_000),
                 women_share_cell(923, 1994), women_share_cell(3, 4)]
    assert cells == ["over 99.9%", "100%", "46.3%", "3 of 4"]
    assert not rules.check(ledger.claims)
