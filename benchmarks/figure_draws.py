"""Benchmark: what drawing a report's figures costs, in CPU seconds and matplotlib draws.

    .venv/bin/python benchmarks/figure_draws.py [MINISTRY ...] [--languages en bn]
        [--repeat 3] [--checkout PATH]

Builds every figure of the figure gallery (``report/figures/gallery.py``: each figure a
ministry's pages draw, plus each figure's "no data" form) from the processed tables
(``make processed`` first), in each language, and saves each as the page does
(``display.figure_svg``). Prints, per run, the figures built, how many times matplotlib
drew a figure (``Figure.draw``: a save, or a measuring pass before it), how many times
the layout engine ran, and the CPU seconds (``time.process_time``, so a busy machine
inflates them less than wall time) spent building and saving; then the median.

``--checkout`` imports the workbench's code from another checkout (e.g. an older commit:
``git archive COMMIT nsss_analysis | tar -x -C /tmp/before``), with this checkout's
processed tables, to compare the code before and after a change on the same load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(ministries: list[str], languages: list[str]) -> dict[str, float]:
    """One run in this process: the counts and CPU seconds (imports and tables excluded)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from nsss_analysis.config import PROCESSED_DIR
    from nsss_analysis.io import load_tables
    from nsss_analysis.reference.i18n import set_language
    from nsss_analysis.report import display
    from nsss_analysis.report.figures import gallery
    from nsss_analysis.report.figures.style import set_theme

    tables = load_tables(PROCESSED_DIR)
    counts = {"draws": 0, "layouts": 0}
    draw, execute = Figure.draw, ConstrainedLayoutEngine.execute

    def counted_draw(self, renderer):
        counts["draws"] += 1
        return draw(self, renderer)

    def counted_execute(self, fig):
        counts["layouts"] += 1
        return execute(self, fig)

    Figure.draw = counted_draw  # type: ignore[method-assign]
    ConstrainedLayoutEngine.execute = counted_execute  # type: ignore[method-assign]
    figures, build_s, save_s = 0, 0.0, 0.0
    for language in languages:
        set_language(language)
        set_theme(synthetic=True, language=language)
        for ministry in ministries:
            for _name, build in gallery.report_figures(tables, ministry):
                started = time.process_time()
                fig = build()
                built = time.process_time()
                display.figure_svg(fig)
                build_s += built - started
                save_s += time.process_time() - built
                figures += 1
    return {"figures": figures, **counts, "build_s": build_s, "save_s": save_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ministries", nargs="*", default=["MoSW", "MoWCA"])
    parser.add_argument("--languages", nargs="+", default=["en", "bn"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a child run
    args = parser.parse_args(argv)
    if args.one:
        result = measure(args.ministries, args.languages)
        print(" ".join(f"{k}={v}" for k, v in result.items()))
        return 0
    runs = []
    for _ in range(args.repeat):  # each run in a fresh process importing from the checkout
        out = subprocess.run(
            [sys.executable, __file__, *args.ministries, "--languages", *args.languages, "--one"],
            cwd=args.checkout,  # the code of the checkout, the processed tables of this one
            env={**os.environ, "PYTHONPATH": str(args.checkout.resolve()), "NSSS_ROOT": str(ROOT)},
            capture_output=True, text=True, check=True,
        ).stdout.split()
        run = {k: float(v) for k, v in (item.split("=") for item in out)}
        runs.append(run)
        print(f"{args.checkout}: {int(run['figures'])} figures, {int(run['draws'])} draws, "
              f"{int(run['layouts'])} layouts, CPU build {run['build_s']:.2f} s, save {run['save_s']:.2f} s")
    median = {k: statistics.median(r[k] for r in runs) for k in ("build_s", "save_s")}
    print(f"median CPU: build {median['build_s']:.2f} s, save {median['save_s']:.2f} s, "
          f"together {median['build_s'] + median['save_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
