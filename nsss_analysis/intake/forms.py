"""Reading the ministries' submissions: one raw file in, raw records with lineage out.

This is the I/O edge of cleaning. It finds the forms under the raw folder, opens
each workbook sheet (openpyxl, read-only) or CSV file (encoding and delimiter
detected), finds the header row (it may sit under a title), maps the headers to the
processed columns of the contract (labels, synonyms, the guideline's questions,
then a conservative fuzzy match), decides what kind of table the sheet is, and
yields the non-blank rows as :class:`RawRecord` (``source_row`` as a spreadsheet
program numbers it; for a CSV the record number). Values stay raw: parsing them is
:mod:`nsss_analysis.intake.clean`'s job.

>>> form = read_form_file(Path("data/raw/mowca-submission.xlsx"), Path("data/raw"))  # doctest: +SKIP
>>> [(s.source_sheet, s.kind, len(s.records)) for s in form.sheets]  # doctest: +SKIP
[('Programmes', 'programmes', 6), ('Budget', 'budget', 12)]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nsss_analysis import config
from nsss_analysis.config import MAX_XLSX_PART_BYTES
from nsss_analysis.intake.files import (
    CONFIG_FILE,
    BadCell,
    FormReadError,
    Row,
    SheetTooLarge,
    _xlsx_sheets,
    read_csv_rows,
)
from nsss_analysis.intake.quantities import find_date, find_fiscal_year
from nsss_analysis.intake.reasons import Reason, Words
from nsss_analysis.reference.i18n import LANGUAGES, N_, translator
from nsss_analysis.reference.ministries import find_ministry, match_ministry
from nsss_analysis.reference.text import clean_text
from nsss_analysis.reference.vocab import (
    FOLLOWUPS,
    ITEMS,
    Ministry,
    load_reference,
    normalise_key,
)

#: Helper sheets of the template (and common notes sheets): skipped silently.
HELPER_SHEETS = frozenset(
    {
        "instructions",
        "lists",
        "list",
        "notes",
        "note",
        "readme",
        "read me",
        "about",
        "guidance",
        "cover",
        "lookup",
        "lookups",
        "dropdowns",
        "codes",
    }
)


def _helper_sheet(name: str) -> bool:
    """A helper sheet (instructions, drop-down lists, notes), under its English name or
    the form's name for it in any language (নির্দেশনা, তালিকা)."""
    key = name.strip().lower()
    return key in HELPER_SHEETS or key in _translated_helper_sheets()


@lru_cache(maxsize=1)
def _translated_helper_sheets() -> frozenset[str]:
    return frozenset(
        translator(language).pgettext("sheet name", sheet).strip().lower()
        for language in LANGUAGES
        for sheet in ("Instructions", "Lists")
    )


#: The header row is looked for in this many rows from the top (title blocks above it).
HEADER_SEARCH_ROWS = 20


#: A header row names at least this many known columns (or two, one of them the programme).
MIN_HEADER_MATCHES = 3


#: difflib ratio a header must reach to be matched fuzzily; high, because mapping a
#: column to the wrong question would silently corrupt every row.
HEADER_FUZZY_CUTOFF = 0.88


PROGRAMMES = "programmes"


BUDGET = "budget"


ANSWER_COLUMNS = frozenset((*ITEMS, *FOLLOWUPS))


BUDGET_VALUE_COLUMNS = frozenset({"budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt"})


#: The item a follow-up column follows when its header is just "If not, ...?".
FOLLOWUP_OF_ITEM = {items[-1]: followup for followup, items in FOLLOWUPS.items()}


@dataclass(frozen=True)
class HeaderMap:
    """How a sheet's header row maps to processed columns."""

    columns: dict[int, str]  # 0-based cell index -> processed column
    labels: dict[str, str]  # processed column -> header text as written
    units: dict[str, str]  # processed column -> unit named in its header (lakh, taka ...)
    ignored: tuple[str, ...]  # header texts not mapped (extra columns)
    duplicates: tuple[str, ...] = ()
    #: Budget columns a ministry added to its programme table (``Allocation 2021-22 (Tk
    #: crore)``, ``Budget FY 2020-21``): cell index -> (fiscal year, unit, header text).
    budget_columns: dict[int, tuple[str, str, str]] = field(default_factory=dict)


@dataclass
class RawRecord:
    """One non-blank data row: raw values of the mapped columns, with lineage."""

    source_row: int
    values: dict[str, object]
    cells: list[str]  # every non-blank cell of the row as text, in order
    #: What a server's export says of the row's submission (``submission_key``,
    #: ``received_date``, ``assessment_round``, ``rejected``...); empty for a workbook.
    meta: dict[str, object] = field(default_factory=dict)


@dataclass
class FormSheet:
    source_file: str
    source_sheet: str
    kind: str  # PROGRAMMES or BUDGET
    header_row: int
    header: HeaderMap
    title_ministry: Ministry | None
    title_fy: str | None
    records: list[RawRecord] = field(default_factory=list)
    blank_rows: int = 0
    #: A date written in the sheet's name (``YYYY-MM-DD``), if any.
    name_date: str | None = None

    @property
    def national(self) -> bool:
        """A national budget table names the ministry of each row."""
        return self.kind == BUDGET and "ministry" in self.header.labels


@dataclass
class FormFile:
    source_file: str
    sheets: list[FormSheet] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    error: str | None = None
    name_ministry: Ministry | None = None
    name_fy: str | None = None
    encoding: str | None = None
    #: Cells and lines not read (over-long, NUL bytes, undecodable); the rest was read.
    bad_cells: list[BadCell] = field(default_factory=list)
    #: When the submission was received (``YYYY-MM-DD``): the workbook's own
    #: ``modified`` property, else a date in the file name; never the file system's time.
    received_date: str | None = None
    #: A server export's order among exports of the same form (its latest submission
    #: time, its edits, its name): the later export's version of a submission wins.
    export_rank: tuple = ()


_UNIT_IN_HEADER = (
    (re.compile(r"\bcrore|\bcr\b|কোটি"), "crore"),
    (re.compile(r"\blakh|\blac\b|লক্ষ|লাখ"), "lakh"),
    (re.compile(r"\bmillion|\bmn\b"), "million"),
    (re.compile(r"\bthousand|'000|\b000\b"), "thousand"),
    (re.compile(r"\b(?:tk|taka|bdt)\b|৳|টাকা"), "taka"),
)


def _header_keys(text: str) -> list[str]:
    """Candidate matching keys of a header cell, most specific first: as written,
    without a numbering prefix ("8. "), without a trailing "(unit)" or "(Y/N)", and
    each with and without a trailing "?"."""
    unnumbered = re.sub(r"^\s*(?:q\s*)?\d{1,2}[a-z]?[.):]?\s+(?=\D)", "", text, flags=re.IGNORECASE)
    no_paren = re.sub(r"\s*\([^)]*\)\s*\??\s*$", "", unnumbered)
    out: list[str] = []
    for variant in (text, unnumbered, no_paren):
        key = normalise_key(variant)
        for k in (key, key.rstrip("?").strip(), key.rstrip("?").strip() + "?"):
            if k and k != "?" and k not in out:
                out.append(k)
    return out


def _fuzzy_header(key: str, index: dict[str, str]) -> str | None:
    """A header with typos: same number of words, each word close, whole text close."""
    words = key.split()
    best, best_ratio = None, HEADER_FUZZY_CUTOFF
    for candidate in index:
        cwords = candidate.split()
        if len(cwords) != len(words) or abs(len(candidate) - len(key)) > 4:
            continue
        ratio = difflib.SequenceMatcher(None, key, candidate).ratio()
        if ratio < best_ratio:
            continue
        if all(
            difflib.SequenceMatcher(None, a, b).ratio() >= 0.75 for a, b in zip(words, cwords, strict=True)
        ):
            best, best_ratio = candidate, ratio
    return index[best] if best else None


def _stem_tokens(key: str) -> frozenset[str]:
    return frozenset(
        w[:5]
        for w in re.findall(r"[a-z\u0980-\u09ff]+", key)
        if w not in {"the", "of", "a", "an", "is", "in", "does"}
    )


@lru_cache(maxsize=1)
def _header_index() -> tuple[dict[str, str], dict[frozenset[str], str]]:
    """Header key -> processed column (labels, synonyms, the guideline's questions)."""
    index: dict[str, str] = {}
    tokens: dict[frozenset[str], set[str]] = {}
    for column in load_reference().form_columns:
        for spelling in (column.label, *column.synonyms, column.instruction):
            for key in _header_keys(spelling):
                index.setdefault(key, column.column)
            stems = _stem_tokens(normalise_key(spelling))
            if len(stems) >= 2:
                tokens.setdefault(stems, set()).add(column.column)
    return index, {k: next(iter(v)) for k, v in tokens.items() if len(v) == 1}


def match_header(text: object) -> str | None:
    """The processed column a header cell names, or ``None``.

    >>> match_header("8. Graduation planned"), match_header("Budget (Tk crore)"), match_header("Sl. No.")
    ('graduation', 'budget_crore', None)
    """
    raw = clean_text(text)
    if raw is None:
        return None
    index, by_tokens = _header_index()
    keys = _header_keys(raw)
    if not keys:  # "?", "-", punctuation only: a cell that names no column
        return None
    for key in keys:
        if key in index:
            return index[key]
    if keys[0].startswith(("if not", "if no ")):
        return None  # generic follow-up headers are placed by position (map_header)
    for key in keys:
        stems = _stem_tokens(key)
        if len(stems) >= 2 and stems in by_tokens:
            return by_tokens[stems]
    for key in keys:
        if len(key) >= 8 and (column := _fuzzy_header(key, index)):
            return column
    return None


def map_header(row: Row) -> HeaderMap:
    """Map a header row's cells to processed columns.

    A bare "If not, ...?" header after an item column is that item's follow-up; a
    column named twice keeps the first; unmapped headers are reported as ignored.
    """
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    units: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    budget_columns: dict[int, tuple[str, str, str]] = {}
    previous_item: str | None = None
    for idx, cell in enumerate(row):
        text = clean_text(cell)
        if text is None:
            continue
        column = match_header(text)
        key = normalise_key(text)
        if column is None and key.startswith(("if not", "if no ")) and previous_item in FOLLOWUP_OF_ITEM:
            column = FOLLOWUP_OF_ITEM[previous_item]
        if column is None:
            fy = find_fiscal_year(text) if _BUDGET_WORD.search(key) else None
            if fy:
                unit = next((u for pattern, u in _UNIT_IN_HEADER if pattern.search(key)), "crore")
                budget_columns[idx] = (fy, unit, text)
                continue
            ignored.append(text)
            continue
        if column in labels:
            duplicates.append(text)
            continue
        columns[idx] = column
        labels[column] = text
        if column in ITEMS:
            previous_item = column
        for pattern, unit in _UNIT_IN_HEADER:
            if pattern.search(key):
                units[column] = unit
                break
    return HeaderMap(columns, labels, units, tuple(ignored), tuple(duplicates), budget_columns)


#: A header that names a budget (with a fiscal year in it) in a programme table.
_BUDGET_WORD = re.compile(r"\b(?:budget|allocation|allocated|outlay)\b|বরাদ্দ|বাজেট")


def _budget_key(fiscal_year: str) -> str:
    return f"_budget {fiscal_year}"


def budget_sheets(sheet: FormSheet) -> list[FormSheet]:
    """The budget columns of a programme sheet as budget tables, one per column: each
    row's programme (and ministry, when the sheet names one) with the column's amount
    for its fiscal year, the unit from its header; same file, sheet and rows."""
    out = []
    keep: dict[str, str] = {c: sheet.header.labels[c] for c in ("programme", "ministry") if c in sheet.header.labels}
    index_of = {col: idx for idx, col in sheet.header.columns.items()}
    for idx, (fy, unit, text) in sorted(sheet.header.budget_columns.items()):
        key = _budget_key(fy)
        header = HeaderMap({**{index_of[c]: c for c in keep}, idx: "budget_crore"},
                           {**keep, "budget_crore": text}, {"budget_crore": unit}, ())
        records = [RawRecord(r.source_row, {**{c: r.values[c] for c in keep if c in r.values},
                                            "budget_crore": r.values[key]}, r.cells)
                   for r in sheet.records if key in r.values]
        if records:
            out.append(FormSheet(sheet.source_file, sheet.source_sheet, BUDGET, sheet.header_row, header,
                                 sheet.title_ministry, fy, records, name_date=sheet.name_date))
    for r in sheet.records:  # the programme rows keep only the form's columns
        for fy, _unit, _text in sheet.header.budget_columns.values():
            r.values.pop(_budget_key(fy), None)
    return out


def sheet_kind(header: HeaderMap, title_fy: str | None = None) -> str | None:
    """``programmes``, ``budget`` or ``None`` (not a form) from the mapped columns."""
    cols = set(header.labels)
    if "programme" not in cols:
        return None
    if cols & ANSWER_COLUMNS:
        return PROGRAMMES
    if cols & BUDGET_VALUE_COLUMNS and ("fiscal_year" in cols or title_fy):
        return BUDGET
    return None


def _is_header(header: HeaderMap) -> bool:
    n = len(header.labels)
    return n >= MIN_HEADER_MATCHES or (n >= 2 and "programme" in header.labels)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _serial(value: object) -> bool:
    """A bare serial number ("1", "2.", "(3)") in an extra column of an empty row."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and re.fullmatch(r"\s*\(?\d{1,4}[.)]?\s*", value) is not None


def read_sheet(
    rows: Iterator[tuple[int, Row]], source_file: str, source_sheet: str
) -> tuple[FormSheet | None, str | None]:
    """Find the header, decide the kind and collect the records of one sheet.

    Returns ``(sheet, None)``, or ``(None, reason)`` when the sheet is not a form
    (``reason`` is ``None`` for an empty sheet).
    """
    header, header_row, above = _find_header(rows)
    if header is None:
        if not above:
            return None, None
        return None, Reason.of(
            N_("not an assessment form or budget table: no header row with the form's column "
               "labels (Programme name, Ministry/Division, ...) in the first {n} rows"),
            n=HEADER_SEARCH_ROWS,
        )
    title_ministry, title_fy = _title_clues(above)
    kind = sheet_kind(header, title_fy)
    if kind is None:
        return None, Reason.of(
            N_("not an assessment form or budget table: row {row} names {found}, but a form needs "
               "Programme name with answer columns, or Programme name, Fiscal year and Budget/Beneficiaries"),
            row=header_row, found=", ".join(header.labels.values()),
        )
    sheet = FormSheet(source_file, source_sheet, kind, header_row, header, title_ministry, title_fy)
    header_keys = {col: normalise_key(label) for col, label in header.labels.items()}
    for number, row in rows:
        values, cells, extra_content = _row_values(row, header)
        if not values and not extra_content:
            sheet.blank_rows += bool(cells)  # serial numbers only: an unused form row
            continue
        repeats = sum(1 for col, v in values.items() if col in header_keys and normalise_key(str(v)) == header_keys[col])
        if repeats >= MIN_HEADER_MATCHES:
            continue  # the header repeated (a pasted second block): not data
        sheet.records.append(RawRecord(number, values, cells))
    return sheet, None


def _find_header(rows: Iterator[tuple[int, Row]]) -> tuple[HeaderMap | None, int, list[tuple[int, Row]]]:
    """Read ``rows`` up to the header row (within the first ``HEADER_SEARCH_ROWS``):
    ``(header, its row number, the non-blank rows above it)``; ``(None, 0, rows above)``
    when there is none. ``rows`` is left just after the header, where the records start."""
    above: list[tuple[int, Row]] = []
    for number, row in rows:
        if all(_blank(v) for v in row):
            if number > HEADER_SEARCH_ROWS:
                break
            continue
        filled = sum(not _blank(v) for v in row)
        if filled > config.MAX_HEADER_COLUMNS:
            raise SheetTooLarge(
                N_("row {row} has {n:,} filled cells, over the limit of {limit:,} columns "
                   "({setting} in {config}): not read"),
                row=number, n=filled, limit=config.MAX_HEADER_COLUMNS, setting="MAX_HEADER_COLUMNS",
                config=CONFIG_FILE)
        candidate = map_header(row)
        if _is_header(candidate):
            return candidate, number, above
        above.append((number, row))
        if number >= HEADER_SEARCH_ROWS:
            break
    return None, 0, above


def _title_clues(above: list[tuple[int, Row]]) -> tuple[Ministry | None, str | None]:
    """The ministry and fiscal year a sheet's title rows (above the header) name."""
    title_texts = [t for _, row in above for t in (clean_text(v) for v in row) if t]
    title_ministry = next((m for t in title_texts if (m := match_ministry(t))), None) or next(
        (m for t in title_texts if (m := find_ministry(t))), None
    )
    title_fy = next((fy for t in title_texts if (fy := find_fiscal_year(t))), None)
    return title_ministry, title_fy


def _row_values(row: Row, header: HeaderMap) -> tuple[dict[str, object], list[str], bool]:
    """One data row: its values by form column (a budget column's under its fiscal
    year's key), the text of every filled cell, and whether a cell outside the form's
    columns holds more than a serial number."""
    values: dict[str, object] = {}
    cells: list[str] = []
    extra_content = False
    for idx, value in enumerate(row):
        if _blank(value):
            continue
        text = clean_text(value) or ""
        cells.append(text)
        column = header.columns.get(idx)
        if column is not None:
            values[column] = value
        elif idx in header.budget_columns:
            values[_budget_key(header.budget_columns[idx][0])] = value
        elif not _serial(value):
            extra_content = True
    return values, cells, extra_content


def workbook_modified_date(path: Path) -> str | None:
    """The ``modified`` date a workbook records about itself (``docProps/core.xml``,
    what openpyxl reads as ``wb.properties.modified``) as ``YYYY-MM-DD``; None when
    absent or unreadable. Read from the package, not the file system: a copy or a
    checkout changes the file's time, not this."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            if z.getinfo("docProps/core.xml").file_size > MAX_XLSX_PART_BYTES:
                return None  # a zip bomb in the properties is not read here either
            root = ElementTree.fromstring(z.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    node = root.find("{http://purl.org/dc/terms/}modified")
    text = (node.text or "").strip() if node is not None else ""
    return find_date(text[:10]) if text else None


def _capped(names: tuple[str, ...], shown: int | None = None) -> str:
    """Names joined with ", ", at most ``MAX_IGNORED_SHOWN`` of them, then "and N more"."""
    shown = config.MAX_IGNORED_SHOWN if shown is None else shown
    text = ", ".join(names[:shown])
    return text + (f" and {len(names) - shown:,} more" if len(names) > shown else "")


def unreadable(form: FormFile, exc: Exception) -> FormFile:
    """``form`` emptied and carrying why its file could not be read: the reader's own
    reason, or any other failure named with its type (one file never stops a run)."""
    if isinstance(exc, FormReadError):
        form.error = exc.why
    else:
        detail = " ".join(str(exc).split())[:200]
        form.error = Reason.of(N_("could not be read ({error}: {detail})"), error=type(exc).__name__, detail=detail)
    form.sheets.clear()
    return form


def read_form_file(path: Path, raw_dir: Path) -> FormFile:
    """Read one raw file into sheets of records; never raises for bad input:
    ``FormFile.error`` holds the one-line problem instead."""
    source_file = path.relative_to(raw_dir).as_posix()
    form = FormFile(source_file)
    _name_clues(form, path, raw_dir)
    not_forms: list[str] = []
    refused: list[str] = []  # sheets over a limit: each a quarantine line
    sheets: Iterator[tuple[str, Iterator[tuple[int, Row]]]] = iter(())
    try:
        sheets = _open_sheets(form, path)
        any_sheet = False
        for name, rows_iter in sheets:
            any_sheet = True
            if _helper_sheet(name):
                continue
            try:
                sheet, reason = read_sheet(rows_iter, source_file, name)
            except SheetTooLarge as exc:  # this sheet refused whole; the others are read
                if not name:
                    raise
                refused.append(Reason.of(N_("sheet {sheet}: {problem}"), sheet=name, problem=exc.why))
                continue
            if sheet is not None:
                _add_sheet(form, sheet, name)
            elif reason is not None:
                not_forms.append(
                    Reason.of(N_("sheet {sheet}: {problem}"), sheet=name, problem=reason) if name else reason
                )
        if not any_sheet:
            raise FormReadError(N_("the workbook has no worksheets"))
    except Exception as exc:  # any failure of a reader is this file's problem
        return unreadable(form, exc)
    finally:
        if hasattr(sheets, "close"):
            sheets.close()  # closes the workbook even when reading stopped half-way
    return _sheets_read(form, not_forms, refused)


def _name_clues(form: FormFile, path: Path, raw_dir: Path) -> None:
    """The ministry, fiscal year and received date the file's name and folders give
    (nearest first), the date a workbook records about itself before any."""
    stem_parts = [path.stem, *(p.name for p in path.relative_to(raw_dir).parents if p.name)]  # nearest first
    form.name_ministry = next((m for p in stem_parts if (m := find_ministry(p))), None)
    form.name_fy = next((fy for p in stem_parts if (fy := find_fiscal_year(p))), None)
    form.received_date = (
        None if path.suffix.lower() == ".csv" else workbook_modified_date(path)
    ) or next((d for p in stem_parts if (d := find_date(p))), None)


def _open_sheets(form: FormFile, path: Path) -> Iterator[tuple[str, Iterator[tuple[int, Row]]]]:
    """The file's sheets as ``(name, rows)``: a CSV file is one sheet with no name
    (its encoding, and how it was decoded, noted on ``form``)."""
    if path.suffix.lower() != ".csv":
        return _xlsx_sheets(path, form.bad_cells)
    csv_read = read_csv_rows(path)
    form.encoding, form.bad_cells = csv_read.encoding, csv_read.bad
    if form.encoding == "Windows-1252":
        form.messages.append("read as Windows-1252 text (not UTF-8)")
    elif form.encoding.startswith("mixed"):
        form.messages.append(f"decoded line by line: {form.encoding}")
    return iter([("", iter(csv_read.rows))])


def _add_sheet(form: FormFile, sheet: FormSheet, name: str) -> None:
    """A sheet that is a form, with the budget sheets its budget columns make and the
    notes on the columns it ignored or found twice."""
    sheet.name_date = find_date(name) if name else None
    form.sheets.append(sheet)
    if sheet.kind == PROGRAMMES and sheet.header.budget_columns:
        form.sheets.extend(budget_sheets(sheet))
    if sheet.header.ignored:
        where = f"sheet {name}: " if name else ""
        form.messages.append(f"{where}ignored columns not in the form: {_capped(sheet.header.ignored)}")
    if sheet.header.duplicates:
        form.messages.append(
            f"sheet {name}: columns named twice, the first kept: {', '.join(sheet.header.duplicates)}"
        )


def _sheets_read(form: FormFile, not_forms: list[str], refused: list[str]) -> FormFile:
    """The file once every sheet is read: the sheets refused for a limit become
    quarantine lines when others were read; with no form sheet, the one-line error."""
    if not form.sheets and refused:
        not_forms = refused + not_forms
    elif refused:  # the other sheets were read: each refused one is a quarantine line
        form.bad_cells.extend(BadCell(0, "", "", why) for why in refused)
    if not form.sheets:
        if len(not_forms) == 1:
            form.error = not_forms[0]
        elif not_forms:
            form.error = Reason.of(N_("no sheet is an assessment form or budget table ({problems})"),
                                   problems=Words(tuple(not_forms), "; "))
        else:
            form.error = Reason.of(N_("has no data (every sheet is empty)"))
        return form
    form.messages.extend(f"{n} (ignored)" for n in not_forms)
    return form
