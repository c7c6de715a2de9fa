"""Returned action plans: what each ministry says it did about each action.

A ministry receives its action plan workbook (``report/action_plan.py``), fills in the
responsible office, target date, status, progress note and feedback, and sends it back
into ``data/raw/action-plans/``. Plans come back as people really return them: rows
sorted or filtered, columns moved, the hidden sheet naming the plan lost, statuses typed
by hand in English or Bangla (``done``, ``completed``, ``সম্পন্ন``), dates as text or
Excel dates, rows added (no id: a new action, kept and given an id) or deleted.

:func:`read_returned_plan` reads one workbook (I/O); :func:`action_progress` turns the
returns and the recommendations into ``action_progress.parquet`` (pure):

- a row is matched by its action id, cross-checked with the row's programme and item;
  an id that names another programme or item than its row, an unreadable id or a
  repeated id is quarantined with its reason;
- an action missing from every return of its ministry is ``not_reported``, never
  ``not_started``: nobody said so;
- two returns giving the same action: the later one wins (the workbook's own date,
  else a date in its file name, then the file name), as for forms; the earlier row
  stays in the table with ``latest`` false, so every row read is in the table or in
  the quarantine.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from nsss_analysis.intake.files import FormReadError, _xlsx_sheets
from nsss_analysis.intake.forms import workbook_modified_date
from nsss_analysis.intake.quantities import find_date
from nsss_analysis.intake.reasons import Reason, reason_columns
from nsss_analysis.intake.schemas import DATE_PATTERN, validate
from nsss_analysis.reference.action_ids import (
    ID_PATTERN,
    ITEM_CODES,
    added_action_id,
    parse_action_id,
    programme_hash,
)
from nsss_analysis.reference.glossary import ITEM_NAMES
from nsss_analysis.reference.i18n import LANGUAGES, N_, translator
from nsss_analysis.reference.ministries import find_ministry
from nsss_analysis.reference.plan_form import (
    NOT_REPORTED,
    PLAN_KIND,
    PLAN_SHEET,
    header_table,
    status_code,
)
from nsss_analysis.reference.text import bangla_digits_to_ascii
from nsss_analysis.reference.vocab import LINEAGE_COLUMNS, QUARANTINE_COLUMNS, load_reference, normalise_key

#: Where returned plans are put, under the raw folder (never read as assessment forms).
ACTION_PLANS_FOLDER = "action-plans"
#: File types read as returned plans.
PLAN_SUFFIXES = (".xlsx", ".xlsm")
#: Rows searched for the header (a title row or two may come first).
HEADER_SEARCH_ROWS = 12

#: Columns of ``action_progress.parquet``.
PROGRESS_COLUMNS: dict[str, str] = {
    "action_id": "str",
    "ministry_code": "str",
    "programme": "str",
    "item": "str",
    "action": "str",
    "status": "str",
    "status_as_written": "str",
    "responsible_office": "str",
    "target_date": "str",
    "progress_note": "str",
    "feedback": "str",
    "added": "bool",
    "latest": "bool",
    "plan_round": "str",
    "plan_build": "str",
    "received_date": "str",
    "source_file": "str",
    "source_sheet": "str",
    "source_row": "Int64",
}
#: The statuses of the table: the drop-down's and ``not_reported``.
PROGRESS_STATUSES = ("not_started", "in_progress", "done", "dropped", NOT_REPORTED)

# --- reasons (message ids: said again in the report's language) -------------------------
R_NO_TABLE = N_("no action plan table found (no sheet with an 'Action id' or 'Action' header)")
R_NOT_AN_ID = N_("'{value}' is not an action id (like MoSW-7Q2KX4-GRAD): row not used")
R_OTHER_PROGRAMME = N_("action id {id} belongs to another programme than this row's '{programme}': "
                       "row not used, check which programme the row is about")
R_OTHER_ITEM = N_("action id {id} is for another item than this row's '{item}': row not used")
R_OTHER_MINISTRY = N_("action id {id} belongs to another ministry than this plan's ({ministry}): row not used")
R_REPEATED = N_("action id {id} repeated (first on row {row}): row not used")
R_NO_ACTION = N_("a row without an action id, programme or action: row not used")
R_NO_MINISTRY = N_("the plan's ministry is not known (no hidden plan sheet, no ministry in the file "
                   "name, no action id): file not used")
R_STATUS = N_("'{value}' is not a status (Not started, In progress, Done, Dropped); read as not reported")
R_DATE = N_("'{value}' is not a date (write it as 30/06/2026); target date left empty")


@dataclass
class ReturnedRow:
    """One data row of a returned plan: its spreadsheet row number and cells by column key."""

    row: int
    cells: dict[str, object]


@dataclass
class ReturnedPlan:
    """One returned workbook: where it came from, what its hidden sheet says, its rows."""

    source_file: str
    received_date: str | None = None
    sheet: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    #: The actions the hidden sheet lists: id -> (programme, item code).
    listed: dict[str, tuple[str, str]] = field(default_factory=dict)
    name_ministry: str | None = None
    rows: list[ReturnedRow] = field(default_factory=list)
    error: Reason | None = None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_returned_plans(raw_dir: Path | str) -> list[Path]:
    """The workbooks in ``<raw>/action-plans/`` (and its sub-folders), by name."""
    folder = Path(raw_dir) / ACTION_PLANS_FOLDER
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES
                   and not p.name.startswith(("~$", "."))), key=lambda p: p.as_posix())


def read_returned_plan(path: Path | str, raw_dir: Path | str) -> ReturnedPlan:
    """Read one returned plan; never raises for bad input (``error`` says why not)."""
    path, raw_dir = Path(path), Path(raw_dir)
    plan = ReturnedPlan(source_file=path.relative_to(raw_dir).as_posix())
    plan.received_date = workbook_modified_date(path) or find_date(path.stem)
    found = find_ministry(path.stem)
    plan.name_ministry = found.code if found else None
    headers = header_table()
    try:
        sheets = [(title, list(rows)) for title, rows in _xlsx_sheets(path)]
    except FormReadError as exc:
        plan.error = exc.why
        return plan
    for title, rows in sheets:
        if title == PLAN_SHEET:
            _read_plan_sheet(plan, rows)
    for title, rows in sheets:
        if title == PLAN_SHEET or plan.rows:
            continue
        for number, row in rows[:HEADER_SEARCH_ROWS]:
            columns = {i: headers[k] for i, v in enumerate(row)
                       if isinstance(v, str) and (k := normalise_key(v)) in headers}
            if "action_id" in columns.values() or {"action", "programme"} <= set(columns.values()):
                plan.sheet = title
                for n, r in rows:
                    if n <= number or all(_blank(v) for v in r):
                        continue
                    cells = {key: r[i] if i < len(r) else None for i, key in columns.items()}
                    if all(_blank(v) for v in cells.values()):
                        continue
                    plan.rows.append(ReturnedRow(n, cells))
                break
        if plan.sheet:
            break
    if not plan.sheet:
        plan.error = Reason.of(R_NO_TABLE)
    return plan


def _read_plan_sheet(plan: ReturnedPlan, rows: list[tuple[int, tuple]]) -> None:
    for _number, row in rows:
        key = _text(row[0]) if row else ""
        if key == "action" and len(row) >= 4:
            plan.listed[_text(row[1])] = (_text(row[2]), _text(row[3]))
        elif key:
            plan.meta[key] = _text(row[1]) if len(row) > 1 else ""
    if plan.meta.get("kind") != PLAN_KIND:
        plan.meta, plan.listed = {}, {}


#: Date formats a target date may be typed in (after Bangla digits are read as ASCII).
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y", "%d %B %Y",
                "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %Y", "%b %Y", "%d %B, %Y")


def parse_target_date(value: object) -> str | None:
    """A target date as ``YYYY-MM-DD``: an Excel date, or text (``30/06/2026``,
    ``2026-06-30``, ``30 June 2026``, ``June 2026`` as its last day, Bangla digits);
    None when blank; ``ValueError`` when it is no date."""
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and 20000 < float(value) < 80000:  # an Excel serial left as a number
        return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))).isoformat()
    text = re.sub(r"\s+", " ", bangla_digits_to_ascii(str(value)).strip()).rstrip(".")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if "%d" not in fmt:  # a month: its last day
            following = (parsed.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            parsed = following - datetime.timedelta(days=1)
        return parsed.isoformat()
    raise ValueError(value)


def _item_table() -> dict[str, str]:
    """An item's shown name (English or Bangla, folded) or code -> the item."""
    table: dict[str, str] = {}
    for language in LANGUAGES:  # every language a returned plan may be written in
        t = translator(language)
        for item, name in ITEM_NAMES.items():
            table.setdefault(normalise_key(t(name)), item)
    for item, code in ITEM_CODES.items():
        table.setdefault(normalise_key(item), item)
        table.setdefault(normalise_key(code), item)
    return table


def _quarantine_line(plan: ReturnedPlan, row: int | None, column: str, value: object, reason: Reason) -> dict:
    return {"source_file": plan.source_file, "source_sheet": plan.sheet, "source_row": row,
            "column": column, "value": _text(value), **reason_columns(reason)}


def _ministries_of(plan: ReturnedPlan) -> list[str]:
    """The ministries a plan was sent for: one, or several for a cluster's plan (the
    hidden sheet lists them); else the one :func:`_ministry_of` finds."""
    listed = [m.code for text in plan.meta.get("ministry_code", "").split(";") if (m := find_ministry(text))]
    if len(listed) > 1:
        return list(dict.fromkeys(listed))
    one = _ministry_of(plan)
    return [one] if one else []


def _ministry_of(plan: ReturnedPlan) -> str | None:
    """The plan's ministry: the hidden sheet, else the file name, else its ids' prefix."""
    for text in (plan.meta.get("ministry_code", ""), plan.name_ministry or ""):
        found = find_ministry(text.split(";")[0]) if text else None
        if found:
            return found.code
    prefixes = [p.ministry_code for r in plan.rows if (p := parse_action_id(r.cells.get("action_id")))]
    found = find_ministry(max(set(prefixes), key=prefixes.count)) if prefixes else None
    return found.code if found else None


def action_progress(returns: Iterable[ReturnedPlan], recommendations: pd.DataFrame | None,
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(action_progress, quarantine)`` from the returned plans and this round's
    recommendations (the actions each ministry was sent). See the module's docstring."""
    known = _actions_sent(recommendations)
    items = _item_table()
    rows: list[dict] = []
    quarantine: list[dict] = []
    ordered = sorted(returns, key=lambda p: (p.received_date or "", p.source_file))
    returned_by: dict[str, str] = {}  # ministry -> its latest return's file
    listed: dict[str, dict[str, tuple[str, str]]] = {}
    for plan in ordered:
        if plan.error is not None:
            quarantine.append(_quarantine_line(plan, 0, "", "", plan.error))
            continue
        ministries = _ministries_of(plan)
        ministry = ministries[0] if ministries else None
        if ministry is None:
            quarantine.append(_quarantine_line(plan, 0, "", "", Reason.of(R_NO_MINISTRY)))
            quarantine.extend(_quarantine_line(plan, r.row, "", "", Reason.of(R_NO_MINISTRY)) for r in plan.rows)
            continue
        for code in ministries:
            returned_by[code] = plan.source_file
            listed.setdefault(code, {}).update(
                {i: v for i, v in plan.listed.items() if (p := parse_action_id(i)) and p.ministry_code == code})
        seen: dict[str, int] = {}
        for r in plan.rows:
            got = _read_row(plan, r, ministries, known, items, quarantine)
            if got is None:
                continue
            if got["action_id"] in seen:
                quarantine.append(_quarantine_line(plan, r.row, "action_id", r.cells.get("action_id"), Reason.of(
                    R_REPEATED, id=got["action_id"], row=seen[got["action_id"]])))
                continue
            seen[got["action_id"]] = r.row
            rows.append(got)
    table = pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))
    if len(table):
        order = table.reset_index(drop=True)
        last = order.groupby("action_id", sort=False).tail(1).index  # rows are in return order
        table = order.assign(latest=order.index.isin(last))
    reported = set(table["action_id"]) if len(table) else set()
    missing = _not_reported(returned_by, listed, known, reported)
    if missing:
        table = pd.concat([table, pd.DataFrame(missing, columns=list(PROGRESS_COLUMNS))], ignore_index=True)
    table = table.astype(PROGRESS_COLUMNS) if len(table) else empty_progress()
    q = pd.DataFrame(quarantine, columns=list(QUARANTINE_COLUMNS))
    q = q.astype({c: "str" for c in QUARANTINE_COLUMNS if c != "source_row"} | {"source_row": "Int64"})
    return table.reset_index(drop=True), q


def _actions_sent(recommendations: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    """This round's recommendations by action id (the first row of an id):
    its ministry, programme, item and action."""
    known: dict[str, dict[str, str]] = {}
    if recommendations is not None and len(recommendations) and "action_id" in recommendations.columns:
        for r in recommendations.to_dict("records"):
            known.setdefault(r["action_id"], {"ministry_code": r["ministry_code"], "programme": r["programme"],
                                              "item": r["item"], "action": r["action"]})
    return known


def _not_reported(returned_by: Mapping[str, str], listed: Mapping[str, dict[str, tuple[str, str]]],
                  known: Mapping[str, dict[str, str]], reported: set[str]) -> list[dict]:
    """Every action of a ministry that returned a plan (sent to it, or listed on its
    plan's sheet), missing from all its returns: a progress row ``NOT_REPORTED``
    naming the ministry's latest return (``returned_by``)."""
    missing = []
    for ministry, source in returned_by.items():
        sent = {i: v for i, v in known.items() if v["ministry_code"] == ministry}
        for i, (programme, item) in listed.get(ministry, {}).items():
            if i not in sent and parse_action_id(i) is not None:
                sent[i] = {"ministry_code": ministry, "programme": programme, "item": item, "action": ""}
        for i in sorted(set(sent) - reported):
            v = sent[i]
            missing.append({"action_id": i, "ministry_code": ministry, "programme": v["programme"],
                            "item": v["item"], "action": v["action"], "status": NOT_REPORTED,
                            "status_as_written": "", "responsible_office": "", "target_date": None,
                            "progress_note": "", "feedback": "", "added": False, "latest": True,
                            "plan_round": "", "plan_build": "", "received_date": None,
                            "source_file": source, "source_sheet": "", "source_row": None})
    return missing


def empty_progress() -> pd.DataFrame:
    """The progress table with no rows (no plan returned yet)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in PROGRESS_COLUMNS.items()})


def _read_row(plan: ReturnedPlan, r: ReturnedRow, ministries: list[str], known: Mapping[str, dict[str, str]],
              items: Mapping[str, str], quarantine: list[dict]) -> dict | None:
    """One returned row as a progress row, or None (quarantined, with its reason).
    ``ministries``: the plan's ministry (several for a cluster's plan; an added row is
    the lead ministry's it names, else the first)."""
    cells = r.cells
    ministry = ministries[0]
    raw_id = _text(cells.get("action_id"))
    programme = _text(cells.get("programme"))
    action = _text(cells.get("action"))
    item_text = _text(cells.get("item"))
    item = items.get(normalise_key(item_text)) if item_text else None
    added = False
    if not raw_id:
        if not (programme and action):
            quarantine.append(_quarantine_line(plan, r.row, "", "", Reason.of(R_NO_ACTION)))
            return None
        lead = find_ministry(_text(cells.get("lead_ministry")) or "-")
        ministry = lead.code if lead and lead.code in ministries else ministry
        action_id, added = added_action_id(ministry, programme, action), True
    else:
        parsed = parse_action_id(raw_id)
        if parsed is None:
            quarantine.append(_quarantine_line(plan, r.row, "action_id", raw_id, Reason.of(R_NOT_AN_ID, value=raw_id)))
            return None
        owner = find_ministry(parsed.ministry_code)
        action_id = f"{owner.code if owner else parsed.ministry_code}-{parsed.programme_hash}-{parsed.item_code}"
        if (owner.code if owner else parsed.ministry_code) not in ministries:
            quarantine.append(_quarantine_line(plan, r.row, "action_id", raw_id, Reason.of(
                R_OTHER_MINISTRY, id=action_id, ministry=", ".join(ministries))))
            return None
        ministry = owner.code if owner else parsed.ministry_code
        if programme and programme_hash(programme) != parsed.programme_hash:
            quarantine.append(_quarantine_line(plan, r.row, "programme", programme,
                                               Reason.of(R_OTHER_PROGRAMME, id=action_id, programme=programme)))
            return None
        if item_text and item is not None and parsed.item is not None and item != parsed.item:
            quarantine.append(_quarantine_line(plan, r.row, "item", item_text,
                                               Reason.of(R_OTHER_ITEM, id=action_id, item=item_text)))
            return None
        sent = known.get(action_id) or {}
        listed = plan.listed.get(action_id)
        programme = programme or sent.get("programme") or (listed[0] if listed else "")
        item = parsed.item or item
        action = action or sent.get("action", "")
    written = _text(cells.get("status"))
    try:
        status = status_code(written) or NOT_REPORTED
    except KeyError:
        quarantine.append(_quarantine_line(plan, r.row, "status", written, Reason.of(R_STATUS, value=written)))
        status = NOT_REPORTED
    try:
        target = parse_target_date(cells.get("target_date"))
    except ValueError:
        quarantine.append(_quarantine_line(plan, r.row, "target_date", cells.get("target_date"),
                                           Reason.of(R_DATE, value=_text(cells.get("target_date")))))
        target = None
    return {"action_id": action_id, "ministry_code": ministry, "programme": programme, "item": item or "",
            "action": action, "status": status, "status_as_written": written,
            "responsible_office": _text(cells.get("responsible_office")), "target_date": target,
            "progress_note": _text(cells.get("progress_note")), "feedback": _text(cells.get("feedback")),
            "added": added, "latest": False, "plan_round": plan.meta.get("round", ""),
            "plan_build": plan.meta.get("build", ""), "received_date": plan.received_date,
            "source_file": plan.source_file, "source_sheet": plan.sheet, "source_row": r.row}


def read_action_plans(raw_dir: Path | str, recommendations: pd.DataFrame | None
                      ) -> tuple[pd.DataFrame, pd.DataFrame, list[ReturnedPlan]]:
    """Read every returned plan under ``<raw>/action-plans/``: ``(progress, quarantine, returns)``."""
    returns = [read_returned_plan(p, raw_dir) for p in find_returned_plans(raw_dir)]
    progress, quarantine = action_progress(returns, recommendations)
    return progress, quarantine, returns


assert set(LINEAGE_COLUMNS) <= set(PROGRESS_COLUMNS)


def _progress_schema() -> pa.DataFrameSchema:
    """``action_progress.parquet``: one row per returned row (``latest`` the row that
    counts for its action) and per action a returning ministry left out (``not_reported``,
    no ``source_row``)."""
    columns = {c: pa.Column(t, nullable=t == "str" and c not in ("action_id", "status", "ministry_code"))
               for c, t in PROGRESS_COLUMNS.items()}
    columns["action_id"] = pa.Column(str, pa.Check.str_matches(ID_PATTERN.pattern))
    columns["ministry_code"] = pa.Column(str, pa.Check.isin([m.code for m in load_reference().ministries]))
    columns["status"] = pa.Column(str, pa.Check.isin(PROGRESS_STATUSES))
    columns["target_date"] = pa.Column(str, pa.Check.str_matches(DATE_PATTERN), nullable=True)
    columns["received_date"] = pa.Column(str, pa.Check.str_matches(DATE_PATTERN), nullable=True)
    columns["source_row"] = pa.Column("Int64", pa.Check.ge(1), nullable=True)
    latest_once = pa.Check(lambda df: ~df.loc[df["latest"], "action_id"].duplicated().any(),
                           error="one latest row per action")
    return pa.DataFrameSchema(columns, checks=[latest_once], strict=True, ordered=True, name="action_progress")


def validate_progress(df: pd.DataFrame) -> pd.DataFrame:
    """Check ``action_progress`` against its schema (:func:`validate`)."""
    return validate(df, _progress_schema())
