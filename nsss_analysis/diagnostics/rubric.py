"""The policy of the diagnostics engine, in one place: answer weights, thresholds,
interval and model rules, the level names and the item groups the rules use.

Each constant carries its reason; the method note (:mod:`nsss_analysis.diagnostics.method_note`)
prints them from here, so the note and the computation cannot drift (docs/method.md
explains each rule)."""

from __future__ import annotations

from nsss_analysis.reference.vocab import LEVELS

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


INSUFFICIENT, BLIND, SENSITIVE, SPECIFIC, TRANSFORMATIVE = LEVELS


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
