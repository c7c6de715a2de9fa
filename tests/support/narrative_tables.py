"""Hand-built ministries for the sentence tests: assessment rows, budget rows and the
scored tables of them (synthetic, made up for the tests)."""

from __future__ import annotations

import pandas as pd

from nsss_analysis.diagnostics.recommendations import recommendations
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.io import Tables
from nsss_analysis.reference.vocab import BUDGET_COLUMNS, FOLLOWUPS, ITEMS, load_reference

MOWCA = "Ministry of Women and Children Affairs"


def answer_row(programme, code="MoWCA", stages=(), groups=(), yes=(), possible=(), source_row=2, **answers):
    """One assessment row per the contract; items are ``no`` unless named."""
    name = load_reference().ministry_by_code[code].name
    row = dict(source_file=f"{code}.xlsx", source_sheet="Programmes", source_row=source_row, ministry=name,
               ministry_code=code, programme=programme, start_fy="2010-11", end_fy=None, ongoing=True,
               cluster="Social Allowance", lifecycle_stages=list(stages), target_groups=list(groups),
               target_groups_other=[], partner_agencies=[], remarks=None)
    for item in ITEMS:
        row[item] = "yes" if item in yes else answers.get(item, "no")
    for followup, items in FOLLOWUPS.items():
        done = all(row[i] in ("yes", "not_applicable") for i in items)
        row[followup] = "yes" if followup in possible else ("not_applicable" if done else "unknown")
    return row


def budget_entry(programme, fiscal_year, crore, code="MoWCA", beneficiaries=None, women=None, rate=None):
    """One budget row per the contract for ``programme`` in ``fiscal_year``."""
    name = load_reference().ministry_by_code[code].name
    return dict(source_file="budget.xlsx", source_sheet="Budget", source_row=2, ministry=name,
                ministry_code=code, programme=programme, cluster=None, fiscal_year=fiscal_year,
                budget_crore=crore, beneficiaries=beneficiaries, women_beneficiaries=women,
                monthly_rate_bdt=rate)


def scored_tables(rows, budgets=()) -> Tables:
    """Tables of ``rows`` and ``budgets`` scored, with their recommendations, as `nsss score` would."""
    a = pd.DataFrame(rows)
    b = None
    if budgets:
        b = pd.DataFrame(list(budgets), columns=list(BUDGET_COLUMNS)).astype(
            {c: "float64" for c in ("budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt")})
    s = score_programmes(a)
    return Tables(assessments=a, budgets=b, scores=s, recommendations=recommendations(a, s, b))
