"""English pages in words, not codes: no snake_case code of the data (an item, stage,
group, column or answer as the tables store it) outside backticks (``<code>``), and
counts and possessives as English writes them ("1 programme", "Affairs'"), on every
English page of the session's ``site`` and on a generated variant (synthetic data,
another seed), with the unit tests of the places that used to print codes.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from nsss_analysis import config
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports
from tests.support.processed import copy_processed, report_args

#: A code as the data store it: lower case words joined by underscores.
SNAKE_CASE = re.compile(r"(?<![\w./\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.-])")
#: Counts and possessives English does not write.
BAD_ENGLISH = {
    "possessive after s": re.compile(r"\b\w+s's\b"),
    "one with a plural noun": re.compile(
        r"(?<![\d.,])\b1 (?:programmes|clusters|ministries|actions|items|forms|rows|units|answers)\b"),
    "one with a plural verb": re.compile(r"(?<![\d.,])\b1 (?:lie|have|are|were)\b"),
    "none of none": re.compile(r"\bin 0 of \d+ \w+ none\b"),
}


def visible_text(html: str) -> str:
    """A page's text outside code: no style, script, image or ``<code>`` element."""
    html = re.sub(r"<(style|script|code)\b[^>]*>.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<img\b[^>]*>", " ", html, flags=re.I)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def form_words(processed: Path) -> set[str]:
    """Snake-case words a ministry wrote itself (names, remarks, quarantined values,
    file names): data, shown as given."""
    found: set[str] = set()
    for name in ("assessments", "budgets", "quarantine"):
        for path in (processed / f"{name}.parquet", processed / f"{name}.csv"):
            if not path.is_file():
                continue
            df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype="str")
            for column in df.columns:
                if column in ("programme", "remarks", "value", "source_file", "target_groups_other",
                              "partner_agencies", "ministry"):
                    found |= set(SNAKE_CASE.findall(" ".join(map(str, df[column].dropna().tolist()))))
    return found


def problems(page: Path, allowed: set[str]) -> list[str]:
    text = visible_text(page.read_text(encoding="utf-8"))
    out = [f"code {m.group()!r}: …{text[max(0, m.start() - 60):m.end() + 30]}…"
           for m in SNAKE_CASE.finditer(text) if m.group() not in allowed]
    for what, pattern in BAD_ENGLISH.items():
        out += [f"{what}: …{text[max(0, m.start() - 60):m.end() + 30]}…" for m in pattern.finditer(text)]
    return out


def assert_in_words(pages: list[Path], allowed: set[str]) -> None:
    assert pages
    found = {page.name: problems(page, allowed) for page in pages}
    found = {name: p[:5] for name, p in found.items() if p}
    assert not found, found


def test_the_scan_finds_codes_outside_backticks_and_bad_counts(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>women_working_age a life-cycle stage; <code>sex_disaggregated_data</code> "
                    "Ministry of Liberation War Affairs's 1 programmes; 1 lie above it</p>"
                    "<style>.a_b {}</style><img alt='x_y'>", encoding="utf-8")
    found = problems(page, set())
    assert [f.split(":")[0] for f in found] == ["code 'women_working_age'", "possessive after s",
                                                "one with a plural noun", "one with a plural verb"]
    assert problems(page, {"women_working_age"})[0].startswith("possessive")


@pytest.mark.slow
def test_every_english_page_of_the_bundled_data_is_in_words(site):
    pages = sorted(site.pages("en").values()) + [site.out / "index.html"]
    kinds = {e.get("kind") for e in site.entries.values() if e.get("language", "en") == "en"}
    assert {"ministry", "cluster", "national"} <= kinds
    assert_in_words(pages, form_words(site.processed))


@pytest.mark.slow
def test_english_pages_of_a_generated_variant_are_in_words(seed7, tmp_path):
    """Another seed of the generator (the session's ``seed7``, which the Bangla pages'
    test renders in Bangla), rendered here in English only."""
    processed = copy_processed(seed7, tmp_path / "processed")  # a render locks it
    out = tmp_path / "reports"
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=["MoSW", "MoDMR", "LGD", "MoLWA"],
                                   workers=1, languages=("en",))) == 0
    pages = [out / e["html"] for e in read_manifest(out)["reports"].values()] + [out / "index.html"]
    assert_in_words(pages, form_words(processed))


# --- the places that printed codes -------------------------------------------------------

def test_a_quarantined_cell_and_a_conflict_name_the_column_in_words():
    from nsss_analysis.report.card_quality import _column_name

    assert _column_name("gender_analysis") == "Gender analysis"
    assert "_" not in _column_name("start_fy") and _column_name("start_fy")
    assert _column_name("empowerment_objective") == "Empowerment objective"
    assert _column_name(None) == "(row)"


def test_trend_changes_name_items_and_answers_in_words():
    from nsss_analysis.diagnostics.trends import AnswerChange
    from nsss_analysis.report.sections import _changes_in_words

    changes = (AnswerChange("sex_disaggregated_data", "partly", "yes"), AnswerChange("graduation", "no", "partly"))
    assert _changes_in_words(changes) == (
        "Sex-disaggregated data: partly → yes; Graduation planned: no → partly")


def test_the_unknown_sentence_counts_one_programme_in_the_singular():
    from nsss_analysis.report.headline_text import unknown_sentence

    one = unknown_sentence({"unknown_said": True, "n_programmes": 1, "n_unknown": 3, "n_answers": 10,
                            "k_if_unknown_no": 0, "k_if_unknown_yes": 1})
    assert "0 of 1 programme would be" in one
    many = unknown_sentence({"unknown_said": True, "n_programmes": 4, "n_unknown": 9, "n_answers": 40,
                             "k_if_unknown_no": 1, "k_if_unknown_yes": 3})
    assert "1 of 4 programmes would be" in many
