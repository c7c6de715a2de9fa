"""Bangla names in the register and the programme catalogue: every name has a source,
only the government's own pages verify one, the reader resolves the Bangla names,
and the README lists every name still to be checked."""

from __future__ import annotations

import re

import pytest

from nsss_analysis.config import PROJECT_ROOT
from nsss_analysis.reference.ministries import match_ministry
from nsss_analysis.reference.vocab import load_reference

REF = load_reference()
BANGLA = re.compile(r"[\u0980-\u09ff]")
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _entries():
    return [*REF.ministries, *REF.programmes]


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: getattr(e, "code", None) or e.programme)
def test_a_bangla_name_is_bangla_and_has_a_source(entry):
    if not entry.name_bn:
        assert not entry.bn_verified and entry.name_in("bn") == entry.name_in("en")
        return
    assert BANGLA.search(entry.name_bn) and not re.search(r"[A-Za-z]", entry.name_bn)
    assert entry.bn_source.strip(), "a Bangla name needs bn_source"
    if entry.bn_verified:
        assert re.match(r"https?://[^/\s]+\.gov\.bd/", entry.bn_source), "verified only by a government page"
    assert entry.name_in("bn") == entry.name_bn


def test_every_ministry_has_a_bangla_name_and_the_reader_resolves_it():
    for ministry in REF.ministries:
        assert ministry.name_bn
        assert match_ministry(ministry.name_bn).code == ministry.code
        assert ministry.name_in("en") == ministry.name


def test_key_nsss_ministries_are_verified_on_government_sites():
    by_code = REF.ministry_by_code
    for code in ("MoSW", "MoWCA", "FD"):
        assert by_code[code].bn_verified, code
    assert by_code["MoSW"].name_bn == "সমাজকল্যাণ মন্ত্রণালয়"
    assert by_code["MoWCA"].name_bn == "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়"


def test_readme_lists_every_unverified_name():
    section = README.split("## Bangla names to be checked", 1)[1].split("\n## ", 1)[0]
    for entry in _entries():
        if entry.name_bn and not entry.bn_verified:
            assert entry.name_bn in section, entry.name_bn
    for entry in _entries():
        if entry.bn_verified:
            assert f"— {entry.name_bn}\n" not in section, entry.name_bn
