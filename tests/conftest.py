"""Shared fixtures: small forms written to tmp_path (workbooks and CSV files), and the
suite's pinned environment.

The suite pins the language and the locale before any test module is imported: the
reports' language defaults to ``$NSSS_LANGUAGE``, so a developer's ``NSSS_LANGUAGE=bn``
(or a Bangla system locale) must not change what the tests expect. Tests that are about
the variable set it themselves (``monkeypatch.setenv``); the notebooks' kernels inherit
the pinned values. Each test starts in the environment's language, whatever the test
before it set (:func:`nsss_analysis.reference.i18n.set_language`).
"""

from __future__ import annotations

import csv
import os

os.environ["NSSS_LANGUAGE"] = "en"
os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)  # gettext's own variable, read before LC_ALL
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from nsss_analysis.reference import i18n
from nsss_analysis.reference.vocab import load_reference

PROGRAMME_COLUMNS = [c.column for c in load_reference().columns_of("Programmes")]
PROGRAMME_LABELS = [c.label for c in load_reference().columns_of("Programmes")]


@pytest.fixture(autouse=True)
def _environment_language():
    """Every test starts, and leaves the next one, in the environment's language."""
    i18n.forget_language()
    yield
    i18n.forget_language()


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


@pytest.fixture
def write_xlsx() -> Callable[..., Path]:
    """``write_xlsx(path, {"Programmes": [[...], ...]})``: rows as lists, ``None`` blank.

    Text starting with ``=`` is stored as text, not as a formula (as a ministry's
    Excel would keep a typed, quoted value).
    """

    def write(path: Path, sheets: dict[str, list[list]]) -> Path:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value is None:
                        continue
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path

    return write


@pytest.fixture
def write_csv() -> Callable[..., Path]:
    """``write_csv(path, rows, encoding="utf-8", delimiter=",")`` with the csv module."""

    def write(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter=delimiter).writerows(rows)
        return path

    return write


@pytest.fixture
def form_row() -> Callable[..., list]:
    """A Programmes row in template order from ``column=value`` keywords."""

    def row(**values: object) -> list:
        unknown = set(values) - set(PROGRAMME_COLUMNS)
        assert not unknown, unknown
        return [values.get(c) for c in PROGRAMME_COLUMNS]

    return row

