"""MIS cell values to codes: sex, district, payment channel, age band, fiscal year and
ministry, each normalised once per distinct value with the reference data the forms'
cleaner uses; and the integer packing the counting pass joins on."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from nsss_analysis.intake.cells import CellError
from nsss_analysis.intake.quantities import fy_start, parse_fiscal_year
from nsss_analysis.reference.ministries import match_ministry
from nsss_analysis.reference.text import bangla_digits_to_ascii, clean_text
from nsss_analysis.reference.vocab import load_reference, normalise_key, variant_table

if TYPE_CHECKING:
    import numpy as np

#: What an unknown age band or payment channel is called in the tables.
UNKNOWN = "unknown"


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

    @property
    def band_unreadable(self) -> int:
        """The code of an unreadable age (shown in the ``unknown`` band)."""
        return len(self.band_labels)

    @property
    def district_unknown(self) -> int:
        """The code of an unknown district (shown as ``unknown``)."""
        return len(self.districts)


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

    def field(self, packed: np.ndarray | int, name: str) -> np.ndarray | int:
        return (packed >> self.shifts[name]) & ((1 << self.widths[name]) - 1)


def _bits(n: int) -> int:
    return max(1, (n - 1).bit_length())


@lru_cache(maxsize=1)
def code_lists() -> _Codes:
    ref = load_reference()
    bands = tuple(ref.age_bands)
    sexes, districts = tuple(ref.sex_codes), tuple(sorted(ref.districts))
    band_labels, channels = (*(b["label"] for b in bands), UNKNOWN), (*ref.payment_channels, UNKNOWN)
    # one more code each for an unreadable age and an unknown district: such a row
    # still counts by sex (in the "unknown" band or district)
    widths = {"file": _bits(MAX_FILES), "sex": _bits(len(sexes)), "band": _bits(len(band_labels) + 1),
              "district": _bits(len(districts) + 1), "channel": _bits(len(channels))}
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
    return _normalise(value, code_lists().sex_lookup)


def normalise_district(value: object) -> str | None:
    """The canonical name of one of the 64 districts, from any accepted spelling.

    >>> normalise_district("Chittagong"), normalise_district(" COMILLA "), normalise_district("Atlantis")
    ('Chattogram', 'Cumilla', None)
    """
    return _normalise(value, code_lists().district_lookup)


def normalise_payment_channel(value: object) -> str:
    """``mobile``, ``bank``, ``cash``, ``post office``, or ``unknown``.

    >>> normalise_payment_channel("bKash"), normalise_payment_channel(""), normalise_payment_channel("Postal")
    ('mobile', 'unknown', 'post office')
    """
    return _normalise(value, code_lists().channel_lookup) or UNKNOWN


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
    codes = code_lists()
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


def fiscal_year_of(value: object) -> str | None:
    try:
        return parse_fiscal_year(value)
    except CellError:
        return None


def ministry_code_of(value: object) -> str | None:
    ministry = match_ministry(value)
    return ministry.code if ministry is not None else None


def column_name(header: str) -> str:
    """A header as a column name: ``Beneficiary ID`` -> ``beneficiary_id``."""
    return normalise_key(header).replace(" ", "_").replace("-", "_")


#: At most this many extracts in one run (the file index is packed into 10 bits).
MAX_FILES = 1024


