"""Processed tables for the tests that read or render reports, and stand-in report notebooks.

``tiny``: a 3-ministry dataset written per the data contract (with a programme named
like markup), scored by the real ``nsss score``, for what needs exact expectations or
a whole default run in seconds. ``bundled``: the checkout's data/raw cleaned and scored
by the real ``nsss clean`` and ``nsss score`` (the session builds it once: see
tests/conftest.py). The stand-in notebooks are small, quick and deterministic versions of
the report notebooks for the runner's mechanics (skipping, failures, the lock,
interruptions). All of it is synthetic data.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nsss_analysis import config
from nsss_analysis.commands import run_clean, run_score
from nsss_analysis.intake.schemas import ASSESSMENT_ARROW_SCHEMA, BUDGET_ARROW_SCHEMA
from nsss_analysis.reference.vocab import FOLLOWUPS, ITEMS, QUARANTINE_COLUMNS
from nsss_analysis.runner.plan import MINISTRY_NOTEBOOK, NATIONAL_NOTEBOOK
from nsss_analysis.runner.request import ReportRequest
from tests.support.signals import ANNOUNCE

#: A programme name and a remark that would be markup if a page did not escape them.
HOSTILE = "<script>alert(1)</script>"
HOSTILE_REMARK = '<img src=x onerror="alert(2)"> & <b>bold</b>'


# --- a small processed dataset, per the contract ---------------------------------------
MINISTRIES = {
    "MoWCA": "Ministry of Women and Children Affairs",
    "MoSW": "Ministry of Social Welfare",
    "MoDMR": "Ministry of Disaster Management and Relief",
}


def programme_record(code: str, programme: str, row: int, answer: str, **extra) -> dict:
    record = {
        "source_file": f"{code}_assessment.xlsx",
        "source_sheet": "Programmes",
        "source_row": row,
        "ministry": MINISTRIES[code],
        "ministry_code": code,
        "programme": programme,
        "start_fy": "2010-11",
        "end_fy": None,
        "ongoing": True,
        "cluster": "Social Allowance",
        "lifecycle_stages": ["old_age"],
        "target_groups": ["elderly"],
        "target_groups_other": [],
        **{item: answer for item in ITEMS},
        **{f: ("not_applicable" if answer == "yes" else "yes") for f in FOLLOWUPS},
        "partner_agencies": [],
        "remarks": None,
        "assessment_round": "2023-24",
    }
    record.update(extra)
    return record


def tiny_rows() -> list[dict]:
    return [
        programme_record("MoWCA", "Mother and Child Benefit Programme", 2, "yes",
                   lifecycle_stages=["women_working_age", "early_childhood"], target_groups=["women", "children"]),
        programme_record("MoWCA", "Vulnerable Women Benefit", 3, "partly", target_groups=["women"]),
        programme_record("MoSW", "Old Age Allowance", 2, "no"),
        programme_record("MoSW", HOSTILE, 3, "partly", remarks=HOSTILE_REMARK),
        programme_record("MoDMR", "Employment Generation Programme for the Poorest", 2, "partly",
                   cluster="Labour and Livelihood Interventions", lifecycle_stages=["working_age"],
                   target_groups=["poor_households"]),
    ]


def budget_record(code: str, programme: str, fy: str, crore: float, people: float, women: float) -> dict:
    return {
        "source_file": f"{code}_assessment.xlsx", "source_sheet": "Budget", "source_row": 2,
        "ministry": MINISTRIES[code], "ministry_code": code, "programme": programme,
        "cluster": "Social Allowance", "fiscal_year": fy, "budget_crore": crore,
        "beneficiaries": people, "women_beneficiaries": women, "monthly_rate_bdt": None,
    }


def tiny_budgets() -> list[dict]:
    return [
        budget_record("MoWCA", "Mother and Child Benefit Programme", "2022-23", 1200.0, 1.25e6, 1.25e6),
        budget_record("MoWCA", "Mother and Child Benefit Programme", "2023-24", 1500.0, 1.5e6, 1.5e6),
        budget_record("MoSW", "Old Age Allowance", "2023-24", 4176.7, 5.801e6, 2.9e6),
        budget_record("MoDMR", "Employment Generation Programme for the Poorest", "2023-24", 1650.0, 8.0e5, 2.4e5),
    ]


def write_processed(folder: Path, rows: list[dict] | None = None, budgets: list[dict] | None = None) -> Path:
    """assessments/budgets/quarantine/conflicts per the contract, then the real `nsss score`."""

    folder.mkdir(parents=True, exist_ok=True)
    rows = tiny_rows() if rows is None else rows
    budgets = tiny_budgets() if budgets is None else budgets
    pq.write_table(pa.Table.from_pylist(rows, schema=ASSESSMENT_ARROW_SCHEMA), folder / "assessments.parquet")
    pq.write_table(pa.Table.from_pylist(budgets, schema=BUDGET_ARROW_SCHEMA), folder / "budgets.parquet")
    pd.DataFrame(columns=list(QUARANTINE_COLUMNS)).to_csv(folder / "quarantine.csv", index=False)
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_score(folder) == 0
    return folder


def rescore(folder: Path) -> None:
    """Score ``folder`` again with the real ``nsss score`` (after its tables changed)."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_score(folder) == 0


# --- stand-in notebooks -----------------------------------------------------------------
def standin_notebook(cells: list, parameters: str) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with a ``parameters`` cell after the first one."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [cells[0], params, *cells[1:]]
    return nb


STANDIN_SETUP = """\
import html, os, time
import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import HTML, display
from nsss_analysis.diagnostics.summaries import headline_figures
from nsss_analysis.io import load_tables
from nsss_analysis.reference.ministries import resolve_ministry
from nsss_analysis.report import claims, notices
from nsss_analysis.report import display as show
from nsss_analysis.report.headline_text import headline_sentences
claims.start("stand-in")  # the runner collects every report's claims ledger
""" + ANNOUNCE + """
time.sleep(float(os.environ.get("NSSS_TEST_REPORT_SLEEP", "0")))  # a slow report, for the tests that stop a run
tables = load_tables(processed_dir)"""

STANDIN_MINISTRY = [
    nbformat.v4.new_markdown_cell("# Gender diagnostic report (stand-in)"),
    nbformat.v4.new_code_cell(STANDIN_SETUP + """
name, code = (m := resolve_ministry(ministry)).name, m.code
own = tables.scores[tables.scores["ministry_code"] == code]
if own.empty:
    raise ValueError(f"no scored programmes for {name}")"""),
    nbformat.v4.new_code_cell("""\
headline = headline_figures(tables, code, fiscal_year)
display(HTML("<h1>" + html.escape(name) + "</h1>" + "".join(
    f'<p class="headline">{html.escape(s)}</p>' for s in headline_sentences(headline))))
if headline["synthetic"]:  # as the real notebook: the rules check the notice against the tables
    show.notice(notices.data_notice(True))"""),
    nbformat.v4.new_code_cell('own[["programme", "level", "inclusion_score"]]'),
    nbformat.v4.new_code_cell("""\
remarks = tables.assessments.loc[tables.assessments["ministry_code"] == code, "remarks"].dropna()
display(HTML("".join(f"<p class='remark'>{html.escape(r)}</p>" for r in remarks)))"""),
    nbformat.v4.new_code_cell("""\
fig, ax = plt.subplots(figsize=(5, 2.5))
sns.countplot(data=own, y="level", ax=ax, color="0.35")
ax.set_title(f"Programmes of {name} by level")
ax.set_xlabel("programmes")
ax.set_ylabel("level")
show.figure(fig)"""),
    nbformat.v4.new_code_cell("_ = claims.save(claims_path)"),
]
STANDIN_NATIONAL = [
    nbformat.v4.new_markdown_cell("# National overview (stand-in)"),
    nbformat.v4.new_code_cell(STANDIN_SETUP),
    nbformat.v4.new_code_cell("""\
headline = headline_figures(tables, None, fiscal_year)
display(HTML("".join(f'<p class="headline">{html.escape(s)}</p>' for s in headline_sentences(headline))))
if headline["synthetic"]:
    show.notice(notices.data_notice(True))
fig, ax = plt.subplots(figsize=(5, 2.5))
sns.countplot(data=tables.scores, y="ministry_code", ax=ax, color="0.35")
ax.set_title("Assessed programmes by ministry")
ax.set_xlabel("programmes")
ax.set_ylabel("ministry")
show.figure(fig)"""),
    nbformat.v4.new_code_cell("_ = claims.save(claims_path)"),
]


def write_standin_notebooks(folder: Path) -> Path:
    """The stand-in ministry and national notebooks, under the real notebooks' names."""
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(standin_notebook(STANDIN_MINISTRY, 'ministry = "MoWCA"\nfiscal_year = None\nprocessed_dir = ""\n'
                                                      'claims_path = None'),
                   folder / MINISTRY_NOTEBOOK)
    nbformat.write(standin_notebook(STANDIN_NATIONAL, 'fiscal_year = None\nprocessed_dir = ""\nclaims_path = None'),
                   folder / NATIONAL_NOTEBOOK)
    return folder


def report_args(processed: Path, out: Path, notebooks: Path, **options) -> ReportRequest:
    """A ``ReportRequest`` as ``nsss reports`` builds it, with the tests' defaults."""
    values = dict(ministries=(), all=False, fiscal_year=None, workers=2, force=False, timeout=RENDER_CEILING,
                  processed=processed, out=out, notebooks=notebooks, lock_wait=0.5, progress=False)
    if "ministry" in options:
        options["ministries"] = tuple(options.pop("ministry"))
    values.update(options)
    return ReportRequest(**values)


def first_codes(processed: Path, n: int) -> list[str]:
    """The first ``n`` ministries with assessed programmes, by code."""
    codes = pd.read_parquet(processed / "assessments.parquet")["ministry_code"]
    return sorted(set(codes))[:n]


def copy_processed(source: Path, target: Path) -> Path:
    """A copy of processed tables that a test may change."""
    shutil.copytree(source, target)
    return target


def processed_from(raw: Path, folder: Path) -> Path:
    """Processed tables from the raw folder ``raw`` via `nsss clean` + `nsss score`."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_clean(raw, folder) == 0
    rescore(folder)
    return folder


def bundled_processed(folder: Path) -> Path:
    """Processed tables from the checkout's data/raw via `nsss clean` + `nsss score`."""

    assert any(p.suffix in {".xlsx", ".csv"} for p in config.RAW_DIR.rglob("*")), "no bundled data in data/raw"
    return processed_from(config.RAW_DIR, folder)


def inject_hostile(processed: Path, code: str) -> None:
    """Add a programme named <script>alert(1)</script> to one ministry, then rescore."""
    df = pd.read_parquet(processed / "assessments.parquet")
    row = df[df["ministry_code"] == code].iloc[[0]].copy()
    row["programme"] = HOSTILE
    row["remarks"] = HOSTILE_REMARK
    row["source_row"] = int(df["source_row"].max()) + 1
    table = pa.Table.from_pandas(pd.concat([df, row], ignore_index=True), preserve_index=False)
    pq.write_table(table, processed / "assessments.parquet")
    rescore(processed)


#: A safety net only, per report: a report renders in seconds; a hung kernel fails its
#: report (and the tests reading it) instead of the whole run.
RENDER_CEILING = 1800


def site_request(processed: Path, out: Path, **options) -> ReportRequest:
    """``nsss reports --all --language all`` over ``processed`` into ``out``: the request
    that renders the run's ``site`` (tests/conftest.py)."""
    values = dict(all=True, languages=("all",), timeout=RENDER_CEILING) | options
    return report_args(processed, out, config.NOTEBOOKS_DIR, **values)
