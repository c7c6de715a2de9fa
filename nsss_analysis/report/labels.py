"""Words for the data's codes (items, answers, life-cycle stages, target groups,
actions), shared by the figures and the sentences."""

from __future__ import annotations

# Words for the data's codes, shared by the figures and the sentences.
ITEM_LABELS: dict[str, str] = {
    "empowerment_objective": "Empowerment objective",
    "empowerment_actions": "Empowerment actions",
    "graduation": "Graduation planned",
    "social_capital": "Social capital and voice",
    "norms_awareness": "Awareness against harmful norms",
    "skills_training": "Skills training",
    "sex_disaggregated_data": "Sex-disaggregated data",
    "gender_analysis": "Gender analysis",
    "gender_reporting": "Gender-integrated reporting",
    "gender_indicators": "Gender result indicators",
}


ANSWER_LABELS: dict[str, str] = {
    "yes": "yes",
    "partly": "partly",
    "no": "no",
    "not_applicable": "n.a.",
    "unknown": "unknown",
}


STAGE_LABELS: dict[str, str] = {
    "early_childhood": "Early childhood",
    "school_age": "School age",
    "working_age": "Working age",
    "women_working_age": "Vulnerable women of working age",
    "old_age": "Old age",
    "disability": "Disability",
    "none": "None named (covariate risk)",
}


GROUP_LABELS: dict[str, str] = {
    "transgender_hijra": "Transgender/hijra",
    "hiv_affected": "HIV affected",
}


def label(code: object) -> str:
    """Words for an item, stage, group or answer code (``old_age`` → ``Old age``)."""
    text = str(code)
    for table in (ITEM_LABELS, STAGE_LABELS, GROUP_LABELS):
        if text in table:
            return table[text]
    return text.replace("_", " ").capitalize()


def label_in_sentence(code: object) -> str:
    """:func:`label` for the middle of a sentence: lower case, acronyms kept (``HIV``)."""
    text = label(code)
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


#: A short phrase for each action, for the headline's quick wins (the full action in
#: the guideline's words is in the recommendations table).
ACTION_PHRASES: dict[str, str] = {
    "graduation": "plan graduation",
    "empowerment_objective": "make women's and girls' empowerment an objective",
    "empowerment_actions": "add actions that support empowerment",
    "social_capital": "add social capital, voice and bargaining elements",
    "norms_awareness": "add awareness against discriminatory norms",
    "skills_training": "strengthen skills training",
    "sex_disaggregated_data": "collect sex-disaggregated data",
    "gender_analysis": "use gender analysis",
    "gender_reporting": "adopt gender-integrated reporting",
    "gender_indicators": "add gender result indicators to monitoring",
}


GSOT = "gender-specific or gender-transformative"
