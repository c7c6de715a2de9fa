"""The files beside each report page: its downloads (action plan and data workbook,
:mod:`nsss_analysis.report.downloads`) and, with ``--pdf``, its PDF
(:mod:`nsss_analysis.runner.pdf`). :func:`nsss_analysis.runner.render.render` calls
:class:`BesideWriter` while the pages render (:func:`write_beside_reports` all at once).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from pathlib import Path

from nsss_analysis.diagnostics.progress import return_tracker
from nsss_analysis.diagnostics.tracker import tracker_summary
from nsss_analysis.io import write_text_atomic
from nsss_analysis.reference.i18n import language as in_language
from nsss_analysis.reference.i18n import translator
from nsss_analysis.report import claims
from nsss_analysis.report.action_plan import action_plan_file
from nsss_analysis.report.downloads import data_file, write_downloads
from nsss_analysis.report.national_plan import national_plan, write_national_plan
from nsss_analysis.report.progress import returned_files
from nsss_analysis.report.submissions import lines_of, tracker_of
from nsss_analysis.runner.claims_file import add_claims
from nsss_analysis.runner.pdf import pdf_path, print_pdfs
from nsss_analysis.runner.plan import PlannedReport, ReportKind

log = logging.getLogger("nsss.reports")

#: The submission tracker of the last run, beside the index (which lists it).
TRACKER_FILE = "submissions.json"
#: The tracker of returned action plans of the last run, beside the index (which lists it).
RETURNS_FILE = "action-plans.json"


def _slug(report: PlannedReport) -> str:
    return report.key.rsplit("/", 1)[1]  # <fy>/<slug> or <fy>/<language>/<slug>


def write_beside_reports(plan: Sequence[PlannedReport], rendered: Collection[str], tables, out: Path,
                         pdf: bool = False) -> list[Path]:
    """Write the downloads of every ministry and cluster report that was rendered in
    this run or lacks them, and (``pdf``) print each rendered page, or one without its
    PDF, to ``<slug>.pdf``. Returns the files written."""
    written: list[Path] = write_site_files(tables, out)
    for report in plan:
        written += write_beside_report(report, report.key in rendered, tables, out)
    if pdf:
        written += print_beside_reports(plan, rendered, out)
    return written


def write_site_files(tables, out: Path) -> list[Path]:
    """The run's files beside the index: the submission tracker and the returned action plans."""
    return [write_tracker(tables, out), write_returns(tables, out)]


def write_beside_report(report: PlannedReport, rendered: bool, tables, out: Path) -> list[Path]:
    """One report's downloads (the national plan's workbook; a ministry's or cluster's
    action plan and data workbook), when it was ``rendered`` in this run or lacks them."""
    if report.kind == ReportKind.ACTION_PLAN:
        return _write_national_plan(report, {report.key} if rendered else set(), tables, out)
    if report.kind not in (ReportKind.MINISTRY, ReportKind.CLUSTER):
        return []
    folder = out / report.key.rsplit("/", 1)[0]
    slug = _slug(report)
    missing = not (folder / data_file(slug)).exists() or not (folder / action_plan_file(slug)).exists()
    if not rendered and not missing:
        return []
    written: list[Path] = []
    with in_language(report.language), claims.page(report.key, report.language) as ledger:  # figure cells
        if report.kind == ReportKind.MINISTRY:
            written += write_downloads(tables, str(report.code), folder, slug, report.title,  # it has its code
                                       language=report.language)
        else:
            own = tables.assessments[tables.assessments["cluster"] == report.name]
            codes = sorted(set(own["ministry_code"].dropna().tolist()))
            written += write_downloads(tables, codes, folder, slug, report.title, assessments=own,
                                       language=report.language)
    add_claims(out, report.key, ledger)
    log.info("%s: downloads written", report.key)
    return written


def print_beside_reports(plan: Sequence[PlannedReport], rendered: Collection[str], out: Path) -> list[Path]:
    """Print each page rendered in this run, or one without its PDF, to ``<slug>.pdf``."""
    pages = [out / f"{r.key}.html" for r in plan
             if (out / f"{r.key}.html").exists()
             and (r.key in rendered or not pdf_path(out / f"{r.key}.html").exists())]
    printed = print_pdfs(pages)
    for page in printed:
        log.info("%s printed", page.name)
    return printed


class BesideWriter:
    """Writes the downloads while the pages render: the run's site files at once, then
    each report's downloads as soon as its page is rendered (:meth:`add`), in a thread
    of the runner's process, which otherwise only waits for the workers. Their content
    depends on the processed tables only; what a report's page wrote (its claims file)
    is collected before :meth:`add` is called, so the downloads' claims are added after,
    as when they were written after the last page.

    :meth:`finish` waits for the thread, writes what is left (the downloads a report
    lacks although it was not rendered; the PDFs) and returns the files written; an
    error in the thread is raised there. :meth:`stop` abandons the queue (a stopped run).
    """

    def __init__(self, tables, out: Path) -> None:
        import queue
        import threading

        self.tables, self.out = tables, out
        self.written: list[Path] = []
        self.done: set[str] = set()
        self.error: BaseException | None = None
        self._queue: queue.Queue[PlannedReport | None] = queue.Queue()
        self._stopped = False
        self._thread = threading.Thread(target=self._work, name="nsss-downloads", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            self.written += write_site_files(self.tables, self.out)
            while (report := self._queue.get()) is not None and not self._stopped:
                self.written += write_beside_report(report, True, self.tables, self.out)
                self.done.add(report.key)
        except BaseException as exc:  # noqa: BLE001 - raised again by finish()
            self.error = exc

    def add(self, report: PlannedReport) -> None:
        """Write ``report``'s downloads (its page was rendered) in the thread."""
        self._queue.put(report)

    def stop(self) -> None:
        self._stopped = True
        self._queue.put(None)
        self._thread.join(timeout=30)

    def finish(self, plan: Sequence[PlannedReport], rendered: Collection[str], pdf: bool = False) -> list[Path]:
        self._queue.put(None)
        self._thread.join()
        if self.error is not None:
            raise self.error
        for report in plan:
            if report.key not in self.done:
                self.written += write_beside_report(report, report.key in rendered, self.tables, self.out)
        if pdf:
            self.written += print_beside_reports(plan, rendered, self.out)
        return self.written


def _write_national_plan(report: PlannedReport, rendered: Collection[str], tables, out: Path) -> list[Path]:
    """The national draft action plan's workbook ``<slug>.xlsx`` beside its page."""
    target = out / f"{report.key}.xlsx"
    if report.key not in rendered and target.exists():
        return []
    with in_language(report.language), claims.page(report.key, report.language) as ledger:  # Summary cells
        write_national_plan(national_plan(tables), target, translator(report.language))
    add_claims(out, report.key, ledger)
    log.info("%s: workbook written", report.key)
    return [target]


def write_returns(tables, out: Path) -> Path:
    """``reports/action-plans.json``: which ministries returned their action plan, and
    when (``diagnostics.progress.return_tracker``), with the files read for each (the
    sources of its count of returns), for the index."""
    codes = sorted(set(tables.assessments["ministry_code"].dropna().astype("str")))
    progress = getattr(tables, "action_progress", None)
    rows = return_tracker(progress, codes)
    files = returned_files(progress)
    rows = rows.assign(files=[list(files.get(c, ())) for c in rows["ministry_code"]])
    path = out / RETURNS_FILE
    write_text_atomic(path, json.dumps({"rows": rows.to_dict("records")}, indent=1, default=str))
    return path


def write_tracker(tables, out: Path) -> Path:
    """``reports/submissions.json``: the submission tracker's sentences and rows, and each
    file's quarantined lines by lineage (the sources of the counts), for the index."""
    tracker = tracker_of(tables)
    path = out / TRACKER_FILE
    write_text_atomic(path, json.dumps({"sentences": tracker_summary(tracker),
                                        "rows": tracker.to_dict("records"),
                                        "lines": lines_of(getattr(tables, "quarantine", None))},
                                       indent=1, default=str))
    return path
