"""Every figure a page prints is a claim of its ledger (issue #16).

The scan (tests/support/figures.py) reads every number of a rendered page's visible
text and of its drawn figures' words (SVG text: labels, legends, bar labels, category
ticks with their n; a numeric axis's ticks are its scale), in Latin and Bangla digits
(dates, periods, ids, codes, names and the catalogue's own words left out), and asserts
that a claim of the page's ``<slug>.claims.json`` prints it, as the same kind of figure
(a percentage, an amount in crore, a number); and that each claim's text states its own
value. The index is checked against the reports it summarises (each of its own claims
restates one of theirs). Every workbook beside a page holds its figures in cells its
ledger claims, each equal to its claim. It runs on every page of the bundled data in
both languages (the session's ``site``), on every page of one generated dataset in both
languages and of two more in one language each (each rendered once per run:
tests/support/generated.py). The printers that had no claims (the national action plan,
the action-plan progress tables, the submission tracker) and those the scan found
(the counting table, the heatmap's amounts, a figure's confidence levels, the index's
cells) are checked on their own, quickly, below.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from nsss_analysis import config
from nsss_analysis.cli import main
from nsss_analysis.commands import run_progress
from nsss_analysis.diagnostics.tracker import line_ids, whole_rows
from nsss_analysis.io import load_tables
from nsss_analysis.reference.i18n import language, set_language
from nsss_analysis.report import claims, national_plan, progress, submissions
from nsss_analysis.report.submissions import tracker_of
from tests.support.figures import (
    Figure,
    figures,
    form_texts,
    html_text,
    ledger_beside,
    restates,
    svg_text,
    unbacked,
    value_stated,
    visible_text,
)
from tests.support.generated import GeneratedSite, generated_site
from tests.support.processed import copy_processed


def _text(html: str) -> str:
    """An HTML fragment's visible text."""
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", " ", html))


# --- the scan itself ----------------------------------------------------------------------


def test_the_scan_reads_figures_in_both_scripts_and_leaves_out_dates_names_and_codes():
    text = ("22 of 43 programmes (51%); Tk 1,259 crore; ১২,৩৪,৫৬৭ জন; ৫৮%; ১,২৫৯ কোটি টাকা; aged 18-35, 60+; "
            "received 2024-03-05, ০৫-০৩-২০২৪ at 22:01; FY 2023-24 (২০২৩-২৪); file MoSW_FY2023-24.xlsx; "
            "action MoPME-2AWX6E-EMPO; a2i; v0.4.1")
    assert figures(text) == [Figure("number", "22"), Figure("number", "43"), Figure("percent", "51"),
                             Figure("crore", "1259"), Figure("number", "1234567"), Figure("percent", "58"),
                             Figure("crore", "1259")]


def test_a_figure_no_claim_prints_is_found_and_a_claim_that_misstates_its_value_too():
    with claims.page("t") as ledger:
        shown = f"{claims.count(43)} programmes, {claims.percent(0.51)}"
    assert unbacked(shown + "; 7 more", ledger) == [Figure("number", "7")]
    assert unbacked(shown, ledger) == []
    assert unbacked("43%", ledger) == [Figure("percent", "43")]  # the value, in another unit, is not the claim
    wrong = claims.figure(0.51, "percent", "15%")
    assert not value_stated(wrong) and all(value_stated(c) for c in ledger.claims)


def test_the_scan_reads_a_drawn_figures_words_but_not_its_scale():
    import matplotlib.pyplot as plt

    from nsss_analysis.report import display

    fig, ax = plt.subplots()
    ax.barh([0, 1], [0.25, 0.75])
    ax.set_yticks([0, 1], ["Ministry A (n=4)", "Ministry B (n=12)"])
    ax.set_xticks([0, 0.5, 1], ["0%", "50%", "100%"])
    ax.text(0.75, 1, "9 of 12")
    ax.set_xlabel("Share of 31 programmes")
    fig.suptitle("Readiness of 7 units")
    html = display.figure_html(fig, "A reading.")
    assert sorted(int(f.value) for f in figures(html_text(html))) == [4, 7, 9, 12, 12, 31]
    assert svg_text("<svg><g id='f1-xtick_1'><g id='f1-text_1'><text>1.5</text></g></g></svg>") == []


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_the_lifecycle_heatmaps_amounts_are_claims_in_crore(lang):
    """Found by the scan of a generated site: the heatmap's "Tk 51 cr" (Bangla "৫১ কোটি
    টাকা") was a claim of a plain number, so the Bangla page printed an amount in crore
    that no claim printed."""
    import pandas as pd

    from nsss_analysis.report import display
    from nsss_analysis.report.figures import programmes
    from nsss_analysis.report.figures.style import set_theme

    matrix = pd.DataFrame({"cluster": ["Social Allowance", "Social Allowance"],
                           "lifecycle_stage": ["old_age", "working_age"], "n_programmes": [3, 0],
                           "budget_crore": [1716.4, None]})
    set_language(lang)  # the figure's fonts follow the language set, as a report's first cell sets them
    set_theme(language=lang)
    try:
        with claims.page("x", lang) as ledger:
            html = display.figure_html(programmes.lifecycle_heatmap(matrix), "")
    finally:
        set_theme()
    assert unbacked(html_text(html), ledger) == []
    (amount,) = [c for c in ledger.claims if c.where == "figure.lifecycle"]
    assert (amount.unit, amount.value) == ("crore", 1716.4) and value_stated(amount)
    assert Figure("crore", "1716") in figures(html_text(html))


def test_a_figures_confidence_levels_are_claims():
    """Found by the scan of the bundled pages (drawn figures read): the funnel plot's
    "dotted: 99.8% limits" printed a constant no claim held."""
    from nsss_analysis.reference.i18n import N_
    from nsss_analysis.report.figures.style import _ci

    with claims.page("x") as ledger:
        note = _ci(N_("Solid: the programme's overall share; dashed: {confidence} limits; dotted: {outer} limits."))
    assert "99.8%" in note and unbacked(note, ledger) == []


# --- the printers that had no claims --------------------------------------------------------


@pytest.fixture(scope="module")
def tables(bundled, tmp_path_factory):
    """The bundled tables with the bundled returned action plans read (`nsss progress`)."""
    folder = copy_processed(bundled, tmp_path_factory.mktemp("figures") / "processed")
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_progress(config.RAW_DIR, folder) == 0
    return load_tables(folder)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_the_national_action_plan_prints_only_claims(tables, lang):
    plan = national_plan.national_plan(tables)
    with language(lang), claims.page("plan", lang) as ledger:
        html = national_plan.lead_html(plan, "x") + national_plan.summary_html(plan) + national_plan.themes_html(plan)
    assert unbacked(_text(html), ledger) == []
    assert all(value_stated(c) for c in ledger.claims)
    lead = [c for c in ledger.claims if c.where == "national_plan.lead"]
    assert [c.value for c in lead] == [len(plan), plan[["ministry_code", "programme"]].drop_duplicates().shape[0],
                                       plan["ministry_code"].nunique()]


def test_the_plans_budget_totals_are_of_one_fiscal_year_and_say_it(tables):
    plan = national_plan.national_plan(tables)
    year = national_plan.budget_year(plan)
    assert year
    with claims.page("plan") as ledger:
        html = national_plan.summary_html(plan)
    totals = [c for c in ledger.claims if c.where == "national_plan.by_ministry" and c.unit == "crore"]
    assert totals and {c.fiscal_year for c in totals} == {year}
    for c in totals:  # each total sums that year's amounts of its programmes, each once
        rows = plan[[f"{m}/{p}" in c.programmes for m, p in zip(plan["ministry_code"], plan["programme"],
                                                                 strict=True)]].drop_duplicates("programme")
        assert set(rows["fiscal_year"]) == {year}
        assert c.value == pytest.approx(rows["budget_crore"].sum())
    assert f"FY {year}" in _text(html)
    other = national_plan.by_ministry(plan)["other_year"].sum()
    if other:
        assert "another fiscal year" in _text(html)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_progress_tables_and_the_return_tracker_print_only_claims(tables, lang):
    codes = sorted(set(tables.assessments["ministry_code"]))
    with language(lang), claims.page("progress", lang) as ledger:
        html = progress.cluster_progress_html(tables, codes) + progress.return_tracker_html(tables)
    assert ledger.claims and unbacked(_text(html), ledger) == []
    returns = [c for c in ledger.claims if c.unit == "files"]
    assert returns and all(len(set(c.sources)) == c.value for c in returns)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_the_tracker_sentences_and_table_print_claims_with_their_lineage(tables, lang):
    tracker = tracker_of(tables)
    lines = submissions.lines_of(tables.quarantine)
    with language(lang), claims.page("tracker", lang) as ledger:
        said = submissions.sentences(tracker, lines)
        table = submissions.rows_in_words(tracker, lines)
    cells = " ".join(str(v) for row in table.to_dict("records") for k, v in row.items()
                     if k in submissions.COUNT_COLUMNS)
    assert unbacked(" ".join(said) + " " + cells, ledger) == []
    files = next(c for c in ledger.claims if c.unit == "files" and c.where == "tracker")
    assert files.value == len(set(files.sources)) == tracker.loc[tracker["status"] == "submitted",
                                                                 "source_file"].nunique()
    quarantined = next(c for c in ledger.claims if c.unit == "lines" and c.where == "tracker")
    shown = tracker.loc[tracker["source_file"] != "", "source_file"].unique()
    expected = line_ids(whole_rows(tables.quarantine)[lambda q: q["source_file"].isin(shown)])
    assert quarantined.value == len(expected) > 0 and sorted(quarantined.sources) == sorted(expected)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_the_counting_table_prints_each_form_rows_number_as_a_claim(tables, lang):
    """Found by the scan of a generated site: the counting table's row numbers ("sheet
    Programmes row 8") were printed past the ledger."""
    from nsss_analysis.diagnostics.counting import counted_assessments
    from nsss_analysis.report.sections import counting_section

    _counted, resolution = counted_assessments(tables.assessments)
    assert len(resolution)
    with language(lang), claims.page("counting", lang) as ledger:
        html = "".join(item.data for item in counting_section(resolution))
    assert unbacked(_text(html), ledger) == []
    rows = [c for c in ledger.claims if c.where == "sections.counting"]
    lineage = [int(x[2]) for text in resolution["lineage"] for x in json.loads(text)["rows"]]
    assert sorted({c.value for c in rows}) == sorted(set(lineage))


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_each_index_cell_restates_a_figure_of_its_reports_headline(tables, lang):
    """The index's cells (programmes, gender-specific count and share, budget share, mean
    score beside the national one) are claims of the index's ledger; each restates a
    claim of the report's headline: same value, unit, denominator and programmes. Found
    on the bundled index: the national comparator carried the ministry's programmes, and
    a count of 0 the headline says in words ("none of them") was no claim of the report."""
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.report.headline_file import Headline
    from nsss_analysis.report.headline_text import headline_sentences
    from nsss_analysis.runner.index import index_figures

    codes = [None, *sorted(set(tables.scores["ministry_code"]))]
    unmatched, zero = [], 0
    for code in codes:
        figures_ = headline_figures(tables, code)
        with language(lang), claims.page("report", lang) as report:
            sentences = headline_sentences(figures_)
        with language(lang), claims.page("index", lang) as index, claims.scope(programmes=figures_["programme_keys"]):
            index_figures(Headline.from_figures(figures_, sentences), lang)
        unmatched += [f"{code}: {c.text} ({c.unit}, {len(c.programmes)} programmes)" for c in index.claims
                      if not any(restates(c, r) for r in report.claims)]
        zero += figures_["n_gender_specific_or_transformative"] == 0
    assert zero and unmatched == []


def test_the_index_makes_no_claim_of_the_figures_it_does_not_show(tables):
    """Found on a generated site's index: a cluster's and the action plan's rows (links,
    their figures not shown) recorded the national headline's figures, in the page's
    fiscal year (a budget share no report prints), as claims of the index."""
    from nsss_analysis.diagnostics.summaries import headline_figures
    from nsss_analysis.report.headline_file import Headline
    from nsss_analysis.runner.index import _years

    headline = Headline.from_figures(headline_figures(tables, None)).figures()
    entries = {f"2024-25/{slug}": {"html": f"2024-25/{slug}.html", "kind": kind, "headline": headline,
                                   "ministry": "x", "title": "x"}
               for slug, kind in (("national-overview", "national"), ("cluster-social-allowance", "cluster"),
                                  ("nsss-gender-action-plan", "action-plan"))}
    with claims.page("index") as ledger:
        _years(entries, "en")
    assert {c.block for c in ledger.claims} == {"index:2024-25/national-overview"}


def test_explain_lists_the_lines_behind_a_count_of_quarantined_lines(tables, tmp_path, capsys):
    tracker = tracker_of(tables)
    lines = submissions.lines_of(tables.quarantine)
    with claims.page("national-overview") as ledger:
        submissions.sentences(tracker, lines)
    (tmp_path / "national-overview.claims.json").write_text(ledger.to_json(), encoding="utf-8")
    counted = next(c for c in ledger.claims if c.unit == "lines")
    capsys.readouterr()
    assert main(["explain", "national-overview", f"{counted.text} lines", "--reports", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert all(line in out for line in counted.sources) and "/ row " in out


# --- every page ------------------------------------------------------------------------------


def _scan(out: Path, pages: list[Path], processed: Path) -> list[str]:
    """Per report page: the figures (its text and its drawn figures' words) no claim of
    its own ledger prints, and the claims whose text misstates their value."""
    forms = form_texts(processed)
    problems = []
    for page in pages:
        ledger = claims.load(ledger_beside(page))
        missing = unbacked(visible_text(page), ledger, forms)
        if missing:
            problems.append(f"{page.relative_to(out)}: no claim prints {', '.join(map(str, missing))}")
        wrong = [c for c in ledger.claims if not value_stated(c)]
        if wrong:
            problems.append(f"{page.relative_to(out)}: " + "; ".join(f"{c.text!r} is not {c.value} ({c.unit})"
                                                                    for c in wrong[:5]))
    return problems


def _pages(out: Path, entries: dict, lang: str) -> list[Path]:
    """The report pages of ``lang`` (the index is checked on its own: :func:`_index_problems`)."""
    return [out / e["html"] for e in entries.values() if e.get("language", "en") == lang]


def _summarised(out: Path, entries: dict, lang: str) -> list[Path]:
    """The report pages the index of ``lang`` shows: each report once, in ``lang`` where
    it is on disk, else in English (as the index picks them)."""
    from nsss_analysis.runner.index import english_key

    by_report: dict[str, dict[str, Path]] = {}
    for key, e in entries.items():
        if (out / e["html"]).is_file():
            by_report.setdefault(english_key(key, e), {})[e.get("language") or "en"] = out / e["html"]
    return [pages.get(lang) or pages.get("en") or next(iter(pages.values())) for pages in by_report.values()]


def _index_problems(out: Path, entries: dict, lang: str, processed: Path) -> list[str]:
    """The index of ``lang`` against the reports it summarises: each claim of the index's
    own ledger restates a claim of one of those reports (same value, unit, denominator
    and programmes; :func:`restates`), and every figure the index prints (the reports'
    headline sentences, its cells, the trackers) is printed by a claim of those reports
    or by such a restating claim of its own."""
    index = out / ("index.html" if lang == "en" else f"index.{lang}.html")
    reports = [c for page in _summarised(out, entries, lang) for c in claims.load(ledger_beside(page)).claims]
    own = claims.load(ledger_beside(index)).claims
    restating = [c for c in own if any(restates(c, r) for r in reports)]
    problems = [f"{index.name}: {c.text!r} ({c.value} {c.unit}, {c.where}, {c.block}) restates no claim of the "
                "reports it summarises" for c in own if c not in restating]
    missing = unbacked(visible_text(index), claims.Ledger(claims=reports + restating), form_texts(processed))
    if missing:
        problems.append(f"{index.name}: no claim of the reports prints {', '.join(map(str, missing))}")
    wrong = [c for c in own if not value_stated(c)]
    problems += [f"{index.name}: {c.text!r} is not {c.value} ({c.unit})" for c in wrong]
    return problems


#: The data workbook's sheets that hold the forms' and the budget files' own rows, as
#: submitted (lineage, amounts and beneficiaries as given), not figures the workbench makes.
AS_SUBMITTED = ("Assessments", "Budgets", "Quarantine")


def _workbook_problems(out: Path, pages: list[Path]) -> tuple[int, list[str]]:
    """Each workbook beside a page (``<slug>-data.xlsx``, ``<slug>-action-plan.xlsx``, the
    national plan's ``<slug>.xlsx``): its figure cells (a number in a visible sheet; not
    the rows as submitted, not a source row number) are exactly the cells its page's
    ledger claims, each equal to its claim. Returns the cells checked and the problems."""
    from nsss_analysis.reference.i18n import translator
    from nsss_analysis.report.downloads import DATA_COLUMN_WORDS

    checked, problems = 0, []
    for page in pages:
        ledger = claims.load(ledger_beside(page))
        t = translator(ledger.language or "en")
        submitted = {t(name)[:31] for name in AS_SUBMITTED}
        source_row = t(DATA_COLUMN_WORDS["source_row"])
        slug = page.name.removesuffix(".html")
        for book in (page.with_name(f"{slug}-data.xlsx"), page.with_name(f"{slug}-action-plan.xlsx"),
                     page.with_name(f"{slug}.xlsx")):
            if not book.is_file():
                continue
            mine = {c.cell: c for c in ledger.claims if c.cell and c.where == f"workbook:{book.name}"}
            wb = openpyxl.load_workbook(book)
            figures_ = {}
            for ws in wb.worksheets:
                if ws.sheet_state != "visible" or ws.title in submitted:
                    continue
                header = {c.column_letter: c.value for c in ws[1]}
                for row in ws.iter_rows():
                    for cell in row:
                        number = isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                        if number and header.get(cell.column_letter) != source_row:
                            figures_[f"{ws.title}!{cell.coordinate}"] = cell.value
            unclaimed = sorted(set(figures_) - set(mine))
            if unclaimed:
                problems.append(f"{book.relative_to(out)}: {len(unclaimed)} figure cell(s) no claim holds: "
                                + ", ".join(unclaimed[:6]))
            for cell, c in mine.items():
                checked += 1
                value = figures_.get(cell)
                if value is None or abs(float(value) - float(c.value)) > 1e-9:
                    problems.append(f"{book.relative_to(out)} {cell}: cell {value!r}, claim {c.value!r}")
    return checked, problems


@pytest.fixture(scope="module")
def seed1_site(tmp_path_factory, bundled_mis) -> GeneratedSite:
    """Every page of the generated dataset of seed 1 (a disputed programme, rounds
    missing, sparse budgets, real data: no synthetic notice), both languages, rendered
    once per run."""
    return generated_site(tmp_path_factory, bundled_mis, 1)


#: The sites every page of which is scanned: the bundled data's (the session's ``site``) and
#: the generated dataset of seed 1, each with the least pages and workbook figure cells it
#: must have for its scan to mean something.
LEAST = {"site": (10, 101), "seed1_site": (5, 1)}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize("which", LEAST)
def test_every_figure_of_every_page_is_a_claim(request, which, lang):
    pages_of = request.getfixturevalue(which)
    pages = _pages(pages_of.out, pages_of.entries, lang)
    assert len(pages) >= LEAST[which][0] and all(ledger_beside(p).exists() for p in pages)
    assert _scan(pages_of.out, pages, pages_of.processed) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize("which", LEAST)
def test_every_figure_of_the_index_is_a_claim_of_the_reports_it_summarises(request, which, lang):
    pages_of = request.getfixturevalue(which)
    assert _index_problems(pages_of.out, pages_of.entries, lang, pages_of.processed) == []


@pytest.mark.slow
@pytest.mark.parametrize("which", LEAST)
def test_the_workbooks_figure_cells_equal_their_claims(request, which):
    pages_of = request.getfixturevalue(which)
    for lang in ("en", "bn"):
        checked, problems = _workbook_problems(pages_of.out, _pages(pages_of.out, pages_of.entries, lang))
        assert checked >= LEAST[which][1] and problems == []


#: Two more generated datasets, of other shapes, each rendered in one language: seed 5
#: (four ministries, most rounds missing, synthetic) in Bangla, seed 7 (three ministries,
#: 25 forms, real data) in English.
MORE_SEEDS = [(5, "bn"), (7, "en")]


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "lang"), MORE_SEEDS)
def test_every_figure_of_more_generated_datasets_is_a_claim(tmp_path_factory, bundled_mis, seed, lang):
    site = generated_site(tmp_path_factory, bundled_mis, seed, languages=(lang,))
    pages = _pages(site.out, site.entries, lang)
    assert len(pages) >= 5
    problems = _scan(site.out, pages, site.processed)
    problems += _index_problems(site.out, site.entries, lang, site.processed)
    checked, wrong = _workbook_problems(site.out, pages)
    assert checked and problems + wrong == []


# --- the workbooks' figure cells ---------------------------------------------------------------


def test_a_workbook_cell_is_a_claim_with_its_sheet_and_cell(tmp_path):
    import pandas as pd

    from nsss_analysis.report.downloads import record_score_cells

    scores = pd.DataFrame({"ministry_code": ["MoSW"], "programme": ["Old Age Allowance"],
                           "assessment_round": ["2023-24"], "inclusion_score": [65.3], "completeness": [0.9]})
    with claims.page("x") as ledger:
        record_score_cells(scores, "mosw-data.xlsx", "Scores")
    assert [(c.cell, c.value, c.unit, c.round, c.programmes) for c in ledger.claims] == [
        ("Scores!D2", 65.3, "score", "2023-24", ("MoSW/Old Age Allowance",)),
        ("Scores!E2", 0.9, "number", "2023-24", ("MoSW/Old Age Allowance",))]
    assert "cell: Scores!D2 of mosw-data.xlsx" in claims.explain("65.3", ledger)


# --- the budget year of the national per-ministry budget shares ---------------------------------


def test_the_budget_share_chart_draws_one_fiscal_year_and_counts_the_units_without_it():
    import numpy as np
    import pandas as pd

    from nsss_analysis.report import figures

    shares = pd.DataFrame({
        "scope": ["national", "ministry", "ministry", "ministry"],
        "unit": ["Bangladesh", "Ministry A", "Ministry B", "Ministry C"],
        "fiscal_year": ["2024-25", "2024-25", "2023-24", "2024-25"],
        "share": [0.3, 0.5, 0.2, np.nan], "n_programmes_with_budget": [9, 4, 3, 0],
        "budget_total": [900.0, 400.0, 300.0, np.nan]})
    with claims.page("x") as ledger:
        fig = figures.share_by_unit(shares, title="Budget share", xlabel="Share")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ministry A (n=4)"]
    assert "FY 2024-25" in ax.get_xlabel()
    assert ax.get_title(loc="left") == "2 ministries and divisions with no budget on record in FY 2024-25 are not shown"
    assert any(c.unit == "count" and c.value == 2 for c in ledger.claims)
    readiness = shares.drop(columns=["fiscal_year", "budget_total"]).rename(columns={"n_programmes_with_budget": "n"})
    assert len(figures.share_by_unit(readiness, title="Ready", xlabel="Share").axes[0].get_yticklabels()) == 3


# --- disputed programmes, said under every figure and table that leaves them out ------------------


def test_every_figure_and_table_says_which_disputed_programmes_it_leaves_out():
    import contextvars

    import matplotlib.pyplot as plt
    import pandas as pd

    from nsss_analysis.report import display

    disputed = pd.DataFrame({"dispute": [1, 1, 2, 2], "ministry_code": ["MoSW"] * 2 + ["MoDMR"] * 2,
                             "programme": ["Alpha pilot"] * 2 + ["Beta pilot"] * 2})
    scores = pd.DataFrame({"programme": ["A"], "inclusion_score": [50.0]})

    def page():
        with claims.page("x") as ledger:
            display.disputed_left_out(disputed)
            fig, ax = plt.subplots()
            ax.plot([0, 1])
            shown = display.figure_html(fig, "A reading.") + display.table_html(scores)
            with display.every_programme():
                plain = display.table_html(scores)
        return ledger, shown, plain

    ledger, shown, plain = contextvars.copy_context().run(page)
    note = "2 disputed programmes are not included (Alpha pilot, Beta pilot)"
    assert shown.count(note) == 2 and note not in plain
    said = [c for c in ledger.claims if c.where == "display.disputed"]
    assert said and all(c.value == 2 and c.programmes == ("MoSW/Alpha pilot", "MoDMR/Beta pilot")
                        for c in said)
    assert "disputed" not in contextvars.copy_context().run(lambda: display.table_html(scores))


@pytest.mark.parametrize("code", [None, "LGD"])
def test_the_data_quality_count_of_quarantined_lines_carries_the_lines(tables, code):
    from nsss_analysis.diagnostics.indicators import quarantine_ministries
    from nsss_analysis.diagnostics.selections import rows_of
    from nsss_analysis.diagnostics.summaries import ministry_summary, national_summary
    from nsss_analysis.report import quality_text, rules

    summary = national_summary(tables) if code is None else ministry_summary(tables, code)
    row = rows_of(summary["data_quality"], "national" if code is None else "ministry")
    with claims.page("x") as ledger:
        quality_text.data_quality_sentences(row, summary["budget_plausibility"])
    counted = [c for c in ledger.claims if c.unit == "lines"]
    q = tables.quarantine
    expected = line_ids(q if code is None else q[(quarantine_ministries(q, tables.assessments) == code).to_numpy()])
    assert len(counted) == 1 and counted[0].value == len(expected) > 0
    assert sorted(counted[0].sources) == sorted(expected)
    assert rules.lineage_counts(counted, rules.facts_of(tables)["known_sources"]) == []


def test_a_unit_without_actions_still_gets_its_action_plan_workbook(tmp_path):
    """Found by rendering a generated dataset's site: a unit whose every form is disputed
    has no action, and its workbook is still written (the columns, no row)."""
    import pandas as pd

    from nsss_analysis.report.action_plan import write_action_plan

    write_action_plan(pd.DataFrame(), tmp_path / "x-action-plan.xlsx", "x")
    book = openpyxl.load_workbook(tmp_path / "x-action-plan.xlsx")
    assert book.worksheets[0].max_row == 1 and book.worksheets[0]["A1"].value
