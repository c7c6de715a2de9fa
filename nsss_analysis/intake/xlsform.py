"""The assessment as an online form: an XLSForm for KoboToolbox and ODK
(``nsss template OUT.xlsx --xlsform``).

The form is built from the same reference data as the Excel template
(:mod:`nsss_analysis.intake.template`): the questions, hints and column names from
``form_columns.csv``, the choices from the vocabularies and the ministry register
(in the template's own drop-down words, English and Bangla), the skip logic from
:data:`~nsss_analysis.reference.vocab.FOLLOWUPS`, the table the scorer reads. Nothing
here spells a question again. The XLSForm has the three sheets a server reads:

- ``survey``: ``assessment_round`` (required, a fiscal year), ``ministry`` (a select
  from the register), a ``programme`` repeat holding the form's columns, the ten
  items in the group ``items`` with each follow-up shown only after ``no`` or
  ``partly``, and a nested ``budget`` repeat (women beneficiaries no more than
  beneficiaries); a ``form_version`` calculation carries the version into every
  submission;
- ``choices``: every vocabulary code a choice name without spaces;
- ``settings``: a fixed ``form_id`` and a ``version`` that is a hash of the form's
  content: the same reference data give the same version, any change a new one
  (a server refuses to publish a changed form under an old version).

Field names are the processed tables' column names, so an export's columns read
back by name (:mod:`nsss_analysis.intake.exports`). The workbook is converted with
pyxform before it is written (atomically, byte-reproducibly).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from openpyxl import Workbook

from nsss_analysis.errors import NsssError, UsageError
from nsss_analysis.intake.cells import CellError
from nsss_analysis.intake.quantities import parse_fiscal_year
from nsss_analysis.intake.template import (
    NATIONAL_ONLY_BUDGET_COLUMNS,
    _list_values,
    save_workbook,
    workbook_bytes,
)
from nsss_analysis.reference.i18n import LANGUAGES, N_, resolve_language, translator
from nsss_analysis.reference.vocab import (
    ANSWERS,
    CLUSTERS,
    FOLLOWUP_ANSWERS,
    FOLLOWUPS,
    ITEMS,
    LIFECYCLE_STAGES,
    TARGET_GROUPS,
    FormColumn,
    load_reference,
)

#: The form's id on a server: fixed, so that a new version replaces the old form.
FORM_ID = "nsss_gender_assessment"
#: The repeats and the group of the ten items (an export's sheets and path prefixes).
PROGRAMME_REPEAT = "programme"
BUDGET_REPEAT = "budget"
ITEMS_GROUP = "items"
#: The calculated field that carries the form's version into every submission.
VERSION_FIELD = "form_version"
#: Root fields (the assessment's, not a programme's).
ROUND_FIELD = "assessment_round"
#: How each language is named in the XLSForm's column headers (``label::Bangla (bn)``).
LANGUAGE_NAMES = {"en": "English", "bn": "Bangla"}

#: The XLSForm question type of each kind of form column, and its choice list.
QUESTION_TYPES = {
    "text": ("text", None),
    "fiscal_year": ("text", None),
    "duration": ("text", None),
    "cluster": ("select_one", "cluster"),
    "lifecycle_stages": ("select_multiple", "lifecycle_stage"),
    "target_groups": ("select_multiple", "target_group"),
    "answer": ("select_one", "answer"),
    "followup": ("select_one", "followup"),
    "partner_agencies": ("text", None),
    "amount_crore": ("decimal", None),
    "count": ("integer", None),
    "amount_bdt": ("decimal", None),
}

#: A fiscal year in Latin or Bangla digits; the reader checks that the years follow.
FISCAL_YEAR_CONSTRAINT = "regex(., '^[0-9০-৯]{4}-[0-9০-৯]{2}$')"

ROUND_LABEL = N_("Assessment round (fiscal year)")
ROUND_HINT = N_("The fiscal year this assessment is for, YYYY-YY (e.g. 2024-25).")
FISCAL_YEAR_MESSAGE = N_("Write the fiscal year as YYYY-YY, e.g. 2020-21 (July-June).")
WOMEN_MESSAGE = N_("Women beneficiaries cannot be more than all beneficiaries.")
REQUIRED_MESSAGE = N_("Please answer this question (choose 'Not known' if the answer is not known).")
PROGRAMME_REPEAT_LABEL = N_("Programme")  # the repeat: one per programme
BUDGET_REPEAT_LABEL = N_("Budget of the programme, one fiscal year at a time")
ITEMS_GROUP_LABEL = N_("The guideline's ten questions")
TITLE = N_("NSSS gender assessment of social security programmes")


def choice_name(code: str) -> str:
    """A vocabulary code as an XLSForm choice name: no spaces or punctuation
    (``Social Allowance`` -> ``social_allowance``), which the reader folds back."""
    return re.sub(r"[^0-9A-Za-z_]+", "_", code).strip("_").lower() if not code.isidentifier() else code


def _header(kind: str, language: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES[language]} ({language})"


def _texts(kind: str, message: str) -> dict[str, str]:
    """``message`` in every language, as ``{label::English (en): ..., ...}``."""
    return {_header(kind, lang): translator(lang).gettext(message) for lang in LANGUAGES}


def _choices() -> list[dict[str, str]]:
    """The choice lists: codes as names, the template's drop-down words as labels."""
    ref = load_reference()
    codes = {
        "answer": ANSWERS,
        "followup": FOLLOWUP_ANSWERS,
        "cluster": CLUSTERS,
        "ministry": tuple(m.code for m in ref.ministries),
        "lifecycle_stages": LIFECYCLE_STAGES,
        "target_groups": TARGET_GROUPS,
    }
    lists = {"answer": "answer", "followup": "followup", "cluster": "cluster", "ministry": "ministry",
             "lifecycle_stages": "lifecycle_stage", "target_groups": "target_group"}
    words = {lang: _list_values(lang) for lang in LANGUAGES}
    rows = []
    for kind, values in codes.items():
        for i, code in enumerate(values):
            row = {"list_name": lists[kind], "name": choice_name(code)}
            for lang in LANGUAGES:
                row[_header("label", lang)] = words[lang][kind][i]
            rows.append(row)
    return rows


def _relevant(followup: str) -> str:
    """Shown only after ``no`` or ``partly`` on any of the items it follows."""
    return " or ".join(
        f"selected(${{{item}}}, '{answer}')" for item in FOLLOWUPS[followup] for answer in ("no", "partly")
    )


def _question(col: FormColumn) -> dict[str, str]:
    qtype, list_name = QUESTION_TYPES.get(col.kind, ("text", None))
    row = {"type": f"{qtype} {list_name}" if list_name else qtype, "name": col.column}
    row.update(_texts("label", col.label))
    row.update(_texts("hint", col.instruction))
    if col.kind == "fiscal_year":
        row["constraint"] = FISCAL_YEAR_CONSTRAINT
        row.update(_texts("constraint_message", FISCAL_YEAR_MESSAGE))
    if col.kind == "answer":
        row["required"] = "yes"
        row.update(_texts("required_message", REQUIRED_MESSAGE))
    if col.column == "programme":
        row["required"] = "yes"
    if col.kind == "followup":
        row["relevant"] = _relevant(col.column)
    if col.kind in ("amount_crore", "count", "amount_bdt"):
        row["constraint"] = ". >= 0"
    if col.column == "women_beneficiaries":
        row["constraint"] = ". >= 0 and (string-length(${beneficiaries}) = 0 or . <= ${beneficiaries})"
        row.update(_texts("constraint_message", WOMEN_MESSAGE))
    return row


def _survey(default_round: str | None) -> list[dict[str, str]]:
    ref = load_reference()
    programme_columns = [c for c in ref.columns_of("Programmes") if c.column != "ministry"]
    ministry = next(c for c in ref.columns_of("Programmes") if c.column == "ministry")
    budget_columns = [
        c for c in ref.columns_of("Budget") if c.column not in (*NATIONAL_ONLY_BUDGET_COLUMNS, "programme")
    ]
    answer_columns = set(ITEMS) | set(FOLLOWUPS)
    rows: list[dict[str, str]] = [
        {"type": "text", "name": ROUND_FIELD, "required": "yes", "constraint": FISCAL_YEAR_CONSTRAINT,
         **({"default": default_round} if default_round else {}),
         **_texts("label", ROUND_LABEL), **_texts("hint", ROUND_HINT),
         **_texts("constraint_message", FISCAL_YEAR_MESSAGE)},
        {**_question(ministry), "type": "select_one ministry", "required": "yes"},
        {"type": "begin_repeat", "name": PROGRAMME_REPEAT, **_texts("label", PROGRAMME_REPEAT_LABEL)},
    ]
    in_group = False
    for col in programme_columns:
        if col.column in answer_columns and not in_group:
            rows.append({"type": "begin_group", "name": ITEMS_GROUP, **_texts("label", ITEMS_GROUP_LABEL)})
            in_group = True
        elif col.column not in answer_columns and in_group:
            rows.append({"type": "end_group", "name": ITEMS_GROUP})
            in_group = False
        rows.append(_question(col))
    if in_group:
        rows.append({"type": "end_group", "name": ITEMS_GROUP})
    rows.append({"type": "begin_repeat", "name": BUDGET_REPEAT, **_texts("label", BUDGET_REPEAT_LABEL)})
    rows.extend(_question(c) for c in budget_columns)
    rows.append({"type": "end_repeat", "name": BUDGET_REPEAT})
    rows.append({"type": "end_repeat", "name": PROGRAMME_REPEAT})
    return rows


def form_content(default_round: str | None = None, language: str | None = None) -> dict[str, list[dict]]:
    """The XLSForm's sheets as rows of ``{column: cell}``, the version included."""
    code = resolve_language(language)
    survey = _survey(default_round)
    choices = _choices()
    settings = {
        "form_title": translator(code).gettext(TITLE),
        "form_id": FORM_ID,
        "default_language": f"{LANGUAGE_NAMES[code]} ({code})",
    }
    digest = hashlib.sha256(
        json.dumps([survey, choices, settings], ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    version = digest[:12]
    survey = [{"type": "calculate", "name": VERSION_FIELD, "calculation": f"'{version}'"}, *survey]
    return {"survey": survey, "choices": choices, "settings": [{**settings, "version": version}]}


def _sheet_rows(rows: list[dict[str, str]]) -> tuple[list[str], list[list[str | None]]]:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    return columns, [[row.get(c, "") or None for c in columns] for row in rows]


def build_xlsform(default_round: str | None = None, language: str | None = None) -> Workbook:
    """The XLSForm as an openpyxl workbook (sheets ``survey``, ``choices``, ``settings``)."""
    content = form_content(default_round, language)
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in content.items():
        ws = wb.create_sheet(name)
        columns, cells = _sheet_rows(rows)
        ws.append(columns)
        for row in cells:
            ws.append(row)
    wb.properties.title = content["settings"][0]["form_title"]
    wb.properties.creator = "nsss template --xlsform"
    return wb


def convert(data: bytes) -> tuple[str, list[str]]:
    """The XForm (XML) of an XLSForm's bytes and pyxform's warnings; a conversion
    error is one line naming the row pyxform names."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert as xls2xform

    warnings: list[str] = []
    try:
        result = xls2xform(xlsform=data, warnings=warnings, file_type=".xlsx", form_name="data")
    except PyXFormError as exc:
        raise NsssError("the XLSForm does not convert: " + " ".join(str(exc).split())) from None
    return result.xform, warnings


def odk_validate(xform: str) -> None:
    """Run ODK Validate (shipped with pyxform, needs Java) on an XForm; exit 2 with one
    line when Java is missing, 1 when the form is refused."""
    if shutil.which("java") is None:
        raise NsssError("--odk-validate needs Java (ODK Validate is a Java program); install a Java "
                        "runtime, or leave the option out (pyxform already converted the form)", exit_code=2)
    import tempfile

    from pyxform.validators import odk_validate as validator

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xml"
        path.write_text(xform, encoding="utf-8")
        try:
            validator.check_xform(str(path))
        except Exception as exc:  # ODKValidateError, or the validator failing to run
            raise NsssError("ODK Validate refused the form: " + " ".join(str(exc).split())[:400]) from None


def write_xlsform(out_path: Path | str, default_round: str | None = None, language: str | None = None,
                  validate: bool = False) -> tuple[Path, str]:
    """Write the XLSForm to ``out_path`` (``.xlsx``) after converting it with pyxform
    (and ODK Validate with ``validate``); return the path and the form's version."""
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".xlsx":
        raise UsageError(f"{out_path}: an XLSForm is an Excel workbook; give a name ending in .xlsx")
    if default_round is not None:
        try:
            fy = parse_fiscal_year(default_round)
        except CellError:
            fy = None
        if fy is None:
            raise UsageError(f"--round {default_round!r}: not a fiscal year YYYY-YY (e.g. 2024-25)")
        default_round = fy
    wb = build_xlsform(default_round, language)
    data = workbook_bytes(wb)
    xform, _warnings = convert(data)
    if validate:
        odk_validate(xform)
    save_workbook(wb, out_path)
    return out_path, form_version(wb)


def form_version(wb: Workbook) -> str:
    """The ``version`` of an XLSForm workbook's settings sheet."""
    ws = wb["settings"]
    header = [c.value for c in ws[1]]
    return str(ws.cell(row=2, column=header.index("version") + 1).value)

