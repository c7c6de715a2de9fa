"""The online form's exports read by `nsss clean`: KoboToolbox XLSX (XML values, English
and Bangla labels, `/` group headers, split select_multiple), KoboToolbox CSV (one
quarantine line), ODK Central's zip and unzipped CSVs (with and without group paths);
submissions counted once (later export wins, edits, rejections), the received date in
Asia/Dhaka. Each SYNTHETIC export reads into the same tables as the same answers typed
into the Excel template (tests/support/export_fixtures.py writes both)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from nsss_analysis import config
from nsss_analysis.intake.clean import clean_raw
from nsss_analysis.intake.exports import dhaka_date, split_multiple
from nsss_analysis.intake.schemas import AssessmentSchema, BudgetSchema
from tests.support.export_fixtures import (
    Submission,
    central_folder,
    central_zip,
    edited,
    excel_form,
    kobo_csv,
    kobo_xlsx,
    submissions,
)

#: Columns that say where a row came from, not what it says.
LINEAGE = ["source_file", "source_sheet", "source_row", "received_date", "submission_key"]


def _content(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    out = df.drop(columns=[c for c in LINEAGE if c in df.columns])
    out = out.assign(**{c: out[c].map(tuple) for c in out.columns if out[c].dtype == object
                        and out[c].map(lambda v: isinstance(v, list)).any()})
    return out.sort_values(by).reset_index(drop=True)


def _clean(folder):
    result = clean_raw(folder)
    AssessmentSchema.validate(result.assessments)
    BudgetSchema.validate(result.budgets)
    for f in result.files:  # every row accepted or quarantined
        assert f.rows_in == f.accepted + f.quarantined, f
    return result


@pytest.fixture(scope="module")
def excel(tmp_path_factory):
    """The same answers typed into the Excel template."""
    raw = tmp_path_factory.mktemp("excel")
    excel_form(raw / "MoWCA_form_2023-24.xlsx", submissions())
    result = _clean(raw)
    assert result.quarantine.empty, result.quarantine.to_dict("records")
    return result


def _same_as_excel(result, excel) -> None:
    pd.testing.assert_frame_equal(_content(result.assessments, ["programme"]),
                                  _content(excel.assessments, ["programme"]))
    pd.testing.assert_frame_equal(_content(result.budgets, ["programme", "fiscal_year"]),
                                  _content(excel.budgets, ["programme", "fiscal_year"]))


@pytest.mark.parametrize("values,headers,split", [
    ("xml", "names", False),
    ("en", "en", False),
    ("bn", "bn", False),
    ("xml", "names", True),
    ("en", "en", True),
])
def test_a_kobo_xlsx_export_reads_as_the_excel_form(tmp_path, excel, values, headers, split):
    raw = tmp_path / "raw"
    raw.mkdir()
    kobo_xlsx(raw / "export.xlsx", submissions(), values=values, headers=headers, split_multiple=split)
    result = _clean(raw)
    assert result.quarantine.empty, result.quarantine.to_dict("records")
    _same_as_excel(result, excel)
    assert set(result.assessments["source_sheet"]) == {"programme"}
    assert set(result.budgets["source_sheet"]) == {"budget"}
    assert set(result.assessments["submission_key"]) == {s.uuid for s in submissions()}
    summary = result.files[0]
    assert not any("ignored columns" in m for m in summary.messages), summary.messages


def test_the_round_comes_from_the_form_and_the_received_date_is_dhakas(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    subs = submissions()
    subs[1].assessment_round = "২০২৪-২৫"  # Bangla digits, another round than the file name says
    kobo_xlsx(raw / "MoWCA_2023-24_export.xlsx", subs)
    result = _clean(raw)
    rounds = dict(zip(result.assessments["submission_key"], result.assessments["assessment_round"]))
    assert rounds == {subs[0].uuid: "2023-24", subs[1].uuid: "2024-25"}
    received = dict(zip(result.assessments["submission_key"], result.assessments["received_date"]))
    # 19:30 UTC on 30 June is 01:30 on 1 July in Dhaka: another fiscal year
    assert received[subs[1].uuid] == "2024-07-01"
    assert received[subs[0].uuid] == "2024-03-01"
    assert dhaka_date("2024-06-30T19:30:00.000Z") == "2024-07-01"
    assert dhaka_date("2024-06-30T17:59:59") == "2024-06-30"


def test_a_kobo_csv_export_is_one_quarantine_line_asking_for_the_xlsx(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    kobo_csv(raw / "export.csv", submissions())
    result = _clean(raw)
    assert result.assessments.empty
    assert len(result.quarantine) == 1
    assert "XLSX" in result.quarantine["reason"].iloc[0] and "KoboToolbox" in result.quarantine["reason"].iloc[0]


@pytest.mark.parametrize("group_paths", [True, False])
def test_a_central_zip_reads_as_the_excel_form(tmp_path, excel, group_paths):
    raw = tmp_path / "raw"
    raw.mkdir()
    central_zip(raw / "nsss_gender_assessment.zip", submissions(), group_paths=group_paths)
    result = _clean(raw)
    assert result.quarantine.empty, result.quarantine.to_dict("records")
    _same_as_excel(result, excel)


def test_unzipped_central_csvs_read_as_one_export(tmp_path, excel):
    raw = tmp_path / "raw"
    central_folder(raw / "central", submissions())
    result = _clean(raw)
    assert result.quarantine.empty, result.quarantine.to_dict("records")
    _same_as_excel(result, excel)
    assert "central/nsss_gender_assessment-programme.csv" in set(result.assessments["source_file"])


def test_a_central_repeat_table_without_its_main_table_is_quarantined(tmp_path):
    raw = tmp_path / "raw"
    central_folder(raw / "central", submissions())
    (raw / "central" / "nsss_gender_assessment.csv").unlink()
    result = _clean(raw)
    assert result.assessments.empty
    reasons = " ".join(result.quarantine["reason"])
    assert "main table" in reasons


def test_a_central_zip_with_an_edited_and_a_rejected_submission(tmp_path, excel):
    raw = tmp_path / "raw"
    raw.mkdir()
    a, b = submissions()
    a2 = edited(a, "a1b2c3d4-0000-4000-8000-0000000000a2", a.submitted)
    rejected = Submission("c0000000-0000-4000-8000-000000000003", "MoWCA", "2023-24", "2024-04-01T08:00:00Z",
                          [dict(b.programmes[0], programme="Rejected Pilot (SYNTHETIC)")], review="rejected")
    central_zip(raw / "export.zip", [a2, b, rejected])
    result = _clean(raw)
    assert set(result.assessments["programme"]) == {p["programme"] for s in (a, b) for p in s.programmes}
    edited_row = result.assessments[result.assessments["programme"] == a.programmes[0]["programme"]]
    assert edited_row["sex_disaggregated_data"].tolist() == ["yes"]
    assert edited_row["submission_key"].tolist() == [a.uuid]  # Central's KEY stays the first uuid
    q = result.quarantine
    assert len(q) == 2 and q["reason"].str.contains("rejected").all()  # its programme row and budget row


def test_two_cumulative_exports_count_each_submission_once(tmp_path, excel):
    """Exports are cumulative: the second holds the first's submissions (one edited) and
    a new one; the later export's rows win, the older rows are quarantined as superseded."""
    raw = tmp_path / "raw"
    raw.mkdir()
    a, b = submissions()
    kobo_xlsx(raw / "export-1.xlsx", [a])
    a2 = edited(a, "a1b2c3d4-0000-4000-8000-0000000000a2", "2024-05-01T10:00:00Z")
    kobo_xlsx(raw / "export-2.xlsx", [a2, b])
    result = _clean(raw)
    assert set(result.assessments["source_file"]) == {"export-2.xlsx"}
    assert len(result.assessments) == 3
    first = result.summary("export-1.xlsx")
    assert first.accepted == 0 and first.quarantined == first.rows_in == 5  # 2 programmes, 3 budget rows
    assert result.quarantine["reason"].str.contains("superseded by the later export export-2.xlsx").all()
    changed = result.assessments.set_index("programme").loc[a.programmes[0]["programme"], "sex_disaggregated_data"]
    assert changed == "yes"
    expected = _content(excel.assessments, ["programme"])
    got = _content(result.assessments, ["programme"])
    differs = [c for c in got.columns if not got[c].equals(expected[c])]
    assert differs == ["sex_disaggregated_data", "remarks"]  # exactly the edit


def test_a_kobo_export_not_approved_is_quarantined(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    a, b = submissions()
    b.review = "validation_status_not_approved"
    kobo_xlsx(raw / "export.xlsx", [a, b])
    result = _clean(raw)
    assert set(result.assessments["submission_key"]) == {a.uuid}
    assert result.quarantine["reason"].str.contains("not_approved").all() and len(result.quarantine) == 2


def test_select_multiple_labels_split_longest_first_and_what_cannot_be_split_is_quarantined(tmp_path):
    assert split_multiple("Working age Vulnerable women of working age", "lifecycle_stages") == (
        "working_age; women_working_age")
    assert split_multiple("old_age disability", "lifecycle_stages") == "old_age; disability"
    with pytest.raises(Exception, match="cannot be split"):
        split_multiple("Old age Teenagers", "lifecycle_stages")
    raw = tmp_path / "raw"
    raw.mkdir()
    subs = submissions()
    kobo_xlsx(raw / "export.xlsx", subs, values="en", headers="en")
    import openpyxl

    wb = openpyxl.load_workbook(raw / "export.xlsx")
    ws = wb["programme"]
    column = [c.value for c in ws[1]].index("Programme/Life-cycle stage(s)") + 1
    ws.cell(row=2, column=column, value="Old age Teenagers")
    wb.save(raw / "export.xlsx")
    result = _clean(raw)
    assert len(result.assessments) == 3
    q = result.quarantine
    assert len(q) == 1 and "cannot be split" in q["reason"].iloc[0] and q["source_row"].iloc[0] == 2


def test_a_zip_export_is_subject_to_the_workbook_size_limits(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    path = central_zip(raw / "export.zip", submissions())
    monkeypatch.setattr(config, "MAX_XLSX_PART_BYTES", 100)
    result = clean_raw(raw)
    assert result.assessments.empty
    assert "MAX_XLSX_PART_BYTES" in result.quarantine["reason"].iloc[0]
    monkeypatch.undo()
    monkeypatch.setattr(config, "MAX_FILE_BYTES", path.stat().st_size - 1)
    result = clean_raw(raw)
    assert "MAX_FILE_BYTES" in result.quarantine["reason"].iloc[0]
    assert zipfile.is_zipfile(path)
