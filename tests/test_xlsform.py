"""The online form (`nsss template OUT.xlsx --xlsform`): an XLSForm for KoboToolbox and
ODK built from the same reference data as the Excel template; converts with pyxform
with no warnings, every form column a field, every code a space-free choice name,
every Bangla cell filled, the guideline's skip logic, a version from its content."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest

from nsss_analysis.cli import main
from nsss_analysis.intake import xlsform
from nsss_analysis.intake.template import NATIONAL_ONLY_BUDGET_COLUMNS, workbook_bytes
from nsss_analysis.intake.xlsform import (
    FORM_ID,
    build_xlsform,
    convert,
    form_version,
    write_xlsform,
)
from nsss_analysis.reference.vocab import (
    ANSWERS,
    CLUSTERS,
    FOLLOWUP_ANSWERS,
    FOLLOWUPS,
    ITEMS,
    LIFECYCLE_STAGES,
    TARGET_GROUPS,
    load_reference,
)

REF = load_reference()
BANGLA = re.compile("[\u0980-\u09ff]")


def _rows(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsform") / "nsss-form.xlsx"
    write_xlsform(path, "2024-25", "en")
    return path, openpyxl.load_workbook(path)


def test_the_form_converts_with_pyxform_without_warnings(form):
    path, _wb = form
    xform, warnings = convert(path.read_bytes())
    assert warnings == []
    assert f'id="{FORM_ID}"' in xform


def test_every_form_column_is_a_field_in_its_repeat(form):
    _path, wb = form
    survey = _rows(wb["survey"])
    names = [r["name"] for r in survey if not r["type"].startswith(("begin_", "end_"))]
    path: list[str] = []
    where: dict[str, tuple[str, ...]] = {}
    for r in survey:
        if r["type"] in ("begin_repeat", "begin_group"):
            path.append(r["name"])
        elif r["type"] in ("end_repeat", "end_group"):
            path.pop()
        else:
            where[r["name"]] = tuple(path)
    assert len(names) == len(set(names))
    for column in REF.columns_of("Programmes"):
        assert column.column in where, column.column
    assert where["ministry"] == ()
    assert where["assessment_round"] == () and where["form_version"] == ()
    assert where["programme"] == ("programme",)
    for item in (*ITEMS, *FOLLOWUPS):
        assert where[item] == ("programme", "items")
    for column in REF.columns_of("Budget"):
        if column.column not in (*NATIONAL_ONLY_BUDGET_COLUMNS, "programme"):
            assert where[column.column] == ("programme", "budget"), column.column
    by_name = {r["name"]: r for r in survey}
    assert by_name["assessment_round"]["required"] == "yes"
    assert by_name["assessment_round"]["default"] == "2024-25"
    assert by_name["ministry"]["type"] == "select_one ministry"
    assert by_name["lifecycle_stages"]["type"].startswith("select_multiple ")
    assert by_name["target_groups"]["type"].startswith("select_multiple ")
    assert "${beneficiaries}" in by_name["women_beneficiaries"]["constraint"]


def test_every_code_is_a_choice_name_without_spaces(form):
    _path, wb = form
    choices = _rows(wb["choices"])
    by_list: dict[str, list[str]] = {}
    for r in choices:
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", r["name"]), r["name"]
        by_list.setdefault(r["list_name"], []).append(r["name"])
    assert by_list["answer"] == list(ANSWERS)
    assert by_list["followup"] == list(FOLLOWUP_ANSWERS)
    assert by_list["lifecycle_stage"] == list(LIFECYCLE_STAGES)
    assert by_list["target_group"] == list(TARGET_GROUPS)
    assert by_list["ministry"] == [m.code for m in REF.ministries]
    assert len(by_list["cluster"]) == len(CLUSTERS)


def test_every_bangla_cell_is_filled(form):
    _path, wb = form
    for sheet in ("survey", "choices"):
        for r in _rows(wb[sheet]):
            for column, value in r.items():
                english = column.replace("Bangla (bn)", "English (en)")
                if column.endswith("Bangla (bn)"):
                    if r.get(english):
                        assert value and BANGLA.search(str(value)), (sheet, r["name"], column)
                if column.endswith("English (en)") and value:
                    assert r.get(column.replace("English (en)", "Bangla (bn)")), (sheet, r["name"], column)
    labelled = [r for r in _rows(wb["survey"]) if r["type"] not in ("end_group", "end_repeat", "calculate")]
    assert all(r["label::Bangla (bn)"] for r in labelled)


def test_each_followup_is_relevant_exactly_after_no_or_partly_of_its_items(form):
    _path, wb = form
    by_name = {r["name"]: r for r in _rows(wb["survey"])}
    for followup, items in FOLLOWUPS.items():
        relevant = by_name[followup]["relevant"]
        named = set(re.findall(r"\$\{(\w+)\}", relevant))
        assert named == set(items), followup
        assert set(re.findall(r"'(\w+)'", relevant)) == {"no", "partly"}
    for item in ITEMS:
        assert not by_name[item].get("relevant")


def test_two_runs_give_the_same_bytes_and_version_and_a_change_a_new_version(tmp_path, monkeypatch):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsform(a, "2024-25")
    write_xlsform(b, "2024-25")
    assert a.read_bytes() == b.read_bytes()
    version = form_version(openpyxl.load_workbook(a))
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    survey = _rows(openpyxl.load_workbook(a)["survey"])
    assert survey[0]["type"] == "calculate" and survey[0]["calculation"] == f"'{version}'"
    # a changed label: the same function with one word changed gives a new version
    original = xlsform.ROUND_LABEL
    monkeypatch.setattr(xlsform, "ROUND_LABEL", original + " (round)")
    assert form_version(build_xlsform("2024-25")) != version
    monkeypatch.setattr(xlsform, "ROUND_LABEL", original)
    assert form_version(build_xlsform("2024-25")) == version
    assert form_version(build_xlsform("2025-26")) != version


def test_default_language_follows_the_language_option():
    for code, name in (("en", "English (en)"), ("bn", "Bangla (bn)")):
        settings = _rows(build_xlsform(None, code)["settings"])[0]
        assert settings["default_language"] == name
        assert settings["form_id"] == FORM_ID


def test_the_cli_writes_the_xlsform_and_refuses_a_bad_round(tmp_path, capsys):
    out = tmp_path / "online.xlsx"
    assert main(["template", str(out), "--xlsform", "--round", "2024-25", "--language", "bn"]) == 0
    printed = capsys.readouterr().out
    assert FORM_ID in printed and form_version(openpyxl.load_workbook(out)) in printed
    assert main(["template", str(tmp_path / "x.xlsx"), "--xlsform", "--round", "20x4"]) == 2
    assert "--round" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
    assert main(["template", str(tmp_path / "y.xlsx"), "--round", "2024-25"]) == 2


def test_a_conversion_error_exits_1_naming_the_row(tmp_path, monkeypatch, capsys):
    broken = xlsform._relevant

    def bad_relevant(followup):
        return broken(followup).replace("${", "${missing_") if followup == "graduation_possible" else broken(followup)

    monkeypatch.setattr(xlsform, "_relevant", bad_relevant)
    out = tmp_path / "bad.xlsx"
    assert main(["template", str(out), "--xlsform"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "row" in err.lower() and "Traceback" not in err
    assert not out.exists()


def test_odk_validate_exits_2_in_one_line_without_java(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(xlsform.shutil, "which", lambda name: None)
    assert main(["template", str(tmp_path / "f.xlsx"), "--xlsform", "--odk-validate"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Java" in err
    assert not (tmp_path / "f.xlsx").exists()


@pytest.mark.slow
def test_odk_validate_passes_where_java_is_present(tmp_path):
    if shutil.which("java") is None:
        pytest.skip("no Java on this machine: ODK Validate cannot run (pyxform's conversion is tested above)")
    xform, _ = convert(workbook_bytes(build_xlsform("2024-25", "bn")))
    xlsform.odk_validate(xform)
