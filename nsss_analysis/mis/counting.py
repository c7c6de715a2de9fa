"""Coverage by sex from programmes' MIS beneficiary extracts (``nsss beneficiaries``).

The assessment form asks whether a programme collects sex-disaggregated data; a
programme's own beneficiary list answers with numbers. This module reads MIS extracts
(CSV or Parquet, any size; docs/method.md, section 8) with DuckDB, out of core,
and writes to the processed folder:

- ``coverage_by_sex.parquet``: distinct beneficiaries and benefit paid by programme,
  fiscal year, sex (female/male/hijra), age band, district (with its division) and
  payment channel;
- ``coverage_quality.parquet``: per file and programme, every row read accounted for:
  ``rows_read = rows_counted + invalid_missing_id + invalid_unknown_sex + duplicate_id``;
  ``invalid_age`` and ``invalid_district`` count the beneficiaries counted by sex whose
  age or district could not be read (in the ``unknown`` age band or district);
- ``coverage_women_share.parquet``: women's share of each programme's beneficiaries per
  fiscal year with a 95% Wilson interval (:func:`women_share_rows`), a table of
  its own so the share is stated once per programme, not repeated on every row.

How rows are read
    Every cell is read as text (``read_csv(all_varchar=true)``), so nothing is coerced
    silently; Parquet columns keep their types and are checked. Sex codes (English and
    Bangla), districts and their variant spellings, payment channels and age bands come
    from ``load_reference()``, the reference data the forms' cleaner uses; ministry
    names go through ``match_ministry``, fiscal years through
    ``parse_fiscal_year`` and programme names are matched to the assessed
    programmes by ``(ministry_code, normalise_key(programme))``. A programme named
    without a ministry is attributed to the assessed programme of that name when exactly
    one ministry assessed it.

How it stays fast
    Those columns hold few distinct values. A first pass collects them (all of them for
    Parquet and small CSV files; for a large CSV file, a sample of about 1 MB spread
    over it, since parsing the file twice would double the time), Python normalises each
    distinct value once with the functions above, and the resulting lookup tables (with
    the reference spellings as people type them, and every plausible age) are joined in
    DuckDB by the counting pass. A row holding a value the lookups lack is set aside with
    its values and classified afterwards in Python by the same functions: an invalid one
    is simply counted under its reason; if one turns out valid, the counting pass is run
    again with that value known, so the result never depends on the sample. Ids are
    deduplicated by one GROUP BY on (programme-year, id) and counted by a second, small
    one; the benchmark (``benchmarks/beneficiaries.py``) compares this with a bare DuckDB
    GROUP BY and with pandas.

Age
    ``age`` in whole years, or ``birth_year`` (four digits): age = first calendar year of
    the fiscal year - birth year (a person born in 1960 is 63 in FY 2023-24, whatever the
    month). A blank age, or a birth year when the fiscal year is unknown, gives the age
    band ``unknown`` and the row still counts; a value that is not a number or lies
    outside the age bands (0 to 130) is an unreadable age. When both columns are present,
    ``age`` is used where it is filled in.

Invalid rows and their precedence
    A row gets exactly one reason, the first that applies: blank ``beneficiary_id`` or
    ``programme`` (``invalid_missing_id``: it cannot be attributed or deduplicated), an
    unknown sex code. A row with a valid sex whose age is unreadable or whose district is
    unknown still counts toward the sex totals, in the ``unknown`` age band or district
    (``invalid_age``, ``invalid_district`` say how many). A payment channel that is
    blank or unrecognised is ``unknown``, and a blank or unreadable amount is unknown
    (``amount_unreadable`` counts the counted beneficiaries whose amount was written but
    could not be read); neither makes a row invalid. Among the valid rows, an id seen
    more than once within a programme and fiscal year (in one file or across files) is
    counted once; the other rows are ``duplicate_id`` (charged to the file they are in).
    The row kept is the one from the earliest file given, then with the smallest sex, age
    band, district and channel codes (codes follow the reference order; districts are
    alphabetical), then the smallest amount: a deterministic choice, and a duplicate never
    inflates the total. Amounts are summed in paisa; a negative amount, or one above
    Tk 2.7 billion, is unreadable.

Files and errors
    A file that cannot be used (missing required columns, a column of the wrong type, an
    empty file, an unreadable or truncated Parquet file) stops the run with a one-line
    :class:`NsssError` naming it; outputs are written only when every file was read.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, cast

import duckdb

from nsss_analysis.diagnostics.rubric import CONFIDENCE_ALPHA
from nsss_analysis.errors import NsssError
from nsss_analysis.mis.extracts import (
    LOW_CARDINALITY,
    WRONG_TYPE_MIN_CELLS,
    Extract,
    add_values,
    age_keys,
    age_map,
    describe_extract,
    display_path,
    extract_values,
    first_pass,
    not_utf8,
    one_line,
    sql_string,
    utf8_copy,
    value_sets,
)
from nsss_analysis.mis.lookups import (
    MAX_FILES,
    UNKNOWN,
    code_lists,
    fiscal_year_of,
    ministry_code_of,
    normalise_district,
    normalise_payment_channel,
    normalise_sex,
)
from nsss_analysis.mis.schemas import COLUMNS
from nsss_analysis.reference.text import clean_text
from nsss_analysis.reference.vocab import load_reference, normalise_key

if TYPE_CHECKING:  # the tables are plain rows until a caller asks for DataFrames
    import pandas as pd

#: Reasons a row is not counted, in precedence order (a row gets the first that applies);
#: duplicates are decided among the rows with none of these.
INVALID_REASONS: tuple[str, ...] = (
    "invalid_missing_id",
    "invalid_unknown_sex",
)


#: Counted rows with an unreadable field: a row with a valid sex counts toward the sex
#: totals even when its age or district cannot be read (it falls in the ``unknown`` age
#: band or district); these columns say how many counted beneficiaries that is.
COUNTED_UNREADABLE: tuple[str, ...] = (
    "invalid_age",
    "invalid_district",
)


QUALITY_COLUMNS: tuple[str, ...] = (
    "source_file",
    "programme",
    "ministry",
    "ministry_code",
    "fiscal_year",
    "rows_read",
    "rows_counted",
    *INVALID_REASONS,
    *COUNTED_UNREADABLE,
    "duplicate_id",
    "amount_unreadable",
)


COVERAGE_COLUMNS: tuple[str, ...] = (
    "programme",
    "ministry",
    "ministry_code",
    "fiscal_year",
    "sex",
    "age_band",
    "district",
    "division",
    "payment_channel",
    "beneficiaries",
    "amount_bdt",
)


WOMEN_SHARE_COLUMNS: tuple[str, ...] = (
    "ministry",
    "ministry_code",
    "programme",
    "fiscal_year",
    "women",
    "total",
    "share",
    "ci_low",
    "ci_high",
)


#: The women's-share table's file name in the processed folder.
WOMEN_SHARE_FILE = "coverage_women_share.parquet"


#: Show a progress bar when the extracts together are at least this large (bytes):
#: below it a run takes a second or two.
PROGRESS_MIN_BYTES = 50_000_000


def _assessed_rows(assessments: pd.DataFrame | Iterable[tuple] | None) -> list[tuple]:
    """The assessed programmes as (ministry, ministry_code, programme), in table order,
    from a DataFrame with those columns or from rows (``nsss beneficiaries`` reads them
    with DuckDB)."""
    if assessments is None:
        return []
    if hasattr(assessments, "itertuples"):
        frame = cast("pd.DataFrame", assessments)
        return list(frame[["ministry", "ministry_code", "programme"]].itertuples(index=False, name=None))
    return [tuple(r) for r in assessments]


def _assessed_index(assessments: pd.DataFrame | Iterable[tuple] | None) -> tuple[dict, dict]:
    """(ministry_code, programme key) -> (ministry, code, programme) of the assessed
    programmes, and programme key -> the set of codes that assessed it."""
    by_code: dict[tuple[str, str], tuple[str, str, str]] = {}
    by_key: dict[str, set[str]] = {}
    for ministry, code, programme in dict.fromkeys(_assessed_rows(assessments)):
        if not isinstance(code, str) or not isinstance(programme, str):
            continue
        key = normalise_key(programme)
        by_code.setdefault((code, key), (ministry, code, programme))
        by_key.setdefault(key, set()).add(code)
    return by_code, by_key


class _Units:
    """Programme-years: what the extracts' (programme, ministry, fiscal year) cells name,
    as ``(ministry_code, normalise_key(programme), fiscal_year)``, matched to the assessed
    programmes. Ids are given in order of first sight and never change, so the lookups
    can grow when the counting pass finds a value the first pass had not seen."""

    def __init__(self, assessments: pd.DataFrame | Iterable[tuple] | None):
        self.by_code, self.by_key = _assessed_index(assessments)
        self.ids: dict[tuple[str, str, str], int] = {}
        self.spellings: list[dict[str, int]] = []

    def unit_of(self, ex: Extract, programme_raw, ministry_raw, fy_raw, n: int = 0) -> tuple[int, bool]:
        """The unit id of one combination as written, and whether the programme is blank."""
        programme = clean_text(programme_raw)
        key = normalise_key(programme) if programme else ""
        code = ministry_code_of(ministry_raw) if ex.has("ministry") else None
        if code is None and key in self.by_key and len(self.by_key[key]) == 1:
            code = next(iter(self.by_key[key]))
        fy = fiscal_year_of(fy_raw) if ex.has("fiscal_year") else ex.fiscal_year_from_name
        unit = (code or "", key, fy or "")
        if unit not in self.ids:
            self.ids[unit] = len(self.ids)
            self.spellings.append({})
        uid = self.ids[unit]
        spellings = self.spellings[uid]
        spellings[programme or ""] = spellings.get(programme or "", 0) + n
        return uid, key == ""

    def map_for(self, ex: Extract) -> dict[str, tuple[str, list]]:
        """programme, ministry, fiscal year as written -> unit_id, blank (one file), as
        columns (name -> (DuckDB type, values))."""
        values = list(extract_values(ex, 0).items())
        units = [self.unit_of(ex, p, m, f, int(n)) for (p, m, f), n in values]
        return {
            "programme_raw": ("VARCHAR", [v[0] for v, _ in values]),
            "ministry_raw": ("VARCHAR", [v[1] for v, _ in values]),
            "fiscal_year_raw": ("VARCHAR", [v[2] for v, _ in values]),
            "unit_id": ("INTEGER", [u for u, _ in units]),
            "blank": ("BOOLEAN", [b for _, b in units]),
            "known": ("BOOLEAN", [True] * len(values)),
        }

    def table(self) -> dict[int, tuple[str | None, str | None, str | None, str | None]]:
        """unit_id -> (programme, ministry, ministry_code, fiscal_year): the assessed name
        when matched, else the spelling seen most often (ties: alphabetical)."""
        register = load_reference().ministry_by_code
        rows = []
        for (code, key, fy), uid in self.ids.items():
            assessed = self.by_code.get((code, key)) if code else None
            if assessed:
                ministry, code, programme = assessed
            else:
                spellings = self.spellings[uid]
                programme = sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                ministry = register[code].name if code in register else None
            rows.append((uid, programme, ministry, code or None, fy or None))
        return {uid: (_text(programme), _text(ministry), code, fy) for uid, programme, ministry, code, fy in rows}


def _text(value: object) -> str | None:
    """A name as the tables hold it: text, or ``None`` (a missing value)."""
    return value if isinstance(value, str) else None


def _code_map(
    extracts: Sequence[Extract], k: int, column: str, normalise, codes: Sequence[str],
    vocabulary: dict[str, tuple[str, ...]],
) -> dict[str, tuple[str, list]]:
    """raw value -> code (index in ``codes``, or null when ``normalise`` rejects it), for
    the values seen, the reference spellings (``vocabulary``) and a blank cell (null)."""
    raw = [v for ex in extracts if ex.has(column) for (v,) in extract_values(ex, k) if v is not None]
    # the accepted spellings as people type them (case, a stray space), so that a sample
    # rarely misses a valid one (which would cost a second counting pass)
    typed = [
        pad.format(case(v))
        for canonical, variants in vocabulary.items()
        for v in (canonical, *variants)
        for case in (str, str.lower, str.upper, str.title)
        for pad in ("{}", " {}", "{} ", " {} ")
    ]
    position = {v: i for i, v in enumerate(codes)}
    raw_values = [*dict.fromkeys([*raw, *typed]), None]
    code = [position.get(normalise(v)) for v in raw_values]
    return {"raw": ("VARCHAR", raw_values), "code": ("SMALLINT", code), "known": ("BOOLEAN", [True] * len(code))}


def _create_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, tuple[str, list]]) -> None:
    """A temporary DuckDB table from columns (name -> (DuckDB type, Python values)),
    passed as lists: no DataFrame needed."""
    select = ", ".join(f"unnest(?::{duck_type}[]) AS {column}" for column, (duck_type, _) in columns.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", [v for _, v in columns.values()])


def _load_lookups(con: duckdb.DuckDBPyConnection, extracts: Sequence[Extract], units: _Units) -> None:
    """(Re)build every lookup table from the values seen and copy it into DuckDB."""
    codes, ref = code_lists(), load_reference()
    units.spellings = [{} for _ in units.spellings]  # counted afresh from the values
    lookups = {
        "sex_map": _code_map(extracts, 1, "sex", normalise_sex, codes.sexes, ref.sex_codes),
        "district_map": _code_map(extracts, 3, "district", normalise_district, codes.districts, ref.districts),
        "channel_map": _code_map(
            extracts, 4, "payment_channel", normalise_payment_channel, codes.channels, ref.payment_channels
        ),
        "channel_unknown": {"code": ("SMALLINT", [codes.channels.index(UNKNOWN)])},
    }
    for ex in extracts:
        lookups[f"unit_map_{ex.index}"] = units.map_for(ex)
        lookups[f"age_map_{ex.index}"] = age_map(ex)
    for name, columns in lookups.items():
        # small tables, copied into DuckDB so that the joins probe native hash tables
        _create_table(con, name, columns)


#: Reason codes in the counting pass: 0 valid, 1.. INVALID_REASONS in order, and
#: ``_UNSEEN`` for a row holding a value the first pass had not seen (classified after).
_UNSEEN = 9


_TAG_BITS = 32  # invalid rows are keyed by (file * 16 + reason) << 32 | unit_id


def _rows_sql(ex: Extract) -> str:
    """The counting pass over one file, one line per row: ``unit_key`` (the unit for a
    valid row, else also the file and reason), ``valid_id`` (the id of a valid row, or
    the row's values as JSON when one of them is unseen), and a valid row's file, codes
    and amount packed as ``_Packing`` says."""

    def same(left: str, right: str) -> str:
        return f"{left} IS NOT DISTINCT FROM {right}"

    unit_on = " AND ".join(same(f"s.{c}", f"u.{c}_raw") for c in ("programme", "ministry", "fiscal_year") if ex.has(c))
    age_on = " AND ".join(same(f"s.{c}", f"a.{c}") for c in age_keys(ex))
    used = [c for c in LOW_CARDINALITY if ex.has(c)]
    select = ", ".join(f"{ex.text(c)} AS {c}" for c in used)
    if ex.has("payment_channel"):
        channel = "c.code"
        channel_join = f"LEFT JOIN channel_map c ON {same('s.payment_channel', 'c.raw')}"
        unseen_channel = " OR c.known IS NULL"
    else:
        channel, channel_join, unseen_channel = "ch.code", "CROSS JOIN channel_unknown ch", ""
    as_json = "to_json([id_blank::VARCHAR, " + ", ".join(f"s.{c}" for c in used) + "])::VARCHAR"
    packing = code_lists().packing
    shift = packing.shifts
    return f"""
    SELECT CASE WHEN reason = 0 THEN unit_id
                ELSE coalesce(unit_id, 0) | (({ex.index} * 16 + reason)::BIGINT << {_TAG_BITS}) END AS unit_key,
        CASE WHEN reason = 0 THEN id WHEN reason = {_UNSEEN} THEN unseen END AS valid_id,
        CASE WHEN reason = 0 THEN ({ex.index}::BIGINT << {shift["file"]}) | (sex::BIGINT << {shift["sex"]})
            | (coalesce(band, {code_lists().band_unreadable})::BIGINT << {shift["band"]})
            | (coalesce(district, {code_lists().district_unknown})::BIGINT << {shift["district"]})
            | (channel::BIGINT << {shift["channel"]})
            | CASE WHEN amount IS NULL AND NOT coalesce(amount_given, false) THEN {packing.blank}
                   WHEN amount IS NULL OR NOT isfinite(amount) OR amount < 0 OR amount > {packing.max_amount}
                       THEN {packing.unreadable}
                   ELSE round(amount * 100)::BIGINT END END AS packed
    FROM (
        SELECT u.unit_id, s.id, sx.code AS sex, a.band, d.code AS district, {channel} AS channel,
            s.amount, s.amount_given,
            CASE WHEN u.known IS NULL OR sx.known IS NULL OR a.known IS NULL OR d.known IS NULL{unseen_channel}
                     THEN {_UNSEEN}
                 WHEN s.id_blank OR u.blank THEN 1
                 WHEN sx.code IS NULL THEN 2
                 ELSE 0 END AS reason,
            CASE WHEN reason = {_UNSEEN} THEN {as_json} END AS unseen
        FROM (SELECT {select}, {ex.text("beneficiary_id")} AS id,
                     coalesce({ex.text("beneficiary_id")} = '', true) AS id_blank,
                     {ex.amount_given()} AS amount_given, {ex.amount()} AS amount
              FROM {ex.reader}) s
        LEFT JOIN unit_map_{ex.index} u ON {unit_on}
        LEFT JOIN sex_map sx ON {same('s.sex', 'sx.raw')}
        LEFT JOIN age_map_{ex.index} a ON {age_on}
        LEFT JOIN district_map d ON {same('s.district', 'd.raw')}
        {channel_join}
    )"""


def _id_groups_sql(ex: Extract) -> str:
    """One group per valid id and unit of one file (its rows, and the kept row: the
    smallest packed value), per unit and reason for its invalid rows, per unseen
    combination of values."""
    return f"""
    SELECT unit_key, valid_id, count(*) AS n, min(packed) AS kept
    FROM ({_rows_sql(ex)}) GROUP BY unit_key, valid_id"""


def _cells_sql(id_groups: str) -> str:
    """Count ids per unit, file and codes (``attrs``: the kept value without its amount)
    and sum their amounts, from id groups."""
    packing = code_lists().packing
    amount_bits = packing.widths["amount"]
    amount = f"(kept & {(1 << amount_bits) - 1})"
    return f"""
SELECT unit_key, kept >> {amount_bits} AS attrs,
    CASE WHEN (unit_key >> {_TAG_BITS}) % 16 = {_UNSEEN} THEN valid_id END AS unseen,
    count(*) AS ids, sum(n) AS n,
    sum({amount} / 100) FILTER ({amount} < {packing.blank}) AS amount,
    count(*) FILTER ({amount} = {packing.unreadable}) AS amount_unreadable
FROM ({id_groups}) GROUP BY ALL"""


def _count(con: duckdb.DuckDBPyConnection, extracts: Sequence[Extract]) -> tuple[list[tuple], list[tuple]]:
    """The counting pass: (cells, valid rows per file and unit), as rows: cells
    ``(unit_key, attrs, unseen, ids, n, amount, amount_unreadable)`` and
    ``(file_idx, unit_id, valid_rows)``.

    One file: two plain GROUP BYs over one scan (GROUPING SETS would make DuckDB
    materialise its input); the per-id one spills to disk beyond the memory limit (50
    million ids fit in 1 GB because its only states are a count and one ``min``: a
    second ``min`` made it run out of memory). Several files: each file's id groups go to
    a temporary table, which gives the valid rows of each file, and then the ids are
    deduplicated across files."""
    if len(extracts) == 1:
        cells = con.execute(_cells_sql(_id_groups_sql(extracts[0]))).fetchall()
        per_unit: dict[int, int] = {}
        for unit_key, _attrs, _unseen, _ids, n, *_ in cells:
            if unit_key >> _TAG_BITS == 0:
                per_unit[unit_key] = per_unit.get(unit_key, 0) + int(n)
        return cells, [(extracts[0].index, unit, n) for unit, n in per_unit.items()]
    union = "\n    UNION ALL\n".join(f"SELECT {ex.index} AS file_idx, * FROM ({_id_groups_sql(ex)})" for ex in extracts)
    con.execute(f"CREATE OR REPLACE TEMP TABLE id_groups AS {union}")
    per_file = con.execute(
        f"SELECT file_idx, unit_key AS unit_id, sum(n) AS valid_rows FROM id_groups "
        f"WHERE unit_key >> {_TAG_BITS} = 0 GROUP BY ALL"
    ).fetchall()
    merged = "SELECT unit_key, valid_id, sum(n) AS n, min(kept) AS kept FROM id_groups GROUP BY unit_key, valid_id"
    cells = con.execute(_cells_sql(merged)).fetchall()
    con.execute("DROP TABLE id_groups")
    return cells, per_file


@dataclass
class _Cell:
    """One counted cell: a unit, its file and packed codes, ids counted, rows, amount."""

    unit_id: int
    file_idx: int
    attrs: int  # the packed codes, back in place (the amount bits zero)
    ids: int
    n: int
    amount: float | None
    amount_unreadable: int


def _split_cells(cells: list[tuple]) -> tuple[list[_Cell], list[tuple], list[tuple]]:
    """(counted cells, invalid rows ``(file_idx, unit_id, reason, n)``, unseen rows
    ``(file_idx, values as JSON, n)``) from the counting pass."""
    packing = code_lists().packing
    amount_bits = packing.widths["amount"]
    counted, invalid, unseen = [], [], []
    for unit_key, attrs, as_json, ids, n, amount, amount_unreadable in cells:
        tag, unit = unit_key >> _TAG_BITS, unit_key & ((1 << _TAG_BITS) - 1)
        if tag == 0:
            packed = attrs << amount_bits
            counted.append(_Cell(unit, int(packing.field(packed, "file")), packed, int(ids), int(n),
                                 None if amount is None else float(amount), int(amount_unreadable)))
        elif tag % 16 == _UNSEEN:
            unseen.append((tag // 16, as_json, int(n)))
        else:
            invalid.append((tag // 16, unit, tag % 16, int(n)))
    return counted, invalid, unseen


def _classify_unseen(extracts: Sequence[Extract], units: _Units, unseen: list[tuple]) -> tuple[list[tuple], bool]:
    """The rows whose values the first pass had not seen, classified in Python with the
    same functions as the lookups: (invalid rows ``(file_idx, unit_id, reason, n)``;
    whether any is valid, which needs another counting pass). Their values are added to
    the files' values so that the next pass knows them."""
    by_index = {ex.index: ex for ex in extracts}
    out, any_valid = [], False
    added: dict[int, list[dict]] = {}
    for file_idx, as_json, n in unseen:
        ex = by_index[int(file_idx)]
        cells = json.loads(as_json)
        row = dict(zip([c for c in LOW_CARDINALITY if ex.has(c)], cells[1:]))
        unit_id, blank = units.unit_of(ex, row.get("programme"), row.get("ministry"), row.get("fiscal_year"))
        if cells[0] == "true" or blank:
            reason = 1
        elif normalise_sex(row.get("sex")) is None:
            reason = 2
        else:  # an unreadable age or unknown district still counts by sex
            reason, any_valid = 0, True
        out.append((int(file_idx), unit_id, reason, int(n)))
        added.setdefault(ex.index, []).append({**row, "n": int(n)})
    for index, rows in added.items():
        add_values(by_index[index], value_sets(by_index[index], rows))
    return out, any_valid


@contextmanager
def _connect(memory_limit: str, temp_dir: Path | str | None):
    """A DuckDB connection with a memory limit, spilling to ``temp_dir`` (a fresh
    temporary folder when ``None``), all cores, and progress tracking on."""
    with tempfile.TemporaryDirectory(prefix="nsss-duckdb-") as fallback:
        spill = Path(temp_dir) if temp_dir is not None else Path(fallback)
        spill.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = {sql_string(memory_limit)}")
            con.execute(f"SET temp_directory = {sql_string(str(spill))}")
            con.execute(f"SET threads = {os.cpu_count() or 1}")
            con.execute("SET preserve_insertion_order = false")
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        except duckdb.Error as exc:
            con.close()
            raise NsssError(f"DuckDB settings: {one_line(exc)} (memory limit {memory_limit!r})") from None
        try:
            yield con
        finally:
            con.close()


def _bytes_read() -> int | None:
    """Bytes this process has read so far (Linux ``/proc/self/io``), or ``None``."""
    try:
        with open("/proc/self/io", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("rchar:"))
    except (OSError, StopIteration, ValueError):
        return None


@contextmanager
def _polling(con: duckdb.DuckDBPyConnection, bar, total_bytes: int):
    """While the body runs a query, move ``bar`` (0-100), polled from a thread: the
    larger of DuckDB's own estimate (``query_progress``, which for this query reaches
    only a sixth by the end of the scan) and the share of the extracts' bytes read."""
    if bar is None or bar.disable:
        yield
        return
    done = threading.Event()
    start = _bytes_read()

    def poll() -> None:
        while not done.wait(0.2):
            pct = con.query_progress()
            now = _bytes_read()
            if start is not None and now is not None and total_bytes:
                pct = max(pct, min(99.0, 100 * (now - start) / total_bytes))
            if pct >= 0:
                bar.n = round(min(pct, 100.0), 1)
                bar.refresh()

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        yield
    finally:
        done.set()
        poller.join()
        bar.n = 100
        bar.refresh()


def count_extracts(
    files: Iterable[Path | str],
    assessments: pd.DataFrame | Iterable[tuple] | None = None,
    memory_limit: str = "1GB",
    temp_dir: Path | str | None = None,
    progress: bool | None = None,
    notes: list[str] | None = None,
) -> tuple[list[tuple], list[tuple]]:
    """Coverage by sex and the accounting of every row, from MIS extracts, as rows:
    ``(coverage_by_sex, coverage_quality)``, tuples in the order of ``COVERAGE_COLUMNS``
    and ``QUALITY_COLUMNS`` (a missing value is ``None``).

    ``assessments`` (the processed table, or its (ministry, ministry_code, programme)
    rows) lets programme names be matched to the assessed programmes. The extracts are
    never loaded into Python: DuckDB streams them within ``memory_limit``, spilling to
    ``temp_dir``. ``progress`` shows a bar (``None``: when the files are large and
    stderr is a terminal). Raises :class:`NsssError` naming the first file that cannot
    be used.

    A CSV file DuckDB refuses for bytes that are not UTF-8 is read again from a UTF-8
    copy (:func:`~nsss_analysis.mis.extracts.utf8_copy`: each line UTF-8, else
    Windows-1252, as the forms are read): every row is still counted, and ``notes`` gets
    one line naming the file and the lines read as Windows-1252.
    """
    paths = [Path(f) for f in files]
    if not paths:
        raise NsssError("no MIS extract given")
    if len(paths) > MAX_FILES:
        raise NsssError(f"{len(paths)} extracts given; at most {MAX_FILES} per run (concatenate some)")
    total_bytes = sum(p.stat().st_size for p in paths if p.is_file())
    show = progress if progress is not None else (None if total_bytes >= PROGRESS_MIN_BYTES else False)
    try:
        return _count_files(paths, assessments, memory_limit, temp_dir, show, total_bytes)
    except (NsssError, duckdb.Error) as exc:
        if not not_utf8(exc):
            raise
    with tempfile.TemporaryDirectory(prefix="nsss-utf8-") as folder:
        read_as: list[Path | tuple[Path, str]] = []
        for p in paths:
            copy = utf8_copy(p, Path(folder)) if p.suffix.lower() == ".csv" else None
            if copy is None:
                read_as.append(p)
                continue
            lines = copy[1]
            shown = ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")
            if notes is not None:
                notes.append(f"{display_path(p)}: not UTF-8 throughout: {len(lines)} line(s) read as "
                             f"Windows-1252 ({shown})")
            read_as.append((copy[0], display_path(p)))
        return _count_files(read_as, assessments, memory_limit, temp_dir, show, total_bytes)


def _count_files(
    paths: Sequence[Path | tuple[Path, str]], assessments, memory_limit: str, temp_dir: Path | str | None,
    show: bool | None, total_bytes: int,
) -> tuple[list[tuple], list[tuple]]:
    """:func:`count_extracts` for files given as paths, or as (path read, name shown)."""
    from tqdm.std import tqdm

    units = _Units(assessments)
    with _connect(memory_limit, temp_dir) as con:
        extracts = [describe_extract(con, i, *(p if isinstance(p, tuple) else (p,))) for i, p in enumerate(paths)]
        for ex in extracts:
            first_pass(con, ex)
        invalid_unseen: list[tuple] = []
        for _attempt in range(2):  # a second pass only when the first met a valid unseen value
            _load_lookups(con, extracts, units)
            with tqdm(total=100, desc="nsss beneficiaries", unit="%", disable=None if show is None else not show,
                      leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}") as bar:
                try:
                    with _polling(con, bar, total_bytes):
                        cells, per_file = _count(con, extracts)
                except duckdb.Error as exc:
                    if not_utf8(exc):
                        raise
                    names = ", ".join(ex.name for ex in extracts)
                    raise NsssError(f"{names}: reading failed: {one_line(exc)}") from None
            counted, invalid, unseen = _split_cells(cells)
            invalid_unseen, rerun = _classify_unseen(extracts, units, unseen)
            if not rerun:
                break
        else:
            raise NsssError("internal error: values unseen after a second counting pass")
    table = units.table()
    quality = _quality_table(counted, [*invalid, *invalid_unseen], per_file, table, extracts)
    return _coverage_table(counted, table), quality


def coverage_from_extracts(
    files: Iterable[Path | str],
    assessments: pd.DataFrame | Iterable[tuple] | None = None,
    memory_limit: str = "1GB",
    temp_dir: Path | str | None = None,
    progress: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`count_extracts` as DataFrames: ``(coverage_by_sex, coverage_quality)``
    with the columns ``COVERAGE_COLUMNS`` and ``QUALITY_COLUMNS`` and their dtypes
    (text ``str``, counts ``int64``, amounts ``float64``)."""
    coverage, quality = count_extracts(files, assessments, memory_limit, temp_dir, progress)
    return as_frame("coverage_by_sex", coverage), as_frame("coverage_quality", quality)


def as_frame(table: str, rows: list[tuple]) -> pd.DataFrame:
    """Rows of one coverage table (columns as ``mis.schemas.COLUMNS`` lists them) as a
    DataFrame with its dtypes."""
    import pandas as pd

    columns = COLUMNS[table]
    frame = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else pd.DataFrame(
        {c: [] for c in columns})
    return frame.astype(columns)


def _last_none(value: object) -> tuple[bool, object]:
    """A sort key putting missing values last, as pandas sorts."""
    return (value is None, "" if value is None else value)


def _coverage_table(counted: list[_Cell], units: dict[int, tuple]) -> list[tuple]:
    """Decode the counted cells: packed codes back to sex, age band, district and
    channel, summed over files; sorted by ministry code, programme, fiscal year, sex,
    age band, district and channel."""
    codes, division_of = code_lists(), load_reference().district_division
    packing = codes.packing
    sexes, bands = codes.sexes, (*codes.band_labels, UNKNOWN)
    districts, channels = (*codes.districts, UNKNOWN), codes.channels
    groups: dict[tuple, list] = {}
    for cell in counted:
        district = districts[packing.field(cell.attrs, "district")]
        key = (cell.unit_id, sexes[packing.field(cell.attrs, "sex")], bands[packing.field(cell.attrs, "band")],
               district, division_of.get(district), channels[packing.field(cell.attrs, "channel")])
        total = groups.setdefault(key, [0, []])
        total[0] += cell.ids
        if cell.amount is not None:
            total[1].append(cell.amount)
    rows = []
    for (unit_id, sex, band, district, division, channel), (ids, amounts) in groups.items():
        programme, ministry, code, fy = units[unit_id]
        amount = math.fsum(amounts) if amounts else None
        rows.append((programme, ministry, code, fy, sex, band, district, division, channel, ids, amount))
    order = [2, 0, 3, 4, 5, 6, 8]  # ministry_code, programme, fiscal_year, sex, age_band, district, channel
    rows.sort(key=lambda r: tuple(_last_none(r[i]) for i in (*order, 7)))
    return rows


def _quality_table(
    counted: list[_Cell], invalid: list[tuple], per_file: list[tuple], units: dict[int, tuple],
    extracts: Sequence[Extract],
) -> list[tuple]:
    """Every row read, per file and programme-year: rows read = counted + invalid by
    reason + duplicate ids (valid rows whose id was already counted)."""
    codes = code_lists()
    packing = codes.packing
    reasons = len(INVALID_REASONS)
    # (file, unit) -> valid rows, invalid rows by reason, counted ids, amount unreadable,
    # invalid age, invalid district
    acc: dict[tuple[int, int], list[int]] = {}

    def at(file_idx: int, unit_id: int) -> list[int]:
        return acc.setdefault((int(file_idx), int(unit_id)), [0] * (reasons + 5))

    for file_idx, unit_id, valid_rows in per_file:
        at(file_idx, unit_id)[0] += int(valid_rows)
    for file_idx, unit_id, reason, n in invalid:
        at(file_idx, unit_id)[reason] += int(n)
    for cell in counted:
        row = at(cell.file_idx, cell.unit_id)
        row[reasons + 1] += cell.ids
        row[reasons + 2] += cell.amount_unreadable
        row[reasons + 3] += cell.ids if packing.field(cell.attrs, "band") == codes.band_unreadable else 0
        row[reasons + 4] += cell.ids if packing.field(cell.attrs, "district") == codes.district_unknown else 0
    names = {ex.index: ex.name for ex in extracts}
    rows = []
    for (file_idx, unit_id), (valid, *counts) in sorted(acc.items()):
        by_reason, (counted_ids, amount_unreadable, bad_age, bad_district) = counts[:reasons], counts[reasons:]
        duplicates = valid - counted_ids
        if duplicates < 0:
            raise NsssError("internal error: more ids counted than valid rows read")
        programme, ministry, code, fy = units[unit_id]
        rows.append((names[file_idx], programme, ministry, code, fy, valid + sum(by_reason), counted_ids,
                     *by_reason, bad_age, bad_district, duplicates, amount_unreadable))
    read_at, file_at = QUALITY_COLUMNS.index("rows_read"), 0
    for ex in extracts:
        read = sum(r[read_at] for r in rows if r[file_at] == ex.name)
        if read == 0:
            raise NsssError(f"{ex.name}: the file has a header but no rows")
        if ex.rows is not None and read != ex.rows:
            raise NsssError(f"{ex.name}: the file changed while it was read ({ex.rows} rows, then {read})")
        cells = [c for c in counted if c.file_idx == ex.index]
        unreadable, readable = sum(c.amount_unreadable for c in cells), sum(c.amount is not None for c in cells)
        if unreadable >= WRONG_TYPE_MIN_CELLS and readable == 0:
            raise NsssError(
                f"{ex.name}: column {ex.columns['amount_bdt'][0]} holds no readable amount in {unreadable} "
                "filled cells (wrong type?)"
            )
    rows.sort(key=lambda r: (_last_none(r[0]), _last_none(r[1]), _last_none(r[4])))
    return rows


def wilson_bounds(count: int, n: int, alpha: float | None = None) -> tuple[float, float]:
    """The Wilson score interval of ``count`` in ``n``, in closed form (``nan`` when
    ``n`` is 0): the same figures as ``diagnostics.intervals.wilson_interval`` (a test
    holds them equal), without importing statsmodels and scipy."""
    z = NormalDist().inv_cdf(1 - (CONFIDENCE_ALPHA if alpha is None else alpha) / 2)
    if n <= 0:
        return math.nan, math.nan
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # rounding puts the bound of an all-women (or no-women) programme a hair past 1 (or 0)
    return min(max(centre - half, 0.0), 1.0), min(max(centre + half, 0.0), 1.0)


def women_share_rows(coverage: Iterable[Sequence]) -> list[tuple]:
    """Women's share of each programme's beneficiaries per fiscal year, with a 95%
    Wilson interval, as rows in ``WOMEN_SHARE_COLUMNS`` order, sorted by ministry code,
    programme and fiscal year, from coverage rows ``(ministry, ministry_code,
    programme, fiscal_year, sex, beneficiaries)``. ``total`` counts women, men and
    hijra; a programme with no counted beneficiary has no row."""
    sexes = code_lists().sexes
    groups: dict[tuple, dict[str, int]] = {}
    for ministry, code, programme, fy, sex, beneficiaries in coverage:
        by_sex = groups.setdefault((ministry, code, programme, fy), {})
        by_sex[sex] = by_sex.get(sex, 0) + int(beneficiaries)
    rows = []
    for key in sorted(groups, key=lambda k: tuple(_last_none(v) for v in k)):
        women, total = groups[key].get("female", 0), sum(groups[key].get(s, 0) for s in sexes)
        if total > 0:
            rows.append((*key, women, total, women / total, *wilson_bounds(women, total)))
    rows.sort(key=lambda r: (_last_none(r[1]), _last_none(r[2]), _last_none(r[3])))
    return rows
