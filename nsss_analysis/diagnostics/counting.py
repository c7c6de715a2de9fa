"""Counting each programme once per assessment round.

``assessments.parquet`` and ``conflicts.csv`` keep every row a ministry sent; the
diagnostics count a programme once per round (docs/method.md, "Honest statements"):

- rows that repeat each other cell for cell (a resubmission repeating unchanged
  programmes) count once;
- of rows that disagree, the row of the later-received submission wins
  (``received_date``);
- where neither is later (no date, or the same date), they count once, with the
  answers they disagree on set to ``unknown``.

:func:`counted_assessments` does this and returns, beside the counted rows, a
resolution table naming every programme with more than one row and what was used;
:func:`current_assessments` keeps each programme's latest round (what one report's
figures are for); :func:`paired_rounds` pairs programmes across rounds for trends.
"""

from __future__ import annotations

import json

import pandas as pd

from nsss_analysis.diagnostics.units import programme_key
from nsss_analysis.intake.reasons import Localised, Reason, number_in_words, reason_in_words
from nsss_analysis.reference.glossary import ITEM_NAMES
from nsss_analysis.reference.i18n import N_, SOURCE_LANGUAGE, _, current
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
)
#: How repeated rows of a programme in one round are counted (``resolution``).
REPEATED = N_("the rows repeat each other cell for cell: counted once")
LATER_USED = N_("the later-received submission ({date}) is used")
MERGED = N_("neither submission is later: counted once, with the answers they disagree on set to unknown")
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


def where_in_words(file: str, sheet: str, row: int) -> str:
    """Where a row is (``file sheet S row N``), in the current language."""
    if sheet:
        return _(ROW_OF_SHEET).format(file=file, sheet=sheet, row=_row_number(row))
    return _(ROW_OF_FILE).format(file=file, row=_row_number(row))


def _row_number(row: int) -> str:
    return number_in_words(int(row))


def resolution_in_words(resolution: pd.DataFrame) -> pd.DataFrame:
    """The resolution table with ``resolution``, ``rows`` and ``used`` in the current
    language (rows made before the ids were kept stay as they are)."""
    if resolution is None or not len(resolution) or "resolution_id" not in resolution.columns:
        return resolution
    said, rows, used, unknown = [], [], [], []
    english = current().language == SOURCE_LANGUAGE
    for r in resolution.to_dict("records"):
        codes = [c for c in str(r["set_unknown"] or "").split("; ") if c]
        unknown.append(r["set_unknown"] if english else "; ".join(_(ITEM_NAMES.get(c, c)) for c in codes))
        said.append(reason_in_words(r["resolution"], r["resolution_id"], r["resolution_values"]))
        try:
            lineage = json.loads(r["lineage"])
            rows.append("; ".join(where_in_words(*x) for x in lineage["rows"]))
            used.append(where_in_words(*lineage["used"]))
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
    replaced: dict[int, dict[str, str]] = {}
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
        base = candidates[0]
        differing = [c for c in answer_columns
                     if len({_comparable(r[c]) for r in candidates}) > 1]
        keep.append(base["_index"])
        replaced[base["_index"]] = dict.fromkeys(differing, "unknown")
        lines.append(line | _said(Reason.of(MERGED), base, rows) | {"set_unknown": "; ".join(differing)})
    counted = a.loc[sorted(keep, key=list(a.index).index)]
    for i, values in replaced.items():
        for column, value in values.items():
            counted.loc[i, column] = value
    resolution = pd.DataFrame(lines, columns=list(RESOLUTION_COLUMNS)).astype(
        {c: "str" for c in RESOLUTION_COLUMNS if c != "n_rows"} | {"n_rows": "int64"}
    )
    return counted.reset_index(drop=True), resolution


def current_assessments(counted: pd.DataFrame) -> pd.DataFrame:
    """Each programme's latest round only (a row without a round is older than any
    named round): what a report's figures are for, so no programme counts twice."""
    if "assessment_round" not in counted.columns or counted.empty:
        return counted
    round_ = counted["assessment_round"].fillna(NO_ROUND).astype("str")
    key = counted["ministry_code"].astype("str") + "\x1f" + programme_key(counted)
    latest = round_.groupby(key).transform("max")
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
