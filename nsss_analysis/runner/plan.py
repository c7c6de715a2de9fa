"""Which reports a run produces: slugs, the plan per ministry and the nation, and the
checks of ``--ministry`` and ``--fiscal-year`` against the data."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from nsss_analysis.diagnostics.budgets import budget_years_of, known_budgets, latest_qualifying_year, report_year_of
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.errors import NsssError, UsageError
from nsss_analysis.intake.quantities import parse_fiscal_year
from nsss_analysis.reference.i18n import N_, SOURCE_LANGUAGE, about_language, translator
from nsss_analysis.reference.ministries import resolve_ministry
from nsss_analysis.reference.numbers import fiscal_year as fiscal_year_in
from nsss_analysis.reference.vocab import CLUSTERS, load_reference
from nsss_analysis.report.headline_file import Headline
from nsss_analysis.runner.request import ReportRequest

MINISTRY_NOTEBOOK = "ministry_report.ipynb"


NATIONAL_NOTEBOOK = "national_overview.ipynb"


CLUSTER_NOTEBOOK = "cluster_report.ipynb"


#: The national draft action plan's notebook and page (``<fy>/nsss-gender-action-plan``).
ACTION_PLAN_NOTEBOOK = "national_action_plan.ipynb"
ACTION_PLAN_SLUG = "nsss-gender-action-plan"


#: A cluster report's file name starts with this, so it never takes a ministry's slug.
CLUSTER_PREFIX = "cluster-"


NATIONAL_SLUG = "national-overview"


#: The folder name when no fiscal year has data (no budgets, no dated forms).
ALL_YEARS = "all-years"


#: Slugs are cut at this length: file names stay readable and far from OS limits.
MAX_SLUG_LENGTH = 80


#: Names a report file must not take: Windows device names (a report folder may be
#: copied to a Windows share) and the runner's own files.
RESERVED_SLUGS = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
     "index", "manifest", "nsss-reports", NATIONAL_SLUG, ACTION_PLAN_SLUG}
)


# --- slugs -----------------------------------------------------------------------
def slugify(text: object, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII ``[a-z0-9-]`` words of ``text`` ("" when none are left).

    >>> slugify("Ministry of Women & Children Affairs")
    'ministry-of-women-and-children-affairs'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    """
    text = unicodedata.normalize("NFKD", str(text)).replace("&", " and ")
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-")


def report_slug(code: object, name: object) -> str:
    """The file name (without extension) of a ministry's report: safe for any name.

    The register code leads, so that two ministries never share a file; a code with
    no ASCII letters is replaced by a short hash of it. Never empty, never ``.`` or
    ``..``, no path separator, no reserved device name.

    >>> report_slug("MoWCA", "Ministry of Women and Children Affairs")
    'mowca-ministry-of-women-and-children-affairs'
    """
    code_slug = slugify(code, 24) or "m" + hashlib.sha256(str(code).encode("utf-8")).hexdigest()[:8]
    name_slug = slugify(name)
    slug = f"{code_slug}-{name_slug}" if name_slug and name_slug != code_slug else code_slug
    slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    if slug in RESERVED_SLUGS:
        slug += "-report"
    return slug


class ReportKind(StrEnum):
    """What a report covers. A ``str`` enum: the manifest stores the plain value
    (``"ministry"``), and a value read back from it compares equal to its member."""

    MINISTRY = "ministry"
    CLUSTER = "cluster"
    NATIONAL = "national"
    ACTION_PLAN = "action-plan"


@dataclass
class PlannedReport:
    """One report of this run: where it goes, what it runs, and what it depends on."""

    key: str  # "<fiscal-year>/<slug>": the manifest key; files are key + .ipynb/.html
    kind: ReportKind
    name: str
    code: str | None
    fiscal_year: str | None  # None: all years
    notebook: Path
    parameters: dict
    title: str
    input_hash: str = ""
    #: What the report left for the index (runner/render.py reads it after the run).
    headline: Headline | None = None
    language: str = SOURCE_LANGUAGE
    #: The same report in the other languages of this run: language -> relative link.
    alternates: dict[str, str] = field(default_factory=dict)


#: The page titles, in every language (``{name}`` is the ministry's or cluster's name).
TITLES = {
    ReportKind.MINISTRY: N_("{name}: gender diagnostic report"),
    ReportKind.CLUSTER: N_("{name} cluster: programmes across ministries, gender diagnostic"),
    ReportKind.NATIONAL: N_("National overview: gender diagnostics of the NSSS programmes"),
    ReportKind.ACTION_PLAN: N_("National draft action plan: the NSSS gender strategy"),
}
FY_SUFFIX = N_(", FY {fiscal_year}")


def report_title(kind: ReportKind | str, name: str, fiscal_year: str | None, language: str = SOURCE_LANGUAGE) -> str:
    """The title of a report page in ``language``.

    >>> report_title(ReportKind.MINISTRY, "MoWCA", "2024-25")
    'MoWCA: gender diagnostic report, FY 2024-25'
    """
    _ = translator(language)
    title = _(TITLES[ReportKind(kind)]).format(name=name)
    return title + (_(FY_SUFFIX).format(fiscal_year=fiscal_year_in(fiscal_year, language)) if fiscal_year else "")


def language_folder(language: str) -> str:
    """The sub-folder of a fiscal year's folder a language's pages go to (its ``folder``
    in ``reference/languages.csv``): English pages stay where they always were
    (``<fy>/<slug>``), Bangla ones go to ``<fy>/bn/<slug>``."""
    folder = about_language(language).folder
    return f"{folder}/" if folder else ""


def in_languages(plan: list[PlannedReport], chosen: tuple[str, ...]) -> list[PlannedReport]:
    """Each report of ``plan`` (planned in English) once per language of ``chosen``,
    each linking the same report in the others (relative links between the folders)."""
    if all(about_language(code).is_source for code in chosen):
        return plan
    register = load_reference()
    out: list[PlannedReport] = []
    for report in plan:
        year, slug = report.key.split("/", 1)
        copies = []
        for language in chosen:
            name = report.name
            source = about_language(language).is_source
            if not source:
                if report.kind == ReportKind.MINISTRY and report.code in register.ministry_by_code:
                    name = register.ministry_by_code[report.code].name_in(language)
                else:
                    name = translator(language)(report.name)
            parameters = dict(report.parameters)
            if not source:
                parameters["language"] = language
            copies.append(PlannedReport(
                key=f"{year}/{language_folder(language)}{slug}", kind=report.kind, name=report.name,
                code=report.code, fiscal_year=report.fiscal_year, notebook=report.notebook,
                parameters=parameters, language=language,
                title=report_title(report.kind, name, report.fiscal_year, language),
            ))
        for copy in copies:
            up = "../" if language_folder(copy.language) else ""
            copy.alternates = {
                other.language: f"{up}{language_folder(other.language)}{slug}.html"
                for other in copies if other is not copy
            }
        out += copies
    return out


def plan_reports(request: ReportRequest, tables) -> list[PlannedReport]:
    """The reports this run must produce (validating ``--ministry`` and ``--fiscal-year``
    against the data: a ministry must have assessed programmes, a year some data)."""


    assessments = tables.assessments
    register = load_reference().ministry_by_code
    with_data: dict[str, str] = {}
    for code, name in zip(assessments["ministry_code"], assessments["ministry"], strict=True):
        if isinstance(code, str) and code and code not in with_data:
            with_data[code] = register[code].name if code in register else str(name)
    if not with_data:
        raise NsssError(f"{request.processed / 'assessments.parquet'}: no assessed programmes; nothing to report")

    fiscal_year = requested_fiscal_year(request)
    if fiscal_year is not None:
        known = fiscal_years_with_data(tables)
        if known and fiscal_year not in known:
            raise UsageError(
                f"--fiscal-year {request.fiscal_year!r}: no processed data for {fiscal_year} "
                f"(years with data: {', '.join(sorted(known))})"
            )

    codes: list[str] = []
    problems: list[str] = []
    for text, match in zip(request.ministries, requested_ministries(request), strict=True):
        if match.code not in with_data:
            problems.append(
                f"--ministry {text!r}: {match.name} ({match.code}) has no assessed programmes in "
                f"{request.processed / 'assessments.parquet'}"
            )
        elif match.code not in codes:
            codes.append(match.code)
    if problems:
        raise UsageError("; ".join(problems))
    everything = request.all or not request.ministries
    if everything:
        codes = sorted(with_data, key=lambda c: with_data[c].lower())

    # the budget year of each page is read without the budgets of disputed programmes
    # (left out of every figure), as the pages read it
    budgets = count_once(tables).current.budgets if tables.budgets is not None else None
    years_of = _BudgetYears(budgets)
    processed = str(request.processed)
    plan: list[PlannedReport] = []
    slugs: dict[str, str] = {}
    for code in codes:
        name = with_data[code]
        fy = fiscal_year or _latest_year(years_of, assessments, code)
        slug = report_slug(code, name)
        if slug in slugs and slugs[slug] != code:
            slug = f"{slug[:MAX_SLUG_LENGTH - 9]}-{hashlib.sha256(code.encode('utf-8')).hexdigest()[:8]}"
        slugs[slug] = code
        plan.append(PlannedReport(
            key=f"{fy or ALL_YEARS}/{slug}",
            kind=ReportKind.MINISTRY,
            name=name,
            code=code,
            fiscal_year=fy,
            notebook=request.notebooks / MINISTRY_NOTEBOOK,
            parameters={"ministry": code, "fiscal_year": fiscal_year or _page_year(years_of, code, fy),
                        "processed_dir": processed, "slug": slug},
            title=report_title(ReportKind.MINISTRY, name, fy),
        ))
    if everything:
        fy = fiscal_year or _latest_year(years_of, assessments, None)
        # the clusters' budget figures are for the national budget year (one year side by side)
        plan.extend(cluster_reports(request, assessments, fy, fiscal_year or _page_year(years_of, None, fy)))
        plan.append(PlannedReport(
            key=f"{fy or ALL_YEARS}/{NATIONAL_SLUG}",
            kind=ReportKind.NATIONAL,
            name="National overview",
            code=None,
            fiscal_year=fy,
            notebook=request.notebooks / NATIONAL_NOTEBOOK,
            parameters={"fiscal_year": fiscal_year or _page_year(years_of, None, fy), "processed_dir": processed},
            title=report_title(ReportKind.NATIONAL, "", fy),
        ))
        if (request.notebooks / ACTION_PLAN_NOTEBOOK).exists():
            plan.append(PlannedReport(
                key=f"{fy or ALL_YEARS}/{ACTION_PLAN_SLUG}",
                kind=ReportKind.ACTION_PLAN,
                name="National draft action plan",
                code=None,
                fiscal_year=fy,
                notebook=request.notebooks / ACTION_PLAN_NOTEBOOK,
                parameters={"fiscal_year": fy, "processed_dir": processed, "slug": ACTION_PLAN_SLUG},
                title=report_title(ReportKind.ACTION_PLAN, "", fy),
            ))
    return in_languages(plan, request.languages)


def cluster_slug(cluster: str) -> str:
    """``cluster-social-allowance``: a cluster report's file name (without extension)."""
    return CLUSTER_PREFIX + (slugify(cluster) or "not-given")


def cluster_reports(request: ReportRequest, assessments, fiscal_year: str | None,
                    page_year: str | None = None) -> list[PlannedReport]:
    """One report per NSSS cluster with assessed programmes, in the NSSS's order (none
    when the notebook folder has no cluster notebook). ``fiscal_year`` names the folder
    and the title; ``page_year`` is the budget year the cluster's figures are for: the
    national one (None when no year qualifies: amounts per year, no share)."""
    if not (request.notebooks / CLUSTER_NOTEBOOK).exists():
        return []
    present = set(assessments["cluster"].dropna().tolist())
    processed = str(request.processed)
    out = []
    for cluster in CLUSTERS:
        if cluster not in present:
            continue
        slug = cluster_slug(cluster)
        out.append(PlannedReport(
            key=f"{fiscal_year or ALL_YEARS}/{slug}",
            kind=ReportKind.CLUSTER,
            name=cluster,
            code=None,
            fiscal_year=fiscal_year,
            notebook=request.notebooks / CLUSTER_NOTEBOOK,
            parameters={"cluster": cluster, "fiscal_year": page_year, "processed_dir": processed,
                        "slug": slug},
            title=report_title(ReportKind.CLUSTER, cluster, fiscal_year),
        ))
    return out


def requested_ministries(request: ReportRequest) -> list:
    """The register entry (``Ministry``) of each ``--ministry``; an unknown one is
    a one-line usage error with the closest register names."""

    found, problems = [], []
    for text in request.ministries:
        try:
            found.append(resolve_ministry(text))
        except NsssError as exc:
            problems.append(f"--ministry {str(exc).removeprefix('ministry ')}")
    if problems:
        raise UsageError("; ".join(problems))
    return found


def requested_fiscal_year(request: ReportRequest) -> str | None:
    """``--fiscal-year`` as ``YYYY-YY`` (``FY24``, ``2023/2024`` ... are accepted)."""

    if request.fiscal_year is None:
        return None
    try:
        return parse_fiscal_year(request.fiscal_year)
    except ValueError as exc:
        raise UsageError(f"--fiscal-year {request.fiscal_year!r}: {exc}") from None


class _BudgetYears:
    """Each unit's :func:`~nsss_analysis.diagnostics.budgets.budget_years`, the known
    budget rows computed once for the whole plan (``None``: no budgets at all)."""

    def __init__(self, budgets) -> None:
        self.known = known_budgets(budgets, "budget_crore") if budgets is not None and len(budgets) else None
        self._years: dict[str | None, object] = {}

    def __call__(self, code: str | None):
        if self.known is None:
            return None
        if code not in self._years:
            self._years[code] = budget_years_of(self.known, code)
        return self._years[code]


def _page_year(years_of: _BudgetYears, code: str | None, fy: str | None) -> str | None:
    """The fiscal year passed to a notebook: the budget year of the rule (the latest
    year in which at least half, and at least 5, of the unit's programmes with a
    budget have a figure), or None when the unit has budgets but no year qualifies
    (the page then gives amounts per year and no share); ``fy`` when there are no
    budgets at all."""
    years = years_of(code)
    if years is not None and len(years):
        return latest_qualifying_year(years)
    return fy


def _latest_year(years_of: _BudgetYears, assessments, code: str | None) -> str | None:
    """The year of a report's folder and title: the page's budget year where one
    qualifies (:func:`_page_year`: a title never names a year that only a few
    programmes, or one ministry, report), else the latest fiscal year with a known
    budget, else the latest year named on the ministry's forms; None when none exists
    (:func:`nsss_analysis.diagnostics.budgets.report_year_of`, which the page's own
    all-years note asks too)."""
    return report_year_of(years_of(code), assessments, code)


def fiscal_years_with_data(tables) -> set[str]:
    years: set[str] = set()
    if tables.budgets is not None and "fiscal_year" in tables.budgets.columns:
        years |= {y for y in tables.budgets["fiscal_year"].dropna().tolist() if isinstance(y, str)}
    if "assessment_round" in tables.assessments.columns:
        years |= {y for y in tables.assessments["assessment_round"].dropna().tolist() if isinstance(y, str)}
    return years
