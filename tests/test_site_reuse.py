"""The session's ``site`` reuses the checkout's ``reports/`` only when ``make reports``
made it from exactly the session's tables, notebooks, package and libraries, with
every page written (tests/support/site.py); and the runner's fingerprint sees a
changed translation or font. The reports folders here are written by hand (a manifest
and empty pages): nothing is rendered."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nsss_analysis.runner import manifest as manifest_module
from nsss_analysis.runner.manifest import INDEX_FILE, MANIFEST_FILE, MANIFEST_VERSION, run_fingerprint
from nsss_analysis.runner.run import current_generation
from tests.support.processed import copy_processed, write_processed
from tests.support.site import make_reports_requests, reuse_reports, up_to_date

KEYS = ("2023-24/mosw-ministry-of-social-welfare", "2023-24/bn/mosw-ministry-of-social-welfare")


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    return write_processed(tmp_path_factory.mktemp("reuse") / "processed")


def fake_run(reports: Path, processed: Path, which: int = 0, failed: bool = False) -> Path:
    """A reports folder as a complete ``make reports`` (``which``: 0 build, 1 --all) over
    ``processed`` would leave it: the manifest with the run's fingerprint, the pages."""
    request = make_reports_requests(reports)[which]
    reports.mkdir(parents=True, exist_ok=True)
    for key in KEYS:
        for suffix in (".html", ".ipynb"):
            (reports / f"{key}{suffix}").parent.mkdir(parents=True, exist_ok=True)
            (reports / f"{key}{suffix}").write_text("synthetic page", encoding="utf-8")
    (reports / INDEX_FILE).write_text("<html></html>", encoding="utf-8")
    fingerprint = None if failed else run_fingerprint(request, current_generation(processed))
    manifest = {"version": MANIFEST_VERSION,
                "reports": {k: {"status": "ok", "html": f"{k}.html"} for k in KEYS},
                "last_run": {"fingerprint": fingerprint, "reports": list(KEYS)}}
    (reports / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    (reports / "reports.lock").write_text("", encoding="utf-8")
    return reports


@pytest.mark.parametrize("which", [0, 1], ids=["nsss build", "nsss reports --all"])
def test_a_complete_run_over_the_same_tables_is_copied(tables, tmp_path, which):
    reports = fake_run(tmp_path / "reports", tables, which)
    out = tmp_path / "site"
    assert reuse_reports(reports, tables, out)
    assert (out / f"{KEYS[1]}.html").read_text(encoding="utf-8") == "synthetic page"
    assert not (out / "reports.lock").exists()


def test_one_changed_byte_in_a_table_renders_again(tables, tmp_path):
    reports = fake_run(tmp_path / "reports", tables)
    changed = copy_processed(tables, tmp_path / "changed")
    table = current_generation(changed) / "quarantine.csv"
    table.write_bytes(table.read_bytes() + b"\n")
    assert up_to_date(reports, tables) and not up_to_date(reports, changed)
    assert not reuse_reports(reports, changed, tmp_path / "site") and not (tmp_path / "site").exists()


def test_a_failed_run_or_a_missing_page_renders_again(tables, tmp_path):
    assert not up_to_date(fake_run(tmp_path / "failed", tables, failed=True), tables)
    reports = fake_run(tmp_path / "partial", tables)
    (reports / f"{KEYS[1]}.html").unlink()
    assert not up_to_date(reports, tables)
    assert not up_to_date(tmp_path / "never-rendered", tables)


def test_another_request_renders_again(tables, tmp_path):
    reports = fake_run(tmp_path / "reports", tables)
    request = make_reports_requests(reports)[0]
    english_only = type(request)(processed=request.processed, out=reports, notebooks=request.notebooks,
                                 languages=("en",))
    data = json.loads((reports / MANIFEST_FILE).read_text(encoding="utf-8"))
    data["last_run"]["fingerprint"] = run_fingerprint(english_only, current_generation(tables))
    (reports / MANIFEST_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert not up_to_date(reports, tables)


def test_the_fingerprint_sees_translations_and_fonts_not_caches(tmp_path, monkeypatch):
    package = tmp_path / "nsss_analysis"
    for name in ("reference/locale/bn/LC_MESSAGES/nsss.mo", "reference/fonts/Font.ttf", "__pycache__/x.pyc",
                 "reference/.nsss.po.swp"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_bytes(b"synthetic")
    monkeypatch.setattr(manifest_module, "PACKAGE_DIR", package)
    before = manifest_module.package_digest()
    for ignored in ("__pycache__/x.pyc", "reference/.nsss.po.swp"):
        (package / ignored).write_bytes(b"changed")
        assert manifest_module.package_digest() == before
    for counted in ("reference/locale/bn/LC_MESSAGES/nsss.mo", "reference/fonts/Font.ttf"):
        (package / counted).write_bytes(b"changed " + counted.encode())
        after = manifest_module.package_digest()
        assert after != before
        before = after
    shutil.rmtree(package / "reference/fonts")
    assert manifest_module.package_digest() != before
