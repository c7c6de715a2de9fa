"""Cluster reports are planned with the ministries: one per NSSS cluster with assessed
programmes, ``reports/<fy>/cluster-<slug>.html`` with the cluster's name in its title;
their downloads hold the cluster's programmes across ministries; the index lists them."""

from __future__ import annotations

import json

import openpyxl
import pytest

from nsss_analysis import config
from nsss_analysis.io import load_tables
from nsss_analysis.reference.vocab import CLUSTERS
from nsss_analysis.runner.index import write_index
from nsss_analysis.runner.outputs import TRACKER_FILE, write_beside_reports
from nsss_analysis.runner.plan import plan_reports
from tests.support.processed import report_args


@pytest.fixture(scope="module")
def bundled(bundled):
    """The run's bundled tables (tests/conftest.py), with their folder."""
    return bundled, load_tables(bundled)


@pytest.mark.slow  # plans every report of the bundled data
def test_every_run_of_all_reports_plans_the_five_clusters(bundled, tmp_path):
    processed, tables = bundled
    plan = plan_reports(report_args(processed, tmp_path, config.NOTEBOOKS_DIR), tables)
    clusters = [p for p in plan if p.kind == "cluster"]
    assert [p.name for p in clusters] == [c for c in CLUSTERS if (tables.assessments["cluster"] == c).any()]
    assert len(clusters) == 5
    for p in clusters:
        assert p.key.split("/", 1)[1].startswith("cluster-")
        assert p.name in p.title
        assert p.parameters["cluster"] == p.name and p.parameters["slug"] == p.key.split("/", 1)[1]
    # a run for named ministries only renders those
    only = plan_reports(report_args(processed, tmp_path, config.NOTEBOOKS_DIR, ministry=["FD"]), tables)
    assert [p.kind for p in only] == ["ministry"]


@pytest.mark.slow  # writes a cluster's downloads from the whole bundled data
def test_cluster_downloads_hold_its_programmes_across_ministries_and_the_index_lists_it(bundled, tmp_path):
    processed, tables = bundled
    plan = plan_reports(report_args(processed, tmp_path, config.NOTEBOOKS_DIR), tables)
    cluster = next(p for p in plan if p.name == "Social Allowance")
    written = write_beside_reports([cluster], {cluster.key}, tables, tmp_path)
    own = tables.assessments[tables.assessments["cluster"] == "Social Allowance"]
    data = next(p for p in written if p.name.endswith("-data.xlsx"))
    ws = openpyxl.load_workbook(data)["Assessments"]
    assert ws.max_row - 1 >= len(own)  # every row of the ministries with a programme in the cluster
    actions = openpyxl.load_workbook(next(p for p in written if p.name.endswith("-action-plan.xlsx")))["Action plan"]
    programmes = {r[1] for r in actions.iter_rows(min_row=2, values_only=True)}
    assert programmes <= set(own["programme"]) and programmes
    tracker = json.loads((tmp_path / TRACKER_FILE).read_text(encoding="utf-8"))
    assert tracker["rows"] and tracker["sentences"]

    html = tmp_path / f"{cluster.key}.html"
    html.write_text("<html><body>cluster</body></html>", encoding="utf-8")
    manifest = {"reports": {cluster.key: {"kind": "cluster", "ministry": cluster.name, "html": f"{cluster.key}.html",
                                          "title": cluster.title, "status": "ok"}}}
    index = write_index(tmp_path, manifest).read_text(encoding="utf-8")
    assert "Cluster reports" in index and "Social Allowance" in index
    assert "Submissions" in index and "Ministry of Disaster Management and Relief" in index


def test_index_says_the_small_n_caveat_once_not_once_per_row(tmp_path):
    caveat = "With fewer than 5 programmes, read shares as indications, not estimates."
    reports = {}
    for code in ("FD", "PMO"):
        key = f"2024-25/{code.lower()}"
        (tmp_path / "2024-25").mkdir(exist_ok=True)
        (tmp_path / f"{key}.html").write_text("<html></html>", encoding="utf-8")
        reports[key] = {"kind": "ministry", "ministry": code, "ministry_code": code, "html": f"{key}.html",
                        "title": code, "status": "ok", "sentences": [f"{code} has 1 assessed programme. {caveat}"]}
    index = write_index(tmp_path, {"reports": reports}).read_text(encoding="utf-8")
    assert index.count("read shares as") == 1
    assert "FD has 1 assessed programme." in index and "PMO has 1 assessed programme." in index
