"""``reports/index.html``: every report on disk with its headline figures and a link."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from nsss_analysis import __version__
from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.summaries import headline_figures
from nsss_analysis.io import write_text_atomic
from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import CLUSTER_NAMES
from nsss_analysis.reference.i18n import N_, SOURCE_LANGUAGE, SUPPORTED, _, about_language, translator
from nsss_analysis.reference.i18n import language as in_language
from nsss_analysis.reference.names import display_name
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report import claims, headline_text, notices, rules, submissions
from nsss_analysis.report.headline_file import Headline
from nsss_analysis.runner.html import AUTONYMS, TEMPLATES_DIR
from nsss_analysis.runner.manifest import INDEX_FILE
from nsss_analysis.runner.outputs import RETURNS_FILE, TRACKER_FILE
from nsss_analysis.runner.plan import ALL_YEARS, PlannedReport, ReportKind, language_folder
from nsss_analysis.runner.request import now

log = logging.getLogger("nsss.reports")

def headline_of(report: PlannedReport, tables) -> None:
    """Compute ``report.headline`` (for the index) when the report left none (a notebook
    without a ``headline_path`` parameter, such as the cluster report)."""
    try:
        figures = headline_figures(tables, report.code, report.fiscal_year)
        with in_language(report.language):
            report.headline = Headline.from_figures(figures, headline_text.headline_sentences(figures))
    except Exception as exc:  # noqa: BLE001 - the report exists; the index shows dashes
        log.warning("%s: no headline figures for the index: %s: %s", report.key, type(exc).__name__, exc)
        report.headline = None


#: The index's own words (message ids), by their place on the page.
INDEX_WORDS: dict[str, str] = {
    "title": N_("NSSS gender diagnostic reports"),
    "lead": N_("One report per ministry or division, and the national overview, from the assessment forms "
               "of the National Social Security Strategy. Reports are listed by name: a diagnosis for each "
               "ministry, not a ranking. Intervals are 95%."),
    "failed": N_("failed"),
    "failed_because": N_("(failed: {error})"),
    "clusters": N_("Cluster reports"),
    "clusters_lead": N_("(the programmes of one NSSS cluster across ministries):"),
    "unit": N_("Ministry / Division"),
    "programmes": N_("Programmes assessed"),
    "gsot": N_("Gender-specific or transformative"),
    "budget": N_("Budget in those programmes"),
    "score": N_("Mean gender inclusion score (0-100)"),
    "report": N_("Report"),
    "open": N_("open"),
    "small_n": N_("For a ministry with fewer than {n} programmes, read shares as indications, not estimates: "
                  "its report gives counts and no intervals."),
    "submissions": N_("Submissions"),
    "status": N_("Status"),
    "file": N_("File"),
    "round": N_("Round"),
    "received": N_("Received"),
    "accepted": N_("Programmes accepted"),
    "quarantined": N_("Rows quarantined"),
    "resubmission": N_("Resubmission"),
    "on_record": N_("Programmes on record"),
    "accepted_means": N_("the rows of this file read as programmes"),
    "on_record_means": N_("the unit's programmes in the list of NSSS programmes or the budget tables, from "
                          "whatever file"),
    "submissions_note": N_("Programmes accepted counts the rows of one file read as programmes; programmes on "
                           "record counts the unit's programmes in the list of NSSS programmes and the budget "
                           "tables. They differ when a file leaves a programme out or sends it in another file "
                           "(fewer accepted), or names a programme not on that list, such as a new one (more "
                           "accepted). Received is the workbook's own date; a CSV file carries none."),
    "not_recorded": N_("not recorded"),
    "none_yet": N_("No reports have been rendered yet: run {command}."),
    "all_years": N_("Reports with no fiscal year: the unit has no budget on record and its forms name no "
                    "assessment round, so its figures cannot be placed in one year (they are kept in the folder "
                    "{folder})."),
    "action_plan_workbook": N_("the full table as a workbook (.xlsx)"),
    "returns": N_("Returned action plans"),
    "returns_lead": N_("Which ministries and divisions returned the action plan they were sent, and when (the "
                       "workbook's own date); counts of the actions it reports, done and overdue."),
    "plan_returned": N_("Plan returned"),
    "returns_count": N_("Returns"),
    "actions_reported": N_("Actions reported"),
    "done": N_("Done"),
    "overdue": N_("Overdue"),
    "yes": N_("yes"),
    "not_yet": N_("not yet"),
    "generated": N_("Generated {when} by {program} {version}. Each report is a static page that opens "
                    "offline; its executed notebook (.ipynb) sits beside it as the full record."),
}
#: The index of each language: English ``index.html``, the others ``index.<language>.html``.
INDEX_FILES = {language: about_language(language).index_file for language in SUPPORTED}


def index_file(language: str) -> str:
    """The index page of ``language`` (``index.html``, ``index.bn.html``)."""
    return INDEX_FILES.get(language, f"index.{language}.html")


def write_index(out: Path, manifest: dict) -> Path:
    """``reports/index.html``: every report on disk with its headline figures and a
    link; and, when pages in other languages are on disk, the same index in each of
    them (``index.bn.html``), the two indexes linking each other. Returns the English
    index's path."""
    on_disk = {key: entry for key, entry in manifest.get("reports", {}).items()
               if (out / entry.get("html", "")).is_file()}
    written = {e.get("language") or SOURCE_LANGUAGE for e in on_disk.values()}
    languages = [code for code in SUPPORTED if about_language(code).is_source or code in written]
    synthetic = any(bool((e.get("headline") or {}).get("synthetic")) for e in manifest.get("reports", {}).values())
    tracker = _tracker(out)
    returns = _returns(out)
    for language in languages:
        others = {code: index_file(code) for code in languages if code != language}
        with in_language(language), claims.page(index_file(language), language) as ledger:
            page = _index_page(on_disk, language, others, synthetic, tracker, returns)
        write_text_atomic(out / index_file(language), page)
        _write_index_claims(out / index_file(language), ledger)
    return out / INDEX_FILE


def _write_index_claims(page: Path, ledger: claims.Ledger) -> None:
    """``index.claims.json`` beside the index (each cell's figures, the rules they passed);
    a broken rule fails in strict mode and is one warning line otherwise."""
    violations = rules.check(ledger.claims)
    rules.verdicts(ledger, violations)
    write_text_atomic(page.with_name(page.name.removesuffix(".html") + ".claims.json"), ledger.to_json())
    rules.enforce(violations, page=page.name, logger=log)


def _index_page(on_disk: dict, language: str, others: dict[str, str], synthetic: bool,
                tracker: dict | None, returns: list[dict] | None = None) -> str:
    """One language's index page."""
    import jinja2

    t = translator(language)
    years = _years(on_disk, language)
    ordered = [years[y] for y in sorted(years, key=lambda y: (y != ALL_YEARS, y), reverse=True)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    words = {key: t(message) for key, message in INDEX_WORDS.items()}
    words["small_n"] = words["small_n"].format(n=claims.count(SMALL_N, where="index"))
    words["none_yet"] = words["none_yet"].format(command="nsss reports")
    words["generated"] = words["generated"].format(when=numbers.timestamp(now(), language), program="nsss reports",
                                                   version=numbers.version(__version__, language))
    return env.get_template("index.html.j2").render(
        years=ordered, language=language, w=words,
        codes_beside_names=about_language(language).script == "Latn",  # a Latin code reads in Latin text only
        languages=[{"href": href, "language": code, "label": AUTONYMS.get(code, code)}
                   for code, href in others.items()],
        notice=notices.data_notice(synthetic),
        tracker=_tracker_in(tracker, t), small_n=SMALL_N, returns=_returns_in(returns, language),
    )


#: A language's name in another language's words (the row links of a translated index).
LANGUAGE_NAMES: dict[str, str] = {"en": N_("English"), "bn": N_("Bangla")}


def _row_link_label(code: str, language: str) -> dict[str, str]:
    """The label of a row's link to its page in ``code``, and the label's language: the
    language's own name on the English index ("বাংলা"); on a translated index, its name
    in the index's language ("ইংরেজি" on the Bangla one), as a Bangla reader says it (the
    page's language switch at the top keeps the autonym)."""
    if about_language(language).is_source or code not in LANGUAGE_NAMES:
        return {"label": AUTONYMS.get(code, code), "label_language": code}
    return {"label": translator(language).gettext(LANGUAGE_NAMES[code]), "label_language": language}


def _years(on_disk: dict, language: str) -> dict[str, dict]:
    """The index's rows by fiscal year: each report once, its page in ``language``
    where that is on disk (else its English page, else any), the pages in the other
    languages linked beside it."""
    pages: dict[str, dict[str, tuple[str, dict]]] = {}
    for key, entry in on_disk.items():
        pages.setdefault(english_key(key, entry), {})[entry.get("language") or SOURCE_LANGUAGE] = (key, entry)
    years: dict[str, dict] = {}
    for base, by_language in pages.items():
        shown = by_language.get(language) or by_language.get(SOURCE_LANGUAGE) or next(iter(by_language.values()))
        key, entry = shown
        translations = [{"href": _href(e["html"]), "language": code, **_row_link_label(code, language)}
                        for code, (k, e) in by_language.items() if k != key]
        year = base.split("/", 1)[0]
        group = years.setdefault(year, {"label": _year_label(year, language), "national": None, "ministries": [],
                                        "clusters": [], "small_n": False, "action_plan": None,
                                        "note": _year_note(year, language)})
        headline = entry.get("headline") or {}
        # a cluster's or the action plan's row is a link, its figures not shown: no claim is
        # made of them (their headline is the national one, in the page's fiscal year)
        shown_figures = entry.get("kind") not in (ReportKind.CLUSTER, ReportKind.ACTION_PLAN)
        with claims.scope(block=f"index:{key}", programmes=headline.get("programme_keys")):
            figures = index_figures(entry.get("headline") if shown_figures else None, language)
        disputed = ""
        if headline.get("n_disputed"):  # the count beside the row leaves them out: say so
            with in_language(language), claims.scope(block=f"index:{key}", where="index"):
                disputed = headline_text.disputed_sentence(headline)
        row = {
            "href": _href(entry["html"]),
            "translations": translations,
            "title": entry.get("title") or entry.get("ministry"),
            "name": _unit_name(entry, language),
            "code": entry.get("ministry_code"),
            "status": entry.get("status"),
            "error": entry.get("error"),
            "sentences": [_without_small_n(x) for x in entry.get("sentences") or []],
            "figures": figures,
            "disputed": disputed,
        }
        group["small_n"] = group["small_n"] or any(
            SMALL_N_CAVEAT.search(x) for x in (entry.get("sentences") or [])[:1])
        if entry.get("kind") == ReportKind.NATIONAL:
            group["national"] = row
        elif entry.get("kind") == ReportKind.ACTION_PLAN:
            row["workbook"] = re.sub(r"\.html$", ".xlsx", str(row["href"]))
            group["action_plan"] = row
        elif entry.get("kind") == ReportKind.CLUSTER:
            group["clusters"].append(row)
        else:
            group["ministries"].append(row)
    for group in years.values():
        group["ministries"].sort(key=lambda r: str(r["name"]).lower())  # by name: not a ranking
    return years


def _unit_name(entry: dict, language: str) -> object:
    """A report's ministry (or cluster) as the index names it in ``language``."""
    name = entry.get("ministry")
    if about_language(language).is_source or entry.get("kind") == ReportKind.NATIONAL:
        return name
    if entry.get("kind") == ReportKind.CLUSTER:
        return _(CLUSTER_NAMES[name]) if name in CLUSTER_NAMES else name
    ministry = load_reference().ministry_by_code.get(str(entry.get("ministry_code") or ""))
    return ministry.name_in(language) if ministry else name


def _tracker_in(tracker: dict | None, t) -> dict | None:
    """The submission tracker's sentences and rows in ``t``'s language, rebuilt from its
    rows (the file the run wrote holds the English sentences as text), each count a
    claim of the index's ledger: files and quarantined lines with their lineage (the
    ``lines`` the run wrote beside the rows)."""
    if not tracker:
        return tracker
    try:
        rows = pd.DataFrame(tracker["rows"])
        lines = tracker.get("lines") or {}
        return {"sentences": submissions.sentences(rows, lines, t, where="index.tracker"),
                "rows": submissions.rows_in_words(rows, lines, t, where="index.tracker").to_dict("records")}
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("the submission tracker in %s: %s: %s", t.language, type(exc).__name__, exc)
        return tracker


#: The small-n caveat of a headline sentence: the index says it once, under the table.
SMALL_N_CAVEAT = re.compile(r"\s*With fewer than \d+ programmes[^.]*\.")


def _without_small_n(sentence: str) -> str:
    return SMALL_N_CAVEAT.sub("", str(sentence)).strip()


def _tracker(out: Path) -> dict | None:
    """The submission tracker the run wrote beside the index, or None."""
    try:
        tracker = json.loads((out / TRACKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return tracker if isinstance(tracker, dict) and "rows" in tracker else None


def _returns(out: Path) -> list[dict] | None:
    """The tracker of returned action plans the run wrote beside the index, or None."""
    try:
        data = json.loads((out / RETURNS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    rows = data.get("rows") if isinstance(data, dict) else None
    return rows if isinstance(rows, list) else None


def _returns_in(rows: list[dict] | None, language: str) -> list[dict] | None:
    """The returned-plans tracker's rows in ``language``: ministries by name (those that
    returned first), dates and counts in its digits; None when no plan came back."""
    if not rows or not any(r.get("returned") for r in rows):
        return None
    t = translator(language)
    out = []
    for r in sorted(rows, key=lambda r: (not r.get("returned"), display_name("ministry", r.get("ministry_code"),
                                                                            language).lower())):
        returned = bool(r.get("returned"))
        out.append({
            "ministry": display_name("ministry", r.get("ministry_code"), language),
            "returned": t(INDEX_WORDS["yes"] if returned else INDEX_WORDS["not_yet"]),
            "received": numbers.date(r["received_date"], language) if r.get("received_date") else "",
            **{k: str(claims.count(int(r.get(k) or 0), where=f"index.returns:{k}",
                                   **({"unit": "files", "sources": r["files"]} if k == "returns" and r.get("files")
                                      else {})))
               if returned else "" for k in ("returns", "actions", "done", "overdue")},
        })
    return out


#: The index's cells, by how many of their figures are known.
GSOT_CELL = N_("{k} of {n}")
GSOT_CELL_SHARE = N_("{k} of {n} ({share})")
GSOT_CELL_INTERVAL = N_("{k} of {n} ({share}, {low}–{high})")
BUDGET_CELL_YEAR = N_("{share} (FY {fiscal_year})")
SCORE_CELL_INTERVAL = N_("{mean} ({low}–{high})")
SCORE_CELL_NATIONAL = N_("{mean}; national {national}")
SCORE_CELL_INTERVAL_NATIONAL = N_("{mean} ({low}–{high}); national {national}")


def index_figures(headline: Headline | Mapping[str, object] | None, language: str = SOURCE_LANGUAGE) -> dict:
    """The index's cells for one report (its :class:`Headline`, or the manifest's record
    of it), as text in ``language`` ("–" where a figure is missing)."""
    dash = "–"
    if not headline:
        return {"programmes": dash, "gsot": dash, "budget": dash, "score": dash}
    h = headline if isinstance(headline, Headline) else Headline.from_figures(headline)
    t = translator(language)

    def pct(x: float, unit: str = "percent", **meta: object) -> str:  # rounded as the reports round, in both languages
        return str(claims.figure(x, unit, numbers.percent(x, language), **({"where": "index"} | meta)))

    def whole(x: float, unit: str = "count", **meta) -> str:
        return str(claims.figure(x, unit, numbers.number(x, language), **({"where": "index"} | meta)))

    n, k = h.n_programmes, h.n_gender_specific_or_transformative
    gsot = dash
    if k is not None and n is not None:
        counts = {"k": whole(k), "n": whole(n)}
        if h.share is not None and n >= SMALL_N:  # below 5 programmes: the count only
            of: dict[str, Any] = {"numerator": k, "denominator": n, "n": n}
            if h.ci_low is not None and h.ci_high is not None:
                low, high = h.ci_low, h.ci_high
                gsot = t(GSOT_CELL_INTERVAL).format(
                    **counts, share=pct(h.share, low=low, high=high, method="wilson", **of),
                    low=pct(low, unit="interval", low=low, high=high, n=n), high=pct(high, unit="interval"))
            else:
                gsot = t(GSOT_CELL_SHARE).format(**counts, share=pct(h.share, **of))
        else:
            gsot = t(GSOT_CELL).format(**counts)
    budget = dash
    if h.budget_share is not None:
        budget = pct(h.budget_share, unit="money_share", fiscal_year=h.fiscal_year)
        if h.fiscal_year:
            budget = t(BUDGET_CELL_YEAR).format(share=budget, fiscal_year=numbers.fiscal_year(h.fiscal_year, language))
    score = dash
    if h.mean_inclusion_score is not None and n is not None and n >= SMALL_N:
        mean = whole(h.mean_inclusion_score, unit="mean", n=n)
        interval = h.mean_ci_low is not None and h.mean_ci_high is not None
        national = h.national_mean_inclusion_score is not None
        parts = {"mean": mean}
        if h.mean_ci_low is not None and h.mean_ci_high is not None:
            parts |= {"low": whole(h.mean_ci_low, unit="interval", low=h.mean_ci_low, high=h.mean_ci_high, n=n,
                                   method="t"),
                      "high": whole(h.mean_ci_high, unit="interval")}
        # a ministry's comparator rests on every programme (a national page's is its own)
        national_keys = h.national_programme_keys if h.ministry_code else None
        if h.national_mean_inclusion_score is not None:
            parts["national"] = whole(h.national_mean_inclusion_score, unit="mean", role="comparator",
                                      n=h.national_n, programmes=national_keys)
            if h.national_mean_ci_low is not None and h.national_mean_ci_high is not None:
                # the national figure beside the unit's is quoted with its own interval
                parts["national"] = t(SCORE_CELL_INTERVAL).format(
                    mean=parts["national"], high=whole(h.national_mean_ci_high, unit="interval",
                                                       programmes=national_keys),
                    low=whole(h.national_mean_ci_low, unit="interval", low=h.national_mean_ci_low,
                              high=h.national_mean_ci_high, n=h.national_n, method="t", role="comparator",
                              programmes=national_keys))
        template = {(True, True): SCORE_CELL_INTERVAL_NATIONAL, (True, False): SCORE_CELL_INTERVAL,
                    (False, True): SCORE_CELL_NATIONAL}.get((interval, national))
        score = t(template).format(**parts) if template else mean
    programmes = whole(n) if n is not None else dash
    return {"programmes": programmes, "gsot": gsot, "budget": budget, "score": score}


ALL_FISCAL_YEARS = N_("All fiscal years")
FISCAL_YEAR_HEADING = N_("Fiscal year {year}")


def _year_note(year: str, language: str = SOURCE_LANGUAGE) -> str:
    """What a year's heading means, where it is not a fiscal year ("All fiscal years")."""
    if year != ALL_YEARS:
        return ""
    return translator(language)(INDEX_WORDS["all_years"]).format(folder=f"{ALL_YEARS}/")


def _year_label(year: str, language: str = SOURCE_LANGUAGE) -> str:
    t = translator(language)
    if year == ALL_YEARS:
        return t(ALL_FISCAL_YEARS)
    return t(FISCAL_YEAR_HEADING).format(
        year=numbers.fiscal_year(year, language))


def english_key(key: str, entry: dict) -> str:
    """The manifest key of the English page of a report (``<fy>/bn/<slug>`` -> ``<fy>/<slug>``)."""
    folder = language_folder(entry.get("language") or SOURCE_LANGUAGE)
    if not folder:
        return key
    year, _, rest = key.partition("/")
    return f"{year}/{rest.removeprefix(folder)}"


def _href(html: str) -> str:
    return "/".join(_url_quote(part) for part in html.split("/"))


def _url_quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe="")
