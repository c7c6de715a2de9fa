"""The submission tracker: which ministries sent their forms, what was accepted,
quarantined or resubmitted, as sentences and a table (every row).
"""

from __future__ import annotations

import pandas as pd

from nsss_analysis.diagnostics.tracker import SUBMITTED, submission_tracker, tracker_in_words, tracker_summary
from nsss_analysis.io import Tables
from nsss_analysis.reference.i18n import N_, _, current
from nsss_analysis.reference.numbers import number
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


def tracker_html(tracker: pd.DataFrame) -> str:
    """The tracker's sentences and its table (every row), escaped."""
    lines = "".join(f"<p>{escape(s)}</p>" for s in tracker_summary(tracker))
    keys = list(TRACKER_HEADERS)
    rows = [[r[k] if r[k] not in ("", None) else "" for k in keys] for r in tracker_in_words(tracker).to_dict("records")]
    return lines + small_table([_(TRACKER_HEADERS[k]) for k in keys], rows, numeric_from=99)


def tracker_section(tables: Tables):
    """The submission tracker, for a notebook cell. Its count of files sent is a claim
    whose sources are the files, so the lineage rule sees a file counted twice."""
    tracker = tracker_of(tables)
    if tracker is not None and len(tracker):
        sent = tracker[tracker["status"] == SUBMITTED]
        claims.figure(len(sent), "files", number(len(sent), current().language), sources=sent["source_file"],
                      where="cards.tracker")
    return notebook_html(tracker_html(tracker))
