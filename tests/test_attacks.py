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
import time
import zipfile
from dataclasses import replace
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
from tests.support.signals import CEILING, Gate, ReportStarts, children, wait_gone


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

    starts, gate = ReportStarts(tmp_path), Gate(tmp_path)
    try:
        first = build(raw_a, "reports_a", **starts.env, **gate.env)
        starts.wait(1, first)  # its report stage has begun, under the build lock; held there by the gate
        assert str(first.pid) in lock_path(processed).read_text()
        waiting = build(raw_b, "reports_b", "--wait", str(int(CEILING)))
        impatient = nsss(project, "clean", "--raw", str(raw_b), "--out", str(processed), "--wait", "0.3")
        _, err = impatient.communicate(timeout=CEILING)
    finally:
        gate.open()
        starts.close()
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
    return subprocess.run([PYTHON, "-c", KILLER, str(n), *argv], capture_output=True, text=True, timeout=CEILING,
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
    assert killed_at(0, *argv, env=env).returncode == 0  # the first run also marks the new reports folder
    done = killed_at(0, *argv, env=env)  # a run as every later one: its renames counted
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
        started = time.process_time()  # CPU time: the machine may be shared
        refused = read_form_file(Path({str(bomb)!r}), Path({str(raw)!r}))
        seconds = time.process_time() - started
        # The peak up to the refusal: VmHWM belongs to this program's own memory (ru_maxrss
        # would also count the pytest worker this process was forked from).
        hwm = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
        mb = int(hwm.split()[1]) / 1024
        assert refused.error and not refused.sheets
        code = main(["clean", "--raw", {str(raw)!r}, "--out", {str(processed)!r}])
        print(f"code={{code}} seconds={{seconds:.2f}} mb={{mb:.0f}}")""")
    done = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=CEILING)
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


# --- outputs never swallow inputs ---------------------------------------------------------------
def checksums(root: Path, *outputs: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` but nsss's own outputs (``outputs``, the
    generations, the locks): what must be the same after any run."""
    import hashlib

    own = [p.absolute() for p in outputs]
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if any(path.absolute().is_relative_to(o) for o in own) or ".generations" in path.as_posix() \
                or path.name in (".nsss-build.lock", ".nsss-made", ".nsss-reports.lock", "nsss-reports.log"):
            continue
        out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project_data(tmp_path) -> tuple[Path, Path]:
    """``data/raw`` with one form and one sub-folder of extracts, and a dot file: a
    project's data folder as the ministries' submissions arrive in it."""
    data = tmp_path / "data"
    raw = data / "raw"
    one_ministry(raw, "MoSW")
    one_ministry(raw / "round2", "MoWCA")
    (data / ".keepme").write_text("mine")
    return data, raw


@pytest.mark.parametrize("where", ["parent of raw", "raw itself", "inside raw"])
def test_an_out_folder_that_holds_is_or_lies_in_raw_is_refused_twice_and_nothing_moves(project_data, capsys, where):
    data, raw = project_data
    out = {"parent of raw": data, "raw itself": raw, "inside raw": raw / "processed"}[where]
    before = checksums(data.parent)
    for _ in range(2):  # the second run once deleted what the first had moved
        code, out_text, err = clean(capsys, raw, out)
        assert code == 2, err
        assert err.count("\n") == 1 and "nsss never writes, moves or deletes the submissions" in err
        assert "raw" in err and not out_text
    assert checksums(data.parent) == before
    assert raw.is_dir() and not raw.is_symlink() and not data.is_symlink()
    assert not (raw / "processed").exists() and not (raw / ".nsss-build.lock").exists()
    assert not list(data.parent.rglob("*.generations"))


def test_build_and_reports_refuse_a_reports_folder_in_raw(project_data, capsys):
    data, raw = project_data
    processed = data / "processed"
    assert clean(capsys, raw, processed)[0] == 0
    assert main(["score", "--processed", str(processed)]) == 0
    capsys.readouterr()
    before = checksums(data.parent, processed)
    for argv in (["reports", "--processed", str(processed), "--out", str(raw / "reports")],
                 ["reports", "--processed", str(processed), "--out", str(data)],
                 ["build", "--raw", str(raw), "--processed", str(processed), "--out", str(raw)]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "raw folder" in err, err
    assert checksums(data.parent, processed) == before
    assert not (raw / "reports").exists()


def test_an_existing_folder_nsss_did_not_make_is_refused_and_kept_whole(tmp_path, capsys):
    raw = tmp_path / "raw"
    one_ministry(raw)
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "sub" / "notes.txt").write_text("keep")
    (mine / ".hidden").write_text("keep too")
    before = checksums(tmp_path)
    for _ in range(2):
        code, _, err = clean(capsys, raw, mine)
        assert code == 2 and err.count("\n") == 1
        assert "a folder nsss did not make" in err and ".hidden" in err
        assert main(["reports", "--processed", str(mine), "--out", str(mine)]) in (1, 2)
        capsys.readouterr()
    assert checksums(tmp_path) == before and mine.is_dir() and not mine.is_symlink()
    # an empty folder, and one holding only a placeholder, are taken and marked
    empty = tmp_path / "empty"
    empty.mkdir()
    assert clean(capsys, raw, empty)[0] == 0
    assert empty.is_symlink() and (empty / "assessments.parquet").is_file()
    assert main(["score", "--processed", str(empty)]) == 0
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".gitkeep").write_text("")
    (reports / "letter.docx").write_text("not a report")
    assert main(["reports", "--processed", str(empty), "--out", str(reports)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a folder nsss did not make" in err and "letter.docx" in err
    assert (reports / "letter.docx").read_text() == "not a report"


def test_only_the_generations_nsss_recorded_are_ever_deleted(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    assert clean(capsys, raw, processed)[0] == 0
    gens = generations_dir(processed)
    stranger = gens / "20260101T000000000000Z-1"  # named like a generation, not made by nsss
    stranger.mkdir()
    (stranger / "precious.txt").write_text("not nsss's")
    for n in (4, 5, 6):
        one_ministry(raw, n=n)
        assert clean(capsys, raw, processed)[0] == 0
    assert (stranger / "precious.txt").read_text() == "not nsss's"
    made = [p for p in gens.iterdir() if p.is_dir() and p != stranger]
    assert len(made) <= 2 and current_generation(processed) in made


# --- links are not followed where nsss writes or deletes ------------------------------------------
def test_a_link_planted_at_the_lock_is_one_line_exit_2_and_its_target_untouched(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    victim = tmp_path / "victim.txt"
    victim.write_text("important")
    lock_path(processed).symlink_to(victim)
    for argv in (["clean", "--raw", str(raw), "--out", str(processed)], ["score", "--processed", str(processed)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "follows no link" in err and str(lock_path(processed)) in err
    assert victim.read_text() == "important"


def test_a_link_planted_at_the_generations_or_the_processed_folder_is_refused(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    target = tmp_path / "elsewhere"
    (target / "deep").mkdir(parents=True)
    (target / "deep" / "file.txt").write_text("keep")
    (target / "top.txt").write_text("keep")
    generations_dir(processed).symlink_to(target, target_is_directory=True)
    before = checksums(target)
    for _ in range(2):
        code, _, err = clean(capsys, raw, processed)
        assert code == 2 and err.count("\n") == 1 and "follows no link" in err
    assert checksums(target) == before
    generations_dir(processed).unlink()
    processed.symlink_to(target, target_is_directory=True)
    code, _, err = clean(capsys, raw, processed)
    assert code == 2 and err.count("\n") == 1 and "a link nsss did not make" in err
    assert checksums(target) == before and processed.is_symlink()


def test_a_link_planted_inside_the_reports_folder_is_refused_and_its_target_untouched(tmp_path, capsys):
    """A fiscal-year folder of the reports replaced by a link: nsss writes nothing through it."""
    raw, processed, out = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    one_ministry(raw)
    assert clean(capsys, raw, processed)[0] == 0
    assert main(["score", "--processed", str(processed)]) == 0
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.html").write_text("keep")
    out.mkdir()
    (out / ".nsss-made").write_text("made by nsss: its reports folder\n")
    (out / "2024-25").symlink_to(target, target_is_directory=True)
    before = checksums(target)
    capsys.readouterr()
    code = main(["reports", "--all", "--language", "en", "--processed", str(processed), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "follows no link" in err and "2024-25" in err
    assert checksums(target) == before


# --- nothing silent --------------------------------------------------------------------------
def quarantine_of(processed: Path) -> pd.DataFrame:
    return pd.read_csv(processed / "quarantine.csv", dtype=str, keep_default_na=False)


def test_an_unclosed_quote_costs_one_line_and_the_rows_after_it_are_read(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lines = [",".join(HEADER), 'MoSW,Programme 0,yes,"opens a quote and never closes it',
             *(f"MoSW,Programme {i},{'yes' if i % 2 else 'no'}," for i in range(1, 10))]
    (raw / "MoSW.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = clean(capsys, raw, processed)
    assert code == 0
    assert accounting(out) == (9, 1)  # 10 records read = 9 accepted + 1 quarantined
    assert len(pd.read_parquet(processed / "assessments.parquet")) == 9
    line = quarantine_of(processed).set_index("source_row").loc["2"]
    assert "opens a quote that is never closed" in line["reason"] and "Programme 0" in line["value"]


def test_a_misplaced_quote_swallowing_rows_into_a_cell_is_said(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    lines = [",".join(HEADER), 'MoSW,Programme 0,yes,"starts here', "MoSW,Programme 1,no,x",
             "MoSW,Programme 2,yes,y", 'MoSW,Programme 3,no,ends here"', "MoSW,Programme 4,yes,z"]
    (raw / "MoSW.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = clean(capsys, raw, processed)
    assert code == 0
    accepted, quarantined = accounting(out)
    assert accepted + quarantined == 5 and quarantined >= 1
    assert {"Programme 1", "Programme 2", "Programme 4"} <= set(pd.read_parquet(processed / "assessments.parquet")["programme"])
    assert "swallows lines that read as rows" in " ".join(quarantine_of(processed)["reason"])


def test_a_genuine_multi_line_cell_is_one_row_and_rows_after_it_keep_their_numbers(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    body = (",".join(HEADER) + "\r\n" + 'MoSW,Old Age Allowance,yes,"first line\r\nsecond line"\r\n'
            + "MoSW,Widow Allowance,no,x\r\n").encode()
    body += b"MoSW,Stipend,no,\x81\x8d\x8f\x90 undecodable\r\nMoSW,Food Friendly,yes,ok\r\n"
    (raw / "MoSW.csv").write_bytes(body)
    code, out, _ = clean(capsys, raw, processed)
    assert code == 0 and accounting(out) == (3, 1)
    rows = pd.read_parquet(processed / "assessments.parquet").set_index("programme")["source_row"]
    assert rows["Old Age Allowance"] == 2 and rows["Widow Allowance"] == 3 and rows["Food Friendly"] == 5
    bad = quarantine_of(processed)
    assert list(bad["source_row"]) == ["4"]  # row 4 as a spreadsheet shows it (line 5 of the file)
    assert "line 5 is neither UTF-8 nor Windows-1252" in bad["reason"].iloc[0]


def test_a_formula_without_a_saved_value_is_a_quarantined_cell(tmp_path, capsys):
    import openpyxl

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    wb = openpyxl.Workbook()  # openpyxl writes formulas without calculated values, as some tools do
    ws = wb.active
    ws.append(HEADER)
    ws.append(["MoSW", "Old Age Allowance", '=IF(1=1,"yes","no")', ""])
    ws.append(["MoSW", "Widow Allowance", "no", ""])
    wb.save(raw / "MoSW.xlsx")
    code, out, _ = clean(capsys, raw, processed)
    assert code == 0
    bad = quarantine_of(processed)
    line = bad[bad["value"].str.lstrip("'").str.startswith("=IF")]
    assert len(line) == 1 and "formula with no calculated value" in line["reason"].iloc[0]
    assert line["source_row"].iloc[0] == "2" and "unreadable" in out


def test_a_trailing_left_to_right_mark_or_bom_does_not_make_two_programmes(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    form(raw / "MoSW.csv", [["MoSW", "Old Age Allowance", "yes", ""],
                            ["MoSW", "Old Age Allowance\u200e", "yes", ""],
                            ["MoSW", "\ufeffOld Age\u200f Allowance", "yes", ""]])
    assert clean(capsys, raw, processed)[0] == 0
    assert set(pd.read_parquet(processed / "assessments.parquet")["programme"]) == {"Old Age Allowance"}


# --- bounded work --------------------------------------------------------------------------------
def million_rows_xlsx(path: Path, rows: int = 1_048_576) -> Path:
    """A synthetic workbook of ``rows`` one-cell rows, its parts under every size limit."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
                   '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                   '.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="Programmes" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                       b'2006/main"><sheetData><row><c t="inlineStr"><is><t>Programme name</t></is></c><c t="inlineStr">'
                       b'<is><t>Ministry/Division</t></is></c><c t="inlineStr"><is><t>Graduation planned?</t></is></c>'
                       b'</row>')
            block = b"<row><c><v>1</v></c></row>" * 4096
            for _ in range(rows // 4096):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    return path


def test_a_million_row_sheet_is_refused_fast_with_flat_memory(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw)
    big = million_rows_xlsx(raw / "big.xlsx")
    assert big.stat().st_size < 4_000_000
    with zipfile.ZipFile(big) as z:
        assert max(i.file_size for i in z.infolist()) < config.MAX_XLSX_PART_BYTES
    probe = textwrap.dedent(f"""\
        import time
        from pathlib import Path
        from nsss_analysis.cli import main
        started = time.process_time()  # CPU time: the machine may be shared
        code = main(["clean", "--raw", {str(raw)!r}, "--out", {str(processed)!r}])
        seconds = time.process_time() - started
        hwm = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
        print(f"code={{code}} seconds={{seconds:.2f}} mb={{int(hwm.split()[1]) / 1024:.0f}}")""")
    done = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=CEILING)
    stats = dict(item.split("=") for item in done.stdout.splitlines()[-1].split())
    assert stats["code"] == "0"
    assert float(stats["seconds"]) < 15 and float(stats["mb"]) < 400, stats
    line = next(x for x in done.stderr.splitlines() if x.startswith("big.xlsx"))
    assert "more than 20,000 rows" in line and "MAX_SHEET_ROWS" in line
    quarantine = quarantine_of(processed)
    assert "big.xlsx" in set(quarantine["source_file"])


def test_thousands_of_extra_columns_refuse_the_sheet_fast_and_the_ignored_line_is_capped(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    form(raw / "wide.csv", [["MoSW", "Old Age Allowance", "yes", "", *["x"] * 5000]],
         header=[*HEADER, *(f"extra {i}" for i in range(5000))])
    form(raw / "MoSW.csv", [["MoSW", "Widow Allowance", "no", "", *["x"] * 40]],
         header=[*HEADER, *(f"extra {i}" for i in range(40))])
    started = time.process_time()
    code, out, err = clean(capsys, raw, processed)
    assert time.process_time() - started < 20
    assert code == 0
    line = next(x for x in err.splitlines() if x.startswith("wide.csv"))
    assert "5,004 filled cells, over the limit of 500 columns" in line
    ignored = next(x for x in out.splitlines() if "ignored columns" in x)
    assert ignored.endswith("and 30 more") and len(ignored) < 300
    assert max(len(x) for x in (out + err).splitlines()) < 1000


def test_a_submission_1100_folders_deep_is_read(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    one_ministry(raw, "MoSW")
    fd = os.open(raw, os.O_RDONLY)
    try:
        for _ in range(1100):  # made relative to a folder handle: no path grows past PATH_MAX
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        with os.fdopen(os.open("MoWCA.csv", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write(",".join(HEADER) + "\nMoWCA,Deep Programme,yes,\n")
    finally:
        os.close(fd)
    try:
        code, out, err = clean(capsys, raw, processed)
        assert code == 0, err
        assert "Deep Programme" in set(pd.read_parquet(processed / "assessments.parquet")["programme"])
    finally:
        deepest = raw
        for _ in range(1100):
            deepest = deepest / "d"
        (deepest / "MoWCA.csv").unlink()
        for _ in range(1100):  # bottom up, without recursion
            deepest.rmdir()
            deepest = deepest.parent


# --- one lock per folder, taken first -------------------------------------------------------------
HOLDER = textwrap.dedent("""\
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, ('{"pid": %d, "since": "now"}' % os.getpid()).encode())
    print("held", flush=True)
    sys.stdin.read()  # held until the test kills it or ends (its pipe closes): no fixed time""")


@contextlib.contextmanager
def held(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([PYTHON, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_while_locked_a_missing_raw_folder_exits_75_first(tmp_path, capsys):
    processed = tmp_path / "data" / "processed"
    with held(lock_path(processed)) as holder:
        code, _, err = clean(capsys, tmp_path / "no-such-raw", processed, "--wait", "0.2")
        assert code == 75 and err.count("\n") == 1 and f"pid {holder.pid}" in err


def test_two_report_runs_into_one_reports_folder_never_overlap(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "other" / "processed"
    one_ministry(raw)
    assert clean(capsys, raw, processed)[0] == 0
    assert main(["score", "--processed", str(processed)]) == 0
    reports = tmp_path / "reports"
    reports.mkdir()
    with held(reports / ".nsss-reports.lock") as holder:  # a run from another processed folder
        code = main(["reports", "--processed", str(processed), "--out", str(reports), "--wait", "0.2"])
        err = capsys.readouterr().err
        assert code == 75 and err.count("\n") == 1 and f"pid {holder.pid}" in err
    assert not (reports / "manifest.json").exists()


def test_load_tables_refuses_stale_scores_as_reports_do(tmp_path, capsys):
    from nsss_analysis.errors import NsssError
    from nsss_analysis.io import load_tables

    raw_a, raw_b, processed = tmp_path / "a", tmp_path / "b", tmp_path / "processed"
    one_ministry(raw_a, "MoSW")
    one_ministry(raw_b, "MoWCA")
    assert clean(capsys, raw_a, processed)[0] == 0
    assert main(["score", "--processed", str(processed)]) == 0
    assert set(load_tables(processed).scores["ministry_code"]) == {"MoSW"}
    assert clean(capsys, raw_b, processed)[0] == 0
    with pytest.raises(NsssError, match="scores are older than assessments: run `nsss score` or `nsss build`"):
        load_tables(processed)


# --- SIGTERM, kill -9 and the kernels' connection files ----------------------------------------------
def kernel_files(tmpdir: Path) -> list[Path]:
    """Every kernel connection file under ``tmpdir`` (nsss's own folder or any other)."""
    return [p for p in tmpdir.rglob("*.json") if "kernel" in p.name]


def started_reports(project: Path, tmp_path: Path, request) -> tuple[subprocess.Popen, Path, Path]:
    """``nsss reports`` on a one-ministry data set, stand-in notebooks, its own $TMPDIR;
    returned once a report has started in its kernel, which waits (a :class:`Gate`) until
    the test is over."""
    raw, processed, out = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    one_ministry(raw, "MoSW")
    assert main(["clean", "--raw", str(raw), "--out", str(processed)]) == 0
    assert main(["score", "--processed", str(processed)]) == 0
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    starts, gate = ReportStarts(tmp_path), Gate(tmp_path)
    run = nsss(project, "reports", "--processed", str(processed), "--out", str(out), "--workers", "1",
               "--ministry", "MoSW", TMPDIR=str(tmpdir), **starts.env, **gate.env)
    starts.wait(1, run)  # a report runs in its kernel, held there by the gate until the test ends
    starts.close()
    assert kernel_files(tmpdir)
    request.addfinalizer(gate.open)
    return run, tmpdir, out


@pytest.mark.slow
def test_sigterm_during_reports_is_one_logged_line_and_leaves_no_connection_file(project, tmp_path, capsys, request):
    run, tmpdir, out = started_reports(project, tmp_path, request)
    for f in kernel_files(tmpdir):  # the HMAC key is the user's alone
        assert f.stat().st_mode & 0o077 == 0 and f.parent.stat().st_mode & 0o077 == 0
    run.send_signal(signal.SIGTERM)
    stdout, err = run.communicate(timeout=CEILING)
    assert run.returncode == 143, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines == ["nsss: stopped by SIGTERM; earlier outputs were left as they were"], err
    assert "stopped by SIGTERM" in (out / "nsss-reports.log").read_text()
    assert kernel_files(tmpdir) == []


@pytest.mark.slow
def test_kill_9_of_the_parent_leaves_no_connection_file_for_long(project, tmp_path, request):
    from nsss_analysis.runner.kernel import CONNECTION_PREFIX, sweep_connection_files

    run, tmpdir, _ = started_reports(project, tmp_path, request)
    below = children(run.pid)  # its worker (which kills its kernel when its parent is gone)
    run.kill()
    run.communicate(timeout=CEILING)
    wait_gone(below)  # the worker sees its parent gone, kills its kernel, removes the file, exits
    assert kernel_files(tmpdir) == []
    # a file left by a worker killed with it (-9 both): the next start removes it
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    dead = folder / f"{CONNECTION_PREFIX}999999-abc.json"
    alive = folder / f"{CONNECTION_PREFIX}{os.getpid()}-abc.json"
    dead.write_text("{}")
    alive.write_text("{}")
    assert sweep_connection_files(folder) == 1
    assert not dead.exists() and alive.exists()


# --- a full disk in the report stage -------------------------------------------------------------------
def test_a_full_disk_writing_a_report_fails_that_report_naming_the_file(project, tmp_path, monkeypatch):
    from nsss_analysis.runner import pool
    from nsss_analysis.runner.plan import MINISTRY_NOTEBOOK

    class Kernel:  # runs nothing: the parameterised notebook comes back as it went in
        def run(self, nb, timeout):
            return nb, None

    out = tmp_path / "reports"
    job = pool.ReportJob(key="2023-24/mosw", notebook=str(project / "notebooks" / MINISTRY_NOTEBOOK),
                         parameters={"ministry": "MoSW"}, ipynb_path=str(out / "2023-24" / "mosw.ipynb"),
                         html_path=str(out / "2023-24" / "mosw.html"), title="MoSW")
    original = Path.write_bytes

    def full(self, data):
        if self.name.startswith(".mosw.html."):
            raise OSError(errno.ENOSPC, "No space left on device")  # as a disk with 0 bytes free says it
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = pool.run_job(Kernel(), job)
    assert result.status == "failed"
    assert result.error == f"the disk is full: could not write {job.html_path}; free some space and run again"
    assert not Path(job.html_path).exists() and not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_a_full_disk_in_the_report_stage_is_one_line_naming_the_file(project, tmp_path, capsys, monkeypatch):
    import tempfile

    from nsss_analysis import cli

    raw, processed, out = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    one_ministry(raw, "MoSW")
    assert clean(capsys, raw, processed)[0] == 0
    assert main(["score", "--processed", str(processed)]) == 0
    request = cli.report_request

    def standins(args):
        return replace(request(args), notebooks=project / "notebooks", progress=False)

    original = tempfile.mkstemp

    def no_space(*args, **kwargs):  # 0 bytes free: not even the temporary file can be made
        if str(kwargs.get("prefix", "")).startswith(".index.html"):
            raise OSError(errno.ENOSPC, "No space left on device", str(kwargs.get("dir")) + "/.index.html.x.tmp")
        return original(*args, **kwargs)

    monkeypatch.setattr(cli, "report_request", standins)
    monkeypatch.setattr(tempfile, "mkstemp", no_space)
    capsys.readouterr()
    code = main(["reports", "--processed", str(processed), "--out", str(out), "--workers", "1", "--ministry", "MoSW"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.strip() == (f"nsss: the disk is full: could not write {out / 'index.html'}; "
                                            "free some space and run again")
    assert "Traceback" not in err and "error marker" not in err
    assert not list(out.rglob("*.tmp"))
