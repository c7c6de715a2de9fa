"""Words for the data's codes (items, answers, life-cycle stages, target groups,
actions), shared by the figures and the sentences, in the page's language.

The English words are the shared vocabulary's message ids
(:mod:`nsss_analysis.reference.glossary`); :func:`label` translates them.
"""

from __future__ import annotations

from nsss_analysis.reference.glossary import ANSWER_NAMES, ITEM_NAMES, STAGE_NAMES, TARGET_GROUP_NAMES
from nsss_analysis.reference.i18n import N_, _, about_language

#: The ten items' short names (English message ids).
ITEM_LABELS: dict[str, str] = ITEM_NAMES

#: The answers as shown in tables and figures (English message ids).
ANSWER_LABELS: dict[str, str] = ANSWER_NAMES

#: The life-cycle stages (English message ids).
STAGE_LABELS: dict[str, str] = STAGE_NAMES

#: Target groups whose words are not their code capitalised.
GROUP_LABELS: dict[str, str] = TARGET_GROUP_NAMES


def label(code: object) -> str:
    """Words for an item, stage, group or answer code in the current language
    (``old_age`` → ``Old age`` / ``বার্ধক্য``)."""
    text = str(code)
    for table in (ITEM_LABELS, STAGE_LABELS, GROUP_LABELS):
        if text in table:
            return _(table[text])
    return _(text.replace("_", " ").capitalize())


def label_in_sentence(code: object) -> str:
    """:func:`label` for the middle of a sentence: lower case in English, acronyms kept (``HIV``)."""
    text = label(code)
    if not about_language().has_case:
        return text
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


#: A short phrase for each action, for the headline's quick wins (the full action in
#: the guideline's words is in the recommendations table). Translate with ``_()``.
ACTION_PHRASES: dict[str, str] = {
    "graduation": N_("plan graduation"),
    "empowerment_objective": N_("make women's and girls' empowerment an objective"),
    "empowerment_actions": N_("add actions that support empowerment"),
    "social_capital": N_("add social capital, voice and bargaining elements"),
    "norms_awareness": N_("add awareness against discriminatory norms"),
    "skills_training": N_("strengthen skills training"),
    "sex_disaggregated_data": N_("collect sex-disaggregated data"),
    "gender_analysis": N_("use gender analysis"),
    "gender_reporting": N_("adopt gender-integrated reporting"),
    "gender_indicators": N_("add gender result indicators to monitoring"),
}


GSOT = N_("gender-specific or gender-transformative")
