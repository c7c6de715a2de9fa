"""The build lock, and the cleanup of temporary files an interrupted run left.

One lock file guards every command that writes the processed tables or the
reports (``clean``, ``score``, ``beneficiaries``, ``reports``, ``build``):
``<parent of the processed folder>/.nsss-build.lock``, by default
``data/.nsss-build.lock``. It is an ``flock`` on that file, so the operating system
releases it when its holder dies (even by ``kill -9``); the file also records the
holder's pid and start time, for the message a waiting run prints and for the line
saying that a dead holder's lock was taken over.

Within one process the lock is re-entrant: ``nsss build`` takes it once and the
stages it calls take it again without waiting on themselves.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import stat
import sys
import time
from pathlib import Path

from nsss_analysis.errors import NsssError
from nsss_analysis.runner import request as defaults
from nsss_analysis.runner.request import EXIT_LOCKED, now

LOCK_FILE = ".nsss-build.lock"
#: How often a waiting run tries the lock again (seconds).
LOCK_POLL_SECONDS = 0.1

log = logging.getLogger("nsss.reports")

#: Locks this process holds: resolved lock path -> [open file, depth].
_HELD: dict[str, list] = {}


def lock_path(processed: Path | str) -> Path:
    """The build lock of a processed folder: ``.nsss-build.lock`` beside it."""
    processed = Path(processed).absolute()
    return processed.parent / LOCK_FILE


def _holder(text: str) -> dict | None:
    try:
        info = json.loads(text)
        return info if isinstance(info, dict) and "pid" in info else None
    except ValueError:
        return None


class BuildLock:
    """Hold the build lock of ``path``; a second run waits ``wait`` seconds, then
    fails with exit code 75 and a message naming the holder's pid and start time."""

    def __init__(self, path: Path | str, wait: float | None = None, command: str = "nsss"):
        self.path = Path(path).absolute()
        self.wait = defaults.LOCK_WAIT_SECONDS if wait is None else wait
        self.command = command
        self.took_over: dict | None = None

    def __enter__(self) -> BuildLock:
        key = str(self.path)
        if key in _HELD:
            _HELD[key][1] += 1
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Never through a link: a planted link would have the lock truncate its target.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP or self.path.is_symlink():
                raise NsssError(
                    f"{self.path} is a link (to {os.readlink(self.path)}) where nsss keeps its lock; "
                    "nsss follows no link there: remove it", exit_code=2) from None
            if not isinstance(exc, PermissionError | NotADirectoryError | FileExistsError | IsADirectoryError):
                raise
            if isinstance(exc, IsADirectoryError):
                raise NsssError(f"{self.path} is a folder; nsss keeps its lock there: move it away",
                                exit_code=2) from None
            what = "is not a folder" if not isinstance(exc, PermissionError) else "cannot be written (permission denied)"
            raise NsssError(
                f"{self.path.parent} {what}: the processed tables, their generations and the build lock "
                f"{LOCK_FILE} are written there; give a folder you can write to",
                exit_code=2,
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise NsssError(f"{self.path} is not a file; nsss keeps its lock there: move it away", exit_code=2)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    info = _holder(_read_fd(fd))
                    os.close(fd)
                    who = f"pid {info['pid']} since {info.get('since', '?')}" if info else "pid unknown"
                    raise NsssError(
                        f"another nsss run holds the lock ({who}) on {self.path}; "
                        f"waited {self.wait:g} s, try again later",
                        exit_code=EXIT_LOCKED,
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        previous = _holder(_read_fd(fd))
        if previous and previous.get("pid") != os.getpid():
            # A clean release empties the file: a holder still named here died holding it.
            self.took_over = previous
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": now(), "command": self.command}).encode(), 0)
        _HELD[key] = [fd, 1]
        if self.took_over:
            message = (
                f"took over the lock {self.path} left by pid {self.took_over['pid']} "
                f"(started {self.took_over.get('since', '?')}, no longer running)"
            )
            log.warning(message)
            print(f"nsss: {message}", file=sys.stderr)
        return self

    def __exit__(self, *exc) -> None:
        key = str(self.path)
        held = _HELD[key]
        held[1] -= 1
        if held[1]:
            return
        del _HELD[key]
        fd = held[0]
        try:
            os.ftruncate(fd, 0)  # an empty lock file: released cleanly, nothing to take over
        except OSError:
            pass
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _read_fd(fd: int) -> str:
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", errors="replace")
    except OSError:
        return ""


def remove_stale_temporaries(out: Path) -> int:
    """Delete the ``.<name>.<random>.tmp`` files an interrupted run left (we hold the lock)."""
    removed = 0
    folders = [out, *(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))]
    for folder in folders:
        for path in folder.glob(".*.tmp"):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed += 1
    return removed
