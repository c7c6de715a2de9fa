"""Data-quality sentences: unknown answers, programmes with too few answers,
quarantined lines, conflicting and disputed forms, implausible budgets, and how a
programme with more than one row in a round is counted once. Plain text in the
current language (see :mod:`nsss_analysis.report.phrases`).
"""

from __future__ import annotations

from nsss_analysis.diagnostics.counting import repeated_rows
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference.i18n import _, ngettext
from nsss_analysis.report import claims
from nsss_analysis.report.phrases import count_text, end_sentence, flag_in_words, int_text, programme_shown, year_text
from nsss_analysis.report.wording import join_words, percent, sentence


def _lines(n, lines: object) -> str:
    """A count of quarantined lines, a claim whose sources are the lines (``file / sheet
    / row N``, one per line; docs/method.md, "Counts of files and quarantined lines"),
    so ``nsss explain <slug> "<n> lines"`` lists them; a plain count when the table
    does not carry them."""
    if not isinstance(lines, str):
        return count_text(n)
    sources = [line for line in lines.split("\n") if line]
    return str(claims.count(int(n), unit="lines", sources=sources, where="quality_text.quarantine"))


def data_quality_sentences(data_quality, budget_plausibility=None) -> list[str]:
    """Unknown answers, programmes with too few answers, quarantined lines, conflicts
    and implausible budgets, one sentence each."""
    if data_quality is None or not len(data_quality):
        return [_("No data-quality figures: no programme assessed.")]
    row = data_quality.iloc[0]
    out = [_("{k} of {n} answers ({share}) are unknown (left empty or unreadable); unknown never counts "
             "as no.").format(k=int_text(row["n_unknown"]), n=int_text(row["n_answers"]),
                              share=percent(row["share_unknown"]))]
    insufficient = int(row["n_programmes_insufficient"])
    if insufficient:
        out.append(ngettext(
            "{n} programme has fewer than half the items answered and gets no level (insufficient data).",
            "{n} programmes have fewer than half the items answered and get no level (insufficient data).",
            insufficient).format(n=count_text(insufficient)))
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
            int(row["n_quarantined_shared_unnamed"])).format(
                n=_lines(row["n_quarantined_shared_unnamed"], row.get("quarantine_shared_lines"))))
    elif int(q) == 0:
        out.append(_("No line of the submissions was quarantined."))
    elif row["scope"] == "ministry":
        out.append(ngettext(
            "{n} line of the ministry's submissions was quarantined (unusable rows or cells; they are "
            "listed, with the reason, in the data workbook linked above).",
            "{n} lines of the ministry's submissions were quarantined (unusable rows or cells; they are "
            "listed, with the reason, in the data workbook linked above).", int(q)).format(
                n=_lines(q, row.get("quarantine_lines"))))
    else:
        out.append(ngettext(
            "{n} line of the submissions was quarantined (unusable rows or cells; they are listed, with "
            "the reason, in the data workbook linked above).",
            "{n} lines of the submissions were quarantined (unusable rows or cells; they are listed, with "
            "the reason, in the data workbook linked above).", int(q)).format(
                n=_lines(q, row.get("quarantine_lines"))))
    conflicts = int(row["n_conflicting_programmes"])
    # not "each counts once": a disputed programme (nothing tells which form is later)
    # counts nowhere; the counting table below says how each is counted
    out.append(ngettext(
        "{n} programme is assessed more than once in one round with different answers; how it is counted "
        "is said below.",
        "{n} programmes are assessed more than once in one round with different answers; how each is "
        "counted is said below.", conflicts).format(n=count_text(conflicts))
        if conflicts else _("No programme is assessed twice in one round with different answers."))
    if budget_plausibility is not None and len(budget_plausibility):
        flagged = budget_plausibility[~budget_plausibility["plausible"].astype(bool)]
        checked = len(budget_plausibility)
        if len(flagged):
            names = join_words([
                _("{programme} FY {fiscal_year} ({flag})").format(
                    programme=programme_shown(r["programme"]), fiscal_year=year_text(r["fiscal_year"]), flag=flag_in_words(r["flag"]))
                for r in flagged.head(3).to_dict("records")])
            text = (ngettext("{k} of {n} budget row with a monthly rate fails the check beneficiaries x rate "
                             "x 12: {names}; flagged, not corrected, and left out of budget totals and shares.",
                             "{k} of {n} budget rows with a monthly rate fails the check beneficiaries x "
                             "rate x 12: {names}; flagged, not corrected, and left out of budget totals and "
                             "shares.", checked) if len(flagged) == 1 else
                    _("{k} of {n} budget rows with a monthly rate fail the check beneficiaries x rate x 12: "
                      "{names}; flagged, not corrected, and left out of budget totals and shares."))
            out.append(text.format(k=int_text(len(flagged)), n=count_text(checked), names=names))
        elif checked == 1:
            out.append(_("The {n} budget row with a monthly rate passes the check beneficiaries x rate x 12.")
                       .format(n=count_text(checked)))
        else:
            out.append(_("All {n} budget rows with a monthly rate pass the check beneficiaries x rate x 12.")
                       .format(n=count_text(checked)))
    return out


def counting_reading(resolution) -> str:
    """How programmes with more than one row in a round are counted once."""
    if resolution is None or not len(resolution):
        return _("Every programme has one row per assessment round.")
    disputed = int(resolution["disputed"].astype(bool).sum()) if "disputed" in resolution.columns else 0
    conflicts = int((~repeated_rows(resolution)).sum()) - disputed
    repeats = len(resolution) - conflicts - disputed
    parts = []
    if disputed:
        parts.append(ngettext(
            "{n} programme has two differing forms in one round and nothing tells which is the later one: "
            "it is disputed, shown form by form on its card and left out of every figure",
            "{n} programmes have two differing forms in one round and nothing tells which is the later one: "
            "they are disputed, shown form by form on their cards and left out of every figure",
            disputed).format(n=count_text(disputed)))
    if conflicts:
        parts.append(ngettext(
            "{n} programme has rows that disagree in one round; each counts once, as listed",
            "{n} programmes have rows that disagree in one round; each counts once, as listed",
            conflicts).format(n=count_text(conflicts)))
    if repeats:
        parts.append(ngettext(
            "{n} programme is repeated cell for cell across files and counted once",
            "{n} programmes are repeated cell for cell across files and counted once",
            repeats).format(n=count_text(repeats)))
    return end_sentence(sentence("; ".join(parts)))
