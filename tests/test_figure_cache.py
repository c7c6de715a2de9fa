"""Figures drawn once per build (report/figures/cache.py): the same inputs in the same
language are drawn once and reused, in the process and through the build's folder;
changed data or another language draw anew; a reuse records the figure's claims in the
new page's ledger as the first drawing did. Data made here are synthetic."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from nsss_analysis.reference.i18n import forget_language, set_language
from nsss_analysis.report import claims
from nsss_analysis.report.figures import cache, national
from nsss_analysis.report.figures.style import set_theme


def _shares(extra: int = 0) -> pd.DataFrame:
    """Synthetic level counts of two ministries and the nation."""
    rows = []
    for unit, counts in (("Ministry of Social Welfare", (3, 2, 1 + extra, 0, 0)),
                         ("Finance Division", (1, 1, 0, 0, 0))):
        n = sum(counts)
        for level, k in zip(("gender-blind", "gender-sensitive", "gender-specific", "gender-transformative",
                             "insufficient data"), counts, strict=True):
            rows.append({"scope": "ministry", "unit": unit, "level": level, "count": k, "n": n})
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    cache.clear()
    set_theme(synthetic=True)
    yield
    cache.clear()
    forget_language()
    set_theme()


def _counting(calls: list):
    def build(*args, **kwargs):
        calls.append(1)
        return national.share_by_unit(*args, **kwargs)
    build.__qualname__ = "share_by_unit_counted"
    return build


def _budget() -> pd.DataFrame:
    return pd.DataFrame({"scope": ["national", "ministry", "ministry"],
                         "unit": ["Bangladesh", "Ministry of Social Welfare", "Finance Division"],
                         "share": [0.4, 0.5, 0.3], "n_programmes_with_budget": [12, 7, 5]})


def test_the_same_inputs_are_drawn_once_and_their_claims_recorded_on_every_page():
    calls: list = []
    build = _counting(calls)
    words = {"title": "Share of the social-security budget in gender-specific or transformative programmes",
             "xlabel": "Share of the budget on record (latest fiscal year with data)"}
    with claims.page("first") as first:
        html = cache.figure_html(build, _budget(), reading="A reading.", **words)
    with claims.page("second") as second:
        again = cache.figure_html(build, _budget(), reading="A reading.", **words)
    assert len(calls) == 1 and again == html and cache.stats() == {"hits": 1, "misses": 1}
    assert first.claims and [c.as_dict() for c in second.claims] == [c.as_dict() for c in first.claims]
    # changed data, another reading or another language: drawn again
    changed = _budget().assign(share=[0.4, 0.6, 0.3])
    cache.figure_html(build, changed, reading="A reading.", **words)
    cache.figure_html(build, _budget(), reading="Another reading.", **words)
    set_language("bn")
    set_theme(synthetic=True, language="bn")
    cache.figure_html(build, _budget(), reading="A reading.", **words)
    assert len(calls) == 4


def test_the_builds_folder_shares_figures_between_processes(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "figures"))
    calls: list = []
    build = _counting(calls)
    html = cache.figure_html(build, _budget(), title="T", xlabel="X")
    assert len(list((tmp_path / "figures").glob("*.json"))) == 1
    cache.clear()  # another kernel: nothing in its memory
    assert cache.figure_html(build, _budget(), title="T", xlabel="X") == html and len(calls) == 1
    (next((tmp_path / "figures").glob("*.json"))).write_text("{not json", encoding="utf-8")
    cache.clear()
    assert cache.figure_html(build, _budget(), title="T", xlabel="X") == html and len(calls) == 2  # a bad file: drawn


def test_the_key_follows_the_content_not_the_object():
    a, b = _shares(), _shares()
    key = cache.figure_key(national.levels_by_unit, (a, "ministry"), {}, None)
    assert key == cache.figure_key(national.levels_by_unit, (b, "ministry"), {}, None)
    assert key != cache.figure_key(national.levels_by_unit, (_shares(extra=1), "ministry"), {}, None)
    assert key != cache.figure_key(national.levels_by_unit, (a, "cluster"), {}, None)
    assert key != cache.figure_key(national.mean_score_by_unit, (a, "ministry"), {}, None)
