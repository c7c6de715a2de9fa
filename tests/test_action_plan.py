"""The action plan: one row per gap of every programme, in the guideline's words, never
truncated; written to an .xlsx that opens with openpyxl, with a status drop-down, a
frozen header and formula-safe text; the report's rows equal the workbook's."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from nsss_analysis.diagnostics.recommendations import (
    ACTIONS,
    GAP_ANSWERS,
    recommendations,
)
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.io import load_tables
from nsss_analysis.reference.plan_form import PLAN_SHEET
from nsss_analysis.reference.vocab import ITEMS
from nsss_analysis.report import cards
from nsss_analysis.report.action_plan import (
    ACTION_PLAN_COLUMNS,
    STATUS_CHOICES,
    TO_FILL,
    action_plan,
    write_action_plan,
)
from nsss_analysis.report.downloads import (
    data_file,
    downloads_plan,
    ministry_rows,
    write_downloads,
)


@pytest.fixture(scope="module")
def tables(bundled):
    return load_tables(bundled)


def _gaps(assessments: pd.DataFrame) -> int:
    """Gaps counted straight from the form answers: an item neither yes nor not applicable."""
    return int(sum(assessments[item].fillna("unknown").isin(GAP_ANSWERS).sum() for item in ITEMS))


def test_every_gap_is_one_row_with_the_guideline_words_and_empty_columns_to_fill(tables):
    plan = action_plan(tables.assessments, tables.recommendations)
    assert len(plan) == _gaps(count_once(tables).current.assessments)  # each programme once
    assert set(plan["action"]) <= set(ACTIONS.values())
    assert (plan[list(TO_FILL)] == "").all().all()
    assert plan["number"].tolist() == list(range(1, len(plan) + 1))
    # lead ministry and the partners named on the form
    egpp = plan[plan["programme"].str.contains("EGPP")]
    assert set(egpp["lead_ministry"]) == {"Ministry of Disaster Management and Relief"}
    assert any("Local Government Division" in s for s in egpp["supporting_agencies"])
    # whether the ministry says it is possible, in words
    assert set(plan["possible"]) <= {"yes", "no", "not known", "no follow-up question"}


def test_plan_is_computed_from_the_assessments_when_no_recommendations_table(tables):
    recs = recommendations(tables.assessments, tables.scores, tables.budgets)
    a = action_plan(tables.assessments, None, "MoSW", tables.scores, tables.budgets)
    b = action_plan(tables.assessments, recs, "MoSW")
    assert a["action"].tolist() == b["action"].tolist() and len(a) > 0


def test_workbook_opens_with_one_row_per_gap_validations_frozen_header_and_formula_safe_text(tables, tmp_path):
    a = tables.assessments.copy()
    first = a.index[a["ministry_code"] == "MoWCA"][0]
    a.loc[first, "programme"] = '=HYPERLINK("http://x","click")'
    a.at[first, "partner_agencies"] = ["+cmd|' /C calc'!A0", "Local Government Division"]
    plan = action_plan(a, None, "MoWCA", tables.scores, tables.budgets)
    target = tmp_path / "mowca-action-plan.xlsx"
    write_action_plan(plan, target, "MoWCA action plan")
    wb = openpyxl.load_workbook(target)
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    assert header == list(ACTION_PLAN_COLUMNS.values())
    assert ws.max_row - 1 == len(plan)
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["E"].width >= 40  # the action reads without widening
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(choice in lists[0].formula1 for choice in STATUS_CHOICES)
    status_col = header.index("Status") + 1
    assert any(f"{ws.cell(row=2, column=status_col).column_letter}2" in str(dv.sqref) for dv in lists)
    for row in ws.iter_rows(min_row=2, values_only=True):
        for value in row:
            assert not (isinstance(value, str) and value[:1] in "=+@"), value
    programmes = [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\",\"click\")" in programmes
    # nothing truncated: every action's full text is in its cell
    actions = [r[4] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert actions == plan["action"].tolist()


def test_workbook_locks_the_id_and_action_columns_only_and_names_the_plan_in_a_hidden_sheet(tables, tmp_path):
    write_downloads(tables, "MoSW", tmp_path, "mosw", "MoSW")
    wb = openpyxl.load_workbook(tmp_path / "mosw-action-plan.xlsx")
    ws = wb["Action plan"]
    assert ws.protection.sheet and not ws.protection.password  # protected, no password
    assert not ws.protection.sort and not ws.protection.autoFilter  # sorting and filtering allowed
    keys = list(ACTION_PLAN_COLUMNS)
    rows = ws.max_row
    for key in keys:
        locked = {ws.cell(row=r, column=keys.index(key) + 1).protection.locked for r in range(2, rows + 1)}
        assert locked == ({True} if key in ("action_id", "action") else {False}), key
    for key in keys:  # rows a ministry adds below are open: each column's own style is unlocked
        letter = openpyxl.utils.get_column_letter(keys.index(key) + 1)
        assert ws.column_dimensions[letter].protection.locked is False
    for key in TO_FILL:
        assert key in keys
    hidden = wb[PLAN_SHEET]
    assert hidden.sheet_state == "hidden"
    meta = {r[0]: r[1] for r in hidden.iter_rows(values_only=True) if r[0] != "action"}
    assert meta["kind"] == "nsss-action-plan" and meta["ministry_code"] == "MoSW"
    assert meta["build"] and meta["form_version"]
    listed = [r[1] for r in hidden.iter_rows(values_only=True) if r[0] == "action"]
    assert listed == [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    statuses = next(d for d in ws.data_validations.dataValidation if d.type == "list").formula1
    assert statuses == '"Not started,In progress,Done,Dropped"'


def test_report_rows_equal_the_workbook_rows(tables, tmp_path):
    slug = "modmr-test"
    write_downloads(tables, "MoDMR", tmp_path, slug, "MoDMR")
    ws = openpyxl.load_workbook(tmp_path / f"{slug}-action-plan.xlsx")["Action plan"]
    book = [(r[0], r[1], r[4]) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [b[0] for b in book] == plan_ids(tables, "MoDMR")
    plan = downloads_plan(tables, ["MoDMR"])
    own = tables.assessments[tables.assessments["ministry_code"] == "MoDMR"]
    page = cards.programme_cards_html(tables, own, plan)
    assert len(book) == len(plan) > 0
    for action_id, _programme, action in book:
        assert f'<td class="txt" style="text-align:left;vertical-align:top">{action_id}</td>' in page
        assert cards.escape(action) in page
    # every action is in exactly one card, under its id as in the workbook
    assert page.count('<tr><td class="txt"') >= len(book)


def plan_ids(tables, code: str) -> list[str]:
    return downloads_plan(tables, [code])["action_id"].tolist()


def test_data_workbook_has_the_ministry_rows_one_sheet_each(tables, tmp_path):
    write_downloads(tables, "MoWCA", tmp_path, "mowca", "MoWCA")
    wb = openpyxl.load_workbook(tmp_path / data_file("mowca"))
    assert wb.sheetnames == ["Assessments", "Scores", "Budgets", "Quarantine"]
    rows = ministry_rows(tables, "MoWCA")
    assert wb["Assessments"].max_row - 1 == len(rows["Assessments"]) == 5
    assert wb["Budgets"].max_row - 1 == len(rows["Budgets"]) > 0
    # the quarantine rows of the ministry's files only (mowca-submission.xlsx has one)
    assert set(rows["Quarantine"]["source_file"]) <= set(rows["Assessments"]["source_file"]) | set(
        rows["Budgets"]["source_file"])
    assert wb["Quarantine"].max_row - 1 == len(rows["Quarantine"]) >= 1
    assert wb["Assessments"].freeze_panes == "A2"


def test_a_row_repeated_cell_for_cell_by_a_resubmission_is_one_action_set_and_one_card(tables):
    a = tables.assessments
    own = a[a["ministry_code"] == "MoFood"]
    again = own.iloc[[0]].assign(source_file="MoFood resubmission.xlsx", source_row=2)
    doubled = pd.concat([a, again], ignore_index=True)
    once = action_plan(a, None, "MoFood", tables.scores, tables.budgets)
    twice = action_plan(doubled, None, "MoFood", tables.scores, tables.budgets)
    assert len(twice) == len(once)
    page = cards.programme_cards_html(tables, doubled[doubled["ministry_code"] == "MoFood"], twice)
    assert page.count('<article class="nsss-card">') == len(own)
    assert "Repeated cell for cell in a later file" in page and "MoFood resubmission.xlsx" in page


def test_downloads_reuse_the_whole_plan_only_for_the_same_tables(tables):
    # a run writes every report's downloads from one Tables: the national plan and the
    # scores by round are computed once, but a Tables with another frame gets its own
    import dataclasses

    from nsss_analysis.report import downloads

    first = downloads_plan(tables, ["MoSW"])
    assert downloads.scores_by_round(tables) is downloads.scores_by_round(tables)
    fewer = tables.recommendations.iloc[: len(tables.recommendations) // 2]
    other = dataclasses.replace(tables, recommendations=fewer)
    fresh = action_plan(other.assessments, fewer, None, other.scores, other.budgets)
    assert downloads_plan(other, ["MoSW"])["action_id"].tolist() == \
        fresh[fresh["ministry_code"] == "MoSW"]["action_id"].tolist()
    pd.testing.assert_frame_equal(downloads_plan(tables, ["MoSW"]), first)
