"""Print report pages to PDF with the system's headless Chromium (driven through
Playwright for Python; no browser is downloaded).

A4, the page stylesheet's print rules (page breaks before sections, repeated table
headers), and "Page n of N" in the footer. Without Chromium, one line says what to
install (exit 1).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from nsss_analysis.errors import NsssError
from nsss_analysis.io import atomic_path

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
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                page = browser.new_page()
                page.set_default_timeout(PRINT_TIMEOUT_MS)
                for html in paths:
                    page.goto(html.resolve().as_uri(), wait_until="load")
                    page.emulate_media(media="print")
                    target = pdf_path(html)
                    with atomic_path(target) as tmp:
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
