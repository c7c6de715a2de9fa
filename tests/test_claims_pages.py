"""Every rule of the claims ledger on the pages of the bundled data, in English and
Bangla: the national overview, the largest ministry, a ministry with fewer than 5
programmes and a cluster of 3. The pages are the templates' own cells executed in
this process; one ministry goes through the runner and its kernels, which writes the
ledger beside the page."""

from __future__ import annotations

import pytest

from nsss_analysis.cli import main
from nsss_analysis.report import claims, rules
from nsss_analysis.runner.request import ReportRequest
from nsss_analysis.runner.run import run_reports
from tests.claims_pages import bundled_processed, run_page_in_process, split_pending, violations_of

pytestmark = pytest.mark.slow

PAGES = [("national", None), ("ministry", "MoSW"), ("ministry", "LGD"), ("cluster", "Social Insurance")]


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    return bundled_processed(tmp_path_factory.mktemp("claims_bundled") / "processed")


@pytest.fixture(scope="module")
def rendered(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("claims_pages")
    return {(kind, name, language): run_page_in_process(processed, out, kind, language, name)
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


def test_the_runner_writes_the_checked_ledger_beside_each_page(processed, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(rules.STRICT_ENV, raising=False)
    out = tmp_path / "reports"
    request = ReportRequest(ministries=("LGD",), processed=processed, out=out, workers=1, force=True,
                            progress=False, lock_wait=0.5, timeout=600, languages=("en", "bn"))
    assert run_reports(request) == 0
    files = sorted(out.rglob("*.claims.json"))
    pages = {p.name.removesuffix(".claims.json") for p in files}
    assert {p.name.removesuffix(".html") for p in out.rglob("lgd-*.html")} <= pages
    assert not list(out.rglob("*.claims.staged.json"))
    index = claims.load(out / "index.claims.json")  # the index's cells are claims too
    assert any(c.where == "index" and c.programmes for c in index.claims)
    assert rules.check(index.claims) == []
    ledger = claims.load(next(p for p in files if p.name.startswith("lgd-")))
    assert ledger.claims and all(c.rules for c in ledger.claims if c.text)
    figure = next(c.text for c in ledger.claims if c.block == "headline" and c.unit == "count")
    capsys.readouterr()
    assert main(["explain", "lgd", figure, "--reports", str(out)]) == 0
    assert "programme(s): LGD/" in capsys.readouterr().out
