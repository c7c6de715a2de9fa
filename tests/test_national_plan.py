"""The national draft action plan: every action of every ministry once, grouped by the
guideline's themes and by cluster; its workbook's rows equal the page's; the workbook
opens with validations and protection; the runner plans it and the index links it."""

from __future__ import annotations

import re

import openpyxl
import pytest
from bs4 import BeautifulSoup

from nsss_analysis import config
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.io import load_tables
from nsss_analysis.reference.i18n import english_runs, forget_language, set_language, translator
from nsss_analysis.reference.vocab import ITEMS
from nsss_analysis.report import national_plan as np_
from nsss_analysis.report.action_plan import distinct_rows
from nsss_analysis.runner.index import write_index
from nsss_analysis.runner.outputs import RETURNS_FILE, write_beside_reports
from nsss_analysis.runner.plan import ACTION_PLAN_SLUG, ReportKind, plan_reports
from tests.support.processed import report_args


@pytest.fixture(scope="module")
def with_plans(bundled_mis):
    """The session's tables of the bundled data with the returned plans (read only)."""
    return bundled_mis, load_tables(bundled_mis)


@pytest.fixture(scope="module")
def plan(with_plans):
    return np_.national_plan(with_plans[1])


def _page_ids(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [tr.find("td").get_text() for table in soup.select("table.nsss-plan-actions")
            for tr in table.find("tbody").find_all("tr")]


def test_every_action_of_every_ministry_appears_once(with_plans, plan):
    _processed, tables = with_plans
    current = distinct_rows(count_once(tables).current.assessments)
    gaps = sum(int(current[item].fillna("unknown").isin(["no", "partly", "unknown"]).sum()) for item in ITEMS)
    assert len(plan) == gaps and plan["action_id"].is_unique
    assert set(plan["action_id"]) <= set(tables.recommendations["action_id"])
    assert set(plan["ministry_code"]) == set(current["ministry_code"])
    # grouped by theme, then cluster
    order = list(np_.THEMES)
    themes = [order.index(t) for t in plan["theme"]]
    assert themes == sorted(themes)
    assert set(plan["theme"]) == set(np_.THEMES)
    html = np_.themes_html(plan)
    assert sorted(_page_ids(html)) == sorted(plan["action_id"])  # once each on the page


def test_the_workbook_rows_equal_the_page_rows_with_validations_and_protection(plan, tmp_path):
    target = tmp_path / "nsss-gender-action-plan.xlsx"
    np_.write_national_plan(plan, target, translator("en"))
    wb = openpyxl.load_workbook(target)
    ws = wb["National action plan"]
    book = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert book == _page_ids(np_.themes_html(plan)) == plan["action_id"].tolist()
    header = [c.value for c in ws[1]]
    assert header == list(np_.PLAN_HEADERS.values())
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "Dropped" in lists[0].formula1
    assert ws.protection.sheet and not ws.protection.password
    keys = list(np_.PLAN_HEADERS)
    assert ws.cell(row=2, column=keys.index("action_id") + 1).protection.locked
    assert ws.cell(row=2, column=keys.index("action") + 1).protection.locked
    assert not ws.cell(row=2, column=keys.index("status") + 1).protection.locked
    summary = [r[0] for r in wb["Summary"].iter_rows(values_only=True)]
    assert "Actions by NSSS cluster and theme (counts)" in summary
    assert "Actions by life-cycle stage (counts; an action counts under each stage its programme names)" in summary


def test_the_summary_counts_add_up(plan):
    cl = np_.by_cluster(plan)
    assert cl["total"].sum() == len(plan)
    assert (cl[list(np_.THEMES)].sum(axis=1) == cl["total"]).all()
    mi = np_.by_ministry(plan)
    assert mi["actions"].sum() == len(plan)
    assert mi["possible"].sum() == int((plan["possible"] == "yes").sum())
    status = np_.by_status(plan)
    assert sum(status.values()) == len(plan) and status.get("done", 0) >= 1  # the bundled returns
    html = np_.summary_html(plan)
    assert "%" not in BeautifulSoup(html, "html.parser").get_text()  # counts only


def test_names_go_through_the_resolver_and_the_page_reads_in_bangla(plan):
    set_language("bn")
    try:
        html = np_.lead_html(plan, ACTION_PLAN_SLUG) + np_.summary_html(plan) + np_.themes_html(plan)
    finally:
        forget_language()
    bn = translator("bn")
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert bn("Empowerment of women and girls") in text and "সমাজকল্যাণ মন্ত্রণালয়" in text
    assert "Ministry of Social Welfare" not in text
    words = np_.plan_in_words(plan, bn)
    assert not any(english_runs(t, min_words=2) for t in words["theme"]) and set(words["action_id"]) == set(
        plan["action_id"])


def test_the_runner_plans_it_in_both_languages_writes_its_workbook_and_the_index_links_it(with_plans, tmp_path):
    processed, tables = with_plans
    request = report_args(processed, tmp_path, config.NOTEBOOKS_DIR, languages=("all",))
    plan = plan_reports(request, tables)
    ours = [p for p in plan if p.kind == ReportKind.ACTION_PLAN]
    assert sorted(p.language for p in ours) == ["bn", "en"]
    english = next(p for p in ours if p.language == "en")
    assert english.key.endswith(f"/{ACTION_PLAN_SLUG}") and english.notebook.name == "national_action_plan.ipynb"
    assert english.parameters["slug"] == ACTION_PLAN_SLUG
    written = write_beside_reports(ours, {p.key for p in ours}, tables, tmp_path)
    assert (tmp_path / f"{english.key}.xlsx") in written and (tmp_path / RETURNS_FILE).exists()
    bangla = next(p for p in ours if p.language == "bn")
    ws = openpyxl.load_workbook(tmp_path / f"{bangla.key}.xlsx").worksheets[0]
    assert ws.title == translator("bn")("National action plan")

    for p in ours:
        (tmp_path / f"{p.key}.html").write_text("<html></html>", encoding="utf-8")
    manifest = {"reports": {p.key: {"kind": str(p.kind), "ministry": p.name, "html": f"{p.key}.html",
                                    "title": p.title, "status": "ok", "language": p.language} for p in ours}}
    index = write_index(tmp_path, manifest).read_text(encoding="utf-8")
    assert f'href="{english.key}.html"' in index and f'href="{english.key}.xlsx"' in index
    assert "Returned action plans" in index and "Ministry of Social Welfare" in index
    bn_index = (tmp_path / "index.bn.html").read_text(encoding="utf-8")
    assert translator("bn")("Returned action plans") in bn_index


@pytest.mark.slow
def test_its_notebook_renders_the_page(site):
    """The session's site: the runner executed the action plan's notebook in both languages."""
    for language in ("en", "bn"):
        entry = site.report(ReportKind.ACTION_PLAN.value, language)
        text = (site.out / entry["html"]).read_text(encoding="utf-8")
        assert re.search(r"nsss-gender-action-plan\.xlsx", text)
        assert (site.out / entry["html"]).with_suffix(".claims.json").exists()
    english = (site.out / site.report(ReportKind.ACTION_PLAN.value)["html"]).read_text(encoding="utf-8")
    assert "Who leads what, and where the gaps concentrate" in english
