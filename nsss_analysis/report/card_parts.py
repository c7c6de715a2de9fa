"""What the programme cards, the first screen, the tracker and the cluster page share:
a programme's name and agencies as the page prints them, a form's cell as text, a
number or a women's share in the page's language (each a claim of the page's
ledger), the small scrolling table and the wrapper that hands HTML to a notebook cell.

Every value from a form goes through :func:`nsss_analysis.report.display.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference import numbers
from nsss_analysis.reference.grammar import Name, join_list
from nsss_analysis.reference.i18n import N_, _, current
from nsss_analysis.reference.names import display_names, shown_name, split_names
from nsss_analysis.reference.numbers import localise_digits, number
from nsss_analysis.reference.vocab import normalise_key
from nsss_analysis.report import claims
from nsss_analysis.report.display import MISSING, escape

#: One line per level, where a level name is first used (the scale is the WHO Gender
#: Responsive Assessment Scale; its name stays in the method note).
LEVEL_GLOSS: dict[str, str] = {
    "insufficient data": N_("too few of the ten questions were answered to judge"),
    "gender-blind": N_("takes no account of differences between women and men"),
    "gender-sensitive": N_("recognises differences between women and men but does not act on them"),
    "gender-specific": N_("acts on the needs of women or girls (or men) to reach its goals"),
    "gender-transformative": N_("sets out to change the norms and relations that keep women unequal"),
}


def agencies_text(value: object) -> str:
    """Supporting agencies (a list, or a cell joined with ";") as the page prints them:
    each in the page's language where the reference data knows it (``reference.names``)."""
    return join_list(display_names("agency", value, current().language), language=current().language) \
        if not current().about.is_source else "; ".join(split_names(value))


def programme_name(code: object, programme: object) -> str:
    """A programme's name in the current language (``reference.names``): on a Bangla
    page its published Bangla name where the catalogue has one, else the form's name;
    the form's name on an English page (its English name when the form wrote Bangla)."""
    return Name(shown_name("programme", programme, current().language))


def values_of(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def text_of(value: object) -> str:
    return "" if is_missing(value) or value is pd.NA else str(value).strip()


def card_digits(value: object, **meta: object) -> str:
    """A number or date in the current language's digits (English: as written); a
    whole number is a claim of the page's ledger."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = localise_digits(str(value), current().language)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(claims.figure(int(value), str(meta.pop("unit", "count")), text, **({"where": "cards"} | meta)))
    return text


def data_word(value: object) -> object:
    """A word from the data (an item label, an answer) in the current language."""
    return _(value) if isinstance(value, str) and value else value


#: Inline alignment: JupyterLab's stylesheet right-aligns every cell, and an inline style wins.
_ALIGN = {"num": "text-align:right;vertical-align:top", "txt": "text-align:left;vertical-align:top"}


def small_table(header: Sequence[str], rows: Iterable[Sequence[object]], numeric_from: int = 1) -> str:
    head = "".join(f'<th style="{_ALIGN["num" if i >= numeric_from else "txt"]}">{escape(h)}</th>'
                   for i, h in enumerate(header))

    def cell(i: int, v: object) -> str:
        kind = "num" if i >= numeric_from else "txt"
        return f'<td class="{kind}" style="{_ALIGN[kind]}">{escape(v) if v not in (None, "") else MISSING}</td>'

    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return (f'<div class="nsss-scroll"><table class="nsss-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def card_number(value: Any, digits: int = 0, unit: str = "number", **meta: object) -> str:
    if is_missing(value):
        return ""
    # one rounding (half away from zero) in every language, so both pages print the same
    # figure; Bangla digits and lakh grouping: ৬,৪১,০০০
    text = number(float(value), current().language, digits)
    return str(claims.figure(float(value), unit, text, **({"where": "cards"} | meta)))


def women_share_cell(women: Any, total: Any) -> str:
    if is_missing(women) or is_missing(total) or float(total) <= 0:
        return ""
    of = {"numerator": women, "denominator": total, "n": total, "where": "cards.women_share"}
    if float(total) < SMALL_N:
        text = _("{women} of {total}").format(women=localise_digits(str(int(women)), current().language),
                                              total=localise_digits(str(int(total)), current().language))
        return str(claims.figure(int(women), "count", text, **of))
    share = float(women) / float(total)
    # the one formatter: one decimal, never rounded to 0% or 100% unless exact ("over 99.9%")
    return str(claims.figure(share, "percent", numbers.percent(share, current().language, 1), **of))


def same_programme(df: pd.DataFrame | None, code: str, programme: str) -> pd.DataFrame:
    if df is None or not len(df):
        return pd.DataFrame()
    key = normalise_key(programme)
    return df[(df["ministry_code"] == code) & (df["programme"].map(normalise_key) == key)]


def notebook_html(markup: str):
    from IPython.display import HTML

    return HTML(markup)
