"""Recommendations: each gap becomes an action in the guideline's words (docs/method.md, section 10).

A gap is an item answered other than ``yes``: ``no``, ``partly`` or ``unknown``
(an unknown answer is not a known yes; the reason says to find out first).
``not_applicable`` is not a gap: the question does not concern the programme.

Each action is the 2019 programme assessment guideline's own question (workshop
record, section 5.0; ``form_columns.csv`` ``instruction``) turned into an instruction,
keeping its words, and every row keeps the guideline's question verbatim beside it
(``guideline_question``) with the programme's lineage, so it traces back to the form.

Ranking, within each ministry (rank 1 first):
1. the follow-up is ``yes``: the ministry itself says it is possible;
2. then the programme's budget (its latest fiscal year with a known budget),
   largest first, unknown budgets last: more money, more people reached;
3. then the always-listed items, ``no`` before ``partly`` before ``unknown``, the
   programme name and the form's item order, so ties are stable.

Each action has a stable ``action_id`` (``reference/action_ids.py``): the ministry's
code, a short hash of the programme's catalogue key and the item's code, so the same
gap has the same id in every build and round, whatever the rank.

Missing sex-disaggregated data and missing gender indicators are always listed
(``always_listed``): nothing else can be measured without them. A report that
shortens the list must keep them.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from nsss_analysis.diagnostics.budgets import programme_budgets
from nsss_analysis.diagnostics.units import programme_key
from nsss_analysis.reference.action_ids import action_id, catalogue_key, check_unique
from nsss_analysis.reference.glossary import FORM_ANSWER_NAMES, ITEM_NAMES
from nsss_analysis.reference.i18n import N_, Translator, current
from nsss_analysis.reference.vocab import (
    FOLLOWUPS,
    ITEMS,
    LINEAGE_COLUMNS,
    load_reference,
)

#: The gap answers, in the order they rank on a tie: a known ``no`` first.
GAP_ANSWERS: tuple[str, ...] = ("no", "partly", "unknown")
#: Items whose gap is always listed: without them nothing else can be measured.
ALWAYS_LISTED: tuple[str, ...] = ("sex_disaggregated_data", "gender_indicators")
#: The follow-up that follows each item (the evidence items have none).
ITEM_FOLLOWUP: dict[str, str] = {
    item: followup for followup, items in FOLLOWUPS.items() for item in items
}
#: Each action, in the words of the guideline (section 5.0 of the 2019 workshop record),
#: as message ids: translated where shown (:func:`action_in_words`).
ACTIONS: dict[str, str] = {
    "graduation": N_(
        "Plan graduation from poverty or situation (like rehabilitation, re integration) "
        "in the programme."
    ),
    "empowerment_objective": N_(
        "Include women's/girls' empowerment as an objective, with some modification in "
        "design or operational strategy."
    ),
    "empowerment_actions": N_(
        "Include actions to support empowerment, with some modification in design or "
        "operational strategy."
    ),
    "social_capital": N_(
        "Include elements for social capital building, raising voice, enhancing bargaining "
        "capacity (formation of group, network, linkages, community resources)."
    ),
    "norms_awareness": N_(
        "Include activities that raise women's/girls' and community awareness against social "
        "norms of gender inequality, low status of women, gender roles and inspire them to "
        "change discriminatory norms and harmful practices."
    ),
    "skills_training": N_(
        "Include a strong training element for developing skills for self-reliance, economic "
        "gain, and control over resources by women/girls."
    ),
    "sex_disaggregated_data": N_("Collect sex disaggregated data."),
    "gender_analysis": N_("Use gender analysis."),
    "gender_reporting": N_("Practice gender integrated reporting."),
    "gender_indicators": N_(
        "Identify gender focused result indicators for monitoring integrated in log-frame or "
        "monitoring framework."
    ),
}
#: The reason's first clause, by the item's answer (``{item}``: the item's name).
REASON_ANSWER: dict[str, str] = {
    "no": N_("{item} answered no"),
    "partly": N_("{item} answered partly"),
    "unknown": N_("{item} left unknown: find out first whether it is in place"),
}
#: The reason's clause on the follow-up, by its answer (``{followup}``: the follow-up).
REASON_FOLLOWUP: dict[str, str] = {
    "yes": N_("the ministry says it is possible ({followup} = yes)"),
    "no": N_("the ministry says it is not possible now ({followup} = no)"),
}
#: A follow-up answered neither yes nor no (``{answer}``: its answer).
REASON_FOLLOWUP_OTHER = N_("whether it is possible is not known ({followup} = {answer})")
#: The clause of an always-listed item.
REASON_ALWAYS = N_("always listed: nothing else can be measured without it")
#: How the reason's clauses are joined.
REASON_JOINER = "; "

RECOMMENDATION_COLUMNS: tuple[str, ...] = (
    "action_id",
    "ministry",
    "ministry_code",
    "programme",
    "item",
    "answer",
    "followup",
    "followup_answer",
    "action",
    "reason",
    "guideline_question",
    "fiscal_year",
    "budget_crore",
    "level",
    "rank",
    "always_listed",
    *LINEAGE_COLUMNS,
)


@lru_cache(maxsize=1)
def guideline_questions() -> dict[str, str]:
    """The guideline's question for each item, verbatim from ``form_columns.csv``."""
    return {
        c.column: c.instruction
        for c in load_reference().columns_of("Programmes")
        if c.column in ITEMS
    }


def reason_parts(item: str, answer: str, followup: str | None,
                 followup_answer: str | None) -> list[tuple[str, dict[str, str]]]:
    """The clauses of an action's reason: (message id, its values), in English codes."""
    parts = [(REASON_ANSWER[answer], {"item": item})]
    if followup is not None:
        template = REASON_FOLLOWUP.get(str(followup_answer), REASON_FOLLOWUP_OTHER)
        parts.append((template, {"followup": followup, "answer": str(followup_answer)}))
    if item in ALWAYS_LISTED:
        parts.append((REASON_ALWAYS, {}))
    return parts


def _reason(item: str, answer: str, followup: str | None, followup_answer: str | None) -> str:
    """The reason as stored (``recommendations.csv``), in English."""
    return REASON_JOINER.join(
        template.format(**{k: v.replace("_", " ") if k == "item" else v for k, v in values.items()})
        for template, values in reason_parts(item, answer, followup, followup_answer))


def action_reason_in_words(item: str, answer: str, followup: str | None = None,
                    followup_answer: str | None = None, translate: Translator | None = None) -> str:
    """An action's reason in the current language (``translate``: another language's
    translator): English is the stored reason; another language names the item and
    quotes the follow-up's question in its own words."""
    translate = translate or current()
    if translate.about.is_source:
        return _reason(item, answer, followup, followup_answer)
    shown = {"item": translate(ITEM_NAMES.get(item, item)),
             "followup": translate(followup_questions().get(followup or "", followup or "")),
             "answer": translate(FORM_ANSWER_NAMES.get(str(followup_answer), str(followup_answer)))}
    return REASON_JOINER.join(
        translate(template).format(**{k: shown[k] for k in values})
        for template, values in reason_parts(item, answer, followup, followup_answer))


def action_in_words(item: str, translate: Translator | None = None) -> str:
    """The guideline's action for ``item`` in the current language (``translate``:
    another language's translator)."""
    return (translate or current())(ACTIONS[item]) if item in ACTIONS else ""


@lru_cache(maxsize=1)
def followup_questions() -> dict[str, str]:
    """Each follow-up's question as the form labels it (``If not, can ...?``)."""
    return {c.column: c.label for c in load_reference().columns_of("Programmes") if c.column in FOLLOWUPS}


def recommendations(
    assessments: pd.DataFrame,
    scores: pd.DataFrame | None = None,
    budgets: pd.DataFrame | None = None,
    fiscal_year: str | None = None,
) -> pd.DataFrame:
    """One ranked action per gap (an item not ``yes`` and not ``not_applicable``).

    ``scores`` (optional) adds each programme's level for context; ``budgets`` gives
    the ranking budget (``fiscal_year`` or each programme's latest year with a known
    budget). Columns: ``RECOMMENDATION_COLUMNS``; ``rank`` restarts at 1 per ministry.
    """
    questions = guideline_questions()
    money = programme_budgets(budgets, fiscal_year)
    levels = {}
    if scores is not None and len(scores):
        lineage = zip(*(scores[c] for c in LINEAGE_COLUMNS), strict=True)
        levels = dict(zip(lineage, scores["level"], strict=True))
    records = []
    for row in assessments.to_dict("records"):
        where = tuple(row[c] for c in LINEAGE_COLUMNS)
        for item in ITEMS:
            answer = row[item] if isinstance(row[item], str) else "unknown"
            if answer not in GAP_ANSWERS:
                continue
            followup = ITEM_FOLLOWUP.get(item)
            followup_answer = None
            if followup is not None:
                value = row.get(followup)
                followup_answer = value if isinstance(value, str) else "unknown"
            records.append({
                "action_id": action_id(row["ministry_code"], row["programme"], item),
                "ministry": row["ministry"], "ministry_code": row["ministry_code"],
                "programme": row["programme"], "item": item, "answer": answer,
                "followup": followup, "followup_answer": followup_answer,
                "action": ACTIONS[item],
                "reason": _reason(item, answer, followup, followup_answer),
                "guideline_question": questions[item],
                "level": levels.get(where),
                "always_listed": item in ALWAYS_LISTED,
                **dict(zip(LINEAGE_COLUMNS, where, strict=True)),
            })
    recs = pd.DataFrame(records, columns=[c for c in RECOMMENDATION_COLUMNS
                                          if c not in ("fiscal_year", "budget_crore", "rank")])
    recs = recs.assign(programme_key=programme_key(recs)).merge(
        money[["ministry_code", "programme_key", "fiscal_year", "budget_crore"]],
        on=["ministry_code", "programme_key"], how="left",
    )
    recs = recs.assign(
        _possible=recs["followup_answer"].eq("yes"),
        _answer=recs["answer"].map(GAP_ANSWERS.index),
        _item=recs["item"].map(ITEMS.index),
        _programme=recs["programme"].str.lower(),
    ).sort_values(
        ["ministry_code", "_possible", "budget_crore", "always_listed", "_answer", "_programme",
         "_item", "source_file", "source_sheet", "source_row"],
        ascending=[True, False, False, False, True, True, True, True, True, True],
        na_position="last", kind="stable",
    )
    recs["rank"] = recs.groupby("ministry_code").cumcount() + 1
    check_unique(recs["action_id"].tolist(), list(zip(
        recs["ministry_code"], recs["programme"].map(catalogue_key), recs["item"], strict=True)))
    recs = recs[list(RECOMMENDATION_COLUMNS)].reset_index(drop=True)
    text = [c for c in RECOMMENDATION_COLUMNS if c not in
            ("budget_crore", "rank", "always_listed", "source_row")]
    return recs.astype({c: "str" for c in text} | {
        "budget_crore": "float64", "rank": "int64", "always_listed": "bool", "source_row": "int64",
    })


def quick_wins(recs: pd.DataFrame, n: int = 2) -> pd.DataFrame:
    """The top ``n`` actions of each ministry that the ministry says are possible
    (follow-up ``yes``), by rank: the headline's quick wins. May be fewer than ``n``.
    """
    possible = recs[recs["followup_answer"] == "yes"].sort_values(["ministry_code", "rank"])
    return possible.groupby("ministry_code").head(n).reset_index(drop=True)
