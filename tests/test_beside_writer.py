"""The downloads written while the pages render (issue #21): the runner's thread writes
each report's action plan and data workbook as its page comes back, and what it writes
is what the one-pass writer writes after the last page: the same files, the same
sheets and rows, the same claims beside the pages (bundled data, synthetic)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from nsss_analysis import config
from nsss_analysis.io import load_tables
from nsss_analysis.runner.claims_file import CLAIMS_SUFFIX
from nsss_analysis.runner.outputs import RETURNS_FILE, TRACKER_FILE, BesideWriter, write_beside_reports
from nsss_analysis.runner.plan import ReportKind, plan_reports
from tests.support.processed import report_args


@pytest.fixture(scope="module")
def planned(bundled, tmp_path_factory):
    tables = load_tables(bundled)
    plan = plan_reports(report_args(bundled, tmp_path_factory.mktemp("plan"), config.NOTEBOOKS_DIR, all=True),
                        tables)
    mosw = next(p for p in plan if p.kind == ReportKind.MINISTRY and p.code == "MoSW")
    cluster = next(p for p in plan if p.kind == ReportKind.CLUSTER)
    national = next(p for p in plan if p.kind == ReportKind.NATIONAL)
    return tables, [mosw, cluster, national]


def _cells(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _claims(out):
    return {p.relative_to(out).as_posix(): sorted(c["where"] or "" for c in json.loads(p.read_text())["claims"])
            for p in out.rglob(f"*{CLAIMS_SUFFIX}")}


def test_the_thread_writes_what_the_one_pass_writer_writes(planned, tmp_path):
    tables, plan = planned
    mosw, cluster, national = plan
    rendered = {mosw.key, cluster.key, national.key}
    one_pass = write_beside_reports(plan, rendered, tables, tmp_path / "once")

    writer = BesideWriter(tables, tmp_path / "thread")
    for report in plan:  # as record() hands each rendered page over
        writer.add(report)
    written = writer.finish(plan, rendered)

    def names(files, root):
        return sorted(p.relative_to(root).as_posix() for p in files)

    assert names(written, tmp_path / "thread") == names(one_pass, tmp_path / "once")
    assert any(n.endswith("-data.xlsx") for n in names(written, tmp_path / "thread"))
    for path in one_pass:
        twin = tmp_path / "thread" / path.relative_to(tmp_path / "once")
        if path.suffix == ".xlsx":
            assert _cells(twin) == _cells(path), path.name
    for name in (TRACKER_FILE, RETURNS_FILE):
        assert (tmp_path / "thread" / name).read_text() == (tmp_path / "once" / name).read_text()
    assert _claims(tmp_path / "thread") == _claims(tmp_path / "once")
    assert writer.done == {mosw.key, cluster.key, national.key}


def test_a_page_that_failed_gets_only_the_downloads_it_lacks(planned, tmp_path):
    tables, plan = planned
    mosw = plan[0]
    writer = BesideWriter(tables, tmp_path)
    written = writer.finish([mosw], rendered=set())  # never added: its page failed
    assert any(p.name.endswith("-data.xlsx") for p in written)  # it had none: written at the end
    again = BesideWriter(tables, tmp_path)
    assert [p.name for p in again.finish([mosw], rendered=set())] == [TRACKER_FILE, RETURNS_FILE]


def test_an_error_in_the_thread_is_raised_by_finish(planned, tmp_path):
    tables, plan = planned
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    writer = BesideWriter(tables, blocked)  # nothing can be written under a file
    writer.add(plan[0])
    with pytest.raises(OSError):
        writer.finish(plan[:1], {plan[0].key})
