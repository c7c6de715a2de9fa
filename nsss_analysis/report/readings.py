"""The reading under each figure of a ministry, cluster or national page: answers,
levels, items answered yes, life-cycle stages, women beneficiaries, recommendations
and data readiness, and the national figures (levels and mean score by unit, budget
share, gaps). Counts and shares come from
:mod:`nsss_analysis.diagnostics.selections`; comparisons go through
:func:`nsss_analysis.report.phrases.compare_units` (no ranking). Plain text in the
current language (see :mod:`nsss_analysis.report.phrases`).
"""

from __future__ import annotations

from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.rubric import COMPARISON_MIN_N, SMALL_N
from nsss_analysis.diagnostics.selections import gsot_share, guideline_groups, rows_of, stage_counts, units_with_none
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference.i18n import N_, _, ngettext
from nsss_analysis.reference.vocab import ITEMS
from nsss_analysis.report import claims
from nsss_analysis.report.labels import label_in_sentence
from nsss_analysis.report.phrases import (
    compare_units,
    count_text,
    excluding_phrase,
    fixed_text,
    grouped_text,
    int_text,
    programmes_phrase,
    verdict_clause,
    year_text,
)
from nsss_analysis.report.wording import count_share, crore, interval, join_words, percent

#: Each answer with its count, as listed in the reading of the answers heatmap.
_ANSWER_COUNTS: dict[str, str] = {
    "yes": N_("{n} yes"),
    "partly": N_("{n} partly"),
    "no": N_("{n} no"),
    "not_applicable": N_("{n} not applicable"),
    "unknown": N_("{n} unknown"),
}


def item_heatmap_reading(assessments) -> str:
    """How the answers split, and the items no programme answers ``yes``."""

    if assessments is None or not len(assessments):
        return _("No programme has been assessed, so there are no answers to show.")
    answers = assessments[list(ITEMS)].fillna("unknown").astype(str)
    counts = answers.stack().value_counts()
    parts = [_(_ANSWER_COUNTS[a]).format(n=int_text(counts.get(a, 0)))
             for a in ("yes", "partly", "no", "not_applicable", "unknown") if counts.get(a, 0)]
    n = len(assessments)
    text = ngettext("Across {n} programme and the ten items, the answers are {answers}.",
                    "Across {n} programmes and the ten items, the answers are {answers}.", n).format(
        n=count_text(n), answers=join_words(parts))
    never = [label_in_sentence(i) for i in ITEMS if not (answers[i] == "yes").any()]
    if len(never) == len(ITEMS):
        text += " " + _("No programme answers yes to any item.")
    elif never:
        text += " " + _("No programme answers yes to {items}.").format(items=join_words(never, "or"))
    return text


def level_reading(level_shares) -> str:
    """The unit's share of gender-specific or transformative programmes, with its
    interval, beside the national share (``level_shares`` stacks both scopes)."""

    if level_shares is None or not len(level_shares):
        return _("No programme has been scored.")
    unit_rows = level_shares[level_shares["scope"] != "national"]
    nat_rows = level_shares[level_shares["scope"] == "national"]
    if not len(unit_rows):
        unit_rows, nat_rows = nat_rows, nat_rows.iloc[0:0]
    k, n, low, high = gsot_share(unit_rows)
    if n == 0:
        return _("No programme has been scored.")
    share = count_share(k, n, low, high, SMALL_N, "programmes")
    few = (_("; with fewer than {n} programmes, a count, not a share, and no comparison").format(
        n=int_text(SMALL_N)) if n < SMALL_N else "")
    nk, nn, nlow, nhigh = gsot_share(nat_rows)
    if not nn:
        return ngettext("{share} is gender-specific or gender-transformative{few}.",
                        "{share} are gender-specific or gender-transformative{few}.", k).format(
            share=share, few=few)
    verdict = verdict_clause(compare_units((n, low, high), (nn, nlow, nhigh)))
    return ngettext(
        "{share} is gender-specific or gender-transformative, against {national} nationally{verdict}{few}.",
        "{share} are gender-specific or gender-transformative, against {national} nationally{verdict}{few}.",
        k).format(share=share, national=count_share(nk, nn, nlow, nhigh, SMALL_N), verdict=verdict, few=few)


def item_yes_reading(item_shares) -> str:
    """The items the unit's programmes most and least often answer ``yes``: named only
    when both have at least ``COMPARISON_MIN_N`` programmes and their 95% intervals do
    not overlap (a most and a least are a stated difference between categories);
    otherwise the reading says that these data cannot tell."""
    rows = item_shares[item_shares["scope"] != "national"] if item_shares is not None and len(item_shares) else None
    if rows is None or not len(rows):
        rows = rows_of(item_shares, "national")
    if rows is None or not len(rows) or rows["n"].max() == 0:
        return _("No item has been answered.")
    rows = rows[rows["n"] > 0]
    rate = rows["count_yes"] / rows["n"]  # for ordering only: the sentence gives counts
    top = rows.loc[rate.idxmax()]
    low = rows.loc[rate.idxmin()]
    if rate.max() == rate.min():
        return _("Every item is answered yes by the same proportion of programmes ({k} of {n}).").format(
            k=int_text(top["count_yes"]), n=int_text(top["n"]))
    n_top, n_low = int(top["n"]), int(low["n"])
    if min(n_top, n_low) < COMPARISON_MIN_N:
        return _("With fewer than {min_n} programmes answering, these data cannot tell which item is answered "
                 "yes most or least often.").format(min_n=int_text(COMPARISON_MIN_N))
    lo_top, hi_top = wilson_interval(int(top["count_yes"]), n_top)
    lo_low, hi_low = wilson_interval(int(low["count_yes"]), n_low)
    if not hi_low < lo_top:
        return _("These data cannot tell which item is answered yes most or least often: the 95% intervals of "
                 "the items overlap.")
    tops = [label_in_sentence(i) for i in rows.loc[rate == rate.max(), "item"]]
    lows = [label_in_sentence(i) for i in rows.loc[rate == rate.min(), "item"]]
    text = _("Answered yes most often: {top} ({k} of {n} programmes); least often: {low} ({k_low} of "
             "{n_low}); the 95% intervals do not overlap.").format(
        top=join_words(tops), k=int_text(top["count_yes"]), n=int_text(n_top),
        low=join_words(lows), k_low=int_text(low["count_yes"]), n_low=int_text(n_low))
    # Naming a most and a least is a stated difference: a claim the comparisons rule checks.
    return str(claims.figure(None, "difference", text, n=n_top, low=lo_top, high=hi_top,
                             versus=(None, n_low, lo_low, hi_low), method="wilson", where="narrative.item_yes"))


def lifecycle_reading(lifecycle_matrix) -> str:
    """Which life-cycle stages the programmes cover and which none does."""
    stages = stage_counts(lifecycle_matrix)
    if stages is None or not len(stages) or lifecycle_matrix["n_programmes"].sum() == 0:
        return _("No programme names a cluster or a life-cycle stage.")
    covered = stages[stages["n_programmes"] > 0]
    gaps = [label_in_sentence(s) for s in stages.loc[stages["n_programmes"] == 0, "lifecycle_stage"]]
    if gaps:
        text = _("The programmes cover {k} of {n} life-cycle stages; none covers {gaps}.").format(
            k=int_text(len(covered)), n=int_text(len(stages)), gaps=join_words(gaps, "or"))
    else:
        text = _("The programmes cover {k} of {n} life-cycle stages, every one of them.").format(
            k=int_text(len(covered)), n=int_text(len(stages)))
    none = int(lifecycle_matrix.loc[lifecycle_matrix["lifecycle_stage"] == "none", "n_programmes"].sum())
    if none:
        text += " " + ngettext("{n} programme names no stage (covariate risk).",
                               "{n} programmes name no stage (covariate risk).", none).format(n=count_text(none))
    return text


def women_share_reading(women_beneficiary_share, fiscal_year: str | None = None) -> str:
    """How many programmes report women beneficiaries, and women's share of them."""
    rows = women_beneficiary_share
    if rows is not None and len(rows) and (rows["scope"] != "national").any():
        rows = rows[rows["scope"] != "national"]
    row = rows.iloc[0] if rows is not None and len(rows) else None
    if row is None or not row["n_programmes_reporting"]:
        return _("No programme reports its women beneficiaries, so women's share cannot be given.")
    fy = row["fiscal_year"] if not is_missing(row["fiscal_year"]) else fiscal_year
    reporting, total = int(row["n_programmes_reporting"]), int(row["n_programmes"])
    return ngettext(
        "In FY {fiscal_year}, {k} of {n} programme report women beneficiaries; women are {share} of those "
        "programmes' {beneficiaries} beneficiaries (administrative totals, not a sample, so no interval).",
        "In FY {fiscal_year}, {k} of {n} programmes report women beneficiaries; women are {share} of those "
        "programmes' {beneficiaries} beneficiaries (administrative totals, not a sample, so no interval).",
        total).format(fiscal_year=year_text(fy), k=int_text(reporting), n=count_text(total),
                      share=percent(row["women_share"]), beneficiaries=grouped_text(row["beneficiaries"]))


def recommendations_reading(recs) -> str:
    """How many actions, how many the forms say are possible, how many always listed."""
    if recs is None or not len(recs):
        return _("No gap found: every item is answered yes or not applicable.")
    possible = int((recs["followup_answer"] == "yes").sum())
    always = int(recs["always_listed"].sum())
    n_prog = recs["programme"].nunique()
    actions = ngettext("{n} action", "{n} actions", len(recs)).format(n=count_text(len(recs)))
    return ngettext(
        "{actions} for {programmes}: {possible} the forms say is possible (ranked first, then by budget); "
        "{always} about missing sex-disaggregated data or gender indicators, listed always.",
        "{actions} for {programmes}: {possible} the forms say are possible (ranked first, then by budget); "
        "{always} about missing sex-disaggregated data or gender indicators, listed always.",
        possible).format(actions=actions, programmes=programmes_phrase(n_prog), possible=int_text(possible),
                         always=int_text(always))


_READY = N_("sex-disaggregated data, gender-integrated reporting and gender indicators all yes; "
            "not applicable, unknown or partly is not ready")


def readiness_reading(data_readiness) -> str:
    """Programmes ready to measure gender results (all three items yes), beside the
    national share."""
    if data_readiness is None or not len(data_readiness):
        return _("No programme scored.")
    unit = data_readiness[data_readiness["scope"] != "national"]
    nat = rows_of(data_readiness, "national")
    what = _(_READY)
    if not len(unit) or (nat is not None and len(nat) and len(unit) > 1):
        row = nat.iloc[0]
        return _("Nationally {share} are ready to measure gender results ({what}).").format(
            share=count_share(row["n_ready"], row["n"], row["ci_low"], row["ci_high"], noun="programmes"),
            what=what)
    row = unit.iloc[0]
    share = count_share(row["n_ready"], row["n"], row["ci_low"], row["ci_high"], noun="programmes")
    if nat is None or not len(nat):
        return ngettext("{share} is ready to measure gender results ({what}).",
                        "{share} are ready to measure gender results ({what}).", int(row["n_ready"])).format(
            share=share, what=what)
    n = nat.iloc[0]
    verdict = verdict_clause(
        compare_units((row["n"], row["ci_low"], row["ci_high"]), (n["n"], n["ci_low"], n["ci_high"])))
    return ngettext(
        "{share} is ready to measure gender results ({what}), against {national} nationally{verdict}.",
        "{share} are ready to measure gender results ({what}), against {national} nationally{verdict}.",
        int(row["n_ready"])).format(share=share, what=what, verdict=verdict,
                                    # the national figure beside a comparison: with its own interval
                                    national=count_share(n["n_ready"], n["n"], n["ci_low"], n["ci_high"],
                                                         role="comparator"))


def levels_by_unit_reading(level_shares, scope: str = "ministry") -> str:
    """The national share of gender-specific or transformative programmes, and in how
    many units none is (no ranking)."""

    nat = rows_of(level_shares, "national")
    k, n, low, high = gsot_share(nat)
    if not n:
        return _("No programme has been scored.")
    none, n_units = units_with_none(rows_of(level_shares, scope))
    share = count_share(k, n, low, high, SMALL_N, "programmes")
    if not n_units:
        return _("Across government {share} are gender-specific or gender-transformative.").format(share=share)
    if not none:  # never "in 0 of 5 clusters none is"
        text = (_("Across government {share} are gender-specific or gender-transformative; every ministry "
                  "and division has at least one.") if scope == "ministry" else
                _("Across government {share} are gender-specific or gender-transformative; every cluster has "
                  "at least one."))
        return text.format(share=share)
    text = (_("Across government {share} are gender-specific or gender-transformative; in {k} of {n} "
              "ministries and divisions none is.") if scope == "ministry" else
            _("Across government {share} are gender-specific or gender-transformative; in {k} of {n} "
              "clusters none is."))
    return text.format(share=share, k=int_text(none), n=int_text(n_units))


def mean_score_reading(mean_score, scope: str = "ministry") -> str:
    """The national mean inclusion score, and how many units' intervals lie above,
    below or across it (counted, never named in order)."""
    nat = rows_of(mean_score, "national", "inclusion_score")
    if nat is None or not len(nat) or is_missing(nat.iloc[0]["mean"]):
        return _("No programme has an inclusion score.")
    row = nat.iloc[0]
    values = dict(mean=fixed_text(row["mean"]), interval=interval(row["ci_low"], row["ci_high"], as_percent=False),
                  programmes=programmes_phrase(int(row["n"])))
    units = rows_of(mean_score, scope, "inclusion_score")
    if units is None or not len(units):
        return _("The national mean gender inclusion score is {mean} of 100{interval} over {programmes}.").format(
            **values)
    enough = units[(units["n"] >= COMPARISON_MIN_N)].dropna(subset=["ci_low", "ci_high"])
    above = int((enough["ci_low"] > row["ci_high"]).sum()) if row["n"] >= COMPARISON_MIN_N else 0
    below = int((enough["ci_high"] < row["ci_low"]).sum()) if row["n"] >= COMPARISON_MIN_N else 0
    if row["n"] >= COMPARISON_MIN_N:  # each unit counted above or below is a stated difference the rules check
        for u in enough[(enough["ci_low"] > row["ci_high"]) | (enough["ci_high"] < row["ci_low"])].to_dict("records"):
            claims.figure(None, "difference", "", n=int(u["n"]), low=u["ci_low"], high=u["ci_high"], method="t",
                          versus=(None, int(row["n"]), row["ci_low"], row["ci_high"]), where="narrative.mean_score")
    few = len(units) - len(enough)
    parts = dict(
        above=ngettext("{n} lies above it", "{n} lie above it", above).format(n=int_text(above)),
        below=ngettext("{n} below it", "{n} below it", below).format(n=int_text(below)),
        few=(ngettext("{n} ministry has too few programmes to compare",
                      "{n} ministries have too few programmes to compare", few) if scope == "ministry" else
             ngettext("{n} cluster has too few programmes to compare",
                      "{n} clusters have too few programmes to compare", few)).format(n=int_text(few)))
    text = (_("The national mean gender inclusion score is {mean} of 100{interval} over {programmes}; of the "
              "{k} ministries with at least {min_n} scored programmes, {above} and {below} (95% intervals "
              "apart), for the others these data cannot tell; {few}.") if scope == "ministry" else
            _("The national mean gender inclusion score is {mean} of 100{interval} over {programmes}; of the "
              "{k} clusters with at least {min_n} scored programmes, {above} and {below} (95% intervals "
              "apart), for the others these data cannot tell; {few}."))
    return text.format(**values, **parts, k=int_text(len(enough)), min_n=int_text(COMPARISON_MIN_N))


def budget_share_reading(budget_gender_share) -> str:
    """The national share of the budget in gender-specific or transformative programmes."""
    nat = rows_of(budget_gender_share, "national")
    if nat is None or not len(nat) or is_missing(nat.iloc[0]["budget_total"]) or not nat.iloc[0]["budget_total"]:
        return _("No budget is on record.")
    row = nat.iloc[0]
    flagged = int(row.get("n_allocations_flagged", 0) or 0)
    return _("In FY {fiscal_year}, {share} of the social-security budget on record ({gender} of {total}, "
             "{programmes}{excluding}) is in gender-specific or gender-transformative programmes.").format(
        fiscal_year=year_text(row["fiscal_year"]), share=percent(row["share"]),
        gender=crore(row["budget_gender_specific_or_transformative"]), total=crore(row["budget_total"]),
        programmes=programmes_phrase(int(row["n_programmes_with_budget"])),
        excluding=excluding_phrase(flagged, row.get("flags_left_out")))


def gaps_reading(lifecycle_matrix, target_groups) -> str:
    """The life-cycle stages and guideline target groups no programme covers."""
    stages = stage_counts(lifecycle_matrix)
    groups = guideline_groups(target_groups, "national")
    stage_gaps = [label_in_sentence(s) for s in stages.loc[stages["n_programmes"] == 0, "lifecycle_stage"]] \
        if stages is not None and len(stages) else []
    group_gaps = [label_in_sentence(g) for g in groups.loc[groups["n_programmes"] == 0, "group"]] \
        if groups is not None and len(groups) else []
    stages_text, groups_text = join_words(stage_gaps, "or"), join_words(group_gaps, "or")
    if stage_gaps and group_gaps:
        return _("No programme covers {stages}; no programme names {groups} among its target groups.").format(
            stages=stages_text, groups=groups_text)
    if stage_gaps:
        return _("No programme covers {stages}; every target group the guideline names is reached by at least "
                 "one programme.").format(stages=stages_text)
    if group_gaps:
        return _("Every life-cycle stage is covered by at least one programme; no programme names {groups} "
                 "among its target groups.").format(groups=groups_text)
    return _("Every life-cycle stage is covered by at least one programme; every target group the guideline "
             "names is reached by at least one programme.")
