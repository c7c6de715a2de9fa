"""Returned action plans, read as ministries really return them.

The fixtures are written by the tests from the real plan workbook (the bundled data's
MoSW and MoDMR plans): sorted, columns moved, the hidden sheet deleted, Bangla headers
and statuses, text dates, added and deleted rows, a second later return, an id pasted
onto the wrong programme. Every row read ends in ``action_progress`` or its quarantine.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import shutil

import openpyxl
import pandas as pd
import pytest

from nsss_analysis import commands
from nsss_analysis.intake.action_plans import (
    PROGRESS_COLUMNS,
    action_progress,
    parse_target_date,
    read_action_plans,
    read_returned_plan,
    validate_progress,
)
from nsss_analysis.io import current_generation, load_tables
from nsss_analysis.reference.action_ids import parse_action_id
from nsss_analysis.reference.plan_form import PLAN_COLUMNS, PLAN_SHEET, status_code
from nsss_analysis.report.downloads import write_downloads
from tools.synthetic.returns import dated_workbook_bytes


@pytest.fixture(scope="module")
def processed(bundled):
    """The session's cleaned and scored bundled data (read only)."""
    return bundled


@pytest.fixture(scope="module")
def tables(processed):
    return load_tables(processed)


def _sent(tables, code, folder, language="en"):
    """The plan the workbench sends ``code``: (workbook, its action sheet, header, data rows)."""
    _data, plan = write_downloads(tables, code, folder, code.lower(), code, language=language)
    wb = openpyxl.load_workbook(plan)
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return wb, ws, rows[0], rows[1:]


def _save(header, rows, target, modified, hidden_from=None):
    """A returned workbook: ``header`` and ``rows`` on one sheet (a ministry's own
    layout), the plan's hidden sheet copied from ``hidden_from`` when given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Returned by the ministry (synthetic test fixture)"])  # a title row above the header
    ws.append(header)
    for r in rows:
        ws.append(r)
    if hidden_from is not None:
        hidden = wb.create_sheet(PLAN_SHEET)
        for r in hidden_from[PLAN_SHEET].iter_rows(values_only=True):
            hidden.append(list(r))
        hidden.sheet_state = "hidden"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(dated_workbook_bytes(wb, modified))  # the workbook's own date: its received date


@pytest.fixture(scope="module")
def returns(tables, tmp_path_factory):
    """The fixture set under ``<raw>/action-plans/``; returns (raw folder, facts)."""
    raw = tmp_path_factory.mktemp("raw")
    out = raw / "action-plans"
    sent = tmp_path_factory.mktemp("sent")
    facts = {}

    # 1. MoSW, first return: English, sorted by programme descending, the status column
    #    moved to the front, the hidden sheet kept; a row deleted, a row added, an id
    #    pasted onto the wrong programme, a Bangla status, dates as text and as dates.
    wb, _ws, header, rows = _sent(tables, "MoSW", sent)
    col = {k: i for i, k in enumerate(PLAN_COLUMNS)}
    rows = [list(r) for r in rows]
    rows[0][col["status"]], rows[0][col["target_date"]] = "completed", "30/06/2026"
    rows[1][col["status"]], rows[1][col["target_date"]] = "চলমান", datetime.datetime(2025, 1, 31)
    rows[2][col["status"]], rows[2][col["target_date"]] = "Done", "June 2024"
    rows[3][col["status"]] = "maybe next year"  # not a status: the cell is quarantined, the row kept
    rows[4][col["target_date"]] = "soon"  # not a date
    wrong = rows[5]
    other = next(r for r in rows if r[col["programme"]] != wrong[col["programme"]])
    wrong[col["programme"]] = other[col["programme"]]  # the id pasted onto another programme
    deleted = rows.pop(6)
    added = [None] * len(header)
    added[col["programme"]] = rows[0][col["programme"]]
    added[col["action"]] = "Train the union social welfare officers on the new guideline"
    added[col["status"]] = "In progress"
    rows.append(added)
    facts.update(done_id=rows[0][0], progress_id=rows[1][0], past_id=rows[2][0], odd_status_id=rows[3][0],
                 wrong_id=wrong[0], deleted_id=deleted[0], mosw_rows=len(rows),
                 mosw_sent=len(rows) + 0)  # one deleted, one added
    order = [col["status"], *[i for i in range(len(header)) if i != col["status"]]]
    moved = [[r[i] for i in order] for r in sorted(rows, key=lambda r: str(r[col["programme"]]), reverse=True)]
    _save([header[i] for i in order], moved, out / "MoSW action plan returned.xlsx",
          datetime.datetime(2026, 3, 1), hidden_from=wb)

    # 2. MoSW, a later return: only two rows, one changes its status. The later one wins.
    later = [list(r) for r in _sent(tables, "MoSW", sent)[3]]
    first = next(r for r in later if r[0] == facts["done_id"])
    first[col["status"]] = "dropped"
    first[col["progress_note"]] = "merged into another programme"
    keep = next(r for r in later if r[0] == facts["progress_id"])
    keep[col["status"]] = "সম্পন্ন"
    _save(header, [first, keep], out / "A MoSW second return.xlsx", datetime.datetime(2026, 5, 1))

    # 3. MoDMR: the Bangla plan, hidden sheet deleted, filtered to three rows, ids in
    #    lower case; the file name names the ministry.
    _wb, _ws, bn_header, bn_rows = _sent(tables, "MoDMR", sent, language="bn")
    chosen = [list(r) for r in bn_rows[:3]]
    chosen[0][col["action_id"]] = str(chosen[0][col["action_id"]]).lower()
    chosen[0][col["status"]] = "সম্পন্ন"
    chosen[1][col["status"]] = "বাতিল"
    chosen[2][col["target_date"]] = "৩১/১২/২০২৫"
    facts.update(modmr_ids=[str(r[0]).upper().replace("MODMR", "MoDMR") for r in chosen])
    _save(bn_header, chosen, out / "MoDMR plan.xlsx", datetime.datetime(2026, 4, 1))

    # 4. A workbook with no plan table at all.
    _save(["Something", "Else"], [["a", "b"]], out / "notes.xlsx", datetime.datetime(2026, 4, 2))
    return raw, facts


@pytest.fixture(scope="module")
def progress(returns, tables):
    raw, _facts = returns
    table, quarantine, read = read_action_plans(raw, tables.recommendations)
    return validate_progress(table), quarantine, read


def test_every_row_read_is_in_the_progress_table_or_the_quarantine(progress):
    table, quarantine, read = progress
    for plan in read:
        rows = {r.row for r in plan.rows}
        kept = set(table.loc[table["source_file"] == plan.source_file, "source_row"].dropna().astype(int))
        q = quarantine[quarantine["source_file"] == plan.source_file]
        dropped = set(q.loc[q["column"].isin(["", "action_id", "programme", "item"]), "source_row"].astype(int))
        assert rows == (kept | dropped) - {0}, plan.source_file
        assert not kept & dropped
    assert list(table.columns) == list(PROGRESS_COLUMNS)
    notes = quarantine[quarantine["source_file"] == "action-plans/notes.xlsx"]
    assert len(notes) == 1 and notes["source_row"].iloc[0] == 0 and "no action plan table" in notes["reason"].iloc[0]


def test_statuses_typed_by_hand_in_english_or_bangla_and_dates_as_text_or_dates(progress, returns):
    table, quarantine, _read = progress
    _raw, facts = returns
    first = table[table["source_file"] == "action-plans/MoSW action plan returned.xlsx"].set_index("action_id")
    assert first.loc[facts["done_id"], "status"] == "done"
    assert first.loc[facts["done_id"], "target_date"] == "2026-06-30"
    assert first.loc[facts["progress_id"], ["status", "target_date"]].tolist() == ["in_progress", "2025-01-31"]
    assert first.loc[facts["past_id"], "target_date"] == "2024-06-30"  # a month: its last day
    assert first.loc[facts["odd_status_id"], "status"] == "not_reported"
    assert ((quarantine["column"] == "status") & (quarantine["value"] == "maybe next year")).sum() == 1
    assert ((quarantine["column"] == "target_date") & (quarantine["value"] == "soon")).sum() == 1
    assert status_code("  COMPLETED ") == "done" and status_code("বাদ দেওয়া হয়েছে") == "dropped"
    assert status_code("") is None
    assert parse_target_date(45000) == "2023-03-15" and parse_target_date("2026-06-30") == "2026-06-30"
    with pytest.raises(ValueError):
        parse_target_date("next year")


def test_a_deleted_row_is_not_reported_and_an_added_row_is_a_new_action_with_an_id(progress, returns):
    table, _q, _read = progress
    _raw, facts = returns
    latest = table[table["latest"]].set_index("action_id")
    assert latest.loc[facts["deleted_id"], "status"] == "not_reported"  # never "not started"
    assert pd.isna(latest.loc[facts["deleted_id"], "source_row"])
    added = table[table["added"]]
    assert len(added) == 1
    parsed = parse_action_id(added["action_id"].iloc[0])
    assert parsed.ministry_code == "MoSW" and parsed.item is None and parsed.item_code.startswith("N")
    assert added["status"].iloc[0] == "in_progress"


def test_an_id_pasted_onto_the_wrong_programme_is_quarantined(progress, returns):
    table, quarantine, _read = progress
    _raw, facts = returns
    q = quarantine[quarantine["column"] == "programme"]
    assert len(q) == 1 and facts["wrong_id"] in q["reason"].iloc[0] and "another programme" in q["reason"].iloc[0]
    read = table[table["source_file"] == "action-plans/MoSW action plan returned.xlsx"]
    assert facts["wrong_id"] not in set(read["action_id"])


def test_the_later_return_wins_and_the_earlier_row_is_kept_as_lineage(progress, returns):
    table, _q, _read = progress
    _raw, facts = returns
    rows = table[table["action_id"] == facts["done_id"]].set_index("source_file")
    assert rows.loc["action-plans/A MoSW second return.xlsx", "latest"]
    assert rows.loc["action-plans/A MoSW second return.xlsx", "status"] == "dropped"
    assert not rows.loc["action-plans/MoSW action plan returned.xlsx", "latest"]
    # the workbook's own dates decide, not the file names (the later file sorts first)
    assert rows.loc["action-plans/A MoSW second return.xlsx", "received_date"] == "2026-05-01"
    assert rows.loc["action-plans/MoSW action plan returned.xlsx", "received_date"] == "2026-03-01"
    progress_now = table[(table["action_id"] == facts["progress_id"]) & table["latest"]]
    assert progress_now["status"].tolist() == ["done"]
    # an action only the first return gives keeps that return's status
    past = table[(table["action_id"] == facts["past_id"]) & table["latest"]]
    assert past["source_file"].tolist() == ["action-plans/MoSW action plan returned.xlsx"]
    assert not table[table["latest"]]["action_id"].duplicated().any()


def test_the_bangla_plan_without_its_hidden_sheet_is_read_by_its_headers_and_ids(progress, returns, tables):
    table, _q, read = progress
    _raw, facts = returns
    modmr = next(p for p in read if p.source_file == "action-plans/MoDMR plan.xlsx")
    assert modmr.meta == {} and len(modmr.rows) == 3
    got = table[(table["source_file"] == "action-plans/MoDMR plan.xlsx") & table["source_row"].notna()]
    got = got.set_index("action_id")
    assert list(got.index) == facts["modmr_ids"]
    assert got["status"].tolist() == ["done", "dropped", "not_reported"]
    assert got["target_date"].iloc[2] == "2025-12-31"
    # the rest of MoDMR's actions were not reported; ministries that returned nothing have no rows
    sent = set(tables.recommendations.loc[tables.recommendations["ministry_code"] == "MoDMR", "action_id"])
    latest = table[table["latest"] & (table["ministry_code"] == "MoDMR")]
    assert set(latest["action_id"]) == sent
    assert set(table["ministry_code"]) == {"MoSW", "MoDMR"}


def test_the_hidden_sheet_names_the_plan(returns):
    raw, _facts = returns
    plan = read_returned_plan(raw / "action-plans" / "MoSW action plan returned.xlsx", raw)
    assert plan.meta["kind"] == "nsss-action-plan" and plan.meta["ministry_code"] == "MoSW"
    assert plan.meta["build"] and plan.meta["form_version"]
    assert plan.listed and all(parse_action_id(i) for i in plan.listed)


def test_no_return_gives_an_empty_table():
    table, quarantine = action_progress([], None)
    assert table.empty and quarantine.empty
    assert list(validate_progress(table).columns) == list(PROGRESS_COLUMNS)


def test_nsss_progress_writes_the_table_and_its_quarantine(processed, returns, tmp_path):
    raw, _facts = returns
    folder = tmp_path / "processed"
    shutil.copytree(current_generation(processed), folder)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert commands.run_progress(raw, folder) == 0
    text = out.getvalue()
    assert "4 returned plan(s)" in text and "action_progress.parquet" in text
    table = pd.read_parquet(current_generation(folder) / "action_progress.parquet")
    assert len(table) and table["latest"].any()
    assert (current_generation(folder) / "action_progress_quarantine.csv").exists()


def test_a_cluster_plan_returned_gives_each_row_to_its_own_ministry(tables, tmp_path):
    own = tables.assessments[tables.assessments["cluster"] == "Social Allowance"]
    codes = sorted(set(own["ministry_code"]))
    assert len(codes) > 1
    _data, path = write_downloads(tables, codes, tmp_path / "sent", "cluster-social-allowance", "Social Allowance",
                                  assessments=own)
    wb = openpyxl.load_workbook(path)
    header, *rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    col = {k: i for i, k in enumerate(PLAN_COLUMNS)}
    for r in rows:
        r[col["status"]] = "in progress"
    raw = tmp_path / "raw"
    _save(header, rows, raw / "action-plans" / "cluster plan.xlsx", datetime.datetime(2026, 2, 1), hidden_from=wb)
    table, quarantine, _read = read_action_plans(raw, tables.recommendations)
    read = table[table["source_row"].notna()]
    assert quarantine.empty and len(read) == len(rows)
    by_id = {parse_action_id(i).ministry_code for i in read["action_id"]}
    assert set(read["ministry_code"]) == by_id and len(by_id) > 1
    assert (read["status"] == "in_progress").all()
