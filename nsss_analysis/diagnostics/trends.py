"""Trends across assessment rounds (docs/method.md, "Trends")."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from nsss_analysis.diagnostics.intervals import mean_interval, wilson_interval
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE
from nsss_analysis.diagnostics.units import NATIONAL_UNIT
from nsss_analysis.reference.vocab import LINEAGE_COLUMNS


@dataclass(frozen=True)
class TrendResult:
    """Figures per assessment round (``table``), or why there is no trend."""

    ok: bool
    n_rounds: int
    message: str
    table: pd.DataFrame = field(repr=False)


def trend_by_round(
    assessments: pd.DataFrame, scores: pd.DataFrame, by: str = "national"
) -> TrendResult:
    """Mean inclusion score and the share gender-specific or transformative per
    assessment round (``assessment_fy``), nationally or by ministry, with intervals;
    only when two or more rounds exist, else a message saying why not.
    """

    cols = ["scope", "unit", "ministry_code", "assessment_fy", "n", "mean_inclusion_score",
            "mean_ci_low", "mean_ci_high", "method", "small_n", "count_gender_specific",
            "share_gender_specific", "share_ci_low", "share_ci_high"]
    empty = pd.DataFrame(columns=cols)
    rounds = (
        sorted(assessments["assessment_fy"].dropna().unique())
        if "assessment_fy" in assessments.columns else []
    )
    if len(rounds) < 2:
        said = f"one assessment round ({rounds[0]})" if rounds else "no assessment round recorded"
        return TrendResult(False, len(rounds), f"{said}: a trend needs two or more", empty)
    lineage = list(LINEAGE_COLUMNS)
    df = scores.merge(assessments[[*lineage, "assessment_fy"]], on=lineage, how="left")
    df = df[df["assessment_fy"].notna()]
    groups = [("national", NATIONAL_UNIT, None, df)]
    if by == "ministry":
        groups = [("ministry", sub["ministry"].iloc[0], code, sub)
                  for code, sub in df.groupby("ministry_code")]
    records = []
    for scope, unit, code, sub in groups:
        for fy, r in sub.groupby("assessment_fy"):
            m = mean_interval(r["inclusion_score"])
            count = int(r["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
            low, high = wilson_interval(count, len(r))
            records.append([scope, unit, code, fy, len(r), m.mean, m.ci_low, m.ci_high, m.method,
                            m.small_n, count, count / len(r), low, high])
    table = pd.DataFrame(records, columns=cols).astype(
        {"scope": "str", "unit": "str", "ministry_code": "str", "assessment_fy": "str",
         "method": "str", "n": "int64", "count_gender_specific": "int64", "small_n": "bool"}
    )
    missing = len(scores) - len(df)
    note = f"; {missing} programmes without a round left out" if missing else ""
    return TrendResult(True, len(rounds), f"{len(rounds)} assessment rounds: "
                       f"{', '.join(rounds)}{note}", table)
