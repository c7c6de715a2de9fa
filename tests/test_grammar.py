"""Bangla grammar by rule (reference/grammar.py): case endings after a name, whatever
it ends in, list joiners and counts that read naturally at 0, 1 and all."""

from __future__ import annotations

import pytest

from nsss_analysis.reference.grammar import Name, count_of, genitive, join_list, locative, names, objective

# name, genitive, locative: consonant endings (য়, conjuncts, ya-phala), vowel endings,
# khanda ta, and text that takes the hyphenated ending
CASES = [
    ("সমাজকল্যাণ মন্ত্রণালয়", "সমাজকল্যাণ মন্ত্রণালয়ের", "সমাজকল্যাণ মন্ত্রণালয়ে"),
    ("স্থানীয় সরকার বিভাগ", "স্থানীয় সরকার বিভাগের", "স্থানীয় সরকার বিভাগে"),
    ("প্রধানমন্ত্রীর কার্যালয়", "প্রধানমন্ত্রীর কার্যালয়ের", "প্রধানমন্ত্রীর কার্যালয়ে"),
    ("খাদ্য নিরাপত্তা ও দুর্যোগ সহায়তা ক্লাস্টার", "খাদ্য নিরাপত্তা ও দুর্যোগ সহায়তা ক্লাস্টারের",
     "খাদ্য নিরাপত্তা ও দুর্যোগ সহায়তা ক্লাস্টারে"),
    ("বয়স্ক ভাতা", "বয়স্ক ভাতার", "বয়স্ক ভাতায়"),
    ("৯টি কর্মসূচি", "৯টি কর্মসূচির", "৯টি কর্মসূচিতে"),
    ("কক্সবাজার", "কক্সবাজারের", "কক্সবাজারে"),
    ("খাদ্য", "খাদ্যের", "খাদ্যে"),  # ya-phala
    ("লক্ষ্মীপুর", "লক্ষ্মীপুরের", "লক্ষ্মীপুরে"),
    ("দারিদ্র্য", "দারিদ্র্যের", "দারিদ্র্যে"),
    ("পঞ্চগড়", "পঞ্চগড়ের", "পঞ্চগড়ে"),  # ড় (decomposed by NFC)
    ("বেসরকারি সংস্থা (এনজিও)", "বেসরকারি সংস্থা (এনজিও)-এর", "বেসরকারি সংস্থা (এনজিও)-এ"),
    ("এনজিও", "এনজিওর", "এনজিওতে"),
    ("বিদ্যুৎ", "বিদ্যুতের", "বিদ্যুতে"),
    ("MoSW", "MoSW-এর", "MoSW-এ"),
    ("Save the Children", "Save the Children-এর", "Save the Children-এ"),
    ("২০২৩", "২০২৩-এর", "২০২৩-এ"),
    ("নওগাঁ", "নওগাঁর", "নওগাঁয়"),
    ("মোবাইল ব্যাংকিং", "মোবাইল ব্যাংকিংয়ের", "মোবাইল ব্যাংকিংয়ে"),  # anusvara  # candrabindu after the vowel
]


@pytest.mark.parametrize(("name", "gen", "loc"), CASES)
def test_genitive_and_locative_follow_the_last_letter(name, gen, loc):
    assert genitive(name) == gen
    assert locative(name) == loc


def test_the_objective_marker():
    assert objective("জীবনচক্রের দুটি পর্যায়") == "জীবনচক্রের দুটি পর্যায়কে"
    assert objective("WFP") == "WFP-কে"


def test_a_name_takes_its_case_from_the_message_and_english_ignores_it():
    values = names(unit="স্থানীয় সরকার বিভাগ", programmes="৫টি কর্মসূচি")
    assert "{unit:gen} {programmes:gen} মধ্যে".format(**values) == "স্থানীয় সরকার বিভাগের ৫টি কর্মসূচির মধ্যে"
    assert "{unit:loc}".format(**values) == "স্থানীয় সরকার বিভাগে"
    assert "{unit}'s {programmes}".format(unit=Name("LGD"), programmes=Name("5 programmes")) == "LGD's 5 programmes"
    assert "{unit:>5}".format(unit=Name("ab")) == "   ab"


@pytest.mark.parametrize(
    ("items", "conjunction", "language", "expected"),
    [
        ([], "and", "bn", ""),
        (["ক"], "and", "bn", "ক"),
        (["ক", "খ"], "and", "bn", "ক ও খ"),
        (["ক", "খ", "গ"], "and", "bn", "ক, খ এবং গ"),
        (["মহিলা ও শিশু বিষয়ক মন্ত্রণালয়", "ইউনিসেফ"], "and", "bn", "মহিলা ও শিশু বিষয়ক মন্ত্রণালয় এবং ইউনিসেফ"),
        (["ক", "খ"], "or", "bn", "ক বা খ"),
        (["ক", "খ", "গ"], "or", "bn", "ক, খ অথবা গ"),
        (["a", "b", "c"], "and", "en", "a, b and c"),
        (["a", "b"], "or", "en", "a or b"),
    ],
)
def test_lists_join_with_o_within_and_ebong_last(items, conjunction, language, expected):
    assert join_list(items, conjunction, language=language) == expected
    assert " ও " not in join_list(["ক", "খ", "গ", "ঘ"], language="bn")


def test_counts_read_naturally_at_zero_one_and_all():
    assert count_of(0, 5, "cluster", "bn") == "৫টি ক্লাস্টারের একটিও নয়"
    assert count_of(5, 5, "cluster", "bn") == "৫টি ক্লাস্টারের সবগুলো"
    assert count_of(2, 9, "programme", "bn") == "৯টি কর্মসূচির মধ্যে ২টি"
    assert count_of(1, 1, "programme", "bn") == "একমাত্র কর্মসূচিটি"
    assert "০" not in count_of(0, 5, "cluster", "bn")
    assert count_of(0, 3, "programme", "en") == "none of the 3 programmes"
    assert count_of(3, 3, "programme", "en") == "all 3 programmes"
    assert count_of(2, 3, "programme", "en") == "2 of 3 programmes"
    with pytest.raises(ValueError, match="unknown noun"):
        count_of(1, 2, "widget", "en")


def test_no_bangla_name_of_the_reference_data_takes_the_hyphenated_ending():
    from nsss_analysis.reference.names import _agencies, _districts
    from nsss_analysis.reference.vocab import load_reference

    ref = load_reference()
    bangla = [m.name_bn for m in ref.ministries] + [p.name_bn for p in ref.programmes if p.name_bn]
    bangla += [bn for _, bn in {**_districts(), **_agencies()}.values() if bn]
    assert len(bangla) > 150
    hyphenated = [n for n in bangla if genitive(n).endswith("-এর") and not n.endswith(")")]
    assert hyphenated == []
