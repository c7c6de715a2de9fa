"""Benchmark: regenerate every bundled report, the runner's way and by hand.

    .venv/bin/python benchmarks/regenerate.py [--workers N] [--skip-naive] [--keep]

1. cleans and scores ``data/raw`` into a temporary folder (not timed);
2. (a) ``nsss reports --all --force``: every ministry report and the national
   overview, parallel warm kernels, in a fresh process, timed;
3. (b) the naive way a user would, for the same reports one after another:
   ``papermill`` CLI (string parameters with ``-r``), then
   ``jupyter nbconvert --to html --no-input``;
4. (c) ``nsss reports --all`` again with nothing changed (median of 3), timed
   right after (a);
5. (d) ``nsss reports --all --language all --force``: both languages, twice the pages.

(a) and (b) render English only, the same pages.

Prints the three times and the ratio (b)/(a). Goals on a 2-core machine:
(a) at least 8x faster than (b), (c) under 1.5 s. Everything is written under a
temporary folder, removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nsss_analysis.io import load_tables
from nsss_analysis.runner.plan import plan_reports
from nsss_analysis.runner.request import ReportRequest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOAL_RATIO = 8.0
GOAL_UNCHANGED_SECONDS = 1.5


def run(command: list[str], env: dict | None = None, expect: str | None = None) -> float:
    """Run a command, fail loudly, return its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"benchmark: {' '.join(map(str, command))} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if expect is not None and expect not in done.stdout:
        print(f"  warning: expected {expect!r}, got: {done.stdout.strip()[:300]}")
    return seconds


def planned_reports(processed: Path, notebooks: Path) -> list:
    """The reports `nsss reports --all` makes (to give the naive loop the same work)."""

    request = ReportRequest(all=True, workers=1, force=True, processed=processed, out=processed,
                            notebooks=notebooks)
    return plan_reports(request, load_tables(processed))


def print_stages(reports: Path) -> None:
    """Where (a)'s time went, from the manifest it wrote: per step of the workers
    (summed over reports: CPU-seconds of 2 workers), the steps after them (wall), the
    slowest reports, and the three largest costs."""
    import json

    from nsss_analysis.runner.manifest import MANIFEST_FILE

    manifest = json.loads((reports / MANIFEST_FILE).read_text(encoding="utf-8"))
    entries = [e for e in manifest["reports"].values() if e.get("stages")] if isinstance(
        manifest.get("reports"), dict) else []
    per_step: dict[str, float] = {}
    for entry in entries:
        for step, seconds in entry["stages"].items():
            per_step[step] = per_step.get(step, 0.0) + seconds
    after = manifest.get("last_run", {}).get("stages", {})
    print(f"    per step, summed over {len(entries)} reports (worker seconds): "
          + ", ".join(f"{k} {v:.1f} s" for k, v in per_step.items()))
    print("    after the pages (wall): " + ", ".join(f"{k} {v:.1f} s" for k, v in after.items()))
    slowest = sorted(entries, key=lambda e: -e["seconds"])[:3]
    print("    slowest reports: " + ", ".join(
        f"{e['html']} {e['seconds']:.1f} s (cells {e['stages'].get('cells', 0):.1f})" for e in slowest))
    costs = {f"report cells ({k})" if k == "cells" else k: v for k, v in per_step.items()}
    costs |= {f"{k} (wall)": v for k, v in after.items() if k != "pages"}
    top = sorted(costs.items(), key=lambda kv: -kv[1])[:3]
    print("    three largest costs: " + "; ".join(f"{k} {v:.1f} s" for k, v in top))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    p.add_argument("--skip-naive", action="store_true", help="only time the runner (a) and (c)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="nsss-regenerate-"))
    notebooks = ROOT / "notebooks"
    env = dict(os.environ)
    try:
        if not all((notebooks / n).exists() for n in ("ministry_report.ipynb", "national_overview.ipynb")):
            sys.path.insert(0, str(ROOT / "tests"))
            from test_reports import write_standin_notebooks

            notebooks = write_standin_notebooks(work / "notebooks")
            env["NSSS_ROOT"] = str(work)  # `nsss reports` finds notebooks/ there
            print("note: notebooks/ has no report notebooks yet; timing the tests' stand-in notebooks")
        processed = work / "processed"
        nsss = [sys.executable, "-m", "nsss_analysis"]
        run([*nsss, "clean", "--raw", str(args.raw), "--out", str(processed)], env)
        run([*nsss, "score", "--processed", str(processed)], env)
        plan = planned_reports(processed, notebooks)
        n_ministries = sum(r.kind == "ministry" for r in plan)
        print(f"{len(plan)} reports: {n_ministries} ministries + the national overview; "
              f"{args.workers} worker(s); {os.cpu_count()} CPU(s)")

        # English only, as the naive loop renders (papermill runs the notebooks in English)
        command = [*nsss, "reports", "--all", "--language", "en", "--processed", str(processed),
                   "--out", str(work / "reports"), "--workers", str(args.workers)]
        runner = run([*command, "--force"], env)
        print(f"(a) nsss reports --all --force (English): {runner:6.1f} s")
        print_stages(work / "reports")
        # Right after (a): the package and notebooks cannot have changed in between
        # (a change to either rightly re-renders every report).
        unchanged = [run(command, env, expect="nothing changed") for _ in range(3)]
        rerun = statistics.median(unchanged)
        print(f"(c) rerun with nothing changed:          {rerun:7.2f} s (median of 3: "
              f"{', '.join(f'{s:.2f}' for s in unchanged)})")

        both = run([*nsss, "reports", "--all", "--language", "all", "--force", "--processed", str(processed),
                    "--out", str(work / "reports-both"), "--workers", str(args.workers)], env)
        print(f"(d) the same in English and Bangla:      {both:7.1f} s ({2 * len(plan)} pages)")

        naive = None
        if not args.skip_naive:
            out = work / "naive"
            out.mkdir()
            started = time.perf_counter()
            for report in plan:
                target = out / f"{report.key.replace('/', '__')}.ipynb"
                params: list[str] = []
                for name, value in report.parameters.items():
                    if value is not None:
                        params += ["-r", name, str(value)]  # -r: "010" stays a string
                run([str(BIN / "papermill"), str(report.notebook), str(target), *params, "-k", "python3",
                     "--cwd", str(notebooks), "--no-progress-bar"], env)
                run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)], env)
            naive = time.perf_counter() - started
            print(f"(b) papermill CLI + nbconvert CLI loop:  {naive:7.1f} s")

        ok = rerun < GOAL_UNCHANGED_SECONDS
        if naive is not None:
            ratio = naive / runner
            ok = ok and ratio >= GOAL_RATIO
            print(f"ratio (b)/(a): {ratio:.1f}x (goal >= {GOAL_RATIO:g}x); both languages: "
                  f"{naive / both:.1f}x the naive loop's English-only time, {2 * naive / both:.1f}x per page; "
                  f"unchanged rerun {'under' if rerun < GOAL_UNCHANGED_SECONDS else 'OVER'} "
                  f"{GOAL_UNCHANGED_SECONDS} s")
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
