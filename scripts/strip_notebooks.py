#!/usr/bin/env python
"""Strip outputs, execution counts and run metadata from notebooks before committing.

The notebooks in ``notebooks/`` are templates: papermill fills and runs them, and the
executed copies live in ``reports/``. A committed output would be stale data (and
would leak form text into the repository's history), so they are kept empty.

    python scripts/strip_notebooks.py            # strip every notebooks/*.ipynb in place
    python scripts/strip_notebooks.py --check    # exit 1 and list notebooks that carry outputs
    python scripts/strip_notebooks.py a.ipynb    # strip the named files only

Cell tags (``parameters``) and the kernel spec are kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
#: Notebook-level metadata written by a run (papermill, widgets), not by an author.
RUN_METADATA = ("papermill", "widgets", "execution")
#: Cell-level metadata written by a run.
CELL_RUN_METADATA = ("papermill", "execution", "collapsed", "scrolled", "ExecuteTime")


def strip(nb: nbformat.NotebookNode) -> bool:
    """Remove outputs, counts and run metadata in place; True if anything changed."""
    changed = False
    for key in RUN_METADATA:
        if key in nb.metadata:
            del nb.metadata[key]
            changed = True
    for cell in nb.cells:
        for key in CELL_RUN_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            cell.outputs = []
            changed = True
        if cell.get("execution_count") is not None:
            cell.execution_count = None
            changed = True
    return changed


def has_outputs(nb: nbformat.NotebookNode) -> bool:
    """True if any code cell carries outputs or an execution count."""
    return any(
        c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
        for c in nb.cells
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any has outputs")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            if has_outputs(nb):
                dirty.append(path)
            continue
        if strip(nb):
            nbformat.write(nb, path)
            print(f"stripped {path}")
    if dirty:
        print("notebooks with outputs (run scripts/strip_notebooks.py):", *map(str, dirty), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
