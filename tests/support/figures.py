"""Every figure a rendered page prints, read from its visible text, and the figures its
claims ledger (``<slug>.claims.json``) says it printed: the scan behind "every figure a
claim" (tests/test_every_figure_a_claim.py).

A **figure** is a number in the page's text, in Latin or Bangla digits, with its kind:
a percentage (``58%``, ``৫৮%``), an amount in crore (``Tk 1,259 crore``, ``১,২৫৯ কোটি
টাকা``) or a plain number (an amount in Taka among them) (``43``, ``১,০৭,৬১৪``); grouping is read away, so a Bangla
page's figures are the same data as the English ones. What is not a figure and is left
out, each for its reason:

- dates and times (``2024-03-05``, ``০৫-০৩-২০২৪``, ``22:01``), fiscal years or rounds
  (``2023-24``) and age bands (``18-35``, ``60+``): periods and categories, not quantities;
- digits inside a word, a code or a file name (``FY2023-24``, ``a2i``, ``v2``,
  ``MoSW_allowances.csv``, an action id ``MoPME-2AWX6E-EMPO``, a version ``0.4.1``);
- catalogued names that hold a digit (``Ashrayan-2 Project``, ``গুচ্ছগ্রাম-২য় পর্যায়``);
- digits the catalogue's own words carry (``95% interval``, ``the 2019 guideline``,
  ``0-100``): text fixed in ``nsss.po``, not made from the data. Only the literal parts
  of a message (between its ``{placeholders}``) are taken, so a figure placed into a
  message is still a figure.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.report import claims

_ASCII = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_DIGIT = r"[0-9০-৯]"
#: Dates, times, fiscal years (``2023-24``, ``2023/24``), versions, age bands (``18-35``,
#: ``60+``: a category's label, with a hyphen; ranges of figures use an en dash).
_PERIODS = re.compile(
    rf"{_DIGIT}{{4}}-{_DIGIT}{{2}}-{_DIGIT}{{2}}(?:[T ]{_DIGIT}{{2}}:{_DIGIT}{{2}}(?::{_DIGIT}{{2}})?\S*)?"
    rf"|{_DIGIT}{{2}}[-/.]{_DIGIT}{{2}}[-/.]{_DIGIT}{{4}}"
    rf"|{_DIGIT}{{1,2}}:{_DIGIT}{{2}}(?::{_DIGIT}{{2}})?"
    rf"|{_DIGIT}{{4}}[-/–]{_DIGIT}{{2}}(?!{_DIGIT})"
    rf"|(?<!\d)\d+\.\d+\.\d+(?!\d)"
    rf"|(?<![\d.,]){_DIGIT}{{1,3}}-{_DIGIT}{{1,3}}(?![\d%]|[.,]\d)|(?<![\d.,]){_DIGIT}{{1,3}}\+")
#: File names and action ids (``MoPME-2AWX6E-EMPO``).
_FILES = re.compile(r"[^\s\"'()<>]+\.(?:xlsx|xls|csv|parquet|json|html|pdf|ipynb|md)\b", re.IGNORECASE)
_ACTION_ID = re.compile(r"\b[A-Za-z][A-Za-z&]{0,11}-[0-9A-Z]{6}-[A-Z0-9]{3,6}\b")
#: A number: Latin or Bangla digits, grouping commas, a decimal point.
_NUMBER = re.compile(rf"{_DIGIT}(?:[0-9০-৯,]*{_DIGIT})?(?:\.{_DIGIT}+)?")
_CRORE_AFTER = re.compile(r"\s*(?:crore|cr(?![A-Za-z])|কোটি)")


@dataclass(frozen=True, order=True)
class Figure:
    kind: str  # "percent", "crore" or "number"
    value: str  # the digits, ASCII, without grouping

    def __str__(self) -> str:
        return {"percent": f"{self.value}%", "crore": f"Tk {self.value} crore"}.get(self.kind, self.value)


def _attached(text: str, start: int, end: int) -> bool:
    """Digits inside a word or code: a letter (or ``_``) right before them, or a Latin
    letter right after (``a2i``, ``FY2023``, ``v2``, ``2AWX``). A Bangla letter after the
    digits is a classifier or case ending of the number (``৩টি``, ``৫০জন``, ``৪৩-এর``):
    still a figure."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return bool(re.match(r"[^\W\d]|_", before) or re.match(r"[A-Za-z_]", after)
                or (before == "-" and start > 1 and re.match(r"[^\W\d]", text[start - 2])))


def figures(text: str, literal: Iterable[str] = ()) -> list[Figure]:
    """Every figure in ``text`` (see the module docstring), in order; ``literal``: fixed
    texts whose digits are words (removed first, longest first)."""
    for fixed in sorted(set(literal), key=len, reverse=True):
        if fixed in text:
            text = text.replace(fixed, " ")
    text = _FILES.sub(" ", text)
    text = _ACTION_ID.sub(" ", text)
    text = _PERIODS.sub(" ", text)
    out = []
    for m in _NUMBER.finditer(text):
        if _attached(text, m.start(), m.end()):
            continue
        value = m.group().translate(_ASCII).replace(",", "")
        after = text[m.end():m.end() + 8]
        if after.startswith("%"):
            kind = "percent"
        elif _CRORE_AFTER.match(after):
            kind = "crore"
        else:
            kind = "number"
        out.append(Figure(kind, value))
    return out


@cache
def names_with_digits() -> tuple[str, ...]:
    """Catalogued programme and agency names, in either language, that hold a digit."""
    from nsss_analysis.reference.vocab import load_reference

    names = {name for p in load_reference().programmes for name in (p.programme, p.name_bn)}
    with open(REFERENCE_DIR / "agencies.csv", encoding="utf-8") as f:
        names |= {name for row in csv.DictReader(f)
                  for name in (row["agency"], row["name_bn"], *row["aliases"].split("|"))}
    return tuple(name for name in names if name and re.search(_DIGIT, name))


@cache
def catalogue_literals() -> tuple[str, ...]:
    """The literal parts (between ``{placeholders}``) of every message of the catalogue,
    English and Bangla, that hold a digit: words fixed in ``nsss.po``."""
    from babel.messages.pofile import read_po

    from nsss_analysis.config import PACKAGE_DIR

    po = PACKAGE_DIR / "reference" / "locale" / "bn" / "LC_MESSAGES" / "nsss.po"
    with open(po, "rb") as f:
        catalogue = read_po(f)
    texts: set[str] = set()
    for message in catalogue:
        for part in (message.id, message.string):
            for text in (part if isinstance(part, (tuple, list)) else (part,)):
                # the literal parts: between placeholders, markdown marks and line breaks
                for piece in re.split(r"\{[^{}]*\}|\*\*|`|\n|^- ", str(text or "")):
                    piece = piece.strip()
                    if re.search(_DIGIT, piece) and len(piece) >= 2:
                        texts.add(piece)
    return tuple(texts)


def form_texts(processed: Path) -> tuple[str, ...]:
    """The forms' own free text in the processed tables that holds a digit (a remark such
    as "30% of places reserved for women", a target group written in): the ministries'
    words, printed as given, not figures the workbench makes."""
    import pandas as pd

    texts: set[str] = set()
    path = Path(processed) / "assessments.parquet"
    if not path.exists():
        return ()
    a = pd.read_parquet(path)
    for column in ("remarks", "target_groups_other", "partner_agencies", "programme"):
        if column not in a.columns:
            continue
        for value in a[column].dropna():
            items = value if isinstance(value, str) else list(value)
            for item in ([items] if isinstance(items, str) else items):
                text = " ".join(str(item).split())
                if re.search(_DIGIT, text):
                    texts.add(text)
    return tuple(texts)


def page_figures(text: str, forms: Iterable[str] = ()) -> list[Figure]:
    """The figures of a page's visible text (names, words, the forms' own text and
    periods left out)."""
    return figures(" ".join(text.split()), (*names_with_digits(), *catalogue_literals(), *forms))


def claimed_figures(ledger: claims.Ledger) -> set[Figure]:
    """The figures the ledger's claims print (each claim's text, read the same way)."""
    return {f for c in ledger.claims if c.text for f in figures(c.text, names_with_digits())}


def unbacked(text: str, ledger: claims.Ledger, forms: Iterable[str] = ()) -> list[Figure]:
    """The figures ``text`` prints that no claim of ``ledger`` prints (``forms``: the
    forms' own text on the page, :func:`form_texts`)."""
    backed = claimed_figures(ledger)
    return sorted({f for f in page_figures(text, forms) if f not in backed})


def _same_number(a: object, b: object) -> bool:
    return (a is not None and b is not None and not isinstance(a, str) and not isinstance(b, str)
            and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a))))  # type: ignore[arg-type]


def restates(claim: claims.Claim, source: claims.Claim) -> bool:
    """Whether ``claim`` (the index's) states a figure of ``source`` (a report's): the
    same value, unit and denominator, resting on the same programmes; an interval's end
    is the ``low`` or ``high`` of the report's figure it bounds."""
    if set(claim.programmes) != set(source.programmes):
        return False
    if claim.unit == "interval":
        return _same_number(claim.value, source.low) or _same_number(claim.value, source.high)
    if claim.unit != source.unit or claim.denominator != source.denominator:
        return False
    if isinstance(claim.value, (bool, str)) or claim.value is None:
        return claim.value == source.value
    return _same_number(claim.value, source.value)


def value_stated(claim: claims.Claim) -> bool:
    """Whether a claim's text states its own value, in its unit (a count as the number,
    a share as a percentage, an amount in crore as one): the ledger's value is what the
    reader sees."""
    if not claim.text or claim.value is None or isinstance(claim.value, (bool, str)):
        return True
    printed = figures(claim.text, names_with_digits())
    value = float(claim.value)
    if claim.unit in ("percent", "money_share", "interval"):
        if "under" in claim.text or "কম" in claim.text:  # "under 0.1%": a share too small to round
            return True
        wanted = [("percent", value * 100), ("number", value)]
    elif claim.unit == "crore":
        wanted = [("crore", value), ("number", value)]
    else:
        wanted = [("number", value), ("crore", value)]
    for kind, number in wanted:
        for f in printed:
            if f.kind != kind:
                continue
            places = len(f.value.split(".")[1]) if "." in f.value else 0
            if abs(float(f.value) - number) <= 0.5 * 10 ** -places + 1e-9:
                return True
    return False


def visible_text(page: Path) -> str:
    """A rendered page's visible text without its code spans (``<code>``: data codes,
    commands and file names such as `nsss explain <name> "58%"`, not figures), its drawn
    figures' words included (:func:`svg_text`: labels, bar labels, legends, axis titles
    and category ticks with their counts; a numeric axis's ticks are its scale)."""
    return html_text(page.read_text(encoding="utf-8"))


def html_text(html: str) -> str:
    """The visible text of a page's (or a fragment's) HTML, as :func:`visible_text`."""
    from html import unescape

    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)
    html = re.sub(r"<code[^>]*>.*?</code>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<svg[^>]*>.*?</svg>", lambda m: " " + " ; ".join(svg_text(m.group())) + " ", html,
                  flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", html)))


#: A tick of an axis in matplotlib's SVG (``<g id="xtick_3">``, ids prefixed per figure).
_TICK = re.compile(r"(?:^|-)[xy]tick_\d+$")
#: A tick label that is only a scale's number (``0``, ``20%``, ``1.5``, ``−2``).
_SCALE = re.compile(rf"[−\-]?{_DIGIT}+(?:[.,]{_DIGIT}+)*\s*%?")


def svg_text(svg: str) -> list[str]:
    """The words of one figure drawn as SVG with its text left as text (matplotlib,
    ``svg.fonttype = "none"``), one entry per text element (a label's lines joined): what
    the reader sees in the figure. Left out: the ``<title>`` (the figure's title and
    reading, printed under it too) and the ticks of a numeric axis (a tick whose label is
    only a number or a percentage: the scale, not a statement). A category's tick label
    (``Ministry of Social Welfare (n=3)``) is read."""
    from html.parser import HTMLParser

    texts: list[str] = []

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.groups: list[str] = []  # the ids of the open <g> elements
            self.depth = 0  # inside a <text> element
            self.ignored = 0  # inside a <title>
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "g":
                self.groups.append(dict(attrs).get("id") or "")
            elif tag == "text":
                self.depth += 1
            elif tag == "title":
                self.ignored += 1

        def handle_endtag(self, tag: str) -> None:
            if tag == "g" and self.groups:
                self.groups.pop()
            elif tag == "title":
                self.ignored = max(0, self.ignored - 1)
            elif tag == "text" and self.depth:
                self.depth -= 1
                if not self.depth:
                    said = " ".join(" ".join(self.parts).split())
                    self.parts = []
                    in_tick = any(_TICK.search(g) for g in self.groups)
                    if said and not (in_tick and _SCALE.fullmatch(said)):
                        texts.append(said)

        def handle_data(self, data: str) -> None:
            if self.depth and not self.ignored:
                self.parts.append(data)

    Reader().feed(svg)  # a label of several lines is several <text> elements: each is read
    return texts


def ledger_beside(page: Path) -> Path:
    """The ``<slug>.claims.json`` written beside ``<slug>.html``."""
    return page.with_name(page.name.removesuffix(".html") + ".claims.json")
