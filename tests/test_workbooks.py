"""Every workbook nsss writes beside the reports (data workbooks, action plans, the
national plan), opened as a reader opens it: set up for paper (A4 landscape, every
column on one page's width, the header row repeated on each page) and headed in words,
not the tables' codes, in English as in Bangla.

The files are those of the session's ``site`` (every report of the bundled data, both
languages: tests/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from nsss_analysis.reference.vocab import LINEAGE_COLUMNS
from nsss_analysis.report.national_plan import national_plan_file

#: A code as the processed tables name their columns (``source_file``, ``budget_crore``).
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def _workbooks(site) -> list[Path]:
    found = sorted(site.out.rglob("*.xlsx"))
    assert found, "the site has no workbook"
    return found


def _visible_sheets(path: Path):
    wb = openpyxl.load_workbook(path)
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def test_every_workbook_prints_landscape_fit_to_width_with_its_header_on_each_page(site):
    kinds = {"data": 0, "action-plan": 0, "national-plan": 0}
    for path in _workbooks(site):
        kind = ("national-plan" if path.name == national_plan_file() else
                "data" if path.name.endswith("-data.xlsx") else "action-plan")
        kinds[kind] += 1
        for ws in _visible_sheets(path):
            where = f"{path.relative_to(site.out)} [{ws.title}]"
            assert ws.page_setup.orientation == "landscape", where
            assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert int(ws.page_setup.fitToWidth) == 1, where
            assert int(ws.page_setup.fitToHeight or 0) == 0, where  # as many pages down as the rows need
            if ws.freeze_panes == "A2":  # a table: its header row repeats on every printed page
                assert ws.print_title_rows == "$1:$1", where
    assert all(kinds.values()), kinds  # each kind of workbook was checked


@pytest.mark.parametrize("language", ["en", "bn"])
def test_data_workbook_headers_are_words_not_column_codes(site, language):
    codes = {*LINEAGE_COLUMNS, "budget_crore", "ministry_code", "assessment_round", "level_rule"}
    checked = 0
    for path in _workbooks(site):
        in_bangla = "/bn/" in f"/{path.relative_to(site.out).as_posix()}"
        if not path.name.endswith("-data.xlsx") or in_bangla != (language == "bn"):
            continue
        for ws in _visible_sheets(path):
            header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
            if ws.max_row < 2 or len(header) < 2:
                continue  # "No rows."
            codes_left = [h for h in header if isinstance(h, str) and (SNAKE_CASE.match(h) or h in codes)]
            assert not codes_left, f"{path.relative_to(site.out)} [{ws.title}]: {codes_left}"
            checked += 1
    assert checked, f"no {language} data workbook with a table"


def test_every_workbook_table_is_headed_in_words(site):
    """The action plans and the national plan too: every table's header row (the sheets
    with a frozen header) is labels, in both languages."""
    checked = set()
    for path in _workbooks(site):
        for ws in _visible_sheets(path):
            if ws.freeze_panes != "A2" or ws.max_row < 2:
                continue
            header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
            codes_left = [h for h in header if isinstance(h, str) and SNAKE_CASE.match(h)]
            assert not codes_left, f"{path.relative_to(site.out)} [{ws.title}]: {codes_left}"
            assert all(isinstance(h, str) and h.strip() for h in header), f"{path.relative_to(site.out)} [{ws.title}]"
            checked.add("national-plan" if path.name == national_plan_file() else
                        "data" if path.name.endswith("-data.xlsx") else "action-plan")
    assert checked == {"data", "action-plan", "national-plan"}, checked
