"""Numbers as each language's readers write them, read back by the form reader's
parsers to the same value (Bangla digits, lakh/crore grouping, crore Taka, fiscal
years), and what Babel's ``bn`` locale does and does not do."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from nsss_analysis.intake.quantities import (
    parse_amount_bdt,
    parse_amount_crore,
    parse_count,
    parse_fiscal_year,
)
from nsss_analysis.reference import numbers
from nsss_analysis.reference.text import bangla_digits_to_ascii

# value, language, decimals -> text
NUMBER_CASES = [
    (0, "bn", 0, "০"),
    (7, "bn", 0, "৭"),
    (999, "bn", 0, "৯৯৯"),
    (1000, "bn", 0, "১,০০০"),
    (99999, "bn", 0, "৯৯,৯৯৯"),
    (100000, "bn", 0, "১,০০,০০০"),
    (1234567, "bn", 0, "১২,৩৪,৫৬৭"),
    (10000000, "bn", 0, "১,০০,০০,০০০"),
    (123456789, "bn", 0, "১২,৩৪,৫৬,৭৮৯"),
    (1234567, "en", 0, "1,234,567"),
    (100000, "en", 0, "100,000"),
    (-1234567, "bn", 0, "-১২,৩৪,৫৬৭"),
    (-1234.5, "bn", 1, "-১,২৩৪.৫"),
    (-0.04, "bn", 1, "০.০"),
    (1258.5, "bn", 1, "১,২৫৮.৫"),
    (1258.5, "en", 1, "1,258.5"),
    (0.125, "bn", 3, "০.১২৫"),
    (2.675, "bn", 2, "২.৬৮"),
    (1224.21, "bn", 2, "১,২২৪.২১"),
]


@pytest.mark.parametrize(("value", "language", "decimals", "text"), NUMBER_CASES)
def test_number_cases(value, language, decimals, text):
    assert numbers.number(value, language, decimals) == text


@pytest.mark.parametrize(
    ("value", "language", "decimals", "text"),
    [c for c in NUMBER_CASES if c[0] >= 0 and c[2] == 0],
)
def test_counts_read_back_through_the_readers_parser(value, language, decimals, text):
    assert parse_count(numbers.count(value, language)) == value


PERCENT_CASES = [
    (0.46, "bn", 0, "৪৬%"),
    (0.46, "en", 0, "46%"),
    (0.4649, "bn", 1, "৪৬.৫%"),
    (1.0, "bn", 0, "১০০%"),
    (0.0, "bn", 0, "০%"),
    (-0.125, "bn", 1, "-১২.৫%"),
    (0.005, "en", 1, "0.5%"),
    (None, "bn", 0, "তথ্য নেই"),
    (float("nan"), "en", 0, "n/a"),
]


@pytest.mark.parametrize(("share", "language", "decimals", "text"), PERCENT_CASES)
def test_percent_cases(share, language, decimals, text):
    assert numbers.percent(share, language, decimals) == text


CRORE_CASES = [
    (1258.5, "bn", 1, "১,২৫৮.৫ কোটি টাকা"),
    (1258.5, "en", 1, "Tk 1,258.5 crore"),
    (1258.5, "bn", None, "১,২৫৯ কোটি টাকা"),  # half away from zero (Babel: half to even)
    (12.5, "bn", None, "১২.৫ কোটি টাকা"),
    (12.5, "en", None, "Tk 12.5 crore"),
    (123456.75, "bn", 2, "১,২৩,৪৫৬.৭৫ কোটি টাকা"),
    (0.05, "bn", None, "০.১ কোটি টাকা"),
]


@pytest.mark.parametrize(("value", "language", "decimals", "text"), CRORE_CASES)
def test_crore_cases_read_back(value, language, decimals, text):
    shown = numbers.crore(value, language, decimals)
    assert shown == text
    digits = 1 if decimals is None and value < numbers.WHOLE_CRORE_FROM else (decimals or 0)
    expected = float(Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))
    assert parse_amount_crore(shown) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("persons", "language", "text", "back"),
    [
        (1_250_000, "bn", "১২.৫ লক্ষ", 1_250_000),
        (265_000, "en", "2.7 lakh", 270_000),
        (26_500_000, "bn", "২৬৫.০ লক্ষ", 26_500_000),
    ],
)
def test_lakh_cases_read_back(persons, language, text, back):
    shown = numbers.lakh(persons, language)
    assert shown == text
    assert parse_count(shown) == back


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [(50_000, "bn", "৫০,০০০ টাকা"), (800, "en", "Tk 800"), (1_500_000, "bn", "১৫,০০,০০০ টাকা")],
)
def test_taka_cases_read_back(value, language, text):
    assert numbers.taka(value, language) == text
    assert parse_amount_bdt(text) == value


@pytest.mark.parametrize(
    ("fy", "language", "text"),
    [("2024-25", "bn", "২০২৪-২৫"), ("1999-00", "bn", "১৯৯৯-০০"), ("2024-25", "en", "2024-25")],
)
def test_fiscal_years_read_back(fy, language, text):
    assert numbers.fiscal_year(fy, language) == text
    assert parse_fiscal_year(text) == fy


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_round_trips_in_bangla(n):
    text = numbers.count(n, "bn")
    assert not any(ch.isascii() and ch.isdigit() for ch in text)
    assert parse_count(text) == n
    # South Asian grouping: the last group has three digits, the others two.
    groups = bangla_digits_to_ascii(text).split(",")
    assert len(groups[-1]) <= 3 and all(len(g) == 2 for g in groups[1:-1])


def test_what_babel_bn_does_measured():
    """Babel's bn locale groups by lakh but keeps Latin digits and rounds half to even,
    hence our own digits and rounding."""
    assert format_decimal(1234567, locale="bn") == "12,34,567"
    assert format_decimal(0.05, format="#,##0.0", locale="bn") == "0.0"
    assert numbers.number(0.05, "bn", 1) == "০.১"
    assert format_decimal(1234567, locale="bn", numbering_system="default") == "12,34,567"
    assert numbers.number(1234567, "bn") == "১২,৩৪,৫৬৭"


# --- moments: the index's "generated" time -------------------------------------------
def test_a_moment_in_bangla_is_dhaka_time_in_bangla_digits_without_utc():
    import datetime as dt

    assert numbers.timestamp("2026-12-07 16:01:32 UTC", "en") == "2026-12-07 16:01:32 UTC"
    assert numbers.timestamp("2026-12-07 16:01:32 UTC", "bn") == "০৭-১২-২০২৬, ২২:০১ (বাংলাদেশ সময়)"
    # after 18:00 UTC it is the next day in Dhaka (UTC+6, no daylight saving)
    late = dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)
    assert numbers.timestamp(late, "bn") == "০১-০১-২০২৭, ০০:৩০ (বাংলাদেশ সময়)"
    assert numbers.timestamp(late, "en") == "2026-12-31 18:30:00 UTC"
    assert numbers.timestamp("not a time", "bn") == "not a time"
    assert numbers.version("0.1.0", "bn") == "০.১.০" and numbers.version("0.1.0", "en") == "0.1.0"
