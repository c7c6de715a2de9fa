"""Names in the page's language: the one resolver for every place a name is printed.

A page prints ministry, division, programme, agency, district and cluster names in
headlines, tables, figures, cards, actions, workbooks and the index. Each goes through
:func:`display_name`, which looks the name up in the reference data (the register of
ministries, the catalogue of programmes, the agencies, the districts, the clusters) and
returns it in the page's language; what the form wrote is kept only where no name is known.

Aliases work both ways: a Bangla name on a form ("বয়স্ক ভাতা") is the catalogue's English
entry ("Old Age Allowance") to :func:`canonical_name`, and an English name is shown in
Bangla on a Bangla page. The kinds:

* ``ministry`` / ``division``: the register (``ministries.csv``), by code, name or alias;
* ``programme``: the catalogue (``programmes.csv``): English name, Bangla name, their
  forms without the bracketed abbreviation, and the ``aliases`` column;
* ``agency``: a register ministry, else ``agencies.csv`` (union parishads, NGOs, UNICEF...);
* ``district``: ``districts.csv`` (the 64 districts, with their spellings);
* ``region``: an administrative division (Rangpur, Chattogram...);
* ``cluster``: the NSSS clusters (their Bangla names are in the message catalogue).

A cell naming several agencies ("Local Government Division; Union Parishads; a2i") is
split with :func:`split_names` and printed with :func:`display_names`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache

import pandas as pd

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.reference.i18n import about_language, current, resolve_language, translator
from nsss_analysis.reference.ministries import find_ministry, match_ministry
from nsss_analysis.reference.vocab import load_reference, normalise_key

#: A programme's budget line for one administrative division.
_REGIONAL = re.compile(r"(.+?)\s*\((\w[\w ]*?) [Dd]ivision\)")
_BANGLA = re.compile(r"[\u0980-\u09ff]")

#: The kinds of name the resolver knows.
KINDS: tuple[str, ...] = ("ministry", "division", "programme", "agency", "district", "region", "cluster")


def _language(language: str | None) -> str:
    return resolve_language(language) if language else current().language


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _split(text: str | None) -> list[str]:
    return [a.strip() for a in (text or "").split("|") if a.strip()]


def _unbracketed(text: str) -> str:
    """``text`` without a bracketed part ("Food for Work (Kabikha)" -> "Food for Work")."""
    return re.sub(r"\s*\([^()]*\)", "", text).strip()


def _table(entries: Iterable[tuple[str, str, Iterable[str]]]) -> dict[str, tuple[str, str]]:
    """Every spelling (folded) of each (English, Bangla, aliases) entry -> (English, Bangla).

    The full names and aliases come first; a name without its bracket is added only
    where it names one entry."""
    table: dict[str, tuple[str, str]] = {}
    short: dict[str, set[tuple[str, str]]] = {}
    for english, bangla, aliases in entries:
        for spelling in (english, bangla, *aliases):
            if spelling:
                table.setdefault(normalise_key(spelling), (english, bangla))
                bare = _unbracketed(spelling)
                if bare and bare != spelling:
                    short.setdefault(normalise_key(bare), set()).add((english, bangla))
    for key, found in short.items():
        if len(found) == 1 and key not in table:
            table[key] = next(iter(found))
    return table


@cache
def _programmes(strict: bool = False) -> dict[str, tuple[str, str]]:
    """Every spelling of a catalogued programme -> its (English, Bangla) names.

    ``strict`` (what a form's name is stored under) knows only the catalogue's own
    names and its older Bangla spellings, so that an English short name on a form stays
    the programme the form named; the display table also knows the English aliases and
    the names without their bracketed abbreviation."""
    aliases = {r["programme"]: _split(r.get("aliases")) for r in _rows("programmes.csv")}
    entries = []
    for p in load_reference().programmes:
        extra = [a for a in aliases.get(p.programme, ()) if not strict or _BANGLA.search(a)]
        entries.append((p.programme, p.name_bn, extra))
    if strict:
        return {normalise_key(s): (en, bn) for en, bn, extra in entries for s in (en, bn, *extra) if s}
    return _table(entries)


@cache
def _agencies() -> dict[str, tuple[str, str]]:
    """Every spelling of an agency outside the register -> its (English, Bangla) names."""
    return _table((r["agency"], r["name_bn"].strip(), _split(r["aliases"])) for r in _rows("agencies.csv"))


@cache
def _districts() -> dict[str, tuple[str, str]]:
    return _table((r["district"], r["name_bn"].strip(), _split(r["aliases"])) for r in _rows("districts.csv"))


@cache
def _regions() -> dict[str, tuple[str, str]]:
    rows = {r["division"]: r["division_bn"].strip() for r in _rows("districts.csv")}
    extra = {"Barishal": ("Barisal",), "Chattogram": ("Chittagong",)}
    return _table((en, bn, extra.get(en, ())) for en, bn in rows.items())


def _lookup(kind: str, text: str, strict: bool = False) -> tuple[str, str] | None:
    """(English, Bangla) of a known ``kind`` name, or None."""
    if kind in ("ministry", "division", "agency"):
        ministry = match_ministry(text, allow_parts=False) if kind == "agency" else find_ministry(text)
        if ministry is not None:
            return ministry.name, ministry.name_bn
        if kind != "agency":
            return None
    if kind == "programme":
        return _programmes(strict).get(normalise_key(text))
    table = {"agency": _agencies, "district": _districts, "region": _regions}.get(kind)
    return table().get(normalise_key(text)) if table else None


def display_name(kind: str, value: object, language: str | None = None) -> str:
    """``value`` (a code, key or the form's text) as a ``kind`` name in ``language``
    (default: the page's). Unknown names come back as given, stripped.

    >>> display_name("ministry", "MoSW", "bn")
    'সমাজকল্যাণ মন্ত্রণালয়'
    >>> display_name("programme", "বয়স্ক ভাতা", "en")
    'Old Age Allowance'
    >>> display_name("district", "Kushtia", "bn"), display_name("agency", "Union Parishads", "bn")
    ('কুষ্টিয়া', 'ইউনিয়ন পরিষদ')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; one of {', '.join(KINDS)}")
    text = "" if value is None else str(value).strip()
    if not text:
        return text
    code = _language(language)
    if kind == "cluster":
        return translator(code).gettext(text)
    found = _lookup(kind, text)
    if found is None and kind == "programme" and (part := _REGIONAL.fullmatch(text)):
        # a budget line of one administrative division: "Old Age Allowance (Rangpur division)"
        name, region = display_name(kind, part.group(1), code), display_name("region", part.group(2), code)
        return translator(code).gettext("{programme} ({region} division)").format(programme=name, region=region)
    if found is None:
        return text
    english, bangla = found
    return bangla if about_language(code).names == "name_bn" and bangla else english


def canonical_name(kind: str, value: object) -> str:
    """The one name a ``kind`` name is stored under, whatever language or alias the
    form wrote it in: the register's English name of a ministry or agency, the
    catalogue's English name of a programme (by its English or Bangla name or an older
    Bangla spelling; an English short name stays as written), the district's English
    name; unknown names come back as given. A Bangla form's "বয়স্ক ভাতা" thus joins the English form's
    "Old Age Allowance".

    >>> canonical_name("programme", "বয়স্ক ভাতা"), canonical_name("district", "কুষ্টিয়া")
    ('Old Age Allowance', 'Kushtia')
    """
    if kind == "cluster":
        text = "" if value is None else str(value).strip()
        for cluster in load_reference().clusters:
            if normalise_key(text) in {normalise_key(cluster), normalise_key(translator("bn").gettext(cluster))}:
                return cluster
        return text
    text = "" if value is None else str(value).strip()
    if kind not in KINDS:
        raise ValueError(f"unknown kind of name {kind!r}; one of {', '.join(KINDS)}")
    found = _lookup(kind, text, strict=True) if text else None
    return found[0] if found else text


def is_known(kind: str, value: object) -> bool:
    """Whether the reference data knows ``value`` as a ``kind`` name."""
    text = "" if value is None else str(value).strip()
    if kind == "cluster":
        return canonical_name("cluster", text) in load_reference().clusters
    return bool(text) and _lookup(kind, text) is not None


_SEPARATORS = re.compile(r"\s*(?:;|,|\n|\|)\s*")
_JOINED = re.compile(r"\s*(?:;|\n|\|)\s*")


def split_names(value: object) -> list[str]:
    """The names in one cell or list value ("LGD; Union Parishads, a2i" -> three names;
    a list or array is taken as it is)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in _SEPARATORS.split(value) if p.strip()]
    try:
        items = list(value)  # type: ignore[call-overload]  # a list, tuple or numpy array from a parquet column
    except TypeError:
        return split_names(str(value))
    return [str(i).strip() for i in items if i is not None and str(i).strip()]


def display_names(kind: str, value: object, language: str | None = None) -> list[str]:
    """Each name in ``value`` (a cell or a list) as a ``kind`` name in ``language``,
    in order, without repeats."""
    return list(dict.fromkeys(display_name(kind, v, language) for v in split_names(value)))


def shown_name(kind: str, value: object, language: str | None = None) -> str:
    """A name as a page in ``language`` prints it: on a Bangla page its Bangla name where
    one is known (:func:`display_name`); on an English page the form's own text, unless it
    is written in Bangla, which is shown under its English name.

    >>> shown_name("programme", "Old Age Allowance", "bn"), shown_name("agency", "ইউনিসেফ", "en")
    ('বয়স্ক ভাতা', 'UNICEF')
    """
    text = "" if value is None else str(value).strip()
    if about_language(_language(language)).names == "name" and not _BANGLA.search(text):
        return text
    return display_name(kind, text, language)


#: The columns of a table that hold names, and the kind of each.
NAME_COLUMNS: dict[str, str] = {
    "programme": "programme",
    "ministry": "ministry",
    "lead_ministry": "ministry",
    "partner_agencies": "agency",
    "supporting_agencies": "agency",
    "district": "district",
    "division": "region",
}


def _shown_cell(kind: str, value: object, language: str) -> object:
    if isinstance(value, str):
        if kind == "agency" and _JOINED.search(value):  # a joined list ("LGD; Union Parishads")
            return "; ".join(dict.fromkeys(shown_name(kind, v, language) for v in _JOINED.split(value) if v.strip()))
        return shown_name(kind, value, language) if value.strip() else value
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if hasattr(value, "__iter__"):  # a list column (partner agencies)
        return [shown_name(kind, v, language) for v in split_names(value)]
    return value


def localise_names(df, language: str | None = None, columns: dict[str, str] | None = None):
    """``df`` (a DataFrame) with the names in its name columns (:data:`NAME_COLUMNS`, or
    ``columns``) as a page in ``language`` prints them (:func:`shown_name`); other columns
    as they are. Pure: a new frame."""
    code = _language(language)
    wanted = {c: k for c, k in (columns or NAME_COLUMNS).items() if c in df.columns}
    if not wanted:
        return df
    out = {}
    for column, kind in wanted.items():
        mapped = df[column].map(lambda v, k=kind: _shown_cell(k, v, code))
        if isinstance(df[column].dtype, pd.StringDtype):
            mapped = mapped.astype(df[column].dtype)
        out[column] = mapped
    return df.assign(**out)


# --- the names a specialist should still check ------------------------------------------
#: Where the README's list of unverified names starts and ends (the lines between are
#: :func:`unverified_names_markdown`, written by ``make names-list``).
UNVERIFIED_START = "<!-- unverified names: generated by `make names-list` from the reference data -->"
UNVERIFIED_END = "<!-- end of unverified names -->"


def unverified_names_markdown() -> str:
    """The Bangla names no government page confirms yet, as the README lists them for a
    specialist: ministries and divisions, programmes, supporting agencies (with the
    programmes still without a Bangla name, and a line on the districts), from the
    reference data (``bn_verified`` false)."""
    ref = load_reference()
    out = ["Ministries and divisions:", ""]
    out += [f"- {m.code}: {m.name} — {m.name_bn}" for m in ref.ministries if m.name_bn and not m.bn_verified]
    out += ["", "Programmes:", ""]
    out += [f"- {p.programme} — {p.name_bn}" for p in ref.programmes if p.name_bn and not p.bn_verified]
    missing = [p.programme for p in ref.programmes if not p.name_bn]
    out += ["", ("Programmes with no Bangla name on record yet (their English name is shown): "
                 + "; ".join(missing) + ".") if missing else "Every catalogued programme has a Bangla name on record."]
    agencies = [r for r in _rows("agencies.csv") if r["name_bn"].strip() and r["bn_verified"].strip().lower() != "true"]
    out += ["", "Supporting agencies outside the register (`agencies.csv`; several are not government bodies, so no "
                "`.gov.bd` page can verify them):", ""]
    out += [f"- {r['agency']} — {r['name_bn'].strip()}" for r in agencies]
    districts = _rows("districts.csv")
    divisions = sorted({r["division"] for r in districts})
    out += ["", f"Districts (`districts.csv`, `name_bn`: {len(districts)} rows) and the {len(divisions)} administrative "
                "divisions (`division_bn`) carry the standard Bangla spellings; they have not been checked row by row "
                "against the Bangladesh National Portal's district list (bangladesh.gov.bd), and a specialist should "
                "confirm them once."]
    return "\n".join(out)


def readme_with_unverified_names(readme: str) -> str:
    """``readme`` with the lines between :data:`UNVERIFIED_START` and
    :data:`UNVERIFIED_END` replaced by :func:`unverified_names_markdown`."""
    head, rest = readme.split(UNVERIFIED_START, 1)
    _, tail = rest.split(UNVERIFIED_END, 1)
    return f"{head}{UNVERIFIED_START}\n{unverified_names_markdown()}\n{UNVERIFIED_END}{tail}"
