"""Rendering the reports of a run: plan them, hash their inputs, render those that
changed in warm kernels (:mod:`nsss_analysis.runner.pool`), and write the index and
the manifest. :mod:`nsss_analysis.runner.run` calls :func:`render` once the fast
"nothing changed" check has failed.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from nsss_analysis import __version__
from nsss_analysis.errors import NsssError
from nsss_analysis.io import file_digest, load_tables, write_text_atomic
from nsss_analysis.report.headline_file import HEADLINE_SUFFIX
from nsss_analysis.report.rules import facts_of
from nsss_analysis.runner.claims_file import CLAIMS_PARAMETER, collect_claims, keeps_claims, staged_path
from nsss_analysis.runner.index import (
    INDEX_FILE,
    headline_of,
    write_index,
)
from nsss_analysis.runner.inputs import TableDigests, national_digest, report_hash
from nsss_analysis.runner.manifest import (
    MANIFEST_FILE,
    MANIFEST_VERSION,
    _jsonable,
    package_digest,
)
from nsss_analysis.runner.outputs import BesideWriter
from nsss_analysis.runner.pdf import require_chromium
from nsss_analysis.runner.plan import (
    MINISTRY_NOTEBOOK,
    NATIONAL_NOTEBOOK,
    PlannedReport,
    ReportKind,
    plan_reports,
    requested_fiscal_year,
    requested_ministries,
)
from nsss_analysis.runner.pool import ReportJob, ReportResult, WorkerPool
from nsss_analysis.runner.request import EXIT_FAILED, EXIT_OK, ReportRequest, now

log = logging.getLogger("nsss.reports")


def early_pool(request: ReportRequest) -> WorkerPool:
    """The worker pool a run of ``request`` renders with, started now: ``nsss build``
    starts it before cleaning, so that the kernels boot (imports, warm-up) while the
    tables are cleaned and scored, and the first page starts as soon as they are."""
    workers = request.workers if request.everything else min(request.workers, max(1, len(request.ministries)))
    return WorkerPool(workers, request.notebooks).start()


def render(request: ReportRequest, manifest: dict, fingerprint: str, started: float,
           source: Path | None = None, generation: str | None = None, pool: WorkerPool | None = None) -> int:
    """Plan, hash, render what changed, then write the index and the manifest.

    The worker pool starts first, so that its kernels boot while the tables load
    (or earlier: ``pool``, started by :func:`early_pool`; it is closed here too).
    """
    requested = requested_ministries(request)
    requested_fiscal_year(request)
    if request.pdf:
        require_chromium()  # before any kernel starts: one line saying what to install
    notebooks = [MINISTRY_NOTEBOOK] * bool(requested or request.everything)
    notebooks += [NATIONAL_NOTEBOOK] * request.everything
    for notebook in notebooks:  # checked before any kernel starts
        if not (request.notebooks / notebook).exists():
            raise NsssError(f"{request.notebooks / notebook}: report notebook not found")
    workers = request.workers if request.everything else min(request.workers, len(requested))
    with pool or WorkerPool(workers, request.notebooks) as pool:
        code = _render(request, manifest, fingerprint, started, pool, source or request.processed, generation)
        closing = time.monotonic()
    log.info("worker pool closed in %.1f s; %.1f s since the command started",
             time.monotonic() - closing, time.monotonic() - started)
    return code


def _render(request: ReportRequest, manifest: dict, fingerprint: str, started: float, pool: WorkerPool,
            source: Path, generation: str | None) -> int:
    tables = load_tables(source)
    plan = plan_reports(request, tables)
    package = package_digest()
    notebook_digests = {p: file_digest(p) for p in {r.notebook for r in plan}}
    national = national_digest(tables)
    digests = TableDigests(tables)  # each table's rows hashed once, for every report
    for report in plan:
        report.input_hash = report_hash(report, tables, package, notebook_digests[report.notebook], national,
                                        digests)

    entries = manifest.setdefault("reports", {})
    to_run = [r for r in plan if request.force or not _up_to_date(entries.get(r.key), r, request.out)]
    skipped = len(plan) - len(to_run)
    years = sorted({r.key.split("/", 1)[0] for r in plan})
    workers = max(1, min(pool.workers, len(to_run) or 1))
    print(
        f"nsss reports: {len(plan)} report(s) for {', '.join(years)}: {len(to_run)} to render, "
        f"{skipped} unchanged" + (f"; {workers} worker(s)" if to_run else "")
    )
    log.info("run: %d planned, %d to render, %d unchanged, %d worker(s), force=%s",
             len(plan), len(to_run), skipped, workers, request.force)
    for report in plan:
        if report not in to_run:
            log.info("%s unchanged (skipped)", report.key)

    by_key = {r.key: r for r in plan}
    manifest["last_run"] = {}  # an interrupted run must not look complete
    if not to_run:
        pool.close(abort=True)  # the kernels that were booting are not needed

    facts = facts_of(tables)

    def record(result) -> None:
        report = by_key[result.key]
        _check_claims(result, report, request.out, facts)
        ok = result.status == "ok"
        report.headline = result.headline
        if ok and report.headline is None:
            headline_of(report, tables)
        entry = {
            "kind": report.kind,
            "ministry": report.name,
            "ministry_code": report.code,
            "fiscal_year": report.fiscal_year,
            "notebook": f"{report.key}.ipynb",
            "html": f"{report.key}.html",
            "title": report.title,
            "language": report.language,
            "alternates": report.alternates,
            "parameters": report.parameters,
            "input_hash": report.input_hash if ok else None,
            "generation": generation,
            "status": result.status,
            "error": result.error,
            "error_cell": result.error_cell,
            "seconds": round(result.seconds, 2),
            "stages": result.stages,  # seconds per step (runner/pool.py: prepare, cells, html)
            "finished": now(),
            "headline": _jsonable(report.headline.figures()) if ok and report.headline else None,
            "sentences": list(report.headline.sentences) if ok and report.headline else [],
        }
        entries[report.key] = entry
        write_text_atomic(request.out / MANIFEST_FILE, json.dumps(manifest, indent=1, sort_keys=True))
        if ok:
            beside.add(report)  # its downloads, written while the other pages render
        for note in result.notes:
            log.warning("%s: %s", result.key, note)
        if ok:
            log.info("%s ok in %.1f s", result.key, result.seconds)
        else:
            log.error("%s FAILED in %.1f s: %s", result.key, result.seconds, result.error)

    jobs = [
        ReportJob(
            key=r.key,
            notebook=str(r.notebook),
            parameters=r.parameters | ({CLAIMS_PARAMETER: str(staged_path(request.out, r.key))}
                                       if keeps_claims(r.notebook) else {}),
            ipynb_path=str(request.out / f"{r.key}.ipynb"),
            html_path=str(request.out / f"{r.key}.html"),
            title=r.title,
            timeout=request.timeout,
            headline_path=str(request.out / f"{r.key}{HEADLINE_SUFFIX}"),
            language=r.language,
            alternates=r.alternates,
        )
        for r in sorted(to_run, key=lambda r: r.kind != ReportKind.NATIONAL)  # the longest report first
    ]
    pages_started = time.monotonic()
    # The action plans and data workbooks are written in a thread of this process as
    # each page comes back (it would otherwise only wait for the workers).
    beside = BesideWriter(tables, request.out)
    try:
        results = pool.run(jobs, on_result=record, progress=request.progress)
    except BaseException:
        beside.stop()
        raise
    failed = [r for r in results if r.status != "ok"]
    if results:
        print("nsss reports: writing the last action plans and data workbooks"
              + (" and printing the PDFs" if request.pdf else "") + ", then the index", flush=True)
    rendered = time.monotonic()
    beside.finish(plan, {r.key for r in results if r.status == "ok"}, pdf=request.pdf)  # and PDFs with --pdf
    after_pages = time.monotonic()

    _prune(entries, tables)
    write_index(request.out, manifest)
    manifest["last_run"] = {
        # A run with failures records no fingerprint: the next run retries them.
        "fingerprint": None if failed else fingerprint,
        "finished": now(),
        "generation": generation,
        "request": request.identity(),
        "reports": [r.key for r in plan],
        "failed": [r.key for r in failed],
        # wall seconds of this run's steps after the planning: the pages (the workers;
        # most workbooks are written meanwhile), the workbooks (and PDFs) left after
        # the last page, the index
        "stages": {"planning": round(pages_started - started, 2),  # from the command's start
                   "pages": round(rendered - pages_started, 2),
                   "downloads" + ("_and_pdf" if request.pdf else ""): round(after_pages - rendered, 2),
                   "index": round(time.monotonic() - after_pages, 2)},
    }
    manifest["version"] = MANIFEST_VERSION
    manifest["package_version"] = __version__
    write_text_atomic(request.out / MANIFEST_FILE, json.dumps(manifest, indent=1, sort_keys=True))
    seconds = time.monotonic() - started
    log.info("done: %d rendered, %d failed, %d unchanged in %.1f s", len(results) - len(failed),
             len(failed), skipped, seconds)
    print(
        f"nsss reports: rendered {len(results) - len(failed)}, failed {len(failed)}, unchanged {skipped} "
        f"in {seconds:.1f} s; open {request.out / INDEX_FILE}"
    )
    if failed:
        kept = all(r.notebook_written for r in failed)  # written in this run, with the marker
        lines = [f"nsss reports: {len(failed)} of {len(plan)} report(s) failed"
                 + (" (their notebooks are kept with papermill's error marker):" if kept else ":")]
        for r in failed:
            cell = f" at In [{r.error_cell}]" if r.error_cell else ""
            page = request.out / f"{r.key}.html"
            lines.append(f"  {r.key}: {r.error}{cell}" + (f"; see {page}" if page.exists() else ""))
        print("\n".join(lines), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _check_claims(result: ReportResult, report: PlannedReport, out: Path, facts: dict) -> None:
    """A page rendered without error whose claims ledger breaks a rule (or cannot be
    read) fails, with the rule's one line as its error."""
    if result.status == "ok" and keeps_claims(report.notebook):
        problem = collect_claims(out, report.key, facts)  # the notebook's ledger, rules checked
        if problem:
            result.status, result.error = "failed", problem


def _up_to_date(entry: dict | None, report: PlannedReport, out: Path) -> bool:
    return bool(
        entry
        and entry.get("status") == "ok"
        and entry.get("input_hash") == report.input_hash
        and (out / f"{report.key}.ipynb").exists()
        and (out / f"{report.key}.html").exists()
    )



def _prune(entries: dict, tables) -> None:
    """Forget reports of ministries that no longer have any assessed programme."""
    codes = set(tables.assessments["ministry_code"].dropna().tolist())
    for key in [k for k, e in entries.items() if e.get("kind") == ReportKind.MINISTRY and e.get("ministry_code") not in codes]:
        del entries[key]


