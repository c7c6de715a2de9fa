"""The stages' entry points: ``nsss clean``, ``score``, ``beneficiaries``, ``build``.

This is the I/O edge of the pipeline. Each command opens the processed tables it is
given (paths come from the command line), calls the pure stage functions of
``intake``, ``diagnostics`` and ``mis`` on DataFrames, prints what happened and
writes the tables it made, atomically. The report stage is ``runner``.
"""


from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from nsss_analysis.diagnostics.recommendations import recommendations
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.diagnostics.summaries import all_indicators
from nsss_analysis.errors import NsssError, UsageError
from nsss_analysis.intake.clean import CleanResult, clean_raw
from nsss_analysis.intake.raw_hashes import RAW_HASHES_FILE, raw_digests_json
from nsss_analysis.intake.schemas import ASSESSMENT_ARROW_SCHEMA, BUDGET_ARROW_SCHEMA
from nsss_analysis.intake.template import write_template
from nsss_analysis.io import (
    TABLES,
    Tables,
    atomic_path,
    formula_safe_frame,
    load_processed,
    read_optional,
    read_required,
    write_parquet_atomic,
    write_text_atomic,
)
from nsss_analysis.mis.counting import INVALID_REASONS, coverage_from_extracts
from nsss_analysis.mis.coverage import WOMEN_SHARE_FILE, women_share_by_programme
from nsss_analysis.mis.extracts import default_extracts
from nsss_analysis.reference.vocab import LEVELS
from nsss_analysis.runner.request import ReportRequest
from nsss_analysis.runner.run import run_reports


def _csv_bytes(df: pd.DataFrame) -> bytes:
    """As :func:`write_csv_atomic` writes it: UTF-8 with BOM, formula-safe."""
    buf = io.StringIO()
    formula_safe_frame(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def write_tables(result: CleanResult, out_dir: Path | str) -> dict[str, Path]:
    """Write the four tables, all or none: each goes to a temporary file first and
    they replace the previous tables only when all four were written."""
    out_dir = Path(out_dir)
    targets = {
        name: out_dir / TABLES[name] for name in ("assessments", "budgets", "quarantine", "conflicts")
    }
    with ExitStack() as stack:
        tmp = {name: stack.enter_context(atomic_path(path)) for name, path in targets.items()}
        result.assessments.to_parquet(tmp["assessments"], index=False, schema=ASSESSMENT_ARROW_SCHEMA)
        result.budgets.to_parquet(tmp["budgets"], index=False, schema=BUDGET_ARROW_SCHEMA)
        tmp["quarantine"].write_bytes(_csv_bytes(result.quarantine))
        tmp["conflicts"].write_bytes(_csv_bytes(result.conflicts))
    return targets


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


def run_clean(raw_dir: Path | str, out_dir: Path | str) -> int:
    """``nsss clean``: 0 tables written, 1 nothing readable, 2 usage error."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.exists():
        raise NsssError(f"{raw_dir}: no such folder; put the ministries' submissions there or give --raw")
    if not raw_dir.is_dir():
        raise UsageError(f"--raw {raw_dir} is a file; give the folder that holds the submissions")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} is a file; give a folder for the processed tables")
    if out_dir.resolve().is_relative_to(raw_dir.resolve()):
        raise UsageError(f"--out {out_dir} is inside the raw folder {raw_dir}, which is never written to")
    result = clean_raw(raw_dir)
    out, err = format_report(result)
    for line in err:
        print(line, file=sys.stderr)
    if not result.readable:
        if not result.files:
            print(f"nsss: nothing to clean: no .xlsx, .xlsm or .csv file in {raw_dir}", file=sys.stderr)
        else:
            print(
                f"nsss: nothing readable in {raw_dir}; the previous tables were left as they were",
                file=sys.stderr,
            )
        return 1
    targets = write_tables(result, out_dir)
    # `nsss reports` warns when data/raw's content changes after this clean.
    write_text_atomic(out_dir / RAW_HASHES_FILE, raw_digests_json(raw_dir))
    for line in out:
        print(line)
    print(f"wrote {', '.join(p.name for p in targets.values())} to {out_dir}")
    return 0





def run_score(processed_dir: Path | str) -> int:
    """``nsss score``: read the processed tables, write scores, indicators, recommendations.

    Reads ``assessments.parquet`` (required), ``budgets.parquet``, ``quarantine.csv``
    and ``conflicts.csv`` (when present); writes ``scores.parquet``, one
    ``indicator_<name>.parquet`` per indicator table and ``recommendations.parquet``,
    each atomically, only after everything is computed. Prints a short summary.
    """

    processed_dir = Path(processed_dir)
    assessments = read_required("assessments", processed_dir)
    tables = Tables(
        assessments=assessments,
        budgets=read_optional("budgets", processed_dir),
        scores=score_programmes(assessments),
        quarantine=read_optional("quarantine", processed_dir),
        conflicts=read_optional("conflicts", processed_dir),
    )
    tables.recommendations = recommendations(tables.assessments, tables.scores, tables.budgets)
    outputs = {"scores": tables.scores, "recommendations": tables.recommendations}
    outputs |= {
        f"indicator_{name}": table for name, table in all_indicators(tables).items()
    }
    for name, table in outputs.items():
        write_parquet_atomic(table, processed_dir / f"{name}.parquet")

    counts = tables.scores["level"].value_counts()
    by_level = ", ".join(f"{level} {int(counts.get(level, 0))}" for level in LEVELS)
    print(f"scored {len(tables.scores)} programmes: {by_level}")
    print(
        f"wrote scores.parquet, {len(outputs) - 2} indicator tables and "
        f"recommendations.parquet ({len(tables.recommendations)} actions) to {processed_dir}"
    )
    return 0





def run_beneficiaries(files: Sequence[Path | str], out_dir: Path | str, memory_limit: str = "1GB") -> int:
    """``nsss beneficiaries FILE...``: read the extracts and write
    ``coverage_by_sex.parquet``, ``coverage_quality.parquet`` and
    ``coverage_women_share.parquet`` into ``out_dir``, all or nothing.

    Programme names are matched to ``out_dir/assessments.parquet`` when it exists.
    """
    out_dir = Path(out_dir)
    try:
        assessments = load_processed("assessments", out_dir)
    except FileNotFoundError:
        assessments = None
    coverage, quality = coverage_from_extracts(files, assessments, memory_limit=memory_limit)
    share = women_share_by_programme(coverage)
    with ExitStack() as stack:  # all three tables replace the old ones together, or none does
        for frame, name in ((coverage, TABLES["coverage_by_sex"]),
                            (quality, TABLES["coverage_quality"]), (share, WOMEN_SHARE_FILE)):
            frame.to_parquet(stack.enter_context(atomic_path(out_dir / name)), index=False)
    totals = quality[["rows_read", "rows_counted", *INVALID_REASONS, "duplicate_id"]].sum()
    invalid = ", ".join(f"{r.removeprefix('invalid_').replace('_', ' ')} {totals[r]:,}" for r in INVALID_REASONS)
    print(
        f"beneficiaries: {len(list(files))} extract(s), {totals['rows_read']:,} rows read: "
        f"{totals['rows_counted']:,} counted, {totals['duplicate_id']:,} duplicate ids, invalid: {invalid}; "
        f"{quality['programme'].nunique()} programme(s) -> {out_dir}"
    )
    return 0


def run_template(out: Path | str) -> int:
    """``nsss template OUT.xlsx``: the blank assessment form."""
    write_template(out)
    print(f"wrote the blank assessment form to {out}")
    return 0


def run_build(raw_dir: Path | str, request: ReportRequest) -> int:
    """``nsss build``: clean, score, MIS coverage (``<raw>/mis``), then the reports;
    stops at the first stage that fails."""
    code = run_clean(raw_dir, request.processed)
    if code == 0:
        code = run_score(request.processed)
    extracts = default_extracts(raw_dir)
    if code == 0 and extracts:
        code = run_beneficiaries(extracts, request.processed)
    return run_reports(request) if code == 0 else code
