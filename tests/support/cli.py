"""Small raw folders and the ``nsss`` command in a child process, for the tests that
attack the workbench as a scheduler or an attacker would (synthetic forms)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

PYTHON = sys.executable
HEADER = ["Ministry", "Programme", "Graduation planned?", "Remarks"]


def form(path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> Path:
    """A CSV form at ``path``: ``header``, then ``rows``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def one_ministry(raw: Path, code: str = "MoSW", n: int = 3, prefix: str = "Programme") -> Path:
    """One ministry's form of ``n`` programmes in ``raw``."""
    return form(raw / f"{code}.csv", [[code, f"{prefix} {code} {i}", "yes" if i % 2 else "no", ""] for i in range(n)])


def nsss(project: Path, *argv: str, **env: str) -> subprocess.Popen:
    """``nsss *argv`` in a child process with ``project`` as its root (NSSS_ROOT)."""
    return subprocess.Popen([PYTHON, "-m", "nsss_analysis", *argv], env=dict(os.environ, NSSS_ROOT=str(project), **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
