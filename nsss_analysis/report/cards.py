"""The programme card: a ministry report whose unit is the programme, for an official
rather than an analyst.

:func:`programme_card_html` shows every field of the form for one programme, the ten
items and their follow-ups in plain words, level with the rule that set it, scores,
budgets and beneficiaries over the years on record, MIS coverage by sex, data-quality
notes (:mod:`nsss_analysis.report.card_quality`) and the programme's actions (never
truncated); :func:`disputed_card_html` the forms of a disputed programme side by side;
:func:`programme_cards_html` every card of a page, in the action plan's order.

The page's print and narrow-screen stylesheet (classes ``nsss-card``, ``nsss-scroll``
...) is ``nsss_analysis/runner/templates/nsss_report.css``, included by the report template.

Every value from a form goes through :func:`nsss_analysis.report.display.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from nsss_analysis.diagnostics.recommendations import ITEM_FOLLOWUP, action_in_words
from nsss_analysis.diagnostics.summaries import count_once, disputed_of
from nsss_analysis.io import Tables
from nsss_analysis.mis import coverage as mis_coverage
from nsss_analysis.reference.glossary import LEVEL_NAMES
from nsss_analysis.reference.i18n import N_, _
from nsss_analysis.reference.vocab import ITEMS, LINEAGE_COLUMNS, normalise_key
from nsss_analysis.report import coverage_text, progress
from nsss_analysis.report.action_plan import distinct_rows
from nsss_analysis.report.card_parts import (
    LEVEL_GLOSS,
    agencies_text,
    card_digits,
    card_number,
    data_word,
    notebook_html,
    programme_name,
    same_programme,
    small_table,
    text_of,
    values_of,
    women_share_cell,
)
from nsss_analysis.report.card_quality import quality_notes
from nsss_analysis.report.display import MISSING, escape
from nsss_analysis.report.labels import ITEM_LABELS, label
from nsss_analysis.report.level_rule import level_rule_in_words
from nsss_analysis.report.wording import join_words

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


def duration_words(row: Mapping[str, object]) -> str:
    """``since 2010-11, ongoing`` / ``2019-20 to 2023-24`` / ``not given``."""
    start, end = text_of(row.get("start_fy")), text_of(row.get("end_fy"))
    ongoing = row.get("ongoing")
    ongoing = bool(ongoing) if ongoing is not None and ongoing is not pd.NA else False
    start, end = card_digits(start), card_digits(end)
    if start and end:
        return _("{start} to {end}").format(start=start, end=end)
    if start:
        return (_("since {start}, ongoing") if ongoing else _("since {start}; end not given")).format(start=start)
    if end:
        return _("start not given; ends {end}").format(end=end)
    return _("ongoing; start year not given") if ongoing else _("not given")


def _dl(pairs: Iterable[tuple[str, str]]) -> str:
    """The card's fields as a two-column table (a ``dl`` grid fights JupyterLab's styles)."""
    rows = "".join(
        f'<tr><th scope="row" style="text-align:left;vertical-align:top">{escape(k)}</th>'
        f'<td style="text-align:left;vertical-align:top">{escape(v) if v else MISSING}</td></tr>'
        for k, v in pairs)
    return f'<table class="nsss-fields"><tbody>{rows}</tbody></table>'


def budget_rows(budgets: pd.DataFrame | None, code: str, programme: str) -> list[list[object]]:
    """Fiscal year, budget, beneficiaries, women, women's share (one row per year on record)."""
    b = same_programme(budgets, code, programme)
    if not len(b):
        return []
    b = b.sort_values(["fiscal_year", "source_file", "source_row"]).drop_duplicates("fiscal_year", keep="last")
    return [[card_digits(r["fiscal_year"]), card_number(r["budget_crore"], 1), card_number(r["beneficiaries"]),
             card_number(r["women_beneficiaries"]), women_share_cell(r["women_beneficiaries"], r["beneficiaries"])]
            for r in b.to_dict("records")]


def coverage_rows(coverage: pd.DataFrame | None, code: str, programme: str) -> list[list[object]]:
    """MIS beneficiaries counted, women, women's share, per fiscal year of the extract."""
    c = same_programme(coverage, code, programme)
    if not len(c):
        return []
    shares = mis_coverage.women_share_by_programme(c)
    return [[card_digits(r["fiscal_year"]), card_number(r["total"]), card_number(r["women"]), women_share_cell(r["women"], r["total"])]
            for r in shares.to_dict("records")]


def action_list_html(actions: pd.DataFrame) -> str:
    """The programme's actions under their stable ids, as in the action plan workbook's
    first column (never truncated; an id is printed the same in every language); once
    the ministry returned its plan, each action's last reported status, target date and
    whether it is overdue, and a flag on each "done" the form still contradicts."""
    if not len(actions):
        return f"<p>{escape(_('No gap to act on: every item is answered yes or does not apply.'))}</p>"
    returned = progress.has_progress(actions)
    rows = [[r["action_id"], data_word(r["item"]), action_in_words(r["item_code"]) or r["action"],
             data_word(r["possible"]), agencies_text(r["supporting_agencies"]),
             *(progress.action_progress_cells(r) if returned else [])]
            for r in actions.to_dict("records")]
    header = [_("Action id"), _("Item"), _("Action (the 2019 guideline's words)"), _("Possible, says the ministry"),
              _("Supporting agencies"), *(progress.progress_headers() if returned else [])]
    table = small_table(header, rows, numeric_from=99)
    if not returned:
        return table
    flags = "".join(f'<p class="nsss-flag">{escape(n)}</p>' for n in progress.done_but_gap_notes(actions))
    return f"<p>{escape(progress.returned_line(actions))}</p>" + table + flags


def programme_card_html(row: Mapping[str, object], score: Mapping[str, object] | None, tables: Tables,
                        actions: pd.DataFrame, disagreements: Sequence[str] = ()) -> str:
    """One programme's card (``row``: its assessment row; ``score``: its scores row)."""
    groups = [_(label(g)) for g in values_of(row.get("target_groups"))] + values_of(row.get("target_groups_other"))
    stages = [_(label(s)) for s in values_of(row.get("lifecycle_stages"))]
    cluster = text_of(row.get("cluster"))
    fields = [
        (_("NSSS cluster"), _(cluster) if cluster else ""),
        (_("Life-cycle stages"), ", ".join(stages) or _("none named")),
        (_("Target groups"), ", ".join(groups)),
        (_("Start year and duration"), duration_words(row)),
        (_("Supporting ministries/agencies"), agencies_text(row.get("partner_agencies"))),
        (_("Remarks"), text_of(row.get("remarks"))),
        (_("Source"), ", ".join(p for p in (text_of(row.get("source_file")), text_of(row.get("source_sheet")),
                                             _("row {row}").format(row=card_digits(row.get("source_row")))) if p)),
    ]
    level_block = ""
    if score is not None:
        lv = text_of(score.get("level"))
        why = _("why: {rule}. Inclusion score {score} of 100; potential score {potential} of 100 if every "
                "change the ministry says is possible is made.").format(
            rule=level_rule_in_words(lv, text_of(score.get("level_rule"))), score=card_number(score.get("inclusion_score")),
            potential=card_number(score.get("potential_score")))
        level_block = (
            f'<p class="nsss-level"><strong>{escape(_("Level: {level}").format(level=_(LEVEL_NAMES.get(lv, lv)) if lv else lv))}'
            f'</strong> ({escape(_(LEVEL_GLOSS[lv]) if lv in LEVEL_GLOSS else "")}); {escape(why)}</p>')
    items = "".join(
        f"<li>{escape(item_in_words(i, row.get(i), row.get(ITEM_FOLLOWUP[i]) if i in ITEM_FOLLOWUP else None))}</li>"
        for i in ITEMS)
    code, name = str(row["ministry_code"]), str(row["programme"])
    money = budget_rows(tables.budgets, code, name)
    money_html = (small_table([_("Fiscal year"), _("Budget (Tk crore)"), _("Beneficiaries"), _("Women"),
                                _("Women's share")], money)
                  if money else f"<p>{escape(_('No budget or beneficiary figures on record.'))}</p>")
    mis = coverage_rows(tables.coverage_by_sex, code, name)
    mis_html = (small_table([_("Fiscal year"), _("Counted in the MIS"), _("Women"), _("Women's share")], mis)
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
    where = ", ".join(p for p in (text_of(form.get("source_file")), text_of(form.get("source_sheet")),
                                   _("row {row}").format(row=card_digits(form.get("source_row")))) if p)
    received = text_of(form.get("received_date"))[:10]
    return (_("{where} (received {date})").format(where=where, date=card_digits(received)) if received
            else _("{where} (date received not recorded)").format(where=where))


def disputed_card_html(forms: pd.DataFrame) -> str:
    """The card of a disputed programme: its forms side by side, each with its own
    answers, level and inclusion score (never a merge of the two), and the question."""
    rows = forms.to_dict("records")
    first = rows[0]
    code, name = str(first["ministry_code"]), str(first["programme"])
    differ = [i for i in ITEMS if len({text_of(r.get(i)) for r in rows}) > 1]
    round_ = text_of(first.get("assessment_round"))
    lead = (_("{n} forms of this programme for the {round} round differ, and nothing tells which is the later "
              "one (received date, a date or a revision word in the file name); they differ on {items}.")
            if round_ else
            _("{n} forms of this programme differ, and nothing tells which is the later one (received date, a "
              "date or a revision word in the file name); they differ on {items}.")).format(
        n=card_number(len(rows)), round=card_digits(round_),
        items=join_words([_(ITEM_LABELS.get(i, label(i))) for i in differ], _("and")) if differ else _("other fields"))
    ask = _("Each form's own level and score are shown. The programme is left out of every count, share, mean and "
            "budget share until the ministry says which form stands; its actions follow from the form that does.")
    table_rows: list[list[Any]] = [[_("Level")] + [_(LEVEL_NAMES.get(text_of(r.get("level")), text_of(r.get("level")))) for r in rows],
                  [_("Inclusion score (0-100)")] + [card_number(r.get("inclusion_score")) for r in rows]]
    for item in ITEMS:
        marker = " *" if item in differ else ""
        table_rows.append([_(ITEM_LABELS.get(item, label(item))) + marker]
                          + [data_word(text_of(r.get(item)) or "unknown") for r in rows])
    header = [""] + [_("Form {n}: {where}").format(n=card_number(k), where=_form_heading(r))
                     for k, r in enumerate(rows, start=1)]
    question = _("Which form stands?")
    marked = _("* the forms differ on this item.")
    return (
        f'<article class="nsss-card nsss-disputed"><h3>{escape(programme_name(code, name))}</h3>'
        f"<p><strong>{escape(question)}</strong> {escape(lead)} {escape(ask)}</p>"
        f"{small_table(header, table_rows, numeric_from=99)}"
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
            # in the page's language, figures from the one formatter (the table's message is English)
            disagreements.setdefault((r["ministry_code"], normalise_key(r["programme"])), []).append(
                coverage_text.disagreement_sentence(r))
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
                row=card_digits(r["source_row"]))
                for r in repeated.to_dict("records")))) + "</p>")
    return '<div class="nsss-cards">' + "".join(cards) + "</div>"


def programme_cards(tables: Tables, assessments: pd.DataFrame, plan: pd.DataFrame,
                    disputed: pd.DataFrame | None = None):
    """Every programme's card (see :func:`programme_cards_html`), for a notebook cell."""
    return notebook_html(programme_cards_html(tables, assessments, plan, disputed))
