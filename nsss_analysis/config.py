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
}
