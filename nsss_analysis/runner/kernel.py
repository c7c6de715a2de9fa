"""One IPython kernel reused across reports, reset to a clean state before each."""

from __future__ import annotations

import logging
import os
import queue
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a run with nothing to render never loads them
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "python3"


# --- Policy: how warm kernels are kept -------------------------------------------
#: A kernel is replaced after this many reports: bounds memory growth and any state
#: a reset cannot reach (module-level caches, registered display formatters).
RESTART_AFTER_REPORTS = 25


#: Seed for ``random`` and numpy's global generator before every report, so that
#: anything random (bootstrap intervals, jitter) is the same on every run.
REPORT_SEED = 20190131


#: Seconds to wait for a kernel to answer after it is launched; a start that fails
#: is retried once (``KERNEL_START_ATTEMPTS``) before the report is failed.
KERNEL_START_TIMEOUT = 120


KERNEL_START_ATTEMPTS = 2


#: The kernel's command-line options: its start-up chatter (e.g. its TCP warning) is
#: not for report readers, and reports keep no IPython history on disk (as nbclient
#: and papermill do: kernels running side by side would share one SQLite file).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]


#: Seconds allowed for the silent warm-up and reset cells.
HOUSEKEEPING_TIMEOUT = 180


log = logging.getLogger("nsss.executor")


#: nbclient's own messages ("Timeout waiting for execute reply") repeat what the
#: failed report records; they go here, below the warnings a run reports.


# Sent to a new kernel (silently): warm it up and record its clean state; then, before
# each report, empty the namespace and restore that state. The work is done by
# nsss_analysis.runner.kernel_state, a module the kernel imports.
_BOOT_CODE = "import nsss_analysis.runner.kernel_state as _k; _k.boot(warm=%(warm)r); del _k"
_RESET_CODE = "%%reset -f\nimport nsss_analysis.runner.kernel_state as _k\n_k.reset(%(seed)d)\ndel _k\n"


# --- connection files: private, and never left behind ------------------------------
#: A kernel's connection file (its ports and the HMAC key that signs its messages) is
#: ``nsss-kernel-<pid of the worker>-<random>.json`` in a folder of this user's only
#: (mode 0700; the file itself 0600). It is removed when the kernel is shut down, by
#: the watch of a worker whose parent died, and, for one left by a process killed
#: with ``kill -9``, by the next kernel start (its worker's pid is no longer running).
CONNECTION_PREFIX = "nsss-kernel-"


def connection_folder() -> Path:
    """``$TMPDIR/nsss-kernels-<uid>``, made private (0700); one that is a link, not
    this user's or open to others is not used (a fresh private folder instead)."""
    import stat
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"nsss-kernels-{os.getuid()}"
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        folder = Path(tempfile.mkdtemp(prefix="nsss-kernels-"))
    return folder


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_connection_files(folder: Path | None = None) -> int:
    """Remove the connection files of kernels whose worker is no longer running."""
    folder = connection_folder() if folder is None else folder
    removed = 0
    for path in folder.glob(f"{CONNECTION_PREFIX}*.json"):
        try:
            pid = int(path.name[len(CONNECTION_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if not _running(pid):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def new_connection_file() -> Path:
    import secrets

    folder = connection_folder()
    sweep_connection_files(folder)
    return folder / f"{CONNECTION_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.json"


class KernelStartError(RuntimeError):
    """The kernel did not start, twice."""


class WarmKernel:
    """One IPython kernel reused across reports, reset before each one.

    >>> kernel = WarmKernel(cwd="notebooks")        # doctest: +SKIP
    >>> nb, error = kernel.run(nb, timeout=600)     # doctest: +SKIP
    >>> kernel.shutdown()                           # doctest: +SKIP
    """

    def __init__(
        self,
        cwd: Path | str,
        kernel_name: str = KERNEL_NAME,
        warm: bool = True,
        restart_after: int = RESTART_AFTER_REPORTS,
        seed: int = REPORT_SEED,
    ):
        self.cwd = str(cwd)
        self.kernel_name = kernel_name
        self.warm = warm
        self.restart_after = restart_after
        self.seed = seed
        self.reports_run = 0
        self.starts = 0
        self.connection_file: Path | None = None
        self._km: AsyncKernelManager | None = None
        self._kc: AsyncKernelClient | None = None  # what nbclient talks through

    @property
    def _client(self) -> AsyncKernelClient:
        if self._kc is None:
            raise RuntimeError("the kernel is not started")
        return self._kc

    # -- lifecycle ------------------------------------------------------------------
    @staticmethod
    def _process(km: AsyncKernelManager | None):
        """The kernel's ``subprocess.Popen`` (a local provisioner's), or ``None``."""
        return getattr(km.provisioner, "process", None) if km is not None and km.provisioner else None

    @property
    def alive(self) -> bool:
        process = self._process(self._km)
        return process is not None and process.poll() is None

    @classmethod
    def _pid_of(cls, km: AsyncKernelManager | None) -> int | None:
        process = cls._process(km)
        return None if process is None else process.pid

    @property
    def pid(self) -> int | None:
        return self._pid_of(self._km)

    def start(self, while_booting: Callable[[], None] | None = None) -> None:
        """Start the kernel and warm it up; a failed start is retried once.

        ``while_booting`` runs while the kernel starts and imports the report modules
        (a worker imports papermill and nbconvert meanwhile).
        """
        last: BaseException | None = None
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                self._start_once(while_booting if attempt == 1 else None)
                return
            except Exception as exc:  # noqa: BLE001 - any failure to start counts
                last = exc
                log.warning("kernel start attempt %d failed: %s", attempt, _one_line(exc))
                self.shutdown()
        raise KernelStartError(
            f"the {self.kernel_name} kernel did not start ({KERNEL_START_ATTEMPTS} attempts): "
            f"{_one_line(last)}"
        )

    def _start_once(self, while_booting: Callable[[], None] | None = None) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.connection_file = new_connection_file()
        km = self._km = AsyncKernelManager(kernel_name=self.kernel_name, connection_file=str(self.connection_file))
        run_sync(km.start_kernel)(cwd=self.cwd, extra_arguments=KERNEL_ARGUMENTS)
        kc = self._kc = km.client()
        kc.start_channels()
        kc.allow_stdin = False
        # Queued until the kernel listens: it imports the warm modules while we go on.
        boot = kc.execute(_BOOT_CODE % {"warm": self.warm}, silent=True,
                                store_history=False, allow_stdin=False)
        self.starts += 1
        self.reports_run = 0
        if while_booting is not None:
            try:
                while_booting()
            except Exception as exc:  # noqa: BLE001 - not the kernel's fault; retried later
                log.warning("preparing the worker failed: %s", _one_line(exc))
        self._await_reply(boot, KERNEL_START_TIMEOUT + HOUSEKEEPING_TIMEOUT)
        # IOPub must be subscribed before a report runs, or its first outputs are lost.
        run_sync(kc.wait_for_ready)(timeout=KERNEL_START_TIMEOUT)

    def _await_reply(self, msg_id: str, timeout: float) -> dict:
        """Wait for the shell reply to ``msg_id``; an error reply raises RuntimeError."""
        from jupyter_core.utils import run_sync

        async def wait() -> dict:
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no reply from the kernel in {timeout:g} s")
                if not self.alive:
                    raise RuntimeError("the kernel process exited")
                try:
                    msg = await self._client.get_shell_msg(timeout=min(1.0, remaining))
                except queue.Empty:
                    continue
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg

        reply = run_sync(wait)()
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename', 'error')}: {_one_line(content.get('evalue', ''))}")
        return reply

    def _run_silently(self, code: str) -> None:
        msg_id = self._client.execute(code, silent=True, store_history=False, allow_stdin=False)
        self._await_reply(msg_id, HOUSEKEEPING_TIMEOUT)

    def shutdown(self) -> None:
        km, kc = self._km, self._kc
        self._km = self._kc = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001 - best effort
                pass
        if km is None:
            return
        pid = self._pid_of(km)
        try:
            from jupyter_core.utils import run_sync

            if km.has_kernel:
                # At once: a kernel being replaced may be stuck in a cell.
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort: the process may already be gone
            if pid:
                _kill(pid)
        finally:
            self.forget_connection_file()

    def forget_connection_file(self) -> None:
        """Remove this kernel's connection file (its HMAC key) from the disk."""
        if self.connection_file is not None:
            try:
                self.connection_file.unlink(missing_ok=True)
            except OSError:
                pass

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def kill(self) -> None:
        """Kill the kernel process at once (used when the parent process died)."""
        pid = self.pid
        if pid:
            _kill(pid)
        self.forget_connection_file()

    def prepare(self) -> None:
        """Make sure a clean kernel is ready: start, replace an old or dead one, reset."""
        if not self.alive or self.reports_run >= self.restart_after:
            if self._km is not None:
                self.shutdown()
            self.start()
        try:
            self._run_silently(_RESET_CODE % {"seed": self.seed})
        except Exception as exc:  # noqa: BLE001 - a kernel that cannot reset is replaced
            log.warning("kernel reset failed (%s); restarting it", _one_line(exc))
            self.restart()
            self._run_silently(_RESET_CODE % {"seed": self.seed})

    # -- running one notebook ------------------------------------------------------
    def run(self, nb, timeout: float) -> tuple[object, BaseException | None]:
        """Execute a parameterised notebook in this kernel, the way papermill does.

        Returns the executed notebook and the exception that stopped it (None when
        every cell ran). The notebook carries papermill's metadata in any case; a
        timeout or a dead kernel is recorded as an error output in the cell that was
        running. After any error the kernel is shut down; the next report starts a
        new one.
        """
        from nbclient.exceptions import CellExecutionError

        # Imported here, not at the top: papermill takes about 1.1 s to import, and only
        # the worker processes run notebooks (the parent that plans never needs it).
        from nsss_analysis.runner.engine import WarmKernelEngine

        self.prepare()
        self.reports_run += 1
        error: BaseException | None = None
        try:
            # The engine's NotebookExecutionManager works on ``nb`` itself, so ``nb`` is
            # the executed notebook afterwards, also when a cell fails or times out.
            WarmKernelEngine.execute_notebook(
                nb, self.kernel_name, output_path=None, progress_bar=False, autosave_cell_every=0,
                km=self._km, kc=self._kc, deadline=time.monotonic() + timeout,
            )
        except Exception as exc:  # noqa: BLE001 - timeout, dead kernel, zmq trouble
            error = exc
        if error is not None:
            _record_engine_error(nb, error, timeout)
        elif nb.metadata.papermill.get("exception"):
            error = CellExecutionError("", "", "")
        if error is not None:
            # The namespace may be half-built, a cell may still be running: this kernel
            # is not reused; the next report (if any) starts a fresh one.
            self.shutdown()
        return nb, error


def _record_engine_error(nb, exc: BaseException, timeout: float) -> None:
    """Write a timeout or a dead kernel into the notebook as the failing cell's error."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_output

    if isinstance(exc, CellTimeoutError):
        ename, evalue = "TimeoutError", f"the report ran longer than {timeout:g} s (nsss reports --timeout)"
    elif isinstance(exc, DeadKernelError):
        ename, evalue = "DeadKernelError", "the kernel died while running this cell (out of memory?)"
    else:
        ename, evalue = type(exc).__name__, _one_line(exc)
    started = [
        c for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")
    ]
    cell = started[-1] if started else next((c for c in nb.cells if c.cell_type == "code"), None)
    if cell is None:
        return
    cell.setdefault("outputs", []).append(
        new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
    )
    cell.metadata.setdefault("papermill", {})
    cell.metadata.papermill["exception"] = True
    cell.metadata.papermill["status"] = "failed"
    nb.metadata.papermill["exception"] = True


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _one_line(exc: object) -> str:
    text = str(exc) if exc is not None else ""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # ANSI colours in tracebacks
    text = " ".join(text.split())
    return text[:300] + ("..." if len(text) > 300 else "")
