"""Reading the online form's exports (KoboToolbox, ODK Central) into form sheets.

An export is recognised by its columns, never by its name:

- **KoboToolbox XLSX**: a main sheet with the server's columns (``_uuid``,
  ``_submission_time``, ``_index``) and one sheet per repeat, whose rows name their
  parent by ``_parent_index`` (and ``_parent_table_name``) or ``_submission__uuid``;
  Excel cuts sheet names at 31 characters, so the tables are told apart by their
  columns;
- **KoboToolbox CSV**: the main table only (``;``-separated): the programmes are in
  repeats, so the file is not read and one quarantine line says to download the XLSX;
- **ODK Central**: the CSV zip (``<form>.csv`` plus ``<form>-<repeat>.csv``, rows joined
  by ``KEY`` / ``PARENT_KEY``), or the same CSVs unzipped in one folder.

Headers are field names or labels (English or Bangla), with or without their group
path (``programme/items/graduation``, ``items-graduation``, ``items.graduation``):
the longest suffix that names a field of the form wins. System columns are used for
lineage only and never reported as unknown. A select_multiple answer is either one
cell of space-joined names or labels (labels matched longest first), or split 0/1
columns (``lifecycle_stages/old_age``); what cannot be split is a quarantined cell.

Each submission's programmes become one Programmes sheet of records (the ministry and
round of the submission added to each), its budgets one Budget sheet (the programme's
name added); each record carries its submission key, received date (the submission
time in Asia/Dhaka) and review state, which :mod:`nsss_analysis.intake.clean` uses to
count a submission once.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from nsss_analysis.intake.cells import CellError
from nsss_analysis.intake.files import (
    BadCell,
    FormReadError,
    Row,
    _check_parts,
    _check_size,
    _xlsx_sheets,
    read_csv_rows,
)
from nsss_analysis.intake.forms import (
    BUDGET,
    PROGRAMMES,
    FormFile,
    FormSheet,
    HeaderMap,
    RawRecord,
    match_header,
    read_form_file,
    unreadable,
)
from nsss_analysis.intake.quantities import parse_fiscal_year
from nsss_analysis.intake.reasons import Reason
from nsss_analysis.intake.template import _list_values
from nsss_analysis.intake.xlsform import ROUND_LABEL
from nsss_analysis.reference.i18n import LANGUAGES, N_, translator
from nsss_analysis.reference.text import clean_text
from nsss_analysis.reference.vocab import (
    FOLLOWUPS,
    ITEMS,
    LIFECYCLE_STAGES,
    TARGET_GROUPS,
    load_reference,
    normalise_key,
)

#: Where the submissions were made: received dates are dates there.
TIME_ZONE = "Asia/Dhaka"
#: Bangladesh Standard Time, used where the system has no time-zone database.
_DHAKA_OFFSET = dt.timezone(dt.timedelta(hours=6))

#: Columns a server adds to an export: lineage, never form columns (matched on the
#: name without its group path, case-insensitively).
SYSTEM_COLUMNS = frozenset(
    c.lower()
    for c in (
        "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
        "__version__", "_version_", "_tags", "_index", "_parent_table_name", "_parent_index",
        "_submission__id", "_submission__uuid", "_submission__submission_time", "_submission__validation_status",
        "_submission__notes", "_submission__status", "_submission__submitted_by", "_submission___version__",
        "_submission__tags", "_attachments", "_geolocation", "_xform_id_string", "_media_count",
        "_total_media", "_media_all_received",
        "instanceID", "instanceName", "rootUuid", "deprecatedID", "uuid", "formhub",
        "KEY", "PARENT_KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
        "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "UpdatedAt",
        "start", "end", "today", "deviceid", "username", "phonenumber", "audit", "form_version",
    )
)
#: Separators of a group path in an export's headers.
PATH_SEPARATORS = "/-."
#: The select_multiple fields and their vocabularies' codes.
MULTI_FIELDS = {"lifecycle_stages": LIFECYCLE_STAGES, "target_groups": TARGET_GROUPS}
#: Root fields of the online form beside the form's columns.
ROOT_FIELDS = ("assessment_round",)
#: Values of a split select_multiple column meaning "chosen".
CHOSEN = frozenset({"1", "1.0", "true", "yes"})

KOBO_CSV = N_(
    "a KoboToolbox CSV export holds only the main table, not the programmes (they are repeats); "
    "download the XLSX export instead"
)
NO_ROOT = N_("a table of an ODK Central export without its main table ({name}): read with it, not alone")


@dataclass
class Table:
    """One table of an export: its name (sheet or CSV file), where it came from, its
    header and its rows as ``(row number, {header: value})``."""

    name: str
    source_file: str
    header: list[str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def _bare(header: str) -> str:
    """A header without its group path: the part after the last separator."""
    return re.split(r"[/\-.]", header)[-1] if header else header


def is_system(header: str) -> bool:
    text = header.strip()
    if text.lower() in SYSTEM_COLUMNS:
        return True
    if text.startswith("_"):
        return True
    parts = re.split(r"[/\-.]", text)
    return parts[0].lower() in ("meta", "formhub", "__system") or parts[-1].lower() in SYSTEM_COLUMNS and (
        len(parts) > 1 and parts[-2].lower() in ("meta", "formhub", "__system")
    )


@lru_cache(maxsize=1)
def _field_names() -> dict[str, str]:
    """Folded field name or label (every language) -> field name."""
    names: dict[str, str] = {}
    for column in load_reference().form_columns:
        names.setdefault(column.column.lower(), column.column)
    for language in LANGUAGES:
        names.setdefault(normalise_key(translator(language).gettext(ROUND_LABEL)), "assessment_round")
    names["assessment_round"] = "assessment_round"
    return names


def _field(text: str) -> str | None:
    """The form field a header (without its path) names: a field name or a label."""
    text = text.strip()
    if not text:
        return None
    names = _field_names()
    if text.lower() in names:
        return names[text.lower()]
    if normalise_key(text) in names:
        return names[normalise_key(text)]
    return match_header(text)


def _suffixes(header: str) -> Iterator[str]:
    """The header, then each part after a separator, longest first."""
    yield header
    for m in re.finditer(rf"[{re.escape(PATH_SEPARATORS)}]", header):
        yield header[m.end():]


@lru_cache(maxsize=2)
def _choices(field_name: str) -> dict[str, str]:
    """Folded choice name or label (English, Bangla) of a select_multiple -> code."""
    kind = field_name
    codes = MULTI_FIELDS[field_name]
    out: dict[str, str] = {}
    for code in codes:
        out[code.lower()] = code
    for language in LANGUAGES:
        for code, label in zip(codes, _list_values(language)[kind]):
            out.setdefault(normalise_key(label), code)
    return out


def _split_column(header: str) -> tuple[str, str] | None:
    """``(field, code)`` for a split select_multiple column (``lifecycle_stages/old_age``,
    ``Life-cycle stage(s)/Old age``), else ``None``."""
    for m in re.finditer(rf"[{re.escape(PATH_SEPARATORS)}]", header):
        left, right = header[: m.start()], header[m.end():]
        field_name = next((f for s in _suffixes(left) if (f := _field(s))), None) if left else None
        if field_name in MULTI_FIELDS:
            code = _choices(field_name).get(right.strip().lower()) or _choices(field_name).get(normalise_key(right))
            if code:
                return field_name, code
    return None


@dataclass
class ColumnMap:
    fields: dict[str, str]  # header -> field
    splits: dict[str, tuple[str, str]]  # header -> (field, code)
    system: dict[str, str]  # bare lower-case name -> header
    ignored: list[str]


def map_columns(header: list[str]) -> ColumnMap:
    fields: dict[str, str] = {}
    splits: dict[str, tuple[str, str]] = {}
    system: dict[str, str] = {}
    ignored: list[str] = []
    for h in header:
        text = (h or "").strip()
        if not text:
            continue
        if is_system(text):
            system.setdefault(_bare(text).lower(), text)
            continue
        split = _split_column(text)
        if split:
            splits[text] = split
            continue
        name = next((f for s in _suffixes(text) if (f := _field(s))), None)
        if name and name not in fields.values():
            fields[text] = name
        else:
            ignored.append(text)
    return ColumnMap(fields, splits, system, ignored)


def split_multiple(value: object, field_name: str) -> str | None:
    """A select_multiple cell as ``;``-separated codes: space-joined choice names, or
    labels (English or Bangla) matched longest first; ``CellError`` when it cannot be
    split."""
    text = clean_text(value)
    if text is None:
        return None
    choices = _choices(field_name)
    tokens = text.split()
    if all(t.lower() in choices for t in tokens):
        return "; ".join(choices[t.lower()] for t in tokens)
    if ";" in text or "," in text:
        return text  # already a list the cell reader splits
    labels = sorted(((k, v) for k, v in choices.items()), key=lambda kv: -len(kv[0]))
    rest, out = normalise_key(text), []
    while rest:
        for label, code in labels:
            if rest == label or rest.startswith(label + " "):
                out.append(code)
                rest = rest[len(label):].strip()
                break
        else:
            raise CellError(N_("'{value}' cannot be split into the form's choices"), value=text)
    return "; ".join(out)


def dhaka_date(value: object) -> str | None:
    """A server's submission time (UTC, ``2024-06-30T19:30:00`` or ``...Z``) as the
    date in Asia/Dhaka (``2024-07-01``); ``None`` when it is not a time."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = clean_text(value)
        if text is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        from zoneinfo import ZoneInfo

        zone: dt.tzinfo = ZoneInfo(TIME_ZONE)
    except Exception:  # no time-zone database: Bangladesh keeps UTC+6 all year
        zone = _DHAKA_OFFSET
    return moment.astimezone(zone).date().isoformat()


def _utc(value: object) -> str:
    """A submission time as comparable UTC text ("" when none)."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = clean_text(value) or ""
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


# --- recognising and reading the tables ------------------------------------------

def _table_from_rows(name: str, source_file: str, rows: Iterator[tuple[int, Row]]) -> Table | None:
    header: list[str] | None = None
    table: Table | None = None
    for number, row in rows:
        if header is None:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            header = ["" if v is None else str(v).strip() for v in row]
            table = Table(name, source_file, header)
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        assert table is not None
        table.rows.append((number, {h: v for h, v in zip(header, row) if h}))
    return table


def is_server_header(header: Sequence[object]) -> str | None:
    """``kobo``, ``central`` or ``None``: whose export a header row is."""
    names = {str(h).strip() for h in header if h is not None}
    lower = {n.lower() for n in names}
    if "KEY" in names and ("SubmissionDate" in names or "PARENT_KEY" in names):
        return "central"
    if {"_uuid", "_submission_time"} <= lower or {"_index", "_parent_index"} <= lower or (
        "_index" in lower and "_submission__uuid" in lower
    ):
        return "kobo"
    return None


def kobo_xlsx_tables(sheets: Iterator[tuple[str, Iterator[tuple[int, Row]]]], source_file: str) -> list[Table] | None:
    """The tables of a KoboToolbox XLSX export, or ``None`` when the workbook is not one
    (its first sheet's header has no server columns)."""
    tables: list[Table] = []
    for i, (name, rows) in enumerate(sheets):
        table = _table_from_rows(name, source_file, rows)
        if i == 0 and (table is None or is_server_header(table.header) != "kobo"):
            return None
        if table is not None:
            tables.append(table)
    return tables


def _central_tables_from_dir(folder: Path, names: list[str], raw_dir: Path, bad: list[BadCell]) -> list[Table]:
    tables = []
    for name in names:
        path = folder / name
        csv_read = read_csv_rows(path)
        bad.extend(csv_read.bad)
        rel = path.relative_to(raw_dir).as_posix() if path.is_relative_to(raw_dir) else name
        table = _table_from_rows(name, rel, iter(csv_read.rows))
        if table is not None:
            tables.append(table)
    return tables


def central_zip_tables(path: Path, raw_dir: Path, bad: list[BadCell]) -> list[Table]:
    """The CSV tables of an ODK Central zip export (size-checked as a workbook is)."""
    _check_size(path)
    try:
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.infolist() if m.filename.lower().endswith(".csv") and not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormReadError(N_("the zip file is corrupt and cannot be opened ({error})"),
                            error=type(exc).__name__) from None
    _check_parts(path)
    if not members:
        raise FormReadError(N_("the zip file holds no CSV table (not an ODK Central export)"))
    rel = path.relative_to(raw_dir).as_posix()
    tables = []
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as z:
        for member in sorted(members, key=lambda m: m.filename):
            name = Path(member.filename).name
            target = Path(tmp) / name
            target.write_bytes(z.read(member))
            csv_read = read_csv_rows(target)
            bad.extend(csv_read.bad)
            table = _table_from_rows(name, rel, iter(csv_read.rows))
            if table is not None:
                tables.append(table)
    return tables


def central_siblings(path: Path) -> list[str]:
    """The repeat tables unzipped beside an ODK Central main table ``<form>.csv``:
    ``<form>-<repeat>.csv`` in the same folder."""
    prefix = path.stem + "-"
    return sorted(p.name for p in path.parent.iterdir()
                  if p.is_file() and p.suffix.lower() == ".csv" and p.name.startswith(prefix))


# --- assembling submissions ---------------------------------------------------------

@dataclass
class _Role:
    table: Table
    columns: ColumnMap


def _roles(tables: list[Table]) -> tuple[_Role | None, _Role | None, _Role | None]:
    """The main table, the programme repeat and the budget repeat, by their columns."""
    root = programme = budget = None
    for table in tables:
        cmap = map_columns(table.header)
        fields = set(cmap.fields.values()) | {f for f, _ in cmap.splits.values()}
        has_parent = "parent_key" in cmap.system or "_parent_index" in cmap.system or (
            "_submission__uuid" in cmap.system
        )
        if not has_parent and root is None:
            root = _Role(table, cmap)
        elif fields & (set(ITEMS) | set(FOLLOWUPS)) or ("programme" in fields and "start_fy" in fields):
            programme = programme or _Role(table, cmap)
        elif fields & {"budget_crore", "beneficiaries", "women_beneficiaries", "fiscal_year"}:
            budget = budget or _Role(table, cmap)
    if root is not None and programme is None:
        # a form flattened without repeats: the main table holds the programme's columns
        fields = set(root.columns.fields.values())
        if fields & set(ITEMS):
            programme = root
    return root, programme, budget


def _system(values: dict[str, object], cmap: ColumnMap, name: str) -> object:
    header = cmap.system.get(name.lower())
    return values.get(header) if header else None


def _key(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    return re.sub(r"^uuid:", "", text)


def _index(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    return text[:-2] if text.endswith(".0") else text


def _rejected(values: dict[str, object], cmap: ColumnMap) -> str | None:
    review = clean_text(_system(values, cmap, "ReviewState"))
    if review and review.lower() == "rejected":
        return "rejected"
    status = clean_text(_system(values, cmap, "_validation_status"))
    if status and "not" in status.lower() and "approved" in status.lower():
        return "not_approved"
    return None


class _Assembler:
    def __init__(self, form: FormFile, server: str):
        self.form, self.server = form, server

    def flag(self, table: Table, row: int, column: str, value: object, reason: str) -> None:
        self.form.bad_cells.append(BadCell(row, column, str(clean_text(value) or ""), reason))

    def values(self, role: _Role, number: int, values: dict[str, object]) -> dict[str, object]:
        """The form fields of one row: split select_multiples joined, the rest raw."""
        out: dict[str, object] = {}
        for header, name in role.columns.fields.items():
            value = values.get(header)
            if name in MULTI_FIELDS:
                try:
                    value = split_multiple(value, name)
                except CellError as exc:
                    self.flag(role.table, number, header, value,
                              Reason.of(N_("{problem}; left empty"), problem=exc.why))
                    value = None
            if value is not None and not (isinstance(value, str) and not value.strip()):
                out[name] = value
        chosen: dict[str, list[str]] = {}
        for header, (name, code) in role.columns.splits.items():
            if name in out:
                continue  # the joined column was read
            if str(clean_text(values.get(header)) or "").lower() in CHOSEN:
                chosen.setdefault(name, []).append(code)
        for name, codes in chosen.items():
            order = {c: i for i, c in enumerate(MULTI_FIELDS[name])}
            out[name] = "; ".join(sorted(codes, key=order.__getitem__))
        return out

    def meta(self, role: _Role, number: int, values: dict[str, object]) -> dict[str, object]:
        cmap = role.columns
        if self.server == "central":
            key = _key(_system(values, cmap, "KEY"))
            when = _system(values, cmap, "SubmissionDate")
            edits = clean_text(_system(values, cmap, "Edits")) or "0"
        else:
            key = _key(_system(values, cmap, "rootUuid")) or _key(_system(values, cmap, "_uuid"))
            when = _system(values, cmap, "_submission_time")
            edits = "0"
        round_value = next((v for h, f in cmap.fields.items() if f == "assessment_round"
                            for v in (values.get(h),)), None)
        try:
            assessment_round = parse_fiscal_year(round_value)
        except CellError as exc:
            self.flag(role.table, number, "assessment_round", round_value,
                      Reason.of(N_("{problem}; left empty"), problem=exc.why))
            assessment_round = None
        return {
            "submission_key": key,
            "received_date": dhaka_date(when),
            "submitted_utc": _utc(when),
            "edits": int(edits) if edits.isdigit() else 0,
            "assessment_round": assessment_round,
            "rejected": _rejected(values, cmap),
        }


def _header_map(roles: list[_Role], extra: tuple[str, ...]) -> HeaderMap:
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for role in roles:
        for header, name in role.columns.fields.items():
            labels.setdefault(name, header)
        for header, (name, _code) in role.columns.splits.items():
            labels.setdefault(name, header)
        ignored.extend(role.columns.ignored)
    for name in extra:
        labels.setdefault(name, name)
    return HeaderMap({}, labels, {}, tuple(dict.fromkeys(ignored)))


#: A submission's (or a programme's) answers and its lineage, as a child row's parent.
_Parent = tuple[dict[str, object], dict[str, object]]


def assemble(form: FormFile, tables: list[Table], server: str) -> None:
    """Fill ``form`` with a Programmes and a Budget sheet from an export's tables."""
    root, programme, budget = _roles(tables)
    if root is None or programme is None:
        raise FormReadError(N_("an export of a server, but no table holds the programmes' answers "
                               "(is it the NSSS assessment form?)"))
    asm = _Assembler(form, server)
    roots: dict[str, _Parent] = {}
    by_uuid: dict[str, str] = {}
    latest = ""
    edits = 0
    for number, values in root.table.rows:
        fields = asm.values(root, number, values)
        meta = asm.meta(root, number, values)
        latest = max(latest, cast(str, meta["submitted_utc"]))
        edits += cast(int, meta["edits"])
        ident = _index(_system(values, root.columns, "_index")) or _key(_system(values, root.columns, "KEY")) or str(number)
        roots[ident] = (fields, meta)
        if uuid := _key(_system(values, root.columns, "_uuid")):
            by_uuid[uuid] = ident
    form.export_rank = (latest, edits, form.source_file)

    def parent_of(role: _Role, values: dict[str, object], parents: Mapping[str, _Parent]) -> _Parent | None:
        cmap = role.columns
        key = _key(_system(values, cmap, "PARENT_KEY"))
        if key is None:
            key = _index(_system(values, cmap, "_parent_index"))
        if key is None and (uuid := _key(_system(values, cmap, "_submission__uuid"))):
            key = by_uuid.get(uuid)
        return parents.get(key) if key is not None else None

    if programme is root:
        p_sheet = _sheet(form, root, PROGRAMMES, _header_map([root], ()))
        for number, values in root.table.rows:
            fields, meta = asm.values(root, number, values), asm.meta(root, number, values)
            p_sheet.records.append(_record(number, fields, meta))
        return
    p_sheet = _sheet(form, programme, PROGRAMMES, _header_map([root, programme], ()))
    programmes: dict[str, _Parent] = {}
    for number, values in programme.table.rows:
        fields = asm.values(programme, number, values)
        parent = parent_of(programme, values, roots)
        if parent is None:
            form.bad_cells.append(BadCell(number, "", _row_text(values), Reason.of(
                N_("row {row} of table {table}: its submission is not in the export's main table; not read"),
                row=number, table=programme.table.name)))
            continue
        root_fields, meta = parent
        merged = {**{k: v for k, v in root_fields.items() if k in ("ministry",)}, **fields}
        p_sheet.records.append(_record(number, merged, meta))
        p_ident = _key(_system(values, programme.columns, "KEY")) or _index(_system(values, programme.columns, "_index"))
        if p_ident is not None:
            programmes[p_ident] = (merged, meta)
    if budget is None:
        return
    b_sheet = _sheet(form, budget, BUDGET, _header_map([budget], ("programme", "ministry")))
    for number, values in budget.table.rows:
        fields = asm.values(budget, number, values)
        parent = parent_of(budget, values, programmes)
        if parent is None:
            form.bad_cells.append(BadCell(number, "", _row_text(values), Reason.of(
                N_("row {row} of table {table}: its programme is not in the export; not read"),
                row=number, table=budget.table.name)))
            continue
        programme_fields, meta = parent
        merged = {k: programme_fields[k] for k in ("programme", "ministry") if k in programme_fields}
        merged.update(fields)
        b_sheet.records.append(_record(number, merged, meta))


def _row_text(values: dict[str, object]) -> str:
    return " | ".join(str(v) for v in values.values() if clean_text(v))[:300]


def _sheet(form: FormFile, role: _Role, kind: str, header: HeaderMap) -> FormSheet:
    sheet = FormSheet(role.table.source_file, role.table.name, kind, 1, header, None, None)
    form.sheets.append(sheet)
    if header.ignored:
        form.messages.append(f"table {role.table.name}: ignored columns not in the form: {', '.join(header.ignored)}")
    return sheet


def _record(number: int, values: dict[str, object], meta: dict[str, object]) -> RawRecord:
    cells = [str(clean_text(v)) for v in values.values() if clean_text(v) is not None]
    return RawRecord(number, dict(values), cells, meta=dict(meta))


# --- one raw file -------------------------------------------------------------------

def _first_header(rows: list[tuple[int, Row]]) -> list[object]:
    return next((list(row) for _, row in rows if any(v not in (None, "") for v in row)), [])


def _central_root_of(path: Path) -> str | None:
    """The ODK Central main table ``<form>.csv`` beside a repeat table ``<form>-<repeat>.csv``."""
    stem = path.stem
    for m in re.finditer("-", stem):
        candidate = path.parent / (stem[: m.start()] + path.suffix)
        if candidate.is_file():
            return candidate.name
    return None


def read_submission_file(path: Path, raw_dir: Path) -> FormFile:
    """Read one raw file: a server's export (recognised by its columns) into the
    Programmes and Budget sheets of its submissions, any other file as a form
    (:func:`~nsss_analysis.intake.forms.read_form_file`). Never raises for bad input."""
    suffix = path.suffix.lower()
    source_file = path.relative_to(raw_dir).as_posix()
    form = FormFile(source_file)
    try:
        if suffix == ".zip":
            tables = central_zip_tables(path, raw_dir, form.bad_cells)
            server = next((s for t in tables if (s := is_server_header(t.header))), None)
            if server is None:
                raise FormReadError(N_("the zip file holds no table of an ODK Central or KoboToolbox export"))
            assemble(form, tables, server)
            return form
        if suffix in (".xlsx", ".xlsm"):
            sheets = None
            kobo: list[Table] | None = None
            try:
                sheets = _xlsx_sheets(path, [])
                kobo = kobo_xlsx_tables(sheets, source_file)
            except FormReadError:
                kobo = None  # the form reader says why
            finally:
                if sheets is not None and hasattr(sheets, "close"):
                    sheets.close()
            if kobo is None:
                return read_form_file(path, raw_dir)
            assemble(form, kobo, "kobo")
            return form
        if suffix == ".csv":
            try:
                head = _first_header(read_csv_rows(path).rows)
            except FormReadError:
                return read_form_file(path, raw_dir)
            server = is_server_header(head)
            if server == "kobo":
                raise FormReadError(KOBO_CSV)
            if server == "central":
                if "PARENT_KEY" in {str(h).strip() for h in head}:
                    root = _central_root_of(path)
                    if root is None:
                        raise FormReadError(NO_ROOT, name=path.stem.rsplit("-", 1)[0] + ".csv")
                    form.messages.append(f"read with {root} (a table of the same ODK Central export)")
                    return form
                names = [path.name, *central_siblings(path)]
                assemble(form, _central_tables_from_dir(path.parent, names, raw_dir, form.bad_cells), "central")
                return form
        return read_form_file(path, raw_dir)
    except Exception as exc:  # any failure of a reader is this file's problem
        return unreadable(form, exc)
