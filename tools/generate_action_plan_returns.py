"""Regenerate the SYNTHETIC returned action plans in data/raw/action-plans/.

    .venv/bin/python -m tools.generate_action_plan_returns [--raw data/raw]

Cleans and scores the bundled forms in a temporary folder, writes each ministry's action
plan as the workbench sends it, and fills a few in as ministries return them (see
``tools/synthetic/returns.py``). The files are marked SYNTHETIC (names, README, marker).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nsss_analysis.config import RAW_DIR
from tools.synthetic.returns import generate_from_raw


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--raw", type=Path, default=RAW_DIR, help="the raw folder (default data/raw)")
    args = p.parse_args(argv)
    written = generate_from_raw(args.raw)
    print(f"wrote {len(written)} SYNTHETIC returned plans to {args.raw / 'action-plans'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
