"""The bundled submissions in data/raw/: what they cover, that the committed files are
what the seeded generator writes, that the generator's truth is right about its own
files, and that the cleaner gets every field of freshly generated sets right."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nsss_analysis.config import PROJECT_ROOT, RAW_DIR
from nsss_analysis.intake.clean import clean_raw
from nsss_analysis.intake.quantities import (
    parse_amount_bdt,
    parse_amount_crore,
    parse_count,
    parse_fiscal_year,
)
from nsss_analysis.reference.vocab import (
    ANSWERS,
    ASSESSMENT_COLUMNS,
    BUDGET_COLUMNS,
    CLUSTERS,
    FOLLOWUPS,
    ITEMS,
    LIFECYCLE_STAGES,
    TARGET_GROUPS,
)
from tools.synthetic.forms import (
    CATALOGUE,
    DEFAULT_SEED,
    NOTE,
    compare_with_truth,
    count_text,
    crore_text,
    fiscal_year_text,
    generate,
    rate_text,
    south_asian,
)

#: Folders of data/raw that other generators own.
OTHER_GENERATORS = ("mis", "action-plans")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh generation with the default seed, and its truth."""
    out = tmp_path_factory.mktemp("fresh")
    return out, generate(out, DEFAULT_SEED)


def _files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file()
        and p.relative_to(root).parts[0] not in OTHER_GENERATORS
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _cells(path: Path) -> list[tuple[str, int, list[object]]]:
    """(sheet, row number, values) of every row of a workbook or CSV (record numbers)."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        text = data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else None
        if text is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
        records = csv.reader(io.StringIO(text, newline=""))
        return [("", n, list(r)) for n, r in enumerate(records, start=1)]
    wb = openpyxl.load_workbook(path)
    return [(ws.title, n, list(r)) for ws in wb for n, r in enumerate(ws.iter_rows(values_only=True), start=1)]


def _fold(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


# --- the committed data ------------------------------------------------------------


def test_committed_raw_data_equals_a_fresh_generation(fresh):
    """Anyone can regenerate data/raw: same files; CSV and README byte for byte; each
    workbook's XML parts byte for byte (the zip container depends on the zlib build)."""
    out, truth = fresh
    committed, generated = _files(RAW_DIR), _files(out)
    assert sorted(committed) == sorted(generated), "run tools/generate_bundled_data.py"
    assert sorted(truth.files) == sorted(f for f in generated if f not in ("README.md", "SYNTHETIC"))
    # The generator draws spellings from nsss_analysis/reference/: after editing the
    # reference data, regenerate data/raw and commit it.
    hint = "differs from a fresh generation: run tools/generate_bundled_data.py"
    for name, path in generated.items():
        if path.suffix == ".xlsx":
            assert _zip_members(committed[name]) == _zip_members(path), f"{name} {hint}"
        else:
            assert committed[name].read_bytes() == path.read_bytes(), f"{name} {hint}"


def test_at_least_12_ministries_and_40_real_programmes_with_their_real_ministries(fresh):
    _, truth = fresh
    a = truth.assessments
    assert a["ministry_code"].nunique() >= 12
    real = {(p.ministry, p.name) for p in CATALOGUE if not p.synthetic}
    assessed = set(zip(a["ministry_code"], a["programme"]))
    assert len(real & assessed) >= 40
    assert real <= assessed  # every catalogued programme is in some submission
    runs = {(p.name): p.ministry for p in CATALOGUE}
    assert runs["Old Age Allowance"] == "MoSW"
    assert runs["Mother and Child Benefit Programme"] == "MoWCA"
    assert runs["Construction of Disaster Resilient Houses"] == "MoDMR"
    assert runs["Ashrayan-2 Project"] == "PMO"


@pytest.mark.slow  # generates three whole datasets
def test_generation_is_reproducible_and_the_seed_matters(tmp_path):
    a, b, c = (tmp_path / n for n in "abc")
    ta, tb = generate(a, 7, readme=False), generate(b, 7, readme=False)
    tc = generate(c, 8, readme=False)
    for name in ta.files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    pd.testing.assert_frame_equal(ta.assessments, tb.assessments)
    answers = list(ITEMS)
    assert not ta.assessments[answers].equals(tc.assessments[answers])


def test_every_workbook_says_the_data_is_synthetic(fresh):
    out, truth = fresh
    for name in truth.files:
        if name.endswith(".xlsx"):
            texts = {v for _, _, row in _cells(out / name) for v in row if isinstance(v, str)}
            assert NOTE in texts, name
    readme = (RAW_DIR / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme
    assert "Labour and Livelihood cluster meeting record" in readme
    assert "1,258.5" in readme and "265,000" in readme


def test_each_workbook_was_received_in_the_time_of_its_round(fresh):
    """A form's received date (the workbook's own ``modified`` date, as the cleaner reads
    it) falls in the fiscal year its round assesses or the year after; a form naming no
    round, in the latest round's; and the forms were not all received on one day."""
    out, _truth = fresh
    rows = clean_raw(out).assessments
    latest = rows["assessment_round"].dropna().max()
    forms = rows.drop_duplicates("source_file").set_index("source_file")
    dated = forms[forms["received_date"].notna()]
    workbooks = {f for f in forms.index if f.endswith(".xlsx")}
    assert set(dated.index) == workbooks  # a CSV file carries no date of its own
    for name, form in dated.iterrows():
        round_ = form["assessment_round"] if isinstance(form["assessment_round"], str) else latest
        first = int(round_[:4])
        assert f"{first}-07-01" <= form["received_date"] <= f"{first + 2}-06-30", (name, round_)
    for _round, same in dated.groupby(dated["assessment_round"].fillna(latest)):
        assert same["received_date"].nunique() > 1 or len(same) == 1


# --- the truth describes the files -------------------------------------------------


def test_truth_lineage_points_at_the_rows_written(fresh):
    """Each expected row's (file, sheet, row) holds that row: the generator's own
    bookkeeping of Excel row numbers and CSV record numbers."""
    out, truth = fresh
    rows = {}
    for name in truth.files:
        for sheet, number, values in _cells(out / name):
            rows[(name, sheet, number)] = {_fold(v) for v in values if v not in (None, "")}
    for table in (truth.assessments, truth.budgets):
        for rec in table.to_dict("records"):
            key = (rec["source_file"], rec["source_sheet"], rec["source_row"])
            assert rec["programme"] in rows[key], key
    for rec in truth.quarantined_rows.to_dict("records"):
        assert rows[(rec["source_file"], rec["source_sheet"], rec["source_row"])]
    for rec in truth.bad_cells.to_dict("records"):
        assert rec["value"] in rows[(rec["source_file"], rec["source_sheet"], rec["source_row"])]


def test_truth_values_follow_the_contract(fresh):
    _, truth = fresh
    a = truth.assessments
    assert list(a.columns) == [*ASSESSMENT_COLUMNS, "assessment_round"]
    assert list(truth.budgets.columns) == list(BUDGET_COLUMNS)
    for item in ITEMS:
        assert set(a[item]) <= set(ANSWERS)
    for followup, items in FOLLOWUPS.items():
        done = a[list(items)].isin(["yes", "not_applicable"]).all(axis=1)
        assert (a.loc[done, followup] == "not_applicable").all()
        assert set(a.loc[~done, followup]) <= {"yes", "no", "unknown"}
    assert set(a["cluster"]) <= set(CLUSTERS)
    assert {s for v in a["lifecycle_stages"] for s in v} <= set(LIFECYCLE_STAGES)
    assert {g for v in a["target_groups"] for g in v} <= set(TARGET_GROUPS)
    fy = re.compile(r"^\d{4}-\d{2}$")
    for column in ("start_fy", "end_fy"):
        assert a[column].dropna().map(lambda v: bool(fy.match(v))).all()
    assert truth.budgets["fiscal_year"].map(lambda v: bool(fy.match(v))).all()
    # Plausible tendencies: about one answer in ten unknown; MoWCA more gender-specific.
    share_unknown = (a[list(ITEMS)] == "unknown").to_numpy().mean()
    assert 0.04 < share_unknown < 0.2
    objective_yes = a["empowerment_objective"].eq("yes").groupby(a["ministry_code"]).mean()
    assert objective_yes["MoWCA"] > objective_yes.mean()


def test_the_messy_variants_of_spec_section_2_are_all_there(fresh):
    out, truth = fresh
    texts: set[str] = set()
    raw_bytes = {}
    for name in truth.files:
        raw_bytes[name] = (out / name).read_bytes()
        for _, _, row in _cells(out / name):
            texts.update(str(v) for v in row if v not in (None, ""))
    joined = "\n".join(texts)
    # CSV encodings: UTF-8 with BOM, Windows-1252 with an en dash and a curly quote.
    assert raw_bytes["DMRD programmes (final).csv"].startswith(b"\xef\xbb\xbf")
    cp1252 = raw_bytes["MoYS national service.csv"]
    assert b"\x96" in cp1252 and b"\x92" in cp1252
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")
    # Answers in English short forms and Bangla.
    for spelling in ("Y", "N", "yes.", "Yes (partially)", "Partially", "No", "N/A", "-", "হ্যাঁ", "না", "আংশিক"):
        assert spelling in texts, spelling
    # Fiscal years in every accepted form, Bangla digits; amounts with units and grouping.
    for pattern in (r"\b\d{4}-\d{2}\b", r"\b\d{4}-\d{4}\b", r"\bFY\d{2}\b", r"\b\d{4}/\d{2}\b", "[০-৯]{4}-[০-৯]{2}",
                    r"\d crore\b", r"\d lakh\b", r"\bTk \d", r"\b\d{1,2},\d{2},\d{3}\b", "million"):
        assert re.search(pattern, joined), pattern
    assert {"1,258.50 crore", "2.65 lakh"} <= texts  # the meeting record's own words
    # Lists split by ; , / " and " and new lines.
    assert any("\n" in t for t in texts)
    for separator in ("; ", ", ", " / ", " and "):
        assert any(separator in t and len(t) < 120 for t in texts), separator
    # Title blocks on about a third of the submissions; extra columns; a national table.
    titled = [n for n in truth.files if n.endswith(".xlsx")
              and any(v == NOTE for s, r, row in _cells(out / n) if s != "Note" and r < 5 for v in row)]
    assert len(titled) >= 5
    assert {"Sl. No.", "Budget code"} <= texts
    national = truth.budgets[truth.budgets["source_file"] == "national-social-security-budget.xlsx"]
    assert national["ministry_code"].nunique() >= 10 and national["fiscal_year"].nunique() == 5
    # Rows that must be quarantined, bad cells, a conflict, hostile text.
    assert set(truth.quarantined_rows["reason_kind"]) == {"totals", "duplicate", "no_programme", "unknown_ministry"}
    assert set(truth.bad_cells["value"]) == {"20201-22", "maybe later"}
    assert truth.conflicts["source_file"].nunique() == 2
    assert "<script>alert(1)</script> Pilot" in set(truth.assessments["programme"])
    assert '=HYPERLINK("http://x")' in set(truth.assessments["remarks"])


def test_real_figures_are_used_where_known(fresh):
    _, truth = fresh
    b = truth.budgets.set_index(["programme", "fiscal_year"])
    houses = b.loc[("Construction of Disaster Resilient Houses", "2020-21")]
    assert houses["budget_crore"] == 1258.50 and houses["beneficiaries"] == 265_000
    assert houses["ministry_code"] == "MoDMR"
    oaa = b.loc[("Old Age Allowance", "2021-22")]
    assert (oaa["beneficiaries"], oaa["monthly_rate_bdt"], oaa["budget_crore"]) == (5_701_000, 500, 3444.54)
    assert b.loc[("Old Age Allowance", "2024-25")]["budget_crore"] == 4351
    rangpur = b.loc[("Old Age Allowance (Rangpur division)", "2023-24")]
    implied = rangpur["beneficiaries"] * rangpur["monthly_rate_bdt"] * 12 / 1e7
    assert rangpur["budget_crore"] / implied == pytest.approx(10, rel=0.01)  # the published 10x error


# --- the renderings are what the contract accepts ----------------------------------


@settings(max_examples=60, deadline=None)
@given(start=st.integers(1971, 2045), style=st.sampled_from(["dash", "long", "short", "slash", "bangla"]))
def test_fiscal_years_written_any_way_parse_back(start, style):
    assume(style != "short" or start >= 2000)  # FY75 is ambiguous; the generator never writes it
    fy = f"{start}-{(start + 1) % 100:02d}"
    assert parse_fiscal_year(fiscal_year_text(fy, style)) == fy


@settings(max_examples=80, deadline=None)
@given(paise=st.integers(1, 5_000_000), people=st.integers(1, 10_000_000), rate=st.integers(50, 50_000),
       seed=st.integers(0, 1000))
def test_amounts_written_any_way_parse_back(paise, people, rate, seed):
    import random

    rng = random.Random(seed)
    crore = paise / 100
    assert parse_amount_crore(crore_text(crore, rng, True)) == pytest.approx(crore, rel=1e-9)
    people = people * 100
    assert parse_count(count_text(people, rng, True)) == people
    assert parse_amount_bdt(rate_text(rate, rng, True)) == rate


def test_south_asian_grouping():
    assert [south_asian(n) for n in (999, 1000, 107614, 4900000, 851900, 12345678901)] == [
        "999", "1,000", "1,07,614", "49,00,000", "8,51,900", "12,34,56,78,901"]


# --- the scorer, and the cleaner against the truth ---------------------------------


def test_compare_with_truth_catches_wrong_lost_and_extra_rows(fresh):
    _, truth = fresh
    quarantine = pd.concat([
        truth.quarantined_rows.assign(column="", value="", reason="x"),
        truth.bad_cells.assign(reason="x"),
    ])[["source_file", "source_sheet", "source_row", "column", "value", "reason"]]
    perfect = compare_with_truth(truth, truth.assessments, truth.budgets, quarantine, truth.conflicts)
    assert perfect.accuracy == 1.0 and perfect.lost_rows.empty and perfect.quarantine_missing.empty

    a = truth.assessments.copy()
    a.loc[0, "graduation"] = "yes" if a.loc[0, "graduation"] != "yes" else "no"
    a.at[1, "target_groups"] = ["dalit"]
    extra = a.iloc[[2]].assign(source_row=999)
    a = pd.concat([a.drop(index=3), extra], ignore_index=True)
    budgets = truth.budgets.assign(budget_crore=truth.budgets["budget_crore"] * 1.01)
    bad = compare_with_truth(truth, a, budgets, quarantine.iloc[1:], truth.conflicts.iloc[1:])
    assert set(bad.wrong.query("table == 'assessments'")["column"]) == {"graduation", "target_groups"}
    assert len(bad.lost_rows) == 1 and len(bad.extra_rows) == 1
    assert (bad.wrong.query("table == 'budgets'")["column"] == "budget_crore").all()
    assert len(bad.quarantine_missing) == 1 and len(bad.conflicts_missing) == 1
    assert bad.accuracy < 0.98


def test_cleaner_gets_every_field_of_the_bundled_data_right(fresh):
    """The committed data (equal to a fresh generation, tested above): 100% of fields,
    every row accounted for (rows in = rows accepted + rows quarantined)."""

    _, truth = fresh
    result = clean_raw(RAW_DIR)
    comparison = compare_with_truth(truth, result.assessments, result.budgets, result.quarantine, result.conflicts)
    detail = comparison.summary() + "\n" + comparison.wrong.head(20).to_string()
    assert comparison.lost_rows.empty and comparison.extra_rows.empty, detail
    assert comparison.quarantine_missing.empty and comparison.conflicts_missing.empty, detail
    assert comparison.accuracy == 1.0, detail


@pytest.mark.slow  # generates and cleans a whole dataset
@pytest.mark.parametrize("seed", [7, 2024, 31337])
def test_cleaner_gets_at_least_98_percent_of_a_fresh_set_right(tmp_path, seed):

    truth = generate(tmp_path, seed)
    result = clean_raw(tmp_path)
    comparison = compare_with_truth(truth, result.assessments, result.budgets, result.quarantine, result.conflicts)
    detail = comparison.summary() + "\n" + comparison.wrong.head(20).to_string()
    assert comparison.lost_rows.empty, detail
    assert comparison.extra_rows.empty, detail
    assert comparison.quarantine_missing.empty, detail
    assert comparison.conflicts_missing.empty, detail
    assert comparison.accuracy >= 0.98, detail


def test_script_writes_data_and_truth_and_keeps_truth_out_of_raw(tmp_path, capsys):
    path = PROJECT_ROOT / "tools" / "generate_bundled_data.py"
    spec = importlib.util.spec_from_file_location("generate_bundled_data", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    raw = tmp_path / "raw"
    assert script.main(["--out", str(raw), "--truth", str(raw / "truth")]) == 2
    assert not raw.exists()
    assert script.main(["--out", str(raw), "--seed", "3", "--truth", str(tmp_path / "truth")]) == 0
    assert (raw / "national-social-security-budget.xlsx").exists()
    truth = pd.read_parquet(tmp_path / "truth" / "truth_assessments.parquet")
    assert len(truth) >= 40
    assert re.search(r"wrote \d+ files", capsys.readouterr().out)
