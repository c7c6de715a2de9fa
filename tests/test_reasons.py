"""The quarantine's reasons in the report's language: every reason keeps its English
sentence (``reason``) and carries its message id and values (``reason_id``,
``reason_values``), from which :func:`reason_in_words` says it again, word for word in
English and without an English phrase in Bangla (only the raw values quoted from the
form, file and sheet names stay as written)."""

from __future__ import annotations

import datetime as dt
import json
import re
import string

import pytest

from nsss_analysis.config import RAW_DIR
from nsss_analysis.intake.cells import CellError, parse_answer, parse_cluster, parse_followup
from nsss_analysis.intake.clean import clean_raw
from nsss_analysis.intake.quantities import (
    parse_amount_bdt,
    parse_amount_crore,
    parse_count,
    parse_duration,
    parse_fiscal_year,
)
from nsss_analysis.intake.reasons import Reason, number_in_words, reason_columns, reason_in_words
from nsss_analysis.intake.schemas import QuarantineSchema
from nsss_analysis.reference.i18n import english_runs, forget_language, set_language, translator
from nsss_analysis.reference.vocab import QUARANTINE_COLUMNS, load_reference

EN, BN = translator("en"), translator("bn")
BANGLA_DIGIT = re.compile("[০-৯]")

#: One cell for every reason a cell parser gives: (parser, arguments, words of the reason).
CELL_CASES = [
    (parse_answer, ("#N/A",), "spreadsheet error"),
    (parse_answer, ("yes and no",), "more than one answer"),
    (parse_answer, ("maybe later",), "not a recognised answer"),
    (parse_followup, ("yes no", ["no"]), "more than one follow-up answer"),
    (parse_followup, ("perhaps", ["no"]), "not a recognised follow-up answer"),
    (parse_cluster, ("Space Programme",), "not an NSSS cluster"),
    (parse_fiscal_year, (True,), "is not a fiscal year"),
    (parse_fiscal_year, (2020.5,), "write it as 2020-21"),
    (parse_fiscal_year, ("20201-22",), "write it as 2020-21"),
    (parse_fiscal_year, ("2020-23",), "must be consecutive"),
    (parse_fiscal_year, ("July 2020 - June 2022",), "July to June"),
    (parse_fiscal_year, (2300,), "outside the fiscal years"),
    (parse_duration, ("2.5 years", "2019-20"), "whole years"),
    (parse_duration, ("2023-24 to 2019-20", None), "ends before it starts"),
    (parse_duration, ("whenever", None), "is not a duration"),
    (parse_duration, ("5 years", None), "needs the start year"),
    (parse_duration, ("2015-16", "2019-20"), "cannot end in"),
    (parse_amount_crore, (True,), "not an amount of money"),
    (parse_amount_crore, (-5,), "is negative"),
    (parse_amount_crore, (dt.date(2020, 1, 1),), "is a date"),
    (parse_amount_crore, ("50%",), "percentage"),
    (parse_amount_crore, ("-5",), "negative or a range"),
    (parse_amount_crore, ("abc",), "no number in it"),
    (parse_amount_crore, ("5 and 6",), "more than one number"),
    (parse_amount_crore, ("1,2,3,4",), "digit grouping"),
    (parse_amount_crore, ("5 crore lakh",), "two units"),
    (parse_amount_crore, ("5 apples",), "unexpected text"),
    (parse_amount_crore, ("99999999 crore",), "national budget"),
    (parse_amount_bdt, ("many",), "an amount in taka"),
    (parse_count, ("Tk 500",), "amount of money, not a number of persons"),
    (parse_count, ("20000 crore",), "more people than live on Earth"),
    (parse_count, ("2.5",), "whole number of persons"),
]


def _raw_texts(values: object) -> list[str]:
    """The texts of a reason's values (raw cell values, names): allowed to stay as written."""
    if isinstance(values, str):
        return [values]
    if isinstance(values, dict):
        if "localised" in values or ("words" in values and values.get("vocabulary")):
            return []
        if "words" in values:
            return [t for v in values["words"] for t in _raw_texts(v)]
        if "reason_id" in values:
            return _raw_texts(values.get("reason_values") or {})
        return [t for v in values.values() for t in _raw_texts(v)]
    if isinstance(values, list):
        return [t for v in values for t in _raw_texts(v)]
    return []


def _cell_error(parser, args) -> CellError:
    with pytest.raises(CellError) as caught:
        parser(*args)
    return caught.value


@pytest.mark.parametrize(("parser", "args", "words"), CELL_CASES)
def test_every_cell_reason_round_trips_and_reads_in_bangla(parser, args, words):
    error = _cell_error(parser, args)
    why = error.why
    assert words in str(error) and str(why) == str(error)
    # the message id formatted with the stored values is the English reason, word for word
    for wrapped in (why, Reason.of("{problem}; set to unknown", problem=why),
                    Reason.of("{problem}; left empty", problem=why)):
        stored = reason_columns(wrapped)
        assert stored["reason_id"] == wrapped.reason_id and stored["reason_id"] != stored["reason"] or not why.values
        assert reason_in_words(stored["reason"], stored["reason_id"], stored["reason_values"], EN) == str(wrapped)
        bangla = reason_in_words(stored["reason"], stored["reason_id"], stored["reason_values"], BN)
        assert bangla != str(wrapped)
        allowed = _raw_texts(json.loads(stored["reason_values"]))
        assert english_runs(bangla, allowed) == [], bangla


def test_numbers_in_a_bangla_reason_have_bangla_digits_and_grouping():
    why = Reason.of("more women beneficiaries ({women:,.0f}) than beneficiaries ({everyone:,.0f}); left empty",
                    women=1234567.0, everyone=1000.0)
    assert str(why) == "more women beneficiaries (1,234,567) than beneficiaries (1,000); left empty"
    bangla = reason_in_words(str(why), why.reason_id, why.values_json(), BN)
    assert "১২,৩৪,৫৬৭" in bangla and "১,০০০" in bangla and not re.search("[0-9]", bangla)
    year = _cell_error(parse_fiscal_year, (2300,)).why
    assert "২৩০০" in reason_in_words(str(year), year.reason_id, year.values_json(), BN)
    # a quoted raw value keeps the digits it was written with
    typed = _cell_error(parse_fiscal_year, ("20201-22",)).why
    assert "'20201-22'" in reason_in_words(str(typed), typed.reason_id, typed.values_json(), BN)
    assert number_in_words(8, "", BN) == "৮" and number_in_words(8, "", EN) == "8"


def test_a_reason_in_the_current_language_and_rows_without_an_id_keep_their_words():
    why = Reason.of("row not used: no programme name")
    set_language("bn")
    try:
        assert reason_in_words(str(why), why.reason_id, why.values_json()) == "সারি ব্যবহার করা হয়নি: কর্মসূচির নাম নেই"
        # a line written before ids were kept, or by hand: its words as they are
        assert reason_in_words("typed by hand", "", "") == "typed by hand"
        assert reason_in_words("typed by hand", float("nan"), float("nan")) == "typed by hand"
        # values that do not fit the template: the English reason, never an error
        assert reason_in_words("x", "'{value}' is not a fiscal year", "{}") == "x"
    finally:
        forget_language()


@pytest.fixture(scope="module")
def bundled_quarantine():
    return clean_raw(RAW_DIR).quarantine


def test_the_quarantine_has_the_id_and_values_of_every_reason(bundled_quarantine):
    q = bundled_quarantine
    assert list(q.columns) == list(QUARANTINE_COLUMNS)
    assert QUARANTINE_COLUMNS[-3:] == ("reason", "reason_id", "reason_values")
    QuarantineSchema.validate(q)
    assert len(q) and (q["reason_id"] != "").all()
    for r in q.to_dict("records"):
        assert reason_in_words(r["reason"], r["reason_id"], r["reason_values"], EN) == r["reason"]
        bangla = reason_in_words(r["reason"], r["reason_id"], r["reason_values"], BN)
        allowed = [*_raw_texts(json.loads(r["reason_values"])), r["source_file"], r["source_sheet"]]
        assert english_runs(bangla, allowed) == [], bangla
    answers = q[q["value"] == "maybe later"].iloc[0]
    bangla = reason_in_words(answers["reason"], answers["reason_id"], answers["reason_values"], BN)
    assert "হ্যাঁ, আংশিক, না, প্রযোজ্য নয়, জানা নেই" in bangla and "'জানা নেই' ধরা হয়েছে" in bangla
    repeat = q[q["reason"].str.contains("repeats row")].iloc[0]
    assert "সারি ৮" in reason_in_words(repeat["reason"], repeat["reason_id"], repeat["reason_values"], BN)


def test_rows_files_and_lines_not_used_say_why_in_both_languages(raw_dir, write_csv):
    labels = {c.column: c.label for c in load_reference().columns_of("Budget")}
    header = [labels[c] for c in ("ministry", "programme", "fiscal_year", "budget_crore", "beneficiaries",
                                  "women_beneficiaries")]
    write_csv(raw_dir / "budgets.csv", [
        header,
        ["MoSW", "Old Age Allowance", "2023-24", "4000", "100", "250"],
        ["Nowhere Affairs Ministry", "Widow Allowance", "2023-24", "10", "", ""],
        ["MoSW", "Disability Allowance", "", "10", "", ""],
        ["MoSW", "Disability Allowance", "2023-26", "10", "", ""],
        ["MoSW", "", "2023-24", "10", "", ""],
        ["Total", "", "", "4020", "", ""],
    ])
    (raw_dir / "empty.xlsx").write_bytes(b"")
    (raw_dir / "notes.txt").write_text("not a form", encoding="utf-8")
    (raw_dir / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    (raw_dir / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    q = clean_raw(raw_dir).quarantine
    expected = {
        "more women beneficiaries (250) than beneficiaries (100); left empty",
        "row not used: no fiscal year",
        "row not used: '2023-26': the two years of a fiscal year must be consecutive (e.g. 2020-21)",
        "row not used: no programme name",
        "row not used: a totals row ('Total'), not a programme",
        "file not read: the file is empty (0 bytes)",
        "not read: not an .xlsx, .xlsm, .csv or .zip file",
    }
    assert expected <= set(q["reason"]), set(q["reason"])
    assert any(r.startswith("row not used: ministry/division 'Nowhere Affairs Ministry'") for r in q["reason"])
    assert any("password-protected" in r for r in q["reason"])
    assert any(r.startswith("file not read: not an assessment form or budget table") for r in q["reason"])
    assert (q["reason_id"] != "").all()
    for r in q.to_dict("records"):
        assert reason_in_words(r["reason"], r["reason_id"], r["reason_values"], EN) == r["reason"]
        bangla = reason_in_words(r["reason"], r["reason_id"], r["reason_values"], BN)
        allowed = [*_raw_texts(json.loads(r["reason_values"])), r["source_file"], ".xlsx", ".xlsm", ".csv",
                   "Excel 97-2003"]
        assert bangla != r["reason"] and english_runs(bangla, allowed) == [], bangla
    women = q[q["column"] == "women_beneficiaries"].iloc[0]
    assert "(২৫০)" in reason_in_words(women["reason"], women["reason_id"], women["reason_values"], BN)


def _reason_ids() -> list[str]:
    """Every message id the reader and cleaner mark with ``N_`` (the form's words aside)."""
    import ast
    from pathlib import Path

    import nsss_analysis.intake as intake

    ids = []
    for path in sorted(Path(intake.__file__).parent.glob("*.py")):
        if path.name in ("template.py", "reasons.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"
                    and isinstance(node.args[0], ast.Constant)):
                ids.append(node.args[0].value)
    return ids


#: Technical names a Bangla reason keeps (file types, encodings, programs).
TECHNICAL = [".xlsx", ".xlsm", ".csv", ".zip", "CSV", "Excel 97-2003", "UTF-8", "Windows-1252", "NUL", "NSSS",
             "ODK Central", "KoboToolbox", "XLSX"]  # the servers are named as they name themselves


@pytest.mark.parametrize("reason_id", _reason_ids())
def test_every_reason_template_round_trips_with_any_values(reason_id):
    fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(reason_id) if name]
    values = {name: 1234567.0 if spec else f"X{i}" for i, (name, spec) in enumerate(fields)}
    why = Reason.of(reason_id, **values)
    assert str(why) == reason_id.format(**values)
    stored = reason_columns(why)
    assert reason_in_words(stored["reason"], stored["reason_id"], stored["reason_values"], EN) == str(why)
    bangla = reason_in_words(stored["reason"], stored["reason_id"], stored["reason_values"], BN)
    assert bangla != str(why) or not re.search("[A-Za-z]{3}", reason_id.format(**{k: "" for k in values}))
    assert english_runs(bangla, [*[v for v in values.values() if isinstance(v, str)], *TECHNICAL]) == [], bangla
    if any(spec for _, spec in fields):
        assert "১২,৩৪,৫৬৭" in bangla or "১২৩৪৫৬৭" in bangla
