"""The report page's own words and styles per language: a Bangla page numbers its
lists in Bangla digits; an English page is as it was."""

from __future__ import annotations

import nbformat

from nsss_analysis.report.method_note import method_note
from nsss_analysis.runner.html import render_html


def _notebook(markdown: str):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show.markdown_trusted(method_note())")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": markdown,
                                                                 "text/plain": "<Markdown>"})]
    nb.cells = [cell]
    return nb


def test_bangla_page_counts_the_method_notes_rules_in_bangla_digits():
    html, removed = render_html(_notebook(method_note("bn")), "পদ্ধতি", language="bn")
    assert removed == 0 and '<html lang="bn"' in html
    assert "list-style-type: bengali" in html
    assert "<h2>পদ্ধতি-সংক্রান্ত টীকা</h2>" in html and "<ol>" in html and "<th>ক্ষেত্র</th>" in html


def test_english_page_keeps_latin_list_numbers():
    html, _ = render_html(_notebook(method_note("en")), "Method", language="en")
    assert "list-style-type: bengali" not in html
    assert "<h2>Method note</h2>" in html and "<th>domain</th>" in html
