"""The national overview's models in words: the model's reading (or why there is
none), written from its :class:`~nsss_analysis.diagnostics.models.Words` (message ids,
cluster names and :class:`~nsss_analysis.diagnostics.models.Figure` numbers) through
the catalogue, in every language the same way.
"""

from __future__ import annotations

from nsss_analysis.diagnostics.models import Figure
from nsss_analysis.reference.i18n import _
from nsss_analysis.reference.numbers import number, signed
from nsss_analysis.report import claims
from nsss_analysis.report.phrases import page_language

#: Values of a model's words that are names of clusters (translated, not localised).
_CLUSTER_KEYS = ("cluster", "reference")


def model_words(words) -> str:
    """One of a model's :class:`~nsss_analysis.diagnostics.models.Words` in the current
    language: its message translated, numbers in the language's digits, clusters named
    in the language, nested words and lists of words written the same way."""
    values = {}
    for key, value in words.values.items():
        if isinstance(value, (list, tuple)):
            values[key] = "; ".join(model_words(v) for v in value)
        elif hasattr(value, "message"):
            values[key] = model_words(value)
        elif key in _CLUSTER_KEYS:
            values[key] = _(str(value))
        else:
            values[key] = _figure(value)
    return _(words.message).format(**values)


#: How each kind of a model's figure is printed: its claim unit and its decimals.
_FIGURE_KINDS: dict[str, tuple[str, int]] = {
    "count": ("count", 0), "ratio": ("number", 2), "points": ("score", 1), "signed": ("score", 1),
    "percent": ("number", 0), "constant": ("number", 0)}


def _figure(value: object) -> str:
    """A value of a model's words: a :class:`Figure` printed by its kind (an odds
    ratio with 2 decimals below 100, whole above; points with 1; an interval end with
    its sign), a claim of the page's ledger; any other value as it is."""
    if not isinstance(value, Figure):
        return str(value)
    unit, decimals = _FIGURE_KINDS[value.kind]
    amount = float(value.value)
    if value.kind == "ratio" and abs(amount) >= 100:
        decimals = 0
    if value.kind == "constant" and not amount.is_integer():
        decimals = len(repr(amount).partition(".")[2])
    language = page_language()
    text = (signed(amount, language, decimals) if value.kind == "signed"
            else number(int(amount) if unit == "count" else amount, language, decimals))
    return str(claims.figure(int(amount) if unit == "count" else amount, unit, text, where="model_text"))


def model_reading(result) -> str:
    """The model's plain-language reading, or why there is no model, written in the
    page's language from the model's words (message ids and values) through the catalogue."""
    if result is None or not result.words:
        return _("No model.")
    return " ".join(model_words(w) for w in result.words)
