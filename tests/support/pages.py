"""Reading rendered report pages: their visible text, and the pages of one language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import unescape
from pathlib import Path


def page_text(page: Path) -> str:
    """A rendered page's visible text (no style, no images or figures, entities decoded):
    a figure's words are checked in the figure (tests/test_figure_text.py)."""
    html = page.read_text(encoding="utf-8")
    visible = re.sub(r"<(style|script|svg)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", visible)))


BENGALI_LETTER = re.compile(r"[\u0980-\u09ff]")
#: Vowel signs, virama, nukta, candrabindu ... and joiners: a PDF's text layer gives
#: them in visual order (``মিহলা`` for ``মহিলা``), so the PDF check compares what is left.
_BENGALI_MARKS = re.compile(r"[\u0981-\u0983\u09bc\u09be-\u09cd\u09d7\u200c\u200d]")


def bengali_skeleton(text: str) -> str:
    return " ".join(_BENGALI_MARKS.sub("", unicodedata.normalize("NFD", text)).split())


#: Names of methods and standards the method note cites, kept as their authors write them.
TECHNICAL_NAMES = ("WHO Gender Responsive Assessment Scale", "WHO GRAS", "IASC Gender with Age Marker",
                   "OECD DAC", "OECD-DAC", "PEFA", "Wilson", "GLM binomial", "OLS", "HC3", "statsmodels",
                   "proportion_confint(method", "proportion_confint", "Beta", "log10", "Noto Sans Bengali",
                   "nsss reports", "nsss explain")


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


@dataclass(frozen=True)
class HostileSite(Site):
    """Two ministries' reports of the bundled data (tests/conftest.py, ``hostile_site``):
    ``code`` is the one with a programme named ``<script>alert(1)</script>`` added."""

    code: str = ""
