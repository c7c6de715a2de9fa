"""Benchmark: time and peak memory of clean, score and reports at 1x, 10x and 30x the
bundled data.

    .venv/bin/python benchmarks/scale.py [--sizes 1 10 30] [--workers 2] [--keep]

Size k is k batches of the bundled submissions, each made by the generator with its
own seed (2019, 2020, ...), its programme names made distinct by a batch suffix (so
they are more programmes, not copies, which the cleaner would read once). Each stage
runs as ``nsss`` in a fresh process; its peak memory is the largest resident size of
any one process of its tree (the command, its workers and their kernels), sampled
every 0.1 s. Prints one line per stage and size. Goals: under 1.5 GB per process at
30x, and time growing no faster than the data.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.synthetic.forms import DEFAULT_SEED, generate  # noqa: E402 - after the sys.path line above

NSSS = [sys.executable, "-m", "nsss_analysis"]


def catalogue() -> list[str]:
    with open(ROOT / "nsss_analysis" / "reference" / "programmes.csv", encoding="utf-8") as f:
        names = [row["programme"] for row in csv.DictReader(f)]
    return sorted(set(names), key=len, reverse=True)  # longest first: no partial replacement


def distinct(folder: Path, batch: int, names: list[str]) -> None:
    """Suffix every programme name in a batch's files with `` (batch N)``."""
    suffix = f" (batch {batch})"
    for path in folder.rglob("*"):
        if path.suffix.lower() == ".csv" and "mis" not in path.parts:
            raw = path.read_bytes()
            for encoding in ("utf-8-sig", "utf-16", "cp1252"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeError:
                    continue
            for name in names:
                text = text.replace(name, name + suffix)
            path.write_bytes(text.encode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8",
                                         errors="replace"))
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
            except Exception:  # noqa: BLE001 - a deliberately broken file stays as it is
                continue
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str) and cell.value.strip() in names:
                            cell.value = cell.value.strip() + suffix
            wb.save(path)


def make_raw(folder: Path, size: int) -> None:
    names = catalogue()
    for batch in range(size):
        target = folder / f"batch_{batch:02d}"
        generate(target, DEFAULT_SEED + batch, readme=False)
        if batch:
            distinct(target, batch, names)
        if batch and (target / "mis").exists():
            shutil.rmtree(target / "mis")


def measure(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MB of any one process of the tree, exit code)."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    peak = max(peak, p.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.1)
    err = proc.stderr.read()
    if proc.returncode not in (0, 3):
        print(err, file=sys.stderr)
    return time.monotonic() - started, peak / 1e6, proc.returncode


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 30])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--language", default="en", choices=("en", "bn", "all"),
                   help="the reports' language(s) (default: en; all doubles the pages)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nsss-scale-"))
    base: dict[str, float] = {}
    try:
        for size in args.sizes:
            raw, processed, out = work / f"raw{size}", work / f"data{size}" / "processed", work / f"reports{size}"
            make_raw(raw, size)
            rows = None
            for stage, argv in (
                ("clean", [*NSSS, "clean", "--raw", str(raw), "--out", str(processed)]),
                ("score", [*NSSS, "score", "--processed", str(processed)]),
                ("reports", [*NSSS, "reports", "--all", "--force", "--processed", str(processed), "--out", str(out),
                             "--workers", str(args.workers), "--language", args.language]),
            ):
                seconds, mb, code = measure(argv)
                if rows is None and (processed / "assessments.parquet").exists():
                    import pandas as pd

                    rows = len(pd.read_parquet(processed / "assessments.parquet"))
                per = seconds / size
                base.setdefault(stage, per)
                print(f"{size:>3}x ({rows} programme rows) {stage:<8} {seconds:8.1f} s  "
                      f"({per / base[stage]:.2f}x the 1x time per batch)  peak {mb:7.0f} MB/process  exit {code}",
                      flush=True)
                if stage == "reports" and (out / "manifest.json").exists():
                    from regenerate import print_stages  # benchmarks/, this script's folder

                    print_stages(out)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
