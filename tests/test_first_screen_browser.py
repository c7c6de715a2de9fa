"""The first screen on a phone: Debian's Chromium (driven by Playwright) opens a
ministry page, a small ministry's page, a cluster page and the national overview (from
the session's ``site``) in English and Bangla at 412 x 915 CSS px, and the top of "What we ask of you" is within the first 900 px; no
figure's smallest text renders below 11 CSS px (each SVG text's font size times the
scale the browser draws it at); the page itself never
scrolls sideways. That each figure also fits its frame's width without scrolling is
measured too, and still fails (marked so): no narrow rendition is drawn yet. Skipped when Chromium is not installed (`.ci/run` installs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]

#: A ministry with many programmes (stacked bar), a small one (a row per programme).
MINISTRIES = ("MoSW", "FD")
CLUSTER_PAGE = "cluster-social-allowance"

MEASURE = """() => {
  const ask = document.querySelector('.nsss-ask-heading');
  // each figure's smallest text as drawn: an SVG text's font size times the scale it is
  // drawn at (its screen matrix: the figure's viewBox against its rendered width)
  const figures = [...document.querySelectorAll('svg.nsss-figure')].map(svg => {
      const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
          const m = t.getScreenCTM();
          return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      });
      return {px: Math.min(...sizes), texts: sizes.length};
  });
  // each figure's frame: wider content than the frame shows scrolls sideways
  const frames = [...document.querySelectorAll('.nsss-figure-frame')].map(f => ({
      scroll: f.scrollWidth, client: f.clientWidth,
      title: (f.querySelector('title') || {}).textContent || ''}));
  return {ask: ask ? ask.getBoundingClientRect().top + window.scrollY : null, figures, frames,
          pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Path]:
    """The pages of the session's site: the ministries' in both languages (``bn/`` before
    a Bangla one) and the Social Allowance cluster's (``en/`` or ``bn/`` before it)."""
    found = {}
    for code in MINISTRIES:
        for language in ("en", "bn"):
            page = site.out / site.report("ministry", language, code=code)["html"]
            found[page.stem if language == "en" else f"bn/{page.stem}"] = page
    for language in ("en", "bn"):
        page = site.out / site.report("cluster", language, name="Social Allowance")["html"]
        assert page.stem == CLUSTER_PAGE, page
        found[f"{language}/{CLUSTER_PAGE}"] = page
    return found


def _open(browser, page: Path) -> dict:
    """What :data:`MEASURE` finds on ``page`` at 412 x 915 CSS px, in the worker's shared
    Chromium (the session's ``browser``)."""

    def measure(chromium) -> dict:
        tab = chromium.new_page(viewport={"width": 412, "height": 915})
        try:
            tab.goto(page.as_uri())
            tab.wait_for_load_state("load")
            return tab.evaluate(MEASURE)
        finally:
            tab.close()

    return browser.run(measure)


@pytest.fixture(scope="module")
def seen(pages, browser) -> dict[str, dict]:
    """What each page of :func:`pages` measures at 412 px, opened once."""
    wanted = [k for k in pages if any(k.split("/")[-1].startswith(m.lower() + "-") for m in MINISTRIES)]
    assert len(wanted) == 2 * len(MINISTRIES), sorted(pages)  # both languages
    wanted += [f"en/{CLUSTER_PAGE}", f"bn/{CLUSTER_PAGE}"]
    return {key: _open(browser, pages[key]) for key in wanted}


def test_the_ask_is_on_the_first_screen_and_figures_read_at_412_px(seen):
    for key, measured in seen.items():
        assert measured["ask"] is not None and measured["ask"] <= 900, (key, measured["ask"])
        assert measured["pageWidth"] <= 412, (key, measured["pageWidth"])
        for fig in measured["figures"]:
            assert fig["texts"] and fig["px"] >= 11 - 1e-6, (key, fig)


@pytest.mark.xfail(strict=True, reason="issue #22: a figure keeps its text at 11 px by a least width wider than a "
                   "phone (it scrolls sideways in its frame); no narrow rendition is drawn yet")
def test_at_412_px_every_figure_fits_its_frame_without_scrolling(seen):
    """A reader should not scroll or zoom to read a figure: at 412 px each figure fits
    the width of its frame (and its text stays at 11 px or more, above)."""
    scrolled = [(key, frame["title"][:60], frame["scroll"], frame["client"])
                for key, measured in seen.items() for frame in measured["frames"]
                if frame["scroll"] > frame["client"] + 1]
    assert sum(len(m["frames"]) for m in seen.values()), "no figure measured"
    assert not scrolled, scrolled


@pytest.mark.parametrize("language", ["en", "bn"])
def test_the_national_overview_opens_with_its_verdict_levels_and_asks(site, browser, language):
    page = site.out / site.report("national", language)["html"]
    seen = _open(browser, page)
    assert seen["ask"] is not None and seen["ask"] <= 900, (language, seen["ask"])
    assert seen["pageWidth"] <= 412, (language, seen["pageWidth"])
    assert seen["figures"]  # the national overview has figures, drawn as SVG
    for fig in seen["figures"]:
        assert fig["texts"] and fig["px"] >= 11 - 1e-6, (language, fig)
    html = page.read_text(encoding="utf-8")
    first = html[html.index('class="nsss-first-screen"'):]
    first = first[: first.index("</section></section>")]
    # the three parts, in order: the verdict, the levels, the asks (with the plan's link)
    assert first.index("nsss-verdict") < first.index("nsss-levels") < first.index("nsss-ask-heading")
    assert 'href="nsss-gender-action-plan.html"' in first
    assert "%" not in first.split("nsss-ask-heading")[0]  # counts, not percentages, before the asks
