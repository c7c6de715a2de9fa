"""The stages' entry points: ``nsss clean``, ``score``, ``beneficiaries``, ``build``.

This is the I/O edge of the pipeline. Each command opens the processed tables it is
given (paths come from the command line), calls the pure stage functions of
``intake``, ``diagnostics`` and ``mis`` on DataFrames, prints what happened and
writes the tables it made, atomically. The report stage is ``runner``.

Each command imports what it needs when it runs: ``nsss beneficiaries`` (DuckDB and
plain Python) never loads pandas, the diagnostics or the report layer, which together
take longer to import than DuckDB takes to count a million rows.
"""


from __future__ import annotations

import io
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from nsss_analysis.errors import NsssError, UsageError
from nsss_analysis.io import (
    TABLES,
    NewGeneration,
    Tables,
    check_apart,
    check_processed_folder,
    current_generation,
    errno_of,
    formula_safe_frame,
    read_optional,
    read_required,
    remove_old_generations,
)
from nsss_analysis.runner.lock import BuildLock, lock_path
from nsss_analysis.runner.request import EXIT_QUARANTINED, ReportRequest
from nsss_analysis.runner.run import run_reports

if TYPE_CHECKING:
    import pandas as pd

    from nsss_analysis.intake.clean import CleanResult
    from nsss_analysis.runner.pool import WorkerPool

#: The MIS coverage tables (``nsss beneficiaries``; the last is
#: ``mis.counting.WOMEN_SHARE_FILE``); a build without extracts drops them.
COVERAGE_FILES = ("coverage_by_sex.parquet", "coverage_quality.parquet", "coverage_women_share.parquet")


def _csv_bytes(df: pd.DataFrame) -> bytes:
    """As :func:`~nsss_analysis.io.write_csv_atomic` writes it: UTF-8 with BOM, formula-safe."""
    buf = io.StringIO()
    formula_safe_frame(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def write_tables(result: CleanResult, out_dir: Path | str, inputs: str | None = None,
                 raw_hashes: str | None = None) -> dict[str, Path]:
    """Write the four tables, all or none, as a new generation of ``out_dir``: they
    become current together, only when all four were written. ``raw_hashes`` (the raw
    files' content hashes, for the "data/raw changed" warning) goes into the same
    generation."""
    from nsss_analysis.intake.raw_hashes import RAW_HASHES_FILE
    from nsss_analysis.intake.schemas import ASSESSMENT_ARROW_SCHEMA, BUDGET_ARROW_SCHEMA

    out_dir = Path(out_dir)
    names = ("assessments", "budgets", "quarantine", "conflicts")
    with NewGeneration(out_dir, "clean", inputs=inputs) as gen:
        _write_file(gen.dir / TABLES["assessments"],
                    lambda p: result.assessments.to_parquet(p, index=False, schema=ASSESSMENT_ARROW_SCHEMA))
        _write_file(gen.dir / TABLES["budgets"],
                    lambda p: result.budgets.to_parquet(p, index=False, schema=BUDGET_ARROW_SCHEMA))
        _write_file(gen.dir / TABLES["quarantine"], lambda p: p.write_bytes(_csv_bytes(result.quarantine)))
        _write_file(gen.dir / TABLES["conflicts"], lambda p: p.write_bytes(_csv_bytes(result.conflicts)))
        if raw_hashes is not None:
            _write_file(gen.dir / RAW_HASHES_FILE, lambda p: p.write_text(raw_hashes, encoding="utf-8"))
    return {name: out_dir / TABLES[name] for name in names}


def _write_file(path: Path, write) -> None:
    """Run ``write(path)``; a file-system error names ``path`` (a full disk says which file).

    ``path`` may be a hard link to the previous generation's table: it is unlinked
    first, so that writing never changes the previous generation."""
    try:
        path.unlink(missing_ok=True)
        write(path)
    except OSError as exc:
        if exc.filename is None:
            raise OSError(errno_of(exc), exc.strerror or str(exc), str(path)) from exc
        raise


def _before_the_lock(out_dir: Path, raw_dir: Path | None = None) -> None:
    """The checks made before the lock is taken, because taking it would write there:
    the lock's folder under a file, or inside the raw folder (never written to)."""
    for parent in [out_dir, *out_dir.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"--out {out_dir}: {parent} is a file, not a folder")
            break
    lock_folder = lock_path(out_dir).parent
    if raw_dir is not None and raw_dir.is_dir() and lock_folder.resolve().is_relative_to(raw_dir.resolve()):
        check_apart(out_dir, raw_dir)  # every other refusal waits for the lock (75 first)


def _prepare(processed: Path) -> None:
    """Before a stage writes (the lock held): refuse a processed folder nsss may not
    take (a link it did not make, a folder holding other files), then remove old
    generations and leftovers (only those nsss recorded making)."""
    if processed.exists() and not processed.is_dir():
        raise UsageError(f"--out {processed} is a file; give a folder for the processed tables")
    check_processed_folder(processed)
    remove_old_generations(processed)


def format_report(result: CleanResult) -> tuple[list[str], list[str]]:
    """(stdout lines, stderr lines) of a run: per file, the total, the conflicts."""
    out: list[str] = []
    err: list[str] = []
    for f in result.files:
        if f.error:
            err.append(f"{f.source_file}: {f.error}")
            continue
        line = f"{f.source_file}: {f.accepted} accepted, {f.quarantined} quarantined"
        if f.cells_flagged:
            line += f" ({f.cells_flagged} cell{'s' if f.cells_flagged != 1 else ''} unreadable: see quarantine.csv)"
        out.append(line)
        out.extend(f"  - {m}" for m in f.messages)
    if result.skipped:
        out.append(f"skipped (not .xlsx/.xlsm/.csv): {', '.join(result.skipped)}")
    for path, reason in result.not_read:
        err.append(f"{path}: not read: {reason}")
    read = [f for f in result.files if not f.error]
    bad = len(result.files) - len(read)
    total = (
        f"total: {len(read)} file{'s' if len(read) != 1 else ''} read, "
        f"{sum(f.accepted for f in read)} rows accepted ({len(result.assessments)} programme assessments, "
        f"{len(result.budgets)} budget rows), {sum(f.quarantined for f in read)} quarantined, "
        f"{sum(f.cells_flagged for f in read)} cells unreadable"
    )
    if bad:
        total += f"; {bad} file{'s' if bad != 1 else ''} could not be read"
    out.append(total)
    conflicts = result.conflicts
    if not conflicts.empty:
        out.append(
            f"conflicts: {conflicts['conflict'].nunique()} programme(s) assessed more than once with different answers:"
        )
        for _, group in conflicts.groupby("conflict", sort=True):
            first = group.iloc[0]
            where = " vs ".join(
                f"{r.source_file}" + (f" {r.source_sheet}" if r.source_sheet else "") + f" row {r.source_row}"
                for r in group.itertuples()
            )
            out.append(
                f"  - {first['ministry_code']}: {first['programme']}: {where} (differ in {first['differing_columns']})"
            )
    return out, err


def run_clean(raw_dir: Path | str, out_dir: Path | str, strict: bool = False,
              wait: float | None = None) -> int:
    """``nsss clean``: 0 tables written, 1 nothing readable, 2 usage error, 3 (with
    ``strict``) tables written but some file or row was quarantined."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    _before_the_lock(out_dir, raw_dir)
    # The lock first: while another run holds it, this one exits 75 whatever else is wrong.
    with BuildLock(lock_path(out_dir), wait=wait, command="nsss clean"):
        if not raw_dir.exists():
            raise NsssError(f"{raw_dir}: no such folder; put the ministries' submissions there or give --raw")
        if not raw_dir.is_dir():
            raise UsageError(f"--raw {raw_dir} is a file; give the folder that holds the submissions")
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out {out_dir} is a file; give a folder for the processed tables")
        check_apart(out_dir, raw_dir)
        _prepare(out_dir)
        return _clean(raw_dir, out_dir, strict)


def _clean(raw_dir: Path, out_dir: Path, strict: bool) -> int:
    from nsss_analysis.intake.clean import clean_raw
    from nsss_analysis.intake.files import raw_digest
    from nsss_analysis.intake.raw_hashes import raw_digests_json

    result = clean_raw(raw_dir)
    out, err = format_report(result)
    for line in err:
        print(line, file=sys.stderr)
    if not result.readable:
        if not result.files:
            print(f"nsss: nothing to clean: no .xlsx, .xlsm, .csv or .zip file in {raw_dir}", file=sys.stderr)
        else:
            print(
                f"nsss: nothing readable in {raw_dir}; the previous tables were left as they were",
                file=sys.stderr,
            )
        return 1
    # The raw files' hashes go into the generation: `nsss reports` warns when data/raw's
    # content changes after this clean.
    targets = write_tables(result, out_dir, inputs=raw_digest(raw_dir), raw_hashes=raw_digests_json(raw_dir))
    for line in out:
        print(line)
    print(f"wrote {', '.join(p.name for p in targets.values())} to {out_dir}")
    if strict and (len(result.quarantine) or result.skipped):
        print(f"nsss clean: --strict: {len(result.quarantine)} quarantine line(s); exit {EXIT_QUARANTINED}",
              file=sys.stderr)
        return EXIT_QUARANTINED
    return 0





def run_score(processed_dir: Path | str, wait: float | None = None) -> int:
    """``nsss score``: read the processed tables, write scores, indicators, recommendations.

    Reads ``assessments.parquet`` (required), ``budgets.parquet``, ``quarantine.csv``
    and ``conflicts.csv`` (when present); writes ``scores.parquet``, one
    ``indicator_<name>.parquet`` per indicator table and ``recommendations.parquet``,
    each atomically, only after everything is computed. Prints a short summary.
    """

    processed_dir = Path(processed_dir)
    _before_the_lock(processed_dir)
    with BuildLock(lock_path(processed_dir), wait=wait, command="nsss score"):
        _prepare(processed_dir)
        return _score(processed_dir)


def _score(processed_dir: Path) -> int:
    from nsss_analysis.diagnostics.recommendations import recommendations
    from nsss_analysis.diagnostics.schemas import validate_output
    from nsss_analysis.diagnostics.summaries import all_indicators, count_once
    from nsss_analysis.reference.vocab import LEVELS

    source = current_generation(processed_dir)  # read once, from one generation
    assessments = read_required("assessments", source)
    # Each programme counted once per round (scores of every round, for trends);
    # indicators and recommendations for each programme's latest round.
    counted = count_once(Tables(assessments=assessments, budgets=read_optional("budgets", source)))
    tables = replace(
        counted.current,
        quarantine=read_optional("quarantine", source),
        conflicts=read_optional("conflicts", source),
    )
    tables.recommendations = recommendations(tables.assessments, tables.scores, tables.budgets)
    outputs = {"scores": counted.round_scores, "recommendations": tables.recommendations}
    outputs |= {
        f"indicator_{name}": table for name, table in all_indicators(tables).items()
    }
    outputs = {name: validate_output(name, table) for name, table in outputs.items()}
    with NewGeneration(processed_dir, "score", drop=("indicator_",)) as gen:
        for name, table in outputs.items():
            _write_file(gen.dir / f"{name}.parquet", lambda p, t=table: t.to_parquet(p, index=False))

    scores = tables.scores
    assert scores is not None  # count_once scored the assessments
    counts = scores["level"].value_counts()
    by_level = ", ".join(f"{level} {int(counts.get(level, 0))}" for level in LEVELS)
    print(f"scored {len(scores)} programmes: {by_level}")
    print(
        f"wrote scores.parquet, {len(outputs) - 2} indicator tables and "
        f"recommendations.parquet ({len(tables.recommendations)} actions) to {processed_dir}"
    )
    return 0





#: The returned plans' tables (``nsss progress``).
PROGRESS_FILE = "action_progress.parquet"
PROGRESS_QUARANTINE_FILE = "action_progress_quarantine.csv"


def run_progress(raw_dir: Path | str, processed_dir: Path | str, wait: float | None = None) -> int:
    """``nsss progress``: read the returned action plans in ``<raw>/action-plans/``
    against ``recommendations.parquet`` and write ``action_progress.parquet`` and
    ``action_progress_quarantine.csv`` (every row read is in one of them), together."""
    processed_dir = Path(processed_dir)
    _before_the_lock(processed_dir, Path(raw_dir))
    with BuildLock(lock_path(processed_dir), wait=wait, command="nsss progress"):
        if Path(raw_dir).is_dir():
            check_apart(processed_dir, raw_dir, "--processed")
        _prepare(processed_dir)
        return _progress(Path(raw_dir), processed_dir)


def _progress(raw_dir: Path, processed_dir: Path) -> int:
    from nsss_analysis.intake.action_plans import ACTION_PLANS_FOLDER, read_action_plans, validate_progress

    source = current_generation(processed_dir)
    recs = read_required("recommendations", source)
    progress, quarantine, returns = read_action_plans(raw_dir, recs)
    progress = validate_progress(progress)
    with NewGeneration(processed_dir, "progress") as gen:
        _write_file(gen.dir / PROGRESS_FILE, lambda p: progress.to_parquet(p, index=False))
        _write_file(gen.dir / PROGRESS_QUARANTINE_FILE, lambda p: p.write_bytes(_csv_bytes(quarantine)))
    latest = progress[progress["latest"]]
    counts = latest["status"].value_counts()
    by_status = ", ".join(f"{s.replace('_', ' ')} {int(counts.get(s, 0))}"
                          for s in ("not_started", "in_progress", "done", "dropped", "not_reported"))
    print(f"progress: {len(returns)} returned plan(s) in {raw_dir / ACTION_PLANS_FOLDER}, "
          f"{int((progress['source_row'].notna()).sum())} row(s) read, {len(quarantine)} quarantined; "
          f"{len(latest)} action(s) of {latest['ministry_code'].nunique()} ministr"
          f"{'y' if latest['ministry_code'].nunique() == 1 else 'ies'}: {by_status}")
    print(f"wrote {PROGRESS_FILE} and {PROGRESS_QUARANTINE_FILE} to {processed_dir}")
    return 0


def run_beneficiaries(files: Sequence[Path | str], out_dir: Path | str, memory_limit: str = "1GB",
                      wait: float | None = None) -> int:
    """``nsss beneficiaries FILE...``: read the extracts and write
    ``coverage_by_sex.parquet``, ``coverage_quality.parquet`` and
    ``coverage_women_share.parquet`` into ``out_dir``, all or nothing.

    Programme names are matched to ``out_dir/assessments.parquet`` when it exists.
    """
    out_dir = Path(out_dir)
    _before_the_lock(out_dir)
    with BuildLock(lock_path(out_dir), wait=wait, command="nsss beneficiaries"):
        _prepare(out_dir)
        return _beneficiaries(files, out_dir, memory_limit)


def _beneficiaries(files: Sequence[Path | str], out_dir: Path, memory_limit: str) -> int:
    """Count, check and write the three coverage tables with DuckDB and plain Python
    (no pandas: see the module's docstring)."""
    import duckdb

    from nsss_analysis.mis.counting import (
        COVERAGE_COLUMNS,
        INVALID_REASONS,
        QUALITY_COLUMNS,
        WOMEN_SHARE_FILE,
        count_extracts,
        women_share_rows,
    )
    from nsss_analysis.mis.schemas import COLUMNS, check_rows

    assessed = current_generation(out_dir) / TABLES["assessments"]
    assessments = None
    if assessed.is_file():
        with duckdb.connect() as con:  # the assessed programmes, in table order
            assessments = con.execute(
                "SELECT ministry, ministry_code, programme FROM read_parquet(?)", [str(assessed)]).fetchall()
    notes: list[str] = []
    coverage, quality = count_extracts(files, assessments, memory_limit=memory_limit, notes=notes)
    for note in notes:
        print(f"beneficiaries: {note}")
    at = {c: i for i, c in enumerate(COVERAGE_COLUMNS)}
    share = women_share_rows(
        [r[at[c]] for c in ("ministry", "ministry_code", "programme", "fiscal_year", "sex", "beneficiaries")]
        for r in coverage)
    tables = {"coverage_by_sex": coverage, "coverage_quality": quality, "coverage_women_share": share}
    for name, rows in tables.items():
        check_rows(name, rows)
    files_of = {"coverage_by_sex": TABLES["coverage_by_sex"], "coverage_quality": TABLES["coverage_quality"],
                "coverage_women_share": WOMEN_SHARE_FILE}
    with NewGeneration(out_dir, "beneficiaries") as gen, duckdb.connect() as con:  # all three tables, or none
        for name, rows in tables.items():
            _write_file(gen.dir / files_of[name], lambda p, n=name, r=rows: _write_rows_parquet(con, p, COLUMNS[n], r))
    q = {c: i for i, c in enumerate(QUALITY_COLUMNS)}
    totals = {c: sum(r[q[c]] for r in quality) for c in ("rows_read", "rows_counted", *INVALID_REASONS, "duplicate_id")}
    invalid = ", ".join(f"{r.removeprefix('invalid_').replace('_', ' ')} {totals[r]:,}" for r in INVALID_REASONS)
    print(
        f"beneficiaries: {len(list(files))} extract(s), {totals['rows_read']:,} rows read: "
        f"{totals['rows_counted']:,} counted, {totals['duplicate_id']:,} duplicate ids, invalid: {invalid}; "
        f"{len({r[q['programme']] for r in quality})} programme(s) -> {out_dir}"
    )
    return 0


#: DuckDB's type for each dtype of a coverage table.
_DUCK_TYPES = {"str": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE"}


def _write_rows_parquet(con, path: Path, columns: dict[str, str], rows: list[tuple]) -> None:
    """Write rows (tuples in ``columns`` order) as a Parquet file with DuckDB: text as
    strings, counts as int64, amounts and shares as float64, in the rows' order (read
    back by pandas as the DataFrame the schema describes)."""
    select = ", ".join(f"unnest(?::{_DUCK_TYPES[t]}[]) AS \"{c}\"" for c, t in columns.items())
    values = [[row[i] for row in rows] for i in range(len(columns))]
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"COPY (SELECT {select}) TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)", values)


def run_template(out: Path | str, language: str | None = None, xlsform: bool = False,
                 round_: str | None = None, odk_validate: bool = False) -> int:
    """``nsss template OUT.xlsx [--language bn]``: the blank assessment form;
    ``--xlsform [--round YYYY-YY] [--odk-validate]``: the same form for KoboToolbox and
    ODK (converted with pyxform before it is written)."""
    from nsss_analysis.intake.template import write_template
    from nsss_analysis.intake.xlsform import FORM_ID, write_xlsform

    if not xlsform:
        if round_ is not None or odk_validate:
            raise UsageError("--round and --odk-validate go with --xlsform")
        write_template(out, language)
        print(f"wrote the blank assessment form to {out}")
        return 0
    path, version = write_xlsform(out, round_, language, validate=odk_validate)
    checked = "pyxform and ODK Validate" if odk_validate else "pyxform"
    print(f"wrote the online form (XLSForm, form_id {FORM_ID}, version {version}, checked by {checked}) to {path}")
    return 0


def run_explain(slug: str, figure: str, reports_dir: Path | str) -> int:
    """``nsss explain <slug> "58%"``: where a printed figure comes from, read from the
    report's ``<slug>.claims.json`` (every language and year of that report)."""
    from nsss_analysis.report.claims import explain, load
    from nsss_analysis.runner.claims_file import ledgers_of

    files = ledgers_of(Path(reports_dir), slug)
    if not files:
        raise UsageError(f"{reports_dir}: no report {slug!r} with a claims ledger (run nsss reports first)")
    found = False
    for path in files:
        ledger = load(path)
        if not ledger.find(figure):
            continue
        found = True
        print(f"== {path.relative_to(reports_dir)}")
        print(explain(figure, ledger))
    if not found:
        print(f"no figure printed as {figure!r} in {', '.join(str(p.relative_to(reports_dir)) for p in files)}")
        return 1
    return 0


def run_build(raw_dir: Path | str, request: ReportRequest, strict: bool = False) -> int:
    """``nsss build``: clean, score (with the returned action plans), MIS coverage (``<raw>/mis``), then the reports,
    all under one build lock; stops at the first stage that fails. With ``strict``,
    a build that quarantined anything renders the reports and then exits 3."""
    started = time.monotonic()
    _before_the_lock(request.processed, Path(raw_dir))
    with BuildLock(lock_path(request.processed), wait=request.lock_wait, command="nsss build"):
        check_apart(request.out, raw_dir)
        from nsss_analysis.runner.render import early_pool

        pool = early_pool(request)  # the report kernels boot while the tables are cleaned and scored
        try:
            return _build_stages(raw_dir, request, strict, started, pool)
        finally:
            pool.close(abort=True)  # already closed when the reports ran; else not needed


def _build_stages(raw_dir: Path | str, request: ReportRequest, strict: bool, started: float,
                  pool: WorkerPool) -> int:
    """The stages of :func:`run_build`, the report kernels of ``pool`` booting meanwhile."""
    _stage(1, f"clean: reading the submissions in {raw_dir}", started)
    code = run_clean(raw_dir, request.processed, strict=strict)
    quarantined = code == EXIT_QUARANTINED
    if quarantined:
        code = 0
    if code == 0:
        _stage(2, "score: scoring every programme, indicators and recommendations; "
                  "reading the returned action plans", started)
        code = run_score(request.processed)
    if code == 0:
        code = run_progress(raw_dir, request.processed)
    from nsss_analysis.mis.extracts import default_extracts

    extracts = default_extracts(raw_dir)
    if code == 0 and extracts:
        _stage(3, f"beneficiaries: counting {len(extracts)} MIS extract(s)", started)
        code = run_beneficiaries(extracts, request.processed)
    elif code == 0:
        _stage(3, f"beneficiaries: no MIS extract in {Path(raw_dir) / 'mis'}, skipped", started)
        if any((current_generation(request.processed) / f).exists() for f in COVERAGE_FILES):
            # No extracts in this raw folder: coverage from another one must not be shown.
            with NewGeneration(request.processed, "build", drop=COVERAGE_FILES):
                pass
    if code == 0:
        _stage(4, f"reports: rendering in {', '.join(request.languages)} into {request.out}", started)
        code = run_reports(request, pool)
    return EXIT_QUARANTINED if code == 0 and quarantined else code


#: The stages of ``nsss build``, for its "stage 2 of 4" lines.
BUILD_STAGES = 4


def _stage(number: int, what: str, started: float) -> None:
    """One line as a build stage starts (a scheduler's log shows where a build is)."""
    print(f"nsss build: stage {number} of {BUILD_STAGES}, {what} ({time.monotonic() - started:.0f} s elapsed)",
          flush=True)
