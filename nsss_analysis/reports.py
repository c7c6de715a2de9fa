"""``nsss reports``: every ministry's gender diagnostic report, the national
overview and an index, rendered from the parameterised notebooks to HTML.

What a run does, in order:

1. checks its parameters (processed tables present, ministries in the register and
   with assessed programmes, a readable fiscal year) before running anything;
2. takes a lock (``reports/.nsss-reports.lock``) so two scheduled runs never overlap;
3. skips the work when nothing changed: if every input (processed tables,
   notebooks, the package's code, the request) hashes as in the last complete run,
   it stops there without loading pandas; otherwise each report whose own inputs
   (its notebook, its ministry's rows, the national figures it compares with, the
   package and the parameters) hash as recorded in ``reports/manifest.json`` and
   whose files exist is skipped;
4. renders the rest with :mod:`nsss_analysis.executor` (papermill + warm kernels,
   in parallel) into ``reports/<fiscal-year>/<slug>.ipynb`` and ``.html``, atomically;
5. writes ``reports/index.html`` and the manifest, logs one line per report to
   ``reports/nsss-reports.log``, and exits 0 (all rendered), 1 (some failed),
   2 (usage) or 75 (another run holds the lock).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from nsss_analysis import __version__
from nsss_analysis.config import NOTEBOOKS_DIR, PACKAGE_DIR
from nsss_analysis.errors import NsssError, UsageError

MINISTRY_NOTEBOOK = "ministry_report.ipynb"
NATIONAL_NOTEBOOK = "national_overview.ipynb"
NATIONAL_SLUG = "national-overview"
#: The folder name when no fiscal year has data (no budgets, no dated forms).
ALL_YEARS = "all-years"
MANIFEST_FILE = "manifest.json"
INDEX_FILE = "index.html"
LOG_FILE = "nsss-reports.log"
LOCK_FILE = ".nsss-reports.lock"
LOCK_INFO_FILE = ".nsss-reports.lock.json"
MANIFEST_VERSION = 1

# --- Policy ----------------------------------------------------------------------
#: Exit codes a scheduler can act on (75 is EX_TEMPFAIL of sysexits.h: try later).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
#: A run that finds another one holding the lock waits this long, then exits 75:
#: long enough for a run that is just finishing, short enough not to pile up cron jobs.
LOCK_WAIT_SECONDS = 10.0
#: The log rotates at 1 MB (thousands of nightly runs), keeping three old files.
LOG_BYTES, LOG_BACKUPS = 1_000_000, 3
#: Slugs are cut at this length: file names stay readable and far from OS limits.
MAX_SLUG_LENGTH = 80
#: Names a report file must not take: Windows device names (a report folder may be
#: copied to a Windows share) and the runner's own files.
RESERVED_SLUGS = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
     "index", "manifest", "nsss-reports", NATIONAL_SLUG}
)
#: The processed tables a report needs; without them the run stops with the command to run.
REQUIRED_TABLES = {"assessments": "nsss clean", "scores": "nsss score"}
#: Tables whose rows belong to one ministry; a ministry report's hash covers its rows of each.
MINISTRY_TABLES = (
    "assessments", "budgets", "scores", "recommendations", "quarantine", "conflicts",
    "coverage_by_sex", "coverage_quality",
)
#: What a ministry report compares with nationally (level distribution, mean score,
#: budget shares): every ministry's scores and budgets, without lineage and programme
#: names. A new score anywhere re-renders every ministry report; a corrected remark,
#: spelling or quarantine line re-renders only its own ministry.
NATIONAL_COMPARISON_TABLES = ("scores", "budgets")
#: The report notebooks leave ``narrative.headline_figures``' dict in a variable
#: ``headline``; the index reads it (and its sentences) from the kernel after the
#: report ran, so the index shows exactly the report's figures without computing
#: them twice. Without that variable, the runner computes them itself.
COLLECT_HEADLINE = {
    "headline": "__import__('json').dumps(headline, default=str)",
    "sentences": "__import__('json').dumps(list(__import__('nsss_analysis.narrative', "
                 "fromlist=['headline_sentences']).headline_sentences(headline)))",
}
NATIONAL_COMPARISON_DROP = ("source_file", "source_sheet", "source_row", "programme", "remarks")

log = logging.getLogger("nsss.reports")


# --- slugs -----------------------------------------------------------------------
def slugify(text: object, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII ``[a-z0-9-]`` words of ``text`` ("" when none are left).

    >>> slugify("Ministry of Women & Children Affairs")
    'ministry-of-women-and-children-affairs'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    """
    text = unicodedata.normalize("NFKD", str(text)).replace("&", " and ")
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-")


def report_slug(code: object, name: object) -> str:
    """The file name (without extension) of a ministry's report: safe for any name.

    The register code leads, so that two ministries never share a file; a code with
    no ASCII letters is replaced by a short hash of it. Never empty, never ``.`` or
    ``..``, no path separator, no reserved device name.

    >>> report_slug("MoWCA", "Ministry of Women and Children Affairs")
    'mowca-ministry-of-women-and-children-affairs'
    """
    code_slug = slugify(code, 24) or "m" + hashlib.sha256(str(code).encode("utf-8")).hexdigest()[:8]
    name_slug = slugify(name)
    slug = f"{code_slug}-{name_slug}" if name_slug and name_slug != code_slug else code_slug
    slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    if slug in RESERVED_SLUGS:
        slug += "-report"
    return slug


# --- the request -----------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    """What the user asked for, with paths made absolute."""

    ministries: tuple[str, ...]
    all: bool
    fiscal_year: str | None
    workers: int
    force: bool
    processed: Path
    out: Path
    notebooks: Path
    timeout: float
    lock_wait: float
    progress: bool

    @classmethod
    def from_args(cls, args) -> Request:
        workers = getattr(args, "workers", None) or os.cpu_count() or 1
        if getattr(args, "workers", None) is not None and args.workers < 1:
            raise UsageError(f"--workers {args.workers}: give at least 1 worker")
        timeout = getattr(args, "timeout", None)
        timeout = 600 if timeout is None else timeout
        if timeout <= 0:
            raise UsageError(f"--timeout {timeout}: give a number of seconds above 0")
        fiscal_year = getattr(args, "fiscal_year", None)
        return cls(
            ministries=tuple(getattr(args, "ministry", None) or ()),
            all=bool(getattr(args, "all", False)),
            fiscal_year=fiscal_year.strip() if isinstance(fiscal_year, str) and fiscal_year.strip() else None,
            workers=int(workers),
            force=bool(getattr(args, "force", False)),
            processed=Path(args.processed).resolve(),
            out=Path(args.out).resolve(),
            notebooks=Path(getattr(args, "notebooks", None) or NOTEBOOKS_DIR).resolve(),
            timeout=float(timeout),
            lock_wait=float(getattr(args, "lock_wait", LOCK_WAIT_SECONDS)),
            progress=bool(getattr(args, "progress", True)),
        )

    def identity(self) -> dict:
        """The parts of the request that change what is rendered (not how fast)."""
        return {
            "ministries": sorted(self.ministries),
            "all": self.all,
            "fiscal_year": self.fiscal_year,
            "processed": str(self.processed),
            "notebooks": str(self.notebooks),
        }


@dataclass
class PlannedReport:
    """One report of this run: where it goes, what it runs, and what it depends on."""

    key: str  # "<fiscal-year>/<slug>": the manifest key; files are key + .ipynb/.html
    kind: str  # "ministry" or "national"
    name: str
    code: str | None
    fiscal_year: str | None  # None: all years
    notebook: Path
    parameters: dict
    title: str
    input_hash: str = ""
    headline: dict | None = None
    sentences: list[str] = field(default_factory=list)


# --- the command -----------------------------------------------------------------
def run_reports(args) -> int:
    """``nsss reports`` (and the last step of ``nsss build``); returns the exit code."""
    started = time.monotonic()
    request = Request.from_args(args)
    for name, command in REQUIRED_TABLES.items():
        if not (request.processed / f"{name}.parquet").exists():
            raise NsssError(
                f"{request.processed / (name + '.parquet')}: not found; run `{command}` first "
                f"(`nsss build` runs clean, score and reports)"
            )
    request.out.mkdir(parents=True, exist_ok=True)
    handler = _open_log(request.out)
    try:
        with RunLock(request.out, wait=request.lock_wait):
            removed = remove_stale_temporaries(request.out)
            if removed:
                log.info("removed %d temporary file(s) left by an interrupted run", removed)
            manifest = read_manifest(request.out)
            fingerprint = run_fingerprint(request)
            if not request.force and _nothing_changed(manifest, fingerprint, request.out):
                last = manifest["last_run"]
                n = len(last.get("reports", []))
                log.info("nothing changed: %d report(s) up to date (%.2f s)", n, time.monotonic() - started)
                print(
                    f"nsss reports: nothing changed since {last.get('finished', '?')}; "
                    f"{n} report(s) up to date in {request.out} (--force renders them again)"
                )
                return EXIT_OK
            # What can be checked without the data is checked before any kernel starts.
            requested = requested_ministries(request)
            requested_fiscal_year(request)
            everything = request.all or not request.ministries
            for notebook in [MINISTRY_NOTEBOOK] * bool(requested or everything) + [NATIONAL_NOTEBOOK] * everything:
                if not (request.notebooks / notebook).exists():
                    raise NsssError(f"{request.notebooks / notebook}: report notebook not found")
            from nsss_analysis.executor import WorkerPool

            workers = request.workers if everything else min(request.workers, len(requested))
            with WorkerPool(workers, request.notebooks) as pool:  # kernels boot while the data load
                return _render(request, manifest, fingerprint, started, pool)
    finally:
        log.removeHandler(handler)
        handler.close()


def _render(request: Request, manifest: dict, fingerprint: str, started: float, pool) -> int:
    from nsss_analysis import executor
    from nsss_analysis.executor import write_shared_text

    tables = load_tables(request.processed)
    plan = plan_reports(request, tables)
    package = package_digest()
    notebook_digests = {p: file_digest(p) for p in {r.notebook for r in plan}}
    national = national_digest(tables)
    for report in plan:
        report.input_hash = report_hash(report, tables, package, notebook_digests[report.notebook], national)

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

    def record(result) -> None:
        report = by_key[result.key]
        ok = result.status == "ok"
        if ok and not collected_headline(report, result.collected):
            headline_of(report, tables)
        entry = {
            "kind": report.kind,
            "ministry": report.name,
            "ministry_code": report.code,
            "fiscal_year": report.fiscal_year,
            "notebook": f"{report.key}.ipynb",
            "html": f"{report.key}.html",
            "title": report.title,
            "parameters": report.parameters,
            "input_hash": report.input_hash if ok else None,
            "status": result.status,
            "error": result.error,
            "error_cell": result.error_cell,
            "seconds": round(result.seconds, 2),
            "finished": _now(),
            "headline": _jsonable(report.headline) if ok else None,
            "sentences": report.sentences if ok else [],
        }
        entries[report.key] = entry
        write_shared_text(request.out / MANIFEST_FILE, json.dumps(manifest, indent=1, sort_keys=True))
        for note in result.notes:
            log.warning("%s: %s", result.key, note)
        if ok:
            log.info("%s ok in %.1f s", result.key, result.seconds)
        else:
            log.error("%s FAILED in %.1f s: %s", result.key, result.seconds, result.error)

    jobs = [
        executor.ReportJob(
            key=r.key,
            notebook=str(r.notebook),
            parameters=r.parameters,
            ipynb_path=str(request.out / f"{r.key}.ipynb"),
            html_path=str(request.out / f"{r.key}.html"),
            title=r.title,
            timeout=request.timeout,
            collect=COLLECT_HEADLINE,
        )
        for r in sorted(to_run, key=lambda r: r.kind != "national")  # the longest report first
    ]
    results = pool.run(jobs, on_result=record, progress=request.progress)
    failed = [r for r in results if r.status != "ok"]

    _prune(entries, tables)
    write_index(request.out, manifest)
    manifest["last_run"] = {
        # A run with failures records no fingerprint: the next run retries them.
        "fingerprint": None if failed else fingerprint,
        "finished": _now(),
        "request": request.identity(),
        "reports": [r.key for r in plan],
        "failed": [r.key for r in failed],
    }
    manifest["version"] = MANIFEST_VERSION
    manifest["package_version"] = __version__
    write_shared_text(request.out / MANIFEST_FILE, json.dumps(manifest, indent=1, sort_keys=True))
    seconds = time.monotonic() - started
    log.info("done: %d rendered, %d failed, %d unchanged in %.1f s", len(results) - len(failed),
             len(failed), skipped, seconds)
    print(
        f"nsss reports: rendered {len(results) - len(failed)}, failed {len(failed)}, unchanged {skipped} "
        f"in {seconds:.1f} s; open {request.out / INDEX_FILE}"
    )
    if failed:
        lines = [f"nsss reports: {len(failed)} of {len(plan)} report(s) failed (their notebooks are kept "
                 f"with papermill's error marker):"]
        for r in failed:
            cell = f" at In [{r.error_cell}]" if r.error_cell else ""
            page = request.out / f"{r.key}.html"
            lines.append(f"  {r.key}: {r.error}{cell}" + (f"; see {page}" if page.exists() else ""))
        print("\n".join(lines), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _up_to_date(entry: dict | None, report: PlannedReport, out: Path) -> bool:
    return bool(
        entry
        and entry.get("status") == "ok"
        and entry.get("input_hash") == report.input_hash
        and (out / f"{report.key}.ipynb").exists()
        and (out / f"{report.key}.html").exists()
    )


def _nothing_changed(manifest: dict, fingerprint: str, out: Path) -> bool:
    last = manifest.get("last_run") or {}
    if not last.get("fingerprint") or last["fingerprint"] != fingerprint:
        return False
    if not (out / INDEX_FILE).exists():
        return False
    entries = manifest.get("reports", {})
    return all(
        (out / f"{key}.ipynb").exists()
        and (out / f"{key}.html").exists()
        and entries.get(key, {}).get("status") == "ok"
        for key in last.get("reports", [])
    )


# --- planning ----------------------------------------------------------------------
def load_tables(processed: Path):
    """The processed tables (``indicators.Tables``) plus the optional MIS coverage tables."""
    from nsss_analysis import indicators

    tables = indicators.load_tables(processed)
    extra = {name: indicators.read_optional(name, processed) for name in ("coverage_by_sex", "coverage_quality")}
    return _TablesWithExtras(tables, extra)


class _TablesWithExtras:
    """``indicators.Tables`` with the coverage tables alongside (for hashing only)."""

    def __init__(self, tables, extra: dict):
        self._tables = tables
        self._extra = extra

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._extra:
            return self._extra[name]
        return getattr(self._tables, name)

    @property
    def base(self):
        return self._tables


def plan_reports(request: Request, tables) -> list[PlannedReport]:
    """The reports this run must produce (validating ``--ministry`` and ``--fiscal-year``
    against the data: a ministry must have assessed programmes, a year some data)."""

    from nsss_analysis import indicators, vocab

    assessments = tables.assessments
    register = vocab.load_reference().ministry_by_code
    with_data: dict[str, str] = {}
    for code, name in zip(assessments["ministry_code"], assessments["ministry"], strict=True):
        if isinstance(code, str) and code and code not in with_data:
            with_data[code] = register[code].name if code in register else str(name)
    if not with_data:
        raise NsssError(f"{request.processed / 'assessments.parquet'}: no assessed programmes; nothing to report")

    fiscal_year = requested_fiscal_year(request)
    if fiscal_year is not None:
        known = fiscal_years_with_data(tables)
        if known and fiscal_year not in known:
            raise UsageError(
                f"--fiscal-year {request.fiscal_year!r}: no processed data for {fiscal_year} "
                f"(years with data: {', '.join(sorted(known))})"
            )

    codes: list[str] = []
    problems: list[str] = []
    for text, match in zip(request.ministries, requested_ministries(request), strict=True):
        if match.code not in with_data:
            problems.append(
                f"--ministry {text!r}: {match.name} ({match.code}) has no assessed programmes in "
                f"{request.processed / 'assessments.parquet'}"
            )
        elif match.code not in codes:
            codes.append(match.code)
    if problems:
        raise UsageError("; ".join(problems))
    everything = request.all or not request.ministries
    if everything:
        codes = sorted(with_data, key=lambda c: with_data[c].lower())

    budgets = tables.budgets
    processed = str(request.processed)
    plan: list[PlannedReport] = []
    slugs: dict[str, str] = {}
    for code in codes:
        name = with_data[code]
        fy = fiscal_year or _latest_year(indicators, budgets, assessments, code)
        slug = report_slug(code, name)
        if slug in slugs and slugs[slug] != code:
            slug = f"{slug[:MAX_SLUG_LENGTH - 9]}-{hashlib.sha256(code.encode('utf-8')).hexdigest()[:8]}"
        slugs[slug] = code
        plan.append(PlannedReport(
            key=f"{fy or ALL_YEARS}/{slug}",
            kind="ministry",
            name=name,
            code=code,
            fiscal_year=fy,
            notebook=request.notebooks / MINISTRY_NOTEBOOK,
            parameters={"ministry": code, "fiscal_year": fy, "processed_dir": processed},
            title=f"{name}: gender diagnostic report" + (f", FY {fy}" if fy else ""),
        ))
    if everything:
        fy = fiscal_year or _latest_year(indicators, budgets, assessments, None)
        plan.append(PlannedReport(
            key=f"{fy or ALL_YEARS}/{NATIONAL_SLUG}",
            kind="national",
            name="National overview",
            code=None,
            fiscal_year=fy,
            notebook=request.notebooks / NATIONAL_NOTEBOOK,
            parameters={"fiscal_year": fy, "processed_dir": processed},
            title="National overview: gender diagnostics of the NSSS programmes" + (f", FY {fy}" if fy else ""),
        ))
    return plan


def requested_ministries(request: Request) -> list:
    """The register entry (``vocab.Ministry``) of each ``--ministry``; an unknown one is
    a one-line usage error with the closest register names."""
    from nsss_analysis import parse

    found, problems = [], []
    for text in request.ministries:
        match = parse.match_ministry(text)
        if match is None:
            close = parse.suggest_ministries(text, n=3)
            hint = f"; closest register names: {', '.join(close)}" if close else ""
            problems.append(f"--ministry {text!r}: not in the register of ministries and divisions{hint}")
        found.append(match)
    if problems:
        raise UsageError("; ".join(problems))
    return found


def requested_fiscal_year(request: Request) -> str | None:
    """``--fiscal-year`` as ``YYYY-YY`` (``FY24``, ``2023/2024`` ... are accepted)."""
    from nsss_analysis import parse

    if request.fiscal_year is None:
        return None
    try:
        return parse.parse_fiscal_year(request.fiscal_year)
    except ValueError as exc:
        raise UsageError(f"--fiscal-year {request.fiscal_year!r}: {exc}") from None


def _latest_year(indicators, budgets, assessments, code: str | None) -> str | None:
    """The latest fiscal year with a known budget (the one the notebooks default to),
    else the latest year named on the ministry's forms; None when neither exists."""
    if budgets is not None and len(budgets):
        fy = indicators.resolve_fiscal_year(budgets, code, None)
        if fy:
            return fy
    if "assessment_fy" in assessments.columns:
        rows = assessments if code is None else assessments[assessments["ministry_code"] == code]
        years = [y for y in rows["assessment_fy"].dropna().tolist() if isinstance(y, str) and y]
        if years:
            return max(years)
    return None


def fiscal_years_with_data(tables) -> set[str]:
    years: set[str] = set()
    if tables.budgets is not None and "fiscal_year" in tables.budgets.columns:
        years |= {y for y in tables.budgets["fiscal_year"].dropna().tolist() if isinstance(y, str)}
    if "assessment_fy" in tables.assessments.columns:
        years |= {y for y in tables.assessments["assessment_fy"].dropna().tolist() if isinstance(y, str)}
    return years


def headline_of(report: PlannedReport, tables) -> None:
    """Fill ``report.headline`` and ``report.sentences`` (for the index) from narrative."""
    try:
        from nsss_analysis import narrative

        report.headline = narrative.headline_figures(tables.base, report.code, report.fiscal_year)
        report.sentences = [str(s) for s in narrative.headline_sentences(report.headline)]
    except Exception as exc:  # noqa: BLE001 - the report exists; the index shows dashes
        log.warning("%s: no headline figures for the index: %s: %s", report.key, type(exc).__name__, exc)
        report.headline, report.sentences = None, []


def collected_headline(report: PlannedReport, collected: dict) -> bool:
    """Take the headline figures and sentences the notebook computed (see COLLECT_HEADLINE)."""
    import ast

    try:
        headline = json.loads(ast.literal_eval(collected["headline"]))
        sentences = json.loads(ast.literal_eval(collected["sentences"]))
    except (KeyError, ValueError, SyntaxError, TypeError):
        return False
    if not isinstance(headline, dict) or not isinstance(sentences, list):
        return False
    report.headline, report.sentences = headline, [str(s) for s in sentences]
    return True


def _prune(entries: dict, tables) -> None:
    """Forget reports of ministries that no longer have any assessed programme."""
    codes = set(tables.assessments["ministry_code"].dropna().tolist())
    for key in [k for k, e in entries.items() if e.get("kind") == "ministry" and e.get("ministry_code") not in codes]:
        del entries[key]


# --- hashing ---------------------------------------------------------------------
def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


PACKAGE_SUFFIXES = frozenset({".py", ".j2", ".csv", ".json", ".css"})


def package_digest() -> str:
    """The package's own code, templates and reference data, and its version: a change
    to any of them can change every report."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in PACKAGE_SUFFIXES:
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(file_digest(path).encode())
    return h.hexdigest()


def run_fingerprint(request: Request) -> str:
    """One hash of everything a run reads: the processed files, the notebooks, the
    package and the request. Reads bytes only (no pandas), so an unchanged scheduled
    run finishes in a fraction of a second."""
    h = hashlib.sha256()
    h.update(json.dumps(request.identity(), sort_keys=True).encode())
    h.update(package_digest().encode())
    for folder in (request.processed, request.notebooks):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith(".") and path.suffix in {".parquet", ".csv", ".ipynb"}:
                    h.update(path.name.encode())
                    h.update(file_digest(path).encode())
    return h.hexdigest()


def frame_digest(df) -> str:
    """A deterministic hash of a table's columns, types and rows ("absent" for None).

    List cells (``lifecycle_stages`` ...) are hashed as their JSON text.
    """
    import pandas as pd

    if df is None:
        return "absent"
    df = df.reset_index(drop=True)
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    if len(df):
        prepared = {}
        for col in df.columns:
            s = df[col]
            if s.dtype == object:
                s = s.map(_stable_text).astype("str")
            prepared[str(col)] = s
        hashed = pd.util.hash_pandas_object(pd.DataFrame(prepared), index=False)
        h.update(hashed.to_numpy().tobytes())
    return h.hexdigest()


def _stable_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\x00NA"
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str, sort_keys=True)
    return str(value)


def ministry_rows(tables, name: str, code: str):
    """Each ministry table cut to one ministry's rows (by code, name, source file or programme)."""
    from nsss_analysis.vocab import normalise_key

    assessments = tables.assessments
    own = assessments[assessments["ministry_code"] == code]
    files = set(own["source_file"].dropna().tolist())
    if tables.budgets is not None and "ministry_code" in tables.budgets.columns:
        files |= set(tables.budgets.loc[tables.budgets["ministry_code"] == code, "source_file"].dropna().tolist())
    programmes = {normalise_key(p) for p in own["programme"].dropna().tolist()}
    rows = {}
    for table in MINISTRY_TABLES:
        df = getattr(tables, table, None)
        if df is None:
            rows[table] = None
        elif "ministry_code" in df.columns:
            rows[table] = df[df["ministry_code"] == code]
        elif "ministry" in df.columns:
            rows[table] = df[df["ministry"].isin([name, code])]
        elif table == "quarantine" and "source_file" in df.columns:
            rows[table] = df[df["source_file"].isin(files)]
        elif "programme" in df.columns:
            rows[table] = df[df["programme"].map(normalise_key).isin(programmes)]
        else:
            rows[table] = df
    return rows


def national_digest(tables) -> dict:
    out = {}
    for table in NATIONAL_COMPARISON_TABLES:
        df = getattr(tables, table, None)
        if df is not None:
            df = df.drop(columns=[c for c in NATIONAL_COMPARISON_DROP if c in df.columns])
        out[table] = frame_digest(df)
    return out


def report_hash(report: PlannedReport, tables, package: str, notebook: str, national: dict) -> str:
    """The hash a report is skipped on: notebook, package, parameters and its data."""
    if report.kind == "national":
        data = {t: frame_digest(getattr(tables, t, None)) for t in MINISTRY_TABLES}
    else:
        data = {t: frame_digest(df) for t, df in ministry_rows(tables, report.name, report.code).items()}
        data["national"] = national
    payload = {
        "package_version": __version__,
        "package": package,
        "notebook": notebook,
        "parameters": report.parameters,
        "data": data,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# --- manifest, index, lock, log ------------------------------------------------------
def read_manifest(out: Path) -> dict:
    path = out / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": MANIFEST_VERSION, "reports": {}}
    except (OSError, ValueError):
        log.warning("%s is unreadable; every report will be rendered again", path)
        return {"version": MANIFEST_VERSION, "reports": {}}
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "reports": {}}
    manifest.setdefault("reports", {})
    return manifest


def write_index(out: Path, manifest: dict) -> Path:
    """``reports/index.html``: every report on disk with its headline figures and a link."""
    import jinja2

    from nsss_analysis.executor import write_shared_text

    years: dict[str, dict] = {}
    for key, entry in manifest.get("reports", {}).items():
        if not (out / entry.get("html", "")).is_file():
            continue
        year = key.split("/", 1)[0]
        group = years.setdefault(year, {"label": _year_label(year), "national": None, "ministries": []})
        row = {
            "href": "/".join(_url_quote(part) for part in entry["html"].split("/")),
            "title": entry.get("title") or entry.get("ministry"),
            "name": entry.get("ministry"),
            "code": entry.get("ministry_code"),
            "status": entry.get("status"),
            "error": entry.get("error"),
            "sentences": entry.get("sentences") or [],
            "figures": index_figures(entry.get("headline")),
        }
        if entry.get("kind") == "national":
            group["national"] = row
        else:
            group["ministries"].append(row)
    for group in years.values():
        group["ministries"].sort(key=lambda r: str(r["name"]).lower())  # by name: not a ranking
    ordered = [years[y] for y in sorted(years, key=lambda y: (y != ALL_YEARS, y), reverse=True)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE_DIR / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    page = env.get_template("index.html.j2").render(
        years=ordered, generated=_now(), version=__version__
    )
    path = out / INDEX_FILE
    write_shared_text(path, page)
    return path


def index_figures(headline: dict | None) -> dict:
    """The index's cells for one report, as text ("–" where a figure is missing)."""
    dash = "–"
    if not headline:
        return {"programmes": dash, "gsot": dash, "budget": dash, "score": dash}
    n = headline.get("n_programmes")
    k = headline.get("n_gender_specific_or_transformative")
    share, low, high = headline.get("share"), headline.get("ci_low"), headline.get("ci_high")
    gsot = dash
    if _number(k) and _number(n):
        gsot = f"{int(k)} of {int(n)}"
        if _number(share):
            gsot += f" ({share:.0%}"
            gsot += f", {low:.0%}–{high:.0%})" if _number(low) and _number(high) else ")"
    budget = dash
    if _number(headline.get("budget_share")):
        budget = f"{headline['budget_share']:.0%}"
        if headline.get("fiscal_year"):
            budget += f" (FY {headline['fiscal_year']})"
    score = dash
    if _number(headline.get("mean_inclusion_score")):
        score = f"{headline['mean_inclusion_score']:.0f}"
        if _number(headline.get("mean_ci_low")) and _number(headline.get("mean_ci_high")):
            score += f" ({headline['mean_ci_low']:.0f}–{headline['mean_ci_high']:.0f})"
        if _number(headline.get("national_mean_inclusion_score")):
            score += f"; national {headline['national_mean_inclusion_score']:.0f}"
    return {"programmes": str(int(n)) if _number(n) else dash, "gsot": gsot, "budget": budget, "score": score}


class RunLock:
    """``filelock`` on ``reports/.nsss-reports.lock``, with who holds it written beside.

    A second run waits ``wait`` seconds, then fails with exit code 75 and a message
    naming the holder's pid and start time.
    """

    def __init__(self, out: Path, wait: float = LOCK_WAIT_SECONDS):
        from filelock import FileLock

        self.out = Path(out)
        self.wait = wait
        self.lock = FileLock(str(self.out / LOCK_FILE), timeout=wait)
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
            self.info.write_text(json.dumps({"pid": os.getpid(), "since": _now()}), encoding="utf-8")
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


def _open_log(out: Path) -> logging.Handler:
    from logging.handlers import RotatingFileHandler

    # A nightly job must not fill the disk: at most LOG_BYTES, then nsss-reports.log.1 ...
    handler = RotatingFileHandler(out / LOG_FILE, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(f"%(asctime)s %(levelname)s [pid {os.getpid()}] %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return handler


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _year_label(year: str) -> str:
    return "All fiscal years" if year == ALL_YEARS else f"Fiscal year {year}"


def _url_quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe="")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _jsonable(value):
    """Plain JSON values: NaN becomes None, numpy scalars become Python numbers."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            value = str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)
