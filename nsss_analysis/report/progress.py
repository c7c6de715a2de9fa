"""Progress on the action plans, in the reports: each action's last reported status in
the programme cards, the cluster meeting's ministry x status table, and the tracker of
returned plans in the national overview and the index.

Counts only: an action plan of seven items is not a percentage. A ``done`` that this
round's form contradicts (the item is still a gap) is flagged for a person, never
silently trusted (``diagnostics/progress.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from html import escape

import pandas as pd

from nsss_analysis.diagnostics.progress import as_of, return_tracker, status_counts
from nsss_analysis.io import Tables
from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import N_, current
from nsss_analysis.reference.names import display_name
from nsss_analysis.reference.plan_form import STATUS_WORDS
from nsss_analysis.report import claims

#: The card's progress columns, in words.
LAST_STATUS = N_("Last reported status")
TARGET_DATE = N_("Target date")
OVERDUE = N_("Overdue")
OVERDUE_YES = N_("overdue")
#: A ``done`` the form contradicts, said to a person.
DONE_BUT_GAP = N_("{action_id}: reported done in the returned plan, but this round's form still says "
                  "'{answer}'; a person should check which holds.")
#: The line above a card's actions when its ministry returned a plan.
RETURNED_ON = N_("Status as the ministry last reported it, in its plan returned on {date}.")

#: The tracker of returned plans.
TRACKER_HEADERS: dict[str, str] = {
    "ministry": N_("Ministry / Division"),
    "returned": N_("Plan returned"),
    "received_date": N_("Received"),
    "returns": N_("Returns"),
    "actions": N_("Actions reported"),
    "done": N_("Done"),
    "overdue": N_("Overdue"),
    "last_file": N_("File"),
}
RETURNED_WORDS = {True: N_("yes"), False: N_("not yet")}
TRACKER_NONE = N_("No ministry has returned its action plan yet.")
TRACKER_SUMMARY = N_("{returned} of {ministries} ministries and divisions have returned their action plan.")
PROGRESS_NONE = N_("No ministry of this cluster has returned its action plan yet.")
PROGRESS_LEAD = N_("Actions by their last reported status, per ministry (counts; an action of a ministry that "
                   "returned its plan but left it out is 'not reported'; ministries that returned nothing are "
                   "not listed), as of {date}.")
MINISTRY = N_("Ministry / Division")
TOTAL = N_("Total")


def _date(value: object) -> str:
    """A date as the page's language writes it (৩১-০১-২০১৯ in Bangla); empty when none."""
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return ""
    return numbers.date(value, current().language)


def count(value: object, **meta: object) -> str:
    """A count of actions or ministries, printed as a claim of the page's ledger
    (``reference.numbers`` writes it)."""
    return str(claims.count(int(value), **({"where": "progress"} | meta)))  # type: ignore[call-overload, arg-type]


def _table(header: list[str], rows: Sequence[Sequence[object]], numeric: AbstractSet[int] = frozenset()) -> str:
    def cell(i: int, v: object, tag: str = "td") -> str:
        align = "right" if i in numeric else "left"
        return f'<{tag} style="text-align:{align};vertical-align:top">{escape(str(v))}</{tag}>'

    head = "".join(cell(i, h, "th") for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="nsss-scroll"><table class="nsss-table nsss-progress"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def status_in_words(code: object) -> str:
    """A status code in the page's language (empty: no return covers the action)."""
    _ = current()
    return _(STATUS_WORDS[code]) if isinstance(code, str) and code in STATUS_WORDS else ""


def has_progress(actions: pd.DataFrame) -> bool:
    """Whether ``actions`` carry a returned status (the ministry returned its plan)."""
    return "last_status" in actions.columns and bool((actions["last_status"] != "").any())


def action_progress_cells(row: dict) -> list[str]:
    """A card's action row's progress cells: last status, target date, overdue."""
    _ = current()
    date = row.get("last_target_date") or ""
    return [status_in_words(row.get("last_status")), _date(date),
            _(OVERDUE_YES) if row.get("overdue") else ""]


def progress_headers() -> list[str]:
    _ = current()
    return [_(LAST_STATUS), _(TARGET_DATE), _(OVERDUE)]


def done_but_gap_notes(actions: pd.DataFrame) -> list[str]:
    """The flags of a card: each action reported done that the form still shows as a gap."""
    if "done_but_gap" not in actions.columns:
        return []
    _ = current()
    return [_(DONE_BUT_GAP).format(action_id=r["action_id"], answer=_(r["answer"]))
            for r in actions[actions["done_but_gap"]].to_dict("records")]


def returned_line(actions: pd.DataFrame) -> str:
    """The line above a card's actions naming the return's date."""
    dates = [d for d in actions.get("reported_on", pd.Series([], dtype="str")) if d]
    return current()(RETURNED_ON).format(date=_date(max(dates))) if dates else ""


def cluster_progress_html(tables: Tables, codes: list[str]) -> str:
    """The cluster meeting's table: ministry x last reported status, counts."""
    _ = current()
    counts = status_counts(tables.action_progress, None)
    counts = counts[counts["ministry_code"].isin(codes)]
    if not len(counts):
        return f"<p>{escape(_(PROGRESS_NONE))}</p>"
    statuses = list(STATUS_WORDS)
    header = [_(MINISTRY), *(_(STATUS_WORDS[s]) for s in statuses), _(TOTAL)]
    rows = [[display_name("ministry", r["ministry_code"]),
             *(count(r[s], where=f"progress.cluster:{s}") for s in statuses),
             count(r["total"], where="progress.cluster:total")]
            for r in counts.to_dict("records")]
    lead = _(PROGRESS_LEAD).format(date=_date(as_of(tables.action_progress)))
    return f"<p>{escape(lead)}</p>" + _table(header, rows, set(range(1, len(header))))


def return_tracker_html(tables: Tables) -> str:
    """Which ministries with assessed programmes returned their action plan, and when."""
    _ = current()
    codes = sorted(set(tables.assessments["ministry_code"].dropna().astype("str")),
                   key=lambda c: display_name("ministry", c).lower())
    tracker = return_tracker(tables.action_progress, codes)
    returned = int(tracker["returned"].sum())
    lines = f"<p>{escape(_tracker_sentence(tracker))}</p>"
    if not returned:
        lines += f"<p>{escape(_(TRACKER_NONE))}</p>"
    keys = list(TRACKER_HEADERS)
    files = returned_files(tables.action_progress)
    rows = []
    for r in tracker.sort_values("returned", ascending=False, kind="stable").to_dict("records"):
        rows.append([display_name("ministry", r["ministry_code"]), _(RETURNED_WORDS[bool(r["returned"])]),
                     _date(r["received_date"]),
                     _returns(r, files.get(r["ministry_code"], ())) if r["returned"] else "",
                     count(r["actions"], where="progress.tracker:actions") if r["returned"] else "",
                     count(r["done"], where="progress.tracker:done") if r["returned"] else "",
                     count(r["overdue"], where="progress.tracker:overdue") if r["returned"] else "", r["last_file"]])
    return lines + _table([_(TRACKER_HEADERS[k]) for k in keys], rows, {3, 4, 5, 6})


def returned_files(progress: pd.DataFrame | None) -> dict[str, tuple[str, ...]]:
    """Ministry code -> the returned plans read for it (their file names): the lineage
    behind its count of returns."""
    if progress is None or not len(progress) or "source_file" not in progress.columns:
        return {}
    read = progress[progress["source_row"].notna()] if "source_row" in progress.columns else progress
    return {str(code): tuple(sorted(set(own["source_file"].dropna().astype("str"))))
            for code, own in read.groupby("ministry_code", sort=True)}


def _returns(row: dict, files: tuple[str, ...]) -> str:
    """A ministry's number of returned plans: a count of files, its sources the files."""
    return str(claims.count(int(row["returns"]), unit="files", sources=files, where="progress.tracker:returns"))


def _tracker_sentence(tracker: pd.DataFrame) -> str:
    """"{returned} of {ministries} ministries and divisions have returned their action plan.",
    its two counts claims (the ministries behind each as its programmes: none)."""
    returned = int(tracker["returned"].sum())
    return current()(TRACKER_SUMMARY).format(returned=count(returned, where="progress.returned"),
                                             ministries=count(len(tracker), where="progress.returned"))


def progress_summary(tables: Tables) -> str:
    """One sentence for the index: how many ministries returned a plan."""
    codes = sorted(set(tables.assessments["ministry_code"].dropna().astype("str")))
    return _tracker_sentence(return_tracker(tables.action_progress, codes))


def _display(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def cluster_progress(tables: Tables, codes: list[str]):
    """The cluster progress table, for a notebook cell."""
    return _display(cluster_progress_html(tables, codes))


def return_tracker_section(tables: Tables):
    """The tracker of returned plans, for a notebook cell."""
    return _display(return_tracker_html(tables))

