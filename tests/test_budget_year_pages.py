"""The budget year where a page names or quotes money outside its headline sentences
(docs/method.md, "The budget year"): the first screen's asks quote the page's budget
year's amount only (none where no year qualifies, and then no "largest budgets"), a
rule of the claims ledger checks it, the report's title and folder name the budget
year of the rule and not a year one programme reports, and the data-quality and method
sentences say how a disputed programme is counted. Every fixture is synthetic."""

from __future__ import annotations

import pandas as pd

from nsss_analysis.report import claims, rules
from tests.test_section6 import _budget_rows, _forms


def _tables(budgets: pd.DataFrame):
    from nsss_analysis.diagnostics.recommendations import recommendations
    from nsss_analysis.diagnostics.scoring import score_programmes
    from nsss_analysis.io import Tables

    a = _forms(6, "2023-24", "MoSW 2024.xlsx", social_capital="no", social_capital_possible="yes")
    return Tables(assessments=a, budgets=budgets, scores=score_programmes(a),
                  recommendations=recommendations(a, score_programmes(a), budgets))


def _first_screen(tables) -> tuple[str, claims.Ledger]:
    from nsss_analysis.diagnostics.summaries import ministry_summary
    from nsss_analysis.report import downloads, page_top

    ledger = claims.start("synthetic-first-screen", "en")
    summary = ministry_summary(tables, "MoSW")
    plan = downloads.downloads_plan(tables, ["MoSW"])
    return page_top.first_screen(tables, summary, "MoSW", plan).data, ledger


def test_first_screen_quotes_the_budget_year_amount_not_each_programmes_latest():
    # 2023-24: all 6 programmes; 2024-25: P5 alone (its latest, but not the budget year)
    tables = _tables(_budget_rows({"2023-24": list(range(6)), "2024-25": [5]}))
    assert 610.0 in set(tables.recommendations["budget_crore"])  # P5's latest amount, 2024-25
    html, ledger = _first_screen(tables)
    quoted = [c for c in ledger.claims if c.where == "first_screen.asks"]
    assert quoted and {c.fiscal_year for c in quoted} == {"2023-24"}
    assert "P5 (budget Tk 600 crore)" in html and "610" not in html  # P5's 2023-24 amount
    assert "largest budgets" in html
    assert not rules.one_year_one_round(ledger.claims)


def test_first_screen_quotes_no_amount_and_no_largest_budget_without_a_budget_year():
    # at most 3 programmes with a figure in any year: no year qualifies
    tables = _tables(_budget_rows({"2023-24": [0, 1, 2], "2024-25": [0, 1]}))
    html, ledger = _first_screen(tables)
    assert not [c for c in ledger.claims if c.where == "first_screen.asks"]
    assert "crore" not in html and "largest budget" not in html
    assert "which the ministry itself says are possible (each with its id" in html


def test_the_rule_fails_an_amount_of_another_year_or_of_no_year_beside_the_asks():
    ledger = claims.start("synthetic-rule", "en")
    with claims.scope(block="headline", fiscal_year="2023-24"):
        claims.percent(0.4, denominator=6, numerator=2, n=6, where="narrative.budget")
    good = claims.crore(100.0, fiscal_year="2023-24", where="first_screen.asks")
    other = claims.crore(110.0, fiscal_year="2024-25", where="first_screen.asks")
    blind = claims.crore(120.0, where="first_screen.asks")
    broken = {v.claim_id for v in rules.one_year_one_round(ledger.claims)}
    assert broken == {other.id, blind.id} and good.id not in broken


def test_title_and_folder_name_the_budget_year_not_a_year_one_ministry_reports(tmp_path):
    from nsss_analysis.runner.plan import _BudgetYears, _latest_year, _page_year

    # 3 ministries; FY 2025-26 only in one of them (latest, but not the national budget year)
    b = _budget_rows({"2023-24": list(range(6)), "2024-25": list(range(6))})
    others = [b[b["fiscal_year"] == "2024-25"].assign(ministry_code=code, ministry=code,
                                                      source_row=b["source_row"] + 100 * (i + 1))
              for i, code in enumerate(["MoWCA", "MoDMR"])]
    late = b[(b["fiscal_year"] == "2024-25") & b["programme"].isin(["P0", "P1"])].assign(
        fiscal_year="2025-26", source_row=b["source_row"] + 1000)
    budgets = pd.concat([b, *others, late], ignore_index=True)
    a = pd.DataFrame({"ministry_code": ["MoSW"], "assessment_round": ["2023-24"]})
    years_of = _BudgetYears(budgets)
    assert _page_year(years_of, None, None) == "2024-25"
    assert _latest_year(years_of, a, None) == "2024-25"  # the title's year is the page's
    assert _latest_year(years_of, a, "MoSW") == "2024-25"  # MoSW: 6 programmes in 2024-25, 2 in 2025-26
    # a unit where no year qualifies keeps its latest year for the folder
    few = _budget_rows({"2023-24": [0, 1], "2024-25": [0]})
    few_of = _BudgetYears(few)
    assert _latest_year(few_of, a, "MoSW") == "2024-25" and _page_year(few_of, "MoSW", "2024-25") is None


def test_a_disputed_programme_is_not_said_to_count_once():
    from nsss_analysis.reference.i18n import language
    from nsss_analysis.report import method_note, quality_text

    row = pd.DataFrame([{"n_unknown": 0, "n_answers": 20, "share_unknown": 0.0, "n_programmes_insufficient": 0,
                         "n_quarantined": 0, "n_quarantined_shared_unnamed": pd.NA, "quarantine_lines": "",
                         "quarantine_shared_lines": "", "n_conflicting_programmes": 2, "scope": "ministry"}])
    with language("en"):
        claims.start("synthetic-quality", "en")
        text = " ".join(quality_text.data_quality_sentences(row))
        note = method_note.method_note("en")
    assert "2 programmes are assessed more than once" in text and "each counts once" not in text
    # the method note states the tie-break by name and the disputed rule (no merge into unknowns) ...
    counting = note.split("Counting each programme once")[1].split("###")[0]
    assert "set to unknown" not in counting and "disputed" in counting and '"revised"' in counting
    # ... and the budget-year rule (not "the latest with data")
    budget = note.split("**Budget share**")[1].split("\n")[0]
    assert "at least half of the unit's programmes with any budget on record" in budget
    assert "latest with data" not in budget


def test_a_file_shared_with_a_disputed_programme_keeps_its_quarantined_lines_with_the_ministry_they_name():
    """Synthetic: joint.csv holds MoSW's P0 (a second, differing form: disputed, so not
    counted) and MoWCA's two programmes; one quarantined line names MoSW, one names
    none. Counting leaves only MoWCA's rows in the file, but the file is still shared:
    MoWCA's page is not told the MoSW line is its own."""
    from nsss_analysis.diagnostics.summaries import ministry_summary
    from nsss_analysis.io import Tables

    other = {"ministry": "Ministry of Women and Children Affairs", "ministry_code": "MoWCA"}
    mosw = _forms(6, "2023-24", "MoSW 2024.xlsx")
    twin = mosw.iloc[[0]].assign(source_file="joint.csv", source_row=2, empowerment_objective="yes",
                                 norms_awareness="yes", gender_analysis="no")
    mowca = _forms(2, "2023-24", "joint.csv").assign(**other, source_row=lambda d: d["source_row"] + 10)
    a = pd.concat([mosw, twin, mowca], ignore_index=True)
    q = pd.DataFrame({"source_file": "joint.csv", "source_sheet": "", "source_row": [20, 21],
                      "column": ["programme", "programme"],
                      "value": ["Ministry of Social Welfare | 2010-11 | ongoing", "zzz | Yes"],
                      "reason": "row not used: no programme name (synthetic)", "reason_id": "",
                      "reason_values": ""})
    tables = Tables(assessments=a, quarantine=q)
    assert len(ministry_summary(tables, "MoSW")["disputed"]) == 2
    mowca_row = ministry_summary(tables, "MoWCA")["data_quality"].iloc[0]
    mosw_row = ministry_summary(tables, "MoSW")["data_quality"].iloc[0]
    assert mowca_row["n_quarantined"] == 0 and mowca_row["n_quarantined_shared_unnamed"] == 1
    assert mosw_row["n_quarantined"] == 1


def test_the_forms_on_record_name_the_file_of_a_disputed_form():
    """Synthetic: MoSW's P0 has a second, differing form in copy.csv (disputed): the
    page reads that file (its form is on P0's card), so its forms on record name it."""
    from nsss_analysis.diagnostics.summaries import ministry_summary
    from nsss_analysis.io import Tables
    from nsss_analysis.reference.i18n import language
    from nsss_analysis.report import page_top

    mosw = _forms(6, "2023-24", "MoSW 2024.xlsx")
    twin = mosw.iloc[[0]].assign(source_file="copy.csv", source_row=2, empowerment_objective="yes",
                                 norms_awareness="yes", gender_analysis="no")
    summary = ministry_summary(Tables(assessments=pd.concat([mosw, twin], ignore_index=True)), "MoSW")
    assert "copy.csv" not in set(summary["assessments"]["source_file"])  # not counted ...
    with language("en"):
        claims.start("synthetic-forms", "en")
        html = page_top.in_figures(summary, []).data
    assert "Forms on record: MoSW 2024.xlsx" in html and "copy.csv: round 2023-24" in html  # ... but read


def _all_disputed():
    """Synthetic: MoSW's only programme P0 came in two differing forms, nothing telling."""
    one = _forms(1, "2023-24", "MoSW 2024.xlsx")
    twin = one.assign(source_file="copy.csv", empowerment_objective="yes", norms_awareness="yes",
                      gender_analysis="no")
    return pd.concat([one, twin], ignore_index=True)


def test_a_unit_whose_every_programme_is_disputed_is_not_told_nothing_was_assessed():
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.io import Tables
    from nsss_analysis.reference.i18n import language
    from nsss_analysis.report import headline_text

    h = headline_figures(Tables(assessments=_all_disputed()), "MoSW")
    assert h["n_programmes"] == 0 and h["n_disputed"] == 1
    with language("en"):
        claims.start("synthetic-all-disputed", "en")
        text = " ".join(headline_text.headline_sentences(h))
    assert "has been assessed yet" not in text
    assert "can be counted yet" in text and "1 programme with two differing forms (P0)" in text


def test_the_index_row_says_its_disputed_programmes_are_left_out():
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.io import Tables
    from nsss_analysis.report.headline_file import Headline
    from nsss_analysis.runner.index import _years

    mosw = _forms(6, "2023-24", "MoSW 2024.xlsx")
    twin = mosw.iloc[[0]].assign(source_file="copy.csv", empowerment_objective="yes", norms_awareness="yes",
                                 gender_analysis="no")
    h = headline_figures(Tables(assessments=pd.concat([mosw, twin], ignore_index=True)), "MoSW")
    record = Headline.from_json(Headline.from_figures(h, ["MoSW has 5 assessed programmes."]).to_json())
    assert record.n_disputed == 1 and record.disputed_programmes == ("P0",)
    entry = {"html": "2023-24/mosw.html", "kind": "ministry", "ministry_code": "MoSW", "language": "en",
             "headline": record.figures(), "sentences": list(record.sentences), "status": "rendered"}
    claims.start("synthetic-index", "en")
    row = _years({"2023-24/mosw": entry}, "en")["2023-24"]["ministries"][0]
    assert row["figures"]["programmes"] == "5"
    assert row["disputed"].startswith("1 programme with two differing forms (P0) is left out")


def test_the_headline_quick_wins_speak_of_the_largest_budgets_only_beside_amounts():
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.reference.i18n import language
    from nsss_analysis.report import headline_text

    for spec, ranked in (({"2023-24": [0, 1, 2], "2024-25": [0, 1]}, False),  # no budget year
                         ({"2023-24": list(range(6))}, True)):
        h = headline_figures(_tables(_budget_rows(spec)), "MoSW")
        with language("en"):
            claims.start("synthetic-quick-wins", "en")
            wins = [x for x in headline_text.headline_sentences(h) if "says" in x and "possible" in x]
        assert len(wins) == 1, wins
        assert ("where its budgets are largest" in wins[0]) is ranked and ("crore" in wins[0]) is ranked
