"""Debian's headless Chromium for the tests that open the pages as a reader would
(skipped where it is not installed; ``.ci/run`` installs it). It starts as the runner
starts it (``runner.browser_fonts``): the system's fonts plus the shipped ones, so the
tests pass on a machine where fontconfig sees no font."""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import subprocess
from contextlib import ExitStack
from functools import cache
from pathlib import Path

from nsss_analysis.runner.browser_fonts import browser_font_env

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
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_CEILING, env=browser_env())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visible_text(dom: str) -> str:
    """The text of a dumped DOM, tags dropped, entities decoded, whitespace folded."""
    dom = re.sub(r"<(style|script)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


_FONT_ENVS = ExitStack()
atexit.register(_FONT_ENVS.close)


@cache
def _font_env(fontconfig_file: str) -> dict[str, str]:
    return _FONT_ENVS.enter_context(browser_font_env())


def browser_env() -> dict[str, str]:
    """The environment to start Chromium with (``env=`` of a Playwright launch): the
    runner's fonts over the fontconfig in force; its file lives until the tests end."""
    return dict(_font_env(os.environ.get("FONTCONFIG_FILE", "")))
