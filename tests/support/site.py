"""The session's ``site``: every report of the bundled data, rendered once, or taken
from the checkout's ``reports/`` when ``make reports`` left it up to date.

``make reports`` (``nsss build --language all``) renders the very pages the session
needs, just before ``make test`` in CI. Reusing them is only right when nothing they
were made from differs, so the test asks the runner's own question, strictly: is the
fingerprint of that run (every processed table's bytes, the notebooks, the package with
its translations and fonts, the Python and library versions, the request) the one
the session would render from now, and did that run finish with every page written?
The processed tables compared are the session's own (``bundled_mis``, made from
data/raw by the real commands), not data/processed: stale tables there cannot pass.
Anything else (a failed or partial run, another request, an edited notebook or
translation, a new pandas) renders the site again. The suite renders with the claims
rules strict (``NSSS_CLAIM_RULES=strict``: a broken rule fails the page), ``make reports``
without (a broken rule is a line in its log): so a reused site's ledgers are checked by
every rule again, and one broken rule renders the site, which then fails as it should.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nsss_analysis import config
from nsss_analysis.io import load_tables
from nsss_analysis.report import claims, rules
from nsss_analysis.runner.manifest import nothing_changed, read_manifest, run_fingerprint
from nsss_analysis.runner.request import ReportRequest
from nsss_analysis.runner.run import current_generation
from tests.support.pages import Site

#: What a reused folder must not bring along: the runner's locks and temporaries.
NOT_COPIED = shutil.ignore_patterns("*.lock", "*.tmp", ".*")


def make_reports_requests(reports: Path) -> list[ReportRequest]:
    """The requests that render every page in both languages into ``reports`` from the
    project's data/processed: ``nsss build --language all`` (``make reports``) and
    ``nsss reports --all --language all``."""
    common = dict(processed=config.PROCESSED_DIR, out=reports, notebooks=config.NOTEBOOKS_DIR,
                  languages=("all",))
    return [ReportRequest(all=False, **common), ReportRequest(all=True, **common)]


def up_to_date(reports: Path, processed: Path) -> bool:
    """Whether ``reports`` holds a complete run made from tables byte for byte equal to
    ``processed``, by the current notebooks, package and libraries."""
    manifest = read_manifest(reports)
    if not (manifest.get("last_run") or {}).get("fingerprint"):
        return False
    source = current_generation(processed)
    return any(nothing_changed(manifest, run_fingerprint(request, source), reports)
               for request in make_reports_requests(reports))


def reuse_reports(reports: Path, processed: Path, out: Path) -> bool:
    """Copy ``reports`` to ``out`` when :func:`up_to_date`; checked again on the copy,
    so that a run that rewrote ``reports`` meanwhile is not taken half old, half new."""
    if not reports.is_dir() or not up_to_date(reports, processed):
        return False
    shutil.copytree(reports, out, ignore=NOT_COPIED)
    source = current_generation(processed)
    manifest = read_manifest(out)
    if any(nothing_changed(manifest, run_fingerprint(request, source), out)
           for request in make_reports_requests(reports)) and not (rules.strict() and broken_rules(out, processed)):
        return True
    shutil.rmtree(out)
    return False


def broken_rules(out: Path, processed: Path) -> list[str]:
    """Every rule a page's claims ledger in ``out`` breaks (checked against the tables of
    ``processed``, as the runner checks it), one line each: what a strict run fails on."""
    facts = rules.facts_of(load_tables(processed))
    found: list[str] = []
    for key in read_manifest(out)["reports"]:
        path = out / f"{key}.claims.json"
        if path.exists():
            page = [c for c in claims.load(path).claims if not (c.where or "").startswith("workbook:")]
            found += [v.line(key) for v in rules.check(page, **facts)]
    return found


def copy_site(site: Site, target: Path) -> Path:
    """A copy of the session's site that a test may change or run the runner over (a
    copy is cheap; a second render of the same inputs is not)."""
    shutil.copytree(site.out, target, ignore=NOT_COPIED)
    return target


def site_key(site: Site, code: str, language: str = "en") -> str:
    """The manifest key of ministry ``code``'s report in ``language``."""
    (key,) = [k for k, e in site.entries.items() if e.get("ministry_code") == code
              and e.get("language", "en") == language and e.get("kind") == "ministry"]
    return key
