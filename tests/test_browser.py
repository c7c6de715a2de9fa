"""The reports in a real browser: Debian's headless Chromium opens the index and one
ministry report (the real notebook over the bundled data, with a hostile programme
name added) from disk (file://, no network) and dumps the DOM it built.

Checks what a reader would see: the headline sentences and the figures (images
embedded as data URIs), links that lead to the reports, and no script element,
even with a programme named `<script>alert(1)</script>` in the data. Skipped when
`/usr/bin/chromium` is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from test_reports import HOSTILE, bundled_processed, inject_hostile, report_args

from nsss_analysis import config
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]


def chromium(args: list[str], profile: Path) -> str:
    """Run headless Chromium with networking features off; return its stdout."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visible_text(dom: str) -> str:
    """The text of a dumped DOM, tags dropped, entities decoded, whitespace folded."""
    dom = re.sub(r"<(style|script)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    processed = bundled_processed(base / "processed")
    code = str(pd.read_parquet(processed / "assessments.parquet")["ministry_code"].iloc[0])
    inject_hostile(processed, code)
    out = base / "reports"
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=[code], workers=1)) == 0
    return out, code, base


def test_index_and_report_render_headlines_and_figures_in_chromium(site):
    out, code, base = site
    manifest = read_manifest(out)
    (entry,) = manifest["reports"].values()
    assert entry["ministry_code"] == code and entry["sentences"]

    index_dom = chromium(["--dump-dom", (out / "index.html").as_uri()], base / "profile-index")
    index_text = visible_text(index_dom)
    assert "NSSS gender diagnostic reports" in index_text
    assert entry["ministry"] in index_text
    assert " ".join(entry["sentences"][0].split()) in index_text  # the headline, as the reader sees it
    hrefs = re.findall(r'<a[^>]+href="([^"]+)"', index_dom)
    assert hrefs and all((out / href).is_file() for href in hrefs)
    assert "<script" not in index_dom

    report = out / entry["html"]
    report_dom = chromium(["--dump-dom", report.as_uri()], base / "profile-report")
    report_text = visible_text(report_dom)
    for sentence in entry["sentences"][:2]:
        assert " ".join(sentence.split()) in report_text
    figures = re.findall(r'<img[^>]+src="data:image/png;base64,[A-Za-z0-9+/=]{200,}', report_dom)
    assert len(figures) >= 1
    assert HOSTILE in report_text  # the hostile name reads as text ...
    assert "<script" not in report_dom  # ... and is no element
    assert not re.search(r'<img[^>]+onerror', report_dom)

    shot = base / "report.png"
    chromium([f"--screenshot={shot}", "--window-size=1200,1600", report.as_uri()], base / "profile-shot")
    assert shot.stat().st_size > 10_000  # a page with content, not a blank
