"""What the user asked the report runner for: a typed request, built by the command line.

The command line (:mod:`nsss_analysis.cli`) checks each option and builds a
:class:`ReportRequest`; the runner never reads an argparse namespace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nsss_analysis.config import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR
from nsss_analysis.errors import UsageError
from nsss_analysis.reference.i18n import SOURCE_LANGUAGE, SUPPORTED, about_language, languages

#: Exit codes a scheduler can act on (75 is EX_TEMPFAIL of sysexits.h: try later;
#: 3 only with ``--strict``: the tables were written but something was quarantined).
#: When several apply, the first of 75, 2, 1, 3 wins.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_QUARANTINED, EXIT_LOCKED = 0, 1, 2, 3, 75
#: A run that finds another one holding the build lock waits this long, then exits
#: 75: a nightly build takes a few minutes, so ten minutes lets one that started
#: late finish, while a hung one does not pile up cron jobs for ever.
LOCK_WAIT_SECONDS = 600.0
#: Seconds a single report may run before it is stopped and recorded as failed.
REPORT_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class ReportRequest:
    """What to render, from which tables, into which folder, and how.

    ``ministries`` empty (or ``all``) means every ministry with data plus the
    national overview. Paths are made absolute when the request is built.
    """

    ministries: tuple[str, ...] = ()
    all: bool = False
    fiscal_year: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    processed: Path = PROCESSED_DIR
    out: Path = REPORTS_DIR
    notebooks: Path = NOTEBOOKS_DIR
    timeout: float = REPORT_TIMEOUT_SECONDS
    lock_wait: float | None = None  # None: LOCK_WAIT_SECONDS, read when the lock is taken
    progress: bool = True
    pdf: bool = False  # also print each report to <slug>.pdf with headless Chromium
    #: The languages to render each report in (``--language``; default ``$NSSS_LANGUAGE``, else English).
    languages: tuple[str, ...] = field(default_factory=lambda: languages(None))

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise UsageError(f"--workers {self.workers}: give at least 1 worker")
        if self.timeout <= 0:
            raise UsageError(f"--timeout {self.timeout:g}: give a number of seconds above 0")
        fiscal_year = self.fiscal_year.strip() if isinstance(self.fiscal_year, str) else None
        object.__setattr__(self, "fiscal_year", fiscal_year or None)
        object.__setattr__(self, "ministries", tuple(self.ministries))
        chosen = (self.languages,) if isinstance(self.languages, str) else tuple(self.languages)
        codes = {code for choice in chosen for code in languages(choice)} or {SOURCE_LANGUAGE}
        object.__setattr__(self, "languages", tuple(c for c in SUPPORTED if c in codes))
        for name in ("out", "notebooks"):
            object.__setattr__(self, name, Path(getattr(self, name)).resolve())
        # The processed folder is a link to its current generation: keep the link (its
        # parent resolved), which a run resolves once, after taking the lock.
        processed = Path(os.path.abspath(self.processed))
        object.__setattr__(self, "processed", processed.parent.resolve() / processed.name)

    @property
    def everything(self) -> bool:
        """Every ministry and the national overview (no ``--ministry``, or ``--all``)."""
        return self.all or not self.ministries

    def identity(self) -> dict:
        """The parts of the request that change what is rendered (not how fast)."""
        return {
            "ministries": sorted(self.ministries),
            "all": self.all,
            "fiscal_year": self.fiscal_year,
            "processed": str(self.processed),
            "notebooks": str(self.notebooks),
        } | ({"pdf": True} if self.pdf else {}) | (
            {"languages": list(self.languages)} if not all(about_language(c).is_source for c in self.languages) else {})


def now() -> str:
    """The time, as the manifest, the index and the lock record it (UTC)."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
