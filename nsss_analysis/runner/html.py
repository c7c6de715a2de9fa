"""Executed notebooks to self-contained HTML: nbconvert with code hidden, images
embedded, nothing loaded from the network, and active content removed."""

from __future__ import annotations

import logging
import re
from html import escape as html_escape

from nsss_analysis.config import PACKAGE_DIR
from nsss_analysis.reference.i18n import about_language
from nsss_analysis.reference.languages import all_languages
from nsss_analysis.report.fonts import PAGE_FONT_STACK, page_font_css

TEMPLATES_DIR = PACKAGE_DIR / "runner" / "templates"


_EXPORTER = None


def _report_exporter_class():
    """nbconvert's HTMLExporter, with inline HTML in Markdown kept intact.

    With ``embed_images`` nbconvert parses each inline-HTML token of a Markdown cell
    on its own to embed images, which closes an opening tag at once: papermill's red
    "An Exception was encountered" marker would lose its style and link. Here only a
    token holding an ``<img`` goes through that.
    """
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class ReportRenderer(IPythonRenderer):
        def inline_html(self, html: str) -> str:
            if self.embed_images and "<img" not in html.lower():
                return super(IPythonRenderer, self).inline_html(html)
            return super().inline_html(html)

    class ReportExporter(HTMLExporter):
        def page_and_soup(self, nb, resources=None):
            """:meth:`~nbconvert.HTMLExporter.from_notebook_node` (nbconvert 7: the template, then
            its pass over the page: alt text for an image without one, ``tabindex`` on
            input and output areas), returning the parsed page as well as its text, so
            that the sanitiser walks the same tree instead of parsing the page again
            (a whole-page parse is most of the export's time)."""
            from bs4 import BeautifulSoup
            from nbconvert.exporters.templateexporter import TemplateExporter
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                     resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources)
            soup = BeautifulSoup(html, features="html.parser")
            for elem in soup.select("img:not([alt])"):
                elem.attrs["alt"] = "No description has been provided for this image"
            for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
                elem.attrs["tabindex"] = "0"
            for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
                elem.attrs["tabindex"] = "0"
            return str(soup), soup

        @pass_context
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = ReportRenderer(
                escape=False,
                attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

    return ReportExporter


def html_exporter():
    """The nbconvert exporter for reports (created once per process: its first load is slow)."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = _report_exporter_class()(
            template_name="lab",
            extra_template_paths=[str(TEMPLATES_DIR)],
            template_file="nsss_report.html.j2",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
            embed_images=True,
            # Nothing loaded from a CDN: the report must read the same offline.
            require_js_url="",
            mathjax_url="",
            mermaid_js_url="",
            mermaid_layout_elk_js_url="",
            jupyter_widgets_base_url="",
            widget_renderer_url="",
        )
        logging.getLogger("traitlets").setLevel(logging.ERROR)  # "missing alt text" noise
    return _EXPORTER


#: Elements a static report never needs; any found in an output is removed.
_ACTIVE_TAGS = ("script", "iframe", "object", "embed", "base", "frame", "frameset", "applet")


_RESOURCE_ATTRS = ("src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href")


#: Each language's own name, for the link to a report's page in that language.
AUTONYMS = {lang.code: lang.name for lang in all_languages()}


def language_links(alternates: dict[str, str]) -> str:
    """The links atop a page to the same report in the other languages (relative URLs
    the runner built; language names in their own script).

    >>> language_links({"bn": "bn/x.html"})
    '<nav class="nsss-languages"><a href="bn/x.html" hreflang="bn" lang="bn">বাংলা</a></nav>'
    """
    if not alternates:
        return ""
    links = " · ".join(
        f'<a href="{html_escape(href, quote=True)}" hreflang="{code}" lang="{code}">{AUTONYMS.get(code, code)}</a>'
        for code, href in alternates.items()
    )
    return f'<nav class="nsss-languages">{links}</nav>'


def render_html(nb, title: str, language: str = "en", alternates: dict[str, str] | None = None) -> tuple[str, int]:
    """The notebook as a self-contained HTML page with no code, and how many active
    elements had to be removed from its outputs.

    Outputs are the notebook author's to escape (form text is data); this is the
    safety net behind that: no script, no event handler, no ``javascript:`` URL and
    no resource fetched from the network survives, and the page's
    Content-Security-Policy forbids them anyway.
    """
    exporter = html_exporter()
    exporter.language_code = language  # <html lang="bn">: fonts, hyphenation, screen readers
    spoken = about_language(language)
    resources = {"metadata": {"name": title}, "nsss_language": language, "nsss_list_style": spoken.list_style}
    if spoken.carries_fonts:  # the page carries its fonts: it looks the same without a Bengali font
        resources["nsss_font_stack"] = PAGE_FONT_STACK
        resources["nsss_font_faces"] = page_font_css()
    html, soup = exporter.page_and_soup(nb, resources=resources)
    nav = language_links(alternates or {})
    if nav:
        html = _after_body(html, nav)
    removed = 0
    for tag in soup.find_all(_ACTIVE_TAGS):
        tag.decompose()
        removed += 1
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            value = tag.attrs[attr]
            text = " ".join(value) if isinstance(value, list) else str(value)
            lowered = re.sub(r"\s+", "", text).lower()
            if attr.lower().startswith("on"):
                del tag.attrs[attr]
                removed += 1
            elif attr.lower() in _RESOURCE_ATTRS and (
                lowered.startswith(("javascript:", "vbscript:"))
                or (tag.name != "a" and lowered.startswith(("http:", "https:", "//")))
            ):
                del tag.attrs[attr]
                removed += 1
        if tag.name == "link" and "href" not in tag.attrs:
            tag.decompose()
    if removed == 0:
        return html, 0
    return _after_body(str(soup), nav) if nav else str(soup), removed


def _after_body(html: str, markup: str) -> str:
    """``markup`` (the runner's own, escaped) put right after the page's ``<body>`` tag."""
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + markup, html, count=1)
