"""Cell parsers: one raw spreadsheet cell in, one clean value out.

Each parser takes what openpyxl or the csv module gives for a cell (``str``, ``int``,
``float``, ``bool``, ``datetime`` or ``None``) and returns the value of the processed
table, or raises :class:`CellError` with a sentence a specialist understands. They are
pure: no I/O, no pandas. Every spelling they accept comes from
:func:`nsss_analysis.vocab.load_reference` (``reference/vocabularies.json`` and the
register ``reference/ministries.csv``); to accept a new spelling, add it there.

>>> parse_fiscal_year("FY21"), parse_fiscal_year("২০২০-২১"), parse_fiscal_year(2020)
('2020-21', '2020-21', '2020-21')
>>> parse_amount_crore("Tk 50,000"), parse_count("2.65 lakh")
(0.005, 265000.0)
>>> parse_answer("Yes (partially)"), parse_followup("", ["yes"])
('partly', 'not_applicable')
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache

from nsss_analysis.vocab import Ministry, load_reference, normalise_key, variant_table

# --- policy constants -------------------------------------------------------------

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
#: How close a misspelt cluster or ministry name must be to be accepted (difflib
#: ratio); high, because a wrong match is worse than an unknown.
FUZZY_CUTOFF = 0.88
#: Multipliers of the units in ``vocabularies.json`` ("units"), in taka or persons.
UNIT_FACTORS: dict[str, Decimal] = {
    "crore": Decimal(10_000_000),
    "lakh": Decimal(100_000),
    "billion": Decimal(1_000_000_000),
    "million": Decimal(1_000_000),
    "thousand": Decimal(1_000),
}
CRORE = UNIT_FACTORS["crore"]


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason for the quarantine."""

    @property
    def reason(self) -> str:
        return str(self)


# --- text -------------------------------------------------------------------------

_BANGLA_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


def bangla_digits_to_ascii(text: str) -> str:
    """Replace Bangla digits by ASCII digits.

    >>> bangla_digits_to_ascii("২০২০-২১")
    '2020-21'
    """
    return str(text).translate(_BANGLA_DIGITS)


def clean_text(value: object) -> str | None:
    """The cell as text: NFC, trimmed, inner whitespace (NBSP, new lines) folded to
    one space; ``None`` when blank. Whole floats lose their ``.0``.

    >>> clean_text("  Old\\u00a0Age \\n Allowance ")
    'Old Age Allowance'
    >>> clean_text("   ") is None, clean_text(2020.0)
    (True, '2020')
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def _text_lines(value: object) -> str | None:
    """Like :func:`clean_text` but keeps line breaks (list cells split on them)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    lines = [_SPACES.sub(" ", line).strip() for line in re.split(r"\r\n|\r|\n", text)]
    text = "\n".join(line for line in lines if line)
    return text or None


def _key(text: str) -> str:
    """Matching key: :func:`vocab.normalise_key` with Bangla digits as ASCII and no
    spaces around ``/``."""
    return re.sub(r"\s*/\s*", "/", normalise_key(bangla_digits_to_ascii(text)))


def _reject_spreadsheet_error(text: str) -> None:
    if re.fullmatch(r"#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!)", text.upper()):
        raise CellError(f"the cell holds a spreadsheet error ({text}), not a value")


# --- answers ----------------------------------------------------------------------


def _lookup(vocabulary: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return variant_table(vocabulary, key=_key)


@lru_cache(maxsize=1)
def _answer_tables() -> tuple[dict[str, str], dict[str, str]]:
    ref = load_reference()
    return _lookup(ref.answers), _lookup(ref.followups)


_WORD_SPLIT = re.compile(r"[\s,;:()\[\]/\\.!।\-–—]+")
#: First words that settle an answer written with an explanation ("Yes, through ...").
_LEADING_WORDS = {"yes": "yes", "হ্যাঁ": "yes", "হাঁ": "yes", "no": "no", "না": "no", "নাই": "no", "নেই": "no"}
_PARTIAL_WORDS = ("partly", "partially", "partial", "আংশিক", "আংশিকভাবে", "somewhat")


def _answer_key(text: str) -> str:
    key = _key(text)
    if len(key) > 1:
        key = key.rstrip("।!? ").strip() or key
    return key


def _read_answer(value: object, table: dict[str, str], what: str) -> str | None:
    """Shared reading of an answer or follow-up cell; ``None`` when blank.

    After the exact spellings, an answer followed by an explanation is accepted
    ("Yes, through courtyard meetings", "No (not yet)", "N/A - men only"), and any
    mention of "partly/partially" is ``partly``; two contradictory answers are not.
    """
    if isinstance(value, bool):
        value = "yes" if value else "no"
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    key = _answer_key(text)
    if key in table:
        return table[key]
    if re.fullmatch(r"\d+(?:\.\d+)?", bangla_digits_to_ascii(text)):  # "1.0" from a float column
        number = float(bangla_digits_to_ascii(text))
        canonical = "0.5" if number == 0.5 else str(int(number)) if number.is_integer() else text
        if _answer_key(canonical) in table:
            return table[_answer_key(canonical)]
    words = [w for w in _WORD_SPLIT.split(key) if w]
    if "partly" in table.values() and any(w in _PARTIAL_WORDS for w in words):
        return "partly"
    polar = {_LEADING_WORDS[w] for w in words if w in _LEADING_WORDS}
    if len(polar) > 1:
        raise CellError(f"'{text}' gives more than one {what}; write one of them")
    for prefix in _prefixes(id(table), table):
        if key.startswith(prefix) and key[len(prefix)] in " ,;:(-–—/":
            return table[prefix]
    if words and words[0] in _LEADING_WORDS:
        return _LEADING_WORDS[words[0]]
    allowed = ", ".join(dict.fromkeys(table.values()))
    raise CellError(f"'{text}' is not a recognised {what} (expected {allowed})")


_PREFIX_CACHE: dict[int, list[str]] = {}


def _prefixes(table_id: int, table: dict[str, str]) -> list[str]:
    """Spellings that may start a longer answer, longest first (not "unknown" ones:
    "maybe later" is not an answer)."""
    if table_id not in _PREFIX_CACHE:
        _PREFIX_CACHE[table_id] = sorted(
            (k for k, v in table.items() if len(k) > 1 and v != "unknown" and not k.startswith("-")),
            key=len,
            reverse=True,
        )
    return _PREFIX_CACHE[table_id]


def parse_answer(value: object) -> str:
    """An item's answer: ``yes``, ``partly``, ``no``, ``not_applicable`` or ``unknown``.

    An empty cell is ``unknown``, never ``no``.

    >>> [parse_answer(v) for v in ["Y", "yes.", "Partially", "N/A", "-", "আংশিক", None]]
    ['yes', 'yes', 'partly', 'not_applicable', 'not_applicable', 'partly', 'unknown']
    """
    answer = _read_answer(value, _answer_tables()[0], "answer")
    return "unknown" if answer is None else answer


def parse_followup(value: object, items_answers: Sequence[str]) -> str:
    """A follow-up ("If not, can ... ?"): ``yes``, ``no``, ``not_applicable`` or ``unknown``.

    ``items_answers`` are the (parsed) answers of the items it follows
    (:data:`vocab.FOLLOWUPS`). When every one is ``yes`` or ``not_applicable`` the
    question does not arise: the result is ``not_applicable`` whatever the cell says.
    Otherwise an empty cell is ``unknown``.

    >>> parse_followup("", ["no"]), parse_followup("Possible", ["partly"])
    ('unknown', 'yes')
    >>> parse_followup("no", ["yes", "not_applicable"])
    'not_applicable'
    """
    if items_answers and all(a in ("yes", "not_applicable") for a in items_answers):
        return "not_applicable"
    answer = _read_answer(value, _answer_tables()[1], "follow-up answer")
    return "unknown" if answer is None else answer


# --- fiscal years and durations ---------------------------------------------------

_FY_PREFIX = re.compile(r"^(?:fy|f\s*y|fiscal\s+year|financial\s+year|অর্থ\s*বছর|অর্থবছর)\s*[:\-]?\s*")
_DASHES = "-/–—‐‑"
_FY_PAIR = re.compile(rf"^(\d{{4}}|\d{{2}})\s*[{_DASHES}]\s*(\d{{4}}|\d{{2}})$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*(\d{4})")
_FY_JULY_JUNE = re.compile(r"^jul[a-z]*\s*,?\s*(\d{4})\s*(?:-|–|—|to)\s*jun[a-z]*\s*,?\s*(\d{4})$")


def _fy_string(start: int) -> str:
    if not FY_MIN_YEAR <= start <= FY_MAX_YEAR:
        raise CellError(f"{start} is outside the fiscal years this form covers ({FY_MIN_YEAR}-{FY_MAX_YEAR})")
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
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise CellError(f"'{value}' is not a fiscal year")
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _fy_string(value.year if value.month >= 7 else value.year - 1)
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            if math.isnan(value):
                return None
            raise CellError(f"'{value}' is not a fiscal year (write it as 2020-21)")
        return _fy_string(int(value))
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    t = bangla_digits_to_ascii(text).lower().strip()
    t = re.sub(r"\s*\((?:revised|proposed|actual|rb|bb|budget|estimate[d]?)\)\s*$", "", t)
    t = re.sub(r"\s+(?:fy|অর্থবছর)$", "", t)
    has_prefix = bool(_FY_PREFIX.match(t))
    t = _FY_PREFIX.sub("", t).strip().rstrip(".")
    bad = f"'{text}' is not a fiscal year (write it as 2020-21)"
    if m := _FY_PAIR.match(t):
        a, b = m.groups()
        start = int(a) if len(a) == 4 else _century(int(a))
        end = int(b) if len(b) == 4 else None
        if end is None:
            if int(b) != (start + 1) % 100:
                raise CellError(
                    f"'{text}': the two years of a fiscal year must be consecutive (e.g. 2020-21)"
                )
        elif end != start + 1:
            raise CellError(f"'{text}': the two years of a fiscal year must be consecutive (e.g. 2020-21)")
        return _fy_string(start)
    if m := _FY_JULY_JUNE.match(t):
        start, end = int(m.group(1)), int(m.group(2))
        if end != start + 1:
            raise CellError(f"'{text}': July to June must span consecutive years")
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
    raise CellError(bad)


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


@lru_cache(maxsize=1)
def _ongoing_keys() -> frozenset[str]:
    return frozenset(_key(w) for w in load_reference().ongoing)


def _is_ongoing(text: str) -> bool:
    key = _key(text)
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
        if isinstance(value, float) and math.isnan(value):
            return None, None
        if float(value).is_integer() and 1 <= value <= MAX_DURATION_YEARS:
            return _years_from(int(value), start_fy, str(value)), False
        return _check_end(parse_fiscal_year(value), start_fy), False
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
            raise CellError(f"'{text}': give the duration in whole years")
        return _years_from(int(n), start_fy, text), False
    if m := re.fullmatch(
        r"(?:till|until|up\s*to|upto|to|ends?|ending)?\s*((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*\d{4})",
        t,
    ):
        return _check_end(parse_fiscal_year(m.group(1)), start_fy), False
    tokens = list(_FY_TOKEN.finditer(t))
    rest = _FY_TOKEN.sub(" ", t)
    rest = re.sub(r"\b(?:from|to|till|until|through|upto|up to)\b|থেকে|হতে|পর্যন্ত|[\s,\-–—/:]", "", rest)
    if len(tokens) == 1 and rest in ("", "fy"):
        return _check_end(parse_fiscal_year(tokens[0].group()), start_fy), False
    if len(tokens) == 2 and rest == "":
        first = parse_fiscal_year(tokens[0].group())
        end = parse_fiscal_year(tokens[1].group())
        if first and end and fy_start(end) < fy_start(first):
            raise CellError(f"'{text}': the range ends before it starts")
        return end, False
    if len(tokens) == 1:
        tail = t[tokens[0].end() :]
        if _is_ongoing(re.sub(r"^\s*(?:to|till|until|-|–|—)\s*", "", tail)) or re.search(
            r"\b(?:date|present|now)\b", tail
        ):
            return None, True
    raise CellError(
        f"'{text}' is not a duration (write ongoing, an end fiscal year, a range "
        "2019-20 to 2023-24, or a number of years)"
    )


def _years_from(n: int, start_fy: str | None, text: str) -> str:
    if start_fy is None:
        raise CellError(f"'{text}': a duration in years needs the start year, which is missing or unreadable")
    return _fy_string(fy_start(start_fy) + n - 1)


def _check_end(end: str | None, start_fy: str | None) -> str | None:
    if end and start_fy and fy_start(end) < fy_start(start_fy):
        raise CellError(f"the programme cannot end in {end}, before it starts ({start_fy})")
    return end


# --- amounts and counts -----------------------------------------------------------

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


def _quantity(value: object, what: str) -> tuple[Decimal, str | None, bool] | None:
    """Read ``number [unit]`` from a cell: (number, unit or None, currency named).

    ``None`` for blank or explicitly missing cells ("-", "n/a").
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise CellError(f"'{value}' is not {what}")
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and math.isinf(value):
            raise CellError(f"'{value}' is not {what}")
        number = Decimal(str(value))
        if number < 0:
            raise CellError(f"{value} is negative; {what} cannot be")
        return number, None, False
    if isinstance(value, dt.date | dt.datetime | dt.time):
        raise CellError(f"'{value}' is a date, not {what}")
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    t = bangla_digits_to_ascii(text).lower()
    if _key(t) in _MISSING_KEYS or t.strip() in _MISSING_KEYS:
        return None
    if "%" in t:
        raise CellError(f"'{text}' is a percentage, not {what}")
    t = _APPROX.sub(" ", t)
    if re.search(r"(?<![\w.])-\s*\d", t):
        raise CellError(f"'{text}' is negative or a range; {what} is one number")
    numbers = _NUMBER.findall(t)
    if len(numbers) != 1:
        if not numbers:
            raise CellError(f"'{text}' is not {what} (no number in it)")
        raise CellError(f"'{text}' holds more than one number; {what} is one number")
    raw = numbers[0]
    whole = raw.split(".")[0]
    if "," in whole and not _GROUPING.fullmatch(whole):
        raise CellError(f"'{text}': the digit grouping is unclear; write the number without commas")
    number = Decimal(raw.replace(",", ""))
    rest = t.replace(raw, " ", 1)
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
                raise CellError(f"'{text}' names two units ({unit} and {name})")
            rest = re.sub(pattern, " ", rest)
    rest = re.sub(r"[\s.,:;()/=\-]+", "", rest)
    if rest:
        raise CellError(f"'{text}' is not {what} (unexpected text '{rest}')")
    return number, unit, currency


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
    q = _quantity(value, "an amount of money")
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
        raise CellError(f"'{clean_text(value)}' is more than the whole national budget; check the unit")
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
    q = _quantity(value, "an amount in taka")
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
    q = _quantity(value, "a number of persons")
    if q is None:
        return None
    number, unit, currency = q
    if currency:
        raise CellError(f"'{clean_text(value)}' is an amount of money, not a number of persons")
    unit = unit or bare_unit
    persons = number * UNIT_FACTORS[unit] if unit else number
    if persons > MAX_PLAUSIBLE_PERSONS:
        raise CellError(f"'{clean_text(value)}' is more people than live on Earth; check the unit")
    if unit is None:
        if number != number.to_integral_value():
            raise CellError(f"'{clean_text(value)}' is not a whole number of persons")
        return _as_float(number)
    return _as_float(persons.to_integral_value())


# --- lists ------------------------------------------------------------------------

#: Separators between list entries, strongest first. "/", "&" and " and " also
#: occur inside entries ("transgender/hijra", "women and girls"), so entries are
#: matched greedily across them before splitting.
_SEPARATORS = re.compile(
    r"(\n|;|,|\(|\)|\s*\|\s*|\s*[•·▪●◦]\s*|/|&|\+|(?<=\s)and(?=\s)|(?<=\s)or(?=\s)|(?<=\s)এবং(?=\s)|(?<=\s)ও(?=\s))",
    re.IGNORECASE,
)
_MAX_SPAN = 7
_NOISE = {"etc", "etc.", "and others", "others etc", "ইত্যাদি"}


def _segment(text: str, match: Callable[[str], str | None]) -> list[tuple[str, bool]]:
    """Split a list cell into entries, in the order written: ``(value, matched)``.

    Greedy longest match over the pieces between separators, so that an entry that
    itself holds a separator is found whole ("women and girls"); what matches
    nothing is one entry per piece, except an acronym in parentheses, which stays
    with the name before it ("Department of Women Affairs (DWA)").
    """
    lines = [
        re.sub(r"^\s*(?:[-*•·▪●◦]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", "", line) for line in text.split("\n")
    ]
    parts = _SEPARATORS.split("\n".join(lines))
    pieces = parts[0::2]
    seps = [s.strip() for s in parts[1::2]]
    entries: list[tuple[str, bool]] = []
    i = 0
    while i < len(pieces):
        piece = clean_text(re.sub(r"(?i)[\s,]*\betc\b\.?\s*$", "", pieces[i]))
        if not piece:
            i += 1
            continue
        found = None
        last = i
        while last < min(len(pieces) - 1, i + _MAX_SPAN) and seps[last].lower() in _INNER:
            last += 1  # an entry may hold "/", "&", "and", "(": not ",", ";" or a new line
        for j in range(last, i - 1, -1):
            hit = match("".join(parts[2 * i : 2 * j + 1]))
            if hit is not None:
                found = (hit, j)
                break
        if found:
            entries.append((found[0], True))
            i = found[1] + 1
            continue
        in_parens = i > 0 and seps[i - 1] == "("
        if in_parens and entries and _ACRONYM.fullmatch(piece):
            value, matched = entries[-1]
            if not matched:
                entries[-1] = (f"{value} ({piece})", False)
        elif piece.lower().strip(". ") not in _NOISE:
            entries.append((piece, False))
        i += 1
    return entries


_INNER = frozenset({"/", "&", "+", "and", "or", "এবং", "ও", "(", ")"})
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]{1,9}")


def parse_list(value: object, vocabulary: Mapping[str, Iterable[str]]) -> tuple[list[str], list[str]]:
    """Split a list cell into (canonical values in vocabulary order, unknown leftovers).

    Separators: ``;`` ``,`` ``/`` `` and `` ``&`` new lines and bullets. The whole
    text and multi-word entries are tried first, so "working age/vulnerable women of
    working age" stays one stage and "transgender/hijra" one group. Leftovers are
    kept verbatim (trimmed), in the order written, without duplicates.

    >>> ref = load_reference()
    >>> parse_list("Old age; disability", ref.lifecycle_stages)
    (['old_age', 'disability'], [])
    >>> parse_list("Women/ tea garden workers and street vendors", ref.target_groups)
    (['tea_garden_workers', 'women'], ['street vendors'])
    """
    text = _text_lines(value)
    if text is None:
        return [], []
    _reject_spreadsheet_error(text)
    table = _list_table(tuple((k, tuple(v)) for k, v in vocabulary.items()))
    entries = _segment(text, lambda candidate: table.get(_key(candidate)))
    order = {canonical: i for i, canonical in enumerate(vocabulary)}
    known = sorted({v for v, matched in entries if matched}, key=order.__getitem__)
    unknown = list(dict.fromkeys(v for v, matched in entries if not matched))
    return known, unknown


@lru_cache(maxsize=16)
def _list_table(vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    return _lookup(dict(vocabulary))


def parse_partner_agencies(value: object) -> list[str]:
    """The supporting ministries/agencies: register names where recognised, the
    rest verbatim, in the order written, without duplicates.

    >>> parse_partner_agencies("MoWCA, LGD and BRAC")
    ['Ministry of Women and Children Affairs', 'Local Government Division', 'BRAC']
    """
    text = _text_lines(value)
    if text is None:
        return []
    _reject_spreadsheet_error(text)

    def match(candidate: str) -> str | None:
        ministry = match_ministry(candidate, allow_parts=False)
        return ministry.name if ministry else None

    return list(dict.fromkeys(v for v, _ in _segment(text, match)))


# --- clusters, ministries, totals -------------------------------------------------


@lru_cache(maxsize=1)
def _cluster_table() -> dict[str, str]:
    return _lookup(load_reference().clusters)


def parse_cluster(value: object) -> str | None:
    """The NSSS cluster (one of :data:`vocab.CLUSTERS`); ``None`` when blank.

    >>> parse_cluster("Food Security/Disaster Response"), parse_cluster("Social Alowance")
    ('Food Security and Disaster Response', 'Social Allowance')
    """
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    table = _cluster_table()
    key = _key(text)
    key = re.sub(r"^(?:nsss\s+)?(?:cluster\s*)?(?:\d\s*)?[:\-]?\s*", "", key) or key
    key = re.sub(r"\s+cluster$", "", key)
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, [k for k in table if len(k) > 6], n=1, cutoff=FUZZY_CUTOFF)
    if close:
        return table[close[0]]
    raise CellError(
        f"'{text}' is not an NSSS cluster (expected one of: {'; '.join(load_reference().clusters)})"
    )


def _fold(text: str) -> str:
    """Matching key for ministry names: case, punctuation, ``&``, "Govt.",
    "Co-operatives", "Labor", "Defense" folded."""
    key = _key(text)
    key = re.sub(r"\bgovt\b", "government", key)
    key = re.sub(r"\bco-?\s?operatives?\b", "cooperatives", key)
    key = re.sub(r"\blabor\b", "labour", key)
    key = re.sub(r"\bdefense\b", "defence", key)
    return re.sub(r"\s+", " ", key.replace("-", " ")).strip()


def _ministry_key(text: str) -> str:
    """:func:`_fold` without the words "Ministry of", "Division", "the"."""
    key = _fold(text)
    key = re.sub(r"^(?:the\s+)?(?:ministry|min)\s+of\s+(?:the\s+)?", "", key)
    key = re.sub(r"\s+(?:division|div|ministry)$", "", key)
    key = re.sub(r"\s+(?:মন্ত্রণালয়|বিভাগ)$", "", unicodedata.normalize("NFC", key))
    return key.strip()


@lru_cache(maxsize=1)
def _ministry_tables() -> tuple[dict[str, Ministry], dict[str, Ministry], list[tuple[str, Ministry]]]:
    """(exact keys, code keys, free-text search keys) of the register.

    A key that would name two entries ("education" for two divisions) is dropped.
    """
    keys: dict[str, set[str]] = {}
    full: dict[str, set[str]] = {}
    by_code: dict[str, Ministry] = {}
    refs = load_reference().ministries
    for m in refs:
        for spelling in (m.name, *m.aliases, m.code):
            for k in {_fold(spelling), _ministry_key(spelling)}:
                keys.setdefault(k, set()).add(m.code)
            full.setdefault(_fold(spelling), set()).add(m.code)
        by_code[m.code.lower()] = m
        for alias in m.aliases:
            if re.fullmatch(r"[A-Za-z&]{2,8}", alias):
                by_code.setdefault(alias.lower(), m)
    code_map = {m.code: m for m in refs}
    exact = {k: code_map[next(iter(c))] for k, c in keys.items() if len(c) == 1 and k}
    search = sorted(
        ((k, code_map[next(iter(c))]) for k, c in full.items() if len(c) == 1 and len(k) >= 3),
        key=lambda p: -len(p[0]),
    )
    return exact, by_code, search


def match_ministry(text: object, *, allow_parts: bool = True) -> Ministry | None:
    """The register entry a ministry/division cell names, or ``None``.

    Matches the code, the official name and aliases, ignoring case, spacing and
    punctuation, ``&`` for "and", "Govt." for Government, "Co-operatives" or
    "Cooperatives", with or without "Ministry of"/"Division", and a code in
    parentheses ("Ministry of Social Welfare (MoSW)"). With ``allow_parts``, a cell
    naming one register entry beside other text ("MoSW/DSS") names that entry.

    >>> match_ministry("Rural Development and Cooperatives Division").code
    'RDCD'
    >>> match_ministry("  mowca ").code, match_ministry("Local Govt. Division").code
    ('MoWCA', 'LGD')
    """
    raw = clean_text(text)
    if raw is None:
        return None
    exact, by_code, _ = _ministry_tables()
    candidates = [raw]
    if m := re.fullmatch(r"(.+?)\s*\((.+)\)\s*\.?", raw):
        candidates += [m.group(1), m.group(2)]
    for candidate in candidates:
        if candidate.strip().lower() in by_code:
            return by_code[candidate.strip().lower()]
        for key in (_fold(candidate), _ministry_key(candidate)):
            if key in exact:
                return exact[key]
    key = _ministry_key(raw)
    if len(key) >= 12:
        close = difflib.get_close_matches(key, [k for k in exact if len(k) >= 12], n=1, cutoff=0.92)
        if close:
            return exact[close[0]]
    parts = [p for p in re.split(r"\s*[/,;|]\s*|\s+[-–—]\s+", raw) if p.strip()]
    if (
        allow_parts and len(parts) > 1
    ):  # "MoSW/DSS", "Ministry of Social Welfare - Department of Social Services"
        found = {m.code: m for p in parts if (m := match_ministry(p, allow_parts=False))}
        if len(found) == 1:
            return next(iter(found.values()))
    return None


def find_ministry(text: object) -> Ministry | None:
    """A ministry named anywhere in free text (a title row, a file name).

    >>> find_ministry("Gender assessment - Ministry of Social Welfare, FY 2023-24").code
    'MoSW'
    >>> find_ministry("mowca-submission.xlsx").code
    'MoWCA'
    """
    raw = clean_text(text)
    if raw is None:
        return None
    whole = match_ministry(raw)
    if whole:
        return whole
    _, by_code, search = _ministry_tables()
    key = _fold(raw.replace(".", " "))
    best: tuple[int, int, Ministry] | None = None
    for k, m in search:
        for hit in re.finditer(rf"(?<![\w]){re.escape(k)}(?![\w])", key):
            rank = (-len(k), hit.start())
            if best is None or rank < best[:2]:
                best = (*rank, m)
            break
    if best:
        return best[2]
    for word in re.findall(r"(?<![A-Za-z])[A-Za-z&]{3,8}(?![A-Za-z])", raw):
        if word.lower() in by_code:
            return by_code[word.lower()]
    return None


def suggest_ministries(text: object, n: int = 3) -> list[str]:
    """The register names closest to an unrecognised ministry (for the quarantine
    reason), including the divisions of a ministry named by its parent.

    >>> suggest_ministries("Ministry of Health and Family Welfare")[:2]
    ['Health Services Division', 'Medical Education and Family Welfare Division']
    """
    raw = clean_text(text)
    if raw is None:
        return []
    refs = load_reference().ministries
    key = _key(raw)
    out = [m.name for m in refs if m.parent_ministry and _key(m.parent_ministry) == key]
    names = {}
    for m in refs:
        for spelling in (m.name, *m.aliases):
            names.setdefault(_key(spelling), m.name)
    for close in difflib.get_close_matches(key, list(names), n=n * 3, cutoff=0.5):
        if names[close] not in out:
            out.append(names[close])
    return out[:n]


@lru_cache(maxsize=1)
def _totals_keys() -> tuple[str, ...]:
    return tuple(sorted({_key(t) for t in load_reference().totals_labels}, key=len, reverse=True))


def is_totals_label(value: object) -> bool:
    """Whether a cell labels a totals row (``Total``, ``Grand total``, ``মোট``,
    ``Total (Tk crore)``, ``Sub-total:``), not a programme named "Total ...".

    >>> is_totals_label("Grand Total:"), is_totals_label("মোট"), is_totals_label("Total Sanitation Campaign")
    (True, True, False)
    """
    text = clean_text(value)
    if text is None:
        return False
    key = _key(text).rstrip("?:-= ")
    for label in _totals_keys():
        if key == label:
            return True
        if key.startswith(label):
            rest = key[len(label) :]
            if not re.search(
                r"[a-z\u0980-\u09ff]",
                re.sub(r"\b(?:tk|bdt|taka|crore|lakh|of|all|programmes?|persons|in)\b", "", rest),
            ):
                return True
    return False
