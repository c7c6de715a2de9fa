"""Regenerate the bundled ministry submissions in data/raw/ (seeded, byte-reproducible).

    .venv/bin/python -m tools.generate_bundled_data [--out data/raw] [--seed 2019]
        [--truth DIR] [--check]

The programmes are real NSSS programmes; the gender answers and most figures are
SYNTHETIC (see data/raw/README.md, which this script writes). ``--truth DIR`` also saves
the expected processed values (never into the raw folder: the cleaner would read them).
``--check`` runs the cleaner on the written folder and prints how many fields it got right.
The logic lives in ``nsss_analysis.synthetic_forms``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nsss_analysis.config import RAW_DIR
from nsss_analysis.intake.clean import clean_raw
from tools.synthetic.forms import DEFAULT_SEED, compare_with_truth, generate


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=RAW_DIR, help="folder to write (default data/raw)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--truth", type=Path, default=None, help="folder for the truth tables (parquet)")
    p.add_argument("--check", action="store_true", help="clean the result and score it against the truth")
    args = p.parse_args(argv)

    out, truth_dir = args.out.resolve(), args.truth.resolve() if args.truth else None
    if truth_dir is not None and (truth_dir == out or out in truth_dir.parents):
        print("generate_bundled_data: --truth must be outside --out (the cleaner reads every CSV there)",
              file=sys.stderr)
        return 2
    truth = generate(args.out, args.seed)
    print(f"wrote {len(truth.files)} files to {args.out} (seed {args.seed}): "
          f"{len(truth.assessments)} programme rows, {len(truth.budgets)} budget rows, "
          f"{len(truth.quarantined_rows)} rows to quarantine, {len(truth.bad_cells)} bad cells")
    if args.truth:
        truth.write(args.truth)
        print(f"wrote the truth tables to {args.truth}")
    if args.check:

        result = clean_raw(args.out)
        comparison = compare_with_truth(
            truth, result.assessments, result.budgets, result.quarantine, result.conflicts
        )
        print(comparison.summary())
        if len(comparison.wrong):
            print(comparison.wrong.to_string(max_rows=40, max_colwidth=60))
        return 0 if comparison.accuracy >= 0.98 and comparison.lost_rows.empty else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
