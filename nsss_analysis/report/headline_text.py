"""The headline sentences of a report's first screen: how many programmes are
gender-specific or transformative (with the unknown answers and the disputed forms
behind the count), the share of the budget they carry, the changes the forms say are
possible and the mean inclusion score.

``headline`` is the dict of headline figures the notebook computes; the sentences are
plain text in the current language (see :mod:`nsss_analysis.report.phrases`).
"""

from __future__ import annotations

from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference.i18n import _, ngettext
from nsss_analysis.reference.names import display_name
from nsss_analysis.report import claims
from nsss_analysis.report.labels import ACTION_PHRASES
from nsss_analysis.report.phrases import (
    compare_units,
    count_text,
    digits_text,
    excluding_phrase,
    fixed_text,
    int_text,
    programme_shown,
    programmes_phrase,
    round_text,
    unit_name,
    year_text,
)
from nsss_analysis.report.wording import crore, interval, join_words, percent, share_with_interval


def _unit(headline: dict) -> str:
    return unit_name(headline)


def _rounds_phrase(rounds: list, counts: dict | None = None) -> str:
    """`` in the 2024-25 assessment round`` when every programme is in it; else the
    counts per round `` (31 in 2023-24, 12 with no round stated)`` (``counts``: round
    -> programmes, ``""`` for none stated); without counts, `` (each in its latest
    assessment round: ...)``; empty without rounds. A phrase placed after the count."""
    if counts:
        if len(counts) == 1:
            only = next(iter(counts))
            return _(" in the {round} assessment round").format(round=digits_text(only)) if only else ""
        parts = [(_("{n} in {round}").format(n=count_text(c), round=digits_text(r)) if r else
                  ngettext("{n} with no round stated", "{n} with no round stated", c).format(n=count_text(c)))
                 for r, c in counts.items()]
        return _(" ({counts})").format(counts=", ".join(parts))
    if len(rounds) == 1:
        return _(" in the {round} assessment round").format(round=round_text(rounds[0]))
    if rounds:
        return _(" (each in its latest assessment round: {rounds})").format(
            rounds=join_words([round_text(r) for r in rounds]))
    return ""


def _first_sentence(headline: dict) -> str:
    unit, n, k = _unit(headline), headline["n_programmes"], headline["n_gender_specific_or_transformative"]
    n_transformative = headline.get("n_gender_transformative", 0)
    when = _rounds_phrase(headline.get("assessment_rounds") or [], headline.get("round_counts"))
    if k == 0:  # "it is not" / "none of them": the count said in words, a claim without a figure printed
        claims.figure(0, "count", "", where="narrative.headline")
    if n == 1:
        if k:
            text = _("{unit} has {n} assessed programme{when}, and it is gender-specific or "
                     "gender-transformative.")
        else:
            text = _("{unit} has {n} assessed programme{when}, and it is not gender-specific or "
                     "gender-transformative.")
        return text.format(unit=unit, n=count_text(n), when=when)
    if k == 0:
        return _("{unit} has {n} assessed programmes{when}; none of them is gender-specific or "
                 "gender-transformative.").format(unit=unit, n=count_text(n), when=when)
    transformative = (_(" ({n} transformative)").format(n=int_text(n_transformative))
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
    return text.format(unit=unit, n=count_text(n), when=when, k=int_text(k), share=share,
                       transformative=transformative)


def _budget_sentence(headline: dict, k: int) -> str:
    fy = headline.get("fiscal_year")
    total = headline.get("budget_total_crore")
    ministry = bool(headline.get("ministry_code"))
    flagged = int(headline.get("n_allocations_flagged") or 0)
    excluding = excluding_phrase(flagged, headline.get("flags_left_out"))
    if headline.get("no_budget_year"):
        return _no_budget_year_sentence(headline)
    if not (fy and total is not None and not is_missing(total) and total > 0):
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
        return text.format(fiscal_year=year_text(fy), total=crore(total), programmes=programmes_phrase(count),
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
        n=count_text(count))
    return text.format(fiscal_year=year_text(fy), share=percent(headline["budget_share"], unit="money_share"),
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
            fiscal_year=year_text(y["fiscal_year"]), total=crore(y["budget_crore"]),
            programmes=ngettext("{n} programme", "{n} programmes", y["n_programmes"]).format(
                n=count_text(y["n_programmes"])))
        for y in sorted(years, key=lambda y: y["fiscal_year"], reverse=True))
    n = int(headline.get("n_programmes_with_any_budget") or 0)
    return ngettext(
        "No fiscal year has budget figures for at least {min_n} programmes (the {n} programme with a budget on "
        "record is too few), so no budget share is given; the amounts on record are {per_year}.",
        "No fiscal year has budget figures for at least half of the {n} programmes with a budget on record "
        "and at least {min_n} of them, so no budget share is given; the amounts on record are {per_year}.", n).format(
        n=count_text(headline.get("n_programmes_with_any_budget") or 0), min_n=int_text(SMALL_N), per_year=per_year)


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
            named.append(_("{programme}: {actions}").format(programme=programme_shown(programme), actions=actions))
        else:
            budget = crore(group["budget"], fiscal_year=group["fiscal_year"], where="narrative.quick_wins")
            named.append(_("{programme} (budget {budget}): {actions}").format(
                programme=programme_shown(programme), budget=budget, actions=actions))
    text = "; ".join(named)
    n = sum(len(g["actions"]) for g in grouped.values())
    if all(is_missing(g["budget"]) for g in grouped.values()):
        # no amount of the budget year beside them: not "where the budgets are largest"
        if headline.get("ministry_code"):
            return ngettext("A change the ministry says is possible: {wins}.",
                            "Changes the ministry says are possible: {wins}.", n).format(wins=text)
        return ngettext("A change a ministry says is possible: {wins}.",
                        "Changes the ministries say are possible: {wins}.", n).format(wins=text)
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
        scored = [f"{fixed_text(score)} ({programme_shown(name)})" for name, score in own_scores if not is_missing(score)]
        if not scored:
            return None
        return ngettext(
            "With fewer than {small_n} programmes there is no mean to estimate; the gender inclusion score "
            "is {scores}, of 100.",
            "With fewer than {small_n} programmes there is no mean to estimate; the gender inclusion scores "
            "are {scores}, of 100.", len(scored)).format(small_n=int_text(SMALL_N), scores=join_words(scored))
    if is_missing(mean):
        return None
    spread = interval(headline.get("mean_ci_low"), headline.get("mean_ci_high"), as_percent=False, n=n, method="t")
    national = headline.get("national_mean_inclusion_score")
    if not (headline.get("ministry_code") and not is_missing(national)):
        return _("The mean gender inclusion score is {mean} of 100{interval}.").format(
            mean=fixed_text(mean, unit="mean", n=n), interval=spread)
    verdict = compare_units(
        (n, headline.get("mean_ci_low"), headline.get("mean_ci_high")),
        (headline.get("national_n", 0), headline.get("national_mean_ci_low"),
         headline.get("national_mean_ci_high")))
    national_spread = interval(headline.get("national_mean_ci_low"), headline.get("national_mean_ci_high"),
                               as_percent=False)
    national_value = fixed_text(national, unit="mean", role="comparator", n=headline.get("national_n"),
                            low=headline.get("national_mean_ci_low"), high=headline.get("national_mean_ci_high"),
                            method="t", round=headline.get("national_round"),
                            programmes=headline.get("national_programme_keys"))
    national_text = _("{mean}{interval}, {programmes}").format(
        mean=national_value, interval=national_spread, programmes=programmes_phrase(int(headline.get("national_n") or 0)))
    mean_text = fixed_text(mean, unit="mean", n=n)
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
    return ngettext(
        "{unknown} of {answers} answers behind this count are unknown; with every unknown read as no, "
        "{k_no} of {n} programme would be gender-specific or gender-transformative, and {k_yes} of {n} "
        "with every unknown read as yes.",
        "{unknown} of {answers} answers behind this count are unknown; with every unknown read as no, "
        "{k_no} of {n} programmes would be gender-specific or gender-transformative, and {k_yes} of {n} "
        "with every unknown read as yes.", n).format(
        unknown=count_text(headline["n_unknown"]), answers=count_text(headline["n_answers"]),
        k_no=count_text(headline["k_if_unknown_no"]), k_yes=count_text(headline["k_if_unknown_yes"]), n=count_text(n))


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
        "budget share on this page: which form stands for each?", n).format(n=count_text(n), names=names)


def headline_sentences(headline: dict) -> list[str]:
    """The first screen of a report: what the data say, in plain sentences.

    ``headline`` is :func:`~nsss_analysis.diagnostics.summaries.headline_figures`' dict. Sentences are plain text (the
    notebook escapes them): the count and share of gender-specific or transformative
    programmes with its interval, the share of the budget they carry in the fiscal
    year, the two biggest quick wins by name, and the mean inclusion score.
    """
    n, k = headline["n_programmes"], headline["n_gender_specific_or_transformative"]
    if n == 0 and headline.get("n_disputed"):  # assessed, but every form is in dispute
        with claims.scope(block="headline", role="unit", where="narrative.headline"):
            return [_("No programme of {unit} can be counted yet: each came in two differing forms.").format(
                unit=_unit(headline)), disputed_sentence(headline)]
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
