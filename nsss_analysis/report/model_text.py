"""The national overview's models in words: the model's reading (or why there is
none), rebuilt from its :class:`~nsss_analysis.diagnostics.models.Words` in a
language other than English.
"""

from __future__ import annotations

from nsss_analysis.reference.i18n import _
from nsss_analysis.report import claims
from nsss_analysis.report.phrases import digits_text
from nsss_analysis.report.wording import sentence

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


def _figure(value: object) -> str:
    """A number of a model's words in the page's digits, a claim of the page's ledger
    (a count, or a number with its decimals as the reading writes it); other text as is."""
    text = digits_text(value)
    try:
        number = float(str(value))
    except ValueError:
        return text
    unit = "count" if number.is_integer() and "." not in str(value) else "number"
    return str(claims.figure(int(number) if unit == "count" else number, unit, text, where="model_text"))


def model_reading(result) -> str:
    """The model's plain-language reading, or why there is no model, written in the
    page's language from the model's words (message ids and values) through the catalogue."""
    if result is None:
        return _("No model.")
    words = getattr(result, "words", ())
    if words:
        return " ".join(model_words(w) for w in words)
    return sentence(result.reading or result.message)
