"""The readings of change between rounds and years: the paired trend of programme
scores (like for like, answers that became unknown left out) and budgets and women's
share across fiscal years for the same programmes. Plain text in the current
language (see :mod:`nsss_analysis.report.phrases`).
"""

from __future__ import annotations

from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference.i18n import _, ngettext
from nsss_analysis.reference.names import display_name
from nsss_analysis.report.labels import label_in_sentence
from nsss_analysis.report.phrases import (
    count_text,
    digits_text,
    fixed_text,
    grouped_text,
    int_text,
    programme_shown,
    year_text,
)
from nsss_analysis.report.wording import crore, interval, join_words, percent


def _no_trend(trend) -> str:
    """Why there is no trend, from the rounds on record."""
    rounds = list(getattr(trend, "rounds", ()) or ())
    if trend.n_rounds == 0 or not rounds:
        return _("No assessment round recorded: a trend needs two rounds of the same programmes.")
    if trend.n_rounds == 1:
        return _("One assessment round ({round}): a trend needs two rounds of the same programmes.").format(
            round=digits_text(rounds[0]))
    return _("{n} assessment rounds ({rounds}), but no programme is assessed in two of them, so there is "
             "no trend to show.").format(n=int_text(trend.n_rounds), rounds=", ".join(digits_text(r) for r in rounds))


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
        "fall or rise ({items}).", n).format(n=count_text(n), items=listed)


def _trend_reading(trend) -> str:
    if trend is None:
        return _("No trend.")
    if not trend.ok:
        return _no_trend(trend)
    pairs = trend.pairs
    n = len(pairs)
    if not trend.summary:
        changes = [f"{programme_shown(r['programme'])} {fixed_text(r['score_before'])} → {fixed_text(r['score_after'])}"
                   for r in pairs.to_dict("records")
                   if not is_missing(r["score_before"]) and not is_missing(r["score_after"])]
        return ngettext(
            "{n} programme is assessed in two rounds and each compared with itself; programmes assessed in one "
            "round only are left out: {changes}.",
            "{n} programmes are assessed in two rounds and each compared with itself; programmes assessed in "
            "one round only are left out: {changes}.", n).format(n=count_text(n), changes=join_words(changes))
    s = trend.summary
    return ngettext(
        "{n} programme is assessed in two rounds and each compared with itself; programmes assessed in one "
        "round only are left out. The score rose for {up}, fell for {down} and did not change for {same}; the "
        "mean change is {change} points{interval}. Gender-specific or transformative, over the items answered "
        "in both rounds: {before} of {pairs} in the earlier round, {after} of {pairs} in the later.",
        "{n} programmes are assessed in two rounds and each compared with itself; programmes assessed in one "
        "round only are left out. The score rose for {up}, fell for {down} and did not change for {same}; the "
        "mean change is {change} points{interval}. Gender-specific or transformative, over the items answered "
        "in both rounds: {before} of {pairs} in the earlier round, {after} of {pairs} in the later.", n).format(
        n=count_text(n), up=int_text(s["n_up"]), down=int_text(s["n_down"]), same=int_text(s["n_same"]),
        change=fixed_text(s["mean_change"], sign=True),
        interval=interval(s["ci_low"], s["ci_high"], as_percent=False),
        before=int_text(s["gsot_before"]), after=int_text(s["gsot_after"]), pairs=int_text(n))


def budget_trend_reading(table) -> str:
    """Budgets and women's share across fiscal years, for the same programmes."""
    if table is None or not len(table):
        return _("No budget is on record, so there is no trend in budgets.")
    first, last = table.iloc[0], table.iloc[-1]
    years = dict(first_year=year_text(first["fiscal_year"]), last_year=year_text(last["fiscal_year"]))
    w = int(first["n_programmes_women"])
    women = ngettext(
        "; for the {n} programme reporting women beneficiaries every year, women's share went from {share_first} "
        "of {beneficiaries_first} to {share_last} of {beneficiaries_last} (administrative totals)",
        "; for the {n} programmes reporting women beneficiaries every year, women's share went from "
        "{share_first} of {beneficiaries_first} to {share_last} of {beneficiaries_last} (administrative totals)",
        w).format(n=count_text(w), share_first=percent(first["women_share"], denominator=first["beneficiaries"]),
                  beneficiaries_first=grouped_text(first["beneficiaries"]),
                  share_last=percent(last["women_share"], denominator=last["beneficiaries"]),
                  beneficiaries_last=grouped_text(last["beneficiaries"])) if w else ""
    n = int(first["n_programmes"])
    if n == 0:
        return _("No programme has a budget on record in every fiscal year from FY {first_year} to {last_year}, "
                 "so budgets are not compared{women}.").format(**years, women=women)
    return ngettext(
        "For the {n} programme with a budget in every fiscal year from FY {first_year} to {last_year}, the "
        "budget went from {budget_first} to {budget_last}{women}.",
        "For the {n} programmes with a budget in every fiscal year from FY {first_year} to {last_year}, the "
        "budget went from {budget_first} to {budget_last}{women}.", n).format(
        n=count_text(n), **years, budget_first=crore(first["budget_crore"]), budget_last=crore(last["budget_crore"]),
        women=women)
