"""The rule that set a programme's level ("why this level") in the page's language.

``scores.level_rule`` keeps the rule in English; :func:`level_rule_in_words` writes it
in the current language from its parts (:func:`nsss_analysis.diagnostics.scoring.level_parts`,
read back from the stored words by :func:`~nsss_analysis.diagnostics.scoring.rule_parts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from nsss_analysis.diagnostics.rubric import COMPLETENESS_THRESHOLD
from nsss_analysis.diagnostics.scoring import (
    RULE_JOINER,
    RULE_JOINERS,
    RulePart,
    rule_in_english,
    rule_parts,
)
from nsss_analysis.reference.glossary import FORM_ANSWER_NAMES
from nsss_analysis.reference.i18n import N_, Translator, current
from nsss_analysis.reference.numbers import number, short
from nsss_analysis.report.labels import ITEM_LABELS

#: Each kind of condition of a level's rule, in words (:class:`RulePart`).
RULE_WORDS: dict[str, str] = {
    "item": N_("{item}: {answer}"),
    "women_target": N_("women a target group"),
    "women_stage": N_("vulnerable women of working age a life-cycle stage"),
    "completeness": N_("completeness {completeness} < {threshold}"),
    "blind": N_("no empowerment objective or action, no women targeting, and no evidence item "
                "or transformative element at yes or partly"),
}


def level_rule_in_words(level: str, rule: str | Sequence[RulePart], translate: Translator | None = None) -> str:
    """The rule that set ``level`` in the current language (``translate``: another
    language's translator). ``rule`` is the stored English ``level_rule`` or its parts
    (:func:`nsss_analysis.diagnostics.scoring.level_parts`). English is the stored words,
    but for the stored stage code (``women_working_age``), said in words; a rule this
    version did not write is shown as it is."""
    t = translate or current()
    parts = rule_parts(level, rule) if isinstance(rule, str) else tuple(rule)
    if parts is None:
        return str(rule)
    if t.about.is_source:
        return RULE_JOINERS.get(level, RULE_JOINER).join(
            t(RULE_WORDS[p.kind]) if p.kind == "women_stage" else rule_in_english(level, [p]) for p in parts)

    def words(part: RulePart) -> str:
        if part.kind == "item":
            return t(RULE_WORDS["item"]).format(item=t(ITEM_LABELS.get(part.item, part.item)),
                                                answer=t(FORM_ANSWER_NAMES.get(part.answer, part.answer)))
        if part.kind == "completeness":
            return t(RULE_WORDS["completeness"]).format(
                completeness=number(part.value, t.language, 2),
                threshold=short(COMPLETENESS_THRESHOLD, t.language))
        return t(RULE_WORDS[part.kind])

    return RULE_JOINERS.get(level, RULE_JOINER).join(words(p) for p in parts)
