"""Counting each programme once per assessment round.

``assessments.parquet`` and ``conflicts.csv`` keep every row a ministry sent; the
diagnostics count a programme once per round (docs/method.md, "Honest statements"):

- rows that repeat each other cell for cell (a resubmission repeating unchanged
  programmes) count once;
- of rows that disagree, the row of the later-received submission wins
  (``received_date``);
- where the received dates tie or are unknown, a file or folder name that carries a
  later date, or a revision word its twin lacks (``revised``, ``final``,
  ``updated``, ``corrected``, ``v2``, ``(2)``), makes it the later one;
- where nothing tells, the programme is **disputed** in that round: no row of it is
  counted (a merge of two forms would make a score neither gives), both forms are
  kept (:func:`disputed_forms`) for the card to show side by side, and the report
  asks which form stands.

:func:`counted_assessments` does this and returns, beside the counted rows, a
resolution table naming every programme with more than one row and what was used;
:func:`current_assessments` keeps each programme's latest round (what one report's
figures are for); :func:`~nsss_analysis.diagnostics.trends.paired_programmes` pairs programmes across rounds for trends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pandas as pd

from nsss_analysis.diagnostics.units import programme_key
from nsss_analysis.intake.reasons import Localised, Reason, number_in_words, reason_in_words
from nsss_analysis.reference.glossary import ITEM_NAMES
from nsss_analysis.reference.i18n import N_, _, current
from nsss_analysis.reference.vocab import FOLLOWUPS, ITEMS, LINEAGE_COLUMNS

#: Columns that decide whether two rows of a programme say the same thing: every
#: answer and description, not lineage, remarks, spelling of the name, or dates.
NOT_COMPARED = (*LINEAGE_COLUMNS, "ministry", "programme", "remarks", "received_date",
                "synthetic", "assessment_round")


#: Columns of the resolution table. ``resolution``, ``rows`` and ``used`` are English
#: sentences; ``resolution_id``/``resolution_values`` (the sentence's message id and
#: values as JSON) and ``lineage`` (JSON: ``rows`` and ``used`` as [file, sheet, row])
#: let :func:`resolution_in_words` say them in the report's language.
RESOLUTION_COLUMNS = (
    "ministry", "ministry_code", "programme", "assessment_round", "n_rows", "rows",
    "resolution", "used", "set_unknown", "resolution_id", "resolution_values", "lineage",
    "disputed",
)
#: How repeated rows of a programme in one round are counted (``resolution``).
REPEATED = N_("the rows repeat each other cell for cell: counted once")


def repeated_rows(resolution: pd.DataFrame) -> pd.Series:
    """Which rows of a resolution table (:func:`counted_assessments`) are rows repeating
    each other cell for cell, by the reason's code (``resolution_id``), not its words."""
    if "resolution_id" not in resolution.columns:
        return pd.Series(False, index=resolution.index, dtype="bool")
    return (resolution["resolution_id"] == REPEATED).astype("bool")
LATER_USED = N_("the later-received submission ({date}) is used")
NAME_LATER = N_("the file whose name is the later one ({file}: a later date or a revision word) is used")
DISPUTED = N_("nothing tells which form is the later one (received date, date or revision word in the "
              "file name): disputed, left out of every figure until the ministry says which form stands")
#: Where a row is (``rows``, ``used``).
ROW_OF_SHEET = N_("{file} sheet {sheet} row {row}")
ROW_OF_FILE = N_("{file} row {row}")
#: Said on a page when no programme has more than one row in a round.
NOTHING_TO_RESOLVE = N_("Every programme has one row per assessment round: nothing to resolve.")


#: The round of a row whose form names none: ordered before every named round.
NO_ROUND = ""


def effective_rounds(df: pd.DataFrame) -> pd.Series:
    """Each row's round; a row whose form names none takes the latest round named by
    another row of the same programme (it cannot be told apart from it), else stays
    empty."""
    if "assessment_round" not in df.columns:
        return pd.Series(NO_ROUND, index=df.index, dtype="str")
    round_ = df["assessment_round"].fillna(NO_ROUND).astype("str")
    programme = df["ministry_code"].astype("str") + "\x1f" + programme_key(df)
    latest = round_.groupby(programme).transform("max")
    return round_.where(round_ != NO_ROUND, latest)


def _key(df: pd.DataFrame) -> pd.Series:
    return (df["ministry_code"].astype("str") + "\x1f" + programme_key(df) + "\x1f"
            + effective_rounds(df))


def _comparable(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, str):
        return tuple(str(v) for v in value.tolist())
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _where(row: dict) -> str:
    sheet = f" sheet {row['source_sheet']}" if row.get("source_sheet") else ""
    return f"{row['source_file']}{sheet} row {row['source_row']}"


def _lineage(row: dict) -> list:
    return [str(row["source_file"]), str(row.get("source_sheet") or ""), int(row["source_row"])]


def where_in_words(file: str, sheet: str, row: int, row_text: Callable[[int], str] | None = None) -> str:
    """Where a row is (``file sheet S row N``), in the current language; ``row_text``
    writes the row's number (a report passes one that records it in the page's claims
    ledger)."""
    number = (row_text or _row_number)(int(row))
    if sheet:
        return _(ROW_OF_SHEET).format(file=file, sheet=sheet, row=number)
    return _(ROW_OF_FILE).format(file=file, row=number)


def _row_number(row: int) -> str:
    return number_in_words(int(row))


def resolution_in_words(resolution: pd.DataFrame, row_text: Callable[[int], str] | None = None) -> pd.DataFrame:
    """The resolution table with ``resolution``, ``rows`` and ``used`` in the current
    language (rows made before the ids were kept stay as they are); ``row_text``: as
    :func:`where_in_words`."""
    if resolution is None or not len(resolution) or "resolution_id" not in resolution.columns:
        return resolution
    said, rows, used, unknown = [], [], [], []
    english = current().about.is_source
    for r in resolution.to_dict("records"):
        codes = [c for c in str(r["set_unknown"] or "").split("; ") if c]
        unknown.append(r["set_unknown"] if english else "; ".join(_(ITEM_NAMES.get(c, c)) for c in codes))
        said.append(reason_in_words(r["resolution"], r["resolution_id"], r["resolution_values"]))
        try:
            lineage = json.loads(r["lineage"])
            rows.append("; ".join(where_in_words(file, sheet, row, row_text) for file, sheet, row in lineage["rows"]))
            at = lineage.get("used")
            used.append(where_in_words(at[0], at[1], at[2], row_text) if at else "")
        except (ValueError, KeyError, TypeError):
            rows.append(r["rows"])
            used.append(r["used"])
    return resolution.assign(resolution=pd.Series(said, index=resolution.index, dtype="str"),
                             rows=pd.Series(rows, index=resolution.index, dtype="str"),
                             used=pd.Series(used, index=resolution.index, dtype="str"),
                             set_unknown=pd.Series(unknown, index=resolution.index, dtype="str"))


def _said(reason: Reason, used: dict, rows: list[dict]) -> dict:
    return {"resolution": str(reason), "resolution_id": reason.reason_id,
            "resolution_values": reason.values_json(), "used": _where(used),
            "lineage": json.dumps({"rows": [_lineage(r) for r in rows], "used": _lineage(used)},
                                  ensure_ascii=False)}


def _date(row: dict) -> str | None:
    value = row.get("received_date")
    return value if isinstance(value, str) and value else None


#: Words in a file or folder name that mark a revision of an earlier submission.
REVISION_WORDS: tuple[str, ...] = ("revised", "final", "updated", "corrected")
_WORD = r"(?<![a-z]){}(?![a-z])"
_VERSION = re.compile(r"(?<![a-z0-9])v(\d{1,2})(?![0-9])|\((\d{1,2})\)")
_ISO_DATE = re.compile(r"(?<!\d)(20\d\d)[-_. ]?(0[1-9]|1[0-2])[-_. ]?(0[1-9]|[12]\d|3[01])(?!\d)")
_DMY_DATE = re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])[-_.](0?[1-9]|1[0-2])[-_.](20\d\d)(?!\d)")


def name_date(name: str) -> str | None:
    """The latest calendar date a file or folder name carries (``YYYY-MM-DD``,
    ``YYYYMMDD``, ``DD-MM-YYYY`` and the like), as ``YYYY-MM-DD``; ``None`` when it
    carries none (a fiscal year such as ``2023-24`` is not a date).

    >>> name_date("MoSW/resubmitted 2024-03-05/form.xlsx"), name_date("MoSW 2023-24.xlsx")
    ('2024-03-05', None)
    """
    text = str(name or "")
    dates = [f"{y}-{m}-{d}" for y, m, d in _ISO_DATE.findall(text)]
    dates += [f"{y}-{int(m):02d}-{int(d):02d}" for d, m, y in _DMY_DATE.findall(text)]
    return max(dates) if dates else None


def revision_marks(name: str) -> tuple[frozenset[str], int]:
    """The revision words a file or folder name carries, and its version number
    (``v2``, ``(2)``; 1 when none).

    >>> revision_marks("DMRD programmes (final).csv")
    (frozenset({'final'}), 1)
    """
    text = str(name or "").lower()
    words = frozenset(w for w in REVISION_WORDS if re.search(_WORD.format(w), text))
    versions = [int(a or b) for a, b in _VERSION.findall(text)]
    return words, max(versions, default=1)


def later_by_name(names: list[str]) -> int | None:
    """The index of the name that is the later one, or ``None`` when nothing tells.

    A name is the later one when every name carries a date and its date is the only
    latest; else when it carries every revision word the others carry and a version
    or a revision word more than each of them."""
    dates = [name_date(n) for n in names]
    known = [d for d in dates if d]
    if len(known) == len(dates):
        latest = max(known)
        if dates.count(latest) == 1:
            return dates.index(latest)
    marks = [revision_marks(n) for n in names]
    winners = [
        i for i, (words, version) in enumerate(marks)
        if all(words >= w and (words > w or version > v)
               for j, (w, v) in enumerate(marks) if j != i)
    ]
    return winners[0] if len(winners) == 1 else None


def counted_assessments(assessments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each programme once per round: ``(counted rows, resolution table)``.

    Counted rows keep the columns and lineage of the row used (on a merge, of the
    first row in lineage order, with disagreeing answers and follow-ups ``unknown``).
    The resolution table has one line per programme and round with more than one
    row: ``n_rows``, ``rows`` (their lineage), ``resolution`` (a sentence), ``used``
    (the lineage of the row counted) and ``set_unknown`` (the answers set to unknown).
    """
    a = assessments.sort_values(list(LINEAGE_COLUMNS), kind="stable")
    keys = _key(a)
    if "assessment_round" in a.columns:
        rounds = effective_rounds(a)
        a = a.assign(assessment_round=rounds.where(rounds != NO_ROUND, None))
    compared = [c for c in a.columns if c not in NOT_COMPARED]
    answer_columns = [c for c in (*ITEMS, *FOLLOWUPS) if c in a.columns]
    keep: list[int] = []
    lines: list[dict] = []
    for _programme, idx in keys.groupby(keys, sort=False).groups.items():
        if len(idx) == 1:
            keep.append(idx[0])
            continue
        rows = [a.loc[i].to_dict() for i in idx]
        distinct: dict[tuple, int] = {}
        for i, r in zip(idx, rows, strict=True):
            distinct.setdefault(tuple(_comparable(r[c]) for c in compared), i)
        first = rows[0]
        line = {"ministry": first["ministry"], "ministry_code": first["ministry_code"],
                "programme": first["programme"],
                "assessment_round": first.get("assessment_round") or NO_ROUND,
                "n_rows": len(idx), "rows": "; ".join(_where(r) for r in rows), "set_unknown": ""}
        if len(distinct) == 1:
            keep.append(idx[0])
            lines.append(line | _said(Reason.of(REPEATED), first, rows))
            continue
        candidates = [a.loc[i].to_dict() | {"_index": i} for i in distinct.values()]
        dates = [_date(r) for r in candidates]
        latest = max((d for d in dates if d), default=None)
        winners = [r for r, d in zip(candidates, dates, strict=True) if d == latest] if latest else []
        if latest and len(winners) == 1 and sum(d is not None for d in dates) == len(dates):
            winner = winners[0]
            keep.append(winner["_index"])
            lines.append(line | _said(Reason.of(LATER_USED, date=Localised(latest)), winner, rows))
            continue
        tied = winners if latest and len(winners) > 1 else candidates
        by_name = later_by_name([str(r["source_file"]) for r in tied])
        if by_name is not None:
            winner = tied[by_name]
            keep.append(winner["_index"])
            lines.append(line | _said(Reason.of(NAME_LATER, file=str(winner["source_file"])), winner, rows))
            continue
        differing = [c for c in answer_columns
                     if len({_comparable(r[c]) for r in candidates}) > 1]
        said = _said(Reason.of(DISPUTED), candidates[0], rows)
        lineage = json.loads(said["lineage"]) | {"used": None, "forms": [_lineage(r) for r in candidates]}
        lines.append(line | said | {"used": "", "set_unknown": "; ".join(differing), "disputed": True,
                                    "lineage": json.dumps(lineage, ensure_ascii=False)})
    counted = a.loc[sorted(keep, key=list(a.index).index)]
    resolution = pd.DataFrame(lines, columns=list(RESOLUTION_COLUMNS))
    resolution = resolution.assign(disputed=resolution["disputed"].eq(True)).astype(
        {c: "str" for c in RESOLUTION_COLUMNS if c not in ("n_rows", "disputed")}
        | {"n_rows": "int64", "disputed": "bool"}
    )
    return counted.reset_index(drop=True), resolution


def disputed_forms(assessments: pd.DataFrame, resolution: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of every disputed programme (one per differing form, in lineage order),
    with the round as counted and ``dispute`` numbering the programme's dispute: the
    forms a card shows side by side. Empty (with ``assessments``' columns) when none."""
    out = assessments.iloc[0:0].assign(dispute=pd.Series(dtype="int64"))
    if resolution is None or not len(resolution) or "disputed" not in resolution.columns:
        return out
    a = assessments
    if "assessment_round" in a.columns:
        rounds = effective_rounds(a)
        a = a.assign(assessment_round=rounds.where(rounds != NO_ROUND, None))
    where = {(str(f), str(s or ""), int(r)): i for i, f, s, r in zip(
        a.index, a["source_file"], a["source_sheet"].fillna(""), a["source_row"], strict=True)}
    picked, numbers = [], []
    for number, line in enumerate(resolution[resolution["disputed"]].to_dict("records"), start=1):
        for f, s, r in json.loads(line["lineage"]).get("forms", []):
            if (str(f), str(s or ""), int(r)) in where:
                picked.append(where[(str(f), str(s or ""), int(r))])
                numbers.append(number)
    if not picked:
        return out
    return a.loc[picked].assign(dispute=numbers).reset_index(drop=True)


def disputed_keys(resolution: pd.DataFrame | None) -> pd.DataFrame:
    """``ministry_code``, ``programme_key`` and ``assessment_round`` of every disputed
    programme and round."""
    cols = ["ministry_code", "programme_key", "assessment_round"]
    if resolution is None or not len(resolution) or "disputed" not in resolution.columns:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    d = resolution[resolution["disputed"]]
    return pd.DataFrame({"ministry_code": d["ministry_code"].astype("str"),
                         "programme_key": programme_key(d),
                         "assessment_round": d["assessment_round"].fillna(NO_ROUND).astype("str")},
                        columns=cols).reset_index(drop=True)


def current_assessments(counted: pd.DataFrame, resolution: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each programme's latest round only (a row without a round is older than any
    named round): what a report's figures are for, so no programme counts twice.

    With ``resolution``, a programme whose latest round is disputed has no current
    row: its older round does not stand in for the round whose form is in doubt."""
    if "assessment_round" not in counted.columns or counted.empty:
        return counted
    round_ = counted["assessment_round"].fillna(NO_ROUND).astype("str")
    key = counted["ministry_code"].astype("str") + "\x1f" + programme_key(counted)
    latest = round_.groupby(key).transform("max")
    disputed = disputed_keys(resolution)
    if len(disputed):
        newest = (disputed.assign(key=disputed["ministry_code"] + "\x1f" + disputed["programme_key"])
                  .groupby("key")["assessment_round"].max())
        later = key.map(newest).fillna(NO_ROUND).astype("str")
        latest = latest.where(latest >= later, None)
    return counted[round_ == latest].reset_index(drop=True)


def rounds_of(assessments: pd.DataFrame) -> list[str]:
    """The named assessment rounds of ``assessments``, oldest first."""
    if "assessment_round" not in assessments.columns:
        return []
    return sorted(str(r) for r in assessments["assessment_round"].dropna().unique() if str(r))


def with_lineage_of(table: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` whose lineage is one of ``rows``' (scores of counted rows)."""
    lineage = list(LINEAGE_COLUMNS)
    if table is None or not all(c in table.columns for c in lineage):
        return table
    wanted = rows[lineage].astype({"source_row": "int64", "source_file": "str", "source_sheet": "str"})
    marked = table.astype({"source_row": "int64", "source_file": "str", "source_sheet": "str"})
    hit = marked[lineage].merge(wanted.drop_duplicates(), on=lineage, how="left", indicator=True)
    return table[(hit["_merge"] == "both").to_numpy()].reset_index(drop=True)
