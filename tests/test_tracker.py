"""The submission tracker on the bundled data: who submitted which file for which
round, rows accepted and quarantined, a ministry that sent two files, and a register
unit with programmes on record that sent none."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from nsss_analysis.diagnostics.counting import counted_assessments, resolution_in_words
from nsss_analysis.diagnostics.tracker import (
    NOT_IDENTIFIED,
    NOT_SUBMITTED,
    SUBMITTED,
    submission_tracker,
    tracker_in_words,
    tracker_summary,
)
from nsss_analysis.io import load_tables
from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import english_runs, forget_language, set_language, translator
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report import submissions

REGISTER = {m.code: m.name for m in load_reference().ministries}
CATALOGUE = [(p.ministry_code, p.programme) for p in load_reference().programmes]


@pytest.fixture(scope="module")
def tables(bundled):
    return load_tables(bundled)


def test_every_form_file_is_a_submission_with_rows_accepted_and_quarantined(tables):
    tracker = submission_tracker(tables.assessments, tables.budgets, tables.quarantine, REGISTER, CATALOGUE)
    sent = tracker[tracker["status"] == SUBMITTED]
    assert set(sent["source_file"]) == set(tables.assessments["source_file"])
    assert sent["programmes"].sum() == len(tables.assessments)
    lgd = sent[(sent["ministry_code"] == "LGD") & (sent["assessment_round"] == "2023-24")]  # not its baseline
    assert len(lgd) == 1 and lgd.iloc[0]["rows_quarantined"] == 1  # the মোট totals row
    hsd = sent[sent["ministry_code"] == "HSD"].iloc[0]
    assert hsd["cells_quarantined"] == 1  # 'maybe later'
    # no received date is invented (the bundled files carry none this contract version reads)
    if "received_date" not in tables.assessments.columns:
        assert (sent["received_date"] == "").all()
    # the national budget table is data on record, not a ministry's submission
    assert "national-social-security-budget.xlsx" not in set(tracker["source_file"])


def test_a_ministry_that_sent_two_files_is_marked(tables):
    # MoDMR sent two files for 2023-24 (and a baseline for 2018-19, left out here)
    later = tables.assessments[tables.assessments["assessment_round"] != "2018-19"]
    tables = replace(tables, assessments=later)
    tracker = submission_tracker(tables.assessments, tables.budgets, tables.quarantine, REGISTER, CATALOGUE)
    modmr = tracker[tracker["ministry_code"] == "MoDMR"]
    assert len(modmr) == 2 and (modmr["files_from_unit"] == 2).all()
    assert set(modmr["resubmission"]) == {"order not known"}  # no received dates to order them
    dated = tables.assessments.assign(received_date=tables.assessments["source_file"].map(
        {"DMRD programmes (final).csv": "2023-11-02", "MoDMR gender assessment 2023-24.xlsx": "2024-03-15"}))
    tracker = submission_tracker(dated, tables.budgets, tables.quarantine, REGISTER, CATALOGUE)
    modmr = tracker[tracker["ministry_code"] == "MoDMR"].set_index("source_file")
    assert modmr.loc["MoDMR gender assessment 2023-24.xlsx", "resubmission"] == "yes"
    assert modmr.loc["DMRD programmes (final).csv", "resubmission"] == ""
    assert any("Ministry of Disaster Management and Relief" in s for s in tracker_summary(tracker))


def test_a_unit_with_programmes_on_record_that_did_not_submit_is_listed(tables):
    without = tables.assessments[tables.assessments["ministry_code"] != "MoCHTA"]
    tracker = submission_tracker(without, tables.budgets, tables.quarantine, REGISTER, CATALOGUE)
    missing = tracker[tracker["status"] == NOT_SUBMITTED]
    assert missing["ministry_code"].tolist() == ["MoCHTA"]
    assert missing["programmes_on_record"].iloc[0] >= 1
    assert "Ministry of Chittagong Hill Tracts Affairs" in " ".join(tracker_summary(tracker))
    # on the bundled data every unit on record sent a form
    full = submission_tracker(tables.assessments, tables.budgets, tables.quarantine, REGISTER, CATALOGUE)
    assert not (full["status"] == NOT_SUBMITTED).any()


def test_a_file_with_no_usable_row_is_reported_not_lost(tables):
    q = pd.concat([tables.quarantine, pd.DataFrame([{
        "source_file": "unknown ministry.xlsx", "source_sheet": "Programmes", "source_row": 2,
        "column": "ministry", "value": "NGO Bureau", "reason": "row not used: not in the register"}])],
        ignore_index=True)
    tracker = submission_tracker(tables.assessments, tables.budgets, q, REGISTER, CATALOGUE)
    row = tracker[tracker["source_file"] == "unknown ministry.xlsx"].iloc[0]
    assert row["status"] == NOT_IDENTIFIED and row["rows_quarantined"] == 1


def test_tracker_html_escapes_and_lists_every_row(tables):
    html = submissions.tracker_html(submissions.tracker_of(tables))
    assert html.count("<tr>") == len(submissions.tracker_of(tables)) + 1
    assert "Resubmission" in html


def test_the_tracker_sentences_and_words_in_bangla(tables):
    tracker = submission_tracker(tables.assessments, tables.budgets, tables.quarantine, REGISTER, CATALOGUE)
    english = tracker_summary(tracker)
    assert english == tracker_summary(tracker, translator("en"))
    assert re.fullmatch(r"\d+ ministries and divisions sent \d+ assessment file\(s\): \d+ programme rows "
                        r"accepted, \d+ rows of those files quarantined\.", english[0])
    bangla = tracker_summary(tracker, translator("bn"))
    assert len(bangla) == len(english)
    names = [m.name for m in load_reference().ministries]
    assert all(english_runs(s, names) == [] for s in bangla), bangla
    sent = tracker[tracker["status"] == SUBMITTED]
    units = numbers.number(sent["ministry_code"].nunique(), "bn")
    assert bangla[0].startswith(f"{units}টি মন্ত্রণালয় ও বিভাগ") and not re.search("[0-9]", bangla[0])
    assert "সমাজকল্যাণ মন্ত্রণালয়" in bangla[1]  # a unit that sent two files, by its Bangla name
    shown = tracker_in_words(tracker, translator("bn"))
    assert set(shown["status"]) <= {"জমা দিয়েছে", "জমা দেয়নি", "মন্ত্রণালয় শনাক্ত হয়নি"}
    assert set(shown["resubmission"]) <= {"", "হ্যাঁ", "ক্রম জানা নেই"}
    assert not any(re.search("[0-9]", str(v)) for v in shown["programmes"])
    assert list(shown["source_file"]) == list(tracker["source_file"])  # file names as written
    dates = [d for d in shown["received_date"] if d]
    assert dates and all(re.fullmatch(r"[০-৯]{2}-[০-৯]{2}-[০-৯]{4}", d) for d in dates), dates  # DD-MM-YYYY
    assert tracker_in_words(tracker, translator("en")).equals(tracker)


def test_how_repeated_rows_are_counted_reads_in_bangla(tables):
    _, resolution = counted_assessments(tables.assessments)
    assert len(resolution) and (resolution["resolution_id"] != "").all()
    set_language("en")
    try:
        same = resolution_in_words(resolution)
    finally:
        forget_language()
    assert same[["resolution", "rows", "used", "set_unknown"]].equals(
        resolution[["resolution", "rows", "used", "set_unknown"]])
    set_language("bn")
    try:
        bangla = resolution_in_words(resolution)
    finally:
        forget_language()
    files = sorted(set(tables.assessments["source_file"]) | set(tables.assessments["source_sheet"].dropna()))
    for column in ("resolution", "rows", "used", "set_unknown"):
        for text in bangla[column]:
            assert english_runs(text, files) == [], text
    assert all("সারি" in t and not re.search(r"row \d", t) for t in bangla["used"])
