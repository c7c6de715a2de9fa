"""A seeded generator of SYNTHETIC MIS beneficiary extracts (for tests, benchmarks, bundled data).

Every row it writes is invented. The shape follows docs/data-contract.md and docs/method.md, section 8: one row
per beneficiary and programme, sex codes in English and Bangla variants, the real 64
districts under their variant spellings, birth years (sometimes in Bangla digits) or ages,
amounts from each programme's monthly rate, payment channels, and a controlled share of
invalid rows and duplicated ids. All spellings come from ``load_reference()``, the
same reference data the cleaner normalises with.

Rows are generated with numpy in chunks and written with pyarrow, so memory stays flat
whatever ``n_rows`` is (5 million rows, about 500 MB of CSV, take about 25 s and 0.7 GB).
:func:`generate_extract` returns how many rows of each kind it wrote, which lets tests
check the accounting of :mod:`nsss_analysis.beneficiaries` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nsss_analysis.reference.vocab import load_reference


@dataclass(frozen=True)
class ProgrammeSpec:
    """One programme's beneficiaries: who they are and what they are paid."""

    programme: str
    ministry: str  # register code
    id_prefix: str
    monthly_rate_bdt: float
    female_share: float
    hijra_share: float
    age_min: int
    age_max: int
    weight: float = 1.0  # relative number of rows
    male_age_min: int | None = None  # when men become eligible later than women


#: Real programmes with their published monthly rates for FY 2023-24 and the Old Age
#: Allowance's eligibility (women 62+, men 65+), published (data/raw/README.md cites it);
#: the sex shares and the other age ranges are synthetic approximations (the Old Age
#: Allowance's share of women is Bhola district's: 33,776 of 74,011).
DEFAULT_PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec("Old Age Allowance", "MoSW", "OAA", 600, 0.456, 0.002, 62, 95, 5.0, male_age_min=65),
    ProgrammeSpec(
        "Allowances for Widow, Deserted and Destitute Women", "MoSW", "WDD", 550, 0.995, 0.0, 18, 85, 2.5
    ),
    ProgrammeSpec("Mother and Child Benefit Programme", "MoWCA", "MCBP", 800, 1.0, 0.0, 18, 40, 1.2),
    ProgrammeSpec(
        "Allowance for Financially Insolvent Persons with Disabilities", "MoSW", "DIS", 850, 0.42, 0.004, 0, 90, 2.0
    ),
)

#: Months paid in the year and how often (most beneficiaries are paid all year;
#: some join late). Payment channels and their synthetic shares.
MONTHS_PAID = (np.array([12, 9, 6, 3]), np.array([0.85, 0.07, 0.05, 0.03]))
CHANNEL_SHARES = {"mobile": 0.62, "bank": 0.18, "cash": 0.12, "post office": 0.08}

#: Values that the cleaner must reject, one list per reason (an invalid row gets exactly one).
BAD_SEX = ("X", "?", "0", "unknown", "")
BAD_BIRTH_YEAR = ("19x5", "abc", "2090", "1700", "n/a")
BAD_AGE = ("6o", "abc", "150", "-3", "n/a")
BAD_DISTRICT = ("Atlantis", "Dhaka North City", "N/A", "", "Unknown")
BANGLA_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")

COLUMNS = (
    "beneficiary_id",
    "programme",
    "ministry",
    "sex",
    "birth_year",
    "age",
    "district",
    "amount_bdt",
    "payment_channel",
    "fiscal_year",
)


def _variants(canonical: str, aliases: tuple[str, ...]) -> list[str]:
    """A canonical spelling, its aliases, and the case/space variants people type."""
    base = [canonical, *aliases]
    return base + [canonical.upper(), canonical.lower(), f" {canonical} "]


def _choice(rng: np.random.Generator, values: list[str], n: int, p=None) -> pa.Array:
    idx = rng.choice(len(values), size=n, p=p)
    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(values, pa.string()))


def _vocab_pools(rng: np.random.Generator) -> dict:
    ref = load_reference()
    districts = sorted(ref.districts)
    # Uneven district sizes, fixed by the seed.
    district_p = rng.dirichlet(np.full(len(districts), 4.0))
    return {
        "sex": {sex: _variants(sex, codes) for sex, codes in ref.sex_codes.items()},
        "districts": districts,
        "district_p": district_p,
        "district_spellings": [_variants(d, ref.districts[d]) for d in districts],
        "channels": {c: _variants(c, v) for c, v in ref.payment_channels.items()},
        "ministries": {m.code: [m.code, m.name, m.name.upper()] for m in ref.ministries},
    }


def _spell(rng: np.random.Generator, canonical_idx: np.ndarray, spellings: list[list[str]], variant_share: float) -> np.ndarray:
    """Pick a spelling for each row: the canonical one, or (with ``variant_share``) a variant."""
    out = np.empty(len(canonical_idx), dtype=object)
    use_variant = rng.random(len(canonical_idx)) < variant_share
    for k, options in enumerate(spellings):
        rows = np.flatnonzero(canonical_idx == k)
        if not len(rows):
            continue
        out[rows] = options[0]
        var_rows = rows[use_variant[rows]]
        if len(var_rows) and len(options) > 1:
            out[var_rows] = np.asarray(options[1:], dtype=object)[rng.integers(0, len(options) - 1, len(var_rows))]
    return out


def generate_extract(
    path: Path | str,
    n_rows: int,
    seed: int,
    programmes: tuple[ProgrammeSpec, ...] = DEFAULT_PROGRAMMES,
    fmt: str = "csv",
    invalid_share: float = 0.01,
    duplicate_share: float = 0.005,
    fiscal_year: str = "2023-24",
    age_column: str = "birth_year",
    with_ministry: bool = True,
    variant_share: float = 0.15,
    chunk_rows: int = 500_000,
) -> dict[str, int]:
    """Write a synthetic extract of ``n_rows`` rows to ``path`` (CSV or Parquet).

    ``invalid_share`` of the rows carry exactly one defect, split evenly between an
    unknown sex code, an unreadable age and an unknown district; ``duplicate_share`` repeat
    the id (and every other cell) of an earlier valid row of the same programme. Returns
    the counts written: ``rows``, ``invalid_unknown_sex``, ``invalid_age``,
    ``invalid_district``, ``duplicate_id``, and ``rows:<programme>`` for each programme.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if age_column not in ("birth_year", "age"):
        raise ValueError("age_column must be 'birth_year' or 'age'")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    pools = _vocab_pools(rng)
    fy_start = int(fiscal_year[:4])
    weights = np.array([p.weight for p in programmes], dtype=float)
    weights /= weights.sum()
    counts = dict.fromkeys(("rows", "invalid_unknown_sex", "invalid_age", "invalid_district", "duplicate_id"), 0)
    next_id = np.zeros(len(programmes), dtype=np.int64)
    columns = [c for c in COLUMNS if c != ("age" if age_column == "birth_year" else "birth_year")]
    if not with_ministry:
        columns.remove("ministry")
    writer = None
    try:
        for start in range(0, n_rows, chunk_rows):
            n = min(chunk_rows, n_rows - start)
            table, chunk_counts = _chunk(rng, n, programmes, weights, pools, next_id, fy_start, fiscal_year,
                                         age_column, invalid_share, duplicate_share, variant_share, fmt)
            table = table.select(columns)
            for k, v in chunk_counts.items():
                counts[k] = counts.get(k, 0) + v
            if writer is None:
                if fmt == "csv":
                    writer = open(path, "w", encoding="utf-8", newline="")
                    writer.write(",".join(columns) + "\n")
                else:
                    writer = pq.ParquetWriter(path, table.schema)
            if fmt == "csv":
                writer.write(_csv_lines(table))
            else:
                writer.write_table(table)
        if writer is None:  # n_rows == 0: a header-only file
            if fmt == "csv":
                path.write_text(",".join(columns) + "\n", encoding="utf-8")
            else:
                pq.write_table(pa.table({c: pa.array([], pa.string()) for c in columns}), path)
    finally:
        if writer is not None:
            writer.close()
    return counts


def _csv_lines(table: pa.Table) -> str:
    """The rows as CSV text, quoting only cells that need it (as database exports do;
    pyarrow's writer quotes every string, which makes the file a fifth larger)."""
    cells = []
    for column in table.columns:
        text = pc.cast(column, pa.string()).combine_chunks()
        needs = pc.match_substring_regex(text, '[,"\n]')
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
        cells.append(pc.fill_null(pc.if_else(needs, quoted, text), ""))
    lines = pc.binary_join_element_wise(*cells, ",")
    return "\n".join(lines.to_pylist()) + "\n"


def _chunk(rng, n, programmes, weights, pools, next_id, fy_start, fiscal_year, age_column,
           invalid_share, duplicate_share, variant_share, fmt):
    """One chunk of rows as a pyarrow table, and the counts of each kind of row in it."""
    prog = rng.choice(len(programmes), size=n, p=weights)
    female = np.array([p.female_share for p in programmes])[prog]
    hijra = np.array([p.hijra_share for p in programmes])[prog]
    u = rng.random(n)
    sex_idx = np.where(u < female, 0, np.where(u < female + hijra, 2, 1))  # 0 female, 1 male, 2 hijra
    sex_names = ["female", "male", "hijra"]
    sex = _spell(rng, sex_idx, [pools["sex"][s] for s in sex_names], variant_share)

    age_min = np.array([p.age_min for p in programmes])[prog]
    male_min = np.array([p.male_age_min if p.male_age_min is not None else p.age_min for p in programmes])[prog]
    age_min = np.where(sex_idx == 1, male_min, age_min)
    age_max = np.array([p.age_max for p in programmes])[prog]
    age = age_min + np.floor(rng.random(n) * (age_max - age_min + 1)).astype(np.int64)
    if age_column == "birth_year":
        age_value = (fy_start - age).astype(str).astype(object)
    else:
        age_value = age.astype(str).astype(object)
    if fmt == "csv":  # a few clerks type Bangla digits
        bangla = np.flatnonzero(rng.random(n) < 0.02)
        age_value[bangla] = [v.translate(BANGLA_DIGITS) for v in age_value[bangla]]
    missing_age = np.flatnonzero(rng.random(n) < 0.005)  # blank: counted with age band "unknown"
    age_value[missing_age] = ""

    district_idx = rng.choice(len(pools["districts"]), size=n, p=pools["district_p"])
    district = _spell(rng, district_idx, pools["district_spellings"], variant_share)

    channel_names = list(CHANNEL_SHARES)
    channel_idx = rng.choice(len(channel_names), size=n, p=list(CHANNEL_SHARES.values()))
    channel = _spell(rng, channel_idx, [pools["channels"][c] for c in channel_names], variant_share)

    months = rng.choice(MONTHS_PAID[0], size=n, p=MONTHS_PAID[1])
    amount = np.array([p.monthly_rate_bdt for p in programmes])[prog] * months

    programme_spellings = [[p.programme, p.programme.upper(), " " + p.programme.replace(" ", "  ", 1) + " "]
                           for p in programmes]
    programme = _spell(rng, prog, programme_spellings, variant_share / 3)
    ministry = _spell(rng, prog, [pools["ministries"][p.ministry] for p in programmes], variant_share)

    # Fresh ids, numbered per programme across chunks.
    seq = np.empty(n, dtype=np.int64)
    for k in range(len(programmes)):
        rows = np.flatnonzero(prog == k)
        seq[rows] = next_id[k] + np.arange(len(rows))
        next_id[k] += len(rows)
    prefixes = np.array([p.id_prefix + "-" for p in programmes], dtype=object)[prog]
    ids = pc.binary_join_element_wise(
        pa.array(prefixes, pa.string()),
        pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 9, "0"),
        "",
    ).to_numpy(zero_copy_only=False).astype(object)

    # Defects: each invalid row gets exactly one.
    counts = {"rows": n}
    kind = np.where(rng.random(n) < invalid_share, rng.integers(0, 3, n), -1)
    bad_age = BAD_BIRTH_YEAR if age_column == "birth_year" else BAD_AGE
    for k, (reason, pool) in enumerate(
        (("invalid_unknown_sex", BAD_SEX), ("invalid_age", bad_age), ("invalid_district", BAD_DISTRICT))
    ):
        rows = np.flatnonzero(kind == k)
        counts[reason] = len(rows)
        target = (sex, age_value, district)[k]
        target[rows] = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), len(rows))]
    # Duplicates: a later row repeats an earlier valid row of the chunk, cell for cell
    # (same programme and fiscal year by construction).
    valid = np.flatnonzero(kind < 0)
    dup = valid[rng.random(len(valid)) < duplicate_share]
    dup = dup[dup > valid[0]] if len(valid) else dup
    if len(dup):
        # an earlier valid row, never itself a duplicate
        originals_pool = np.setdiff1d(valid, dup)
        pos = np.searchsorted(originals_pool, dup)  # originals before each duplicate
        keep = pos > 0
        dup, pos = dup[keep], pos[keep]
        orig = originals_pool[np.floor(rng.random(len(dup)) * pos).astype(np.int64)]
        for col in (ids, programme, ministry, sex, age_value, district, channel):
            col[dup] = col[orig]
        amount[dup] = amount[orig]
        prog[dup] = prog[orig]
    counts["duplicate_id"] = len(dup)
    for k, p in enumerate(programmes):
        counts[f"rows:{p.programme}"] = int((prog == k).sum())

    def text(values: np.ndarray) -> pa.Array:
        return pa.array(values, pa.string())

    if fmt == "parquet":  # a typed extract: numbers as numbers, blanks as nulls
        numeric = np.char.isdigit(age_value.astype(str))
        age_array = pa.array(
            [int(v) if ok else None for v, ok in zip(age_value, numeric)], pa.int32()
        )
        # an int column cannot hold "19x5", and a null would read as a blank age: the
        # typed extract's unreadable ages are out of range instead
        bad_rows = np.flatnonzero((kind == 1) & ~numeric)
        if len(bad_rows):
            fill = 1700 if age_column == "birth_year" else 150
            age_list = age_array.to_pylist()
            for r in bad_rows:
                age_list[r] = fill
            age_array = pa.array(age_list, pa.int32())
        amount_array = pa.array(amount.astype(np.float64))
    else:
        age_array = text(age_value)
        amount_array = pc.cast(pa.array(amount.astype(np.int64)), pa.string())
    table = pa.table(
        {
            "beneficiary_id": text(ids),
            "programme": text(programme),
            "ministry": text(ministry),
            "sex": text(sex),
            "birth_year": age_array,
            "age": age_array,
            "district": text(district),
            "amount_bdt": amount_array,
            "payment_channel": text(channel),
            "fiscal_year": pa.array(np.full(n, fiscal_year, dtype=object), pa.string()),
        }
    )
    return table, counts


#: The small extracts bundled in ``data/raw/mis``: file name, programmes (indices in
#: DEFAULT_PROGRAMMES), rows, format, age column, seed.
BUNDLED = (
    ("MoSW_allowances_FY2023-24_SYNTHETIC.csv", (0, 1), 3000, "csv", "birth_year", 2023),
    ("MoWCA_MCBP_FY2023-24_SYNTHETIC.parquet", (2,), 1200, "parquet", "age", 2024),
)


def write_bundled_extracts(mis_dir: Path | str) -> list[Path]:
    """(Re)write the bundled synthetic extracts (seeded: the same bytes every time)."""
    mis_dir = Path(mis_dir)
    written = []
    for name, picks, rows, fmt, age_column, seed in BUNDLED:
        generate_extract(mis_dir / name, rows, seed, programmes=tuple(DEFAULT_PROGRAMMES[i] for i in picks),
                         fmt=fmt, age_column=age_column)
        written.append(mis_dir / name)
    return written


if __name__ == "__main__":
    import argparse

    from nsss_analysis.config import RAW_DIR

    parser = argparse.ArgumentParser(description="Write the bundled SYNTHETIC MIS extracts.")
    parser.add_argument("--out", type=Path, default=RAW_DIR / "mis")
    for path in write_bundled_extracts(parser.parse_args().out):
        print("wrote", path)
