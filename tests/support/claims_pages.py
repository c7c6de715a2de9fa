"""Report pages with their claims ledger, for the claims tests.

A page of a dataset of its own (tests/test_claims_generated.py) is the real template's
code cells executed in this process with a ``claims_path``; the ledger it leaves is
checked by every rule of :mod:`nsss_analysis.report.rules` against the processed
tables it was built from. The bundled data's pages are the session's ``site``."""

from __future__ import annotations

from pathlib import Path

from nsss_analysis import config
from nsss_analysis.io import load_tables
from nsss_analysis.report import claims, rules

NOTEBOOKS = {"ministry": "ministry_report.ipynb", "national": "national_overview.ipynb",
             "cluster": "cluster_report.ipynb"}


def violations_of(ledger: claims.Ledger, processed: Path) -> list[rules.Violation]:
    return rules.check(ledger.claims, **rules.facts_of(load_tables(processed)))


def run_page_in_process(processed: Path, out: Path, kind: str, language: str, name: str | None = None
                        ) -> claims.Ledger:
    """Execute the code cells of one report template in this process (no kernel: the
    same calls, the same ledger, a fraction of the time), in a copied context so the
    page's ledger and language do not leak into the caller."""
    import contextlib
    import contextvars
    import io

    import nbformat

    slug = f"{kind}-{(name or 'national').replace(' ', '-').lower()}-{language}"
    ledger_path = out / f"{slug}.claims.json"
    parameters = {"processed_dir": str(processed), "language": language, "claims_path": str(ledger_path),
                  "fiscal_year": None}
    if kind == "ministry":
        parameters |= {"ministry": name, "slug": slug}
    elif kind == "cluster":
        parameters |= {"cluster": name, "slug": slug}
    nb = nbformat.read(config.NOTEBOOKS_DIR / NOTEBOOKS[kind], as_version=4)

    def run() -> None:
        namespace: dict = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if "parameters" in cell.metadata.get("tags", []):
                exec(compile(cell.source, "<parameters>", "exec"), namespace)
                namespace.update(parameters)
                continue
            exec(compile(cell.source, f"<{slug}>", "exec"), namespace)

    with contextlib.redirect_stdout(io.StringIO()):
        contextvars.copy_context().run(run)
    return claims.load(ledger_path)


#: Violations whose fix belongs to the statements' semantics (issue #16, part 1), not
#: yet on main when this was written: (rule, printer) -> the precise reason. A test
#: that finds only these is marked xfail with the reason; any other violation fails.
PENDING_SEMANTICS: dict[tuple[str, str], str] = {}  # every fault once listed here is mended


def split_pending(violations: list[rules.Violation]) -> tuple[list[rules.Violation], list[str]]:
    """The violations that fail a test, and the reasons of those pending elsewhere."""
    pending = {PENDING_SEMANTICS[(v.rule, v.where or "")] for v in violations
               if (v.rule, v.where or "") in PENDING_SEMANTICS}
    failing = [v for v in violations if (v.rule, v.where or "") not in PENDING_SEMANTICS]
    return failing, sorted(pending)
