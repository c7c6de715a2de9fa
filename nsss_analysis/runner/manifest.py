"""The manifest of rendered reports and the run's fingerprint.

``reports/manifest.json`` records, per report, its input hash, status and headline;
the fingerprint is one hash of every file a run reads (processed tables, notebooks,
the package) and of the request: when it matches the last complete run, the run
stops without loading pandas. Light on purpose: this is the fast path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sys
import sysconfig
from pathlib import Path

from nsss_analysis import __version__
from nsss_analysis.config import PACKAGE_DIR
from nsss_analysis.io import file_digest
from nsss_analysis.runner.request import ReportRequest

log = logging.getLogger("nsss.reports")

MANIFEST_FILE = "manifest.json"
INDEX_FILE = "index.html"


MANIFEST_VERSION = 1


# --- hashing ---------------------------------------------------------------------


def package_digest() -> str:
    """The package's own code, templates, reference data, translations (``.po``, ``.mo``)
    and fonts, its version, and the Python and library versions it runs on: a change to
    any of them can change every report. Every file below the package counts but
    ``__pycache__`` and hidden files (an editor's swap file)."""
    h = hashlib.sha256(__version__.encode())
    h.update(environment_digest().encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if path.is_file() and "__pycache__" not in relative.parts and not any(
                part.startswith(".") for part in relative.parts):
            h.update(relative.as_posix().encode())
            h.update(file_digest(path).encode())
    return h.hexdigest()


def environment_digest() -> str:
    """The Python version and every distribution installed in its environment, by the
    names of the ``*.dist-info`` folders in site-packages (name and version; nothing read
    or imported), whatever the working folder: a new matplotlib or pandas can draw or
    print a page differently."""
    installed: list[str] = []
    for folder in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        if Path(folder).is_dir():
            installed += sorted(p.name for p in Path(folder).iterdir() if p.suffix in {".dist-info", ".egg-info"})
    return hashlib.sha256("\n".join([sys.version, *installed]).encode()).hexdigest()


def run_fingerprint(request: ReportRequest, source: Path | None = None) -> str:
    """One hash of everything a run reads: the processed files, the notebooks, the
    package and the request. ``source`` is the processed generation the run reads
    (the processed folder resolved once). Reads bytes only (no pandas), so an unchanged scheduled
    run finishes in a fraction of a second."""
    h = hashlib.sha256()
    h.update(json.dumps(request.identity(), sort_keys=True).encode())
    h.update(package_digest().encode())
    for folder in (source or request.processed, request.notebooks):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith(".") and path.suffix in {".parquet", ".csv", ".ipynb"}:
                    h.update(path.name.encode())
                    h.update(file_digest(path).encode())
    return h.hexdigest()


# --- manifest, index, lock, log ------------------------------------------------------
def read_manifest(out: Path) -> dict:
    path = out / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": MANIFEST_VERSION, "reports": {}}
    except (OSError, ValueError):
        log.warning("%s is unreadable; every report will be rendered again", path)
        return {"version": MANIFEST_VERSION, "reports": {}}
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "reports": {}}
    manifest.setdefault("reports", {})
    return manifest


def _jsonable(value):
    """Plain JSON values: NaN becomes None, numpy scalars become Python numbers."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            value = str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def nothing_changed(manifest: dict, fingerprint: str, out: Path) -> bool:
    """Whether the last complete run had this fingerprint and left every file it made."""
    last = manifest.get("last_run") or {}
    if not last.get("fingerprint") or last["fingerprint"] != fingerprint:
        return False
    if not (out / INDEX_FILE).exists():
        return False
    entries = manifest.get("reports", {})
    return all(
        (out / f"{key}.ipynb").exists()
        and (out / f"{key}.html").exists()
        and entries.get(key, {}).get("status") == "ok"
        for key in last.get("reports", [])
    )

