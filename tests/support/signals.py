"""Waiting on a run's progress as an event, not by polling files.

The stand-in report notebooks (``support.processed``) write a line to the named pipe
in ``$NSSS_TEST_REPORT_STARTED`` as each report starts (and nothing when no test
listens). A test waits for the n-th line with ``select`` on the pipe and on the run's
process (a pidfd): it wakes when the line comes or the run exits, never on a timer; the
ceiling is a safety net against a hung run. A test that needs a run held at a point (a
lock taken, a kernel up) shuts a :class:`Gate`: each stand-in report waits on it after
announcing its start, until the test opens it.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path

#: The environment variable the stand-in notebooks read.
STARTED_VARIABLE = "NSSS_TEST_REPORT_STARTED"
#: A named pipe a stand-in report, once started, waits on until the test opens it
#: (:class:`Gate`): a report that holds its run where the test needs it, for no fixed time.
GATE_VARIABLE = "NSSS_TEST_REPORT_GATE"
#: A safety net only: a stand-in report starts within seconds.
CEILING = 600.0


class ReportStarts:
    """A named pipe the stand-in reports announce their start on."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "report-starts.fifo"
        os.mkfifo(self.path)
        self._read = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        # A writer of our own, so that the pipe never reads as closed between reports.
        self._keep = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        self.seen = 0

    @property
    def env(self) -> dict[str, str]:
        return {STARTED_VARIABLE: str(self.path)}

    def wait(self, n: int, run: subprocess.Popen, ceiling: float = CEILING) -> None:
        """Until ``n`` reports have started since this pipe was made; fails if ``run``
        exits first (with its stderr) or the ceiling passes."""
        pidfd = os.pidfd_open(run.pid)
        deadline = time.monotonic() + ceiling
        try:
            while self.seen < n:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no report started in {ceiling:g} s"
                ready, _, _ = select.select([self._read, pidfd], [], [], remaining)
                if self._read in ready:
                    self.seen += os.read(self._read, 4096).count(b"\n")
                elif pidfd in ready:
                    raise AssertionError(f"the run exited ({run.wait()}) before {n} report(s) started: "
                                         f"{run.stderr.read() if run.stderr else ''}")
        finally:
            os.close(pidfd)

    def close(self) -> None:
        os.close(self._keep)
        os.close(self._read)


class Gate:
    """A named pipe the stand-in reports wait on after they announce their start: each
    report blocks (in the kernel's ``open``) until :meth:`open` is called, or until the
    test's process ends (the pipe closes), so a run holds its lock exactly as long as
    the test needs, however loaded the machine."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "report-gate.fifo"
        os.mkfifo(self.path)
        # The test's end of the pipe, opened without waiting for a reader; kept open until
        # :meth:`open`, so that a report's read blocks instead of seeing the end.
        self._read = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._write = os.open(self.path, os.O_WRONLY)

    @property
    def env(self) -> dict[str, str]:
        return {GATE_VARIABLE: str(self.path)}

    def open(self) -> None:
        """Let every waiting (and later) report go on: the pipe reads as closed."""
        if self._write >= 0:
            os.close(self._write)
            self._write = -1
        os.close(self._read)


#: The stand-in notebooks' first lines: announce the start (never blocking: without a
#: listener the open fails and the report goes on).
ANNOUNCE = f"""\
_started = os.environ.get("{STARTED_VARIABLE}")
if _started:
    try:
        _fd = os.open(_started, os.O_WRONLY | os.O_NONBLOCK)
        os.write(_fd, b"started\\n")
        os.close(_fd)
    except OSError:
        pass
_gate = os.environ.get("{GATE_VARIABLE}")
if _gate:  # blocks while the test holds its gate shut (its end of the pipe open), not after
    _fd = os.open(_gate, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(_fd, True)
    os.read(_fd, 1)
    os.close(_fd)"""


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:  # the task ended meanwhile
            continue
    return found


def wait_gone(pids: list[int], ceiling: float = CEILING) -> None:
    """Until every process of ``pids`` has exited (a pidfd each, woken by the kernel)."""
    deadline = time.monotonic() + ceiling
    for pid in pids:
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # already gone
        try:
            remaining = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([pidfd], [], [], remaining)
            assert ready, f"process {pid} still running after {ceiling:g} s"
        finally:
            os.close(pidfd)
