"""Sentences generated from the data: the headline findings and each figure's reading.

Plain text only: the notebooks render them through :mod:`nsss_analysis.display`,
which escapes them (programme names come from forms). Numbers are computed by the
diagnostics modules; this module only chooses words, so a sentence can never say
something the tables do not.
"""

from __future__ import annotations

from nsss_analysis.diagnostics.rubric import COMPARISON_MIN_N, SMALL_N
from nsss_analysis.diagnostics.selections import (
    channel_shares,
    gsot_share,
    guideline_groups,
    rows_of,
    stage_counts,
    units_with_none,
)
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.mis.coverage import district_funnel
from nsss_analysis.reference.i18n import N_, _, current
from nsss_analysis.reference.vocab import ITEMS, load_reference
from nsss_analysis.report.labels import (
    ACTION_PHRASES,
    ANSWER_LABELS,
    GSOT,
    label,
    label_in_sentence,
)
from nsss_analysis.report.numbers import localise_digits
from nsss_analysis.report.wording import (
    count_share,
    crore,
    interval,
    join_words,
    percent,
    plural,
    sentence,
    share_with_interval,
)


def _who(headline: dict) -> str:
    return "the ministry's" if headline.get("ministry_code") else "the government's"


def headline_sentences(headline: dict) -> list[str]:
    """The first screen of a report: what the data say, in plain sentences.

    ``headline`` is :func:`headline_figures`' dict. Sentences are plain text (the
    notebook escapes them): the count and share of gender-specific or transformative
    programmes with its interval, the share of the budget they carry in the fiscal
    year, the two biggest quick wins by name, and the mean inclusion score.
    """
    unit, n, k = headline["unit"], headline["n_programmes"], headline["n_gender_specific_or_transformative"]
    if n == 0:
        return [f"No programme of {unit} has been assessed yet, so this report has no findings."]
    sentences = []
    n_transformative = headline.get("n_gender_transformative", 0)
    rounds = headline.get("assessment_rounds") or []
    when = (f" in the {rounds[0]} assessment round" if len(rounds) == 1 else
            f" (each in its latest assessment round: {join_words(rounds)})" if rounds else "")
    if n == 1:
        first = f"{unit} has 1 assessed programme{when}, and it {'is' if k else 'is not'} {GSOT}."
    elif k == 0:
        first = f"{unit} has {plural(n, 'assessed programme')}{when}; none of them is {GSOT}."
    else:
        share = (f"{k} of them ({share_with_interval(k / n, headline.get('ci_low'), headline.get('ci_high'))})"
                 if n >= SMALL_N else f"{k} of {n}")
        first = (f"{unit} has {plural(n, 'assessed programme')}{when}; {share} "
                 f"{'is' if k == 1 else 'are'} {GSOT}")
        first += f" ({n_transformative} transformative)." if n_transformative else "."
    sentences.append(first)

    fy = headline.get("fiscal_year")
    total = headline.get("budget_total_crore")
    flagged = int(headline.get("n_allocations_flagged") or 0)
    excluding = _excluding(flagged, headline.get("flags_left_out"))
    if fy and not is_missing(total) and total > 0:
        count = headline.get("n_programmes_with_budget", 0)
        if k == 0 or not headline.get("budget_gender_crore"):
            sentences.append(
                f"In FY {fy}, none of {_who(headline)} social-security budget on record "
                f"({crore(total)}, {plural(count, 'programme')}{excluding}) is in {GSOT} programmes."
            )
        else:
            sentences.append(
                f"In FY {fy}, {'this programme carries' if k == 1 else 'these programmes carry'} "
                f"{percent(headline['budget_share'])} of {_who(headline)} social-security budget on record "
                f"({crore(headline['budget_gender_crore'])} of {crore(total)}, "
                f"{plural(count, 'programme')} with a budget{excluding})."
            )
    else:
        sentences.append(f"No budget is on record for {_who(headline)} programmes, "
                         "so the share of budget they carry cannot be given.")

    wins = headline.get("quick_wins") or []
    if wins:
        named = [
            f"{w['programme']}: {ACTION_PHRASES.get(w['item'], w['action'])}"
            + (f" ({crore(w['budget_crore'])})" if not is_missing(w.get("budget_crore")) else "")
            for w in wins
        ]
        lead = ("The biggest quick win (a change the form says is possible)" if len(wins) == 1
                else f"The {'two' if len(wins) == 2 else len(wins)} biggest quick wins "
                     "(changes the forms say are possible)")
        sentences.append(f"{lead}: " + "; ".join(named) + ".")
    else:
        sentences.append("The forms name no change that is said to be possible yet; "
                         "the recommendations below list every gap.")

    own_scores = headline.get("programme_scores") or []
    mean = headline.get("mean_inclusion_score")
    if 0 < n < SMALL_N:
        scored = [f"{score:.0f} ({name})" for name, score in own_scores if not is_missing(score)]
        if scored:
            sentences.append(f"With fewer than {SMALL_N} programmes there is no mean to estimate; "
                             f"the gender inclusion {'score is' if len(scored) == 1 else 'scores are'} "
                             f"{join_words(scored)}, of 100.")
    elif not is_missing(mean):
        text = f"The mean gender inclusion score is {float(mean):.0f} of 100"
        text += interval(headline.get("mean_ci_low"), headline.get("mean_ci_high"), as_percent=False)
        national = headline.get("national_mean_inclusion_score")
        if headline.get("ministry_code") and not is_missing(national):
            verdict = compare_units(
                (n, headline.get("mean_ci_low"), headline.get("mean_ci_high")),
                (headline.get("national_n", 0), headline.get("national_mean_ci_low"),
                 headline.get("national_mean_ci_high")))
            text += f"; the national mean is {float(national):.0f}"
            text += f" ({verdict})" if verdict else ""
        sentences.append(text + ".")
    return sentences


def _excluding(flagged: int, flags: object) -> str:
    """``; excluding 1 allocation flagged as about 10x the arithmetic`` (or by the
    plausibility check), or empty when no allocation was left out."""
    if not flagged:
        return ""
    about = [f for f in str(flags or "").split("; ") if f.startswith("about ")]
    how = (f"flagged as {join_words(about, 'or')} the arithmetic" if about and len(about) == len(
        str(flags).split("; ")) else "flagged by the check beneficiaries x rate x 12")
    return f"; excluding {plural(flagged, 'allocation')} {how}"


def compare_units(unit: tuple, other: tuple) -> str:
    """The reading of a difference between two units, each ``(n, ci_low, ci_high)``:
    "above"/"below" only when both have at least ``COMPARISON_MIN_N`` programmes and
    the 95% intervals do not overlap; "no clear difference" otherwise; "" when either
    has too few programmes to compare."""
    (n, low, high), (n2, low2, high2) = unit, other
    if is_missing(n) or is_missing(n2) or int(n) < COMPARISON_MIN_N or int(n2) < COMPARISON_MIN_N:
        return ""
    if any(is_missing(v) for v in (low, high, low2, high2)):
        return ""
    if float(low) > float(high2):
        return "above the national figure: the 95% intervals do not overlap"
    if float(high) < float(low2):
        return "below the national figure: the 95% intervals do not overlap"
    return "no clear difference from the national figure"


def item_heatmap_reading(assessments) -> str:
    """How the answers split, and the items no programme answers ``yes``."""

    if assessments is None or not len(assessments):
        return "No programme has been assessed, so there are no answers to show."
    answers = assessments[list(ITEMS)].fillna("unknown").astype(str)
    counts = answers.stack().value_counts()
    parts = [f"{int(counts.get(a, 0))} {ANSWER_LABELS[a] if a != 'not_applicable' else 'not applicable'}"
             for a in ("yes", "partly", "no", "not_applicable", "unknown") if counts.get(a, 0)]
    text = (f"Across {plural(len(assessments), 'programme')} and the ten items, the answers are "
            f"{join_words(parts)}.")
    never = [label_in_sentence(i) for i in ITEMS if not (answers[i] == "yes").any()]
    if len(never) == len(ITEMS):
        text += " No programme answers yes to any item."
    elif never:
        text += f" No programme answers yes to {join_words(never, 'or')}."
    return text


def level_reading(level_shares) -> str:
    """The unit's share of gender-specific or transformative programmes, with its
    interval, beside the national share (``level_shares`` stacks both scopes)."""

    if level_shares is None or not len(level_shares):
        return "No programme has been scored."
    unit_rows = level_shares[level_shares["scope"] != "national"]
    nat_rows = level_shares[level_shares["scope"] == "national"]
    if not len(unit_rows):
        unit_rows, nat_rows = nat_rows, nat_rows.iloc[0:0]
    k, n, low, high = gsot_share(unit_rows)
    if n == 0:
        return "No programme has been scored."
    text = f"{count_share(k, n, low, high, SMALL_N, 'programmes')} {'is' if k == 1 else 'are'} {GSOT}"
    nk, nn, nlow, nhigh = gsot_share(nat_rows)
    if nn:
        text += f", against {count_share(nk, nn, nlow, nhigh, SMALL_N)} nationally"
        verdict = compare_units((n, low, high), (nn, nlow, nhigh))
        text += f"; {verdict}" if verdict else ""
    if n < SMALL_N:
        text += f"; with fewer than {SMALL_N} programmes, a count, not a share, and no comparison"
    return text + "."


def _small_n() -> int:

    return SMALL_N


def item_yes_reading(item_shares) -> str:
    """The items the unit's programmes most and least often answer ``yes``."""
    rows = item_shares[item_shares["scope"] != "national"] if item_shares is not None and len(item_shares) else None
    if rows is None or not len(rows):
        rows = rows_of(item_shares, "national")
    if rows is None or not len(rows) or rows["n"].max() == 0:
        return "No item has been answered."
    rows = rows[rows["n"] > 0]
    rate = rows["count_yes"] / rows["n"]  # for ordering only: the sentence gives counts
    top = rows.loc[rate.idxmax()]
    low = rows.loc[rate.idxmin()]
    if rate.max() == rate.min():
        return (f"Every item is answered yes by the same proportion of programmes "
                f"({top['count_yes']} of {top['n']}).")
    return (f"{label(top['item'])} is the item most often answered yes ({top['count_yes']} of {top['n']} "
            f"programmes); {label_in_sentence(low['item'])} the least ({low['count_yes']} of {low['n']}).")


def lifecycle_reading(lifecycle_matrix) -> str:
    """Which life-cycle stages the programmes cover and which none does."""
    stages = stage_counts(lifecycle_matrix)
    if stages is None or not len(stages) or lifecycle_matrix["n_programmes"].sum() == 0:
        return "No programme names a cluster or a life-cycle stage."
    covered = stages[stages["n_programmes"] > 0]
    gaps = [label_in_sentence(s) for s in stages.loc[stages["n_programmes"] == 0, "lifecycle_stage"]]
    text = f"The programmes cover {len(covered)} of {len(stages)} life-cycle stages"
    text += f"; none covers {join_words(gaps, 'or')}." if gaps else ", every one of them."
    none = lifecycle_matrix.loc[lifecycle_matrix["lifecycle_stage"] == "none", "n_programmes"].sum()
    if none:
        text += f" {plural(int(none), 'programme')} {'names' if none == 1 else 'name'} no stage (covariate risk)."
    return text


def women_share_reading(women_beneficiary_share, fiscal_year: str | None = None) -> str:
    """How many programmes report women beneficiaries, and women's share of them."""
    rows = women_beneficiary_share
    if rows is not None and len(rows) and (rows["scope"] != "national").any():
        rows = rows[rows["scope"] != "national"]
    row = rows.iloc[0] if rows is not None and len(rows) else None
    if row is None or not row["n_programmes_reporting"]:
        return "No programme reports its women beneficiaries, so women's share cannot be given."
    fy = row["fiscal_year"] if not is_missing(row["fiscal_year"]) else fiscal_year
    reporting, total = int(row["n_programmes_reporting"]), int(row["n_programmes"])
    return (f"In FY {fy}, {reporting} of {plural(total, 'programme')} report women beneficiaries; women are "
            f"{percent(row['women_share'])} of those programmes' {float(row['beneficiaries']):,.0f} beneficiaries "
            "(administrative totals, not a sample, so no interval).")


def recommendations_reading(recs) -> str:
    """How many actions, how many the forms say are possible, how many always listed."""
    if recs is None or not len(recs):
        return "No gap found: every item is answered yes or not applicable."
    possible = int((recs["followup_answer"] == "yes").sum())
    always = int(recs["always_listed"].sum())
    n_prog = recs["programme"].nunique()
    return (f"{plural(len(recs), 'action')} for {plural(n_prog, 'programme')}: {possible} the forms say "
            f"{'is' if possible == 1 else 'are'} possible (ranked first, then by budget); {always} about missing "
            "sex-disaggregated data or gender indicators, listed always.")


def readiness_reading(data_readiness) -> str:
    """Programmes ready to measure gender results (all three items yes), beside the
    national share."""
    if data_readiness is None or not len(data_readiness):
        return "No programme scored."
    unit = data_readiness[data_readiness["scope"] != "national"]
    nat = rows_of(data_readiness, "national")
    what = ("sex-disaggregated data, gender-integrated reporting and gender indicators all yes; "
            "not applicable, unknown or partly is not ready")
    if not len(unit) or (nat is not None and len(nat) and len(unit) > 1):
        row = nat.iloc[0]
        return (f"Nationally {count_share(row['n_ready'], row['n'], row['ci_low'], row['ci_high'], noun='programmes')} "
                f"are ready to measure gender results ({what}).")
    row = unit.iloc[0]
    text = (f"{count_share(row['n_ready'], row['n'], row['ci_low'], row['ci_high'], noun='programmes')} "
            f"{'is' if row['n_ready'] == 1 else 'are'} ready to measure gender results ({what})")
    if nat is not None and len(nat):
        n = nat.iloc[0]
        text += f", against {count_share(n['n_ready'], n['n'])} nationally"
        verdict = compare_units((row["n"], row["ci_low"], row["ci_high"]), (n["n"], n["ci_low"], n["ci_high"]))
        text += f"; {verdict}" if verdict else ""
    return text + "."


def data_quality_sentences(data_quality, budget_plausibility=None) -> list[str]:
    """Unknown answers, programmes with too few answers, quarantined lines, conflicts
    and implausible budgets, one sentence each."""
    if data_quality is None or not len(data_quality):
        return ["No data-quality figures: no programme assessed."]
    row = data_quality.iloc[0]
    out = [f"{int(row['n_unknown'])} of {int(row['n_answers'])} answers ({percent(row['share_unknown'])}) "
           "are unknown (left empty or unreadable); unknown never counts as no."]
    if row["n_programmes_insufficient"]:
        out.append(f"{plural(int(row['n_programmes_insufficient']), 'programme')} "
                   f"{'has' if row['n_programmes_insufficient'] == 1 else 'have'} fewer than half the items "
                   "answered and get no level (insufficient data).")
    q = row["n_quarantined"]
    if is_missing(q):
        out.append("Quarantined lines cannot be attributed to this unit; the national overview counts them.")
    elif int(q) == 0:
        out.append("No line of the submissions was quarantined.")
    else:
        whose = "the ministry's" if row["scope"] == "ministry" else "the"
        out.append(f"{plural(int(q), 'line')} of {whose} submissions {'was' if int(q) == 1 else 'were'} "
                   "quarantined (unusable rows or cells; they are listed, with the reason, in the data workbook linked above).")
    conflicts = int(row["n_conflicting_programmes"])
    out.append(
        f"{plural(conflicts, 'programme')} {'is' if conflicts == 1 else 'are'} assessed more than once in "
        "one round with different answers; each counts once, as said below."
        if conflicts else "No programme is assessed twice in one round with different answers."
    )
    if budget_plausibility is not None and len(budget_plausibility):
        flagged = budget_plausibility[~budget_plausibility["plausible"].astype(bool)]
        checked = len(budget_plausibility)
        if len(flagged):
            names = join_words([f"{r['programme']} FY {r['fiscal_year']} ({r['flag']})"
                                for r in flagged.head(3).to_dict("records")])
            out.append(f"{len(flagged)} of {plural(checked, 'budget row')} with a monthly rate "
                       f"{'fails' if len(flagged) == 1 else 'fail'} the check "
                       f"beneficiaries x rate x 12: {names}; flagged, not corrected, and left out "
                       "of budget totals and shares.")
        else:
            out.append(f"{'The' if checked == 1 else 'All'} {plural(checked, 'budget row')} with a monthly rate "
                       f"{'passes' if checked == 1 else 'pass'} the check "
                       "beneficiaries x rate x 12.")
    return out


def levels_by_unit_reading(level_shares, scope: str = "ministry") -> str:
    """The national share of gender-specific or transformative programmes, and in how
    many units none is (no ranking)."""

    nat = rows_of(level_shares, "national")
    k, n, low, high = gsot_share(nat)
    if not n:
        return "No programme has been scored."
    none, n_units = units_with_none(rows_of(level_shares, scope))
    what = "ministries and divisions" if scope == "ministry" else "clusters"
    text = f"Across government {count_share(k, n, low, high, SMALL_N, 'programmes')} are {GSOT}"
    if n_units:
        text += f"; in {none} of {n_units} {what} none is"
    return text + "."


def mean_score_reading(mean_score, scope: str = "ministry") -> str:
    """The national mean inclusion score, and how many units' intervals lie above,
    below or across it (counted, never named in order)."""
    nat = rows_of(mean_score, "national", "inclusion_score")
    if nat is None or not len(nat) or is_missing(nat.iloc[0]["mean"]):
        return "No programme has an inclusion score."
    row = nat.iloc[0]
    text = (f"The national mean gender inclusion score is {row['mean']:.0f} of 100"
            f"{interval(row['ci_low'], row['ci_high'], as_percent=False)} over {plural(int(row['n']), 'programme')}")
    units = rows_of(mean_score, scope, "inclusion_score")
    if units is not None and len(units):
        enough = units[(units["n"] >= COMPARISON_MIN_N)].dropna(subset=["ci_low", "ci_high"])
        above = int((enough["ci_low"] > row["ci_high"]).sum()) if row["n"] >= COMPARISON_MIN_N else 0
        below = int((enough["ci_high"] < row["ci_low"]).sum()) if row["n"] >= COMPARISON_MIN_N else 0
        what = "ministries" if scope == "ministry" else "clusters"
        few = len(units) - len(enough)
        text += (f"; of the {len(enough)} {what} with at least {COMPARISON_MIN_N} scored programmes, "
                 f"{above} lie above it and {below} below it (95% intervals apart), the others show no "
                 f"clear difference; {few} {what} have too few programmes to compare")
    return text + "."


def budget_share_reading(budget_gender_share) -> str:
    """The national share of the budget in gender-specific or transformative programmes."""
    nat = rows_of(budget_gender_share, "national")
    if nat is None or not len(nat) or is_missing(nat.iloc[0]["budget_total"]) or not nat.iloc[0]["budget_total"]:
        return "No budget is on record."
    row = nat.iloc[0]
    flagged = int(row.get("n_allocations_flagged", 0) or 0)
    excluding = _excluding(flagged, row.get("flags_left_out"))
    return (f"In FY {row['fiscal_year']}, {percent(row['share'])} of the social-security budget on record "
            f"({crore(row['budget_gender_specific_or_transformative'])} of {crore(row['budget_total'])}, "
            f"{plural(int(row['n_programmes_with_budget']), 'programme')}{excluding}) is in {GSOT} programmes.")


def gaps_reading(lifecycle_matrix, target_groups) -> str:
    """The life-cycle stages and guideline target groups no programme covers."""
    stages = stage_counts(lifecycle_matrix)
    groups = guideline_groups(target_groups, "national")
    stage_gaps = [label_in_sentence(s) for s in stages.loc[stages["n_programmes"] == 0, "lifecycle_stage"]] \
        if stages is not None and len(stages) else []
    group_gaps = [label_in_sentence(g) for g in groups.loc[groups["n_programmes"] == 0, "group"]] \
        if groups is not None and len(groups) else []
    parts = []
    parts.append(f"no programme covers {join_words(stage_gaps, 'or')}" if stage_gaps else
                 "every life-cycle stage is covered by at least one programme")
    parts.append(f"no programme names {join_words(group_gaps, 'or')} among its target groups" if group_gaps else
                 "every target group the guideline names is reached by at least one programme")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def trend_reading(trend) -> str:
    """The paired trend: how many programmes are paired, each change named (fewer than
    5 pairs) or the summary of change with its interval (5 or more)."""
    if trend is None or not trend.ok:
        return sentence(trend.message) + "." if trend is not None else "No trend."
    pairs = trend.pairs
    n = len(pairs)
    lead = (f"{plural(n, 'programme')} {'is' if n == 1 else 'are'} assessed in two rounds and "
            "each compared with itself; programmes assessed in one round only are left out")
    if not trend.summary:
        changes = [f"{r['programme']} {r['score_before']:.0f} → {r['score_after']:.0f}"
                   for r in pairs.to_dict("records")
                   if not is_missing(r["score_before"]) and not is_missing(r["score_after"])]
        return f"{lead}: {join_words(changes)}."
    s = trend.summary
    text = (f"{lead}. The score rose for {s['n_up']}, fell for {s['n_down']} and did not change for "
            f"{s['n_same']}; the mean change is {s['mean_change']:+.0f} points"
            f"{interval(s['ci_low'], s['ci_high'], as_percent=False)}. Gender-specific or "
            f"transformative: {s['gsot_before']} of {n} in the earlier round, {s['gsot_after']} of {n} "
            "in the later.")
    return text


def budget_trend_reading(table) -> str:
    """Budgets and women's share across fiscal years, for the same programmes."""
    if table is None or not len(table):
        return "No budget is on record, so there is no trend in budgets."
    first, last = table.iloc[0], table.iloc[-1]
    span = f"FY {first['fiscal_year']} to {last['fiscal_year']}"
    n = int(first["n_programmes"])
    if n == 0:
        text = f"No programme has a budget on record in every fiscal year from {span}, so budgets are not compared"
    else:
        text = (f"For the {plural(n, 'programme')} with a budget in every fiscal year from {span}, the budget "
                f"went from {crore(first['budget_crore'])} to {crore(last['budget_crore'])}")
    w = int(first["n_programmes_women"])
    if w:
        text += (f"; for the {plural(w, 'programme')} reporting women beneficiaries every year, women's share went "
                 f"from {percent(first['women_share'])} of {float(first['beneficiaries']):,.0f} to "
                 f"{percent(last['women_share'])} of {float(last['beneficiaries']):,.0f} (administrative totals)")
    return text + "."


def counting_reading(resolution) -> str:
    """How programmes with more than one row in a round are counted once."""
    if resolution is None or not len(resolution):
        return "Every programme has one row per assessment round."
    conflicts = resolution[~resolution["resolution"].str.contains("cell for cell")]
    repeats = len(resolution) - len(conflicts)
    parts = []
    if len(conflicts):
        parts.append(f"{plural(len(conflicts), 'programme')} {'has' if len(conflicts) == 1 else 'have'} "
                     "rows that disagree in one round; each counts once, as listed")
    if repeats:
        parts.append(f"{plural(repeats, 'programme')} {'is' if repeats == 1 else 'are'} repeated cell for "
                     "cell across files and counted once")
    return sentence("; ".join(parts)) + "."


def model_reading(result) -> str:
    """The model's plain-language reading, or why there is no model."""
    if result is None:
        return "No model."
    return sentence(result.reading or result.message)


#: Shown at the top of a report built from data marked synthetic (``data/raw/SYNTHETIC``).
DATA_NOTICE = (
    "These figures are synthetic: the raw folder carries the SYNTHETIC marker. Except a few "
    "budget and beneficiary figures taken from published sources, they illustrate the method "
    "and are not an official assessment."
)
#: :data:`DATA_NOTICE` as a message id (the file name is not a word to translate).
_DATA_NOTICE_MESSAGE = N_(
    "These figures are synthetic: the raw folder carries the {marker} marker. Except a few "
    "budget and beneficiary figures taken from published sources, they illustrate the "
    "method and are not an official assessment."
)


def data_notice(synthetic: bool) -> str:
    """The notice a page built from synthetic data carries, in the current language;
    empty for real submissions."""
    return _(_DATA_NOTICE_MESSAGE).format(marker="SYNTHETIC") if synthetic else ""


def fiscal_year_phrase(headline: dict) -> str:
    """`` · budget figures for FY 2023-24`` for a report's subtitle (empty without a year)."""
    fy = headline.get("fiscal_year")
    if not fy:
        return ""
    return _(" · budget figures for FY {fiscal_year}").format(
        fiscal_year=localise_digits(str(fy), current().language))


def unit_name(headline: dict) -> str:
    """The ministry's or division's name in the current language (the register's Bangla
    name where one is recorded; English: the name the headline figures carry)."""
    language = current().language
    ministry = load_reference().ministry_by_code.get(headline.get("ministry_code") or "")
    if language == "en" or ministry is None:
        return headline["unit"]
    return ministry.name_in(language)


NO_COVERAGE = ("No MIS beneficiary extract has been processed for this ministry's programmes, so coverage "
               "by sex comes only from the forms above.")


#: An age band with fewer beneficiaries than this is left out when a sentence names
#: the lowest and highest women's share: with 5 people, 0% or 100% is noise.
MIN_BENEFICIARIES_NAMED = 30


def _programme_names(df) -> list[str]:
    return list(dict.fromkeys(df["programme"].astype(str))) if "programme" in df.columns else [""]


def coverage_reading(shares) -> str:
    """Women's share of each programme's counted beneficiaries, with its count and interval."""
    if shares is None or not len(shares):
        return "No beneficiary could be counted."
    parts = [f"{percent(r['share'])} of {r['programme']}'s {int(r['total']):,}"
             f"{interval(r['ci_low'], r['ci_high'])}" for r in shares.to_dict("records")]
    return f"In the MIS, women are {join_words(parts)} beneficiaries counted."


def _range_sentence(rows, category: str, share: str = "women_share") -> str | None:
    big = rows[rows["total"] >= MIN_BENEFICIARIES_NAMED]
    if len(big) < 2:
        return None
    low, high = big.loc[big[share].idxmin()], big.loc[big[share].idxmax()]
    if low[category] == high[category]:
        return None
    return (f"women's share is lowest in the {low[category]} band ({percent(low[share])} of "
            f"{int(low['total']):,}) and highest in the {high[category]} band ({percent(high[share])} of "
            f"{int(high['total']):,})")


def age_band_reading(by_age) -> str:
    """Per programme: the age band most beneficiaries are in, and where women's share
    is lowest and highest (bands of at least ``MIN_BENEFICIARIES_NAMED``)."""
    if by_age is None or not len(by_age):
        return "No beneficiary could be counted."
    parts = []
    for name in _programme_names(by_age):
        rows = by_age[by_age["programme"] == name] if name else by_age
        top = rows.loc[rows["total"].idxmax()]
        text = (f"{name}: {percent(top['total'] / rows['total'].sum())} of {int(rows['total'].sum()):,} "
                f"beneficiaries are aged {top['age_band']}")
        spread = _range_sentence(rows, "age_band")
        parts.append(text + (f"; {spread}" if spread else ""))
    return sentence("; ".join(parts)) + "."


def district_reading(by_district) -> str:
    """Per programme: the districts outside the 99.8% funnel limits around the
    programme's overall share, each with its n; no range across districts."""
    if by_district is None or not len(by_district):
        return "No beneficiary with a known district could be counted."
    funnel = district_funnel(by_district)
    parts = []
    for name in _programme_names(funnel):
        rows = funnel[funnel["programme"] == name] if name else funnel
        outside = rows[rows["outside_998"].astype(bool)]
        overall = percent(rows["overall_share"].iloc[0]) if len(rows) else "n/a"
        if len(outside):
            named = join_words([f"{r['district']} ({percent(r['women_share'])} of {int(r['total']):,})"
                                for r in outside.sort_values("district").to_dict("records")])
            parts.append(f"{name}: outside the 99.8% limits around the overall {overall}: {named}")
        else:
            parts.append(f"{name}: every one of {plural(len(rows), 'district')} lies within the 99.8% "
                         f"limits around the overall {overall}, so the differences between districts "
                         "are what chance gives at their size")
    return sentence("; ".join(parts)) + "."


def amount_reading(amounts) -> str:
    """Per programme: the mean benefit paid to women and to men."""
    if amounts is None or not len(amounts):
        return "No benefit amount could be read."
    parts = []
    for name in _programme_names(amounts):
        rows = amounts[amounts["programme"] == name].set_index("sex")["mean_bdt"]
        women, men = rows.get("female"), rows.get("male")
        if is_missing(women) or is_missing(men):
            continue
        parts.append(f"{name}: Tk {float(women):,.0f} to women and Tk {float(men):,.0f} to men "
                     f"({float(women) / float(men):.2f} to 1)")
    if not parts:
        return "Benefits cannot be compared between women and men: one of them has no beneficiary counted."
    return "Mean benefit paid per beneficiary in the period: " + "; ".join(parts) + "."


def channel_reading(channels) -> str:
    """Per programme: the share of women and of men paid through the commonest channel."""
    if channels is None or not len(channels):
        return "No payment channel was recorded."
    parts = []
    for name in _programme_names(channels):
        shares = channel_shares(channels, name)
        if shares is None:
            continue
        main, women, men = shares
        parts.append(f"{name}: {percent(women)} of women and {percent(men)} of men are paid by {main}")
    return ("; ".join(parts) + ".") if parts else "Payment channels cannot be compared between women and men."


def disagreement_sentences(disagreements) -> list[str]:
    """Where the form's answer on sex-disaggregated data and the MIS disagree."""
    if disagreements is None or not len(disagreements):
        return ["For every programme with an MIS extract, the form's answer on sex-disaggregated data agrees "
                "with the MIS."]
    return [f"{r['programme']}: {r['message']}." for r in disagreements.to_dict("records")]
