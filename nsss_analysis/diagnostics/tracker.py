"""The submission tracker: from the processed rows' lineage, which ministries and
divisions submitted which files for which assessment round, when the form was
received, how many rows were accepted and quarantined, which files are
resubmissions; and which register units with programmes on record did not submit.

"Received" is the date the data contract defines (the workbook's own date, or a date
in the file name), read from the ``received_date`` column when the cleaner wrote
one; a file system time is never used. The round is ``assessment_round`` when present,
else the form's ``assessment_fy``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from nsss_analysis.intake.reasons import digits_in_words, number_in_words
from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import FORM_ANSWER_NAMES
from nsss_analysis.reference.i18n import N_, Translator, current
from nsss_analysis.reference.vocab import load_reference

#: The tracker's columns, in order.
TRACKER_COLUMNS: tuple[str, ...] = (
    "ministry", "ministry_code", "status", "source_file", "assessment_round", "received_date",
    "programmes", "budget_rows", "rows_quarantined", "cells_quarantined", "files_from_unit",
    "resubmission", "programmes_on_record",
)
#: ``status`` of a unit's row.
SUBMITTED, NOT_SUBMITTED, NOT_IDENTIFIED = "submitted", "not submitted", "ministry not identified"
#: ``resubmission`` of a unit's file when not every file of the unit has a received date.
ORDER_NOT_KNOWN = "order not known"
#: The words of ``status`` and ``resubmission`` on a page (the table keeps the English codes).
TRACKER_WORDS: dict[str, str] = {
    SUBMITTED: N_("submitted"),
    NOT_SUBMITTED: N_("not submitted"),
    NOT_IDENTIFIED: N_("ministry not identified"),
    ORDER_NOT_KNOWN: N_("order not known"),
    "yes": FORM_ANSWER_NAMES["yes"],
}
#: The overview's sentences about submissions (:func:`tracker_summary`).
SENT = N_("{units} ministries and divisions sent {files} assessment file(s): {accepted} programme rows "
          "accepted, {quarantined} rows of those files quarantined.")
SEVERAL_FILES = N_("More than one file (a resubmission or a second division's form) from: {units}.")
NO_FORM_YET = N_("No form yet from {units}.")
UNIT_ON_RECORD = N_("{unit} ({n} programme(s) on record)")
EVERY_UNIT_SENT = N_("Every ministry or division with programmes on record has sent a form.")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):  # noqa: PLR0124
        return ""
    return str(value).strip()


def _round_column(assessments: pd.DataFrame) -> str | None:
    for col in ("assessment_round", "assessment_fy"):
        if col in assessments.columns:
            return col
    return None


def submission_tracker(
    assessments: pd.DataFrame,
    budgets: pd.DataFrame | None,
    quarantine: pd.DataFrame | None,
    register: Mapping[str, str],
    catalogue: Iterable[tuple[str, str]] = (),
) -> pd.DataFrame:
    """One row per submitted file (per unit it names), then one row per register unit
    with programmes on record (``catalogue``: ``(ministry_code, programme)`` pairs,
    plus every unit with budget rows) that sent no assessment form.

    ``register``: code -> name. A file whose rows were all quarantined has status
    "ministry not identified". ``resubmission``: "yes" for every file of a unit but its
    earliest-received; "order not known" when the unit sent several files and not all
    have a received date; "" for a unit's only file.
    """
    round_col = _round_column(assessments)
    q = quarantine if quarantine is not None else pd.DataFrame(columns=["source_file", "column"])
    whole = whole_rows(q)
    cells = q.drop(whole.index)
    b = budgets if budgets is not None else pd.DataFrame(columns=["source_file", "ministry_code"])

    records = []
    form_files = sorted(set(assessments["source_file"].dropna()))
    for file in form_files:
        rows = assessments[assessments["source_file"] == file]
        for code, own in rows.groupby("ministry_code", sort=True):
            received = _text(own["received_date"].iloc[0])[:10] if "received_date" in own.columns else ""
            records.append({
                "ministry": register.get(code, _text(own["ministry"].iloc[0])), "ministry_code": code,
                "status": SUBMITTED, "source_file": file,
                "assessment_round": _text(own[round_col].dropna().iloc[0]) if round_col and own[round_col].notna().any() else "",
                "received_date": received,
                "programmes": len(own),
                "budget_rows": int(((b["source_file"] == file) & (b["ministry_code"] == code)).sum()) if len(b) else 0,
                "rows_quarantined": int((whole["source_file"] == file).sum()),
                "cells_quarantined": int((cells["source_file"] == file).sum()),
            })
    known_files = set(form_files) | set(b["source_file"].dropna()) if len(b) else set(form_files)
    for file in sorted(set(q["source_file"].dropna()) - known_files):
        records.append({
            "ministry": "", "ministry_code": "", "status": NOT_IDENTIFIED, "source_file": file,
            "assessment_round": "", "received_date": "", "programmes": 0, "budget_rows": 0,
            "rows_quarantined": int((whole["source_file"] == file).sum()),
            "cells_quarantined": int((cells["source_file"] == file).sum()),
        })
    submitted = pd.DataFrame(records, columns=[c for c in TRACKER_COLUMNS
                                               if c not in ("files_from_unit", "resubmission", "programmes_on_record")])
    counts = submitted[submitted["status"] == SUBMITTED].groupby("ministry_code")["source_file"].nunique()
    submitted["files_from_unit"] = submitted["ministry_code"].map(counts).fillna(1).astype("int64")
    submitted["resubmission"] = _resubmissions(submitted)

    on_record: dict[str, set[str]] = {}
    for code, programme in catalogue:
        on_record.setdefault(code, set()).add(str(programme))
    if len(b):
        for code, programme in zip(b["ministry_code"], b["programme"], strict=True):
            if isinstance(code, str) and code:
                on_record.setdefault(code, set()).add(str(programme))
    submitted["programmes_on_record"] = submitted["ministry_code"].map(
        lambda c: len(on_record.get(c, ()))).astype("int64")
    sent = set(submitted.loc[submitted["status"] == SUBMITTED, "ministry_code"])
    missing = [{
        "ministry": register.get(code, code), "ministry_code": code, "status": NOT_SUBMITTED,
        "source_file": "", "assessment_round": "", "received_date": "", "programmes": 0,
        "budget_rows": 0, "rows_quarantined": 0, "cells_quarantined": 0, "files_from_unit": 0,
        "resubmission": "", "programmes_on_record": len(programmes),
    } for code, programmes in sorted(on_record.items()) if code not in sent]
    out = pd.concat([submitted, pd.DataFrame(missing, columns=list(TRACKER_COLUMNS))], ignore_index=True)
    out = out.assign(_order=out["status"].map({SUBMITTED: 0, NOT_IDENTIFIED: 1, NOT_SUBMITTED: 2}),
                     _name=out["ministry"].str.lower())
    out = out.sort_values(["_order", "_name", "received_date", "source_file"], kind="stable")
    ints = ["programmes", "budget_rows", "rows_quarantined", "cells_quarantined", "files_from_unit",
            "programmes_on_record"]
    return out[list(TRACKER_COLUMNS)].reset_index(drop=True).astype(
        {c: "int64" for c in ints} | {c: "str" for c in TRACKER_COLUMNS if c not in ints})


def whole_rows(quarantine: pd.DataFrame | None) -> pd.DataFrame:
    """The quarantine lines that set a whole row aside (no column, or "row not used"):
    the tracker's ``rows_quarantined``; the other lines are cells set aside."""
    q = quarantine if quarantine is not None else pd.DataFrame(columns=["source_file", "column"])
    if "column" not in q.columns:
        return q
    blank = q["column"].fillna("").eq("")
    return q[blank | q["reason"].fillna("").str.startswith("row not used")] if "reason" in q.columns else q[blank]


def line_ids(quarantine: pd.DataFrame | None) -> list[str]:
    """Each quarantine line's lineage as text (``file / sheet / row N`` and, for a cell,
    ``/ column``): the sources behind a count of quarantined lines, one per line."""
    if quarantine is None or not len(quarantine):
        return []
    out = []
    for r in quarantine.to_dict("records"):
        try:
            row = f"row {int(float(r.get('source_row')))}"  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            row = _text(r.get("source_row"))
        parts = [_text(r.get("source_file")), _text(r.get("source_sheet")), row]
        column = _text(r.get("column"))
        out.append(" / ".join(p for p in [*parts, column] if p))
    return out


#: What :func:`tracker_summary` asks its ``figure`` hook to print: ``units`` (ministries
#: that sent a form), ``files`` (files sent), ``accepted`` (programme rows), ``quarantined``
#: (whole rows of those files set aside), ``on_record`` (a unit's programmes on record).
FIGURES = ("units", "files", "accepted", "quarantined", "on_record")


def _resubmissions(submitted: pd.DataFrame) -> list[str]:
    marks = []
    for row in submitted.to_dict("records"):
        if row["status"] != SUBMITTED or row["files_from_unit"] <= 1:
            marks.append("")
            continue
        own = submitted[(submitted["ministry_code"] == row["ministry_code"]) & (submitted["status"] == SUBMITTED)]
        dates = [d for d in own["received_date"] if d]
        if len(dates) < len(own):
            marks.append(ORDER_NOT_KNOWN)
        else:
            marks.append("" if row["received_date"] == min(dates) else "yes")
    return marks


def _unit_name(code: object, name: object, t: Translator) -> str:
    """A unit's name in ``t``'s language: the register's Bangla name where it has one."""
    if t.about.is_source:
        return _text(name)
    ministry = load_reference().ministry_by_code.get(_text(code))
    return ministry.name_in(t.language) if ministry else _text(name)


def tracker_summary(tracker: pd.DataFrame, translate: Translator | None = None,
                    figure: Callable[..., str] | None = None) -> list[str]:
    """Sentences for the overview: who submitted, resubmissions, who did not; in the
    current language (or ``translate``'s). ``figure(what, value, rows)`` prints each
    number (``what``: one of :data:`FIGURES`; ``rows``: the tracker rows behind it), so
    the report layer makes each one a claim with its lineage; by default the number
    in the language's digits."""
    t = translate or current()

    def n(value: object, what: str = "on_record", rows: pd.DataFrame | None = None) -> str:
        if figure is not None:
            return figure(what, int(value), rows)  # type: ignore[call-overload]
        return number_in_words(int(value), "", t)  # type: ignore[call-overload]  # a count from the table

    sent = tracker[tracker["status"] == SUBMITTED]
    units = sent["ministry_code"].nunique()
    # by lineage: a file that holds several units' rows is one file, its lines counted once
    files = tracker[tracker["source_file"].fillna("") != ""].drop_duplicates("source_file")
    lines = [t(SENT).format(units=n(units, "units", sent), files=n(sent["source_file"].nunique(), "files", sent),
                            accepted=n(sent["programmes"].astype("int64").sum(), "accepted", sent),
                            quarantined=n(files["rows_quarantined"].astype("int64").sum(), "quarantined", files))]
    several_codes = sent.loc[sent["files_from_unit"].astype("int64") > 1, ["ministry_code", "ministry"]]
    several = sorted({_unit_name(c, m, t) for c, m in zip(several_codes["ministry_code"], several_codes["ministry"],
                                                          strict=True)})
    if several:
        lines.append(t(SEVERAL_FILES).format(units=", ".join(several)))
    missing = tracker[tracker["status"] == NOT_SUBMITTED]
    if len(missing):
        lines.append(t(NO_FORM_YET).format(units=", ".join(
            t(UNIT_ON_RECORD).format(unit=_unit_name(c, m, t), n=n(k, "on_record", missing[missing["ministry_code"] == c]))
            for c, m, k in zip(missing["ministry_code"], missing["ministry"], missing["programmes_on_record"],
                               strict=True))))
    else:
        lines.append(t(EVERY_UNIT_SENT))
    return lines


def tracker_in_words(tracker: pd.DataFrame, translate: Translator | None = None) -> pd.DataFrame:
    """The tracker as a page shows it in the current language (or ``translate``'s):
    ``ministry`` (the register's name in that language), ``status`` and
    ``resubmission`` in words, counts with that language's digits, the date received as
    that language writes dates (১৫-০১-২০২৫). English: unchanged."""
    t = translate or current()
    if t.about.is_source or tracker is None or not len(tracker):
        return tracker

    def word(value: object) -> str:
        text = _text(value)
        return t(TRACKER_WORDS[text]) if text in TRACKER_WORDS else text

    out = tracker.astype("object").copy()
    out["ministry"] = [_unit_name(c, m, t) for c, m in zip(tracker["ministry_code"], tracker["ministry"], strict=True)]
    out["status"] = tracker["status"].map(word)
    out["resubmission"] = tracker["resubmission"].map(word)
    for column in ("programmes", "budget_rows", "rows_quarantined", "cells_quarantined", "files_from_unit",
                   "programmes_on_record"):
        if column in out.columns:
            out[column] = [number_in_words(int(v), "", t) for v in tracker[column]]
    if "assessment_round" in out.columns:
        out["assessment_round"] = [digits_in_words(_text(v), t) for v in tracker["assessment_round"]]
    if "received_date" in out.columns:  # DD-MM-YYYY in Bangla, as the pages write dates
        out["received_date"] = [numbers.date(_text(v), t.language) if _text(v) else "" for v in tracker["received_date"]]
    return out

