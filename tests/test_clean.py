"""Cleaning rules of docs/data-contract.md: what is accepted, what is quarantined and why,
conflicts, budgets, the tables' types, atomic writes, and lossless accounting."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nsss_analysis.commands import write_tables
from nsss_analysis.config import RAW_DIR
from nsss_analysis.errors import NsssError
from nsss_analysis.intake import clean as intake_clean
from nsss_analysis.intake.cells import parse_cluster
from nsss_analysis.intake.clean import CleanResult, clean_raw
from nsss_analysis.intake.files import find_form_files
from nsss_analysis.intake.forms import read_form_file
from nsss_analysis.intake.schemas import (
    CONFLICT_COLUMNS,
    AssessmentSchema,
    BudgetSchema,
    QuarantineSchema,
    validate,
)
from nsss_analysis.io import load_processed
from nsss_analysis.reference.vocab import (
    ASSESSMENT_COLUMNS,
    BUDGET_COLUMNS,
    FOLLOWUPS,
    ITEMS,
    LIST_COLUMNS,
    QUARANTINE_COLUMNS,
    load_reference,
)

LABELS = [c.label for c in load_reference().columns_of("Programmes")]


def quarantine_of(result, **where) -> pd.DataFrame:
    q = result.quarantine
    for column, value in where.items():
        q = q[q[column] == value]
    return q


@pytest.fixture
def mosw(raw_dir, write_xlsx, form_row):
    """A messy MoSW workbook: title block, every answer style, bad cells, a blank,
    a totals, a duplicate, a nameless and an unknown-ministry row, a Budget sheet."""
    full = form_row(
        ministry="MoSW",
        programme="  Old Age\u00a0Allowance ",
        start_fy="১৯৯৭-৯৮",
        end_fy="ongoing",
        cluster="social allowance",
        lifecycle_stages="Old age",
        target_groups="Elderly; poor; Bede community",
        graduation="No",
        graduation_possible="Possible",
        empowerment_objective="Yes (partially)",
        empowerment_actions="N",
        empowerment_possible="",
        social_capital="না",
        social_capital_possible="সম্ভব নয়",
        norms_awareness="হ্যাঁ",
        norms_awareness_possible="no",
        skills_training="-",
        skills_training_possible="",
        sex_disaggregated_data="Y",
        gender_analysis="yes.",
        gender_reporting="Partially",
        gender_indicators=None,
        partner_agencies="LGD, Union Parishads",
        remarks='=HYPERLINK("http://x")',
    )
    return write_xlsx(
        raw_dir / "MoSW_gender_assessment.xlsx",
        {
            "Programmes": [
                ["Ministry of Social Welfare"],
                ["Gender assessment, FY 2023-24"],
                LABELS,
                full,  # row 4
                [],  # row 5: blank
                form_row(
                    programme="Allowances for Widow, Deserted and Destitute Women",
                    start_fy="20201-22",
                    end_fy="5 years",
                    graduation="maybe later",
                    lifecycle_stages="women of working age; teenagers",
                ),  # row 6
                full,  # row 7: exact duplicate of row 4
                form_row(ministry="MoSW", start_fy="2010-11"),  # row 8: no programme name
                form_row(ministry="Ministry of Magic", programme="Wand Allowance"),  # row 9
                form_row(ministry="Total"),  # row 10
            ],
            "Budget": [
                [
                    "Programme name",
                    "Fiscal year",
                    "Budget (BDT crore)",
                    "Beneficiaries",
                    "Women beneficiaries",
                    "Monthly rate (Tk)",
                ],
                ["Old Age Allowance", "2021-22", "3,444.54 crore", "57.01 lakh", "28 lakh", "Tk 500"],
                ["Old Age Allowance", "FY25", 4351, "60.01 lakh", None, 600],
                ["Old Age Allowance", "2023-2024", "lots", "1,07,614", "2,00,000", None],
                ["Old Age Allowance", "2020-22", 1, 1, None, None],
                ["Total", None, 9999, None, None, None],
            ],
        },
    )


def test_a_messy_submission_is_read_field_by_field(mosw, raw_dir):
    result = clean_raw(raw_dir)
    a = result.assessments.set_index("source_row")
    row = a.loc[4]
    assert (row["ministry"], row["ministry_code"], row["programme"]) == (
        "Ministry of Social Welfare",
        "MoSW",
        "Old Age Allowance",
    )
    assert (row["start_fy"], pd.isna(row["end_fy"]), row["ongoing"]) == ("1997-98", True, True)
    assert row["cluster"] == "Social Allowance"
    assert row["lifecycle_stages"] == ["old_age"]
    assert row["target_groups"] == ["elderly", "poor_households"] and row["target_groups_other"] == [
        "Bede community"
    ]
    answers = {c: row[c] for c in (*ITEMS, *FOLLOWUPS)}
    assert answers == {
        "empowerment_objective": "partly",
        "empowerment_actions": "no",
        "graduation": "no",
        "social_capital": "no",
        "norms_awareness": "yes",
        "skills_training": "unknown",  # a dash is no answer, not "not applicable"
        "sex_disaggregated_data": "yes",
        "gender_analysis": "yes",
        "gender_reporting": "partly",
        "gender_indicators": "unknown",
        "graduation_possible": "yes",
        "empowerment_possible": "unknown",
        "social_capital_possible": "no",
        "norms_awareness_possible": "not_applicable",
        "skills_training_possible": "unknown",
    }
    assert row["partner_agencies"] == ["Local Government Division", "Union Parishads"]
    assert row["remarks"] == '=HYPERLINK("http://x")'  # data, kept verbatim in the table
    assert row["assessment_round"] == "2023-24" and row["source_sheet"] == "Programmes"


def test_bad_cells_become_unknown_or_null_and_are_listed(mosw, raw_dir):
    result = clean_raw(raw_dir)
    row = result.assessments.set_index("source_row").loc[6]
    assert row["ministry_code"] == "MoSW"  # blank ministry: from the title
    assert pd.isna(row["start_fy"]) and pd.isna(row["end_fy"])  # "5 years" cannot count from a bad start
    assert row["graduation"] == "unknown" and row["lifecycle_stages"] == ["women_working_age"]
    q = quarantine_of(result, source_sheet="Programmes", source_row=6).set_index("column")
    assert set(q.index) == {"start_fy", "end_fy", "graduation", "lifecycle_stages"}
    assert q.loc["start_fy", "value"] == "20201-22" and "not a fiscal year" in q.loc["start_fy", "reason"]
    assert q.loc["graduation", "value"] == "maybe later" and q.loc["graduation", "reason"].endswith(
        "set to unknown"
    )
    assert "'teenagers' is not a life-cycle stage" in q.loc["lifecycle_stages", "reason"]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (7, "", "repeats row 4 of sheet Programmes"),
        (8, "programme", "no programme name"),
        (9, "ministry", "'Ministry of Magic' is not in the register"),
        (10, "", "a totals row"),
    ],
)
def test_unusable_rows_are_quarantined_whole_with_the_reason(mosw, raw_dir, row, column, reason):
    result = clean_raw(raw_dir)
    assert row not in set(result.assessments["source_row"])
    (line,) = quarantine_of(result, source_sheet="Programmes", source_row=row).itertuples()
    assert line.column == column and reason in line.reason and line.reason.startswith("row not used:")


def test_accounting_per_file_rows_in_equals_accepted_plus_quarantined(mosw, raw_dir):
    summary = clean_raw(raw_dir).summary("MoSW_gender_assessment.xlsx")
    # Programmes: 6 non-blank data rows (4, 6-10), 2 accepted; Budget: 5 rows, 3 accepted
    assert (summary.rows_in, summary.accepted, summary.quarantined) == (11, 5, 6)
    assert summary.cells_flagged == 6


def test_budget_rows_ministry_cluster_units_and_bad_cells(mosw, raw_dir):
    result = clean_raw(raw_dir)
    b = result.budgets.set_index("source_row")
    assert list(b.index) == [2, 3, 4]
    assert set(b["ministry_code"]) == {"MoSW"} and set(b["cluster"]) == {"Social Allowance"}
    assert b.loc[
        2, ["fiscal_year", "budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt"]
    ].tolist() == ["2021-22", 3444.54, 5_701_000.0, 2_800_000.0, 500.0]
    assert b.loc[3, "fiscal_year"] == "2024-25" and b.loc[3, "budget_crore"] == 4351.0
    assert pd.isna(b.loc[4, "budget_crore"]) and pd.isna(
        b.loc[4, "women_beneficiaries"]
    )  # "lots"; more women than all
    q = quarantine_of(result, source_sheet="Budget").set_index("source_row")
    assert "not an amount" in q.loc[4].set_index("column").loc["budget_crore", "reason"]
    assert "more women beneficiaries" in q.loc[4].set_index("column").loc["women_beneficiaries", "reason"]
    assert (
        q.loc[5, "column"] == "fiscal_year" and "consecutive" in q.loc[5, "reason"]
    )  # no usable year: whole row
    assert "a totals row" in q.loc[6, "reason"]


def test_ministry_comes_from_the_file_name_when_no_column_and_no_title(raw_dir, write_csv):
    write_csv(
        raw_dir / "mowca-submission.csv",
        [["Programme", "Graduation planned?"], ["Mother and Child Benefit Programme", "Yes"]],
    )
    write_csv(
        raw_dir / "anonymous.csv", [["Programme", "Graduation planned?"], ["Someone's programme", "No"]]
    )
    result = clean_raw(raw_dir)
    assert result.assessments["ministry_code"].tolist() == ["MoWCA"]
    (line,) = quarantine_of(result, source_file="anonymous.csv").itertuples()
    assert line.column == "ministry" and "no ministry/division" in line.reason


def test_followup_not_applicable_rule_end_to_end(raw_dir, write_csv):
    header = [
        "Ministry",
        "Programme",
        "Women's/girls' empowerment an objective?",
        "Actions to support empowerment?",
        "If not, can empowerment elements be incorporated?",
        "Graduation planned?",
        "If not, can graduation be planned?",
    ]
    write_csv(
        raw_dir / "f.csv",
        [
            header,
            ["MoWCA", "A", "Yes", "N/A", "", "No", ""],
            ["MoWCA", "B", "Yes", "No", "", "Partly", "yes"],
        ],
    )
    a = clean_raw(raw_dir).assessments.set_index("programme")
    assert a.loc["A", ["empowerment_possible", "graduation_possible"]].tolist() == [
        "not_applicable",
        "unknown",
    ]
    assert a.loc["B", ["empowerment_possible", "graduation_possible"]].tolist() == ["unknown", "yes"]


def test_the_same_programme_twice_is_kept_twice_and_reported_as_a_conflict(raw_dir, write_csv):
    header = [
        "Ministry/Division",
        "Programme name",
        "Graduation planned?",
        "Uses gender analysis?",
        "Remarks",
    ]
    write_csv(
        raw_dir / "a.csv",
        [header, ["MoDMR", "Employment Generation Programme for the Poorest", "No", "Yes", "first"]],
    )
    write_csv(
        raw_dir / "b.csv",
        [
            header,
            [
                "Ministry of Disaster Management & Relief",
                "employment generation programme  for the poorest",
                "Yes",
                "Yes",
                "second",
            ],
        ],
    )
    write_csv(
        raw_dir / "c.csv",
        [
            header,
            ["MoFood", "Open Market Sales", "No", "No", ""],
            ["MoFood", "Open Market Sales", "No", "No", "again"],
        ],
    )
    result = clean_raw(raw_dir)
    assert len(result.assessments) == 4
    c = result.conflicts
    assert list(c.columns) == list(CONFLICT_COLUMNS)
    assert c["source_file"].tolist() == ["a.csv", "b.csv"] and set(c["conflict"]) == {1}
    # graduation differs, and with it whether its follow-up arises
    assert set(c["differing_columns"]) == {"graduation; graduation_possible"}
    assert c["values"].tolist() == [
        "graduation=no; graduation_possible=unknown",
        "graduation=yes; graduation_possible=not_applicable",
    ]


def test_national_budget_table_names_ministry_and_cluster(raw_dir, write_csv):
    write_csv(
        raw_dir / "national.csv",
        [
            [
                "Ministry/Division",
                "NSSS cluster",
                "Programme",
                "Fiscal year",
                "Budget",
                "Beneficiaries",
                "Women beneficiaries",
                "Monthly rate (Tk)",
            ],
            [
                "MoDMR",
                "FSDR",
                "Construction of Disaster Resilient Houses",
                "2020/21",
                "1,258.50 crore",
                "2.65 lakh",
                "",
                "",
            ],
            ["DSS Rangpur", "SA", "Old Age Allowance", "FY21", "৬১৩৩ কোটি", "8,51,900", "", "Tk 600"],
        ],
        encoding="utf-8-sig",
    )
    result = clean_raw(raw_dir)
    (row,) = result.budgets.itertuples()
    assert (row.ministry_code, row.cluster, row.fiscal_year, row.budget_crore, row.beneficiaries) == (
        "MoDMR",
        "Food Security and Disaster Response",
        "2020-21",
        1258.5,
        265000.0,
    )
    assert "'DSS Rangpur' is not in the register" in result.quarantine["reason"].iloc[0]


def test_tables_have_the_contract_columns_and_types_even_when_empty(raw_dir, write_csv, tmp_path):
    write_csv(
        raw_dir / "budget-only.csv",
        [["Ministry", "Programme", "FY", "Budget"], ["MoSW", "Old Age Allowance", "2021-22", "3444.54"]],
    )
    result = clean_raw(raw_dir)
    assert (
        list(result.assessments.columns)
        == [*ASSESSMENT_COLUMNS, "assessment_round", "received_date", "synthetic", "submission_key"]
        and result.assessments.empty
    )
    assert list(result.budgets.columns) == [*BUDGET_COLUMNS, "submission_key"]
    assert list(result.quarantine.columns) == list(QUARANTINE_COLUMNS)
    write_tables(result, tmp_path / "out")
    schema = pq.read_schema(tmp_path / "out" / "assessments.parquet")
    for column in LIST_COLUMNS:  # list<string> although every list is empty
        assert (
            pa.types.is_list(schema.field(column).type)
            and schema.field(column).type.value_type == pa.string()
        )
    assert schema.field("ongoing").type == pa.bool_()
    budgets = load_processed("budgets", tmp_path / "out")
    assert budgets["budget_crore"].dtype == "float64" and budgets["source_row"].dtype == "int64"


def test_written_tables_read_back_with_lists_and_formula_safe_csv(mosw, raw_dir, tmp_path):
    out = tmp_path / "processed"
    write_tables(clean_raw(raw_dir), out)
    a = load_processed("assessments", out)
    assert a["ministry"].dtype == "str"
    old_age = a.set_index("source_row").loc[4]
    assert old_age["target_groups"] == ["elderly", "poor_households"]
    assert old_age["remarks"] == '=HYPERLINK("http://x")'
    raw_bytes = (out / "quarantine.csv").read_bytes()
    assert raw_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    q = load_processed("quarantine", out)
    assert q["source_row"].dtype == "Int64" and (q["reason"] != "").all()


def test_quarantine_values_that_look_like_formulas_are_neutralised(raw_dir, write_csv, tmp_path):
    write_csv(
        raw_dir / "f.csv",
        [["Ministry", "Programme", "Graduation planned?"], ["MoSW", "A", "=cmd|' /C calc'!A0"]],
    )
    write_tables(clean_raw(raw_dir), tmp_path / "out")
    with open(tmp_path / "out" / "quarantine.csv", encoding="utf-8-sig", newline="") as f:
        (line,) = list(csv.DictReader(f))
    assert line["value"].startswith("'=")


def test_a_failure_while_writing_leaves_the_previous_tables_intact(mosw, raw_dir, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    result = clean_raw(raw_dir)
    write_tables(result, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    smaller = CleanResult(
        result.assessments.head(1),
        result.budgets.head(0),
        result.quarantine.head(0),
        result.conflicts,
        result.files,
    )

    def crash(self, path, *args, **kwargs):
        if "budgets" in str(path):
            raise KeyboardInterrupt  # Ctrl-C half-way through
        return original(self, path, *args, **kwargs)

    original = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", crash)
    with pytest.raises(KeyboardInterrupt):
        write_tables(smaller, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no table replaced, no temp file left


def test_schema_failures_are_one_line_errors(mosw, raw_dir):
    bad = clean_raw(raw_dir).assessments.assign(graduation="maybe", ministry_code="XYZ")
    with pytest.raises(NsssError) as err:
        validate(bad, AssessmentSchema)
    assert "assessments table failed its schema check" in str(err.value) and "\n" not in str(err.value)


def test_output_of_the_cleaner_passes_the_schemas(mosw, raw_dir):
    result = clean_raw(raw_dir)
    AssessmentSchema.validate(result.assessments)
    BudgetSchema.validate(result.budgets)
    QuarantineSchema.validate(result.quarantine)


# --- the bundled data ---------------------------------------------------------------

BUNDLED = [p for p in find_form_files(RAW_DIR)[0]] if RAW_DIR.exists() else []
needs_bundled = pytest.mark.skipif(not BUNDLED, reason="no bundled submissions in data/raw yet")


def _raw_rows(path: Path, sheet_name: str, header_row: int) -> dict[int, list[str]]:
    """Non-blank cells (as text) of each row below the header, read independently."""
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        delimiter = max((",", ";", "\t"), key=text.count)
        rows = enumerate(csv.reader(text.splitlines(keepends=True), delimiter=delimiter), start=1)
    else:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = enumerate(wb[sheet_name].iter_rows(values_only=True), start=1)
    out = {}
    for n, row in rows:
        cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
        if n > header_row and cells:
            out[n] = cells
    return out


@needs_bundled
def test_bundled_data_loses_no_row():
    """Every non-blank row below a header of every form sheet is in a table or the
    quarantine (but a row of serial numbers only, or the header repeated), and per
    file rows in = accepted + quarantined."""
    result = clean_raw(RAW_DIR)
    placed = {
        (r.source_file, r.source_sheet, r.source_row)
        for df in (result.assessments, result.budgets, result.quarantine)
        for r in df[["source_file", "source_sheet", "source_row"]].itertuples()
    }
    checked = 0
    for path in BUNDLED:
        form = read_form_file(path, RAW_DIR)
        summary = result.summary(form.source_file)
        assert summary.error is None, summary.error
        assert summary.rows_in == summary.accepted + summary.quarantined, form.source_file
        for sheet in form.sheets:
            header = set(sheet.header.labels.values())
            for row, cells in _raw_rows(path, sheet.source_sheet, sheet.header_row).items():
                if (form.source_file, sheet.source_sheet, row) in placed:
                    checked += 1
                    continue
                serial_only = all(c.replace(".", "").isdigit() for c in cells)
                repeated_header = len(header & set(cells)) >= 3
                assert serial_only or repeated_header, (form.source_file, sheet.source_sheet, row, cells)
    assert checked == sum(f.rows_in for f in result.files)
    assert len(result.assessments) >= 40 and result.assessments["ministry_code"].nunique() >= 12


def test_an_unexpected_failure_on_one_row_quarantines_that_row_only(raw_dir, write_csv, monkeypatch):
    write_csv(
        raw_dir / "f.csv",
        [
            ["Ministry", "Programme", "NSSS cluster", "Graduation planned?"],
            ["MoSW", "A", "boom", "No"],
            ["MoSW", "B", "SA", "Yes"],
        ],
    )
    real = parse_cluster

    def fragile(value):
        if value == "boom":
            raise RuntimeError("unexpected\nstate")
        return real(value)

    monkeypatch.setattr(intake_clean, "parse_cluster", fragile)
    result = clean_raw(raw_dir)
    assert result.assessments["programme"].tolist() == ["B"]
    (line,) = result.quarantine.itertuples()
    assert line.source_row == 2 and "cleaner failed on it (RuntimeError: unexpected state)" in line.reason
    assert result.summary("f.csv").quarantined == 1
