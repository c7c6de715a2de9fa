"""The files a report links to, beside it: the ministry's processed rows as one
workbook (``<slug>-data.xlsx``: assessments, scores, budgets, quarantined rows, one
sheet each) and its action plan (``<slug>-action-plan.xlsx``).

Links are bare file names, relative to the report, so they keep working when the
``reports/`` folder is copied, zipped or sent by e-mail.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

import pandas as pd

from nsss_analysis.diagnostics.progress import prefilled, with_progress
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.intake.reasons import reason_in_words as quarantine_reason
from nsss_analysis.io import Tables
from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import (
    FORM_ANSWER_NAMES,
    LEVEL_NAMES,
    STAGE_NAMES,
    TARGET_GROUP_NAMES,
)
from nsss_analysis.reference.i18n import N_, Translator, current, translator
from nsss_analysis.reference.names import localise_names
from nsss_analysis.reference.vocab import FOLLOWUPS, ITEMS, LINEAGE_COLUMNS, load_reference
from nsss_analysis.report import claims
from nsss_analysis.report.action_plan import (
    action_plan,
    action_plan_file,
    write_action_plan,
    write_workbook,
)
from nsss_analysis.report.display import escape
from nsss_analysis.report.level_rule import level_rule_in_words

#: The sheets of the data workbook, in order, and what each holds.
DATA_SHEETS: dict[str, str] = {
    N_("Assessments"): N_("one row per programme assessed, as read from the forms"),
    N_("Scores"): N_("each programme's level, the rule that set it, and its scores: one row per programme and "
                     "assessment round"),
    N_("Budgets"): N_("one row per programme and fiscal year"),
    N_("Quarantine"): N_("rows and cells of the ministry's files that could not be used, with the reason"),
}
#: The data workbook's column headers in words, in every language (the tables' own
#: column names are codes); the form's questions and labels name the columns read
#: from the form.
DATA_COLUMN_WORDS: dict[str, str] = {
    "source_file": N_("Source file"),
    "source_sheet": N_("Source sheet"),
    "source_row": N_("Source row"),
    "ministry": N_("Ministry/Division"),
    "ministry_code": N_("Ministry code"),
    "programme": N_("Programme"),
    "start_fy": N_("Start year (FY)"),
    "end_fy": N_("End year (FY)"),
    "ongoing": N_("ongoing"),
    "cluster": N_("NSSS cluster"),
    "lifecycle_stages": N_("Life-cycle stage(s)"),
    "target_groups": N_("Target group(s)"),
    "target_groups_other": N_("Other target groups (as written on the form)"),
    "partner_agencies": N_("Supporting ministries/agencies"),
    "remarks": N_("Remarks"),
    "assessment_round": N_("Assessment round"),
    "received_date": N_("Date received"),
    "synthetic": N_("Synthetic data"),
    "intent_score": N_("Intent score (0-1)"),
    "transformative_score": N_("Transformative elements score (0-1)"),
    "evidence_score": N_("Evidence score (0-1)"),
    "inclusion_score": N_("Inclusion score (0-100)"),
    "potential_score": N_("Potential score (0-100)"),
    "completeness": N_("Completeness"),
    "level": N_("Level (WHO GRAS)"),
    "level_rule": N_("Why this level"),
    "gender_marker": N_("Gender marker (0-2)"),
    "women_targeted": N_("Women targeted"),
    "marker_unsubstantiated": N_("Marker not substantiated"),
    "data_readiness": N_("Data readiness (weakest link)"),
    "fiscal_year": N_("Fiscal year"),
    "budget_crore": N_("Budget (BDT crore)"),
    "beneficiaries": N_("Beneficiaries"),
    "women_beneficiaries": N_("Women beneficiaries"),
    "monthly_rate_bdt": N_("Monthly rate (Tk)"),
    "column": N_("Column"),
    "value": N_("Value (as written)"),
    "reason": N_("Reason"),
    "submission_key": N_("Online submission id"),
}
#: A true or false column of the data workbook, in words (another language than English).
BOOLEAN_WORDS: dict[bool, str] = {True: N_("yes"), False: N_("no")}
#: What the downloads block says of each file.
ACTION_PLAN_LINK = N_("Action plan (Excel): every action, with columns for the responsible office, "
                      "target date and status")
DATA_LINK = N_("Data (Excel): {sheets}")
NO_DOWNLOADS = N_("The downloads (action plan and data workbook) are written beside the report when it is "
                  "rendered by {command}.")


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
        "Scores": _own(scores_by_round(tables), codes),
        "Budgets": budgets,
        "Quarantine": quarantine,
    }


#: The last result of each whole-table computation the downloads of every report
#: share (the national action plan, the scores by round), with the tables it came from.
_LAST: dict[str, tuple[tuple, weakref.ref, object]] = {}


def _once_per_tables(name: str, tables: Tables, compute: Callable[[], object]) -> object:
    """``compute()``, reused while the same ``tables`` (and the same frames in it) are
    passed again: a run writes the downloads of some 50 reports from one set of tables,
    and these results do not depend on the ministry (they are filtered afterwards)."""
    frames = tuple(id(getattr(tables, f, None)) for f in (
        "assessments", "scores", "budgets", "recommendations", "action_progress", "quarantine"))
    hit = _LAST.get(name)
    if hit is not None and hit[0] == frames and hit[1]() is tables:
        return hit[2]
    value = compute()
    try:
        _LAST[name] = (frames, weakref.ref(tables), value)
    except TypeError:  # an object without weak references: not cached
        pass
    return value


def scores_by_round(tables: Tables) -> pd.DataFrame:
    """The scores of every round, each programme once per round (as the diagnostics
    count it), with the ``assessment_round`` column beside the programme; ``None``
    when there are no assessments."""
    return _once_per_tables("scores_by_round", tables, lambda: _scores_by_round(tables))


def _scores_by_round(tables: Tables) -> pd.DataFrame:
    if tables.assessments is None or not len(tables.assessments):
        return tables.scores
    counted = count_once(tables)
    scores, rows = counted.round_scores, counted.rounds
    lineage = list(LINEAGE_COLUMNS)
    if scores is None or not all(c in scores.columns for c in lineage):
        return scores
    rounds = rows[[*lineage, "assessment_round"]] if "assessment_round" in rows.columns else \
        rows[lineage].assign(assessment_round=None)
    key = {"source_row": "int64", "source_file": "str", "source_sheet": "str"}
    merged = scores.astype(key).merge(rounds.astype(key).drop_duplicates(lineage), on=lineage, how="left")
    merged = merged.assign(assessment_round=merged["assessment_round"].astype("str"))
    columns = list(scores.columns)
    at = columns.index("programme") + 1 if "programme" in columns else len(columns)
    return merged[[*columns[:at], "assessment_round", *columns[at:]]]


#: Decimals of each number column as the page prints it (others: two).
PAGE_DECIMALS: dict[str, int] = {"inclusion_score": 0, "potential_score": 0, "completeness": 2}
#: Columns holding a date, written DD-MM-YYYY on a Bangla workbook.
DATE_COLUMNS: tuple[str, ...] = ("received_date",)
#: Columns holding a fiscal year (text), written with the language's digits.
FISCAL_YEAR_COLUMNS: tuple[str, ...] = ("fiscal_year", "start_fy", "end_fy", "assessment_round", "assessment_fy")


def _present(value: object) -> bool:
    return value is not None and value is not pd.NaT and not (isinstance(value, float) and value != value) \
        and str(value).strip() != ""


def _form_labels() -> dict[str, str]:
    """Each column of the form by its label (the Programmes sheet's label first)."""
    ref = load_reference()
    return {c.column: c.label for sheet in ("Budget", "Programmes") for c in ref.columns_of(sheet)}


def _listed(value: object) -> list[str]:
    if value is None or isinstance(value, float) or value is pd.NA:
        return []
    if isinstance(value, str):
        return [value] if value else []
    items = value.tolist() if hasattr(value, "tolist") else value
    return [str(v) for v in items] if isinstance(items, Iterable) else [str(items)]


def table_in_words(df: pd.DataFrame, translate: Translator | None = None) -> pd.DataFrame:
    """A processed table as the data workbook shows it in ``translate``'s language
    (default: the current one): column headers in words, and the workbench's words
    (levels, answers, clusters, stages, groups, the level rule, yes/no) translated; text
    from the forms kept as given. English too: headers are words, not the tables' codes."""
    t = translate or current()
    if not len(df.columns):
        return df

    def word(value: object, names: dict[str, str] | None = None) -> object:
        if isinstance(value, str) and value:
            return t((names or {}).get(value, value))
        return value

    out = localise_names(df.copy(), t.language)  # programme, ministry, agencies, districts
    for column in out.columns:
        if column in DATE_COLUMNS:
            out[column] = out[column].map(lambda v: numbers.date(v, t.language) if _present(v) else v)
        elif column in FISCAL_YEAR_COLUMNS:
            out[column] = out[column].map(
                lambda v: numbers.localise_digits(str(v), t.language) if isinstance(v, str) and v else v)
        elif column in (*ITEMS, *FOLLOWUPS, "data_readiness"):
            out[column] = out[column].map(lambda v: word(v, FORM_ANSWER_NAMES))
        elif column == "level":
            out[column] = out[column].map(lambda v: word(v, LEVEL_NAMES))
        elif column == "cluster":
            out[column] = out[column].map(word)
        elif column in ("lifecycle_stages", "target_groups"):
            names = STAGE_NAMES if column == "lifecycle_stages" else TARGET_GROUP_NAMES
            out[column] = out[column].map(lambda v, n=names: "; ".join(t(n.get(c, c)) for c in _listed(v)))
        elif pd.api.types.is_bool_dtype(out[column].dtype):
            out[column] = pd.Series([None if pd.isna(v) else t(BOOLEAN_WORDS[bool(v)]) for v in out[column]],
                                    index=out.index, dtype="str")
    if "level_rule" in out.columns and "level" in df.columns:
        out["level_rule"] = [level_rule_in_words(lv, rule, t) if isinstance(rule, str) else rule
                             for lv, rule in zip(df["level"], df["level_rule"], strict=True)]
    if {"reason", "reason_id", "reason_values"} <= set(out.columns):  # the quarantine's reason, said again
        out["reason"] = [quarantine_reason(r, i, v, t) for r, i, v in
                         zip(df["reason"], df["reason_id"], df["reason_values"], strict=True)]
        out = out.drop(columns=["reason_id", "reason_values"])
    if "column" in out.columns:  # the quarantine's column: the form's label
        labels = _form_labels()
        out["column"] = out["column"].map(lambda v: t(labels.get(v, v)) if isinstance(v, str) and v else v)
    labels = _form_labels()
    headers = {c: t(DATA_COLUMN_WORDS.get(c) or labels.get(c) or c) for c in out.columns}
    return out.rename(columns=headers)


def rounded_as_on_the_page(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its decimal numbers rounded as the page prints them (half away from
    zero): scores whole, completeness to two places, other decimals to two places (crore
    amounts, shares): the workbook holds 65.0, not 65.27777777777777."""
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c].dtype)]
    if not floats:
        return df
    out = {}
    for column in floats:
        places = PAGE_DECIMALS.get(column, 2)
        out[column] = df[column].map(lambda v, d=places: numbers.rounded(v, d)).astype(df[column].dtype)
    return df.assign(**out)


def data_in_words(sheets: dict[str, pd.DataFrame], translate: Translator | None = None) -> dict[str, pd.DataFrame]:
    """The data workbook's sheets (:func:`ministry_rows`) with their titles and tables in
    ``translate``'s language (:func:`table_in_words`), numbers rounded as on the page."""
    t = translate or current()
    return {t(name): table_in_words(rounded_as_on_the_page(df), t) for name, df in sheets.items()}


#: The data workbook's figure cells: the Scores sheet's scores and gender marker, each a
#: claim of the page's ledger with its cell (``unit``: ``score`` on 0-100, else ``number``).
SCORE_CELLS: dict[str, str] = {
    "intent_score": "number", "transformative_score": "number", "evidence_score": "number",
    "inclusion_score": "score", "potential_score": "score", "completeness": "number", "gender_marker": "number",
}


def record_score_cells(scores: pd.DataFrame, file: str, sheet: str) -> None:
    """Each score cell of the Scores sheet (``scores`` as written: rounded as on the page,
    header in row 1) as a claim of the current ledger: its value, the programme and round
    behind it, and its cell."""
    from openpyxl.utils import get_column_letter

    if scores is None or not len(scores):
        return
    columns = list(scores.columns)
    for i, r in enumerate(scores.to_dict("records"), start=2):
        key = f"{r.get('ministry_code')}/{r.get('programme')}"
        fy = r.get("assessment_round")
        for column, unit in SCORE_CELLS.items():
            if column in columns:
                claims.workbook_cell(r[column], unit, file, sheet, f"{get_column_letter(columns.index(column) + 1)}{i}",
                                     programmes=[key], round=fy if isinstance(fy, str) and fy not in ("", "None", "nan")
                                     else None)


def write_downloads(tables: Tables, codes: str | list[str], out_dir: Path | str, slug: str,
                    title: str = "", assessments: pd.DataFrame | None = None,
                    language: str | None = None) -> list[Path]:
    """Write ``<slug>-data.xlsx`` and ``<slug>-action-plan.xlsx`` into ``out_dir``
    (atomically) in ``language`` (default: the current one); return their paths.
    ``assessments`` narrows the action plan (a cluster's programmes) when given."""
    t = translator(language) if language else current()
    out_dir = Path(out_dir)
    codes = [codes] if isinstance(codes, str) else list(codes)
    data = out_dir / data_file(slug)
    rows = ministry_rows(tables, codes)
    record_score_cells(rounded_as_on_the_page(rows["Scores"]), data.name, t("Scores")[:31])
    write_workbook(data_in_words(rows, t), data, t)
    plan = downloads_plan(tables, codes, assessments)
    actions = out_dir / action_plan_file(slug)
    own = tables.assessments[tables.assessments["ministry_code"].isin(codes)]
    rounds = own["assessment_round"].dropna().astype("str") if "assessment_round" in own.columns else []
    meta = {"ministry_code": ";".join(codes), "round": max(rounds) if len(rounds) else ""}
    write_action_plan(plan, actions, title, t, meta)
    return [data, actions]


def downloads_plan(tables: Tables, codes: list[str], assessments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The action plan of ``codes`` (or of the programmes in ``assessments``), pre-filled
    from the ministries' last returned plans (status, office, target date), with each
    action's progress columns (``diagnostics.progress.with_progress``)."""
    recs = tables.recommendations
    plan = cast(pd.DataFrame, _once_per_tables(
        "action_plan", tables, lambda: action_plan(tables.assessments, recs, None, tables.scores, tables.budgets)))
    plan = plan[plan["ministry_code"].isin(codes)]
    if assessments is not None:
        keys = set(zip(assessments["source_file"], assessments["source_row"], strict=True))
        plan = plan[[k in keys for k in zip(plan["source_file"], plan["source_row"], strict=True)]]
    plan = plan.assign(number=range(1, len(plan) + 1)).reset_index(drop=True)
    # the last return pre-fills the plan sent next, and shows in the report beside each action
    return with_progress(prefilled(plan, tables.action_progress), tables.action_progress)


def links_html(slug: str | None) -> str:
    """The download links of a report (relative: bare file names beside the page)."""
    t = current()
    if not slug:
        return "<p>" + escape(t(NO_DOWNLOADS)).format(command="<code>nsss reports</code>") + "</p>"
    items = [
        (action_plan_file(slug), t(ACTION_PLAN_LINK)),
        (data_file(slug), t(DATA_LINK).format(sheets="; ".join(f"{t(k)}: {t(v)}" for k, v in DATA_SHEETS.items()))),
    ]
    lis = "".join(f'<li><a href="{escape(href)}">{escape(href)}</a>: {escape(text)}</li>'
                  for href, text in items)
    return f'<ul class="nsss-downloads">{lis}</ul>'
