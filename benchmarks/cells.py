"""Benchmark: where a ministry report's own cells spend their time, without a kernel.

    .venv/bin/python benchmarks/cells.py [MINISTRY ...] [--notebook notebooks/ministry_report.ipynb]

Runs the report notebook's code cells in this process (the parameters cell, then
``ministry`` set; ``display`` is a no-op, so no HTML is kept), times each cell and
profiles the slowest one, and prints the cells by time and the three largest costs
(cumulative, functions of the package and of matplotlib's ``savefig``) in that cell.
The first cell's time includes the imports and loading the processed tables
(``make processed`` first). The runner's own cost per report is this time plus
papermill, the HTML export and the downloads (``benchmarks/downloads.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cells(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return ["\n".join(line for line in "".join(c["source"]).splitlines() if not line.startswith("%"))
            for c in nb["cells"] if c["cell_type"] == "code"]


def run(code: list[str], ministry: str, profile_cell: int | None) -> tuple[list[float], pstats.Stats | None]:
    scope: dict = {}
    exec(code[0], scope)
    scope.update(ministry=ministry, slug="benchmark", claims_path=tempfile.mktemp(suffix=".claims.json"),
                 display=lambda *a, **k: None)
    times, profile = [], cProfile.Profile()
    for i, source in enumerate(code[1:], start=1):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            if i == profile_cell:
                profile.enable()
            exec(compile(source, f"cell {i}", "exec"), scope)
            if i == profile_cell:
                profile.disable()
        times.append(time.perf_counter() - started)
    return times, pstats.Stats(profile) if profile_cell else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ministries", nargs="*", default=["MoSW"])
    parser.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "ministry_report.ipynb")
    args = parser.parse_args(argv)
    code = cells(args.notebook)
    for ministry in args.ministries:
        times, _ = run(code, ministry, None)  # first run: imports and caches warm, as in a warm kernel
        slowest = max(range(1, len(times)), key=lambda i: times[i]) + 1  # the slowest after the imports
        times, stats = run(code, ministry, slowest)
        print(f"{ministry}: cells {sum(times):.2f} s in all (warm), of which the first (imports, tables) "
              f"{times[0]:.2f} s")
        for i in sorted(range(len(times)), key=lambda i: -times[i])[:4]:
            first = code[i + 1].strip().splitlines()[0][:70]
            print(f"  cell {i + 1:>2} {times[i]:6.2f} s  {first}")
        rows = [(cum, f"{Path(file).name}:{name}") for (file, _l, name), (_c, _n, _t, cum, _x) in stats.stats.items()
                if ("nsss_analysis" in file and name not in ("<module>",)) or name == "savefig"]
        print(f"  largest costs in cell {slowest}:")
        for cum, name in sorted(rows, reverse=True)[1:4]:
            print(f"    {name:<45} {cum:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
