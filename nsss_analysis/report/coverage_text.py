"""Sentences on the beneficiary lists (MIS extracts): women's share of each
programme's counted beneficiaries, by age band and district (the funnel's limits, no
range across districts), the mean benefit to women and men, payment channels, and
where a form's answer on sex-disaggregated data disagrees with its MIS extract.
Plain text in the current language (see :mod:`nsss_analysis.report.phrases`).
"""

from __future__ import annotations

import math

from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.selections import channel_counts
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.mis.coverage import district_funnel
from nsss_analysis.reference.grammar import Name
from nsss_analysis.reference.i18n import N_, _, ngettext, pgettext
from nsss_analysis.report import claims
from nsss_analysis.report.phrases import (
    count_text,
    digits_text,
    district_shown,
    end_sentence,
    fixed_text,
    grouped_text,
    programme_shown,
)
from nsss_analysis.report.wording import count_share, interval, join_words, percent, sentence

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
    return pgettext("age band", "unknown") if str(code) == "unknown" else digits_text(code)


def _programme_names(df) -> list[str]:
    return list(dict.fromkeys(df["programme"].astype(str))) if "programme" in df.columns else [""]


def _share_or_count(share, total) -> str:
    """A share of ``total`` people as a percentage with its denominator on record, or,
    under ``SMALL_N`` people, as the count it stands for ("3" of 4): never a
    percentage of fewer than 5 people."""
    total = int(total)
    if total < SMALL_N:
        return count_text(round(float(share) * total), denominator=total, n=total)
    return percent(share, numerator=round(float(share) * total), denominator=total, n=total)


def _overall(share, total) -> str:
    """A programme's overall share: a percentage with its denominator on record, or,
    under ``SMALL_N`` people, the count of its total ("1 of 4")."""
    total = int(total)
    if total < SMALL_N:
        return _("{count} of {n}").format(count=_share_or_count(share, total), n=count_text(total))
    return _share_or_count(share, total)


def coverage_reading(shares) -> str:
    """Women's share of each programme's counted beneficiaries, with its count and interval."""
    if shares is None or not len(shares):
        return _("No beneficiary could be counted.")
    parts = [_("{share} of {programme}'s {total}{interval}").format(
        share=_share_or_count(r["share"], r["total"]), programme=programme_shown(r["programme"]),
        total=count_text(r["total"]),
        interval=interval(r["ci_low"], r["ci_high"], n=int(r["total"]), method="wilson")
        if int(r["total"]) >= SMALL_N else "") for r in shares.to_dict("records")]
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
        low_total=count_text(low["total"]), high=_band(high[category]),
        high_share=percent(high[share], denominator=high["total"]), high_total=count_text(high["total"]))
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
        values = dict(programme=programme_shown(name), share=_share_or_count(top["total"] / rows["total"].sum(),
                                                                             rows["total"].sum()),
                      total=count_text(rows["total"].sum()), band=_band(top["age_band"]))
        spread = _range_sentence(rows, "age_band")
        if spread:
            parts.append(_("{programme}: {share} of {total} beneficiaries are aged {band}; {spread}").format(
                **values, spread=spread))
        else:
            parts.append(_("{programme}: {share} of {total} beneficiaries are aged {band}").format(**values))
    return end_sentence(sentence("; ".join(parts)))


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
        overall = _overall(rows["overall_share"].iloc[0], rows["total"].sum()) if len(rows) else _("n/a")
        if len(rows) == 1:  # one district: nothing to compare it with
            parts.append(_("{programme}: every beneficiary counted is in one district, {district}, so there is "
                           "nothing to compare").format(programme=programme_shown(name),
                                                        district=district_shown(rows["district"].iloc[0])))
            continue
        if len(outside):
            named = join_words([_("{district} ({share} of {total})").format(
                district=district_shown(r["district"]), share=_share_or_count(r["women_share"], r["total"]),
                total=count_text(r["total"]))
                for r in outside.sort_values("district").to_dict("records")])
            parts.append(_("{programme}: outside the 99.8% limits around the overall {overall}: {districts}").format(
                programme=programme_shown(name), overall=overall, districts=named))
        else:
            # not a finding of "no difference": at a district's size the test has little power
            parts.append(ngettext(
                "{programme}: every one of {n} district lies within the 99.8% limits around the overall "
                "{overall}; at their size these data cannot tell the districts apart",
                "{programme}: every one of {n} districts lies within the 99.8% limits around the overall "
                "{overall}; at their size these data cannot tell the districts apart",
                len(rows)).format(programme=programme_shown(name), n=count_text(len(rows)), overall=overall))
    return end_sentence(sentence("; ".join(parts)))


def _people(n) -> str:
    """``n = 1,234`` (or empty parentheses' content when unknown)."""
    return _("n = {n}").format(n=count_text(n)) if not is_missing(n) else _("n not known")


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
                programme=programme_shown(name), women=grouped_text(women), n_women=_people(n_women), n_men=count_text(n_men))
                if few == [("men", n_men)] else
                _("{programme}: {n_women} women and {n_men} men, too few for a mean of both").format(
                    programme=programme_shown(name), n_women=count_text(n_women), n_men=count_text(n_men)))
            continue
        parts.append(_("{programme}: Tk {women} to women ({n_women}) and Tk {men} to men ({n_men}) "
                       "({ratio} to 1)").format(
            programme=programme_shown(name), women=grouped_text(women), men=grouped_text(men), n_women=_people(n_women),
            n_men=_people(n_men), ratio=fixed_text(float(women) / float(men), 2)))
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
            programme=programme_shown(name), women=count_share(wk, wn), men=count_share(mk, mn), channel=Name(_channel(main))))
    return end_sentence("; ".join(parts)) if parts else _("Payment channels cannot be compared between women and men.")


def _disagreement(row: dict) -> str:
    """One programme's disagreement between its form and its MIS extract."""
    answer = _(str(row["sex_disaggregated_data"]))
    kind = row.get("kind")
    if kind == "form_no_mis_has_sex":
        return _("{programme}: the form says {answer} to collecting sex-disaggregated data, but the MIS records "
                 "the sex of {counted} beneficiaries.").format(
            programme=programme_shown(row["programme"]), answer=answer, counted=count_text(row["mis_counted"]))
    if kind == "form_yes_mis_unknown_sex":
        share = row["unknown_sex_share"] if row["unknown_sex_share"] == row["unknown_sex_share"] else 0.0
        read = row.get("mis_rows_read")
        rows = None if read is None or is_missing(read) else int(read)
        # the one formatter: never 0% for a few rows of many (and a count under 5 rows)
        share_text = (_share_or_count(share, rows) if rows else
                      percent(share))
        return _("{programme}: the form says {answer}, but {share} of the MIS rows have no readable sex.").format(
            programme=programme_shown(row["programme"]), answer=answer, share=share_text)
    if kind == "form_yes_mis_empty":
        return _("{programme}: the form says {answer}, but the MIS extract has no beneficiary that could be "
                 "counted.").format(programme=programme_shown(row["programme"]), answer=answer)
    return f"{row['programme']}: {row['message']}."


def disagreement_sentence(row: dict) -> str:
    """One programme's disagreement between its form and its MIS extract, in the page's
    language (a card says it under the programme's beneficiary list)."""
    return _disagreement(row)


def disagreement_sentences(disagreements) -> list[str]:
    """Where the form's answer on sex-disaggregated data and the MIS disagree."""
    if disagreements is None or not len(disagreements):
        return [_("For every programme with an MIS extract, the form's answer on sex-disaggregated data agrees "
                  "with the MIS.")]
    return [_disagreement(r) for r in disagreements.to_dict("records")]
