"""The files beside each report page: its downloads (action plan and data workbook,
:mod:`nsss_analysis.report.downloads`) and, with ``--pdf``, its PDF
(:mod:`nsss_analysis.runner.pdf`). :func:`nsss_analysis.runner.render.render` calls
:func:`write_beside_reports` once the pages are rendered.
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
    written: list[Path] = [write_tracker(tables, out), write_returns(tables, out)]
    for report in plan:
        if report.kind == ReportKind.ACTION_PLAN:
            written += _write_national_plan(report, rendered, tables, out)
            continue
        if report.kind not in (ReportKind.MINISTRY, ReportKind.CLUSTER):
            continue
        folder = out / report.key.rsplit("/", 1)[0]
        slug = _slug(report)
        missing = not (folder / data_file(slug)).exists() or not (folder / action_plan_file(slug)).exists()
        if report.key not in rendered and not missing:
            continue
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
    if pdf:
        pages = [out / f"{r.key}.html" for r in plan
                 if (out / f"{r.key}.html").exists()
                 and (r.key in rendered or not pdf_path(out / f"{r.key}.html").exists())]
        printed = print_pdfs(pages)
        for page in printed:
            log.info("%s printed", page.name)
        written += printed
    return written


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
