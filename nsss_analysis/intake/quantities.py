"""Cell parsers for quantities: fiscal years, durations, amounts of money and counts of
persons. Pure functions: one raw cell in, one clean value out, or :class:`CellError`
with a sentence a specialist understands.

>>> parse_fiscal_year("FY21"), parse_fiscal_year("২০২০-২১"), parse_fiscal_year(2020)
('2020-21', '2020-21', '2020-21')
>>> parse_amount_crore("Tk 50,000"), parse_count("2.65 lakh")
(0.005, 265000.0)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import lru_cache

from nsss_analysis.intake.cells import CellError, _reject_spreadsheet_error
from nsss_analysis.intake.reasons import Localised, Reason
from nsss_analysis.reference.i18n import N_
from nsss_analysis.reference.text import bangla_digits_to_ascii, clean_text, match_key
from nsss_analysis.reference.vocab import load_reference

#: Fiscal years outside this range are typing errors, not programmes (the NSSS
#: programmes started after independence; nothing is planned past 2100).
FY_MIN_YEAR, FY_MAX_YEAR = 1950, 2100


#: A bare number in a budget column is crore, unless it is more than the whole
#: national budget (about 7.6 lakh crore in FY 2023-24): such a number (e.g.
#: ``49,00,000``) was written in taka.
MAX_PLAUSIBLE_CRORE = Decimal(1_000_000)


#: A count above this is a typing error (more people than live on Earth); counts
#: above the population of Bangladesh are possible (person-days, cumulative totals).
MAX_PLAUSIBLE_PERSONS = Decimal(10_000_000_000)


#: A bare whole number up to this in the Duration column is a number of years.
MAX_DURATION_YEARS = 60


#: Multipliers of the units in ``vocabularies.json`` ("units"), in taka or persons.
UNIT_FACTORS: dict[str, Decimal] = {
    "crore": Decimal(10_000_000),
    "lakh": Decimal(100_000),
    "billion": Decimal(1_000_000_000),
    "million": Decimal(1_000_000),
    "thousand": Decimal(1_000),
}


CRORE = UNIT_FACTORS["crore"]


_FY_PREFIX = re.compile(r"^(?:fy|f\s*y|fiscal\s+year|financial\s+year|অর্থ\s*বছর|অর্থবছর)\s*[:\-]?\s*")


_DASHES = "-/–—‐‑"


_FY_PAIR = re.compile(rf"^(\d{{4}}|\d{{2}})\s*[{_DASHES}]\s*(\d{{4}}|\d{{2}})$")


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_MONTH_YEAR = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*(\d{4})")


_FY_JULY_JUNE = re.compile(r"^jul[a-z]*\s*,?\s*(\d{4})\s*(?:-|–|—|to)\s*jun[a-z]*\s*,?\s*(\d{4})$")


_NOT_A_FISCAL_YEAR = N_("'{value}' is not a fiscal year (write it as 2020-21)")
_NOT_CONSECUTIVE = N_("'{value}': the two years of a fiscal year must be consecutive (e.g. 2020-21)")


def _fy_string(start: int) -> str:
    if not FY_MIN_YEAR <= start <= FY_MAX_YEAR:
        raise CellError(
            N_("{year} is outside the fiscal years this form covers ({first}-{last})"),
            year=start, first=FY_MIN_YEAR, last=FY_MAX_YEAR,
        )
    return f"{start}-{(start + 1) % 100:02d}"


def _century(two_digits: int) -> int:
    return 2000 + two_digits if two_digits < 50 else 1900 + two_digits


def fy_start(fy: str) -> int:
    """The first calendar year of a ``YYYY-YY`` fiscal year."""
    return int(fy[:4])


def parse_fiscal_year(value: object) -> str | None:
    """A fiscal year (July-June) as ``YYYY-YY``; ``None`` when blank.

    Accepts ``2020-21``, ``2020-2021``, ``2020/21``, ``2020–21``, ``FY21``,
    ``FY 2020-21``, ``FY2021`` (the year it ends), Bangla digits, an Excel number
    2020 (the year it starts) and a date (the fiscal year holding it). The two
    years must be consecutive.

    >>> [parse_fiscal_year(v) for v in ["2020-2021", "2020/21", "FY 2020-21", "২০২০-২১"]]
    ['2020-21', '2020-21', '2020-21', '2020-21']
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(N_("'{value}' is not a fiscal year"), value=str(value))
    if isinstance(value, dt.datetime | dt.date):
        return _fy_string(value.year if value.month >= 7 else value.year - 1)
    if isinstance(value, int | float):
        return _fiscal_year_of_number(value)
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    return _fiscal_year_of_text(text)


def _fiscal_year_of_number(value: int | float) -> str | None:
    """An Excel number as a fiscal year: the year it starts; ``None`` for NaN (blank)."""
    if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
        if math.isnan(value):
            return None
        raise CellError(_NOT_A_FISCAL_YEAR, value=str(value))
    return _fy_string(int(value))


def _fiscal_year_of_text(text: str) -> str:
    """A fiscal year written as text (see :func:`parse_fiscal_year` for the forms read)."""
    t = bangla_digits_to_ascii(text).lower().strip()
    t = re.sub(r"\s*\((?:revised|proposed|actual|rb|bb|budget|estimate[d]?)\)\s*$", "", t)
    t = re.sub(r"\s+(?:fy|অর্থবছর)$", "", t)
    has_prefix = bool(_FY_PREFIX.match(t))
    t = _FY_PREFIX.sub("", t).strip().rstrip(".")
    if m := _FY_PAIR.match(t):
        return _fiscal_year_of_pair(m.group(1), m.group(2), text)
    if m := _FY_JULY_JUNE.match(t):
        start, end = int(m.group(1)), int(m.group(2))
        if end != start + 1:
            raise CellError(N_("'{value}': July to June must span consecutive years"), value=text)
        return _fy_string(start)
    if m := _MONTH_YEAR.fullmatch(t):  # "June 2025": the fiscal year holding that month
        month = _MONTHS.index(m.group(1)[:3]) + 1
        year = int(m.group(2))
        return _fy_string(year if month >= 7 else year - 1)
    if re.fullmatch(r"\d{4}", t):
        # "FY2021" names the year the fiscal year ends; a bare 2020 the year it starts.
        return _fy_string(int(t) - 1 if has_prefix else int(t))
    if has_prefix and re.fullmatch(r"\d{2}", t):
        return _fy_string(_century(int(t)) - 1)
    raise CellError(_NOT_A_FISCAL_YEAR, value=text)


def _fiscal_year_of_pair(a: str, b: str, text: str) -> str:
    """``2020-21`` or ``2020-2021`` (``a``, ``b`` the two years as written): the years
    must be consecutive."""
    start = int(a) if len(a) == 4 else _century(int(a))
    consecutive = int(b) == (start + 1) % 100 if len(b) != 4 else int(b) == start + 1
    if not consecutive:
        raise CellError(_NOT_CONSECUTIVE, value=text)
    return _fy_string(start)


_FY_TOKEN = re.compile(
    rf"(?:fy\s*)?\d{{4}}\s*[{_DASHES}]\s*(?:\d{{4}}|\d{{2}})(?!\d)|fy\s*\d{{2,4}}(?!\d)|(?<!\d)\d{{4}}(?!\d)",
    re.IGNORECASE,
)


def find_fiscal_year(text: str) -> str | None:
    """The first valid fiscal year mentioned in free text (a title, a file name).

    >>> find_fiscal_year("MoWCA_gender_assessment_FY2023-24.xlsx")
    '2023-24'
    """
    t = bangla_digits_to_ascii(str(text)).replace("_", " ")
    for m in _FY_TOKEN.finditer(t):
        token = m.group()
        if re.fullmatch(r"\d{4}", token):
            continue  # a bare year in free text is too ambiguous (a date, a code)
        try:
            return parse_fiscal_year(token)
        except CellError:
            continue
    return None


_DATE_TOKEN = re.compile(
    r"(?<!\d)(?:(?P<y>(?:19|20)\d{2})[-._]?(?P<m>[01]\d)[-._]?(?P<d>[0-3]\d)"
    r"|(?P<d2>[0-3]\d)[-._](?P<m2>[01]\d)[-._](?P<y2>(?:19|20)\d{2}))(?!\d)"
)


def find_date(text: str) -> str | None:
    """The first valid calendar date in free text (a file or sheet name) as
    ``YYYY-MM-DD``: ``2024-03-15``, ``20240315`` or ``15-03-2024``; a fiscal year
    (``2023-24``) is not a date.

    >>> find_date("MoSW resubmission 2024-03-15.xlsx"), find_date("MoSW FY2023-24")
    ('2024-03-15', None)
    """
    import datetime

    t = bangla_digits_to_ascii(str(text))
    for m in _DATE_TOKEN.finditer(t):
        y, mo, d = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else (
            m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            return datetime.date(int(y), int(mo), int(d)).isoformat()
        except ValueError:
            continue
    return None


@lru_cache(maxsize=1)
def _ongoing_keys() -> frozenset[str]:
    return frozenset(match_key(w) for w in load_reference().ongoing)


def _is_ongoing(text: str) -> bool:
    key = match_key(text)
    keys = _ongoing_keys()
    return key in keys or any(key.startswith(k + " ") for k in keys if len(k) > 3)


def parse_duration(value: object, start_fy: str | None) -> tuple[str | None, bool | None]:
    """The Duration cell as ``(end_fy, ongoing)``.

    ``ongoing``/``continuous``/``চলমান`` give ``(None, True)``; an end fiscal year or a
    range ``2019-20 to 2023-24`` give ``(end, False)``; ``N years`` counts from
    ``start_fy`` (end = start + N - 1); a blank cell gives ``(None, None)``.

    >>> parse_duration("5 years", "2019-20"), parse_duration("চলমান", None)
    (('2023-24', False), (None, True))
    """
    if value is None:
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _duration_of_number(value, start_fy)
    if isinstance(value, dt.date | dt.datetime):
        return _check_end(parse_fiscal_year(value), start_fy), False
    text = clean_text(value)
    if text is None:
        return None, None
    _reject_spreadsheet_error(text)
    if _is_ongoing(text):
        return None, True
    t = bangla_digits_to_ascii(text).lower()
    if re.fullmatch(r"(?:since|from)\s+.*", t) and len(list(_FY_TOKEN.finditer(t))) == 1:
        return None, True  # "since 2010-11": started then, still running
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*-?\s*(?:years?|yrs?\.?|y|বছর|বৎসর)", t):
        n = float(m.group(1))
        if not n.is_integer() or n < 1:
            raise CellError(N_("'{value}': give the duration in whole years"), value=text)
        return _years_from(int(n), start_fy, text), False
    if m := re.fullmatch(
        r"(?:till|until|up\s*to|upto|to|ends?|ending)?\s*((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*\d{4})",
        t,
    ):
        return _check_end(parse_fiscal_year(m.group(1)), start_fy), False
    return _duration_of_fiscal_years(t, text, start_fy)


def _duration_of_number(value: int | float, start_fy: str | None) -> tuple[str | None, bool | None]:
    """A number in the Duration cell: a count of years (1 to ``MAX_DURATION_YEARS``),
    else the end fiscal year as an Excel number; NaN is blank."""
    if isinstance(value, float) and math.isnan(value):
        return None, None
    if float(value).is_integer() and 1 <= value <= MAX_DURATION_YEARS:
        return _years_from(int(value), start_fy, str(value)), False
    return _check_end(parse_fiscal_year(value), start_fy), False


def _duration_of_fiscal_years(t: str, text: str, start_fy: str | None) -> tuple[str | None, bool | None]:
    """The Duration cell as fiscal years named in text ``t`` (lower case, ASCII digits;
    ``text`` as written, for the error): one end year, a range, or ``2010-11 to date``."""
    tokens = list(_FY_TOKEN.finditer(t))
    rest = _FY_TOKEN.sub(" ", t)
    rest = re.sub(r"\b(?:from|to|till|until|through|upto|up to)\b|থেকে|হতে|পর্যন্ত|[\s,\-–—/:]", "", rest)
    if len(tokens) == 1 and rest in ("", "fy"):
        return _check_end(parse_fiscal_year(tokens[0].group()), start_fy), False
    if len(tokens) == 2 and rest == "":
        first = parse_fiscal_year(tokens[0].group())
        end = parse_fiscal_year(tokens[1].group())
        if first and end and fy_start(end) < fy_start(first):
            raise CellError(N_("'{value}': the range ends before it starts"), value=text)
        return end, False
    if len(tokens) == 1:
        tail = t[tokens[0].end() :]
        if _is_ongoing(re.sub(r"^\s*(?:to|till|until|-|–|—)\s*", "", tail)) or re.search(
            r"\b(?:date|present|now)\b", tail
        ):
            return None, True
    raise CellError(
        N_(
            "'{value}' is not a duration (write ongoing, an end fiscal year, a range "
            "2019-20 to 2023-24, or a number of years)"
        ),
        value=text,
    )


def _years_from(n: int, start_fy: str | None, text: str) -> str:
    if start_fy is None:
        raise CellError(
            N_("'{value}': a duration in years needs the start year, which is missing or unreadable"), value=text
        )
    return _fy_string(fy_start(start_fy) + n - 1)


def _check_end(end: str | None, start_fy: str | None) -> str | None:
    if end and start_fy and fy_start(end) < fy_start(start_fy):
        raise CellError(
            N_("the programme cannot end in {end}, before it starts ({start})"),
            end=Localised(end), start=Localised(start_fy),
        )
    return end


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


_GROUPING = re.compile(r"\d+|\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})*,\d{3}")


_APPROX = re.compile(r"\b(?:approx(?:imately)?|about|around|nearly|almost|estimated|est|c)\b\.?|~|≈|প্রায়")


_MISSING_KEYS = frozenset(
    {"-", "--", "—", "–", "n/a", "na", "not available", "unknown", "nk", "..", "...", "?", "tbd"}
)


@lru_cache(maxsize=1)
def _unit_words() -> list[tuple[str, str]]:
    """(spelling, unit) pairs, longest first, for scanning amounts."""
    pairs = [(w.lower(), unit) for unit, words in load_reference().units.items() for w in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


#: What a quantity cell holds, as the reasons name it.
AN_AMOUNT_OF_MONEY = N_("an amount of money")
AN_AMOUNT_IN_TAKA = N_("an amount in taka")
A_NUMBER_OF_PERSONS = N_("a number of persons")


def _quantity(value: object, what_id: str) -> tuple[Decimal, str | None, bool] | None:
    """Read ``number [unit]`` from a cell: (number, unit or None, currency named).

    ``None`` for blank or explicitly missing cells ("-", "n/a").
    """
    what = Reason.of(what_id)
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime | dt.time):
        return _typed_quantity(value, what)
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    t = bangla_digits_to_ascii(text).lower()
    if match_key(t) in _MISSING_KEYS or t.strip() in _MISSING_KEYS:
        return None
    if "%" in t:
        raise CellError(N_("'{value}' is a percentage, not {what}"), value=text, what=what)
    t = _APPROX.sub(" ", t)
    raw = _one_number(t, text, what)
    number = Decimal(raw.replace(",", ""))
    unit, currency, rest = _units_named(t.replace(raw, " ", 1), text)
    rest = re.sub(r"[\s.,:;()/=\-]+", "", rest)
    if rest:
        raise CellError(N_("'{value}' is not {what} (unexpected text '{rest}')"), value=text, what=what, rest=rest)
    return number, unit, currency


def _typed_quantity(value: object, what: str) -> tuple[Decimal, None, bool] | None:
    """A cell the workbook typed (a number, a date, a boolean or nothing), as
    :func:`_quantity` reads it."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_NOT_QUANTITY, value=str(value), what=what)
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and math.isinf(value):
            raise CellError(_NOT_QUANTITY, value=str(value), what=what)
        number = Decimal(str(value))
        if number < 0:
            raise CellError(N_("{value} is negative; {what} cannot be"), value=str(value), what=what)
        return number, None, False
    raise CellError(N_("'{value}' is a date, not {what}"), value=str(value), what=what)


def _one_number(t: str, text: str, what: str) -> str:
    """The one number written in ``t`` (the cell ``text`` lower-cased, digits ASCII),
    as written; a negative, a range, no number, two numbers or an unclear grouping
    is refused."""
    if re.search(r"(?<![\w.])-\s*\d", t):
        raise CellError(N_("'{value}' is negative or a range; {what} is one number"), value=text, what=what)
    numbers = _NUMBER.findall(t)
    if len(numbers) != 1:
        if not numbers:
            raise CellError(N_("'{value}' is not {what} (no number in it)"), value=text, what=what)
        raise CellError(N_("'{value}' holds more than one number; {what} is one number"), value=text, what=what)
    raw = numbers[0]
    whole = raw.split(".")[0]
    if "," in whole and not _GROUPING.fullmatch(whole):
        raise CellError(N_("'{value}': the digit grouping is unclear; write the number without commas"), value=text)
    return raw


def _units_named(rest: str, text: str) -> tuple[str | None, bool, str]:
    """The unit words in ``rest`` (the cell without its number): the one unit named
    (two different ones are refused), whether a currency is named, and what is left."""
    unit, currency = None, False
    for spelling, name in _unit_words():
        pattern = rf"(?<![a-z]){re.escape(spelling)}(?![a-z])"
        if spelling in rest and re.search(pattern, rest):
            if name == "taka":
                currency = True
            elif name == "persons":
                pass
            elif unit is None:
                unit = name
            elif unit != name:
                raise CellError(N_("'{value}' names two units ({unit} and {other})"), value=text, unit=unit,
                                other=name)
            rest = re.sub(pattern, " ", rest)
    return unit, currency, rest


_NOT_QUANTITY = N_("'{value}' is not {what}")


def _as_float(number: Decimal) -> float:
    return float(number)


def parse_amount_crore(value: object, bare_unit: str = "crore") -> float | None:
    """A budget amount in BDT crore; ``None`` when blank or given as missing ("-").

    Units may follow the number (``crore``/``cr``/``কোটি``, ``lakh``/``লক্ষ``/``লাখ``,
    ``million``, ``billion``, ``thousand``); ``Tk``/``BDT``/``৳``/``টাকা`` without a
    unit means taka (``Tk 50,000`` is 0.005 crore). A bare number is in
    ``bare_unit`` (crore, or what the column header says: ``lakh``, ``taka``,
    ``million``), except that a bare crore figure larger than the national budget
    (:data:`MAX_PLAUSIBLE_CRORE`) was written in taka.

    >>> parse_amount_crore("1,258.50 crore"), parse_amount_crore("BDT 12 lakh")
    (1258.5, 0.12)
    >>> parse_amount_crore("49,00,000"), parse_amount_crore("12.5 million")
    (0.49, 1.25)
    """
    q = _quantity(value, AN_AMOUNT_OF_MONEY)
    if q is None:
        return None
    number, unit, currency = q
    if unit is not None:
        taka = number * UNIT_FACTORS[unit]
    elif currency:
        taka = number
    elif bare_unit == "crore":
        taka = number if number > MAX_PLAUSIBLE_CRORE else number * CRORE
    elif bare_unit == "taka":
        taka = number
    else:
        taka = number * UNIT_FACTORS[bare_unit]
    if taka / CRORE > MAX_PLAUSIBLE_CRORE:
        raise CellError(N_("'{value}' is more than the whole national budget; check the unit"),
                        value=clean_text(value))
    return _as_float(taka / CRORE)


def parse_amount_bdt(value: object) -> float | None:
    """An amount in taka (e.g. a monthly allowance): ``Tk 500``, ``৳৫০০``, ``500/-``,
    ``Tk 1,000 per month``; units (lakh, crore) multiply.

    >>> parse_amount_bdt("Tk 1,000 per month"), parse_amount_bdt("৳৫০০")
    (1000.0, 500.0)
    """
    if isinstance(value, str):
        value = re.sub(
            r"(?i)\s*(?:/|per|a|each|প্রতি)\s*(?:month|mon|mo|মাস|মাসে)\b\.?|\bmonthly\b|\bp\.?\s*m\.?$|মাসিক",
            " ",
            value,
        )
    q = _quantity(value, AN_AMOUNT_IN_TAKA)
    if q is None:
        return None
    number, unit, _ = q
    return _as_float(number * UNIT_FACTORS[unit] if unit else number)


def parse_count(value: object, bare_unit: str | None = None) -> float | None:
    """A number of persons: ``2.65 lakh`` is 265000, ``1,07,614`` is 107614,
    ``1.25 million`` is 1250000. ``bare_unit`` (lakh, million ...) applies to a number
    written without a unit, when the column header gives it.

    >>> parse_count("2.65 lakh"), parse_count("1,07,614"), parse_count("12.5 lakh")
    (265000.0, 107614.0, 1250000.0)
    """
    q = _quantity(value, A_NUMBER_OF_PERSONS)
    if q is None:
        return None
    number, unit, currency = q
    if currency:
        raise CellError(N_("'{value}' is an amount of money, not a number of persons"), value=clean_text(value))
    unit = unit or bare_unit
    persons = number * UNIT_FACTORS[unit] if unit else number
    if persons > MAX_PLAUSIBLE_PERSONS:
        raise CellError(N_("'{value}' is more people than live on Earth; check the unit"), value=clean_text(value))
    if unit is None:
        if number != number.to_integral_value():
            raise CellError(N_("'{value}' is not a whole number of persons"), value=clean_text(value))
        return _as_float(number)
    return _as_float(persons.to_integral_value())
