"""Reading raw files: discovery, headers (position, synonyms, order), sheet kinds,
CSV encodings and record numbers, and files that are not forms at all."""

from __future__ import annotations

import re
import zipfile

import pytest

from nsss_analysis.intake.files import find_form_files
from nsss_analysis.intake.forms import (
    BUDGET,
    HEADER_SEARCH_ROWS,
    PROGRAMMES,
    map_header,
    match_header,
    read_form_file,
)
from nsss_analysis.reference.vocab import load_reference

PROGRAMME_LABELS = [c.label for c in load_reference().columns_of("Programmes")]


def test_find_form_files_is_recursive_and_skips_mis_hidden_and_lock_files(raw_dir):
    for name in [
        "a.xlsx",
        "sub/b.csv",
        "sub/deeper/c.XLSM",
        "mis/extract.csv",
        ".hidden.csv",
        "~$a.xlsx",
        "README.md",
        "old.xls",
    ]:
        path = raw_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)  # distinct bytes: identical files are one submission
    found, skipped = find_form_files(raw_dir)
    assert [p.relative_to(raw_dir).as_posix() for p in found] == ["a.xlsx", "sub/b.csv", "sub/deeper/c.XLSM"]
    assert sorted(p.name for p in skipped) == ["old.xls"]  # README* is not a submission: silent


def test_header_under_a_title_gives_ministry_fy_and_excel_row_numbers(raw_dir, write_xlsx, form_row):
    path = write_xlsx(
        raw_dir / "submission.xlsx",
        {
            "Programmes": [
                ["Ministry of Women and Children Affairs"],
                ["Gender assessment of social security programmes, FY 2023-24"],
                [],
                PROGRAMME_LABELS,
                form_row(programme="Mother and Child Benefit Programme", graduation="Yes"),
                [],
                form_row(programme="Vulnerable Women Benefit", graduation="No"),
            ]
        },
    )
    form = read_form_file(path, raw_dir)
    assert form.error is None
    (sheet,) = form.sheets
    assert (sheet.kind, sheet.header_row, sheet.source_sheet) == (PROGRAMMES, 4, "Programmes")
    assert sheet.title_ministry.code == "MoWCA" and sheet.title_fy == "2023-24"
    assert [r.source_row for r in sheet.records] == [5, 7]  # the blank row 6 is skipped, not counted
    assert sheet.records[1].values == {"programme": "Vulnerable Women Benefit", "graduation": "No"}


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Programme", "programme"),
        ("Name of the Programme", "programme"),
        ("MINISTRY", "ministry"),
        ("Cluster", "cluster"),
        ("graduation planned", "graduation"),
        ("8. Graduation planned?", "graduation"),
        ("  Collects   sex-disaggregated data? ", "sex_disaggregated_data"),
        ("Collects sex disaggregated data (Y/N)", "sex_disaggregated_data"),
        ("Sex disaggregated data collected", "sex_disaggregated_data"),
        ("Does the programme/scheme use gender analysis?", "gender_analysis"),  # the guideline's words
        ("Gender analysys", "gender_analysis"),  # a typo
        ("Budget (Tk crore)", "budget_crore"),
        ("FY", "fiscal_year"),
        ("Female beneficiaries", "women_beneficiaries"),
        ("মন্ত্রণালয়/বিভাগ", "ministry"),
        ("Sl. No.", None),
        ("Budget code", None),
        ("Programme code", None),
    ],
)
def test_match_header_labels_synonyms_and_conservative_fuzz(header, column):
    assert match_header(header) == column


def test_map_header_places_bare_if_not_followups_and_reports_extras():
    header = map_header(
        (
            "Sl. No.",
            "Programme",
            "Social capital",
            "If not, possible?",
            "Empowerment objective",
            "Empowerment actions",
            "If not?",
            "Focal point",
            "Programme",
        )
    )
    assert header.columns == {
        1: "programme",
        2: "social_capital",
        3: "social_capital_possible",
        4: "empowerment_objective",
        5: "empowerment_actions",
        6: "empowerment_possible",
    }
    assert header.ignored == ("Sl. No.", "Focal point")
    assert header.duplicates == ("Programme",)


def test_header_units_are_recorded_for_bare_numbers():
    header = map_header(("Programme", "FY", "Allocation (lakh Tk)", "Beneficiaries (lakh)"))
    assert header.units == {"budget_crore": "lakh", "beneficiaries": "lakh"}


def test_other_order_extra_columns_and_serial_only_rows(raw_dir, write_xlsx):
    path = write_xlsx(
        raw_dir / "own-table.xlsx",
        {
            "Sheet1": [
                ["Sl. No.", "Gender analysis", "Programme", "Budget code", "Ministry"],
                [1, "Yes", "Old Age Allowance", "1234", "MoSW"],
                [2],  # a numbered but unused form row
                [3, None, None, None, None],
            ]
        },
    )
    (sheet,) = read_form_file(path, raw_dir).sheets
    assert [r.values for r in sheet.records] == [
        {"gender_analysis": "Yes", "programme": "Old Age Allowance", "ministry": "MoSW"}
    ]
    assert sheet.header.ignored == ("Sl. No.", "Budget code")


def test_repeated_header_row_is_not_data(raw_dir, write_csv):
    header = ["Ministry", "Programme", "Graduation planned?", "Remarks"]
    path = write_csv(
        raw_dir / "two-blocks.csv", [header, ["MoSW", "A", "yes", ""], header, ["MoSW", "B", "no", ""]]
    )
    (sheet,) = read_form_file(path, raw_dir).sheets
    assert [r.source_row for r in sheet.records] == [2, 4]


def test_helper_sheets_are_skipped_silently_other_sheets_reported(raw_dir, write_xlsx, form_row):
    path = write_xlsx(
        raw_dir / "t.xlsx",
        {
            "Instructions": [["How to fill this form"], ["#", "Label", "Question"]],
            "Programmes": [PROGRAMME_LABELS, form_row(ministry="MoSW", programme="Old Age Allowance")],
            "Lists": [["yes"], ["no"]],
            "Summary": [["Some pivot table"], [1, 2, 3]],
        },
    )
    form = read_form_file(path, raw_dir)
    assert [s.source_sheet for s in form.sheets] == ["Programmes"]
    assert len(form.messages) == 1 and form.messages[0].startswith("sheet Summary: not an assessment form")


def test_budget_and_national_budget_sheets(raw_dir, write_xlsx):
    path = write_xlsx(
        raw_dir / "budgets.xlsx",
        {
            "Budget": [
                ["Programme name", "Fiscal year", "Budget (BDT crore)", "Beneficiaries"],
                ["Old Age Allowance", "2021-22", 3444.54, "57.01 lakh"],
            ],
            "National": [
                ["Ministry/Division", "NSSS cluster", "Programme", "FY", "Allocation"],
                ["MoSW", "SA", "Old Age Allowance", "2021-22", 1],
            ],
        },
    )
    budget, national = read_form_file(path, raw_dir).sheets
    assert (budget.kind, budget.national) == (BUDGET, False)
    assert (national.kind, national.national) == (BUDGET, True)
    assert budget.records[0].values["beneficiaries"] == "57.01 lakh"


def test_file_name_gives_ministry_and_fiscal_year(raw_dir, write_csv):
    path = write_csv(
        raw_dir / "MoSW_gender_assessment_FY2023-24.csv",
        [["Programme", "Graduation planned?"], ["Old Age Allowance", "No"]],
    )
    form = read_form_file(path, raw_dir)
    assert form.name_ministry.code == "MoSW" and form.name_fy == "2023-24"


# --- CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected_encoding"),
    [
        ("utf-8", ",", "UTF-8"),
        ("utf-8-sig", ",", "UTF-8 with BOM"),
        ("cp1252", ";", "Windows-1252"),
        ("utf-8", "\t", "UTF-8"),
    ],
)
def test_csv_encodings_and_delimiters(raw_dir, write_csv, encoding, delimiter, expected_encoding):
    remark = "Tk 1,000 – ’quoted’ é" if encoding == "cp1252" else "মন্তব্য; with, separators"
    path = write_csv(
        raw_dir / "f.csv",
        [
            ["Ministry", "Programme", "Graduation planned?", "Remarks"],
            ["MoDMR", "Test Relief (TR) Cash", "No", remark],
        ],
        encoding=encoding,
        delimiter=delimiter,
    )
    form = read_form_file(path, raw_dir)
    assert form.encoding == expected_encoding
    (sheet,) = form.sheets
    assert sheet.source_sheet == ""
    assert sheet.records[0].values["remarks"] == remark
    assert sheet.records[0].values["ministry"] == "MoDMR"  # no BOM left on the first header


def test_excel_sep_hint_sets_the_delimiter_and_is_not_a_row(raw_dir):
    path = raw_dir / "hint.csv"
    path.write_text(
        "sep=;\nMinistry;Programme;Graduation planned?\nMoSW;Old Age Allowance, urban;No\n", encoding="utf-8"
    )
    (sheet,) = read_form_file(path, raw_dir).sheets
    assert (sheet.header_row, sheet.records[0].source_row) == (1, 2)
    assert sheet.records[0].values["programme"] == "Old Age Allowance, urban"


def test_csv_record_numbers_count_quoted_multiline_cells_once(raw_dir, write_csv):
    path = write_csv(
        raw_dir / "multi.csv",
        [
            ["Ministry", "Programme", "Target group(s)", "Graduation planned?"],
            ["MoSW", "Old Age Allowance", "elderly\npoor\nwidows", "No"],
            ["MoSW", "Rural Social Services", "poor", "Yes"],
            [],
            ["MoSW", "Hijra livelihood", "hijra", "Partly"],
        ],
    )
    assert path.read_text().count("\n") == 7  # seven physical lines ...
    (sheet,) = read_form_file(path, raw_dir).sheets
    assert [r.source_row for r in sheet.records] == [2, 3, 5]  # ... but records 2, 3 and 5
    assert sheet.records[0].values["target_groups"] == "elderly\npoor\nwidows"


# --- files that cannot be read ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "empty"),
        ("empty.csv", b"", "empty"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        ("corrupt.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "corrupt"),
        ("junk.xlsx", bytes(range(256)) * 4, "not an Excel workbook"),
        ("junk.csv", bytes(range(256)) * 4, "not a text CSV"),
        (
            "letter.csv",
            b"Dear Sir,\nPlease find attached our submission.\nRegards\n",
            "not an assessment form",
        ),
    ],
)
def test_unreadable_files_give_one_line_naming_the_problem(raw_dir, name, content, message):
    path = raw_dir / name
    path.write_bytes(content)
    form = read_form_file(path, raw_dir)
    assert form.sheets == []
    assert message in form.error and "\n" not in form.error


def test_workbook_with_only_empty_sheets_has_no_data(raw_dir, write_xlsx):
    path = write_xlsx(raw_dir / "blank.xlsx", {"Sheet1": []})
    assert read_form_file(path, raw_dir).error == "has no data (every sheet is empty)"


def test_wrong_dimensions_do_not_hide_rows(raw_dir, write_xlsx, form_row):
    """Some tools write a wrong <dimension> (A1); every row must still be read."""
    path = write_xlsx(
        raw_dir / "dims.xlsx",
        {"Programmes": [PROGRAMME_LABELS] + [form_row(programme=f"P{i}") for i in range(5)]},
    )
    data = {}
    with zipfile.ZipFile(path) as z:
        for item in z.namelist():
            data[item] = z.read(item)
    sheet_xml = next(k for k in data if k.startswith("xl/worksheets/sheet"))
    data[sheet_xml] = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data[sheet_xml])
    with zipfile.ZipFile(path, "w") as z:
        for item, content in data.items():
            z.writestr(item, content)
    (sheet,) = read_form_file(path, raw_dir).sheets
    assert len(sheet.records) == 5


def test_header_search_gives_up_after_the_first_rows(raw_dir, write_csv):
    rows = [["note"]] * (HEADER_SEARCH_ROWS + 1) + [
        ["Programme", "Graduation planned?", "Remarks"],
        ["A", "yes", ""],
    ]
    form = read_form_file(write_csv(raw_dir / "late.csv", rows), raw_dir)
    assert "not an assessment form" in form.error


def test_source_file_is_relative_with_forward_slashes(raw_dir, write_csv):
    path = write_csv(raw_dir / "regional" / "dss.csv", [["Programme", "Graduation planned?"], ["A", "yes"]])
    assert read_form_file(path, raw_dir).sheets[0].source_file == "regional/dss.csv"
