"""The HTML export parses each page once (issue #21): the runner's exporter does
nbconvert's own pass over the page (alt text, ``tabindex``) and hands the parsed tree to
the sanitiser, instead of nbconvert parsing the page and the sanitiser parsing it again.
These tests hold the page to what nbconvert's ``HTMLExporter.from_notebook_node`` gives
(so a new nbconvert that changes that pass is caught), for a clean page and for one
whose outputs need cleaning, in both languages."""

from __future__ import annotations

import copy

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from nsss_analysis.runner import html as html_module
from nsss_analysis.runner.html import render_html

PNG_1PX = (  # a 1-pixel PNG, synthetic
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _notebook(hostile: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("hidden_source = 1", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>৫০% of <b>programmes</b></p>"
                                                     "<svg><text>figure</text></svg>"}),
    ]
    if hostile:
        cell.outputs.append(nbformat.v4.new_output("display_data", data={"text/html": (
            "<script>alert(1)</script><img src=x onerror=alert(2)><a href='javascript:alert(3)'>x</a>")}))
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nSome <em>inline</em> text."), cell]
    return nb


def _nbconvert_way(self, nb, resources=None):
    html, _ = HTMLExporter.from_notebook_node(self, nb, resources=resources)
    return html, BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("hostile", [False, True])
@pytest.mark.parametrize("language", ["en", "bn"])
def test_one_parse_gives_the_page_nbconverts_export_gives(monkeypatch, hostile, language):
    alternates = {"en" if language == "bn" else "bn": "../x.html"}
    nb = _notebook(hostile)
    ours = render_html(copy.deepcopy(nb), "A page", language, alternates)
    monkeypatch.setattr(type(html_module.html_exporter()), "page_and_soup", _nbconvert_way)
    theirs = render_html(copy.deepcopy(nb), "A page", language, alternates)
    assert ours == theirs
    page, removed = ours
    assert (removed > 0) == hostile
    assert "tabindex=\"0\"" in page and 'alt="No description has been provided for this image"' in page
    assert page.count('<nav class="nsss-languages">') == 1
    assert page.index("<body") < page.index('<nav class="nsss-languages">')
    assert "hidden_source" not in page and "<script" not in page and "onerror" not in page
