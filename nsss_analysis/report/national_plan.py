"""The national draft action plan: the document the Cabinet Division takes to the Central
Management Committee (``reports/<fy>/nsss-gender-action-plan.html`` and ``.xlsx``).

Every action of every ministry (each programme counted once, in its latest round),
grouped by the 2019 guideline's themes and by NSSS cluster, with its lead ministry,
the supporting agencies the form names, whether the ministry says it is possible, the
budget at stake and, once a plan came back, its last reported status. The page opens
with a summary a CMC member reads in ten minutes (who leads what, where the gaps
concentrate: counts by cluster and by life-cycle stage) and lists every action once;
the workbook holds the same rows (:func:`write_national_plan`).

:func:`national_plan` builds the rows (pure); names go through
``reference.names.display_name`` and numbers through ``reference.numbers``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from nsss_analysis.diagnostics.progress import with_progress
from nsss_analysis.diagnostics.recommendations import action_in_words
from nsss_analysis.diagnostics.summaries import count_once, programme_keys
from nsss_analysis.io import Tables, atomic_path, formula_safe
from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import ITEM_NAMES, STAGE_NAMES
from nsss_analysis.reference.i18n import N_, Nn_, Translator, current
from nsss_analysis.reference.names import display_name
from nsss_analysis.reference.plan_form import STATUS_WORDS, STATUSES
from nsss_analysis.reference.text import sheet_title
from nsss_analysis.reference.vocab import CLUSTERS, ITEMS, LINEAGE_COLUMNS
from nsss_analysis.report import claims
from nsss_analysis.report.action_plan import POSSIBLE_WORDS, action_plan, print_setup, sheet_from_rows
from nsss_analysis.report.display import escape

#: The slug of the national plan's page and workbook.
NATIONAL_PLAN_SLUG = "nsss-gender-action-plan"
#: The guideline's themes (2019 workshop, section 5.0), in its order, with their items.
THEMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "empowerment": (N_("Empowerment of women and girls"), ("empowerment_objective", "empowerment_actions")),
    "social_capital": (N_("Social capital and voice"), ("social_capital",)),
    "norms": (N_("Norms: awareness against harmful practices"), ("norms_awareness",)),
    "skills": (N_("Skills for self-reliance"), ("skills_training",)),
    "graduation": (N_("Graduation"), ("graduation",)),
    "data_reporting": (N_("Sex-disaggregated data, gender analysis and reporting"),
                       ("sex_disaggregated_data", "gender_analysis", "gender_reporting")),
    "indicators": (N_("Gender result indicators"), ("gender_indicators",)),
}
THEME_OF_ITEM: dict[str, str] = {item: theme for theme, (_w, items) in THEMES.items() for item in items}
assert set(THEME_OF_ITEM) == set(ITEMS), "every guideline item belongs to a theme"
#: A programme whose form names no cluster.
NO_CLUSTER = "cluster not given"
NO_CLUSTER_WORDS = N_("cluster not given")
NO_STAGE_WORDS = N_("no life-cycle stage named")
NO_STATUS_WORDS = N_("no plan returned")

#: The national plan's columns: key -> header.
PLAN_HEADERS: dict[str, str] = {
    "action_id": N_("Action id"),
    "theme": N_("Theme (2019 guideline)"),
    "cluster": N_("NSSS cluster"),
    "lead_ministry": N_("Lead ministry"),
    "supporting_agencies": N_("Supporting agencies (from the form)"),
    "programme": N_("Programme"),
    "item": N_("Item"),
    "action": N_("Action (the 2019 guideline's words)"),
    "possible": N_("Possible, says the ministry"),
    "budget_crore": N_("Budget at stake (Tk crore)"),
    "status": N_("Status"),
}
WIDTHS: dict[str, int] = {"action_id": 19, "theme": 26, "cluster": 24, "lead_ministry": 30, "supporting_agencies": 34,
                          "programme": 34, "item": 24, "action": 60, "possible": 14, "budget_crore": 14, "status": 16}
SHEET = N_("National action plan")
SUMMARY_SHEET = N_("Summary")

# --- the page's words --------------------------------------------------------------
LEAD = N_("The draft action plan of the NSSS gender strategy, for the Central Management Committee: every "
          "action of every ministry and division, each gap of each assessed programme in its latest round, in "
          "the 2019 guideline's words. {actions} actions for {programmes} programmes of {ministries} ministries and "
          "divisions. The draft goes to each ministry for its review and feedback before the Committee "
          "approves it.")
WORKBOOK_LINE = N_("The full table, with the same rows, is in the workbook {file}.")
SUMMARY_HEADING = N_("Who leads what, and where the gaps concentrate")
BY_CLUSTER = N_("Actions by NSSS cluster and theme (counts)")
BY_STAGE = N_("Actions by life-cycle stage (counts; an action counts under each stage its programme names)")
BY_MINISTRY = N_("Actions by lead ministry (counts)")
POSSIBLE_COLUMN = N_("Possible, says the ministry")
BUDGET_COLUMN = N_("Budget at stake (Tk crore)")
STATUS_HEADING = N_("Status of the actions, as the returned plans say (counts)")
THEMES_HEADING = N_("The actions, by theme and cluster")
STAGE = N_("Life-cycle stage")
ACTIONS = N_("Actions")
PROGRAMMES = N_("Programmes")
TOTAL = N_("Total")
#: Under the table by lead ministry: the one fiscal year its budget totals are of.
BUDGET_YEAR_NOTE = N_("Budget at stake: each programme's amount for FY {fiscal_year}, each programme counted once.")
OTHER_YEAR_NOTE = Nn_("{n} programme whose latest amount is of another fiscal year is not in these totals (its row "
                      "below names the year).",
                      "{n} programmes whose latest amount is of another fiscal year are not in these totals (their "
                      "rows below name the year).")
#: A row's amount of another year than the plan's budget year names its year.
AMOUNT_OF_YEAR = N_("{amount} (FY {fiscal_year})")


def _list(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    if hasattr(value, "tolist"):
        return _list(value.tolist())
    return []


def national_plan(tables: Tables) -> pd.DataFrame:
    """One row per action of every ministry (programmes counted once, latest round), in
    theme, cluster, lead ministry, programme and item order. Columns: ``PLAN_HEADERS``
    keys (codes and English names, as stored) plus ``item_code``, ``ministry_code``,
    ``theme_code``, ``cluster_code``, ``lifecycle_stages`` (list), ``followup_answer``,
    ``last_status`` and the lineage columns."""
    current_tables = count_once(tables).current
    assessments = current_tables.assessments
    plan = action_plan(assessments, tables.recommendations, None, tables.scores, tables.budgets)
    plan = with_progress(plan, tables.action_progress)
    rows = {tuple(r[c] for c in LINEAGE_COLUMNS): r for r in assessments.to_dict("records")}
    recs = tables.recommendations
    budget = (dict(zip(recs["action_id"], recs["budget_crore"], strict=True))
              if recs is not None and "action_id" in recs.columns else {})
    years = (dict(zip(recs["action_id"], recs["fiscal_year"], strict=True))
             if recs is not None and {"action_id", "fiscal_year"} <= set(recs.columns) else {})
    records = []
    for r in plan.to_dict("records"):
        row = rows.get(tuple(r[c] for c in LINEAGE_COLUMNS), {})
        cluster = row.get("cluster") if isinstance(row.get("cluster"), str) and row.get("cluster") else NO_CLUSTER
        money = budget.get(r["action_id"])
        records.append({
            "action_id": r["action_id"], "theme": THEME_OF_ITEM[r["item_code"]], "cluster": cluster,
            "lead_ministry": r["ministry_code"],
            "supporting_agencies": [a.strip() for a in str(r["supporting_agencies"]).split(";") if a.strip()],
            "programme": r["programme"], "item": r["item_code"], "action": r["action"],
            "possible": r["followup_answer"] if r["followup_answer"] in POSSIBLE_WORDS else "",
            "budget_crore": float(money) if money is not None and not pd.isna(money) else math.nan,
            "status": r["last_status"],
            "fiscal_year": _year(years.get(r["action_id"])) if money is not None and not pd.isna(money) else "",
            "item_code": r["item_code"], "ministry_code": r["ministry_code"],
            "lifecycle_stages": _list(row.get("lifecycle_stages")),
            "followup_answer": r["followup_answer"],
            **{c: r[c] for c in LINEAGE_COLUMNS},
        })
    columns = [*PLAN_HEADERS, "fiscal_year", "item_code", "ministry_code", "lifecycle_stages", "followup_answer",
               *LINEAGE_COLUMNS]
    out = pd.DataFrame(records, columns=columns)
    if not len(out):
        return out
    theme_order = {t: i for i, t in enumerate(THEMES)}
    cluster_order = {c: i for i, c in enumerate([*CLUSTERS, NO_CLUSTER])}
    out = out.assign(
        _t=out["theme"].map(theme_order), _c=out["cluster"].map(lambda c: cluster_order.get(c, len(cluster_order))),
        _m=out["ministry_code"].map(lambda c: display_name("ministry", c, "en").lower()),
        _p=out["programme"].str.lower(), _i=out["item_code"].map(ITEMS.index),
    ).sort_values(["_t", "_c", "_m", "_p", "_i", "action_id"], kind="stable")
    return out.drop(columns=["_t", "_c", "_m", "_p", "_i"]).reset_index(drop=True)


def _year(value: object) -> str:
    return str(value) if isinstance(value, str) and value else ""


def budget_year(plan: pd.DataFrame) -> str | None:
    """The plan's budget year: the latest fiscal year of the amounts at stake (each
    programme's latest year with a figure, as its ministry's plan ranks by it). The
    totals by lead ministry are of this year only; a row of another year names it."""
    years = [y for y in plan.get("fiscal_year", pd.Series([], dtype="str")) if _year(y)] if len(plan) else []
    return max(years) if years else None


def _amount(row: Mapping, year: str | None, lang: str, t: Translator, where: str) -> str:
    """A row's budget at stake as a claim of its fiscal year, naming the year when it
    is not the plan's budget year; empty without an amount."""
    if pd.isna(row["budget_crore"]):
        return ""
    fy = _year(row.get("fiscal_year")) or None
    text = str(claims.crore(row["budget_crore"], fiscal_year=fy, where=where,
                            programmes=[f"{row['ministry_code']}/{row['programme']}"]))
    if fy and fy != year:
        return t(AMOUNT_OF_YEAR).format(amount=text, fiscal_year=numbers.fiscal_year(fy, lang))
    return text


def plan_in_words(plan: pd.DataFrame, translate: Translator | None = None) -> pd.DataFrame:
    """The national plan's ``PLAN_HEADERS`` columns as a reader sees them in
    ``translate``'s language: names through ``display_name``, words through the
    catalogue, the budget through ``reference.numbers``; the id as it is."""
    t = translate or current()
    lang = t.language
    year = budget_year(plan)
    rows = []
    for r in plan.to_dict("records"):
        rows.append({
            "action_id": r["action_id"],
            "theme": t(THEMES[r["theme"]][0]),
            "cluster": display_name("cluster", r["cluster"], lang) if r["cluster"] != NO_CLUSTER else t(NO_CLUSTER_WORDS),
            "lead_ministry": display_name("ministry", r["lead_ministry"], lang),
            "supporting_agencies": "; ".join(display_name("agency", a, lang) for a in r["supporting_agencies"]),
            "programme": display_name("programme", r["programme"], lang),
            "item": t(ITEM_NAMES.get(r["item_code"], r["item_code"])),
            "action": action_in_words(r["item_code"], t) or r["action"],
            "possible": t(POSSIBLE_WORDS[r["possible"]]) if r["possible"] in POSSIBLE_WORDS else "",
            "budget_crore": _amount(r, year, lang, t, "national_plan.action"),
            "status": t(STATUS_WORDS[r["status"]]) if r["status"] in STATUS_WORDS else t(NO_STATUS_WORDS),
        })
    return pd.DataFrame(rows, columns=list(PLAN_HEADERS)).astype("str")


# --- summaries (counts) -----------------------------------------------------------
def by_cluster(plan: pd.DataFrame) -> pd.DataFrame:
    """Cluster x theme: the number of actions (``cluster``, one column per theme, ``total``)."""
    clusters = [c for c in [*CLUSTERS, NO_CLUSTER] if c in set(plan["cluster"])]
    rows = []
    for c in clusters:
        own = plan[plan["cluster"] == c]
        rows.append({"cluster": c, **{t: int((own["theme"] == t).sum()) for t in THEMES}, "total": len(own)})
    return pd.DataFrame(rows, columns=["cluster", *THEMES, "total"])


def by_stage(plan: pd.DataFrame) -> pd.DataFrame:
    """Life-cycle stage: actions and programmes whose programme names it (``stage``,
    ``actions``, ``programmes``); ``none`` for programmes naming no stage."""
    rows = []
    for stage in [*STAGE_NAMES, ""]:
        own = plan[plan["lifecycle_stages"].map(lambda s, st=stage: st in s if st else not s)]
        if stage in ("none", "") and not len(own):
            continue
        rows.append({"stage": stage, "actions": len(own),
                     "programmes": own[["ministry_code", "programme"]].drop_duplicates().shape[0]})
    return pd.DataFrame(rows, columns=["stage", "actions", "programmes"])


def by_ministry(plan: pd.DataFrame) -> pd.DataFrame:
    """Lead ministry: actions, those it says are possible, and the budget at stake in
    the plan's budget year (:func:`budget_year`; each programme's amount once):
    ``budget_keys`` the programmes summed, ``other_year`` how many programmes have an
    amount of another year only (left out of the total)."""
    year = budget_year(plan)
    rows = []
    for code, own in plan.groupby("ministry_code", sort=False):
        once = own.drop_duplicates(["programme"])
        with_money = once[once["budget_crore"].notna()]
        of_year = with_money[with_money["fiscal_year"] == year] if "fiscal_year" in once.columns else with_money
        rows.append({"ministry_code": code, "actions": len(own), "possible": int((own["possible"] == "yes").sum()),
                     "programmes": own["programme"].nunique(),
                     "budget_crore": float(of_year["budget_crore"].sum()) if len(of_year) else math.nan,
                     "budget_keys": programme_keys(of_year), "other_year": len(with_money) - len(of_year),
                     "programme_keys": programme_keys(once)})
    out = pd.DataFrame(rows, columns=["ministry_code", "actions", "possible", "programmes", "budget_crore",
                                      "budget_keys", "other_year", "programme_keys"])
    return out.assign(_n=out["ministry_code"].map(lambda c: display_name("ministry", c, "en").lower())
                      ).sort_values("_n").drop(columns="_n").reset_index(drop=True)


def by_status(plan: pd.DataFrame) -> dict[str, int]:
    """Status code (``""``: no plan returned) -> number of actions."""
    return {s: int((plan["status"] == s).sum()) for s in ["", *STATUS_WORDS] if (plan["status"] == s).any()}


# --- the page -----------------------------------------------------------------------
def _count(value: object, **meta: object) -> str:
    """A count of actions, programmes or ministries, printed as a claim of the page."""
    return str(claims.count(int(value), **({"where": "national_plan"} | meta)))  # type: ignore[call-overload, arg-type]


def _table(header: list[str], rows: Sequence[Sequence[object]], numeric: AbstractSet[int] = frozenset(), css: str = "") -> str:
    def cell(i: int, v: object, tag: str = "td") -> str:
        align = "right" if i in numeric else "left"
        return f'<{tag} style="text-align:{align};vertical-align:top">{escape(v)}</{tag}>'

    head = "".join(cell(i, h, "th") for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="nsss-scroll"><table class="nsss-table {css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def lead_html(plan: pd.DataFrame, slug: str | None) -> str:
    """The page's opening paragraph and the workbook's link."""
    t = current()
    keys = programme_keys(plan[["ministry_code", "programme"]].drop_duplicates()) if len(plan) else []
    where = "national_plan.lead"
    text = t(LEAD).format(actions=_count(len(plan), where=where),
                          programmes=_count(len(keys), programmes=keys, where=where),
                          ministries=_count(plan["ministry_code"].nunique() if len(plan) else 0, where=where))
    out = f"<p>{escape(text)}</p>"
    if slug:
        file = f"{slug}.xlsx"
        out += "<p>" + escape(t(WORKBOOK_LINE)).format(file=f'<a href="{escape(file)}">{escape(file)}</a>') + "</p>"
    return out


def summary_html(plan: pd.DataFrame) -> str:
    """Who leads what and where the gaps concentrate: counts by cluster and theme, by
    life-cycle stage, by lead ministry, and by reported status."""
    t = current()
    lang = t.language
    out = []
    cl = by_cluster(plan)
    header = [t(N_("NSSS cluster")), *(t(THEMES[k][0]) for k in THEMES), t(TOTAL)]
    rows = [[display_name("cluster", r["cluster"], lang) if r["cluster"] != NO_CLUSTER else t(NO_CLUSTER_WORDS),
             *(_count(r[k], where="national_plan.by_cluster") for k in THEMES),
             _count(r["total"], where="national_plan.by_cluster")] for r in cl.to_dict("records")]
    out.append(f"<h3>{escape(t(BY_CLUSTER))}</h3>" + _table(header, rows, set(range(1, len(header))), "nsss-plan-clusters"))
    st = by_stage(plan)
    rows = [[t(STAGE_NAMES[r["stage"]]) if r["stage"] else t(NO_STAGE_WORDS),
             _count(r["actions"], where="national_plan.by_stage"), _count(r["programmes"], where="national_plan.by_stage")]
            for r in st.to_dict("records")]
    out.append(f"<h3>{escape(t(BY_STAGE))}</h3>"
               + _table([t(STAGE), t(ACTIONS), t(PROGRAMMES)], rows, {1, 2}, "nsss-plan-stages"))
    mi = by_ministry(plan)
    year = budget_year(plan)
    where = "national_plan.by_ministry"
    rows = [[display_name("ministry", r["ministry_code"], lang), _count(r["actions"], where=where),
             _count(r["possible"], where=where),
             _count(r["programmes"], where=where, programmes=r["programme_keys"]),
             str(claims.crore(r["budget_crore"], fiscal_year=year, programmes=r["budget_keys"], where=where))
             if not pd.isna(r["budget_crore"]) else ""]
            for r in mi.to_dict("records")]
    notes = ""
    if year:
        notes = f"<p>{escape(t(BUDGET_YEAR_NOTE).format(fiscal_year=numbers.fiscal_year(year, lang)))}</p>"
        other = int(mi["other_year"].sum()) if len(mi) else 0
        if other:
            notes += "<p>" + escape(t.ngettext(*OTHER_YEAR_NOTE, other).format(
                n=_count(other, where=where))) + "</p>"
    out.append(f"<h3>{escape(t(BY_MINISTRY))}</h3>" + _table(
        [t(N_("Lead ministry")), t(ACTIONS), t(POSSIBLE_COLUMN), t(PROGRAMMES), t(BUDGET_COLUMN)], rows, {1, 2, 3, 4},
        "nsss-plan-ministries") + notes)
    status = by_status(plan)
    if set(status) - {""}:
        rows = [[t(STATUS_WORDS[s]) if s else t(NO_STATUS_WORDS), _count(n, where="national_plan.by_status")]
                for s, n in status.items()]
        out.append(f"<h3>{escape(t(STATUS_HEADING))}</h3>" + _table([t(N_("Status")), t(ACTIONS)], rows, {1}))
    return "".join(out)


def themes_html(plan: pd.DataFrame) -> str:
    """Every action once, grouped by theme then cluster: the action's words once per
    item, then a row per programme (id, lead ministry, programme, supporting agencies,
    possible, budget at stake, status)."""
    t = current()
    words = plan_in_words(plan, t)
    keys = ["action_id", "lead_ministry", "programme", "item", "supporting_agencies", "possible", "budget_crore",
            "status"]
    header = [t(PLAN_HEADERS[k]) for k in keys]
    out = []
    for theme in THEMES:
        in_theme = plan["theme"] == theme
        if not in_theme.any():
            continue
        items = [i for i in THEMES[theme][1] if (plan.loc[in_theme, "item_code"] == i).any()]
        actions = "".join(f"<li>{escape(action_in_words(i, t))}</li>" for i in items)
        n = _count(int(in_theme.sum()), where="national_plan.theme")
        out.append(f'<h3>{escape(t(THEMES[theme][0]))} ({escape(n)})</h3>'
                   f"<ul>{actions}</ul>")
        for cluster in [*CLUSTERS, NO_CLUSTER]:
            mask = in_theme & (plan["cluster"] == cluster)
            if not mask.any():
                continue
            name = display_name("cluster", cluster, t.language) if cluster != NO_CLUSTER else t(NO_CLUSTER_WORDS)
            rows = words.loc[mask, keys].values.tolist()
            out.append(f"<h4>{escape(name)}</h4>" + _table(header, rows, {6}, "nsss-plan-actions"))
    return "".join(out)


def _display(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def lead(plan: pd.DataFrame, slug: str | None):
    return _display(lead_html(plan, slug))


def summary(plan: pd.DataFrame):
    return _display(summary_html(plan))


def themes(plan: pd.DataFrame):
    return _display(themes_html(plan))


# --- the workbook -------------------------------------------------------------------
def write_national_plan(plan: pd.DataFrame, target: Path | str, translate: Translator | None = None) -> None:
    """The national plan's workbook, atomically, in ``translate``'s language: sheet
    ``National action plan`` (every row of the page; a status drop-down; the id and
    action columns locked, without a password) and sheet ``Summary`` (the counts)."""
    t = translate or current()
    words = plan_in_words(plan, t)
    keys = list(PLAN_HEADERS)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(t(SHEET))
    sheet_from_rows(ws, [t(PLAN_HEADERS[k]) for k in keys], words[keys].values.tolist(), [WIDTHS[k] for k in keys])
    choices = [t(s) for s in STATUSES.values()]
    status_col = get_column_letter(keys.index("status") + 1)
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showErrorMessage=True)
    dv.add(f"{status_col}2:{status_col}{len(plan) + 201}")
    ws.add_data_validation(dv)
    locked = {keys.index(k) + 1 for k in ("action_id", "action")}
    for col in range(1, len(keys) + 1):
        ws.column_dimensions[get_column_letter(col)].protection = Protection(locked=False)
        for row in range(1, len(plan) + 2):
            ws.cell(row=row, column=col).protection = Protection(locked=row == 1 or col in locked)
    ws.protection.sheet = True
    ws.protection.sort = False
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    summary_ws = wb.create_sheet(sheet_title(t(SUMMARY_SHEET)))
    file, year = Path(target).name, budget_year(plan)
    money_keys = list(by_ministry(plan)["budget_keys"]) if len(plan) else []
    for title, table in _summary_tables(plan, t).items():
        summary_ws.append([formula_safe(title)])
        for i, r in enumerate(table):
            summary_ws.append([formula_safe(v) if isinstance(v, str) else v for v in r])
            row = summary_ws.max_row
            for col, v in enumerate(r, start=1):  # each figure cell is a claim of the plan's ledger
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue
                money = isinstance(v, float)
                meta = {"fiscal_year": year, "programmes": money_keys[i - 1]} if money and title == t(BY_MINISTRY) \
                    and 0 < i <= len(money_keys) else {}
                claims.workbook_cell(v, "crore" if money else "count", file, summary_ws.title,
                                     f"{get_column_letter(col)}{row}", **meta)
        summary_ws.append([])
    summary_ws.column_dimensions["A"].width = 45
    print_setup(summary_ws)
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _summary_tables(plan: pd.DataFrame, t: Translator) -> Mapping[str, Sequence[Sequence[object]]]:
    lang = t.language
    cl = by_cluster(plan)
    st = by_stage(plan)
    mi = by_ministry(plan)
    return {
        t(BY_CLUSTER): [[t(N_("NSSS cluster")), *(t(THEMES[k][0]) for k in THEMES), t(TOTAL)]] + [
            [display_name("cluster", r["cluster"], lang) if r["cluster"] != NO_CLUSTER else t(NO_CLUSTER_WORDS),
             *(int(r[k]) for k in THEMES), int(r["total"])] for r in cl.to_dict("records")],
        t(BY_STAGE): [[t(STAGE), t(ACTIONS), t(PROGRAMMES)]] + [
            [t(STAGE_NAMES[r["stage"]]) if r["stage"] else t(NO_STAGE_WORDS), int(r["actions"]), int(r["programmes"])]
            for r in st.to_dict("records")],
        t(BY_MINISTRY): [[t(N_("Lead ministry")), t(ACTIONS), t(POSSIBLE_COLUMN), t(PROGRAMMES), t(BUDGET_COLUMN)]] + [
            [display_name("ministry", r["ministry_code"], lang), int(r["actions"]), int(r["possible"]),
             int(r["programmes"]), None if pd.isna(r["budget_crore"]) else round(float(r["budget_crore"]), 2)]
            for r in mi.to_dict("records")],
    }


def national_plan_file(slug: str = NATIONAL_PLAN_SLUG) -> str:
    """The workbook's file name beside the page ``<slug>.html``."""
    return f"{slug}.xlsx"

