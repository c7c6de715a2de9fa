"""The programme card, the first screen and the page stylesheet: a ministry report
whose unit is the programme, for an official rather than an analyst.

- :func:`first_screen_html`: the verdict in plain words, the programmes by level and
  "what we ask of you" (:mod:`nsss_analysis.report.first_screen`); below it,
  :func:`in_figures_html`: the analyst's sentences, what the levels mean, the forms on
  record;
- :func:`programme_card_html`: every field of the form for one programme, the ten
  items and their follow-ups in plain words, level with the rule that set it, scores,
  budgets and beneficiaries over the years on record, MIS coverage by sex, data-quality
  notes and the programme's actions (never truncated);

The page's print and narrow-screen stylesheet (classes ``nsss-card``, ``nsss-scroll``
...) is ``nsss_analysis/runner/templates/nsss_report.css``, included by the report template.

Every value from a form goes through :func:`nsss_analysis.report.display.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.budgets import budget_plausibility
from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.recommendations import ITEM_FOLLOWUP, action_in_words
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE, SMALL_N
from nsss_analysis.diagnostics.summaries import count_once, disputed_of
from nsss_analysis.diagnostics.tracker import SUBMITTED, submission_tracker, tracker_in_words, tracker_summary
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.intake.reasons import reason_in_words as quarantine_reason
from nsss_analysis.io import Tables
from nsss_analysis.mis import coverage as mis_coverage
from nsss_analysis.reference.clusters import cluster_reach
from nsss_analysis.reference.glossary import LEVEL_NAMES
from nsss_analysis.reference.grammar import Name, join_list
from nsss_analysis.reference.i18n import N_, SOURCE_LANGUAGE, _, current, ngettext
from nsss_analysis.reference.names import display_names, shown_name, split_names
from nsss_analysis.reference.numbers import date, localise_digits, number
from nsss_analysis.reference.vocab import (
    ITEMS,
    LEVELS,
    LINEAGE_COLUMNS,
    load_reference,
    normalise_key,
)
from nsss_analysis.report import claims, figures, narrative, progress
from nsss_analysis.report import first_screen as screen
from nsss_analysis.report.action_plan import distinct_rows
from nsss_analysis.report.display import MISSING, escape, figure
from nsss_analysis.report.downloads import links_html
from nsss_analysis.report.labels import ITEM_LABELS, label
from nsss_analysis.report.level_rule import level_rule_in_words
from nsss_analysis.report.wording import count_share, join_words

#: One line per level, where a level name is first used (the scale is the WHO Gender
#: Responsive Assessment Scale; its name stays in the method note).
LEVEL_GLOSS: dict[str, str] = {
    "insufficient data": N_("too few of the ten questions were answered to judge"),
    "gender-blind": N_("takes no account of differences between women and men"),
    "gender-sensitive": N_("recognises differences between women and men but does not act on them"),
    "gender-specific": N_("acts on the needs of women or girls (or men) to reach its goals"),
    "gender-transformative": N_("sets out to change the norms and relations that keep women unequal"),
}

#: How the form's answer to each item reads in a sentence: (yes, partly, no).
ITEM_PHRASES: dict[str, tuple[str, str, str]] = {
    "graduation": (N_("planned"), N_("partly planned"), N_("not planned")),
    "empowerment_objective": (N_("an objective"), N_("partly an objective"), N_("not an objective")),
    "empowerment_actions": (N_("in place"), N_("partly in place"), N_("not in place")),
    "social_capital": (N_("included"), N_("partly included"), N_("not included")),
    "norms_awareness": (N_("included"), N_("partly included"), N_("not included")),
    "skills_training": (N_("strong"), N_("partly there"), N_("not there")),
    "sex_disaggregated_data": (N_("collected"), N_("partly collected"), N_("not collected")),
    "gender_analysis": (N_("used"), N_("partly used"), N_("not used")),
    "gender_reporting": (N_("practised"), N_("partly practised"), N_("not practised")),
    "gender_indicators": (N_("identified"), N_("partly identified"), N_("not identified")),
}

#: How the follow-up ("If not, can ...?") reads after the item's answer.
FOLLOWUP_PHRASES: dict[str, str] = {
    "yes": N_("the ministry says it could be"),
    "no": N_("the ministry says it cannot be for now"),
    "unknown": N_("whether it could be is not known"),
}

#: Words the card shows from inside f-strings, where ``pybabel extract`` does not look:
#: marked here so that they reach the catalogue.
CARD_WORDS: tuple[str, ...] = (
    N_("No gap to act on: every item is answered yes or does not apply."),
    N_("Level: {level}"),
    N_("No budget or beneficiary figures on record."),
    N_("No beneficiary list (MIS extract) on record for this programme."),
    N_("No data-quality note."),
    N_("The ten questions"),
    N_("Budget and beneficiaries"),
    N_("Beneficiary list (MIS) by sex"),
    N_("Data quality"),
    N_("Actions"),
    # the action plan's "possible" column, shown in the card's action list
    N_("not known"),
    N_("no follow-up question"),
    N_("Form and MIS disagree: {disagreement}"),
    N_("No intended reach is on record for this cluster."),
    N_("What the cluster is meant to reach: {source}."),
)

def _agencies(value: object) -> str:
    """Supporting agencies (a list, or a cell joined with ";") as the page prints them:
    each in the page's language where the reference data knows it (``reference.names``)."""
    return join_list(display_names("agency", value, current().language), language=current().language) \
        if current().language != SOURCE_LANGUAGE else "; ".join(split_names(value))


def programme_name(code: object, programme: object) -> str:
    """A programme's name in the current language (``reference.names``): on a Bangla
    page its published Bangla name where the catalogue has one, else the form's name;
    the form's name on an English page (its English name when the form wrote Bangla)."""
    return Name(shown_name("programme", programme, current().language))


def item_in_words(item: str, answer: object, followup_answer: object = None) -> str:
    """``Graduation: not planned; the ministry says it could be``."""
    answer = answer if isinstance(answer, str) and answer else "unknown"
    yes, partly, no = ITEM_PHRASES.get(item, ("yes", "partly", "no"))
    said = {"yes": yes, "partly": partly, "no": no, "not_applicable": N_("does not apply to this programme"),
            "unknown": N_("not known (the form gives no answer)")}.get(answer, answer)
    text = f"{_(ITEM_LABELS.get(item, label(item)))}: {_(said)}"
    if answer in ("no", "partly", "unknown") and isinstance(followup_answer, str) and followup_answer in FOLLOWUP_PHRASES:
        text += "; " + _(FOLLOWUP_PHRASES[followup_answer])
    return text


def _list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def _text(value: object) -> str:
    return "" if is_missing(value) or value is pd.NA else str(value).strip()


def duration_words(row: Mapping[str, object]) -> str:
    """``since 2010-11, ongoing`` / ``2019-20 to 2023-24`` / ``not given``."""
    start, end = _text(row.get("start_fy")), _text(row.get("end_fy"))
    ongoing = row.get("ongoing")
    ongoing = bool(ongoing) if ongoing is not None and ongoing is not pd.NA else False
    start, end = _digits(start), _digits(end)
    if start and end:
        return _("{start} to {end}").format(start=start, end=end)
    if start:
        return (_("since {start}, ongoing") if ongoing else _("since {start}; end not given")).format(start=start)
    if end:
        return _("start not given; ends {end}").format(end=end)
    return _("ongoing; start year not given") if ongoing else _("not given")


# --- first screen ---------------------------------------------------------------
def level_counts(scores: pd.DataFrame) -> dict[str, int]:
    """Programmes per level, most gender-responsive first (levels with none left out)."""
    counts = scores["level"].value_counts()
    return {lv: int(counts[lv]) for lv in reversed(LEVELS) if lv in counts.index}


def _digits(value: object, **meta: object) -> str:
    """A number or date in the current language's digits (English: as written); a
    whole number is a claim of the page's ledger."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = localise_digits(str(value), current().language)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(claims.figure(int(value), str(meta.pop("unit", "count")), text, **({"where": "cards"} | meta)))
    return text


def _word(value: object) -> object:
    """A word from the data (an item label, an answer) in the current language."""
    return _(value) if isinstance(value, str) and value else value


def _programmes(n: int) -> Name:
    """"n programmes", ready for a Bangla case ending (``{programmes:gen}``)."""
    return Name(ngettext("{n} programme", "{n} programmes", n).format(n=_number(n)))


def verdict(scores: pd.DataFrame, unit: str) -> str:
    """The first screen's verdict in plain words (:func:`screen.verdict_line`)."""
    return screen.verdict_line(scores, unit)


def levels_key(scores: pd.DataFrame) -> str:
    """What each level of the unit's programmes means, with its count: one line under
    the analyst's sentences (the first screen shows the counts, not the definitions)."""
    counts = level_counts(scores)
    if not counts:
        return ""
    parts = [_("{count} {level} ({gloss})").format(count=_digits(c), level=_(LEVEL_NAMES.get(lv, lv)),
                                                   gloss=_(LEVEL_GLOSS[lv]))
             for lv, c in counts.items()]
    return _("What the levels mean: {levels}.").format(levels=join_words(parts, _("and")))


def submission_line(assessments: pd.DataFrame) -> str:
    """The assessment round and the date the form was received (the workbook's own
    date, never a file time), per submitted file."""
    if not len(assessments):
        return ""
    round_col = "assessment_round" if "assessment_round" in assessments.columns else "assessment_fy"
    parts = []
    for file, rows in assessments.groupby("source_file", sort=True):
        rnd = _text(rows[round_col].iloc[0]) if round_col in rows.columns else ""
        received = _text(rows["received_date"].iloc[0]) if "received_date" in rows.columns else ""
        received = received[:10] if received else ""
        parts.append(_("{file}: round {round}, received {received}").format(
            file=file, round=_digits(rnd) if rnd else _("not stated"),
            received=date(received) if received else _("date not recorded")))
    return ngettext("Form on record: {forms}.", "Forms on record: {forms}.", len(parts)).format(
        forms="; ".join(parts))


def national_in_counts(scores_all: pd.DataFrame, own: pd.DataFrame, unit: str) -> str:
    """The national comparison of a small unit, as one sentence in counts; the national
    figure is counted the same way as the unit's (``scores_all``: each programme once,
    in its latest round) and printed with its own interval."""
    strong = scores_all["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE)
    mine = own["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE)
    k, n_all = int(strong.sum()), len(scores_all)
    low, high = wilson_interval(k, n_all) if n_all else (math.nan, math.nan)
    values = {"mine": _number(int(mine.sum())), "programmes": _programmes(len(own)), "unit": Name(unit),
              "national": count_share(k, n_all, low, high), "small_n": _digits(SMALL_N)}
    if is_small(own):
        text = ngettext("{mine} of {programmes} of {unit} is gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round); with fewer "
                        "than {small_n} programmes no share or interval is drawn.",
                        "{mine} of {programmes} of {unit} are gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round); with fewer "
                        "than {small_n} programmes no share or interval is drawn.", len(own))
    else:
        text = ngettext("{mine} of {programmes} of {unit} is gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round).",
                        "{mine} of {programmes} of {unit} are gender-specific or gender-transformative, against "
                        "{national} across all ministries (each programme once, in its latest round).", len(own))
    return text.format(**values)


def is_small(scores: pd.DataFrame) -> bool:
    """Fewer than ``SMALL_N`` programmes: the report is the cards and the action plan."""
    return len(scores) < SMALL_N


def which_form_stands(disputed: pd.DataFrame | None) -> str:
    """The first screen's question on disputed programmes (two differing forms, nothing
    telling which is later), naming them; empty when there are none."""
    if disputed is None or not len(disputed):
        return ""
    names = [programme_name(c, p) for c, p in
             disputed.drop_duplicates("dispute")[["ministry_code", "programme"]].itertuples(index=False)]
    return ngettext(
        "Which form stands? {n} programme came in two differing forms and nothing tells which is the later "
        "one: {names}. Its card shows both; until you say which stands, it is left out of every figure.",
        "Which form stands? {n} programmes came in two differing forms and nothing tells which is the later "
        "one: {names}. Their cards show both; until you say which stands, they are left out of every figure.",
        len(names)).format(n=_number(len(names)), names=join_words(names, _("and")))


def programme_names(scores: pd.DataFrame) -> dict[str, str]:
    """Each scored programme's name as the page prints it (:func:`programme_name`)."""
    if not len(scores):
        return {}
    return {row["programme"]: programme_name(row["ministry_code"], row["programme"])
            for row in scores[["ministry_code", "programme"]].to_dict("records")}


def first_screen_html(unit: str, scores: pd.DataFrame, assessments: pd.DataFrame, plan: pd.DataFrame,
                      recs: pd.DataFrame | None = None, disputed: pd.DataFrame | None = None) -> str:
    """The first screen in three parts (:mod:`nsss_analysis.report.first_screen`):
    verdict, programmes by level, what we ask of you; escaped. ``recs`` (the
    recommendations) gives each programme's budget. With ``disputed`` programmes (two
    differing forms, nothing telling which is later) it first asks which form stands."""
    html = screen.first_screen_html(unit, scores, plan, recs, programme_names(scores))
    question = which_form_stands(disputed)
    if not question:
        return html
    block = f'<p class="nsss-disputed"><strong>{escape(question)}</strong></p>'
    end = html.rfind("</section>")
    return html[:end] + block + html[end:] if end >= 0 else html + block


def in_figures_html(scores: pd.DataFrame, assessments: pd.DataFrame, sentences: Sequence[str] = ()) -> str:
    """Below the first screen: the analyst's sentences, what the levels mean and the
    forms on record (round and date received)."""
    bullets = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    return (f"<h2>{escape(_(screen.ANALYSIS_HEADING))}</h2>"
            + (f'<ul class="nsss-headline">{bullets}</ul>' if bullets else "")
            + f"<p>{escape(levels_key(scores))}</p><p>{escape(submission_line(assessments))}</p>")


# --- the programme card ----------------------------------------------------------
def _dl(pairs: Iterable[tuple[str, str]]) -> str:
    """The card's fields as a two-column table (a ``dl`` grid fights JupyterLab's styles)."""
    rows = "".join(
        f'<tr><th scope="row" style="text-align:left;vertical-align:top">{escape(k)}</th>'
        f'<td style="text-align:left;vertical-align:top">{escape(v) if v else MISSING}</td></tr>'
        for k, v in pairs)
    return f'<table class="nsss-fields"><tbody>{rows}</tbody></table>'


#: Inline alignment: JupyterLab's stylesheet right-aligns every cell, and an inline style wins.
_ALIGN = {"num": "text-align:right;vertical-align:top", "txt": "text-align:left;vertical-align:top"}


def _small_table(header: Sequence[str], rows: Iterable[Sequence[object]], numeric_from: int = 1) -> str:
    head = "".join(f'<th style="{_ALIGN["num" if i >= numeric_from else "txt"]}">{escape(h)}</th>'
                   for i, h in enumerate(header))

    def cell(i: int, v: object) -> str:
        kind = "num" if i >= numeric_from else "txt"
        return f'<td class="{kind}" style="{_ALIGN[kind]}">{escape(v) if v not in (None, "") else MISSING}</td>'

    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return (f'<div class="nsss-scroll"><table class="nsss-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _number(value: object, digits: int = 0, unit: str = "number", **meta: object) -> str:
    if is_missing(value):
        return ""
    # one rounding (half away from zero) in every language, so both pages print the same
    # figure; Bangla digits and lakh grouping: ৬,৪১,০০০
    text = number(float(value), current().language, digits)
    return str(claims.figure(float(value), unit, text, **({"where": "cards"} | meta)))


def _share(women: object, total: object) -> str:
    if is_missing(women) or is_missing(total) or float(total) <= 0:
        return ""
    of = {"numerator": women, "denominator": total, "n": total, "where": "cards.women_share"}
    if float(total) < SMALL_N:
        text = _("{women} of {total}").format(women=localise_digits(str(int(women)), current().language),
                                              total=localise_digits(str(int(total)), current().language))
        return str(claims.figure(int(women), "count", text, **of))
    share = float(women) / float(total)
    return str(claims.figure(share, "percent", localise_digits(f"{share * 100:.1f}%", current().language), **of))


def _same_programme(df: pd.DataFrame | None, code: str, programme: str) -> pd.DataFrame:
    if df is None or not len(df):
        return pd.DataFrame()
    key = normalise_key(programme)
    return df[(df["ministry_code"] == code) & (df["programme"].map(normalise_key) == key)]


def budget_rows(budgets: pd.DataFrame | None, code: str, programme: str) -> list[list[object]]:
    """Fiscal year, budget, beneficiaries, women, women's share (one row per year on record)."""
    b = _same_programme(budgets, code, programme)
    if not len(b):
        return []
    b = b.sort_values(["fiscal_year", "source_file", "source_row"]).drop_duplicates("fiscal_year", keep="last")
    return [[_digits(r["fiscal_year"]), _number(r["budget_crore"], 1), _number(r["beneficiaries"]),
             _number(r["women_beneficiaries"]), _share(r["women_beneficiaries"], r["beneficiaries"])]
            for r in b.to_dict("records")]


def coverage_rows(coverage: pd.DataFrame | None, code: str, programme: str) -> list[list[object]]:
    """MIS beneficiaries counted, women, women's share, per fiscal year of the extract."""
    c = _same_programme(coverage, code, programme)
    if not len(c):
        return []
    shares = mis_coverage.women_share_by_programme(c)
    return [[_digits(r["fiscal_year"]), _number(r["total"]), _number(r["women"]), _share(r["women"], r["total"])]
            for r in shares.to_dict("records")]


def _column_name(column: object, english: str | None = None) -> str:
    """A column of the form as a note names it: ``english`` (default: the code, as
    stored) in English, the form's label in another language; ``(row)`` for a whole row."""
    code = _text(column)
    if not code:
        return _("(row)")
    if current().language == SOURCE_LANGUAGE:
        return code if english is None else english
    return _(ITEM_LABELS.get(code) or _form_labels().get(code) or label(code))


@cache
def _form_labels() -> dict[str, str]:
    return {c.column: c.label for sheet in ("Programmes", "Budget") for c in load_reference().columns_of(sheet)}


#: A budget's plausibility flag (:func:`nsss_analysis.diagnostics.budgets.plausibility_flag`), in words.
FLAG_WORDS: dict[str, str] = {
    "about": N_("about {factor}x"),
    "ratio": N_("ratio {ratio}: check"),
}


def flag_in_words(flag: object) -> str:
    """``about 10x`` / ``ratio 0.02: check`` in the current language (digits localised)."""
    text = _text(flag)
    language = current().language
    if language == SOURCE_LANGUAGE or not text:
        return text
    if text.startswith("about ") and text.endswith("x"):
        return _(FLAG_WORDS["about"]).format(factor=localise_digits(text[6:-1], language))
    if text.startswith("ratio ") and text.endswith(": check"):
        return _(FLAG_WORDS["ratio"]).format(ratio=localise_digits(text[6:-7], language))
    return localise_digits(text, language)


def quality_notes(row: Mapping[str, object], tables: Tables) -> list[str]:
    """Unknown answers, quarantined cells of this row, conflicts and flagged budgets."""
    notes = []
    unknown = [_(ITEM_LABELS[i]) for i in ITEMS if not isinstance(row.get(i), str) or row.get(i) == "unknown"]
    if unknown:
        notes.append(ngettext("{n} item not known: {items}.", "{n} items not known: {items}.", len(unknown))
                     .format(n=_digits(len(unknown)), items=join_words(unknown, _("and"))))
    q = tables.quarantine
    if q is not None and len(q):
        mine = q[(q["source_file"] == row["source_file"]) & (q["source_sheet"].fillna("") == (row["source_sheet"] or ""))
                 & (q["source_row"].astype("Int64") == int(row["source_row"]))]
        for r in mine.to_dict("records"):
            notes.append(_("Cell {column} = \u201c{value}\u201d not used: {reason}.").format(
                column=_column_name(r["column"]), value=r["value"],
                reason=quarantine_reason(r["reason"], r.get("reason_id"), r.get("reason_values"))))
    conflicts = _same_programme(tables.conflicts, row["ministry_code"], row["programme"])
    if len(conflicts):
        files = sorted(set(conflicts["source_file"]))
        cols = sorted({c.strip() for v in conflicts["differing_columns"] for c in str(v).split(";") if c.strip()})
        notes.append(_("Assessed more than once with different answers ({files}); they differ on {columns}. "
                       "A person should say which holds.").format(
            files=join_words(files, _("and")), columns=join_words([_column_name(c, label(c)) for c in cols], _("and"))))
    flagged = _same_programme(budget_plausibility(tables.budgets), row["ministry_code"], row["programme"])
    if len(flagged):
        for r in flagged[~flagged["plausible"]].to_dict("records"):
            notes.append(_("Budget {fiscal_year}: Tk {budget} crore, but beneficiaries x monthly rate x 12 gives "
                           "Tk {implied} crore ({flag}); kept as submitted, please check.").format(
                fiscal_year=_digits(r["fiscal_year"]), budget=_number(r["budget_crore"], 1),
                implied=_number(r["implied_crore"], 1), flag=flag_in_words(r["flag"])))
    return notes


def action_list_html(actions: pd.DataFrame) -> str:
    """The programme's actions under their stable ids, as in the action plan workbook's
    first column (never truncated; an id is printed the same in every language); once
    the ministry returned its plan, each action's last reported status, target date and
    whether it is overdue, and a flag on each "done" the form still contradicts."""
    if not len(actions):
        return f"<p>{escape(_('No gap to act on: every item is answered yes or does not apply.'))}</p>"
    returned = progress.has_progress(actions)
    rows = [[r["action_id"], _word(r["item"]), action_in_words(r["item_code"]) or r["action"],
             _word(r["possible"]), _agencies(r["supporting_agencies"]),
             *(progress.action_progress_cells(r) if returned else [])]
            for r in actions.to_dict("records")]
    header = [_("Action id"), _("Item"), _("Action (the 2019 guideline's words)"), _("Possible, says the ministry"),
              _("Supporting agencies"), *(progress.progress_headers() if returned else [])]
    table = _small_table(header, rows, numeric_from=99)
    if not returned:
        return table
    flags = "".join(f'<p class="nsss-flag">{escape(n)}</p>' for n in progress.done_but_gap_notes(actions))
    return f"<p>{escape(progress.returned_line(actions))}</p>" + table + flags


def programme_card_html(row: Mapping[str, object], score: Mapping[str, object] | None, tables: Tables,
                        actions: pd.DataFrame, disagreements: Sequence[str] = ()) -> str:
    """One programme's card (``row``: its assessment row; ``score``: its scores row)."""
    groups = [_(label(g)) for g in _list(row.get("target_groups"))] + _list(row.get("target_groups_other"))
    stages = [_(label(s)) for s in _list(row.get("lifecycle_stages"))]
    cluster = _text(row.get("cluster"))
    fields = [
        (_("NSSS cluster"), _(cluster) if cluster else ""),
        (_("Life-cycle stages"), ", ".join(stages) or _("none named")),
        (_("Target groups"), ", ".join(groups)),
        (_("Start year and duration"), duration_words(row)),
        (_("Supporting ministries/agencies"), _agencies(row.get("partner_agencies"))),
        (_("Remarks"), _text(row.get("remarks"))),
        (_("Source"), ", ".join(p for p in (_text(row.get("source_file")), _text(row.get("source_sheet")),
                                             _("row {row}").format(row=_digits(row.get("source_row")))) if p)),
    ]
    level_block = ""
    if score is not None:
        lv = _text(score.get("level"))
        why = _("why: {rule}. Inclusion score {score} of 100; potential score {potential} of 100 if every "
                "change the ministry says is possible is made.").format(
            rule=level_rule_in_words(lv, _text(score.get("level_rule"))), score=_number(score.get("inclusion_score")),
            potential=_number(score.get("potential_score")))
        level_block = (
            f'<p class="nsss-level"><strong>{escape(_("Level: {level}").format(level=_(LEVEL_NAMES.get(lv, lv)) if lv else lv))}'
            f'</strong> ({escape(_(LEVEL_GLOSS[lv]) if lv in LEVEL_GLOSS else "")}); {escape(why)}</p>')
    items = "".join(
        f"<li>{escape(item_in_words(i, row.get(i), row.get(ITEM_FOLLOWUP[i]) if i in ITEM_FOLLOWUP else None))}</li>"
        for i in ITEMS)
    code, name = str(row["ministry_code"]), str(row["programme"])
    money = budget_rows(tables.budgets, code, name)
    money_html = (_small_table([_("Fiscal year"), _("Budget (Tk crore)"), _("Beneficiaries"), _("Women"),
                                _("Women's share")], money)
                  if money else f"<p>{escape(_('No budget or beneficiary figures on record.'))}</p>")
    mis = coverage_rows(tables.coverage_by_sex, code, name)
    mis_html = (_small_table([_("Fiscal year"), _("Counted in the MIS"), _("Women"), _("Women's share")], mis)
                if mis else f"<p>{escape(_('No beneficiary list (MIS extract) on record for this programme.'))}</p>")
    if disagreements:
        mis_html += "<ul>" + "".join(
            f"<li>{escape(_('Form and MIS disagree: {disagreement}').format(disagreement=d))}</li>"
            for d in disagreements) + "</ul>"
    notes = quality_notes(row, tables)
    notes_html = ("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>") if notes else \
        f"<p>{escape(_('No data-quality note.'))}</p>"
    return (
        f'<article class="nsss-card"><h3>{escape(programme_name(code, name))}</h3>'
        f"{_dl(fields)}{level_block}"
        f"<h4>{escape(_('The ten questions'))}</h4><ul class=\"nsss-items\">{items}</ul>"
        f"<h4>{escape(_('Budget and beneficiaries'))}</h4>{money_html}"
        f"<h4>{escape(_('Beneficiary list (MIS) by sex'))}</h4>{mis_html}"
        f"<h4>{escape(_('Data quality'))}</h4>{notes_html}"
        f"<h4>{escape(_('Actions'))}</h4>{action_list_html(actions)}"
        "</article>"
    )


def _form_heading(form: Mapping[str, object]) -> str:
    where = ", ".join(p for p in (_text(form.get("source_file")), _text(form.get("source_sheet")),
                                   _("row {row}").format(row=_digits(form.get("source_row")))) if p)
    received = _text(form.get("received_date"))[:10]
    return (_("{where} (received {date})").format(where=where, date=_digits(received)) if received
            else _("{where} (date received not recorded)").format(where=where))


def disputed_card_html(forms: pd.DataFrame) -> str:
    """The card of a disputed programme: its forms side by side, each with its own
    answers, level and inclusion score (never a merge of the two), and the question."""
    rows = forms.to_dict("records")
    first = rows[0]
    code, name = str(first["ministry_code"]), str(first["programme"])
    differ = [i for i in ITEMS if len({_text(r.get(i)) for r in rows}) > 1]
    round_ = _text(first.get("assessment_round"))
    lead = (_("{n} forms of this programme for the {round} round differ, and nothing tells which is the later "
              "one (received date, a date or a revision word in the file name); they differ on {items}.")
            if round_ else
            _("{n} forms of this programme differ, and nothing tells which is the later one (received date, a "
              "date or a revision word in the file name); they differ on {items}.")).format(
        n=_number(len(rows)), round=_digits(round_),
        items=join_words([_(ITEM_LABELS.get(i, label(i))) for i in differ], _("and")) if differ else _("other fields"))
    ask = _("Each form's own level and score are shown. The programme is left out of every count, share, mean and "
            "budget share until the ministry says which form stands; its actions follow from the form that does.")
    table_rows = [[_("Level")] + [_(LEVEL_NAMES.get(_text(r.get("level")), _text(r.get("level")))) for r in rows],
                  [_("Inclusion score (0-100)")] + [_number(r.get("inclusion_score")) for r in rows]]
    for item in ITEMS:
        marker = " *" if item in differ else ""
        table_rows.append([_(ITEM_LABELS.get(item, label(item))) + marker]
                          + [_word(_text(r.get(item)) or "unknown") for r in rows])
    header = [""] + [_("Form {n}: {where}").format(n=_number(k), where=_form_heading(r))
                     for k, r in enumerate(rows, start=1)]
    question = _("Which form stands?")
    marked = _("* the forms differ on this item.")
    return (
        f'<article class="nsss-card nsss-disputed"><h3>{escape(programme_name(code, name))}</h3>'
        f"<p><strong>{escape(question)}</strong> {escape(lead)} {escape(ask)}</p>"
        f"{_small_table(header, table_rows, numeric_from=99)}"
        f"<p><em>{escape(marked)}</em></p></article>"
    )


def programme_cards_html(tables: Tables, assessments: pd.DataFrame, plan: pd.DataFrame,
                         disputed: pd.DataFrame | None = None) -> str:
    """A card for every row of ``assessments`` (a programme assessed twice has two
    cards, each naming its source), in the action plan's order, then a card per
    disputed programme showing its forms side by side (``disputed``: default, those
    of the ministries of ``assessments``)."""
    if disputed is None:
        codes = set(assessments["ministry_code"]) if len(assessments) else set()
        every = disputed_of(count_once(tables))
        disputed = every[every["ministry_code"].isin(codes)] if len(every) else every
    scores = tables.scores if tables.scores is not None else pd.DataFrame(columns=list(LINEAGE_COLUMNS))
    by_where = {tuple(r[c] for c in LINEAGE_COLUMNS): r for r in scores.to_dict("records")}
    disagreements: dict[tuple[str, str], list[str]] = {}
    if tables.coverage_by_sex is not None and len(tables.coverage_by_sex):
        flagged = mis_coverage.form_mis_disagreements(tables.coverage_by_sex, tables.assessments,
                                                      tables.coverage_quality)
        for r in flagged.to_dict("records"):
            disagreements.setdefault((r["ministry_code"], normalise_key(r["programme"])), []).append(r["message"])
    # a ministry with no action at all (every form disputed) has a plan without columns
    plan = plan.reindex(columns=list(dict.fromkeys([*plan.columns, "programme", "source_file", "source_row"])))
    first = {p: i for i, p in enumerate(dict.fromkeys(plan["programme"]))}
    repeated = assessments.drop(distinct_rows(assessments).index)
    assessments = distinct_rows(assessments)
    rows = sorted(assessments.to_dict("records"),
                  key=lambda r: (first.get(r["programme"], len(first)), str(r["programme"]).lower(),
                                 r["source_file"], r["source_row"]))
    cards = []
    for row in rows:
        where = tuple(row[c] for c in LINEAGE_COLUMNS)
        mine = plan[(plan["source_file"] == row["source_file"]) & (plan["source_row"] == row["source_row"])
                    & (plan["programme"] == row["programme"])]
        cards.append(programme_card_html(
            row, by_where.get(where), tables, mine,
            disagreements.get((row["ministry_code"], normalise_key(row["programme"])), [])))
    if disputed is not None and len(disputed):
        for _number_of_dispute, forms in disputed.groupby("dispute", sort=True):
            cards.append(disputed_card_html(forms))
    if len(repeated):
        cards.append("<p>" + escape(_("Repeated cell for cell in a later file, so shown once above: {rows}.").format(
            rows="; ".join(_("{programme} ({file}, row {row})").format(
                programme=programme_name(r["ministry_code"], r["programme"]), file=r["source_file"],
                row=_digits(r["source_row"]))
                for r in repeated.to_dict("records")))) + "</p>")
    return '<div class="nsss-cards">' + "".join(cards) + "</div>"



# --- display objects for the notebooks --------------------------------------------
def _display(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def first_screen(tables: Tables, summary: Mapping[str, pd.DataFrame], unit: str, plan: pd.DataFrame):
    """The first screen of a report (see :func:`first_screen_html`), for a notebook cell."""
    return _display(first_screen_html(unit, summary["programmes"], summary["assessments"], plan,
                                      tables.recommendations, summary.get("disputed")))


def in_figures(summary: Mapping[str, pd.DataFrame], sentences: Sequence[str]):
    """The analyst's sentences under the first screen (see :func:`in_figures_html`)."""
    return _display(in_figures_html(summary["programmes"], summary["assessments"], sentences))


def programme_cards(tables: Tables, assessments: pd.DataFrame, plan: pd.DataFrame,
                    disputed: pd.DataFrame | None = None):
    """Every programme's card (see :func:`programme_cards_html`), for a notebook cell."""
    return _display(programme_cards_html(tables, assessments, plan, disputed))


def cluster_disputed(tables: Tables, cluster: str) -> pd.DataFrame:
    """The disputed programmes of a cluster (both forms each), across ministries."""
    d = disputed_of(count_once(tables))
    return d[d["cluster"] == cluster].reset_index(drop=True) if len(d) else d


def national_comparison(summary: Mapping[str, pd.DataFrame], tables: Tables, unit: str) -> list:
    """The comparison with the national picture: the interval charts when the unit has
    at least ``SMALL_N`` programmes; otherwise one sentence in counts, and no chart."""
    own = summary["programmes"]
    if is_small(own):
        # the nation counted the same way as the unit: each programme once, in its latest round
        national = count_once(tables).current.scores
        return [_display(f"<p>{escape(national_in_counts(national, own, unit))}</p>")]
    return [
        figure(figures.level_comparison(summary["level_shares"]), narrative.level_reading(summary["level_shares"])),
        figure(figures.item_yes_comparison(summary["item_yes_shares"]),
               narrative.item_yes_reading(summary["item_yes_shares"])),
    ]


def downloads_block(slug: str | None):
    """The report's download links (relative file names beside the page)."""
    return _display(links_html(slug))


# --- the submission tracker ----------------------------------------------------------
#: The tracker table's columns, in words.
TRACKER_HEADERS: dict[str, str] = {
    "ministry": N_("Ministry / Division"),
    "status": N_("Status"),
    "source_file": N_("File"),
    "assessment_round": N_("Round"),
    "received_date": N_("Received"),
    "programmes": N_("Programmes accepted"),
    "budget_rows": N_("Budget rows"),
    "rows_quarantined": N_("Rows quarantined"),
    "cells_quarantined": N_("Cells set aside"),
    "resubmission": N_("Resubmission"),
    "programmes_on_record": N_("Programmes on record"),
}


def tracker_of(tables: Tables) -> pd.DataFrame:
    """The submission tracker of the processed tables, against the register and the
    catalogue of programmes on record."""
    ref = load_reference()
    return submission_tracker(tables.assessments, tables.budgets, tables.quarantine,
                              {m.code: m.name for m in ref.ministries},
                              [(p.ministry_code, p.programme) for p in ref.programmes])


def tracker_html(tracker: pd.DataFrame) -> str:
    """The tracker's sentences and its table (every row), escaped."""
    lines = "".join(f"<p>{escape(s)}</p>" for s in tracker_summary(tracker))
    keys = list(TRACKER_HEADERS)
    rows = [[r[k] if r[k] not in ("", None) else "" for k in keys] for r in tracker_in_words(tracker).to_dict("records")]
    return lines + _small_table([_(TRACKER_HEADERS[k]) for k in keys], rows, numeric_from=99)


def tracker_section(tables: Tables):
    """The submission tracker, for a notebook cell. Its count of files sent is a claim
    whose sources are the files, so the lineage rule sees a file counted twice."""
    tracker = tracker_of(tables)
    if tracker is not None and len(tracker):
        sent = tracker[tracker["status"] == SUBMITTED]
        claims.figure(len(sent), "files", number(len(sent), current().language), sources=sent["source_file"],
                      where="cards.tracker")
    return _display(tracker_html(tracker))


# --- cluster reports -------------------------------------------------------------------
def cluster_rows(tables: Tables, cluster: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cluster's assessment rows and score rows, across ministries: each programme
    once, in its latest round (docs/method.md, "Counted once")."""
    current = count_once(tables).current
    a = current.assessments[current.assessments["cluster"] == cluster].reset_index(drop=True)
    s = current.scores[current.scores["cluster"] == cluster].reset_index(drop=True)
    return a, s


def cluster_coverage(assessments: pd.DataFrame, cluster: str) -> pd.DataFrame:
    """For each life-cycle stage and target group the cluster is meant to reach: how
    many of its programmes name it, and which (``kind``, ``code``, ``label``,
    ``programmes``, ``names``)."""
    reach = cluster_reach().get(cluster)
    wanted = ([("life-cycle stage", s) for s in reach.lifecycle_stages] +
              [("target group", g) for g in reach.target_groups]) if reach else []
    rows = []
    for kind, code in wanted:
        column = "lifecycle_stages" if kind == "life-cycle stage" else "target_groups"
        names = sorted({programme_name(r["ministry_code"], r["programme"]) for r in assessments.to_dict("records")
                        if code in _list(r[column])})
        rows.append({"kind": kind, "code": code, "label": label(code), "programmes": len(names),
                     "names": "; ".join(names)})
    return pd.DataFrame(rows, columns=["kind", "code", "label", "programmes", "names"]).astype(
        {"programmes": "int64"})


#: What each cluster is meant to reach, as ``clusters.csv`` says where it comes from
#: (its ``source`` column), marked here so that the catalogue translates it.
REACH_SOURCES: tuple[str, ...] = (
    N_("The project's reading of the NSSS (2015) cluster: life-cycle transfers (child benefit, old age, "
       "disability, vulnerable women); to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: food transfers and relief after covariate shocks; "
       "programmes may name no life-cycle stage; to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: contributory pensions and maternity insurance; "
       "to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: employment, skills and livelihoods for the "
       "working age; to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: education, health and nutrition, and the socially "
       "excluded groups; to be verified with the Cabinet Division"),
)
#: The kinds of intended reach of a cluster, in words.
REACH_KINDS: dict[str, str] = {"life-cycle stage": N_("life-cycle stage"), "target group": N_("target group")}


def cluster_coverage_html(assessments: pd.DataFrame, cluster: str) -> str:
    """The coverage table and the sentence naming what no programme reaches."""
    cov = cluster_coverage(assessments, cluster)
    reach = cluster_reach().get(cluster)
    if reach is None or not len(cov):
        return f"<p>{escape(_('No intended reach is on record for this cluster.'))}</p>"
    gaps = [_(g) for g in cov[cov["programmes"] == 0]["label"]]
    gap_line = (_("No assessed programme of the cluster names {gaps}.").format(gaps=join_words(gaps, _("or")))
                if gaps else
                _("Every stage and group the cluster is meant to reach is named by at least one programme."))
    rows = [[_(r["label"]), _(REACH_KINDS.get(r["kind"], r["kind"])), _digits(r["programmes"]), r["names"]]
            for r in cov.to_dict("records")]
    return (f"<p>{escape(gap_line)}</p>"
            + _small_table([_("Meant to reach"), _("Kind"), _("Programmes naming it"), _("Which")], rows,
                           numeric_from=99)
            + f"<p><em>{escape(_('What the cluster is meant to reach: {source}.').format(source=_(reach.source)))}"
            "</em></p>")


def cluster_first_screen(tables: Tables, cluster: str, plan: pd.DataFrame):
    """The cluster report's first screen: verdict across ministries, and its asks."""
    a, s = cluster_rows(tables, cluster)
    register = load_reference().ministry_by_code
    language = current().language
    ministries = sorted({register[code].name_in(language) if code in register else name
                         for code, name in zip(a["ministry_code"], a["ministry"], strict=True) if isinstance(name, str)})
    return _display(
        first_screen_html(_("the {cluster} cluster").format(cluster=_(cluster)), s, a, plan, tables.recommendations,
                          cluster_disputed(tables, cluster))
        + "<p>" + escape(_("Ministries and divisions with programmes in this cluster: {ministries}.").format(
            ministries=join_words(ministries))) + "</p>"
        + f"<p>{escape(levels_key(s))}</p><p>{escape(submission_line(a))}</p>")


def cluster_coverage_section(tables: Tables, cluster: str):
    return _display(cluster_coverage_html(cluster_rows(tables, cluster)[0], cluster))
