"""SYNTHETIC returned action plans for the bundled data (``data/raw/action-plans/``).

The plans are the workbench's own plan workbooks for the bundled forms, filled in as
ministries really return them: MoSW in English (sorted, a row deleted, a row added,
statuses typed by hand, text dates, one target date already past), MoWCA in Bangla
(the hidden sheet lost, Bangla statuses and digits), MoDMR twice (the later return
changes a status). Every status, date, note and feedback is invented: SYNTHETIC.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl

from nsss_analysis.intake.template import make_readable
from nsss_analysis.io import load_tables, write_bytes_atomic, write_text_atomic
from nsss_analysis.reference.plan_form import PLAN_COLUMNS, PLAN_SHEET
from nsss_analysis.report.downloads import write_downloads

#: Where the returns go, under the raw folder.
FOLDER = "action-plans"
#: The README written beside them.
README = """# Returned action plans (SYNTHETIC)

Every file here is SYNTHETIC: the workbench's own action plan workbooks for the bundled
forms, filled in by `tools/generate_action_plan_returns.py` as ministries return them
(statuses typed by hand in English and Bangla, text dates, rows sorted, added and
deleted, the hidden plan sheet lost, a ministry returning twice). No ministry returned
these plans. `nsss progress` (and `nsss build`) reads this folder into
`action_progress.parquet`.
"""
COL = {k: i for i, k in enumerate(PLAN_COLUMNS)}


def dated_workbook_bytes(wb: openpyxl.Workbook, when: datetime.datetime) -> bytes:
    """``wb`` as bytes whose own ``modified`` date (the received date) is ``when``, with
    fixed zip entry times, so the same call gives the same bytes."""
    wb.properties.created = when
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps `modified` with the current time: set it below
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def sent_plan(tables, code: str, folder: Path, language: str = "en"):
    """The plan the workbench sends ``code``: (workbook, header, data rows as lists)."""
    with contextlib.redirect_stdout(io.StringIO()):
        _data, plan = write_downloads(tables, code, folder, code.lower(), code, language=language)
    wb = openpyxl.load_workbook(plan)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    return wb, rows[0], rows[1:]


def returned_workbook(header: list, rows: list[list], sent: openpyxl.Workbook | None = None,
                      title: str = "") -> openpyxl.Workbook:
    """A returned workbook in a ministry's own layout: an optional title row, the header
    and ``rows`` on one sheet; the plan's hidden sheet copied from ``sent`` when given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if sent is not None:
        hidden = wb.create_sheet(PLAN_SHEET)
        for r in sent[PLAN_SHEET].iter_rows(values_only=True):
            hidden.append(list(r))
        hidden.sheet_state = "hidden"
    return wb


def _set(row: list, **cells) -> list:
    for key, value in cells.items():
        row[COL[key]] = value
    return row


def generate_returns(tables, out_raw: Path) -> list[Path]:
    """Write the SYNTHETIC returns for ``tables`` (the bundled data's processed tables)
    into ``<out_raw>/action-plans/``; return the files written."""
    folder = Path(out_raw) / FOLDER
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        sent_dir = Path(tmp)

        # MoSW, English: filled in, sorted by programme, a row deleted, a row added
        wb, header, rows = sent_plan(tables, "MoSW", sent_dir)
        _set(rows[0], status="completed", responsible_office="DSS, Programme Division",
             target_date="30/06/2025", progress_note="Beneficiary register now records sex (SYNTHETIC).")
        _set(rows[1], status="ongoing", responsible_office="DSS, MIS cell", target_date=datetime.datetime(2025, 12, 31),
             progress_note="Indicators drafted, awaiting approval (SYNTHETIC).")
        _set(rows[2], status="Not started", target_date="June 2026")
        _set(rows[3], status="in progress", target_date="31-03-2026", responsible_office="DSS, Training Wing")
        _set(rows[4], status="Dropped", feedback="Not for a cash allowance; suggest merging with the next action "
                                                 "(SYNTHETIC).")
        _set(rows[5], status="Done", target_date="2025-09-30")
        del rows[6]
        rows.append(_set([None] * len(header), programme=rows[0][COL["programme"]],
                         action="Train union social welfare officers on the gender guideline (SYNTHETIC).",
                         status="In progress", responsible_office="DSS, Training Wing", target_date="31/12/2026"))
        rows.sort(key=lambda r: str(r[COL["programme"]] or ""))
        written.append(_write(returned_workbook(header, rows, wb, "Ministry of Social Welfare: action plan "
                                                                  "(returned, SYNTHETIC)"),
                              folder / "MoSW_action_plan_returned_SYNTHETIC.xlsx", datetime.datetime(2026, 2, 15)))

        # MoWCA, Bangla: the hidden sheet lost, Bangla statuses and digits
        _wb, header, rows = sent_plan(tables, "MoWCA", sent_dir, language="bn")
        _set(rows[0], status="সম্পন্ন", target_date="৩০/০৬/২০২৫", responsible_office="মহিলা বিষয়ক অধিদপ্তর")
        _set(rows[1], status="চলমান", target_date="৩১/১২/২০২৫", progress_note="প্রশিক্ষণ মডিউল তৈরি হচ্ছে (কৃত্রিম)।")
        _set(rows[2], status="শুরু হয়নি", target_date="৩০/০৬/২০২৭")
        _set(rows[3], feedback="কার্যক্রমটি আরও নির্দিষ্ট হওয়া দরকার (কৃত্রিম)।")
        written.append(_write(returned_workbook(header, rows[:12]),
                              folder / "MoWCA_action_plan_returned_SYNTHETIC.xlsx", datetime.datetime(2026, 3, 10)))

        # MoDMR, twice: the later return changes a status
        wb, header, rows = sent_plan(tables, "MoDMR", sent_dir)
        first = [list(r) for r in rows]
        _set(first[0], status="in progress", target_date="31/01/2026", responsible_office="DDM, Planning")
        _set(first[1], status="not started")
        written.append(_write(returned_workbook(header, first, wb),
                              folder / "MoDMR_action_plan_returned_SYNTHETIC.xlsx", datetime.datetime(2026, 1, 20)))
        second = [list(r) for r in rows[:2]]
        _set(second[0], status="completed", target_date="31/01/2026", responsible_office="DDM, Planning",
             progress_note="Sex-disaggregated lists in use since January (SYNTHETIC).")
        _set(second[1], status="in progress", target_date="30/09/2026")
        written.append(_write(returned_workbook(header, second, wb),
                              folder / "MoDMR_action_plan_second_return_SYNTHETIC.xlsx",
                              datetime.datetime(2026, 4, 20)))
    write_text_atomic(folder / "README.md", README)
    write_text_atomic(folder / "SYNTHETIC", "Every returned plan in this folder is synthetic.\n")
    return written


def _write(wb: openpyxl.Workbook, path: Path, when: datetime.datetime) -> Path:
    write_bytes_atomic(path, dated_workbook_bytes(wb, when))
    make_readable(path)
    return path


def generate_from_raw(raw_dir: Path, out_raw: Path | None = None) -> list[Path]:
    """Clean and score ``raw_dir`` in a temporary folder, then write the returns into
    ``out_raw`` (default: ``raw_dir``)."""
    from nsss_analysis.commands import run_clean, run_score

    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        processed = Path(tmp) / "processed"
        if run_clean(raw_dir, processed) not in (0, 3) or run_score(processed) != 0:
            raise RuntimeError(f"could not clean and score {raw_dir}")
        return generate_returns(load_tables(processed), out_raw or raw_dir)
