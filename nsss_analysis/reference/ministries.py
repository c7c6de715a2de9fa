"""The one ministry resolver: which register entry a piece of text names.

Forms, MIS extracts, the command line and the notebooks all name ministries and
divisions in their own ways (codes, abbreviations, older spellings, Bangla); every
one of them is matched here, by the same rules, against the register
(``reference/ministries.csv``)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from nsss_analysis.errors import NsssError
from nsss_analysis.reference.text import clean_text, match_key
from nsss_analysis.reference.vocab import Ministry, load_reference


def _fold(text: str) -> str:
    """Matching key for ministry names: case, punctuation, ``&``, "Govt.",
    "Co-operatives", "Labor", "Defense" folded."""
    key = match_key(text)
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
        found = {hit.code: hit for p in parts if (hit := match_ministry(p, allow_parts=False))}
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
    key = match_key(raw)
    out = [m.name for m in refs if m.parent_ministry and match_key(m.parent_ministry) == key]
    names: dict[str, str] = {}
    for m in refs:
        for spelling in (m.name, *m.aliases):
            names.setdefault(match_key(spelling), m.name)
    for close in difflib.get_close_matches(key, list(names), n=n * 3, cutoff=0.5):
        if names[close] not in out:
            out.append(names[close])
    return out[:n]


def resolve_ministry(text: object) -> Ministry:
    """The register entry ``text`` names, by the rules of :func:`match_ministry`; an
    unknown name is a one-line :class:`NsssError` with the closest register names.

    >>> resolve_ministry("mowca").name
    'Ministry of Women and Children Affairs'
    """
    ministry = match_ministry(text)
    if ministry is None:
        close = suggest_ministries(text)
        hint = f"; closest register names: {', '.join(close)}" if close else ""
        raise NsssError(f"ministry {text!r}: not in the register of ministries and divisions{hint}")
    return ministry
