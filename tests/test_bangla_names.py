"""Bangla names in the register and the programme catalogue: every name has a source,
only the government's own pages verify one, the reader resolves the Bangla names,
and the README lists every name still to be checked."""

from __future__ import annotations

import csv
import re

import pytest

from nsss_analysis.config import PROJECT_ROOT, REFERENCE_DIR
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
    """The README's list is the reference data's, written by ``make names-list``: every
    unverified name (ministries, programmes, agencies) and no verified one."""
    from nsss_analysis.reference.names import UNVERIFIED_END, UNVERIFIED_START, unverified_names_markdown

    listed = README.split(UNVERIFIED_START, 1)[1].split(UNVERIFIED_END, 1)[0].strip("\n")
    assert listed == unverified_names_markdown(), "README's list of unverified names is stale: run make names-list"
    for entry in _entries():
        if entry.name_bn and not entry.bn_verified:
            assert f" — {entry.name_bn}\n" in listed + "\n", entry.name_bn
        if entry.bn_verified:
            assert f"— {entry.name_bn}\n" not in listed + "\n", entry.name_bn
    agencies = list(csv.DictReader((REFERENCE_DIR / "agencies.csv").open(encoding="utf-8")))
    for row in agencies:
        assert (f"- {row['agency']} — {row['name_bn']}\n" in listed + "\n") == (row["bn_verified"] != "true"), row


def test_the_list_of_unverified_names_follows_the_reference_data(monkeypatch):
    """A name marked verified leaves the list; the README's markers frame it."""
    import dataclasses

    from nsss_analysis.reference import names

    ref = load_reference()
    first = next(p for p in ref.programmes if p.name_bn and not p.bn_verified)
    assert f"- {first.programme} — {first.name_bn}" in names.unverified_names_markdown()
    verified = dataclasses.replace(first, bn_verified=True)
    changed = dataclasses.replace(ref, programmes=tuple(verified if p is first else p for p in ref.programmes))
    monkeypatch.setattr(names, "load_reference", lambda: changed)
    assert f"- {first.programme} — " not in names.unverified_names_markdown()
    readme = f"intro\n{names.UNVERIFIED_START}\nold list\n{names.UNVERIFIED_END}\n## Tests\n"
    rewritten = names.readme_with_unverified_names(readme)
    assert rewritten.startswith("intro\n") and rewritten.endswith(f"{names.UNVERIFIED_END}\n## Tests\n")
    assert "old list" not in rewritten and names.unverified_names_markdown() in rewritten


# --- the name resolver (reference/names.py) ------------------------------------------

from urllib.parse import urlparse  # noqa: E402

from nsss_analysis.reference.names import (  # noqa: E402
    _agencies,
    _districts,
    canonical_name,
    display_name,
    display_names,
    is_known,
)


def _urls(text):
    return re.findall(r"https?://[^\s)\"]+", text)


def test_every_bangla_name_source_is_a_government_page_never_a_blog_or_news_site():
    for entry in _entries():
        for url in _urls(entry.bn_source):
            assert urlparse(url).hostname.endswith(".gov.bd"), (entry.name_bn, url)


def test_the_reviews_corrections():
    by_code = REF.ministry_by_code
    assert by_code["MoS"].name_bn == "নৌপরিবহন মন্ত্রণালয়"
    assert match_ministry("নৌ-পরিবহন মন্ত্রণালয়").code == "MoS"  # the 1988 spelling reads back
    assert all("কর্মসূচী" not in p.name_bn for p in REF.programmes)
    stipend = {p.programme: p for p in REF.programmes}["Stipend for Students with Disabilities"]
    assert stipend.name_bn == "প্রতিবন্ধী শিক্ষার্থীদের জন্য শিক্ষা উপবৃত্তি"
    assert sum(bool(p.name_bn) for p in REF.programmes) == len(REF.programmes)


@pytest.mark.parametrize("programme", REF.programmes, ids=lambda p: p.programme)
def test_programme_names_are_aliases_both_ways(programme):
    assert display_name("programme", programme.programme, "bn") == programme.name_bn
    assert display_name("programme", programme.name_bn, "en") == programme.programme
    assert canonical_name("programme", programme.name_bn) == programme.programme
    assert canonical_name("programme", f"  {programme.programme.upper()} ") == programme.programme


def test_ministries_agencies_districts_and_regions_resolve_both_ways():
    for m in REF.ministries:
        assert display_name("ministry", m.name, "bn") == m.name_bn
        assert canonical_name("ministry", m.name_bn) == m.name
        assert display_name("agency", m.name, "bn") == m.name_bn
    for english, bangla in _agencies().values():
        assert display_name("agency", english, "bn") == bangla and canonical_name("agency", bangla) == english
    districts = set(_districts().values())
    assert len(districts) == 64 and all(BANGLA.search(bn) for _, bn in districts)
    for english, bangla in districts:
        assert display_name("district", english, "bn") == bangla and canonical_name("district", bangla) == english
    assert display_name("district", "Chittagong", "bn") == "চট্টগ্রাম"
    assert display_name("region", "Rangpur", "bn") == "রংপুর"


def test_a_cell_of_supporting_agencies_prints_each_in_the_pages_language():
    cell = "Local Government Division; Union Parishads, a2i; Save the Children"
    assert display_names("agency", cell, "bn") == ["স্থানীয় সরকার বিভাগ", "ইউনিয়ন পরিষদ", "এটুআই", "Save the Children"]
    assert display_names("agency", ["Health Services Division", "NGOs"], "bn") == [
        "স্বাস্থ্য সেবা বিভাগ", "বেসরকারি সংস্থা (এনজিও)"]
    assert display_names("agency", "ইউনিয়ন পরিষদ", "en") == ["Union Parishads"]
    assert not is_known("agency", "Save the Children") and is_known("agency", "UNICEF")


def test_unknown_names_come_back_as_the_form_wrote_them():
    assert display_name("programme", "  Pilot Cash Transfer ", "bn") == "Pilot Cash Transfer"
    assert canonical_name("programme", "নতুন কর্মসূচি") == "নতুন কর্মসূচি"
    assert display_name("district", None, "bn") == ""
    with pytest.raises(ValueError, match="unknown kind"):
        display_name("planet", "Mars", "bn")
