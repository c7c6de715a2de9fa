"""MIS extracts -> coverage by sex: normalisations, accounting, bad files, report functions."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nsss_analysis.cli import main as nsss
from nsss_analysis.commands import run_beneficiaries
from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.errors import NsssError
from nsss_analysis.intake.cells import CellError
from nsss_analysis.intake.quantities import parse_fiscal_year
from nsss_analysis.io import read_optional
from nsss_analysis.mis import counting as mis_counting
from nsss_analysis.mis import extracts as mis_extracts
from nsss_analysis.mis.counting import (
    COUNTED_UNREADABLE,
    COVERAGE_COLUMNS,
    INVALID_REASONS,
    QUALITY_COLUMNS,
    _count,
    coverage_from_extracts,
)
from nsss_analysis.mis.coverage import (
    WOMEN_SHARE_COLUMNS,
    WOMEN_SHARE_FILE,
    _wilson,
    amount_by_sex,
    coverage_by_age_band,
    coverage_by_district,
    form_mis_disagreements,
    payment_channel_by_sex,
    women_share_by_programme,
)
from nsss_analysis.mis.extracts import _sample_csv, default_extracts
from nsss_analysis.mis.lookups import (
    age_band,
    normalise_district,
    normalise_payment_channel,
    normalise_sex,
)
from nsss_analysis.mis.schemas import validate_coverage
from nsss_analysis.reference.text import bangla_digits_to_ascii
from nsss_analysis.reference.vocab import load_reference, normalise_key
from tools.synthetic.extracts import ProgrammeSpec, generate_extract

HEADER = ["beneficiary_id", "programme", "ministry", "sex", "birth_year", "district", "amount_bdt",
          "payment_channel", "fiscal_year"]
OAA, WIDOW, MCBP = (
    "Old Age Allowance",
    "Allowances for Widow, Deserted and Destitute Women",
    "Mother and Child Benefit Programme",
)


def write_csv(path: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})
    return path


def person(id_, **kw) -> dict:
    row = dict(beneficiary_id=id_, programme=OAA, ministry="MoSW", sex="F", birth_year="1950",
               district="Dhaka", amount_bdt="7200", payment_channel="mobile", fiscal_year="2023-24")
    row.update(kw)
    return row


def assessments(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["ministry", "ministry_code", "programme", "sex_disaggregated_data"])


def totals(quality: pd.DataFrame) -> dict[str, int]:
    cols = ["rows_read", "rows_counted", *INVALID_REASONS, *COUNTED_UNREADABLE, "duplicate_id"]
    return {c: int(quality[c].sum()) for c in cols}


def accounted(quality: pd.DataFrame) -> bool:
    parts = quality[["rows_counted", *INVALID_REASONS, "duplicate_id"]].sum(axis=1)
    return bool((parts == quality["rows_read"]).all())


# --- normalisations --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, sex",
    [
        ("F", "female"), (" female ", "female"), ("Woman", "female"), ("মহিলা", "female"), ("নারী", "female"),
        ("m", "male"), ("MALE", "male"), ("man", "male"), ("পুরুষ", "male"),
        ("H", "hijra"), ("Third gender", "hijra"), ("transgender", "hijra"),
        ("হিজড়া", "hijra"),  # precomposed RRA (U+09DC)
        ("হিজড\u09bcা", "hijra"),  # DDA + nukta: the same word as typed on some keyboards
        ("X", None), ("", None), (None, None), ("0", None),
    ],
)
def test_sex_codes_english_and_bangla(raw, sex):
    assert normalise_sex(raw) == sex


@pytest.mark.parametrize(
    "raw, district",
    [
        ("Chittagong", "Chattogram"), ("Chattogram", "Chattogram"), ("Comilla", "Cumilla"),
        ("Jessore", "Jashore"), ("Barisal", "Barishal"), ("Bogra", "Bogura"), (" DHAKA ", "Dhaka"),
        ("Cox's Bazar", "Cox's Bazar"), ("Coxs Bazar", "Cox's Bazar"), ("Atlantis", None), ("", None),
    ],
)
def test_district_variants(raw, district):
    assert normalise_district(raw) == district


def test_all_64_districts_have_a_division():
    ref = load_reference()
    assert len(ref.districts) == 64
    assert all(normalise_district(d) == d for d in ref.districts)
    assert set(ref.district_division.values()) == {
        "Barishal", "Chattogram", "Dhaka", "Khulna", "Mymensingh", "Rajshahi", "Rangpur", "Sylhet"
    }


@pytest.mark.parametrize(
    "raw, channel",
    [("bKash", "mobile"), ("Mobile Banking", "mobile"), ("Bank", "bank"), ("Post Office", "post office"),
     ("hand cash", "cash"), ("", "unknown"), (None, "unknown"), ("pigeon", "unknown")],
)
def test_payment_channels(raw, channel):
    assert normalise_payment_channel(raw) == channel


@pytest.mark.parametrize(
    "age, band",
    [("0", "0-4"), ("4", "0-4"), ("5", "5-17"), ("17", "5-17"), ("18", "18-35"), ("35", "18-35"),
     ("36", "36-59"), ("59", "36-59"), ("60", "60+"), ("130", "60+"), ("63.0", "60+"), ("৬৫", "60+"),
     ("131", None), ("-1", None), ("abc", None), ("6.5", None), ("", "unknown"), (None, "unknown")],
)
def test_age_band_edges(age, band):
    assert age_band(age=age) == band


def test_age_from_birth_year_is_fiscal_year_start_minus_birth_year():
    assert age_band(birth_year="1963", fiscal_year="2023-24") == "60+"  # 60
    assert age_band(birth_year="1964", fiscal_year="2023-24") == "36-59"  # 59
    assert age_band(birth_year="১৯৬৩", fiscal_year="2023-24") == "60+"
    assert age_band(birth_year="1963", fiscal_year=None) == "unknown"  # no year to count from
    assert age_band(birth_year="63", fiscal_year="2023-24") is None  # not four digits
    assert age_band(birth_year="2090", fiscal_year="2023-24") is None  # born after the year
    assert age_band(age="10", birth_year="1950", fiscal_year="2023-24") == "5-17"  # age wins


def test_bangla_digits_in_sql_are_the_ones_parse_reads():
    assert bangla_digits_to_ascii("".join(chr(0x09E6 + d) for d in range(10))) == "0123456789"


# --- accounting ------------------------------------------------------------------


def test_each_row_gets_one_reason_in_precedence_order(tmp_path):
    rows = [
        person("1"),  # counted
        person("2", sex="মহিলা", district="Chittagong"),  # counted
        person("", sex="X"),  # missing id beats unknown sex
        person("3", sex="X", birth_year="19x5"),  # unknown sex: not counted, whatever the age
        person("4", birth_year="abc", district="Atlantis"),  # valid sex: counted, age and district unknown
        person("5", district="Atlantis"),  # valid sex: counted, district unknown
        person("1", district="Comilla"),  # duplicate of id 1: counted once
        person("6", sex="X"), person("6"),  # an invalid row never makes a valid one a duplicate
        person("7", payment_channel="", amount_bdt=""),  # blank channel and amount still count
    ]
    coverage, quality = coverage_from_extracts([write_csv(tmp_path / "x.csv", rows)])
    assert totals(quality) == {
        "rows_read": 10, "rows_counted": 6, "invalid_missing_id": 1, "invalid_unknown_sex": 2,
        "invalid_age": 1, "invalid_district": 2, "duplicate_id": 1,
    }
    assert accounted(quality)
    assert coverage["beneficiaries"].sum() == 6
    # a valid-sex row with an unreadable age or district counts in the sex totals
    unknown = coverage[coverage["district"] == "unknown"]
    assert unknown["beneficiaries"].sum() == 2 and set(unknown["sex"]) == {"female"}
    assert coverage.loc[coverage["age_band"] == "unknown", "beneficiaries"].sum() >= 1
    # id 1 is counted once, as the row with the smaller codes: districts are coded
    # alphabetically, so Cumilla (ids 1) before Dhaka (ids 6 and 7)
    kept = coverage[coverage["district"].isin(["Dhaka", "Cumilla"])]
    assert kept.groupby("district")["beneficiaries"].sum().to_dict() == {"Cumilla": 1, "Dhaka": 2}
    assert coverage.loc[coverage["payment_channel"] == "unknown", "beneficiaries"].sum() == 1
    assert coverage["amount_bdt"].sum() == 7200 * 5  # the blank amount is unknown, not zero


def test_a_duplicated_id_keeps_its_smallest_amount(tmp_path):
    rows = [person("1", amount_bdt="7200"), person("1", amount_bdt="3600"), person("1", amount_bdt="")]
    coverage, quality = coverage_from_extracts([write_csv(tmp_path / "x.csv", rows)])
    assert coverage["amount_bdt"].sum() == 3600 and totals(quality)["duplicate_id"] == 2


def test_duplicates_are_per_programme_and_fiscal_year(tmp_path):
    rows = [
        person("1"), person("1", fiscal_year="2022-23"), person("1", programme=WIDOW),
        person("1", fiscal_year="2023-2024"),  # the same fiscal year written another way
    ]
    coverage, quality = coverage_from_extracts([write_csv(tmp_path / "x.csv", rows)])
    assert totals(quality)["rows_counted"] == 3
    assert totals(quality)["duplicate_id"] == 1
    assert sorted(coverage["fiscal_year"].unique()) == ["2022-23", "2023-24"]


def test_duplicate_across_files_is_counted_once_and_charged_to_the_later_file(tmp_path):
    first = write_csv(tmp_path / "a.csv", [person("1"), person("2")])
    table = pa.table({k: [v] for k, v in person("1", district="Bogra").items()})
    second = tmp_path / "b.parquet"
    pq.write_table(table, second)
    coverage, quality = coverage_from_extracts([first, second])
    by_file = quality.set_index("source_file")
    assert by_file.loc[first.as_posix(), "rows_counted"] == 2
    assert by_file.loc[second.as_posix(), "rows_counted"] == 0
    assert by_file.loc[second.as_posix(), "duplicate_id"] == 1
    assert set(coverage["district"]) == {"Dhaka"}  # the earlier file's row is the one kept


@pytest.mark.parametrize("fmt, age_column", [("csv", "birth_year"), ("parquet", "age"), ("csv", "age")])
def test_generated_extract_is_accounted_exactly(tmp_path, fmt, age_column):
    path = tmp_path / f"extract.{fmt}"
    expected = generate_extract(path, 6000, seed=3, fmt=fmt, age_column=age_column, invalid_share=0.03,
                                duplicate_share=0.02, chunk_rows=2500)
    coverage, quality = coverage_from_extracts([path])
    got = totals(quality)
    assert got["rows_read"] == expected["rows"] == 6000
    for reason in ("invalid_unknown_sex", "invalid_age", "invalid_district", "duplicate_id"):
        assert got[reason] == expected[reason] > 0, reason
    assert got["invalid_missing_id"] == 0
    assert accounted(quality)
    assert coverage["beneficiaries"].sum() == got["rows_counted"]
    per_programme = quality.groupby("programme")["rows_read"].sum().to_dict()
    assert per_programme == {k.removeprefix("rows:"): v for k, v in expected.items() if k.startswith("rows:")}
    assert set(coverage["district"]) <= {*load_reference().districts, "unknown"}
    assert set(coverage["sex"]) == {"female", "male", "hijra"}


@pytest.fixture
def tiny_sample(monkeypatch):
    """Make the first pass sample every CSV file, and see only a few hundred bytes of it:
    most values then reach the counting pass unseen."""
    monkeypatch.setattr(mis_extracts, "SAMPLE_ABOVE_BYTES", 0)
    monkeypatch.setattr(mis_extracts, "SAMPLE_HEAD_BYTES", 300)
    monkeypatch.setattr(mis_extracts, "SAMPLE_CHUNKS", 2)
    monkeypatch.setattr(mis_extracts, "SAMPLE_CHUNK_BYTES", 200)


def test_a_sampled_first_pass_gives_the_same_tables(tmp_path, monkeypatch):
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    generate_extract(paths[0], 3000, seed=8, invalid_share=0.05, duplicate_share=0.03)
    generate_extract(paths[1], 1000, seed=9, invalid_share=0.05, fiscal_year="2022-23", age_column="age")
    exact = coverage_from_extracts(paths)
    monkeypatch.setattr(mis_extracts, "SAMPLE_ABOVE_BYTES", 0)
    samples = []
    sample = _sample_csv
    monkeypatch.setattr(mis_extracts, "_sample_csv", lambda *a: samples.append(1) or sample(*a))
    sampled = coverage_from_extracts(paths)
    assert len(samples) == 2
    pd.testing.assert_frame_equal(exact[0], sampled[0])
    pd.testing.assert_frame_equal(exact[1], sampled[1])


def test_a_sampled_semicolon_file_with_other_headers(tmp_path, monkeypatch):
    header = ["Beneficiary ID", "Programme", "Sex", "Birth Year", "District", "Amount (BDT)", "Fiscal Year", "Note"]
    path = tmp_path / "x.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        for i in range(400):
            writer.writerow([f"B{i}", OAA, "মহিলা" if i % 3 else "M", 1950 + i % 20, "Bogra", "7,200", "2023-24",
                             "moved; see file"])
    exact = coverage_from_extracts([path])
    monkeypatch.setattr(mis_extracts, "SAMPLE_ABOVE_BYTES", 0)
    monkeypatch.setattr(mis_extracts, "SAMPLE_HEAD_BYTES", 2000)
    sampled = coverage_from_extracts([path])
    pd.testing.assert_frame_equal(exact[0], sampled[0])
    assert sampled[0]["beneficiaries"].sum() == 400 and sampled[0]["amount_bdt"].sum() == 400 * 7200


@pytest.mark.parametrize("age_column", ["age", "birth_year"])
def test_ages_the_sample_missed_need_no_second_pass(tmp_path, monkeypatch, age_column):
    path = tmp_path / "x.csv"
    generate_extract(path, 1500, seed=4, age_column=age_column, variant_share=0.0, invalid_share=0.0)
    exact = coverage_from_extracts([path])
    for name, value in (("SAMPLE_ABOVE_BYTES", 0), ("SAMPLE_HEAD_BYTES", 2000), ("SAMPLE_CHUNKS", 0)):
        monkeypatch.setattr(mis_extracts, name, value)
    passes = []
    count = _count
    monkeypatch.setattr(mis_counting, "_count", lambda *a: passes.append(1) or count(*a))
    sampled = coverage_from_extracts([path])
    assert len(passes) == 1  # every plausible age is in the lookups already
    pd.testing.assert_frame_equal(exact[0], sampled[0])


def test_an_extract_split_in_two_files_gives_the_same_coverage(tmp_path):
    whole = tmp_path / "whole.csv"
    generate_extract(whole, 3000, seed=12, invalid_share=0.05, duplicate_share=0.05)
    header, *lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    halves = [tmp_path / "first.csv", tmp_path / "second.csv"]
    halves[0].write_text(header + "".join(lines[:1500]), encoding="utf-8")
    halves[1].write_text(header + "".join(lines[1500:]), encoding="utf-8")
    one, one_quality = coverage_from_extracts([whole])
    two, two_quality = coverage_from_extracts(halves)  # through the temporary table
    pd.testing.assert_frame_equal(one, two)
    assert totals(one_quality) == totals(two_quality)
    assert two_quality.groupby("source_file")["rows_read"].sum().tolist() == [1500, 1500]


def test_values_the_sample_missed_are_classified_exactly(tmp_path, tiny_sample, monkeypatch):
    rows = [person(str(i)) for i in range(20)] + [
        person("a", district="Jhenidah"),  # a valid spelling seen by nobody: a second pass
        person("b", sex="Femal"),  # unseen and invalid: counted as unknown sex
        person("c", birth_year="19x0"),
        person("", programme="Rural Roads"),  # unseen programme, blank id
        person("1", programme="old age  allowance"),  # unseen spelling of a seen programme: a duplicate
    ]
    passes = []
    count = _count
    monkeypatch.setattr(mis_counting, "_count", lambda *a: passes.append(1) or count(*a))
    coverage, quality = coverage_from_extracts([write_csv(tmp_path / "x.csv", rows)])
    assert len(passes) == 2  # Jhenidah makes a row valid: counted again with it known
    assert totals(quality) == {
        "rows_read": 25, "rows_counted": 22, "invalid_missing_id": 1, "invalid_unknown_sex": 1,
        "invalid_age": 1, "invalid_district": 0, "duplicate_id": 1,  # row c counts, age unknown
    }
    assert coverage.loc[coverage["district"] == "Jhenaidah", "beneficiaries"].sum() == 1
    assert set(quality["programme"]) == {OAA, "Rural Roads"}


CELLS = st.lists(
    st.tuples(
        st.sampled_from(["1", "2", "3", ""]),
        st.sampled_from([OAA, WIDOW, "OLD AGE ALLOWANCE", ""]),
        st.sampled_from(["F", "m", "হিজড়া", "?", "Female"]),
        st.sampled_from(["1950", "2001", "x", "", "১৯৫০"]),
        st.sampled_from(["Dhaka", "Bogra", "Nowhere", "Jhenidah"]),
        st.sampled_from(["2023-24", "2022-23", "2023-2024", "bad", ""]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CELLS)
def test_every_row_is_accounted_for(tmp_path_factory, cells):
    check_accounting(tmp_path_factory.mktemp("h"), cells)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CELLS)
def test_every_row_is_accounted_for_when_the_sample_misses_values(tmp_path_factory, cells):
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (("SAMPLE_ABOVE_BYTES", 0), ("SAMPLE_HEAD_BYTES", 250), ("SAMPLE_CHUNKS", 1),
                            ("SAMPLE_CHUNK_BYTES", 150)):
            mp.setattr(mis_extracts, name, value)
        check_accounting(tmp_path_factory.mktemp("h"), cells)


def check_accounting(folder: Path, cells: list[tuple]) -> None:
    cells = [("0", OAA, "F", "1950", "Dhaka", "2023-24"), *cells]  # one readable birth year: not a wrong type
    rows = [person(i, programme=p, sex=s, birth_year=b, district=d, fiscal_year=fy) for i, p, s, b, d, fy in cells]
    path = write_csv(folder / "x.csv", rows)
    coverage, quality = coverage_from_extracts([path])
    assert accounted(quality)
    assert totals(quality)["rows_read"] == len(rows)
    def fiscal_year(text: str) -> str | None:
        try:
            return parse_fiscal_year(text)
        except CellError:
            return None  # an unreadable fiscal year is unknown, not a reason to drop the row

    valid = {
        (normalise_key(p), fiscal_year(fy), i)
        for i, p, s, b, d, fy in cells
        if i and p.strip() and normalise_sex(s)  # a valid sex counts, whatever the age or district
    }
    assert coverage["beneficiaries"].sum() == len(valid) == totals(quality)["rows_counted"]


def test_amounts_with_bangla_digits_and_separators(tmp_path):
    rows = [person("1", amount_bdt="৭,২০০"), person("2", amount_bdt="1,800.50"), person("3", amount_bdt="n/a"),
            person("4", amount_bdt="-600"), person("5", amount_bdt="1e12"), person("6", amount_bdt="0.125"),
            person("7", amount_bdt="")]
    coverage, quality = coverage_from_extracts([write_csv(tmp_path / "x.csv", rows)])
    assert coverage["amount_bdt"].sum() == pytest.approx(9000.63)  # summed in paisa
    assert quality["amount_unreadable"].sum() == 3  # n/a, a negative and an absurd amount; blank is not
    assert quality["rows_counted"].sum() == 7


def test_headers_in_other_spellings_and_optional_columns_absent(tmp_path):
    header = ["Beneficiary ID", "Programme", "Sex", "Age", "District", "Amount (BDT)"]
    rows = [{"Beneficiary ID": "1", "Programme": OAA, "Sex": "F", "Age": "70", "District": "Dhaka",
             "Amount (BDT)": "600"}]
    path = write_csv(tmp_path / "oaa_FY2023-24.csv", rows, header)
    coverage, quality = coverage_from_extracts([path])
    row = coverage.iloc[0]
    assert (row["fiscal_year"], row["age_band"], row["payment_channel"]) == ("2023-24", "60+", "unknown")
    assert pd.isna(row["ministry_code"])  # no ministry column and nothing assessed to match


# --- programme matching ----------------------------------------------------------


def test_programmes_match_the_assessed_ones_by_ministry_and_key(tmp_path):
    forms = assessments(
        ("Ministry of Social Welfare", "MoSW", OAA, "yes"),
        ("Ministry of Women and Children Affairs", "MoWCA", MCBP, "no"),
    )
    with_ministry = write_csv(tmp_path / "a.csv", [
        person("1", programme="OLD  AGE allowance ", ministry="Social Welfare Ministry"),
        person("2", programme="Old Age Allowance.", ministry="Ministry of Social Welfare"),
        person("3", programme="Rural Roads", ministry="Ministry of Magic"),
    ])
    header = [h for h in HEADER if h != "ministry"]
    without_ministry = write_csv(tmp_path / "b.csv", [person("9", programme="mother and child benefit programme")],
                                 header)
    coverage, _ = coverage_from_extracts([with_ministry, without_ministry], forms)
    found = coverage.groupby(["programme", "ministry_code"], dropna=False)["beneficiaries"].sum()
    assert found[(OAA, "MoSW")] == 2
    assert found[(MCBP, "MoWCA")] == 1  # matched by name alone: only MoWCA assessed it
    assert coverage.loc[coverage["programme"] == "Rural Roads", "ministry_code"].isna().all()
    assert set(coverage.loc[coverage["ministry_code"] == "MoSW", "ministry"]) == {"Ministry of Social Welfare"}


# --- bad extracts ----------------------------------------------------------------


def _truncated_parquet(path: Path) -> Path:
    good = path.with_name("good.parquet")
    pq.write_table(pa.table({k: [v] * 100 for k, v in person("1").items()}), good)
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    good.unlink()
    return path


def _bad(kind: str, path: Path) -> Path:
    if kind == "missing column":
        return write_csv(path.with_suffix(".csv"), [person("1")], [h for h in HEADER if h != "sex"])
    if kind == "empty file":
        path.with_suffix(".csv").write_bytes(b"")
        return path.with_suffix(".csv")
    if kind == "header only":
        return write_csv(path.with_suffix(".csv"), [])
    if kind == "truncated parquet":
        return _truncated_parquet(path.with_suffix(".parquet"))
    if kind == "wrong type (parquet date)":
        table = pa.table({**{k: [v] for k, v in person("1").items()}, "amount_bdt": pa.array([dt.date(2024, 1, 1)], pa.date32())})
        pq.write_table(table, path.with_suffix(".parquet"))
        return path.with_suffix(".parquet")
    if kind == "wrong type (text amounts)":
        return write_csv(path.with_suffix(".csv"), [person(str(i), amount_bdt="Dhaka") for i in range(10, 15)])
    if kind == "wrong type (dates as birth years)":
        return write_csv(path.with_suffix(".csv"), [person(str(i), birth_year="1950-01-01") for i in range(10, 15)])
    if kind == "not an extract":
        path.with_suffix(".xlsx").write_bytes(b"PK")
        return path.with_suffix(".xlsx")
    raise AssertionError(kind)


BAD_KINDS = ["missing column", "empty file", "header only", "truncated parquet", "wrong type (parquet date)",
             "wrong type (text amounts)", "wrong type (dates as birth years)", "not an extract"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_extract_is_one_line_error_naming_the_file_and_nothing_is_written(tmp_path, kind, capsys):
    good = write_csv(tmp_path / "good.csv", [person("1")])
    bad = _bad(kind, tmp_path / "bad_extract")
    out = tmp_path / "processed"
    with pytest.raises(NsssError) as err:
        run_beneficiaries([good, bad], out)
    message = str(err.value)
    assert bad.name in message and "\n" not in message
    assert not out.exists() or not any(out.iterdir())
    # the command line: exit 1, one line on stderr, no traceback
    assert nsss(["beneficiaries", str(good), str(bad), "--out", str(out)]) == 1
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and bad.name in stderr and "Traceback" not in stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(NsssError, match="nope.csv: no such file"):
        coverage_from_extracts([tmp_path / "nope.csv"])


# --- the command and its outputs ---------------------------------------------------


def test_command_writes_three_tables_and_matches_processed_assessments(tmp_path, capsys):
    out = tmp_path / "processed"
    out.mkdir()
    assessments(("Ministry of Social Welfare", "MoSW", OAA, "no")).to_parquet(out / "assessments.parquet")
    extract = tmp_path / "oaa.parquet"
    generate_extract(extract, 500, seed=1, fmt="parquet", programmes=(
        ProgrammeSpec("OLD AGE ALLOWANCE", "MoSW", "OAA", 600, 0.45, 0.0, 62, 95),))
    assert nsss(["beneficiaries", str(extract), "--out", str(out), "--memory-limit", "256MB"]) == 0
    assert "500 rows read" in capsys.readouterr().out
    coverage = read_optional("coverage_by_sex", out)
    assert set(coverage["programme"]) == {OAA}  # the assessed spelling
    assert list(coverage.columns) == list(COVERAGE_COLUMNS)
    quality = pd.read_parquet(out / "coverage_quality.parquet")
    assert list(quality.columns) == list(QUALITY_COLUMNS) and accounted(quality)
    share = pd.read_parquet(out / WOMEN_SHARE_FILE)
    assert list(share.columns) == list(WOMEN_SHARE_COLUMNS) and len(share) == 1
    assert read_optional("coverage_by_sex", tmp_path / "empty") is None


def test_default_extracts_lists_csv_and_parquet_under_mis(tmp_path):
    mis = tmp_path / "mis"
    (mis / "2024").mkdir(parents=True)
    for name in ("a.csv", "2024/b.parquet", "README.md", ".hidden.csv"):
        (mis / name).write_text("x")
    assert [p.relative_to(mis).as_posix() for p in default_extracts(tmp_path)] == ["2024/b.parquet", "a.csv"]
    assert default_extracts(tmp_path / "none") == []


def test_bundled_extracts_cover_the_three_programmes():
    from nsss_analysis.config import RAW_DIR

    files = default_extracts(RAW_DIR)
    if not files:
        pytest.skip("no bundled MIS extracts in data/raw/mis")
    coverage, quality = coverage_from_extracts(files)
    assert {OAA, WIDOW, MCBP} <= set(coverage["programme"])
    assert accounted(quality)
    assert all("SYNTHETIC" in f.name for f in files)


# --- report-facing functions -----------------------------------------------------


@pytest.fixture
def coverage() -> pd.DataFrame:
    rows = []
    for programme, ministry, code, cells in (
        (OAA, "Ministry of Social Welfare", "MoSW", [("female", "60+", "Dhaka", "mobile", 30, 600.0),
                                                     ("male", "60+", "Dhaka", "cash", 60, 600.0),
                                                     ("female", "36-59", "Bhola", "bank", 10, 600.0)]),
        (MCBP, "Ministry of Women and Children Affairs", "MoWCA", [("female", "18-35", "Sylhet", "mobile", 5, 800.0)]),
    ):
        for sex, band, district, channel, n, rate in cells:
            rows.append(dict(programme=programme, ministry=ministry, ministry_code=code, fiscal_year="2023-24",
                             sex=sex, age_band=band, district=district,
                             division=load_reference().district_division[district], payment_channel=channel,
                             beneficiaries=n, amount_bdt=n * rate * 12))
    return pd.DataFrame(rows).astype({"beneficiaries": "int64", "amount_bdt": "float64"})


def test_women_share_with_wilson_interval(coverage):
    share = women_share_by_programme(coverage)
    oaa = share.set_index("programme").loc[OAA]
    assert (oaa["women"], oaa["total"]) == (40, 100)
    assert oaa["share"] == pytest.approx(0.4)
    assert (oaa["ci_low"], oaa["ci_high"]) == pytest.approx(wilson_interval(40, 100))
    assert list(women_share_by_programme(coverage, "MoWCA")["programme"]) == [MCBP]


@pytest.mark.parametrize("name", ["MoSW", "Ministry of Social Welfare", "social welfare ministry"])
def test_ministry_by_name_code_or_alias(coverage, name):
    assert set(amount_by_sex(coverage, name)["programme"]) == {OAA}


def test_unknown_ministry_is_an_error_and_one_without_data_is_empty(coverage):
    with pytest.raises(NsssError, match="not a ministry"):
        coverage_by_district(coverage, "Ministry of Magic")
    assert coverage_by_district(coverage, "Ministry of Defence").empty


def test_age_bands_in_age_order(coverage):
    bands = coverage_by_age_band(coverage, "MoSW")
    assert list(bands["age_band"]) == ["36-59", "60+"]
    assert bands.set_index("age_band").loc["60+", "women_share"] == pytest.approx(1 / 3)


def test_districts_with_division_sorted_by_women_share(coverage):
    districts = coverage_by_district(coverage, "MoSW")
    assert list(districts["district"]) == ["Bhola", "Dhaka"]
    assert list(districts["division"]) == ["Barishal", "Dhaka"]


def test_amount_by_sex_total_and_mean(coverage):
    amounts = amount_by_sex(coverage, "MoSW").set_index("sex")
    assert amounts.loc["female", "amount_bdt"] == 40 * 7200
    assert amounts.loc["male", "mean_bdt"] == 7200
    assert list(amounts.index) == ["female", "male"]


def test_payment_channel_shares_per_sex(coverage):
    channels = payment_channel_by_sex(coverage, "MoSW")
    assert channels.groupby("sex")["share_of_sex"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert channels.set_index(["sex", "payment_channel"]).loc[("female", "mobile"), "share_of_sex"] == 0.75


def test_form_and_mis_disagreements(coverage):
    forms = assessments(
        ("Ministry of Social Welfare", "MoSW", "old age allowance", "no"),  # MIS has sex: flag
        ("Ministry of Social Welfare", "MoSW", WIDOW, "yes"),  # extract read, nobody counted
        ("Ministry of Social Welfare", "MoSW", "Hijra Livelihood", "yes"),  # no extract: nothing to compare
        ("Ministry of Women and Children Affairs", "MoWCA", MCBP, "yes"),  # MIS mostly unknown sex
        ("Ministry of Defence", "MoD", "Armed Forces Pension", "yes"),  # no extracts at all: nothing to say
    )
    quality = pd.DataFrame({
        "programme": [OAA, MCBP, WIDOW], "ministry_code": ["MoSW", "MoWCA", "MoSW"], "rows_read": [100, 20, 10],
        "invalid_unknown_sex": [0, 15, 2],
    })
    flags = form_mis_disagreements(coverage, forms, quality).set_index("programme")["kind"].to_dict()
    assert flags == {
        "old age allowance": "form_no_mis_has_sex",
        WIDOW: "form_yes_mis_empty",
        MCBP: "form_yes_mis_unknown_sex",
    }
    agree = assessments(("Ministry of Social Welfare", "MoSW", OAA, "yes"))
    assert form_mis_disagreements(coverage, agree).empty


def test_closed_form_wilson_matches_the_shared_interval():
    women, total = np.array([0, 1, 40, 99, 100, 7]), np.array([100, 3, 100, 100, 100, 0])
    low, high = _wilson(women, total)
    ref_low, ref_high = wilson_interval(women, total)
    np.testing.assert_allclose(low, ref_low, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(high, ref_high, rtol=1e-12, atol=1e-15)


def test_wilson_bounds_stay_within_0_and_1_when_all_or_none_are_women():
    # unclipped, rounding gave 1.0000000000000002 for 9 of 9 women, and the schema
    # check then refused a real extract whose programme only women receive
    total = np.arange(1, 5000)
    for women in (total, total * 0):
        low, high = _wilson(women, total)
        assert ((low >= 0) & (high <= 1)).all()


def test_progress_bar_runs_and_leaves_the_result_unchanged(tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", [person(str(i)) for i in range(50)])
    quiet = coverage_from_extracts([path], progress=False)
    shown = coverage_from_extracts([path], progress=True)
    pd.testing.assert_frame_equal(quiet[1], shown[1])
    assert "nsss beneficiaries" in capsys.readouterr().err


# --- the command's light path: no pandas, same tables --------------------------------


def test_the_command_writes_what_the_dataframe_functions_give(tmp_path):
    """``nsss beneficiaries`` counts and writes with DuckDB and plain Python: its three
    files hold exactly the tables of ``coverage_from_extracts`` and
    ``women_share_by_programme`` (values, dtypes, order)."""
    paths = [tmp_path / "a.csv", tmp_path / "b.parquet"]
    generate_extract(paths[0], 2000, seed=21, invalid_share=0.05, duplicate_share=0.05)
    generate_extract(paths[1], 800, seed=22, fmt="parquet", invalid_share=0.05, age_column="age")
    out = tmp_path / "processed"
    assert run_beneficiaries(paths, out) == 0
    coverage, quality = coverage_from_extracts(paths)
    pd.testing.assert_frame_equal(read_optional("coverage_by_sex", out), coverage, check_exact=True)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "coverage_quality.parquet"), quality, check_exact=True)
    pd.testing.assert_frame_equal(pd.read_parquet(out / WOMEN_SHARE_FILE), women_share_by_programme(coverage),
                                  check_exact=True)


def test_the_command_imports_neither_pandas_nor_the_report_layer(tmp_path):
    """The MIS path's start-up: pandas, pandera, numpy, matplotlib and the report layer
    would take longer to import than DuckDB takes to count a million rows."""
    import subprocess
    import sys

    extract = write_csv(tmp_path / "x.csv", [person(str(i)) for i in range(30)])
    script = (
        "import sys\n"
        "from nsss_analysis.cli import main\n"
        f"code = main(['beneficiaries', {str(extract)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
        "heavy = [m for m in ('pandas', 'pandera', 'numpy', 'pyarrow', 'matplotlib', 'statsmodels',"
        " 'nsss_analysis.report', 'nsss_analysis.diagnostics.summaries') if m in sys.modules]\n"
        "print('loaded:', heavy, 'exit', code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "loaded: [] exit 0" in done.stdout
    assert read_optional("coverage_by_sex", tmp_path / "out")["beneficiaries"].sum() == 30


@pytest.mark.parametrize("table, column, value, check", [
    ("coverage_by_sex", "sex", "woman", "isin"),
    ("coverage_by_sex", "beneficiaries", -1, "greater_than_or_equal_to"),
    ("coverage_by_sex", "beneficiaries", None, "not_nullable"),
    ("coverage_women_share", "share", 1.5, "in_range"),
    ("coverage_quality", "rows_read", 0, "rows read must cover"),
])
def test_the_rows_check_and_the_pandera_schema_refuse_the_same_table(tmp_path, table, column, value, check):
    from nsss_analysis.mis.counting import as_frame, women_share_rows
    from nsss_analysis.mis.schemas import check_rows

    extract = write_csv(tmp_path / "x.csv", [person(str(i), sex="F" if i % 2 else "M") for i in range(10)])
    coverage, quality = mis_counting.count_extracts([extract])
    at = {c: i for i, c in enumerate(COVERAGE_COLUMNS)}
    share = women_share_rows([r[at[c]] for c in ("ministry", "ministry_code", "programme", "fiscal_year", "sex",
                                                 "beneficiaries")] for r in coverage)
    rows = {"coverage_by_sex": coverage, "coverage_quality": quality, "coverage_women_share": share}[table]
    check_rows(table, rows)  # as counted: accepted by both
    mis_counting_columns = list(as_frame(table, rows).columns)
    i = mis_counting_columns.index(column)
    broken = [(*rows[0][:i], value, *rows[0][i + 1:]), *rows[1:]]
    with pytest.raises(NsssError, match=check) as plain:
        check_rows(table, broken)
    if value is not None:  # a null count cannot even become an int64 DataFrame column
        with pytest.raises(NsssError, match=check):
            validate_coverage(table, as_frame(table, broken))
    assert "\n" not in str(plain.value)


@pytest.mark.parametrize("sampled", [False, True])
def test_a_file_mixing_utf8_and_windows_1252_lines_is_read_line_by_line(tmp_path, monkeypatch, capsys, sampled):
    """An MIS export with a few Windows-1252 lines (a right quote typed in Excel) among
    UTF-8 ones (Bangla): each line decoded as the forms' reader does, every row counted."""
    if sampled:  # the bad bytes are met by the counting pass, not the first pass
        for name, value in (("SAMPLE_ABOVE_BYTES", 0), ("SAMPLE_HEAD_BYTES", 300), ("SAMPLE_CHUNKS", 0)):
            monkeypatch.setattr(mis_extracts, name, value)
    rows = [person(str(i), sex="মহিলা" if i % 2 else "M") for i in range(40)]
    path = write_csv(tmp_path / "mixed.csv", rows)
    lines = path.read_bytes().split(b"\n")
    lines[31] = lines[31].replace(b"Dhaka", "Cox’s Bazar".encode("cp1252"))  # line 32: Windows-1252
    lines[35] = lines[35].replace(b"Dhaka", b"Caf\xe9 \x81")  # line 36: a byte neither can read
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    out = tmp_path / "processed"
    assert nsss(["beneficiaries", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "mixed.csv: not UTF-8 throughout: 2 line(s) read as Windows-1252 (32, 36)" in printed
    coverage, quality = read_optional("coverage_by_sex", out), pd.read_parquet(out / "coverage_quality.parquet")
    assert totals(quality)["rows_read"] == 40 == totals(quality)["rows_counted"], totals(quality)
    assert quality["source_file"].tolist() == [str(path.as_posix())]  # the file, not its copy
    assert coverage.loc[coverage["district"] == "Cox's Bazar", "beneficiaries"].sum() == 1
    assert totals(quality)["invalid_district"] == 1 and coverage["beneficiaries"].sum() == 40
    assert coverage.loc[coverage["sex"] == "female", "beneficiaries"].sum() == 20  # the Bangla lines
