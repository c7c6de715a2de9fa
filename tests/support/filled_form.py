"""A filled assessment form, row by row, with the processed rows it must read back as
(synthetic programmes with real-looking names, made up for the tests)."""

from __future__ import annotations

from nsss_analysis.reference.vocab import ANSWERS as ANSWER_VALUES
from nsss_analysis.reference.vocab import FOLLOWUPS, ITEMS, load_reference

#: The columns of the form's Programmes sheet, in order.
FORM = load_reference().columns_of("Programmes")
ANSWERS = list(ANSWER_VALUES)
FOLLOWUP_CHOICES = ["yes", "no", "unknown"]

PROGRAMMES = [
    # programme, ministry, start, duration -> (end_fy, ongoing), cluster, stages, groups, other, partners
    ("Mother and Child Benefit Programme", "2019-20", "ongoing", (None, True), "Social Allowance",
     ["early_childhood", "women_working_age"], ["women", "children"], [],
     ["Health Services Division", "a2i"]),
    ("Income Generating Activities for Women at Upazila Level", "2017-18", "2022-23", ("2022-23", False),
     "Labour and Livelihood Interventions", ["women_working_age"], ["women", "poor_households"],
     ["Char dwellers"], ["Rural Development and Co-operatives Division"]),
    ("Investment Component for Vulnerable Group Development (ICVGD)", "2015-16", "5 years",
     ("2019-20", False), "Food Security and Disaster Response", [], ["poor_households"], [], []),
    ("Vulnerable Women Benefit", "2021-22", "2021-22 to 2025-26", ("2025-26", False),
     "Human Development and Social Empowerment", ["working_age", "disability"],
     ["transgender_hijra", "persons_with_disabilities", "tea_garden_workers"], [],
     ["Ministry of Food", "WFP"]),
    ("Child Protection Pilot", None, None, (None, None), "Social Insurance", ["school_age", "old_age"],
     ["orphans"], [], []),
]


def filled_rows():
    """Rows covering every answer value in every item, follow-ups consistent with them."""
    ministry = "Ministry of Women and Children Affairs"
    rows, expected = [], []
    for i, (name, start, duration, (end, ongoing), cluster, stages, groups, other, partners) in enumerate(PROGRAMMES):
        answers = {item: ANSWERS[(i + j) % len(ANSWERS)] for j, item in enumerate(ITEMS)}
        followups, followup_cells = {}, {}
        for j, (followup, items) in enumerate(FOLLOWUPS.items()):
            if all(answers[x] in ("yes", "not_applicable") for x in items):
                followups[followup], followup_cells[followup] = "not_applicable", None
            else:
                value = FOLLOWUP_CHOICES[(i + j) % 3]
                followups[followup] = value
                followup_cells[followup] = None if value == "unknown" and i % 2 else value
        cells = {
            "ministry": ministry, "programme": name, "start_fy": start, "end_fy": duration,
            "cluster": cluster, "lifecycle_stages": "; ".join(stages) or None,
            "target_groups": "; ".join(groups + other) or None,
            "partner_agencies": "; ".join(partners) or None,
            "remarks": f"Remark {i}: women's groups meet monthly" if i % 2 == 0 else None,
            **{k: (None if v == "unknown" and i % 2 else v) for k, v in answers.items()},
            **followup_cells,
        }
        rows.append([cells.get(c.column) for c in FORM])
        expected.append({
            "source_row": i + 2, "ministry": ministry, "ministry_code": "MoWCA", "programme": name,
            "start_fy": start, "end_fy": end, "ongoing": ongoing, "cluster": cluster,
            "lifecycle_stages": stages, "target_groups": groups, "target_groups_other": other,
            "partner_agencies": partners, "remarks": cells["remarks"], **answers, **followups,
            "assessment_round": "2023-24",
        })
    return rows, expected


BUDGET_ROWS = [
    # programme, fy, budget crore, beneficiaries, women, monthly rate
    ("Mother and Child Benefit Programme", "2022-23", 1224.21, 1_250_000, 1_250_000, 800),
    ("Mother and Child Benefit Programme", "2023-24", 1310.5, 1_300_000, 1_300_000, 800),
    ("Income Generating Activities for Women at Upazila Level", "2021-22", 40.75, 27_260, 27_260, None),
    ("Vulnerable Women Benefit", "2024-25", None, 1_040_000, None, None),
]
