"""Every rule of the claims ledger on the pages of the bundled data, in English and
Bangla: the national overview, the largest ministry, a ministry with fewer than 5
programmes and a cluster of 3. The pages and the ledgers beside them are the session's
``site``: the runner executed the real notebooks in their kernels and wrote each
page's checked ledger beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nsss_analysis.cli import main
from nsss_analysis.report import claims, rules
from nsss_analysis.runner.plan import ReportKind
from tests.support.claims_pages import split_pending, violations_of
from tests.support.pages import Site

pytestmark = pytest.mark.slow

PAGES = [("national", None), ("ministry", "MoSW"), ("ministry", "LGD"), ("cluster", "Social Insurance")]


def ledger_path(site: Site, kind: str, name: str | None, language: str) -> Path:
    """The ledger the runner wrote beside one page of the site."""
    if kind == "ministry":
        entry = site.report(ReportKind.MINISTRY.value, language, code=name)
    elif kind == "cluster":
        entry = site.report(ReportKind.CLUSTER.value, language, name=name)
    else:
        entry = site.report(ReportKind.NATIONAL.value, language)
    return (site.out / entry["html"]).with_suffix(".claims.json")


@pytest.fixture(scope="module")
def processed(site):
    return site.processed


@pytest.fixture(scope="module")
def rendered(site):
    return {(kind, name, language): claims.load(ledger_path(site, kind, name, language))
            for kind, name in PAGES for language in ("en", "bn")}


@pytest.mark.parametrize("language", ["en", "bn"])
@pytest.mark.parametrize("kind, name", PAGES, ids=lambda v: str(v))
def test_every_rule_holds_on_the_bundled_page(rendered, processed, kind, name, language):
    ledger = rendered[(kind, name, language)]
    assert ledger.claims, "the page printed no figure through the ledger"
    broken, pending = split_pending(violations_of(ledger, processed))
    assert not broken, "\n".join(v.line(ledger.page) for v in broken)
    if pending:
        pytest.xfail("; ".join(pending))


@pytest.mark.parametrize("kind, name", PAGES, ids=lambda v: str(v))
def test_the_bangla_page_prints_the_same_figures_as_the_english_one(rendered, kind, name):
    english, bangla = rendered[(kind, name, "en")], rendered[(kind, name, "bn")]
    assert sorted(c.id for c in english.claims) == sorted(c.id for c in bangla.claims)
    assert any(any(ch in c.text for ch in "০১২৩৪৫৬৭৮৯") for c in bangla.claims)


def test_the_headline_figures_name_the_programmes_behind_them(rendered):
    ledger = rendered[("ministry", "MoSW", "en")]
    headline = [c for c in ledger.claims if c.block == "headline" and c.role == "unit"]
    assert headline and all(c.programmes for c in headline)
    assert all(key.startswith("MoSW/") for c in headline for key in c.programmes)


def test_the_synthetic_notice_is_on_every_bundled_page(rendered):
    for ledger in rendered.values():
        assert rules.synthetic_notice(ledger.claims, synthetic=True) == []
        assert any(c.unit == "synthetic" for c in ledger.claims)


def test_the_runner_writes_the_checked_ledger_beside_each_page(site, capsys):
    out = site.out
    files = sorted(out.rglob("*.claims.json"))
    pages = {p.name.removesuffix(".claims.json") for p in files}
    assert {p.name.removesuffix(".html") for p in out.rglob("lgd-*.html")} <= pages
    assert not list(out.rglob("*.claims.staged.json"))
    index = claims.load(out / "index.claims.json")  # the index's cells are claims too
    assert any(c.where == "index" and c.programmes for c in index.claims)
    assert rules.check(index.claims) == []
    ledger = claims.load(ledger_path(site, "ministry", "LGD", "en"))
    assert ledger.claims and all(c.rules for c in ledger.claims if c.text)
    figure = next(c.text for c in ledger.claims if c.block == "headline" and c.unit == "count")
    capsys.readouterr()
    assert main(["explain", "lgd", figure, "--reports", str(out)]) == 0
    assert "programme(s): LGD/" in capsys.readouterr().out
