"""One Bangla term per concept: the glossary kept beside the catalogue
(``locale/bn/LC_MESSAGES/glossary.csv``) is what the catalogue's Bangla uses, and the
method note prints it for readers."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from nsss_analysis.reference.glossary import GLOSSARY_FILE, glossary_variants, terms
from nsss_analysis.reference.i18n import LOCALE_DIR, translator
from nsss_analysis.report.method_note import method_note

PO = LOCALE_DIR / "bn" / "LC_MESSAGES" / "nsss.po"


def _translations(po):
    with open(po, "rb") as f:
        catalogue = read_po(f)
    for message in catalogue:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                yield (message.id if isinstance(message.id, str) else message.id[0]), string


def test_the_glossary_sits_beside_the_catalogue_and_every_pattern_compiles():
    assert GLOSSARY_FILE.parent == PO.parent
    assert len(terms()) >= 15
    concepts = [t.concept for t in terms()]
    assert len(concepts) == len(set(concepts)), "one row per concept"
    for term in terms():
        for pattern in term.avoid:
            re.compile(pattern)
            assert not re.search(pattern, term.bangla), (term.concept, pattern)  # the term is not its own variant


def test_no_catalogue_message_uses_a_variant_the_glossary_replaces():
    offending = {mid[:70]: glossary_variants(text) for mid, text in _translations(PO) if glossary_variants(text)}
    assert offending == {}


def test_a_message_with_a_non_glossary_variant_fails(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                   'msgid "95% interval {low}–{high}"\nmsgstr "৯৫% ব্যবধান {low}–{high}"\n\n'
                   'msgid "Result indicators"\nmsgstr "ফলাফল নির্দেশক"\n', encoding="utf-8")
    found = {mid: glossary_variants(text) for mid, text in _translations(bad) if glossary_variants(text)}
    assert found == {"95% interval {low}–{high}": [("আস্থা-ব্যবধান", "ব্যবধান")],
                     "Result indicators": [("সূচক", "নির্দেশক")]}


@pytest.mark.parametrize(
    ("english", "bangla"),
    [("gender-sensitive", "জেন্ডার-সচেতন"), ("gender-specific", "জেন্ডার-নির্দিষ্ট"),
     ("Intent", "উদ্দেশ্য"), ("Evidence", "তথ্যপ্রমাণ"), ("unknown", "জানা নেই"),
     ("Life-cycle stages", "জীবনচক্রের পর্যায়")],
)
def test_the_scales_words_are_the_glossarys(english, bangla):
    assert translator("bn").gettext(english) == bangla


def test_the_bangla_method_note_prints_the_glossary_and_the_english_one_does_not():
    note = method_note("bn")
    assert "### শব্দকোষ" in note
    for term in terms():
        if term.english:
            assert f"**{term.bangla}**: {term.meaning}" in note and term.meaning, term.concept
            assert not glossary_variants(term.meaning.split(";")[0]), term.concept
    assert "শব্দকোষ" not in method_note("en") and "Glossary" not in method_note("en")
