"""A unit beside the national picture: the interval charts when the unit has at least
``SMALL_N`` programmes; otherwise one sentence in counts, the nation counted the same
way as the unit (each programme once, in its latest round), and no chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE, SMALL_N
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.io import Tables
from nsss_analysis.reference.grammar import Name
from nsss_analysis.reference.i18n import ngettext
from nsss_analysis.report import figures, readings
from nsss_analysis.report.card_parts import card_digits, card_number, notebook_html
from nsss_analysis.report.display import escape, figure
from nsss_analysis.report.wording import count_share


def _programmes(n: int) -> Name:
    """"n programmes", ready for a Bangla case ending (``{programmes:gen}``)."""
    return Name(ngettext("{n} programme", "{n} programmes", n).format(n=card_number(n)))


def national_in_counts(scores_all: pd.DataFrame, own: pd.DataFrame, unit: str) -> str:
    """The national comparison of a small unit, as one sentence in counts; the national
    figure is counted the same way as the unit's (``scores_all``: each programme once,
    in its latest round) and printed with its own interval."""
    strong = scores_all["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE)
    mine = own["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE)
    k, n_all = int(strong.sum()), len(scores_all)
    low, high = wilson_interval(k, n_all) if n_all else (math.nan, math.nan)
    values = {"mine": card_number(int(mine.sum())), "programmes": _programmes(len(own)), "unit": Name(unit),
              "national": count_share(k, n_all, low, high), "small_n": card_digits(SMALL_N)}
    if is_small(own):
        text = ngettext("{mine} of {programmes} of {unit} is gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round); with fewer "
                        "than {small_n} programmes no share or interval is drawn.",
                        "{mine} of {programmes} of {unit} are gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round); with fewer "
                        "than {small_n} programmes no share or interval is drawn.", len(own))
    else:
        text = ngettext("{mine} of {programmes} of {unit} is gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round).",
                        "{mine} of {programmes} of {unit} are gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round).", len(own))
    return text.format(**values)


def is_small(scores: pd.DataFrame) -> bool:
    """Fewer than ``SMALL_N`` programmes: the report is the cards and the action plan."""
    return len(scores) < SMALL_N


def national_comparison(summary: Mapping[str, pd.DataFrame], tables: Tables, unit: str) -> list:
    """The comparison with the national picture: the interval charts when the unit has
    at least ``SMALL_N`` programmes; otherwise one sentence in counts, and no chart."""
    own = summary["programmes"]
    if is_small(own):
        # the nation counted the same way as the unit: each programme once, in its latest round
        national = count_once(tables).current.scores
        return [notebook_html(f"<p>{escape(national_in_counts(national, own, unit))}</p>")]
    return [
        figure(figures.level_comparison(summary["level_shares"]), readings.level_reading(summary["level_shares"])),
        figure(figures.item_yes_comparison(summary["item_yes_shares"]),
               readings.item_yes_reading(summary["item_yes_shares"])),
    ]
