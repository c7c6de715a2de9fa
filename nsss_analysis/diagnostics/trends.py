"""Trends across assessment rounds, on the same programmes (docs/method.md, "Trends").

Two rounds are compared only through the programmes assessed in both: a round with
other ministries' programmes is a different population, not a change. Each paired
programme's change is named; a summary of change (mean change with a t interval,
how many rose and fell) is given only from ``TREND_MIN_PAIRS`` pairs up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, cast

import pandas as pd

from nsss_analysis.diagnostics.budgets import known_budgets
from nsss_analysis.diagnostics.counting import rounds_of
from nsss_analysis.diagnostics.intervals import mean_interval
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE, SMALL_N
from nsss_analysis.diagnostics.scoring import as_list, score_answers
from nsss_analysis.diagnostics.units import programme_key
from nsss_analysis.reference.vocab import ITEMS, LINEAGE_COLUMNS


class AnswerChange(NamedTuple):
    """One item whose answer changed between two rounds, as codes (``graduation``,
    ``no``, ``partly``); the report layer words it."""

    item: str
    before: str
    after: str

#: A summary of change across rounds needs at least this many paired programmes.
TREND_MIN_PAIRS = SMALL_N


PAIR_COLUMNS = (
    "ministry", "ministry_code", "programme", "round_before", "round_after",
    "score_before", "score_after", "change", "level_before", "level_after",
    "items_changed", "items_answered_both", "items_became_unknown", "items_became_known",
    "level_both_before", "level_both_after",
)
#: Columns of the pair table that hold numbers (the rest is text).
_FLOATS = ("score_before", "score_after", "change")
_INTS = ("items_answered_both",)


def _answered(value: object) -> bool:
    return isinstance(value, str) and value not in ("", "unknown")


def like_for_like(before: dict, after: dict) -> tuple[float, float, int]:
    """The inclusion scores of two rounds of one programme over the items answered in
    both (every other item read as unknown in both), and how many items that is: a
    change between rounds compares like with like, so an answer that went missing (or
    appeared) is never a fall or rise of the score (docs/method.md, "Trends")."""
    both = [i for i in ITEMS if _answered(before.get(i)) and _answered(after.get(i))]
    one = {i: (before[i] if i in both else "unknown") for i in ITEMS}
    two = {i: (after[i] if i in both else "unknown") for i in ITEMS}
    first, second = score_answers(one)["inclusion_score"], score_answers(two)["inclusion_score"]
    return float(cast(float, first)), float(cast(float, second)), len(both)


@dataclass(frozen=True)
class TrendResult:
    """Programmes paired across their two latest rounds (``pairs``), the summary of
    change when there are enough pairs (``summary``), or why there is no trend: ``code``
    is ``no_round``, ``one_round``, ``no_pairs`` (rounds, but no programme in two of
    them), ``few_pairs`` (each change named, fewer than ``TREND_MIN_PAIRS``) or ``summarised``;
    the report layer says it in words."""

    ok: bool
    n_rounds: int
    n_pairs: int
    code: str
    pairs: pd.DataFrame = field(repr=False)
    summary: dict = field(default_factory=dict)
    #: The assessment rounds on record (the report says them when there is no trend).
    rounds: tuple[str, ...] = ()

    @property
    def table(self) -> pd.DataFrame:
        """The paired programmes (kept for callers that read ``table``)."""
        return self.pairs


def like_for_like_levels(before: dict, after: dict) -> tuple[str, str]:
    """The levels of two rounds of one programme over the items answered in both (as
    :func:`like_for_like` scores them), each round with its own life-cycle stages and
    target groups: a level that changes only because an answer went missing is not a
    change between rounds."""
    both = [i for i in ITEMS if _answered(before.get(i)) and _answered(after.get(i))]
    levels = []
    for row in (before, after):
        answers = {i: (str(row[i]) if i in both else "unknown") for i in ITEMS}
        levels.append(str(score_answers(answers, as_list(row.get("lifecycle_stages")),
                                        as_list(row.get("target_groups")))["level"]))
    return levels[0], levels[1]


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in _FLOATS else "int64" if c in _INTS else "str")
                         for c in PAIR_COLUMNS})


def paired_programmes(assessments: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Every programme assessed in two or more rounds, its two latest rounds side by
    side: levels, the scores like for like (over the items answered in both rounds:
    :func:`like_for_like`) and their change, the items whose answer changed, and those
    that became unknown or known (never counted as a fall or rise).
    ``assessments`` and ``scores`` hold each programme once per round."""
    if not len(rounds_of(assessments)) >= 2:
        return _empty_pairs()
    lineage = list(LINEAGE_COLUMNS)
    reach = [c for c in ("lifecycle_stages", "target_groups") if c in assessments.columns]
    a = assessments[[*lineage, "assessment_round", *ITEMS, *reach]].astype(
        {"source_row": "int64", "source_sheet": "str", "source_file": "str"})
    s = scores.astype({"source_row": "int64", "source_sheet": "str", "source_file": "str"})
    df = s.merge(a, on=lineage, how="inner")
    df = df[df["assessment_round"].notna() & (df["assessment_round"].astype(str) != "")]
    df = df.assign(programme_key=programme_key(df))
    records = []
    for (_, _), sub in df.groupby(["ministry_code", "programme_key"], sort=True):
        if sub["assessment_round"].nunique() < 2:
            continue
        sub = sub.sort_values("assessment_round")
        before, after = sub.iloc[-2], sub.iloc[-1]
        changed = tuple(AnswerChange(i, str(before[i]), str(after[i])) for i in ITEMS if before[i] != after[i])
        score_before, score_after, n_both = like_for_like(before.to_dict(), after.to_dict())
        like_before, like_after = like_for_like_levels(before.to_dict(), after.to_dict())
        records.append({
            "ministry": after["ministry"], "ministry_code": after["ministry_code"],
            "programme": after["programme"], "round_before": before["assessment_round"],
            "round_after": after["assessment_round"],
            "score_before": score_before, "score_after": score_after,
            "change": score_after - score_before,
            "level_before": before["level"], "level_after": after["level"],
            "level_both_before": like_before, "level_both_after": like_after,
            "items_changed": changed,
            "items_answered_both": n_both,
            "items_became_unknown": "; ".join(i for i in ITEMS if _answered(before[i]) and not _answered(after[i])),
            "items_became_known": "; ".join(i for i in ITEMS if not _answered(before[i]) and _answered(after[i])),
        })
    if not records:
        return _empty_pairs()
    out = pd.DataFrame(records, columns=list(PAIR_COLUMNS))
    return out.astype({c: "float64" if c in _FLOATS else "int64" if c in _INTS else
                       "object" if c == "items_changed" else "str"  # a tuple of AnswerChange codes a row
                       for c in PAIR_COLUMNS}).sort_values(["ministry", "programme"]).reset_index(drop=True)


def trend_by_round(
    assessments: pd.DataFrame, scores: pd.DataFrame, ministry_code: str | None = None
) -> TrendResult:
    """The paired comparison of rounds, nationally or for one ministry (``ministry_code``):
    only programmes assessed in two rounds, the number paired stated, each change
    named; a summary (mean change with a t interval, counts up/down, level changes)
    only with at least ``TREND_MIN_PAIRS`` pairs."""
    if ministry_code is not None:
        assessments = assessments[assessments["ministry_code"] == ministry_code]
        scores = scores[scores["ministry_code"] == ministry_code]
    rounds = rounds_of(assessments)
    if len(rounds) < 2:
        return TrendResult(False, len(rounds), 0, "one_round" if rounds else "no_round", _empty_pairs(),
                           rounds=tuple(rounds))
    pairs = paired_programmes(assessments, scores)
    n = len(pairs)
    if n == 0:
        return TrendResult(False, len(rounds), 0, "no_pairs", pairs, rounds=tuple(rounds))
    code = "few_pairs"
    summary: dict = {}
    if n >= TREND_MIN_PAIRS:
        change = mean_interval(pairs["change"].dropna(), bounds=(-100.0, 100.0))
        # levels like for like (over the items answered in both rounds), as the scores are
        gsot_before = int(pairs["level_both_before"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
        gsot_after = int(pairs["level_both_after"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
        summary = {"n_pairs": n, "mean_change": change.mean, "ci_low": change.ci_low,
                   "ci_high": change.ci_high, "n_up": int((pairs["change"] > 0).sum()),
                   "n_down": int((pairs["change"] < 0).sum()),
                   "n_same": int((pairs["change"] == 0).sum()),
                   "gsot_before": gsot_before, "gsot_after": gsot_after}
        code = "summarised"
    return TrendResult(True, len(rounds), n, code, pairs, summary, tuple(rounds))


#: The fiscal years over which budgets and women's share are followed.
BUDGET_TREND_YEARS: tuple[str, ...] = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")


def budget_trend(budgets: pd.DataFrame | None, ministry_code: str | None = None,
                 years: tuple[str, ...] = BUDGET_TREND_YEARS) -> pd.DataFrame:
    """Budgets and women's share of beneficiaries across ``years`` for the same
    programmes: only programmes with a known (unflagged) budget in every year are summed
    (``n_programmes``), and only programmes reporting women and all beneficiaries in
    every year give women's share (``n_programmes_women``), so a change is never a
    change in which programmes are counted."""
    cols = ["fiscal_year", "n_programmes", "budget_crore", "n_programmes_women", "beneficiaries",
            "women_beneficiaries", "women_share"]
    if budgets is None or not len(budgets):
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "fiscal_year" else "float64") for c in cols})
    b = budgets if ministry_code is None else budgets[budgets["ministry_code"] == ministry_code]
    money = known_budgets(b, "budget_crore")
    money = money[money["fiscal_year"].isin(years)]
    full = money.groupby(["ministry_code", "programme_key"])["fiscal_year"].transform("nunique") == len(years)
    money = money[full]
    women = known_budgets(b, "women_beneficiaries")
    women = women[women["fiscal_year"].isin(years) & women["beneficiaries"].gt(0)]
    wfull = women.groupby(["ministry_code", "programme_key"])["fiscal_year"].transform("nunique") == len(years)
    women = women[wfull]
    records = []
    for fy in years:
        m, w = money[money["fiscal_year"] == fy], women[women["fiscal_year"] == fy]
        ben, wben = float(w["beneficiaries"].sum()), float(w["women_beneficiaries"].sum())
        records.append({"fiscal_year": fy, "n_programmes": len(m),
                        "budget_crore": float(m["budget_crore"].sum()) if len(m) else float("nan"),
                        "n_programmes_women": len(w), "beneficiaries": ben if len(w) else float("nan"),
                        "women_beneficiaries": wben if len(w) else float("nan"),
                        "women_share": wben / ben if len(w) and ben > 0 else float("nan")})
    return pd.DataFrame(records, columns=cols).astype(
        {"fiscal_year": "str", "n_programmes": "int64", "n_programmes_women": "int64"})
