"""Why a raw file, row or cell was not used: the quarantine's reasons in any language.

A reason is made once, in English, from a message id (the English template, marked
with ``N_`` where the reason is made) and named values. :class:`Reason` is that
English sentence (a ``str``, so everything that prints or stores a reason keeps
working) carrying its id and values. The quarantine stores all three
(``reason``, ``reason_id``, ``reason_values``, see docs/data-contract.md);
:func:`reason_in_words` says it again in the current language.

Values are of four kinds, and the JSON of ``reason_values`` keeps them apart:

- text (``str``): taken from a form or the file system (a cell's value, a file or
  sheet name, a header, an error of the operating system): shown as written;
- numbers (``int``/``float``): formatted by the template's format spec, with Bangla
  digits and South Asian grouping in Bangla;
- :class:`Localised` text (a fiscal year ``2023-24`` the cleaner computed): its
  digits follow the language (JSON ``{"localised": "2023-24"}``);
- a nested :class:`Reason` (JSON ``{"reason_id": ..., "reason_values": {...}}``) or a
  :class:`Words` list (vocabulary codes or reasons, JSON ``{"words": [...],
  "vocabulary": ..., "separator": ...}``), each translated in turn.

>>> r = Reason.of("'{value}' is not a fiscal year (write it as 2020-21)", value="20201-22")
>>> r, r.reason_id == "'{value}' is not a fiscal year (write it as 2020-21)", r.values_json()
("'20201-22' is not a fiscal year (write it as 2020-21)", True, '{"value": "20201-22"}')
"""

from __future__ import annotations

import json
import math
import re
import string
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nsss_analysis.reference.glossary import CLUSTER_NAMES, FORM_ANSWER_NAMES, STAGE_NAMES
from nsss_analysis.reference.i18n import SOURCE_LANGUAGE, Translator, current
from nsss_analysis.reference.numbers import grouped, localise_digits, rounded

#: The vocabularies a :class:`Words` value may name: code -> message id of its word.
VOCABULARIES: dict[str, Mapping[str, str]] = {
    "answers": FORM_ANSWER_NAMES,
    "clusters": CLUSTER_NAMES,
    "lifecycle_stages": STAGE_NAMES,
}

@dataclass(frozen=True)
class Localised:
    """Text the cleaner wrote (a fiscal year): its digits follow the language."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Words:
    """A list shown in a reason: vocabulary codes (shown as the vocabulary's words, in
    English as in another language) or reasons, joined by ``separator``."""

    items: tuple[object, ...]
    separator: str = ", "
    vocabulary: str = ""

    def __str__(self) -> str:
        words = VOCABULARIES.get(self.vocabulary, {})
        return self.separator.join(words.get(str(i), str(i)) for i in self.items)


class Reason(str):
    """An English reason (the ``str`` itself) with its message id and values."""

    reason_id: str
    values: dict[str, object]

    @classmethod
    def of(cls, reason_id: str, **values: object) -> Reason:
        """The reason of template ``reason_id`` (a message id marked with ``N_``) and ``values``."""
        made = str.__new__(cls, _format(reason_id, values, None))
        made.reason_id, made.values = reason_id, dict(values)
        return made

    def values_json(self) -> str:
        """``reason_values``: the values as JSON (see the module's documentation)."""
        return json.dumps(_to_json(self.values), ensure_ascii=False, sort_keys=True)


def reason_columns(reason: str) -> dict[str, str]:
    """The quarantine's ``reason``, ``reason_id`` and ``reason_values`` of ``reason``
    (a plain ``str`` has no id: both are empty)."""
    if isinstance(reason, Reason):
        return {"reason": str(reason), "reason_id": reason.reason_id, "reason_values": reason.values_json()}
    return {"reason": str(reason), "reason_id": "", "reason_values": ""}


def reason_in_words(reason: object, reason_id: object = None, reason_values: object = None,
                    translate: Translator | None = None) -> str:
    """A quarantine line's reason in the current language (or ``translate``'s): the
    template ``reason_id`` translated and filled with ``reason_values``. A line
    without an id (made before ids were stored, or by hand) keeps ``reason``; so does
    a line whose values do not fit its template.

    >>> from nsss_analysis.reference.i18n import translator
    >>> reason_in_words("row not used: no programme name", "row not used: no programme name", "{}",
    ...                 translator("bn"))
    'সারি ব্যবহার করা হয়নি: কর্মসূচির নাম নেই'
    """
    english = "" if _missing(reason) else str(reason)
    if _missing(reason_id) or not str(reason_id):
        return english
    t = translate or current()
    try:
        values = json.loads(str(reason_values)) if not _missing(reason_values) and str(reason_values) else {}
        read = _from_json(values)
        if not isinstance(read, dict):
            raise TypeError("the reason's values are not an object")
        return _format(str(reason_id), read, t)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return english


def number_in_words(value: float, format_spec: str = "", translate: Translator | None = None) -> str:
    """A number as a reason shows it in the current language (Bangla digits, South
    Asian grouping for a ``,`` spec).

    >>> from nsss_analysis.reference.i18n import translator
    >>> number_in_words(1234567, ",", translator("bn")), number_in_words(12, "", translator("en"))
    ('১২,৩৪,৫৬৭', '12')
    """
    return _Formatter(translate or current()).format_field(value, format_spec)


def digits_in_words(text: str, translate: Translator | None = None) -> str:
    """Text the workbench wrote (a fiscal year, a date) with the language's digits.

    >>> from nsss_analysis.reference.i18n import translator
    >>> digits_in_words("2023-24", translator("bn"))
    '২০২৩-২৪'
    """
    return _Formatter(translate or current()).format_field(Localised(str(text)), "")


def _missing(value: object) -> bool:
    """``None``, NaN, or pandas' missing values (only possible once pandas is loaded:
    reading the reasons alone, as ``nsss beneficiaries`` does, never imports it)."""
    if value is None or isinstance(value, str | dict | list):
        return value is None
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")
    return pd is not None and bool(pd.isna(value))


class _Formatter(string.Formatter):
    """Fills a template: nested reasons and word lists in the language, numbers with
    its digits."""

    def __init__(self, translate: Translator | None):
        self.translate = translate

    @property
    def foreign(self) -> bool:
        return self.translate is not None and not self.translate.about.is_source

    @property
    def language(self) -> str:
        return self.translate.language if self.translate is not None else SOURCE_LANGUAGE

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, Reason | _Nested):
            return _format(value.reason_id, value.values, self.translate)
        if isinstance(value, Words):
            return value.separator.join(self._word(i, value.vocabulary) for i in value.items)
        if isinstance(value, Localised):
            return self._digits(value.text)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return self._number(value, format_spec)
        return format(value, format_spec)

    def _word(self, item: object, vocabulary: str) -> str:
        if isinstance(item, Reason | _Nested):
            return _format(item.reason_id, item.values, self.translate)
        if vocabulary not in VOCABULARIES:
            return str(item)
        word = VOCABULARIES[vocabulary].get(str(item))  # English too: words, not the data's codes
        if not word:
            return str(item)
        return self.translate(word) if self.translate is not None else word

    def _digits(self, text: str) -> str:
        return localise_digits(text, self.language)

    def _number(self, value: float, format_spec: str) -> str:
        """The number as ``format_spec`` writes it, rounded half away from zero
        (``reference.numbers.rounded``, as every printed figure), grouped (``,``) and in
        digits as the language writes them (``reference.numbers``)."""
        decimals = re.fullmatch(r",?\.(\d+)f", format_spec)
        if decimals:
            value = float(rounded(value, int(decimals[1])))  # type: ignore[arg-type]
        if "," not in format_spec:
            return localise_digits(format(value, format_spec), self.language)
        return grouped(format(value, format_spec.replace(",", "")), self.language)


@dataclass(frozen=True)
class _Nested:
    """A nested reason read back from JSON."""

    reason_id: str
    values: dict[str, object]


def _format(reason_id: str, values: Mapping[str, object], translate: Translator | None) -> str:
    template = translate(reason_id) if translate is not None else reason_id
    return _Formatter(translate).vformat(template, (), values)


def _to_json(value: object) -> object:
    if isinstance(value, Reason | _Nested):
        return {"reason_id": value.reason_id, "reason_values": _to_json(value.values)}
    if isinstance(value, Words):
        return {"words": [_to_json(i) for i in value.items], "vocabulary": value.vocabulary,
                "separator": value.separator}
    if isinstance(value, Localised):
        return {"localised": value.text}
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_to_json(v) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _from_json(value: object) -> object:
    if isinstance(value, dict):
        if "reason_id" in value:
            nested = _from_json(value.get("reason_values") or {})
            return _Nested(str(value["reason_id"]), nested if isinstance(nested, dict) else {})
        if "words" in value:
            return Words(tuple(_from_json(i) for i in value["words"]), str(value.get("separator", ", ")),
                         str(value.get("vocabulary", "")))
        if "localised" in value:
            return Localised(str(value["localised"]))
        return {str(k): _from_json(v) for k, v in value.items()}
    return value
