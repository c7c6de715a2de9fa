"""The run lock, and the cleanup of temporary files an interrupted run left."""

from __future__ import annotations

import json
import os
from pathlib import Path

from nsss_analysis.errors import NsssError
from nsss_analysis.runner import request as defaults
from nsss_analysis.runner.request import EXIT_LOCKED, now

LOCK_FILE = ".nsss-reports.lock"
LOCK_INFO_FILE = ".nsss-reports.lock.json"


class RunLock:
    """``filelock`` on ``reports/.nsss-reports.lock``, with who holds it written beside.

    A second run waits ``wait`` seconds, then fails with exit code 75 and a message
    naming the holder's pid and start time.
    """

    def __init__(self, out: Path, wait: float | None = None):
        from filelock import FileLock

        self.out = Path(out)
        self.wait = defaults.LOCK_WAIT_SECONDS if wait is None else wait
        self.lock = FileLock(str(self.out / LOCK_FILE), timeout=self.wait)
        self.info = self.out / LOCK_INFO_FILE

    def __enter__(self) -> RunLock:
        from filelock import Timeout

        try:
            self.lock.acquire()
        except Timeout:
            holder = "pid unknown"
            try:
                info = json.loads(self.info.read_text(encoding="utf-8"))
                holder = f"pid {info['pid']} since {info['since']}"
            except (OSError, ValueError, KeyError, TypeError):
                pass
            raise NsssError(
                f"another nsss reports run holds the lock ({holder}) on {self.out / LOCK_FILE}; "
                f"waited {self.wait:g} s, try again later",
                exit_code=EXIT_LOCKED,
            ) from None
        try:
            self.info.write_text(json.dumps({"pid": os.getpid(), "since": now()}), encoding="utf-8")
        except OSError:
            pass
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.info.unlink(missing_ok=True)
        finally:
            self.lock.release()


def remove_stale_temporaries(out: Path) -> int:
    """Delete the ``.<name>.<random>.tmp`` files an interrupted run left (we hold the lock)."""
    removed = 0
    for folder in [out, *(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))]:
        for path in folder.glob(".*.tmp"):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed
