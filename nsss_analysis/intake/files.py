"""Finding the raw files and reading their rows: the I/O edge of intake.

Workbooks are opened with openpyxl (read-only), CSV files are decoded (UTF-8 with or
without BOM, UTF-16, Windows-1252) and split with a sniffed delimiter; every sheet
comes out as numbered rows of raw cell values, which :mod:`nsss_analysis.intake.forms`
turns into records."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

#: File types read as forms; anything else in the raw folder is reported as skipped.
FORM_SUFFIXES = (".xlsx", ".xlsm", ".csv")


#: Folders of the raw area that hold other inputs (MIS extracts: `nsss beneficiaries`).
SKIPPED_FOLDERS = ("mis",)


class FormReadError(Exception):
    """A file that cannot be read at all; the message is one line for the user."""


def find_form_files(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every form file under ``raw_dir`` (recursively, sorted), and the other files
    skipped. Hidden files, Excel lock files (``~$``) and the ``mis/`` folder are
    left out silently."""
    forms: list[Path] = []
    skipped: list[Path] = []
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if rel.parts[0].lower() in SKIPPED_FOLDERS or not path.is_file():
            continue
        if path.name.startswith("~$"):
            continue
        (forms if path.suffix.lower() in FORM_SUFFIXES else skipped).append(path)
    return forms, skipped


Row = tuple[object, ...]


def _xlsx_sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, Row]]]]:
    head = path.read_bytes()[:8]
    if not head:
        raise FormReadError("the file is empty (0 bytes)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormReadError(
            "the workbook is password-protected or in the old Excel 97-2003 format; "
            "remove the password or save it as .xlsx, then run again"
        )
    if not head.startswith(b"PK"):
        raise FormReadError(
            "not an Excel workbook (the file is not an .xlsx package); open it in Excel and save it as .xlsx"
        )
    import openpyxl  # imported where needed: a CSV-only run does not pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FormReadError(
            f"the workbook is corrupt and cannot be opened ({type(exc).__name__}); save it again from Excel"
        ) from None
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            ws.reset_dimensions()  # some tools write wrong dimensions; read every row

            def rows(ws=ws) -> Iterator[tuple[int, Row]]:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    yield from enumerate(ws.iter_rows(values_only=True), start=1)

            yield ws.title, rows()
    finally:
        wb.close()


def _decode(data: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding used: UTF-8 (with or without BOM),
    UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:8192]:
        raise FormReadError("not a text CSV file (it holds binary data)")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FormReadError("not a text CSV file (neither UTF-8 nor Windows-1252 text)") from None


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


def _csv_rows(path: Path) -> tuple[list[tuple[int, Row]], str]:
    data = path.read_bytes()
    if not data.strip():
        raise FormReadError("the file is empty")
    text, encoding = _decode(data)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > max(2, len(text[:8192]) // 100):
        raise FormReadError("not a text CSV file (it holds binary data)")
    if m := re.match(r"sep=(.)\r?\n", text):  # Excel's delimiter hint: not a row Excel shows
        delimiter, text = m.group(1), text[m.end() :]
    else:
        delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FormReadError(f"the CSV cannot be parsed ({exc})") from None
    # One record per csv record: a quoted cell with line breaks stays one record,
    # numbered as a spreadsheet program opening the file shows it.
    return [(number, tuple(record)) for number, record in enumerate(records, start=1)], encoding
