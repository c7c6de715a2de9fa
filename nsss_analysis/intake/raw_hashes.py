"""Which raw files the processed tables were cleaned from, by content: ``nsss clean``
records each file's SHA-256 in ``data/processed/raw_hashes.json``; ``nsss reports``
compares them with the raw folder now and warns in one line when they differ (the
reports would be built from tables that no longer match ``data/raw``). File times are
never used: a copy or a checkout changes them, not the content.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nsss_analysis.io import files_under

RAW_HASHES_FILE = "raw_hashes.json"
#: Read in blocks of this many bytes, so a large MIS extract is never held in memory.
BLOCK_BYTES = 1 << 20
#: The one-line warning of ``nsss reports``.
RAW_CHANGED = "data/raw changed since the last clean: run nsss build"


def _is_input(path: Path, raw_dir: Path) -> bool:
    rel = path.relative_to(raw_dir)
    return not any(part.startswith((".", "~$")) for part in rel.parts)


def raw_digests(raw_dir: Path | str) -> dict[str, str]:
    """SHA-256 of every file under ``raw_dir`` (hidden and lock files left out), by
    path relative to it with ``/``."""
    raw_dir = Path(raw_dir)
    out = {}
    for path in files_under(raw_dir):
        if not _is_input(path, raw_dir):
            continue
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(BLOCK_BYTES):
                h.update(block)
        out[path.relative_to(raw_dir).as_posix()] = h.hexdigest()
    return out


def raw_digests_json(raw_dir: Path | str) -> str:
    """What ``nsss clean`` writes to ``raw_hashes.json`` beside the processed tables.
    (No pandas here: ``nsss reports`` reads it on its fast path.)"""
    payload = {"raw_dir": str(Path(raw_dir).resolve()), "files": raw_digests(raw_dir)}
    return json.dumps(payload, indent=1, sort_keys=True)


def raw_changed(processed_dir: Path | str, raw_dir: Path | str | None = None) -> bool | None:
    """True when the raw folder's files differ (added, removed or changed content)
    from those the last clean recorded; None when nothing was recorded or the raw
    folder is gone (nothing to compare)."""
    try:
        recorded = json.loads((Path(processed_dir) / RAW_HASHES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    raw = Path(raw_dir) if raw_dir is not None else Path(recorded.get("raw_dir", ""))
    if not raw.is_dir():
        return None
    return raw_digests(raw) != recorded.get("files")
