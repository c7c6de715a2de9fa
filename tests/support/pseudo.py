"""Reading a page rendered in the pseudo-locale ``en-XA``: every word the catalogue
gave it is accented and in brackets (``[Ƥŕöĝŕåɱɱé öñé]``), so a word outside any
bracket came from somewhere else: the data (names, file names, free text the forms
wrote), a code, or a string that bypassed the catalogue (the fault looked for)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nsss_analysis.config import REFERENCE_DIR

#: A run of Latin letters (a word, or words joined by spaces and light punctuation).
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:/&()+.]+[A-Za-z][A-Za-z'’-]*)*")
#: A code: capitals and digits (``MoSW-BRM``, ``GRAD``, ``WHO GRAS``), or a file name.
_CODE = re.compile(r"(?:[A-Z0-9][A-Za-z0-9]*[A-Z0-9]|[A-Z])(?:[-_ ][A-Z0-9][A-Za-z0-9]*)*")
#: A value of a vocabulary (``yes``, ``not_applicable``, ``old_age``): printed as it is, it
#: is a word that missed the catalogue, so it is not taken as data.
_VOCABULARY_CODE = re.compile(r"[a-z][a-z_]*")
_FILE = re.compile(r"[\w./-]+\.(?:xlsx|csv|json|html|ipynb|pdf|parquet)\b")


def outside_brackets(text: str) -> str:
    """``text`` with every bracketed part (nested ones too) blanked out."""
    out, depth = [], 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        out.append(ch if depth == 0 and ch not in "[]" else " ")
    return "".join(out)


def data_words(processed: Path) -> set[str]:
    """Every text cell of the processed tables and of the reference registers: names,
    file and sheet names, the forms' free text."""
    words: set[str] = set()
    frames = [pd.read_parquet(p) for p in processed.glob("*.parquet")]
    frames += [pd.read_csv(p, dtype=str) for p in processed.glob("*.csv")]
    frames += [pd.read_csv(p, dtype=str) for p in REFERENCE_DIR.glob("*.csv")]
    for df in frames:
        for column in df.columns:
            for value in df[column].dropna():
                if isinstance(value, str):
                    items = [value]
                elif isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
                    items = list(value)
                else:
                    continue
                for item in items:
                    if isinstance(item, str) and item.strip() and not _VOCABULARY_CODE.fullmatch(item.strip()):
                        words.add(item.strip())
                        words.update(p.strip() for p in re.split(r"[;,\n|]", item) if p.strip())
    return words


def unbracketed(html: Path, allowed: Iterable[str]) -> list[str]:
    """The runs of Latin words of a pseudo-locale page that are in no bracket and are
    neither one of ``allowed`` (names and text of the data), a code nor a file name;
    a ``<code>`` element (a command, a file's name) is not prose."""
    from bs4 import BeautifulSoup, Comment, Doctype

    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script", "head", "code"]):
        tag.decompose()
    for svg in soup.find_all("svg"):  # a figure's labels wrap over lines: read each figure as one text
        joined = ""
        for line in (str(t).strip() for t in svg.find_all(string=True)):
            if line:
                joined += line if joined.endswith("-") or not joined else " " + line
        svg.replace_with(joined)
    names = sorted({a for a in allowed if len(a) > 1}, key=len, reverse=True)
    found = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Doctype, Comment)):
            continue
        text = outside_brackets(str(node))
        for name in names:
            if name in text:
                text = re.sub(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", " ", text)
        text = _FILE.sub(" ", text)
        for run in _LATIN_RUN.finditer(text):
            words = run.group().strip(" ,;:/&()+.")
            if words and not _CODE.fullmatch(words):
                found.append(words)
    return found
