"""Progress on the action plans: what the returned plans say, beside this round's forms.

Pure functions over ``action_progress.parquet`` (``intake/action_plans.py``):

- :func:`latest_progress`: the row that counts for each action (the later return wins);
- :func:`with_progress`: this round's plan with each action's last reported status,
  office, target date, whether it is overdue, and whether a ``done`` is contradicted by
  this round's form (the action is still a gap: the form still says no, partly or not
  known). A contradiction is flagged for a person, never silently trusted;
- :func:`status_counts`: ministry x status counts, for the cluster meeting (counts
  only: a plan of seven actions is not a percentage);
- :func:`return_tracker`: which ministries returned their plan, and when.

An action is overdue when its target date is before the as-of date (the latest return's
date) and it is neither done nor dropped.
"""

from __future__ import annotations

import pandas as pd

from nsss_analysis.intake.action_plans import PROGRESS_STATUSES, empty_progress
from nsss_analysis.reference.plan_form import CLOSED, NOT_REPORTED

#: Columns :func:`with_progress` adds to a plan.
PROGRESS_PLAN_COLUMNS: tuple[str, ...] = ("last_status", "last_office", "last_target_date", "overdue",
                                          "done_but_gap", "reported_on")


def latest_progress(progress: pd.DataFrame | None) -> pd.DataFrame:
    """One row per action: the row of the latest return (or ``not_reported``)."""
    if progress is None or not len(progress):
        return empty_progress()
    return progress[progress["latest"]].reset_index(drop=True)


def as_of(progress: pd.DataFrame | None) -> str | None:
    """The date progress is read as of: the latest return's date (``YYYY-MM-DD``)."""
    if progress is None or not len(progress):
        return None
    dates = progress["received_date"].dropna()
    return str(dates.max()) if len(dates) else None


def overdue(target_date: object, status: object, on: str | None) -> bool:
    """Whether an action with ``target_date`` and ``status`` is overdue on ``on``."""
    if on is None or not isinstance(target_date, str) or not target_date or status in CLOSED:
        return False
    return target_date < on


def with_progress(plan: pd.DataFrame, progress: pd.DataFrame | None) -> pd.DataFrame:
    """``plan`` with :data:`PROGRESS_PLAN_COLUMNS`: the last reported status (empty
    where the ministry returned no plan), office, target date, overdue, and
    ``done_but_gap`` (reported done, but this round's form still shows the gap)."""
    latest = latest_progress(progress).drop_duplicates("action_id", keep="last").set_index("action_id")
    on = as_of(progress)
    ids = plan["action_id"] if "action_id" in plan.columns else pd.Series([], dtype="str")
    status = [latest["status"].get(i, "") for i in ids]
    target = [latest["target_date"].get(i) for i in ids]
    target = ["" if t is None or pd.isna(t) else str(t) for t in target]
    office = [latest["responsible_office"].get(i, "") or "" for i in ids]
    reported = [latest["received_date"].get(i) for i in ids]
    reported = ["" if r is None or pd.isna(r) else str(r) for r in reported]
    return plan.assign(
        last_status=pd.Series(status, index=plan.index, dtype="str"),
        last_office=pd.Series(office, index=plan.index, dtype="str"),
        last_target_date=pd.Series(target, index=plan.index, dtype="str"),
        overdue=pd.Series([overdue(t, s, on) for t, s in zip(target, status, strict=True)],
                          index=plan.index, dtype="bool"),
        # every action of this round's plan is a gap on this round's form
        done_but_gap=pd.Series([s == "done" for s in status], index=plan.index, dtype="bool"),
        reported_on=pd.Series(reported, index=plan.index, dtype="str"),
    )


def prefilled(plan: pd.DataFrame, progress: pd.DataFrame | None) -> pd.DataFrame:
    """The next round's plan pre-filled from the last return: status, responsible office
    and target date, so that a ministry edits rather than restarts (``not_reported``
    stays empty: nobody said anything)."""
    latest = latest_progress(progress)
    if not len(latest) or not len(plan):
        return plan
    latest = latest.drop_duplicates("action_id", keep="last").set_index("action_id")

    def pick(column: str, skip: tuple[str, ...] = ()) -> pd.Series:
        values = []
        for i, own in zip(plan["action_id"], plan[column], strict=True):
            got = latest[column].get(i) if column in latest.columns else None
            values.append(own if got is None or pd.isna(got) or got in skip or got == "" else str(got))
        return pd.Series(values, index=plan.index, dtype="str")

    return plan.assign(status=pick("status", (NOT_REPORTED,)), responsible_office=pick("responsible_office"),
                       target_date=pick("target_date"))


def status_counts(progress: pd.DataFrame | None, codes: list[str] | None = None) -> pd.DataFrame:
    """Ministry x status: how many actions each ministry last reported in each status
    (``codes``: the ministries to show, those without a return included with zeros).
    Columns: ``ministry_code``, one per status of ``PROGRESS_STATUSES``, ``total``."""
    latest = latest_progress(progress)
    if codes is not None:
        latest = latest[latest["ministry_code"].isin(codes)]
    counts = pd.crosstab(latest["ministry_code"], latest["status"]) if len(latest) else pd.DataFrame()
    rows = []
    for code in (codes if codes is not None else sorted(set(latest["ministry_code"]))):
        row: dict[str, object] = {"ministry_code": code}
        for s in PROGRESS_STATUSES:
            row[s] = int(counts.loc[code, s]) if code in counts.index and s in counts.columns else 0
        row["total"] = sum(int(row[s]) for s in PROGRESS_STATUSES)  # type: ignore[call-overload]  # counts set above
        rows.append(row)
    return pd.DataFrame(rows, columns=["ministry_code", *PROGRESS_STATUSES, "total"]).astype(
        {"ministry_code": "str", **{s: "int64" for s in (*PROGRESS_STATUSES, "total")}})


def return_tracker(progress: pd.DataFrame | None, codes: list[str]) -> pd.DataFrame:
    """Which of ``codes`` returned their action plan: ``returned``, the number of
    ``returns``, the ``last_file`` and its ``received_date``, the ``actions`` it covers,
    ``done`` and ``overdue`` counts. Ministries without a return: ``returned`` false."""
    rows = []
    read = progress[progress["source_row"].notna()] if progress is not None and len(progress) else empty_progress()
    latest = latest_progress(progress)
    on = as_of(progress)
    for code in codes:
        own = read[read["ministry_code"] == code]
        mine = latest[latest["ministry_code"] == code]
        files = own.sort_values(["received_date", "source_file"], na_position="first")["source_file"].unique()
        dates = own["received_date"].dropna()
        rows.append({
            "ministry_code": code, "returned": bool(len(files)), "returns": int(len(files)),
            "last_file": str(files[-1]) if len(files) else "",
            "received_date": str(dates.max()) if len(dates) else "",
            "actions": int((mine["status"] != NOT_REPORTED).sum()),
            "done": int((mine["status"] == "done").sum()),
            "overdue": int(sum(overdue(t, s, on) for t, s in zip(mine["target_date"], mine["status"], strict=True))),
        })
    return pd.DataFrame(rows, columns=["ministry_code", "returned", "returns", "last_file", "received_date",
                                       "actions", "done", "overdue"]).astype(
        {"ministry_code": "str", "returned": "bool", "returns": "int64", "last_file": "str",
         "received_date": "str", "actions": "int64", "done": "int64", "overdue": "int64"})
