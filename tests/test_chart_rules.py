"""Charts follow the text's rules: a percentage bar is recorded in the page's claims
ledger as drawn, the rules refuse one for fewer than 5 programmes (no 100% bar for a unit
of one or two), and the unit charts draw none for such a unit but write its counts; on
the bundled data every figure of a ministry's and the national pages passes. The small
tables made here are synthetic."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from nsss_analysis.io import load_tables
from nsss_analysis.report import claims, rules
from nsss_analysis.report.figures import gallery, national
from nsss_analysis.report.figures.style import set_theme

LEVELS = ("gender-blind", "gender-sensitive", "gender-specific", "gender-transformative", "insufficient data")


def _levels() -> pd.DataFrame:
    rows = []
    for unit, counts in (("Ministry of Social Welfare", (3, 2, 1, 0, 0)), ("Finance Division", (0, 0, 2, 0, 0))):
        for level, k in zip(LEVELS, counts, strict=True):
            rows.append({"scope": "ministry", "unit": unit, "level": level, "count": k, "n": sum(counts)})
    return pd.DataFrame(rows)


def _bars(ledger: claims.Ledger, where: str) -> list[claims.Claim]:
    return [c for c in ledger.claims if c.where == where and c.unit == "percent" and not c.text]


def test_a_bar_for_fewer_than_5_programmes_breaks_the_rule():
    bar = claims.Claim(text="", value=1.0, unit="percent", n=2, denominator=2, where="figure.levels_by_unit")
    assert [v.rule for v in rules.small_denominators([bar])] == ["small_denominators"]
    fine = claims.Claim(text="", value=0.5, unit="percent", n=6, denominator=6, where="figure.levels_by_unit")
    assert not rules.small_denominators([fine])


def test_unit_charts_draw_no_bar_under_5_programmes_and_write_the_counts():
    set_theme()
    with claims.page("levels") as ledger:
        fig = national.levels_by_unit(_levels(), "ministry")
    bars = _bars(ledger, "figure.levels_by_unit")
    assert bars and {c.n for c in bars} == {6}  # the ministry of 6 only; Finance Division's 2 are not drawn
    assert not rules.small_denominators(ledger.claims)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("2 gender-specific" in t for t in texts)  # its counts, in words
    readiness = pd.DataFrame({"scope": ["ministry", "ministry"], "unit": ["A ministry", "A division"],
                              "share": [0.5, 1.0], "ci_low": [0.2, 0.34], "ci_high": [0.8, 1.0],
                              "n": [6, 2], "n_ready": [3, 2]})
    with claims.page("readiness") as ledger:
        fig = national.share_by_unit(readiness, title="T", xlabel="X")
    assert {c.n for c in _bars(ledger, "figure.share_by_unit")} == {6}
    assert not rules.small_denominators(ledger.claims)
    assert "2 of 2" in [t.get_text() for t in fig.axes[0].texts]
    widths = sorted(round(p.get_width(), 3) for p in fig.axes[0].patches if p.get_height() == pytest.approx(0.7))
    assert widths == [0.0, 0.5]  # no 100% bar for the unit of two


@pytest.mark.slow  # draws every figure of two ministries' pages
@pytest.mark.parametrize("code", ["MoSW", "FD"])
def test_every_figure_of_the_bundled_pages_keeps_the_chart_rules(bundled, code):
    tables = load_tables(bundled)
    set_theme(synthetic=True)
    for name, build in gallery.report_figures(tables, code):
        with claims.page(name) as ledger:
            build()
        assert not rules.small_denominators(ledger.claims), name
        assert not rules.intervals(ledger.claims), name
