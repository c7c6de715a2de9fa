"""Programme cards and the first screen: every programme of a ministry has a card with
every field of the form; text from forms is escaped; a small ministry gets one sentence
in counts instead of interval charts."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from nsss_analysis.diagnostics import summaries
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.io import load_tables
from nsss_analysis.reference.vocab import ITEMS, load_reference
from nsss_analysis.report import cards, cluster_page, comparison, page_top
from nsss_analysis.report.display import escape
from nsss_analysis.report.downloads import downloads_plan, links_html
from nsss_analysis.report.labels import ITEM_LABELS
from tests.support.processed import HOSTILE, copy_processed, inject_hostile

#: The card's field labels: one for each column of the form that is not an item.
CARD_FIELDS = ("NSSS cluster", "Life-cycle stages", "Target groups", "Start year and duration",
               "Supporting ministries/agencies", "Remarks", "Source")


@pytest.fixture(scope="module")
def tables(bundled, tmp_path_factory):
    processed = copy_processed(bundled, tmp_path_factory.mktemp("cards") / "processed")
    inject_hostile(processed, "MoWCA")
    return load_tables(processed)


def _cards(tables, code):
    counted = count_once(tables).current.assessments  # one card per programme, its latest round
    own = counted[counted["ministry_code"] == code]
    plan = downloads_plan(tables, [code])
    return own, plan, cards.programme_cards_html(tables, own, plan)


@pytest.mark.slow  # every card of every ministry
def test_every_programme_has_a_card_with_every_field_of_the_form(tables):
    for code in sorted(set(tables.assessments["ministry_code"])):
        own, _, page = _cards(tables, code)
        articles = re.findall(r'<article class="nsss-card">(.*?)</article>', page, flags=re.DOTALL)
        assert len(articles) == len(own), code
        for _row, article in zip(own.sort_values("programme").to_dict("records"), sorted(
                articles, key=lambda a: re.search(r"<h3>(.*?)</h3>", a).group(1)), strict=False):
            for field in CARD_FIELDS:
                assert f'<th scope="row" style="text-align:left;vertical-align:top">{field}</th>' in article
            for item in ITEMS:
                assert escape(ITEM_LABELS[item]) + ":" in article
            for heading in ("Budget and beneficiaries", "Beneficiary list (MIS) by sex", "Data quality", "Actions"):
                assert f"<h4>{heading}</h4>" in article
            assert "Level: " in article and "Inclusion score" in article and "potential score" in article
        for row in own.to_dict("records"):
            assert f"<h3>{escape(row['programme'])}</h3>" in page
            if isinstance(row["remarks"], str) and row["remarks"]:
                assert escape(row["remarks"]) in page
            for partner in row["partner_agencies"]:
                assert escape(partner) in page


def test_card_shows_budget_years_mis_coverage_and_quality_notes(tables):
    coverage = pd.DataFrame({
        "programme": ["Old Age Allowance"] * 2, "ministry": ["Ministry of Social Welfare"] * 2,
        "ministry_code": ["MoSW"] * 2, "fiscal_year": ["2023-24"] * 2, "sex": ["female", "male"],
        "age_band": ["65+"] * 2, "district": ["Bagerhat"] * 2, "division": ["Khulna"] * 2,
        "payment_channel": ["bank"] * 2, "beneficiaries": [40, 60], "amount_bdt": [1.0, 1.0],
    })
    _, _, page = _cards(replace(tables, coverage_by_sex=coverage), "MoSW")
    assert "2020-21" in page and "2024-25" in page  # every fiscal year on record
    assert "Counted in the MIS" in page and "40.0%" in page  # the MIS extract, by sex
    _, _, dmrd = _cards(tables, "MoDMR")
    assert "Assessed more than once with different answers" in dmrd  # the EGPP conflict
    _, _, hsd = _cards(tables, "HSD")
    assert "maybe later" in hsd  # the quarantined cell of that row


def test_form_text_is_escaped_in_cards(tables):
    _, _, page = _cards(tables, "MoWCA")
    assert HOSTILE not in page and escape(HOSTILE) in page
    assert "<img" not in page


def test_items_and_follow_ups_read_in_plain_words():
    assert cards.item_in_words("graduation", "no", "yes") == "Graduation planned: not planned; the ministry says it could be"
    assert cards.item_in_words("gender_analysis", "yes") == "Gender analysis: used"
    assert "does not apply" in cards.item_in_words("skills_training", "not_applicable", "not_applicable")
    assert "not known" in cards.item_in_words("social_capital", None, None)


def test_first_screen_has_a_verdict_the_levels_and_the_possible_actions_grouped_by_programme(tables):
    summary = summaries.ministry_summary(tables, "MoDMR")
    plan = downloads_plan(tables, ["MoDMR"])
    page = page_top.first_screen_html("Ministry of Disaster Management and Relief", summary["programmes"],
                                   summary["assessments"], plan, tables.recommendations)
    verdict = re.search(r'<p class="nsss-verdict">(.*?)</p>', page)[1]
    assert "act" in verdict and "%" not in verdict and "(" not in verdict  # plain words, no gloss, no figure
    assert "What we ask of you" in page
    asks = re.findall(r'<li><strong>(.*?)</strong>: (.*?)</li>', page)
    possible = plan[plan["followup_answer"] == "yes"]
    assert asks and len({programme for programme, _ in asks}) == len(asks)  # each programme once
    for programme, actions in asks:
        name = programme.split(" (budget ")[0]
        own = possible[possible["programme"].map(escape) == name]
        ids = re.findall(r"\((Mo[A-Za-z]+-[0-9A-Z]{6}-[A-Z]{4})\)", actions)
        assert ids and set(ids) <= set(own["action_id"])  # the action plan's own ids (cards, workbook)
        if " (budget " in programme:
            assert re.search(r"\(budget Tk [\d,.]+ crore\)$", programme)
    # the programmes with the largest budgets first
    budgets = [float(b.replace(",", "")) for b in re.findall(r"\(budget Tk ([\d,.]+) crore\)", page)]
    assert budgets == sorted(budgets, reverse=True)
    assert f"{len(plan)} in all, {len(possible)} of them said to be possible" in page
    assert "GRAS" not in page and "Wilson" not in page and "quick win" not in page
    # MoDMR has 5 programmes or more: a stacked bar with counts, never percentages
    assert 'class="nsss-stack"' in page and "%" not in re.search(r'<div class="nsss-levels">.*?</ul></div>', page)[0]
    counts = [int(c) for c in re.findall(r'class="nsss-stack-part"[^>]*>(\d+)<', page)]
    assert sum(counts) == len(summary["programmes"])


def test_small_unit_gets_one_row_per_programme_and_the_levels_explained_below(tables):
    small = summaries.ministry_summary(tables, "FD")
    page = page_top.first_screen_html("Finance Division", small["programmes"], small["assessments"],
                                   downloads_plan(tables, ["FD"]), tables.recommendations)
    rows = re.findall(r'<span class="nsss-level-programme">(.*?)</span>', page)
    assert sorted(rows) == sorted(small["programmes"]["programme"].map(escape))
    assert 'class="nsss-stack"' not in page
    below = page_top.in_figures_html(small["programmes"], small["assessments"], ["A sentence."])
    assert "What the levels mean: " in below and ("(takes no account" in below or "(recognises" in below)
    assert "Form on record: Finance Division - pension.xlsx: round " in below


def test_small_ministry_gets_one_sentence_in_counts_and_no_interval_chart(tables):
    small = summaries.ministry_summary(tables, "FD")
    out = comparison.national_comparison(small, tables, "Finance Division")
    assert len(out) == 1 and "<img" not in out[0].data
    assert re.search(r"\d+ of 1 programme of Finance Division is", out[0].data)
    large = summaries.ministry_summary(tables, "MoSW")
    assert len(comparison.national_comparison(large, tables, "Ministry of Social Welfare")) == 2


def test_download_links_are_relative_file_names():
    page = links_html("mowca-x")
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs == ["mowca-x-action-plan.xlsx", "mowca-x-data.xlsx"]


def test_cluster_coverage_counts_programmes_naming_each_intended_stage_and_group(tables):
    a, _ = cluster_page.cluster_rows(tables, "Social Allowance")
    cov = cluster_page.cluster_coverage(a, "Social Allowance")
    assert {"old_age", "disability", "elderly"} <= set(cov["code"])
    old_age = cov.loc[cov["code"] == "old_age", "programmes"].iloc[0]
    assert old_age == sum("old_age" in s for s in a["lifecycle_stages"].map(lambda v: v)) > 0
    from nsss_analysis.reference.clusters import cluster_reach
    assert set(cluster_reach()) == set(load_reference().clusters)
    assert all("project's reading" in r.source for r in cluster_reach().values())


@pytest.mark.slow  # every section of two ministries' pages
def test_a_small_ministry_report_is_the_cards_and_the_plan_a_larger_one_adds_the_analysis(tables):
    from nsss_analysis.diagnostics.summaries import headline_figures, ministry_summary
    from nsss_analysis.report.sections import ministry_details

    def html(items) -> str:
        return "".join(item.data for item in items)

    small = ministry_details(tables, ministry_summary(tables, "MoL"), headline_figures(tables, "MoL"))
    assert len(small) == 1 and "programme cards and the action plan" in html(small)
    large = html(ministry_details(tables, ministry_summary(tables, "MoSW"), headline_figures(tables, "MoSW")))
    for title in ("Programmes, levels and scores", "The ten items, programme by programme", "Recommendations, ranked"):
        assert f"<h2>{title}</h2>" in large
