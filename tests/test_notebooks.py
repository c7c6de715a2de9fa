"""The report notebooks: templates without outputs or logic, that run with their defaults."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from nsss_analysis.config import NOTEBOOKS_DIR, RAW_DIR
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.io import load_tables
from nsss_analysis.report.display import (
    MISSING,
    bullets_html,
    figure_html,
    heading_html,
    paragraph_html,
    table_html,
)
from nsss_analysis.report.sections import recommendations_table
from tests.support.pages import Site

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED_PARAMETERS = {
    "ministry_report": {"ministry", "fiscal_year", "processed_dir", "slug", "language", "claims_path",
                        "headline_path"},
    "cluster_report": {"cluster", "fiscal_year", "processed_dir", "slug", "language", "claims_path"},
    "national_overview": {"fiscal_year", "processed_dir", "language", "claims_path", "headline_path"},
    "national_action_plan": {"fiscal_year", "processed_dir", "slug", "language", "claims_path"},
    "exploration": {"processed_dir"},
}
#: Statements that are logic, which belongs in the package, not in a notebook cell.
LOGIC = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.While, ast.If,
         ast.Try, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_three_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= set(EXPECTED_PARAMETERS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exactly_one_parameters_cell_with_the_expected_names(path):
    nb = _read(path)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    names = {t.id for node in ast.parse(tagged[0].source).body for t in node.targets}
    assert names == EXPECTED_PARAMETERS[path.stem]
    assert all(isinstance(node, ast.Assign) for node in ast.parse(tagged[0].source).body)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_or_execution_counts(path):
    nb = _read(path)
    for cell in _code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert "papermill" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_hold_calls_not_logic(path):
    for cell in _code_cells(_read(path)):
        tree = ast.parse(cell.source)
        found = [type(node).__name__ for node in ast.walk(tree) if isinstance(node, LOGIC)]
        assert not found, f"{path.name}: {found} in cell {cell.source[:60]!r}"
        assert "def " not in cell.source and "class " not in cell.source


def test_no_styler_or_unescaped_html_in_notebooks():
    """Form text is data: tables go through table (escaped), never a Styler or to_html."""
    for path in NOTEBOOKS:
        text = "\n".join(c.source for c in _code_cells(_read(path)))
        assert ".style" not in text and "to_html" not in text and "HTML(" not in text and "Markdown(" not in text


#: nbstripout's options for the committed notebooks, as the Makefile (``make strip``) and
#: .pre-commit-config.yaml pass them: cell ids ("cell-00", ...) are authored, so kept; a
#: papermill run's metadata is stripped besides nbstripout's defaults.
NBSTRIPOUT_ARGS = ["--keep-id", "--extra-keys", "metadata.papermill metadata.execution cell.metadata.papermill"]


def _nbstripout(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nbstripout", *NBSTRIPOUT_ARGS, *map(str, args)],
                          capture_output=True, text=True, check=False)


def test_committed_notebooks_are_stripped_by_nbstripout():
    verify = _nbstripout("--verify", *NOTEBOOKS)
    assert verify.returncode == 0, f"{verify.stdout}{verify.stderr}run `make strip` and commit the notebooks"


def test_nbstripout_empties_outputs_counts_and_run_metadata_keeping_tags_and_ids(tmp_path):
    nb = _read(NOTEBOOKS_DIR / "ministry_report.ipynb")
    cell = _code_cells(nb)[1]
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello")]
    cell.metadata["papermill"] = {"duration": 0.1}
    nb.metadata["papermill"] = {"parameters": {}}
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)
    untouched = tmp_path / "committed.ipynb"
    untouched.write_bytes((NOTEBOOKS_DIR / "exploration.ipynb").read_bytes())
    verify = _nbstripout("--verify", path, untouched)
    assert verify.returncode == 1 and "dirty.ipynb" in verify.stdout and "committed.ipynb" not in verify.stdout
    assert _nbstripout(path).returncode == 0
    clean = _read(path)
    assert all(c.outputs == [] and c.execution_count is None for c in _code_cells(clean))
    assert "papermill" not in clean.metadata and "papermill" not in _code_cells(clean)[1].metadata
    assert [(c.id, c.metadata.get("tags")) for c in clean.cells] == [(c.id, c.metadata.get("tags")) for c in nb.cells]
    assert [c.source for c in clean.cells] == [c.source for c in nb.cells]


def test_make_strip_and_the_pre_commit_hook_strip_as_the_test_checks():
    root = NOTEBOOKS_DIR.parent
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^NBSTRIPOUT\s*:=\s*(.+)$", makefile, re.MULTILINE).group(1)
    assert shlex.split(line)[1:] == NBSTRIPOUT_ARGS
    hooks = [h for repo in yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
             for h in repo["hooks"]]
    nbstripout_hook = next(h for h in hooks if h["id"] == "nbstripout")
    assert shlex.split(nbstripout_hook["entry"])[1:] == NBSTRIPOUT_ARGS


# --- executing the notebooks with their defaults against tables built from data/raw -----


@pytest.fixture(scope="session")
def processed(bundled_mis) -> Path:
    """The processed tables of the bundled data/raw and MIS extracts, built once per run."""
    if not any(p.suffix in (".xlsx", ".csv") for p in RAW_DIR.glob("*")):
        pytest.skip(f"no bundled submissions in {RAW_DIR}")
    return bundled_mis


def _rendered(site: Site, kind: str, **which) -> tuple[nbformat.NotebookNode, str]:
    """The executed notebook of one English report of the run's rendered site, and its slug."""
    entry = site.report(kind, "en", **which)
    return _read(site.out / entry["notebook"]), Path(entry["html"]).stem


def _execute(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    import papermill

    out = tmp_path / f"{name}-out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(out), parameters=parameters,
        cwd=str(NOTEBOOKS_DIR), kernel_name="python3", progress_bar=False, log_output=False,
    )
    return _read(out)


def _outputs_text(nb) -> str:
    parts = []
    for cell in _code_cells(nb):
        for output in cell.outputs:
            data = output.get("data", {})
            parts.append(data.get("text/html", "") + data.get("text/plain", "") + data.get("text/markdown", ""))
            parts.append(output.get("text", ""))
    return "\n".join(parts)


def _errors(nb) -> list[str]:
    return [o.get("ename", "") for c in _code_cells(nb) for o in c.outputs if o.output_type == "error"]


def _stderr(nb) -> str:
    return "".join(o.get("text", "") for c in _code_cells(nb) for o in c.outputs
                   if o.output_type == "stream" and o.get("name") == "stderr")


@pytest.mark.slow
def test_ministry_report_runs_and_states_its_findings(site):
    nb, _ = _rendered(site, "ministry", code="MoWCA")
    assert not _errors(nb) and not _stderr(nb).strip()
    text = _outputs_text(nb)
    assert "<h1>Ministry of Women and Children Affairs</h1>" in text
    assert "are synthetic" in text
    assert re.search(r"has \d+ assessed programmes?", text)
    assert "gender-specific or gender-transformative" in text and "What we ask of you" in text
    assert text.count('class="nsss-figure"') >= 5
    assert "Method note" in text and "Inclusion score" in text


@pytest.mark.slow
def test_hostile_programme_name_stays_text(site):
    assessments = pd.read_parquet(site.processed / "assessments.parquet")
    hostile = assessments[assessments["programme"].str.contains("<script", regex=False)]
    if hostile.empty:
        pytest.skip("the bundled data have no programme with markup in its name")
    code = hostile["ministry_code"].iloc[0]
    nb, _ = _rendered(site, "ministry", code=code)
    assert not _errors(nb)
    html = "".join(o.get("data", {}).get("text/html", "") for c in _code_cells(nb) for o in c.outputs)
    assert "&lt;script&gt;" in html
    assert "<script" not in html.lower()


@pytest.mark.slow
def test_national_overview_runs(site):
    nb, _ = _rendered(site, "national")
    assert not _errors(nb) and not _stderr(nb).strip()
    text = _outputs_text(nb)
    assert "national overview" in text and "Across government" in text
    assert "too few for a model" in text or "Odds ratio" in text or "no model is shown" in text
    assert text.count('class="nsss-figure"') >= 6


@pytest.mark.slow
def test_exploration_runs(processed, tmp_path):
    nb = _execute(tmp_path, "exploration", processed_dir=str(processed))
    assert not _errors(nb)
    text = _outputs_text(nb)
    assert "assessments" in text
    # the rows of every round beside the programmes the reports count (latest round)
    assert "every round" in text and "latest round (as the reports count)" in text


def _named_functions(nb) -> list[tuple[str, str]]:
    """``(module, name)`` for every function the exploration notebook's text names in
    a module: "`module` (`f`, `g`)" lists and "`alias.f(...)`" calls, the aliases
    resolved through its imports."""
    import importlib

    aliases = {}
    for cell in _code_cells(nb):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nsss_analysis"):
                aliases |= {(a.asname or a.name): f"{node.module}.{a.name}" for a in node.names}
    found = []
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for module, listed in re.findall(r"`(nsss_analysis(?:\.\w+)+)`\s*\(([^)]*)\)", text):
        found += [(module, name) for name in re.findall(r"`(\w+)`", listed)]
    for alias, name in re.findall(r"`(\w+)\.(\w+)\(", text):
        if alias in aliases:
            found.append((aliases[alias], name))
    assert all(importlib.import_module(m) for m, _ in found)
    return found


def test_exploration_names_each_function_in_the_module_that_defines_it_and_counts_as_the_reports():
    import importlib

    nb = _read(NOTEBOOKS_DIR / "exploration.ipynb")
    named = _named_functions(nb)
    assert len(named) >= 10, named
    for module, name in named:
        function = getattr(importlib.import_module(module), name, None)
        assert function is not None and function.__module__ == module, (module, name)  # not a re-export
    code = "\n".join(c.source for c in _code_cells(nb))
    # the latest round as the reports count it, and budgets without the flagged allocations
    assert "count_once(tables)" in code and "latest.scores" in code and "flagged_allocations(" in code
    assert "budgets.pivot_table" not in code  # a raw sum would add the flagged allocation and double rows


@pytest.mark.slow
def test_ministry_report_parameters_are_the_runners_contract(processed, tmp_path):
    """A ministry by full name and a fiscal year as text, as the runner passes them."""
    nb = _execute(tmp_path, "ministry_report", ministry="Ministry of Social Welfare",
                  fiscal_year="2022-23", processed_dir=str(processed))
    assert not _errors(nb)
    assert "FY 2022-23" in _outputs_text(nb)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and json.dumps("2022-23") in injected[0].source.replace("'", '"')


# --- the rendering helpers the notebooks call: form text stays text ---------------------

HOSTILE = '<script>alert(1)</script> & "quotes"'


def test_every_text_helper_escapes_form_text():

    for html in (paragraph_html(HOSTILE), heading_html(HOSTILE, 1),
                 bullets_html([HOSTILE])):
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in html


def test_tables_escape_cells_and_headers_and_format_values():


    df = pd.DataFrame({"programme": [HOSTILE, "Old Age Allowance"], "<b>score</b>": [61.26, float("nan")],
                       "targeted": [True, False], "groups": [["women", "children"], []]})
    html = table_html(df, digits={"<b>score</b>": 0})
    assert "<script>" not in html and "<b>" not in html and "&lt;b&gt;score&lt;/b&gt;" in html
    assert ">61<" in html and f">{MISSING}<" in html and ">yes<" in html and ">women, children<" in html
    assert 'text-align: right' in html  # numbers right-aligned


def test_figure_html_inlines_an_svg_with_an_escaped_title_and_closes_the_figure():
    import matplotlib.pyplot as plt

    from nsss_analysis.report import figures

    fig = figures.no_data(HOSTILE, "x", "y")
    html = figure_html(fig, reading=HOSTILE)
    assert html.count('<svg ') == 1 and html.count('class="nsss-figure"') == 1
    assert "<script>" not in html and "<title>&lt;script&gt;" in html
    assert not plt.get_fignums()


def test_recommendations_table_keeps_the_always_listed_actions():


    recs = pd.DataFrame({"rank": range(1, 21), "programme": [f"P{i}" for i in range(1, 21)],
                         "item": ["graduation"] * 19 + ["gender_indicators"], "answer": "no",
                         "followup_answer": ["yes"] * 19 + [None], "action": "Act.",
                         "budget_crore": 1.0, "always_listed": [False] * 19 + [True]})
    html = recommendations_table(recs, top=3).data
    assert ">P3<" in html and ">P4<" not in html and ">P20<" in html
    assert "The first 3 of 20 actions" in html


@pytest.mark.slow
def test_one_programme_ministry_report_is_cards_and_actions_without_interval_charts(site):
    nb, slug = _rendered(site, "ministry", code="FD")
    assert not _errors(nb)
    text = _outputs_text(nb)
    assert text.count('<article class="nsss-card">') == 1
    assert "What we ask of you" in text and f'href="{slug}-action-plan.xlsx"' in text
    assert "with 95% intervals" not in text  # no interval chart drawn from n < 5
    assert re.search(r"\d of 1 programme of Finance Division is gender-specific", text)


@pytest.mark.slow
def test_cluster_report_runs_with_cards_coverage_and_its_name(site):
    nb, slug = _rendered(site, "cluster", name="Social Allowance")
    processed = site.processed
    assert not _errors(nb) and not _stderr(nb).strip()
    text = _outputs_text(nb)
    assert "<h1>Social Allowance: programmes across ministries</h1>" in text
    counted = count_once(load_tables(processed)).current.assessments  # each programme once
    own = counted[counted["cluster"] == "Social Allowance"]
    assert text.count('<article class="nsss-card">') == len(own) > 0
    assert "Meant to reach" in text and "project&#x27;s reading" in text
    assert f'href="{slug}-action-plan.xlsx"' in text
