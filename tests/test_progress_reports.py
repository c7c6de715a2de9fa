"""Progress on the action plans in the reports, from the bundled SYNTHETIC returned plans
(``data/raw/action-plans/``): the cards' last status, target date and overdue, the
"done but the form says no" flag, the next plan pre-filled, the cluster meeting's table
and the tracker of returned plans."""

from __future__ import annotations

import re

import openpyxl
import pytest
from bs4 import BeautifulSoup

from nsss_analysis import config
from nsss_analysis.diagnostics.progress import as_of, latest_progress, return_tracker, status_counts
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.intake.action_plans import find_returned_plans
from nsss_analysis.io import load_tables
from nsss_analysis.reference.i18n import forget_language, set_language, translator
from nsss_analysis.reference.plan_form import PLAN_COLUMNS, STATUSES
from nsss_analysis.report import cards, cluster_page, progress
from nsss_analysis.report.downloads import downloads_plan, write_downloads


@pytest.fixture(scope="module")
def tables(bundled_mis):
    """The session's tables of the bundled data with the returned plans (read only)."""
    return load_tables(bundled_mis)


def test_the_bundled_returns_are_marked_synthetic_and_read(tables):
    files = find_returned_plans(config.RAW_DIR)
    assert len(files) >= 3 and all("SYNTHETIC" in f.name for f in files)
    assert (config.RAW_DIR / "action-plans" / "SYNTHETIC").exists()
    latest = latest_progress(tables.action_progress)
    assert {"MoSW", "MoWCA", "MoDMR"} <= set(latest["ministry_code"])
    assert set(latest["status"]) >= {"done", "in_progress", "not_reported"}


def test_cards_show_each_actions_last_status_target_date_overdue_and_flag_a_contradicted_done(tables):
    plan = downloads_plan(tables, ["MoSW"])
    latest = latest_progress(tables.action_progress).set_index("action_id")
    own = count_once(tables).current.assessments
    page = cards.programme_cards_html(tables, own[own["ministry_code"] == "MoSW"], plan)
    text = BeautifulSoup(page, "html.parser").get_text(" ")
    assert "Last reported status" in text and "Overdue" in text
    done = plan[plan["last_status"] == "done"]
    assert len(done) and done["done_but_gap"].all()  # this round's form still shows every plan row as a gap
    for action_id in done["action_id"]:
        assert f"{action_id}: reported done in the returned plan, but this round's form still says" in text
    late = plan[plan["overdue"]]
    assert len(late)  # a target date before the latest return, neither done nor dropped
    for r in late.to_dict("records"):
        assert r["last_target_date"] < as_of(tables.action_progress)
        assert r["last_status"] not in ("done", "dropped")
    for r in plan[plan["last_status"] != ""].to_dict("records"):
        assert latest.loc[r["action_id"], "status"] == r["last_status"]
    # a ministry that returned nothing shows no progress columns
    other = downloads_plan(tables, ["LGD"])
    assert not progress.has_progress(other)
    lgd = own[own["ministry_code"] == "LGD"]
    assert "Last reported status" not in cards.programme_cards_html(tables, lgd, other)


def test_the_next_plan_is_prefilled_from_the_last_return(tables, tmp_path):
    _data, path = write_downloads(tables, "MoDMR", tmp_path, "modmr", "MoDMR")
    ws = openpyxl.load_workbook(path).worksheets[0]
    col = {k: i for i, k in enumerate(PLAN_COLUMNS)}
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    latest = latest_progress(tables.action_progress)
    reported = latest[(latest["ministry_code"] == "MoDMR") & (latest["status"] != "not_reported")]
    assert len(reported) >= 2
    for r in reported.to_dict("records"):
        row = rows[r["action_id"]]
        assert row[col["status"]] == STATUSES[r["status"]]  # the later return's status
        if r["target_date"]:
            assert row[col["target_date"]].date().isoformat() == r["target_date"]
        assert (row[col["responsible_office"]] or "") == r["responsible_office"]
    unreported = latest[(latest["ministry_code"] == "MoDMR") & (latest["status"] == "not_reported")]
    assert all(rows[i][col["status"]] is None for i in unreported["action_id"] if i in rows)


def test_the_later_return_wins_in_the_bundled_data(tables):
    modmr = tables.action_progress[tables.action_progress["ministry_code"] == "MoDMR"]
    twice = modmr[modmr["source_row"].notna()].groupby("action_id").filter(lambda g: len(g) == 2)
    assert len(twice)
    for _id, group in twice.groupby("action_id"):
        winner = group[group["latest"]]
        assert winner["source_file"].str.contains("second_return").all()


def test_cluster_progress_table_counts_the_last_statuses(tables):
    a, _s = cluster_page.cluster_rows(tables, "Social Allowance")
    codes = sorted(set(a["ministry_code"]))
    html = progress.cluster_progress_html(tables, codes)
    soup = BeautifulSoup(html, "html.parser")
    header = [th.get_text() for th in soup.find_all("th")]
    assert header[0] == "Ministry / Division" and header[-1] == "Total"
    counts = status_counts(tables.action_progress, None).set_index("ministry_code")
    body = {r.find_all("td")[0].get_text(): [td.get_text() for td in r.find_all("td")[1:]]
            for r in soup.find("tbody").find_all("tr")}
    assert "Ministry of Social Welfare" in body
    assert body["Ministry of Social Welfare"][-1] == f"{counts.loc['MoSW', 'total']:,}"
    assert "%" not in html  # counts only


def test_the_return_tracker_names_who_returned_and_when(tables):
    codes = sorted(set(tables.assessments["ministry_code"]))
    tracker = return_tracker(tables.action_progress, codes).set_index("ministry_code")
    assert tracker.loc["MoDMR", "returns"] == 2 and tracker.loc["MoDMR", "received_date"] == "2026-04-20"
    assert tracker.loc["MoSW", "returned"] and not tracker.loc["LGD", "returned"]
    html = progress.return_tracker_html(tables)
    assert "3 of" in html and "MoSW_action_plan_returned_SYNTHETIC.xlsx" in html


def test_the_tracker_and_cards_in_bangla(tables):
    set_language("bn")
    try:
        html = progress.return_tracker_html(tables)
        bn = translator("bn")
        assert bn("Plan returned") in html and bn("not yet") in html
        plan = downloads_plan(tables, ["MoWCA"])
        own = count_once(tables).current.assessments
        page = cards.programme_cards_html(tables, own[own["ministry_code"] == "MoWCA"], plan)
        assert bn("Last reported status") in page and bn("Done") in page
        # dates as Bangla writes them (DD-MM-YYYY), in the tracker and on the cards
        assert "২০-০৪-২০২৬" in html and "২০২৬-০৪-২০" not in html
        assert not re.search(r"[০-৯]{4}-[০-৯]{2}-[০-৯]{2}", page), re.findall(r"[০-৯]{4}-[০-৯]{2}-[০-৯]{2}", page)
        assert re.search(r"[০-৯]{2}-[০-৯]{2}-[০-৯]{4}", page)
    finally:
        forget_language()
