"""Honest statements: one test per rule, on small fixtures built for it, and a scan of
the reports of the bundled data (and of another seed of the generator) for the
forbidden forms: zero-width intervals, intervals from fewer than 3 observations,
percentages of denominators under 5, ranges across districts, a programme counted
twice."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nsss_analysis import config
from nsss_analysis.commands import run_clean
from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.diagnostics.budgets import budget_gender_share
from nsss_analysis.diagnostics.counting import counted_assessments
from nsss_analysis.diagnostics.indicators import (
    compare_with_national,
    data_readiness,
    level_shares,
)
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.diagnostics.summaries import (
    headline_figures,
    ministry_summary,
    national_summary,
)
from nsss_analysis.diagnostics.trends import TREND_MIN_PAIRS, trend_by_round
from nsss_analysis.diagnostics.units import programme_key
from nsss_analysis.io import Tables, load_tables
from nsss_analysis.mis.coverage import district_funnel
from nsss_analysis.reference.vocab import BUDGET_COLUMNS, ITEMS
from nsss_analysis.report import coverage_text, headline_text, notices, phrases, quality_text, readings, trend_text
from nsss_analysis.report.wording import count_share, interval, percent
from tests.support.frames import assessments_frame, programme_row
from tests.support.pages import TECHNICAL_NAMES, page_text

MOSW = {"ministry": "Ministry of Social Welfare", "ministry_code": "MoSW", "source_file": "MoSW.xlsx"}


def frame(n: int, **common) -> pd.DataFrame:
    """``n`` programmes of MoSW, P0..P(n-1), with varied answers."""
    rows = [programme_row(**MOSW, source_row=k + 2, programme=f"P{k}",
                          **dict.fromkeys(ITEMS[: (k * 3) % 10], "yes"), **common) for k in range(n)]
    return assessments_frame(*rows)


# --- forbidden forms in text ------------------------------------------------------------

_ZERO_WIDTH = re.compile(r"interval (-?[\d.,]+%?)\s*[–-]\s*(-?[\d.,]+%?)\)")
_PERCENT_OF_FEW = re.compile(r"\b\d+(?:\.\d+)?% of ([0-4])(?![\d]|[,.]\d)")
_SHARE_OF_FEW = re.compile(r"\b(\d+) of ([0-4])(?![\d]|[,.]\d) (?:programmes?\s)?\(\d+(?:\.\d+)?%")
_DISTRICT_RANGE = re.compile(r"ranges? from [^.;]*(?:district|\(\w+\) to)", re.IGNORECASE)


def forbidden_statements(text: str) -> list[str]:
    """Every forbidden form in ``text``: a zero-width interval, a percentage of a
    denominator under 5, a range across districts."""
    found = [m.group(0) for m in _ZERO_WIDTH.finditer(text) if m.group(1) == m.group(2)]
    found += [m.group(0) for m in _PERCENT_OF_FEW.finditer(text)]
    found += [m.group(0) for m in _SHARE_OF_FEW.finditer(text)]
    found += [m.group(0) for m in _DISTRICT_RANGE.finditer(text)]
    return found


def test_the_scan_finds_each_forbidden_form():
    bad = ("The mean is 4 of 100 (95% interval 4–4). 0 of 1 programmes (0%, 95% interval 0%–79%). "
           "women's share ranges from 100% (Bagerhat) to 100% (Bagerhat) across 64 districts. 50% of 2.")
    assert len(forbidden_statements(bad)) == 4
    good = "2 of 3 programmes; 46 of 100 programmes (46%, 95% interval 36%–56%); 99.6% of 985."
    assert forbidden_statements(good) == []


# --- rule: count each programme once per round -----------------------------------------

def test_a_conflict_in_one_round_the_later_received_row_wins():
    a = frame(2, assessment_round="2023-24")
    later = a.iloc[[0]].assign(source_file="MoSW resubmission.xlsx", received_date="2024-03-01",
                               graduation="partly")
    a = pd.concat([a.assign(received_date="2024-01-15"), later], ignore_index=True)
    counted, resolution = counted_assessments(a)
    assert len(counted) == 2 and counted["programme"].is_unique
    p0 = counted.set_index("programme").loc["P0"]
    assert p0["source_file"] == "MoSW resubmission.xlsx" and p0["graduation"] == "partly"
    line = resolution.iloc[0]
    assert line["n_rows"] == 2 and "later-received submission (2024-03-01)" in line["resolution"]
    assert line["used"].startswith("MoSW resubmission.xlsx")


def test_a_conflict_nothing_resolves_is_disputed_never_merged():
    a = frame(1, assessment_round="2023-24")
    other = a.assign(source_file="MoSW copy.csv", graduation="yes", gender_analysis="partly")
    a = a.assign(graduation="no")
    counted, resolution = counted_assessments(pd.concat([a, other], ignore_index=True))
    assert len(counted) == 0  # no merged row: a merge makes a score neither form gives
    line = resolution.iloc[0]
    assert line["disputed"] and line["set_unknown"] == "graduation; gender_analysis"
    assert "disputed" in line["resolution"] and line["used"] == ""


def test_rows_repeated_cell_for_cell_across_files_count_once():
    a = frame(3, assessment_round="2023-24")
    again = a.assign(source_file="MoSW resubmission.xlsx")
    counted, resolution = counted_assessments(pd.concat([a, again], ignore_index=True))
    assert len(counted) == 3 and counted["source_file"].nunique() == 1
    assert (resolution["resolution"].str.contains("cell for cell")).all()


def test_every_indicator_counts_a_programme_assessed_in_two_rounds_once():
    old = frame(4, assessment_round="2018-19").assign(source_file="old.xlsx")
    new = frame(6, assessment_round="2023-24")
    tables = Tables(assessments=pd.concat([old, new], ignore_index=True))
    summary = ministry_summary(tables, "MoSW")
    assert len(summary["programmes"]) == 6 and summary["programmes"]["programme"].is_unique
    assert set(summary["assessments"]["assessment_round"]) == {"2023-24"}
    levels = summary["level_shares"]
    assert (levels[levels["scope"] == "ministry"]["n"] == 6).all()


# --- rule: intervals ------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 4, 5])
def test_small_n_tables_have_counts_not_shares(n):
    scores = score_programmes(frame(n))
    levels = level_shares(scores, "national")
    assert (levels["n"] == n).all()
    if n < 5:
        assert levels[["share", "ci_low", "ci_high"]].isna().all().all()
    else:
        assert levels["share"].notna().all() and (levels["ci_high"] > levels["ci_low"]).all()
    h = headline_figures(Tables(assessments=frame(n)), "MoSW")
    text = " ".join(headline_text.headline_sentences(h))
    assert forbidden_statements(text) == []
    if n < 5:
        assert "%" not in text.split(".")[0] and "no mean to estimate" in text
        assert all(f"(P{k})" in text for k in range(n))
    else:
        assert "The mean gender inclusion score is" in text


def test_bounds_are_printed_until_they_differ_and_never_rounded_to_0_or_100():
    assert interval(0.997, 1.0) == " (95% interval 99.7%–100%)"
    assert interval(0.4, 0.4) == ""  # a zero-width interval is never printed
    assert percent(0.996) == "99.6%" and percent(0.0004) == "under 0.1%" and percent(1.0) == "100%"
    assert count_share(1, 2) == "1 of 2" and count_share(46, 100).startswith("46 of 100 (46%")


# --- rule: comparisons ------------------------------------------------------------------------

def test_a_difference_needs_5_programmes_on_both_sides_and_intervals_apart():
    table = pd.DataFrame({
        "scope": ["ministry", "ministry", "national"], "unit": ["A", "B", "Bangladesh"],
        "ministry_code": ["A", "B", None], "share": [0.95, 0.95, 0.2],
        "ci_low": [0.8, 0.8, 0.1], "ci_high": [0.99, 0.99, 0.3], "n": [4, 5, 40]})
    out = compare_with_national(table, "share").set_index("unit")
    assert not out.loc["A", "difference"] and out.loc["A", "comparison"] == "too_few"
    assert out.loc["B", "difference"] and out.loc["B", "comparison"] == "above"
    assert phrases.compare_units((4, 0.8, 0.99), (40, 0.1, 0.3)) == ""
    assert phrases.compare_units((5, 0.8, 0.99), (40, 0.1, 0.3)).startswith("above")
    assert phrases.compare_units((5, 0.2, 0.5), (40, 0.1, 0.3)).startswith("these data cannot tell")


# --- rule: trends on the same programmes ---------------------------------------------------

def test_trend_pairs_only_programmes_in_both_rounds():
    old = frame(7, assessment_round="2018-19").assign(source_file="old.xlsx", graduation="no")
    new = frame(9, assessment_round="2023-24").iloc[2:]  # P2..P8: P0, P1 only in 2018-19
    a = pd.concat([old, new], ignore_index=True)
    counted, _ = counted_assessments(a)
    result = trend_by_round(counted, score_programmes(counted))
    assert result.ok and result.n_pairs == 5 and set(result.pairs["programme"]) == {f"P{k}" for k in range(2, 7)}
    assert result.summary["n_pairs"] == 5
    reading = trend_text.trend_reading(result)
    assert reading.startswith("5 programmes are assessed in two rounds and each compared with itself")
    few = trend_by_round(counted[counted["programme"].isin(["P2", "P3", "P7"])],
                         score_programmes(counted[counted["programme"].isin(["P2", "P3", "P7"])]))
    assert few.ok and few.n_pairs == 2 and not few.summary and TREND_MIN_PAIRS == 5
    assert "P2 " in trend_text.trend_reading(few) and "→" in trend_text.trend_reading(few)
    none = trend_by_round(pd.concat([old.iloc[:2], new.iloc[-2:]]),
                          score_programmes(pd.concat([old.iloc[:2], new.iloc[-2:]])))
    assert not none.ok and none.code == "no_pairs"
    assert "no programme is assessed in two of them" in trend_text.trend_reading(none)


# --- rule: readiness strict ------------------------------------------------------------------

def test_readiness_needs_all_three_yes():
    a = assessments_frame(*(programme_row(**MOSW, source_row=k + 2, programme=f"P{k}", sex_disaggregated_data="yes",
                                          gender_reporting="yes", gender_indicators="not_applicable")
                            for k in range(5)))
    row = data_readiness(score_programmes(a), "national").iloc[0]
    assert row["n_ready"] == 0 and row["n"] == 5


# --- rule: flagged budgets --------------------------------------------------------------------

def test_a_flagged_allocation_is_left_out_of_totals_and_said():
    rows = [dict(source_file="b.xlsx", source_sheet="Budget", source_row=k + 2, ministry="Ministry of Social Welfare",
                 ministry_code="MoSW", programme=f"P{k}", cluster="Social Allowance", fiscal_year="2023-24",
                 budget_crore=c, beneficiaries=people, women_beneficiaries=np.nan, monthly_rate_bdt=rate)
            for k, (c, people, rate) in enumerate([(6133.0, 851_900, 600), (100.0, np.nan, np.nan)])]
    budgets = pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))
    scores = score_programmes(frame(2))
    share = budget_gender_share(scores, budgets, "national").iloc[0]
    assert share["budget_total"] == 100.0 and share["n_allocations_flagged"] == 1
    assert share["flags_left_out"] == "scale:1"
    text = readings.budget_share_reading(pd.DataFrame([share]))
    assert "excluding 1 allocation flagged as about 10x the arithmetic" in text


# --- rule: districts as a funnel ------------------------------------------------------------

def test_districts_named_only_outside_the_funnel_limits_with_their_n():
    by_district = pd.DataFrame({
        "programme": "Old Age Allowance", "fiscal_year": "2023-24",
        "district": ["Bagerhat", "Feni", "Kurigram", "Dhaka"],
        "female": [3, 1_200, 1_350, 30_000], "total": [3, 3_000, 3_000, 60_000]})
    by_district = by_district.assign(women_share=by_district["female"] / by_district["total"])
    funnel = district_funnel(by_district).set_index("district")
    assert not funnel.loc["Bagerhat", "outside_998"]  # 3 of 3 women: chance at n = 3
    assert funnel.loc["Feni", "outside_998"]  # 40% of 3,000 against about 49.6%
    text = coverage_text.district_reading(by_district)
    assert "Feni (40% of 3,000)" in text and "Bagerhat" not in text and "ranges from" not in text
    assert forbidden_statements(text) == []


# --- rule: synthetic is a property of the data ---------------------------------------------

def test_synthetic_marker_is_read_from_the_raw_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    src = next(p for p in config.RAW_DIR.glob("*.csv"))
    (raw / src.name).write_bytes(src.read_bytes())
    with contextlib.redirect_stdout(io.StringIO()):
        run_clean(raw, tmp_path / "real")
        (raw / "SYNTHETIC").write_text("synthetic\n")
        run_clean(raw, tmp_path / "synthetic")
    real = pd.read_parquet(tmp_path / "real" / "assessments.parquet")
    marked = pd.read_parquet(tmp_path / "synthetic" / "assessments.parquet")
    assert not real["synthetic"].any() and marked["synthetic"].all()
    tables = Tables(assessments=real)
    h = headline_figures(tables, real["ministry_code"].iloc[0])
    assert h["synthetic"] is False and notices.data_notice(False) == ""
    assert "synthetic" in notices.data_notice(True)


# --- the bundled data and another seed ----------------------------------------------------

def _check_tables(summary: dict, where: str) -> None:
    for name, table in summary.items():
        if not isinstance(table, pd.DataFrame) or not len(table):
            continue
        if {"ci_low", "ci_high"} <= set(table.columns):
            have = table[table["ci_low"].notna() & table["ci_high"].notna()]
            assert (have["ci_high"] > have["ci_low"]).all(), f"{where} {name}: zero-width interval"
            if "n" in table.columns:
                assert (have["n"] >= 3).all(), f"{where} {name}: interval from n < 3"
        if {"share", "n"} <= set(table.columns):
            assert table.loc[table["n"] < 5, "share"].isna().all(), f"{where} {name}: share of n < 5"
    programmes = summary["programmes"]
    keys = programmes["ministry_code"] + "|" + programme_key(programmes)
    assert keys.is_unique, f"{where}: a programme counted twice"


def _all_sentences(tables: Tables) -> list[str]:
    codes = sorted(set(tables.assessments["ministry_code"]))
    texts = []
    national = national_summary(tables)
    texts += headline_text.headline_sentences(headline_figures(tables))
    texts += [readings.levels_by_unit_reading(national["level_shares"], s) for s in ("ministry", "cluster")]
    texts += [readings.mean_score_reading(national["mean_score"], s) for s in ("ministry", "cluster")]
    texts += [readings.budget_share_reading(national["budget_gender_share"]),
              readings.readiness_reading(national["data_readiness"]),
              trend_text.trend_reading(national["trend"]),
              quality_text.counting_reading(national["counting"])]
    _check_tables(national, "national")
    for code in codes:
        s = ministry_summary(tables, code)
        _check_tables(s, code)
        h = headline_figures(tables, code)
        texts += headline_text.headline_sentences(h)
        texts += [readings.level_reading(s["level_shares"]), readings.readiness_reading(s["data_readiness"]),
                  readings.item_yes_reading(s["item_yes_shares"]),
                  readings.women_share_reading(s["women_beneficiary_share"], h["fiscal_year"]),
                  trend_text.trend_reading(s["trend"])]
        texts += quality_text.data_quality_sentences(s["data_quality"], s["budget_plausibility"])
    return texts


@pytest.mark.slow  # every summary of every ministry, twice
@pytest.mark.parametrize("data", ["bundled", "seed7"])
def test_every_sentence_and_indicator_table_is_honest(data, request):
    tables = load_tables(request.getfixturevalue(data))
    found = [(t, forbidden_statements(t)) for t in _all_sentences(tables)]
    assert [f for f in found if f[1]] == []


@pytest.mark.slow  # the summary of every ministry with a paired trend
def test_the_bundled_data_show_a_paired_trend(bundled):
    tables = load_tables(bundled)
    national = national_summary(tables)
    assert national["trend"].ok and national["trend"].n_pairs >= 5 and national["trend"].summary
    paired = set(national["trend"].pairs["ministry_code"])
    assert len(paired) >= 5
    for code in paired:
        assert ministry_summary(tables, code)["trend"].ok
    assert tables.assessments["synthetic"].all()


@pytest.fixture(scope="module")
def rendered(site) -> tuple[Path, dict]:
    """Every report of the bundled data in English and Bangla, rendered by the real
    notebooks (``nsss reports --all --language all``, once per run: ``site``)."""
    return site.out, site.entries


def pages_in(rendered, language: str) -> dict[str, Path]:
    out, entries = rendered
    return {key: out / e["html"] for key, e in entries.items() if e.get("language", "en") == language}


@pytest.mark.slow
def test_rendered_reports_of_the_bundled_data_have_no_forbidden_statement(rendered):
    """Every English report of the bundled data, scanned as text."""
    pages = pages_in(rendered, "en")
    assert len(pages) >= 10
    for page in pages.values():
        text = page_text(page)
        assert forbidden_statements(text) == [], page.name
        assert "are synthetic" in text, page.name
        # what a reader needs is in the page or a linked file, never a repository path
        named = re.findall(r"data/raw\S*|data/processed\S*|\S+\.parquet|quarantine\.csv|conflicts\.csv|"
                           r"README\.md|docs/\S+\.md|nsss_analysis/\S+", text)
        assert named == [], (page.name, named)


#: Bangla digits to ASCII, to read the figures a Bangla page prints.
_ASCII_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def printed_numbers(text: str) -> list[str]:
    """Every number a page prints, grouping removed (``১২,৩৪,৫৬৭`` and ``1,234,567``
    are the same figure), sorted: the page's figures as data, whatever its language.
    Digits inside programme names ("Ashrayan-2 Project", "গুচ্ছগ্রাম-২য় পর্যায়") are
    part of a name, not a figure, and a Bangla card prints the form's name beside it."""
    for name in _names_with_digits():
        text = text.replace(name, " ")
    text = _ACTION_ID.sub(" ", text)  # an action's id (MoPME-2AWX6E-EMPO) is a name too
    return sorted(m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text.translate(_ASCII_DIGITS)))


_ACTION_ID = re.compile(r"\b[A-Za-z][A-Za-z&]{0,11}-[0-9A-Z]{6}-[A-Z0-9]{3,6}\b")


@cache
def _names_with_digits() -> tuple[str, ...]:
    """Catalogued programme names, in either language, that hold a digit, longest first."""
    from nsss_analysis.reference.vocab import load_reference

    names = {name for p in load_reference().programmes for name in (p.programme, p.name_bn)}
    with open(REFERENCE_DIR / "agencies.csv", encoding="utf-8") as f:  # partners: "a2i" is এটুআই
        names |= {name for row in csv.DictReader(f)
                  for name in (row["agency"], row["name_bn"], *row["aliases"].split("|"))}
    names = {name for name in names if name and re.search(r"[0-9০-৯]", name)}
    return tuple(sorted(names, key=len, reverse=True))


@pytest.mark.slow
def test_bangla_pages_state_exactly_the_figures_of_the_english_pages(rendered):
    """The honest-statement checks hold for the Bangla pages: each prints the same
    figures as its English page (which the scan above checks), no more and no fewer,
    and none of the forbidden forms once its digits are read."""
    from nsss_analysis.runner.index import english_key

    english, bangla = pages_in(rendered, "en"), pages_in(rendered, "bn")
    assert len(bangla) == len(english) >= 10
    _, entries = rendered
    for key, page in bangla.items():
        text = page_text(page)
        assert re.search(r"[০-৯]", text), page.name
        en_text = page_text(english[english_key(key, entries[key])])
        assert printed_numbers(text) == printed_numbers(en_text), page.name
        assert forbidden_bangla_statements(text) == [], page.name
        named = re.findall(r"data/raw\S*|data/processed\S*|\S+\.parquet|nsss_analysis/\S+", text)
        assert named == [], (page.name, named)


@pytest.mark.slow
def test_no_page_prints_a_path_or_a_python_repr(rendered):
    """A notebook cell's stray return value (``PosixPath('/…/x.claims.staged.json')``) or
    any absolute path of the machine never reaches a reader, in either language."""
    out, _ = rendered
    for language in ("en", "bn"):
        for page in pages_in(rendered, language).values():
            text = page_text(page)
            stray = re.findall(r"PosixPath\(|\w+Path\('|<[\w.]+ object at 0x|" + re.escape(str(out)), text)
            assert stray == [], (page.name, stray)


#: Bangla forms of the forbidden statements (digits read as ASCII first).
_BN_ZERO_WIDTH = re.compile(r"ব্যবধান (-?[\d.,]+%?)\s*[–-]\s*(-?[\d.,]+%?)")
_BN_SHARE_OF_FEW = re.compile(r"(?<![\d,.])([0-4])টি(?:র|\s+\S+?র)\s+মধ্যে \d+টি\s*\(\d+(?:\.\d+)?%")


def forbidden_bangla_statements(text: str) -> list[str]:
    text = text.translate(_ASCII_DIGITS)
    found = [m.group(0) for m in _BN_ZERO_WIDTH.finditer(text) if m.group(1) == m.group(2)]
    return found + [m.group(0) for m in _BN_SHARE_OF_FEW.finditer(text)]


def test_the_bangla_scan_finds_each_forbidden_form():
    assert len(forbidden_bangla_statements("গড় (৯৫% ব্যবধান ৪–৪)। কর্মসূচি: ২টির মধ্যে ১টি (৫০%)")) == 2
    assert forbidden_bangla_statements("কর্মসূচি: ১০০টির মধ্যে ৪৬টি (৪৬%, ৯৫% ব্যবধান ৩৬%–৫৬%)") == []
    assert len(forbidden_bangla_statements("২টি কর্মসূচির মধ্যে ১টি (৫০%)")) == 1


@pytest.mark.slow
def test_bangla_pages_have_no_english_sentence(rendered, site):
    """Outside proper names and text from the forms (programme and partner names,
    file and sheet names, raw cell values, the returned plans), a Bangla page is in Bangla."""
    from nsss_analysis.reference.i18n import english_runs

    allowed = words_from_forms(load_tables(site.processed)) | proper_names()
    left = {}
    out, _ = rendered
    for page in [*pages_in(rendered, "bn").values(), out / "index.bn.html"]:
        runs = english_runs(page_text(page), allowed)
        if runs:
            left[page.name] = runs[:5]
    assert left == {}


def proper_names() -> set[str]:
    from nsss_analysis.reference.vocab import load_reference

    reference = load_reference()
    names = set(TECHNICAL_NAMES)
    for m in reference.ministries:  # a ministry with a Bangla name is named in Bangla
        names |= {m.code} if m.name_bn else {m.name, m.code, *m.aliases}
    names |= {p.programme for p in reference.programmes if not p.name_bn}
    names |= set(reference.districts) | {a for aliases in reference.districts.values() for a in aliases}
    names |= {c.column for c in reference.form_columns}  # the data's codes (`empowerment_objective`)
    return names


def words_from_forms(tables: Tables) -> set[str]:
    """Every text cell the forms and extracts gave (printed as given, never translated)."""
    words: set[str] = set()
    for frame in (tables.assessments, tables.budgets, tables.quarantine, getattr(tables, "conflicts", None),
                  getattr(tables, "action_progress", None)):  # returned plans: file names, offices, notes
        if frame is None:
            continue
        for column in frame.columns:
            if column == "ministry":  # the register's name, which a Bangla page gives in Bangla
                continue
            if frame[column].dtype == object or str(frame[column].dtype).startswith(("str", "string")):
                for value in frame[column].dropna():
                    for part in (value if isinstance(value, (list, tuple, np.ndarray)) else [value]):
                        words |= {str(part)} | {p.strip() for p in re.split(r"[;|]", str(part)) if p.strip()}
    return words


# --- received date and round -----------------------------------------------------------------

def test_received_date_is_the_workbooks_own_property_or_a_date_in_the_name(tmp_path):
    from nsss_analysis.intake.forms import workbook_modified_date
    from nsss_analysis.intake.quantities import find_date
    from tools.synthetic.forms import SUBMISSIONS, received_on

    sub = next(s for s in SUBMISSIONS if s.path.endswith(".xlsx"))
    workbook = config.RAW_DIR / sub.path
    saved = received_on(sub).date().isoformat()  # the date the generator saved it on
    assert workbook_modified_date(workbook) == saved
    copy = tmp_path / workbook.name
    copy.write_bytes(workbook.read_bytes())  # a copy has a new file time, the same property
    assert workbook_modified_date(copy) == saved
    assert find_date("MoSW resubmission 2024-03-15.csv") == "2024-03-15"
    assert find_date("MoSW 15-03-2024") == "2024-03-15" and find_date("MoSW FY2023-24.xlsx") is None
    csv = next(config.RAW_DIR.glob("*.csv"))
    dated = tmp_path / "raw" / f"{csv.stem} 2024-03-15.csv"
    dated.parent.mkdir()
    dated.write_bytes(csv.read_bytes())
    with contextlib.redirect_stdout(io.StringIO()):
        run_clean(dated.parent, tmp_path / "processed")
    a = pd.read_parquet(tmp_path / "processed" / "assessments.parquet")
    assert set(a["received_date"]) == {"2024-03-15"}


def test_budget_trend_follows_the_same_programmes():
    from nsss_analysis.diagnostics.trends import budget_trend

    years = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")
    rows = [dict(source_file="b.xlsx", source_sheet="Budget", source_row=10 * k + j, ministry="Ministry of Social Welfare",
                 ministry_code="MoSW", programme=f"P{k}", cluster="Social Allowance", fiscal_year=fy,
                 budget_crore=100.0 * (k + 1), beneficiaries=1000.0, women_beneficiaries=500.0,
                 monthly_rate_bdt=np.nan)
            for k in range(2) for j, fy in enumerate(years) if not (k == 1 and fy == "2020-21")]
    table = budget_trend(pd.DataFrame(rows, columns=list(BUDGET_COLUMNS)))
    assert (table["n_programmes"] == 1).all() and (table["budget_crore"] == 100.0).all()  # P1 misses a year
    text = trend_text.budget_trend_reading(table)
    assert text.startswith("For the 1 programme with a budget in every fiscal year from FY 2020-21 to 2024-25")
