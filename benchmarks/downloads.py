"""Benchmark: the files ``nsss reports`` writes beside the pages once they are rendered
(each report's action plan and data workbook, the national plan's workbook), the stage
it announces as "writing the action plans and data workbooks, then the index".

    .venv/bin/python benchmarks/downloads.py [--language all] [--top 3]

Needs the processed tables (``make processed``). Writes into a temporary folder, for
every report ``nsss reports --all`` plans, and prints the stage's time, the time per
report and the three slowest reports, and the three functions that took the most time
(cProfile, cumulative, within the package).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nsss_analysis.io import current_generation, load_tables  # noqa: E402
from nsss_analysis.runner.outputs import write_beside_reports  # noqa: E402
from nsss_analysis.runner.plan import plan_reports  # noqa: E402
from nsss_analysis.runner.request import ReportRequest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processed", type=Path, default=ROOT / "data" / "processed")
    parser.add_argument("--language", default="all")
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args(argv)
    out = Path(tempfile.mkdtemp(prefix="nsss-bench-downloads-"))
    try:
        tables = load_tables(current_generation(args.processed))
        request = ReportRequest(all=True, workers=1, force=True, processed=args.processed, out=out,
                                notebooks=ROOT / "notebooks", languages=args.language)
        plan = plan_reports(request, tables)
        import nsss_analysis.runner.outputs as outputs

        per_report: list[tuple[float, str]] = []
        write = outputs.write_downloads

        def timed(*a, **k):  # each report's two workbooks, timed
            t = time.perf_counter()
            try:
                return write(*a, **k)
            finally:
                per_report.append((time.perf_counter() - t, str(a[3])))

        outputs.write_downloads = timed
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        write_beside_reports(plan, {r.key for r in plan}, tables, out)  # as the runner calls it
        profile.disable()
        outputs.write_downloads = write
        total = time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"downloads of {len(plan)} report(s) ({args.language}): {total:.1f} s, "
          f"{total / max(1, len(plan)):.2f} s a report (under cProfile)")
    for seconds, key in sorted(per_report, reverse=True)[: args.top]:
        print(f"  slowest report: {key:<50} {seconds:6.2f} s")
    stats = pstats.Stats(profile).stats
    ours = [(cum, f"{Path(file).name}:{name}") for (file, _line, name), (_cc, _nc, _tt, cum, _c) in stats.items()
            if "nsss_analysis" in file and name not in ("write_beside_reports", "write_downloads")]
    for cum, name in sorted(ours, reverse=True)[: args.top]:
        print(f"  largest cost: {name:<50} {cum:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
