"""The semantics of the pages' statements (docs/method.md), one rule per test, each on a
small synthetic fixture built to break the old behaviour: exact funnel limits, the
synthetic notice read from the data, the Scores sheet per programme and round,
disputed programmes, the budget year, like-for-like trends, unknowns in headlines,
comparators from the same round and counts by lineage."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from nsss_analysis.mis.coverage import district_funnel

# --- districts: exact funnel limits ---------------------------------------------------------


def _exact_outside(female: int, total: int, p0: float, level: float = 0.998) -> bool:
    """Outside the two-sided limits when either tail beyond the count is rarer than
    (1 - level) / 2 under Binomial(total, p0): the definition, computed directly."""
    tail = (1 - level) / 2
    return bool(stats.binom.cdf(female, total, p0) < tail
                or stats.binom.sf(female - 1, total, p0) < tail)


def test_funnel_limits_are_exact_binomial_not_normal():
    # Synthetic: an overall share near 95%, one small district at 9 of 12 (75%): the normal
    # approximation puts it below the 99.8% limit, the binomial gives P(X <= 9) of about 2%.
    by_district = pd.DataFrame({
        "programme": "Synthetic Allowance", "fiscal_year": "2023-24",
        "district": ["Kushtia", "Dhaka", "Feni", "Bagerhat"],
        "female": [9, 9_491, 2_700, 12], "total": [12, 9_988, 3_000, 12]})
    by_district = by_district.assign(women_share=by_district["female"] / by_district["total"])
    funnel = district_funnel(by_district).set_index("district")
    p0 = by_district["female"].sum() / by_district["total"].sum()
    for d, r in by_district.set_index("district").iterrows():
        assert bool(funnel.loc[d, "outside_998"]) == _exact_outside(r["female"], r["total"], p0), d
    assert not funnel.loc["Kushtia", "outside_998"]
    assert funnel.loc["Feni", "outside_998"]  # 90% of 3,000 against about 94%
    # the limits are shares a district of that size can have, within 0-1
    for name in ("low_95", "high_95", "low_998", "high_998"):
        k = funnel[name] * funnel["total"]
        assert np.allclose(k, np.round(k)) and funnel[name].between(0, 1).all()


# --- synthetic: read from the processed tables -----------------------------------------------

def test_no_notebook_passes_a_literal_to_the_synthetic_notice():
    import ast
    import json
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "notebooks"
    calls = 0
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            for m in re.finditer(r"data_notice\(([^()]*)\)", source):
                calls += 1
                argument = ast.parse(m.group(1) or "None", mode="eval").body
                assert not isinstance(argument, ast.Constant), f"{path.name}: data_notice({m.group(1)})"
            for line in source.splitlines():
                if "data_notice(" in line:
                    assert "synthetic" in line, f"{path.name}: the notice is not conditioned on the data: {line}"
    assert calls >= 3  # national, ministry and cluster notebooks


# --- the data workbook's Scores sheet ---------------------------------------------------------

MOSW = {"ministry": "Ministry of Social Welfare", "ministry_code": "MoSW"}


def _forms(n: int, round_: str | None, file: str, **answers) -> pd.DataFrame:
    """``n`` synthetic MoSW programmes P0..P(n-1) of one file and round."""
    from nsss_analysis.reference.vocab import ITEMS
    from tests.support.frames import assessments_frame, programme_row

    rows = [programme_row(**MOSW, source_file=file, source_row=k + 2, programme=f"P{k}",
                          assessment_round=round_,
                          **(dict.fromkeys(ITEMS[: (k * 3) % 10], "yes") | answers)) for k in range(n)]
    return assessments_frame(*rows)


def test_scores_sheet_has_one_row_per_programme_and_round_with_the_round():
    from nsss_analysis.io import Tables
    from nsss_analysis.report.downloads import ministry_rows

    old = _forms(3, "2018-19", "MoSW 2019.xlsx", graduation="no")
    new = _forms(4, "2023-24", "MoSW 2024.xlsx")
    again = new.iloc[[0]].assign(source_file="MoSW 2024 copy.xlsx")  # repeated cell for cell
    tables = Tables(assessments=pd.concat([old, new, again], ignore_index=True))
    sheet = ministry_rows(tables, "MoSW")["Scores"]
    assert "assessment_round" in sheet.columns
    assert len(sheet) == 7 and not sheet.duplicated(["programme", "assessment_round"]).any()
    assert sheet.groupby("programme")["assessment_round"].nunique().to_dict() == {
        "P0": 2, "P1": 2, "P2": 2, "P3": 1}
