"""The workbench says what it does: every option's help names its default and format,
`nsss build` renders the languages `make reports` does, and a run outside a terminal
prints a line per stage and progress lines with counts and elapsed time."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import pytest

from nsss_analysis import cli
from nsss_analysis.runner.pool import ProgressLines
from tests.support.cli import nsss, one_ministry
from tests.support.processed import write_standin_notebooks

ROOT = Path(__file__).resolve().parents[1]


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices[name]


@pytest.mark.parametrize("command", ["clean", "score", "reports", "build", "beneficiaries", "template"])
def test_every_option_has_help_and_every_valued_option_names_its_default(command):
    for action in _subparser(command)._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"nsss {command} {action.option_strings or action.dest}: no help"
        takes_value = action.option_strings and action.nargs != 0
        if takes_value:
            assert "default" in action.help, f"nsss {command} {action.option_strings}: no default said"


def test_build_help_names_the_defaults_and_formats(capsys):
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for said in ("default: $NSSS_LANGUAGE, else all", "(default: 600)", "number of CPU cores",
                 "as 2023-24", "all-years/", "register code (MoSW) or its name", "repeat for several"):
        assert said in text, said


def test_build_and_reports_default_to_every_language_as_make_reports(monkeypatch, tmp_path):
    monkeypatch.delenv("NSSS_LANGUAGE", raising=False)
    for command in ("reports", "build"):
        args = cli.build_parser().parse_args([command, "--out", str(tmp_path)])
        assert cli.report_request(args).languages == ("en", "bn")
    assert re.search(r"^LANGUAGE \?= all$", (ROOT / "Makefile").read_text(), re.M)
    monkeypatch.setenv("NSSS_LANGUAGE", "bn")
    args = cli.build_parser().parse_args(["build", "--out", str(tmp_path)])
    assert cli.report_request(args).languages == ("bn",)


def test_progress_lines_every_ten_reports_and_at_the_end():
    out = io.StringIO()
    lines = ProgressLines(23, stream=out)
    printed = [lines.update(ok=i != 4) for i in range(23)]
    said = [p for p in printed if p]
    assert len(said) == 3  # after 10, 20 and the 23rd
    assert said[0].startswith("nsss reports: 10 of 23 done (9 rendered, 1 failed), ")
    assert said[-1].startswith("nsss reports: 23 of 23 done (22 rendered, 1 failed), ")
    assert all(re.search(r"\d+ s elapsed$", line) for line in said)
    assert out.getvalue().splitlines() == said


@pytest.mark.slow
def test_a_build_outside_a_terminal_prints_a_line_per_stage_and_the_progress(tmp_path):
    project = tmp_path / "root"
    write_standin_notebooks(project / "notebooks")
    raw = tmp_path / "raw"
    one_ministry(raw, "MoSW")
    one_ministry(raw, "MoWCA")
    proc = nsss(project, "build", "--raw", str(raw), "--processed", str(tmp_path / "processed"),
                "--out", str(tmp_path / "reports"), "--workers", "1")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    for stage in ("stage 1 of 4, clean", "stage 2 of 4, score", "stage 3 of 4, beneficiaries",
                  "stage 4 of 4, reports"):
        assert stage in out, out
    assert re.search(r"nsss reports: (\d+) of \1 done \(\1 rendered, 0 failed\), \d+ s elapsed", out), out
    assert "\r" not in out + err  # no progress bar drawn into a log
    # The stage lines come in order, before each stage's own output.
    assert out.index("stage 1 of 4") < out.index("accepted") < out.index("stage 2 of 4") < out.index("scored")
