"""The ``nsss`` command: one subcommand per stage of the data's journey.

This file only parses options, builds what each command takes (paths, a typed
:class:`~nsss_analysis.runner.request.ReportRequest`), calls the command in
:mod:`nsss_analysis.commands`, and turns errors into one-line messages and exit codes
(0 ok, 1 nothing usable or some part failed, 2 usage error, 3 quarantined with
``--strict``, 75 locked, 143 stopped by SIGTERM, 130 by Ctrl-C; when several apply, 75, then 2, then 1, then 3).
"""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import NoReturn

from nsss_analysis import __version__
from nsss_analysis.config import PROCESSED_DIR, RAW_DIR, REPORTS_DIR
from nsss_analysis.errors import NsssError, Stopped
from nsss_analysis.io import describe_os_error
from nsss_analysis.reference.i18n import ALL, LANGUAGE_VARIABLE, LANGUAGES, SUPPORTED
from nsss_analysis.runner.request import (
    LOCK_WAIT_SECONDS,
    REPORT_TIMEOUT_SECONDS,
    ReportRequest,
)
from nsss_analysis.runner.run import run_reports


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors too
        self.exit(2, f"nsss: {message}\n")


#: What ``nsss reports`` and ``nsss build`` render without ``--language`` and without
#: ``$NSSS_LANGUAGE``: every language, as ``make reports`` does, so a scheduled
#: ``nsss build`` refreshes the Bangla pages too.
DEFAULT_REPORT_LANGUAGE = "all"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nsss", description="NSSS gender diagnostics workbench.",
                epilog="`nsss COMMAND --help` lists a command's options, each with its default.")
    p.add_argument("--version", action="version", version=f"nsss {__version__}")
    p.add_argument("--debug", action="store_true", help="show full tracebacks")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = sub.add_parser("template", help="write the blank assessment form (.xlsx), or its XLSForm for KoboToolbox/ODK")
    t.add_argument("out", type=Path, help="path of the workbook to write")
    t.add_argument("--language", choices=LANGUAGES, default=None,
                   help="language of the labels and instructions (default: $NSSS_LANGUAGE, else en); "
                        "with --xlsform, the form's default language (both are in it)")
    t.add_argument("--xlsform", action="store_true",
                   help="write the online form (XLSForm) to publish on KoboToolbox or ODK Central")
    t.add_argument("--round", default=None, metavar="YYYY-YY",
                   help="with --xlsform: the assessment round the form proposes, a fiscal year as 2025-26 "
                        "(default: none proposed; the enumerator types it)")
    t.add_argument("--odk-validate", action="store_true",
                   help="with --xlsform: also check the form with ODK Validate (needs Java)")

    c = sub.add_parser("clean", help="read data/raw and write the processed tables")
    _raw_option(c)
    c.add_argument("--out", type=Path, default=PROCESSED_DIR, metavar="FOLDER",
                   help="folder the processed tables are written to (default: %(default)s)")
    _strict_option(c)
    _wait_option(c)

    s = sub.add_parser("score", help="score every assessed programme, write indicators")
    s.add_argument("--processed", type=Path, default=PROCESSED_DIR, metavar="FOLDER",
                   help="folder of the processed tables, read and written (default: %(default)s)")
    _wait_option(s)

    r = sub.add_parser("reports", help="render the HTML reports with papermill")
    _report_options(r)

    b = sub.add_parser("build", help="clean, score and render every report",
                       description="Clean data/raw, score, count MIS coverage (<raw>/mis) and render the "
                                   "reports, under one build lock; prints a line as each stage starts.")
    _raw_option(b)
    _strict_option(b)
    _report_options(b)

    g = sub.add_parser("progress", help="read the returned action plans (<raw>/action-plans/)",
                       description="Read the action plans the ministries returned, in <raw>/action-plans/, "
                                   "and write action_progress.parquet (run after `nsss score`).")
    _raw_option(g)
    g.add_argument("--processed", type=Path, default=PROCESSED_DIR, metavar="FOLDER",
                   help="folder of the processed tables, read and written (default: %(default)s)")
    _wait_option(g)

    f = sub.add_parser("beneficiaries", help="coverage by sex from MIS extracts")
    f.add_argument("files", type=Path, nargs="+", metavar="FILE",
                   help="MIS beneficiary extracts, .csv or .parquet (one or more)")
    f.add_argument("--out", type=Path, default=PROCESSED_DIR, metavar="FOLDER",
                   help="folder of the processed tables; coverage tables are written there (default: %(default)s)")
    f.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit, a size such as 512MB or 2GB (default: %(default)s)")
    _wait_option(f)

    e = sub.add_parser("explain", help='where a figure of a report comes from: nsss explain <slug> "58%%"')
    e.add_argument("slug", help="the report: its file name or the start of it (mosw), or <fy>/<slug>")
    e.add_argument("figure", help="the figure as printed (58%%, Tk 1,259 crore) or a claim id")
    e.add_argument("--reports", type=Path, default=REPORTS_DIR, help="the reports folder (default: reports/)")
    return p


def _raw_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", type=Path, default=RAW_DIR, metavar="FOLDER",
                   help="folder of the ministries' submissions (.xlsx, .xlsm, .csv), never written to "
                        "(default: %(default)s)")


def _wait_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                   help=f"wait this long for another run's build lock, then exit 75 (default {LOCK_WAIT_SECONDS:g})")


def _strict_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="exit 3 when any file or row was quarantined (the tables are still written)")


def _report_options(r: argparse.ArgumentParser) -> None:
    r.add_argument("--ministry", action="append", default=[], metavar="NAME",
                   help="render only this ministry's report: its register code (MoSW) or its name, "
                        "English or Bangla; repeat for several (default: every ministry with data)")
    r.add_argument("--all", action="store_true",
                   help="every ministry with data, the five clusters and the national overview "
                        "(the default when no --ministry is given)")
    r.add_argument("--fiscal-year", default=None, metavar="FY",
                   help="fiscal year, as 2023-24 (FY24 and 2023/2024 are read too); default: each "
                        "ministry's latest year with a budget, else the latest round on its forms. "
                        "Reports with no fiscal year at all go to the folder all-years/")
    r.add_argument("--workers", type=int, default=None, metavar="N",
                   help="reports rendered at once, one kernel each "
                        f"(default: the number of CPU cores, here {os.cpu_count() or 1})")
    r.add_argument("--force", action="store_true", help="rerun reports whose inputs did not change")
    r.add_argument("--processed", type=Path, default=PROCESSED_DIR, metavar="FOLDER",
                   help="folder of the processed tables (default: %(default)s)")
    r.add_argument("--out", type=Path, default=REPORTS_DIR, metavar="FOLDER",
                   help="folder the reports, the index and the log are written to (default: %(default)s)")
    r.add_argument("--timeout", type=float, default=REPORT_TIMEOUT_SECONDS, metavar="SECONDS",
                   help="seconds one report may run before it is stopped and counted as failed "
                        "(default: %(default)g)")
    _wait_option(r)
    r.add_argument("--pdf", action="store_true", help="also print each report to <slug>.pdf (needs Chromium)")
    r.add_argument("--language", choices=(*SUPPORTED, ALL), default=None,
                   help=f"language of the reports: {', '.join(SUPPORTED)}, or all ({', '.join(LANGUAGES)}; "
                        "each but English into <fy>/<language>/; a pseudo-locale only by name); "
                        f"default: $NSSS_LANGUAGE, else {DEFAULT_REPORT_LANGUAGE}, as `make reports`")


def report_language(choice: str | None) -> str:
    """The ``--language`` of a ``reports``/``build`` run: the option, else
    ``$NSSS_LANGUAGE``, else :data:`DEFAULT_REPORT_LANGUAGE`."""
    if choice is not None:
        return choice
    return os.environ.get(LANGUAGE_VARIABLE, "").strip() or DEFAULT_REPORT_LANGUAGE


def report_request(args: argparse.Namespace) -> ReportRequest:
    """The report runner's request from the ``reports``/``build`` options."""
    options = dict(
        ministries=tuple(args.ministry),
        all=args.all,
        fiscal_year=args.fiscal_year,
        force=args.force,
        processed=args.processed,
        out=args.out,
        timeout=args.timeout,
        lock_wait=args.wait,
        pdf=args.pdf,
    )
    options["languages"] = (report_language(args.language),)
    if args.workers is not None:
        options["workers"] = args.workers
    return ReportRequest(**options)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "reports":
        return run_reports(report_request(args))
    # Imported here, not at the top: the stages load pandas, pyarrow, DuckDB and the
    # diagnostics (about 1 s), which `nsss --help` and a `nsss reports` run with
    # nothing to do never need (the runner loads its heavy part only when it renders).
    from nsss_analysis import commands

    if args.command == "template":
        return commands.run_template(args.out, args.language, xlsform=args.xlsform, round_=args.round,
                                     odk_validate=args.odk_validate)
    if args.command == "clean":
        return commands.run_clean(args.raw, args.out, strict=args.strict, wait=args.wait)
    if args.command == "score":
        return commands.run_score(args.processed, wait=args.wait)
    if args.command == "progress":
        return commands.run_progress(args.raw, args.processed, wait=args.wait)
    if args.command == "build":
        return commands.run_build(args.raw, report_request(args), strict=args.strict)
    if args.command == "beneficiaries":
        return commands.run_beneficiaries(args.files, args.out, memory_limit=args.memory_limit, wait=args.wait)
    if args.command == "explain":
        return commands.run_explain(args.slug, args.figure, args.reports)
    build_parser().print_help()
    return 2


def _stop(signum, frame) -> None:
    raise Stopped(signum)


def _interrupt(signum, frame) -> None:
    """Ctrl-C: stop the run once; a second SIGINT while it stops its kernels (Jupyter
    may interrupt a kernel's whole process group) must not cut the one line and its 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _line_buffered() -> None:
    """Each printed line leaves at once, also into a pipe or a file: a scheduler's log
    shows every stage as it starts, not everything at the end of a long build."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(line_buffering=True)
            except (ValueError, OSError):  # a closed or unusual stream: leave it as it is
                pass


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _line_buffered()
    previous = previous_int = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _stop)  # unwind as Ctrl-C does, say it once
        previous_int = signal.signal(signal.SIGINT, _interrupt)
    try:
        return _dispatch(args)
    except NsssError as exc:
        print(f"nsss: {exc}", file=sys.stderr)
        return exc.exit_code
    except Stopped as exc:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut this line
        print(f"nsss: stopped by {signal.Signals(exc.signum).name}; earlier outputs were left as they were",
              file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("nsss: interrupted; earlier outputs were left as they were", file=sys.stderr)
        return 130
    except OSError as exc:
        described = describe_os_error(exc)
        if described is None or args.debug:
            if args.debug:
                traceback.print_exc()
            else:
                print(f"nsss: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                      file=sys.stderr)
            return 1
        message, code = described
        print(f"nsss: {message}", file=sys.stderr)
        return code
    except Exception as exc:  # last resort: one line, traceback only with --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"nsss: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                file=sys.stderr,
            )
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if previous_int is not None and signal.getsignal(signal.SIGINT) is _interrupt:
            signal.signal(signal.SIGINT, previous_int)  # not after an interrupt: the process is ending


def run() -> None:
    """The ``nsss`` command: :func:`main`, then exit with its code. After Ctrl-C (130)
    the process ends once the exit handlers have run, without the interpreter's
    finalisation: that restores the default SIGINT action, and under load a late SIGINT
    then killed the process after its one line (exit -2 instead of 130)."""
    code = main()
    if code == 128 + signal.SIGINT:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    run()
