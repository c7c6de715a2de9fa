"""The workbench attacked as an attacker and as a nightly scheduler would: overlapping
builds, kill -9 at every rename, a full disk, unreadable folders, hostile files.

Each case runs in a temporary folder and checks four things: the one-line message,
the exit code, that nothing is lost (rows read = accepted + quarantined) and that the
processed folder is always one complete generation.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from nsss_analysis import config
from nsss_analysis.cli import main
from nsss_analysis.io import (
    current_generation,
    generations_dir,
    read_generation,
    stale_tables,
)
from nsss_analysis.runner.lock import lock_path
from tests.support.cli import HEADER, PYTHON, form, nsss, one_ministry
from tests.support.processed import write_standin_notebooks
from tests.support.signals import CEILING, ReportStarts


def clean(capsys, raw: Path, out: Path, *options: str) -> tuple[int, str, str]:
    code = main(["clean", "--raw", str(raw), "--out", str(out), *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def accounting(out: str) -> tuple[int, int]:
    """(accepted, quarantined) from `nsss clean`'s total line."""
    total = next(line for line in out.splitlines() if line.startswith("total:"))
    accepted = int(total.split(" rows accepted")[0].rsplit(" ", 1)[1])
    quarantined = int(total.split(" quarantined")[0].rsplit(" ", 1)[1])
    return accepted, quarantined


def assert_one_generation(processed: Path) -> None:
    """The processed folder resolves to one complete generation: every table of the
    stages it records is there, and none is older than what it was made from."""
    folder = current_generation(processed)
    assert folder.is_dir()
    record = read_generation(folder)
    stages = record.get("stages", {})
    if "clean" in stages:
        for name in ("assessments.parquet", "budgets.parquet", "quarantine.csv", "conflicts.csv"):
            assert (folder / name).is_file(), name
    if "score" in stages:
        assert (folder / "scores.parquet").is_file() and (folder / "recommendations.parquet").is_file()
    assert stale_tables(folder) == []


# --- the lock and overlapping builds ---------------------------------------------------------
@pytest.fixture
def project(tmp_path) -> Path:
    """A project root whose notebooks are the quick stand-ins (NSSS_ROOT)."""
    write_standin_notebooks(tmp_path / "root" / "notebooks")
    return tmp_path / "root"


@pytest.mark.slow
def test_two_overlapping_builds_never_mix_the_second_waits_or_exits_75(project, tmp_path):
    raw_a, raw_b = tmp_path / "raw_a", tmp_path / "raw_b"
    one_ministry(raw_a, "MoSW")
    one_ministry(raw_b, "MoWCA")
    processed = tmp_path / "data" / "processed"  # shared: the place two runs could mix

    def build(raw: Path, out: str, *options: str, **env: str) -> subprocess.Popen:
        return nsss(project, "build", "--raw", str(raw), "--processed", str(processed), "--out",
                    str(tmp_path / out), "--workers", "1", *options, **env)

    starts = ReportStarts(tmp_path)
    first = build(raw_a, "reports_a", NSSS_TEST_REPORT_SLEEP="2", **starts.env)
    starts.wait(1, first)  # its first report started: it holds the lock for the whole build
    starts.close()
    assert str(first.pid) in lock_path(processed).read_text()
    waiting = build(raw_b, "reports_b", "--wait", "300")
    impatient = nsss(project, "clean", "--raw", str(raw_b), "--out", str(processed), "--wait", "0.3")
    _, err = impatient.communicate(timeout=CEILING)
    assert impatient.returncode == 75
    assert err.count("\n") == 1 and f"another nsss run holds the lock (pid {first.pid} since " in err
    for run in (first, waiting):
        _, err = run.communicate(timeout=CEILING)
        assert run.returncode == 0, err
    for out, code in (("reports_a", "MoSW"), ("reports_b", "MoWCA")):  # each shows only its own data
        manifest = json.loads((tmp_path / out / "manifest.json").read_text())
        assert {e["ministry_code"] for e in manifest["reports"].values() if e["kind"] == "ministry"} == {code}
        assert len({e["generation"] for e in manifest["reports"].values()}) == 1
    assert set(pd.read_parquet(processed / "scores.parquet")["ministry_code"]) == {"MoWCA"}
    assert_one_generation(processed)


def test_a_dead_holders_lock_is_taken_over_and_said(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    lock = lock_path(processed)
    lock.write_text(json.dumps({"pid": 999999, "since": "2026-01-01 00:00:00 UTC"}))
    code, _, err = clean(capsys, raw, processed)
    assert code == 0
    assert "took over the lock" in err and "pid 999999" in err
    assert lock.read_text() == ""  # released cleanly


def test_reports_refuse_scores_older_than_assessments(tmp_path, capsys):
    raw_a, raw_b, processed = tmp_path / "a", tmp_path / "b", tmp_path / "processed"
    one_ministry(raw_a, "MoSW")
    one_ministry(raw_b, "MoWCA")
    assert clean(capsys, raw_a, processed)[0] == 0
    assert main(["score", "--processed", str(processed)]) == 0
    assert clean(capsys, raw_b, processed)[0] == 0
    assert main(["reports", "--processed", str(processed), "--out", str(tmp_path / "reports")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "scores are older than assessments: run `nsss score` or `nsss build`" in err


# --- kill -9 at every rename ----------------------------------------------------------------
KILLER = textwrap.dedent("""\
    import atexit, os, signal, sys
    stop_at, renames = int(sys.argv[1]), [0]
    def stopping(real):
        def rename(*args, **kwargs):
            renames[0] += 1
            if renames[0] == stop_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return rename
    os.replace, os.rename = stopping(os.replace), stopping(os.rename)
    atexit.register(lambda: print(f"renames={renames[0]}", file=sys.stderr))
    from nsss_analysis.cli import main
    sys.exit(main(sys.argv[2:]))""")


def killed_at(n: int, *argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``nsss argv`` and stop it with SIGKILL at its n-th rename (0: never)."""
    return subprocess.run([PYTHON, "-c", KILLER, str(n), *argv], capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, **(env or {})))


def renames(done: subprocess.CompletedProcess) -> int:
    return int(done.stderr.rsplit("renames=", 1)[1])


def forked_at(n: int, *argv: str) -> tuple[int, int]:
    """As :func:`killed_at`, in a fork of this process (no interpreter start, no
    imports): ``(exit status or -9, renames made)``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: count renames, die at the n-th, never return to pytest
        code = 1
        try:
            os.close(read)
            count = [0]

            def stopping(real):
                def rename(*args, **kwargs):
                    count[0] += 1
                    if count[0] == n:
                        os.write(write, f"{count[0]}\n".encode())
                        os.kill(os.getpid(), signal.SIGKILL)
                    return real(*args, **kwargs)
                return rename

            os.replace, os.rename = stopping(os.replace), stopping(os.rename)
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = main(list(argv))
            os.write(write, f"{count[0]}\n".encode())
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read) as f:
        made = f.read().split()
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, int(made[-1]) if made else 0


def test_kill_9_at_every_rename_of_clean_and_score_leaves_one_generation(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "data" / "processed"
    one_ministry(raw, "MoSW")
    assert forked_at(0, "clean", "--raw", str(raw), "--out", str(processed))[0] == 0
    assert forked_at(0, "score", "--processed", str(processed))[0] == 0
    for stage, argv in (("clean", ["clean", "--raw", str(raw), "--out", str(processed)]),
                        ("score", ["score", "--processed", str(processed)])):
        one_ministry(raw, "MoSW", n=4, prefix=stage)  # new data, so the stage writes a new generation
        code, total = forked_at(0, *argv)
        assert code == 0 and total >= 1
        one_ministry(raw, "MoSW", n=5, prefix=stage)
        for n in range(1, total + 1):
            before = current_generation(processed)
            code, _ = forked_at(n, *argv)
            assert code == -9
            assert current_generation(processed) == before  # killed before its swap: the old one stands
            assert read_generation(before)
        code, _ = forked_at(0, *argv)
        assert code == 0
        if stage == "score":  # after clean alone the scores are stale, as `nsss reports` says
            assert_one_generation(processed)
        assert not list(processed.parent.glob(".*.tmp"))
        assert len([p for p in generations_dir(processed).iterdir() if p.is_dir()]) <= 2


@pytest.mark.slow
def test_kill_9_during_the_report_stage_then_a_rerun_completes(project, tmp_path):
    raw, processed, out = tmp_path / "raw", tmp_path / "data" / "processed", tmp_path / "reports"
    one_ministry(raw, "MoSW")
    env = {"NSSS_ROOT": str(project)}
    assert killed_at(0, "clean", "--raw", str(raw), "--out", str(processed)).returncode == 0
    assert killed_at(0, "score", "--processed", str(processed)).returncode == 0
    argv = ["reports", "--force", "--processed", str(processed), "--out", str(out), "--workers", "1",
            "--ministry", "MoSW"]
    done = killed_at(0, *argv, env=env)
    assert done.returncode == 0, done.stderr
    total = renames(done)
    good = sorted(out.rglob("*.html"))
    # the first write, one in the middle and the last (the manifest): each leaves the last
    # good outputs whole, and a manifest that still parses
    for stop in sorted({1, total // 2, total}):
        assert killed_at(stop, *argv, env=env).returncode == -9, stop
        json.loads((out / "manifest.json").read_text())
        for page in good:
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), (stop, page)
    done = killed_at(0, *argv, env=env)
    assert done.returncode == 0, done.stderr
    assert_one_generation(processed)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["last_run"]["fingerprint"] and not manifest["last_run"]["failed"]


# --- a full disk, unwritable and odd paths ----------------------------------------------------
def test_a_full_disk_during_score_names_the_file_exits_1_and_keeps_the_generation(tmp_path, capsys, monkeypatch):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    assert clean(capsys, raw, processed)[0] == 0
    before = current_generation(processed)
    original = pd.DataFrame.to_parquet

    def full(self, path, *args, **kwargs):
        if "recommendations" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    assert main(["score", "--processed", str(processed)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "the disk is full: could not write " in err and "recommendations.parquet" in err
    assert current_generation(processed) == before and not (processed / "scores.parquet").exists()
    assert [p for p in generations_dir(processed).iterdir() if p.is_dir()] == [before]


def test_a_read_only_out_folder_is_one_line_exit_2_not_the_lock(tmp_path, capsys, monkeypatch):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    original = Path.mkdir

    def read_only(self, *args, **kwargs):
        if ".generations" in str(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    code, _, err = clean(capsys, raw, processed)
    assert code == 2
    assert err.count("\n") == 1 and "permission denied" in err and "lock" not in err
    assert "Traceback" not in err


def test_a_path_under_a_file_is_a_usage_error(tmp_path, capsys):
    raw = tmp_path / "raw"
    one_ministry(raw)
    (tmp_path / "afile").write_text("x")
    code, _, err = clean(capsys, raw, tmp_path / "afile" / "processed")
    assert code == 2 and err.count("\n") == 1 and "is a file, not a folder" in err
    assert "unexpected" not in err


def test_an_unreadable_folder_and_dangling_or_looping_links_are_said(tmp_path, capsys, monkeypatch):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    one_ministry(raw / "sub", "MoWCA")
    (raw / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    (raw / "loop").symlink_to(raw)
    (raw / "README.txt").write_text("not a submission")
    original = os.scandir

    def unreadable(path="."):
        if str(path).endswith("sub"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(os, "scandir", unreadable)
    code, out, err = clean(capsys, raw, processed)
    assert code == 0
    assert "sub/: not read: the folder cannot be opened (permission denied)" in err
    assert "dangling.csv: not read: a link to nothing (dangling link)" in err
    assert "loop/: not read: a link looping back to a folder already read" in err
    assert "README" not in err + out
    quarantine = pd.read_csv(processed / "quarantine.csv", dtype=str, keep_default_na=False)
    assert {"sub/", "dangling.csv", "loop/"} <= set(quarantine["source_file"])
    assert main(["clean", "--raw", str(raw), "--out", str(processed), "--strict"]) == 3


# --- hostile files: one bad cell is one bad cell ------------------------------------------------
def zip_bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            block = b"<si><t>a</t></si>" * (1 << 16)
            for _ in range(size // len(block)):
                part.write(block)
    return path


def test_a_zip_bomb_is_refused_in_one_line_fast_and_small(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    bomb = zip_bomb(raw / "bomb.xlsx", 2 * config.MAX_XLSX_PART_BYTES)
    assert bomb.stat().st_size < 2_000_000
    probe = textwrap.dedent(f"""\
        import sys, time
        from pathlib import Path
        from nsss_analysis.cli import main
        from nsss_analysis.intake.forms import read_form_file
        started = time.monotonic()
        refused = read_form_file(Path({str(bomb)!r}), Path({str(raw)!r}))
        seconds = time.monotonic() - started
        # The peak up to the refusal: VmHWM belongs to this program's own memory (ru_maxrss
        # would also count the pytest worker this process was forked from).
        hwm = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
        mb = int(hwm.split()[1]) / 1024
        assert refused.error and not refused.sheets
        code = main(["clean", "--raw", {str(raw)!r}, "--out", {str(processed)!r}])
        print(f"code={{code}} seconds={{seconds:.2f}} mb={{mb:.0f}}")""")
    done = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=120)
    stats = dict(item.split("=") for item in done.stdout.splitlines()[-1].split())
    assert stats["code"] == "0"
    assert float(stats["seconds"]) < 2 and float(stats["mb"]) < 300
    line = next(x for x in done.stderr.splitlines() if x.startswith("bomb.xlsx"))
    assert "xl/sharedStrings.xml unpacks to" in line and "over the limit" in line


def test_a_huge_cell_nul_bytes_and_a_question_mark_header_cost_one_cell_or_line(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    path = raw / "MoSW.csv"
    raw.mkdir()
    rows = [
        ",".join(["Ministry", "Programme", "?", "Graduation planned?", "Remarks"]),
        "MoSW,Old Age Allowance,x,yes,fine",
        "MoSW,Widow Allowance,x,no," + "y" * (10 * 1024 * 1024),  # one 10 MB line
        "MoSW,Disability Allowance,x,no," + "z" * 100_000,  # one cell over Excel's limit
        "MoSW,Stipend,x,yes,two\x00nul\x00bytes",
        "MoSW,Food Friendly,x,no,",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    code, out, err = clean(capsys, raw, processed)
    assert code == 0 and "not read" not in err
    assessments = pd.read_parquet(processed / "assessments.parquet")
    assert set(assessments["programme"]) == {"Old Age Allowance", "Disability Allowance", "Stipend", "Food Friendly"}
    quarantine = pd.read_csv(processed / "quarantine.csv", dtype=str, keep_default_na=False)
    reasons = " | ".join(quarantine["reason"])
    assert "over the limit of" in reasons and "over Excel's limit" in reasons and "NUL bytes" in reasons
    accepted, quarantined = accounting(out)
    assert (accepted, quarantined) == (4, 1)  # 5 rows read = 4 accepted + 1 quarantined
    assert "ignored columns not in the form: ?" in out


def test_mixed_encodings_are_decoded_line_by_line(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lines = [",".join(HEADER).encode(), "MoSW,Old Age Allowance,yes,Café".encode("cp1252"),
             "MoSW,Widow Allowance,no,বয়স্ক ভাতা".encode(), b"MoSW,Stipend,no,plain"]
    (raw / "MoSW.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")
    code, out, _ = clean(capsys, raw, processed)
    assert code == 0
    remarks = pd.read_parquet(processed / "assessments.parquet").set_index("programme")["remarks"]
    assert remarks["Old Age Allowance"] == "Café" and remarks["Widow Allowance"] == "বয়স্ক ভাতা"
    assert "decoded line by line: mixed: UTF-8, and Windows-1252 on 1 line(s) (2)" in out


def test_a_duplicate_file_is_read_once_and_said(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    first = one_ministry(raw, "MoSW", n=3)
    (raw / "MoSW_resent.csv").write_bytes(first.read_bytes())
    code, out, err = clean(capsys, raw, processed)
    assert code == 0
    assert "MoSW_resent.csv: not read: duplicate submission: the same bytes as MoSW.csv (read once)" in err
    assert len(pd.read_parquet(processed / "assessments.parquet")) == 3
    assert accounting(out) == (3, 0)


def test_a_ragged_mis_extract_is_named_as_ragged(tmp_path, capsys):
    extract = tmp_path / "extract.csv"
    header = "beneficiary_id,programme,ministry,sex,birth_year,district,amount_bdt,payment_channel,fiscal_year"
    extract.write_text("\n".join([header, "1,Old Age Allowance,MoSW,F,1950,Dhaka,7200,mobile,2023-24",
                                  "2,Old Age Allowance,MoSW,F,1950,Dhaka,7200,mobile,2023-24,extra,more",
                                  "3,Old Age Allowance,MoSW,M,1951,Dhaka,7200,mobile,2023-24"]) + "\n")
    assert main(["beneficiaries", str(extract), "--out", str(tmp_path / "processed")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "row 3 has 11 fields but the header has 9" in err and "missing required" not in err


def test_strict_exits_3_when_anything_was_quarantined(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    form(raw / "MoSW.csv", [["MoSW", "Old Age Allowance", "yes", ""], ["MoSW", "", "no", ""]])
    assert clean(capsys, raw, processed)[0] == 0
    code, out, err = clean(capsys, raw, processed, "--strict")
    assert code == 3 and "--strict" in err
    assert accounting(out) == (1, 1)
    form(raw / "MoSW.csv", [["MoSW", "Old Age Allowance", "yes", ""]])
    assert clean(capsys, raw, processed, "--strict")[0] == 0
    # 2 (a bad path) wins over 3.
    (tmp_path / "afile").write_text("x")
    assert clean(capsys, raw, tmp_path / "afile" / "p", "--strict")[0] == 2


def test_cron_example_names_strict_and_the_lock():
    text = (config.PROJECT_ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    assert "--strict" in text and ".nsss-build.lock" in text
