"""MIS extract files: which columns they must have, their types, and a first pass
that collects the distinct values of the low-cardinality columns (all of them, or a
spread sample of a large CSV).

Plain Python and DuckDB only: ``nsss beneficiaries`` never imports pandas (about as
long as DuckDB's whole count of a million rows); the values are few, kept in dicts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from nsss_analysis.config import RAW_DIR
from nsss_analysis.errors import NsssError
from nsss_analysis.intake.quantities import find_fiscal_year, fy_start
from nsss_analysis.io import files_under
from nsss_analysis.mis.lookups import (
    UNKNOWN,
    age_band,
    code_lists,
    column_name,
    fiscal_year_of,
)

#: Columns an extract must have, and the two ways of giving age (one is required).
REQUIRED_COLUMNS: tuple[str, ...] = ("beneficiary_id", "programme", "sex", "district", "amount_bdt")


AGE_COLUMNS: tuple[str, ...] = ("birth_year", "age")


OPTIONAL_COLUMNS: tuple[str, ...] = ("ministry", "upazila", "payment_channel", "fiscal_year")


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


def default_extracts(raw_dir: Path | str = RAW_DIR) -> list[Path]:
    """Every MIS extract (``.csv``, ``.parquet``) under ``raw_dir/mis``, sorted."""
    mis = Path(raw_dir) / "mis"
    if not mis.is_dir():
        return []
    return sorted(
        p
        for p in files_under(mis)
        if p.suffix.lower() in (".csv", ".parquet") and not p.name.startswith(".")
    )


def display_path(path: Path) -> str:
    """A file as the quality table and error messages name it: relative to the raw
    folder when inside it, with ``/``."""
    try:
        return path.resolve().relative_to(RAW_DIR.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def one_line(exc: BaseException) -> str:
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
class Extract:
    """One input file: where it is, how to read it, its columns, and the distinct values
    of its low-cardinality columns that the first pass saw."""

    index: int
    path: Path
    name: str
    kind: str  # "csv" or "parquet"
    columns: dict[str, tuple[str, str]]  # canonical name -> (header as written, DuckDB type)
    headers: list[str] = field(default_factory=list)  # every header as written, in order
    fiscal_year_from_name: str | None = None
    #: per value set (its index in _VALUE_SETS): each distinct combination of its
    #: columns' values (``None`` for a blank cell or a column the file lacks) -> rows seen
    values: dict[int, Counter] = field(default_factory=dict)
    #: rows in the file, when the first pass read all of it (else ``None``: a sample)
    rows: int | None = None

    @property
    def reader(self) -> str:
        path = sql_string(str(self.path))
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


def describe_extract(con: duckdb.DuckDBPyConnection, index: int, path: Path, name: str | None = None) -> Extract:
    """Open one file, check its columns and types, or raise a one-line error (naming
    the file ``name``, by default as :func:`display_path` shows ``path``)."""
    name = name or display_path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise NsssError(f"{name}: not an MIS extract (expected a .csv or .parquet file)")
    if not path.is_file():
        raise NsssError(f"{name}: no such file")
    if path.stat().st_size == 0:
        raise NsssError(f"{name}: the file is empty")
    kind = suffix[1:]
    probe = Extract(index, path, name, kind, {})
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {probe.reader}").fetchall()
    except duckdb.Error as exc:
        if not_utf8(exc):
            raise  # read again from a UTF-8 copy (mis.counting.count_extracts)
        what = "a truncated or damaged Parquet file" if kind == "parquet" else "an unreadable CSV file"
        raise NsssError(f"{name}: cannot be read ({what}): {one_line(exc)}") from None
    columns: dict[str, tuple[str, str]] = {}
    for header, duck_type, *_ in described:
        columns.setdefault(column_name(header), (header, duck_type))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if not any(c in columns for c in AGE_COLUMNS):
        missing.append(" or ".join(AGE_COLUMNS))
    if missing and kind == "csv":
        _check_ragged(path, name)
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


#: Blocks of this many bytes (and the rest of their last line) are checked as UTF-8 at once.
UTF8_BLOCK_BYTES = 16 << 20


def not_utf8(exc: BaseException) -> bool:
    """Whether DuckDB refused a CSV file for bytes that are not UTF-8."""
    return "invalid unicode" in str(exc).lower()


def utf8_copy(path: Path, folder: Path) -> tuple[Path, list[int]] | None:
    """A UTF-8 copy of a CSV file that is not UTF-8 throughout, and the numbers of the
    lines read as Windows-1252; ``None`` when every line is UTF-8.

    The forms' rule (``intake/files.py``): each line is UTF-8, else Windows-1252, a byte
    neither can read shown as U+FFFD; every line stays a row, so the accounting stays
    exact. Fast where it can be: the file is checked in blocks of UTF8_BLOCK_BYTES, and
    only a block that is not UTF-8 is decoded line by line."""
    target = folder / f"utf8-{path.stem}-{abs(hash(str(path)))}.csv"
    fallback: list[int] = []
    number = 0
    with open(path, "rb") as f, open(target, "wb") as out:
        while block := f.read(UTF8_BLOCK_BYTES):
            block += f.readline()  # whole lines only
            try:
                block.decode("utf-8")
                out.write(block)
                number += block.count(b"\n")
                continue
            except UnicodeDecodeError:
                pass
            for line in io.BytesIO(block):
                number += 1
                try:
                    line.decode("utf-8")
                    out.write(line)
                except UnicodeDecodeError:
                    fallback.append(number)
                    out.write(line.decode("cp1252", errors="replace").encode("utf-8"))
    if not fallback:
        target.unlink()
        return None
    return target, fallback


def _check_ragged(path: Path, name: str) -> None:
    """Raise the true one-line message for a CSV whose rows have more or fewer fields
    than its header (DuckDB then reads the whole header as one column name)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            sample = f.read(65536)
    except OSError:
        return
    lines = sample.splitlines()
    if not lines:
        return
    delimiter = max(",;\t|", key=lambda d: lines[0].count(d))
    try:
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    except csv.Error:
        return
    width = len(records[0])
    complete = records[1:] if len(sample) < 65536 else records[1:-1]  # the sample may cut the last one
    for number, record in enumerate(complete, start=2):
        if record and len(record) != width:
            raise NsssError(
                f"{name}: row {number} has {len(record)} fields but the header has {width} "
                f"(separated by {delimiter!r}); fix that row's separators or quoting, then run again"
            )


#: The low-cardinality columns, by the sets normalised together (a programme needs its
#: ministry and fiscal year; an age from a birth year needs the fiscal year).
_VALUE_SETS: tuple[tuple[str, ...], ...] = (
    ("programme", "ministry", "fiscal_year"),
    ("sex",),
    ("birth_year", "age", "fiscal_year"),
    ("district",),
    ("payment_channel",),
)


LOW_CARDINALITY = ("programme", "ministry", "fiscal_year", "sex", "birth_year", "age", "district", "payment_channel")


def first_pass(con: duckdb.DuckDBPyConnection, ex: Extract) -> None:
    """Collect the distinct values of the low-cardinality columns: every value of a
    Parquet file or a small CSV file (DuckDB, exact), or a sample of a large CSV file
    (its head and SAMPLE_CHUNKS blocks spread over it): parsing a large CSV twice would
    double the time, and values the sample missed are caught by the counting pass."""
    if ex.kind == "csv" and ex.path.stat().st_size > SAMPLE_ABOVE_BYTES:
        ex.values = value_sets(ex, _sample_csv(con, ex))
        return
    ex.values = {}
    sets = [[c for c in s if ex.has(c)] for s in _VALUE_SETS]
    used = [c for c in LOW_CARDINALITY if ex.has(c)]
    select = ", ".join(f"{ex.text(c)} AS {c}" for c in used)
    grouping = ", ".join("(" + ", ".join(s) + ")" for s in sets if s)
    # Columns the file lacks stay out of the grouping: a constant key slows DuckDB down.
    sql = (
        f"SELECT {', '.join(used)}, GROUPING({', '.join(used)}) AS g, count(*) AS n "
        f"FROM (SELECT {select} FROM {ex.reader}) GROUP BY GROUPING SETS ({grouping})"
    )
    try:
        found = con.execute(sql).fetchall()
    except duckdb.Error as exc:
        if not_utf8(exc):
            raise  # read again from a UTF-8 copy (mis.counting.count_extracts)
        raise NsssError(f"{ex.name}: cannot be read: {one_line(exc)}") from None
    # GROUPING() sets a bit (most significant first, in ``used`` order) for each column
    # NOT in the row's grouping set.
    bits = {c: 1 << (len(used) - 1 - i) for i, c in enumerate(used)}
    set_of = {sum(bits[c] for c in used if c not in s): k for k, s in enumerate(sets) if s}
    for *cells, g, n in found:
        k = set_of[g]
        row = dict(zip(used, cells))
        ex.values.setdefault(k, Counter())[tuple(row.get(c) for c in _VALUE_SETS[k])] += n
    ex.rows = sum(ex.values.get(0, {}).values())
    if ex.rows == 0:
        raise NsssError(f"{ex.name}: the file has a header but no rows")


def _sample_csv(con: duckdb.DuckDBPyConnection, ex: Extract) -> list[dict[str, str | None]]:
    """Rows from the head of a CSV file and from SAMPLE_CHUNKS blocks at fixed offsets
    spread over it, parsed with the dialect DuckDB sniffed. A block starts at the line
    after its offset; a line cut by a block's end, or misread because the offset fell
    inside a quoted cell, is dropped or only adds a spare value to the lookups. One
    dict per row, a blank cell ``None``."""
    delimiter, quote, escape = con.execute(
        f"SELECT Delimiter, Quote, Escape FROM sniff_csv({sql_string(str(ex.path))}, header=true, all_varchar=true)"
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
    wanted = [c for c in LOW_CARDINALITY if ex.has(c)]
    positions = [ex.headers.index(ex.columns[c][0]) for c in wanted]
    rows: list[dict[str, str | None]] = []
    with open(ex.path, "rb") as f:
        for i, offset in enumerate(offsets):
            f.seek(offset)
            block = f.read(SAMPLE_HEAD_BYTES if i == 0 else SAMPLE_CHUNK_BYTES)
            # whole lines only: the first is the header or a line cut by the offset
            text = b"\n".join(block.split(b"\n")[1:-1]).decode("utf-8", errors="replace")
            try:
                rows.extend(
                    {c: r[p] or None for c, p in zip(wanted, positions)}
                    for r in csv.reader(io.StringIO(text), **dialect)
                    if len(r) == len(ex.headers)
                )
            except csv.Error:
                continue  # a block that starts inside a quoted cell: the others suffice
    return rows


def value_sets(ex: Extract, rows: Iterable[Mapping[str, str | None]], n: int = 1) -> dict[int, Counter]:
    """Raw rows (dicts of the low-cardinality columns; each seen ``n`` times, or its
    own ``"n"``) as value sets: a combination's columns the file lacks are ``None``."""
    sets: dict[int, Counter] = {}
    for row in rows:
        for k, columns in enumerate(_VALUE_SETS):
            if any(ex.has(c) for c in columns):
                key = tuple(row.get(c) if ex.has(c) else None for c in columns)
                sets.setdefault(k, Counter())[key] += int(row.get("n", n) or 0)  # type: ignore[arg-type]
    return sets


def add_values(ex: Extract, sets: Mapping[int, Counter]) -> None:
    """Add value sets (e.g. values the counting pass met) to a file's."""
    for k, counts in sets.items():
        ex.values.setdefault(k, Counter()).update(counts)


def extract_values(ex: Extract, k: int) -> Counter:
    """Distinct values of value set ``k`` of one file (tuples over ``_VALUE_SETS[k]``,
    ``None`` for a blank or missing column), with the rows seen."""
    return ex.values.get(k, Counter())


def _check_age_type(ex: Extract, values: Mapping[tuple, int]) -> None:
    """Refuse a file whose age column, as far as the first pass saw, holds no readable
    value in WRONG_TYPE_MIN_CELLS or more filled cells."""
    cells, readable = 0, False
    for (birth_year, age, fy_raw), n in values.items():
        if age is None and birth_year is None:
            continue
        cells += n
        fy = fiscal_year_of(fy_raw) if ex.has("fiscal_year") else ex.fiscal_year_from_name
        readable = readable or age_band(age, birth_year, fy) not in (None, UNKNOWN)
    if cells >= WRONG_TYPE_MIN_CELLS and not readable:
        column = next(c for c in AGE_COLUMNS if ex.has(c))
        what = "year" if column == "birth_year" else "age"
        raise NsssError(
            f"{ex.name}: column {ex.columns[column][0]} holds no readable {what} in {cells} filled cells (wrong type?)"
        )


def _plausible_ages(ex: Extract, values: Mapping[tuple, int]) -> list[tuple]:
    """Every whole age, and every birth year for each fiscal year seen, in ASCII and
    Bangla digits, as (birth_year, age, fiscal_year): a sample then misses only oddly
    written values."""
    ascii_to_bangla = str.maketrans("0123456789", "".join(chr(0x09E6 + d) for d in range(10)))
    fy_raws = list(dict.fromkeys(fy for _, _, fy in values)) if ex.has("fiscal_year") else [None]
    rows: list[tuple] = [(None, None, fy_raw) for fy_raw in fy_raws]  # blank: age band unknown
    if ex.has("age"):
        rows += [(None, s, None) for a in range(code_lists().max_age + 1) for s in (str(a), str(a).translate(ascii_to_bangla))]
    if ex.has("birth_year"):
        for fy_raw, fy in zip(fy_raws, _fiscal_years(ex, fy_raws)):
            if fy is None:
                continue
            for year in range(fy_start(fy) - code_lists().max_age, fy_start(fy) + 1):
                rows += [(s, None, fy_raw) for s in (str(year), str(year).translate(ascii_to_bangla))]
    return rows


def age_keys(ex: Extract) -> list[str]:
    """The columns an age band depends on in one file (the fiscal year only for a birth
    year; without a fiscal_year column it comes from the file name, a constant)."""
    keys = [c for c in AGE_COLUMNS if ex.has(c)]
    return keys + ["fiscal_year"] if ex.has("birth_year") and ex.has("fiscal_year") else keys


def age_map(ex: Extract) -> dict[str, tuple[str, list]]:
    """(birth_year, age, fiscal_year) as written -> age band code, null when unreadable,
    for the values seen and the plausible ones, one row per ``age_keys``, as columns
    (name -> (DuckDB type, values)). Raises on a wrong type."""
    position = {label: i for i, label in enumerate(code_lists().band_labels)}
    values = extract_values(ex, 2)
    _check_age_type(ex, values)
    keys = [i for i, c in enumerate(("birth_year", "age", "fiscal_year")) if c in age_keys(ex)]
    rows: dict[tuple, tuple] = {}
    for row in [*values, *_plausible_ages(ex, values)]:
        rows.setdefault(tuple(row[i] for i in keys), row)
    kept = list(rows.values())
    bands = [age_band(age, birth_year, fy)
             for (birth_year, age, _), fy in zip(kept, _fiscal_years(ex, [r[2] for r in kept]))]
    return {
        "birth_year": ("VARCHAR", [r[0] for r in kept]),
        "age": ("VARCHAR", [r[1] for r in kept]),
        "fiscal_year": ("VARCHAR", [r[2] for r in kept]),
        "band": ("SMALLINT", [position.get(b) if b else None for b in bands]),
        "known": ("BOOLEAN", [True] * len(kept)),
    }


def _fiscal_years(ex: Extract, raw: list) -> list[str | None]:
    if ex.has("fiscal_year"):
        return [fiscal_year_of(v) for v in raw]
    return [ex.fiscal_year_from_name] * len(raw)
