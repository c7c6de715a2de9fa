"""Programme scores, gender-responsiveness levels and markers (docs/method.md, sections 1-2).

``score_programmes`` turns each assessed programme (a row of ``assessments.parquet``)
into the row of ``scores.parquet``; ``score_answers`` does it for one programme and
is what a reader can follow by hand. ``run_score`` is ``nsss score``: it reads the
processed tables, writes scores, every indicator table and the recommendations.

The policy constants of the whole diagnostics engine (weights, thresholds, interval
and model rules) live at the top of this module, each with its reason; the method
note (:mod:`nsss_analysis.methods`) prints them from here, so the two cannot drift.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from nsss_analysis.diagnostics.rubric import (
    ANSWER_WEIGHTS,
    BLIND,
    COMPLETENESS_THRESHOLD,
    INSUFFICIENT,
    MARKER_CLAIMS,
    MIN_DOMAINS_SCORED,
    PRESENT,
    READINESS_ITEMS,
    READINESS_ORDER,
    SCORE_SCALE,
    SENSITIVE,
    SPECIFIC,
    TRANSFORMATIVE,
)
from nsss_analysis.errors import NsssError
from nsss_analysis.reference.vocab import (
    ANSWERS,
    DOMAINS,
    FOLLOWUP_ANSWERS,
    FOLLOWUPS,
    ITEMS,
    LINEAGE_COLUMNS,
)

LINEAGE = LINEAGE_COLUMNS


#: Carried from the assessment so every score traces back to its spreadsheet row.
CARRIED_COLUMNS: tuple[str, ...] = (*LINEAGE, "ministry", "ministry_code", "programme", "cluster")


SCORE_COLUMNS: tuple[str, ...] = (
    *CARRIED_COLUMNS,
    "intent_score",
    "transformative_score",
    "evidence_score",
    "inclusion_score",
    "potential_score",
    "completeness",
    "level",
    "level_rule",
    "gender_marker",
    "women_targeted",
    "marker_unsubstantiated",
    "data_readiness",
)


_REQUIRED = (
    *CARRIED_COLUMNS,
    "lifecycle_stages",
    "target_groups",
    *ITEMS,
    *FOLLOWUPS,
)


def _label(item: str) -> str:
    return item.replace("_", " ")


def as_list(value: object) -> list[str]:
    """A list cell as a Python list: lists, tuples and numpy arrays pass; null is []."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, float) and math.isnan(value):
        return []
    return [str(v) for v in value]


def is_women_targeted(lifecycle_stages: Iterable[str], target_groups: Iterable[str]) -> bool:
    """Women are a target group or ``women_working_age`` a life-cycle stage (docs/method.md, section 2)."""
    return "women" in set(target_groups) or "women_working_age" in set(lifecycle_stages)


def _domain_scores(answers: Mapping[str, str]) -> dict[str, float]:
    scores = {}
    for domain, items in DOMAINS.items():
        weights = [ANSWER_WEIGHTS[answers[i]] for i in items if answers[i] in ANSWER_WEIGHTS]
        scores[domain] = sum(weights) / len(weights) if weights else math.nan
    return scores


def _inclusion(domain_scores: Mapping[str, float]) -> float:
    scored = [s for s in domain_scores.values() if not math.isnan(s)]
    if len(scored) < MIN_DOMAINS_SCORED:
        return math.nan
    return SCORE_SCALE * sum(scored) / len(scored)


def potential_answers(answers: Mapping[str, str], followups: Mapping[str, str]) -> dict[str, str]:
    """The answers with every item whose follow-up is ``yes`` counted as ``yes``.

    Literally the spec's rule: each item a ``yes`` follow-up follows counts as ``yes``
    (a ``no``, ``partly``, ``unknown`` or ``not_applicable`` answer alike), since the
    ministry says it is within reach. Items without a follow-up (the evidence items)
    are unchanged.
    """
    lifted = dict(answers)
    for followup, items in FOLLOWUPS.items():
        if followups.get(followup) == "yes":
            for item in items:
                lifted[item] = "yes"
    return lifted


def _level(
    answers: Mapping[str, str], completeness: float, women_target: bool, women_stage: bool
) -> tuple[str, str]:
    """The GRAS level and the rule that fired, in words (docs/method.md, section 2: first match wins)."""
    if completeness < COMPLETENESS_THRESHOLD:
        return INSUFFICIENT, f"completeness {completeness:.2f} < {COMPLETENESS_THRESHOLD:g}"
    a = answers
    if (
        a["empowerment_objective"] == "yes"
        and a["norms_awareness"] == "yes"
        and (a["social_capital"] == "yes" or a["skills_training"] == "yes")
    ):
        held = ["empowerment_objective", "norms_awareness"] + [
            i for i in ("social_capital", "skills_training") if a[i] == "yes"
        ]
        return TRANSFORMATIVE, " + ".join(f"{_label(i)} yes" for i in held)
    specific = []
    if women_target:
        specific.append("women a target group")
    if women_stage:
        specific.append("women_working_age a life-cycle stage")
    specific += [
        f"{_label(i)} {a[i]}"
        for i in ("empowerment_objective", "empowerment_actions")
        if a[i] in PRESENT
    ]
    if specific:
        return SPECIFIC, "; ".join(specific)
    sensitive = [
        f"{_label(i)} {a[i]}"
        for i in (*DOMAINS["evidence"], *DOMAINS["transformative"])
        if a[i] in PRESENT
    ]
    if sensitive:
        return SENSITIVE, "; ".join(sensitive)
    return BLIND, (
        "no empowerment objective or action, no women targeting, and no evidence item "
        "or transformative element at yes or partly"
    )


def _data_readiness(answers: Mapping[str, str]) -> str:
    """The weakest of the three readiness items; ``yes`` only when all three are yes."""
    return min((answers[i] for i in READINESS_ITEMS), key=READINESS_ORDER.index)


def score_answers(
    answers: Mapping[str, str],
    lifecycle_stages: Iterable[str] = (),
    target_groups: Iterable[str] = (),
) -> dict[str, object]:
    """Score one programme from its answers (the ten items and five follow-ups).

    Returns the score columns: the three domain scores (0-1), ``inclusion_score`` and
    ``potential_score`` (0-100), ``completeness``, ``level``, ``level_rule``,
    ``gender_marker``, ``women_targeted``, ``marker_unsubstantiated`` and
    ``data_readiness``. A missing follow-up counts as ``unknown``.

    >>> answers = dict.fromkeys(ITEMS, "no") | {"empowerment_objective": "yes"}
    >>> s = score_answers(answers, target_groups=["women"])
    >>> round(s["inclusion_score"], 2), s["level"], s["gender_marker"]
    (11.11, 'gender-specific', 2)
    """
    stages, groups = list(lifecycle_stages), list(target_groups)
    items = {i: answers[i] for i in ITEMS}
    followups = {f: answers.get(f, "unknown") for f in FOLLOWUPS}
    domains = _domain_scores(items)
    potential = _inclusion(_domain_scores(potential_answers(items, followups)))
    completeness = sum(a != "unknown" for a in items.values()) / len(items)
    women_target, women_stage = "women" in groups, "women_working_age" in stages
    women_targeted = women_target or women_stage
    level, rule = _level(items, completeness, women_target, women_stage)
    objective = items["empowerment_objective"]
    if objective == "yes" and women_targeted:
        marker = 2
    elif objective in MARKER_CLAIMS:
        marker = 1
    else:
        marker = 0
    unsubstantiated = objective in MARKER_CLAIMS and (
        items["gender_analysis"] == "no" or items["gender_indicators"] == "no"
    )
    return {
        "intent_score": domains["intent"],
        "transformative_score": domains["transformative"],
        "evidence_score": domains["evidence"],
        "inclusion_score": _inclusion(domains),
        "potential_score": potential,
        "completeness": completeness,
        "level": level,
        "level_rule": rule,
        "gender_marker": marker,
        "women_targeted": women_targeted,
        "marker_unsubstantiated": unsubstantiated,
        "data_readiness": _data_readiness(items),
    }


def _where(row: Mapping[str, object]) -> str:
    sheet = f"{row['source_sheet']} " if row.get("source_sheet") else ""
    return f"{row['source_file']}: {sheet}row {row['source_row']}"


def _checked_answer(row: Mapping[str, object], column: str, allowed: tuple[str, ...]) -> str:
    """A cell's answer; null is ``unknown`` (the contract's rule for an empty cell),
    anything outside the vocabulary is an error naming the cell."""
    value = row[column]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "unknown"
    if value not in allowed:
        raise NsssError(
            f"{_where(row)}, column {column}: {value!r} is not one of {', '.join(allowed)}"
            " (rerun `nsss clean`)"
        )
    return str(value)


def check_columns(df: pd.DataFrame, required: Iterable[str], table: str) -> None:
    """Raise a one-line error naming the columns a processed table lacks."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise NsssError(f"{table}: missing column(s) {', '.join(missing)} (rerun `nsss clean`)")


def score_programmes(assessments: pd.DataFrame) -> pd.DataFrame:
    """One row of ``scores.parquet`` per row of ``assessments.parquet`` (docs/method.md, sections 1-2).

    The lineage, ministry, programme and cluster are carried over so every score can
    be traced to the spreadsheet row it came from. Raises :class:`NsssError` naming
    the cell when an answer is outside the vocabulary, and the columns when some
    are missing.
    """
    check_columns(assessments, _REQUIRED, "assessments")
    rows = []
    for row in assessments[list(_REQUIRED)].to_dict("records"):
        answers = {i: _checked_answer(row, i, ANSWERS) for i in ITEMS}
        answers |= {f: _checked_answer(row, f, FOLLOWUP_ANSWERS) for f in FOLLOWUPS}
        scored = score_answers(
            answers, as_list(row["lifecycle_stages"]), as_list(row["target_groups"])
        )
        rows.append({c: row[c] for c in CARRIED_COLUMNS} | scored)
    out = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    return _score_dtypes(out)


def _score_dtypes(out: pd.DataFrame) -> pd.DataFrame:
    text = ["source_file", "source_sheet", "ministry", "ministry_code", "programme", "cluster",
            "level", "level_rule", "data_readiness"]
    floats = ["intent_score", "transformative_score", "evidence_score", "inclusion_score",
              "potential_score", "completeness"]
    return out.astype(
        {c: "str" for c in text}
        | {c: "float64" for c in floats}
        | {"source_row": "int64", "gender_marker": "int64", "women_targeted": "bool",
           "marker_unsubstantiated": "bool"}
    )
