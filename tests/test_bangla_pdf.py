"""A Bangla page carries its fonts: printed on a machine where fontconfig sees no font
at all (no Bengali font, nor any other), its PDF embeds the shipped Noto Sans Bengali,
holds the headline's Bangla letters and says "পৃষ্ঠা n / N" in its footer; a page that
would print a box is refused, naming the font. Chromium starts with the shipped fonts
added to fontconfig's (``runner.browser_fonts``): without them it loads the page's own
fonts only now and then."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from nsss_analysis import config
from nsss_analysis.errors import NsssError
from nsss_analysis.report.fonts import PAGE_BENGALI_FAMILY, missing_page_glyphs, page_font_css
from nsss_analysis.runner import pdf
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports
from tests.support.pages import BENGALI_LETTER, bengali_skeleton
from tests.support.processed import report_args
from tests.support.site import copy_site, site_key

CHROMIUM = pdf.find_chromium()

#: fontconfig with no font folder: the system's fonts all hidden, as on a machine with
#: no fonts package (and so no Bengali font: an office PC without Nirmala UI, a fresh
#: Debian without fonts-noto-core).
NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def hide_system_fonts(folder, monkeypatch) -> None:
    """Point fontconfig at :data:`NO_FONTS` for this test (and the browsers it starts)."""
    conf = folder / "no-fonts.conf"
    conf.write_text(NO_FONTS.format(cache=folder / "fontconfig-cache"), encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    if shutil.which("fc-list"):
        seen = subprocess.run(["fc-list"], capture_output=True, text=True, check=True).stdout
        assert seen.strip() == "", "the test's fontconfig must hide every font"


def test_a_bangla_page_carries_its_fonts_inline():
    css = page_font_css()
    assert css.count("@font-face") == 4 and f'font-family: "{PAGE_BENGALI_FAMILY}"' in css
    assert "data:font/ttf;base64," in css and "url(\"file:" not in css  # inline: the page's CSP allows data: only


def test_a_character_no_page_font_has_is_refused_naming_the_font(tmp_path):
    assert missing_page_glyphs("বয়স্ক ভাতা ২০২৪-২৫ Old Age Allowance – 46% ≥ ৳") == []
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html lang="bn"><body><p>কর্মসূচি 中</p></body></html>', encoding="utf-8")
    with pytest.raises(NsssError, match=r"no glyph for '中' U\+4E2D in the page's fonts \(Noto Sans Bengali") as err:
        pdf.check_page_glyphs(page)
    assert "\n" not in str(err.value)


def test_a_footer_in_bangla_words_and_digits():
    html = pdf.footer_html(37, "bn")
    assert html.count('class="sheet"') == 37 and "পৃষ্ঠা ১ / ৩৭" in html and "পৃষ্ঠা ৩৭ / ৩৭" in html
    assert "Page" not in html.split("<body>", 1)[1]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_bangla_report_printed_with_no_system_font_at_all(tmp_path, monkeypatch, site):
    """``nsss reports --pdf`` over a copy of the session's site: the Bangla MoWCA page is
    there and lacks its PDF, which the run prints with every system font hidden."""
    pypdf = pytest.importorskip("pypdf")
    hide_system_fonts(tmp_path, monkeypatch)
    out = copy_site(site, tmp_path / "reports")
    assert run_reports(report_args(site.processed, out, config.NOTEBOOKS_DIR, ministry=["MoWCA"], workers=1,
                                   languages=("bn",), pdf=True)) == 0
    entry = read_manifest(out)["reports"][site_key(site, "MoWCA", "bn")]
    page = out / entry["html"]
    printed = page.with_suffix(".pdf")
    assert "NotoSansBengali-Regular" in pdf.pdf_fonts(printed)
    reader = pypdf.PdfReader(printed)
    pages = [p.extract_text() or "" for p in reader.pages]
    # the headline (the verdict) as the page states it, its Bangla letters all in the PDF
    from bs4 import BeautifulSoup

    verdict = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".nsss-verdict").get_text(" ")
    assert len(BENGALI_LETTER.findall(verdict)) > 20
    printed_text = bengali_skeleton(" ".join(pages).replace("\x00", ""))
    # every Bangla letter of the headline is in the PDF (a box or a missing font gives none)
    letters = {c for c in bengali_skeleton(verdict) if BENGALI_LETTER.match(c)}
    assert letters <= set(printed_text), letters - set(printed_text)
    # and its words: those without a conjunct or reph (whose text layer Chromium leaves out)
    words = [w for w in verdict.split() if BENGALI_LETTER.search(w) and "\u09cd" not in w]
    found = [w for w in words if bengali_skeleton(w).strip("।,;:()") in printed_text]
    assert len(words) >= 4 and len(found) >= 0.8 * len(words), sorted(set(words) - set(found))
    # the footer: Bangla word and digits on every page, no "Page 1 of"
    total = len(reader.pages)
    for number, text in enumerate(pages, start=1):
        digits = str(number).translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
        all_digits = str(total).translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
        # "পৃষ্ঠা ১ / ২৩": the conjunct ষ্ঠ has no text-layer letters in Chromium's PDF
        assert re.search(rf"প\S*\s+{digits} / {all_digits}", text), (number, text[-40:])
        assert "Page" not in text


# --- fontconfig that sees no font: the browser gets the shipped ones ---------------------
def test_the_browser_sees_the_system_fonts_and_the_shipped_ones(tmp_path, monkeypatch):
    from nsss_analysis.runner.browser_fonts import browser_font_env, current_fontconfig

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fc-list is not installed (fontconfig)")

    def families(env) -> set[str]:
        listed = subprocess.run([fc_list, "--format", "%{file}\n"], capture_output=True, text=True, check=True, env=env)
        return {line for line in listed.stdout.splitlines() if line}

    # the system as it is: its fonts all still there, the shipped ones added
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    system = families(None)
    with browser_font_env() as env:
        seen = families(env)
    assert system <= seen
    shipped = {f for f in seen if "/reference/fonts/" in f or "/mpl-data/fonts/ttf/" in f}
    assert any(f.endswith("NotoSansBengali-Regular.ttf") for f in shipped)
    assert any(f.endswith("DejaVuSans-Bold.ttf") for f in shipped)
    # a fontconfig that hides every font: only the shipped ones
    hide_system_fonts(tmp_path, monkeypatch)
    assert families(None) == set()
    with browser_font_env() as env:
        seen = families(env)
        assert env["FONTCONFIG_FILE"] != str(tmp_path / "no-fonts.conf")
    assert seen and all("/reference/fonts/" in f or "/mpl-data/fonts/ttf/" in f for f in seen)
    # a relative $FONTCONFIG_FILE is looked up in $FONTCONFIG_PATH, as fontconfig does
    assert current_fontconfig({"FONTCONFIG_FILE": "x.conf", "FONTCONFIG_PATH": str(tmp_path)}) == tmp_path / "x.conf"
    assert str(current_fontconfig({})) == "/etc/fonts/fonts.conf"


#: A small Bangla page (synthetic text) in the fonts it carries: bold heading and body,
#: Bangla and Latin letters in both weights.
SMALL_PAGE = ('<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><style>{css} body {{ font-family: {stack} }}'
              '</style></head><body><h1>বয়স্ক ভাতা কর্মসূচি Old Age Allowance</h1>'
              "<p>নারী ও পুরুষ উপকারভোগী (synthetic)</p></body></html>")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_bangla_page_prints_its_own_fonts_when_fontconfig_sees_no_font(tmp_path, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    from nsss_analysis.report.fonts import PAGE_FONT_STACK

    hide_system_fonts(tmp_path, monkeypatch)
    page = tmp_path / "small.html"
    page.write_text(SMALL_PAGE.format(css=page_font_css(), stack=PAGE_FONT_STACK), encoding="utf-8")
    # without the shipped fonts, Chromium loads the page's own fonts only now and then;
    # several prints in a row make an intermittent failure show
    for _ in range(3):
        (printed,) = pdf.print_pdfs([page])
        embedded = pdf.pdf_fonts(printed)
        assert {"NotoSansBengali-Regular", "NotoSansBengali-Bold", "DejaVuSans", "DejaVuSans-Bold"} <= embedded
        text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(printed).pages)
        assert "Old Age Allowance" in " ".join(text.split()) and "synthetic" in text
        assert "নারী ও পুরুষ" in text and re.search(r"প\S*\s+১ / ১", text)
