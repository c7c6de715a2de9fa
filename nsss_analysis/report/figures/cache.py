"""Figures drawn once per build: a figure that is the same on several pages (the
national comparators and bands; the national overview of the latest fiscal year and of
all years when their data are the same) is drawn and saved once, then reused.

The key is a hash of what decides the figure: the figure function, its inputs (each
DataFrame by its content: values, index, columns and dtypes), the language, the
synthetic mark and the source of the figure code itself (a changed figure function is
a new key). What is kept is the figure's page markup (:func:`display.figure_html`)
and the claims it made in the page's ledger, which a reuse records again, so the
chart rules see the same claims on every page.

Two levels: a dictionary in the process (a warm kernel that renders several pages)
and, when ``NSSS_FIGURE_CACHE`` names a folder, one file per figure in it, shared by
the processes of a build (written atomically; a file that cannot be read is a miss).

>>> from nsss_analysis.report.figures import cache
>>> html = cache.figure_html(figures.levels_by_unit, national["level_shares"], "ministry",
...                          reading="...")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from nsss_analysis.io import atomic_path
from nsss_analysis.reference.i18n import current
from nsss_analysis.report import claims, display
from nsss_analysis.report.figures import style

#: The environment variable naming the build's figure folder (unset: the process only).
CACHE_ENV = "NSSS_FIGURE_CACHE"
#: Figures kept in the process at most (the oldest used are dropped first).
MEMORY_ITEMS = 64

_memory: OrderedDict[str, dict] = OrderedDict()
_stats = {"hits": 0, "misses": 0}


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the figure code's source (this package and the page helpers): a
    figure drawn by other code is never reused."""
    digest = hashlib.sha256()
    folder = Path(__file__).resolve().parent
    for path in sorted([*folder.glob("*.py"), Path(display.__file__).resolve()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _feed(digest, value: object) -> None:
    """Add ``value`` to ``digest`` by content (DataFrames and Series by their values,
    index, columns and dtypes; containers item by item; anything else by its repr)."""
    if isinstance(value, pd.DataFrame):
        digest.update(b"frame")
        digest.update(repr((list(map(str, value.columns)), [str(t) for t in value.dtypes], value.shape)).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError:  # cells that cannot be hashed (lists): their text
            digest.update(value.to_json(orient="split", default_handler=str).encode())
    elif isinstance(value, pd.Series):
        _feed(digest, value.to_frame())
    elif isinstance(value, (list, tuple)):
        digest.update(f"seq{len(value)}".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"map{len(value)}".encode())
        for k in sorted(value, key=str):
            _feed(digest, k)
            _feed(digest, value[k])
    else:
        digest.update(repr(value).encode())
    digest.update(b"\0")


def figure_key(build: Callable[..., Figure], args: tuple, kwargs: dict, reading: str | None) -> str:
    """The content hash that names a figure: function, inputs, reading, language,
    synthetic mark and code version."""
    digest = hashlib.sha256()
    for part in (f"{build.__module__}.{build.__qualname__}", current().language, style._mark["text"],
                 code_version(), reading):
        _feed(digest, part)
    _feed(digest, list(args))
    _feed(digest, dict(kwargs))
    return digest.hexdigest()


def _folder() -> Path | None:
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value) if value else None


def _read(key: str) -> dict | None:
    if key in _memory:
        _memory.move_to_end(key)
        return _memory[key]
    folder = _folder()
    if folder is None:
        return None
    try:
        found = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or "html" not in found:
        return None
    _remember(key, found)
    return found


def _remember(key: str, entry: dict) -> None:
    _memory[key] = entry
    _memory.move_to_end(key)
    while len(_memory) > MEMORY_ITEMS:
        _memory.popitem(last=False)


def _write(key: str, entry: dict) -> None:
    _remember(key, entry)
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(folder / f"{key}.json") as tmp:
            Path(tmp).write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a folder that cannot be written: the figure is still on the page


def figure_html(build: Callable[..., Figure], *args: object, reading: str | None = None,
                **kwargs: object) -> str:
    """``display.figure_html(build(*args, **kwargs), reading)``, drawn only the first
    time these inputs are seen in this language; a reuse records the figure's claims
    in the current page's ledger again."""
    key = figure_key(build, args, kwargs, reading)
    entry = _read(key)
    if entry is not None:
        _stats["hits"] += 1
        ledger = claims.current()
        if ledger is not None:
            for claim in entry.get("claims", []):
                ledger.add(claims.Claim.from_dict(claim))
        return str(entry["html"])
    _stats["misses"] += 1
    ledger = claims.current()
    before = len(ledger.claims) if ledger is not None else 0
    html = display.figure_html(build(*args, **kwargs), reading)
    made = [c.as_dict() for c in ledger.claims[before:]] if ledger is not None else []
    _write(key, {"html": html, "claims": made})
    return html


def figure(build: Callable[..., Figure], *args: object, reading: str | None = None, **kwargs: object):
    """:func:`figure_html` as a notebook output."""
    from IPython.display import HTML

    return HTML(figure_html(build, *args, reading=reading, **kwargs))


def stats() -> dict[str, int]:
    """Hits and misses in this process (for tests and the build's log)."""
    return dict(_stats)


def clear() -> None:
    """Forget the figures kept in this process (the folder's files stay)."""
    _memory.clear()
    _stats.update(hits=0, misses=0)
