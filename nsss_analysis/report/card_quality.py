"""The data-quality notes of a programme card: unknown answers, the quarantined cells
of its row, conflicting forms and budgets the plausibility check flags, with the
form's columns named as the page's language names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from nsss_analysis.diagnostics.budgets import budget_plausibility
from nsss_analysis.intake.reasons import reason_in_words as quarantine_reason
from nsss_analysis.io import Tables
from nsss_analysis.reference.i18n import _, ngettext
from nsss_analysis.reference.vocab import ITEMS, load_reference
from nsss_analysis.report.card_parts import card_digits, card_number, same_programme, text_of
from nsss_analysis.report.labels import ITEM_LABELS, label
from nsss_analysis.report.phrases import flag_in_words
from nsss_analysis.report.wording import join_words


def _column_name(column: object) -> str:
    """A column of the form as a note names it, in every language: the item's name or
    the form's label, never the stored code; ``(row)`` for a whole row."""
    code = text_of(column)
    if not code:
        return _("(row)")
    return _(ITEM_LABELS.get(code) or _form_labels().get(code) or label(code))


@cache
def _form_labels() -> dict[str, str]:
    return {c.column: c.label for sheet in ("Programmes", "Budget") for c in load_reference().columns_of(sheet)}


def quality_notes(row: Mapping[str, Any], tables: Tables) -> list[str]:
    """Unknown answers, quarantined cells of this row, conflicts and flagged budgets."""
    notes = []
    unknown = [_(ITEM_LABELS[i]) for i in ITEMS if not isinstance(row.get(i), str) or row.get(i) == "unknown"]
    if unknown:
        notes.append(ngettext("{n} item not known: {items}.", "{n} items not known: {items}.", len(unknown))
                     .format(n=card_digits(len(unknown)), items=join_words(unknown, _("and"))))
    q = tables.quarantine
    if q is not None and len(q):
        mine = q[(q["source_file"] == row["source_file"]) & (q["source_sheet"].fillna("") == (row["source_sheet"] or ""))
                 & (q["source_row"].astype("Int64") == int(row["source_row"]))]
        for r in mine.to_dict("records"):
            notes.append(_("Cell {column} = \u201c{value}\u201d not used: {reason}.").format(
                column=_column_name(r["column"]), value=r["value"],
                reason=quarantine_reason(r["reason"], r.get("reason_id"), r.get("reason_values"))))
    conflicts = same_programme(tables.conflicts, row["ministry_code"], row["programme"])
    if len(conflicts):
        files = sorted(set(conflicts["source_file"]))
        cols = sorted({c.strip() for v in conflicts["differing_columns"] for c in str(v).split(";") if c.strip()})
        notes.append(_("Assessed more than once with different answers ({files}); they differ on {columns}. "
                       "A person should say which holds.").format(
            files=join_words(files, _("and")), columns=join_words([_column_name(c) for c in cols], _("and"))))
    flagged = same_programme(budget_plausibility(tables.budgets), row["ministry_code"], row["programme"])
    if len(flagged):
        for r in flagged[~flagged["plausible"]].to_dict("records"):
            notes.append(_("Budget {fiscal_year}: Tk {budget} crore, but beneficiaries x monthly rate x 12 gives "
                           "Tk {implied} crore ({flag}); kept as submitted, please check.").format(
                fiscal_year=card_digits(r["fiscal_year"]), budget=card_number(r["budget_crore"], 1),
                implied=card_number(r["implied_crore"], 1), flag=flag_in_words(r["flag"])))
    return notes
