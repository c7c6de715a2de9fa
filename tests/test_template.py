"""The blank assessment form (`nsss template`): sheets, labels, drop-downs, frozen
header, the guideline's questions; and "a filled template reads back exactly"
through the cleaner."""

from __future__ import annotations

import openpyxl
import pytest

from nsss_analysis.cli import main
from nsss_analysis.errors import UsageError
from nsss_analysis.intake.cells import parse_answer, parse_followup, parse_list
from nsss_analysis.intake.clean import clean_raw
from nsss_analysis.intake.template import (
    NATIONAL_ONLY_BUDGET_COLUMNS,
    VALIDATED_ROWS,
    build_template,
    write_template,
)
from nsss_analysis.reference.vocab import (
    ANSWERS,
    ASSESSMENT_COLUMNS,
    CLUSTERS,
    FOLLOWUP_ANSWERS,
    ITEMS,
    LIFECYCLE_STAGES,
    LIST_COLUMNS,
    TARGET_GROUPS,
    load_reference,
)
from tests.support.filled_form import BUDGET_ROWS, FORM, PROGRAMMES
from tests.support.filled_form import filled_rows as _filled_rows

REF = load_reference()
BUDGET = [c for c in REF.columns_of("Budget") if c.column not in NATIONAL_ONLY_BUDGET_COLUMNS]


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "form.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def _validations(ws) -> dict[str, object]:
    """Column letter -> the data validation covering its data rows."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def _list_values(wb, formula: str) -> list[str]:
    """The values a range formula such as ``'Lists'!$A$2:$A$6`` points at."""
    sheet, cells = formula.split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


def test_blank_form_has_the_sheets_and_the_24_labels_in_order(blank):
    assert blank.sheetnames == ["Programmes", "Budget", "Instructions", "Lists"]
    ws = blank["Programmes"]
    header = [c.value for c in ws[1]]
    assert header == [c.label for c in FORM]
    assert len(header) == 24
    assert all(c.font.bold and c.alignment.wrap_text for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1  # blank: nothing but the header
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert min(widths) >= 12


def test_each_header_carries_the_guidelines_full_question(blank):
    ws = blank["Programmes"]
    for cell, column in zip(ws[1], FORM):
        assert cell.comment is not None and cell.comment.text == column.instruction


def test_drop_downs_reference_the_lists_sheet_with_the_vocabularies(blank):
    ws = blank["Programmes"]
    validations = _validations(ws)
    labels = REF.labels
    expected = {  # labels people read, one per value, in the vocabulary's order
        "answer": [labels["answers"][a] for a in ANSWERS],
        "followup": [labels["followups"][a] for a in FOLLOWUP_ANSWERS],
        "cluster": list(CLUSTERS),
        "ministry": [m.name for m in REF.ministries],
        "lifecycle_stages": [labels["lifecycle_stages"][s] for s in LIFECYCLE_STAGES],
        "target_groups": [labels["target_groups"][g] for g in TARGET_GROUPS],
    }
    for cell, column in zip(ws[1], FORM):
        letter = cell.column_letter
        if column.kind not in expected:
            continue
        dv = validations.get(letter)
        assert dv is not None, f"no drop-down on {column.label}"
        assert dv.type == "list"
        assert str(dv.sqref) == f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
        assert dv.formula1.startswith("'Lists'!"), "inline lists break Excel's 255-character limit"
        assert _list_values(blank, dv.formula1) == expected[column.kind]
        multi = column.kind in ("lifecycle_stages", "target_groups")
        # Several stages or groups are typed into one cell: the list must not reject them.
        assert bool(dv.showErrorMessage) is (not multi), column.label
    assert blank["Lists"].sheet_state == "hidden"


def test_instructions_give_each_question_in_full_with_allowed_values(blank):
    ws = blank["Instructions"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] and "assessment" in rows[0][0].lower()
    budget_start = next(i for i, r in enumerate(rows) if r[0] == "Sheet Budget")
    for section, columns in ((rows[:budget_start], FORM), (rows[budget_start:], BUDGET)):
        numbered = [r for r in section if isinstance(r[0], int)]
        assert [r[0] for r in numbered] == list(range(1, len(columns) + 1))
        for r, column in zip(numbered, columns):
            assert r[1] == column.label
            assert r[2] == column.instruction  # the guideline's own words
            assert r[3]  # allowed values
    by_label = {r[1]: r for r in rows[:budget_start] if isinstance(r[0], int)}
    cluster_row = by_label["NSSS cluster"]
    assert all(c in cluster_row[3] for c in CLUSTERS)


def test_budget_sheet_has_the_ministry_budget_labels_only(blank):
    header = [c.value for c in blank["Budget"][1]]
    assert header == [c.label for c in BUDGET]
    assert header == ["Programme name", "Fiscal year", "Budget (BDT crore)", "Beneficiaries",
                      "Women beneficiaries", "Monthly rate (Tk)"]
    assert blank["Budget"].freeze_panes == "A2"


def test_template_bytes_are_reproducible(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_template(a)
    write_template(b)
    assert a.read_bytes() == b.read_bytes()


def test_cli_writes_the_template_and_rejects_other_suffixes(tmp_path, capsys):
    out = tmp_path / "sub" / "form.xlsx"
    assert main(["template", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Programmes"
    assert main(["template", str(tmp_path / "form.csv")]) == 2
    assert "xlsx" in capsys.readouterr().err
    with pytest.raises(UsageError):
        write_template(tmp_path / "form.xls")


# --- a filled template reads back exactly ------------------------------------------

def test_a_filled_template_reads_back_exactly(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    wb = build_template()
    rows, expected = _filled_rows()
    for row in rows:
        wb["Programmes"].append(row)
    for row in BUDGET_ROWS:
        wb["Budget"].append(list(row))
    wb.save(raw / "MoWCA_form_2023-24.xlsx")

    result = clean_raw(raw)
    assessments = result.assessments.sort_values("source_row").reset_index(drop=True)
    assert len(assessments) == len(expected)
    assert list(assessments.columns[: len(ASSESSMENT_COLUMNS)]) == list(ASSESSMENT_COLUMNS)
    for got, want in zip(assessments.to_dict("records"), expected):
        assert got["source_file"] == "MoWCA_form_2023-24.xlsx"
        assert got["source_sheet"] == "Programmes"
        for column, value in want.items():
            actual = got[column]
            if column in LIST_COLUMNS:
                # Stages and groups come back in vocabulary order; agencies as written.
                assert sorted(actual) == sorted(value), (want["programme"], column)
                if column == "partner_agencies":
                    assert list(actual) == value
            elif value is None:
                assert actual is None or actual != actual, (want["programme"], column, actual)
            else:
                assert actual == value, (want["programme"], column, actual)
    # Every answer value occurs in the filled form and comes back.
    seen = set(assessments[list(ITEMS)].to_numpy().ravel())
    assert seen == set(ANSWERS)

    budgets = result.budgets.sort_values("source_row").reset_index(drop=True)
    assert len(budgets) == len(BUDGET_ROWS)
    clusters = {p[0]: p[4] for p in PROGRAMMES}
    for got, (programme, fy, crore, people, women, rate) in zip(budgets.to_dict("records"), BUDGET_ROWS):
        assert got["source_sheet"] == "Budget"
        assert got["ministry_code"] == "MoWCA"
        assert got["programme"] == programme and got["fiscal_year"] == fy
        assert got["cluster"] == clusters[programme]  # from the Programmes sheet
        for column, value in (("budget_crore", crore), ("beneficiaries", people),
                              ("women_beneficiaries", women), ("monthly_rate_bdt", rate)):
            if value is None:
                assert got[column] != got[column] or got[column] is None, column
            else:
                assert got[column] == pytest.approx(value), column
    assert result.quarantine.empty, result.quarantine.to_dict("records")


def test_drop_down_labels_are_words_people_read_and_the_reader_maps_them_back():
    labels = REF.labels
    assert labels["answers"]["not_applicable"] == "Not applicable"
    assert labels["lifecycle_stages"]["women_working_age"] == "Vulnerable women of working age"
    for answer, text in labels["answers"].items():
        assert parse_answer(text) == answer
    for answer, text in labels["followups"].items():
        if answer != "not_applicable":
            assert parse_followup(text, ["no"]) == answer
    stages = "; ".join(labels["lifecycle_stages"][s] for s in LIFECYCLE_STAGES)
    assert parse_list(stages, REF.lifecycle_stages) == (list(LIFECYCLE_STAGES), [])
    groups = "; ".join(labels["target_groups"][g] for g in TARGET_GROUPS)
    assert parse_list(groups, REF.target_groups) == (list(TARGET_GROUPS), [])


def test_budget_sheet_checks_numbers_and_fiscal_years(blank):
    ws = blank["Budget"]
    header = [c.value for c in ws[1]]
    validations = _validations(ws)
    fy = validations[ws.cell(row=1, column=header.index("Fiscal year") + 1).column_letter]
    # Excel's VALUE() cannot read Bangla digits (২০২০-২১), which the reader accepts: the
    # check informs and never blocks an entry.
    assert fy.type == "custom" and fy.errorStyle == "information" and "MOD(" in fy.formula1
    for label in ("Budget (BDT crore)", "Beneficiaries", "Women beneficiaries"):
        dv = validations[ws.cell(row=1, column=header.index(label) + 1).column_letter]
        assert dv.type == "decimal" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
        assert dv.errorStyle == "warning"  # "12.5 lakh" is still accepted by the reader
