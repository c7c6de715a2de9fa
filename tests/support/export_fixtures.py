"""SYNTHETIC server exports of the online form, written by us in the shapes KoboToolbox
and ODK Central produce (not copied from their repositories), and the same answers
typed into the Excel template, for tests/test_exports.py.

The shapes follow our own XLSForm (:func:`nsss_analysis.intake.xlsform.form_content`):
its fields, their group paths, its choice names and labels. A submission is a dict of
root answers with a list of programmes, each with its list of budget rows; answers are
the choices' names (codes) or text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from nsss_analysis.intake.template import build_template
from nsss_analysis.intake.xlsform import (
    BUDGET_REPEAT,
    PROGRAMME_REPEAT,
    form_content,
)

FORM_ID = "nsss_gender_assessment"


@dataclass
class Submission:
    """One SYNTHETIC submission of the online form."""

    uuid: str
    ministry: str  # register code
    assessment_round: str
    submitted: str  # UTC, ISO
    programmes: list[dict]  # field -> code or text; "budget": list of field -> value
    root_uuid: str | None = None  # an edited submission keeps its first uuid here
    review: str | None = None  # Central ReviewState / Kobo validation status
    edits: int = 0
    extra: dict = field(default_factory=dict)


def _fields() -> tuple[dict[str, dict], dict[str, tuple[str, ...]]]:
    """Survey rows by field name, and each field's group path (repeats and groups)."""
    rows, paths, path = {}, {}, []
    for row in form_content()["survey"]:
        kind = row["type"]
        if kind.startswith("begin_"):
            path.append(row["name"])
        elif kind.startswith("end_"):
            path.pop()
        else:
            rows[row["name"]] = row
            paths[row["name"]] = tuple(path)
    return rows, paths


SURVEY, PATHS = _fields()
CHOICES = {(c["list_name"], c["name"]): c for c in form_content()["choices"]}
ROOT = [n for n, p in PATHS.items() if p == () and n != "form_version"]
PROGRAMME_FIELDS = [n for n, p in PATHS.items() if p and p[0] == PROGRAMME_REPEAT and BUDGET_REPEAT not in p]
BUDGET_FIELDS = [n for n, p in PATHS.items() if p[-1:] == (BUDGET_REPEAT,)]
LANGS = {"en": "English (en)", "bn": "Bangla (bn)"}


def _list_of(name: str) -> str | None:
    parts = SURVEY[name]["type"].split()
    return parts[1] if len(parts) == 2 else None


def label(name: str, language: str) -> str:
    return SURVEY[name][f"label::{LANGS[language]}"]


def _group_label(group: str, language: str) -> str:
    rows = [r for r in form_content()["survey"] if r["name"] == group and r["type"].startswith("begin_")]
    return rows[0][f"label::{LANGS[language]}"]


def value(name: str, raw: object, values: str) -> object:
    """A field's answer as the export writes it: ``xml`` names, or ``en``/``bn`` labels."""
    if raw is None or values == "xml":
        return raw
    list_name = _list_of(name)
    if list_name is None:
        return raw
    lab = f"label::{LANGS[values]}"
    return " ".join(CHOICES[(list_name, code)][lab] for code in str(raw).split())


def header(name: str, headers: str, sep: str, group_paths: bool = True) -> str:
    """A field's column header: its name or label, with its group path joined by ``sep``."""
    path = PATHS[name] if group_paths else ()
    if headers == "names":
        return sep.join((*path, name))
    return sep.join((*(_group_label(g, headers) for g in path), label(name, headers)))


# --- KoboToolbox ----------------------------------------------------------------------

KOBO_ROOT_SYSTEM = ["meta/instanceID", "meta/rootUuid", "_id", "_uuid", "_submission_time", "_validation_status",
                    "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]
KOBO_REPEAT_SYSTEM = ["_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
                      "_submission__submission_time", "_submission__validation_status", "_submission__notes",
                      "_submission__status", "_submission__submitted_by", "_submission___version__",
                      "_submission__tags"]
TITLE_SHEET = "NSSS gender assessment of social security programmes"[:31]


def _split_headers(name: str, headers: str, sep: str) -> list[tuple[str, str]]:
    list_name = _list_of(name)
    codes = [n for (ln, n) in CHOICES if ln == list_name]
    if headers == "names":
        return [(header(name, headers, sep) + "/" + code, code) for code in codes]
    return [(header(name, headers, sep) + "/" + CHOICES[(list_name, code)][f"label::{LANGS[headers]}"], code)
            for code in codes]


def kobo_xlsx(path: Path, submissions: list[Submission], values: str = "xml", headers: str = "names",
              sep: str = "/", split_multiple: bool = False) -> Path:
    """A KoboToolbox XLSX export: the main sheet, then a sheet per repeat."""
    wb = openpyxl.Workbook()
    main = wb.active
    main.title = TITLE_SHEET
    main.append(["start", "end", *[header(n, headers, sep) for n in ROOT], *KOBO_ROOT_SYSTEM])
    prog = wb.create_sheet(PROGRAMME_REPEAT)
    multi = [n for n in PROGRAMME_FIELDS if SURVEY[n]["type"].startswith("select_multiple")]
    p_head = []
    for n in PROGRAMME_FIELDS:
        p_head.append(header(n, headers, sep))
        if split_multiple and n in multi:
            p_head.extend(h for h, _ in _split_headers(n, headers, sep))
    prog.append([*p_head, *KOBO_REPEAT_SYSTEM])
    budget = wb.create_sheet(BUDGET_REPEAT)
    budget.append([*[header(n, headers, sep) for n in BUDGET_FIELDS], *KOBO_REPEAT_SYSTEM])
    p_index = b_index = 0
    for i, s in enumerate(submissions, start=1):
        root = {"assessment_round": s.assessment_round, "ministry": s.ministry}
        main.append([
            s.submitted, s.submitted, *[value(n, root[n], values) for n in ROOT],
            f"uuid:{s.uuid}", f"uuid:{s.root_uuid}" if s.root_uuid else None, 1000 + i, s.uuid,
            s.submitted.replace("Z", ""), s.review or "", None, "submitted_via_web", None, "v1", None, i,
        ])
        for p in s.programmes:
            p_index += 1
            cells = []
            for n in PROGRAMME_FIELDS:
                raw = p.get(n)
                cells.append(value(n, raw, values))
                if split_multiple and n in multi:
                    chosen = str(raw or "").split()
                    cells.extend(1 if code in chosen else 0 for _, code in _split_headers(n, headers, sep))
            prog.append([*cells, p_index, TITLE_SHEET, i, 1000 + i, s.uuid, s.submitted, s.review or "",
                         None, "submitted_via_web", None, "v1", None])
            for b in p.get("budget", []):
                b_index += 1
                budget.append([*[value(n, b.get(n), values) for n in BUDGET_FIELDS], b_index, PROGRAMME_REPEAT,
                               p_index, 1000 + i, s.uuid, s.submitted, s.review or "", None, "submitted_via_web",
                               None, "v1", None])
    wb.save(path)
    return path


def kobo_csv(path: Path, submissions: list[Submission]) -> Path:
    """A KoboToolbox CSV export: the main table only, ``;``-separated, every value quoted."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL)
    w.writerow(["start", "end", *ROOT, *KOBO_ROOT_SYSTEM])
    for i, s in enumerate(submissions, start=1):
        w.writerow([s.submitted, s.submitted, s.assessment_round, s.ministry, f"uuid:{s.uuid}", "", 1000 + i,
                    s.uuid, s.submitted.replace("Z", ""), "", "", "submitted_via_web", "", "v1", "", i])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


# --- ODK Central ----------------------------------------------------------------------

def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue()


def _relative(name: str, repeat: str, group_paths: bool) -> str:
    """A Central header: the group path inside its repeat joined by ``-``."""
    path = PATHS[name]
    inside = path[path.index(repeat) + 1:] if repeat in path else path
    return "-".join((*inside, name)) if group_paths else name


def central_tables(submissions: list[Submission], group_paths: bool = True) -> dict[str, str]:
    """ODK Central's CSVs: ``<form>.csv`` and ``<form>-<repeat>.csv``, joined by KEY / PARENT_KEY."""
    root = [["SubmissionDate", *ROOT, "meta-instanceID", "KEY", "SubmitterID", "SubmitterName",
             "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
             "FormVersion"]]
    prog = [[*[_relative(n, PROGRAMME_REPEAT, group_paths) for n in PROGRAMME_FIELDS], "PARENT_KEY", "KEY"]]
    budget = [[*[_relative(n, BUDGET_REPEAT, group_paths) for n in BUDGET_FIELDS], "PARENT_KEY", "KEY"]]
    for s in submissions:
        key = f"uuid:{s.root_uuid or s.uuid}"
        root.append([s.submitted, s.assessment_round, s.ministry, f"uuid:{s.uuid}", key, 5, "desk officer", 0, 0,
                     None, s.review or "", None, s.edits, "v1"])
        for i, p in enumerate(s.programmes, start=1):
            p_key = f"{key}/{PROGRAMME_REPEAT}[{i}]"
            prog.append([*[p.get(n) for n in PROGRAMME_FIELDS], key, p_key])
            for j, b in enumerate(p.get("budget", []), start=1):
                budget.append([*[b.get(n) for n in BUDGET_FIELDS], p_key, f"{p_key}/{BUDGET_REPEAT}[{j}]"])
    return {f"{FORM_ID}.csv": _csv(root), f"{FORM_ID}-{PROGRAMME_REPEAT}.csv": _csv(prog),
            f"{FORM_ID}-{BUDGET_REPEAT}.csv": _csv(budget)}


def central_zip(path: Path, submissions: list[Submission], group_paths: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in central_tables(submissions, group_paths).items():
            z.writestr(name, text)
    return path


def central_folder(folder: Path, submissions: list[Submission], group_paths: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in central_tables(submissions, group_paths).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- the same answers typed into the Excel template ---------------------------------

def excel_form(path: Path, submissions: list[Submission]) -> Path:
    """The Excel template with the same answers (English labels, one row per programme)."""
    wb = build_template("en")
    ref_columns = [c.value for c in wb["Programmes"][1]]
    from nsss_analysis.reference.vocab import load_reference

    by_label = {c.label: c.column for c in load_reference().form_columns if c.sheet == "Programmes"}
    budget_labels = [c.value for c in wb["Budget"][1]]
    budget_by_label = {c.label: c.column for c in load_reference().form_columns if c.sheet == "Budget"}
    for s in submissions:
        for p in s.programmes:
            cells = {**p, "ministry": s.ministry}
            row = []
            for lab in ref_columns:
                name = by_label[lab]
                raw = cells.get(name)
                shown = value(name, raw, "en") if name != "ministry" else raw
                if raw is not None and SURVEY.get(name, {}).get("type", "").startswith("select_multiple"):
                    shown = "; ".join(value(name, code, "en") for code in str(raw).split())
                row.append(shown)
            wb["Programmes"].append(row)
            for b in p.get("budget", []):
                cells = {**b, "programme": p["programme"]}
                wb["Budget"].append([cells.get(budget_by_label[lab]) for lab in budget_labels])
    wb.save(path)
    return path


# --- the SYNTHETIC answers ------------------------------------------------------------

def programme(name: str, answers: dict[str, str], **more) -> dict:
    base = {"programme": name, "start_fy": "2019-20", "end_fy": "ongoing", "cluster": "social_allowance",
            "lifecycle_stages": "women_working_age old_age", "target_groups": "women poor_households",
            "partner_agencies": "Local Government Division", "remarks": "SYNTHETIC"}
    return {**base, **answers, **more}


def answers(pattern: str) -> dict[str, str]:
    """The ten items from a pattern (y/p/n/a/u), follow-ups where they apply."""
    from nsss_analysis.reference.vocab import FOLLOWUPS, ITEMS

    codes = {"y": "yes", "p": "partly", "n": "no", "a": "not_applicable", "u": "unknown"}
    out = {item: codes[c] for item, c in zip(ITEMS, pattern)}
    for i, (followup, items) in enumerate(FOLLOWUPS.items()):
        if any(out[x] in ("no", "partly") for x in items):
            out[followup] = ("yes", "no")[i % 2]
    return out


def submissions() -> list[Submission]:
    """Two SYNTHETIC MoWCA submissions, three programmes, budgets in crore and persons."""
    a = Submission("a1b2c3d4-0000-4000-8000-000000000001", "MoWCA", "2023-24", "2024-03-01T05:00:00.000Z", [
        programme("Mother and Child Benefit Programme", answers("yppnyyuyya"), budget=[
            {"fiscal_year": "2022-23", "budget_crore": 1224.21, "beneficiaries": 1250000,
             "women_beneficiaries": 1250000, "monthly_rate_bdt": 800},
            {"fiscal_year": "2023-24", "budget_crore": 1310.5, "beneficiaries": 1300000,
             "women_beneficiaries": 1300000, "monthly_rate_bdt": 800}]),
        programme("Working Lactating Mother Allowance", answers("nnnpuyynny"), cluster="human_development_and_social_empowerment",
                  lifecycle_stages="early_childhood", target_groups="women", budget=[
            {"fiscal_year": "2023-24", "budget_crore": 90.5, "beneficiaries": 275000, "women_beneficiaries": 275000}]),
    ])
    b = Submission("b1b2c3d4-0000-4000-8000-000000000002", "MoWCA", "2023-24", "2024-06-30T19:30:00.000Z", [
        programme("Income Generating Activities for Women at Upazila Level", answers("yyyyyyyyyy"),
                  cluster="labour_and_livelihood_interventions", lifecycle_stages="women_working_age",
                  target_groups="women urban_poor", partner_agencies=None, remarks=None, budget=[
            {"fiscal_year": "2023-24", "budget_crore": 40.75, "beneficiaries": 27260, "women_beneficiaries": 27260}]),
    ])
    return [a, b]


def edited(s: Submission, new_uuid: str, submitted: str) -> Submission:
    """``s`` edited on the server: a new instance id, the same root, one answer changed."""
    programmes = [dict(p) for p in s.programmes]
    programmes[0] = {**programmes[0], "sex_disaggregated_data": "yes", "remarks": "SYNTHETIC (edited)"}
    return Submission(new_uuid, s.ministry, s.assessment_round, submitted, programmes,
                      root_uuid=s.root_uuid or s.uuid, edits=s.edits + 1)
