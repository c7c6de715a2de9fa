"""The first screen of a report, in three parts, read in a minute on a phone:

1. **the verdict** in plain words (:func:`verdict_line`): how many of the unit's
   programmes act on women's and girls' needs, no figure beyond counts;
2. **the programmes by level** (:func:`levels_html`): one row per programme for a
   small unit, a stacked bar with counts for a larger one (counts, never percentages,
   below ``SMALL_N``), drawn in HTML so it scales with the page's type and reads in
   Bangla as the browser shapes it;
3. **what we ask of you** (:func:`asks_html`): the changes the ministry says are
   possible, in its programmes with the largest budgets, each programme once with its
   actions grouped, each action with its id in the action plan (the same id on the
   cards and in the workbook: ``action_id``, else the plan's row number).

The analyst's sentences (intervals, budget shares, the mean score) come below, under
their own heading. Every value from a form goes through
:func:`nsss_analysis.report.display.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import cast

import pandas as pd

from nsss_analysis.diagnostics.budgets import NO_BUDGET_YEAR
from nsss_analysis.diagnostics.recommendations import action_in_words
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE, SMALL_N
from nsss_analysis.diagnostics.summaries import with_budget_of_year
from nsss_analysis.reference.glossary import LEVEL_NAMES
from nsss_analysis.reference.grammar import Name
from nsss_analysis.reference.i18n import N_, _, current, ngettext
from nsss_analysis.reference.names import display_name, shown_name
from nsss_analysis.reference.vocab import LEVELS, normalise_key
from nsss_analysis.report import claims
from nsss_analysis.report.display import escape
from nsss_analysis.report.labels import ACTION_PHRASES
from nsss_analysis.report.national_plan import national_plan
from nsss_analysis.report.wording import crore

#: Programmes named under "what we ask of you" (those with the largest budgets first).
ASK_PROGRAMMES = 3
#: Actions named there at most; the rest are in the action plan, which the line after says.
ASK_ACTIONS = 5

#: The level colours of the first screen's chart (most gender-responsive first): a
#: sequential blue scale, readable in grey when printed, and "insufficient data" grey.
LEVEL_COLOURS: dict[str, str] = {
    "gender-transformative": "#08306b",
    "gender-specific": "#2171b5",
    "gender-sensitive": "#9ecae1",
    "gender-blind": "#f0f0f0",
    "insufficient data": "#bdbdbd",
}
#: Text on each colour (dark on light, light on dark).
LEVEL_INK: dict[str, str] = {
    "gender-transformative": "#ffffff", "gender-specific": "#ffffff", "gender-sensitive": "#111111",
    "gender-blind": "#111111", "insufficient data": "#111111",
}

#: Headings and lines of the first screen (marked here; formatted where used).
WHAT_WE_ASK = N_("What we ask of you")
LEVELS_CAPTION = N_("Programmes by level")
ANALYSIS_HEADING = N_("The diagnosis in figures")


def _count(n: int, where: str = "first_screen") -> str:
    """A count as the page prints it, recorded in the page's claims ledger."""
    return str(claims.count(int(n), where=where))


def level_counts(scores: pd.DataFrame) -> dict[str, int]:
    """Programmes per level, most gender-responsive first (levels with none left out)."""
    counts = scores["level"].value_counts() if len(scores) else pd.Series(dtype="int64")
    return {lv: int(counts[lv]) for lv in reversed(LEVELS) if lv in counts.index}


def _other_clauses(weak: int, unknown: int) -> list[str]:
    """The verdict's clauses after the first: programmes that do not yet act on women's
    needs, and those with too few answers to judge (none when the count is 0)."""
    parts = []
    if weak:
        parts.append(ngettext("{weak} does not yet", "{weak} do not yet", weak))
    if unknown:
        parts.append(ngettext("{unknown} has too few answers to judge", "{unknown} have too few answers to judge",
                              unknown))
    return parts


def verdict_line(scores: pd.DataFrame, unit: str) -> str:
    """One sentence in plain words: how many of the unit's programmes act on women's and
    girls' needs (gender-specific or gender-transformative), and how many do not yet.

    The unit is named by the page's heading; the sentence says "its" and so needs no
    possessive of a name ("... Affairs's").
    """
    n = len(scores)
    if not n:
        return _("{unit} has no assessed programme yet, so there is no diagnosis.").format(unit=Name(unit))
    strong = int(scores["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
    unknown = int((scores["level"] == "insufficient data").sum())
    weak = n - strong - unknown
    if strong == 0 and unknown == 0:
        text = ngettext("Its one assessed programme does not yet act on women's and girls' needs.",
                        "None of its {n} assessed programmes acts on women's and girls' needs yet.", n)
    elif strong == n == 2:
        text = _("Both of its assessed programmes act on women's and girls' needs.")
    elif strong == n:
        text = ngettext("Its one assessed programme acts on women's and girls' needs.",
                        "All {n} of its assessed programmes act on women's and girls' needs.", n)
    else:
        acts = ngettext("{strong} of its {n} assessed programmes acts on women's and girls' needs",
                        "{strong} of its {n} assessed programmes act on women's and girls' needs", strong)
        if not strong:
            acts = _("None of its {n} assessed programmes acts on women's and girls' needs yet")
        text = _("{clauses}.").format(clauses="; ".join([acts, *_other_clauses(weak, unknown)]))
    return text.format(n=_count(n), strong=_count(strong), weak=_count(weak), unknown=_count(unknown))


def _level_name(level: str) -> str:
    return _(LEVEL_NAMES.get(level, level))


def _chip(level: str, text: str) -> str:
    return (f'<span class="nsss-level" style="background:{LEVEL_COLOURS.get(level, "#dddddd")};'
            f'color:{LEVEL_INK.get(level, "#111111")}">{escape(text)}</span>')


def levels_html(scores: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """The unit's programmes by level: below ``SMALL_N`` programmes one row per programme
    (its level beside its name); from ``SMALL_N`` up a stacked bar whose segments are
    labelled with counts, and a key with the counts (never a percentage).

    ``names`` maps a programme (as scored) to the name the page prints (its Bangla name
    on a Bangla page); by default the name as scored.
    """
    if not len(scores):
        return ""
    caption = f'<p class="nsss-levels-caption">{escape(_(LEVELS_CAPTION))}</p>'
    names = names or {}
    if len(scores) < SMALL_N:
        order = {lv: i for i, lv in enumerate(reversed(LEVELS))}
        rows = sorted(scores[["programme", "level"]].to_dict("records"),
                      key=lambda r: (order.get(r["level"], 99), str(r["programme"])))
        items = "".join(
            f'<li>{_chip(r["level"], _level_name(r["level"]))} '
            f'<span class="nsss-level-programme">{escape(names.get(r["programme"], r["programme"]))}</span></li>'
            for r in rows)
        return f'<div class="nsss-levels">{caption}<ul class="nsss-level-rows">{items}</ul></div>'
    counts = level_counts(scores)
    segments = "".join(
        f'<span class="nsss-stack-part" style="flex:{c} 1 0;background:{LEVEL_COLOURS.get(lv, "#ddd")};'
        f'color:{LEVEL_INK.get(lv, "#111")}" title="{escape(_level_name(lv))}">{escape(_count(c))}</span>'
        for lv, c in counts.items())
    key = "".join(f'<li>{_chip(lv, _count(c))} {escape(_level_name(lv))}</li>' for lv, c in counts.items())
    label = escape(_("{n} programmes by level").format(n=_count(len(scores))))
    return (f'<div class="nsss-levels">{caption}'
            f'<div class="nsss-stack" role="img" aria-label="{label}">{segments}</div>'
            f'<ul class="nsss-level-key">{key}</ul></div>')


def _budget_of(recs: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    """Each programme's budget (crore Tk) as the ranking used it, keyed by (ministry
    code, programme name normalised)."""
    if recs is None or not len(recs) or "budget_crore" not in recs.columns:
        return {}
    out: dict[tuple[str, str], float] = {}
    for row in recs[["ministry_code", "programme", "budget_crore"]].to_dict("records"):
        value = row["budget_crore"]
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        out[(str(row["ministry_code"]), normalise_key(row["programme"]))] = float(value)
    return out


def action_number(row: Mapping[str, object]) -> str:
    """The one number of an action, as the cards and the action plan workbook print it:
    its stable ``action_id`` where the plan carries one, else its row in the plan."""
    ident = row.get("action_id")
    if isinstance(ident, str) and ident:
        return ident
    return _count(int(cast(float, row["number"])))


def _action_with_number(row: Mapping[str, object]) -> str:
    """``plan graduation (MoSW-BRM6H5-GRAD)``, or ``(No. 3)`` in a plan without ids."""
    ident = row.get("action_id")
    if isinstance(ident, str) and ident:
        return _("{action} ({action_id})").format(action=_short_action(row), action_id=ident)
    return _("{action} (No. {number})").format(action=_short_action(row), number=action_number(row))


def _short_action(row: Mapping[str, object]) -> str:
    phrase = ACTION_PHRASES.get(str(row.get("item_code")))
    return _(phrase) if phrase else (action_in_words(str(row["item_code"])) or str(row["action"]))


def ask_groups(plan: pd.DataFrame, recs: pd.DataFrame | None = None) -> list[dict]:
    """The changes the ministry says are possible (follow-up ``yes``), grouped by
    programme, programmes with the largest budgets first (then by the plan's order):
    ``[{"ministry_code", "programme", "budget_crore", "actions": [row, ...]}, ...]``.
    ``recs`` gives each programme's budget: pass it re-mapped to the page's budget year
    (``summaries.with_budget_of_year``), so that no amount of another year is quoted."""
    if not len(plan):
        return []
    possible = plan[plan["followup_answer"] == "yes"]
    budgets = _budget_of(recs)
    groups: dict[tuple[str, str], dict] = {}
    for row in possible.to_dict("records"):
        key = (str(row["ministry_code"]), normalise_key(row["programme"]))
        group = groups.setdefault(key, {"ministry_code": key[0], "programme": row["programme"],
                                        "budget_crore": budgets.get(key), "actions": [], "first": row["number"]})
        if all(a["item_code"] != row["item_code"] for a in group["actions"]):
            group["actions"].append(row)
    return sorted(groups.values(), key=lambda g: (-(g["budget_crore"] or -1.0), g["first"]))


def asks_html(plan: pd.DataFrame, recs: pd.DataFrame | None = None,
              names: Mapping[str, str] | None = None, fiscal_year: str | None = None) -> str:
    """"What we ask of you": the possible changes in the programmes with the largest
    budgets, each programme once (with its budget, said to be the programme's) and its
    actions grouped, each with its number in the action plan; then how many more the
    plan holds. Several ministries (a cluster) are spoken of in the plural."""
    heading = f"<h2 class=\"nsss-ask-heading\">{escape(_(WHAT_WE_ASK))}</h2>"
    groups = ask_groups(plan, recs)
    several = plan["ministry_code"].nunique() > 1 if len(plan) else False
    if not groups:
        none = (_("the forms name no change the ministries say is possible; please answer the follow-up "
                  "questions (\"If not, can ...?\") for each gap in the action plan.") if several else
                _("the forms name no change the ministry says is possible; please answer the follow-up "
                  "questions (\"If not, can ...?\") for each gap in the action plan."))
        return f'<section class="nsss-ask">{heading}<p>{escape(none[:1].upper() + none[1:])}</p></section>'
    shown_programmes = min(len(groups), ASK_PROGRAMMES)
    if all(g["budget_crore"] is None for g in groups[:ASK_PROGRAMMES]):
        # no amount of the page's budget year to rank or quote by: no "largest budgets"
        lead = (_("Please plan these changes, which the ministries themselves say are possible (each with its id "
                  "in the action plan):") if several else
                _("Please plan these changes, which the ministry itself says are possible (each with its id in "
                  "the action plan):"))
    else:
        lead = _ranked_lead(several, shown_programmes)
    names = names or {}
    items, shown = [], 0
    for group in groups[:ASK_PROGRAMMES]:
        actions = group["actions"][: max(1, ASK_ACTIONS - shown)]
        if shown >= ASK_ACTIONS:
            break
        shown += len(actions)
        name = names.get(group["programme"], group["programme"])
        budget = group["budget_crore"]
        said = (_("{programme} (budget {budget})").format(
                    programme=name, budget=crore(budget, fiscal_year=fiscal_year, where="first_screen.asks"))
                if budget is not None else str(name))
        acts = "; ".join(_action_with_number(a) for a in actions)
        items.append(f"<li><strong>{escape(said)}</strong>: {escape(acts)}</li>")
    total = sum(len(g["actions"]) for g in groups)
    gaps = len(plan)
    rest = ngettext("The action plan (linked below) lists every gap, {gaps} in all, {possible} of them said to be "
                    "possible.",
                    "The action plan (linked below) lists every gap, {gaps} in all, {possible} of them said to be "
                    "possible.", gaps).format(gaps=_count(gaps), possible=_count(total))
    return (f'<section class="nsss-ask">{heading}<p>{escape(lead)}</p>'
            f'<ul class="nsss-ask-list">{"".join(items)}</ul><p class="nsss-ask-rest">{escape(rest)}</p></section>')


def _ranked_lead(several: bool, shown_programmes: int) -> str:
    return (ngettext("Please plan these changes, which the ministries themselves say are possible, in the "
                     "programme with the largest budget (each with its id in the action plan):",
                     "Please plan these changes, which the ministries themselves say are possible, in the "
                     "programmes with the largest budgets (each with its id in the action plan):",
                     shown_programmes) if several else
            ngettext("Please plan these changes, which the ministry itself says are possible, in its "
                     "programme with the largest budget (each with its id in the action plan):",
                     "Please plan these changes, which the ministry itself says are possible, in its "
                     "programmes with the largest budgets (each with its id in the action plan):",
                     shown_programmes))


def first_screen_html(unit: str, scores: pd.DataFrame, plan: pd.DataFrame, recs: pd.DataFrame | None = None,
                      names: Mapping[str, str] | None = None, fiscal_year: str | None = None) -> str:
    """The three parts: verdict, programmes by level, what we ask of you (amounts of
    ``recs``, said to be of ``fiscal_year``, the page's budget year)."""
    return (
        '<section class="nsss-first-screen">'
        f'<p class="nsss-verdict">{escape(verdict_line(scores, unit))}</p>'
        f"{levels_html(scores, names)}"
        f"{asks_html(plan, recs, names, fiscal_year)}</section>"
    )


# --- the national overview's first screen ---------------------------------------------
#: The national page's link to the national draft action plan (a page beside it).
NATIONAL_PLAN_PAGE = "nsss-gender-action-plan.html"


def national_verdict_line(scores: pd.DataFrame, ministries: int) -> str:
    """The national verdict in plain words: how many of the assessed programmes, across
    how many ministries and divisions, act on women's and girls' needs, and how many do
    not yet (counts only)."""
    n = len(scores)
    if not n:
        return _("No programme has been assessed yet, so there is no national diagnosis.")
    strong = int(scores["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
    unknown = int((scores["level"] == "insufficient data").sum())
    weak = n - strong - unknown
    across = ngettext("Across government ({ministries} ministry or division)",
                      "Across government ({ministries} ministries and divisions)", ministries)
    acts = ngettext("{strong} of {n} assessed programmes acts on women's and girls' needs",
                    "{strong} of {n} assessed programmes act on women's and girls' needs", strong)
    text = _("{across}: {clauses}.").format(across=across, clauses="; ".join([acts, *_other_clauses(weak, unknown)]))
    return text.format(n=_count(n), strong=_count(strong), weak=_count(weak), unknown=_count(unknown),
                       ministries=_count(ministries))


def national_ask_groups(plan: pd.DataFrame) -> list[dict]:
    """The changes the ministries say are possible (follow-up ``yes``) in the national
    plan's rows (``national_plan.national_plan``), grouped by ministry and programme,
    the programmes with the largest budgets first: ``[{"ministry_code", "programme",
    "budget_crore", "actions": [row, ...]}, ...]``."""
    if not len(plan):
        return []
    possible = plan[plan["followup_answer"] == "yes"]
    groups: dict[tuple[str, str], dict] = {}
    for order, row in enumerate(possible.to_dict("records")):
        key = (str(row["ministry_code"]), normalise_key(row["programme"]))
        group = groups.setdefault(key, {"ministry_code": key[0], "programme": row["programme"],
                                        "budget_crore": None, "actions": [], "first": order})
        budget = row.get("budget_crore")
        if budget is not None and not pd.isna(budget):
            group["budget_crore"] = max(float(budget), group["budget_crore"] or 0.0)
        if all(a["item_code"] != row["item_code"] for a in group["actions"]):
            group["actions"].append(row)
    return sorted(groups.values(), key=lambda g: (-(g["budget_crore"] or -1.0), g["first"]))


def national_asks_html(plan: pd.DataFrame, names: Mapping[tuple[str, str], tuple[str, str]] | None = None,
                       plan_page: str | None = NATIONAL_PLAN_PAGE, fiscal_year: str | None = None) -> str:
    """"What we ask of you" on the national overview, for the Cabinet Division and the
    Central Management Committee: take the national draft action plan (linked) to the
    committee, and start with the changes the ministries say are possible in the
    programmes with the largest budgets (each programme once, with its ministry and
    its budget, its actions grouped under their ids).

    ``names`` maps ``(ministry_code, programme)`` to the ``(programme, ministry)`` names
    the page prints; by default the stored ones.
    """
    heading = f"<h2 class=\"nsss-ask-heading\">{escape(_(WHAT_WE_ASK))}</h2>"
    if not len(plan):
        none = _("No form names a gap yet: there is no national action plan to take forward.")
        return f'<section class="nsss-ask">{heading}<p>{escape(none)}</p></section>'
    groups = national_ask_groups(plan)
    possible = sum(len(g["actions"]) for g in groups)
    ranked = any(g["budget_crore"] is not None for g in groups[:ASK_PROGRAMMES])
    take = ngettext("Please take the national draft action plan to the Central Management Committee: it lists "
                    "{gaps} gap in {ministries} ministries and divisions, {possible} of them said by the ministry "
                    "to be possible.",
                    "Please take the national draft action plan to the Central Management Committee: it lists "
                    "{gaps} gaps in {ministries} ministries and divisions, {possible} of them said by the ministry "
                    "to be possible.", len(plan)).format(
        gaps=_count(len(plan)), ministries=_count(plan["ministry_code"].nunique()), possible=_count(possible))
    plan_words = _("The national draft action plan")
    link = f' <a href="{escape(plan_page)}">{escape(plan_words)}</a>' if plan_page else ""
    out = [f'<section class="nsss-ask">{heading}<p>{escape(take)}{link}</p>']
    if groups:
        shown_programmes = min(len(groups), ASK_PROGRAMMES)
        lead = ngettext("Start with the changes the ministries say are possible in the programme with the "
                        "largest budget (each with its id in the action plan):",
                        "Start with the changes the ministries say are possible in the programmes with the "
                        "largest budgets (each with its id in the action plan):", shown_programmes) if ranked else \
            _("Start with the changes the ministries say are possible (each with its id in the action plan):")
        names = names or {}
        items, shown = [], 0
        for group in groups[:ASK_PROGRAMMES]:
            if shown >= ASK_ACTIONS:
                break
            actions = group["actions"][: max(1, ASK_ACTIONS - shown)]
            shown += len(actions)
            programme, ministry = names.get((group["ministry_code"], group["programme"]),
                                            (group["programme"], group["ministry_code"]))
            budget = group["budget_crore"]
            said = (_("{programme}, {ministry} (budget {budget})").format(
                        programme=programme, ministry=ministry,
                        budget=crore(budget, fiscal_year=fiscal_year, where="first_screen.asks"))
                    if budget is not None else
                    _("{programme}, {ministry}").format(programme=programme, ministry=ministry))
            acts = "; ".join(_action_with_number(a) for a in actions)
            items.append(f"<li><strong>{escape(said)}</strong>: {escape(acts)}</li>")
        out.append(f'<p>{escape(lead)}</p><ul class="nsss-ask-list">{"".join(items)}</ul>')
    out.append("</section>")
    return "".join(out)


def national_first_screen_html(scores: pd.DataFrame, ministries: int, plan: pd.DataFrame,
                               names: Mapping[tuple[str, str], tuple[str, str]] | None = None,
                               plan_page: str | None = NATIONAL_PLAN_PAGE,
                               programme_names: Mapping[str, str] | None = None,
                               fiscal_year: str | None = None) -> str:
    """The national overview's first screen in three parts: the national verdict, the
    programmes by level (a stacked bar with counts; a row per programme below
    ``SMALL_N``, named by ``programme_names``) and what we ask of the Cabinet Division
    and the Central Management Committee."""
    return (
        '<section class="nsss-first-screen">'
        f'<p class="nsss-verdict">{escape(national_verdict_line(scores, ministries))}</p>'
        f"{levels_html(scores, programme_names)}"
        f"{national_asks_html(plan, names, plan_page, fiscal_year)}</section>"
    )


def national_first_screen(tables, national: Mapping[str, object]):
    """The national overview's first screen (:func:`national_first_screen_html`), for a
    notebook cell: ``national`` is ``summaries.national_summary``; the asks come from the
    national draft action plan (``national_plan.national_plan``), names in the page's
    language."""
    from IPython.display import HTML

    language = current().language
    scores = cast("pd.DataFrame | None", national["programmes"])
    scores = scores if scores is not None else pd.DataFrame(columns=["programme", "level"])
    about = cast(pd.DataFrame, national["about"])
    ministries = int(about["n_ministries"].iloc[0]) if len(about) else 0
    plan = national_plan(tables)
    # the asks quote (and are ranked by) the national budget year's amounts only
    year = about["fiscal_year"].iloc[0] if len(about) else None
    fy = year if isinstance(year, str) and year and year != NO_BUDGET_YEAR else None
    asks = with_budget_of_year(plan, tables.budgets, fy or NO_BUDGET_YEAR) if len(plan) else plan
    names = {(str(c), p): (shown_name("programme", p, language), display_name("ministry", c, language))
             for c, p in zip(plan["ministry_code"], plan["programme"], strict=True)} if len(plan) else {}
    programme_names = {p: shown_name("programme", p, language) for p in scores["programme"]}
    return HTML(national_first_screen_html(scores, ministries, asks, names, programme_names=programme_names,
                                           fiscal_year=fy))
