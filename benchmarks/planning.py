"""Benchmark: what ``nsss reports`` does in its own process before the first page,
step by step, in CPU seconds (the wall time of this step on a shared machine is mostly
the booting kernels' and the other jobs'; the CPU time is what this process costs).

    .venv/bin/python benchmarks/planning.py [--language all] [--repeat 3]

Needs the processed tables (``make processed``). Steps, as ``runner/render.py`` runs
them: loading the tables, planning the reports (each unit's page year), hashing each
report's inputs (``runner/inputs.py``: each table's rows hashed once, each ministry's
share cut from the row hashes), and the facts the claim rules check. Also prints the
hashing done the old way (every report's rows hashed again) for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nsss_analysis.io import file_digest, load_tables  # noqa: E402
from nsss_analysis.report.rules import facts_of  # noqa: E402
from nsss_analysis.runner.inputs import TableDigests, national_digest, report_hash  # noqa: E402
from nsss_analysis.runner.manifest import package_digest  # noqa: E402
from nsss_analysis.runner.plan import plan_reports  # noqa: E402
from nsss_analysis.runner.request import ReportRequest  # noqa: E402


def once(processed: Path, language: str) -> dict[str, float]:
    times: dict[str, float] = {}
    lap = time.process_time()

    def done(step: str) -> None:
        nonlocal lap
        now = time.process_time()
        times[step], lap = now - lap, now

    tables = load_tables(processed)
    done("load tables")
    request = ReportRequest(all=True, workers=2, force=True, processed=processed, out=processed,
                            notebooks=ROOT / "notebooks", languages=language)
    plan = plan_reports(request, tables)
    done(f"plan ({len(plan)} reports)")
    package = package_digest()
    notebooks = {p: file_digest(p) for p in {r.notebook for r in plan}}
    national = national_digest(tables)
    digests = TableDigests(tables)
    for report in plan:
        report_hash(report, tables, package, notebooks[report.notebook], national, digests)
    done("hash inputs")
    facts_of(tables)
    done("claim facts")
    for report in plan:  # without the shared digests: every report's rows hashed again
        report_hash(report, tables, package, notebooks[report.notebook], national)
    done("(hash inputs, each report on its own)")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processed", type=Path, default=ROOT / "data" / "processed")
    parser.add_argument("--language", default="all")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [once(args.processed, args.language) for _ in range(args.repeat)]
    print(f"planning in the runner's process, CPU seconds, median of {args.repeat} "
          f"(the first run also pays the imports):")
    for step in runs[0]:
        print(f"  {step:<40} {statistics.median(r[step] for r in runs):6.2f} s  (first {runs[0][step]:.2f} s)")
    total = [sum(v for k, v in r.items() if not k.startswith("(")) for r in runs]
    print(f"  {'in all':<40} {statistics.median(total):6.2f} s  (first {total[0]:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
