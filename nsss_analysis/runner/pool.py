"""Run parameterised report notebooks in warm kernels, and render them to HTML.

The engine behind ``nsss reports``. Each worker process keeps one IPython kernel
alive across its reports, so the seconds spent starting a kernel and importing
pandas, seaborn and statsmodels are paid once per worker, not once per report.
Each report still starts from a clean slate: before it runs, the kernel's
namespace is reset (``%reset -f``), pandas options, matplotlib's rcParams (and so
seaborn's theme), warning filters, the working directory, environment and
``sys.path`` are put back as they were when the kernel started, every figure is
closed, the random seeds are fixed and the execution counter restarts at 1. The
kernel is replaced after any failed report and after ``RESTART_AFTER_REPORTS``.

Papermill does what it is good at: injecting the parameters
(``execute_notebook(..., prepare_only=True)``), recording its metadata per cell
(``NotebookExecutionManager``, ``PapermillNotebookClient``) and marking a failed
notebook (``raise_for_execution_errors``: the red "An Exception was encountered at
..." cell at the top). A failed report keeps its executed notebook and HTML.

Heavy modules (papermill, nbclient, nbconvert) are imported inside functions so
that ``nsss reports`` with nothing to do never loads them.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nsss_analysis.io import describe_os_error, write_text_atomic
from nsss_analysis.report.headline_file import Headline
from nsss_analysis.runner.html import html_exporter, render_html
from nsss_analysis.runner.kernel import (
    KERNEL_NAME,
    KernelStartError,
    WarmKernel,
    _one_line,
    _record_engine_error,
    log,
)


@dataclass(frozen=True)
class ReportJob:
    """One report to render: which notebook, with which parameters, to which files."""

    key: str  # e.g. "2023-24/mowca-ministry-of-women-and-children-affairs"
    notebook: str  # the parameterised template notebook
    parameters: dict
    ipynb_path: str
    html_path: str
    title: str
    timeout: float = 600.0  # seconds for the whole report
    #: Where the notebook writes its headline (report/headline_file.py), passed as its
    #: ``headline_path`` parameter when the notebook has one; read back after a successful run.
    headline_path: str | None = None
    language: str = "en"
    #: The same report in other languages: language -> relative link (shown atop the page).
    alternates: dict = field(default_factory=dict)


@dataclass
class ReportResult:
    """What happened to one report. ``error`` is one line a person can act on."""

    key: str
    status: str  # "ok" or "failed"
    seconds: float
    error: str | None = None
    error_cell: int | None = None  # execution count shown as In [N]
    notes: list[str] = field(default_factory=list)
    headline: Headline | None = None  # what the notebook left at ReportJob.headline_path
    #: The executed notebook was written, with papermill's error marker when it failed.
    notebook_written: bool = False
    #: Seconds per step in the worker: ``prepare`` (papermill injects the parameters),
    #: ``cells`` (the kernel runs them), ``html`` (nbconvert's export and both files written).
    stages: dict[str, float] = field(default_factory=dict)


# --- one report: parameters in, .ipynb and .html out ------------------------------
def parameterize(job: ReportJob):
    """The template notebook with ``job.parameters`` injected, via papermill."""
    from papermill.execute import execute_notebook
    from papermill.inspection import inspect_notebook

    parameters = dict(job.parameters)
    if job.headline_path and "headline_path" in inspect_notebook(job.notebook):
        parameters["headline_path"] = job.headline_path
    nb = execute_notebook(
        job.notebook,
        None,
        parameters=parameters,
        prepare_only=True,
        kernel_name=KERNEL_NAME,
        language="python",
        progress_bar=False,
    )
    nb.metadata.papermill["output_path"] = job.ipynb_path
    nb.metadata["title"] = job.title
    return nb


def mark_errors(nb) -> tuple[str | None, int | None]:
    """Add papermill's error marker cells if a cell failed; return (one-line error, In [N])."""
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors

    try:
        raise_for_execution_errors(nb, None)  # None: papermill writes nothing
    except PapermillExecutionError as err:
        message = f"{err.ename}: {_one_line(err.evalue)}" if err.evalue else err.ename
        return message, err.exec_count
    return None, None


def write_shared_text(target: Path | str, text: str) -> None:
    """Write ``text`` atomically (temp file beside ``target``, then replace)."""

    write_text_atomic(target, text)


def run_job(kernel: WarmKernel, job: ReportJob) -> ReportResult:
    """Parameterise, execute, mark errors, write the .ipynb and the .html (atomically)."""
    import nbformat

    started = time.monotonic()
    stages: dict[str, float] = {}
    lap = started

    def done(stage: str) -> None:
        nonlocal lap
        now = time.monotonic()
        stages[stage], lap = round(now - lap, 3), now

    notes: list[str] = []
    capture = _CaptureWarnings(notes)
    for name in ("papermill", "nsss.executor"):
        logging.getLogger(name).addHandler(capture)
    try:
        try:
            nb = parameterize(job)
        except Exception as exc:  # noqa: BLE001 - a missing or unreadable template
            cannot = f"cannot prepare {job.notebook}: {_one_line(exc)}"
            return ReportResult(job.key, "failed", time.monotonic() - started, cannot)
        done("prepare")
        headline = None
        if job.headline_path:
            Path(job.headline_path).unlink(missing_ok=True)  # a previous run's record is not this run's
        try:
            nb, failure = kernel.run(nb, job.timeout)
            if failure is None and job.headline_path:
                headline = Headline.read(job.headline_path)
        except KernelStartError as exc:
            _record_engine_error(nb, exc, job.timeout)
        done("cells")
        error, error_cell = mark_errors(nb)
        written = False
        try:
            write_shared_text(job.ipynb_path, nbformat.writes(nb))
            written = True
            html, removed = render_html(nb, job.title, job.language, job.alternates)
            if removed:
                notes.append(f"removed {removed} active element(s) (script, event handler, remote URL) from the outputs")
            write_shared_text(job.html_path, html)
            done("html")
        except OSError as exc:  # a full disk: the report failed, its earlier files stand
            described = describe_os_error(exc)
            error = described[0] if described else f"could not write its files ({_one_line(exc)})"
            return ReportResult(job.key, "failed", time.monotonic() - started, error, None, notes, None, written)
    finally:
        for name in ("papermill", "nsss.executor"):
            logging.getLogger(name).removeHandler(capture)
    status = "failed" if error else "ok"
    return ReportResult(job.key, status, time.monotonic() - started, error, error_cell, notes, headline, True,
                        stages)


class _CaptureWarnings(logging.Handler):
    def __init__(self, notes: list[str]):
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(_one_line(record.getMessage()))


# --- the pool of workers ----------------------------------------------------------
def _preload() -> None:
    """What a worker needs besides its kernel, imported while the kernel boots."""
    import papermill.clientwrap  # noqa: F401
    import papermill.engines  # noqa: F401
    import papermill.execute  # noqa: F401

    html_exporter()


def _worker_main(worker_id: int, tasks, results, parent_pid: int, kernel_cwd: str, settings: dict) -> None:
    """A worker process: one warm kernel, reports from ``tasks`` until a ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    def _terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _terminate)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("papermill").propagate = False
    log.propagate = False
    kernel = WarmKernel(kernel_cwd, **settings)
    _watch_parent(parent_pid, kernel)
    exit_code = 0
    try:
        try:
            kernel.start(while_booting=_preload)
        except KernelStartError as exc:  # each report will try again, and fail with this
            log.warning("%s", exc)
        _preload()
        while True:
            job = tasks.get()
            if job is None:
                break
            results.put(("started", worker_id, job.key))
            try:
                result = run_job(kernel, job)
            except Exception as exc:  # noqa: BLE001 - never lose a report's outcome
                result = ReportResult(job.key, "failed", 0.0, f"{type(exc).__name__}: {_one_line(exc)}")
            results.put(("done", worker_id, result))
    except SystemExit as exc:  # SIGTERM: the parent is stopping the run
        exit_code = exc.code if isinstance(exc.code, int) else 1
        # A cell stopped mid-run leaves its execution task to end with the kernel, unread:
        # asyncio would print that as a traceback, where the parent says the one line.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
    except BaseException:  # noqa: BLE001 - report it, and let the parent fail the report
        traceback.print_exc()
        exit_code = 1
    finally:
        kernel.shutdown()
        # Nothing is left to clean up: skip the interpreter's teardown of pandas,
        # matplotlib, zmq... (seconds), once the results are flushed to the parent.
        results.close()
        results.join_thread()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exit_code)


def _watch_parent(parent_pid: int, kernel: WarmKernel) -> None:
    """If the parent dies (killed mid-run), kill the kernel and exit: no orphans."""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                kernel.kill()  # and its connection file
                os._exit(1)

    threading.Thread(target=watch, name="nsss-parent-watch", daemon=True).start()


class WorkerPool:
    """Worker processes, each with one warm kernel, fed reports through a queue.

    Start it early (kernels boot while the caller plans), then :meth:`run` the jobs;
    :meth:`close` (or leaving the ``with`` block) stops the workers and their kernels.

    Workers are started with multiprocessing's "spawn" method (no inherited locks,
    threads or open files), so a script using it needs the usual
    ``if __name__ == "__main__":`` guard.
    """

    def __init__(self, workers: int, kernel_cwd: Path | str, kernel_settings: dict | None = None):
        self.workers = max(1, workers)
        self._ctx = mp.get_context("spawn")
        self._tasks = self._ctx.Queue()
        self._results = self._ctx.Queue()
        self._args = (self._tasks, self._results, os.getpid(), str(kernel_cwd), dict(kernel_settings or {}))
        self._procs: dict[int, mp.process.BaseProcess] = {}
        self._retired: list[mp.process.BaseProcess] = []  # stopped early, joined at close
        self._next_id = 0

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close(abort=exc[0] is not None)

    def start(self) -> WorkerPool:
        while len(self._procs) < self.workers:
            self._spawn()
        return self

    def _spawn(self) -> None:
        proc = self._ctx.Process(target=_worker_main, args=(self._next_id, *self._args), daemon=True,
                                 name=f"nsss-report-{self._next_id}")
        proc.start()
        self._procs[self._next_id] = proc
        self._next_id += 1

    def run(
        self,
        jobs: list[ReportJob],
        on_result: Callable[[ReportResult], None] | None = None,
        progress: bool = True,
    ) -> list[ReportResult]:
        """Run ``jobs``; results come back in ``jobs`` order, ``on_result`` is called as
        each finishes (e.g. to update a manifest). A worker that dies fails only the
        report it was running, and a replacement takes its place."""
        if not jobs:
            return []
        from tqdm import tqdm

        self.start()
        # Workers beyond the number of jobs would only compete for the CPU while they
        # boot: stop them now (none has a job yet).
        extra = list(self._procs)[len(jobs):]
        for wid in extra:
            proc = self._procs.pop(wid)
            proc.terminate()
            self._retired.append(proc)
        for job in jobs:
            self._tasks.put(job)
        in_flight: dict[int, str] = {}
        done: dict[str, ReportResult] = {}
        replacements = 0

        lines = ProgressLines(len(jobs)) if progress and not _is_terminal(sys.stderr) else None

        def finish(result: ReportResult) -> None:
            done[result.key] = result
            bar.update(1)
            if on_result:
                on_result(result)
            if lines is not None:
                lines.update(result.status == "ok")

        bar = tqdm(total=len(jobs), unit="report", file=sys.stderr, disable=None if progress else True,
                   leave=False)
        try:
            while len(done) < len(jobs):
                try:
                    kind, worker_id, payload = self._results.get(timeout=0.5)
                except queue.Empty:
                    replacements = self._replace_dead(jobs, in_flight, done, finish, replacements)
                    continue
                if kind == "started":
                    in_flight[worker_id] = payload
                    bar.set_postfix_str(payload.rsplit("/", 1)[-1][:40], refresh=False)
                    continue
                in_flight.pop(worker_id, None)
                if payload.key not in done:
                    finish(payload)
        except BaseException:
            self.close(abort=True)
            raise
        finally:
            bar.close()
        return [done[job.key] for job in jobs]

    def _replace_dead(self, jobs: list[ReportJob], in_flight: dict[int, str], done: dict[str, ReportResult],
                      finish: Callable[[ReportResult], None], replacements: int) -> int:
        """Fail the report of each worker that died and start another in its place (at
        most ``2 * workers`` in a run); with no worker left, fail every report not done.
        Returns the replacements started so far."""
        for wid, proc in list(self._procs.items()):
            if proc.is_alive():
                continue
            del self._procs[wid]
            key = in_flight.pop(wid, None)
            if key is not None and key not in done:
                finish(ReportResult(key, "failed", 0.0, f"the worker process died (exit code {proc.exitcode})"))
            if len(done) + len(in_flight) < len(jobs) and replacements < 2 * self.workers:
                replacements += 1
                self._spawn()
        if not self._procs:
            for job in jobs:
                if job.key not in done:
                    finish(ReportResult(job.key, "failed", 0.0, "no worker process left to run it"))
        return replacements

    def close(self, abort: bool = False) -> None:
        """Stop the workers: after their current report, or at once (``abort``)."""
        procs = list(self._procs.values())
        self._procs.clear()
        _stop(self._retired)
        self._retired.clear()
        if not abort:
            for _ in procs:  # one stop sign each (spare ones are never read)
                self._tasks.put(None)
            for proc in procs:
                proc.join(timeout=30)
        _stop(procs)


#: Outside a terminal (cron, a CI log, ``make reports > log``) a line is printed after
#: every this many reports, and after the last one.
PROGRESS_EVERY = 10


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressLines:
    """The progress bar's stand-in outside a terminal: a line every
    :data:`PROGRESS_EVERY` reports and at the end, with counts and elapsed time
    (a bar's carriage returns make a log unreadable, and tqdm draws none there)."""

    def __init__(self, total: int, every: int = PROGRESS_EVERY, stream=None) -> None:
        self.total, self.every, self.stream = total, every, stream
        self.ok = self.failed = 0
        self.started = time.monotonic()

    def update(self, ok: bool) -> str | None:
        """Count one finished report; the line printed, if one was due."""
        if ok:
            self.ok += 1
        else:
            self.failed += 1
        done = self.ok + self.failed
        if done % self.every and done != self.total:
            return None
        line = (f"nsss reports: {done} of {self.total} done ({self.ok} rendered, {self.failed} failed), "
                f"{time.monotonic() - self.started:.0f} s elapsed")
        print(line, file=self.stream or sys.stdout, flush=True)
        return line


def run_jobs(
    jobs: list[ReportJob],
    workers: int,
    kernel_cwd: Path | str,
    on_result: Callable[[ReportResult], None] | None = None,
    progress: bool = True,
    kernel_settings: dict | None = None,
) -> list[ReportResult]:
    """Run ``jobs`` over ``workers`` processes, each reusing one warm kernel
    (a :class:`WorkerPool` used once)."""
    if not jobs:
        return []
    with WorkerPool(min(workers, len(jobs)), kernel_cwd, kernel_settings) as pool:
        return pool.run(jobs, on_result=on_result, progress=progress)


def _stop(procs: Iterable) -> None:
    """Terminate workers (each shuts its kernel down), then kill what is left."""
    procs = list(procs)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + 10
    for proc in procs:
        proc.join(timeout=max(0.1, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
