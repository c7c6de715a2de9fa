"""The national overview's first screen, built from the bundled data (synthetic): the
verdict across government in counts, the programmes by level as a stacked bar of counts,
and what we ask of the Cabinet Division: the national draft action plan (linked) and the
possible changes in the programmes with the largest budgets, each programme once, with
its ministry and its actions under the plan's own ids; in English and in Bangla."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nsss_analysis.diagnostics import summaries
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE
from nsss_analysis.io import load_tables
from nsss_analysis.reference.i18n import set_language
from nsss_analysis.report import first_screen
from nsss_analysis.report.national_plan import national_plan


@pytest.fixture(scope="module")
def tables(bundled):
    return load_tables(bundled)


@pytest.fixture(scope="module")
def national(tables):
    return summaries.national_summary(tables)


def _page(tables, national, language: str) -> str:
    set_language(language)
    return first_screen.national_first_screen(tables, national).data


def test_the_verdict_counts_the_nations_programmes_in_words(tables, national):
    page = _page(tables, national, "en")
    scores = national["programmes"]
    verdict = re.search(r'<p class="nsss-verdict">(.*?)</p>', page)[1]
    strong = int(scores["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
    ministries = int(national["about"]["n_ministries"].iloc[0])
    assert verdict.startswith(f"Across government ({ministries} ministries and divisions): ")
    assert f"{strong} of {len(scores)} assessed programmes act" in verdict
    assert "%" not in verdict and "interval" not in verdict
    # a stacked bar of counts adding up to the programmes, never a percentage
    levels = re.search(r'<div class="nsss-levels">.*?</ul></div>', page)[0]
    assert 'class="nsss-stack"' in levels and "%" not in levels
    counts = [int(c) for c in re.findall(r'class="nsss-stack-part"[^>]*>(\d+)<', levels)]
    assert sum(counts) == len(scores)


def test_the_asks_take_the_national_plan_forward_largest_budgets_first(tables, national):
    page = _page(tables, national, "en")
    plan = national_plan(tables)
    possible = plan[plan["followup_answer"] == "yes"]
    ask = page[page.index("nsss-ask-heading"):]
    assert f"it lists {len(plan)} gaps in {plan['ministry_code'].nunique()} ministries and divisions, " \
           f"{possible.drop_duplicates(['ministry_code', 'programme', 'item_code']).shape[0]} of them said" in ask
    assert 'href="nsss-gender-action-plan.html"' in ask
    asks = re.findall(r"<li><strong>(.*?)</strong>: (.*?)</li>", ask)
    assert asks and len({p for p, _ in asks}) == len(asks)  # each programme once
    for said, actions in asks:
        ids = re.findall(r"\((Mo[A-Za-z]+-[0-9A-Z]{6}-[A-Z]{4}|[A-Z][A-Za-z]+-[0-9A-Z]{6}-[A-Z]{4})\)", actions)
        assert ids and set(ids) <= set(possible["action_id"]), (said, actions)
        owners = set(possible.loc[possible["action_id"].isin(ids), "ministry_code"])
        assert len(owners) == 1  # one programme of one ministry per line
    budgets = [float(b.replace(",", "")) for b in re.findall(r"\(budget Tk ([\d,.]+) crore\)", ask)]
    assert budgets and budgets == sorted(budgets, reverse=True)


def test_the_bangla_first_screen_is_in_bangla_words_and_digits(tables, national):
    page = _page(tables, national, "bn")
    verdict = re.search(r'<p class="nsss-verdict">(.*?)</p>', page)[1]
    assert verdict.startswith("সরকারজুড়ে") and not re.search(r"[0-9A-Za-z]", verdict)
    assert "আপনাদের প্রতি আমাদের অনুরোধ" in page and "কেন্দ্রীয় ব্যবস্থাপনা কমিটি" in page
    levels = re.search(r'<div class="nsss-levels">.*?</ul></div>', page)[0]
    assert not re.search(r">[^<]*[0-9][^<]*<", levels)  # counts in Bangla digits


def test_with_no_gap_and_no_programme_it_says_so():
    empty_scores = pd.DataFrame(columns=["programme", "level"])
    empty_plan = pd.DataFrame(columns=["ministry_code", "programme", "item_code", "followup_answer"])
    page = first_screen.national_first_screen_html(empty_scores, 0, empty_plan)
    assert "no national diagnosis" in page and "no national action plan to take forward" in page
