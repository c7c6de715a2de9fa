"""Cell parsers: the spellings of docs/data-contract.md, section 2, and properties over any input."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nsss_analysis.intake.cells import (
    CellError,
    is_totals_label,
    parse_answer,
    parse_cluster,
    parse_followup,
    parse_list,
    parse_partner_agencies,
)
from nsss_analysis.intake.quantities import (
    find_fiscal_year,
    parse_amount_bdt,
    parse_amount_crore,
    parse_count,
    parse_duration,
    parse_fiscal_year,
)
from nsss_analysis.reference.ministries import (
    find_ministry,
    match_ministry,
    suggest_ministries,
)
from nsss_analysis.reference.text import bangla_digits_to_ascii, clean_text
from nsss_analysis.reference.vocab import load_reference
from tools.synthetic.forms import south_asian

REF = load_reference()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BANGLA = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


# --- text ---------------------------------------------------------------------------


def test_clean_text_folds_nbsp_newlines_and_trims():
    assert clean_text("  Old\u00a0Age\n\tAllowance \u200b") == "Old Age Allowance"
    assert clean_text("   ") is None and clean_text(None) is None
    assert clean_text(2020.0) == "2020"


def test_bangla_digits_become_ascii():
    assert bangla_digits_to_ascii("১,০৭,৬১৪ জন") == "1,07,614 জন"


# --- answers and follow-ups ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Yes", "yes"),
        ("Y", "yes"),
        ("yes.", "yes"),
        ("YES", "yes"),
        (" yes ", "yes"),
        (1, "yes"),
        (True, "yes"),
        ("Yes (partially)", "partly"),
        ("Partially", "partly"),
        ("Partly", "partly"),
        (0.5, "partly"),
        ("No", "no"),
        ("N", "no"),
        ("no.", "no"),
        (0, "no"),
        ("N/A", "not_applicable"),
        ("-", "unknown"),  # a dash is no answer
        ("–", "unknown"),
        ("NA", "not_applicable"),
        ("Not applicable", "not_applicable"),
        ("হ্যাঁ", "yes"),
        ("না", "no"),
        ("আংশিক", "partly"),
        ("প্রযোজ্য নয়", "not_applicable"),
        (None, "unknown"),
        ("", "unknown"),
        ("Don't know", "unknown"),
        ("?", "unknown"),
        ("Yes, through courtyard meetings", "yes"),
        ("No (not yet)", "no"),
        ("1.0", "yes"),
        ("0.50", "partly"),
    ],
)
def test_parse_answer_accepts_the_spellings_of_the_spec(cell, expected):
    assert parse_answer(cell) == expected


@pytest.mark.parametrize("cell", ["maybe later", "yes/no", "#N/A", "42"])
def test_parse_answer_rejects_unreadable_cells_with_a_reason(cell):
    with pytest.raises(CellError) as err:
        parse_answer(cell)
    assert cell in str(err.value)


def test_empty_answer_is_unknown_never_no():
    assert parse_answer("   ") == "unknown"


def test_followup_is_not_applicable_when_every_item_it_follows_is_yes_or_na():
    assert parse_followup("", ["yes"]) == "not_applicable"
    assert parse_followup("no", ["yes", "not_applicable"]) == "not_applicable"
    assert parse_followup(None, ["not_applicable"]) == "not_applicable"


def test_followup_after_no_or_partly_is_read_and_empty_is_unknown():
    assert parse_followup("", ["no"]) == "unknown"
    assert parse_followup(None, ["yes", "partly"]) == "unknown"
    assert parse_followup("Possible", ["no"]) == "yes"
    assert parse_followup("সম্ভব নয়", ["partly"]) == "no"
    assert parse_followup("Maybe", ["no"]) == "unknown"
    with pytest.raises(CellError):
        parse_followup("Partly", ["no"])  # a follow-up is yes or no


# --- fiscal years and durations -----------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "2020-21",
        "2020-2021",
        "FY21",
        "FY 2020-21",
        "2020/21",
        "2020–21",
        "২০২০-২১",
        2020,
        2020.0,
        "FY2021",
        "fy 2020-21",
        "20-21",
        dt.datetime(2021, 3, 1),
        "July 2020 - June 2021",
        "2020-21 (revised)",
        "Jan 2021",
    ],
)
def test_parse_fiscal_year_reads_every_supported_form_as_2020_21(cell):
    assert parse_fiscal_year(cell) == "2020-21"


@pytest.mark.parametrize("cell", ["20201-22", "2020-22", "2019-2021", "next year", "FY", 1800, 2020.5, True])
def test_parse_fiscal_year_rejects_non_consecutive_and_garbage(cell):
    with pytest.raises(CellError):
        parse_fiscal_year(cell)


def test_parse_fiscal_year_blank_is_none():
    assert parse_fiscal_year("  ") is None and parse_fiscal_year(None) is None


def test_find_fiscal_year_in_titles_and_file_names():
    assert find_fiscal_year("MoWCA_gender_assessment_FY2023-24") == "2023-24"
    assert find_fiscal_year("Gender assessment FY 2023-24 (draft)") == "2023-24"
    assert find_fiscal_year("Report dated 2024-07-15") is None


@pytest.mark.parametrize(
    ("cell", "start", "expected"),
    [
        ("ongoing", "2010-11", (None, True)),
        ("Continuous", None, (None, True)),
        ("চলমান", None, (None, True)),
        ("2023-24", "2019-20", ("2023-24", False)),
        ("2019-20 to 2023-24", "2019-20", ("2023-24", False)),
        ("2019–20 – 2023–24", None, ("2023-24", False)),
        ("5 years", "2019-20", ("2023-24", False)),
        (5, "2019-20", ("2023-24", False)),
        ("১ বছর", "2019-20", ("2019-20", False)),
        ("2019-20 to date", "2019-20", (None, True)),
        ("Till June 2025", "2019-20", ("2024-25", False)),
        (None, "2019-20", (None, None)),
    ],
)
def test_parse_duration(cell, start, expected):
    assert parse_duration(cell, start) == expected


def test_duration_in_years_needs_a_start_and_an_end_cannot_precede_it():
    with pytest.raises(CellError, match="start year"):
        parse_duration("3 years", None)
    with pytest.raises(CellError, match="before it starts"):
        parse_duration("2015-16", "2019-20")


# --- amounts and counts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "crore"),
    [
        ("1,258.50 crore", 1258.5),
        ("1258.5", 1258.5),
        (1258.5, 1258.5),
        ("Tk 50,000", 0.005),
        ("BDT 12 lakh", 0.12),
        ("12.5 million", 1.25),
        ("49,00,000", 0.49),
        ("৳ ৫০ কোটি", 50.0),
        ("১২ লক্ষ", 0.12),
        ("12 লাখ", 0.12),
        ("Tk 1.2 billion", 120.0),
        ("approx. 3,444.54 Cr.", 3444.54),
        ("4351 crore taka", 4351.0),
        ("-", None),
        ("", None),
    ],
)
def test_parse_amount_crore(cell, crore):
    got = parse_amount_crore(cell)
    assert got == pytest.approx(crore) if crore is not None else got is None


def test_amount_header_unit_applies_to_bare_numbers_only():
    assert parse_amount_crore("125", bare_unit="lakh") == pytest.approx(1.25)
    assert parse_amount_crore("125 crore", bare_unit="lakh") == pytest.approx(125)
    assert parse_amount_crore(5_000_000, bare_unit="taka") == pytest.approx(0.5)


@pytest.mark.parametrize(
    "cell", ["12%", "100-200", "-5", "12,5", "1 crore 20 lakh", "lots", "2 billion crore"]
)
def test_parse_amount_crore_rejects_what_is_not_one_amount(cell):
    with pytest.raises(CellError):
        parse_amount_crore(cell)


@pytest.mark.parametrize(
    ("cell", "persons"),
    [
        ("2.65 lakh", 265000),
        ("1,07,614", 107614),
        ("1.25 million", 1250000),
        ("12.5 lakh", 1250000),
        ("6,880 persons", 6880),
        ("58.01 lakh", 5801000),
        (265000.0, 265000),
        ("৮,৫১,৯০০", 851900),
    ],
)
def test_parse_count(cell, persons):
    assert parse_count(cell) == persons


def test_parse_count_rejects_money_fractions_of_people_and_impossible_counts():
    with pytest.raises(CellError, match="more people than live on Earth"):
        parse_count("1,200 crore")
    with pytest.raises(CellError, match="money"):
        parse_count("Tk 500")
    with pytest.raises(CellError, match="whole number"):
        parse_count("1.5")


@pytest.mark.parametrize(
    ("cell", "taka"),
    [("Tk 500", 500), ("৳৫০০", 500), ("500/-", 500), ("Tk 1,000 per month", 1000), (850, 850)],
)
def test_parse_amount_bdt(cell, taka):
    assert parse_amount_bdt(cell) == taka


# --- lists --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "known", "other"),
    [
        ("Old age; disability", ["old_age", "disability"], []),
        ("working age/vulnerable women of working age", ["working_age", "women_working_age"], []),
        ("school age & working age", ["school_age", "working_age"], []),
        ("Early childhood\nWomen of working age", ["early_childhood", "women_working_age"], []),
        ("• school age\n• disability", ["school_age", "disability"], []),
        ("disability, old age, disability", ["old_age", "disability"], []),
    ],
)
def test_parse_list_lifecycle_stages(cell, known, other):
    assert parse_list(cell, REF.lifecycle_stages) == (known, other)


@pytest.mark.parametrize(
    ("cell", "known", "other"),
    [
        ("transgender/hijra", ["transgender_hijra"], []),
        ("Women and girls; children", ["women", "children"], []),
        ("POOR, Women", ["women", "poor_households"], []),
        (
            "Dalit, tea garden/ sex workers and HIV affected",
            ["dalit", "tea_garden_workers", "sex_workers", "hiv_affected"],
            [],
        ),
        ("Widows/ Bede community and Hilsa fishers", ["women"], ["Bede community", "Hilsa fishers"]),
        ("urban poor, indigenous, etc.", ["urban_poor", "indigenous"], []),
        # the Bangla form's list says হিজড়া, as government does; older forms said ট্রান্সজেন্ডার/হিজড়া
        ("নারী, হিজড়া", ["transgender_hijra", "women"], []),
        ("ট্রান্সজেন্ডার/হিজড়া", ["transgender_hijra"], []),
    ],
)
def test_parse_list_target_groups_keeps_unknown_groups_verbatim(cell, known, other):
    assert parse_list(cell, REF.target_groups) == (known, other)


def test_parse_list_food_security_disaster_response_is_one_cluster_entry():
    assert parse_list("Food security/disaster response", REF.clusters) == (
        ["Food Security and Disaster Response"],
        [],
    )


def test_partner_agencies_register_names_and_verbatim_others_in_order():
    assert parse_partner_agencies("MoWCA, LGD and BRAC") == [
        "Ministry of Women and Children Affairs",
        "Local Government Division",
        "BRAC",
    ]
    assert parse_partner_agencies(
        "Ministry of Women and Children Affairs and Ministry of Social Welfare"
    ) == [
        "Ministry of Women and Children Affairs",
        "Ministry of Social Welfare",
    ]
    assert parse_partner_agencies("ILO and BGMEA") == ["ILO", "BGMEA"]
    assert parse_partner_agencies("MoFood/WFP") == ["Ministry of Food", "WFP"]
    assert parse_partner_agencies("Palli Karma-Sahayak Foundation (PKSF)") == [
        "Palli Karma-Sahayak Foundation (PKSF)"
    ]
    # a department named in the register's aliases resolves to its ministry
    assert parse_partner_agencies("Department of Women Affairs") == [
        "Ministry of Women and Children Affairs"
    ]


# --- clusters, ministries, totals ---------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "cluster"),
    [
        ("social allowance", "Social Allowance"),
        ("Food Security/Disaster Response", "Food Security and Disaster Response"),
        ("Labour & Livelihood", "Labour and Livelihood Interventions"),
        ("Social Alowance", "Social Allowance"),
        ("HDSE", "Human Development and Social Empowerment"),
        (None, None),
    ],
)
def test_parse_cluster(cell, cluster):
    assert parse_cluster(cell) == cluster


def test_parse_cluster_rejects_other_text():
    with pytest.raises(CellError, match="not an NSSS cluster"):
        parse_cluster("Health")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("MoWCA", "MoWCA"),
        ("  mowca ", "MoWCA"),
        ("Ministry of Women & Children Affairs", "MoWCA"),
        ("Rural Development and Cooperatives Division", "RDCD"),
        ("Rural Development and Co-operatives", "RDCD"),
        ("Local Govt. Division", "LGD"),
        ("ministry of  social   welfare", "MoSW"),
        ("Social Welfare", "MoSW"),
        ("Ministry of Social Welfare (MoSW)", "MoSW"),
        ("Ministry of Labor and Employment", "MoLE"),
        ("Ministry of Disaster Management and Relief.", "MoDMR"),
        ("Ministry of Women and Children's Affairs", "MoWCA"),
        ("MoSW/DSS", "MoSW"),
        ("Ministry of Social Welfare - Department of Social Services", "MoSW"),
        ("সমাজকল্যাণ মন্ত্রণালয়", "MoSW"),
        ("মহিলা ও শিশু বিষয়ক মন্ত্রণালয়", "MoWCA"),
        ("DMRD", "MoDMR"),
    ],
)
def test_match_ministry_variants(text, code):
    ministry = match_ministry(text)
    assert ministry is not None and ministry.code == code


def test_unknown_or_ambiguous_ministry_is_none_with_suggestions():
    assert match_ministry("Ministry of Magic") is None
    assert match_ministry("Ministry of Health and Family Welfare") is None  # two divisions
    assert match_ministry("LGD/RDCD") is None  # two entries: which one?
    assert suggest_ministries("Ministry of Health and Family Welfare")[:2] == [
        "Health Services Division",
        "Medical Education and Family Welfare Division",
    ]
    assert "Ministry of Social Welfare" in suggest_ministries("Ministry of Social Walfare")


def test_find_ministry_in_titles_and_file_names():
    assert find_ministry("Gender assessment - Ministry of Social Welfare, FY 2023-24").code == "MoSW"
    assert find_ministry("mowca-submission").code == "MoWCA"
    assert find_ministry("MoSW_gender_assessment_2023-24").code == "MoSW"
    assert find_ministry("Synthetic example data generated by scripts/generate_bundled_data.py") is None


@pytest.mark.parametrize(
    ("text", "is_total"),
    [
        ("Total", True),
        ("Grand total:", True),
        ("মোট", True),
        ("Sub-total", True),
        ("TOTAL (Tk crore)", True),
        ("Total Sanitation Campaign", False),
        ("Old Age Allowance", False),
    ],
)
def test_is_totals_label(text, is_total):
    assert is_totals_label(text) is is_total


# --- properties ---------------------------------------------------------------------


def western(n: int) -> str:
    return f"{n:,}"




def plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


@PROPERTY
@given(paisa=st.integers(min_value=0, max_value=200_000_00), style=st.integers(min_value=0, max_value=9))
def test_amounts_written_any_supported_way_parse_back_to_the_same_crore(paisa, style):
    crore = Decimal(paisa) / 100  # up to 2 decimals of a crore: whole taka in every unit
    taka = int(crore * 10_000_000)
    int_part, _, frac = plain(crore).partition(".")
    crore_grouped = western(int(int_part)) + (f".{frac}" if frac else "")
    written = [
        f"{crore_grouped} crore",
        f"{south_asian(int(int_part))}{'.' + frac if frac else ''} Cr.",
        f"Tk {western(taka)}",
        f"BDT {south_asian(taka)}",
        f"{plain(crore * 100)} lakh",
        f"{plain(crore * 10)} million",
        plain(crore),
        f"৳ {plain(crore).translate(BANGLA)} কোটি",
        f"{plain(crore * 100).translate(BANGLA)} লাখ টাকা",
        float(crore),
    ][style]
    assert math.isclose(parse_amount_crore(written), float(crore), rel_tol=1e-12, abs_tol=1e-12), (
        written
    )


@PROPERTY
@given(n=st.integers(min_value=0, max_value=10**8), style=st.integers(min_value=0, max_value=5))
def test_counts_written_any_supported_way_parse_back_to_the_same_persons(n, style):
    hundreds = n - n % 1000  # lakh with up to two decimals
    written, expected = [
        (western(n), n),
        (south_asian(n), n),
        (south_asian(n).translate(BANGLA) + " জন", n),
        (f"{plain(Decimal(hundreds) / 100_000)} lakh", hundreds),
        (f"{plain(Decimal(hundreds) / 1_000_000)} million", hundreds),
        (n, n),
    ][style]
    assert parse_count(written) == expected, written


@PROPERTY
@given(start=st.integers(min_value=1950, max_value=2048), style=st.integers(min_value=0, max_value=9))
def test_fiscal_years_written_any_supported_way_parse_back(start, style):
    end = start + 1
    written = [
        f"{start}-{end % 100:02d}",
        f"{start}-{end}",
        f"{start}/{end % 100:02d}",
        f"{start}–{end % 100:02d}",
        f"FY {start}-{end % 100:02d}",
        f"FY{end % 100:02d}",
        f"FY{end}",
        f"{start}-{end % 100:02d}".translate(BANGLA),
        start,
        dt.date(start, 10, 1),
    ][style]
    assert parse_fiscal_year(written) == f"{start}-{end % 100:02d}", written


CELLS = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789০১২৩৪৫৬৭৮৯,.-/–() %TkBDTcrorelakhFYyears৳কোটিলাখ", max_size=25),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
)


@PROPERTY
@given(cell=CELLS)
def test_arbitrary_cells_raise_nothing_but_cell_error(cell):
    parsers = [
        parse_answer,
        lambda v: parse_followup(v, ["no"]),
        parse_fiscal_year,
        lambda v: parse_duration(v, "2019-20"),
        lambda v: parse_duration(v, None),
        parse_amount_crore,
        parse_amount_bdt,
        parse_count,
        lambda v: parse_list(v, REF.target_groups),
        parse_partner_agencies,
        parse_cluster,
    ]
    for parser in parsers:
        try:
            parser(cell)
        except CellError as exc:
            assert str(exc) and "\n" not in str(exc)
    # the lookups never raise at all
    match_ministry(cell)
    find_ministry(cell)
    suggest_ministries(cell)
    is_totals_label(cell)
    find_fiscal_year(str(cell))


@pytest.mark.parametrize(
    ("cell", "items", "expected"),
    [
        ("-", ["no"], "unknown"),
        ("N/A", ["partly"], "unknown"),
        ("", ["no"], "unknown"),
        ("-", ["yes"], "not_applicable"),
        ("N/A", ["yes", "no"], "unknown"),  # empowerment_possible follows both questions
        ("N/A", ["yes", "not_applicable"], "not_applicable"),
        ("yes", ["no", "yes"], "yes"),
    ],
)
def test_a_followup_after_no_or_partly_applies(cell, items, expected):
    """After no or partly the question applies: a dash or N/A there is unknown."""
    assert parse_followup(cell, items) == expected


def test_the_invisible_characters_are_every_format_character_of_unicode():
    """vocab scans only the planes holding format characters (a faster start): it must
    find every one Python's Unicode database knows."""
    import unicodedata

    from nsss_analysis.reference.vocab import INVISIBLE

    every = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"} | {0x200B}
    assert set(INVISIBLE) == every
    assert clean_text("Old\u200e Age\u2060 Allowance\ufeff") == "Old Age Allowance"
