"""Print report pages to PDF with the system's headless Chromium (driven through
Playwright for Python; no browser is downloaded).

A4, the page stylesheet's print rules (page breaks before sections, repeated table
headers), and "Page n of N" in the footer. Without Chromium, one line says what to
install (exit 1).

A Bangla page carries its fonts (``report.fonts.page_font_css``), so its PDF holds the
same glyphs on a machine with no Bengali font. Before printing, every character of the
page must have a glyph in those fonts, and after it the PDF must embed Noto Sans
Bengali: otherwise printing fails, naming the font, rather than writing boxes. Its
footer reads "পৃষ্ঠা ১ / ৩৭": Chromium numbers pages in Latin digits only, so the Bangla
footers are printed by Chromium on pages of their own (with the page's fonts) and laid
over the report's pages with pypdf.

Chromium starts with a fontconfig that adds the shipped fonts to the system's
(``runner.browser_fonts``): with no font visible to fontconfig at all, it would fail to
load the page's own fonts.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from nsss_analysis.errors import NsssError, UsageError
from nsss_analysis.io import atomic_path
from nsss_analysis.reference.i18n import N_, SOURCE_LANGUAGE, about_language, resolve_language, translator
from nsss_analysis.reference.numbers import localise_digits
from nsss_analysis.report.fonts import BENGALI_FAMILY, PAGE_FONT_STACK, missing_page_glyphs, page_font_css
from nsss_analysis.runner.browser_fonts import browser_font_env

if TYPE_CHECKING:  # Playwright is imported where a page is printed
    from playwright._impl._api_structures import PdfMargins

#: The executables a Debian/Ubuntu Chromium installs, in the order they are tried.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
#: What the message says to install when no Chromium is found.
INSTALL_HINT = "PDF needs Chromium: apt-get install chromium (and pip install playwright)"
#: Page margins: room for the footer's page number.
MARGINS: PdfMargins = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
#: The footer: page number of total, small and grey (Chromium fills the two spans).
FOOTER = ('<div style="font-size:8px;color:#555;width:100%;text-align:center;">'
          'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
#: A Bangla footer's words ("পৃষ্ঠা {page} / {pages}"), a message id.
FOOTER_WORDS = N_("Page {page} of {pages}")
#: What a Bangla PDF must embed (the font's PostScript name).
BENGALI_POSTSCRIPT = "NotoSansBengali"
#: Milliseconds a page may take to load and print before the run reports it failed.
PRINT_TIMEOUT_MS = 120_000


def find_chromium() -> str | None:
    """The path of the system's Chromium, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium to print with, checked before any report renders; else a one-line
    :class:`NsssError` saying what to install (exit 1)."""
    chromium = find_chromium()
    try:
        import playwright.sync_api  # noqa: F401 - only checking that it is installed
    except ImportError:
        raise NsssError(INSTALL_HINT) from None
    if chromium is None:
        raise NsssError(INSTALL_HINT)
    return chromium


def pdf_path(html: Path | str) -> Path:
    """``reports/<fy>/<slug>.pdf`` beside ``<slug>.html``."""
    return Path(html).with_suffix(".pdf")


def print_pdfs(pages: Iterable[Path | str]) -> list[Path]:
    """Print each HTML page to ``<slug>.pdf`` beside it (atomically); return the PDFs.

    One browser for all pages. Raises :class:`NsssError` (exit 1) when Chromium or
    Playwright is missing, or a page cannot be printed.
    """
    paths = [Path(p) for p in pages]
    if not paths:
        return []
    chromium = require_chromium()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    done: list[Path] = []
    try:
        with browser_font_env() as env, sync_playwright() as pw:
            launch_env: dict[str, str | float | bool] = dict(env)  # Playwright's type for it
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"], env=launch_env)
            try:
                page = browser.new_page()
                page.set_default_timeout(PRINT_TIMEOUT_MS)
                for html in paths:
                    language = page_language(html)
                    own_fonts = about_language(language).carries_fonts
                    if own_fonts:
                        check_page_glyphs(html)
                    page.goto(html.resolve().as_uri(), wait_until="load")
                    page.emulate_media(media="print")
                    if own_fonts:
                        check_fonts_loaded(page, html)
                    target = pdf_path(html)
                    with atomic_path(target) as tmp:
                        if own_fonts:  # Chromium's own footer cannot use a page's font: stamped on
                            page.pdf(path=str(tmp), format="A4", print_background=True, margin=MARGINS,
                                     prefer_css_page_size=True)
                            check_pdf_fonts(tmp, html)
                            _stamp_footers(browser, tmp, language)
                        else:
                            page.pdf(path=str(tmp), format="A4", print_background=True, margin=MARGINS,
                                     display_header_footer=True, header_template="<span></span>",
                                     footer_template=FOOTER, prefer_css_page_size=True)
                    done.append(target)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NsssError(f"PDF printing with {chromium} failed: {first}") from None
    return done


def page_language(html: Path) -> str:
    """The language of a page's ``<html lang>`` (the source language when it names none
    the house writes in)."""
    with open(html, encoding="utf-8", errors="replace") as f:
        head = f.read(4096)
    found = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z-]+)", head)
    if not found:
        return SOURCE_LANGUAGE
    try:
        return resolve_language(found.group(1))
    except UsageError:  # a language the house does not write in: printed as the source language is
        return SOURCE_LANGUAGE


def page_text(html: Path) -> str:
    """The text a page prints (no styles, scripts or images)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(Path(html).read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script", "img", "head"]):
        tag.decompose()
    return soup.get_text(" ")


def check_page_glyphs(html: Path) -> None:
    """A one-line :class:`NsssError` when the page prints a character that neither of
    its fonts (Noto Sans Bengali, DejaVu Sans) has: it would be a box in the PDF."""
    missing = missing_page_glyphs(page_text(html))
    if missing:
        chars = ", ".join(f"'{c}' U+{ord(c):04X}" for c in missing[:10])
        raise NsssError(f"{html}: no glyph for {chars} in the page's fonts ({BENGALI_FAMILY}, DejaVu Sans); "
                        "the PDF would print a box: not printed")


#: Asks the page for its own fonts once all have loaded: "family weight status" each.
_FONT_STATUS = ("document.fonts.ready.then(() => Promise.all([...document.fonts].map(f => f.load().catch(() => f))))"
                ".then(() => [...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.weight, f.status]))")


def check_fonts_loaded(page, html: Path) -> None:
    """Wait until the page's own fonts have loaded (printing before that would use
    whatever the system has); a one-line :class:`NsssError` naming a font that failed."""
    failed = [f"{family} {weight}" for family, weight, status in page.evaluate(_FONT_STATUS)
              if family.startswith("NSSS ") and status != "loaded"]
    if failed:
        raise NsssError(f"{html}: the page's font {', '.join(failed)} did not load; its text would print as "
                        "boxes: not printed")


def pdf_fonts(pdf: Path | str) -> set[str]:
    """The names of the fonts a PDF embeds (subset prefixes taken off)."""
    from pypdf import PdfReader

    names: set[str] = set()
    for pg in PdfReader(str(pdf)).pages:
        fonts = (pg.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", ""))
            for descendant in font.get("/DescendantFonts", []) or []:
                name = name or str(descendant.get_object().get("/BaseFont", ""))
            names.add(re.sub(r"^/?[A-Z]{6}\+", "", name.lstrip("/")))
    return names


def check_pdf_fonts(pdf: Path | str, html: Path) -> None:
    """A one-line :class:`NsssError` unless the Bangla page's PDF embeds Noto Sans Bengali
    (without it, every Bangla letter would be a box or a stranger's glyph)."""
    if not any(BENGALI_POSTSCRIPT in name for name in pdf_fonts(pdf)):
        raise NsssError(f"{html}: the PDF does not embed {BENGALI_FAMILY}; its Bangla text would print as boxes: "
                        "not printed")


def footer_html(pages: int, language: str) -> str:
    """A document of ``pages`` A4 pages, each holding only its footer ("পৃষ্ঠা ১ / ৩৭"),
    in the page's own fonts."""
    words = translator(language).gettext(FOOTER_WORDS)
    sheets = "".join(
        '<div class="sheet"><div class="footer">'
        + escape(words.format(page=localise_digits(str(n), language), pages=localise_digits(str(pages), language)))
        + "</div></div>"
        for n in range(1, pages + 1)
    )
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><style>{page_font_css()}'
            "@page { size: A4; margin: 0 } html, body { margin: 0; padding: 0 }"
            ".sheet { position: relative; width: 210mm; height: 297mm; page-break-after: always; overflow: hidden }"
            ".sheet:last-child { page-break-after: auto }"
            f".footer {{ position: absolute; bottom: 7mm; width: 100%; text-align: center; font-size: 8px; "
            f"color: #555; font-family: {PAGE_FONT_STACK} }}</style></head><body>{sheets}</body></html>")


def _stamp_footers(browser, pdf: Path, language: str) -> None:
    """Lay a footer ("পৃষ্ঠা n / N") over each page of ``pdf``, in place."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(pdf))
    count = len(reader.pages)
    footer_page = browser.new_page()
    try:
        footer_page.set_content(footer_html(count, language), wait_until="load")
        footers = PdfReader(_bytes_io(footer_page.pdf(format="A4", print_background=False,
                                                      margin={"top": "0", "bottom": "0", "left": "0", "right": "0"},
                                                      prefer_css_page_size=True)))
    finally:
        footer_page.close()
    writer = PdfWriter()
    for pg in reader.pages:
        writer.add_page(pg)
    for number, pg in enumerate(writer.pages):
        if number < len(footers.pages):
            pg.merge_page(footers.pages[number])
    with open(pdf, "wb") as f:
        writer.write(f)


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)
