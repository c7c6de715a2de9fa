"""Coverage by sex from programmes' MIS beneficiary extracts (``nsss beneficiaries``).

The assessment form asks whether a programme collects sex-disaggregated data; a
programme's own beneficiary list answers with numbers. This module reads MIS extracts
(CSV or Parquet, any size; ``shared/spec/beneficiaries.md``) with DuckDB, out of core,
and writes to the processed folder:

- ``coverage_by_sex.parquet``: distinct beneficiaries and benefit paid by programme,
  fiscal year, sex (female/male/hijra), age band, district (with its division) and
  payment channel;
- ``coverage_quality.parquet``: per file and programme, every row read accounted for:
  ``rows_read = rows_counted + invalid_missing_id + invalid_unknown_sex + invalid_age +
  invalid_district + duplicate_id``;
- ``coverage_women_share.parquet``: women's share of each programme's beneficiaries per
  fiscal year with a 95% Wilson interval (:func:`women_share_by_programme`), a table of
  its own so the share is stated once per programme, not repeated on every row.

How rows are read
    Every cell is read as text (``read_csv(all_varchar=true)``), so nothing is coerced
    silently; Parquet columns keep their types and are checked. Sex codes (English and
    Bangla), districts and their variant spellings, payment channels and age bands come
    from ``vocab.load_reference()``, the reference data the forms' cleaner uses; ministry
    names go through ``parse.match_ministry``, fiscal years through
    ``parse.parse_fiscal_year`` and programme names are matched to the assessed
    programmes by ``(ministry_code, vocab.normalise_key(programme))``. A programme named
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
    unknown sex code, an unreadable age, an unknown district. A payment channel that is
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

import csv
import io
import json
import math
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd

from nsss_analysis import store
from nsss_analysis.config import RAW_DIR
from nsss_analysis.errors import NsssError
from nsss_analysis.parse import (
    CellError,
    bangla_digits_to_ascii,
    clean_text,
    find_fiscal_year,
    fy_start,
    match_ministry,
    parse_fiscal_year,
)
from nsss_analysis.scoring import CONFIDENCE_ALPHA
from nsss_analysis.vocab import load_reference, normalise_key, variant_table

# --- policy constants -------------------------------------------------------------

#: Columns an extract must have, and the two ways of giving age (one is required).
REQUIRED_COLUMNS: tuple[str, ...] = ("beneficiary_id", "programme", "sex", "district", "amount_bdt")
AGE_COLUMNS: tuple[str, ...] = ("birth_year", "age")
OPTIONAL_COLUMNS: tuple[str, ...] = ("ministry", "upazila", "payment_channel", "fiscal_year")
#: Reasons a row is not counted, in precedence order (a row gets the first that applies);
#: duplicates are decided among the rows with none of these.
INVALID_REASONS: tuple[str, ...] = (
    "invalid_missing_id",
    "invalid_unknown_sex",
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
#: What an unknown age band or payment channel is called in the tables.
UNKNOWN = "unknown"
#: A programme whose extract has more than this share of rows with an unreadable sex
#: code does not, in practice, collect sex-disaggregated data, whatever its form says.
MOSTLY_UNKNOWN_SEX = 0.5
#: A column with at least this many filled cells and not one readable value holds
#: something else (shifted columns, dates for years): the file is refused. Fewer bad
#: cells may all be typing errors, which are counted row by row instead.
WRONG_TYPE_MIN_CELLS = 5
#: CSV files larger than this are sampled by the first pass (the head, and
#: SAMPLE_CHUNKS blocks of SAMPLE_CHUNK_BYTES spread over the file: about 1 MB, some
#: ten thousand rows) instead of parsed whole, which would double the time;
#: a value the sample missed is caught by the counting pass, which is repeated with
#: complete lookups only if that value makes a row valid.
SAMPLE_ABOVE_BYTES = 64_000_000
SAMPLE_HEAD_BYTES = 250_000
SAMPLE_CHUNKS, SAMPLE_CHUNK_BYTES = 48, 16_000
#: Show a progress bar when the extracts together are at least this large (bytes):
#: below it a run takes a second or two.
PROGRESS_MIN_BYTES = 50_000_000
#: At most this many extracts in one run (the file index is packed into 10 bits).
MAX_FILES = 1024


# --- reference vocabularies as codes -----------------------------------------------


@dataclass(frozen=True)
class _Codes:
    """The reference vocabularies as ordered tuples (a value's code is its index) and
    key -> canonical lookups built from their accepted spellings."""

    sexes: tuple[str, ...]
    age_bands: tuple[dict, ...]
    band_labels: tuple[str, ...]  # the reference bands, then ``unknown``
    districts: tuple[str, ...]
    channels: tuple[str, ...]  # the reference channels, then ``unknown``
    sex_lookup: dict[str, str]
    district_lookup: dict[str, str]
    channel_lookup: dict[str, str]
    max_age: int
    packing: _Packing


@dataclass(frozen=True)
class _Packing:
    """The bit layout of a valid row packed in one BIGINT, most significant first: file,
    sex, age band, district, payment channel, amount in paisa. The smallest packed value
    among an id's rows is the row kept (earliest file, smallest codes, smallest amount),
    so DuckDB's per-id hash table carries one ``min`` instead of one per column. The two
    largest amount values stand for a blank amount and an unreadable one (negative, or
    too large to be a benefit: more than Tk ``max_amount``)."""

    widths: dict[str, int]  # field -> bits, for file, sex, band, district, channel, amount

    @property
    def shifts(self) -> dict[str, int]:
        shift, out = 0, {}
        for name in reversed(list(self.widths)):
            out[name] = shift
            shift += self.widths[name]
        return out

    @property
    def blank(self) -> int:
        return (1 << self.widths["amount"]) - 2

    @property
    def unreadable(self) -> int:
        return (1 << self.widths["amount"]) - 1

    @property
    def max_amount(self) -> float:
        return (self.blank - 1) / 100

    def field(self, packed: np.ndarray, name: str) -> np.ndarray:
        return (packed >> self.shifts[name]) & ((1 << self.widths[name]) - 1)


def _bits(n: int) -> int:
    return max(1, (n - 1).bit_length())


@lru_cache(maxsize=1)
def _codes() -> _Codes:
    ref = load_reference()
    bands = tuple(ref.age_bands)
    sexes, districts = tuple(ref.sex_codes), tuple(sorted(ref.districts))
    band_labels, channels = (*(b["label"] for b in bands), UNKNOWN), (*ref.payment_channels, UNKNOWN)
    widths = {"file": _bits(MAX_FILES), "sex": _bits(len(sexes)), "band": _bits(len(band_labels)),
              "district": _bits(len(districts)), "channel": _bits(len(channels))}
    widths["amount"] = 63 - sum(widths.values())  # 38 bits: up to Tk 2.7 billion
    return _Codes(
        sexes=sexes,
        age_bands=bands,
        band_labels=band_labels,
        districts=districts,
        channels=channels,
        sex_lookup=variant_table(ref.sex_codes),
        district_lookup=variant_table(ref.districts),
        channel_lookup=variant_table(ref.payment_channels),
        max_age=max(int(b["max"]) for b in bands),
        packing=_Packing(widths),
    )


def _normalise(value: object, lookup: dict[str, str]) -> str | None:
    text = clean_text(value)
    return lookup.get(normalise_key(text)) if text is not None else None


def normalise_sex(value: object) -> str | None:
    """``female``, ``male`` or ``hijra`` for a sex code in English or Bangla; ``None``
    when blank or unknown.

    >>> normalise_sex(" F "), normalise_sex("মহিলা"), normalise_sex("Third gender"), normalise_sex("X")
    ('female', 'female', 'hijra', None)
    """
    return _normalise(value, _codes().sex_lookup)


def normalise_district(value: object) -> str | None:
    """The canonical name of one of the 64 districts, from any accepted spelling.

    >>> normalise_district("Chittagong"), normalise_district(" COMILLA "), normalise_district("Atlantis")
    ('Chattogram', 'Cumilla', None)
    """
    return _normalise(value, _codes().district_lookup)


def normalise_payment_channel(value: object) -> str:
    """``mobile``, ``bank``, ``cash``, ``post office``, or ``unknown``.

    >>> normalise_payment_channel("bKash"), normalise_payment_channel(""), normalise_payment_channel("Postal")
    ('mobile', 'unknown', 'post office')
    """
    return _normalise(value, _codes().channel_lookup) or UNKNOWN


def _read_int(value: object) -> int | None:
    """A whole number from a cell (Bangla digits, ``63.0``); ``None`` if unreadable."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        number = float(bangla_digits_to_ascii(text))
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number.is_integer() else None


def age_band(age: object = None, birth_year: object = None, fiscal_year: str | None = None) -> str | None:
    """The age band of a beneficiary, ``unknown`` when age cannot be known, or ``None``
    when the value given is unreadable (the row is then invalid).

    ``age`` wins when filled in; else age = first year of ``fiscal_year`` - ``birth_year``.

    >>> age_band(age="4"), age_band(age="৫"), age_band(birth_year="1960", fiscal_year="2023-24")
    ('0-4', '5-17', '60+')
    >>> age_band(), age_band(birth_year="1960"), age_band(age="abc"), age_band(birth_year="60", fiscal_year="2023-24")
    ('unknown', 'unknown', None, None)
    """
    codes = _codes()
    if clean_text(age) is not None:
        years = _read_int(age)
    elif clean_text(birth_year) is not None:
        year = _read_int(birth_year)
        if year is None or not 1000 <= year <= 9999:
            return None
        if fiscal_year is None:
            return UNKNOWN
        years = fy_start(fiscal_year) - year
    else:
        return UNKNOWN
    if years is None or not 0 <= years <= codes.max_age:
        return None
    for band in codes.age_bands:
        if band["min"] <= years <= band["max"]:
            return band["label"]
    return None


def _fiscal_year(value: object) -> str | None:
    try:
        return parse_fiscal_year(value)
    except CellError:
        return None


def _ministry_code(value: object) -> str | None:
    ministry = match_ministry(value)
    return ministry.code if ministry is not None else None


def _column_name(header: str) -> str:
    """A header as a column name: ``Beneficiary ID`` -> ``beneficiary_id``."""
    return normalise_key(header).replace(" ", "_").replace("-", "_")


# --- reading the extracts --------------------------------------------------------


def default_extracts(raw_dir: Path | str = RAW_DIR) -> list[Path]:
    """Every MIS extract (``.csv``, ``.parquet``) under ``raw_dir/mis``, sorted."""
    mis = Path(raw_dir) / "mis"
    if not mis.is_dir():
        return []
    return sorted(
        p
        for p in mis.rglob("*")
        if p.is_file() and p.suffix.lower() in (".csv", ".parquet") and not p.name.startswith(".")
    )


def _display(path: Path) -> str:
    """A file as the quality table and error messages name it: relative to the raw
    folder when inside it, with ``/``."""
    try:
        return path.resolve().relative_to(RAW_DIR.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


#: DuckDB types a column may have in a Parquet extract (text columns may also be whole
#: numbers: an id or a fiscal year stored as an integer).
_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL")
_INTEGER_TYPES = _NUMBER_TYPES[:9]


def _type_ok(column: str, duck_type: str) -> bool:
    base = duck_type.split("(")[0]
    if base == "VARCHAR":
        return True
    if column in ("amount_bdt", *AGE_COLUMNS):
        return base in _NUMBER_TYPES
    return base in _INTEGER_TYPES


@dataclass
class _Extract:
    """One input file: where it is, how to read it, its columns, and the distinct values
    of its low-cardinality columns that the first pass saw."""

    index: int
    path: Path
    name: str
    kind: str  # "csv" or "parquet"
    columns: dict[str, tuple[str, str]]  # canonical name -> (header as written, DuckDB type)
    headers: list[str] = field(default_factory=list)  # every header as written, in order
    fiscal_year_from_name: str | None = None
    #: one row per distinct value (combination) of each of _VALUE_SETS, with ``set`` (its
    #: index there) and ``n`` (rows seen)
    values: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: rows in the file, when the first pass read all of it (else ``None``: a sample)
    rows: int | None = None

    @property
    def reader(self) -> str:
        path = _sql_string(str(self.path))
        if self.kind == "csv":
            return f"read_csv({path}, header=true, all_varchar=true)"
        return f"read_parquet({path})"

    def has(self, column: str) -> bool:
        return column in self.columns

    def text(self, column: str) -> str:
        """SQL for a column as text (``NULL`` when the file lacks it)."""
        if column not in self.columns:
            return "NULL::VARCHAR"
        header, duck_type = self.columns[column]
        return _quote(header) if duck_type == "VARCHAR" else f"CAST({_quote(header)} AS VARCHAR)"

    def amount_given(self) -> str:
        """SQL: is the amount cell filled in (whether readable or not)?"""
        header, duck_type = self.columns["amount_bdt"]
        return f"{_quote(header)} <> ''" if duck_type == "VARCHAR" else f"{_quote(header)} IS NOT NULL"

    def amount(self) -> str:
        """SQL for the amount as DOUBLE: numbers with Bangla digits or thousands
        separators are read too (only where the plain cast fails)."""
        header, duck_type = self.columns["amount_bdt"]
        quoted = _quote(header)
        if duck_type != "VARCHAR":
            return f"CAST({quoted} AS DOUBLE)"
        bangla = "".join(chr(0x09E6 + d) for d in range(10))  # U+09E6..U+09EF, as parse reads them
        return (
            f"coalesce(TRY_CAST({quoted} AS DOUBLE), "
            f"TRY_CAST(translate(replace({quoted}, ',', ''), '{bangla}', '0123456789') AS DOUBLE))"
        )


def _describe(con: duckdb.DuckDBPyConnection, index: int, path: Path) -> _Extract:
    """Open one file, check its columns and types, or raise a one-line error."""
    name = _display(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise NsssError(f"{name}: not an MIS extract (expected a .csv or .parquet file)")
    if not path.is_file():
        raise NsssError(f"{name}: no such file")
    if path.stat().st_size == 0:
        raise NsssError(f"{name}: the file is empty")
    kind = suffix[1:]
    probe = _Extract(index, path, name, kind, {})
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {probe.reader}").fetchall()
    except duckdb.Error as exc:
        what = "a truncated or damaged Parquet file" if kind == "parquet" else "an unreadable CSV file"
        raise NsssError(f"{name}: cannot be read ({what}): {_one_line(exc)}") from None
    columns: dict[str, tuple[str, str]] = {}
    for header, duck_type, *_ in described:
        columns.setdefault(_column_name(header), (header, duck_type))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if not any(c in columns for c in AGE_COLUMNS):
        missing.append(" or ".join(AGE_COLUMNS))
    if missing:
        raise NsssError(
            f"{name}: missing required column(s) {', '.join(missing)} (found: {', '.join(h for h, _ in columns.values())})"
        )
    for column, (header, duck_type) in columns.items():
        if column in (*REQUIRED_COLUMNS, *AGE_COLUMNS, *OPTIONAL_COLUMNS) and not _type_ok(column, duck_type):
            expected = "a number" if column in ("amount_bdt", *AGE_COLUMNS) else "text"
            raise NsssError(f"{name}: column {header} has type {duck_type}; expected {expected}")
    probe.columns, probe.headers = columns, [header for header, *_ in described]
    if not probe.has("fiscal_year"):
        probe.fiscal_year_from_name = find_fiscal_year(path.stem)
    return probe


# --- first pass: the distinct values to normalise ----------------------------------

#: The low-cardinality columns, by the sets normalised together (a programme needs its
#: ministry and fiscal year; an age from a birth year needs the fiscal year).
_VALUE_SETS: tuple[tuple[str, ...], ...] = (
    ("programme", "ministry", "fiscal_year"),
    ("sex",),
    ("birth_year", "age", "fiscal_year"),
    ("district",),
    ("payment_channel",),
)
_LOW_CARDINALITY = ("programme", "ministry", "fiscal_year", "sex", "birth_year", "age", "district", "payment_channel")


def _first_pass(con: duckdb.DuckDBPyConnection, ex: _Extract) -> None:
    """Collect the distinct values of the low-cardinality columns: every value of a
    Parquet file or a small CSV file (DuckDB, exact), or a sample of a large CSV file
    (its head and SAMPLE_CHUNKS blocks spread over it): parsing a large CSV twice would
    double the time, and values the sample missed are caught by the counting pass."""
    if ex.kind == "csv" and ex.path.stat().st_size > SAMPLE_ABOVE_BYTES:
        ex.values = _value_sets(ex, _sample_csv(con, ex))
        return
    sets = [[c for c in s if ex.has(c)] for s in _VALUE_SETS]
    used = [c for c in _LOW_CARDINALITY if ex.has(c)]
    select = ", ".join(f"{ex.text(c)} AS {c}" for c in used)
    grouping = ", ".join("(" + ", ".join(s) + ")" for s in sets if s)
    # Columns the file lacks stay out of the grouping: a constant key slows DuckDB down.
    sql = (
        f"SELECT {', '.join(used)}, GROUPING({', '.join(used)}) AS g, count(*) AS n "
        f"FROM (SELECT {select} FROM {ex.reader}) GROUP BY GROUPING SETS ({grouping})"
    )
    try:
        frame = con.execute(sql).df()
    except duckdb.Error as exc:
        raise NsssError(f"{ex.name}: cannot be read: {_one_line(exc)}") from None
    # GROUPING() sets a bit (most significant first, in ``used`` order) for each column
    # NOT in the row's grouping set.
    bits = {c: 1 << (len(used) - 1 - i) for i, c in enumerate(used)}
    frame["set"] = -1
    for k, s in enumerate(sets):
        if s:
            frame.loc[frame["g"] == sum(bits[c] for c in used if c not in s), "set"] = k
    ex.values = frame.drop(columns="g")
    ex.rows = int(frame.loc[frame["set"] == 0, "n"].sum())
    if ex.rows == 0:
        raise NsssError(f"{ex.name}: the file has a header but no rows")


def _sample_csv(con: duckdb.DuckDBPyConnection, ex: _Extract) -> pd.DataFrame:
    """Rows from the head of a CSV file and from SAMPLE_CHUNKS blocks at fixed offsets
    spread over it, parsed with the dialect DuckDB sniffed. A block starts at the line
    after its offset; a line cut by a block's end, or misread because the offset fell
    inside a quoted cell, is dropped or only adds a spare value to the lookups."""
    delimiter, quote, escape = con.execute(
        f"SELECT Delimiter, Quote, Escape FROM sniff_csv({_sql_string(str(ex.path))}, header=true, all_varchar=true)"
    ).fetchall()[0]

    def one_char(c: object) -> str | None:
        return c if isinstance(c, str) and len(c) == 1 else None  # DuckDB says "(empty)" for none

    quote, escape = one_char(quote), one_char(escape)
    dialect: dict = {"delimiter": one_char(delimiter) or ","}
    if quote:
        dialect.update(quotechar=quote, doublequote=escape in (None, quote),
                       escapechar=escape if escape not in (None, quote) else None)
    else:
        dialect.update(quoting=csv.QUOTE_NONE, escapechar=escape)
    size = ex.path.stat().st_size
    offsets = [0] + [int(size * (i + 0.5) / SAMPLE_CHUNKS) for i in range(SAMPLE_CHUNKS)]
    wanted = [c for c in _LOW_CARDINALITY if ex.has(c)]
    positions = [ex.headers.index(ex.columns[c][0]) for c in wanted]
    rows: list[list[str]] = []
    with open(ex.path, "rb") as f:
        for i, offset in enumerate(offsets):
            f.seek(offset)
            block = f.read(SAMPLE_HEAD_BYTES if i == 0 else SAMPLE_CHUNK_BYTES)
            # whole lines only: the first is the header or a line cut by the offset
            text = b"\n".join(block.split(b"\n")[1:-1]).decode("utf-8", errors="replace")
            try:
                rows.extend(
                    [r[p] for p in positions]
                    for r in csv.reader(io.StringIO(text), **dialect)
                    if len(r) == len(ex.headers)
                )
            except csv.Error:
                continue  # a block that starts inside a quoted cell: the others suffice
    frame = pd.DataFrame(rows, columns=wanted, dtype="str")
    return frame.mask(frame == "", None).assign(n=1)


def _value_sets(ex: _Extract, rows: pd.DataFrame) -> pd.DataFrame:
    """Raw rows (the low-cardinality columns and a count ``n``) as value sets."""
    parts = []
    for k, s in enumerate(_VALUE_SETS):
        s = [c for c in s if ex.has(c)]
        if s:
            counts = rows.groupby(s, dropna=False, sort=False)["n"].sum().reset_index()
            parts.append(counts.assign(set=k))
    return pd.concat(parts, ignore_index=True)


def _values(ex: _Extract, k: int, columns: Sequence[str]) -> pd.DataFrame:
    """Distinct values of value set ``k`` of one file (missing columns as nulls), with counts."""
    frame = ex.values[ex.values["set"] == k]
    out = pd.DataFrame({c: frame[c] if c in frame else pd.Series(None, index=frame.index, dtype="str")
                        for c in columns})
    out["n"] = frame["n"].to_numpy()
    return out.groupby(list(columns), dropna=False, sort=False)["n"].sum().reset_index()


# --- lookup tables ---------------------------------------------------------------


def _assessed_index(assessments: pd.DataFrame | None) -> tuple[dict, dict]:
    """(ministry_code, programme key) -> (ministry, code, programme) of the assessed
    programmes, and programme key -> the set of codes that assessed it."""
    by_code: dict[tuple[str, str], tuple[str, str, str]] = {}
    by_key: dict[str, set[str]] = {}
    if assessments is None or assessments.empty:
        return by_code, by_key
    for ministry, code, programme in (
        assessments[["ministry", "ministry_code", "programme"]].drop_duplicates().itertuples(index=False)
    ):
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

    def __init__(self, assessments: pd.DataFrame | None):
        self.by_code, self.by_key = _assessed_index(assessments)
        self.ids: dict[tuple[str, str, str], int] = {}
        self.spellings: list[dict[str, int]] = []

    def unit_of(self, ex: _Extract, programme_raw, ministry_raw, fy_raw, n: int = 0) -> tuple[int, bool]:
        """The unit id of one combination as written, and whether the programme is blank."""
        programme = clean_text(programme_raw)
        key = normalise_key(programme) if programme else ""
        code = _ministry_code(ministry_raw) if ex.has("ministry") else None
        if code is None and key in self.by_key and len(self.by_key[key]) == 1:
            code = next(iter(self.by_key[key]))
        fy = _fiscal_year(fy_raw) if ex.has("fiscal_year") else ex.fiscal_year_from_name
        unit = (code or "", key, fy or "")
        if unit not in self.ids:
            self.ids[unit] = len(self.ids)
            self.spellings.append({})
        uid = self.ids[unit]
        spellings = self.spellings[uid]
        spellings[programme or ""] = spellings.get(programme or "", 0) + n
        return uid, key == ""

    def map_for(self, ex: _Extract) -> pd.DataFrame:
        """programme, ministry, fiscal year as written -> unit_id, blank (one file)."""
        values = _values(ex, 0, ("programme", "ministry", "fiscal_year"))
        units = [self.unit_of(ex, p, m, f, int(n)) for p, m, f, n in values.itertuples(index=False)]
        return pd.DataFrame({
            "programme_raw": values["programme"].astype("str"),
            "ministry_raw": values["ministry"].astype("str"),
            "fiscal_year_raw": values["fiscal_year"].astype("str"),
            "unit_id": pd.array([u for u, _ in units], dtype="int32"),
            "blank": pd.array([b for _, b in units], dtype="bool"),
            "known": True,
        })

    def table(self) -> pd.DataFrame:
        """unit_id, programme, ministry, ministry_code, fiscal_year: the assessed name
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
        table = pd.DataFrame(rows, columns=["unit_id", "programme", "ministry", "ministry_code", "fiscal_year"])
        return table.astype({"programme": "str", "ministry": "str", "ministry_code": "str", "fiscal_year": "str"})


def _code_map(
    extracts: Sequence[_Extract], k: int, column: str, normalise, codes: Sequence[str],
    vocabulary: dict[str, tuple[str, ...]],
) -> pd.DataFrame:
    """raw value -> code (index in ``codes``, or null when ``normalise`` rejects it), for
    the values seen, the reference spellings (``vocabulary``) and a blank cell (null)."""
    values = [_values(ex, k, (column,))[column] for ex in extracts if ex.has(column)]
    raw = pd.concat(values, ignore_index=True).dropna() if values else pd.Series(dtype="str")
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
    raw_values = [*dict.fromkeys([*raw.astype("str"), *typed]), None]
    code = [position.get(normalise(v)) for v in raw_values]
    return pd.DataFrame({"raw": pd.array(raw_values, dtype="str"), "code": pd.array(code, dtype="Int16"),
                         "known": True})


def _fiscal_years(ex: _Extract, raw: pd.Series) -> list[str | None]:
    if ex.has("fiscal_year"):
        return [_fiscal_year(v) for v in raw]
    return [ex.fiscal_year_from_name] * len(raw)


def _check_age_type(ex: _Extract, values: pd.DataFrame) -> None:
    """Refuse a file whose age column, as far as the first pass saw, holds no readable
    value in WRONG_TYPE_MIN_CELLS or more filled cells."""
    fys = _fiscal_years(ex, values["fiscal_year"])
    filled = (values["age"].notna() | values["birth_year"].notna()).to_numpy()
    readable = np.array(
        [age_band(a, b, fy) not in (None, UNKNOWN) for a, b, fy in zip(values["age"], values["birth_year"], fys)],
        dtype=bool,
    )
    cells = int(values.loc[filled, "n"].sum())
    if cells >= WRONG_TYPE_MIN_CELLS and not (readable & filled).any():
        column = next(c for c in AGE_COLUMNS if ex.has(c))
        what = "year" if column == "birth_year" else "age"
        raise NsssError(
            f"{ex.name}: column {ex.columns[column][0]} holds no readable {what} in {cells} filled cells (wrong type?)"
        )


def _plausible_ages(ex: _Extract, values: pd.DataFrame) -> pd.DataFrame:
    """Every whole age, and every birth year for each fiscal year seen, in ASCII and
    Bangla digits: a sample then misses only oddly written values."""
    ascii_to_bangla = str.maketrans("0123456789", "".join(chr(0x09E6 + d) for d in range(10)))
    fy_raws = values["fiscal_year"].drop_duplicates().tolist() if ex.has("fiscal_year") else [None]
    rows = [{"fiscal_year": fy_raw} for fy_raw in fy_raws]  # blank: age band unknown
    if ex.has("age"):
        rows += [{"age": s} for a in range(_codes().max_age + 1) for s in (str(a), str(a).translate(ascii_to_bangla))]
    if ex.has("birth_year"):
        for fy_raw, fy in zip(fy_raws, _fiscal_years(ex, pd.Series(fy_raws, dtype="str"))):
            if fy is None:
                continue
            for year in range(fy_start(fy) - _codes().max_age, fy_start(fy) + 1):
                rows += [{"birth_year": s, "fiscal_year": fy_raw}
                         for s in (str(year), str(year).translate(ascii_to_bangla))]
    return pd.DataFrame(rows, columns=["birth_year", "age", "fiscal_year"], dtype="str").assign(n=0)


def _age_keys(ex: _Extract) -> list[str]:
    """The columns an age band depends on in one file (the fiscal year only for a birth
    year; without a fiscal_year column it comes from the file name, a constant)."""
    keys = [c for c in AGE_COLUMNS if ex.has(c)]
    return keys + ["fiscal_year"] if ex.has("birth_year") and ex.has("fiscal_year") else keys


def _age_map(ex: _Extract) -> pd.DataFrame:
    """(birth_year, age, fiscal_year) as written -> age band code, null when unreadable,
    for the values seen and the plausible ones, one row per ``_age_keys``. Raises on a
    wrong type."""
    position = {label: i for i, label in enumerate(_codes().band_labels)}
    values = _values(ex, 2, ("birth_year", "age", "fiscal_year"))
    _check_age_type(ex, values)
    values = pd.concat([values, _plausible_ages(ex, values)], ignore_index=True).drop_duplicates(
        subset=_age_keys(ex))
    bands = [
        age_band(age, birth_year, fy)
        for age, birth_year, fy in zip(values["age"], values["birth_year"], _fiscal_years(ex, values["fiscal_year"]))
    ]
    return pd.DataFrame({
        "birth_year": values["birth_year"].astype("str"),
        "age": values["age"].astype("str"),
        "fiscal_year": values["fiscal_year"].astype("str"),
        "band": pd.array([position.get(b) if b else None for b in bands], dtype="Int16"),
        "known": True,
    })


def _load_lookups(con: duckdb.DuckDBPyConnection, extracts: Sequence[_Extract], units: _Units) -> None:
    """(Re)build every lookup table from the values seen and copy it into DuckDB."""
    codes, ref = _codes(), load_reference()
    units.spellings = [{} for _ in units.spellings]  # counted afresh from the values
    lookups = {
        "sex_map": _code_map(extracts, 1, "sex", normalise_sex, codes.sexes, ref.sex_codes),
        "district_map": _code_map(extracts, 3, "district", normalise_district, codes.districts, ref.districts),
        "channel_map": _code_map(
            extracts, 4, "payment_channel", normalise_payment_channel, codes.channels, ref.payment_channels
        ),
        "channel_unknown": pd.DataFrame({"code": pd.array([codes.channels.index(UNKNOWN)], dtype="Int16")}),
    }
    for ex in extracts:
        lookups[f"unit_map_{ex.index}"] = units.map_for(ex)
        lookups[f"age_map_{ex.index}"] = _age_map(ex)
    for name, frame in lookups.items():
        # small tables, copied into DuckDB so that the joins probe native hash tables
        con.register("frame", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")


# --- the counting pass -----------------------------------------------------------

#: Reason codes in the counting pass: 0 valid, 1.. INVALID_REASONS in order, and
#: ``_UNSEEN`` for a row holding a value the first pass had not seen (classified after).
_UNSEEN = 9
_TAG_BITS = 32  # invalid rows are keyed by (file * 16 + reason) << 32 | unit_id


def _rows_sql(ex: _Extract) -> str:
    """The counting pass over one file, one line per row: ``unit_key`` (the unit for a
    valid row, else also the file and reason), ``valid_id`` (the id of a valid row, or
    the row's values as JSON when one of them is unseen), and a valid row's file, codes
    and amount packed as ``_Packing`` says."""

    def same(left: str, right: str) -> str:
        return f"{left} IS NOT DISTINCT FROM {right}"

    unit_on = " AND ".join(same(f"s.{c}", f"u.{c}_raw") for c in ("programme", "ministry", "fiscal_year") if ex.has(c))
    age_on = " AND ".join(same(f"s.{c}", f"a.{c}") for c in _age_keys(ex))
    used = [c for c in _LOW_CARDINALITY if ex.has(c)]
    select = ", ".join(f"{ex.text(c)} AS {c}" for c in used)
    if ex.has("payment_channel"):
        channel = "c.code"
        channel_join = f"LEFT JOIN channel_map c ON {same('s.payment_channel', 'c.raw')}"
        unseen_channel = " OR c.known IS NULL"
    else:
        channel, channel_join, unseen_channel = "ch.code", "CROSS JOIN channel_unknown ch", ""
    as_json = "to_json([id_blank::VARCHAR, " + ", ".join(f"s.{c}" for c in used) + "])::VARCHAR"
    packing = _codes().packing
    shift = packing.shifts
    return f"""
    SELECT CASE WHEN reason = 0 THEN unit_id
                ELSE coalesce(unit_id, 0) | (({ex.index} * 16 + reason)::BIGINT << {_TAG_BITS}) END AS unit_key,
        CASE WHEN reason = 0 THEN id WHEN reason = {_UNSEEN} THEN unseen END AS valid_id,
        CASE WHEN reason = 0 THEN ({ex.index}::BIGINT << {shift["file"]}) | (sex::BIGINT << {shift["sex"]})
            | (band::BIGINT << {shift["band"]}) | (district::BIGINT << {shift["district"]})
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
                 WHEN a.band IS NULL THEN 3
                 WHEN d.code IS NULL THEN 4
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


def _id_groups_sql(ex: _Extract) -> str:
    """One group per valid id and unit of one file (its rows, and the kept row: the
    smallest packed value), per unit and reason for its invalid rows, per unseen
    combination of values."""
    return f"""
    SELECT unit_key, valid_id, count(*) AS n, min(packed) AS kept
    FROM ({_rows_sql(ex)}) GROUP BY unit_key, valid_id"""


def _cells_sql(id_groups: str) -> str:
    """Count ids per unit, file and codes (``attrs``: the kept value without its amount)
    and sum their amounts, from id groups."""
    packing = _codes().packing
    amount_bits = packing.widths["amount"]
    amount = f"(kept & {(1 << amount_bits) - 1})"
    return f"""
SELECT unit_key, kept >> {amount_bits} AS attrs,
    CASE WHEN (unit_key >> {_TAG_BITS}) % 16 = {_UNSEEN} THEN valid_id END AS unseen,
    count(*) AS ids, sum(n) AS n,
    sum({amount} / 100) FILTER ({amount} < {packing.blank}) AS amount,
    count(*) FILTER ({amount} = {packing.unreadable}) AS amount_unreadable
FROM ({id_groups}) GROUP BY ALL"""


def _count(con: duckdb.DuckDBPyConnection, extracts: Sequence[_Extract]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The counting pass: (cells, valid rows per file and unit).

    One file: two plain GROUP BYs over one scan (GROUPING SETS would make DuckDB
    materialise its input); the per-id one spills to disk beyond the memory limit (50
    million ids fit in 1 GB because its only states are a count and one ``min``: a
    second ``min`` made it run out of memory). Several files: each file's id groups go to
    a temporary table, which gives the valid rows of each file, and then the ids are
    deduplicated across files."""
    if len(extracts) == 1:
        cells = con.execute(_cells_sql(_id_groups_sql(extracts[0]))).df()
        valid = cells[(cells["unit_key"].to_numpy(dtype=np.int64) >> _TAG_BITS) == 0]
        per_file = valid.groupby("unit_key", as_index=False)["n"].sum().assign(file_idx=0)
        return cells, per_file.rename(columns={"unit_key": "unit_id", "n": "valid_rows"})
    union = "\n    UNION ALL\n".join(f"SELECT {ex.index} AS file_idx, * FROM ({_id_groups_sql(ex)})" for ex in extracts)
    con.execute(f"CREATE OR REPLACE TEMP TABLE id_groups AS {union}")
    per_file = con.execute(
        f"SELECT file_idx, unit_key AS unit_id, sum(n) AS valid_rows FROM id_groups "
        f"WHERE unit_key >> {_TAG_BITS} = 0 GROUP BY ALL"
    ).df()
    merged = "SELECT unit_key, valid_id, sum(n) AS n, min(kept) AS kept FROM id_groups GROUP BY unit_key, valid_id"
    cells = con.execute(_cells_sql(merged)).df()
    con.execute("DROP TABLE id_groups")
    return cells, per_file


def _split_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(counted cells, invalid rows, unseen rows) from the counting pass, each with its
    ``file_idx``; counted cells keep their packed codes in ``attrs``."""
    key = cells["unit_key"].to_numpy(dtype=np.int64)
    tag = key >> _TAG_BITS
    unit = (key & ((1 << _TAG_BITS) - 1)).astype(np.int64)
    cells = cells.assign(unit_id=unit, file_idx=tag // 16, reason=tag % 16)
    counted = cells[tag == 0].copy()
    packing = _codes().packing
    attrs = counted["attrs"].to_numpy(dtype=np.int64) << packing.widths["amount"]  # back in place
    counted["file_idx"], counted["attrs"] = packing.field(attrs, "file"), attrs
    return counted, cells[(tag > 0) & (cells["reason"] != _UNSEEN)], cells[cells["reason"] == _UNSEEN]


def _classify_unseen(extracts: Sequence[_Extract], units: _Units, unseen: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The rows whose values the first pass had not seen, classified in Python with the
    same functions as the lookups: (invalid rows by file, unit and reason; whether any is
    valid, which needs another counting pass). Their values are added to the files'
    values so that the next pass knows them."""
    by_index = {ex.index: ex for ex in extracts}
    out, any_valid = [], False
    added: dict[int, list[dict]] = {}
    for file_idx, as_json, n in unseen[["file_idx", "unseen", "n"]].itertuples(index=False):
        ex = by_index[int(file_idx)]
        cells = json.loads(as_json)
        row = dict(zip([c for c in _LOW_CARDINALITY if ex.has(c)], cells[1:]))
        unit_id, blank = units.unit_of(ex, row.get("programme"), row.get("ministry"), row.get("fiscal_year"))
        fy = _fiscal_years(ex, pd.Series([row.get("fiscal_year")]))[0]
        if cells[0] == "true" or blank:
            reason = 1
        elif normalise_sex(row.get("sex")) is None:
            reason = 2
        elif age_band(row.get("age"), row.get("birth_year"), fy) is None:
            reason = 3
        elif normalise_district(row.get("district")) is None:
            reason = 4
        else:
            reason, any_valid = 0, True
        out.append((int(file_idx), unit_id, reason, int(n)))
        added.setdefault(ex.index, []).append({**row, "n": int(n)})
    for index, rows in added.items():
        ex = by_index[index]
        extra = pd.DataFrame(rows).reindex(columns=[*(c for c in _LOW_CARDINALITY if ex.has(c)), "n"])
        ex.values = pd.concat([ex.values, _value_sets(ex, extra)], ignore_index=True)
    return pd.DataFrame(out, columns=["file_idx", "unit_id", "reason", "n"]), any_valid


@contextmanager
def _connect(memory_limit: str, temp_dir: Path | str | None):
    """A DuckDB connection with a memory limit, spilling to ``temp_dir`` (a fresh
    temporary folder when ``None``), all cores, and progress tracking on."""
    with tempfile.TemporaryDirectory(prefix="nsss-duckdb-") as fallback:
        spill = Path(temp_dir) if temp_dir is not None else Path(fallback)
        spill.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = {_sql_string(memory_limit)}")
            con.execute(f"SET temp_directory = {_sql_string(str(spill))}")
            con.execute(f"SET threads = {os.cpu_count() or 1}")
            con.execute("SET preserve_insertion_order = false")
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        except duckdb.Error as exc:
            con.close()
            raise NsssError(f"DuckDB settings: {_one_line(exc)} (memory limit {memory_limit!r})") from None
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


def coverage_from_extracts(
    files: Iterable[Path | str],
    assessments: pd.DataFrame | None = None,
    memory_limit: str = "1GB",
    temp_dir: Path | str | None = None,
    progress: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage by sex and the accounting of every row, from MIS extracts.

    Returns ``(coverage_by_sex, coverage_quality)`` (columns ``COVERAGE_COLUMNS`` and
    ``QUALITY_COLUMNS``). ``assessments`` (the processed table) lets programme names be
    matched to the assessed programmes. The extracts are never loaded into pandas:
    DuckDB streams them within ``memory_limit``, spilling to ``temp_dir``. ``progress``
    shows a bar (``None``: when the files are large and stderr is a terminal). Raises
    :class:`NsssError` naming the first file that cannot be used.
    """
    from tqdm.auto import tqdm

    paths = [Path(f) for f in files]
    if not paths:
        raise NsssError("no MIS extract given")
    if len(paths) > MAX_FILES:
        raise NsssError(f"{len(paths)} extracts given; at most {MAX_FILES} per run (concatenate some)")
    total_bytes = sum(p.stat().st_size for p in paths if p.is_file())
    show = progress if progress is not None else (None if total_bytes >= PROGRESS_MIN_BYTES else False)
    units = _Units(assessments)
    with _connect(memory_limit, temp_dir) as con:
        extracts = [_describe(con, i, p) for i, p in enumerate(paths)]
        for ex in extracts:
            _first_pass(con, ex)
        invalid_unseen = pd.DataFrame(columns=["file_idx", "unit_id", "reason", "n"])
        for attempt in range(2):  # a second pass only when the first met a valid unseen value
            _load_lookups(con, extracts, units)
            with tqdm(total=100, desc="nsss beneficiaries", unit="%", disable=None if show is None else not show,
                      leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}") as bar:
                try:
                    with _polling(con, bar, total_bytes):
                        cells, per_file = _count(con, extracts)
                except duckdb.Error as exc:
                    names = ", ".join(ex.name for ex in extracts)
                    raise NsssError(f"{names}: reading failed: {_one_line(exc)}") from None
            counted, invalid, unseen = _split_cells(cells)
            invalid_unseen, rerun = _classify_unseen(extracts, units, unseen)
            if not rerun:
                break
        else:
            raise NsssError("internal error: values unseen after a second counting pass")
    invalid = pd.concat([invalid[["file_idx", "unit_id", "reason", "n"]], invalid_unseen], ignore_index=True)
    table = units.table()
    quality = _quality_table(counted, invalid, per_file, table, extracts)
    return _coverage_table(counted, table), quality


def _coverage_table(counted: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Decode the counted cells: packed codes back to sex, age band, district and
    channel, summed over files."""
    codes = _codes()
    attrs, packing = counted["attrs"].to_numpy(dtype=np.int64), codes.packing
    district = np.asarray(codes.districts, dtype=object)[packing.field(attrs, "district")]
    frame = pd.DataFrame(
        {
            "unit_id": counted["unit_id"].to_numpy(dtype=np.int64),
            "sex": np.asarray(codes.sexes, dtype=object)[packing.field(attrs, "sex")],
            "age_band": np.asarray(codes.band_labels, dtype=object)[packing.field(attrs, "band")],
            "district": district,
            "division": pd.Series(district).map(load_reference().district_division).to_numpy(),
            "payment_channel": np.asarray(codes.channels, dtype=object)[packing.field(attrs, "channel")],
            "beneficiaries": counted["ids"].to_numpy(dtype=np.int64),
            "amount_bdt": counted["amount"].to_numpy(dtype=np.float64),
        }
    )
    keys = ["unit_id", "sex", "age_band", "district", "division", "payment_channel"]
    frame = frame.groupby(keys, as_index=False)[["beneficiaries", "amount_bdt"]].sum(min_count=1)
    frame = frame.merge(units, on="unit_id", how="left", validate="many_to_one")
    frame = frame[list(COVERAGE_COLUMNS)].astype(
        {**{c: "str" for c in COVERAGE_COLUMNS if c not in ("beneficiaries", "amount_bdt")},
         "beneficiaries": "int64", "amount_bdt": "float64"}
    )
    return frame.sort_values(
        ["ministry_code", "programme", "fiscal_year", "sex", "age_band", "district", "payment_channel"],
        na_position="last",
        ignore_index=True,
    )


def _quality_table(
    counted: pd.DataFrame, invalid: pd.DataFrame, per_file: pd.DataFrame, units: pd.DataFrame,
    extracts: Sequence[_Extract],
) -> pd.DataFrame:
    """Every row read, per file and programme-year: rows read = counted + invalid by
    reason + duplicate ids (valid rows whose id was already counted)."""
    keys = ["file_idx", "unit_id"]
    reasons = invalid.assign(reason=invalid["reason"].map(dict(enumerate(INVALID_REASONS, start=1))))
    by_reason = reasons.pivot_table(index=keys, columns="reason", values="n", aggfunc="sum")
    ids = counted.groupby(keys)[["ids", "amount_unreadable"]].sum().rename(columns={"ids": "rows_counted"})
    quality = (
        per_file.set_index(keys)[["valid_rows"]]
        .join(by_reason.reindex(columns=list(INVALID_REASONS)), how="outer")
        .join(ids, how="outer")
        .fillna(0)
        .astype("int64")
        .reset_index()
    )
    quality["rows_read"] = quality["valid_rows"] + quality[list(INVALID_REASONS)].sum(axis=1)
    quality["duplicate_id"] = quality["valid_rows"] - quality["rows_counted"]
    if (quality["duplicate_id"] < 0).any():
        raise NsssError("internal error: more ids counted than valid rows read")
    quality["source_file"] = quality["file_idx"].map({ex.index: ex.name for ex in extracts})
    for ex in extracts:
        mine = quality[quality["file_idx"] == ex.index]
        read = int(mine["rows_read"].sum())
        if read == 0:
            raise NsssError(f"{ex.name}: the file has a header but no rows")
        if ex.rows is not None and read != ex.rows:
            raise NsssError(f"{ex.name}: the file changed while it was read ({ex.rows} rows, then {read})")
        cells = counted[counted["file_idx"] == ex.index]
        unreadable, readable = int(cells["amount_unreadable"].sum()), int(cells["amount"].notna().sum())
        if unreadable >= WRONG_TYPE_MIN_CELLS and readable == 0:
            raise NsssError(
                f"{ex.name}: column {ex.columns['amount_bdt'][0]} holds no readable amount in {unreadable} "
                "filled cells (wrong type?)"
            )
    quality = quality.merge(units, on="unit_id", how="left", validate="many_to_one")
    quality = quality[list(QUALITY_COLUMNS)].astype(
        {"source_file": "str", "programme": "str", "ministry": "str", "ministry_code": "str", "fiscal_year": "str"}
    )
    return quality.sort_values(["source_file", "programme", "fiscal_year"], ignore_index=True)


# --- the command -----------------------------------------------------------------


def run_beneficiaries(files: Sequence[Path | str], out_dir: Path | str, memory_limit: str = "1GB") -> int:
    """``nsss beneficiaries FILE...``: read the extracts and write
    ``coverage_by_sex.parquet``, ``coverage_quality.parquet`` and
    ``coverage_women_share.parquet`` into ``out_dir``, all or nothing.

    Programme names are matched to ``out_dir/assessments.parquet`` when it exists.
    """
    out_dir = Path(out_dir)
    try:
        assessments = store.load_processed("assessments", out_dir)
    except FileNotFoundError:
        assessments = None
    coverage, quality = coverage_from_extracts(files, assessments, memory_limit=memory_limit)
    share = women_share_by_programme(coverage)
    with ExitStack() as stack:  # all three tables replace the old ones together, or none does
        for frame, name in ((coverage, store.TABLES["coverage_by_sex"]),
                            (quality, store.TABLES["coverage_quality"]), (share, WOMEN_SHARE_FILE)):
            frame.to_parquet(stack.enter_context(store.atomic_path(out_dir / name)), index=False)
    totals = quality[["rows_read", "rows_counted", *INVALID_REASONS, "duplicate_id"]].sum()
    invalid = ", ".join(f"{r.removeprefix('invalid_').replace('_', ' ')} {totals[r]:,}" for r in INVALID_REASONS)
    print(
        f"beneficiaries: {len(list(files))} extract(s), {totals['rows_read']:,} rows read: "
        f"{totals['rows_counted']:,} counted, {totals['duplicate_id']:,} duplicate ids, invalid: {invalid}; "
        f"{quality['programme'].nunique()} programme(s) -> {out_dir}"
    )
    return 0


#: The women's-share table's file name in the processed folder.
WOMEN_SHARE_FILE = "coverage_women_share.parquet"


# --- report-facing functions (pure, over the coverage tables) --------------------


def load_coverage(processed_dir: Path | str) -> pd.DataFrame | None:
    """The coverage table, or ``None`` when no MIS extract has been read."""
    try:
        return store.load_processed("coverage_by_sex", processed_dir)
    except FileNotFoundError:
        return None


def _for_ministry(coverage: pd.DataFrame, ministry: str | None) -> pd.DataFrame:
    """The rows of one ministry, named by its code, its name or any register spelling."""
    if ministry is None:
        return coverage
    if (coverage["ministry_code"] == ministry).any():
        return coverage[coverage["ministry_code"] == ministry]
    if (coverage["ministry"] == ministry).any():
        return coverage[coverage["ministry"] == ministry]
    code = _ministry_code(ministry)
    if code is None:
        raise NsssError(f"{ministry!r} is not a ministry or division of the register")
    return coverage[coverage["ministry_code"] == code]


_KEYS = ["ministry", "ministry_code", "programme", "fiscal_year"]


def _by_sex(coverage: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Beneficiaries per group with one column per sex, ``total`` and ``women_share``."""
    sexes = list(_codes().sexes)
    wide = coverage.groupby([*by, "sex"], dropna=False, sort=True)["beneficiaries"].sum().unstack("sex", fill_value=0)
    wide = wide.reindex(columns=sexes, fill_value=0).astype("int64")
    wide.columns.name = None
    wide["total"] = wide[sexes].sum(axis=1)
    wide = wide[wide["total"] > 0]
    wide["women_share"] = wide["female"] / wide["total"]
    return wide.reset_index()


def _wilson(count: np.ndarray, n: np.ndarray, alpha: float = CONFIDENCE_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval, in closed form: the same figures as
    ``intervals.wilson_interval`` (a test holds them equal), without importing
    statsmodels and scipy, which would add about a second to ``nsss beneficiaries``."""
    z = NormalDist().inv_cdf(1 - alpha / 2)
    n = np.where(n > 0, n, np.nan).astype("float64")  # no share to bound: nan
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def women_share_by_programme(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Women's share of each programme's beneficiaries per fiscal year, with a 95%
    Wilson interval (as ``intervals.wilson_interval`` computes it): ``WOMEN_SHARE_COLUMNS``.

    ``total`` counts women, men and hijra; a programme with no counted beneficiary
    has no row.
    """
    rows = _for_ministry(coverage, ministry)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("share", "ci_low", "ci_high") else
                                          "int64" if c in ("women", "total") else "str")
                             for c in WOMEN_SHARE_COLUMNS})
    wide = _by_sex(rows.fillna({"fiscal_year": ""}), _KEYS)
    low, high = _wilson(wide["female"].to_numpy(), wide["total"].to_numpy())
    out = pd.DataFrame(
        {
            **{k: wide[k].replace("", None) if k == "fiscal_year" else wide[k] for k in _KEYS},
            "women": wide["female"],
            "total": wide["total"],
            "share": wide["women_share"].astype("float64"),
            "ci_low": np.asarray(low, dtype="float64"),
            "ci_high": np.asarray(high, dtype="float64"),
        }
    )
    return out.astype({k: "str" for k in _KEYS}).sort_values(_KEYS[1:], ignore_index=True)


def _ordered(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    """Sort a frame's ``column`` in a vocabulary's order, not alphabetically."""
    rank = {v: i for i, v in enumerate(order)}
    return frame.assign(_rank=frame[column].map(rank)).sort_values(
        ["programme", "fiscal_year", "_rank"], ignore_index=True
    ).drop(columns="_rank")


def coverage_by_age_band(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Beneficiaries by programme, fiscal year and age band (bands in age order,
    ``unknown`` last): ``female``, ``male``, ``hijra``, ``total``, ``women_share``."""
    rows = _for_ministry(coverage, ministry)
    wide = _by_sex(rows, ["programme", "fiscal_year", "age_band"])
    return _ordered(wide, "age_band", _codes().band_labels)


def coverage_by_district(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Beneficiaries by programme, fiscal year, division and district with women's
    share, sorted within each programme by women's share (highest first), then name:
    ready for a sorted bar chart of the districts."""
    rows = _for_ministry(coverage, ministry)
    wide = _by_sex(rows, ["programme", "fiscal_year", "division", "district"])
    return wide.sort_values(
        ["programme", "fiscal_year", "women_share", "district"], ascending=[True, True, False, True], ignore_index=True
    )


def amount_by_sex(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Benefit paid by programme, fiscal year and sex: ``beneficiaries``,
    ``amount_bdt`` (total) and ``mean_bdt`` per beneficiary."""
    rows = _for_ministry(coverage, ministry)
    out = rows.groupby(["programme", "fiscal_year", "sex"], as_index=False)[["beneficiaries", "amount_bdt"]].sum(
        min_count=1
    )
    out["mean_bdt"] = out["amount_bdt"] / out["beneficiaries"]
    return _ordered(out, "sex", _codes().sexes)


def payment_channel_by_sex(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Beneficiaries by programme, fiscal year, sex and payment channel, with
    ``share_of_sex``: the share of that sex's beneficiaries paid through the channel."""
    rows = _for_ministry(coverage, ministry)
    out = rows.groupby(["programme", "fiscal_year", "sex", "payment_channel"], as_index=False)["beneficiaries"].sum()
    totals = out.groupby(["programme", "fiscal_year", "sex"])["beneficiaries"].transform("sum")
    out["share_of_sex"] = out["beneficiaries"] / totals
    channel_rank = {c: i for i, c in enumerate(_codes().channels)}
    sex_rank = {s: i for i, s in enumerate(_codes().sexes)}
    return out.assign(_s=out["sex"].map(sex_rank), _c=out["payment_channel"].map(channel_rank)).sort_values(
        ["programme", "fiscal_year", "_s", "_c"], ignore_index=True
    ).drop(columns=["_s", "_c"])


#: What each kind of disagreement between the form and the MIS means.
DISAGREEMENTS = {
    "form_no_mis_has_sex": "the form says {answer} to collecting sex-disaggregated data, but the MIS records "
    "the sex of {counted:,} beneficiaries",
    "form_yes_mis_unknown_sex": "the form says {answer}, but {unknown_share:.0%} of the MIS rows have no "
    "readable sex",
    "form_yes_mis_empty": "the form says {answer}, but the MIS extract has no beneficiary that could be counted",
}


def form_mis_disagreements(
    coverage: pd.DataFrame, assessments: pd.DataFrame, quality: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Programmes whose form answer to ``sex_disaggregated_data`` and MIS extract disagree.

    - ``form_no_mis_has_sex``: the form says ``no`` or ``unknown``, the MIS counts
      beneficiaries by sex;
    - ``form_yes_mis_unknown_sex``: the form says ``yes``/``partly``, but more than
      ``MOSTLY_UNKNOWN_SEX`` of the rows read have no readable sex (needs ``quality``);
    - ``form_yes_mis_empty``: the form says yes, the extract was read (``quality``) but
      nobody could be counted.

    A programme without an extract is not flagged: there is nothing to compare.

    Programmes are matched by ``(ministry_code, normalise_key(programme))``. Columns:
    ministry, ministry_code, programme, sex_disaggregated_data, mis_counted,
    mis_rows_read, unknown_sex_share, kind, message.
    """
    columns = ["ministry", "ministry_code", "programme", "sex_disaggregated_data", "mis_counted",
               "mis_rows_read", "unknown_sex_share", "kind", "message"]
    forms = assessments[["ministry", "ministry_code", "programme", "sex_disaggregated_data"]].dropna(
        subset=["ministry_code", "programme"]
    ).drop_duplicates()
    forms = forms.assign(key=forms["programme"].map(normalise_key))

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.dropna(subset=["ministry_code"])
        return frame.assign(key=frame["programme"].map(normalise_key))

    counted = keyed(coverage).groupby(["ministry_code", "key"])["beneficiaries"].sum().rename("mis_counted")
    if quality is not None:
        q = keyed(quality).groupby(["ministry_code", "key"])[["rows_read", "invalid_unknown_sex"]].sum()
        q = q.rename(columns={"rows_read": "mis_rows_read"})
        q["unknown_sex_share"] = q["invalid_unknown_sex"] / q["mis_rows_read"]
        mis = q[["mis_rows_read", "unknown_sex_share"]].join(counted, how="outer")
    else:
        mis = counted.to_frame().assign(mis_rows_read=np.nan, unknown_sex_share=np.nan)
    mis = mis.fillna({"mis_counted": 0})
    merged = forms.join(mis, on=["ministry_code", "key"])
    merged["mis_counted"] = merged["mis_counted"].fillna(0)
    answer = merged["sex_disaggregated_data"]
    says_yes = answer.isin(["yes", "partly"])
    in_mis = merged["mis_rows_read"].notna() | (merged["mis_counted"] > 0)
    kind = pd.Series(None, index=merged.index, dtype="str")
    kind[answer.isin(["no", "unknown"]) & (merged["mis_counted"] > 0)] = "form_no_mis_has_sex"
    kind[says_yes & in_mis & (merged["mis_counted"] == 0)] = "form_yes_mis_empty"
    kind[says_yes & (merged["unknown_sex_share"] > MOSTLY_UNKNOWN_SEX) & (merged["mis_counted"] > 0)] = (
        "form_yes_mis_unknown_sex"
    )
    merged["kind"] = kind
    flagged = merged[merged["kind"].notna()].copy()
    flagged["message"] = [
        DISAGREEMENTS[k].format(answer=a, counted=int(c), unknown_share=u if u == u else 0.0)
        for k, a, c, u in zip(flagged["kind"], flagged["sex_disaggregated_data"], flagged["mis_counted"],
                              flagged["unknown_sex_share"])
    ]
    flagged["mis_counted"] = flagged["mis_counted"].astype("int64")
    return flagged[columns].sort_values(["ministry_code", "programme"], ignore_index=True)
