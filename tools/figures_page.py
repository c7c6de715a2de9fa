"""Write one HTML page with every report figure in English and Bangla side by side.

    .venv/bin/python -m tools.figures_page [--processed data/processed] [--ministry MoSW]
        [--out reports/figures-test.html]

The figures are drawn from the processed tables (``make processed`` first) as a
ministry report and the national overview draw them, plus each figure's no-data
version; a character no font has is named under its figure and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from nsss_analysis.config import PROCESSED_DIR, REPORTS_DIR  # noqa: E402
from nsss_analysis.diagnostics.summaries import is_synthetic  # noqa: E402
from nsss_analysis.errors import NsssError  # noqa: E402
from nsss_analysis.io import load_tables, write_text_atomic  # noqa: E402
from nsss_analysis.report.figures import gallery  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--processed", type=Path, default=PROCESSED_DIR, help="processed tables (default data/processed)")
    p.add_argument("--ministry", default="MoSW", help="the ministry report whose figures to draw (default MoSW)")
    p.add_argument("--out", type=Path, default=REPORTS_DIR / "figures-test.html", help="the page to write")
    args = p.parse_args(argv)
    try:
        tables = load_tables(args.processed)
        calls = gallery.report_figures(tables, args.ministry)
    except NsssError as e:
        print(f"figures_page: {e}", file=sys.stderr)
        return 2
    drawn = gallery.draw_all(calls, ("en", "bn"), synthetic=is_synthetic(tables.assessments))
    write_text_atomic(args.out, gallery.gallery_html(drawn))
    missing = {f"{d.name} ({d.language})": d.missing for by in drawn.values() for d in by.values() if d.missing}
    print(f"wrote {len(drawn)} figures in English and Bangla to {args.out}"
          + (f"; missing glyphs: {missing}" if missing else "; no missing glyph"))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
