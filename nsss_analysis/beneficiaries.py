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
    programmes by ``(ministry_code, vocab.normalise_key(programme))``. Those columns hold
    few distinct values, so a first pass collects them, Python normalises each distinct
    value once with those functions, and the lookup tables are joined in DuckDB in the
    second pass, which counts. A programme named without a ministry is attributed to the
    assessed programme of that name when exactly one ministry assessed it.

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
    counted once; the other rows are ``duplicate_id``. The row kept is the one from the
    earliest file given, then with the smallest sex, age band, district, channel codes and
    amount: a deterministic choice. Its amount is the one summed.

Files and errors
    A file that cannot be used (missing required columns, a column of the wrong type, an
    empty file, an unreadable or truncated Parquet file) stops the run with a one-line
    :class:`NsssError` naming it; outputs are written only when every file was read.
"""

from __future__ import annotations

import math
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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
from nsss_analysis.vocab import load_reference, normalise_key

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
#: Show a progress bar when the extracts together are at least this large (bytes):
#: below it a run takes a second or two.
PROGRESS_MIN_BYTES = 50_000_000
#: Bit layout of the packed attributes of a counted row (file, sex, age band,
#: district, channel): one BIGINT keeps DuckDB's per-id hash table small.
_FILE_SHIFT, _SEX_SHIFT, _BAND_SHIFT, _DISTRICT_SHIFT = 40, 32, 24, 8


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


def _lookup(vocabulary: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, variants in vocabulary.items():
        for variant in (canonical, *variants):
            table.setdefault(normalise_key(variant), canonical)
    return table


@lru_cache(maxsize=1)
def _codes() -> _Codes:
    ref = load_reference()
    bands = tuple(ref.age_bands)
    return _Codes(
        sexes=tuple(ref.sex_codes),
        age_bands=bands,
        band_labels=(*(b["label"] for b in bands), UNKNOWN),
        districts=tuple(sorted(ref.districts)),
        channels=(*ref.payment_channels, UNKNOWN),
        sex_lookup=_lookup(ref.sex_codes),
        district_lookup=_lookup(ref.districts),
        channel_lookup=_lookup(ref.payment_channels),
        max_age=max(int(b["max"]) for b in bands),
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
    """One input file: where it is, how to read it, and which columns it has."""

    index: int
    path: Path
    name: str
    kind: str  # "csv" or "parquet"
    columns: dict[str, tuple[str, str]]  # canonical name -> (header as written, DuckDB type)
    fiscal_year_from_name: str | None = None
    rows: int = 0
    prepass: pd.DataFrame = field(default_factory=pd.DataFrame)

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
    probe.columns = columns
    if not probe.has("fiscal_year"):
        probe.fiscal_year_from_name = find_fiscal_year(path.stem)
    return probe


# The low-cardinality columns whose distinct values the first pass collects, by the
# grouping set they form (a set's members must be normalised together).
_GROUPING_SETS: tuple[tuple[str, ...], ...] = (
    ("programme", "ministry", "fiscal_year"),
    ("sex",),
    ("birth_year", "age", "fiscal_year"),
    ("district",),
    ("payment_channel",),
)


def _prepass(con: duckdb.DuckDBPyConnection, ex: _Extract) -> None:
    """First pass over one file: the distinct values of the low-cardinality columns,
    with row counts. Columns the file lacks stay out of the grouping (a constant in a
    grouping key slows DuckDB down)."""
    sets = [[c for c in s if ex.has(c)] for s in _GROUPING_SETS]
    used = sorted({c for s in sets for c in s})
    select = ", ".join(f"{ex.text(c)} AS {c}" for c in used)
    grouping = ", ".join("(" + ", ".join(s) + ")" for s in sets if s)
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
            mask = sum(bits[c] for c in used if c not in s)
            frame.loc[frame["g"] == mask, "set"] = k
    ex.prepass = frame
    ex.rows = int(frame.loc[frame["set"] == 0, "n"].sum())
    if ex.rows == 0:
        raise NsssError(f"{ex.name}: the file has a header but no rows")


def _values(ex: _Extract, k: int, columns: Sequence[str]) -> pd.DataFrame:
    """Distinct values of grouping set ``k`` of one file, with their row counts."""
    frame = ex.prepass[ex.prepass["set"] == k]
    out = pd.DataFrame({c: frame[c] if c in frame else pd.Series(None, index=frame.index, dtype="str")
                        for c in columns})
    out["n"] = frame["n"].to_numpy()
    return out.reset_index(drop=True)


# --- lookup tables ---------------------------------------------------------------


@dataclass(frozen=True)
class _Units:
    """Programme-years: what the extracts' (programme, ministry, fiscal year) cells
    name, matched to the assessed programmes."""

    table: pd.DataFrame  # unit_id, programme, ministry, ministry_code, fiscal_year
    rows: pd.DataFrame  # file_idx, unit_id, rows_read (from the first pass)
    maps: dict[int, pd.DataFrame]  # per file: programme, ministry, fiscal_year as written -> unit_id, blank


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


def _units(extracts: Sequence[_Extract], assessments: pd.DataFrame | None) -> _Units:
    by_code, by_key = _assessed_index(assessments)
    register = load_reference().ministry_by_code
    rows = []
    for ex in extracts:
        values = _values(ex, 0, ("programme", "ministry", "fiscal_year"))
        for programme_raw, ministry_raw, fy_raw, n in values.itertuples(index=False):
            programme = clean_text(programme_raw)
            key = normalise_key(programme) if programme else ""
            code = _ministry_code(ministry_raw) if ex.has("ministry") else None
            if code is None and key in by_key and len(by_key[key]) == 1:
                code = next(iter(by_key[key]))
            fy = _fiscal_year(fy_raw) if ex.has("fiscal_year") else ex.fiscal_year_from_name
            rows.append((ex.index, programme_raw, ministry_raw, fy_raw, programme or "", key, code, fy, int(n)))
    raw = pd.DataFrame(
        rows, columns=["file_idx", "programme_raw", "ministry_raw", "fiscal_year_raw", "spelling", "key", "code", "fy", "n"]
    )
    raw["unit"] = list(zip(raw["code"].fillna(""), raw["key"], raw["fy"].fillna("")))
    table_rows = []
    unit_ids: dict[tuple, int] = {}
    for unit, group in raw.groupby("unit", sort=True):
        code, key, fy = unit
        assessed = by_code.get((code, key)) if code else None
        if assessed:
            ministry, code, programme = assessed
        else:
            # the most frequent spelling in the extracts, ties broken alphabetically
            spellings = group.groupby("spelling")["n"].sum()
            programme = sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            ministry = register[code].name if code in register else None
        unit_ids[unit] = len(table_rows)
        table_rows.append((len(table_rows), programme, ministry, code or None, fy or None))
    table = pd.DataFrame(table_rows, columns=["unit_id", "programme", "ministry", "ministry_code", "fiscal_year"])
    raw["unit_id"] = raw["unit"].map(unit_ids).astype("int32")
    raw["blank"] = raw["key"] == ""
    columns = ["programme_raw", "ministry_raw", "fiscal_year_raw", "unit_id", "blank"]
    maps = {
        ex.index: raw.loc[raw["file_idx"] == ex.index, columns].astype(
            {c: "str" for c in columns[:3]}).reset_index(drop=True)
        for ex in extracts
    }
    rows = raw.groupby(["file_idx", "unit_id"], as_index=False)["n"].sum().rename(columns={"n": "rows_read"})
    table = table.astype({"programme": "str", "ministry": "str", "ministry_code": "str", "fiscal_year": "str"})
    return _Units(table, rows, maps)


def _code_map(extracts: Sequence[_Extract], k: int, column: str, normalise, codes: Sequence[str]) -> pd.DataFrame:
    """raw value -> code (index in ``codes``, or null when ``normalise`` rejects it)."""
    values = [_values(ex, k, (column,))[column] for ex in extracts if ex.has(column)]
    raw = pd.concat(values, ignore_index=True).dropna().drop_duplicates() if values else pd.Series(dtype="str")
    position = {v: i for i, v in enumerate(codes)}
    code = [position.get(normalise(v)) for v in raw]
    return pd.DataFrame({"raw": raw.astype("str").to_numpy(), "code": pd.array(code, dtype="Int16")})


def _age_maps(extracts: Sequence[_Extract], units: _Units) -> dict[int, pd.DataFrame]:
    """Per file: (birth_year, age, fiscal_year) as written -> band code, or null when
    the age is unreadable. Raises when a file's age column holds no readable value."""
    codes = _codes()
    position = {label: i for i, label in enumerate(codes.band_labels)}
    maps = {}
    for ex in extracts:
        values = _values(ex, 2, ("birth_year", "age", "fiscal_year"))
        fys = values["fiscal_year"].map(_fiscal_year) if ex.has("fiscal_year") else ex.fiscal_year_from_name
        bands = [
            age_band(age, birth_year, fy)
            for age, birth_year, fy in zip(values["age"], values["birth_year"],
                                           fys if isinstance(fys, pd.Series) else [fys] * len(values))
        ]
        filled = values["age"].notna() | values["birth_year"].notna()
        readable = pd.Series([b is not None and b != UNKNOWN for b in bands], index=values.index)
        if int(values.loc[filled, "n"].sum()) >= WRONG_TYPE_MIN_CELLS and not (readable & filled).any():
            column = next(c for c in AGE_COLUMNS if ex.has(c))
            header = ex.columns[column][0]
            raise NsssError(
                f"{ex.name}: column {header} holds no readable {'year' if column == 'birth_year' else 'age'} "
                f"in {int(values.loc[filled, 'n'].sum())} filled cells (wrong type?)"
            )
        maps[ex.index] = pd.DataFrame(
            {
                "birth_year": values["birth_year"].astype("str"),
                "age": values["age"].astype("str"),
                "fiscal_year": values["fiscal_year"].astype("str"),
                "band": pd.array([position.get(b) if b else None for b in bands], dtype="Int16"),
            }
        )
    return maps


# --- the counting pass -----------------------------------------------------------


def _rows_sql(ex: _Extract) -> str:
    """The second pass over one file, one line per row: its programme-year
    (``unit_id``); ``valid_id`` (the id, for a valid row) or ``invalid_tag``
    (file * 8 + reason, reasons numbered from 1 in INVALID_REASONS order); the packed
    codes of a valid row; the amount (NaN when written but unreadable, null when blank)."""

    def same(left: str, right: str) -> str:
        return f"{left} IS NOT DISTINCT FROM {right}"

    unit_on = " AND ".join(same(f"s.{c}", f"u.{c}_raw") for c in ("programme", "ministry", "fiscal_year") if ex.has(c))
    age_on = " AND ".join(same(f"s.{c}", f"a.{c}") for c in ("birth_year", "age", "fiscal_year") if ex.has(c))
    used = [c for c in ("programme", "ministry", "fiscal_year", "sex", "birth_year", "age", "district",
                        "payment_channel") if ex.has(c)]
    select = ", ".join(f"{ex.text(c)} AS {c}" for c in used)
    if ex.has("payment_channel"):
        channel, channel_join = "coalesce(c.code, ch.code)", "LEFT JOIN channel_map c ON s.payment_channel = c.raw"
    else:
        channel, channel_join = "ch.code", ""
    return f"""
    SELECT CASE WHEN reason = 0 THEN unit_id ELSE unit_id | (({ex.index} * 8 + reason)::BIGINT << 32) END AS unit_key,
        CASE WHEN reason = 0 THEN id END AS valid_id,
        CASE WHEN reason = 0 THEN ({ex.index}::BIGINT << {_FILE_SHIFT}) | (sex::BIGINT << {_SEX_SHIFT})
            | (band::BIGINT << {_BAND_SHIFT}) | (district::BIGINT << {_DISTRICT_SHIFT}) | channel::BIGINT END AS packed,
        CASE WHEN amount IS NULL AND amount_given THEN 'NaN'::DOUBLE ELSE amount END AS amount
    FROM (
        SELECT u.unit_id, s.id, sx.code AS sex, a.band, d.code AS district, {channel} AS channel,
            s.amount, s.amount_given,
            CASE WHEN s.id IS NULL OR s.id = '' OR u.blank THEN 1
                 WHEN sx.code IS NULL THEN 2
                 WHEN a.band IS NULL THEN 3
                 WHEN d.code IS NULL THEN 4
                 ELSE 0 END AS reason
        FROM (SELECT {select}, {ex.text("beneficiary_id")} AS id,
                     {ex.amount_given()} AS amount_given, {ex.amount()} AS amount
              FROM {ex.reader}) s
        LEFT JOIN unit_map_{ex.index} u ON {unit_on}
        LEFT JOIN sex_map sx ON s.sex = sx.raw
        LEFT JOIN age_map_{ex.index} a ON {age_on}
        LEFT JOIN district_map d ON s.district = d.raw
        {channel_join}
        CROSS JOIN channel_unknown ch
    )"""


def _count_sql(extracts: Sequence[_Extract]) -> str:
    """One pass over every file. The inner aggregate has one group per valid id and
    programme-year (its rows, and the kept row's packed codes and amount) and one per
    file, programme-year and reason for the invalid rows; the outer one counts ids per
    programme-year and packed codes (file included). Plain GROUP BYs: DuckDB runs
    GROUPING SETS by materialising its input, which doubles the time."""
    rows = "\n    UNION ALL\n".join(_rows_sql(ex) for ex in extracts)
    return f"""
SELECT (unit_key & {(1 << 32) - 1})::INTEGER AS unit_id, kept,
    CASE WHEN valid_id IS NULL THEN unit_key >> 32 END AS invalid_tag,
    count(*) AS ids,
    sum(n) AS n,
    sum(kept_amount) FILTER (NOT isnan(kept_amount)) AS amount,
    count(*) FILTER (isnan(kept_amount)) AS amount_unreadable
FROM (
    SELECT unit_key, valid_id, count(*) AS n, min(packed) AS kept, min(amount) AS kept_amount
    FROM ({rows}) r
    GROUP BY unit_key, valid_id
)
GROUP BY ALL
"""


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


@contextmanager
def _polling(con: duckdb.DuckDBPyConnection, bar, start: float, span: float):
    """While the body runs a query, move ``bar`` from ``start`` by up to ``span`` as
    DuckDB reports the query's progress (polled from a thread)."""
    if bar is None or bar.disable:
        yield
        return
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.2):
            pct = con.query_progress()
            if pct >= 0:
                bar.n = round(start + span * pct / 100, 1)
                bar.refresh()

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        yield
    finally:
        done.set()
        poller.join()
        bar.n = round(start + span, 1)
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
    total_bytes = sum(p.stat().st_size for p in paths if p.is_file())
    show = progress if progress is not None else (None if total_bytes >= PROGRESS_MIN_BYTES else False)
    codes = _codes()
    with _connect(memory_limit, temp_dir) as con, tqdm(
        total=100, desc="nsss beneficiaries", unit="%", disable=show is False, leave=False,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}",
    ) as bar:
        extracts = [_describe(con, i, p) for i, p in enumerate(paths)]
        sizes = [max(p.stat().st_size, 1) for p in paths]
        position = 0.0
        for ex, size in zip(extracts, sizes):  # the first pass takes about a third of the time
            span = 30 * size / sum(sizes)
            with _polling(con, bar, position, span):
                _prepass(con, ex)
            position += span
        units = _units(extracts, assessments)
        age_maps = _age_maps(extracts, units)
        lookups = {
            "sex_map": _code_map(extracts, 1, "sex", normalise_sex, codes.sexes),
            "district_map": _code_map(extracts, 3, "district", normalise_district, codes.districts),
            "channel_map": _code_map(extracts, 4, "payment_channel", normalise_payment_channel, codes.channels),
            "channel_unknown": pd.DataFrame({"code": pd.array([codes.channels.index(UNKNOWN)], dtype="Int16")}),
        }
        for ex in extracts:
            lookups[f"unit_map_{ex.index}"] = units.maps[ex.index]
            lookups[f"age_map_{ex.index}"] = age_maps[ex.index]
        for name, frame in lookups.items():
            # small tables: copied into DuckDB so the joins probe native hash tables
            con.register("frame", frame)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM frame")
            con.unregister("frame")
        try:
            with _polling(con, bar, position, 100 - position):
                result = con.execute(_count_sql(extracts)).df()
        except duckdb.Error as exc:
            names = ", ".join(ex.name for ex in extracts)
            raise NsssError(f"{names}: reading failed: {_one_line(exc)}") from None
    return _coverage_table(_cells(result), units.table), _quality_table(result, units, extracts)


def _coverage_table(cells: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Decode the counted cells (``_cells``): packed codes back to sex, age band,
    district and channel, summed over files."""
    codes = _codes()
    attrs = cells["kept"].to_numpy(dtype=np.int64)
    district = np.asarray(codes.districts, dtype=object)[(attrs >> _DISTRICT_SHIFT) & 0xFFFF]
    frame = pd.DataFrame(
        {
            "unit_id": cells["unit_id"].to_numpy(dtype=np.int64),
            "sex": np.asarray(codes.sexes, dtype=object)[(attrs >> _SEX_SHIFT) & 0xFF],
            "age_band": np.asarray(codes.band_labels, dtype=object)[(attrs >> _BAND_SHIFT) & 0xFF],
            "district": district,
            "division": pd.Series(district).map(load_reference().district_division).to_numpy(),
            "payment_channel": np.asarray(codes.channels, dtype=object)[attrs & 0xFF],
            "beneficiaries": cells["ids"].to_numpy(dtype=np.int64),
            "amount_bdt": cells["amount"].to_numpy(dtype=np.float64),
        }
    )
    keys = ["unit_id", "sex", "age_band", "district", "division", "payment_channel"]
    frame = frame.groupby(keys, as_index=False).agg(
        beneficiaries=("beneficiaries", "sum"), amount_bdt=("amount_bdt", lambda a: a.sum(min_count=1))
    )
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


def _cells(result: pd.DataFrame) -> pd.DataFrame:
    """The counting query's groups of counted ids (not invalid rows), with their file."""
    cells = result[result["invalid_tag"].isna() & result["kept"].notna()].copy()
    cells["file_idx"] = cells["kept"].to_numpy(dtype=np.int64) >> _FILE_SHIFT
    cells["kept"] = cells["kept"].to_numpy(dtype=np.int64) & ((1 << _FILE_SHIFT) - 1)
    return cells


def _quality_table(result: pd.DataFrame, units: _Units, extracts: Sequence[_Extract]) -> pd.DataFrame:
    """Every row read, per file and programme-year: counted, invalid by reason, duplicate.

    Rows read come from the first pass, invalid rows and counted ids from the second;
    valid rows not counted are duplicates."""
    cells = _cells(result)
    invalid = result[result["invalid_tag"].notna()].copy()
    tag = invalid["invalid_tag"].to_numpy(dtype=np.int64)
    invalid["file_idx"], invalid["reason"] = tag // 8, pd.Series(tag % 8 - 1, index=invalid.index).map(
        dict(enumerate(INVALID_REASONS)))
    by_reason = invalid.pivot_table(index=["file_idx", "unit_id"], columns="reason", values="n", aggfunc="sum")
    counted = cells.groupby(["file_idx", "unit_id"])[["ids", "n", "amount_unreadable"]].sum()
    quality = (
        units.rows.set_index(["file_idx", "unit_id"])
        .join(by_reason.reindex(columns=list(INVALID_REASONS)))
        .join(counted.rename(columns={"ids": "rows_counted", "n": "valid_rows_kept"}))
        .fillna(0)
        .astype("int64")
        .reset_index()
    )
    invalid_rows = quality[list(INVALID_REASONS)].sum(axis=1)
    quality["duplicate_id"] = quality["rows_read"] - invalid_rows - quality["rows_counted"]
    valid_second_pass = int(cells["n"].sum())
    if valid_second_pass != int((quality["rows_read"] - invalid_rows).sum()) or (quality["duplicate_id"] < 0).any():
        names = ", ".join(ex.name for ex in extracts)
        raise NsssError(f"{names}: a file changed while it was read (the two passes saw different rows)")
    quality["source_file"] = quality["file_idx"].map({ex.index: ex.name for ex in extracts})
    for ex in extracts:
        mine = cells[cells["file_idx"] == ex.index]
        unreadable, readable = int(mine["amount_unreadable"].sum()), int(mine["amount"].notna().sum())
        if unreadable >= WRONG_TYPE_MIN_CELLS and readable == 0:
            header = ex.columns["amount_bdt"][0]
            raise NsssError(
                f"{ex.name}: column {header} holds no readable amount in {unreadable} filled cells (wrong type?)"
            )
    quality = quality.merge(units.table, on="unit_id", how="left", validate="many_to_one")
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
    store.write_parquet_atomic(coverage, out_dir / store.TABLES["coverage_by_sex"])
    store.write_parquet_atomic(quality, out_dir / store.TABLES["coverage_quality"])
    store.write_parquet_atomic(share, out_dir / WOMEN_SHARE_FILE)
    totals = quality[["rows_read", "rows_counted", *INVALID_REASONS, "duplicate_id"]].sum()
    invalid = ", ".join(f"{r.removeprefix('invalid_').replace('_', ' ')} {totals[r]:,}" for r in INVALID_REASONS)
    print(
        f"beneficiaries: {len(list(files))} extract(s), {totals['rows_read']:,} rows read: "
        f"{totals['rows_counted']:,} counted, {totals['duplicate_id']:,} duplicate ids, invalid: {invalid}; "
        f"{coverage['programme'].nunique()} programme(s) -> {out_dir}"
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


def women_share_by_programme(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Women's share of each programme's beneficiaries per fiscal year, with a 95%
    Wilson interval (``intervals.wilson_interval``): ``WOMEN_SHARE_COLUMNS``.

    ``total`` counts women, men and hijra; a programme with no counted beneficiary
    has no row.
    """
    from nsss_analysis.intervals import wilson_interval

    rows = _for_ministry(coverage, ministry)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("share", "ci_low", "ci_high") else
                                          "int64" if c in ("women", "total") else "str")
                             for c in WOMEN_SHARE_COLUMNS})
    wide = _by_sex(rows.fillna({"fiscal_year": ""}), _KEYS)
    low, high = wilson_interval(wide["female"].to_numpy(), wide["total"].to_numpy())
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
    "form_yes_no_extract": "the form says {answer}; the ministry sent MIS extracts, but none for this programme",
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
      nobody could be counted;
    - ``form_yes_no_extract``: the form says yes and the ministry sent extracts for other
      programmes but not this one (a programme of a ministry without any extract is not
      flagged: there is nothing to compare).

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
    with_extracts = set(mis.index.get_level_values("ministry_code"))
    answer = merged["sex_disaggregated_data"]
    says_yes = answer.isin(["yes", "partly"])
    in_mis = merged["mis_rows_read"].notna() | (merged["mis_counted"] > 0)
    kind = pd.Series(None, index=merged.index, dtype="str")
    kind[answer.isin(["no", "unknown"]) & (merged["mis_counted"] > 0)] = "form_no_mis_has_sex"
    kind[says_yes & in_mis & (merged["mis_counted"] == 0)] = "form_yes_mis_empty"
    kind[says_yes & (merged["unknown_sex_share"] > MOSTLY_UNKNOWN_SEX) & (merged["mis_counted"] > 0)] = (
        "form_yes_mis_unknown_sex"
    )
    kind[says_yes & ~in_mis & merged["ministry_code"].isin(with_extracts)] = "form_yes_no_extract"
    merged["kind"] = kind
    flagged = merged[merged["kind"].notna()].copy()
    flagged["message"] = [
        DISAGREEMENTS[k].format(answer=a, counted=int(c), unknown_share=u if u == u else 0.0)
        for k, a, c, u in zip(flagged["kind"], flagged["sex_disaggregated_data"], flagged["mis_counted"],
                              flagged["unknown_sex_share"])
    ]
    flagged["mis_counted"] = flagged["mis_counted"].astype("int64")
    return flagged[columns].sort_values(["ministry_code", "programme"], ignore_index=True)
