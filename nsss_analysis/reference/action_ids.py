"""Stable action ids: the same gap gets the same id in every build and every round.

An action (a gap of a programme, turned into the guideline's instruction) is named
``<ministry code>-<programme hash>-<item code>``, for example ``MoWCA-7Q2KX4-GRAD``:

- the ministry's register code (``MoWCA``);
- six characters of a hash of the programme's *catalogue key*: the programme's stored
  name (:func:`nsss_analysis.reference.names.canonical_name`, so a Bangla spelling or
  an alias of a catalogued programme gives the same key), folded for matching
  (:func:`nsss_analysis.reference.vocab.normalise_key`). The hash is SHA-256, written
  in Crockford's base 32 (digits and capital letters without I, L, O, U), so an id
  reads aloud and survives being retyped;
- the guideline item's short code (:data:`ITEM_CODES`, ``GRAD`` for graduation).

Nothing else enters the id: not the rank, the row, the file, the round or the build,
so re-ordered forms, a resubmission or next year's assessment keep it. An action a
ministry adds to its returned plan (no guideline item) is named with ``N`` and four
characters of a hash of its text in place of the item code (:func:`added_action_id`).

Ids are identifiers, not words: they are printed the same in every language (Latin
letters and digits), so a returned Bangla plan matches an English one.
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from nsss_analysis.errors import NsssError
from nsss_analysis.reference.names import canonical_name
from nsss_analysis.reference.vocab import ITEMS, normalise_key

#: The guideline item of each action, as the id's last part (2019 guideline, section 5.0).
ITEM_CODES: dict[str, str] = {
    "graduation": "GRAD",
    "empowerment_objective": "EMPO",
    "empowerment_actions": "EMPA",
    "social_capital": "SOCL",
    "norms_awareness": "NORM",
    "skills_training": "SKIL",
    "sex_disaggregated_data": "SDD",
    "gender_analysis": "GANL",
    "gender_reporting": "GREP",
    "gender_indicators": "GIND",
}
assert set(ITEM_CODES) == set(ITEMS), "every guideline item needs an id code"
#: Item code -> item.
ITEM_OF_CODE: dict[str, str] = {code: item for item, code in ITEM_CODES.items()}
#: Crockford's base-32 alphabet: no I, L, O or U to misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Characters of the programme hash (30 bits: a clash inside one ministry's programmes
#: is checked for, never assumed away; :func:`check_unique`).
HASH_LENGTH = 6
#: The prefix of an added action's code.
ADDED_PREFIX = "N"
#: An id as written back by a person: any case, spaces or underscores around the dashes.
ID_PATTERN = re.compile(
    r"^\s*([A-Za-z][A-Za-z&]{0,11})\s*[-_–]\s*([0-9A-Za-z]{" + str(HASH_LENGTH)
    + r"})\s*[-_–]\s*([A-Za-z0-9]{3,6})\s*$")


class ActionId(NamedTuple):
    """The parts of an id: ministry code, programme hash, item code."""

    ministry_code: str
    programme_hash: str
    item_code: str

    @property
    def item(self) -> str | None:
        """The guideline item, or None for an action a ministry added."""
        return ITEM_OF_CODE.get(self.item_code)

    def __str__(self) -> str:
        return f"{self.ministry_code}-{self.programme_hash}-{self.item_code}"


def _base32(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    out = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        out.append(ALPHABET[digit])
    return "".join(out)


def catalogue_key(programme: object) -> str:
    """The programme's key in the catalogue: its stored name, folded for matching."""
    return normalise_key(canonical_name("programme", programme))


def programme_hash(programme: object) -> str:
    """Six base-32 characters of the hash of the programme's catalogue key."""
    digest = hashlib.sha256(catalogue_key(programme).encode("utf-8")).digest()
    return _base32(digest, HASH_LENGTH)


def action_id(ministry_code: str, programme: object, item: str) -> str:
    """The stable id of ``item``'s gap in ``programme`` of ``ministry_code``.

    >>> action_id("MoSW", "Old Age Allowance", "graduation") == action_id("MoSW", "বয়স্ক ভাতা", "graduation")
    True
    """
    if item not in ITEM_CODES:
        raise ValueError(f"unknown guideline item {item!r}")
    return f"{ministry_code}-{programme_hash(programme)}-{ITEM_CODES[item]}"


def added_action_id(ministry_code: str, programme: object, action: object) -> str:
    """The id of an action a ministry added to its plan: the programme's hash and ``N``
    with four characters of the hash of the action's text (folded), so the same added
    row read again keeps its id."""
    digest = hashlib.sha256(normalise_key(action).encode("utf-8")).digest()
    return f"{ministry_code}-{programme_hash(programme)}-{ADDED_PREFIX}{_base32(digest, 4)}"


def parse_action_id(text: object) -> ActionId | None:
    """An id as a person may return it (lower case, spaces, an en dash) as its parts,
    or None when ``text`` is no id. The ministry code keeps the case it is written in
    (the register matches codes without case); the hash and item code are upper case."""
    if text is None:
        return None
    match = ID_PATTERN.match(str(text))
    if not match:
        return None
    code, digest, item = match.groups()
    digest, item = digest.upper(), item.upper()
    if any(c not in ALPHABET for c in digest):
        return None
    if item not in ITEM_OF_CODE and not (item.startswith(ADDED_PREFIX) and len(item) == 5):
        return None
    return ActionId(code, digest, item)


def check_unique(ids: list[str], gaps: list[tuple[str, str, str]]) -> None:
    """Raise when two different gaps (ministry code, catalogue key, item) share an id:
    the hash is short, so a clash is checked, never assumed away."""
    seen: dict[str, tuple[str, str, str]] = {}
    for i, gap in zip(ids, gaps, strict=True):
        if seen.setdefault(i, gap) != gap:
            raise NsssError(f"action id {i} is shared by two gaps: {seen[i]} and {gap}")
