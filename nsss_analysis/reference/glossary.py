"""The workbench's shared vocabulary in English, marked for translation.

These are message ids, not a language dictionary: each English word is wrapped in
:func:`~nsss_analysis.reference.i18n.N_` so that ``pybabel extract`` puts it in the
catalogue, and it is translated where it is shown (``_(LEVEL_NAMES["gender-blind"])``).
The Bangla words are in ``reference/locale/bn/LC_MESSAGES/nsss.po``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from nsss_analysis.reference.i18n import LOCALE_DIR, N_, Translator, about_language

#: The five levels of the gender integration scale, as shown.
LEVEL_NAMES: dict[str, str] = {
    "insufficient data": N_("insufficient data"),
    "gender-blind": N_("gender-blind"),
    "gender-sensitive": N_("gender-sensitive"),
    "gender-specific": N_("gender-specific"),
    "gender-transformative": N_("gender-transformative"),
}

#: One line saying what each level means (the Gender Results Assessment Scale).
LEVEL_GLOSSES: dict[str, str] = {
    "insufficient data": N_("Fewer than half of the ten questions were answered."),
    "gender-blind": N_("Takes no account of the different needs of women and men."),
    "gender-sensitive": N_("Aware of gender, but takes no action to remedy inequality."),
    "gender-specific": N_("Intentionally targets and benefits women or girls."),
    "gender-transformative": N_(
        "Tries to change harmful gender norms, roles and power relations."
    ),
}

#: The three domains of the ten items.
DOMAIN_NAMES: dict[str, str] = {
    "intent": N_("Intent"),
    "transformative": N_("Transformative elements"),
    "evidence": N_("Evidence"),
}

#: The ten assessed items' short names.
ITEM_NAMES: dict[str, str] = {
    "empowerment_objective": N_("Empowerment objective"),
    "empowerment_actions": N_("Empowerment actions"),
    "graduation": N_("Graduation planned"),
    "social_capital": N_("Social capital and voice"),
    "norms_awareness": N_("Awareness against harmful norms"),
    "skills_training": N_("Skills training"),
    "sex_disaggregated_data": N_("Sex-disaggregated data"),
    "gender_analysis": N_("Gender analysis"),
    "gender_reporting": N_("Gender-integrated reporting"),
    "gender_indicators": N_("Gender result indicators"),
}

#: The answers to a question and to a follow-up, as shown.
ANSWER_NAMES: dict[str, str] = {
    "yes": N_("yes"),
    "partly": N_("partly"),
    "no": N_("no"),
    "not_applicable": N_("n.a."),
    "unknown": N_("unknown"),
}

#: The answers as the form's drop-down lists offer them (the reader accepts each).
FORM_ANSWER_NAMES: dict[str, str] = {
    "yes": N_("yes"),
    "partly": N_("partly"),
    "no": N_("no"),
    "not_applicable": N_("not applicable"),
    "unknown": N_("unknown"),
}

#: The five NSSS clusters (their canonical names are the English ones).
CLUSTER_NAMES: dict[str, str] = {
    "Social Allowance": N_("Social Allowance"),
    "Food Security and Disaster Response": N_("Food Security and Disaster Response"),
    "Social Insurance": N_("Social Insurance"),
    "Labour and Livelihood Interventions": N_("Labour and Livelihood Interventions"),
    "Human Development and Social Empowerment": N_("Human Development and Social Empowerment"),
}

#: The life-cycle stages the NSSS names.
STAGE_NAMES: dict[str, str] = {
    "early_childhood": N_("Early childhood"),
    "school_age": N_("School age"),
    "working_age": N_("Working age"),
    "women_working_age": N_("Vulnerable women of working age"),
    "old_age": N_("Old age"),
    "disability": N_("Disability"),
    "none": N_("None named (covariate risk)"),
}

#: The target groups of the form's vocabulary.
TARGET_GROUP_NAMES: dict[str, str] = {
    "freedom_fighters": N_("Freedom fighters"),
    "orphans": N_("Orphans"),
    "socially_excluded": N_("Socially excluded"),
    "urban_poor": N_("Urban poor"),
    "indigenous": N_("Indigenous"),
    "dalit": N_("Dalit"),
    "transgender_hijra": N_("Transgender/hijra"),
    "tea_garden_workers": N_("Tea garden workers"),
    "sex_workers": N_("Sex workers"),
    "hiv_affected": N_("HIV affected"),
    "persons_with_disabilities": N_("Persons with disabilities"),
    "women": N_("Women"),
    "children": N_("Children"),
    "elderly": N_("Elderly"),
    "poor_households": N_("Poor households"),
}

#: Words every report uses around the vocabulary.
COMMON_WORDS: tuple[str, ...] = (
    N_("Programme"),
    N_("Programmes"),
    N_("Ministry"),
    N_("Division"),
    N_("Ministry/Division"),
    N_("Fiscal year"),
    N_("fiscal year"),
    N_("Budget"),
    N_("Beneficiaries"),
    N_("Women beneficiaries"),
    N_("Women's and girls' empowerment"),
    N_("Sex-disaggregated data"),
    N_("Life-cycle stage"),
    N_("Target group"),
    N_("NSSS cluster"),
    N_("Gender integration level"),
    N_("Score"),
    N_("Share"),
    N_("Total"),
    N_("Recommendation"),
    N_("Action plan"),
    N_("Method note"),
    N_("Download"),
    N_("National overview"),
    N_("Gender focal point"),
    N_("National Social Security Strategy"),
    N_("crore Taka"),
    N_("lakh"),
    N_("crore"),
    N_("Taka"),
    N_("persons"),
    N_("ongoing"),
    N_("English"),
    N_("Bangla"),
)


def count_of(noun: str, n: int, shown: str, translator: Translator) -> str:
    """"N programmes", "N ministries" ... in ``translator``'s language, with the right
    plural for ``n``; ``shown`` is ``n`` as already formatted for that language."""
    phrases = {
        "programme": translator.ngettext("{n} programme", "{n} programmes", n),
        "ministry": translator.ngettext("{n} ministry or division", "{n} ministries and divisions", n),
        "beneficiary": translator.ngettext("{n} beneficiary", "{n} beneficiaries", n),
        "year": translator.ngettext("{n} year", "{n} years", n),
    }
    return phrases[noun].format(n=shown)


# --- one Bangla term per concept -------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One concept's Bangla term (``locale/bn/LC_MESSAGES/glossary.csv``, beside the
    catalogue): ``bangla`` is the only word the catalogue uses for ``concept``;
    ``meaning`` says in Bangla what it names (printed in the method note); ``avoid`` are the patterns (regular expressions, ";" between them in the file) of the
    variants it must not use."""

    concept: str
    english: str
    bangla: str
    avoid: tuple[str, ...]
    note: str
    meaning: str = ""


GLOSSARY_FILE = LOCALE_DIR / "bn" / "LC_MESSAGES" / "glossary.csv"


@cache
def terms() -> tuple[Term, ...]:
    """The Bangla glossary, in its file's order."""
    with open(GLOSSARY_FILE, encoding="utf-8", newline="") as f:
        return tuple(
            Term(r["concept"], r["english"], r["bangla"], tuple(p for p in r["avoid"].split(";") if p), r["note"],
                 r.get("meaning", ""))
            for r in csv.DictReader(f)
        )


def has_glossary(language: str) -> bool:
    """Whether ``language``'s catalogue folder keeps a glossary of its terms (Bangla does:
    its method note prints it; a language without one prints none)."""
    folder = about_language(language).catalogue
    return bool(folder) and (LOCALE_DIR / folder / "LC_MESSAGES" / GLOSSARY_FILE.name).is_file()


def glossary_variants(text: str) -> list[tuple[str, str]]:
    """(the glossary's term, the variant found) for each variant ``text`` uses instead
    of the glossary's one term for a concept.

    >>> glossary_variants("৯৫% ব্যবধান ও ডেটা")
    [('আস্থা-ব্যবধান', 'ব্যবধান'), ('তথ্য', 'ডেটা')]
    """
    found = []
    for term in terms():
        for pattern in term.avoid:
            hit = re.search(pattern, text)
            if hit:
                found.append((term.bangla, hit.group()))
                break
    return found
