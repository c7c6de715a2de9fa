"""The submission tracker as a page prints it: which ministries sent their forms, what
was accepted, quarantined or resubmitted, as sentences and a table (every row), every
number a claim of the page's ledger (:mod:`nsss_analysis.report.claims`).

The tracker itself (who sent which file, how many rows were accepted and set aside) is
built from the lineage by :mod:`nsss_analysis.diagnostics.tracker`; here each count
becomes a claim that carries what it counts: a count of files has the files as its
sources, a count of quarantined lines has each line (``file / sheet / row N`` and, for
a cell, its column), so ``nsss explain <slug> "<n> lines"`` lists them and the lineage
rule checks that the number is the number of distinct sources.

The overview's cell and the index use the same functions; the index, which has no
processed tables, reads the lines from the run's ``submissions.json`` (:func:`lines_of`,
written by the runner beside it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from nsss_analysis.diagnostics.tracker import (
    SUBMITTED,
    line_ids,
    submission_tracker,
    tracker_in_words,
    tracker_summary,
    whole_rows,
)
from nsss_analysis.io import Tables
from nsss_analysis.reference.i18n import N_, Translator, _, current
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report import claims
from nsss_analysis.report.card_parts import notebook_html, small_table
from nsss_analysis.report.display import escape

#: The tracker table's columns, in words.
TRACKER_HEADERS: dict[str, str] = {
    "ministry": N_("Ministry / Division"),
    "status": N_("Status"),
    "source_file": N_("File"),
    "assessment_round": N_("Round"),
    "received_date": N_("Received"),
    "programmes": N_("Programmes accepted"),
    "budget_rows": N_("Budget rows"),
    "rows_quarantined": N_("Rows quarantined"),
    "cells_quarantined": N_("Cells set aside"),
    "resubmission": N_("Resubmission"),
    "programmes_on_record": N_("Programmes on record"),
}


def tracker_of(tables: Tables) -> pd.DataFrame:
    """The submission tracker of the processed tables, against the register and the
    catalogue of programmes on record."""
    ref = load_reference()
    return submission_tracker(tables.assessments, tables.budgets, tables.quarantine,
                              {m.code: m.name for m in ref.ministries},
                              [(p.ministry_code, p.programme) for p in ref.programmes])


def tracker_html(tracker: pd.DataFrame, lines: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> str:
    """The tracker's sentences and its table (every row), escaped; each count a claim
    (``lines``: each file's quarantined lines, :func:`lines_of`, their sources)."""
    lines = lines or {}
    said = "".join(f"<p>{escape(s)}</p>" for s in sentences(tracker, lines))
    keys = list(TRACKER_HEADERS)
    rows = [[r[k] if r[k] not in ("", None) else "" for k in keys]
            for r in rows_in_words(tracker, lines).to_dict("records")]
    return said + small_table([_(TRACKER_HEADERS[k]) for k in keys], rows, numeric_from=99)


def tracker_section(tables: Tables):
    """The submission tracker, for a notebook cell: its count of files sent is a claim
    whose sources are the files, its count of quarantined lines one whose sources are
    the lines, so the lineage rule sees a file or a line counted twice."""
    return notebook_html(tracker_html(tracker_of(tables), lines_of(tables.quarantine)))


#: The tracker's count columns and the claim each cell is: ``lines`` with the file's
#: quarantine lines as sources, or a plain ``count``.
COUNT_COLUMNS: dict[str, str] = {
    "programmes": "count",
    "budget_rows": "count",
    "rows_quarantined": "lines",
    "cells_quarantined": "lines",
    "files_from_unit": "files",
    "programmes_on_record": "count",
}

#: File -> {"rows": line ids of whole rows set aside, "cells": line ids of cells}.
Lines = Mapping[str, Mapping[str, Sequence[str]]]


def lines_of(quarantine: pd.DataFrame | None) -> dict[str, dict[str, list[str]]]:
    """Each file's quarantine lines by lineage: whole rows and cells set aside (the
    tracker's ``rows_quarantined`` and ``cells_quarantined``)."""
    if quarantine is None or not len(quarantine) or "source_file" not in quarantine.columns:
        return {}
    whole = whole_rows(quarantine)
    cells = quarantine.drop(whole.index)
    out: dict[str, dict[str, list[str]]] = {}
    for kind, frame in (("rows", whole), ("cells", cells)):
        for file, own in frame.groupby("source_file", sort=True):
            out.setdefault(str(file), {"rows": [], "cells": []})[kind] = line_ids(own)
    return out


def _lines(lines: Lines, files: Sequence[str], kind: str) -> list[str]:
    return [line for f in dict.fromkeys(files) for line in lines.get(str(f), {}).get(kind, ())]


def _counted(value: int, unit: str, sources: list[str], where: str) -> str:
    """A count of ``unit`` (files, lines) with its sources; a plain count when the lineage
    behind a non-zero count is not on hand (a ``submissions.json`` of an older run)."""
    if value and not sources:
        return str(claims.count(value, where=where))
    return str(claims.count(value, unit=unit, sources=sources, where=where))


def figure_hook(lines: Lines, where: str = "tracker"):
    """The ``figure`` of :func:`diagnostics.tracker.tracker_summary`: each number a
    claim, files and quarantined lines with their lineage as sources."""

    def figure(what: str, value: int, rows: pd.DataFrame | None) -> str:
        files = [str(f) for f in rows["source_file"] if str(f)] if rows is not None and len(rows) else []
        if what == "files":
            return _counted(value, "files", sorted(set(files)), where)
        if what == "quarantined":
            return _counted(value, "lines", _lines(lines, files, "rows"), where)
        return str(claims.count(value, where=where))

    return figure


def sentences(tracker: pd.DataFrame, lines: Lines, translate: Translator | None = None,
              where: str = "tracker") -> list[str]:
    """The tracker's sentences (who sent how many files, the rows accepted and set
    aside, who sent several files, who sent nothing), each number a claim."""
    return tracker_summary(tracker, translate, figure_hook(lines, where))


def rows_in_words(tracker: pd.DataFrame, lines: Lines, translate: Translator | None = None,
                  where: str = "tracker") -> pd.DataFrame:
    """The tracker's rows as a page shows them (``diagnostics.tracker.tracker_in_words``),
    each count a claim: quarantined rows and cells with their lines as sources, a unit's
    number of files with the files."""
    t = translate or current()
    if tracker is None or not len(tracker):
        return tracker
    out = tracker_in_words(tracker, t).astype("object").copy()
    sent = tracker[tracker["status"] == SUBMITTED]
    unit_files = {code: sorted(set(own["source_file"].astype("str"))) for code, own in sent.groupby("ministry_code")}
    for column, unit in COUNT_COLUMNS.items():
        if column not in tracker.columns:
            continue
        cells = []
        for r in tracker.to_dict("records"):
            value, file = int(r[column]), str(r.get("source_file") or "")
            if unit == "lines":
                sources = _lines(lines, [file], "rows" if column == "rows_quarantined" else "cells")
                cells.append(_counted(value, "lines", sources, f"{where}:{column}"))
            elif unit == "files" and r.get("status") == SUBMITTED:
                cells.append(_counted(value, "files", unit_files.get(r["ministry_code"], []), f"{where}:{column}"))
            else:
                cells.append(str(claims.count(value, where=f"{where}:{column}")))
        out[column] = cells
    return out
