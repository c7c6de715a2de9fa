"""Cell parsers: one raw spreadsheet cell in, one clean value out.

Each parser takes what openpyxl or the csv module gives for a cell (``str``, ``int``,
``float``, ``bool``, ``datetime`` or ``None``) and returns the value of the processed
table, or raises :class:`CellError` with a sentence a specialist understands. They are
pure: no I/O, no pandas. Every spelling they accept comes from
:func:`nsss_analysis.reference.vocab.load_reference` (``reference/vocabularies.json`` and the
register ``reference/ministries.csv``); to accept a new spelling, add it there.

>>> parse_fiscal_year("FY21"), parse_fiscal_year("২০২০-২১"), parse_fiscal_year(2020)
('2020-21', '2020-21', '2020-21')
>>> parse_amount_crore("Tk 50,000"), parse_count("2.65 lakh")
(0.005, 265000.0)
>>> parse_answer("Yes (partially)"), parse_followup("", ["yes"])
('partly', 'not_applicable')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from nsss_analysis.intake.reasons import Reason, Words
from nsss_analysis.reference.i18n import N_
from nsss_analysis.reference.ministries import match_ministry
from nsss_analysis.reference.text import (
    bangla_digits_to_ascii,
    clean_text,
    match_key,
    text_lines,
)
from nsss_analysis.reference.vocab import load_reference, variant_table

#: How close a misspelt cluster or ministry name must be to be accepted (difflib
#: ratio); high, because a wrong match is worse than an unknown.
FUZZY_CUTOFF = 0.88


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason for the quarantine, and
    :attr:`why` the same reason with its message id and values
    (:class:`~nsss_analysis.intake.reasons.Reason`)."""

    def __init__(self, reason_id: str, **values: object):
        self.why = Reason.of(reason_id, **values)
        super().__init__(str(self.why))

    @property
    def reason(self) -> str:
        return str(self)


def _reject_spreadsheet_error(text: str) -> None:
    if re.fullmatch(r"#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!)", text.upper()):
        raise CellError(N_("the cell holds a spreadsheet error ({value}), not a value"), value=text)


def _lookup(vocabulary: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return variant_table(vocabulary, key=match_key)


@lru_cache(maxsize=1)
def _answer_tables() -> tuple[dict[str, str], dict[str, str]]:
    ref = load_reference()
    return _lookup(ref.answers), _lookup(ref.followups)


_WORD_SPLIT = re.compile(r"[\s,;:()\[\]/\\.!।\-–—]+")


#: First words that settle an answer written with an explanation ("Yes, through ...").
_LEADING_WORDS = {"yes": "yes", "হ্যাঁ": "yes", "হাঁ": "yes", "no": "no", "না": "no", "নাই": "no", "নেই": "no"}


_PARTIAL_WORDS = ("partly", "partially", "partial", "আংশিক", "আংশিকভাবে", "somewhat")


def _answer_key(text: str) -> str:
    key = match_key(text)
    if len(key) > 1:
        key = key.rstrip("।!? ").strip() or key
    return key


#: The reasons of an answer cell that cannot be read, by kind of question: (several
#: answers given, not an answer).
_ANSWER_REASONS = {
    "answer": (
        N_("'{value}' gives more than one answer; write one of them"),
        N_("'{value}' is not a recognised answer (expected {allowed})"),
    ),
    "follow-up answer": (
        N_("'{value}' gives more than one follow-up answer; write one of them"),
        N_("'{value}' is not a recognised follow-up answer (expected {allowed})"),
    ),
}


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
        raise CellError(_ANSWER_REASONS[what][0], value=text)
    for prefix in _prefixes(id(table), table):
        if key.startswith(prefix) and key[len(prefix)] in " ,;:(-–—/":
            return table[prefix]
    if words and words[0] in _LEADING_WORDS:
        return _LEADING_WORDS[words[0]]
    allowed = Words(tuple(dict.fromkeys(table.values())), ", ", "answers")
    raise CellError(_ANSWER_REASONS[what][1], value=text, allowed=allowed)


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

    A dash or ``?`` is no answer, so ``unknown``; only words say "not applicable".

    >>> [parse_answer(v) for v in ["Y", "yes.", "Partially", "N/A", "-", "?", "আংশিক", None]]
    ['yes', 'yes', 'partly', 'not_applicable', 'unknown', 'unknown', 'partly', 'unknown']
    """
    answer = _read_answer(value, _answer_tables()[0], "answer")
    return "unknown" if answer is None else answer


def parse_followup(value: object, items_answers: Sequence[str]) -> str:
    """A follow-up ("If not, can ... ?"): ``yes``, ``no``, ``not_applicable`` or ``unknown``.

    ``items_answers`` are the (parsed) answers of the items it follows
    (:data:`~nsss_analysis.reference.vocab.FOLLOWUPS`). When every one is ``yes`` or ``not_applicable`` the
    question does not arise: the result is ``not_applicable`` whatever the cell says.
    Otherwise (an item answered ``no``, ``partly`` or ``unknown``) the question applies:
    an empty cell, a dash or ``N/A`` is ``unknown``. ``empowerment_possible`` follows
    both empowerment questions, so it is ``not_applicable`` only when both are.

    >>> parse_followup("", ["no"]), parse_followup("Possible", ["partly"]), parse_followup("N/A", ["no"])
    ('unknown', 'yes', 'unknown')
    >>> parse_followup("no", ["yes", "not_applicable"]), parse_followup("-", ["yes", "no"])
    ('not_applicable', 'unknown')
    """
    if items_answers and all(a in ("yes", "not_applicable") for a in items_answers):
        return "not_applicable"
    answer = _read_answer(value, _answer_tables()[1], "follow-up answer")
    return "unknown" if answer in (None, "not_applicable") else answer


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
    text = text_lines(value)
    if text is None:
        return [], []
    _reject_spreadsheet_error(text)
    table = _list_table(tuple((k, tuple(v)) for k, v in vocabulary.items()))
    entries = _segment(text, lambda candidate: table.get(match_key(candidate)))
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
    text = text_lines(value)
    if text is None:
        return []
    _reject_spreadsheet_error(text)

    def match(candidate: str) -> str | None:
        ministry = match_ministry(candidate, allow_parts=False)
        return ministry.name if ministry else None

    return list(dict.fromkeys(v for v, _ in _segment(text, match)))


@lru_cache(maxsize=1)
def _cluster_table() -> dict[str, str]:
    return _lookup(load_reference().clusters)


def parse_cluster(value: object) -> str | None:
    """The NSSS cluster (one of :data:`~nsss_analysis.reference.vocab.CLUSTERS`); ``None`` when blank.

    >>> parse_cluster("Food Security/Disaster Response"), parse_cluster("Social Alowance")
    ('Food Security and Disaster Response', 'Social Allowance')
    """
    text = clean_text(value)
    if text is None:
        return None
    _reject_spreadsheet_error(text)
    table = _cluster_table()
    key = match_key(text)
    key = re.sub(r"^(?:nsss\s+)?(?:cluster\s*)?(?:\d\s*)?[:\-]?\s*", "", key) or key
    key = re.sub(r"\s+cluster$", "", key)
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, [k for k in table if len(k) > 6], n=1, cutoff=FUZZY_CUTOFF)
    if close:
        return table[close[0]]
    raise CellError(
        N_("'{value}' is not an NSSS cluster (expected one of: {allowed})"),
        value=text,
        allowed=Words(tuple(load_reference().clusters), "; ", "clusters"),
    )


@lru_cache(maxsize=1)
def _totals_keys() -> tuple[str, ...]:
    return tuple(sorted({match_key(t) for t in load_reference().totals_labels}, key=len, reverse=True))


def is_totals_label(value: object) -> bool:
    """Whether a cell labels a totals row (``Total``, ``Grand total``, ``মোট``,
    ``Total (Tk crore)``, ``Sub-total:``), not a programme named "Total ...".

    >>> is_totals_label("Grand Total:"), is_totals_label("মোট"), is_totals_label("Total Sanitation Campaign")
    (True, True, False)
    """
    text = clean_text(value)
    if text is None:
        return False
    key = match_key(text).rstrip("?:-= ")
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
