"""A Bangla page is in Bangla: outside the kinds of text that stay in Latin letters
(codes in backticks, action ids, file and sheet names, the methods' own names, and names
the reference data knows no Bangla form of), fewer than 2% of a Bangla page's letters are
Latin, on the bundled data and on a generated variant. And no Bangla word takes the
hyphenated "-এর" that belongs after Latin text and digits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_honest_statements import TECHNICAL_NAMES, page_text

from nsss_analysis import config
from nsss_analysis.io import load_tables
from nsss_analysis.reference.names import is_known
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports
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
    or partner outside the catalogue), and sheet names: printed as given."""
    tables = load_tables(processed)
    names = {"Programmes", "Budget", "Assessment", "Instructions"}
    for column, kind in (("programme", "programme"), ("partner_agencies", "agency")):
        for value in tables.assessments[column].dropna():
            for part in (list(value) if not isinstance(value, str) else [value]):
                if not is_known(kind, part):
                    names.add(str(part))
    names |= set(tables.assessments["source_sheet"].dropna().astype(str))
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


def _bangla_pages(processed: Path, out: Path, ministries: list[str]) -> list[Path]:
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=ministries, workers=1,
                                   languages=("bn",))) == 0
    return [out / e["html"] for e in read_manifest(out)["reports"].values()]


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    from test_honest_statements import _processed

    from tools.synthetic.forms import generate

    raw = tmp_path_factory.mktemp("bangla-variant") / "raw"
    generate(raw, seed=7)
    return _processed(raw, raw.parent / "processed")


@pytest.mark.slow
@pytest.mark.parametrize("data", ["bundled", "variant"])
def test_bangla_pages_are_in_bangla(data, tmp_path, request):
    processed = copy_processed(request.getfixturevalue(data), tmp_path / "processed")  # a render locks it
    allowed = unknown_names(processed)
    pages = _bangla_pages(processed, tmp_path / "reports", ["MoSW", "MoDMR", "MoWCA"])
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        share, runs = latin_share(html, allowed)
        assert share < MAX_LATIN_SHARE, (page.name, f"{share:.1%}", sorted(set(runs))[:20])
        hyphenated = [page_text(page)[max(0, m.start() - 20):m.end()]
                      for m in HYPHENATED_GENITIVE.finditer(page_text(page))]
        assert hyphenated == [], (page.name, hyphenated[:5])
