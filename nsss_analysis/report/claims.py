"""The claims ledger: every figure a page prints, with what it rests on.

A **claim** is one printed figure: its value and unit, the numerator and
denominator it divides, its n, its interval and the method that drew it, the fiscal
year and assessment round it belongs to, the programmes (keys) behind it and the text
the reader sees. The printers (``wording``, ``phrases`` and the sentence modules,
``cards`` and ``card_parts``, ``sections``, ``display``, ``figures``, ``downloads`` and the runner's index) make every number
through :func:`figure` (or a maker built on it below), which records the claim in the
page's ledger and returns it; ``str(claim)`` is the text, written by the one number
formatter, :mod:`nsss_analysis.reference.numbers`.

The ledger of the page being written lives in a :class:`contextvars.ContextVar`, not a
module global: a notebook calls :func:`start` in its first cell (a warm kernel reuses
the module for the next report, which starts its own ledger), and a test or the runner
uses ``with claims.page("x") as ledger:``. Outside a page nothing is recorded and the
makers still return their claim, so a printer can be called anywhere.

Context a printer does not know (the headline's fiscal year and round, the programmes
of a unit) comes from :func:`scope`, which every claim recorded inside it inherits.

The notebook ends with :func:`save`, which writes the ledger where the runner asked
(the ``claims_path`` parameter); the runner checks the rules
(:mod:`nsss_analysis.report.rules`) and writes ``<slug>.claims.json`` beside the page.
``nsss explain <slug> "58%"`` and :func:`explain` (for analysts in a notebook) print a
claim's derivation. docs/method.md, "The claims ledger", describes each field and rule.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from nsss_analysis.io import write_text_atomic
from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import current as current_language

#: Version of the ``<slug>.claims.json`` layout (bump when a field changes meaning).
LEDGER_VERSION = 1

#: Units a claim can have. ``percent``: a share of people or programmes (numerator of
#: denominator); ``money_share``: a share of an amount (no count behind it);
#: ``mean``/``score``: on the 0-100 scale; ``round``/``fiscal_year``: a period named for a
#: set (numerator: how many of the set are in it, denominator: the set);
#: ``difference``: a stated difference between two units or categories (``versus`` holds
#: the other side); ``files``/``lines``: lineage counts (``sources``: what was counted);
#: ``synthetic``: the notice that the data are synthetic.
UNITS = ("count", "percent", "money_share", "mean", "score", "number", "crore", "taka", "persons",
         "round", "fiscal_year", "difference", "files", "lines", "synthetic", "interval")


def _clean(value: object) -> object:
    """``None`` for a missing number, a plain float/int/str otherwise (JSON-able)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        text = str(value)
        return None if text in ("", "nan", "None", "<NA>") else text
    if math.isnan(f):
        return None
    return int(f) if f.is_integer() and not isinstance(value, float) else f


def _keys(values: Iterable[object] | None) -> tuple[str, ...]:
    """Programme keys (or lineage sources) as strings, in order, duplicates kept: a key
    twice is what the counted-once rule looks for."""
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(str(v) for v in values if _clean(v) is not None)


@dataclass(frozen=True)
class Claim:
    """One printed figure and what it rests on (see the module docstring)."""

    text: str
    value: float | int | str | None
    unit: str
    numerator: float | None = None
    denominator: float | None = None
    n: int | None = None
    low: float | None = None
    high: float | None = None
    method: str | None = None
    fiscal_year: str | None = None
    round: str | None = None
    programmes: tuple[str, ...] = ()
    #: The headline or figure block the claim belongs to (``headline``, ``comparison``...).
    block: str | None = None
    #: ``unit`` (the page's own unit) or ``comparator`` (the national figure beside it).
    role: str | None = None
    #: The other side of a stated difference: ``(value, n, low, high)``.
    versus: tuple | None = None
    #: Lineage sources behind a count of files or lines (file names, file/sheet/row).
    sources: tuple[str, ...] = ()
    #: The printer that made it (``narrative.headline``, ``figures.levels_by_unit``...;
    #: ``workbook:<file>`` for a workbook's cell).
    where: str | None = None
    #: A workbook cell that holds the figure (``Summary!B4``): a workbook's summary and
    #: score cells are claims too, checked against the cells the file holds.
    cell: str | None = None
    language: str = "en"
    #: The rules it passed (filled when the runner checks the page).
    rules: tuple[str, ...] = ()
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.stable_id())

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    def stable_id(self) -> str:
        """A short id from what the claim says (not how it is written, nor by which
        printer: a table's column header is in the page's language), so an English page
        and its Bangla twin give the same figure the same id, run after run."""
        basis = {k: getattr(self, k) for k in (
            "unit", "numerator", "denominator", "n", "low", "high", "method", "fiscal_year", "round",
            "programmes", "block", "role", "versus", "sources")}
        value = self.value
        basis["value"] = round(value, 9) if isinstance(value, float) else value
        for k in ("low", "high", "numerator", "denominator"):
            if isinstance(basis[k], float):
                basis[k] = round(basis[k], 9)
        digest = hashlib.sha1(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()
        return f"c{digest[:10]}"

    def as_dict(self) -> dict:
        out = asdict(self)
        for k in ("programmes", "sources", "rules"):
            out[k] = list(out[k])
        out["versus"] = list(self.versus) if self.versus is not None else None
        return out

    @classmethod
    def from_dict(cls, data: Mapping) -> Claim:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for k in ("programmes", "sources", "rules"):
            values[k] = tuple(values.get(k) or ())
        if values.get("versus") is not None:
            values["versus"] = tuple(values["versus"])
        return cls(**values)

    def derivation(self) -> str:
        """The claim in words an analyst can check against the processed tables."""
        lines = [f"{self.text!r}  [{self.id}]  {self.unit}" + (f" by {self.where}" if self.where else "")]
        if self.numerator is not None or self.denominator is not None:
            lines.append(f"  = {self.numerator} of {self.denominator}")
        lines.append(f"  value: {self.value}" + (f"  n: {self.n}" if self.n is not None else ""))
        if self.low is not None or self.high is not None:
            lines.append(f"  interval: {self.low} to {self.high} ({self.method or 'method not stated'})")
        elif self.method:
            lines.append(f"  method: {self.method}")
        if self.versus is not None:
            lines.append("  versus: value {}, n {}, interval {} to {}".format(*self.versus))
        if self.fiscal_year or self.round:
            lines.append(f"  fiscal year: {self.fiscal_year or '-'}  round: {self.round or '-'}")
        if self.block or self.role:
            lines.append(f"  block: {self.block or '-'}  role: {self.role or '-'}")
        if self.programmes:
            lines.append(f"  {len(self.programmes)} programme(s): " + "; ".join(self.programmes))
        if self.sources:
            lines.append(f"  {len(self.sources)} source(s): " + "; ".join(self.sources))
        if self.cell:
            lines.append(f"  cell: {self.cell}" + (f" of {(self.where or '').removeprefix('workbook:')}"
                                                   if (self.where or "").startswith("workbook:") else ""))
        if self.rules:
            lines.append("  rules passed: " + ", ".join(self.rules))
        return "\n".join(lines)


#: ``<n> lines`` / ``<n> files`` (and rows, a quarantined row being a line; Bangla
#: লাইন, সারি, ফাইল): what an analyst types to ask for a lineage count.
_COUNTED = re.compile(r"^([0-9০-৯][0-9০-৯,]*)\s+(lines?|rows?|files?|লাইন|সারি|ফাইল)$", re.IGNORECASE)


@dataclass
class Ledger:
    """The claims of one page, in the order they were printed."""

    page: str = ""
    language: str = "en"
    claims: list[Claim] = field(default_factory=list)

    def add(self, claim: Claim) -> Claim:
        self.claims.append(claim)
        return claim

    def find(self, text: str) -> list[Claim]:
        """The claims printed as ``text`` or with that id, then those whose text holds it
        (``58%`` finds ``58%`` and ``58%, 95% interval 32%–81%``)."""
        text = str(text).strip()
        exact = [c for c in self.claims if c.id == text or c.text.strip() == text]
        counted = _COUNTED.match(text)  # "5 lines", "23 files": a lineage count as the sentence says it
        if counted:
            number, noun = counted.group(1), counted.group(2).lower()
            unit = "files" if noun.startswith("file") or noun == "ফাইল" else "lines"
            exact += [c for c in self.claims if c.unit == unit and c.text.strip() == number and c not in exact]
        return exact + [c for c in self.claims if text and text in c.text and c not in exact]

    def as_dict(self) -> dict:
        return {"version": LEDGER_VERSION, "page": self.page, "language": self.language,
                "claims": [c.as_dict() for c in self.claims]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping) -> Ledger:
        return cls(page=str(data.get("page", "")), language=str(data.get("language", "en")),
                   claims=[Claim.from_dict(c) for c in data.get("claims", [])])


#: The ledger of the page being written (None: nothing is recorded).
_LEDGER: contextvars.ContextVar[Ledger | None] = contextvars.ContextVar("nsss_claims_ledger", default=None)
#: Context inherited by the claims recorded inside :func:`scope` (merged, innermost wins).
_SCOPE: contextvars.ContextVar[dict] = contextvars.ContextVar("nsss_claims_scope", default={})  # noqa: B039


def start(page: str = "", language: str | None = None) -> Ledger:
    """A new, empty ledger for ``page``, current from now on in this context (the
    notebook's first cell). Returns it."""
    ledger = Ledger(page=page or "", language=language or current_language().language)
    _LEDGER.set(ledger)
    _SCOPE.set({})
    return ledger


def forget() -> None:
    """No page current in this context any more, as before a notebook's first cell (a
    ledger :func:`start` made stays with whoever holds it)."""
    _LEDGER.set(None)
    _SCOPE.set({})


def current() -> Ledger | None:
    """The ledger of the page being written, or None outside a page."""
    return _LEDGER.get()


@contextmanager
def page(name: str = "", language: str | None = None) -> Iterator[Ledger]:
    """``with page("x") as ledger:`` records into a fresh ledger, then restores the
    previous one (tests, the runner's index)."""
    ledger = Ledger(page=name, language=language or current_language().language)
    token, scope_token = _LEDGER.set(ledger), _SCOPE.set({})
    try:
        yield ledger
    finally:
        _SCOPE.reset(scope_token)
        _LEDGER.reset(token)


@contextmanager
def scope(**context: object) -> Iterator[dict]:
    """Claims recorded inside inherit ``context`` (``block``, ``fiscal_year``, ``round``,
    ``programmes``, ``role``, ``where``...), unless they set the field themselves."""
    merged = dict(_SCOPE.get())
    merged.update({k: v for k, v in context.items() if v is not None})
    token = _SCOPE.set(merged)
    try:
        yield merged
    finally:
        _SCOPE.reset(token)


def figure(value: object, unit: str, text: str, **meta: object) -> Claim:
    """Make one claim (the text as printed, the value it stands for, and ``meta``:
    any field of :class:`Claim`), record it in the page's ledger and return it. Fields
    not given come from the enclosing :func:`scope`."""
    if unit not in UNITS:
        raise ValueError(f"claims.figure: unknown unit {unit!r} (one of {', '.join(UNITS)})")
    context = {k: v for k, v in _SCOPE.get().items() if k in _FIELDS}
    context.update({k: v for k, v in meta.items() if v is not None})
    unknown = set(context) - _FIELDS
    if unknown:
        raise TypeError(f"claims.figure: unknown field(s) {', '.join(sorted(unknown))}")
    for k in ("numerator", "denominator", "low", "high"):
        if k in context:
            context[k] = _clean(context[k])
    if "n" in context:
        context["n"] = None if _clean(context["n"]) is None else int(context["n"])  # type: ignore[arg-type]
    for k in ("fiscal_year", "round"):
        if k in context:
            context[k] = None if _clean(context[k]) is None else str(context[k])
    for k in ("programmes", "sources"):
        if k in context:
            context[k] = _keys(context[k])  # type: ignore[arg-type]
    if context.get("versus") is not None:
        context["versus"] = tuple(_clean(v) for v in context["versus"])  # type: ignore[union-attr]
    claim = Claim(text=str(text), value=_clean(value), unit=unit,  # type: ignore[arg-type]
                  language=current_language().language, **context)  # type: ignore[arg-type]
    ledger = _LEDGER.get()
    if ledger is not None:
        ledger.add(claim)
    return claim


_FIELDS = {f.name for f in fields(Claim)} - {"text", "value", "unit", "language", "id", "rules"}


# --- makers: a claim and its text through reference.numbers ----------------------------------


def count(value: object, unit: str = "count", **meta: object) -> Claim:
    """A whole number with the language's grouping and digits (``1,200`` / ``১,২০০``)."""
    text = numbers.count(value) if _clean(value) is not None else numbers.number(None)
    return figure(value, unit, text, **meta)


def plain_number(value: object, decimals: int = 0, unit: str = "number", **meta: object) -> Claim:
    """A number with ``decimals`` decimals (a score, a mean, a ratio)."""
    return figure(value, unit, numbers.number(value, decimals=decimals), **meta)


def percent(share: object, decimals: int = 0, **meta: object) -> Claim:
    """A share 0-1 as a percentage, for labels where the text itself is all there is
    (``numbers.percent``); sentences use ``wording.percent``, which never rounds to 0%
    or 100% unless exactly so."""
    return figure(share, meta.pop("unit", "percent"), numbers.percent(share, decimals=decimals), **meta)  # type: ignore[arg-type]


def crore(value: object, decimals: int | None = None, **meta: object) -> Claim:
    """An amount in crore Taka (``Tk 1,259 crore`` / ``১,২৫৯ কোটি টাকা``)."""
    return figure(value, "crore", numbers.crore(value, decimals=decimals), **meta)


def fiscal_year(fy: object, **meta: object) -> Claim:
    """A fiscal year named on the page (``2023-24`` / ``২০২৩-২৪``)."""
    meta.setdefault("fiscal_year", fy)
    return figure(None if _clean(fy) is None else str(fy), "fiscal_year", numbers.fiscal_year(fy), **meta)


def synthetic_notice(text: str, **meta: object) -> Claim:
    """The notice that the figures come from synthetic data (checked against the
    processed tables by the rules)."""
    return figure(True, "synthetic", text, **meta)


# --- the page's file, and reading it back ----------------------------------------------------


def save(path: str | Path | None) -> None:
    """Write the current ledger to ``path`` (atomically); nothing without a path or a
    ledger (a notebook run by hand). The runner passes ``claims_path``. Returns nothing,
    so a notebook's last cell prints no path on the page."""
    ledger = _LEDGER.get()
    if not path or ledger is None:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, ledger.to_json())


def load(path: str | Path) -> Ledger:
    """A ledger read back from a ``.claims.json`` file."""
    return Ledger.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def explain(text: str, ledger: Ledger | str | Path | None = None) -> str:
    """Where a printed figure comes from: each claim printed as ``text`` (or with that
    id), with its derivation. ``ledger``: a Ledger, a ``.claims.json`` path, or (by
    default) the current page's, for an analyst in a notebook:
    ``print(claims.explain("58%"))``."""
    if ledger is None:
        ledger = _LEDGER.get()
    if isinstance(ledger, (str, Path)):
        ledger = load(ledger)
    if ledger is None:
        return "no ledger: call claims.start() at the top of the notebook"
    found = ledger.find(text)
    if not found:
        return f"no claim printed as {text!r} on {ledger.page or 'this page'} ({len(ledger.claims)} claims)"
    return "\n\n".join(c.derivation() for c in found)


def workbook_cell(value: object, unit: str, file: str, sheet: str, cell: str, **meta: object) -> object:
    """A workbook's figure cell as a claim (``where`` ``workbook:<file>``, ``cell``
    ``<sheet>!<A1>``), recorded in the current ledger; returns ``value``, what the
    cell holds."""
    if _clean(value) is not None and not isinstance(value, bool):
        text = numbers.number(value, decimals=_decimals(value)) if unit != "crore" else \
            numbers.crore(value, decimals=_decimals(value))
        figure(value, unit, text, where=f"workbook:{file}", cell=f"{sheet}!{cell}", **meta)
    return value


def _decimals(value: object) -> int:
    """The decimals a cell's number holds (65.3: 1; 12: 0), at most 2."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return 0
    text = repr(float(value))  # type: ignore[arg-type]
    return min(2, len(text.split(".")[1])) if "." in text and "e" not in text else 2


def with_rules(claim: Claim, passed: Iterable[str]) -> Claim:
    """The claim with the rules it passed (its id unchanged)."""
    return replace(claim, rules=tuple(passed))
