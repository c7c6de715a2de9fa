"""Programme scores, gender-responsiveness levels and markers (diagnostics spec 1-2).

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
from pathlib import Path

import pandas as pd

from nsss_analysis import vocab
from nsss_analysis.errors import NsssError

# --- Policy constants -------------------------------------------------------------

#: How an answer counts in a domain mean (spec 1): ``partly`` is half-way between
#: having an element and not having it. ``not_applicable`` and ``unknown`` are absent
#: on purpose: they leave the item out of the mean instead of counting as ``no``.
ANSWER_WEIGHTS: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}
#: Below half the items answered, a level would be a guess (spec 2, rule 1).
COMPLETENESS_THRESHOLD = 0.5
#: The inclusion score is a mean across intent, action and evidence; one domain
#: alone is not that, so fewer than two scored domains leave the score missing.
MIN_DOMAINS_SCORED = 2
#: Scores are shown 0-100 (domain scores stay 0-1, as in the spec).
SCORE_SCALE = 100.0
#: 95% intervals everywhere, the convention readers of the reports expect.
CONFIDENCE_ALPHA = 0.05
#: Below 5 programmes a mean or share is an indication, not an estimate: flagged.
SMALL_N = 5
#: From 10 values the mean of 0-100 scores is near enough to normal for a t interval;
#: below that a percentile bootstrap (spec 3).
T_INTERVAL_MIN_N = 10
#: Bootstrap resamples: enough for the 2.5/97.5 percentiles to be stable to about
#: 0.1 score points; seeded (the workshop's date) so every run prints the same interval.
BOOTSTRAP_RESAMPLES = 4000
BOOTSTRAP_SEED = 20190131
#: Fewer programmes than this and a model's coefficients are noise (spec 4).
MODEL_MIN_N = 30
#: A logit coefficient with a standard error above this (its odds ratio's interval
#: spans more than e^±20) signals quasi-separation, not an estimate.
MODEL_MAX_LOGIT_SE = 10.0
#: Budget plausibility (spec 3): a ratio of allocation to beneficiaries x rate x 12
#: whose log10 lies within this distance of ±1 or ±2 reads as a slipped decimal
#: ("about 10x"). 0.15 accepts ratios 7-14x; the Rangpur page's 6133/613.4 is 10.0x.
PLAUSIBILITY_LOG10_TOLERANCE = 0.15
#: Ratios inside this range are plausible: allocations include administration and
#: payment costs, and rates or enrolment change during a year. Outside it, and not
#: near a power of ten, the row is flagged for a check.
PLAUSIBLE_RATIO_RANGE: tuple[float, float] = (0.5, 2.0)

# --- Names used by the rules ------------------------------------------------------

INSUFFICIENT, BLIND, SENSITIVE, SPECIFIC, TRANSFORMATIVE = vocab.LEVELS
#: The levels counted as "gender-specific or transformative" (indicators, models).
GENDER_SPECIFIC_OR_TRANSFORMATIVE: tuple[str, ...] = (SPECIFIC, TRANSFORMATIVE)
#: Answers that count as present for the gender-specific and gender-sensitive rules.
PRESENT = ("yes", "partly")
#: Answers that count as claiming an empowerment objective for the marker and for
#: ``marker_unsubstantiated``: the flag qualifies the marker, and the marker is 1 for
#: ``partly``, so a partial claim without gender analysis/indicators is flagged too.
MARKER_CLAIMS = ("yes", "partly")
#: Data readiness is the weakest link (PEFA-style): a known ``no`` is weaker than an
#: ``unknown`` (which may turn out yes), then ``partly``, then ``yes``.
#: ``not_applicable`` is ignored; all three not applicable gives ``not_applicable``.
READINESS_ORDER: tuple[str, ...] = ("no", "unknown", "partly", "yes")
READINESS_ITEMS: tuple[str, ...] = (
    "sex_disaggregated_data",
    "gender_reporting",
    "gender_indicators",
)

LINEAGE = vocab.LINEAGE_COLUMNS
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
    *vocab.ITEMS,
    *vocab.FOLLOWUPS,
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
    """Women are a target group or ``women_working_age`` a life-cycle stage (spec 2)."""
    return "women" in set(target_groups) or "women_working_age" in set(lifecycle_stages)


def _domain_scores(answers: Mapping[str, str]) -> dict[str, float]:
    scores = {}
    for domain, items in vocab.DOMAINS.items():
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
    for followup, items in vocab.FOLLOWUPS.items():
        if followups.get(followup) == "yes":
            for item in items:
                lifted[item] = "yes"
    return lifted


def _level(
    answers: Mapping[str, str], completeness: float, women_target: bool, women_stage: bool
) -> tuple[str, str]:
    """The GRAS level and the rule that fired, in words (spec 2: first match wins)."""
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
        for i in (*vocab.DOMAINS["evidence"], *vocab.DOMAINS["transformative"])
        if a[i] in PRESENT
    ]
    if sensitive:
        return SENSITIVE, "; ".join(sensitive)
    return BLIND, (
        "no empowerment objective or action, no women targeting, and no evidence item "
        "or transformative element at yes or partly"
    )


def _data_readiness(answers: Mapping[str, str]) -> str:
    present = [answers[i] for i in READINESS_ITEMS if answers[i] != "not_applicable"]
    if not present:
        return "not_applicable"
    return min(present, key=READINESS_ORDER.index)


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

    >>> answers = dict.fromkeys(vocab.ITEMS, "no") | {"empowerment_objective": "yes"}
    >>> s = score_answers(answers, target_groups=["women"])
    >>> round(s["inclusion_score"], 2), s["level"], s["gender_marker"]
    (11.11, 'gender-specific', 2)
    """
    stages, groups = list(lifecycle_stages), list(target_groups)
    items = {i: answers[i] for i in vocab.ITEMS}
    followups = {f: answers.get(f, "unknown") for f in vocab.FOLLOWUPS}
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
    """One row of ``scores.parquet`` per row of ``assessments.parquet`` (spec 1-2).

    The lineage, ministry, programme and cluster are carried over so every score can
    be traced to the spreadsheet row it came from. Raises :class:`NsssError` naming
    the cell when an answer is outside the vocabulary, and the columns when some
    are missing.
    """
    check_columns(assessments, _REQUIRED, "assessments")
    rows = []
    for row in assessments[list(_REQUIRED)].to_dict("records"):
        answers = {i: _checked_answer(row, i, vocab.ANSWERS) for i in vocab.ITEMS}
        answers |= {f: _checked_answer(row, f, vocab.FOLLOWUP_ANSWERS) for f in vocab.FOLLOWUPS}
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


# --- nsss score -------------------------------------------------------------------


def run_score(processed_dir: Path | str) -> int:
    """``nsss score``: read the processed tables, write scores, indicators, recommendations.

    Reads ``assessments.parquet`` (required), ``budgets.parquet``, ``quarantine.csv``
    and ``conflicts.csv`` (when present); writes ``scores.parquet``, one
    ``indicator_<name>.parquet`` per indicator table and ``recommendations.parquet``,
    each atomically, only after everything is computed. Prints a short summary.
    """
    from nsss_analysis import indicators, store
    from nsss_analysis.recommendations import recommendations

    processed_dir = Path(processed_dir)
    assessments = indicators.read_assessments(processed_dir)
    tables = indicators.Tables(
        assessments=assessments,
        budgets=indicators.read_optional("budgets", processed_dir),
        scores=score_programmes(assessments),
        quarantine=indicators.read_optional("quarantine", processed_dir),
        conflicts=indicators.read_optional("conflicts", processed_dir),
    )
    tables.recommendations = recommendations(tables.assessments, tables.scores, tables.budgets)
    outputs = {"scores": tables.scores, "recommendations": tables.recommendations}
    outputs |= {
        f"indicator_{name}": table for name, table in indicators.all_indicators(tables).items()
    }
    for name, table in outputs.items():
        store.write_parquet_atomic(table, processed_dir / f"{name}.parquet")

    counts = tables.scores["level"].value_counts()
    by_level = ", ".join(f"{level} {int(counts.get(level, 0))}" for level in vocab.LEVELS)
    print(f"scored {len(tables.scores)} programmes: {by_level}")
    print(
        f"wrote scores.parquet, {len(outputs) - 2} indicator tables and "
        f"recommendations.parquet ({len(tables.recommendations)} actions) to {processed_dir}"
    )
    return 0

