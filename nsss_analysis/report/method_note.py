"""The method note every report prints: how each figure is computed, by hand if need be.

Built from the same constants and vocabularies the code uses (``rubric``,
``recommendations``, ``vocab``), so the note cannot drift from the computation. A
worked example is scored by :func:`score_answers` itself.

Each paragraph, bullet and table row is one message id with named placeholders, so
the note reads whole in each language; the Markdown around them (headings, list
markers, table bars) stays outside the message ids, so translation cannot break it.
The constants and measured figures are written with :mod:`nsss_analysis.reference.numbers`
in the note's language (Bangla digits in Bangla). Data codes (items, answers, column
names) stay in backticks as the tables spell them.
"""

from __future__ import annotations

from typing import Any

from nsss_analysis.diagnostics.budgets import BUDGET_YEAR_MIN_PROGRAMMES
from nsss_analysis.diagnostics.counting import REVISION_WORDS
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
    PRESENT,
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
from nsss_analysis.reference.glossary import FORM_ANSWER_NAMES, ITEM_NAMES, LEVEL_NAMES, has_glossary, terms
from nsss_analysis.reference.i18n import N_, about_language, current, resolve_language, translator
from nsss_analysis.reference.numbers import number, percent, short
from nsss_analysis.reference.vocab import DOMAINS, FOLLOWUPS, ITEMS, load_reference
from nsss_analysis.report import claims

#: Proper names the note keeps in English in every language: the scales and markers
#: the rubric follows and the statistical methods (single words such as PEFA, Wilson,
#: OLS, HC3 or statsmodels need no listing).
TECHNICAL_NAMES: tuple[str, ...] = (
    "WHO Gender Responsive Assessment Scale",
    "WHO GRAS",
    "IASC Gender with Age Marker",
    "GLM binomial",
    'proportion_confint(method="wilson")',
)

#: The domains' names as the note's table writes them (lower case, as the data's keys).
DOMAIN_WORDS: dict[str, str] = {
    "intent": N_("intent"),
    "transformative": N_("transformative"),
    "evidence": N_("evidence"),
}

#: The worked example's answers: every answer and each rule of the score appears once.
EXAMPLE_ANSWERS: dict[str, str] = {
    "graduation": "no", "empowerment_objective": "yes", "empowerment_actions": "partly",
    "social_capital": "no", "norms_awareness": "unknown", "skills_training": "yes",
    "sex_disaggregated_data": "yes", "gender_analysis": "no", "gender_reporting": "partly",
    "gender_indicators": "not_applicable",
    "graduation_possible": "yes", "empowerment_possible": "no",
    "social_capital_possible": "yes", "norms_awareness_possible": "unknown",
    "skills_training_possible": "not_applicable",
}


class _Note:
    """The words and numbers of one language."""

    def __init__(self, language: str):
        self.language = language
        self._ = translator(language).gettext

    @property
    def english(self) -> bool:
        """Whether the note is in the language the data's codes are words of (the source
        language): it shows the codes themselves in running text, others their words."""
        return about_language(self.language).is_source

    def g(self, value: float) -> str:
        """A constant as Python's ``:g`` writes it, in the language's digits: a claim of
        the page's ledger, like every figure the note prints."""
        return str(claims.figure(value, "number", short(value, self.language), where="method_note"))

    def n(self, value: float, decimals: int = 0) -> str:
        """A constant or a worked figure with ``decimals`` decimals: a claim of the page."""
        return str(claims.figure(value, "number", number(value, self.language, decimals), where="method_note"))

    def answer(self, code: str) -> str:
        """An answer as the note writes it in running text: the data's code in
        The form's word, in English as in Bangla (not applicable, প্রযোজ্য নয়), not the data's code."""
        return self._(FORM_ANSWER_NAMES[code])

    def level(self, level: str) -> str:
        return level if self.english else self._(LEVEL_NAMES[level])

    def domain(self, domain: str) -> str:
        return domain if self.english else self._(DOMAIN_WORDS[domain])

    def code(self, code: str) -> str:
        """A data code as the note cites it: in backticks in English (`norms_awareness`);
        in Bangla its label first, the code after it (বৈষম্যমূলক সামাজিক রীতির বিরুদ্ধে
        সচেতনতা (`norms_awareness`)), so that a reader sees the words before the code."""
        if self.english:
            return f"`{code}`"
        label = _code_labels().get(code)
        return f"{self._(label)} (`{code}`)" if label else f"`{code}`"


def _code_labels() -> dict[str, str]:
    """Each data code the note cites -> its words (message ids): the items, the answers,
    and the form's columns (the follow-up questions)."""
    form = {c.column: c.label for c in load_reference().columns_of("Programmes")}
    return {**form, **FORM_ANSWER_NAMES, **ITEM_NAMES}


def _codes(w: _Note, items) -> str:
    return ", ".join(w.code(i) for i in items)


def _coverage(w: _Note, kind: str) -> str:
    return ", ".join(
        w._("{share} at n = {n}").format(share=claims.figure(v, "percent", percent(v, w.language, 1),
                                                             where="method_note.coverage"), n=w.n(n))
        for n, v in MEASURED_COVERAGE[kind].items()
    )


def _example_rule(w: _Note, s: dict) -> str:
    """The rule the worked example's level fired: the scorer's own words in English;
    in Bangla the same items and answers (the example is gender-specific by its
    empowerment items)."""
    if w.english:
        return str(s["level_rule"])
    held = [i for i in ("empowerment_objective", "empowerment_actions") if EXAMPLE_ANSWERS[i] in PRESENT]
    return "; ".join(
        f"{w._(ITEM_NAMES[i])} {w.answer(EXAMPLE_ANSWERS[i])}"
        for i in held
    )


def _worked_example(w: _Note) -> list[str]:
    _ = w._
    a = EXAMPLE_ANSWERS
    s: dict[str, Any] = score_answers(a, lifecycle_stages=["working_age"], target_groups=["poor_households"])
    shown = ", ".join(f"{w.code(i)} {w.answer(a[i])}" for i in ITEMS)
    intent, transformative, evidence = (w.n(s[k], 3) for k in ("intent_score", "transformative_score",
                                                                  "evidence_score"))
    unsubstantiated = str(s["marker_unsubstantiated"]) if w.english else w.answer(
        "yes" if s["marker_unsubstantiated"] else "no")
    return [
        _("**Worked example.** Answers: {answers}; follow-ups `graduation_possible` yes, "
          "`social_capital_possible` yes; target group `poor_households`, stage `working_age`.").format(
            answers=shown),
        "- " + _("Intent: (1 + 0.5 + 0) / 3 = {intent}; transformative (`norms_awareness` unknown, left out): "
                 "(0 + 1) / 2 = {transformative}; evidence (`gender_indicators` not applicable, left out): "
                 "(1 + 0 + 0.5) / 3 = {evidence}.").format(
            intent=intent, transformative=transformative, evidence=evidence),
        "- " + _("Inclusion score: 100 x ({intent} + {transformative} + {evidence}) / 3 = **{score}**.").format(
            intent=intent, transformative=transformative, evidence=evidence,
            score=w.n(s["inclusion_score"], 1)),
        "- " + _("Potential: `graduation` and `social_capital` count as yes: intent (1 + 0.5 + 1) / 3, "
                 "transformative (1 + 1) / 2, evidence unchanged: **{score}**.").format(
            score=w.n(s["potential_score"], 1)),
        "- " + _("Completeness: 9 of 10 answered other than unknown = **{completeness}**.").format(
            completeness=w.n(s["completeness"], 1)),
        "- " + _("Level: not transformative (`norms_awareness` is not yes); **{level}** because {rule}. "
                 "Marker **{marker}** (objective yes, women not targeted); `marker_unsubstantiated` "
                 "**{unsubstantiated}** (`gender_analysis` no); data readiness **{readiness}** (the weakest "
                 "of yes, partly and not applicable: not ready, since all three must be yes).").format(
            level=w.level(s["level"]), rule=_example_rule(w, s), marker=w.n(s["gender_marker"]),
            unsubstantiated=unsubstantiated, readiness=w.answer(s["data_readiness"])),
    ]


def method_note(language: str | None = None) -> str:
    """The method note, in Markdown: rubric, weights, level rules in order, markers,
    intervals and why, the small-n rule, model guards and recommendation ranking; in
    ``language`` (default: the report's language, :func:`~nsss_analysis.reference.i18n.current`).
    One function per section of the note, the sections apart by a blank line."""
    w = _Note(resolve_language(language) if language else current().language)
    sections = [_introduction(w), _programme_scores(w), _levels(w), _markers(w), _worked_example(w),
                _counting(w), _indicators(w), _models(w), _trends(w), _recommendations(w)]
    lines = [line for i, section in enumerate(sections) for line in ([""] if i else []) + section]
    lines += _glossary(w)
    return "\n".join(lines) + "\n"


def _introduction(w: _Note) -> list[str]:
    """The note's title, what it is for, and the claims file that records every figure."""
    _ = w._
    return [
        "## " + _("Method note"),
        "",
        _("How every figure in this report is computed, so that anyone can recompute it by hand. "
          "The rubric follows the WHO Gender Responsive Assessment Scale (levels), the OECD-DAC gender "
          "equality policy marker (0/1/2) and the IASC Gender with Age Marker (a code from fixed questions); "
          "nothing here is a ranking of ministries."),
        "",
        _("Every figure of this report is recorded, with the count, interval, fiscal year, round and "
          "programmes behind it, in a claims file beside the report ({file}), checked against the rules "
          "below; {command} shows where a figure comes from.").format(
            file="`<name>.claims.json`", command='`nsss explain <name> "58%"`'),
    ]


def _programme_scores(w: _Note) -> list[str]:
    """How each answer counts, the domains and the four programme scores."""
    _ = w._
    weights = ", ".join(f"{w.code(a)} = {w.g(v)}" for a, v in ANSWER_WEIGHTS.items())
    domain_rows = [f"| {w.domain(d)} | {_codes(w, items)} |" for d, items in DOMAINS.items()]
    followups = "; ".join(f"{w.code(f)} → {_codes(w, items)}" for f, items in FOLLOWUPS.items())
    return [
        "### " + _("Programme scores"),
        _("Each answer counts {weights}. `not_applicable` and `unknown` leave the item out of the mean "
          "(they are not counted as no); `unknown` counts against completeness.").format(weights=weights),
        "",
        "| " + _("domain") + " | " + _("items") + " |",
        "|---|---|",
        *domain_rows,
        "",
        "- " + _("**Domain score** (0-1): the mean of the domain's answered items; missing when none is "
                 "answered."),
        "- " + _("**Gender inclusion score** (0-100): 100 x the mean of the domain scores; missing when "
                 "fewer than {min_domains} domains are scored.").format(min_domains=w.n(MIN_DOMAINS_SCORED)),
        "- " + _("**Potential score**: the same, with every item whose follow-up (\"If not, can ...?\") is "
                 "`yes` counted as `yes`, whatever its answer: what the ministry says is within reach. "
                 "Follow-ups and the items they follow: {followups}. The potential is never below the "
                 "score.").format(followups=followups),
        "- " + _("**Completeness** (0-1): the share of the ten items answered other than `unknown` "
                 "(`not_applicable` counts as answered)."),
    ]


def _levels(w: _Note) -> list[str]:
    """The gender-responsiveness levels (WHO GRAS), in the order their rules are tried."""
    _ = w._
    return [
        "### " + _("Gender-responsiveness level (WHO GRAS), first rule that holds"),
        "1. " + _("`{level}`: completeness below {threshold}.").format(
            level=w.level(INSUFFICIENT), threshold=w.g(COMPLETENESS_THRESHOLD)),
        "2. " + _("`{level}`: `empowerment_objective` yes, `norms_awareness` yes, and `social_capital` or "
                  "`skills_training` yes.").format(level=w.level(TRANSFORMATIVE)),
        "3. " + _("`{level}`: `women` a target group, or `women_working_age` a life-cycle stage, or "
                  "`empowerment_objective` or `empowerment_actions` yes or partly.").format(
            level=w.level(SPECIFIC)),
        "4. " + _("`{level}`: any evidence item or transformative element yes or partly.").format(
            level=w.level(SENSITIVE)),
        "5. " + _("`{level}`: everything else (so a programme answering everything not applicable is "
                  "gender-blind, and one answering everything unknown has insufficient data).").format(
            level=w.level(BLIND)),
        "",
        _("GRAS level 1, gender-unequal, cannot be judged from the form: it is left to the specialist. "
          "Each programme's `level_rule` states the rule that fired."),
    ]


def _markers(w: _Note) -> list[str]:
    """The gender marker, ``women_targeted``, ``marker_unsubstantiated`` and data readiness."""
    _ = w._
    return [
        "### " + _("Markers and flags"),
        "- " + _("**Gender marker** (OECD-DAC): 2 where `empowerment_objective` is yes and women are targeted "
                 "(`women` a target group or `women_working_age` a stage); 1 where `empowerment_objective` is "
                 "yes or partly otherwise; 0 else."),
        "- " + _("**Women targeted** (`women_targeted`): `women` a target group or `women_working_age` a stage. Targeting women "
                 "is not by itself being gender-responsive."),
        "- " + _("**Marker not substantiated** (`marker_unsubstantiated`): an empowerment objective is claimed (yes or partly, as for a "
                 "marker of 1 or 2) but `gender_analysis` or `gender_indicators` is no (\"code what you "
                 "see\")."),
        "- " + _("**Data readiness** (weakest link, as PEFA's gender-responsive PFM framework combines parts): "
                 "the weakest of {items}, in the order {order} (a known no is weaker than an unknown). A "
                 "programme is ready only when all three are yes: not applicable, unknown and partly are not "
                 "ready.").format(items=_codes(w, READINESS_ITEMS),
                                  order=" < ".join(w.answer(a) for a in READINESS_ORDER)),
    ]


def _counting(w: _Note) -> list[str]:
    """How a programme with several rows or rounds counts once."""
    _ = w._
    return [
        "### " + _("Counting each programme once"),
        "- " + _("A programme counts once per assessment round. Rows repeating each other cell for cell (a "
                 "resubmission) count once. Of rows of the same programme and round that disagree (each listed "
                 "in the report), the row of the later-received submission is used (the workbook's own "
                 "modified date, or a date in the file or sheet name). Where the received dates tie or are not "
                 "known, the file or folder name tells: a later calendar date in it (a fiscal year is not a "
                 "date), or a revision word its twin lacks ({words}, a higher `v2` or `(2)`). Where nothing "
                 "tells, the programme is disputed: the forms are never merged (a merge gives a score and a "
                 "level neither form gives); its card shows each form's own answers, level and score side by "
                 "side; it is left out of every count, share, mean, budget share and model, each such figure "
                 "saying so; and the report asks which form stands. The report lists each such programme and "
                 "what was used.").format(words=", ".join(f'"{w}"' for w in REVISION_WORDS)),
        "- " + _("A report's figures are for each programme's latest assessment round; earlier rounds appear "
                 "only in the paired trend. Programmes are matched across tables by ministry and programme "
                 "name (case, spacing and punctuation ignored)."),
    ]


def _indicators(w: _Note) -> list[str]:
    """The indicators and their intervals: shares, means, measured coverage, how numbers are
    written, budget share and plausibility, comparisons, districts, MIS counts, headlines."""
    _ = w._
    low, high = PLAUSIBLE_RATIO_RANGE
    return [
        "### " + _("Indicators and their intervals"),
        "- " + _("**Shares of programmes** (by level, each item yes, data ready) carry a 95% Wilson interval "
                 "(statsmodels `proportion_confint(method=\"wilson\")`). Below {min_n} programmes a share is "
                 "written as a count (\"1 of 2\"), with no percentage and no interval. The share with an item "
                 "yes counts `unknown` answers in the denominator (not a known yes) and leaves "
                 "`not_applicable` out.").format(min_n=w.n(SHARE_MIN_N)),
        "- " + _("**Mean inclusion score**: a t interval clipped to 0-100, from {t_min_n} programmes up; none "
                 "when all scores are equal (it would have zero width). No interval is ever drawn from fewer "
                 "than {interval_min_n} observations. Below {small_n} programmes the report shows the "
                 "programmes' own scores, not a mean, and compares nothing. The percentile bootstrap is not "
                 "used: at small n it under-covers badly.").format(
            t_min_n=w.n(T_INTERVAL_MIN_N), interval_min_n=w.n(INTERVAL_MIN_N), small_n=w.n(SMALL_N)),
        "- " + _("**Measured coverage** of the nominal 95% intervals (seeded simulation, 20,000 draws per n): "
                 "Wilson over true shares spread evenly on 5-95%: {wilson}; t interval over scores drawn from "
                 "100 x Beta(2, 5): {t}; over scores with mass at 0 and 100, as real ones have (15% of "
                 "programmes at 0, 5% at 100): {t_mass}, below the nominal 95%, so a mean of 5 programmes is "
                 "read with care.").format(wilson=_coverage(w, "wilson"), t=_coverage(w, "t"),
                                           t_mass=_coverage(w, "t_mass")),
        "- " + _("**Numbers**: every share is written with its count (\"46% of 1,982\"); a percentage is never "
                 "rounded to 0% or 100% unless exactly so (\"99.6%\", \"under 0.1%\"), and interval bounds are "
                 "printed with enough decimals to differ."),
        "- " + _("**Budget share** in gender-specific or transformative programmes: of the unit's whole budget "
                 "in its budget year, named once: the latest fiscal year in which at least half of the unit's "
                 "programmes with any budget on record, and at least {min_n} of them, have a figure (nationally "
                 "also at least half of the ministries that report budgets); where no year qualifies, the "
                 "amounts and counts per year and no share. Programmes not assessed stay in the denominator; "
                 "disputed programmes are left out of both sides. The changes quoted beside the figures give "
                 "the budget year's amount only. Allocations flagged by the plausibility check below are left "
                 "out of every total and share, and the sentence says so.").format(
            min_n=w.n(BUDGET_YEAR_MIN_PROGRAMMES)),
        "- " + _("**Women's share of beneficiaries**: women paid / people paid, over the programmes that report "
                 "both counts, with how many do. These are administrative totals, not a sample, so no sampling "
                 "interval is shown; counts where women exceed the total are left out and flagged."),
        "- " + _("**Life-cycle matrix**: distinct programmes per cluster and stage (`none` for programmes "
                 "naming no stage); a programme with several stages appears under each with its whole budget, "
                 "so budgets add across clusters, not across stages."),
        "- " + _("**Budget plausibility**: beneficiaries x monthly rate x 12 / 10^7 gives the implied crore; a "
                 "ratio of allocation to that within {tolerance} of a power of ten (log10) is flagged \"about "
                 "10x\", \"about 1/10x\"..., any other ratio outside {low}-{high} \"check\". Figures are "
                 "flagged, never corrected, and left out of totals.").format(
            tolerance=w.g(PLAUSIBILITY_LOG10_TOLERANCE), low=w.g(low), high=w.g(high)),
        "- " + _("**Comparisons** (\"above\", \"below\", \"higher\"): stated only when both units have at least "
                 "{min_n} programmes and their 95% intervals do not overlap; otherwise \"these data cannot tell\" "
                 "(with a handful of programmes the test has little power: no difference is not a finding), "
                 "or nothing; the national figure is quoted with its own interval. No ministry is ranked.").format(
            min_n=w.n(COMPARISON_MIN_N)),
        "- " + _("**Districts** (MIS extracts): a funnel plot of each district's women's share against its "
                 "number of beneficiaries, with exact binomial 95% and 99.8% limits around the national share; "
                 "a district is "
                 "named only when outside the 99.8% limits, with its n. No range \"from X to Y\" across "
                 "districts is printed: at small n the extremes are chance."),
        "- " + _("**MIS counts**: a beneficiary with a valid sex counts in the sex totals and women's share "
                 "even when the age or district is unreadable (it falls in the unknown band)."),
        "- " + _("**Headlines**: every figure in one headline is from the same fiscal year and assessment "
                 "round, named once."),
    ]


def _models(w: _Note) -> list[str]:
    """The national overview's models and the guards that withhold them."""
    _ = w._
    return [
        "### " + _("Models (national overview)"),
        _("A logistic model (GLM binomial) of \"gender-specific or transformative\" and an OLS model of the "
          "inclusion score (HC3 robust intervals), each on NSSS cluster (reference: the cluster with most "
          "programmes) and log10 of the programme's latest budget. No model is shown, only the reason, with "
          "fewer than {min_n} programmes, fewer than {per_parameter} events (and non-events; programmes for "
          "OLS) per estimated parameter, an outcome that does not vary, a cluster whose programmes are all or "
          "none gender-specific (separation), non-convergence, a log-odds standard error above {max_se}, or "
          "terms that cannot be separated. A cluster with fewer than {min_category} programmes is merged into "
          "\"other clusters\" or left out, and the reading says so. Results are associations, not "
          "effects.").format(min_n=w.n(MODEL_MIN_N), per_parameter=w.n(MODEL_MIN_PER_PARAMETER),
                             max_se=w.g(MODEL_MAX_LOGIT_SE), min_category=w.n(MODEL_MIN_CATEGORY)),
    ]


def _trends(w: _Note) -> list[str]:
    """How rounds are compared: the same programmes, paired."""
    _ = w._
    return [
        "### " + _("Trends"),
        _("Rounds are compared only on the same programmes: those assessed in two rounds "
          "(`assessment_round`), paired, with the number paired stated and each programme's change named; a "
          "summary of change needs at least {small_n} pairs. A round with other programmes is a different "
          "population, not a change.").format(small_n=w.n(SMALL_N)),
        _("Each change is like for like: both rounds' scores are computed over the items answered in both (an "
          "item `unknown` in either round is left out of both), and an answer that became `unknown` is reported "
          "as such, never as a fall or rise of the score."),
    ]


def _recommendations(w: _Note) -> list[str]:
    """How a gap becomes an action, and how actions are ranked."""
    _ = w._
    return [
        "### " + _("Recommendations"),
        _("Every gap, an item answered {gap_answers} (not applicable is not a gap), becomes an action in the "
          "words of the 2019 programme assessment guideline. Within each ministry they are ranked first where "
          "the ministry's follow-up says it is possible (yes), then by the programme's budget (latest fiscal "
          "year with data, largest first). Missing {always_listed} are always listed: nothing else can be "
          "measured without them. The quick wins are the top actions the ministry says are possible.").format(
            gap_answers=", ".join(w.answer(a) for a in GAP_ANSWERS),
            always_listed=_("{first} and {second}").format(
                first=w.code(ALWAYS_LISTED[0]), second=w.code(ALWAYS_LISTED[1]))),
    ]


def _glossary(w: _Note) -> list[str]:
    """The glossary (one Bangla term per concept, ``reference.glossary.terms``) on a
    Bangla page: each term with the concept it names and the variants it replaces."""
    if not has_glossary(w.language):
        return []
    lines = ["", "### " + w._("Glossary"),
             w._("One Bangla term is used for each concept throughout the reports and workbooks:"), ""]
    lines += [f"- **{term.bangla}**: {term.meaning}" for term in terms() if term.english and term.meaning]
    return lines
