"""The form in Bangla (`nsss template --language bn`): Bangla labels, questions,
instructions and drop-downs; filled with the same answers as the English form, it
reads back into the same tables; and a mixed form (English headers, Bangla answers,
Bangla digits) reads back too."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from nsss_analysis.cli import main
from nsss_analysis.intake.clean import clean_raw
from nsss_analysis.intake.template import build_template, write_template
from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import (
    CLUSTER_NAMES,
    FORM_ANSWER_NAMES,
    STAGE_NAMES,
    TARGET_GROUP_NAMES,
)
from nsss_analysis.reference.i18n import LANGUAGE_VARIABLE, english_runs, translator
from nsss_analysis.reference.vocab import ANSWERS, load_reference
from tests.support.filled_form import BUDGET_ROWS, FORM
from tests.support.filled_form import filled_rows as _filled_rows

REF = load_reference()
_ = translator("bn")
BANGLA = set(map(chr, range(0x0980, 0x0A00)))


def _is_bangla(text: object) -> bool:
    return isinstance(text, str) and any(ch in BANGLA for ch in text)


@pytest.fixture(scope="module")
def bangla(tmp_path_factory):
    path = tmp_path_factory.mktemp("template-bn") / "form-bn.xlsx"
    write_template(path, "bn")
    return openpyxl.load_workbook(path)


PROGRAMMES_BN, BUDGET_BN, INSTRUCTIONS_BN, LISTS_BN = "কর্মসূচি", "বাজেট", "নির্দেশনা", "তালিকা"


def test_bangla_form_labels_questions_and_drop_downs_are_bangla(bangla):
    assert bangla.sheetnames == [PROGRAMMES_BN, BUDGET_BN, INSTRUCTIONS_BN, LISTS_BN]
    ws = bangla[PROGRAMMES_BN]
    headers = [c.value for c in ws[1]]
    assert headers == [_(c.label) for c in FORM]
    assert all(_is_bangla(h) for h in headers)
    assert all(_is_bangla(c.comment.text) for c in ws[1])
    lists = bangla[LISTS_BN]
    columns = {lists.cell(1, i).value: [c.value for c in col[1:] if c.value]
               for i, col in enumerate(lists.iter_cols(), start=1)}
    assert columns[_("Answer options")] == ["হ্যাঁ", "আংশিক", "না", "প্রযোজ্য নয়", "জানা নেই"]
    assert "সমাজকল্যাণ মন্ত্রণালয়" in columns[_("Ministry/Division options")]
    assert all(_is_bangla(v) for values in columns.values() for v in values if v not in
               {m.name for m in REF.ministries})
    instructions = [c.value for row in bangla[INSTRUCTIONS_BN].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("Programmes" in t or "Instructions" in t or "Budget" in t for t in instructions)
    # the review's title and the column-B hint (one programme per row)
    assert instructions[0] == "জাতীয় সামাজিক নিরাপত্তা কৌশল (এনএসএসএস): সামাজিক নিরাপত্তা কর্মসূচির জেন্ডার মূল্যায়ন ফরম"
    hint = "প্রতি সারিতে একটি চলমান প্রধান কর্মসূচির নাম লিখুন।"
    assert ws["B1"].comment.text.startswith(hint) and hint in instructions
    assert not any("কর্মসূচিগুলোর নাম লিখুন" in t for t in instructions)
    assert any("হ্যাঁ, আংশিক, না" in t for t in instructions)
    assert bangla.properties.language == "bn"


def test_english_form_is_unchanged_by_the_language_parameter(tmp_path, monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    write_template(tmp_path / "a.xlsx")
    write_template(tmp_path / "b.xlsx", "en")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    monkeypatch.setenv(LANGUAGE_VARIABLE, "bn")
    assert build_template()[PROGRAMMES_BN]["A1"].value == "মন্ত্রণালয়/বিভাগ"


def test_cli_writes_the_bangla_form(tmp_path, capsys):
    out = tmp_path / "form.xlsx"
    assert main(["template", str(out), "--language", "bn"]) == 0
    assert openpyxl.load_workbook(out)[PROGRAMMES_BN]["B1"].value == "কর্মসূচির নাম"
    with pytest.raises(SystemExit) as exc:
        main(["template", str(out), "--language", "fr"])
    assert exc.value.code == 2


def _in_bangla(column: str, value: object) -> object:
    """A cell of the English filled form as a Bangla ministry would write it."""
    if value is None:
        return None
    kind = next(c.kind for c in FORM if c.column == column)
    if kind in ("answer", "followup"):
        return _(FORM_ANSWER_NAMES[value])
    if kind == "ministry":
        return next(m.name_in("bn") for m in REF.ministries if m.name == value)
    if kind == "cluster":
        return _(CLUSTER_NAMES[value])
    if kind == "lifecycle_stages":
        return "; ".join(_(STAGE_NAMES[s]) for s in value.split("; "))
    if kind == "target_groups":
        return "; ".join(_(TARGET_GROUP_NAMES[g]) if g in TARGET_GROUP_NAMES else g for g in value.split("; "))
    if kind == "fiscal_year":
        return numbers.fiscal_year(value, "bn")
    if kind == "duration":
        return {"ongoing": "চলমান", "5 years": "৫ বছর"}.get(
            value, numbers.localise_digits(value.replace(" to ", " থেকে "), "bn")
        )
    return value  # programme names, partner agencies, remarks: as written


def _budget_in_bangla(row):
    programme, fy, crore, people, women, rate = row
    return [
        programme,
        numbers.fiscal_year(fy, "bn"),
        None if crore is None else numbers.crore(crore, "bn", 2),
        None if people is None else numbers.count(people, "bn"),
        None if women is None else numbers.lakh(women, "bn", 4),
        None if rate is None else numbers.taka(rate, "bn"),
    ]


def _clean(tmp_path, name, wb):
    raw = tmp_path / name
    raw.mkdir()
    wb.save(raw / "MoWCA_form_2023-24.xlsx")
    result = clean_raw(raw)
    assert len(result.quarantine) == 0, result.quarantine.to_dict("records")
    return result


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """The same rows; lineage names the sheet as each form names it (Programmes, কর্মসূচি)."""
    pd.testing.assert_frame_equal(
        a.drop(columns="source_sheet").sort_values("source_row").reset_index(drop=True),
        b.drop(columns="source_sheet").sort_values("source_row").reset_index(drop=True),
    )


def test_the_bangla_form_reads_back_into_the_same_tables_as_the_english(tmp_path):
    rows, _expected = _filled_rows()
    english = build_template("en")
    bangla = build_template("bn")
    for row in rows:
        english["Programmes"].append(row)
        bangla[PROGRAMMES_BN].append([_in_bangla(c.column, v) for c, v in zip(FORM, row)])
    for row in BUDGET_ROWS:
        english["Budget"].append(list(row))
        bangla[BUDGET_BN].append(_budget_in_bangla(row))
    assert sum(_is_bangla(c.value) for c in bangla[PROGRAMMES_BN][2]) >= 10  # really Bangla cells
    en, bn = _clean(tmp_path, "en", english), _clean(tmp_path, "bn", bangla)
    _same(en.assessments, bn.assessments)
    _same(en.budgets, bn.budgets)
    assert set(bn.assessments["graduation"]) <= set(ANSWERS)


def test_a_mixed_form_english_headers_bangla_answers_reads_back(tmp_path):
    """What ministries really send: the English form with some cells typed in Bangla."""
    rows, _expected = _filled_rows()
    english = build_template("en")
    mixed = build_template("en")
    for i, row in enumerate(rows):
        english["Programmes"].append(row)
        mixed["Programmes"].append(
            [_in_bangla(c.column, v) if (i + j) % 2 else v for j, (c, v) in enumerate(zip(FORM, row))]
        )
    _same(_clean(tmp_path, "en", english).assessments, _clean(tmp_path, "mixed", mixed).assessments)


def test_bangla_form_checks_say_their_error_and_prompt_in_bangla(bangla):
    """Every data validation (drop-downs, number and fiscal-year checks) of the Bangla
    form: title, error and prompt in Bangla, no English phrase but the format YYYY-YY."""
    checked = 0
    for name in (PROGRAMMES_BN, BUDGET_BN):
        for dv in bangla[name].data_validations.dataValidation:
            for text in (dv.errorTitle, dv.error, dv.promptTitle, dv.prompt):
                assert _is_bangla(text), (name, dv.sqref, text)
                assert english_runs(text, ["YYYY-YY"] + [m.name for m in REF.ministries]) == [], text
                assert len(text) <= 255
            checked += 1
    assert checked >= 20
    budget = {str(dv.sqref): dv for dv in bangla[BUDGET_BN].data_validations.dataValidation}
    fiscal = next(dv for dv in budget.values() if dv.type == "custom")
    assert fiscal.errorStyle == "information"  # never blocks ২০২০-২১, which Excel's VALUE() cannot read
    assert fiscal.error == "অর্থবছর YYYY-YY আকারে লিখুন, যেমন ২০২০-২১ (জুলাই-জুন); বাংলা অঙ্কও পড়া হয়। এভাবেই রাখবেন?"
    assert fiscal.prompt == "অর্থবছর YYYY-YY, যেমন ২০২০-২১।" and fiscal.errorTitle == "অর্থবছর"
    number = next(dv for dv in budget.values() if dv.type == "decimal")
    assert number.error.startswith("০ বা তার বেশি একটি সংখ্যা প্রত্যাশিত")


def test_english_form_checks_keep_their_words(tmp_path):
    wb = build_template("en")
    budget = list(wb["Budget"].data_validations.dataValidation)
    fiscal = next(dv for dv in budget if dv.type == "custom")
    assert fiscal.error == ("Write the fiscal year as YYYY-YY, e.g. 2020-21 (July-June); Bangla digits are "
                            "read too. Keep it?")
    assert fiscal.prompt == "Fiscal year YYYY-YY, e.g. 2020-21." and fiscal.errorTitle == "Fiscal year"
    number = next(dv for dv in budget if dv.type == "decimal")
    assert number.error == ("Expected a number of 0 or more; a figure with its unit (12.5 lakh) is read too. "
                            "Keep it?")


def test_validation_titles_are_whole_words_within_excels_limit(bangla):
    """Excel cuts a validation title at 32 characters; a cut mid-word turned হয় into হয."""
    words = {w for c in REF.form_columns for label in (c.label, _(c.label)) for w in label.split()}
    english = build_template("en")
    for wb, sheets in ((bangla, (PROGRAMMES_BN, BUDGET_BN)), (english, ("Programmes", "Budget"))):
        for name in sheets:
            for dv in wb[name].data_validations.dataValidation:
                for title in (dv.errorTitle, dv.promptTitle):
                    assert 0 < len(title) <= 32, title
                    assert all(w in words for w in title.split()), title
                    assert not title.endswith(("য", "ক")), title


def test_bangla_headers_are_questions(bangla):
    headers = [c.value for c in bangla[PROGRAMMES_BN][1]]
    questions = [h for h, c in zip(headers, FORM) if c.kind in ("answer", "followup")]
    assert all(q.endswith("?") and ("কি" in q.split() or "কি?" in q) for q in questions), questions


def test_helper_sheets_are_skipped_under_their_bangla_names(tmp_path):
    """The reader finds the form by its columns and skips নির্দেশনা and তালিকা, as it
    skips Instructions and Lists: a blank Bangla form is only empty, never a bad sheet."""
    raw = tmp_path / "raw"
    raw.mkdir()
    write_template(raw / "MoWCA_form_2023-24.xlsx", "bn")
    result = clean_raw(raw)
    assert result.assessments.empty and result.budgets.empty
    assert not any(n in str(result.quarantine.to_dict("records")) for n in (INSTRUCTIONS_BN, LISTS_BN))


#: Catalogued programmes with a Bangla name, as a Bangla ministry writes them.
CATALOGUED = [p for p in REF.programmes if p.ministry_code == "MoWCA" and p.name_bn]


def test_the_bangla_form_filled_in_bangla_reads_back_as_the_english_form(tmp_path):
    """A form filled wholly in Bangla: Bangla digits, the catalogue's Bangla programme
    names and amounts in লক্ষ, reads into the same tables as the English form with the
    English names (the programme joins its catalogue entry)."""
    assert len(CATALOGUED) >= 2
    rows, _expected = _filled_rows()
    english, bangla = build_template("en"), build_template("bn")
    names = {}
    for i, row in enumerate(rows[: len(CATALOGUED)]):
        programme = CATALOGUED[i]
        names[row[1]] = programme
        en_row = list(row)
        en_row[1] = programme.programme
        english["Programmes"].append(en_row)
        bn_row = [_in_bangla(c.column, v) for c, v in zip(FORM, row)]
        bn_row[1] = programme.name_bn
        bangla[PROGRAMMES_BN].append(bn_row)
    for programme, fy, crore, people, women, rate in BUDGET_ROWS:
        if programme not in names:
            continue
        entry = names[programme]
        english["Budget"].append([entry.programme, fy, crore, people, women, rate])
        bangla[BUDGET_BN].append([
            entry.name_bn,
            numbers.fiscal_year(fy, "bn"),
            None if crore is None else numbers.crore(crore, "bn", 2),
            None if people is None else numbers.localise_digits(f"{people / 1e5:.4f}", "bn") + " লক্ষ",
            None if women is None else numbers.lakh(women, "bn", 4),
            None if rate is None else numbers.taka(rate, "bn"),
        ])
    assert any("লক্ষ" in str(c.value) for row in bangla[BUDGET_BN].iter_rows(min_row=2) for c in row)
    en, bn = _clean(tmp_path, "en", english), _clean(tmp_path, "bn", bangla)
    _same(en.assessments, bn.assessments)
    _same(en.budgets, bn.budgets)
    assert set(bn.assessments["programme"]) == {p.programme for p in CATALOGUED[: len(names)]}
    assert len(bn.budgets) >= 1
