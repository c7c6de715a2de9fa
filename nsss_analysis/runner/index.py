"""``reports/index.html``: every report on disk with its headline figures and a link."""

from __future__ import annotations

import json
import logging
import math
import re
from pathlib import Path

from nsss_analysis import __version__
from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.summaries import headline_figures
from nsss_analysis.io import write_text_atomic
from nsss_analysis.report import narrative
from nsss_analysis.runner.html import AUTONYMS, TEMPLATES_DIR
from nsss_analysis.runner.manifest import INDEX_FILE
from nsss_analysis.runner.outputs import TRACKER_FILE
from nsss_analysis.runner.plan import ALL_YEARS, PlannedReport
from nsss_analysis.runner.request import now

log = logging.getLogger("nsss.reports")

#: The report notebooks leave ``summaries.headline_figures``' dict in a variable
#: ``headline``; the index reads it (and its sentences) from the kernel after the
#: report ran, so the index shows exactly the report's figures without computing
#: them twice. Without that variable, the runner computes them itself.
COLLECT_HEADLINE = {
    "headline": "__import__('json').dumps(headline, default=str)",
    "sentences": "__import__('json').dumps(list(__import__('nsss_analysis.report.narrative', "
                 "fromlist=['headline_sentences']).headline_sentences(headline)))",
}


def headline_of(report: PlannedReport, tables) -> None:
    """Fill ``report.headline`` and ``report.sentences`` (for the index) from narrative."""
    try:

        report.headline = headline_figures(tables, report.code, report.fiscal_year)
        report.sentences = [str(s) for s in narrative.headline_sentences(report.headline)]
    except Exception as exc:  # noqa: BLE001 - the report exists; the index shows dashes
        log.warning("%s: no headline figures for the index: %s: %s", report.key, type(exc).__name__, exc)
        report.headline, report.sentences = None, []


def collected_headline(report: PlannedReport, collected: dict) -> bool:
    """Take the headline figures and sentences the notebook computed (see COLLECT_HEADLINE)."""
    import ast

    try:
        headline = json.loads(ast.literal_eval(collected["headline"]))
        sentences = json.loads(ast.literal_eval(collected["sentences"]))
    except (KeyError, ValueError, SyntaxError, TypeError):
        return False
    if not isinstance(headline, dict) or not isinstance(sentences, list):
        return False
    report.headline, report.sentences = headline, [str(s) for s in sentences]
    return True


def write_index(out: Path, manifest: dict) -> Path:
    """``reports/index.html``: every report on disk with its headline figures and a link."""
    import jinja2


    years: dict[str, dict] = {}
    on_disk = {key: entry for key, entry in manifest.get("reports", {}).items()
               if (out / entry.get("html", "")).is_file()}
    # A page in another language is listed beside its English page ("বাংলা" after
    # "open"); on its own row only when its English page is not on disk.
    translated: dict[str, list[dict]] = {}
    for key, entry in on_disk.items():
        english = english_key(key, entry)
        if english != key and english in on_disk:
            translated.setdefault(english, []).append(
                {"href": _href(entry["html"]), "language": entry.get("language"),
                 "label": AUTONYMS.get(entry.get("language"), entry.get("language"))})
    for key, entry in on_disk.items():
        if english_key(key, entry) != key and english_key(key, entry) in on_disk:
            continue
        year = key.split("/", 1)[0]
        group = years.setdefault(year, {"label": _year_label(year), "national": None, "ministries": [],
                                        "clusters": [], "small_n": False})
        row = {
            "href": _href(entry["html"]),
            "translations": translated.get(key, []),
            "title": entry.get("title") or entry.get("ministry"),
            "name": entry.get("ministry"),
            "code": entry.get("ministry_code"),
            "status": entry.get("status"),
            "error": entry.get("error"),
            "sentences": [_without_small_n(x) for x in entry.get("sentences") or []],
            "figures": index_figures(entry.get("headline")),
        }
        group["small_n"] = group["small_n"] or any(
            SMALL_N_CAVEAT.search(x) for x in (entry.get("sentences") or [])[:1])
        if entry.get("kind") == "national":
            group["national"] = row
        elif entry.get("kind") == "cluster":
            group["clusters"].append(row)
        else:
            group["ministries"].append(row)
    for group in years.values():
        group["ministries"].sort(key=lambda r: str(r["name"]).lower())  # by name: not a ranking
    ordered = [years[y] for y in sorted(years, key=lambda y: (y != ALL_YEARS, y), reverse=True)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    synthetic = any(bool((e.get("headline") or {}).get("synthetic")) for e in manifest.get("reports", {}).values())
    page = env.get_template("index.html.j2").render(
        years=ordered, generated=now(), version=__version__,
        notice=narrative.DATA_NOTICE if synthetic else "",
        tracker=_tracker(out), small_n=SMALL_N
    )
    path = out / INDEX_FILE
    write_text_atomic(path, page)
    return path


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


def index_figures(headline: dict | None) -> dict:
    """The index's cells for one report, as text ("–" where a figure is missing)."""
    dash = "–"
    if not headline:
        return {"programmes": dash, "gsot": dash, "budget": dash, "score": dash}
    n = headline.get("n_programmes")
    k = headline.get("n_gender_specific_or_transformative")
    share, low, high = headline.get("share"), headline.get("ci_low"), headline.get("ci_high")
    gsot = dash
    if _number(k) and _number(n):
        gsot = f"{int(k)} of {int(n)}"
        if _number(share) and int(n) >= SMALL_N:  # below 5 programmes: the count only
            gsot += f" ({share:.0%}"
            gsot += f", {low:.0%}–{high:.0%})" if _number(low) and _number(high) else ")"
    budget = dash
    if _number(headline.get("budget_share")):
        budget = f"{headline['budget_share']:.0%}"
        if headline.get("fiscal_year"):
            budget += f" (FY {headline['fiscal_year']})"
    score = dash
    if _number(headline.get("mean_inclusion_score")) and _number(n) and int(n) >= SMALL_N:
        score = f"{headline['mean_inclusion_score']:.0f}"
        if _number(headline.get("mean_ci_low")) and _number(headline.get("mean_ci_high")):
            score += f" ({headline['mean_ci_low']:.0f}–{headline['mean_ci_high']:.0f})"
        if _number(headline.get("national_mean_inclusion_score")):
            score += f"; national {headline['national_mean_inclusion_score']:.0f}"
    return {"programmes": str(int(n)) if _number(n) else dash, "gsot": gsot, "budget": budget, "score": score}


def _year_label(year: str) -> str:
    return "All fiscal years" if year == ALL_YEARS else f"Fiscal year {year}"


def english_key(key: str, entry: dict) -> str:
    """The manifest key of the English page of a report (``<fy>/bn/<slug>`` -> ``<fy>/<slug>``)."""
    language = entry.get("language") or "en"
    if language == "en":
        return key
    year, _, rest = key.partition("/")
    return f"{year}/{rest.removeprefix(language + '/')}"


def _href(html: str) -> str:
    return "/".join(_url_quote(part) for part in html.split("/"))


def _url_quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe="")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
