"""Debian's headless Chromium for the tests that open the pages as a reader would
(skipped where it is not installed; ``.ci/run`` installs it)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
#: A safety net only: Chromium prints a page in seconds; a hung browser fails the test
#: instead of the whole run.
CHROMIUM_CEILING = 900


def chromium(args: list[str], profile: Path) -> str:
    """Run headless Chromium with networking features off; return its stdout."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_CEILING)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visible_text(dom: str) -> str:
    """The text of a dumped DOM, tags dropped, entities decoded, whitespace folded."""
    dom = re.sub(r"<(style|script)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())
