"""The method note in English and Bangla: the same Markdown shape, the same numbers,
Bangla digits, and no English phrase in Bangla beyond the technical names."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from nsss_analysis.reference.i18n import english_runs, forget_language, set_language
from nsss_analysis.report.method_note import TECHNICAL_NAMES, method_note

_BANGLA_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_CODE = re.compile(r"`[^`]*`")


@pytest.fixture(scope="module")
def notes() -> dict[str, str]:
    return {lang: method_note(lang) for lang in ("en", "bn")}


def _shape(note: str) -> list[str]:
    """Each line's Markdown kind: heading level, bullet, numbered item, table row, text."""
    kinds = []
    for line in note.splitlines():
        if not line.strip():
            kinds.append("blank")
        elif m := re.match(r"(#+) ", line):
            kinds.append(f"h{len(m.group(1))}")
        elif line.startswith("- "):
            kinds.append("bullet")
        elif m := re.match(r"(\d+)\. ", line):
            kinds.append(f"item {m.group(1)}")
        elif line.startswith("|"):
            kinds.append(f"row of {line.count('|')} bars")
        else:
            kinds.append("text")
    return kinds


def _numbers(note: str) -> Counter:
    """The numbers of a note, Bangla digits read as ASCII, grouping commas dropped."""
    text = note.translate(_BANGLA_DIGITS)
    return Counter(n.replace(",", "") for n in re.findall(r"\d+(?:,\d{2,3})*(?:\.\d+)?", text))


def _without_glossary(note: str) -> str:
    """The note without the Bangla glossary, which only the Bangla note prints."""
    return note.split("\n\n### শব্দকোষ\n", 1)[0] + "\n" if "\n\n### শব্দকোষ\n" in note else note


def test_bangla_note_has_the_english_notes_markdown_shape(notes):
    assert _shape(_without_glossary(notes["bn"])) == _shape(notes["en"])
    assert notes["bn"].startswith("## পদ্ধতি-সংক্রান্ত টীকা\n")
    assert _without_glossary(notes["bn"]).count("**") == notes["en"].count("**")
    # the data's codes are the same, in the same order
    assert _CODE.findall(notes["bn"])[:12] == [c for c in _CODE.findall(notes["en"]) if c not in (
        "`insufficient data`", "`gender-transformative`", "`gender-specific`", "`gender-sensitive`",
        "`gender-blind`")][:12]


def test_bangla_note_keeps_every_number_of_the_english_note(notes):
    assert _numbers(_without_glossary(notes["bn"])) == _numbers(notes["en"])
    # the measured coverage and the worked example's results are there, in Bangla digits
    assert "n = ৫-এ ৯৫.৭%" in notes["bn"] and "**৫০.০**" in notes["bn"] and "**৭৭.৮**" in notes["bn"]


def test_bangla_note_writes_its_numbers_in_bangla_digits(notes):
    text = _CODE.sub(" ", notes["bn"])  # data codes stay as the tables spell them
    text = re.sub(r"^\d+\. ", "", text, flags=re.MULTILINE)  # Markdown list markers
    text = re.sub(r"\b(?:log10|HC3)\b", " ", text)  # technical names
    assert re.findall(r"[0-9]", text) == []
    assert "০.৫-এর কম" in notes["bn"] and "২০,০০০" in notes["bn"] and "২০১৯" in notes["bn"]


def test_bangla_note_has_no_english_phrase_beyond_the_technical_names(notes):
    text = _CODE.sub(" ", notes["bn"])
    assert english_runs(text, TECHNICAL_NAMES) == []
    # the English note, scanned the same way, is all English (the check is not vacuous)
    assert len(english_runs(_CODE.sub(" ", notes["en"]), TECHNICAL_NAMES)) > 50


def test_bangla_note_names_levels_and_answers_in_bangla(notes):
    bn = notes["bn"]
    assert "`জেন্ডার-রূপান্তরমূলক`" in bn and "**জেন্ডার-নির্দিষ্ট**" in bn
    assert "না < জানা নেই < প্রযোজ্য নয় < আংশিক < হ্যাঁ" in bn
    assert "ভিত্তিহীন মার্কার (`marker_unsubstantiated`) **হ্যাঁ**" in bn
    assert ("| উদ্দেশ্য | ক্ষমতায়নের উদ্দেশ্য (`empowerment_objective`), ক্ষমতায়ন কার্যক্রম (`empowerment_actions`), "
            "উত্তরণের পরিকল্পনা (`graduation`) |") in bn


def test_english_note_keeps_its_words(notes):
    en = notes["en"]
    assert en.startswith("## Method note\n")
    for text in ("`yes` = 1, `partly` = 0.5, `no` = 0", "| intent | `empowerment_objective`",
                 "1. `insufficient data`: completeness below 0.5.", "no < unknown < not applicable < partly < yes",
                 "`marker_unsubstantiated` **True**", "data readiness **not applicable**",
                 "because empowerment objective yes; empowerment actions partly.",
                 "95.7% at n = 5", "outside 0.5-2 \"check\"", "Missing `sex_disaggregated_data` and "
                 "`gender_indicators` are always listed", "an item answered no, partly, unknown (not"):
        assert text in en, text


def test_note_follows_the_report_language():
    try:
        set_language("bn")
        assert method_note() == method_note("bn")
        set_language("en")
        assert method_note() == method_note("en")
    finally:
        forget_language()


def test_bangla_note_gives_each_data_code_after_its_words(notes):
    """A Bangla reader meets the words first: every data code (`norms_awareness`,
    `not_applicable`...) stands in brackets after its Bangla label ("ক্ষতিকর সামাজিক
    রীতির বিরুদ্ধে সচেতনতা (`norms_awareness`)"), never alone; English cites the bare codes."""
    bn, en = notes["bn"], notes["en"]
    codes = re.compile(r"(\S*)\s?`([a-z][a-z_]*)`")
    cited = [(before, code) for before, code in codes.findall(bn)]
    assert len(cited) >= 40
    alone = [code for before, code in cited if not re.search(r"(\(|\(\S+:)$", before)]
    assert alone == [], alone
    for label, code in (("বৈষম্যমূলক সামাজিক রীতির বিরুদ্ধে সচেতনতা", "norms_awareness"), ("প্রযোজ্য নয়", "not_applicable"),
                        ("হ্যাঁ", "yes"), ("দরিদ্র পরিবার", "poor_households"),
                        ("না হলে, উত্তরণের পরিকল্পনা করা যায় কি?", "graduation_possible")):
        assert f"{label} (`{code}`)" in bn, code
    assert "`norms_awareness` unknown" in en and "(`norms_awareness`)" not in en  # English unchanged
