"""Benchmark: the HTML export of executed report notebooks, parsing each page once (the
runner's exporter) against nbconvert's export followed by a second parse (as before).

    .venv/bin/python benchmarks/html_export.py reports/2024-25/bn/national-overview.ipynb [...]

Takes executed notebooks (``nsss reports`` leaves them beside the pages); prints, per
notebook, the CPU seconds of ``runner.html.render_html`` both ways (median of 3, in
Bangla, with the link to the English page).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402

from nsss_analysis.runner import html  # noqa: E402


def _twice(self, nb, resources=None):  # nbconvert's export, then the sanitiser's own parse
    page, _ = HTMLExporter.from_notebook_node(self, nb, resources=resources)
    return page, BeautifulSoup(page, "html.parser")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    exporter = type(html.html_exporter())
    once = exporter.page_and_soup
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        seconds: dict[str, list[float]] = {"one parse": [], "two parses": []}
        for _ in range(args.repeat):
            for name, way in (("one parse", once), ("two parses", _twice)):
                exporter.page_and_soup = way  # type: ignore[method-assign]
                copied = copy.deepcopy(nb)
                started = time.process_time()
                html.render_html(copied, "benchmark", "bn", {"en": "../page.html"})
                seconds[name].append(time.process_time() - started)
        exporter.page_and_soup = once  # type: ignore[method-assign]
        print(f"{path}: " + ", ".join(f"{k} {statistics.median(v):.3f} s" for k, v in seconds.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
