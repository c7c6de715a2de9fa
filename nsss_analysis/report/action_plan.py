"""The action plan a ministry fills in: every gap of every programme as an action in
the 2019 guideline's words, with whether the ministry says it is possible, the lead
ministry and the supporting agencies its form names, and empty columns for the
responsible office, the target date and the status.

:func:`action_plan` builds the rows (pure); :func:`write_action_plan` writes them to
``<slug>-action-plan.xlsx`` beside the report (formula-safe, a drop-down for the
status, a frozen header, readable widths), atomically. The report page lists the same
rows (:func:`nsss_analysis.report.cards.action_list_html`), never truncated.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from copy import copy
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from nsss_analysis.diagnostics.recommendations import (
    ACTIONS,
    action_in_words,
    guideline_questions,
    recommendations,
)
from nsss_analysis.io import atomic_path, formula_safe
from nsss_analysis.reference.action_ids import action_id
from nsss_analysis.reference.i18n import N_, SOURCE_LANGUAGE, Translator, current, translator
from nsss_analysis.reference.names import localise_names
from nsss_analysis.reference.numbers import localise_digits
from nsss_analysis.reference.plan_form import (
    FORM_VERSION,
    LOCKED,
    PLAN_COLUMNS,
    PLAN_KEYS,
    PLAN_KIND,
    PLAN_SHEET,
    STATUSES,
    TO_FILL,
)
from nsss_analysis.reference.text import sheet_title
from nsss_analysis.reference.vocab import ITEMS, LINEAGE_COLUMNS, load_reference
from nsss_analysis.report.labels import ITEM_LABELS

#: The action plan's columns: key -> the header a reader sees (``reference/plan_form.py``,
#: shared with the reader of returned plans). The first is the stable action id.
ACTION_PLAN_COLUMNS: dict[str, str] = PLAN_COLUMNS
#: The status drop-down's choices (the 2022 cluster meeting reviewed progress in these terms).
STATUS_CHOICES: tuple[str, ...] = tuple(STATUSES.values())
#: The form's answer to an item, in words.
ANSWER_WORDS: dict[str, str] = {"no": N_("no"), "partly": N_("partly"), "unknown": N_("not known")}
#: The follow-up answer ("If not, can ...?"), in words; no follow-up for the evidence items.
POSSIBLE_WORDS: dict[str, str] = {"yes": N_("yes"), "no": N_("no"), "unknown": N_("not known")}
#: The "possible" column of an evidence item, which has no follow-up question.
NO_FOLLOWUP = N_("no follow-up question")
#: The sheets of the action plan workbook (sheet names: at most 31 characters).
ACTION_PLAN_SHEET = N_("Action plan")
ABOUT_SHEET = N_("About")
#: The "About" sheet: what the rows and columns mean (``{choices}``: the status choices).
ABOUT_LINES: tuple[str, ...] = (
    N_("One row per gap: an item of the form not answered yes (and not 'not applicable')."),
    N_("Action: the 2019 programme assessment guideline's question, as an instruction."),
    N_("Possible, says the ministry: the form's follow-up question ('If not, can ... ?')."),
    N_("Supporting agencies: as named on the form. Fill in the responsible office, the target "
       "date and the status ({choices})."),
    N_("Progress note: what was done so far. Feedback on this action: whether the action is the "
       "right one, or how it should be worded (the draft plan is for your review)."),
    N_("The action id and the action's text are locked: they match your return to the plan. "
       "To add an action, add a row below the last one and leave its action id empty."),
)
#: The drop-downs' error messages.
STATUS_ERROR = N_("Choose one of: {choices}")
#: The date a ministry types is read by Excel, so the example keeps the digits Excel reads.
DATE_ERROR = N_("Enter a date (for example 30/06/2026).")
#: Column widths of the workbook, in characters: wide enough to read, narrow enough to print.
COLUMN_WIDTHS: dict[str, int] = {
    "action_id": 19, "programme": 34, "item": 26, "answer": 12, "action": 60, "possible": 14,
    "lead_ministry": 30, "supporting_agencies": 34, "responsible_office": 24,
    "target_date": 14, "status": 14, "progress_note": 34, "feedback": 34, "source": 34,
}
#: Where the status drop-down reaches (rows below the last action, for rows a ministry adds).
VALIDATION_SPARE_ROWS = 200


def _agencies(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if str(v).strip())
    if hasattr(value, "tolist"):
        return _agencies(value.tolist())
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


#: The source column's row number, in words.
SOURCE_ROW = N_("row {row}")


def _source(row: Mapping[str, object], translate: Translator | None = None) -> str:
    """``file, sheet, row N`` (``translate``: the row's word and digits in that language)."""
    sheet = row.get("source_sheet") or ""
    t = translate or translator(SOURCE_LANGUAGE)
    where = t(SOURCE_ROW).format(row=localise_digits(str(row.get("source_row")), t.language))
    parts = [str(row.get("source_file") or ""), str(sheet), where]
    return ", ".join(p for p in parts if p)


def distinct_rows(assessments: pd.DataFrame) -> pd.DataFrame:
    """The assessment rows without those a later file repeats cell for cell (a
    resubmission repeating an unchanged programme): the first one's lineage is kept."""
    content = [c for c in assessments.columns
               if c not in (*LINEAGE_COLUMNS, "assessment_round", "received_date", "assessment_fy")]
    keys = assessments[content].map(lambda v: tuple(v) if isinstance(v, list) else v)
    return assessments[~keys.astype("str").duplicated(keep="first")]


def action_plan(
    assessments: pd.DataFrame,
    recs: pd.DataFrame | None = None,
    ministry_code: str | None = None,
    scores: pd.DataFrame | None = None,
    budgets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per gap (an item not ``yes`` and not ``not_applicable``) of every
    programme of ``ministry_code`` (every ministry when None), never truncated.

    ``recs`` is the recommendations table (computed from ``assessments`` when None);
    its ranking orders the plan: programmes by their best-ranked action, actions within
    a programme by rank. A row repeated cell for cell by a resubmission is listed once
    (:func:`distinct_rows`).
    Columns: ``number`` (the row's place in this plan), ``ACTION_PLAN_COLUMNS`` keys (the
    first is the stable ``action_id``) plus ``rank`` and ``followup_answer`` and the
    lineage columns; the ``TO_FILL`` columns are empty strings.
    """
    if recs is None:
        recs = recommendations(assessments, scores, budgets)
    if "action_id" not in recs.columns:  # a table written before the ids were kept
        recs = recs.assign(action_id=[action_id(c, p, i) for c, p, i in
                                      zip(recs["ministry_code"], recs["programme"], recs["item"], strict=True)])
    if ministry_code is not None:
        recs = recs[recs["ministry_code"] == ministry_code]
    kept = set(zip(*(distinct_rows(assessments)[c] for c in LINEAGE_COLUMNS), strict=True))
    recs = recs[[w in kept for w in zip(*(recs[c] for c in LINEAGE_COLUMNS), strict=True)]]
    partners = {
        tuple(row[c] for c in LINEAGE_COLUMNS): _agencies(row.get("partner_agencies"))
        for row in assessments.to_dict("records")
    }
    rows = []
    for rec in recs.to_dict("records"):
        where = tuple(rec[c] for c in LINEAGE_COLUMNS)
        item = rec["item"]
        rows.append({
            "action_id": rec["action_id"],
            "programme": rec["programme"],
            "item": ITEM_LABELS.get(item, item),
            "item_code": item,
            "answer": ANSWER_WORDS.get(rec["answer"], rec["answer"]),
            "action": ACTIONS.get(item, rec["action"]),
            "guideline_question": guideline_questions().get(item, ""),
            "possible": POSSIBLE_WORDS.get(rec["followup_answer"], NO_FOLLOWUP),
            "followup_answer": rec["followup_answer"],
            "lead_ministry": rec["ministry"],
            "ministry_code": rec["ministry_code"],
            "supporting_agencies": partners.get(where, ""),
            **{c: "" for c in TO_FILL},
            "source": _source(rec),
            "rank": int(rec["rank"]),
            **dict(zip(LINEAGE_COLUMNS, where, strict=True)),
        })
    columns = ["number", *ACTION_PLAN_COLUMNS, "item_code",
               "guideline_question", "followup_answer", "ministry_code", "rank", *LINEAGE_COLUMNS]
    plan = pd.DataFrame(rows, columns=[c for c in columns if c != "number"])
    if not len(plan):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("number", "rank", "source_row") else "str")
                             for c in columns})
    plan = plan.sort_values("rank", kind="stable")
    first = plan.groupby("programme", sort=False)["rank"].transform("min")
    plan = plan.assign(
        _first=first, _item=plan["item_code"].map(ITEMS.index),
    ).sort_values(["_first", "programme", "source_file", "source_row", "rank"], kind="stable")
    plan = plan.drop(columns=["_first", "_item"]).reset_index(drop=True)
    plan.insert(0, "number", range(1, len(plan) + 1))
    return plan.astype({"number": "int64", "rank": "int64", "source_row": "int64"})[columns]


def possible_actions(plan: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The top ``n`` actions (by rank) the ministry itself says are possible."""
    possible = plan[plan["followup_answer"] == "yes"].sort_values("rank", kind="stable")
    return possible.drop_duplicates(["programme", "item_code"]).head(n).reset_index(drop=True)


def action_plan_file(slug: str) -> str:
    """The action plan's file name beside the report ``<slug>.html``."""
    return f"{slug}-action-plan.xlsx"


def sheet_from_rows(ws, header: list[str], rows: list[list[object]], widths: list[int]) -> None:
    ws.append([formula_safe(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([formula_safe(v) for v in row])
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _same_style(ws.iter_rows(min_row=2), alignment=Alignment(wrap_text=True, vertical="top"))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    print_setup(ws, header_rows=1)


def print_setup(ws, header_rows: int = 0) -> None:
    """Set a sheet up for paper: A4 landscape, every column on one page's width (as many
    pages down as the rows need), and the first ``header_rows`` rows printed again at
    the top of each page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"


def _same_style(rows, **style) -> None:
    """Give every cell of ``rows`` the same ``style`` (e.g. ``alignment=...``) on top of
    its own: openpyxl looks a style up in the workbook's list on every assignment, so
    each distinct starting style is styled once and the others copy its result."""
    done: dict = {}
    for row in rows:
        for cell in row:
            key = None if cell._style is None else tuple(cell._style)
            if key not in done:
                for name, value in style.items():
                    setattr(cell, name, value)
                done[key] = cell._style
            else:
                cell._style = copy(done[key])


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


#: The action plan's columns whose values are the workbench's words (translated in
#: another language); the others are the form's text or names, kept as given.
TRANSLATED_COLUMNS: tuple[str, ...] = ("item", "answer", "possible")


def plan_in_words(plan: pd.DataFrame, translate: Translator | None = None) -> pd.DataFrame:
    """The action plan's shown columns in ``translate``'s language (default: the current
    one): item, answer, action, "possible" and the source's "row" in its words and
    digits, the lead ministry by its name in the register; the programme and the
    supporting agencies by their names in that language where the reference data knows
    them (``reference.names``), else as the form gives them. English is ``plan`` unchanged."""
    t = translate or current()
    if t.about.is_source or not len(plan):
        return plan
    words = {c: plan[c].map(lambda v: t(v) if isinstance(v, str) and v else v) for c in TRANSLATED_COLUMNS}
    action = [action_in_words(i, t) or a for i, a in zip(plan["item_code"], plan["action"], strict=True)]
    source = [_source(r, t) for r in plan[list(LINEAGE_COLUMNS)].to_dict("records")]
    register = load_reference().ministry_by_code
    lead = [register[c].name_in(t.language) if c in register else m
            for c, m in zip(plan["ministry_code"], plan["lead_ministry"], strict=True)]
    plan = localise_names(plan, t.language, {"programme": "programme", "supporting_agencies": "agency"})
    return plan.assign(**words, action=pd.Series(action, index=plan.index, dtype="str"),
                       source=pd.Series(source, index=plan.index, dtype="str"),
                       lead_ministry=pd.Series(lead, index=plan.index, dtype="str"))


def _shown(key: str, value: object, t: Translator) -> object:
    """A cell of the plan as written: a status code in words, a date as a date."""
    value = _cell(value)
    if key == "status" and isinstance(value, str) and value in STATUSES:
        return t(STATUSES[value])
    if key == "target_date" and value is not None and value != "":
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.date()
    return value


def plan_build(plan: pd.DataFrame) -> str:
    """The plan's build: a short hash of its actions (ids, in order), the same for the
    same plan, different when an action is added or dropped."""
    ids = "\n".join(plan["action_id"].astype("str")) if "action_id" in plan.columns else ""
    return hashlib.sha256(ids.encode("utf-8")).hexdigest()[:12]


def write_action_plan(plan: pd.DataFrame, target: Path | str, title: str = "",
                      translate: Translator | None = None, meta: Mapping[str, str] | None = None) -> None:
    """Write the action plan to ``target`` (.xlsx), atomically, in ``translate``'s
    language (default: the current one): sheet ``Action plan`` with a frozen header,
    column widths, a status drop-down, a date check and formula-safe text, its id and
    action columns locked (sheet protection without a password: the other columns, and
    new rows below, stay open; sorting and filtering stay allowed); sheet ``About`` says
    what the columns mean; the hidden sheet ``nsss_plan`` names the plan (``meta``:
    ministry, round; the build and the form version are added) and lists its actions."""
    t = translate or current()
    original = plan
    plan = plan_in_words(plan, t)
    if not len(plan):  # no action (every form of the unit disputed): the plan's columns, no row
        plan = plan.reindex(columns=list(dict.fromkeys([*plan.columns, *ACTION_PLAN_COLUMNS])))
        original = original.reindex(columns=list(dict.fromkeys([*original.columns, "action_id", "programme",
                                                                "item_code", "ministry_code"])))
    choices = [t(c) for c in STATUS_CHOICES]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(t(ACTION_PLAN_SHEET))
    keys = list(ACTION_PLAN_COLUMNS)
    sheet_from_rows(
        ws, [t(ACTION_PLAN_COLUMNS[k]) for k in keys],
        [[_shown(k, v, t) for k, v in zip(keys, row, strict=True)]
         for row in plan[keys].itertuples(index=False, name=None)],
        [COLUMN_WIDTHS[k] for k in keys],
    )
    last = len(plan) + 1 + VALIDATION_SPARE_ROWS
    status_col = ws.cell(row=1, column=keys.index("status") + 1).column_letter
    status = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle=t(ACTION_PLAN_COLUMNS["status"]),
                            error=t(STATUS_ERROR).format(choices=", ".join(choices)))
    status.add(f"{status_col}2:{status_col}{last}")
    date_col = ws.cell(row=1, column=keys.index("target_date") + 1).column_letter
    date = DataValidation(type="date", operator="greaterThan", formula1="DATE(2019,1,1)", allow_blank=True,
                          showErrorMessage=True, errorTitle=t(ACTION_PLAN_COLUMNS["target_date"]),
                          error=t(DATE_ERROR))
    date.add(f"{date_col}2:{date_col}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(date)
    for row in range(2, len(plan) + 2):
        ws[f"{date_col}{row}"].number_format = "DD/MM/YYYY"
    ws.column_dimensions[date_col].number_format = "DD/MM/YYYY"
    _protect(ws, keys, len(plan))

    about = wb.create_sheet(sheet_title(t(ABOUT_SHEET)))
    lines = [title or t(ACTION_PLAN_SHEET), *(t(line).format(choices=", ".join(choices)) for line in ABOUT_LINES)]
    for line in lines:
        about.append([formula_safe(line)])
    about.column_dimensions["A"].width = 110
    print_setup(about)
    _plan_sheet(wb, original, meta)
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _protect(ws, keys: list[str], rows: int) -> None:
    """Lock the id and action columns of the written rows; open every other cell a
    ministry may fill, and the rows it adds below (each column's own style is
    unlocked), under sheet protection without a password."""
    locked = {keys.index(k) + 1 for k in LOCKED}
    for col in range(1, len(keys) + 1):
        ws.column_dimensions[get_column_letter(col)].protection = Protection(locked=False)
        cells = [[ws.cell(row=row, column=col)] for row in range(1, rows + 2)]
        _same_style(cells[:1], protection=Protection(locked=True))
        _same_style(cells[1:], protection=Protection(locked=col in locked))
    protection = ws.protection
    protection.sheet = True  # no password: a guard against slips, not a lock against people
    protection.sort = False
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = False
    protection.deleteRows = False


def _plan_sheet(wb: Workbook, plan: pd.DataFrame, meta: Mapping[str, str] | None) -> None:
    """The hidden sheet naming the plan: ``kind``, ``ministry_code``, ``round``,
    ``build``, ``form_version``, then one ``action`` row per action (id, programme, item)."""
    meta = dict(meta or {})
    codes = sorted(set(plan["ministry_code"].astype("str"))) if len(plan) else []
    values = {"kind": PLAN_KIND, "ministry_code": meta.get("ministry_code") or ";".join(codes),
              "round": meta.get("round", ""), "build": meta.get("build") or plan_build(plan),
              "form_version": FORM_VERSION}
    ws = wb.create_sheet(PLAN_SHEET)
    for key in PLAN_KEYS:
        ws.append([key, formula_safe(values[key])])
    for rec in plan[["action_id", "programme", "item_code"]].itertuples(index=False, name=None):
        ws.append(["action", *(formula_safe(str(v)) for v in rec)])
    ws.sheet_state = "hidden"


#: The sheet of a workbook with no table.
EMPTY_SHEET = N_("Empty")
EMPTY_ROWS = N_("No rows.")


def write_workbook(sheets: Mapping[str, pd.DataFrame], target: Path | str,
                   translate: Translator | None = None) -> None:
    """Write several tables as one .xlsx, one sheet each (header frozen, text
    formula-safe, lists joined with ``; ``), atomically; an empty workbook says so in
    ``translate``'s language (default: the current one)."""
    t = translate or current()
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(sheet_title(name))
        rows = [[_cell(_agencies(v) if isinstance(v, (list, tuple)) else v) for v in row]
                for row in df.itertuples(index=False, name=None)]
        widths = [min(60, max(10, len(str(c)) + 2)) for c in df.columns]
        sheet_from_rows(ws, [str(c) for c in df.columns], rows, widths)
    if not sheets:
        empty = wb.create_sheet(sheet_title(t(EMPTY_SHEET)))
        empty.append([t(EMPTY_ROWS)])
        print_setup(empty)
    with atomic_path(target) as tmp:
        wb.save(tmp)
