"""Reading rendered report pages: their visible text, and the pages of one language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path


def page_text(page: Path) -> str:
    """A rendered page's visible text (no style, no images or figures, entities decoded):
    a figure's words are checked in the figure (tests/test_figure_text.py)."""
    html = page.read_text(encoding="utf-8")
    visible = re.sub(r"<(style|script|svg)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", visible)))


@dataclass(frozen=True)
class Site:
    """Every report of the bundled data, rendered once for the run (tests/conftest.py,
    ``site``): ``out`` is the reports folder, ``entries`` its manifest's reports,
    ``processed`` the tables they were rendered from. Read only: a test that changes
    pages or reruns the runner copies ``out`` first."""

    out: Path
    entries: dict[str, dict]
    processed: Path

    def pages(self, language: str) -> dict[str, Path]:
        """Manifest key -> page, for the reports written in ``language``."""
        return {key: self.out / e["html"] for key, e in self.entries.items()
                if e.get("language", "en") == language}

    def report(self, kind: str, language: str = "en", code: str | None = None, name: str | None = None) -> dict:
        """The manifest entry of the one report of ``kind`` (and ministry ``code`` or
        cluster ``name``) in ``language``."""
        found = [e for e in self.entries.values()
                 if e.get("kind") == kind and e.get("language", "en") == language
                 and (code is None or e.get("ministry_code") == code) and (name is None or e.get("ministry") == name)]
        assert len(found) == 1, (kind, language, code, name, len(found))
        return found[0]
