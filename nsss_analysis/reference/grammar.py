"""Bangla grammar by rule: case endings after a name, list joiners, counts in sentences.

A template never glues a case ending to a name by string ("{unit}-এর"): Bangla writes
মন্ত্রণালয়ের, বিভাগের, ক্লাস্টারের, ভাতার, কর্মসূচির, and "-এর" only after Latin text,
digits or an abbreviation in brackets. The rules:

* genitive (``{name:gen}``): a name ending in a consonant (including য়, a conjunct or a
  ya-phala: মন্ত্রণালয়, বিভাগ, খাদ্য) takes "ের"; a name ending in a vowel (sign or letter:
  ভাতা, কর্মসূচি, এনজিও) takes "র"; ৎ becomes ত + "ের" (বিদ্যুতের); ং takes "য়ের"
  (মোবাইল ব্যাংকিংয়ের); anything else
  (Latin, digits, a closing bracket, ং, ঃ, a hasanta) takes "-এর".
* locative (``{name:loc}``): consonant + "ে" (মন্ত্রণালয়ে, ক্লাস্টারে), "া" + "য়" (ঢাকায়,
  ভাতায়), another vowel + "তে" (কর্মসূচিতে), ৎ + "তে" (বিদ্যুতে), ং + "য়ে", otherwise "-এ".
* objective (``{name:obj}``): "কে" after Bangla, "-কে" after anything else.

:class:`Name` carries the rules into a message: the Bangla translation of
``"{unit}'s programmes"`` writes ``"{unit:gen} কর্মসূচি"``, and the code formats it with
``unit=Name(name)``. English ignores the case specs (a :class:`Name` formats as itself).

The list joiner (:func:`join_list`) writes "ক ও খ" for two items, "ক, খ এবং গ" for more (and
"ক এবং খ" when an item holds "ও" itself, as "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়" does), "or" as
"বা"/"অথবা". :func:`count_of` says "k of n" so that it reads at 0, 1 and n.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import current, resolve_language, translator

_VOWEL_SIGNS = set("\u09be\u09bf\u09c0\u09c1\u09c2\u09c3\u09c4\u09c7\u09c8\u09cb\u09cc\u09e2\u09e3")
_VOWEL_LETTERS = set("\u0985\u0986\u0987\u0988\u0989\u098a\u098b\u098f\u0990\u0993\u0994\u09e0\u09e1")
_NUKTA = "\u09bc"
_HASANTA = "\u09cd"
_CANDRABINDU = "\u0981"
_ANUSVARA = "\u0982"
_KHANDA_TA = "\u09ce"
_AA = "\u09be"
_CONSONANTS = {chr(c) for c in range(0x0995, 0x09ba)} | {"\u09dc", "\u09dd", "\u09df"}
_TRAILING = " \t\u200c\u200d'\"’”"

CASES: tuple[str, ...] = ("gen", "loc", "obj")


def _language(language: str | None) -> str:
    return resolve_language(language) if language else current().language


def _ending(name: str) -> str:
    """What a Bangla name ends in: "consonant", "aa", "vowel", "khanda_ta" or "other"."""
    text = unicodedata.normalize("NFC", name).rstrip(_TRAILING)
    if not text:
        return "other"
    if text[-1] == _CANDRABINDU:  # নওগাঁ ends in its vowel
        text = text[:-1]
    last = text[-1] if text else ""
    if last == _NUKTA and len(text) > 1 and text[-2] in _CONSONANTS:  # য়, ড়, ঢ় decomposed
        return "consonant"
    if last in _CONSONANTS:
        return "consonant"
    if last == _KHANDA_TA:
        return "khanda_ta"
    if last == _ANUSVARA:
        return "anusvara"
    if last == _AA:
        return "aa"
    if last in _VOWEL_SIGNS or last in _VOWEL_LETTERS:
        return "vowel"
    return "other"


def genitive(name: object) -> str:
    """``name`` with the Bangla possessive ending.

    >>> genitive("সমাজকল্যাণ মন্ত্রণালয়"), genitive("বয়স্ক ভাতা"), genitive("MoSW")
    ('সমাজকল্যাণ মন্ত্রণালয়ের', 'বয়স্ক ভাতার', 'MoSW-এর')
    """
    text = str(name).rstrip(_TRAILING)
    ending = _ending(text)
    if ending == "consonant":
        return text + "ের"
    if ending in ("aa", "vowel"):
        return text + "র"
    if ending == "khanda_ta":
        return text[:-1] + "তের"
    if ending == "anusvara":
        return text + "য়ের"
    return text + "-এর"


def locative(name: object) -> str:
    """``name`` with the Bangla locative ending ("in ...").

    >>> locative("স্থানীয় সরকার বিভাগ"), locative("ঢাকা"), locative("কর্মসূচি"), locative("MIS")
    ('স্থানীয় সরকার বিভাগে', 'ঢাকায়', 'কর্মসূচিতে', 'MIS-এ')
    """
    text = str(name).rstrip(_TRAILING)
    ending = _ending(text)
    if ending == "consonant":
        return text + "ে"
    if ending == "aa":
        return text + "য়"
    if ending == "vowel":
        return text + "তে"
    if ending == "khanda_ta":
        return text[:-1] + "তে"
    if ending == "anusvara":
        return text + "য়ে"
    return text + "-এ"


def objective(name: object) -> str:
    """``name`` with the object marker "কে".

    >>> objective("জীবনচক্রের দুটি পর্যায়"), objective("WFP")
    ('জীবনচক্রের দুটি পর্যায়কে', 'WFP-কে')
    """
    text = str(name).rstrip(_TRAILING)
    return text + ("কে" if _ending(text) != "other" else "-কে")


_CASE_FUNCTIONS = {"gen": genitive, "loc": locative, "obj": objective}


class Name(str):
    """A name (or any noun phrase) that takes its case ending from the message: in a
    format spec ``{unit:gen}``, ``{unit:loc}``, ``{unit:obj}``; a plain ``{unit}`` prints
    the name as it is. English messages never use the specs.

    >>> "{unit:gen} কর্মসূচি".format(unit=Name("স্থানীয় সরকার বিভাগ"))
    'স্থানীয় সরকার বিভাগের কর্মসূচি'
    >>> "{unit}'s programmes".format(unit=Name("Local Government Division"))
    "Local Government Division's programmes"
    """

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec in _CASE_FUNCTIONS:
            return _CASE_FUNCTIONS[spec](str(self))
        return format(str(self), spec)


def names(**values: object) -> dict[str, Name]:
    """Every value as a :class:`Name`, for ``.format(**names(unit=..., programmes=...))``."""
    return {key: Name("" if value is None else value) for key, value in values.items()}


def join_list(items: Iterable[object], conjunction: str = "and", language: str | None = None) -> str:
    """A list as a sentence writes it.

    English: "a", "a and b", "a, b and c" ("or" alike). Bangla: "ক ও খ", "ক, খ এবং গ";
    "ক এবং খ" when an item holds "ও" itself; "ক বা খ", "ক, খ অথবা গ" for "or".

    >>> join_list(["স্থানীয় সরকার বিভাগ", "ইউনিয়ন পরিষদ", "এটুআই"], language="bn")
    'স্থানীয় সরকার বিভাগ, ইউনিয়ন পরিষদ এবং এটুআই'
    >>> join_list(["ক", "খ"], language="bn"), join_list(["a", "b", "c"], "or", language="en")
    ('ক ও খ', 'a, b or c')
    """
    words = [str(i) for i in items if str(i).strip()]
    if len(words) <= 1:
        return words[0] if words else ""
    code = _language(language)
    if code == "bn":
        inner = any(" ও " in w or " বা " in w for w in words)
        if conjunction == "or":
            last = " অথবা " if len(words) > 2 or inner else " বা "
        else:
            last = " এবং " if len(words) > 2 or inner else " ও "
        return ", ".join(words[:-1]) + last + words[-1]
    t = translator(code)  # two literal calls: the extractor reads each message id
    word = t.pgettext("joining a list", "or") if conjunction == "or" else t.pgettext("joining a list", "and")
    return ", ".join(words[:-1]) + f" {word} " + words[-1]


_NOUNS = {
    # English singular/plural, Bangla noun (classifier টি)
    "programme": ("programme", "programmes", "কর্মসূচি"),
    "cluster": ("cluster", "clusters", "ক্লাস্টার"),
    "ministry": ("ministry or division", "ministries and divisions", "মন্ত্রণালয়/বিভাগ"),
    "stage": ("life-cycle stage", "life-cycle stages", "পর্যায়"),
    "item": ("item", "items", "বিষয়"),
}


def count_of(k: int, n: int, noun: str, language: str | None = None, *, digits=None) -> str:
    """"k of n <nouns>" as a sentence says it, at 0, 1 and all too.

    ``digits`` writes a number (default: :func:`nsss_analysis.reference.numbers.count`).

    >>> count_of(0, 5, "cluster", "bn"), count_of(5, 5, "cluster", "bn")
    ('৫টি ক্লাস্টারের একটিও নয়', '৫টি ক্লাস্টারের সবগুলো')
    >>> count_of(1, 1, "programme", "en"), count_of(2, 9, "programme", "bn")
    ('the one programme', '৯টি কর্মসূচির মধ্যে ২টি')
    """
    code = _language(language)
    write = digits or (lambda v: numbers.count(v, code))
    if noun not in _NOUNS:
        raise ValueError(f"unknown noun {noun!r}; one of {', '.join(_NOUNS)}")
    one, many, bangla = _NOUNS[noun]
    if code == "bn":
        whole = f"{write(n)}টি {bangla}"
        if n == 1:
            return f"একমাত্র {bangla}টি" if k == 1 else f"একমাত্র {bangla}টিও নয়"
        if k == 0:
            return f"{genitive(whole)} একটিও নয়"
        if k == n:
            return f"{genitive(whole)} সবগুলো"
        return f"{genitive(whole)} মধ্যে {write(k)}টি"
    if n == 1:
        return f"the one {one}" if k == 1 else f"not the one {one}"
    if k == 0:
        return f"none of the {write(n)} {many}"
    if k == n:
        return f"all {write(n)} {many}"
    return f"{write(k)} of {write(n)} {many}"
