"""Finding the raw files and reading their rows: the I/O edge of intake.

Workbooks are opened with openpyxl (read-only) after their parts' sizes are checked;
CSV files are read streaming, decoded line by line (UTF-8 with or without BOM, else
Windows-1252; UTF-16 with a BOM whole) and split with a sniffed delimiter. A cell or
line over its limit, with NUL bytes or undecodable is a bad cell, recorded with its
reason, and the rest of the file is read. Every sheet comes out as numbered rows of
raw cell values, which :mod:`nsss_analysis.intake.forms`
turns into records."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import threading
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nsss_analysis import config
from nsss_analysis.intake.reasons import Reason
from nsss_analysis.io import file_digest
from nsss_analysis.reference.i18n import N_

#: Where the limits on a submission's size are set (named in the reasons).
CONFIG_FILE = "nsss_analysis/config.py"

#: File types read as forms; anything else in the raw folder is reported as skipped.
FORM_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".zip")


#: Folders of the raw area that hold other inputs (MIS extracts: `nsss beneficiaries`).
SKIPPED_FOLDERS = ("mis", "action-plans")


class FormReadError(Exception):
    """A file that cannot be read at all; the message is one line for the user, and
    :attr:`why` the same with its message id and values."""

    def __init__(self, reason_id: str, **values: object):
        self.why = Reason.of(reason_id, **values)
        super().__init__(str(self.why))


class SheetTooLarge(FormReadError):
    """A sheet over the rows or columns limit: refused whole, the file's other sheets read."""


def too_many_rows() -> SheetTooLarge:
    return SheetTooLarge(N_("more than {limit:,} rows ({setting} in {config}): not read"),
                         limit=config.MAX_SHEET_ROWS, setting="MAX_SHEET_ROWS", config=CONFIG_FILE)


def not_a_submission(name: str) -> bool:
    """Files the data contract says are not submissions: left out silently."""
    return name.startswith((".", "~$")) or name.upper().startswith("README") or name == "SYNTHETIC"


@dataclass
class RawFiles:
    """What is under the raw folder: the forms to read, the other files skipped, and
    every path not read with its reason (unreadable folder, dangling or looping link,
    a byte-for-byte copy of an earlier file), as ``(relative path, reason)``."""

    forms: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    not_read: list[tuple[str, str]] = field(default_factory=list)


def find_raw_files(raw_dir: Path) -> RawFiles:
    """Walk ``raw_dir`` (sorted, following links once); nothing is left out silently
    but what the data contract says is not a submission and the ``mis/`` folder."""
    walk = _Walk(Path(raw_dir))
    # Depth first, in sorted order, as a recursive walk would go, without recursion.
    stack = [walk.raw_dir]
    while stack:
        stack.extend(reversed(walk.folder(stack.pop())))
    return walk.found


@dataclass
class _Walk:
    """One walk of the raw folder (:func:`find_raw_files`): what it found so far, the
    folders already read (a link looping back is read once) and the first file of
    each content digest (a byte-for-byte copy is not read again)."""

    raw_dir: Path
    found: RawFiles = field(default_factory=RawFiles)
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)
    first_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A folder is known by its device and inode (``os.stat`` follows links): a link back
        # to a folder already read is found in one call, where ``realpath`` would resolve
        # every parent again (quadratic in the depth: minutes for a folder 1,100 deep).
        self.seen_dirs.add(_folder_identity(self.raw_dir))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.raw_dir).as_posix()

    def folder(self, folder: Path) -> list[Path]:
        """Read one folder; return its sub-folders to read (a stack, never recursion:
        a submission 1,100 folders deep is read like any other)."""
        found = self.found
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            why = (Reason.of(N_("the folder cannot be opened (permission denied)"))
                   if isinstance(exc, PermissionError)
                   else Reason.of(N_("the folder cannot be opened ({error})"), error=exc.strerror or str(exc)))
            found.not_read.append((self.rel(folder) + "/", why))
            return []
        folders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            if not_a_submission(entry.name):
                continue
            if folder == self.raw_dir and entry.name.lower() in SKIPPED_FOLDERS:
                continue
            if entry.is_symlink() and not path.exists():
                found.not_read.append((self.rel(path), Reason.of(N_("a link to nothing (dangling link)"))))
                continue
            if path.is_dir():
                real = _folder_identity(path)
                if real in self.seen_dirs:
                    found.not_read.append(
                        (self.rel(path) + "/", Reason.of(N_("a link looping back to a folder already read")))
                    )
                    continue
                self.seen_dirs.add(real)
                folders.append(path)
            elif not path.is_file():
                found.not_read.append((self.rel(path), Reason.of(N_("not a regular file"))))
            elif path.suffix.lower() not in FORM_SUFFIXES:
                found.skipped.append(path)
            else:
                self.form(path)
        return folders

    def form(self, path: Path) -> None:
        """A form file: read, unless it has the same bytes as one read before."""
        try:
            digest = file_digest(path) if path.stat().st_size else None
        except OSError:
            self.found.forms.append(path)  # its reader says why it cannot be read
            return
        if digest is None:  # an empty file: its reader says so
            self.found.forms.append(path)
            return
        if digest in self.first_of:
            self.found.not_read.append((self.rel(path), Reason.of(
                N_("duplicate submission: the same bytes as {first} (read once)"), first=self.first_of[digest])))
            return
        self.first_of[digest] = self.rel(path)
        self.found.forms.append(path)


def _folder_identity(path: Path) -> tuple[int, int]:
    """The folder ``path`` leads to (links followed), as its device and inode."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


def find_form_files(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every form file under ``raw_dir`` (recursively, sorted), and the other files
    skipped (see :func:`find_raw_files`)."""
    found = find_raw_files(raw_dir)
    return found.forms, found.skipped


def raw_digest(raw_dir: Path | str) -> str:
    """One hash of the submissions a clean reads (names and bytes): a generation's inputs."""
    raw_dir = Path(raw_dir)
    h = hashlib.sha256()
    for path in find_raw_files(raw_dir).forms:
        h.update(path.relative_to(raw_dir).as_posix().encode())
        try:
            h.update(file_digest(path).encode())
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > config.MAX_FILE_BYTES:
        raise FormReadError(
            N_("the file is {size:.0f} MB, over the limit of {limit:.0f} MB "
               "for one submission ({setting} in {config}): not read"),
            size=size / 1e6, limit=config.MAX_FILE_BYTES / 1e6, setting="MAX_FILE_BYTES", config=CONFIG_FILE,
        )


def _check_parts(path: Path) -> None:
    """Refuse a workbook whose parts unpack to more than the limit (a zip bomb), from
    the sizes its zip directory declares (reading never goes past them)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports a corrupt workbook
    for part in parts:
        if part.file_size > config.MAX_XLSX_PART_BYTES:
            raise FormReadError(
                N_("the workbook's part {part} unpacks to {size:.0f} MB, over the limit of "
                   "{limit:.0f} MB ({setting} in {config}): not read"),
                part=part.filename, size=part.file_size / 1e6, limit=config.MAX_XLSX_PART_BYTES / 1e6,
                setting="MAX_XLSX_PART_BYTES", config=CONFIG_FILE,
            )
    total = sum(p.file_size for p in parts)
    if total > 4 * config.MAX_XLSX_PART_BYTES:
        raise FormReadError(
            N_("the workbook unpacks to {size:.0f} MB, over the limit of {limit:.0f} MB: not read"),
            size=total / 1e6, limit=4 * config.MAX_XLSX_PART_BYTES / 1e6,
        )


@dataclass
class BadCell:
    """A cell or line not read; the rest of the file is. ``column`` is the cell's
    1-based position ("" for a whole line)."""

    row: int
    column: str
    value: str
    reason: str
    #: For a line found bad while decoding: its line in the file (``row`` becomes the
    #: record it belongs to, as a spreadsheet program numbers rows).
    line: int | None = None


def _guard_cells(number: int, row: tuple, bad: list[BadCell]) -> tuple:
    """The row with every over-long cell blanked and recorded as a bad cell."""
    if not any((isinstance(v, str) and (len(v) > config.MAX_CELL_CHARS or "\x00" in v))
               or isinstance(v, NoCachedValue) for v in row):
        return row
    out = list(row)
    for i, v in enumerate(row):
        if isinstance(v, NoCachedValue):
            bad.append(BadCell(number, str(i + 1), v.formula[:80], Reason.of(
                N_("a formula with no calculated value saved in the workbook (open it in Excel, "
                   "let it calculate and save it, or type the answer): not read"))))
            out[i] = None
            continue
        if not isinstance(v, str):
            continue
        if len(v) > config.MAX_CELL_CHARS:
            bad.append(BadCell(number, str(i + 1), v[:80] + "...", Reason.of(
                N_("cell of {n:,} characters, over Excel's limit of {limit:,}: not read"),
                n=len(v), limit=config.MAX_CELL_CHARS)))
            out[i] = None
        elif "\x00" in v:
            bad.append(BadCell(number, str(i + 1), v.replace("\x00", "\\0")[:80],
                               Reason.of(N_("cell holds NUL bytes (binary data): not read"))))
            out[i] = None
    return tuple(out)


Row = tuple[object, ...]


def _xlsx_sheets(path: Path, bad: list[BadCell] | None = None) -> Iterator[tuple[str, Iterator[tuple[int, Row]]]]:
    bad = [] if bad is None else bad
    _check_size(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        raise FormReadError(N_("the file is empty (0 bytes)"))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormReadError(
            N_("the workbook is password-protected or in the old Excel 97-2003 format; "
               "remove the password or save it as .xlsx, then run again")
        )
    if not head.startswith(b"PK"):
        raise FormReadError(
            N_("not an Excel workbook (the file is not an .xlsx package); open it in Excel and save it as .xlsx")
        )
    _check_parts(path)
    import openpyxl  # imported where needed: a CSV-only run does not pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with _no_dimension_scan():
                wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FormReadError(
            N_("the workbook is corrupt and cannot be opened ({error}); save it again from Excel"),
            error=type(exc).__name__,
        ) from None
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            yield ws.title, _sheet_rows(ws, bad)
    finally:
        wb.close()


_SCAN_LOCK = threading.Lock()


@contextmanager
def _no_dimension_scan() -> Iterator[None]:
    """Open a read-only workbook without openpyxl measuring each sheet: a sheet that
    declares no dimensions is otherwise parsed whole when the workbook opens (a
    million-row sheet: minutes, and memory growing with it). The rows are streamed by
    :func:`_sheet_rows`, which needs no dimensions."""
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Unmeasured(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            return None

    with _SCAN_LOCK:
        original = excel.ReadOnlyWorksheet
        excel.ReadOnlyWorksheet = Unmeasured
        try:
            yield
        finally:
            excel.ReadOnlyWorksheet = original


@dataclass(frozen=True)
class NoCachedValue:
    """A formula cell the workbook holds no calculated value for (written by a tool
    that never calculated it): its answer is unknown, and said so."""

    formula: str


def _sheet_rows(ws, bad: list[BadCell]) -> Iterator[tuple[int, Row]]:
    """The rows of a read-only worksheet, streamed from its XML (memory stays flat
    whatever the sheet's size): row numbers as the spreadsheet shows them, missing
    rows as empty ones, whatever dimensions the file declares; a formula without a
    calculated value comes out as :class:`NoCachedValue`."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            # No <v>, or an empty one that is not a text result (t="str"): never calculated.
            if cell["value"] is None and element.find(FORMULA_TAG) is not None \
                    and not element.findtext(VALUE_TAG, None) and element.get("t") != "str":
                cell["value"] = NoCachedValue("=" + (element.findtext(FORMULA_TAG) or ""))
            return cell

        def parse_row(self, row):
            parsed = super().parse_row(row)
            self.row_dimensions.clear()  # row heights are not needed: memory stays flat
            return parsed

    wb = ws.parent
    with warnings.catch_warnings(), ws._get_source() as src:
        warnings.simplefilter("ignore")
        parser = Parser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        expected = 1
        for number, cells in parser.parse():
            if not cells:
                continue  # a formatted row holding no cell
            if number > config.MAX_SHEET_ROWS:
                raise too_many_rows()
            for empty in range(expected, number):
                yield empty, ()
            expected = number + 1
            row: list[object] = []
            for cell in cells:
                column = cell["column"]
                if column > len(row):
                    row.extend([None] * (column - len(row)))
                row[column - 1] = cell["value"]
            yield number, _guard_cells(number, tuple(row), bad)


def _sniff_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` or tab) that splits the first records most
    consistently into many fields."""
    sample = text[:20000]
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t"):
        widths = []
        try:
            for i, record in enumerate(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)):
                if i >= 30:
                    break
                if any(c.strip() for c in record):
                    widths.append(len(record))
        except csv.Error:
            continue
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        modal = max(set(wide), key=wide.count)
        score = wide.count(modal) * modal
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass
class CsvRead:
    rows: list[tuple[int, Row]]
    encoding: str
    bad: list[BadCell] = field(default_factory=list)


#: Of the first 8 KB, more control characters than this share mean a binary file, not
#: a CSV with a few stray bytes (which are quarantined as bad cells instead).
BINARY_SHARE = 0.05


def _lines(f, bad: list[BadCell], counts: dict[str, list[int]]) -> Iterator[str]:
    """Decoded lines of a CSV, streaming: each line UTF-8, else Windows-1252 (the
    choice counted per line); a line over the limit or undecodable is a bad line."""
    number = 0
    while True:
        raw = f.readline(config.MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > config.MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size = len(raw)
            while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                size += len(more)
            size += len(more)
            bad.append(BadCell(number, "", raw[:60].decode("utf-8", errors="replace") + "...", Reason.of(
                N_("line {line} is {size:,} bytes, over the limit of {limit:,} "
                   "({setting} in {config}): not read"),
                line=number, size=size, limit=config.MAX_LINE_BYTES, setting="MAX_LINE_BYTES", config=CONFIG_FILE),
                line=number))
            yield "\n"
            continue
        try:
            text = raw.decode("utf-8")
            if any(b >= 0x80 for b in raw):
                counts["UTF-8"].append(number)
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
                counts["Windows-1252"].append(number)
            except UnicodeDecodeError:
                bad.append(BadCell(number, "", raw[:60].decode("utf-8", errors="replace"),
                                   Reason.of(N_("line {line} is neither UTF-8 nor Windows-1252 text: not read"),
                                             line=number), line=number))
                yield "\n"
                continue
        yield text


def read_csv_rows(path: Path) -> CsvRead:
    """The records of a CSV file, read streaming; bad lines and cells are recorded in
    ``bad`` and the rest of the file is read."""
    _check_size(path)
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip():
        raise FormReadError(N_("the file is empty"))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = path.read_bytes().decode("utf-16")
        return _parse(io.StringIO(text, newline=""), "UTF-16", [], text[:20000])
    controls = sum(1 for b in head if b < 32 and b not in b"\t\r\n")
    if controls > max(8, len(head) * BINARY_SHARE):
        raise FormReadError(N_("not a text CSV file (it holds binary data)"))
    bad: list[BadCell] = []
    counts: dict[str, list[int]] = {"UTF-8": [], "Windows-1252": []}
    with open(path, "rb") as f:
        bom = f.read(3) == b"\xef\xbb\xbf"
        if not bom:
            f.seek(0)
        sample = "".join(_sample_lines(f))
        f.seek(3 if bom else 0)
        read = _parse(_lines(f, bad, counts), "", bad, sample)
    utf8, cp1252 = counts["UTF-8"], counts["Windows-1252"]
    if cp1252 and utf8:
        shown = ", ".join(str(n) for n in cp1252[:5]) + (" ..." if len(cp1252) > 5 else "")
        read.encoding = f"mixed: UTF-8, and Windows-1252 on {len(cp1252)} line(s) ({shown})"
    elif cp1252:
        read.encoding = "Windows-1252"
    else:
        read.encoding = "UTF-8 with BOM" if bom else "UTF-8"
    return read


def _sample_lines(f) -> Iterator[str]:
    """About 20 KB of decoded text from the start, to sniff the delimiter."""
    size = 0
    while size < 20000 and (raw := f.readline(config.MAX_LINE_BYTES)):
        size += len(raw)
        yield raw.decode("utf-8", errors="replace")


class _Numbered:
    """The decoded lines a CSV reader pulls, numbered as they are in the file, with
    lines put back to be read again (after a record found to swallow rows)."""

    def __init__(self, lines: Iterator[str], first_number: int):
        self.lines = iter(lines)
        self.next_number = first_number
        self.pending: list[tuple[int, str]] = []  # put back, in reverse order
        self.taken: list[tuple[int, str]] = []  # since the last record began

    def __iter__(self) -> _Numbered:
        return self

    def __next__(self) -> str:
        if self.pending:
            number, text = self.pending.pop()
        else:
            text = next(self.lines)
            number, self.next_number = self.next_number, self.next_number + 1
        self.taken.append((number, text))
        return text

    def put_back(self, lines: list[tuple[int, str]]) -> None:
        self.pending.extend(reversed(lines))


def _swallowed(record: list[str], lines: list[tuple[int, str]], delimiter: str, width: int) -> str | None:
    """Why a record that spans several lines is not one row with a multi-line cell:
    a quote opened and never closed (an odd number of quotes: the reader took every
    line to the end of the file), or a cell whose lines read as rows of the table."""
    if len(lines) < 2:
        return None
    if sum(text.count('"') for _, text in lines) % 2:
        return Reason.of(
            N_("line {line} opens a quote that is never closed, which would make the {n} line(s) "
               "after it one cell: line {line} not read, the lines after it read as rows"),
            line=lines[0][0], n=len(lines) - 1)
    if width >= 3 and any(text.count(delimiter) >= width - 1 for _, text in lines[1:]):
        return Reason.of(
            N_("a cell quoted from line {line} to line {last} swallows lines that read as rows "
               "(a quote missing or misplaced): line {line} not read, the lines after it read as rows"),
            line=lines[0][0], last=lines[-1][0])
    return None


def _parse(lines, encoding: str, bad: list[BadCell], sample: str) -> CsvRead:
    first, rest = _split_first(lines)
    if m := re.match(r"sep=(.)\r?\n", first):  # Excel's delimiter hint: not a row Excel shows
        delimiter = m.group(1)
        source = _Numbered(rest, 2)
    else:
        delimiter = _sniff_delimiter(sample)
        source = _Numbered(_chain(first, rest), 1)
    csv.field_size_limit(max(config.MAX_LINE_BYTES, 131072) * 4)
    reader = csv.reader(source, delimiter=delimiter)
    rows: list[tuple[int, Row]] = []
    number = 0
    record_of: dict[int, int] = {}  # line of the file -> record (row) it was read in
    width = 0  # the widest one-line record so far: what a row of this table looks like
    # One record per csv record: a quoted cell with line breaks stays one record,
    # numbered as a spreadsheet program opening the file shows it (a bad line found
    # while decoding is renumbered as the record it belongs to).
    while True:
        source.taken = []
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            bad.append(BadCell(number, "", "", Reason.of(N_("record cannot be parsed ({error}): not read"),
                                                         error=str(exc))))
            continue
        number += 1
        if number > config.MAX_SHEET_ROWS:
            raise too_many_rows()
        lines = list(source.taken)
        for n, _ in lines:
            record_of[n] = number
        why = _swallowed(record, lines, delimiter, width)
        if why is not None:
            bad.append(BadCell(number, "", lines[0][1].rstrip("\r\n")[:80], why))
            source.put_back(lines[1:])
            continue
        if len(lines) == 1:
            width = max(width, len(record))
        rows.append((number, _guard_cells(number, tuple(record), bad)))
    for cell in bad:
        if cell.line is not None:
            cell.row = record_of.get(cell.line, cell.row)
    return CsvRead(rows, encoding, bad)


def _split_first(lines):
    it = iter(lines)
    return next(it, ""), it


def _chain(first: str, rest) -> Iterator[str]:
    yield first
    yield from rest
