"""Reference data: the ministry register and the form's vocabularies.

Everything lives as data files in ``nsss_analysis/reference/`` and is loaded by
:func:`load_reference` (cached). Code elsewhere never spells a vocabulary out again;
it asks this module. To accept a new spelling, add it to the data file.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.reference.glossary import (
    CLUSTER_NAMES,
    FORM_ANSWER_NAMES,
    STAGE_NAMES,
    TARGET_GROUP_NAMES,
)
from nsss_analysis.reference.i18n import LANGUAGES, SOURCE_LANGUAGE, about_language, translator

#: The ten assessed items, by domain (docs/method.md, section 1).
DOMAINS: dict[str, tuple[str, ...]] = {
    "intent": ("empowerment_objective", "empowerment_actions", "graduation"),
    "transformative": ("social_capital", "norms_awareness", "skills_training"),
    "evidence": (
        "sex_disaggregated_data",
        "gender_analysis",
        "gender_reporting",
        "gender_indicators",
    ),
}
ITEMS: tuple[str, ...] = tuple(item for items in DOMAINS.values() for item in items)

#: Each "If not, can ... ?" follow-up and the items it follows. It is
#: ``not_applicable`` when all of them are ``yes`` or ``not_applicable``, and in the
#: potential score a ``yes`` follow-up counts each of them that is not ``yes`` as ``yes``.
#: The empowerment follow-up follows both empowerment questions (the guideline asks
#: "If not ..." once, after both).
FOLLOWUPS: dict[str, tuple[str, ...]] = {
    "graduation_possible": ("graduation",),
    "empowerment_possible": ("empowerment_objective", "empowerment_actions"),
    "social_capital_possible": ("social_capital",),
    "norms_awareness_possible": ("norms_awareness",),
    "skills_training_possible": ("skills_training",),
}

ANSWERS: tuple[str, ...] = ("yes", "partly", "no", "not_applicable", "unknown")
FOLLOWUP_ANSWERS: tuple[str, ...] = ("yes", "no", "not_applicable", "unknown")

LINEAGE_COLUMNS: tuple[str, ...] = ("source_file", "source_sheet", "source_row")

#: Columns of assessments.parquet, in order (docs/data-contract.md, section 3).
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    *LINEAGE_COLUMNS,
    "ministry",
    "ministry_code",
    "programme",
    "start_fy",
    "end_fy",
    "ongoing",
    "cluster",
    "lifecycle_stages",
    "target_groups",
    "target_groups_other",
    "graduation",
    "graduation_possible",
    "empowerment_objective",
    "empowerment_actions",
    "empowerment_possible",
    "social_capital",
    "social_capital_possible",
    "norms_awareness",
    "norms_awareness_possible",
    "skills_training",
    "skills_training_possible",
    "sex_disaggregated_data",
    "gender_analysis",
    "gender_reporting",
    "gender_indicators",
    "partner_agencies",
    "remarks",
)
LIST_COLUMNS: tuple[str, ...] = (
    "lifecycle_stages",
    "target_groups",
    "target_groups_other",
    "partner_agencies",
)

#: Columns of budgets.parquet, in order.
BUDGET_COLUMNS: tuple[str, ...] = (
    *LINEAGE_COLUMNS,
    "ministry",
    "ministry_code",
    "programme",
    "cluster",
    "fiscal_year",
    "budget_crore",
    "beneficiaries",
    "women_beneficiaries",
    "monthly_rate_bdt",
)

QUARANTINE_COLUMNS: tuple[str, ...] = (
    *LINEAGE_COLUMNS,
    "column",
    "value",
    "reason",
    # the reason's English template (a message id) and its values as JSON, so that a
    # report says the reason in its own language (intake/reasons.py)
    "reason_id",
    "reason_values",
)


@dataclass(frozen=True)
class Ministry:
    """A ministry or division of the register. ``name_bn`` is its Bangla name,
    ``bn_source`` where that was found and ``bn_verified`` whether that source is the
    government's own publication (unverified names are listed in the README)."""

    code: str
    name: str
    parent_ministry: str
    aliases: tuple[str, ...]
    name_bn: str = ""
    bn_source: str = ""
    bn_verified: bool = False

    def name_in(self, language: str) -> str:
        """The name to show in ``language``: the Bangla name where one is recorded,
        else the English name."""
        return about_language(language).name_of(self, self.name)


@dataclass(frozen=True)
class CataloguedProgramme:
    """A real NSSS programme on record: the ministry or division that runs it, its
    name, and where that was found (``reference/programmes.csv``); its published
    Bangla name where one was found (empty: the English name is shown)."""

    ministry_code: str
    programme: str
    source: str
    name_bn: str = ""
    bn_source: str = ""
    bn_verified: bool = False

    def name_in(self, language: str) -> str:
        """The name to show in ``language`` (the English name where no Bangla one is known)."""
        return about_language(language).name_of(self, self.programme)


@dataclass(frozen=True)
class FormColumn:
    sheet: str
    order: int
    label: str
    column: str
    kind: str
    synonyms: tuple[str, ...]
    instruction: str


@dataclass(frozen=True)
class Reference:
    """All reference data, as loaded from ``nsss_analysis/reference/``."""

    ministries: tuple[Ministry, ...]
    form_columns: tuple[FormColumn, ...]
    clusters: dict[str, tuple[str, ...]]
    lifecycle_stages: dict[str, tuple[str, ...]]
    target_groups: dict[str, tuple[str, ...]]
    answers: dict[str, tuple[str, ...]]
    followups: dict[str, tuple[str, ...]]
    totals_labels: tuple[str, ...]
    sex_codes: dict[str, tuple[str, ...]]
    payment_channels: dict[str, tuple[str, ...]]
    age_bands: tuple[dict, ...]
    districts: dict[str, tuple[str, ...]]
    district_division: dict[str, str]
    #: Spellings of "ongoing" in the Duration column, and of amount/count units.
    ongoing: tuple[str, ...] = ()
    #: The catalogue of real programmes on record (which ministry runs what).
    programmes: tuple[CataloguedProgramme, ...] = ()
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The drop-down label of each value (``answers``, ``followups``, ``lifecycle_stages``,
    #: ``target_groups``): words people read, mapped back by the reader.
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def columns_of(self, sheet: str) -> tuple[FormColumn, ...]:
        """The form's columns for one sheet (``Programmes`` or ``Budget``), in order."""
        return tuple(c for c in self.form_columns if c.sheet == sheet)

    @property
    def ministry_by_code(self) -> dict[str, Ministry]:
        return {m.code: m for m in self.ministries}


#: Characters that print as nothing: every Unicode format character (category Cf:
#: ZWJ, ZWNJ, the left-to-right and right-to-left marks and embeddings, a BOM inside
#: text, the soft hyphen, the word joiner ...) and the zero-width space. Removed by
#: :func:`normalise_key` and by ``reference.text.clean_text``: a trailing
#: left-to-right mark must not make one programme two. Only the blocks that hold format
#: characters are scanned (Latin to Arabic, Mongolian and the punctuation, the
#: specials, Brahmi to Egyptian, shorthand and musical symbols, the tags): scanning
#: all of Unicode took half a second of every command's and kernel's start. A test holds
#: the two equal, so a new format character elsewhere fails it.
FORMAT_PLANES = (range(0x3000), range(0xFE00, 0x10000), range(0x11000, 0x14000), range(0x1B000, 0x1E000),
                 range(0xE0000, 0xE0100))


INVISIBLE = dict.fromkeys(
    [c for plane in FORMAT_PLANES for c in plane if unicodedata.category(chr(c)) == "Cf"] + [0x200B], None)


def normalise_key(text: object) -> str:
    """Fold a label or answer for matching: NFC, lower case, ``&`` as ``and``,
    punctuation other than ``/ - ? +`` dropped, whitespace folded.

    >>> normalise_key("  Women's / Girls'  Empowerment? ")
    'womens / girls empowerment?'
    """
    s = unicodedata.normalize("NFC", str(text)).translate(INVISIBLE).replace("\u00a0", " ").strip().lower()
    s = s.replace("&", " and ").replace("’", "'").replace("‘", "'")
    s = re.sub(r"[\"'`.,;:()\[\]{}*_]", lambda m: " " if m.group() in "_" else "", s)
    return re.sub(r"\s+", " ", s).strip()


def variant_table(
    vocabulary: Mapping[str, Iterable[str]], key: Callable[[str], str] = normalise_key
) -> dict[str, str]:
    """Map every accepted spelling (and the canonical value itself), folded by ``key``,
    to its canonical value; the first canonical value listed wins a shared spelling."""
    table: dict[str, str] = {}
    for canonical, variants in vocabulary.items():
        for variant in (canonical, *variants):
            table.setdefault(key(variant), canonical)
    return table


def _split(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split("|") if a.strip())


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


def _with_translations(
    vocabulary: dict[str, tuple[str, ...]], names: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """``vocabulary`` with each value's words in every other language (from the message
    catalogue) accepted as spellings of it: the Bangla form's drop-downs read back."""
    out = {}
    for code, variants in vocabulary.items():
        extra = tuple(
            translator(language).gettext(names[code])
            for language in LANGUAGES
            if language != SOURCE_LANGUAGE and code in names
        )
        out[code] = variants + tuple(e for e in extra if e not in variants)
    return out


def _column_translations(label: str, instruction: str) -> tuple[str, ...]:
    """A form column's label and question in every other language: the Bangla form's
    headers are matched like the English ones."""
    return tuple(
        text
        for language in LANGUAGES
        if language != SOURCE_LANGUAGE
        for text in (translator(language).gettext(label), translator(language).gettext(instruction))
        if text not in (label, instruction)
    )


def load_reference() -> Reference:
    """The register and vocabularies (loaded once per process), each value also
    accepted in its translations from the message catalogue: the reader reads the
    Bangla form as it reads the English one."""
    return _load(translations=True)


def file_reference() -> Reference:
    """The register and vocabularies exactly as the data files spell them, without the
    catalogue's translations (the synthetic-form generator draws its spellings here)."""
    return _load(translations=False)


def _reference_rows(name: str) -> list[dict[str, str]]:
    """The rows of one reference CSV file, as dicts by header."""
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=2)
def _load(translations: bool) -> Reference:
    ministries = tuple(
        Ministry(
            r["code"],
            r["name"],
            r["parent_ministry"],
            tuple(dict.fromkeys((*_split(r["aliases"]), *(_split(r["name_bn"]) if translations else ())))),
            r["name_bn"].strip(),
            r["bn_source"].strip(),
            _flag(r["bn_verified"]),
        )
        for r in _reference_rows("ministries.csv")
    )
    form_columns = tuple(
        FormColumn(
            r["sheet"],
            int(r["order"]),
            r["label"],
            r["column"],
            r["kind"],
            (
                *_split(r["synonyms"]),
                *(_column_translations(r["label"], r["instruction"]) if translations else ()),
            ),
            r["instruction"],
        )
        for r in _reference_rows("form_columns.csv")
    )
    rows = _reference_rows("districts.csv")
    programmes = tuple(
        CataloguedProgramme(
            r["ministry_code"],
            r["programme"],
            r["source"],
            r["name_bn"].strip(),
            r["bn_source"].strip(),
            _flag(r["bn_verified"]),
        )
        for r in _reference_rows("programmes.csv")
    )
    vocab = json.loads((REFERENCE_DIR / "vocabularies.json").read_text(encoding="utf-8"))

    labels = {key: dict(values) for key, values in vocab.get("labels", {}).items() if not key.startswith("_")}

    def mapping(key: str) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in vocab[key].items()}

    def translated(key: str, names: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
        return _with_translations(mapping(key), names) if translations else mapping(key)

    for key, shown in labels.items():  # a drop-down label must read back as its value
        spellings = {code: {normalise_key(v) for v in variants} for code, variants in vocab[key].items()}
        unread = [text for code, text in shown.items() if normalise_key(text) not in spellings.get(code, ())]
        if unread:
            raise ValueError(f"vocabularies.json: labels of {key} that are not spellings of their value: {unread}")

    return Reference(
        ministries=ministries,
        form_columns=form_columns,
        clusters=translated("clusters", CLUSTER_NAMES),
        lifecycle_stages=translated("lifecycle_stages", STAGE_NAMES),
        target_groups=translated("target_groups", TARGET_GROUP_NAMES),
        answers=translated("answers", FORM_ANSWER_NAMES),
        followups=translated("followups", FORM_ANSWER_NAMES),
        totals_labels=tuple(vocab["totals_labels"]),
        sex_codes=mapping("sex_codes"),
        payment_channels=mapping("payment_channels"),
        age_bands=tuple(vocab["age_bands"]),
        districts={r["district"]: _split(r["aliases"]) for r in rows},
        district_division={r["district"]: r["division"] for r in rows},
        ongoing=tuple(vocab.get("ongoing", ())),
        units=mapping("units") if "units" in vocab else {},
        programmes=programmes,
        labels=labels,
    )


CLUSTERS: tuple[str, ...] = (
    "Social Allowance",
    "Food Security and Disaster Response",
    "Social Insurance",
    "Labour and Livelihood Interventions",
    "Human Development and Social Empowerment",
)
LIFECYCLE_STAGES: tuple[str, ...] = (
    "early_childhood",
    "school_age",
    "working_age",
    "women_working_age",
    "old_age",
    "disability",
)
TARGET_GROUPS: tuple[str, ...] = tuple(load_reference().target_groups)
#: The groups "in special circumstances" the guideline names (diagnostics section 3).
GUIDELINE_TARGET_GROUPS: tuple[str, ...] = (
    "freedom_fighters",
    "orphans",
    "urban_poor",
    "indigenous",
    "dalit",
    "transgender_hijra",
    "tea_garden_workers",
    "sex_workers",
    "hiv_affected",
)
LEVELS: tuple[str, ...] = (
    "insufficient data",
    "gender-blind",
    "gender-sensitive",
    "gender-specific",
    "gender-transformative",
)
