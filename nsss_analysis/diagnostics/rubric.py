"""The policy of the diagnostics engine, in one place: answer weights, thresholds,
interval and model rules, the level names and the item groups the rules use.

Each constant carries its reason; the method note (:mod:`nsss_analysis.report.method_note`)
prints them from here, so the note and the computation cannot drift (docs/method.md
explains each rule)."""

from __future__ import annotations

from nsss_analysis.reference.vocab import LEVELS

#: How an answer counts in a domain mean (docs/method.md, section 1): ``partly`` is half-way between
#: having an element and not having it. ``not_applicable`` and ``unknown`` are absent
#: on purpose: they leave the item out of the mean instead of counting as ``no``.
ANSWER_WEIGHTS: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}


#: Below half the items answered, a level would be a guess (docs/method.md, section 2, rule 1).
COMPLETENESS_THRESHOLD = 0.5


#: The inclusion score is a mean across intent, action and evidence; one domain
#: alone is not that, so fewer than two scored domains leave the score missing.
MIN_DOMAINS_SCORED = 2


#: Scores are shown 0-100 (domain scores stay 0-1, as in docs/method.md).
SCORE_SCALE = 100.0


#: 95% intervals everywhere, the convention readers of the reports expect.
CONFIDENCE_ALPHA = 0.05


#: Below 5 programmes a share or mean is not an estimate: the reports write counts
#: ("1 of 2") and the programmes' own scores instead, and compare nothing.
SMALL_N = 5


#: A share is given as a percentage only from this denominator up; below it, as a count.
SHARE_MIN_N = SMALL_N


#: A difference between two units ("above", "below") is stated only when both have at
#: least this many programmes and their 95% intervals do not overlap.
COMPARISON_MIN_N = SMALL_N


#: No interval is drawn from fewer observations than this: two values give a t
#: interval with one degree of freedom (a multiplier of 12.7), which says nothing.
INTERVAL_MIN_N = 3


#: The t interval is used from 3 values up and clipped to the score's 0-100 range. The
#: percentile bootstrap is not used: at n = 2-10 it under-covers badly (a bootstrap
#: of two values is the range of the two).
T_INTERVAL_MIN_N = INTERVAL_MIN_N


#: The range a mean score can take; a t interval is clipped to it.
SCORE_RANGE: tuple[float, float] = (0.0, 100.0)


#: Seed for anything random that must be the same on every run (the workshop's date).
BOOTSTRAP_SEED = 20190131


#: Fewer programmes than this and a model's coefficients are noise.
MODEL_MIN_N = 30


#: A logistic model needs at least this many events, and as many non-events, per
#: estimated parameter (intercept included); an OLS model this many programmes per
#: parameter. Below it the estimates are unstable and a "clear" term can rest on one
#: programme (Peduzzi et al. 1996).
MODEL_MIN_PER_PARAMETER = 10


#: A cluster with fewer programmes than this is merged into "other clusters" for a
#: model (dropped when "other clusters" is itself this small), and the reading says so.
MODEL_MIN_CATEGORY = 5


#: A logit coefficient with a standard error above this (its odds ratio's interval
#: spans more than e^±20) signals quasi-separation, not an estimate.
MODEL_MAX_LOGIT_SE = 10.0


#: Budget plausibility (docs/method.md, section 6): a ratio of allocation to beneficiaries x rate x 12
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
#: ``unknown`` (which may turn out yes), then ``not_applicable`` (no evidence either
#: way), then ``partly``, then ``yes``. A programme is ready only when all three items
#: are ``yes``: ``not_applicable`` is not evidence of readiness.
READINESS_ORDER: tuple[str, ...] = ("no", "unknown", "not_applicable", "partly", "yes")


READINESS_ITEMS: tuple[str, ...] = (
    "sex_disaggregated_data",
    "gender_reporting",
    "gender_indicators",
)


#: Coverage of the nominal 95% intervals, measured by
#: ``intervals.coverage_simulation(seed=2019)`` (20,000 draws per n; a slow test re-runs
#: it): Wilson over true shares spread evenly on [0.05, 0.95], and the clipped t
#: interval over scores drawn from 100 x Beta(2, 5) and over scores with mass at 0 and
#: 100 as real ones have (``t_mass``).
MEASURED_COVERAGE: dict[str, dict[int, float]] = {
    "wilson": {5: 0.957, 10: 0.957, 20: 0.954},
    "t": {5: 0.936, 10: 0.941, 20: 0.945},
    # scores with mass at the ends (15% exactly 0, 5% exactly 100, the rest 100 x Beta(2, 5)):
    # below nominal, about 93% at n = 5; a sample of identical scores gets no interval
    "t_mass": {5: 0.930, 10: 0.927, 20: 0.930},
}
