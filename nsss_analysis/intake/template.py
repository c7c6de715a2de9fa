"""The blank assessment form a ministry or division fills (``nsss template OUT.xlsx``).

Everything the form says comes from the reference data (``load_reference()``):
the column labels and the guideline's questions from ``form_columns.csv``, the
drop-down values from the vocabularies and the ministry register. The workbook has:

- ``Programmes``: the 24 labelled columns, header in row 1 (frozen), each header
  carrying the guideline's full question as a cell comment, and drop-down lists on
  the first :data:`VALIDATED_ROWS` data rows;
- ``Budget``: one row per programme and fiscal year;
- ``Instructions``: how to fill the form and, per column, the guideline's words and
  the allowed values;
- ``Lists`` (hidden): the drop-down values, referenced by range because an inline
  list longer than 255 characters is rejected by Excel.

Workbooks are saved by :func:`save_workbook`, atomically and byte-reproducibly
(fixed document timestamps), so a regenerated file only differs where its content does.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nsss_analysis.errors import UsageError
from nsss_analysis.io import write_bytes_atomic
from nsss_analysis.reference.glossary import (
    CLUSTER_NAMES,
    FORM_ANSWER_NAMES,
    STAGE_NAMES,
    TARGET_GROUP_NAMES,
)
from nsss_analysis.reference.i18n import N_, Translator, translator
from nsss_analysis.reference.text import sheet_title
from nsss_analysis.reference.vocab import (
    ANSWERS,
    CLUSTERS,
    FOLLOWUP_ANSWERS,
    LIFECYCLE_STAGES,
    TARGET_GROUPS,
    FormColumn,
    load_reference,
)

#: Data rows that get drop-down lists: a ministry assesses tens of programmes, rarely
#: more; 500 leaves room without bloating the file.
VALIDATED_ROWS = 500
#: Budget-sheet columns that only a national table has (the ministry is the form's own,
#: and the cluster is given on the Programmes sheet).
NATIONAL_ONLY_BUDGET_COLUMNS = ("ministry", "cluster")
#: Column widths (characters) by kind of column: wide enough to read the label and a
#: typical answer without resizing.
COLUMN_WIDTHS = {
    "ministry": 34,
    "text": 40,
    "fiscal_year": 13,
    "duration": 16,
    "cluster": 30,
    "lifecycle_stages": 26,
    "target_groups": 28,
    "answer": 16,
    "followup": 18,
    "partner_agencies": 32,
    "amount_crore": 16,
    "count": 16,
    "amount_bdt": 14,
}
#: Kinds whose cell may hold several values (``old_age; disability``): the drop-down
#: offers one value but must not reject a typed list.
MULTI_VALUE_KINDS = ("lifecycle_stages", "target_groups", "partner_agencies")
#: The fixed document time of every workbook written here (the 2019 workshop that
#: introduced the form), so that saving the same content twice gives the same bytes.
FIXED_TIMESTAMP = dt.datetime(2019, 1, 31, 11, 0, 0)
#: Excel refuses a data validation's title longer than this (characters).
EXCEL_TITLE_CHARS = 32
#: The sheets of the form, by their English names (what ministries' macros and older
#: forms use); the Bangla form names them in Bangla and the reader accepts both.
SHEETS = ("Programmes", "Budget", "Instructions", "Lists")

TITLE = N_("NSSS gender assessment of social security programmes")
HOW_TO_FILL = (
    N_("One row per programme on the Programmes sheet; the header stays in row 1."),
    N_(
        "Pick answers from the drop-down lists: {answers}. Leave a cell empty only if the "
        "answer is not known (an empty cell counts as unknown, never as no)."
    ),
    N_(
        "Answer each 'If not, can ...?' follow-up only when the question before it is no or "
        "partly (it is not applicable after yes)."
    ),
    N_(
        "Several life-cycle stages, target groups or supporting agencies go in one cell, "
        "separated by ';'."
    ),
    N_("Fiscal years run July-June and are written YYYY-YY, e.g. 2010-11."),
    N_(
        "The Budget sheet takes one row per programme and fiscal year: allocation in BDT "
        "crore, beneficiaries and women beneficiaries in persons."
    ),
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")

#: The Lists sheet: one column per drop-down, in this order (header, values).
_LIST_HEADERS = {
    "answer": N_("Answer options"),
    "followup": N_("Follow-up options"),
    "cluster": N_("Cluster options"),
    "ministry": N_("Ministry/Division options"),
    "lifecycle_stages": N_("Life-cycle stage options"),
    "target_groups": N_("Target group options"),
    "partner_agencies": N_("Supporting ministry options"),
}

#: What the Instructions sheet says each kind of column accepts; ``{values}`` is the
#: drop-down list of that kind.
_ALLOWED = {
    "ministry": N_("A ministry or division of the register (drop-down list)."),
    "text": N_("Text."),
    "fiscal_year": N_("A fiscal year, YYYY-YY (e.g. 2010-11)."),
    "duration": N_(
        "ongoing; an end fiscal year (2023-24); a range (2019-20 to 2023-24); or N years."
    ),
    "cluster": N_("One of: {values}."),
    "lifecycle_stages": N_(
        "One or more of: {values} (separated by ';'; none for covariate-risk programmes)."
    ),
    "target_groups": N_(
        "One or more of: {values}; other groups in your own words (separated by ';')."
    ),
    "answer": N_("One of: {values} (empty = unknown)."),
    "followup": N_("One of: {values} (not_applicable when the question before is yes)."),
    "partner_agencies": N_(
        "Ministries/divisions of the register or other agencies, separated by ';'."
    ),
    "amount_crore": N_("BDT crore (a number, or with units: 12 lakh, Tk 50,000)."),
    "count": N_("Persons (a number, or e.g. 2.65 lakh)."),
    "amount_bdt": N_("Taka per beneficiary per month."),
}


def sheet_name(sheet: str, _: Translator) -> str:
    """The name of one of the form's :data:`SHEETS` in the translator's language."""
    names = {
        "Programmes": _.pgettext("sheet name", "Programmes"),
        "Budget": _.pgettext("sheet name", "Budget"),
        "Instructions": _.pgettext("sheet name", "Instructions"),
        "Lists": _.pgettext("sheet name", "Lists"),
    }
    return sheet_title(names[sheet])


def excel_title(text: str, limit: int = EXCEL_TITLE_CHARS) -> str:
    """``text`` cut to Excel's limit for a validation title at a whole word (never
    between a letter and its vowel sign, nukta or hasant); a first word longer than
    the limit is cut after its last whole letter.

    >>> excel_title("If not, can empowerment elements be incorporated?")
    'If not, can empowerment elements'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else ""
    if not cut:
        cut = text[:limit]
        while cut and unicodedata.category(text[len(cut)]).startswith("M"):
            cut = cut[:-1]
    return cut.rstrip(" ,;:-(/")


def _labels(vocabulary: str, codes: tuple[str, ...], names: dict[str, str], _: Translator) -> tuple[str, ...]:
    """The drop-down labels of ``codes`` in ``_``'s language: the catalogue's word for
    each (``names``: its message id) where the catalogue has one, else the readable label
    of ``reference/vocabularies.json`` (``Not applicable``, ``Vulnerable women of working
    age``); the reader maps each back to its code."""
    shown = load_reference().labels.get(vocabulary, {})
    out = []
    for code in codes:
        word = _(names[code])
        out.append(word if word != names[code] else shown.get(code, word))
    return tuple(out)


def _list_values(language: str = "en") -> dict[str, tuple[str, ...]]:
    """The drop-down values of each kind, in ``language``: the words of its catalogue
    where it has them (Bangla), else the readable labels of the reference data
    (English), and the ministries' names in the register's column of the language; the
    reader accepts each as a spelling of its code."""
    _ = translator(language)
    names = tuple(m.name_in(language) for m in load_reference().ministries)
    return {
        "answer": _labels("answers", ANSWERS, FORM_ANSWER_NAMES, _),
        "followup": _labels("followups", FOLLOWUP_ANSWERS, FORM_ANSWER_NAMES, _),
        "cluster": tuple(_(CLUSTER_NAMES[c]) for c in CLUSTERS),
        "ministry": names,
        "lifecycle_stages": _labels("lifecycle_stages", LIFECYCLE_STAGES, STAGE_NAMES, _),
        "target_groups": _labels("target_groups", TARGET_GROUPS, TARGET_GROUP_NAMES, _),
        "partner_agencies": names,
    }


def allowed_values(kind: str, language: str = "en") -> str:
    """What the Instructions sheet says a column of ``kind`` accepts, in ``language``."""
    _ = translator(language)
    values = _list_values(language).get(kind, ())
    sep = "; " if kind in ("cluster", "lifecycle_stages", "target_groups") else ", "
    return _(_ALLOWED.get(kind, _ALLOWED["text"])).format(values=sep.join(values))


def _budget_columns() -> tuple[FormColumn, ...]:
    return tuple(
        c
        for c in load_reference().columns_of("Budget")
        if c.column not in NATIONAL_ONLY_BUDGET_COLUMNS
    )


def _write_header(ws: Worksheet, columns: tuple[FormColumn, ...], _: Translator) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=_(col.label))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        comment = Comment(_(col.instruction), _("NSSS guideline"))
        comment.width, comment.height = 320, 140
        cell.comment = comment
        ws.column_dimensions[get_column_letter(i)].width = COLUMN_WIDTHS.get(col.kind, 20)
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "A2"


def _write_lists(ws: Worksheet, _: Translator) -> dict[str, str]:
    """Write the drop-down values; return each kind's range formula (``Lists!$A$2:$A$6``)."""
    ranges = {}
    for i, (kind, values) in enumerate(_list_values(_.language).items(), start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i, value=_(_LIST_HEADERS[kind]))
        head.font = _HEADER_FONT
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=i, value=value)
        ws.column_dimensions[letter].width = 40
        last = len(values) + 1
        ranges[kind] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${last}"
    return ranges


def _add_validations(
    ws: Worksheet, columns: tuple[FormColumn, ...], ranges: dict[str, str], _: Translator
) -> None:
    for i, col in enumerate(columns, start=1):
        if col.kind not in ranges:
            continue
        letter = get_column_letter(i)
        multi = col.kind in MULTI_VALUE_KINDS
        label = _(col.label)
        dv = DataValidation(
            type="list",
            formula1=ranges[col.kind],
            allow_blank=True,
            showErrorMessage=not multi,
            showInputMessage=True,
            errorTitle=excel_title(label),
            error=_("Pick a value from the list (see the Instructions sheet)."),
            promptTitle=excel_title(label),
            prompt=(_("Pick one, or type several separated by ';'.") if multi
                    else _("Pick a value from the list."))[:255],
        )
        dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        ws.add_data_validation(dv)


#: Budget-sheet kinds checked as numbers. A warning, not a refusal: the reader also accepts
#: a number with its unit (``12.5 lakh``, ``Tk 50,000``), which Excel cannot check.
NUMBER_KINDS = ("amount_crore", "count", "amount_bdt")
#: A fiscal year ``YYYY-YY`` whose second year follows the first (``2020-21``), for the
#: cell ``{cell}``; the Instructions sheet says the same in words. Excel's ``VALUE`` does
#: not read Bangla digits, so the check is an information alert: it never blocks an
#: entry (``২০২০-২১`` is a correct one, which the reader accepts).
FISCAL_YEAR_RULE = (
    'AND(LEN({cell})=7,MID({cell},5,1)="-",ISNUMBER(VALUE(LEFT({cell},4))),'
    'ISNUMBER(VALUE(RIGHT({cell},2))),VALUE(RIGHT({cell},2))=MOD(VALUE(LEFT({cell},4))+1,100))'
)


#: What Excel says when a check fails (error) and when a checked cell is selected (prompt).
NUMBER_CHECK_ERROR = N_(
    "Expected a number of 0 or more; a figure with its unit (12.5 lakh) is read too. Keep it?"
)
FISCAL_YEAR_CHECK_ERROR = N_(
    "Write the fiscal year as YYYY-YY, e.g. 2020-21 (July-June); Bangla digits are read too. Keep it?"
)
FISCAL_YEAR_CHECK_PROMPT = N_("Fiscal year YYYY-YY, e.g. 2020-21.")


def _add_checks(ws: Worksheet, columns: tuple[FormColumn, ...], _: Translator) -> None:
    """Number checks (a warning) and fiscal-year checks (information) on the data rows:
    neither blocks an entry the reader accepts."""
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        label = _(col.label)
        if col.kind in NUMBER_KINDS:
            dv = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                showErrorMessage=True, errorStyle="warning", showInputMessage=True,
                errorTitle=excel_title(label), promptTitle=excel_title(label),
                error=_(NUMBER_CHECK_ERROR)[:255],
                prompt=allowed_values(col.kind, _.language)[:255],
            )
        elif col.kind == "fiscal_year":
            dv = DataValidation(
                type="custom", formula1=FISCAL_YEAR_RULE.format(cell=f"{letter}2"), allow_blank=True,
                showErrorMessage=True, errorStyle="information", showInputMessage=True,
                errorTitle=excel_title(label), promptTitle=excel_title(label),
                error=_(FISCAL_YEAR_CHECK_ERROR)[:255],
                prompt=_(FISCAL_YEAR_CHECK_PROMPT)[:255],
            )
        else:
            continue
        dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        ws.add_data_validation(dv)


def _write_instructions(ws: Worksheet, _: Translator) -> None:
    ref = load_reference()
    ws["A1"] = _(TITLE)
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    ws.cell(row=row, column=1, value=_("How to fill the form")).font = _HEADER_FONT
    answers = ", ".join(_list_values(_.language)["answer"])
    for line in HOW_TO_FILL:
        row += 1
        ws.cell(row=row, column=2, value=_(line).format(answers=answers)).alignment = _WRAP
    sheets = (
        (_("Sheet Programmes"), ref.columns_of("Programmes")),
        (_("Sheet Budget"), _budget_columns()),
    )
    heads = ("#", _("Column"), _("The guideline's question"), _("Allowed values"))
    for title, columns in sheets:
        row += 2
        ws.cell(row=row, column=1, value=title).font = _HEADER_FONT
        row += 1
        for i, head in enumerate(heads, start=1):
            cell = ws.cell(row=row, column=i, value=head)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        for n, col in enumerate(columns, start=1):
            row += 1
            ws.cell(row=row, column=1, value=n)
            ws.cell(row=row, column=2, value=_(col.label)).alignment = _WRAP
            ws.cell(row=row, column=3, value=_(col.instruction)).alignment = _WRAP
            ws.cell(row=row, column=4, value=allowed_values(col.kind, _.language)).alignment = _WRAP
    for letter, width in zip("ABCD", (6, 34, 70, 60)):
        ws.column_dimensions[letter].width = width


def build_template(language: str | None = None) -> Workbook:
    """The blank form as an openpyxl workbook (sheets Programmes, Budget, Instructions,
    Lists, named in ``language``: কর্মসূচি, বাজেট, নির্দেশনা, তালিকা in Bangla), its
    labels, instructions and drop-down values in ``language`` (default
    ``$NSSS_LANGUAGE``, else English). The reader finds the form's sheets by their
    columns, and skips the helper sheets under either language's name."""
    _ = translator(language)
    ref = load_reference()
    wb = Workbook()
    programmes = wb.active
    programmes.title = sheet_name("Programmes", _)
    budget = wb.create_sheet(sheet_name("Budget", _))
    instructions = wb.create_sheet(sheet_name("Instructions", _))
    lists = wb.create_sheet(sheet_name("Lists", _))
    lists.sheet_state = "hidden"

    ranges = _write_lists(lists, _)
    form = ref.columns_of("Programmes")
    _write_header(programmes, form, _)
    _add_validations(programmes, form, ranges, _)
    _add_checks(programmes, form, _)
    _write_header(budget, _budget_columns(), _)
    _add_checks(budget, _budget_columns(), _)
    _write_instructions(instructions, _)
    wb.properties.title = _(TITLE)
    wb.properties.language = _.language
    wb.properties.creator = "nsss template"
    return wb


def workbook_bytes(wb: Workbook, when: dt.datetime | None = None) -> bytes:
    """Serialise ``wb`` reproducibly: fixed document timestamps and zip entry times
    (``when``, default :data:`FIXED_TIMESTAMP`; the ``modified`` date is what the
    cleaner reads as the date a form was received)."""
    when = when or FIXED_TIMESTAMP
    wb.properties.created = when
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps `modified` with the current time: reset below
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def make_readable(path: Path | str) -> None:
    """Give a written file the usual permissions (the atomic temporary file is private)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def save_workbook(wb: Workbook, out_path: Path | str, when: dt.datetime | None = None) -> None:
    """Write ``wb`` to ``out_path`` atomically and reproducibly (see :func:`workbook_bytes`),
    its own timestamps ``when`` (default :data:`FIXED_TIMESTAMP`)."""
    write_bytes_atomic(out_path, workbook_bytes(wb, when))
    make_readable(out_path)


def write_template(out_path: Path | str, language: str | None = None) -> Path:
    """Write the blank assessment form in ``language`` to ``out_path`` (``.xlsx``) and
    return the path."""
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".xlsx":
        raise UsageError(f"{out_path}: the form is an Excel workbook; give a name ending in .xlsx")
    save_workbook(build_template(language), out_path)
    return out_path
