"""`nsss clean` records the raw files' content hashes; `nsss reports` warns in one line
when data/raw's content changed since (never on file times alone)."""

from __future__ import annotations

import io
import json
import os
import shutil
from contextlib import redirect_stdout

import pytest

from nsss_analysis import config
from nsss_analysis.commands import run_clean, run_score
from nsss_analysis.intake.raw_hashes import RAW_CHANGED, RAW_HASHES_FILE, raw_changed
from nsss_analysis.runner.run import run_reports
from tests.support.processed import report_args, write_standin_notebooks


@pytest.mark.slow  # cleans data/raw twice and runs a stand-in report in a kernel
def test_clean_records_content_hashes_and_reports_warns_only_when_content_changes(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    processed = tmp_path / "processed"
    with redirect_stdout(io.StringIO()):
        assert run_clean(raw, processed) == 0
    recorded = json.loads((processed / RAW_HASHES_FILE).read_text(encoding="utf-8"))
    assert "MoFood submission.xlsx" in recorded["files"] and len(recorded["files"]["MoFood submission.xlsx"]) == 64
    assert raw_changed(processed) is False
    # a new file time, same content: not a change
    target = raw / "MoFood submission.xlsx"
    os.utime(target, (1, 1))
    assert raw_changed(processed) is False
    # changed content, an added file, a removed file: each a change
    target.write_bytes(target.read_bytes() + b"\0")
    assert raw_changed(processed) is True
    with redirect_stdout(io.StringIO()):
        assert run_clean(raw, processed) == 0
    (raw / "new form.csv").write_text("Ministry,Programme\n", encoding="utf-8")
    assert raw_changed(processed) is True
    (raw / "new form.csv").unlink()
    assert raw_changed(processed) is False
    (raw / "MoLWA.xlsx").unlink()
    assert raw_changed(processed) is True

    with redirect_stdout(io.StringIO()):
        assert run_score(processed) == 0
    notebooks = write_standin_notebooks(tmp_path / "notebooks")
    capsys.readouterr()
    run_reports(report_args(processed, tmp_path / "out", notebooks, ministry=["MoFood"], workers=1))
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if RAW_CHANGED in line] == [
        f"nsss reports: warning: {RAW_CHANGED}"]


def test_no_warning_without_a_record(tmp_path):
    assert raw_changed(tmp_path) is None
