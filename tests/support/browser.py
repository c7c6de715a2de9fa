"""Debian's headless Chromium for the tests that open the pages as a reader would
(skipped where it is not installed; ``.ci/run`` installs it). It starts as the runner
starts it (``runner.browser_fonts``): the system's fonts plus the shipped ones, so the
tests pass on a machine where fontconfig sees no font.

The tests that drive it through Playwright share one browser per pytest worker
(:class:`Browser`, the session fixture ``browser`` in tests/conftest.py): each opens its
pages in it instead of starting a Chromium of its own. Playwright's sync API marks the
thread it runs in as running an event loop, which would break the kernels and notebooks
other tests of the worker run (``asyncio.run``), so the shared browser lives in a thread
of its own and a test hands it a function to run there.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

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


T = TypeVar("T")


class Browser:
    """One headless Chromium (Playwright) for every test of a worker, started at the
    first :meth:`run` in a thread of its own, with the runner's fonts (:func:`browser_env`)."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright: Any = None
        self._browser: Any = None

    def _started(self) -> Any:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"],
                                                             env=browser_env())
        return self._browser

    def run(self, check: Callable[[Any], T]) -> T:
        """``check(browser)`` in the browser's thread (a Playwright ``Browser``: open pages
        with ``browser.new_page(...)`` and close them); its result, or its exception."""
        return self._thread.submit(lambda: check(self._started())).result()

    def close(self) -> None:
        def stop() -> None:
            if self._browser is not None:
                self._browser.close()
                self._playwright.stop()

        self._thread.submit(stop).result()
        self._thread.shutdown()
