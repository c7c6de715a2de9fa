"""Project paths and the processed tables' file names, in one place. Every command
takes these as option defaults."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout root when installed editable; override with NSSS_ROOT.
PROJECT_ROOT = Path(os.environ.get("NSSS_ROOT", PACKAGE_DIR.parent)).resolve()
RAW_DIR = PROJECT_ROOT / "data" / "raw"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REFERENCE_DIR = PACKAGE_DIR / "reference"


#: The processed tables and their file names.
TABLES = {
    "assessments": "assessments.parquet",
    "budgets": "budgets.parquet",
    "quarantine": "quarantine.csv",
    "conflicts": "conflicts.csv",
    "scores": "scores.parquet",
    "coverage_by_sex": "coverage_by_sex.parquet",
    "coverage_quality": "coverage_quality.parquet",
    "coverage_women_share": "coverage_women_share.parquet",
    "action_progress": "action_progress.parquet",
}


# --- input limits ------------------------------------------------------------------------
# A ministry's form is tens of kilobytes; these limits are a thousand times that, so a
# real submission never meets them, while a hostile or broken file (a zip bomb, a
# database dump saved as .csv) is refused before it can take the machine's memory.
#: A raw file larger than this is refused whole, in one line.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: An .xlsx part (a sheet, the shared strings) that unpacks to more than this is
#: refused whole: openpyxl holds the shared strings in memory, about 10x their size.
MAX_XLSX_PART_BYTES = 32 * 1024 * 1024
#: Excel's own limit for the text of one cell; a longer cell is quarantined alone.
MAX_CELL_CHARS = 32_767
#: A CSV line longer than this is quarantined alone (the rest of the file is read).
MAX_LINE_BYTES = 1024 * 1024
#: A sheet (or a CSV file) with more rows than this is refused whole, in one line
#: naming it: a form has tens of rows, a national budget table hundreds. Reading stops
#: at the first row over the limit, so a million-row sheet costs no more than this.
MAX_SHEET_ROWS = 20_000
#: A header row with more filled cells than this is refused with its sheet (a form has
#: about forty columns): matching thousands of headers would take minutes.
MAX_HEADER_COLUMNS = 500
#: The ignored-columns line names at most this many headers, then "and N more".
MAX_IGNORED_SHOWN = 10
