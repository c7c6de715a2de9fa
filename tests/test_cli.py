"""`nsss clean` from the command line: exit codes, one-line messages, no tracebacks,
bad files named while the others are processed, previous tables left intact."""

from __future__ import annotations

import pandas as pd
import pytest

from nsss_analysis.cli import main


@pytest.fixture
def good_form(raw_dir, write_csv):
    return write_csv(
        raw_dir / "MoSW.csv",
        [
            ["Ministry", "Programme", "Graduation planned?", "Remarks"],
            ["MoSW", "Old Age Allowance", "No", ""],
            ["Grand Total", "", "", ""],
        ],
    )


def run(capsys, *argv):
    code = main(["clean", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_prints_per_file_counts_a_total_and_exits_0(good_form, raw_dir, tmp_path, capsys):
    code, out, err = run(capsys, "--raw", raw_dir, "--out", tmp_path / "out")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "MoSW.csv: 1 accepted, 1 quarantined"
    assert any(line.startswith("total: 1 file read, 1 rows accepted") for line in lines)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "assessments.parquet",
        "budgets.parquet",
        "conflicts.csv",
        "quarantine.csv",
        "raw_hashes.json",  # the raw files' content hashes, for `nsss reports`' warning
    ]


BAD_FILES = {
    "corrupt.xlsx": b"PK\x03\x04 this is not really a zip archive" * 20,
    "locked.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000),
    "empty.xlsx": b"",
    "empty.csv": b"",
    "junk.csv": bytes(range(256)) * 8,
    "junk.xlsx": bytes(range(255, -1, -1)) * 8,
    "minutes.csv": b"Meeting minutes\nAttendees: 12\nDecision: submit by 15 February\n",
}


def test_bad_files_get_one_line_each_and_the_good_file_is_still_cleaned(good_form, raw_dir, tmp_path, capsys):
    for name, content in BAD_FILES.items():
        (raw_dir / name).write_bytes(content)
    code, out, err = run(capsys, "--raw", raw_dir, "--out", tmp_path / "out")
    assert code == 0
    assert "Traceback" not in err + out
    lines = err.splitlines()
    assert len(lines) == len(BAD_FILES)
    assert sorted(line.split(":")[0] for line in lines) == sorted(BAD_FILES)
    assert "MoSW.csv: 1 accepted, 1 quarantined" in out
    assert f"{len(BAD_FILES)} files could not be read" in out
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv", encoding="utf-8-sig", keep_default_na=False)
    assert set(quarantine.loc[quarantine["source_row"] == 0, "source_file"]) == set(BAD_FILES)


def test_a_sheet_that_is_not_a_form_is_named_with_the_file(raw_dir, write_xlsx, tmp_path, capsys):
    write_xlsx(raw_dir / "pivot.xlsx", {"Pivot": [["Sum of budget", "Ministry"], [1, 2]]})
    code, _, err = run(capsys, "--raw", raw_dir, "--out", tmp_path / "out")
    assert code == 1
    assert err.splitlines()[0].startswith("pivot.xlsx: sheet Pivot: not an assessment form")


def test_nothing_readable_exits_1_and_keeps_the_previous_tables(good_form, raw_dir, tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert run(capsys, "--raw", raw_dir, "--out", out_dir)[0] == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    good_form.unlink()
    (raw_dir / "junk.csv").write_bytes(bytes(range(256)))
    code, out, err = run(capsys, "--raw", raw_dir, "--out", out_dir)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "junk.csv: not a text CSV file (it holds binary data)",
        f"nsss: nothing readable in {raw_dir}; the previous tables were left as they were",
    ]
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def test_missing_folder_exits_1_with_one_line(tmp_path, capsys):
    code, out, err = run(capsys, "--raw", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "nowhere: no such folder" in err
    assert not (tmp_path / "out").exists()


def test_empty_folder_exits_1(raw_dir, tmp_path, capsys):
    (raw_dir / "README.md").write_text("nothing here")
    code, out, err = run(capsys, "--raw", raw_dir, "--out", tmp_path / "out")
    assert code == 1 and out == ""
    assert err.strip() == f"nsss: nothing to clean: no .xlsx, .xlsm, .csv or .zip file in {raw_dir}"


@pytest.mark.parametrize("case", ["raw is a file", "out inside raw"])
def test_usage_errors_exit_2(good_form, raw_dir, tmp_path, capsys, case):
    argv = {
        "raw is a file": ["--raw", good_form, "--out", tmp_path / "out"],
        "out inside raw": ["--raw", raw_dir, "--out", raw_dir / "processed"],
    }[case]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("nsss: ") and err.count("\n") == 1
    assert not (raw_dir / "processed").exists() and not (tmp_path / "out").exists()


def test_an_unknown_option_exits_2(raw_dir, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["clean", "--raw", str(raw_dir), "--colour"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.startswith("nsss: unrecognized arguments: --colour")


def test_conflicts_are_listed_after_the_total(raw_dir, write_csv, tmp_path, capsys):
    header = ["Ministry", "Programme", "Graduation planned?"]
    write_csv(raw_dir / "a.csv", [header, ["MoFood", "Open Market Sales (OMS)", "No"]])
    write_csv(raw_dir / "b.csv", [header, ["Ministry of Food", "Open market sales (OMS)", "Yes"]])
    code, out, _ = run(capsys, "--raw", raw_dir, "--out", tmp_path / "out")
    assert code == 0
    lines = out.splitlines()
    total = next(i for i, line in enumerate(lines) if line.startswith("total:"))
    assert lines[total + 1].startswith("conflicts: 1 programme")
    assert lines[total + 2] == (
        "  - MoFood: Open Market Sales (OMS): a.csv row 2 vs b.csv row 2 (differ in graduation; graduation_possible)"
    )
