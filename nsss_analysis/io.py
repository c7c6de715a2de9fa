"""Reading and writing the processed tables: atomic writes, formula-safe CSV.

Every file the workbench writes goes through here, so that an interrupted run
leaves the last good outputs intact (write to a temporary file in the same folder,
then ``os.replace``) and text from forms can never become a spreadsheet formula.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nsss_analysis.config import PROCESSED_DIR
from nsss_analysis.errors import NsssError
from nsss_analysis.config import TABLES

#: A cell starting with one of these is read as a formula by Excel/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    On any error (or Ctrl-C) the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes files private (0600); give them the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: Path | str, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def write_parquet_atomic(df: pd.DataFrame, target: Path | str) -> None:
    with atomic_path(target) as tmp:
        df.to_parquet(tmp, index=False)


def formula_safe(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula.

    A leading ``'`` is the convention Excel and LibreOffice show as text.

    >>> formula_safe("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> formula_safe("-5")
    '-5'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            float(value.replace(",", ""))
            return value  # a plain negative number is data, not a formula
        except ValueError:
            return "'" + value
    return value


def formula_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Apply :func:`formula_safe` to every text column (for CSV/XLSX meant for people)."""
    out = df.copy()
    for col in out.select_dtypes(include=["str", "object"]).columns:
        out[col] = out[col].map(formula_safe)
    return out


def write_csv_atomic(df: pd.DataFrame, target: Path | str) -> None:
    """Write a CSV for people to open: UTF-8 with BOM (Excel reads Bangla), formula-safe."""
    buf = io.StringIO()
    formula_safe_frame(df).to_csv(buf, index=False)
    write_bytes_atomic(target, buf.getvalue().encode("utf-8-sig"))


def load_processed(name: str, processed_dir: Path | str = PROCESSED_DIR) -> pd.DataFrame:
    """Load one processed table by name (``assessments``, ``budgets``, ``scores`` ...).

    List columns come back as Python lists; a missing optional table raises
    ``FileNotFoundError`` naming the command that makes it.

    >>> assessments = load_processed("assessments")  # doctest: +SKIP
    """
    processed_dir = Path(processed_dir)
    file = TABLES.get(name, name if "." in name else f"{name}.parquet")
    path = processed_dir / file
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such table; run `nsss clean` (then `nsss score`) first"
        )
    if path.suffix == ".csv":
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if "source_row" in df.columns:
            df["source_row"] = pd.to_numeric(df["source_row"], errors="coerce").astype("Int64")
        return df
    df = pd.read_parquet(path)
    for col in df.columns:
        if df[col].dtype == object and len(df) and hasattr(df[col].iloc[0], "tolist"):
            df[col] = df[col].map(lambda v: list(v) if v is not None else [])
    return df


@dataclass
class Tables:
    """The processed tables, loaded once: ``assessments`` and ``scores`` always; the
    others are None when the stage that writes them has not run (no budgets, no MIS
    extract)."""

    assessments: pd.DataFrame
    scores: pd.DataFrame | None = None
    budgets: pd.DataFrame | None = None
    quarantine: pd.DataFrame | None = None
    conflicts: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None
    coverage_by_sex: pd.DataFrame | None = None
    coverage_quality: pd.DataFrame | None = None


def read_optional(name: str, processed_dir: Path | str) -> pd.DataFrame | None:
    """A processed table by name, or None when it has not been written."""
    try:
        return load_processed(name, processed_dir)
    except FileNotFoundError:
        return None


def read_required(name: str, processed_dir: Path | str) -> pd.DataFrame:
    """A processed table by name, or a one-line error naming the command that makes it."""
    table = read_optional(name, processed_dir)
    if table is None:
        file = TABLES.get(name, f"{name}.parquet")
        raise NsssError(f"{Path(processed_dir) / file}: not found; run `{MADE_BY.get(name, 'nsss build')}` first")
    return table


#: The command that writes each table, for the message when one is missing.
MADE_BY = {"assessments": "nsss clean", "budgets": "nsss clean", "scores": "nsss score",
           "recommendations": "nsss score"}


def load_tables(processed_dir: Path | str = PROCESSED_DIR) -> Tables:
    """Load every processed table a report reads, once.

    >>> tables = load_tables(PROCESSED_DIR)  # doctest: +SKIP
    """
    return Tables(
        assessments=read_required("assessments", processed_dir),
        scores=read_required("scores", processed_dir),
        **{name: read_optional(name, processed_dir)
           for name in ("budgets", "quarantine", "conflicts", "recommendations",
                        "coverage_by_sex", "coverage_quality")},
    )
