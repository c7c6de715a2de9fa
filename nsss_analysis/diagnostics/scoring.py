"""Programme scores, gender-responsiveness levels and markers (docs/method.md, sections 1-2).

``score_programmes`` turns each assessed programme (a row of ``assessments.parquet``)
into the row of ``scores.parquet``; ``score_answers`` does it for one programme and
is what a reader can follow by hand. ``run_score`` is ``nsss score``: it reads the
processed tables, writes scores, every indicator table and the recommendations.

The policy constants of the whole diagnostics engine (weights, thresholds, interval
and model rules) live at the top of this module, each with its reason; the method
note (:mod:`nsss_analysis.report.method_note`) prints them from here, so the two cannot drift.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

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
    return [str(v) for v in value]  # type: ignore[attr-defined]  # a list, tuple or array from parquet


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


class RulePart(NamedTuple):
    """One condition of the level rule that fired: ``kind`` is ``item`` (``item`` had
    ``answer``), ``women_target`` (women a target group), ``women_stage``
    (``women_working_age`` a life-cycle stage), ``completeness`` (``value`` below the
    threshold) or ``blind`` (none of the conditions of a higher level held)."""

    kind: str
    item: str = ""
    answer: str = ""
    value: float = math.nan


#: How the conditions of a level's rule are joined: all must hold (transformative) or
#: any one sets the level (the others).
RULE_JOINERS: dict[str, str] = {TRANSFORMATIVE: " + "}
RULE_JOINER = "; "
#: The gender-blind level's rule, in words (its only condition is that no other held).
BLIND_RULE = (
    "no empowerment objective or action, no women targeting, and no evidence item "
    "or transformative element at yes or partly"
)


def level_parts(
    answers: Mapping[str, str], completeness: float, women_target: bool, women_stage: bool
) -> tuple[str, tuple[RulePart, ...]]:
    """The GRAS level and the conditions of the rule that fired (docs/method.md,
    section 2: first match wins). :func:`rule_in_english` writes them as the stored
    ``level_rule``; the report writes them in the page's language."""
    if completeness < COMPLETENESS_THRESHOLD:
        return INSUFFICIENT, (RulePart("completeness", value=completeness),)
    a = answers
    if (
        a["empowerment_objective"] == "yes"
        and a["norms_awareness"] == "yes"
        and (a["social_capital"] == "yes" or a["skills_training"] == "yes")
    ):
        held = ["empowerment_objective", "norms_awareness"] + [
            i for i in ("social_capital", "skills_training") if a[i] == "yes"
        ]
        return TRANSFORMATIVE, tuple(RulePart("item", i, "yes") for i in held)
    specific = []
    if women_target:
        specific.append(RulePart("women_target"))
    if women_stage:
        specific.append(RulePart("women_stage"))
    specific += [
        RulePart("item", i, a[i])
        for i in ("empowerment_objective", "empowerment_actions")
        if a[i] in PRESENT
    ]
    if specific:
        return SPECIFIC, tuple(specific)
    sensitive = [
        RulePart("item", i, a[i])
        for i in (*DOMAINS["evidence"], *DOMAINS["transformative"])
        if a[i] in PRESENT
    ]
    if sensitive:
        return SENSITIVE, tuple(sensitive)
    return BLIND, (RulePart("blind"),)


def _part_in_english(part: RulePart) -> str:
    if part.kind == "completeness":
        return f"completeness {part.value:.2f} < {COMPLETENESS_THRESHOLD:g}"
    if part.kind == "women_target":
        return "women a target group"
    if part.kind == "women_stage":
        return "women_working_age a life-cycle stage"
    if part.kind == "blind":
        return BLIND_RULE
    return f"{_label(part.item)} {part.answer}"


def rule_in_english(level: str, parts: Iterable[RulePart]) -> str:
    """The rule as stored in ``scores.level_rule``: ``women a target group; empowerment objective yes``."""
    return RULE_JOINERS.get(level, RULE_JOINER).join(_part_in_english(p) for p in parts)


def rule_parts(level: str, rule: str) -> tuple[RulePart, ...] | None:
    """The conditions of a stored ``level_rule`` (the inverse of :func:`rule_in_english`);
    None when ``rule`` is not one this module writes (a table from another version).

    >>> rule_parts("gender-specific", "women a target group; empowerment objective yes")
    (RulePart(kind='women_target', item='', answer='', value=nan), RulePart(kind='item', item='empowerment_objective', answer='yes', value=nan))
    """
    if not isinstance(rule, str) or not rule:
        return None
    items = {_label(i): i for i in ITEMS}
    parts = []
    for text in rule.split(RULE_JOINERS.get(level, RULE_JOINER)):
        if text == BLIND_RULE:
            parts.append(RulePart("blind"))
        elif text == "women a target group":
            parts.append(RulePart("women_target"))
        elif text == "women_working_age a life-cycle stage":
            parts.append(RulePart("women_stage"))
        elif text.startswith("completeness ") and text.endswith(f" < {COMPLETENESS_THRESHOLD:g}"):
            try:
                parts.append(RulePart("completeness", value=float(text.split()[1])))
            except ValueError:
                return None
        else:
            name, _, answer = text.rpartition(" ")
            if name not in items or answer not in ANSWERS:
                return None
            parts.append(RulePart("item", items[name], answer))
    return tuple(parts)


def _level(
    answers: Mapping[str, str], completeness: float, women_target: bool, women_stage: bool
) -> tuple[str, str]:
    """The GRAS level and the rule that fired, in English words (``scores.level_rule``)."""
    level, parts = level_parts(answers, completeness, women_target, women_stage)
    return level, rule_in_english(level, parts)


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
