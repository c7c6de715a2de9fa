"""Shared fixtures: small forms written to tmp_path (workbooks and CSV files), the
bundled data cleaned and scored once, every report rendered once, and the suite's
pinned environment.

Built once per run (shared by the pytest-xdist workers, tests/support/once.py):
``bundled`` (data/raw through the real ``nsss clean`` and ``nsss score``),
``bundled_mis`` (the same plus ``nsss progress`` over the returned action plans and
``nsss beneficiaries`` over the bundled MIS extracts: the tables of ``make processed`` and
``nsss build``, byte for byte) and ``site`` (``nsss reports --all --language all`` over
``bundled_mis``: every page, in English and Bangla; copied from the checkout's
``reports/`` when ``make reports`` left it up to date for exactly these tables, code
and libraries, see tests/support/site.py). All three are read only; a test that
changes tables copies them (``support.processed.copy_processed``), a test that changes
pages copies ``site.out``. Tests that read pages take them from ``site``: never render
the bundled data again. Also built once per run: ``hostile_site`` (two ministries with
a hostile programme name, one with figures), ``site_pdf(entry)`` (a page's PDF, printed once per page);
once per worker: ``browser`` (one Chromium that every browser test opens its pages in).
A test that asks for any of these is marked ``slow`` (:data:`RENDERING_FIXTURES`).

The suite pins the language and the locale before any test module is imported: the
reports' language defaults to ``$NSSS_LANGUAGE``, so a developer's ``NSSS_LANGUAGE=bn``
(or a Bangla system locale) must not change what the tests expect. Tests that are about
the variable set it themselves (``monkeypatch.setenv``); the notebooks' kernels inherit
the pinned values. Each test starts in the environment's language, whatever the test
before it set (:func:`nsss_analysis.reference.i18n.set_language`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil

os.environ["NSSS_LANGUAGE"] = "en"
# Every render in the suite checks its claims ledger strictly: a statement that breaks a
# rule of docs/method.md fails the report, and so the test (report/rules.py). Production
# (no variable) logs one line per broken rule instead; the tests of that unset it.
os.environ["NSSS_CLAIM_RULES"] = "strict"
os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)  # gettext's own variable, read before LC_ALL
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from nsss_analysis import config
from nsss_analysis.reference import i18n
from nsss_analysis.reference.vocab import load_reference
from tests.support.browser import CHROMIUM, Browser
from tests.support.once import built_once
from tests.support.pages import HostileSite, Site
from tests.support.processed import (
    bundled_processed,
    copy_processed,
    first_codes,
    inject_hostile,
    processed_from,
    report_args,
    site_request,
)
from tests.support.site import reuse_reports

PROGRAMME_COLUMNS = [c.column for c in load_reference().columns_of("Programmes")]
PROGRAMME_LABELS = [c.label for c in load_reference().columns_of("Programmes")]


#: The session fixtures that render pages, print PDFs or start a browser: a test that
#: asks for one is ``slow`` whatever its module says, so that `make test-fast` never
#: renders (a site costs a minute or more; ``site`` reuses ``reports/`` only when it is
#: up to date).
RENDERING_FIXTURES = frozenset({"site", "site_pdf", "hostile_site", "browser", "generated_site", "seed1_site"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if RENDERING_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _environment_language():
    """Every test starts, and leaves the next one, in the environment's language, and
    outside any page's claims ledger (a test that starts one, as a notebook's first cell
    does with ``claims.start``, does not leave it open for the next test of its worker)."""
    from nsss_analysis.report import claims

    i18n.forget_language()
    claims.forget()
    yield
    i18n.forget_language()
    claims.forget()


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> Path:
    """data/raw cleaned and scored by the real `nsss clean` and `nsss score`, once per run."""
    return built_once(tmp_path_factory, "bundled", bundled_processed)


@pytest.fixture(scope="session")
def bundled_mis(tmp_path_factory, bundled) -> Path:
    """``bundled``, the returned action plans (`nsss progress`) and the MIS coverage of
    the bundled extracts (`nsss beneficiaries`): what `make processed` writes."""
    from nsss_analysis.commands import run_beneficiaries, run_progress
    from nsss_analysis.mis.extracts import default_extracts

    def build(folder: Path) -> None:
        copy_processed(bundled, folder)
        extracts = default_extracts(config.RAW_DIR)
        with contextlib.redirect_stdout(io.StringIO()):
            assert run_progress(config.RAW_DIR, folder) == 0
            assert not extracts or run_beneficiaries(extracts, folder) == 0

    return built_once(tmp_path_factory, "bundled-mis", build)


@pytest.fixture(scope="session")
def seed7(tmp_path_factory) -> Path:
    """Another seed (7) of the synthetic data generator, cleaned and scored: data the
    bundled tables do not show (read only)."""
    from tools.synthetic.forms import generate

    def build(folder: Path) -> None:
        folder.mkdir(parents=True)
        generate(folder / "raw", seed=7)
        processed_from(folder / "raw", folder / "processed")

    return built_once(tmp_path_factory, "seed7", build) / "processed"


@pytest.fixture(scope="session")
def site(tmp_path_factory, bundled_mis) -> Site:
    """Every report of the bundled data in English and Bangla, rendered once by the real
    notebooks (`nsss reports --all --language all`), or the checkout's ``reports/`` when
    it is up to date for ``bundled_mis`` (``site.from`` in the run folder says which)."""
    from nsss_analysis.runner.manifest import read_manifest
    from nsss_analysis.runner.run import run_reports

    def build(out: Path) -> None:
        reused = reuse_reports(config.REPORTS_DIR, bundled_mis, out)
        if not reused:
            with contextlib.redirect_stdout(io.StringIO()):
                assert run_reports(site_request(bundled_mis, out, force=True)) == 0
        (out.parent / "site.from").write_text(str(config.REPORTS_DIR) if reused else "rendered", encoding="utf-8")

    out = built_once(tmp_path_factory, "site", build)
    return Site(out, read_manifest(out)["reports"], bundled_mis)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, bundled) -> HostileSite:
    """Two ministries' reports of the bundled data, rendered once per run by the real
    notebooks in English: the first by code (a one-programme ministry: cards and plan)
    and the ministry of the first form row (figures too), which gets a programme named
    ``<script>alert(1)</script>`` and a hostile remark (``support.processed.inject_hostile``;
    ``processed`` is the changed copy). Read only: shared by the end-to-end test of the
    runner and the browser tests."""
    import pandas as pd

    from nsss_analysis.runner.manifest import read_manifest
    from nsss_analysis.runner.run import run_reports

    def build(base: Path) -> None:
        base.mkdir(parents=True)
        processed = copy_processed(bundled, base / "processed")
        hostile = str(pd.read_parquet(processed / "assessments.parquet")["ministry_code"].iloc[0])
        codes = sorted({first_codes(processed, 1)[0], hostile})
        inject_hostile(processed, hostile)
        (base / "hostile.txt").write_text(hostile, encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()):
            assert run_reports(report_args(processed, base / "reports", config.NOTEBOOKS_DIR, ministry=codes,
                                           workers=2)) == 0

    base = built_once(tmp_path_factory, "hostile-site", build)
    return HostileSite(base / "reports", read_manifest(base / "reports")["reports"], base / "processed",
                       (base / "hostile.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_pdf(tmp_path_factory, site) -> Callable[[dict], Path]:
    """``site_pdf(entry)``: the PDF of the page of ``site`` with manifest ``entry``, printed
    by the runner's printer (``runner.pdf.print_pdfs``) once per page per run, beside a
    copy of the page (self-contained: images and fonts inline). Read only."""
    from nsss_analysis.runner.pdf import print_pdfs

    def pdf_of(entry: dict) -> Path:
        page = Path(entry["html"])

        def build(folder: Path) -> None:
            folder.mkdir(parents=True)
            shutil.copyfile(site.out / page, folder / page.name)
            assert print_pdfs([folder / page.name]) == [(folder / page.name).with_suffix(".pdf")]

        slug = "-".join(page.with_suffix("").parts)
        return built_once(tmp_path_factory, f"pdf-{slug}", build) / page.with_suffix(".pdf").name

    return pdf_of


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium under Playwright, one per worker, shared by every test
    that opens pages (``browser.run(lambda b: ...)``, tests/support/browser.py); skipped
    where Chromium or Playwright is not installed."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    shared = Browser()
    yield shared
    shared.close()


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


@pytest.fixture
def write_xlsx() -> Callable[..., Path]:
    """``write_xlsx(path, {"Programmes": [[...], ...]})``: rows as lists, ``None`` blank.

    Text starting with ``=`` is stored as text, not as a formula (as a ministry's
    Excel would keep a typed, quoted value).
    """

    def write(path: Path, sheets: dict[str, list[list]]) -> Path:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value is None:
                        continue
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path

    return write


@pytest.fixture
def write_csv() -> Callable[..., Path]:
    """``write_csv(path, rows, encoding="utf-8", delimiter=",")`` with the csv module."""

    def write(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter=delimiter).writerows(rows)
        return path

    return write


@pytest.fixture
def form_row() -> Callable[..., list]:
    """A Programmes row in template order from ``column=value`` keywords."""

    def row(**values: object) -> list:
        unknown = set(values) - set(PROGRAMME_COLUMNS)
        assert not unknown, unknown
        return [values.get(c) for c in PROGRAMME_COLUMNS]

    return row

