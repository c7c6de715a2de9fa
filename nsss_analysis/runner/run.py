"""``nsss reports``: every ministry's gender diagnostic report, the national
overview and an index, rendered from the parameterised notebooks to HTML.

What a run does, in order:

1. checks that the processed tables exist;
2. takes the build lock of the processed folder, checks the reports folder (never
   the raw folder, a folder nsss did not make) and takes its lock
   (``reports/.nsss-reports.lock``), so two scheduled runs never overlap;
3. stops at once when nothing changed: if every input (processed tables, notebooks,
   the package's code, the request) hashes as in the last complete run, no pandas
   and no kernel is loaded;
4. otherwise hands over to :func:`nsss_analysis.runner.render.render`, which plans
   the reports, skips each whose own inputs are unchanged, renders the rest in warm
   kernels into ``reports/<fiscal-year>/<slug>.ipynb`` and ``.html`` (atomically),
   and writes the index and the manifest;
5. logs one line per report to ``reports/nsss-reports.log`` and exits 0 (all
   rendered), 1 (some failed), 2 (usage) or 75 (another run holds the lock).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from nsss_analysis.config import RAW_DIR, TABLES
from nsss_analysis.errors import NsssError, Stopped
from nsss_analysis.intake.raw_hashes import RAW_CHANGED, RAW_HASHES_FILE, raw_changed
from nsss_analysis.io import (
    REPORTS_LOCK,
    check_apart,
    current_generation,
    generations_dir,
    prepare_reports_folder,
    read_generation,
    stale_tables,
)
from nsss_analysis.runner.lock import BuildLock, lock_path, remove_stale_temporaries
from nsss_analysis.runner.manifest import (
    nothing_changed,
    read_manifest,
    run_fingerprint,
)
from nsss_analysis.runner.request import EXIT_OK, ReportRequest

if TYPE_CHECKING:  # the pool's modules are imported by the runs that render
    from nsss_analysis.runner.pool import WorkerPool

LOG_FILE = "nsss-reports.log"
#: The log rotates at 1 MB (thousands of nightly runs), keeping three old files.
LOG_BYTES, LOG_BACKUPS = 1_000_000, 3
#: The processed tables a report needs; without them the run stops with the command to run.
REQUIRED_TABLES = {"assessments": "nsss clean", "scores": "nsss score"}

log = logging.getLogger("nsss.reports")


def run_reports(request: ReportRequest, pool: WorkerPool | None = None) -> int:
    """``nsss reports`` (and the last step of ``nsss build``, with the ``pool`` it
    started before cleaning: :func:`nsss_analysis.runner.render.early_pool`); returns
    the exit code."""
    started = time.monotonic()
    with BuildLock(lock_path(request.processed), wait=request.lock_wait, command="nsss reports"):
        return _run_reports(request, started, pool)


def _run_reports(request: ReportRequest, started: float, pool: WorkerPool | None = None) -> int:
    source = current_generation(request.processed)  # resolved once: one generation throughout
    for name, command in REQUIRED_TABLES.items():
        path = source / TABLES[name]
        if not path.exists():
            raise NsssError(
                f"{request.processed / TABLES[name]}: not found; run `{command}` first "
                "(`nsss build` runs clean, score and reports)"
            )
    stale = stale_tables(source)
    if stale:
        raise NsssError(f"{request.processed}: {stale[0]}")
    if request.out.exists() and not request.out.is_dir():
        raise NsssError(f"--out {request.out} is a file; give a folder for the reports", exit_code=2)
    for raw in _raw_folders(source):
        check_apart(request.out, raw)
    _apart_from_processed(request)
    prepare_reports_folder(request.out)
    # One run at a time per reports folder, whatever processed folder each reads.
    with BuildLock(request.out / REPORTS_LOCK, wait=request.lock_wait, command="nsss reports"):
        return _render_into(request, started, source, pool)


def _raw_folders(source: Path) -> list[Path]:
    """The raw folders reports must never be written into: the project's, and the one
    the tables were cleaned from."""
    folders = [RAW_DIR]
    try:
        recorded = json.loads((source / RAW_HASHES_FILE).read_text(encoding="utf-8")).get("raw_dir")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if isinstance(recorded, str) and recorded:
        folders.append(Path(recorded))
    return [f for f in folders if f.is_dir()]


def _apart_from_processed(request: ReportRequest) -> None:
    out = request.out.resolve()
    for place in (current_generation(request.processed), generations_dir(request.processed)):
        place = place.resolve()
        if out == place or out.is_relative_to(place):
            raise NsssError(f"--out {request.out} lies in the processed tables ({place}): "
                            "give a folder of its own for the reports", exit_code=2)


def _render_into(request: ReportRequest, started: float, source: Path, pool: WorkerPool | None = None) -> int:
    if raw_changed(request.processed):  # content hashes, never file times
        print(f"nsss reports: warning: {RAW_CHANGED}", file=sys.stderr)
    handler = _open_log(request.out)
    try:
        removed = remove_stale_temporaries(request.out)
        if removed:
            log.info("removed %d temporary file(s) left by an interrupted run", removed)
        manifest = read_manifest(request.out)
        fingerprint = run_fingerprint(request, source)
        if not request.force and nothing_changed(manifest, fingerprint, request.out):
            last = manifest["last_run"]
            n = len(last.get("reports", []))
            log.info("nothing changed: %d report(s) up to date (%.2f s)", n, time.monotonic() - started)
            print(
                f"nsss reports: nothing changed since {last.get('finished', '?')}; "
                f"{n} report(s) up to date in {request.out} (--force renders them again)"
            )
            return EXIT_OK
        # Imported here, not at the top: pandas, the diagnostics and papermill take
        # about 1.5 s to import, which a scheduled run with nothing to do never pays.
        from nsss_analysis.runner.render import render

        generation = read_generation(source).get("id")
        return render(request, manifest, fingerprint, started, source, generation, pool)
    except Stopped as exc:  # the log says it too: a scheduled run's only witness
        log.warning("stopped by %s after %.1f s; earlier outputs were left as they were",
                    signal.Signals(exc.signum).name, time.monotonic() - started)
        raise
    finally:
        log.removeHandler(handler)
        handler.close()


def _open_log(out: Path) -> logging.Handler:
    # A nightly job must not fill the disk: at most LOG_BYTES, then nsss-reports.log.1 ...
    handler = RotatingFileHandler(out / LOG_FILE, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(f"%(asctime)s %(levelname)s [pid {os.getpid()}] %(message)s"))
    # A log line that cannot be written (a full disk) costs that line, never a traceback
    # on the terminal: the run's own message says what failed.
    handler.handleError = lambda record: None  # type: ignore[method-assign]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return handler
