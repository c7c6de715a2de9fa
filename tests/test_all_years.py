"""A page filed under ``all-years/`` says what that label means, near its top, in
English and Bangla, and so does the index under that heading: its unit has no budget on record and its forms name no assessment
round. Checked on the function the notebooks call (units with and without a year) and
on pages rendered from a variant of the bundled tables (synthetic, made here) in which
no form names a round and no budget is on record."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nsss_analysis import config
from nsss_analysis.commands import run_score
from nsss_analysis.intake.schemas import ASSESSMENT_ARROW_SCHEMA, BUDGET_ARROW_SCHEMA
from nsss_analysis.io import Tables, current_generation, load_tables
from nsss_analysis.reference.i18n import set_language, translator
from nsss_analysis.report import notices
from nsss_analysis.report.first_screen import WHAT_WE_ASK
from nsss_analysis.runner.index import INDEX_WORDS, index_file
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports
from tests.support.pages import page_text
from tests.support.processed import report_args

#: A one-programme ministry: its pages render quickly.
SMALL = "FD"


def no_years(source: Path, folder: Path) -> Path:
    """The tables of ``source`` with every form's round blanked and no budget on record
    (synthetic: a variant made for this test), scored by the real ``nsss score``."""
    bundled = load_tables(current_generation(source))
    folder.mkdir(parents=True)
    assessments = bundled.assessments.assign(assessment_round=None)
    pq.write_table(pa.Table.from_pandas(assessments, schema=ASSESSMENT_ARROW_SCHEMA, preserve_index=False),
                   folder / "assessments.parquet")
    pq.write_table(pa.Table.from_pandas(bundled.budgets.iloc[0:0], schema=BUDGET_ARROW_SCHEMA, preserve_index=False),
                   folder / "budgets.parquet")
    bundled.quarantine.iloc[0:0].to_csv(folder / "quarantine.csv", index=False)
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_score(folder) == 0
    return folder


@pytest.fixture(scope="module")
def yearless(bundled, tmp_path_factory) -> Path:
    return no_years(bundled, tmp_path_factory.mktemp("all-years") / "processed")


def _note(language: str) -> str:
    return translator(language)(notices.ALL_YEARS_NOTE).format(folder="all-years/")


@pytest.mark.parametrize("language", ["en", "bn"])
def test_the_note_is_given_only_where_no_year_is_known(bundled, yearless, language):
    set_language(language)
    with_years: Tables = load_tables(bundled)
    without: Tables = load_tables(yearless)
    assert notices.all_years_note(with_years, "MoSW") == ""  # budgets on record
    assert notices.all_years_note(with_years) == ""
    for code in (SMALL, None):  # a ministry's page; the national, cluster and plan pages
        assert notices.all_years_note(without, code) == _note(language)
        assert notices.all_years_note(without, code, "2023-24") == ""  # a year asked for: filed under it
    assert "{" not in _note(language) and "all-years/" in _note(language)


@pytest.mark.slow
def test_a_page_filed_under_all_years_explains_the_label_near_its_top(yearless, tmp_path):
    processed = shutil.copytree(yearless, tmp_path / "processed")  # a render locks it
    out = tmp_path / "reports"
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=[SMALL], workers=1,
                                   languages=("all",))) == 0
    entries = read_manifest(out)["reports"]
    assert {e.get("language", "en") for e in entries.values()} == {"en", "bn"}
    for key, entry in entries.items():
        assert key.startswith("all-years/"), key
        text = " ".join(page_text(out / entry["html"]).split())
        note = _note(entry.get("language", "en"))
        assert note in text, key
        # near the top: under the title, before the first screen's ask
        ask = translator(entry.get("language", "en"))(WHAT_WE_ASK)
        assert text.index(note) < text.index(ask), key
    for language in ("en", "bn"):  # the index says it too, under the year's heading
        index = " ".join(page_text(out / index_file(language)).split())
        assert translator(language)(INDEX_WORDS["all_years"]).format(folder="all-years/") in index, language
