"""The headline a report leaves for the index: a typed record, written as JSON.

A report notebook computes its headline figures (``summaries.headline_figures``) and
sentences (``headline_text.headline_sentences``) once; it writes them with
:func:`write_headline` to the file the runner names in its ``headline_path``
parameter (``<slug>.headline.json`` beside the page), and the runner reads that file
with :meth:`Headline.read` for the index and the manifest. Nothing is taken out of the
kernel's variables.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nsss_analysis.io import write_text_atomic

#: The file beside a report's page: ``reports/<fy>/<slug>.headline.json``.
HEADLINE_SUFFIX = ".headline.json"


def _number(value: object) -> float | None:
    """A finite float, or ``None`` (missing, NaN, not a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # numpy and pandas scalars too
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _count(value: object) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


@dataclass(frozen=True)
class Headline:
    """One report's headline as the index shows it: the unit, its counts and shares
    with their intervals (``None`` where a figure is missing or withheld), whether the
    data are synthetic, and the report's headline sentences in its language."""

    unit: str
    ministry_code: str | None
    fiscal_year: str | None
    n_programmes: int | None
    n_gender_specific_or_transformative: int | None
    share: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    budget_share: float | None = None
    mean_inclusion_score: float | None = None
    mean_ci_low: float | None = None
    mean_ci_high: float | None = None
    national_mean_inclusion_score: float | None = None
    #: The national mean's own interval, quoted beside the unit's mean.
    national_mean_ci_low: float | None = None
    national_mean_ci_high: float | None = None
    national_n: int | None = None
    synthetic: bool = False
    #: The programmes the figures count (``summaries.programme_keys``), for the claims ledger.
    programme_keys: tuple[str, ...] = ()
    #: The programmes behind the national comparator (a ministry's headline only).
    national_programme_keys: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()
    #: Programmes left out of every figure: two differing forms, nothing telling which stands.
    n_disputed: int | None = None
    disputed_programmes: tuple[str, ...] = ()

    @classmethod
    def from_figures(cls, figures: Mapping[str, object], sentences: Iterable[object] = ()) -> Headline:
        """From ``summaries.headline_figures``' dict and the headline sentences."""
        code, year = figures.get("ministry_code"), figures.get("fiscal_year")
        return cls(
            unit=str(figures.get("unit") or ""),
            ministry_code=None if code is None else str(code),
            fiscal_year=None if year is None else str(year),
            n_programmes=_count(figures.get("n_programmes")),
            n_gender_specific_or_transformative=_count(figures.get("n_gender_specific_or_transformative")),
            **{name: _number(figures.get(name)) for name in _FIGURES},
            national_n=_count(figures.get("national_n")),
            synthetic=bool(figures.get("synthetic")),
            programme_keys=tuple(str(k) for k in (figures.get("programme_keys") or ())),  # type: ignore[attr-defined]
            national_programme_keys=tuple(
                str(k) for k in (figures.get("national_programme_keys") or ())),  # type: ignore[attr-defined]
            sentences=tuple(str(s) for s in sentences),
            n_disputed=_count(figures.get("n_disputed")),
            disputed_programmes=tuple(str(p) for p in (figures.get("disputed_programmes") or ())),  # type: ignore[attr-defined]
        )

    def figures(self) -> dict[str, object]:
        """The figures, as the manifest keeps them (plain JSON values; no sentences)."""
        values = dataclasses.asdict(self)
        del values["sentences"]
        values["programme_keys"] = list(self.programme_keys)
        values["national_programme_keys"] = list(self.national_programme_keys)
        values["disputed_programmes"] = list(self.disputed_programmes)
        return values

    def to_json(self) -> str:
        return json.dumps(self.figures() | {"sentences": list(self.sentences)}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Headline:
        """The record of :meth:`to_json`; ``ValueError`` when ``text`` is not one."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("sentences"), list):
            raise ValueError("not a headline record")
        return cls.from_figures(data, data["sentences"])

    def write(self, path: Path | str) -> Path:
        """Write the record to ``path`` atomically; return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, self.to_json() + "\n")
        return path

    @classmethod
    def read(cls, path: Path | str) -> Headline | None:
        """The record at ``path``, or ``None`` when there is none or it is unreadable."""
        try:
            return cls.from_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


#: The float fields of :class:`Headline`, read from ``headline_figures`` by name.
_FIGURES = ("share", "ci_low", "ci_high", "budget_share", "mean_inclusion_score", "mean_ci_low",
            "mean_ci_high", "national_mean_inclusion_score", "national_mean_ci_low", "national_mean_ci_high")


def write_headline(path: Path | str | None, figures: Mapping[str, object], sentences: Iterable[object]) -> None:
    """What a report notebook calls once its headline is computed: the record of
    ``figures`` and ``sentences``, written to ``path`` (nothing written when ``path`` is
    empty, as when the notebook runs outside ``nsss reports``). Returns nothing, so
    the notebook's cell shows nothing."""
    if path:
        Headline.from_figures(figures, sentences).write(path)
