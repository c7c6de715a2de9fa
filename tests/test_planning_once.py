"""Planning a run computes what every report shares once (issue #21): each table's rows
are hashed once and each ministry's share is cut from those hashes; the known budget rows
are found once and every unit's page year read from them. These tests check that the
shortcuts give exactly what the one-report-at-a-time functions give, on the bundled data
(synthetic) and on a table with list cells and missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.budgets import budget_years, resolve_fiscal_year
from nsss_analysis.io import load_tables
from nsss_analysis.runner.inputs import (
    MINISTRY_TABLES,
    TableDigests,
    frame_digest,
    ministry_masks,
    ministry_rows,
)
from nsss_analysis.runner.plan import _BudgetYears, _latest_year, _page_year


def test_a_ministrys_digest_cut_from_the_row_hashes_equals_hashing_its_rows(bundled):
    tables = load_tables(bundled)
    digests = TableDigests(tables)
    codes = sorted(set(tables.assessments["ministry_code"].dropna()))
    assert len(codes) > 3
    differ = set()
    for code in codes:
        name = str(tables.assessments.loc[tables.assessments["ministry_code"] == code, "ministry"].iloc[0])
        rows = ministry_rows(tables, name, code)
        masks = ministry_masks(tables, name, code)
        for table in MINISTRY_TABLES:
            assert digests.digest(table, masks[table]) == frame_digest(rows[table]), (code, table)
            differ.add(digests.digest(table, masks[table]))
    assert len(differ) > len(MINISTRY_TABLES)  # the ministries' shares are told apart
    for table in MINISTRY_TABLES:
        assert digests.digest(table) == frame_digest(getattr(tables, table, None))


def test_row_hash_cut_handles_list_cells_missing_values_and_empty_cuts():
    class Tables:  # synthetic
        scores = pd.DataFrame({
            "ministry_code": pd.array(["A", None, "B", "A"], dtype="string"),
            "stages": [["x", "y"], None, [], ["y"]],
            "score": [1.0, np.nan, 2.5, 3.0],
        })

    digests = TableDigests(Tables)
    df = Tables.scores
    for mask in ([True, False, False, True], [False, True, True, False], [False] * 4, [True] * 4):
        assert digests.digest("scores", np.array(mask)) == frame_digest(df[np.array(mask)])
    assert digests.digest("scores", np.array([True, False, False, False])) != digests.digest(
        "scores", np.array([False, False, False, True]))
    assert digests.digest("absent_table") == frame_digest(None) == "absent"


def test_page_years_from_the_known_rows_once_equal_the_rule_per_unit(bundled):
    tables = load_tables(bundled)
    years_of = _BudgetYears(tables.budgets)
    codes = [None, *sorted(set(tables.assessments["ministry_code"].dropna()))]
    page_years = set()
    for code in codes:
        expected_years = budget_years(tables.budgets, code)
        pd.testing.assert_frame_equal(years_of(code), expected_years)
        expected = resolve_fiscal_year(tables.budgets, code, None) if len(expected_years) else "fallback"
        assert _page_year(years_of, code, "fallback") == expected
        latest = _latest_year(years_of, tables.assessments, code)
        if len(expected_years):
            assert latest == str(expected_years["fiscal_year"].max())
        page_years.add(expected)
    assert len(page_years) > 1  # the bundled data give units different page years


def test_no_budgets_at_all_falls_back_to_the_forms_year(bundled):
    tables = load_tables(bundled)
    years_of = _BudgetYears(None)
    assert _page_year(years_of, "MoSW", "2023-24") == "2023-24"
    rounds = tables.assessments.loc[tables.assessments["ministry_code"] == "MoSW", "assessment_round"].dropna()
    assert _latest_year(years_of, tables.assessments, "MoSW") == (max(rounds) if len(rounds) else None)
