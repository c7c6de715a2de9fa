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
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nsss_analysis.config import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "templates"
KERNEL_NAME = "python3"

# --- Policy: how warm kernels are kept -------------------------------------------
#: Imported in each kernel before its first report. These are what every report
#: needs and what costs most to import (seaborn and statsmodels over a second each);
#: importing them once per kernel is where the warm executor saves its time. A
#: module that is missing is skipped. rcParams are snapshotted after these imports,
#: so a style a module sets when imported is part of the clean state.
WARM_IMPORTS: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "statsmodels.api",
    "nsss_analysis.store",
    "nsss_analysis.vocab",
    "nsss_analysis.indicators",
    "nsss_analysis.figures",
    "nsss_analysis.narrative",
    "nsss_analysis.display",
    "nsss_analysis.methods",
    "nsss_analysis.models",
)
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
_nbclient_log = logging.getLogger("nsss.executor.nbclient")
_nbclient_log.propagate = False
_nbclient_log.addHandler(logging.NullHandler())

# Code run silently in a new kernel: import the warm modules, then remember the
# clean state in a module (a module survives ``%reset -f``; the namespace does not).
_BOOT_CODE = r'''
def _nsss_boot(warm_imports):
    import importlib, os, sys, types, warnings
    for name in warm_imports:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    state = types.ModuleType("_nsss_kernel_state")
    state.cwd = os.getcwd()
    state.environ = dict(os.environ)
    state.path = list(sys.path)
    state.warning_filters = list(warnings.filters)
    state.rc = None
    if "matplotlib.pyplot" in sys.modules:
        # Load the backend now, as a report's first figure would: the inline backend
        # switches interactive mode on when it loads, and that belongs to the clean state.
        plt = sys.modules["matplotlib.pyplot"]
        plt.close(plt.figure())
    if "matplotlib" in sys.modules:
        state.rc = sys.modules["matplotlib"].rcParams.copy()  # raw values, no validation

    def reset(seed):
        """Put the kernel back as it was after start-up (the namespace is reset by %reset -f)."""
        import random
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if "pandas" in sys.modules:
                sys.modules["pandas"].reset_option("all")
            if "matplotlib" in sys.modules:
                mpl = sys.modules["matplotlib"]
                if state.rc is None:
                    mpl.rc_file_defaults()
                else:  # the seaborn theme lives in rcParams too
                    dict.update(mpl.rcParams, dict.items(state.rc))
        os.chdir(state.cwd)
        os.environ.clear()
        os.environ.update(state.environ)
        sys.path[:] = state.path
        warnings.filters[:] = state.warning_filters
        warnings._filters_mutated()  # forget which warnings were already shown
        random.seed(seed)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed(seed)
        from IPython import get_ipython
        shell = get_ipython()
        # A new history session, as in a fresh kernel: In [1] again, without clashing
        # with the previous report's line numbers in the history database.
        shell.history_manager.reset(new_session=True)
        shell.execution_count = 1

    state.reset = reset
    sys.modules["_nsss_kernel_state"] = state

_nsss_boot(%(warm_imports)r)
del _nsss_boot
'''

_RESET_CODE = """\
%%reset -f
import _nsss_kernel_state
_nsss_kernel_state.reset(%(seed)d)
del _nsss_kernel_state
"""


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
    #: Expressions evaluated in the kernel after a successful run, before the next
    #: reset (e.g. the headline figures the notebook computed), returned as text.
    collect: dict = field(default_factory=dict)


@dataclass
class ReportResult:
    """What happened to one report. ``error`` is one line a person can act on."""

    key: str
    status: str  # "ok" or "failed"
    seconds: float
    error: str | None = None
    error_cell: int | None = None  # execution count shown as In [N]
    notes: list[str] = field(default_factory=list)
    collected: dict = field(default_factory=dict)  # name -> repr of the value (see ReportJob.collect)


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
        warm_imports: Iterable[str] = WARM_IMPORTS,
        restart_after: int = RESTART_AFTER_REPORTS,
        seed: int = REPORT_SEED,
    ):
        self.cwd = str(cwd)
        self.kernel_name = kernel_name
        self.warm_imports = tuple(warm_imports)
        self.restart_after = restart_after
        self.seed = seed
        self.reports_run = 0
        self.starts = 0
        self._km = None  # jupyter_client.AsyncKernelManager
        self._kc = None  # its AsyncKernelClient (what nbclient talks through)

    # -- lifecycle ------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        try:
            return self._km.provisioner.process.poll() is None  # type: ignore[union-attr]
        except Exception:  # no kernel, or no process yet
            return False

    @property
    def pid(self) -> int | None:
        try:
            return self._km.provisioner.process.pid  # type: ignore[union-attr]
        except Exception:
            return None

    def start(self, while_booting: Callable[[], None] | None = None) -> None:
        """Start the kernel and warm it up; a failed start is retried once.

        ``while_booting`` runs while the kernel starts and imports ``warm_imports``
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

        self._km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(self._km.start_kernel)(cwd=self.cwd, extra_arguments=KERNEL_ARGUMENTS)
        self._kc = self._km.client()
        self._kc.start_channels()
        self._kc.allow_stdin = False
        # Queued until the kernel listens: it imports the warm modules while we go on.
        boot = self._kc.execute(_BOOT_CODE % {"warm_imports": self.warm_imports}, silent=True,
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
        run_sync(self._kc.wait_for_ready)(timeout=KERNEL_START_TIMEOUT)

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
                    msg = await self._kc.get_shell_msg(timeout=min(1.0, remaining))
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
        msg_id = self._kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        self._await_reply(msg_id, HOUSEKEEPING_TIMEOUT)

    def evaluate(self, expressions: dict) -> dict:
        """Evaluate ``{name: expression}`` in the report's namespace (Jupyter's
        ``user_expressions``); returns ``{name: repr}`` for those that succeeded."""
        if not expressions or not self.alive:
            return {}
        msg_id = self._kc.execute("", silent=True, store_history=False, allow_stdin=False,
                                  user_expressions=dict(expressions))
        reply = self._await_reply(msg_id, HOUSEKEEPING_TIMEOUT)
        values = reply["content"].get("user_expressions", {})
        return {
            name: value["data"]["text/plain"]
            for name, value in values.items()
            if value.get("status") == "ok" and "text/plain" in value.get("data", {})
        }

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
        pid = None
        try:
            pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
        except Exception:  # noqa: BLE001
            pass
        try:
            from jupyter_core.utils import run_sync

            if km.has_kernel:
                # At once: a kernel being replaced may be stuck in a cell.
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort: the process may already be gone
            if pid:
                _kill(pid)

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def kill(self) -> None:
        """Kill the kernel process at once (used when the parent process died)."""
        pid = self.pid
        if pid:
            _kill(pid)

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
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import NotebookExecutionManager

        self.prepare()
        deadline = time.monotonic() + timeout
        nb_man = NotebookExecutionManager(nb, output_path=None, progress_bar=False, autosave_cell_every=0)
        client = PapermillNotebookClient(
            nb_man,
            km=self._km,
            kernel_name=self.kernel_name,
            timeout_func=lambda cell: max(1, int(deadline - time.monotonic() + 0.999)),
            log=_nbclient_log,
        )
        client.kc = self._kc
        self.reports_run += 1
        error: BaseException | None = None
        nb_man.notebook_start()
        try:
            client.execute()
        except Exception as exc:  # noqa: BLE001 - timeout, dead kernel, zmq trouble
            error = exc
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        nb = nb_man.nb
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


# --- one report: parameters in, .ipynb and .html out ------------------------------
def parameterize(job: ReportJob):
    """The template notebook with ``job.parameters`` injected, via papermill."""
    from papermill.execute import execute_notebook

    nb = execute_notebook(
        job.notebook,
        None,
        parameters=job.parameters,
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


_EXPORTER = None


def _report_exporter_class():
    """nbconvert's HTMLExporter, with inline HTML in Markdown kept intact.

    With ``embed_images`` nbconvert parses each inline-HTML token of a Markdown cell
    on its own to embed images, which closes an opening tag at once: papermill's red
    "An Exception was encountered" marker would lose its style and link. Here only a
    token holding an ``<img`` goes through that.
    """
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class ReportRenderer(IPythonRenderer):
        def inline_html(self, html: str) -> str:
            if self.embed_images and "<img" not in html.lower():
                return super(IPythonRenderer, self).inline_html(html)
            return super().inline_html(html)

    class ReportExporter(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = ReportRenderer(
                escape=False,
                attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

    return ReportExporter


def html_exporter():
    """The nbconvert exporter for reports (created once per process: its first load is slow)."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = _report_exporter_class()(
            template_name="lab",
            extra_template_paths=[str(TEMPLATES_DIR)],
            template_file="nsss_report.html.j2",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
            embed_images=True,
            # Nothing loaded from a CDN: the report must read the same offline.
            require_js_url="",
            mathjax_url="",
            mermaid_js_url="",
            mermaid_layout_elk_js_url="",
            jupyter_widgets_base_url="",
            widget_renderer_url="",
        )
        logging.getLogger("traitlets").setLevel(logging.ERROR)  # "missing alt text" noise
    return _EXPORTER


#: Elements a static report never needs; any found in an output is removed.
_ACTIVE_TAGS = ("script", "iframe", "object", "embed", "base", "frame", "frameset", "applet")
_RESOURCE_ATTRS = ("src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href")


def render_html(nb, title: str) -> tuple[str, int]:
    """The notebook as a self-contained HTML page with no code, and how many active
    elements had to be removed from its outputs.

    Outputs are the notebook author's to escape (form text is data); this is the
    safety net behind that: no script, no event handler, no ``javascript:`` URL and
    no resource fetched from the network survives, and the page's
    Content-Security-Policy forbids them anyway.
    """
    from bs4 import BeautifulSoup

    html, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    soup = BeautifulSoup(html, "html.parser")
    removed = 0
    for tag in soup.find_all(_ACTIVE_TAGS):
        tag.decompose()
        removed += 1
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            value = tag.attrs[attr]
            text = " ".join(value) if isinstance(value, list) else str(value)
            lowered = re.sub(r"\s+", "", text).lower()
            if attr.lower().startswith("on"):
                del tag.attrs[attr]
                removed += 1
            elif attr.lower() in _RESOURCE_ATTRS and (
                lowered.startswith(("javascript:", "vbscript:"))
                or (tag.name != "a" and lowered.startswith(("http:", "https:", "//")))
            ):
                del tag.attrs[attr]
                removed += 1
        if tag.name == "link" and "href" not in tag.attrs:
            tag.decompose()
    if removed == 0:
        return html, 0
    return str(soup), removed


def write_shared_text(target: Path | str, text: str) -> None:
    """Write ``text`` atomically (temp file beside ``target``, then replace)."""
    from nsss_analysis.store import write_text_atomic

    write_text_atomic(target, text)


def run_job(kernel: WarmKernel, job: ReportJob) -> ReportResult:
    """Parameterise, execute, mark errors, write the .ipynb and the .html (atomically)."""
    import nbformat

    started = time.monotonic()
    notes: list[str] = []
    capture = _CaptureWarnings(notes)
    for name in ("papermill", "nsss.executor"):
        logging.getLogger(name).addHandler(capture)
    try:
        try:
            nb = parameterize(job)
        except Exception as exc:  # noqa: BLE001 - a missing or unreadable template
            error = f"cannot prepare {job.notebook}: {_one_line(exc)}"
            return ReportResult(job.key, "failed", time.monotonic() - started, error)
        collected: dict = {}
        try:
            nb, failure = kernel.run(nb, job.timeout)
            if failure is None and job.collect:
                try:
                    collected = kernel.evaluate(job.collect)
                except Exception as exc:  # noqa: BLE001 - the report itself is fine
                    notes.append(f"could not read {', '.join(job.collect)} from the kernel: {_one_line(exc)}")
        except KernelStartError as exc:
            _record_engine_error(nb, exc, job.timeout)
        error, error_cell = mark_errors(nb)
        write_shared_text(job.ipynb_path, nbformat.writes(nb))
        html, removed = render_html(nb, job.title)
        if removed:
            notes.append(f"removed {removed} active element(s) (script, event handler, remote URL) from the outputs")
        write_shared_text(job.html_path, html)
    finally:
        for name in ("papermill", "nsss.executor"):
            logging.getLogger(name).removeHandler(capture)
    status = "failed" if error else "ok"
    return ReportResult(job.key, status, time.monotonic() - started, error, error_cell, notes, collected)


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

    import nsss_analysis.store  # noqa: F401

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
                kernel.kill()
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

        def finish(result: ReportResult) -> None:
            done[result.key] = result
            bar.update(1)
            if on_result:
                on_result(result)

        bar = tqdm(total=len(jobs), unit="report", file=sys.stderr, disable=None if progress else True,
                   leave=False)
        try:
            while len(done) < len(jobs):
                try:
                    kind, worker_id, payload = self._results.get(timeout=0.5)
                except queue.Empty:
                    for wid, proc in list(self._procs.items()):
                        if proc.is_alive():
                            continue
                        del self._procs[wid]
                        key = in_flight.pop(wid, None)
                        if key is not None and key not in done:
                            finish(ReportResult(key, "failed", 0.0,
                                                f"the worker process died (exit code {proc.exitcode})"))
                        if len(done) + len(in_flight) < len(jobs) and replacements < 2 * self.workers:
                            replacements += 1
                            self._spawn()
                    if not self._procs:
                        for job in jobs:
                            if job.key not in done:
                                finish(ReportResult(job.key, "failed", 0.0, "no worker process left to run it"))
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
