"""A Bangla page is in Bangla: outside the kinds of text that stay in Latin letters
(codes in backticks, action ids, file and sheet names, the methods' own names, and names
the reference data knows no Bangla form of), fewer than 2% of a Bangla page's letters are
Latin, on every Bangla page of the bundled data (the run's ``site``: ministries, clusters,
the national overview, the national action plan and the index) and on a generated
variant. And the hyphenated genitive "-এর" stands only after a number ("১০০-এর মধ্যে",
"১%-এর কম", as Bangla writes numerals) or a name the form wrote in Latin letters that the
reference data has no Bangla form of: never after a Bangla word, a code, an abbreviation
(GRAS), a quotation or a bracket; those sentences say it another way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nsss_analysis import config
from nsss_analysis.io import load_tables
from nsss_analysis.reference.names import is_known
from nsss_analysis.runner.html import AUTONYMS
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports
from tests.support.pages import TECHNICAL_NAMES, page_text
from tests.support.processed import copy_processed, report_args

#: The most Latin letters a Bangla page may hold, as a share of its letters.
MAX_LATIN_SHARE = 0.02
LATIN = re.compile(r"[A-Za-z]")
BANGLA = re.compile(r"[\u0985-\u09b9\u09dc-\u09df\u09ce]")  # Bangla letters (no signs, no digits)
#: Kinds of text kept in Latin letters on a Bangla page.
ALLOWED_PATTERNS = (
    re.compile(r"<code>.*?</code>", re.DOTALL),  # codes in backticks
    re.compile(r"\b[A-Za-z]{2,8}-[A-Z0-9]{6}-[A-Z]{2,5}\b"),  # action ids (MoSW-BRM6H5-EMPA)
    re.compile(r"[\w.()\- ]*\.(?:xlsx|xls|csv|parquet|ipynb|pdf|html)\b"),  # file names
)
#: A Bangla word (letters, signs) followed by the hyphenated genitive.
HYPHENATED_GENITIVE = re.compile(r"[\u0985-\u09b9\u09bc-\u09cd\u09d7\u09dc-\u09df]-এর")
#: Every hyphenated genitive, with what stands before it.
ANY_HYPHENATED_GENITIVE = re.compile(r"(\S*)-এর")
#: What may stand before "-এর": a number (Bangla or Latin digits, a percentage).
NUMBER_BEFORE = re.compile(r"[0-9০-৯%]$")


def misplaced_genitives(text: str, allowed_names: set[str] = frozenset()) -> list[str]:
    """Each "-এর" of ``text`` (with the words before it) that follows neither a number
    nor one of ``allowed_names`` (names the forms wrote, with no known Bangla form)."""
    found = []
    for m in ANY_HYPHENATED_GENITIVE.finditer(text):
        before = text[:m.start(0) + len(m.group(1))]
        if NUMBER_BEFORE.search(m.group(1)) or any(n and before.endswith(n) for n in allowed_names):
            continue
        found.append(" ".join(text[max(0, m.start() - 30):m.end()].split()))
    return found


def latin_share(html: str, allowed_names: set[str] = frozenset()) -> tuple[float, list[str]]:
    """(share of Latin letters among the page's letters, the Latin runs counted) once the
    allowed kinds are taken out. ``allowed_names``: text printed as the forms gave it
    (names with no known Bangla form, sheet names)."""
    for pattern in ALLOWED_PATTERNS[:1]:
        html = pattern.sub(" ", html)
    text = page_text_of(html)
    for pattern in ALLOWED_PATTERNS[1:]:
        text = pattern.sub(" ", text)
    names = sorted({n for n in (*allowed_names, *TECHNICAL_NAMES) if n and n.strip()}, key=len, reverse=True)
    if names:
        text = re.sub("|".join(re.escape(n) for n in names), " ", text)
    latin, bangla = len(LATIN.findall(text)), len(BANGLA.findall(text))
    runs = re.findall(r"[A-Za-z][\w'’.-]*(?:[ ,;:/()&]+[A-Za-z][\w'’.-]*)*", text)
    return (latin / (latin + bangla) if latin + bangla else 0.0), runs


def page_text_of(html: str) -> str:
    visible = re.sub(r"<(style|script|svg)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)  # figures: their own test
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", visible)))


def unknown_names(processed: Path) -> set[str]:
    """What the forms wrote that the reference data has no Bangla form of (a programme
    or partner outside the catalogue), and sheet and file names (of the forms and of the
    returned action plans the index's tracker lists): printed as given."""
    tables = load_tables(processed)
    names = {"Programmes", "Budget", "Assessment", "Instructions"}
    names |= set(AUTONYMS.values())  # a link to a page in another language names it in that language
    for column, kind in (("programme", "programme"), ("partner_agencies", "agency")):
        for value in tables.assessments[column].dropna():
            for part in (list(value) if not isinstance(value, str) else [value]):
                if not is_known(kind, part):
                    names.add(str(part))
    names |= set(tables.assessments["source_sheet"].dropna().astype(str))
    files = set(tables.assessments["source_file"].dropna().astype(str))
    progress = getattr(tables, "action_progress", None)
    if progress is not None and "source_file" in progress.columns:
        files |= set(progress["source_file"].dropna().astype(str))
    names |= files | {f.rsplit("/", 1)[0] + "/" for f in files if "/" in f}  # the folder before a file's name
    if tables.quarantine is not None:
        names |= set(tables.quarantine["value"].dropna().astype(str))
    return names


def test_the_share_counts_letters_outside_the_allowed_kinds():
    page = ("<p>বয়স্ক ভাতা: <code>empowerment_objective</code> MoSW-BRM6H5-EMPA "
            "MoSW_gender_assessment_2023-24.xlsx WHO GRAS</p>")
    share, runs = latin_share(page)
    assert share == 0.0 and runs == []
    share, runs = latin_share("<p>বয়স্ক ভাতা Old Age Allowance</p>")
    assert share > 0.5 and runs == ["Old Age Allowance"]
    assert latin_share("<p>বয়স্ক ভাতা Old Age Allowance</p>", {"Old Age Allowance"})[0] == 0.0


def test_the_hyphenated_genitive_is_found_after_bangla_words_only():
    assert HYPHENATED_GENITIVE.search("সমাজকল্যাণ মন্ত্রণালয়-এর")
    assert not HYPHENATED_GENITIVE.search("১০০-এর মধ্যে; MoSW-এর; (এনজিও)-এর")


def test_a_hyphenated_genitive_is_misplaced_unless_after_a_number_or_a_name_as_written():
    text = ("সম্পূর্ণতা ০.৫-এর কম; ১%-এর কম; 2023-এর; GRAS-এর স্তর; `gender_indicators`-এর মধ্যে; "
            "\"জেন্ডার-নির্দিষ্ট\"-এর; এনএসএসএস (২০১৫)-এর; এনএসএসএস-এর; Bede community-এর")
    found = misplaced_genitives(text, {"Bede community"})
    assert [f.rsplit(" ", 1)[-1] for f in found] == ["GRAS-এর", "`gender_indicators`-এর", "\"জেন্ডার-নির্দিষ্ট\"-এর",
                                                    "(২০১৫)-এর", "এনএসএসএস-এর"]
    assert len(misplaced_genitives(text)) == len(found) + 1  # the form's name counts once not allowed


def _bangla_pages(processed: Path, out: Path, ministries: list[str]) -> list[Path]:
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=ministries, workers=1,
                                   languages=("bn",))) == 0
    return [out / e["html"] for e in read_manifest(out)["reports"].values()]


def assert_in_bangla(pages: list[Path], allowed: set[str]) -> None:
    """Every page under 2% Latin letters, and no misplaced "-এর"."""
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        share, runs = latin_share(html, allowed)
        assert share < MAX_LATIN_SHARE, (page.name, f"{share:.1%}", sorted(set(runs))[:20])
        misplaced = misplaced_genitives(page_text(page), allowed)
        assert misplaced == [], (page.name, misplaced[:5])


@pytest.mark.slow
def test_every_bangla_page_of_the_bundled_data_is_in_bangla(site):
    pages = sorted(site.pages("bn").values()) + [site.out / "index.bn.html"]
    kinds = {e.get("kind") for e in site.entries.values() if e.get("language") == "bn"}
    assert {"ministry", "cluster", "national"} <= kinds and (site.out / "index.bn.html").is_file()
    assert_in_bangla(pages, unknown_names(site.processed))


@pytest.mark.slow
def test_bangla_pages_of_a_generated_variant_are_in_bangla(seed7, tmp_path):
    """Another seed of the generator (the session's ``seed7``), rendered here in Bangla only."""
    processed = copy_processed(seed7, tmp_path / "processed")  # a render locks it
    assert_in_bangla(_bangla_pages(processed, tmp_path / "reports", ["MoSW", "MoDMR", "MoWCA"]),
                     unknown_names(processed))
