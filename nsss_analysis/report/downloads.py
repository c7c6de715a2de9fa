"""The files a report links to, beside it: the ministry's processed rows as one
workbook (``<slug>-data.xlsx``: assessments, scores, budgets, quarantined rows, one
sheet each) and its action plan (``<slug>-action-plan.xlsx``).

Links are bare file names, relative to the report, so they keep working when the
``reports/`` folder is copied, zipped or sent by e-mail.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nsss_analysis.io import Tables
from nsss_analysis.report.action_plan import (
    action_plan,
    action_plan_file,
    write_action_plan,
    write_workbook,
)
from nsss_analysis.report.display import escape

#: The sheets of the data workbook, in order, and what each holds.
DATA_SHEETS: dict[str, str] = {
    "Assessments": "one row per programme assessed, as read from the forms",
    "Scores": "each programme's level, the rule that set it, and its scores",
    "Budgets": "one row per programme and fiscal year",
    "Quarantine": "rows and cells of the ministry's files that could not be used, with the reason",
}


def data_file(slug: str) -> str:
    """The data workbook's file name beside the report ``<slug>.html``."""
    return f"{slug}-data.xlsx"


def _own(df: pd.DataFrame | None, codes: set[str]) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame()
    return df[df["ministry_code"].isin(codes)].reset_index(drop=True)


def ministry_rows(tables: Tables, codes: str | list[str] | set[str]) -> dict[str, pd.DataFrame]:
    """The processed rows of one ministry (or several, for a cluster: pass their codes),
    by sheet name: assessments, scores, budgets, and the quarantine rows of the files
    those rows came from."""
    codes = {codes} if isinstance(codes, str) else set(codes)
    assessments = _own(tables.assessments, codes)
    budgets = _own(tables.budgets, codes)
    files = set(assessments.get("source_file", pd.Series(dtype="str"))) | set(
        budgets.get("source_file", pd.Series(dtype="str")))
    quarantine = tables.quarantine
    quarantine = (pd.DataFrame() if quarantine is None
                  else quarantine[quarantine["source_file"].isin(files)].reset_index(drop=True))
    return {
        "Assessments": assessments,
        "Scores": _own(tables.scores, codes),
        "Budgets": budgets,
        "Quarantine": quarantine,
    }


def write_downloads(tables: Tables, codes: str | list[str], out_dir: Path | str, slug: str,
                    title: str = "", assessments: pd.DataFrame | None = None) -> list[Path]:
    """Write ``<slug>-data.xlsx`` and ``<slug>-action-plan.xlsx`` into ``out_dir``
    (atomically); return their paths. ``assessments`` narrows the action plan (a
    cluster's programmes) when given."""
    out_dir = Path(out_dir)
    codes = [codes] if isinstance(codes, str) else list(codes)
    data = out_dir / data_file(slug)
    write_workbook(ministry_rows(tables, codes), data)
    plan = downloads_plan(tables, codes, assessments)
    actions = out_dir / action_plan_file(slug)
    write_action_plan(plan, actions, title)
    return [data, actions]


def downloads_plan(tables: Tables, codes: list[str], assessments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The action plan of ``codes`` (or of the programmes in ``assessments``)."""
    recs = tables.recommendations
    plan = action_plan(tables.assessments, recs, None, tables.scores, tables.budgets)
    plan = plan[plan["ministry_code"].isin(codes)]
    if assessments is not None:
        keys = set(zip(assessments["source_file"], assessments["source_row"], strict=True))
        plan = plan[[k in keys for k in zip(plan["source_file"], plan["source_row"], strict=True)]]
    return plan.assign(number=range(1, len(plan) + 1)).reset_index(drop=True)


def links_html(slug: str | None) -> str:
    """The download links of a report (relative: bare file names beside the page)."""
    if not slug:
        return ("<p>The downloads (action plan and data workbook) are written beside the report "
                "when it is rendered by <code>nsss reports</code>.</p>")
    items = [
        (action_plan_file(slug), ("Action plan (Excel): every action, with columns for the responsible "
                                  "office, target date and status")),
        (data_file(slug), "Data (Excel): " + "; ".join(f"{k}: {v}" for k, v in DATA_SHEETS.items())),
    ]
    lis = "".join(f'<li><a href="{escape(href)}">{escape(href)}</a>: {escape(text)}</li>'
                  for href, text in items)
    return f'<ul class="nsss-downloads">{lis}</ul>'
