"""Each report's claims beside it: ``<slug>.claims.json``.

The notebook leaves its ledger (:func:`nsss_analysis.report.claims.save`) at the staging
path the runner passed as the ``claims_path`` parameter; nothing is read from the
kernel. Once the page is rendered, :func:`collect_claims` reads the staged ledger,
checks the rules (:mod:`nsss_analysis.report.rules`) against the processed tables,
records on each claim the rules it passed, writes ``<slug>.claims.json`` beside the page
(atomically; no page links to it) and removes the staged file. A broken rule fails the
report under ``NSSS_CLAIM_RULES=strict`` (the tests) and is logged as one warning line
per claim otherwise.
"""

from __future__ import annotations

import ast
import json
import logging
from functools import cache
from pathlib import Path

from nsss_analysis.io import write_text_atomic
from nsss_analysis.report import rules
from nsss_analysis.report.claims import Ledger

log = logging.getLogger("nsss.reports")

#: Suffix of the file beside each page (``<key>.html`` -> ``<key>.claims.json``).
CLAIMS_SUFFIX = ".claims.json"
#: Suffix of the file the notebook writes for the runner to collect.
STAGED_SUFFIX = ".claims.staged.json"


#: The template parameter through which the runner asks for the ledger.
CLAIMS_PARAMETER = "claims_path"


@cache
def _declares_claims(notebook: str, mtime: float) -> bool:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                return False
            return any(isinstance(node, ast.Assign) and any(getattr(t, "id", None) == CLAIMS_PARAMETER
                                                            for t in node.targets) for node in tree.body)
    return False


def keeps_claims(notebook: Path | str) -> bool:
    """Whether the template declares the ``claims_path`` parameter: the report pages do;
    a template that does not (the national action plan, a stand-in) is not asked for a
    ledger."""
    path = Path(notebook)
    return path.exists() and _declares_claims(str(path), path.stat().st_mtime)


def claims_path(out: Path, key: str) -> Path:
    return out / f"{key}{CLAIMS_SUFFIX}"


def staged_path(out: Path, key: str) -> Path:
    return out / f"{key}{STAGED_SUFFIX}"


def collect_claims(out: Path, key: str, facts: dict) -> str | None:
    """Collect the staged ledger of report ``key``; return the one-line error that fails
    the report (no ledger, or a rule broken in strict mode), else None."""
    staged = staged_path(out, key)
    if not staged.exists():
        return f"{staged.name}: the notebook left no claims ledger (its last cell calls claims.save)"
    try:
        ledger = Ledger.from_dict(json.loads(staged.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        return f"{staged.name}: unreadable claims ledger ({exc})"
    violations = rules.check(ledger.claims, **facts)
    rules.verdicts(ledger, violations)
    write_text_atomic(claims_path(out, key), ledger.to_json())
    staged.unlink(missing_ok=True)
    try:
        rules.enforce(violations, page=key, logger=log)  # the run's log file keeps the line
    except rules.ClaimRuleError as exc:
        return str(exc)
    return None


def add_claims(out: Path, key: str, added: Ledger) -> None:
    """Add the claims of a report's workbooks (their figure cells, recorded while the
    runner wrote them) to ``<key>.claims.json``, checked by the rules like the page's;
    a broken rule is one warning line in the run's log (the page is already written)."""
    if not added.claims:
        return
    target = claims_path(out, key)
    try:
        ledger = Ledger.from_dict(json.loads(target.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        ledger = Ledger(page=key, language=added.language)
    ledger.claims = [c for c in ledger.claims if not (c.where or "").startswith("workbook:")] + list(added.claims)
    violations = rules.check(added.claims)
    rules.verdicts(ledger, violations)
    write_text_atomic(target, ledger.to_json())
    rules.enforce(violations, page=key, strict_mode=False, logger=log)


def ledgers_of(out: Path, slug: str) -> list[Path]:
    """The ``.claims.json`` files under ``out`` of report ``slug``: its key
    (``2024-25/mosw-...``), its file name, or the start of it (``mosw``)."""
    slug = slug.strip().removesuffix(CLAIMS_SUFFIX).removesuffix(".html").strip("/")
    found = []
    for path in sorted(Path(out).rglob(f"*{CLAIMS_SUFFIX}")):
        key = path.relative_to(out).as_posix().removesuffix(CLAIMS_SUFFIX)
        name = key.rsplit("/", 1)[-1]
        if slug in (key, name) or name.startswith(slug.lower()):
            found.append(path)
    return found
