"""The method note every report prints: how each figure is computed, by hand if need be.

Built from the same constants and vocabularies the code uses (``scoring``,
``indicators``, ``recommendations``, ``vocab``), so the note cannot drift from the
computation. A worked example is scored by :func:`score_answers` itself.
"""

from __future__ import annotations

from nsss_analysis.diagnostics.recommendations import ALWAYS_LISTED, GAP_ANSWERS
from nsss_analysis.diagnostics.rubric import (
    ANSWER_WEIGHTS,
    BLIND,
    COMPARISON_MIN_N,
    COMPLETENESS_THRESHOLD,
    INSUFFICIENT,
    INTERVAL_MIN_N,
    MEASURED_COVERAGE,
    MIN_DOMAINS_SCORED,
    MODEL_MAX_LOGIT_SE,
    MODEL_MIN_CATEGORY,
    MODEL_MIN_N,
    MODEL_MIN_PER_PARAMETER,
    PLAUSIBILITY_LOG10_TOLERANCE,
    PLAUSIBLE_RATIO_RANGE,
    READINESS_ITEMS,
    READINESS_ORDER,
    SENSITIVE,
    SHARE_MIN_N,
    SMALL_N,
    SPECIFIC,
    T_INTERVAL_MIN_N,
    TRANSFORMATIVE,
)
from nsss_analysis.diagnostics.scoring import score_answers
from nsss_analysis.reference.vocab import DOMAINS, FOLLOWUPS, ITEMS


def _coverage(kind: str) -> str:
    return ", ".join(f"{v:.1%} at n = {n}" for n, v in MEASURED_COVERAGE[kind].items())


def _items(items) -> str:
    return ", ".join(f"`{i}`" for i in items)


def _worked_example() -> str:
    answers = {
        "graduation": "no", "empowerment_objective": "yes", "empowerment_actions": "partly",
        "social_capital": "no", "norms_awareness": "unknown", "skills_training": "yes",
        "sex_disaggregated_data": "yes", "gender_analysis": "no", "gender_reporting": "partly",
        "gender_indicators": "not_applicable",
        "graduation_possible": "yes", "empowerment_possible": "no",
        "social_capital_possible": "yes", "norms_awareness_possible": "unknown",
        "skills_training_possible": "not_applicable",
    }
    s = score_answers(answers, lifecycle_stages=["working_age"], target_groups=["poor_households"])
    shown = ", ".join(f"`{i}` {answers[i]}" for i in ITEMS)
    return f"""\
**Worked example.** Answers: {shown}; follow-ups `graduation_possible` yes,
`social_capital_possible` yes; target group `poor_households`, stage `working_age`.
- Intent: (1 + 0.5 + 0) / 3 = {s['intent_score']:.3f}; transformative (`norms_awareness`
  unknown, left out): (0 + 1) / 2 = {s['transformative_score']:.3f}; evidence
  (`gender_indicators` not applicable, left out): (1 + 0 + 0.5) / 3 = {s['evidence_score']:.3f}.
- Inclusion score: 100 x ({s['intent_score']:.3f} + {s['transformative_score']:.3f} +
  {s['evidence_score']:.3f}) / 3 = **{s['inclusion_score']:.1f}**.
- Potential: `graduation` and `social_capital` count as yes: intent (1 + 0.5 + 1) / 3,
  transformative (1 + 1) / 2, evidence unchanged: **{s['potential_score']:.1f}**.
- Completeness: 9 of 10 answered other than unknown = **{s['completeness']:.1f}**.
- Level: not transformative (`norms_awareness` is not yes); **{s['level']}** because
  {s['level_rule']}. Marker **{s['gender_marker']}** (objective yes, women not targeted);
  `marker_unsubstantiated` **{s['marker_unsubstantiated']}** (`gender_analysis` no);
  data readiness **{s['data_readiness']}** (the weakest of yes, partly and not applicable:
  not ready, since all three must be yes).
"""


def method_note() -> str:
    """The method note, in Markdown: rubric, weights, level rules in order, markers,
    intervals and why, the small-n rule, model guards and recommendation ranking."""
    weights = ", ".join(f"`{a}` = {w:g}" for a, w in ANSWER_WEIGHTS.items())
    domains = "\n".join(
        f"| {d} | {_items(items)} |" for d, items in DOMAINS.items()
    )
    followups = "; ".join(f"`{f}` → {_items(items)}" for f, items in FOLLOWUPS.items())
    low, high = PLAUSIBLE_RATIO_RANGE
    return f"""\
## Method note

How every figure in this report is computed, so that anyone can recompute it by hand.
The rubric follows the WHO Gender Responsive Assessment Scale (levels), the OECD-DAC
gender equality policy marker (0/1/2) and the IASC Gender with Age Marker (a code from
fixed questions); nothing here is a ranking of ministries.

### Programme scores
Each answer counts {weights}. `not_applicable` and `unknown` leave the item out of the
mean (they are not counted as no); `unknown` counts against completeness.

| domain | items |
|---|---|
{domains}

- **Domain score** (0-1): the mean of the domain's answered items; missing when none is answered.
- **Gender inclusion score** (0-100): 100 x the mean of the domain scores; missing when
  fewer than {MIN_DOMAINS_SCORED} domains are scored.
- **Potential score**: the same, with every item whose follow-up ("If not, can ...?") is
  `yes` counted as `yes`, whatever its answer: what the ministry says is within reach.
  Follow-ups and the items they follow: {followups}. The potential is never below the score.
- **Completeness** (0-1): the share of the ten items answered other than `unknown`
  (`not_applicable` counts as answered).

### Gender-responsiveness level (WHO GRAS), first rule that holds
1. `{INSUFFICIENT}`: completeness below {COMPLETENESS_THRESHOLD:g}.
2. `{TRANSFORMATIVE}`: `empowerment_objective` yes, `norms_awareness` yes, and
   `social_capital` or `skills_training` yes.
3. `{SPECIFIC}`: `women` a target group, or `women_working_age` a life-cycle
   stage, or `empowerment_objective` or `empowerment_actions` yes or partly.
4. `{SENSITIVE}`: any evidence item or transformative element yes or partly.
5. `{BLIND}`: everything else (so a programme answering everything not
   applicable is gender-blind, and one answering everything unknown has insufficient data).

GRAS level 1, gender-unequal, cannot be judged from the form: it is left to the
specialist. Each programme's `level_rule` states the rule that fired.

### Markers and flags
- **Gender marker** (OECD-DAC): 2 where `empowerment_objective` is yes and women are
  targeted (`women` a target group or `women_working_age` a stage); 1 where
  `empowerment_objective` is yes or partly otherwise; 0 else.
- **women_targeted**: `women` a target group or `women_working_age` a stage. Targeting
  women is not by itself being gender-responsive.
- **marker_unsubstantiated**: an empowerment objective is claimed (yes or partly, as
  for a marker of 1 or 2) but `gender_analysis` or `gender_indicators` is no ("code what you see").
- **Data readiness** (weakest link, as PEFA's gender-responsive PFM framework combines
  parts): the weakest of {_items(READINESS_ITEMS)}, in the order
  {" < ".join(READINESS_ORDER)} (a known no is weaker than an unknown).
  A programme is ready only when all three are yes: not applicable, unknown and partly
  are not ready.

{_worked_example()}
### Counting each programme once
- A programme counts once per assessment round. Rows repeating each other cell for cell
  (a resubmission) count once. Of rows of the same programme and round that disagree
  (each listed in the report), the row of the later-received submission is used (the
  workbook's own modified date, or a date in the file or sheet name); where neither is
  later, the programme counts once with the answers they disagree on set to unknown.
  The report lists each such programme and what was used.
- A report's figures are for each programme's latest assessment round; earlier rounds
  appear only in the paired trend. Programmes are matched across tables by ministry and
  programme name (case, spacing and punctuation ignored).

### Indicators and their intervals
- **Shares of programmes** (by level, each item yes, data ready) carry a 95% Wilson
  interval (statsmodels `proportion_confint(method="wilson")`). Below {SHARE_MIN_N}
  programmes a share is written as a count ("1 of 2"), with no percentage and no
  interval. The share with an item yes counts `unknown` answers in the denominator (not
  a known yes) and leaves `not_applicable` out.
- **Mean inclusion score**: a t interval clipped to 0-100, from {T_INTERVAL_MIN_N}
  programmes up; none when all scores are equal (it would have zero width). No interval
  is ever drawn from fewer than {INTERVAL_MIN_N} observations. Below {SMALL_N} programmes
  the report shows the programmes' own scores, not a mean, and compares nothing. The
  percentile bootstrap is not used: at small n it under-covers badly.
- **Measured coverage** of the nominal 95% intervals (seeded simulation, 20,000 draws per n):
  Wilson over true shares spread evenly on 5-95%: {_coverage("wilson")}; t interval over
  scores drawn from 100 x Beta(2, 5): {_coverage("t")}.
- **Numbers**: every share is written with its count ("46% of 1,982"); a percentage is
  never rounded to 0% or 100% unless exactly so ("99.6%", "under 1%"), and interval bounds
  are printed with enough decimals to differ.
- **Budget share** in gender-specific or transformative programmes: of the unit's
  whole budget in one fiscal year (the latest with data), named once (programmes not
  assessed stay in the denominator). Allocations flagged by the plausibility check
  below are left out of every total and share, and the sentence says so.
- **Women's share of beneficiaries**: women paid / people paid, over the programmes that
  report both counts, with how many do. These are administrative totals, not a sample,
  so no sampling interval is shown; counts where women exceed the total are left out and flagged.
- **Life-cycle matrix**: distinct programmes per cluster and stage (`none` for
  programmes naming no stage); a programme with several stages appears under each with
  its whole budget, so budgets add across clusters, not across stages.
- **Budget plausibility**: beneficiaries x monthly rate x 12 / 10^7 gives the implied
  crore; a ratio of allocation to that within {PLAUSIBILITY_LOG10_TOLERANCE:g} of a
  power of ten (log10) is flagged "about 10x", "about 1/10x"..., any other ratio outside
  {low:g}-{high:g} "check". Figures are flagged, never corrected, and left out of totals.
- **Comparisons** ("above", "below", "higher"): stated only when both units have at least
  {COMPARISON_MIN_N} programmes and their 95% intervals do not overlap; otherwise "no
  clear difference", or nothing. No ministry is ranked.
- **Districts** (MIS extracts): a funnel plot of each district's women's share against
  its number of beneficiaries, with 95% and 99.8% limits around the national share; a
  district is named only when outside the 99.8% limits, with its n. No range "from X to
  Y" across districts is printed: at small n the extremes are chance.
- **MIS counts**: a beneficiary with a valid sex counts in the sex totals and women's
  share even when the age or district is unreadable (it falls in the unknown band).
- **Headlines**: every figure in one headline is from the same fiscal year and
  assessment round, named once.

### Models (national overview)
A logistic model (GLM binomial) of "gender-specific or transformative" and an OLS model
of the inclusion score (HC3 robust intervals), each on NSSS cluster (reference: the
cluster with most programmes) and log10 of the programme's latest budget. No model is
shown, only the reason, with fewer than {MODEL_MIN_N} programmes, fewer than
{MODEL_MIN_PER_PARAMETER} events (and non-events; programmes for OLS) per estimated
parameter, an outcome that does not vary, a cluster whose programmes are all or none gender-specific (separation),
non-convergence, a log-odds standard error above {MODEL_MAX_LOGIT_SE:g}, or terms
that cannot be separated. A cluster with fewer than {MODEL_MIN_CATEGORY} programmes is
merged into "other clusters" or left out, and the reading says so. Results are
associations, not effects.

### Trends
Rounds are compared only on the same programmes: those assessed in two rounds
(`assessment_round`), paired, with the number paired stated and each programme's change
named; a summary of change needs at least {SMALL_N} pairs. A round with other
programmes is a different population, not a change.

### Recommendations
Every gap, an item answered {", ".join(GAP_ANSWERS)} (not applicable is not a gap),
becomes an action in the words of the 2019 programme assessment guideline. Within each
ministry they are ranked first where the ministry's follow-up says it is possible (yes),
then by the programme's budget (latest fiscal year with data, largest first). Missing
{" and ".join(f"`{i}`" for i in ALWAYS_LISTED)} are always listed: nothing else can be
measured without them. The quick wins are the top actions the ministry says are possible.
"""
