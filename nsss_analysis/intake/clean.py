"""Cleaning the submissions into the processed tables (docs/data-contract.md, sections 3-4): ``nsss clean``.

:func:`clean_raw` reads every form under the raw folder (:mod:`nsss_analysis.intake.forms`),
parses each cell (:mod:`nsss_analysis.intake.cells`) and returns the four tables with a
summary per file; :func:`~nsss_analysis.commands.run_clean` is the command: it prints the summary and writes
the tables, all or none, only after everything was computed and validated.

The rules, in the order they apply to a row:

1. A totals row, a row without a programme name, a row repeating an earlier row of
   the same submission cell for cell, and a row whose ministry is not in the
   register are quarantined whole ("row not used: ...").
2. A cell that cannot be read becomes ``unknown`` (answers) or null, and is listed in
   the quarantine with its column, value and reason; the row is kept.
3. The same programme (ministry code + normalised name) assessed more than once with
   different answers is kept every time and listed in ``conflicts.csv``.

Nothing is lost: per file, rows in = rows accepted + rows quarantined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nsss_analysis.intake.cells import (
    CellError,
    is_totals_label,
    parse_answer,
    parse_cluster,
    parse_followup,
    parse_list,
    parse_partner_agencies,
)
from nsss_analysis.intake.exports import read_submission_file
from nsss_analysis.intake.files import find_raw_files
from nsss_analysis.intake.forms import (
    BUDGET,
    PROGRAMMES,
    FormFile,
    FormSheet,
    RawRecord,
)
from nsss_analysis.intake.quantities import (
    parse_amount_bdt,
    parse_amount_crore,
    parse_count,
    parse_duration,
    parse_fiscal_year,
)
from nsss_analysis.intake.reasons import Reason, Words, reason_columns
from nsss_analysis.intake.schemas import (
    ASSESSMENT_TABLE_COLUMNS,
    BUDGET_TABLE_COLUMNS,
    CONFLICT_COLUMNS,
    AssessmentSchema,
    BudgetSchema,
    ConflictSchema,
    QuarantineSchema,
    validate,
)
from nsss_analysis.reference.i18n import N_
from nsss_analysis.reference.ministries import match_ministry, suggest_ministries
from nsss_analysis.reference.names import canonical_name
from nsss_analysis.reference.text import clean_text
from nsss_analysis.reference.vocab import (
    FOLLOWUPS,
    ITEMS,
    LINEAGE_COLUMNS,
    LIST_COLUMNS,
    QUARANTINE_COLUMNS,
    Ministry,
    load_reference,
    normalise_key,
)

#: Longest value shown in a quarantine line (a whole row is summarised).
QUARANTINE_VALUE_CHARS = 300


#: Columns compared to decide that two assessments of a programme conflict: the
#: answers and descriptions, not lineage, spelling of the name, or remarks.
CONFLICT_COMPARED = tuple(
    c
    for c in ASSESSMENT_TABLE_COLUMNS
    if c not in (*LINEAGE_COLUMNS, "ministry", "ministry_code", "programme", "remarks",
                 "assessment_round", "received_date", "synthetic", "submission_key")
)


#: Units a count column's header may name for bare numbers.
COUNT_UNITS = ("lakh", "million", "thousand", "crore")


@dataclass
class FileSummary:
    """What happened to one raw file: the accounting a specialist checks."""

    source_file: str
    rows_in: int = 0
    accepted: int = 0
    quarantined: int = 0
    cells_flagged: int = 0
    messages: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class CleanResult:
    assessments: pd.DataFrame
    budgets: pd.DataFrame
    quarantine: pd.DataFrame
    conflicts: pd.DataFrame
    files: list[FileSummary]
    skipped: list[str] = field(default_factory=list)
    #: Paths under the raw folder not read, with the reason (also in the quarantine).
    not_read: list[tuple[str, str]] = field(default_factory=list)
    #: The raw folder carries the ``SYNTHETIC`` marker (recorded in ``assessments.synthetic``).
    synthetic: bool = False

    @property
    def readable(self) -> bool:
        """Whether at least one file was read as a form (the tables mean something)."""
        return any(f.error is None for f in self.files)

    def summary(self, source_file: str) -> FileSummary:
        return next(f for f in self.files if f.source_file == source_file)


class _Rejected(Exception):
    """The whole row cannot be used: (column, value, reason)."""

    def __init__(self, column: str, value: str, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def _shown(value: object) -> str:
    text = clean_text(value)
    if text is None:
        return ""
    return text if len(text) <= QUARANTINE_VALUE_CHARS else text[: QUARANTINE_VALUE_CHARS - 1] + "…"


def _row_text(record: RawRecord) -> str:
    return _shown(" | ".join(record.cells))


class _RowCleaner:
    """Parses the cells of one record, collecting the quarantine lines of bad cells."""

    def __init__(self, sheet: FormSheet, record: RawRecord, quarantine: list[dict]):
        self.sheet, self.record, self.quarantine = sheet, record, quarantine
        self.flagged = 0

    def flag(self, column: str, value: object, reason: str) -> None:
        self.flagged += 1
        self.quarantine.append(
            _quarantine_line(self.sheet, self.record.source_row, column, _shown(value), reason)
        )

    def cell(self, column: str, parser: Callable, *args: object, default: Any = None) -> Any:  # what the parser returns
        raw = self.record.values.get(column)
        try:
            return parser(raw, *args)
        except CellError as exc:
            what = N_("{problem}; set to unknown") if default == "unknown" else N_("{problem}; left empty")
            self.flag(column, raw, Reason.of(what, problem=exc.why))
            return default


def _identity(sheet: FormSheet, record: RawRecord, ministry: Ministry, programme: str) -> dict[str, object]:
    """Lineage, ministry and programme: the columns every processed row starts with."""
    return {
        "source_file": sheet.source_file,
        "source_sheet": sheet.source_sheet,
        "source_row": record.source_row,
        "ministry": ministry.name,
        "ministry_code": ministry.code,
        "programme": programme,
    }


def _quarantine_line(
    sheet: FormSheet | None, row: int, column: str, value: str, reason: str, source_file: str = ""
) -> dict:
    return {
        "source_file": sheet.source_file if sheet else source_file,
        "source_sheet": sheet.source_sheet if sheet else "",
        "source_row": row,
        "column": column,
        "value": value,
        **reason_columns(reason),
    }


def _check_usable(record: RawRecord, seen: dict, sheet: FormSheet) -> str:
    """The programme's stored name (the catalogue's English name of a programme the
    form names in Bangla or another spelling of the catalogue, else as written), or
    :class:`_Rejected` for a totals, nameless or repeated row."""
    programme = clean_text(record.values.get("programme"))
    ministry_text = clean_text(record.values.get("ministry"))
    first = record.cells[0] if record.cells else None
    for text in (programme, ministry_text, first):
        if text and is_totals_label(text):
            raise _Rejected("", _row_text(record), Reason.of(
                N_("row not used: a totals row ('{label}'), not a programme"), label=text))
    if programme is None:
        raise _Rejected("programme", _row_text(record), Reason.of(N_("row not used: no programme name")))
    key = (sheet.kind, tuple(sorted((c, normalise_key(str(v))) for c, v in record.values.items())))
    if key in seen:
        where = seen[key]
        raise _Rejected(
            "",
            _row_text(record),
            Reason.of(N_("row not used: repeats {where} of this submission cell for cell (a duplicate)"), where=where),
        )
    seen[key] = (
        Reason.of(N_("row {row} of sheet {sheet}"), row=record.source_row, sheet=sheet.source_sheet)
        if sheet.source_sheet
        else Reason.of(N_("row {row}"), row=record.source_row)
    )
    return canonical_name("programme", programme)


def _unknown_ministry(text: str) -> _Rejected:
    suggestions = suggest_ministries(text)
    if suggestions:
        reason = Reason.of(
            N_("row not used: ministry/division '{value}' is not in the register (closest: {closest}); "
               "correct the form, or add the spelling to the register's aliases"),
            value=text, closest=Words(tuple(suggestions), "; "),
        )
    else:
        reason = Reason.of(
            N_("row not used: ministry/division '{value}' is not in the register; "
               "correct the form, or add the spelling to the register's aliases"),
            value=text,
        )
    return _Rejected("ministry", text, reason)


def clean_programme_row(
    record: RawRecord, sheet: FormSheet, form: FormFile, seen: dict, quarantine: list[dict]
) -> dict:
    """One Programmes row as a row of ``assessments`` (raises :class:`_Rejected`)."""
    programme = _check_usable(record, seen, sheet)
    ministry_text = clean_text(record.values.get("ministry"))
    if ministry_text:
        ministry = match_ministry(ministry_text)
        if ministry is None:
            raise _unknown_ministry(ministry_text)
    else:
        ministry = sheet.title_ministry or form.name_ministry
        if ministry is None:
            raise _Rejected(
                "ministry",
                _row_text(record),
                Reason.of(N_("row not used: no ministry/division (the cell is blank and neither the title "
                             "nor the file name names one)")),
            )
    ref = load_reference()
    row = _RowCleaner(sheet, record, quarantine)
    out = _identity(sheet, record, ministry, programme)
    out["start_fy"] = row.cell("start_fy", parse_fiscal_year)
    out["end_fy"], out["ongoing"] = row.cell("end_fy", parse_duration, out["start_fy"], default=(None, None))
    out["cluster"] = row.cell("cluster", parse_cluster)
    stages, unknown_stages = row.cell("lifecycle_stages", parse_list, ref.lifecycle_stages, default=([], []))
    for stage in unknown_stages:
        row.flag(
            "lifecycle_stages",
            record.values.get("lifecycle_stages"),
            Reason.of(
                N_("'{value}' is not a life-cycle stage (early childhood, school age, working age, "
                   "vulnerable women of working age, old age, disability); left out"),
                value=stage,
            ),
        )
    out["lifecycle_stages"] = stages
    out["target_groups"], out["target_groups_other"] = row.cell(
        "target_groups", parse_list, ref.target_groups, default=([], [])
    )
    answers = {item: row.cell(item, parse_answer, default="unknown") for item in ITEMS}
    for followup, items in FOLLOWUPS.items():
        out[followup] = row.cell(followup, parse_followup, [answers[i] for i in items], default="unknown")
    out.update(answers)
    out["partner_agencies"] = row.cell("partner_agencies", parse_partner_agencies, default=[])
    out["remarks"] = clean_text(record.values.get("remarks"))
    out["assessment_round"] = record.meta.get("assessment_round") or sheet.title_fy or form.name_fy
    out["received_date"] = record.meta.get("received_date") or form.received_date or sheet.name_date
    out["submission_key"] = record.meta.get("submission_key")
    out["synthetic"] = False  # set for the whole table by clean_raw
    out["_flagged"] = row.flagged
    return out


@dataclass
class _BudgetContext:
    """What a budget row without a Ministry column can be matched against."""

    by_file_programme: dict[tuple[str, str], Ministry]
    file_single_ministry: dict[str, Ministry]
    by_programme: dict[str, set[str]]
    cluster_of: dict[tuple[str, str], str]


def _budget_context(assessments: list[dict]) -> _BudgetContext:
    by_code = load_reference().ministry_by_code
    by_file_programme: dict[tuple[str, str], Ministry] = {}
    file_ministries: dict[str, set[str]] = {}
    by_programme: dict[str, set[str]] = {}
    cluster_of: dict[tuple[str, str], str] = {}
    for a in assessments:
        key = normalise_key(a["programme"])
        ministry = by_code[a["ministry_code"]]
        by_file_programme.setdefault((a["source_file"], key), ministry)
        file_ministries.setdefault(a["source_file"], set()).add(a["ministry_code"])
        by_programme.setdefault(key, set()).add(a["ministry_code"])
        if a["cluster"]:
            cluster_of.setdefault((a["ministry_code"], key), a["cluster"])
    single = {f: by_code[next(iter(codes))] for f, codes in file_ministries.items() if len(codes) == 1}
    return _BudgetContext(by_file_programme, single, by_programme, cluster_of)


def clean_budget_row(
    record: RawRecord,
    sheet: FormSheet,
    form: FormFile,
    seen: dict,
    quarantine: list[dict],
    context: _BudgetContext,
) -> dict:
    """One Budget row as a row of ``budgets`` (raises :class:`_Rejected`)."""
    programme = _check_usable(record, seen, sheet)
    key = normalise_key(programme)
    ministry_text = clean_text(record.values.get("ministry"))
    if ministry_text:
        ministry = match_ministry(ministry_text)
        if ministry is None:
            raise _unknown_ministry(ministry_text)
    else:
        by_code = load_reference().ministry_by_code
        elsewhere = context.by_programme.get(key, set())
        ministry = (
            context.by_file_programme.get((sheet.source_file, key))
            or sheet.title_ministry
            or context.file_single_ministry.get(sheet.source_file)
            or form.name_ministry
            or (by_code[next(iter(elsewhere))] if len(elsewhere) == 1 else None)
        )
        if ministry is None:
            raise _Rejected(
                "ministry",
                _row_text(record),
                Reason.of(N_("row not used: cannot tell which ministry/division runs this programme "
                             "(no Ministry column, and neither the title, the file name nor an assessment "
                             "names one)")),
            )
    raw_fy = record.values.get("fiscal_year")
    try:
        fiscal_year = parse_fiscal_year(raw_fy) or sheet.title_fy
    except CellError as exc:
        raise _Rejected("fiscal_year", _shown(raw_fy), Reason.of(_ROW_NOT_USED, problem=exc.why)) from None
    if fiscal_year is None:
        raise _Rejected("fiscal_year", _row_text(record), Reason.of(N_("row not used: no fiscal year")))
    row = _RowCleaner(sheet, record, quarantine)
    units = sheet.header.units
    out = _identity(sheet, record, ministry, programme)
    if "cluster" in record.values:
        out["cluster"] = row.cell("cluster", parse_cluster)
    else:
        out["cluster"] = context.cluster_of.get((ministry.code, key))
    out["fiscal_year"] = fiscal_year
    out["budget_crore"] = row.cell("budget_crore", parse_amount_crore, units.get("budget_crore", "crore"))
    for column in ("beneficiaries", "women_beneficiaries"):
        unit = units.get(column)
        out[column] = row.cell(column, parse_count, unit if unit in COUNT_UNITS else None)
    out["monthly_rate_bdt"] = row.cell("monthly_rate_bdt", parse_amount_bdt)
    out["submission_key"] = record.meta.get("submission_key")
    women, everyone = out["women_beneficiaries"], out["beneficiaries"]
    if isinstance(women, int | float) and isinstance(everyone, int | float) and women > everyone:
        row.flag(
            "women_beneficiaries",
            record.values.get("women_beneficiaries"),
            Reason.of(N_("more women beneficiaries ({women:,.0f}) than beneficiaries ({everyone:,.0f}); left empty"),
                      women=women, everyone=everyone),
        )
        out["women_beneficiaries"] = None
    out["_flagged"] = row.flagged
    return out


_ROW_NOT_USED = N_("row not used: {problem}")


#: How the processed tables' non-text columns are typed; every other column is ``str``.
_FLOATS = ("budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt")


def _typed_column(column: str, values: list) -> pd.Series:
    """One column of a processed table with the contract's dtype."""
    if column in ("source_row", "conflict"):
        return pd.Series(values, dtype="int64", name=column)
    if column == "ongoing":
        return pd.Series(values, dtype="boolean", name=column)
    if column == "synthetic":
        return pd.Series([bool(v) for v in values], dtype="bool", name=column)
    if column in LIST_COLUMNS:
        return pd.Series([list(v) for v in values], dtype=object, name=column)
    if column in _FLOATS:
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64", name=column)
    return pd.Series(values, dtype="str", name=column)


def _typed_frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """``rows`` as a table with the contract's columns and dtypes (also when empty)."""
    return pd.DataFrame({c: _typed_column(c, [r.get(c) for r in rows]) for c in columns})


def assessments_frame(rows: list[dict]) -> pd.DataFrame:
    """The assessments table with the contract's dtypes (also when empty)."""
    return _typed_frame(rows, ASSESSMENT_TABLE_COLUMNS)


def budgets_frame(rows: list[dict]) -> pd.DataFrame:
    """The budgets table with the contract's dtypes (also when empty)."""
    return _typed_frame(rows, BUDGET_TABLE_COLUMNS)


def quarantine_frame(lines: list[dict]) -> pd.DataFrame:
    return _typed_frame(lines, QUARANTINE_COLUMNS)


def _comparable(value: object) -> object:
    if isinstance(value, list):
        return tuple(value)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _written(value: object) -> str:
    """A processed value as a specialist reads it in conflicts.csv."""
    value = _comparable(value)
    if value is None:
        return "(blank)"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)


def _conflicts_frame(lines: list[dict]) -> pd.DataFrame:
    return _typed_frame(lines, CONFLICT_COLUMNS)


def find_conflicts(assessments: pd.DataFrame) -> pd.DataFrame:
    """Programmes assessed more than once in the same round with different answers:
    one line per row involved, naming the columns that differ and this row's values
    of them. Assessments of one programme in different rounds are a trend, not a
    conflict."""
    lines: list[dict] = []
    if assessments.empty:
        return _conflicts_frame(lines)
    programme = assessments["ministry_code"] + "\x1f" + assessments["programme"].map(normalise_key)
    round_ = assessments["assessment_round"].fillna("").astype("str")
    # a row whose form names no round cannot be told apart from the programme's latest round
    round_ = round_.where(round_ != "", round_.groupby(programme).transform("max"))
    keys = programme + "\x1f" + round_
    group_number = 0
    for _, idx in keys.groupby(keys, sort=True).groups.items():
        if len(idx) < 2:
            continue
        group = assessments.loc[idx]
        differing = [c for c in CONFLICT_COMPARED if len({_comparable(v) for v in group[c].tolist()}) > 1]
        if not differing:
            continue
        group_number += 1
        for _, r in group.iterrows():
            lines.append(
                {
                    "conflict": group_number,
                    "ministry": r["ministry"],
                    "ministry_code": r["ministry_code"],
                    "programme": r["programme"],
                    "source_file": r["source_file"],
                    "source_sheet": r["source_sheet"],
                    "source_row": int(r["source_row"]),
                    "assessment_round": None if pd.isna(r["assessment_round"]) else r["assessment_round"],
                    "received_date": None if pd.isna(r["received_date"]) else r["received_date"],
                    "differing_columns": "; ".join(differing),
                    "values": "; ".join(f"{c}={_written(r[c])}" for c in differing),
                }
            )
    return _conflicts_frame(lines)


def clean_raw(raw_dir: Path | str) -> CleanResult:
    """Read and clean every form under ``raw_dir``; nothing is written.

    >>> result = clean_raw("data/raw")  # doctest: +SKIP
    >>> [(f.source_file, f.rows_in, f.accepted, f.quarantined) for f in result.files][:1]  # doctest: +SKIP
    [('MoSW_gender_assessment_2023-24.xlsx', 9, 8, 1)]
    """
    raw_dir = Path(raw_dir)
    found = find_raw_files(raw_dir)
    paths, skipped = found.forms, found.skipped
    forms = [read_submission_file(path, raw_dir) for path in paths]
    summaries = {
        f.source_file: FileSummary(f.source_file, messages=list(f.messages), error=f.error) for f in forms
    }
    quarantine: list[dict] = []
    _count_submissions_once(forms, summaries, quarantine)
    assessments: list[dict] = []
    budgets: list[dict] = []

    for form in forms:
        if form.error:
            quarantine.append(
                _quarantine_line(None, 0, "", "", Reason.of(N_("file not read: {problem}"), problem=form.error),
                                 form.source_file)
            )
    _quarantine_unread(found, skipped, raw_dir, forms, summaries, quarantine)
    seen_by_file: dict[str, dict] = {}

    def run(form: FormFile, sheet: FormSheet, clean_one: Callable[..., dict], out: list[dict]) -> None:
        summary = summaries[form.source_file]
        seen = seen_by_file.setdefault(form.source_file, {})
        for record in sheet.records:
            summary.rows_in += 1
            try:
                row = clean_one(record, sheet, form, seen, quarantine)
            except _Rejected as rejected:
                summary.quarantined += 1
                quarantine.append(
                    _quarantine_line(
                        sheet, record.source_row, rejected.column, rejected.value, rejected.reason
                    )
                )
                continue
            except Exception as exc:  # a bug must not lose the row or stop the run
                summary.quarantined += 1
                detail = " ".join(str(exc).split())[:120]
                reason = Reason.of(
                    N_("row not used: the cleaner failed on it ({error}: {detail}); please report"),
                    error=type(exc).__name__, detail=detail,
                )
                quarantine.append(_quarantine_line(sheet, record.source_row, "", _row_text(record), reason))
                continue
            summary.accepted += 1
            summary.cells_flagged += row.pop("_flagged")
            out.append(row)

    for form in forms:
        for sheet in form.sheets:
            if sheet.kind == PROGRAMMES:
                missing = [c for c in (*ITEMS, *FOLLOWUPS) if c not in sheet.header.labels]
                if missing and sheet.records:
                    where = f"sheet {sheet.source_sheet}: " if sheet.source_sheet else ""
                    named = ", ".join(missing) if len(missing) <= 4 else f"{len(missing)} of the 15 questions"
                    summaries[form.source_file].messages.append(
                        f"{where}no column for {named} (answers set to unknown)"
                    )
                run(form, sheet, clean_programme_row, assessments)
    context = _budget_context(assessments)
    for form in forms:
        for sheet in form.sheets:
            if sheet.kind == BUDGET:
                run(
                    form, sheet, lambda r, s, f, seen, q: clean_budget_row(r, s, f, seen, q, context), budgets
                )

    synthetic = (raw_dir / SYNTHETIC_MARKER).is_file()
    for row in assessments:
        row["synthetic"] = synthetic
    assessments_df = validate(assessments_frame(assessments), AssessmentSchema)
    budgets_df = validate(budgets_frame(budgets), BudgetSchema)
    quarantine_df = validate(quarantine_frame(quarantine), QuarantineSchema)
    _note_repeated_budgets(budgets_df, summaries)
    return CleanResult(
        assessments=assessments_df,
        budgets=budgets_df,
        quarantine=quarantine_df,
        conflicts=validate(find_conflicts(assessments_df), ConflictSchema),
        files=list(summaries.values()),
        skipped=[p.relative_to(raw_dir).as_posix() for p in skipped if not _not_a_submission(p)],
        not_read=found.not_read,
        synthetic=synthetic,
    )


def _quarantine_unread(found, skipped: list[Path], raw_dir: Path, forms: list[FormFile],
                       summaries: dict[str, FileSummary], quarantine: list[dict]) -> None:
    """Nothing silent: a quarantine line for every path not read, and for every cell
    or line of a file that was not read while the rest of the file was."""
    for rel, reason in found.not_read:
        quarantine.append(_quarantine_line(None, 0, "", "", Reason.of(_NOT_READ, problem=reason), rel))
    for path in skipped:
        quarantine.append(_quarantine_line(None, 0, "", "", Reason.of(N_("not read: not an .xlsx, .xlsm, .csv or .zip file")),
                                           path.relative_to(raw_dir).as_posix()))
    for form in forms:
        summary = summaries[form.source_file]
        for bad in form.bad_cells:
            summary.rows_in += not bad.column  # a whole line is a row read and quarantined
            summary.quarantined += not bad.column
            summary.cells_flagged += bool(bad.column)
            line = _quarantine_line(None, bad.row, bad.column and f"column {bad.column}", bad.value, bad.reason,
                                    form.source_file)
            quarantine.append(line)


_NOT_READ = N_("not read: {problem}")


def _count_submissions_once(forms: list[FormFile], summaries: dict[str, FileSummary], quarantine: list[dict]) -> None:
    """A server's submission counts once: of the exports holding it (exports are
    cumulative, and an edited submission keeps its key), the later export's rows win
    and the older rows are quarantined as superseded; the rows of a submission the
    server's reviewers rejected are quarantined with that reason. The later export is
    the one with the later latest submission, then more edits, then the later name."""
    best: dict[str, tuple] = {}
    for form in forms:
        for sheet in form.sheets:
            for record in sheet.records:
                key = str(record.meta.get("submission_key") or "")
                if key and (key not in best or form.export_rank > best[key][0]):
                    best[key] = (form.export_rank, form.source_file)
    for form in forms:
        summary = summaries[form.source_file]
        for sheet in form.sheets:
            kept = []
            for record in sheet.records:
                key = str(record.meta.get("submission_key") or "")
                reason = None
                if key and best[key][1] != form.source_file:
                    reason = Reason.of(N_("row not used: submission {key} is superseded by the later export {file}"),
                                       key=key, file=best[key][1])
                elif record.meta.get("rejected"):
                    reason = Reason.of(N_("row not used: submission {key} was rejected on the server ({state})"),
                                       key=key or "", state=record.meta["rejected"])
                if reason is None:
                    kept.append(record)
                    continue
                summary.rows_in += 1
                summary.quarantined += 1
                quarantine.append(_quarantine_line(sheet, record.source_row, "", _row_text(record), reason))
            sheet.records = kept


#: The file that marks a raw folder's data as synthetic (any content).
SYNTHETIC_MARKER = "SYNTHETIC"


def _not_a_submission(path: Path) -> bool:
    """README files and the SYNTHETIC marker are not submissions, nor skipped ones."""
    return path.name == SYNTHETIC_MARKER or path.name.upper().startswith("README")


def _note_repeated_budgets(budgets: pd.DataFrame, summaries: dict[str, FileSummary]) -> None:
    """A programme with two differing budget rows for one fiscal year is kept twice;
    say so, since totals would count it twice."""
    if budgets.empty:
        return
    key = (
        budgets["ministry_code"]
        + "\x1f"
        + budgets["programme"].map(normalise_key)
        + "\x1f"
        + budgets["fiscal_year"]
    )
    counts = Counter(key)
    for _, r in budgets[key.map(counts) > 1].iterrows():
        summaries[r["source_file"]].messages.append(
            f"row {r['source_row']}: {r['programme']} has more than one budget row for {r['fiscal_year']}"
            + (f" (sheet {r['source_sheet']})" if r["source_sheet"] else "")
        )
