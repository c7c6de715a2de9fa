"""The report runner, `nsss reports`: parameters, slugs, HTML safety, warm kernels,
failure isolation, skip-when-unchanged, the lock and interrupted runs.

Data: `bundled` is data/raw cleaned and scored by the real `nsss clean` and `nsss
score` (once per run, tests/conftest.py); `tiny` is a 3-ministry dataset written per the contract
(and scored by the real `nsss score`) for what needs exact expectations or a whole
default run (every ministry + the national overview) in seconds.
Notebooks: the end-to-end, warm-vs-fresh and browser tests run the real notebooks/;
runner mechanics (skipping, failures, the lock, interruptions) run small stand-in
notebooks written below, quick and deterministic. Notebook-running tests are slow.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from html import escape
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nsss_analysis import config
from nsss_analysis.cli import main
from nsss_analysis.errors import UsageError
from nsss_analysis.io import load_tables
from nsss_analysis.reference.vocab import (
    load_reference,
)
from nsss_analysis.report.headline_file import Headline, write_headline
from nsss_analysis.runner import request as runner_request
from nsss_analysis.runner.html import render_html
from nsss_analysis.runner.index import index_figures
from nsss_analysis.runner.inputs import TableDigests, national_digest, report_hash
from nsss_analysis.runner.kernel import REPORT_SEED, KernelStartError, WarmKernel
from nsss_analysis.runner.manifest import _jsonable, package_digest
from nsss_analysis.runner.plan import (
    MAX_SLUG_LENGTH,
    MINISTRY_NOTEBOOK,
    RESERVED_SLUGS,
    plan_reports,
    report_slug,
)
from nsss_analysis.runner.pool import ReportJob, mark_errors, parameterize, run_jobs
from nsss_analysis.runner.request import EXIT_LOCKED
from nsss_analysis.runner.run import run_reports
from tests.support.processed import (
    HOSTILE,
    copy_processed,
    first_codes,
    report_args,
    rescore,
    standin_notebook,
    write_processed,
    write_standin_notebooks,
)
from tests.support.signals import CEILING, ReportStarts, children, wait_gone

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


# --- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    """The small processed dataset (3 ministries, a hostile programme name)."""
    return write_processed(tmp_path_factory.mktemp("tiny") / "processed")


@pytest.fixture(scope="session")
def standins(tmp_path_factory) -> Path:
    return write_standin_notebooks(tmp_path_factory.mktemp("standins") / "notebooks")


# --- slugs ----------------------------------------------------------------------------------
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    "code, name",
    [
        ("MoWCA", "Ministry of Women and Children Affairs"),
        ("..", "../../etc/passwd"),
        ("a/b", "C:\\Windows\\system32"),
        ("", ""),
        ("CON", ""),
        ("nul", "NUL"),
        ("মন্ত্রণালয়", "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়"),
        ("X", "<script>alert(1)</script>"),
        ("MoSW", "x" * 500),
        ("\x00", "tab\tnew\nline"),
        ("index", "index"),
    ],
)
def test_report_slug_is_safe_for_hostile_names(code, name):
    slug = report_slug(code, name)
    assert SLUG_RE.match(slug), slug
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug not in RESERVED_SLUGS
    assert "/" not in slug and "\\" not in slug and ".." not in slug


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.text(max_size=120))
def test_report_slug_property(code, name):
    slug = report_slug(code, name)
    assert SLUG_RE.match(slug) and len(slug) <= MAX_SLUG_LENGTH
    assert slug not in RESERVED_SLUGS


def test_report_slug_keeps_the_register_code_first_and_distinct():
    assert report_slug("MoWCA", "Ministry of Women & Children Affairs") == (
        "mowca-ministry-of-women-and-children-affairs"
    )
    # Two Bangla-only codes slug to nothing: their hashes keep the files apart.
    assert report_slug("মন্ত্রণালয়", "") != report_slug("বিভাগ", "")
    slugs = {report_slug(m.code, m.name) for m in load_reference().ministries}
    assert len(slugs) == len(load_reference().ministries)


# --- parameters are checked before anything runs ----------------------------------------------
def test_unknown_ministry_gets_one_line_with_suggestions(tiny, standins, tmp_path, capsys):
    code = main(["reports", "--processed", str(tiny), "--out", str(tmp_path / "out"),
                 "--ministry", "Ministry of Women Affairs"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Ministry of Women Affairs" in err
    assert "Ministry of Women and Children Affairs" in err.split("closest register names:")[1]
    assert not list((tmp_path / "out").rglob("*.html"))  # nothing ran


def test_ministry_without_assessed_programmes_is_a_usage_error(tiny, standins, tmp_path):
    with pytest.raises(UsageError, match="Ministry of Labour and Employment .MoLE. has no assessed programmes"):
        run_reports(report_args(tiny, tmp_path / "out", standins, ministry=["MoLE"]))


def test_fiscal_year_is_validated_and_normalised(tiny, standins, tmp_path):
    with pytest.raises(UsageError, match="not a fiscal year"):
        run_reports(report_args(tiny, tmp_path / "out", standins, fiscal_year="next year"))
    with pytest.raises(UsageError, match=r"no processed data for 2030-31 \(years with data: 2022-23, 2023-24\)"):
        run_reports(report_args(tiny, tmp_path / "out", standins, fiscal_year="FY31"))
    tables = load_tables(tiny)
    request = report_args(tiny, tmp_path, standins, fiscal_year="2022/2023",
                                                    ministry=["mowca"])
    (planned,) = plan_reports(request, tables)
    assert planned.key == "2022-23/mowca-ministry-of-women-and-children-affairs"
    assert planned.parameters == {"ministry": "MoWCA", "fiscal_year": "2022-23", "processed_dir": str(tiny),
                                  "slug": "mowca-ministry-of-women-and-children-affairs"}


def test_missing_processed_tables_name_the_command(tmp_path, capsys):
    (tmp_path / "processed").mkdir()
    assert main(["reports", "--processed", str(tmp_path / "processed"), "--out", str(tmp_path / "out")]) == 1
    assert "run `nsss clean` first" in capsys.readouterr().err


def test_bad_workers_or_timeout_are_usage_errors(tiny, tmp_path):
    with pytest.raises(UsageError, match="--workers 0"):
        run_reports(report_args(tiny, tmp_path, tmp_path, workers=0))
    with pytest.raises(UsageError, match="--timeout"):
        run_reports(report_args(tiny, tmp_path, tmp_path, timeout=-5))


def test_default_plan_is_every_ministry_with_data_plus_the_national_overview(tiny, standins, tmp_path):
    request = report_args(tiny, tmp_path, standins)
    plan = plan_reports(request, load_tables(tiny))
    assert [p.key for p in plan] == [
        "2023-24/modmr-ministry-of-disaster-management-and-relief",
        "2023-24/mosw-ministry-of-social-welfare",
        "2023-24/mowca-ministry-of-women-and-children-affairs",
        "2023-24/national-overview",
    ]
    # the page is filed under its latest year, but its budget year is the budget-year rule's:
    # the tiny data have fewer than 5 programmes with a budget, so no year qualifies (None)
    assert plan[-1].parameters == {"fiscal_year": None, "processed_dir": str(tiny)}


# --- hashes: a report depends on its own rows and the national figures ------------------------------
def test_report_hash_changes_only_for_the_ministry_whose_rows_changed(tiny, standins, tmp_path):
    def hashes(processed: Path) -> dict[str, str]:
        tables = load_tables(processed)
        plan = plan_reports(report_args(processed, tmp_path, standins), tables)
        national = national_digest(tables)
        digests = TableDigests(tables)  # as the runner hashes them: each table once
        return {p.key: report_hash(p, tables, "pkg", "nb", national, digests) for p in plan}

    changed = copy_processed(tiny, tmp_path / "changed")
    before = hashes(changed)
    assert before == hashes(changed)  # deterministic
    df = pd.read_parquet(changed / "assessments.parquet")
    df.loc[df["programme"] == "Old Age Allowance", "remarks"] = "Quota of 5 men and 5 women per ward at launch"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), changed / "assessments.parquet")
    after = hashes(changed)
    differ = {k for k in before if before[k] != after[k]}
    assert differ == {"2023-24/mosw-ministry-of-social-welfare", "2023-24/national-overview"}
    # A new answer changes a score, which every ministry report compares with.
    df.loc[df["programme"] == "Old Age Allowance", "graduation"] = "yes"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), changed / "assessments.parquet")
    rescore(changed)
    rescored = hashes(changed)
    assert all(rescored[k] != after[k] for k in after)


def test_index_figures_come_from_the_headline_file_the_notebook_wrote(tmp_path):
    figures = {"unit": "M", "ministry_code": "X", "n_programmes": 4, "n_gender_specific_or_transformative": 3,
               "share": 0.75, "ci_low": float("nan"), "ci_high": 0.95, "budget_share": 0.5, "fiscal_year": "2023-24",
               "mean_inclusion_score": 61.2, "mean_ci_low": 40.0, "mean_ci_high": 80.0,
               "national_mean_inclusion_score": 55.0, "synthetic": True, "programme_scores": [["P", 50.0]]}
    path = tmp_path / "2023-24" / "x.headline.json"
    write_headline(path, figures, ["M has 4 programmes."])
    headline = Headline.read(path)
    assert headline is not None and headline.sentences == ("M has 4 programmes.",)
    assert headline.n_programmes == 4 and headline.ci_low is None and headline.synthetic is True
    assert json.loads(json.dumps(headline.figures())) == headline.figures()  # plain JSON for the manifest
    # below 5 programmes: counts, and no mean
    assert index_figures(headline) == index_figures(_jsonable(headline.figures())) == {
        "programmes": "4", "gsot": "3 of 4", "budget": "50% (FY 2023-24)", "score": "–"}
    assert index_figures(headline.figures() | {"n_programmes": 6}) == {
        "programmes": "6", "gsot": "3 of 6 (75%)", "budget": "50% (FY 2023-24)", "score": "61 (40–80); national 55"}
    # no file, or not a headline: nothing (the runner computes the headline itself then)
    write_headline(None, figures, [])
    assert Headline.read(tmp_path / "missing.headline.json") is None
    (tmp_path / "bad.headline.json").write_text("NameError", encoding="utf-8")
    assert Headline.read(tmp_path / "bad.headline.json") is None


# --- HTML rendering, in-process ---------------------------------------------------------------
def shows_code(html: str) -> bool:
    """Whether a page has a code editor area or an In/Out prompt (class names in CSS do not count)."""
    classes = " ".join(re.findall(r'class="([^"]*)"', html)).split()
    return bool({"jp-InputArea-editor", "jp-CodeMirrorEditor", "jp-InputPrompt", "jp-OutputPrompt"} & set(classes)
                or "In&nbsp;[" in html)


def _output_notebook(outputs: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("secret_source_code = 1", execution_count=1)
    cell.outputs = outputs
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    return nb


PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_render_html_hides_code_embeds_images_and_stays_offline():
    nb = _output_notebook([
        nbformat.v4.new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"}),
        nbformat.v4.new_output("display_data", data={"text/html": f"<p>{'&lt;script&gt;alert(1)&lt;/script&gt;'}</p>"}),
    ])
    html, removed = render_html(nb, "Ministry of Women & Children <Affairs>")
    assert removed == 0
    assert "secret_source_code" not in html
    assert not shows_code(html)
    assert 'src="data:image/png;base64,' in html
    assert "<title>Ministry of Women &amp; Children &lt;Affairs&gt;</title>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "a resource from the network"
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_papermill_error_marker_keeps_its_style_and_link_in_the_html():
    nb = _output_notebook([nbformat.v4.new_output("error", ename="ValueError", evalue="broken data",
                                                  traceback=["ValueError: broken data"])])
    nb.metadata["papermill"] = {}
    assert mark_errors(nb) == ("ValueError: broken data", 1)
    html, _ = render_html(nb, "t")
    assert re.search(r'<span style="color:red;[^"]*">An Exception was encountered at '
                     r'\'<a href="#papermill-error-cell">In \[1\]</a>\'', html)
    assert 'id="papermill-error-cell"' in html


def test_render_html_removes_markup_that_slipped_into_outputs():
    nb = _output_notebook([
        nbformat.v4.new_output("display_data", data={"text/html": (
            "<p>ok</p><script>alert(1)</script><img src=x onerror=alert(2)>"
            "<img src='https://cdn.example.org/x.png'><a href='javascript:alert(3)'>x</a>"
            "<iframe src='https://example.org'></iframe><a href='https://example.org/source'>source</a>")}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(4)"}),
    ])
    html, removed = render_html(nb, "t")
    assert removed >= 5
    assert "<script" not in html and "alert(4)" not in html
    assert "onerror" not in html and "javascript:" not in html and "<iframe" not in html
    assert "cdn.example.org" not in html
    assert 'href="https://example.org/source"' in html  # a link to read is not a resource to load


# --- warm kernels ------------------------------------------------------------------------------
PROBE_HELPER = '''\
import warnings


def warn():
    warnings.warn("probe warning from a library", UserWarning)
'''
PROBE_CELLS = [
    nbformat.v4.new_markdown_cell("# State probe"),
    nbformat.v4.new_code_cell("""\
import os, random, sys, warnings
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import probe_helper
if seed is not None:
    np.random.seed(seed)
    random.seed(seed)"""),
    nbformat.v4.new_code_cell("""\
print(pd.get_option("display.max_rows"), mpl.rcParams["axes.facecolor"], mpl.rcParams["lines.linewidth"])
print(round(float(np.random.rand()), 12), round(random.random(), 12))
print("polluted" in globals(), os.environ.get("NSSS_PROBE"), os.path.basename(os.getcwd()), len(plt.get_fignums()))
probe_helper.warn()"""),
    nbformat.v4.new_code_cell("""\
pd.set_option("display.max_rows", 4)
sns.set_theme(style="darkgrid", palette="deep")
mpl.rcParams["lines.linewidth"] = 7
os.environ["NSSS_PROBE"] = "set"
warnings.simplefilter("ignore")
polluted = True
left_open = plt.figure()"""),
    nbformat.v4.new_code_cell("""\
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot(np.random.rand(6))
ax.set_title(label)
plt.show()"""),
    nbformat.v4.new_code_cell('pd.DataFrame({"x": range(10)})'),
]


def _comparable(nb) -> list:
    """Each code cell's execution count and outputs (no timings, no parameter cell)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        outputs = [{k: v for k, v in o.items() if k != "metadata"} for o in cell.outputs]
        cells.append((cell.execution_count, outputs))
    return cells


@pytest.mark.slow
def test_warm_kernel_report_equals_a_fresh_papermill_run(tmp_path):
    import papermill

    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "probe_helper.py").write_text(PROBE_HELPER)
    nbformat.write(standin_notebook(PROBE_CELLS, 'label = "probe"\nseed = None'), folder / "probe.ipynb")
    fresh = papermill.execute_notebook(
        str(folder / "probe.ipynb"), str(tmp_path / "fresh.ipynb"), kernel_name="python3",
        parameters={"label": "probe", "seed": REPORT_SEED}, progress_bar=False, cwd=str(folder))

    kernel = WarmKernel(folder)
    job = ReportJob("k", str(folder / "probe.ipynb"), {"label": "probe", "seed": None},
                             str(tmp_path / "warm.ipynb"), str(tmp_path / "warm.html"), "probe")
    try:
        first, error1 = kernel.run(parameterize(job), timeout=CEILING)
        second, error2 = kernel.run(parameterize(job), timeout=CEILING)  # after the pollution
        assert kernel.starts == 1, "the kernel was reused, not restarted"
    finally:
        kernel.shutdown()
    assert error1 is None and error2 is None
    assert _comparable(second) == _comparable(first) == _comparable(fresh)
    printed = "".join(o.get("text", "") for o in second.cells[4].outputs if o.output_type == "stream")
    assert "False None nb 0" in printed  # clean namespace, environment, cwd; no open figures
    assert "probe warning from a library" in printed  # warnings shown again, not swallowed
    assert any("image/png" in o.get("data", {}) for o in second.cells[6].outputs)


@pytest.mark.slow
@pytest.mark.skipif(not (config.NOTEBOOKS_DIR / MINISTRY_NOTEBOOK).exists(), reason="no notebooks/ yet")
def test_warm_kernel_matches_fresh_papermill_on_the_real_ministry_report(tiny):
    """notebooks/ministry_report.ipynb for MoSW: fresh papermill kernel vs the third
    report of a warm kernel: the same cells, counts and outputs (figures' bytes included)."""
    import papermill

    notebook = config.NOTEBOOKS_DIR / MINISTRY_NOTEBOOK
    params = {"ministry": "MoSW", "fiscal_year": "2023-24", "processed_dir": str(tiny)}
    fresh = papermill.execute_notebook(str(notebook), None, parameters=params, kernel_name="python3",
                                       progress_bar=False, cwd=str(notebook.parent))
    kernel = WarmKernel(notebook.parent)
    try:
        for code in ("MoWCA", "MoDMR", "MoSW"):
            job = ReportJob("k", str(notebook), dict(params, ministry=code), "-", "-", "t")
            warm, error = kernel.run(parameterize(job), timeout=CEILING)
            assert error is None
        assert kernel.starts == 1
    finally:
        kernel.shutdown()
    assert _comparable(warm) == _comparable(fresh)
    assert "nsss-card" in json.dumps(_comparable(warm))  # the real report's cards, identical


@pytest.mark.slow
def test_kernel_failures_are_isolated_and_the_kernel_replaced(tmp_path):
    folder = tmp_path / "nb"
    cells = [nbformat.v4.new_markdown_cell("# probe"), nbformat.v4.new_code_cell(textwrap.dedent("""\
        import os, threading
        if mode == "raise":
            raise ValueError("broken data for " + mode)
        if mode == "slow":
            threading.Event().wait()  # never ends: its 4 s timeout stops it
        if mode == "die":
            os._exit(1)
        print("rendered", mode)"""))]
    folder.mkdir()
    nbformat.write(standin_notebook(cells, 'mode = "ok"'), folder / "modes.ipynb")
    jobs = [ReportJob(f"y/{mode}", str(folder / "modes.ipynb"), {"mode": mode},
                               str(tmp_path / f"{mode}.ipynb"), str(tmp_path / f"{mode}.html"), mode,
                               timeout=4 if mode == "slow" else int(CEILING))  # the others: a net only
            for mode in ("die", "ok", "slow", "raise", "ok2")]
    seen = []
    results = run_jobs(jobs, workers=1, kernel_cwd=folder, on_result=seen.append, progress=False,
                                kernel_settings={"warm": False})  # quick restarts
    status = {r.key: (r.status, r.error) for r in results}
    assert status["y/ok"] == ("ok", None) and status["y/ok2"] == ("ok", None)
    assert status["y/die"][0] == "failed" and "DeadKernelError" in status["y/die"][1]
    assert status["y/slow"][0] == "failed" and "longer than 4 s" in status["y/slow"][1]
    assert status["y/raise"] == ("failed", "ValueError: broken data for raise")
    assert len(seen) == 5
    for mode in ("die", "slow", "raise"):
        nb = nbformat.read(tmp_path / f"{mode}.ipynb", as_version=4)
        assert "papermill-error-cell-tag" in nb.cells[0].metadata["tags"]
        assert "An Exception was encountered" in nb.cells[0].source
        assert nb.metadata.papermill["exception"] is True
        assert any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert "An Exception was encountered" in (tmp_path / f"{mode}.html").read_text()


@pytest.mark.slow
def test_kernel_is_replaced_after_n_reports(tmp_path):
    nbformat.write(standin_notebook([nbformat.v4.new_markdown_cell("# n"), nbformat.v4.new_code_cell("n * 2")], "n = 0"),
                   tmp_path / "n.ipynb")
    kernel = WarmKernel(tmp_path, warm=False, restart_after=2)
    try:
        for n in range(5):
            job = ReportJob("k", str(tmp_path / "n.ipynb"), {"n": n}, "-", "-", "t")
            nb, error = kernel.run(parameterize(job), timeout=CEILING)
            assert error is None and nb.cells[-1].outputs[0]["data"]["text/plain"] == str(n * 2)
    finally:
        kernel.shutdown()
    assert kernel.starts == 3  # reports 1-2, 3-4, 5


def test_kernel_start_is_retried_once(monkeypatch, tmp_path):
    attempts = []

    def flaky(self, while_booting=None):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(WarmKernel, "_start_once", flaky)
    WarmKernel(tmp_path).start()
    assert len(attempts) == 2

    def broken(self, while_booting=None):
        attempts.append(1)
        raise RuntimeError("no such kernel")

    attempts.clear()
    monkeypatch.setattr(WarmKernel, "_start_once", broken)
    with pytest.raises(KernelStartError, match="did not start .2 attempts.: no such kernel"):
        WarmKernel(tmp_path).start()
    assert len(attempts) == 2


# --- the whole command --------------------------------------------------------------------------
def _links(index_html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', index_html)


@pytest.mark.slow
def test_end_to_end_two_ministries_with_papermill(hostile_site):
    """The real notebooks over the bundled data: two ministry reports, a small one and
    one with a hostile programme name (the session's ``hostile_site``, rendered once per run)."""
    processed, out = hostile_site.processed, hostile_site.out
    manifest = json.loads((out / "manifest.json").read_text())
    entries = manifest["reports"]
    assert len(entries) == 2 and all(e["status"] == "ok" for e in entries.values())
    register = load_reference().ministry_by_code
    for entry in entries.values():
        nb = nbformat.read(out / entry["notebook"], as_version=4)
        assert nb.metadata.papermill["parameters"]["ministry"] == entry["ministry_code"]
        assert nb.metadata.papermill["parameters"]["processed_dir"] == str(processed)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
        html = (out / entry["html"]).read_text(encoding="utf-8")
        name = register[entry["ministry_code"]].name
        assert re.search(r"<title>[^<]*" + re.escape(name.replace("&", "&amp;")), html)
        assert not shows_code(html)
        for cell in nb.cells:  # no code shown: no line of any code cell is in the page
            lines = [ln.strip() for ln in cell.source.splitlines() if len(ln.strip()) > 20]
            if cell.cell_type == "code" and lines:
                assert lines[0] not in html and escape(lines[0], quote=False) not in html, lines[0]
        # a small ministry's report is its cards and action plan; a larger one adds figures
        assert '<article class="nsss-card">' in html
        assert html.count('class="nsss-figure"') >= (entry["headline"]["n_programmes"] >= 5)
        assert "<script" not in html
        assert (out / entry["html"]).stat().st_mode & 0o777 == 0o644  # for sharing
        assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", html)
        assert entry["headline"]["n_programmes"] >= 1 and entry["sentences"]
    hostile_entry = next(e for e in entries.values() if e["ministry_code"] == hostile_site.code)
    html = (out / hostile_entry["html"]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text ...
    assert HOSTILE not in html  # ... never as markup
    # The remark is shown on its programme card, as text: no element carries its handler.
    assert "&lt;img src=x onerror=" in html
    assert not re.search(r"<img[^>]*onerror", html)
    index = (out / "index.html").read_text(encoding="utf-8")
    links = _links(index)
    assert len(links) >= 2 and all((out / link).is_file() for link in links)
    assert "<script" not in index
    log_lines = (out / "nsss-reports.log").read_text().splitlines()
    assert sum(" ok in " in line for line in log_lines) == 2


@pytest.mark.slow
def test_default_run_then_skip_when_unchanged_then_force(tiny, standins, tmp_path):
    """A default run (3 ministries + national overview); an unchanged rerun skips all
    without loading pandas or papermill; a changed remark re-renders its ministry and
    the national overview only; --force renders everything again."""
    out = tmp_path / "reports"
    processed = copy_processed(tiny, tmp_path / "processed")
    package = package_digest()
    assert run_reports(report_args(processed, out, standins)) == 0

    htmls = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert htmls == [
        "2023-24/modmr-ministry-of-disaster-management-and-relief.html",
        "2023-24/mosw-ministry-of-social-welfare.html",
        "2023-24/mowca-ministry-of-women-and-children-affairs.html",
        "2023-24/national-overview.html",
        "index.html",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    links = _links(index)
    assert sorted(set(links)) == [h for h in htmls if h != "index.html"]
    assert all((out / link).is_file() for link in links)
    assert "Ministry of Women and Children Affairs" in index and "2 of 2" in index
    assert HOSTILE not in index
    mosw = (out / "2023-24/mosw-ministry-of-social-welfare.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mosw and HOSTILE not in mosw
    assert "&lt;img src=x onerror=" in mosw and "<img src=x" not in mosw
    assert not list(out.rglob("*.tmp"))
    assert (out / "nsss-reports.log").read_text().count(" ok in ") == 4

    # Nothing changed: a fresh process skips everything, without the heavy imports.
    assert standins.name == "notebooks"  # the CLI finds the stand-ins through NSSS_ROOT
    env = dict(os.environ, NSSS_ROOT=str(standins.parent))
    probe = (
        "import sys, time; t = time.perf_counter()\n"
        "from nsss_analysis.cli import main\n"
        f"rc = main(['reports', '--processed', {str(processed)!r}, '--out', {str(out)!r}])\n"
        "heavy = [m for m in ('pandas', 'papermill', 'nbconvert', 'nbclient', 'seaborn', 'statsmodels',"
        " 'matplotlib') if m in sys.modules]\n"
        "print('RESULT', rc, heavy, round(time.perf_counter() - t, 3))\n"
    )
    for _ in range(2):  # a second try only if someone edited the package meanwhile (it re-renders all)
        done = subprocess.run([PYTHON, "-c", probe], env=env, capture_output=True, text=True, timeout=CEILING)
        if "nothing changed" in done.stdout or package_digest() == package:
            break
        package = package_digest()
    result = next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))
    assert result.startswith("RESULT 0 []"), done.stdout + done.stderr
    assert "nothing changed" in done.stdout  # its seconds are the regeneration benchmark's to print

    # One ministry's remark changes: that report and the national overview only.
    df = pd.read_parquet(processed / "assessments.parquet")
    df.loc[df["ministry_code"] == "MoDMR", "remarks"] = "30% of places reserved for women"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), processed / "assessments.parquet")
    rescore(processed)  # scores made from the old assessments would be refused as stale
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*/*.html")}
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert run_reports(report_args(processed, out, standins)) == 0
    assert "2 to render, 2 unchanged" in buffer.getvalue()
    changed = {p.relative_to(out).as_posix() for p in before if p.stat().st_mtime_ns != before[p]}
    assert changed == {"2023-24/modmr-ministry-of-disaster-management-and-relief.html",
                       "2023-24/national-overview.html"}

    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert run_reports(report_args(processed, out, standins, force=True)) == 0
    assert "4 to render, 0 unchanged" in buffer.getvalue()
    assert all(p.stat().st_mtime_ns > before[p] for p in before)


@pytest.mark.slow
def test_one_broken_ministry_fails_alone(bundled, standins, tmp_path, capsys):
    processed = copy_processed(bundled, tmp_path / "processed")
    codes = first_codes(processed, 3)
    broken = codes[1]
    scores = pd.read_parquet(processed / "scores.parquet")  # one ministry's scores are lost
    pq.write_table(pa.Table.from_pandas(scores[scores["ministry_code"] != broken], preserve_index=False),
                   processed / "scores.parquet")
    out = tmp_path / "reports"
    code = run_reports(report_args(processed, out, standins, ministry=codes))
    assert code == 1
    err = capsys.readouterr().err
    entries = json.loads((out / "manifest.json").read_text())["reports"]
    status = {e["ministry_code"]: (key, e["status"]) for key, e in entries.items()}
    assert {c: s for c, (_, s) in status.items()} == {c: "failed" if c == broken else "ok" for c in codes}
    key = status[broken][0]
    name = load_reference().ministry_by_code[broken].name
    assert "1 of 3 report(s) failed" in err
    assert f"{key}: ValueError: no scored programmes for {name}" in err
    failed = nbformat.read(out / f"{key}.ipynb", as_version=4)
    assert failed.cells[0].metadata["tags"] == ["papermill-error-cell-tag"]
    assert "An Exception was encountered" in (out / f"{key}.html").read_text()
    for c in codes:
        if c != broken:
            assert 'class="nsss-figure"' in (out / f"{status[c][0]}.html").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["last_run"]["failed"] == [key]
    assert manifest["last_run"]["fingerprint"] is None  # the next run retries it
    # where the time went (benchmarks/regenerate.py prints it): each page's steps, then the run's
    for c in codes:
        steps = entries[status[c][0]]["stages"]
        assert set(steps) == {"prepare", "cells", "html"} and min(steps.values()) >= 0
        assert sum(steps.values()) <= entries[status[c][0]]["seconds"] + 0.01
    assert set(manifest["last_run"]["stages"]) == {"planning", "pages", "downloads", "index"}
    assert 'class="failed"' in (out / "index.html").read_text()
    assert "FAILED" in (out / "nsss-reports.log").read_text()


def test_a_second_run_waits_then_exits_75_naming_the_holder(tiny, tmp_path, monkeypatch, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    holder = subprocess.Popen(
        [PYTHON, "-c", textwrap.dedent(f"""\
            import sys
            from pathlib import Path
            from nsss_analysis.runner.lock import BuildLock, lock_path
            with BuildLock(lock_path(Path({str(tiny)!r}))):
                print("held", flush=True)
                sys.stdin.read()  # held until killed, or the test's end closes the pipe""")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(runner_request, "LOCK_WAIT_SECONDS", 0.3)
        started = time.monotonic()
        code = main(["reports", "--processed", str(tiny), "--out", str(out)])
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert code == EXIT_LOCKED == 75
    err = capsys.readouterr().err
    assert f"another nsss run holds the lock (pid {holder.pid} since " in err
    assert waited >= 0.3
    assert err.count("\n") == 1


@pytest.mark.slow
def test_a_killed_run_leaves_no_half_files_and_the_rerun_completes(bundled, standins, tmp_path):
    processed = copy_processed(bundled, tmp_path / "processed")
    out = tmp_path / "reports"
    env = dict(os.environ, NSSS_ROOT=str(standins.parent), NSSS_TEST_REPORT_SLEEP="1.5")
    command = [PYTHON, "-m", "nsss_analysis", "reports", "--processed", str(processed), "--out", str(out),
               "--workers", "1"]
    for code in first_codes(processed, 4):
        command += ["--ministry", code]

    def start_and_wait_for_first_report() -> subprocess.Popen:
        """Start the run; return once its second report started (one worker: the first
        report's files are written)."""
        folder = tmp_path / f"run-{len(list(tmp_path.glob('run-*')))}"
        folder.mkdir()
        starts = ReportStarts(folder)
        run = subprocess.Popen(command, env=dict(env, **starts.env), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        starts.wait(2, run)
        starts.close()
        assert any(p.suffix == ".html" for p in out.rglob("*/*.html"))
        return run

    # Ctrl-C: the run stops, says so, and returns 130.
    run = start_and_wait_for_first_report()
    run.send_signal(signal.SIGINT)
    rc = run.wait(timeout=CEILING)
    assert rc == 130, run.stderr.read()
    assert "interrupted" in run.stderr.read()
    shutil.rmtree(out)

    # SIGKILL mid-way: nothing to clean up after itself but the next run.
    run = start_and_wait_for_first_report()
    below = children(run.pid)  # its workers (each kills its kernel when its parent is gone)
    run.kill()
    run.wait(timeout=CEILING)
    wait_gone(below)  # each worker notices its parent is gone, kills its kernel and exits
    done = subprocess.run(command, env=dict(env, NSSS_TEST_REPORT_SLEEP="0"), capture_output=True, text=True,
                          timeout=CEILING)
    assert done.returncode == 0, done.stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    htmls = sorted(out.rglob("*/*.html"))
    assert len(htmls) == 4
    for html in htmls:
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
        nbformat.validate(nbformat.read(html.with_suffix(".ipynb"), as_version=4))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["last_run"]["fingerprint"] and not manifest["last_run"]["failed"]
