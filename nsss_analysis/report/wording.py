"""Numbers in words: percentages, intervals, counts with their noun, amounts in
crore, lists joined with "and". Every sentence of the reports formats its figures
through these."""

from __future__ import annotations

from collections.abc import Sequence

from nsss_analysis.diagnostics.units import is_missing


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "programme")`` → ``"1 programme"``; ``plural(3, ...)`` → ``"3 programmes"``."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,} {word}"


def percent(share: object, digits: int = 0) -> str:
    """A share 0-1 as a percentage (``0.583`` → ``58%``); ``n/a`` when missing."""
    if is_missing(share):
        return "n/a"
    return f"{float(share) * 100:.{digits}f}%"


def interval(low: object, high: object, as_percent: bool = True, digits: int = 0) -> str:
    """``(95% interval 32%-81%)``, or the empty string when there is no interval."""
    if is_missing(low) or is_missing(high):
        return ""
    if as_percent:
        return f" (95% interval {percent(low, digits)}–{percent(high, digits)})"
    return f" (95% interval {float(low):.{digits}f}–{float(high):.{digits}f})"


def share_with_interval(share: object, low: object, high: object) -> str:
    """``58%, 95% interval 32%–81%`` (or ``58%`` when there is no interval)."""
    text = percent(share)
    if not (is_missing(low) or is_missing(high)):
        text += f", 95% interval {percent(low)}–{percent(high)}"
    return text


def crore(value: object) -> str:
    """BDT crore with thousands separators (``1258.5`` → ``Tk 1,258.5 crore``)."""
    if is_missing(value):
        return "an unknown amount"
    v = float(value)
    return f"Tk {v:,.0f} crore" if v >= 100 else f"Tk {v:,.1f} crore"


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"`` (``conjunction="or"`` after a negation)."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def sentence(text: str) -> str:
    """Capitalise the first letter (messages from other modules start in lower case)."""
    return text[:1].upper() + text[1:] if text else text


