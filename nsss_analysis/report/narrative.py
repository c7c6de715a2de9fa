"""Sentences generated from the data: the headline findings and each figure's reading.

Plain text only: the notebooks render them through :mod:`nsss_analysis.report.display`,
which escapes them (programme names come from forms). Numbers are computed by the
diagnostics modules; this module only chooses words, so a sentence can never say
something the tables do not.

Every sentence is one message id with named placeholders, in the current language
(:func:`nsss_analysis.reference.i18n.current`): English is the message id itself,
Bangla comes from the catalogue. Where English grammar branches (one or many, the
ministry's or the government's) each branch is its own message. An optional clause
that trails a sentence (``; no clear difference...``) is a placeholder of the
sentence, so the translation decides where it goes and how the sentence ends.
Numbers are written in the current language's digits: the words of
:mod:`nsss_analysis.report.wording` and the helpers below (``_int``, ``_count``,
``_fixed``, ``_grouped``), which keep the English output exactly as Python's
formatting writes it.
"""

from __future__ import annotations

import math
import re

from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.rubric import COMPARISON_MIN_N, SMALL_N
from nsss_analysis.diagnostics.selections import (
    channel_counts,
    gsot_share,
    guideline_groups,
    rows_of,
    stage_counts,
    units_with_none,
)
from nsss_analysis.diagnostics.units import NATIONAL_UNIT, is_missing
from nsss_analysis.mis.coverage import district_funnel
from nsss_analysis.reference.grammar import Name
from nsss_analysis.reference.i18n import N_, _, current, ngettext, pgettext
from nsss_analysis.reference.names import display_name, shown_name
from nsss_analysis.reference.numbers import fiscal_year as fiscal_year_words
from nsss_analysis.reference.numbers import localise_digits, number
from nsss_analysis.reference.vocab import ITEMS, load_reference
from nsss_analysis.report import claims
from nsss_analysis.report.labels import (
    ACTION_PHRASES,
    label,
    label_in_sentence,
)
from nsss_analysis.report.wording import (
    count_share,
    crore,
    interval,
    join_words,
    percent,
    sentence,
    share_with_interval,
)

# --- numbers in the current language ---------------------------------------------------


def _language() -> str:
    return current().language


# Each helper prints one figure and records it as a claim of the page's ledger
# (report.claims); ``meta`` gives the claim's fields the helper cannot know.


def _int(value, **meta) -> str:
    """A whole number as ``str(int)`` writes it (no grouping), in the language's digits."""
    return str(claims.figure(int(value), "count", localise_digits(str(int(value)), _language()), **meta))


def _count(value, **meta) -> str:
    """A whole number with grouping (``1,200`` / ``১,২০০``)."""
    return str(claims.figure(int(value), "count", number(int(value), _language()), **meta))


def _grouped(value, unit: str = "number", **meta) -> str:
    """A number rounded to whole units with grouping, half away from zero in every
    language (``1,259`` / ``১,২৫৯`` for 1258.5), so both pages print the same figure."""
    return str(claims.figure(float(value), unit, number(float(value), _language()), **meta))


def _fixed(value, decimals: int = 0, sign: bool = False, unit: str = "score", **meta) -> str:
    """``value`` with ``decimals`` decimals (``+`` sign when ``sign``), as Python formats
    it, in the language's digits."""
    text = f"{float(value):{'+' if sign else ''}.{decimals}f}"
    return str(claims.figure(float(value), unit, localise_digits(text, _language()), **meta))


def _year(fy, **meta) -> str:
    """A fiscal year (``2023-24`` / ``২০২৩-২৪``)."""
    return str(claims.figure(None if is_missing(fy) else str(fy), "fiscal_year", fiscal_year_words(fy, _language()),
                             **({"fiscal_year": fy} | meta)))


def _digits(text) -> str:
    """Codes made of numbers (age bands ``60+``, rounds) in the language's digits."""
    return localise_digits(str(text), _language())


def _programmes(n: int) -> str:
    """``3 programmes`` as a phrase (inside parentheses or lists)."""
    return ngettext("{n} programme", "{n} programmes", n).format(n=_count(n))


# --- the first screen ----------------------------------------------------------------------

#: The unit of the national overview (:data:`NATIONAL_UNIT`), as a word to translate.
_NATIONAL_UNIT = N_("Bangladesh")


def _unit(headline: dict) -> str:
    return unit_name(headline)


def _programme(name: object) -> Name:
    """A programme's name as the page prints it (its Bangla name on a Bangla page where
    one is known), ready for the case endings of a Bangla sentence (``{programme:gen}``)."""
    return Name(shown_name("programme", name, current().language))


def _district(name: object) -> Name:
    """A district's name as the page prints it."""
    return Name(shown_name("district", name, current().language))


def _rounds_phrase(rounds: list, counts: dict | None = None) -> str:
    """`` in the 2024-25 assessment round`` when every programme is in it; else the
    counts per round `` (31 in 2023-24, 12 with no round stated)`` (``counts``: round
    -> programmes, ``""`` for none stated); without counts, `` (each in its latest
    assessment round: ...)``; empty without rounds. A phrase placed after the count."""
    if counts:
        if len(counts) == 1:
            only = next(iter(counts))
            return _(" in the {round} assessment round").format(round=_digits(only)) if only else ""
        parts = [(_("{n} in {round}").format(n=_count(c), round=_digits(r)) if r else
                  ngettext("{n} with no round stated", "{n} with no round stated", c).format(n=_count(c)))
                 for r, c in counts.items()]
        return _(" ({counts})").format(counts=", ".join(parts))
    if len(rounds) == 1:
        return _(" in the {round} assessment round").format(round=_round(rounds[0]))
    if rounds:
        return _(" (each in its latest assessment round: {rounds})").format(
            rounds=join_words([_round(r) for r in rounds]))
    return ""


def _round(name, **meta) -> str:
    """An assessment round named on the page (a claim: ``numerator``/``denominator``,
    when known, say how many of the set are in it)."""
    return str(claims.figure(str(name), "round", _digits(name), **({"round": name} | meta)))


def _first_sentence(headline: dict) -> str:
    unit, n, k = _unit(headline), headline["n_programmes"], headline["n_gender_specific_or_transformative"]
    n_transformative = headline.get("n_gender_transformative", 0)
    when = _rounds_phrase(headline.get("assessment_rounds") or [], headline.get("round_counts"))
    if n == 1:
        if k:
            text = _("{unit} has {n} assessed programme{when}, and it is gender-specific or "
                     "gender-transformative.")
        else:
            text = _("{unit} has {n} assessed programme{when}, and it is not gender-specific or "
                     "gender-transformative.")
        return text.format(unit=unit, n=_count(n), when=when)
    if k == 0:
        return _("{unit} has {n} assessed programmes{when}; none of them is gender-specific or "
                 "gender-transformative.").format(unit=unit, n=_count(n), when=when)
    transformative = (_(" ({n} transformative)").format(n=_int(n_transformative))
                      if n_transformative else "")
    if n >= SMALL_N:
        text = ngettext(
            "{unit} has {n} assessed programmes{when}; {k} of them ({share}) is gender-specific or "
            "gender-transformative{transformative}.",
            "{unit} has {n} assessed programmes{when}; {k} of them ({share}) are gender-specific or "
            "gender-transformative{transformative}.", k)
    else:
        text = ngettext(
            "{unit} has {n} assessed programmes{when}; {k} of {n} is gender-specific or "
            "gender-transformative{transformative}.",
            "{unit} has {n} assessed programmes{when}; {k} of {n} are gender-specific or "
            "gender-transformative{transformative}.", k)
    share = share_with_interval(k / n, headline.get("ci_low"), headline.get("ci_high"), numerator=k,
                                denominator=n, n=n) if n >= SMALL_N else ""
    return text.format(unit=unit, n=_count(n), when=when, k=_int(k), share=share,
                       transformative=transformative)


def _budget_sentence(headline: dict, k: int) -> str:
    fy = headline.get("fiscal_year")
    total = headline.get("budget_total_crore")
    ministry = bool(headline.get("ministry_code"))
    flagged = int(headline.get("n_allocations_flagged") or 0)
    excluding = _excluding(flagged, headline.get("flags_left_out"))
    if headline.get("no_budget_year"):
        return _no_budget_year_sentence(headline)
    if not (fy and not is_missing(total) and total > 0):
        return (_("No budget is on record for the ministry's programmes, so the share of budget they "
                  "carry cannot be given.") if ministry else
                _("No budget is on record for the government's programmes, so the share of budget they "
                  "carry cannot be given."))
    count = headline.get("n_programmes_with_budget", 0)
    if k == 0 or not headline.get("budget_gender_crore"):
        text = (_("In FY {fiscal_year}, none of the ministry's social-security budget on record ({total}, "
                  "{programmes}{excluding}) is in gender-specific or gender-transformative programmes.")
                if ministry else
                _("In FY {fiscal_year}, none of the government's social-security budget on record ({total}, "
                  "{programmes}{excluding}) is in gender-specific or gender-transformative programmes."))
        return text.format(fiscal_year=_year(fy), total=crore(total), programmes=_programmes(count),
                           excluding=excluding)
    if k == 1:
        text = (_("In FY {fiscal_year}, this programme carries {share} of the ministry's social-security "
                  "budget on record ({gender} of {total}, {programmes}{excluding}).") if ministry else
                _("In FY {fiscal_year}, this programme carries {share} of the government's social-security "
                  "budget on record ({gender} of {total}, {programmes}{excluding})."))
    else:
        text = (_("In FY {fiscal_year}, these programmes carry {share} of the ministry's social-security "
                  "budget on record ({gender} of {total}, {programmes}{excluding}).") if ministry else
                _("In FY {fiscal_year}, these programmes carry {share} of the government's social-security "
                  "budget on record ({gender} of {total}, {programmes}{excluding})."))
    programmes = ngettext("{n} programme with a budget", "{n} programmes with a budget", count).format(
        n=_count(count))
    return text.format(fiscal_year=_year(fy), share=percent(headline["budget_share"], unit="money_share"),
                       gender=crore(headline["budget_gender_crore"]), total=crore(total),
                       programmes=programmes, excluding=excluding)


def _no_budget_year_sentence(headline: dict) -> str:
    """No fiscal year qualifies as the page's budget year: the amounts and counts per
    year, and why no share is given."""
    years = headline.get("budget_years") or []
    with claims.scope(block="budget per year"):  # amounts of several years, each named: not one headline year
        return _no_budget_year_text(headline, years)


def _no_budget_year_text(headline: dict, years: list) -> str:
    per_year = "; ".join(
        _("FY {fiscal_year}: {total}, {programmes}").format(
            fiscal_year=_year(y["fiscal_year"]), total=crore(y["budget_crore"]),
            programmes=ngettext("{n} programme", "{n} programmes", y["n_programmes"]).format(
                n=_count(y["n_programmes"])))
        for y in sorted(years, key=lambda y: y["fiscal_year"], reverse=True))
    return _("No fiscal year has budget figures for at least half of the {n} programmes with a budget on record "
             "and at least {min_n} of them, so no budget share is given; the amounts on record are {per_year}.").format(
        n=_count(headline.get("n_programmes_with_any_budget") or 0), min_n=_int(SMALL_N), per_year=per_year)


def _quick_wins_sentence(headline: dict) -> str:
    """The changes the forms say are possible, in the programmes with the largest
    budgets: each programme once, its budget said to be the programme's, its actions
    grouped (never "quick wins" with an amount that reads as the action's cost)."""
    wins = headline.get("quick_wins") or []
    if not wins:
        return _("The forms name no change that is said to be possible yet; the recommendations below "
                 "list every gap.")
    grouped: dict[str, dict] = {}
    for w in wins:
        phrase = ACTION_PHRASES.get(w["item"])
        group = grouped.setdefault(str(w["programme"]), {"actions": [], "budget": w.get("budget_crore"),
                                                         "fiscal_year": w.get("fiscal_year")})
        action = _(phrase) if phrase else w["action"]
        if action not in group["actions"]:
            group["actions"].append(action)
    named = []
    for programme, group in grouped.items():
        actions = join_words(group["actions"])
        if is_missing(group["budget"]):
            named.append(_("{programme}: {actions}").format(programme=_programme(programme), actions=actions))
        else:
            budget = crore(group["budget"], fiscal_year=group["fiscal_year"], where="narrative.quick_wins")
            named.append(_("{programme} (budget {budget}): {actions}").format(
                programme=_programme(programme), budget=budget, actions=actions))
    text = "; ".join(named)
    n = sum(len(g["actions"]) for g in grouped.values())
    if headline.get("ministry_code"):
        return ngettext("A change the ministry says is possible, where its budgets are largest: {wins}.",
                        "Changes the ministry says are possible, where its budgets are largest: {wins}.",
                        n).format(wins=text)
    return ngettext("A change a ministry says is possible, where the budgets are largest: {wins}.",
                    "Changes the ministries say are possible, where the budgets are largest: {wins}.",
                    n).format(wins=text)


def _score_sentence(headline: dict, n: int) -> str | None:
    own_scores = headline.get("programme_scores") or []
    mean = headline.get("mean_inclusion_score")
    if 0 < n < SMALL_N:
        scored = [f"{_fixed(score)} ({name})" for name, score in own_scores if not is_missing(score)]
        if not scored:
            return None
        return ngettext(
            "With fewer than {small_n} programmes there is no mean to estimate; the gender inclusion score "
            "is {scores}, of 100.",
            "With fewer than {small_n} programmes there is no mean to estimate; the gender inclusion scores "
            "are {scores}, of 100.", len(scored)).format(small_n=_int(SMALL_N), scores=join_words(scored))
    if is_missing(mean):
        return None
    spread = interval(headline.get("mean_ci_low"), headline.get("mean_ci_high"), as_percent=False, n=n, method="t")
    national = headline.get("national_mean_inclusion_score")
    if not (headline.get("ministry_code") and not is_missing(national)):
        return _("The mean gender inclusion score is {mean} of 100{interval}.").format(
            mean=_fixed(mean, unit="mean", n=n), interval=spread)
    verdict = compare_units(
        (n, headline.get("mean_ci_low"), headline.get("mean_ci_high")),
        (headline.get("national_n", 0), headline.get("national_mean_ci_low"),
         headline.get("national_mean_ci_high")))
    national_spread = interval(headline.get("national_mean_ci_low"), headline.get("national_mean_ci_high"),
                               as_percent=False)
    national_value = _fixed(national, unit="mean", role="comparator", n=headline.get("national_n"),
                            low=headline.get("national_mean_ci_low"), high=headline.get("national_mean_ci_high"),
                            method="t", round=headline.get("national_round"),
                            programmes=headline.get("national_programme_keys"))
    national_text = _("{mean}{interval}, {programmes}").format(
        mean=national_value, interval=national_spread, programmes=_programmes(int(headline.get("national_n") or 0)))
    mean_text = _fixed(mean, unit="mean", n=n)
    if verdict:
        return _("The mean gender inclusion score is {mean} of 100{interval}; the national mean is "
                 "{national} ({verdict}).").format(mean=mean_text, interval=spread,
                                                   national=national_text, verdict=verdict)
    return _("The mean gender inclusion score is {mean} of 100{interval}; the national mean is "
             "{national}.").format(mean=mean_text, interval=spread, national=national_text)


def unknown_sentence(headline: dict) -> str:
    """Where more than 1 in 10 answers behind the headline count are unknown: how many,
    and the count with every unknown read as no and as yes; empty otherwise."""
    if not headline.get("unknown_said"):
        return ""
    n = int(headline["n_programmes"])
    return _("{unknown} of {answers} answers behind this count are unknown; with every unknown read as no, "
             "{k_no} of {n} programmes would be gender-specific or gender-transformative, and {k_yes} of {n} "
             "with every unknown read as yes.").format(
        unknown=_count(headline["n_unknown"]), answers=_count(headline["n_answers"]),
        k_no=_count(headline["k_if_unknown_no"]), k_yes=_count(headline["k_if_unknown_yes"]), n=_count(n))


def disputed_sentence(headline: dict) -> str:
    """The programmes left out because two differing forms were received and nothing
    tells which is the later one, named, with the question to the ministry; empty when
    there are none."""
    n = int(headline.get("n_disputed") or 0)
    if not n:
        return ""
    names = join_words([display_name("programme", p) for p in headline.get("disputed_programmes") or []])
    return ngettext(
        "{n} programme with two differing forms ({names}) is left out of every count, share, mean and "
        "budget share on this page: which form stands?",
        "{n} programmes with two differing forms ({names}) are left out of every count, share, mean and "
        "budget share on this page: which form stands for each?", n).format(n=_count(n), names=names)


def headline_sentences(headline: dict) -> list[str]:
    """The first screen of a report: what the data say, in plain sentences.

    ``headline`` is :func:`headline_figures`' dict. Sentences are plain text (the
    notebook escapes them): the count and share of gender-specific or transformative
    programmes with its interval, the share of the budget they carry in the fiscal
    year, the two biggest quick wins by name, and the mean inclusion score.
    """
    n, k = headline["n_programmes"], headline["n_gender_specific_or_transformative"]
    if n == 0:
        return [_("No programme of {unit} has been assessed yet, so this report has no findings.").format(
            unit=_unit(headline))]
    rounds = headline.get("assessment_rounds") or []
    counts = headline.get("round_counts")
    if counts is not None:  # a round is named only when every programme is in it
        rounds = list(counts) if len(counts) == 1 and "" not in counts else []
    with claims.scope(block="headline", role="unit", where="narrative.headline",
                      fiscal_year=headline.get("fiscal_year"),
                      round=rounds[0] if len(rounds) == 1 else None,
                      programmes=headline.get("programme_keys")):
        sentences = [_first_sentence(headline)]
        unknown = unknown_sentence(headline)
        if unknown:
            sentences.append(unknown)
        disputed = disputed_sentence(headline)
        if disputed:
            sentences.append(disputed)
        sentences += [_budget_sentence(headline, k), _quick_wins_sentence(headline)]
        scores = _score_sentence(headline, n)
    if scores:
        sentences.append(scores)
    return sentences


#: The plausibility check's flags (``about 10x``, ``about 1/10x``, ``ratio 0.3: check``).
_ABOUT = re.compile(r"about (?P<factor>[0-9/]+)x")
_RATIO = re.compile(r"ratio (?P<ratio>\S+): check")


def flag_in_words(flag: str) -> str:
    """A budget plausibility flag (``about 10x``, ``ratio 0.3: check``) in the current
    language."""
    about = _ABOUT.fullmatch(flag)
    if about:
        return _("about {factor}x").format(factor=_digits(about["factor"]))
    ratio = _RATIO.fullmatch(flag)
    if ratio:
        return _("ratio {ratio}: check").format(ratio=_digits(ratio["ratio"]))
    return flag


def _excluding(flagged: int, flags: object) -> str:
    """``; excluding 1 allocation flagged as about 10x the arithmetic`` (or by the
    plausibility check), or empty when no allocation was left out."""
    if not flagged:
        return ""
    every = str(flags).split("; ")
    about = [f for f in str(flags or "").split("; ") if f.startswith("about ")]
    if about and len(about) == len(every):
        return ngettext("; excluding {n} allocation flagged as {about} the arithmetic",
                        "; excluding {n} allocations flagged as {about} the arithmetic", flagged).format(
            n=_count(flagged), about=join_words([flag_in_words(f) for f in about], "or"))
    return ngettext("; excluding {n} allocation flagged by the check beneficiaries x rate x 12",
                    "; excluding {n} allocations flagged by the check beneficiaries x rate x 12",
                    flagged).format(n=_count(flagged))


def compare_units(unit: tuple, other: tuple) -> str:
    """The reading of a difference between two units, each ``(n, ci_low, ci_high)``:
    "above"/"below" only when both have at least ``COMPARISON_MIN_N`` programmes and
    the 95% intervals do not overlap; "these data cannot tell" otherwise (with a
    handful of programmes the test has little power: no difference is not a finding); "" when either
    has too few programmes to compare. A clause, in the current language."""
    (n, low, high), (n2, low2, high2) = unit, other
    if is_missing(n) or is_missing(n2) or int(n) < COMPARISON_MIN_N or int(n2) < COMPARISON_MIN_N:
        return ""
    if any(is_missing(v) for v in (low, high, low2, high2)):
        return ""
    if float(low) > float(high2):
        text = _("above the national figure: the 95% intervals do not overlap")
    elif float(high) < float(low2):
        text = _("below the national figure: the 95% intervals do not overlap")
    else:
        return _("these data cannot tell whether it differs from the national figure: the 95% intervals overlap")
    # A stated difference is a claim the comparisons rule checks (both sides' n and intervals).
    return str(claims.figure(None, "difference", text, n=n, low=low, high=high, versus=(None, n2, low2, high2),
                             where="narrative.compare_units"))


# --- readings of the ministry figures ------------------------------------------------------

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
    parts = [_(_ANSWER_COUNTS[a]).format(n=_int(counts.get(a, 0)))
             for a in ("yes", "partly", "no", "not_applicable", "unknown") if counts.get(a, 0)]
    n = len(assessments)
    text = ngettext("Across {n} programme and the ten items, the answers are {answers}.",
                    "Across {n} programmes and the ten items, the answers are {answers}.", n).format(
        n=_count(n), answers=join_words(parts))
    never = [label_in_sentence(i) for i in ITEMS if not (answers[i] == "yes").any()]
    if len(never) == len(ITEMS):
        text += " " + _("No programme answers yes to any item.")
    elif never:
        text += " " + _("No programme answers yes to {items}.").format(items=join_words(never, "or"))
    return text


def _verdict_clause(verdict: str) -> str:
    return _("; {verdict}").format(verdict=verdict) if verdict else ""


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
        n=_int(SMALL_N)) if n < SMALL_N else "")
    nk, nn, nlow, nhigh = gsot_share(nat_rows)
    if not nn:
        return ngettext("{share} is gender-specific or gender-transformative{few}.",
                        "{share} are gender-specific or gender-transformative{few}.", k).format(
            share=share, few=few)
    verdict = _verdict_clause(compare_units((n, low, high), (nn, nlow, nhigh)))
    return ngettext(
        "{share} is gender-specific or gender-transformative, against {national} nationally{verdict}{few}.",
        "{share} are gender-specific or gender-transformative, against {national} nationally{verdict}{few}.",
        k).format(share=share, national=count_share(nk, nn, nlow, nhigh, SMALL_N), verdict=verdict, few=few)


def item_yes_reading(item_shares) -> str:
    """The items the unit's programmes most and least often answer ``yes``."""
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
            k=_int(top["count_yes"]), n=_int(top["n"]))
    return _("{top} is the item most often answered yes ({k} of {n} programmes); {low} the least "
             "({k_low} of {n_low}).").format(
        top=label(top["item"]), k=_int(top["count_yes"]), n=_int(top["n"]),
        low=label_in_sentence(low["item"]), k_low=_int(low["count_yes"]), n_low=_int(low["n"]))


def lifecycle_reading(lifecycle_matrix) -> str:
    """Which life-cycle stages the programmes cover and which none does."""
    stages = stage_counts(lifecycle_matrix)
    if stages is None or not len(stages) or lifecycle_matrix["n_programmes"].sum() == 0:
        return _("No programme names a cluster or a life-cycle stage.")
    covered = stages[stages["n_programmes"] > 0]
    gaps = [label_in_sentence(s) for s in stages.loc[stages["n_programmes"] == 0, "lifecycle_stage"]]
    if gaps:
        text = _("The programmes cover {k} of {n} life-cycle stages; none covers {gaps}.").format(
            k=_int(len(covered)), n=_int(len(stages)), gaps=join_words(gaps, "or"))
    else:
        text = _("The programmes cover {k} of {n} life-cycle stages, every one of them.").format(
            k=_int(len(covered)), n=_int(len(stages)))
    none = int(lifecycle_matrix.loc[lifecycle_matrix["lifecycle_stage"] == "none", "n_programmes"].sum())
    if none:
        text += " " + ngettext("{n} programme names no stage (covariate risk).",
                               "{n} programmes name no stage (covariate risk).", none).format(n=_count(none))
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
        total).format(fiscal_year=_year(fy), k=_int(reporting), n=_count(total),
                      share=percent(row["women_share"]), beneficiaries=_grouped(row["beneficiaries"]))


def recommendations_reading(recs) -> str:
    """How many actions, how many the forms say are possible, how many always listed."""
    if recs is None or not len(recs):
        return _("No gap found: every item is answered yes or not applicable.")
    possible = int((recs["followup_answer"] == "yes").sum())
    always = int(recs["always_listed"].sum())
    n_prog = recs["programme"].nunique()
    actions = ngettext("{n} action", "{n} actions", len(recs)).format(n=_count(len(recs)))
    return ngettext(
        "{actions} for {programmes}: {possible} the forms say is possible (ranked first, then by budget); "
        "{always} about missing sex-disaggregated data or gender indicators, listed always.",
        "{actions} for {programmes}: {possible} the forms say are possible (ranked first, then by budget); "
        "{always} about missing sex-disaggregated data or gender indicators, listed always.",
        possible).format(actions=actions, programmes=_programmes(n_prog), possible=_int(possible),
                         always=_int(always))


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
    verdict = _verdict_clause(
        compare_units((row["n"], row["ci_low"], row["ci_high"]), (n["n"], n["ci_low"], n["ci_high"])))
    return ngettext(
        "{share} is ready to measure gender results ({what}), against {national} nationally{verdict}.",
        "{share} are ready to measure gender results ({what}), against {national} nationally{verdict}.",
        int(row["n_ready"])).format(share=share, what=what, national=count_share(n["n_ready"], n["n"]),
                                    verdict=verdict)


def data_quality_sentences(data_quality, budget_plausibility=None) -> list[str]:
    """Unknown answers, programmes with too few answers, quarantined lines, conflicts
    and implausible budgets, one sentence each."""
    if data_quality is None or not len(data_quality):
        return [_("No data-quality figures: no programme assessed.")]
    row = data_quality.iloc[0]
    out = [_("{k} of {n} answers ({share}) are unknown (left empty or unreadable); unknown never counts "
             "as no.").format(k=_int(row["n_unknown"]), n=_int(row["n_answers"]),
                              share=percent(row["share_unknown"]))]
    insufficient = int(row["n_programmes_insufficient"])
    if insufficient:
        out.append(ngettext(
            "{n} programme has fewer than half the items answered and gets no level (insufficient data).",
            "{n} programmes have fewer than half the items answered and get no level (insufficient data).",
            insufficient).format(n=_count(insufficient)))
    q = row["n_quarantined"]
    if is_missing(q):
        out.append(_("Quarantined lines cannot be attributed to this unit; the national overview counts them."))
    elif int(q) == 0 and not is_missing(row.get("n_quarantined_shared_unnamed")) \
            and int(row.get("n_quarantined_shared_unnamed") or 0):
        out.append(ngettext(
            "No quarantined line names the ministry; {n} line of files it shares with other ministries was "
            "quarantined without naming a ministry (the national overview counts it).",
            "No quarantined line names the ministry; {n} lines of files it shares with other ministries were "
            "quarantined without naming a ministry (the national overview counts them).",
            int(row["n_quarantined_shared_unnamed"])).format(n=_count(row["n_quarantined_shared_unnamed"])))
    elif int(q) == 0:
        out.append(_("No line of the submissions was quarantined."))
    elif row["scope"] == "ministry":
        out.append(ngettext(
            "{n} line of the ministry's submissions was quarantined (unusable rows or cells; they are "
            "listed, with the reason, in the data workbook linked above).",
            "{n} lines of the ministry's submissions were quarantined (unusable rows or cells; they are "
            "listed, with the reason, in the data workbook linked above).", int(q)).format(n=_count(q)))
    else:
        out.append(ngettext(
            "{n} line of the submissions was quarantined (unusable rows or cells; they are listed, with "
            "the reason, in the data workbook linked above).",
            "{n} lines of the submissions were quarantined (unusable rows or cells; they are listed, with "
            "the reason, in the data workbook linked above).", int(q)).format(n=_count(q)))
    conflicts = int(row["n_conflicting_programmes"])
    out.append(ngettext(
        "{n} programme is assessed more than once in one round with different answers; each counts once, "
        "as said below.",
        "{n} programmes are assessed more than once in one round with different answers; each counts "
        "once, as said below.", conflicts).format(n=_count(conflicts))
        if conflicts else _("No programme is assessed twice in one round with different answers."))
    if budget_plausibility is not None and len(budget_plausibility):
        flagged = budget_plausibility[~budget_plausibility["plausible"].astype(bool)]
        checked = len(budget_plausibility)
        if len(flagged):
            names = join_words([
                _("{programme} FY {fiscal_year} ({flag})").format(
                    programme=_programme(r["programme"]), fiscal_year=_year(r["fiscal_year"]), flag=flag_in_words(r["flag"]))
                for r in flagged.head(3).to_dict("records")])
            text = (ngettext("{k} of {n} budget row with a monthly rate fails the check beneficiaries x rate "
                             "x 12: {names}; flagged, not corrected, and left out of budget totals and shares.",
                             "{k} of {n} budget rows with a monthly rate fails the check beneficiaries x "
                             "rate x 12: {names}; flagged, not corrected, and left out of budget totals and "
                             "shares.", checked) if len(flagged) == 1 else
                    _("{k} of {n} budget rows with a monthly rate fail the check beneficiaries x rate x 12: "
                      "{names}; flagged, not corrected, and left out of budget totals and shares."))
            out.append(text.format(k=_int(len(flagged)), n=_count(checked), names=names))
        elif checked == 1:
            out.append(_("The {n} budget row with a monthly rate passes the check beneficiaries x rate x 12.")
                       .format(n=_count(checked)))
        else:
            out.append(_("All {n} budget rows with a monthly rate pass the check beneficiaries x rate x 12.")
                       .format(n=_count(checked)))
    return out


def _end(text: str) -> str:
    """Clauses joined by ``;`` closed as one sentence (``.`` / ``।``)."""
    return _("{sentence}.").format(sentence=text)


# --- readings of the national figures ------------------------------------------------------


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
    return text.format(share=share, k=_int(none), n=_int(n_units))


def mean_score_reading(mean_score, scope: str = "ministry") -> str:
    """The national mean inclusion score, and how many units' intervals lie above,
    below or across it (counted, never named in order)."""
    nat = rows_of(mean_score, "national", "inclusion_score")
    if nat is None or not len(nat) or is_missing(nat.iloc[0]["mean"]):
        return _("No programme has an inclusion score.")
    row = nat.iloc[0]
    values = dict(mean=_fixed(row["mean"]), interval=interval(row["ci_low"], row["ci_high"], as_percent=False),
                  programmes=_programmes(int(row["n"])))
    units = rows_of(mean_score, scope, "inclusion_score")
    if units is None or not len(units):
        return _("The national mean gender inclusion score is {mean} of 100{interval} over {programmes}.").format(
            **values)
    enough = units[(units["n"] >= COMPARISON_MIN_N)].dropna(subset=["ci_low", "ci_high"])
    above = int((enough["ci_low"] > row["ci_high"]).sum()) if row["n"] >= COMPARISON_MIN_N else 0
    below = int((enough["ci_high"] < row["ci_low"]).sum()) if row["n"] >= COMPARISON_MIN_N else 0
    few = len(units) - len(enough)
    parts = dict(
        above=ngettext("{n} lies above it", "{n} lie above it", above).format(n=_int(above)),
        below=ngettext("{n} below it", "{n} below it", below).format(n=_int(below)),
        few=(ngettext("{n} ministry has too few programmes to compare",
                      "{n} ministries have too few programmes to compare", few) if scope == "ministry" else
             ngettext("{n} cluster has too few programmes to compare",
                      "{n} clusters have too few programmes to compare", few)).format(n=_int(few)))
    text = (_("The national mean gender inclusion score is {mean} of 100{interval} over {programmes}; of the "
              "{k} ministries with at least {min_n} scored programmes, {above} and {below} (95% intervals "
              "apart), for the others these data cannot tell; {few}.") if scope == "ministry" else
            _("The national mean gender inclusion score is {mean} of 100{interval} over {programmes}; of the "
              "{k} clusters with at least {min_n} scored programmes, {above} and {below} (95% intervals "
              "apart), for the others these data cannot tell; {few}."))
    return text.format(**values, **parts, k=_int(len(enough)), min_n=_int(COMPARISON_MIN_N))


def budget_share_reading(budget_gender_share) -> str:
    """The national share of the budget in gender-specific or transformative programmes."""
    nat = rows_of(budget_gender_share, "national")
    if nat is None or not len(nat) or is_missing(nat.iloc[0]["budget_total"]) or not nat.iloc[0]["budget_total"]:
        return _("No budget is on record.")
    row = nat.iloc[0]
    flagged = int(row.get("n_allocations_flagged", 0) or 0)
    return _("In FY {fiscal_year}, {share} of the social-security budget on record ({gender} of {total}, "
             "{programmes}{excluding}) is in gender-specific or gender-transformative programmes.").format(
        fiscal_year=_year(row["fiscal_year"]), share=percent(row["share"]),
        gender=crore(row["budget_gender_specific_or_transformative"]), total=crore(row["budget_total"]),
        programmes=_programmes(int(row["n_programmes_with_budget"])),
        excluding=_excluding(flagged, row.get("flags_left_out")))


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


# --- trends, counting, models --------------------------------------------------------------


def _no_trend(trend) -> str:
    """Why there is no trend, from the rounds on record."""
    rounds = list(getattr(trend, "rounds", ()) or ())
    if trend.n_rounds == 0:
        return _("No assessment round recorded: a trend needs two rounds of the same programmes.")
    if trend.n_rounds == 1 and rounds:
        return _("One assessment round ({round}): a trend needs two rounds of the same programmes.").format(
            round=_digits(rounds[0]))
    if rounds and trend.n_pairs == 0:
        return _("{n} assessment rounds ({rounds}), but no programme is assessed in two of them, so there is "
                 "no trend to show.").format(n=_int(trend.n_rounds), rounds=", ".join(_digits(r) for r in rounds))
    return sentence(trend.message) + "."


def trend_reading(trend) -> str:
    """The paired trend: how many programmes are paired, each change named (fewer than
    5 pairs) or the summary of change with its interval (5 or more), then how scores
    are compared (like for like) and which answers became unknown."""
    text = _trend_reading(trend)
    pairs = getattr(trend, "pairs", None) if trend is not None and trend.ok else None
    note = like_for_like_note(pairs)
    return f"{text} {note}" if note else text


def like_for_like_note(pairs) -> str:
    """How a change between rounds is measured, and the answers that went missing
    (never read as a fall or rise); empty without pairs."""
    if pairs is None or not len(pairs) or "items_became_unknown" not in pairs.columns:
        return ""
    gone = [(r["programme"], [i for i in str(r["items_became_unknown"]).split("; ") if i])
            for r in pairs.to_dict("records")]
    gone = [(p, items) for p, items in gone if items]
    lead = _("Each programme's scores are compared over the items answered in both rounds.")
    if not gone:
        return lead
    n = sum(len(items) for _p, items in gone)
    listed = "; ".join(f"{display_name('programme', p)}: {join_words([label_in_sentence(i) for i in items])}"
                       for p, items in gone)
    return lead + " " + ngettext(
        "{n} answer became unknown in the later round and is left out of both rounds' scores, not counted as a "
        "fall or rise ({items}).",
        "{n} answers became unknown in the later round and are left out of both rounds' scores, not counted as a "
        "fall or rise ({items}).", n).format(n=_count(n), items=listed)


def _trend_reading(trend) -> str:
    if trend is None:
        return _("No trend.")
    if not trend.ok:
        return _no_trend(trend)
    pairs = trend.pairs
    n = len(pairs)
    if not trend.summary:
        changes = [f"{_programme(r['programme'])} {_fixed(r['score_before'])} → {_fixed(r['score_after'])}"
                   for r in pairs.to_dict("records")
                   if not is_missing(r["score_before"]) and not is_missing(r["score_after"])]
        return ngettext(
            "{n} programme is assessed in two rounds and each compared with itself; programmes assessed in one "
            "round only are left out: {changes}.",
            "{n} programmes are assessed in two rounds and each compared with itself; programmes assessed in "
            "one round only are left out: {changes}.", n).format(n=_count(n), changes=join_words(changes))
    s = trend.summary
    return ngettext(
        "{n} programme is assessed in two rounds and each compared with itself; programmes assessed in one "
        "round only are left out. The score rose for {up}, fell for {down} and did not change for {same}; the "
        "mean change is {change} points{interval}. Gender-specific or transformative: {before} of {pairs} in "
        "the earlier round, {after} of {pairs} in the later.",
        "{n} programmes are assessed in two rounds and each compared with itself; programmes assessed in one "
        "round only are left out. The score rose for {up}, fell for {down} and did not change for {same}; the "
        "mean change is {change} points{interval}. Gender-specific or transformative: {before} of {pairs} in "
        "the earlier round, {after} of {pairs} in the later.", n).format(
        n=_count(n), up=_int(s["n_up"]), down=_int(s["n_down"]), same=_int(s["n_same"]),
        change=_fixed(s["mean_change"], sign=True),
        interval=interval(s["ci_low"], s["ci_high"], as_percent=False),
        before=_int(s["gsot_before"]), after=_int(s["gsot_after"]), pairs=_int(n))


def budget_trend_reading(table) -> str:
    """Budgets and women's share across fiscal years, for the same programmes."""
    if table is None or not len(table):
        return _("No budget is on record, so there is no trend in budgets.")
    first, last = table.iloc[0], table.iloc[-1]
    years = dict(first_year=_year(first["fiscal_year"]), last_year=_year(last["fiscal_year"]))
    w = int(first["n_programmes_women"])
    women = ngettext(
        "; for the {n} programme reporting women beneficiaries every year, women's share went from {share_first} "
        "of {beneficiaries_first} to {share_last} of {beneficiaries_last} (administrative totals)",
        "; for the {n} programmes reporting women beneficiaries every year, women's share went from "
        "{share_first} of {beneficiaries_first} to {share_last} of {beneficiaries_last} (administrative totals)",
        w).format(n=_count(w), share_first=percent(first["women_share"]),
                  beneficiaries_first=_grouped(first["beneficiaries"]), share_last=percent(last["women_share"]),
                  beneficiaries_last=_grouped(last["beneficiaries"])) if w else ""
    n = int(first["n_programmes"])
    if n == 0:
        return _("No programme has a budget on record in every fiscal year from FY {first_year} to {last_year}, "
                 "so budgets are not compared{women}.").format(**years, women=women)
    return ngettext(
        "For the {n} programme with a budget in every fiscal year from FY {first_year} to {last_year}, the "
        "budget went from {budget_first} to {budget_last}{women}.",
        "For the {n} programmes with a budget in every fiscal year from FY {first_year} to {last_year}, the "
        "budget went from {budget_first} to {budget_last}{women}.", n).format(
        n=_count(n), **years, budget_first=crore(first["budget_crore"]), budget_last=crore(last["budget_crore"]),
        women=women)


def counting_reading(resolution) -> str:
    """How programmes with more than one row in a round are counted once."""
    if resolution is None or not len(resolution):
        return _("Every programme has one row per assessment round.")
    disputed = int(resolution["disputed"].astype(bool).sum()) if "disputed" in resolution.columns else 0
    conflicts = len(resolution[~resolution["resolution"].str.contains("cell for cell")]) - disputed
    repeats = len(resolution) - conflicts - disputed
    parts = []
    if disputed:
        parts.append(ngettext(
            "{n} programme has two differing forms in one round and nothing tells which is the later one: "
            "it is disputed, shown form by form on its card and left out of every figure",
            "{n} programmes have two differing forms in one round and nothing tells which is the later one: "
            "they are disputed, shown form by form on their cards and left out of every figure",
            disputed).format(n=_count(disputed)))
    if conflicts:
        parts.append(ngettext(
            "{n} programme has rows that disagree in one round; each counts once, as listed",
            "{n} programmes have rows that disagree in one round; each counts once, as listed",
            conflicts).format(n=_count(conflicts)))
    if repeats:
        parts.append(ngettext(
            "{n} programme is repeated cell for cell across files and counted once",
            "{n} programmes are repeated cell for cell across files and counted once",
            repeats).format(n=_count(repeats)))
    return _end(sentence("; ".join(parts)))


#: Values of a model's words that are names of clusters (translated, not localised).
_CLUSTER_KEYS = ("cluster", "reference")


def model_words(words) -> str:
    """One of a model's :class:`~nsss_analysis.diagnostics.models.Words` in the current
    language: its message translated, numbers in the language's digits, clusters named
    in the language, nested words and lists of words written the same way."""
    values = {}
    for key, value in words.values.items():
        if isinstance(value, (list, tuple)):
            values[key] = "; ".join(model_words(v) for v in value)
        elif hasattr(value, "message"):
            values[key] = model_words(value)
        elif key in _CLUSTER_KEYS:
            values[key] = _(str(value))
        else:
            values[key] = _digits(value)
    return _(words.message).format(**values)


def model_reading(result) -> str:
    """The model's plain-language reading, or why there is no model. English is the
    reading the model wrote; another language rebuilds it from the model's words."""
    if result is None:
        return _("No model.")
    words = getattr(result, "words", ())
    if _language() != "en" and words:
        return " ".join(model_words(w) for w in words)
    return sentence(result.reading or result.message)


# --- notices and the subtitle --------------------------------------------------------------

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
    if not synthetic:
        return ""
    return str(claims.synthetic_notice(_(_DATA_NOTICE_MESSAGE).format(marker="SYNTHETIC"),
                                       where="narrative.data_notice"))


def fiscal_year_phrase(headline: dict) -> str:
    """`` · budget figures for FY 2023-24`` for a report's subtitle (empty without a year)."""
    fy = headline.get("fiscal_year")
    if not fy:
        return ""
    return _(" · budget figures for FY {fiscal_year}").format(
        fiscal_year=localise_digits(str(fy), current().language))


def unit_name(headline: dict) -> str:
    """The ministry's or division's name in the current language (the register's Bangla
    name where one is recorded; English: the name the headline figures carry); the
    nation's name for the national overview."""
    language = current().language
    if language == "en":
        return Name(headline["unit"])
    ministry = load_reference().ministry_by_code.get(headline.get("ministry_code") or "")
    if ministry is not None:
        return Name(ministry.name_in(language))
    if headline["unit"] == NATIONAL_UNIT:
        return Name(_(_NATIONAL_UNIT))
    return Name(display_name("cluster", headline["unit"], language))


# --- the beneficiary lists (MIS) -----------------------------------------------------------

#: Shown instead of the coverage section when a ministry has no processed extract
#: (a message id: :func:`no_coverage` gives it in the current language).
NO_COVERAGE = N_("No MIS beneficiary extract has been processed for this ministry's programmes, so coverage "
                 "by sex comes only from the forms above.")


def no_coverage() -> str:
    """:data:`NO_COVERAGE` in the current language."""
    return _(NO_COVERAGE)


#: An age band with fewer beneficiaries than this is left out when a sentence names
#: the lowest and highest women's share: with 5 people, 0% or 100% is noise.
MIN_BENEFICIARIES_NAMED = 30

#: The payment channels of the reference vocabulary, as words to translate.
CHANNEL_WORDS: dict[str, str] = {
    "mobile": N_("mobile"),
    "bank": N_("bank"),
    "cash": N_("cash"),
    "post office": N_("post office"),
    "unknown": N_("unknown"),
}


def _channel(code: object) -> str:
    word = CHANNEL_WORDS.get(str(code))
    return _(word) if word else str(code)


def _band(code: object) -> str:
    return pgettext("age band", "unknown") if str(code) == "unknown" else _digits(code)


def _programme_names(df) -> list[str]:
    return list(dict.fromkeys(df["programme"].astype(str))) if "programme" in df.columns else [""]


def coverage_reading(shares) -> str:
    """Women's share of each programme's counted beneficiaries, with its count and interval."""
    if shares is None or not len(shares):
        return _("No beneficiary could be counted.")
    parts = [_("{share} of {programme}'s {total}{interval}").format(
        share=percent(r["share"]), programme=_programme(r["programme"]), total=_count(r["total"]),
        interval=interval(r["ci_low"], r["ci_high"])) for r in shares.to_dict("records")]
    return _("In the MIS, women are {parts} beneficiaries counted.").format(parts=join_words(parts))


def _range_sentence(rows, category: str, share: str = "women_share") -> str | None:
    big = rows[rows["total"] >= MIN_BENEFICIARIES_NAMED]
    if len(big) < 2:
        return None
    low, high = big.loc[big[share].idxmin()], big.loc[big[share].idxmax()]
    if low[category] == high[category]:
        return None
    # a lowest and a highest are named only when their 95% intervals do not overlap
    (_lo1, hi_low), (lo_high, _hi2) = (wilson_interval(round(float(r[share]) * float(r["total"])), float(r["total"]))
                                       for r in (low, high))
    if not hi_low < lo_high:
        return None
    text = _("women's share is lowest in the {low} band ({low_share} of {low_total}) and highest in the "
             "{high} band ({high_share} of {high_total})").format(
        low=_band(low[category]), low_share=percent(low[share], denominator=low["total"]),
        low_total=_count(low["total"]), high=_band(high[category]),
        high_share=percent(high[share], denominator=high["total"]), high_total=_count(high["total"]))
    # Naming a lowest and a highest is a stated difference: a claim the comparisons rule checks.
    (lo_low, lo_high), (hi_low, hi_high) = (wilson_interval(round(float(r[share]) * int(r["total"])), int(r["total"]))
                                            for r in (low, high))
    return str(claims.figure(None, "difference", text, n=int(low["total"]), low=lo_low, high=lo_high,
                             versus=(None, int(high["total"]), hi_low, hi_high), method="wilson",
                             where="narrative.range"))


def age_band_reading(by_age) -> str:
    """Per programme: the age band most beneficiaries are in, and where women's share
    is lowest and highest (bands of at least ``MIN_BENEFICIARIES_NAMED``)."""
    if by_age is None or not len(by_age):
        return _("No beneficiary could be counted.")
    parts = []
    for name in _programme_names(by_age):
        rows = by_age[by_age["programme"] == name] if name else by_age
        top = rows.loc[rows["total"].idxmax()]
        values = dict(programme=_programme(name), share=percent(top["total"] / rows["total"].sum()),
                      total=_count(rows["total"].sum()), band=_band(top["age_band"]))
        spread = _range_sentence(rows, "age_band")
        if spread:
            parts.append(_("{programme}: {share} of {total} beneficiaries are aged {band}; {spread}").format(
                **values, spread=spread))
        else:
            parts.append(_("{programme}: {share} of {total} beneficiaries are aged {band}").format(**values))
    return _end(sentence("; ".join(parts)))


def district_reading(by_district) -> str:
    """Per programme: the districts outside the 99.8% funnel limits around the
    programme's overall share, each with its n; no range across districts."""
    if by_district is None or not len(by_district):
        return _("No beneficiary with a known district could be counted.")
    funnel = district_funnel(by_district)
    parts = []
    for name in _programme_names(funnel):
        rows = funnel[funnel["programme"] == name] if name else funnel
        outside = rows[rows["outside_998"].astype(bool)]
        overall = percent(rows["overall_share"].iloc[0]) if len(rows) else _("n/a")
        if len(outside):
            named = join_words([_("{district} ({share} of {total})").format(
                district=_district(r["district"]), share=percent(r["women_share"]), total=_count(r["total"]))
                for r in outside.sort_values("district").to_dict("records")])
            parts.append(_("{programme}: outside the 99.8% limits around the overall {overall}: {districts}").format(
                programme=_programme(name), overall=overall, districts=named))
        else:
            parts.append(ngettext(
                "{programme}: every one of {n} district lies within the 99.8% limits around the overall "
                "{overall}, so the differences between districts are what chance gives at their size",
                "{programme}: every one of {n} districts lies within the 99.8% limits around the overall "
                "{overall}, so the differences between districts are what chance gives at their size",
                len(rows)).format(programme=_programme(name), n=_count(len(rows)), overall=overall))
    return _end(sentence("; ".join(parts)))


def _people(n) -> str:
    """``n = 1,234`` (or empty parentheses' content when unknown)."""
    return _("n = {n}").format(n=_count(n)) if not is_missing(n) else _("n not known")


def amount_reading(amounts) -> str:
    """Per programme: the mean benefit paid to women and to men."""
    if amounts is None or not len(amounts):
        return _("No benefit amount could be read.")
    parts = []
    for name in _programme_names(amounts):
        table = amounts[amounts["programme"] == name].set_index("sex")
        rows = table["mean_bdt"]
        people = table["beneficiaries"] if "beneficiaries" in table.columns else rows * math.nan
        women, men = rows.get("female"), rows.get("male")
        if is_missing(women) or is_missing(men):
            continue
        n_women, n_men = people.get("female"), people.get("male")
        few = [(sex, n) for sex, n in (("women", n_women), ("men", n_men))
               if not is_missing(n) and int(n) < SMALL_N]
        if few:  # a mean over fewer than 5 people is not a mean to print
            parts.append(_("{programme}: Tk {women} to women ({n_women}) and {n_men} men, too few for a mean").format(
                programme=_programme(name), women=_grouped(women), n_women=_people(n_women), n_men=_count(n_men))
                if few == [("men", n_men)] else
                _("{programme}: {n_women} women and {n_men} men, too few for a mean of both").format(
                    programme=_programme(name), n_women=_count(n_women), n_men=_count(n_men)))
            continue
        parts.append(_("{programme}: Tk {women} to women ({n_women}) and Tk {men} to men ({n_men}) "
                       "({ratio} to 1)").format(
            programme=_programme(name), women=_grouped(women), men=_grouped(men), n_women=_people(n_women),
            n_men=_people(n_men), ratio=_fixed(float(women) / float(men), 2)))
    if not parts:
        return _("Benefits cannot be compared between women and men: one of them has no beneficiary counted.")
    return _("Mean benefit paid per beneficiary in the period: {amounts}.").format(amounts="; ".join(parts))


def channel_reading(channels) -> str:
    """Per programme: the share of women and of men paid through the commonest channel."""
    if channels is None or not len(channels):
        return _("No payment channel was recorded.")
    parts = []
    for name in _programme_names(channels):
        counts = channel_counts(channels, name)
        if counts is None:
            continue
        main, wk, wn, mk, mn = counts
        parts.append(_("{programme}: {women} women and {men} men are paid by {channel}").format(
            programme=_programme(name), women=count_share(wk, wn), men=count_share(mk, mn), channel=Name(_channel(main))))
    return _end("; ".join(parts)) if parts else _("Payment channels cannot be compared between women and men.")


def _disagreement(row: dict) -> str:
    """One programme's disagreement between its form and its MIS extract."""
    answer = _(str(row["sex_disaggregated_data"]))
    kind = row.get("kind")
    if kind == "form_no_mis_has_sex":
        return _("{programme}: the form says {answer} to collecting sex-disaggregated data, but the MIS records "
                 "the sex of {counted} beneficiaries.").format(
            programme=_programme(row["programme"]), answer=answer, counted=_count(row["mis_counted"]))
    if kind == "form_yes_mis_unknown_sex":
        share = row["unknown_sex_share"] if row["unknown_sex_share"] == row["unknown_sex_share"] else 0.0
        return _("{programme}: the form says {answer}, but {share} of the MIS rows have no readable sex.").format(
            programme=_programme(row["programme"]), answer=answer, share=_digits(f"{float(share):.0%}"))
    if kind == "form_yes_mis_empty":
        return _("{programme}: the form says {answer}, but the MIS extract has no beneficiary that could be "
                 "counted.").format(programme=_programme(row["programme"]), answer=answer)
    return f"{row['programme']}: {row['message']}."


def disagreement_sentences(disagreements) -> list[str]:
    """Where the form's answer on sex-disaggregated data and the MIS disagree."""
    if disagreements is None or not len(disagreements):
        return [_("For every programme with an MIS extract, the form's answer on sex-disaggregated data agrees "
                  "with the MIS.")]
    return [_disagreement(r) for r in disagreements.to_dict("records")]
