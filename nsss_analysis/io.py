"""Reading and writing the processed tables: atomic writes, formula-safe CSV.

Every file the workbench writes goes through here, so that an interrupted run
leaves the last good outputs intact (write to a temporary file in the same folder,
then ``os.replace``) and text from forms can never become a spreadsheet formula.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nsss_analysis.config import PROCESSED_DIR, TABLES
from nsss_analysis.errors import NsssError

if TYPE_CHECKING:  # pandas is imported where a table is read or written: the reports'
    import pandas as pd  # fast path (nothing changed) resolves a generation without it

#: A cell starting with one of these is read as a formula by Excel/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    On any error (or Ctrl-C) the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:  # a full disk (or a read-only folder) names the file meant
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
            # mkstemp makes files private (0600); give them the usual umask-based mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_path, 0o666 & ~umask)
            os.replace(tmp_path, target)
        except OSError as exc:
            if exc.filename is None or Path(str(exc.filename)) == tmp_path:
                raise OSError(errno_of(exc), exc.strerror or str(exc), str(target)) from exc
            raise
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def errno_of(exc: OSError) -> int | None:
    """The error number, also when a library (pyarrow) wrote it only in the message."""
    if exc.errno is not None:
        return exc.errno
    if "No space left on device" in str(exc) or "errno 28" in str(exc).lower():
        return errno.ENOSPC
    return None


def write_bytes_atomic(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: Path | str, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def write_parquet_atomic(df: pd.DataFrame, target: Path | str) -> None:
    with atomic_path(target) as tmp:
        df.to_parquet(tmp, index=False)


def formula_safe(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula.

    A leading ``'`` is the convention Excel and LibreOffice show as text.

    >>> formula_safe("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> formula_safe("-5")
    '-5'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            float(value.replace(",", ""))
            return value  # a plain negative number is data, not a formula
        except ValueError:
            return "'" + value
    return value


def formula_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Apply :func:`formula_safe` to every text column (for CSV/XLSX meant for people)."""
    out = df.copy()
    for col in out.select_dtypes(include=["str", "object"]).columns:
        out[col] = out[col].map(formula_safe)
    return out


def write_csv_atomic(df: pd.DataFrame, target: Path | str) -> None:
    """Write a CSV for people to open: UTF-8 with BOM (Excel reads Bangla), formula-safe."""
    buf = io.StringIO()
    formula_safe_frame(df).to_csv(buf, index=False)
    write_bytes_atomic(target, buf.getvalue().encode("utf-8-sig"))


def load_processed(name: str, processed_dir: Path | str = PROCESSED_DIR) -> pd.DataFrame:
    """Load one processed table by name (``assessments``, ``budgets``, ``scores`` ...).

    List columns come back as Python lists; a missing optional table raises
    ``FileNotFoundError`` naming the command that makes it.

    >>> assessments = load_processed("assessments")  # doctest: +SKIP
    """
    import pandas as pd

    processed_dir = Path(processed_dir)
    file = TABLES.get(name, name if "." in name else f"{name}.parquet")
    path = processed_dir / file
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such table; run `nsss clean` (then `nsss score`) first"
        )
    if path.suffix == ".csv":
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if "source_row" in df.columns:
            df["source_row"] = pd.to_numeric(df["source_row"], errors="coerce").astype("Int64")
        return df
    df = pd.read_parquet(path)
    for col in df.columns:
        if df[col].dtype == object and len(df) and hasattr(df[col].iloc[0], "tolist"):
            df[col] = df[col].map(lambda v: list(v) if v is not None else [])
    return df


@dataclass
class Tables:
    """The processed tables, loaded once: ``assessments`` and ``scores`` always; the
    others are None when the stage that writes them has not run (no budgets, no MIS
    extract)."""

    assessments: pd.DataFrame
    scores: pd.DataFrame | None = None
    budgets: pd.DataFrame | None = None
    quarantine: pd.DataFrame | None = None
    conflicts: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None
    coverage_by_sex: pd.DataFrame | None = None
    coverage_quality: pd.DataFrame | None = None
    #: What the returned action plans say (``nsss progress``); None before any run.
    action_progress: pd.DataFrame | None = None


def read_optional(name: str, processed_dir: Path | str) -> pd.DataFrame | None:
    """A processed table by name, or None when it has not been written."""
    try:
        return load_processed(name, processed_dir)
    except FileNotFoundError:
        return None


def read_required(name: str, processed_dir: Path | str) -> pd.DataFrame:
    """A processed table by name, or a one-line error naming the command that makes it."""
    table = read_optional(name, processed_dir)
    if table is None:
        file = TABLES.get(name, f"{name}.parquet")
        raise NsssError(f"{Path(processed_dir) / file}: not found; run `{MADE_BY.get(name, 'nsss build')}` first")
    return table


#: The command that writes each table, for the message when one is missing.
MADE_BY = {"assessments": "nsss clean", "budgets": "nsss clean", "scores": "nsss score",
           "recommendations": "nsss score"}


def load_tables(processed_dir: Path | str = PROCESSED_DIR) -> Tables:
    """Load every processed table a report reads, once, all from one generation
    (the processed folder is resolved once, so a concurrent swap cannot mix two).

    Stale tables are refused as ``nsss reports`` refuses them (one line naming the
    command to run): new assessments are never served beside old scores.

    >>> tables = load_tables(PROCESSED_DIR)  # doctest: +SKIP
    """
    asked = processed_dir
    processed_dir = current_generation(processed_dir)
    stale = stale_tables(processed_dir)
    if stale:
        raise NsssError(f"{asked}: {stale[0]}")
    return Tables(
        assessments=read_required("assessments", processed_dir),
        scores=read_required("scores", processed_dir),
        **{name: read_optional(name, processed_dir)
           for name in ("budgets", "quarantine", "conflicts", "recommendations",
                        "coverage_by_sex", "coverage_quality", "action_progress")},
    )


# --- generations of the processed tables ---------------------------------------------
# ``data/processed`` is a symbolic link to one complete generation folder,
# ``data/.processed.generations/<id>/``. A stage writes every table it makes into a
# new generation (the other stages' tables are hard-linked from the current one),
# records what it read in ``generation.json``, then swaps the link with one atomic
# rename: a reader always opens one complete set, and a run killed at any moment
# leaves the previous generation in place.

#: For each stage, the tables it writes (file-name prefixes) and the tables it reads:
#: a stage's tables are stale when what it read has changed since.
STAGE_UPSTREAM = {
    "score": ("assessments.parquet", "budgets.parquet", "quarantine.csv", "conflicts.csv"),
    "beneficiaries": ("assessments.parquet",),
}
#: The one line `nsss reports` refuses stale tables with.
STALE_MESSAGE = {
    "score": "scores are older than assessments: run `nsss score` or `nsss build`",
    "beneficiaries": "MIS coverage tables are older than assessments: run `nsss beneficiaries` or `nsss build`",
}


def generations_dir(processed: Path | str) -> Path:
    """Where the generations of ``processed`` live: ``.<name>.generations`` beside it."""
    processed = Path(processed).absolute()
    return processed.parent / f".{processed.name}.generations"


def current_generation(processed: Path | str) -> Path:
    """The folder ``processed`` points to now (itself when it is a plain folder)."""
    processed = Path(processed).absolute()
    return processed.resolve() if processed.is_symlink() else processed


def generation_record_path(folder: Path | str) -> Path:
    """Where a generation's record lives: ``<id>.json`` beside its folder, so that the
    processed folder holds the tables only."""
    folder = Path(folder)
    return folder.parent / f"{folder.name}.json"


def read_generation(folder: Path | str) -> dict:
    """The record of a generation folder ({} for a plain folder or an unreadable record)."""
    folder = Path(folder)
    if not folder.parent.name.endswith(".generations"):
        return {}
    try:
        record = json.loads(generation_record_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MB blocks (a large extract is never held in
    memory): the one content hash of the raw files, generations and reports."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def files_under(folder: Path | str) -> list[Path]:
    """Every file under ``folder`` (links to files included, links to folders not
    followed), sorted by path: a stack of folders, never recursion, so a tree 1,100
    folders deep is listed like any other. Unreadable folders are left out."""
    folder = Path(folder)
    out: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file():
                    out.append(Path(entry.path))
            except OSError:
                continue
    return sorted(out, key=lambda p: p.relative_to(folder).parts)


def _digests(folder: Path, files: tuple[str, ...]) -> dict[str, str | None]:
    return {f: (file_digest(folder / f) if (folder / f).is_file() else None) for f in files}


def stale_tables(folder: Path | str) -> list[str]:
    """One line per stage whose tables were made from other upstream tables than the
    ones in ``folder`` now (``scores are older than assessments ...``)."""
    folder = Path(folder)
    stages = read_generation(folder).get("stages", {})
    lines = []
    for stage, upstream in STAGE_UPSTREAM.items():
        made_from = (stages.get(stage) or {}).get("upstream")
        if made_from is not None and made_from != _digests(folder, upstream):
            lines.append(STALE_MESSAGE[stage])
    return lines


def remove_old_generations(processed: Path | str) -> int:
    """Delete every generation but the current one, and the temporary links an
    interrupted run left (the caller holds the build lock). Only what nsss recorded
    making (:data:`MARKER_FILE` in the generations folder) is deleted, and only real
    folders and files: a link planted there is never followed, nor removed."""
    processed = Path(processed).absolute()
    keep = current_generation(processed)
    removed = 0
    gens = generations_dir(processed)
    if gens.is_dir() and not gens.is_symlink():
        made = _made(gens)
        left = []
        for name in made:
            folder = gens / name
            if folder == keep or name == keep.name:
                left.append(name)
                continue
            if _is_real_folder(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
            record = generation_record_path(folder)
            if _is_real_file(record):
                record.unlink(missing_ok=True)
            if os.path.lexists(folder):
                left.append(name)  # could not be removed (or not a real folder): kept, said next time
        if _is_real_file(gens / MARKER_FILE):
            _record_made(gens, left)  # rewritten every time: a run makes the same writes whatever it finds
    if processed.parent.is_dir():
        for tmp in processed.parent.glob(f".{processed.name}.*.tmp"):
            if tmp.is_symlink():  # the links a generation swap makes, nothing else
                tmp.unlink(missing_ok=True)
                removed += 1
    return removed


# --- what nsss made, and where it refuses to write ---------------------------------------
#: The file nsss keeps in each folder it makes for its outputs (the generations folder,
#: the reports folder). In the generations folder it lists the generations nsss made:
#: nothing else there is ever moved or deleted.
MARKER_FILE = ".nsss-made"
#: A generation's folder name: ``<UTC time>-<pid>`` (or ``legacy-...``: a plain
#: processed folder of an older version, moved into the generations).
_GENERATION_NAME = re.compile(r"^(?:legacy-)?\d{8}T\d{6,12}Z-\d+$")
#: The reports folder's own lock (``nsss reports``): two runs from different processed
#: folders never write one reports folder side by side.
REPORTS_LOCK = ".nsss-reports.lock"
#: Files an existing reports folder may hold before nsss marks it as its own.
_PLACEHOLDERS = frozenset({".gitkeep", ".gitignore", ".keep", "README.md", REPORTS_LOCK})


def _is_real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_real_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _made(gens: Path) -> list[str]:
    """The generations nsss recorded making in ``gens`` (names)."""
    marker = gens / MARKER_FILE
    if not _is_real_file(marker):
        return []
    try:
        made = json.loads(marker.read_text(encoding="utf-8")).get("made", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [m for m in made if isinstance(m, str) and _GENERATION_NAME.match(m)]


def _record_made(gens: Path, made: list[str]) -> None:
    write_text_atomic(gens / MARKER_FILE, json.dumps(
        {"note": "made by nsss: the generations it made, the only ones it deletes", "made": made}, indent=1))


def _generations_folder(processed: Path) -> Path:
    """The generations folder of ``processed``, made (and marked) if new; an existing
    one must be nsss's own: marked, or (from a version before the mark) holding only
    generations with their records, which it then marks."""
    gens = generations_dir(processed)
    refuse_link(gens, "generations of the processed tables")
    if not gens.exists():
        gens.mkdir(parents=True)
        _record_made(gens, [])
        return gens
    if not gens.is_dir():
        raise NsssError(f"{gens} is a file, where nsss keeps the generations of {processed}: "
                        "move it away or give another --out", exit_code=2)
    if not _is_real_file(gens / MARKER_FILE):
        names = sorted(os.listdir(gens))
        folders = [n for n in names if _GENERATION_NAME.match(n) and _is_real_folder(gens / n)]
        records = {f"{n}.json" for n in folders}
        strangers = [n for n in names if n not in folders and n not in records]
        if strangers:
            raise NsssError(f"{gens}: a folder nsss did not make (it holds {_few(strangers)}); nsss keeps "
                            f"the generations of {processed.name} there: move it away or give another --out",
                            exit_code=2)
        _record_made(gens, folders)
    return gens


def _few(names: list[str], shown: int = 3) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def refuse_link(path: Path | str, what: str) -> None:
    """A one-line usage error (exit 2) when ``path`` is a symbolic link: nsss follows no
    link where it writes or deletes."""
    path = Path(path)
    if path.is_symlink():
        raise NsssError(f"{path} is a link (to {os.readlink(path)}) where nsss writes the {what}; "
                        "nsss follows no link there: remove it or give another folder", exit_code=2)


def _a_table_name(name: str) -> bool:
    """A file a processed folder of an older nsss held (the tables and their records)."""
    return (name in TABLES.values()
            or name in ("raw_hashes.json", "recommendations.parquet", "generation.json", "action_progress_quarantine.csv")
            or (name.startswith("indicator_") and name.endswith(".parquet")))


def _real_place(path: Path) -> Path:
    """Where ``path`` is, its last part kept as written (a link stays the link)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


def check_apart(out: Path | str, raw: Path | str | None, option: str = "--out") -> None:
    """Refuse (exit 2) an output folder that is, lies inside or contains the raw
    folder: nsss never writes into the submissions, nor moves them."""
    if raw is None:
        return
    out = Path(out)
    raw_real = Path(raw).resolve()
    for place in {_real_place(out), out.resolve()}:
        if place == raw_real:
            problem = "is the raw folder"
        elif place.is_relative_to(raw_real):
            problem = f"lies inside the raw folder {raw}"
        elif raw_real.is_relative_to(place):
            problem = f"contains the raw folder {raw}"
        else:
            continue
        raise NsssError(f"{option} {out} {problem}: nsss never writes, moves or deletes the submissions; "
                        "give a folder of its own for the outputs", exit_code=2)


def check_processed_folder(processed: Path | str, option: str = "--out") -> None:
    """Refuse (exit 2) a processed folder nsss may not turn into a link to its
    generations: a link nsss did not make, or an existing folder holding anything but
    the tables an older nsss wrote there (an empty folder is fine)."""
    processed = Path(os.path.abspath(processed))
    gens = generations_dir(processed)
    refuse_link(gens, "generations of the processed tables")
    if processed.is_symlink():
        target = Path(os.path.realpath(processed))
        if target.parent != gens.resolve() or not _GENERATION_NAME.match(target.name):
            raise NsssError(f"{option} {processed} is a link nsss did not make (to {os.readlink(processed)}); "
                            "nsss makes the processed folder a link to its current generation: "
                            "remove the link or give another folder", exit_code=2)
        return
    if processed.is_dir():
        strangers = sorted(n for n in os.listdir(processed) if not _a_table_name(n) and n != MARKER_FILE)
        if strangers:
            raise NsssError(f"{option} {processed} is a folder nsss did not make (it holds {_few(strangers)}); "
                            "nsss replaces its processed folder with a link to each new generation of the "
                            "tables: give a new or empty folder", exit_code=2)


def prepare_reports_folder(out: Path | str, option: str = "--out") -> Path:
    """Make the reports folder, or check that an existing one is nsss's: marked, empty
    (a ``.gitkeep`` at most) or an older nsss's reports (its manifest), then marked.
    Anything else is refused (exit 2): nsss would write over its files."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NsssError(f"{option} {out} is a file; give a folder for the reports", exit_code=2)
    if not out.exists():
        out.mkdir(parents=True)
    else:
        names = set(os.listdir(out))
        if MARKER_FILE in names:
            refuse_links_inside(out)
            return out
        if names - _PLACEHOLDERS and not _old_reports(out):
            raise NsssError(f"{option} {out} is a folder nsss did not make (it holds {_few(sorted(names))}); "
                            "nsss writes reports only into a new or empty folder, or one it made: "
                            "give another folder", exit_code=2)
    refuse_links_inside(out)
    write_text_atomic(out / MARKER_FILE, "made by nsss: its reports folder\n")
    return out


def refuse_links_inside(out: Path, depth: int = 2) -> None:
    """Refuse (exit 2) a link planted among the folders nsss writes reports into
    (``<fiscal year>/``, ``<fiscal year>/bn/``): writing there would write through it."""
    folders = [out]
    for _ in range(depth):
        below = []
        for folder in folders:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        refuse_link(Path(entry.path), "reports")
                    elif entry.is_dir(follow_symlinks=False):
                        below.append(Path(entry.path))
        folders = below


def _old_reports(out: Path) -> bool:
    """A reports folder of a version before the mark: its manifest says so."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "reports" in manifest


class NewGeneration:
    """Write a stage's tables into a new generation, then make it current.

    >>> with NewGeneration(processed, "score") as gen:  # doctest: +SKIP
    ...     scores.to_parquet(gen.dir / "scores.parquet")

    ``carry``: the current generation's files to keep (hard links), by default all
    but ``generation.json``; ``drop``: file names or prefixes not to carry over.
    ``inputs``: what the stage read, recorded as its content hash.
    """

    def __init__(self, processed: Path | str, stage: str, inputs: str | None = None,
                 drop: tuple[str, ...] = ()):
        self.processed = Path(processed).absolute()
        self.stage = stage
        self.inputs = inputs
        self.drop = drop
        self.previous = current_generation(self.processed) if self.processed.exists() else None
        self.record = read_generation(self.previous) if self.previous else {}
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.id = f"{stamp}-{os.getpid()}"
        self.dir = generations_dir(self.processed) / self.id

    def __enter__(self) -> NewGeneration:
        if self.processed.exists() and not self.processed.is_dir():
            raise NsssError(f"{self.processed} is a file; give a folder for the processed tables", exit_code=2)
        check_processed_folder(self.processed)
        gens = _generations_folder(self.processed)
        _record_made(gens, [*_made(gens), self.id])  # recorded before it exists: a kill leaves nothing unknown
        self.dir.mkdir()
        if self.previous is not None and self.previous.is_dir():
            for path in self.previous.iterdir():
                if not path.is_file() or path.name.startswith("."):
                    continue
                if any(path.name.startswith(d) for d in self.drop):
                    continue
                try:
                    os.link(path, self.dir / path.name)
                except OSError:
                    shutil.copy2(path, self.dir / path.name)
        if self.stage in STAGE_UPSTREAM:  # what it reads, as it reads it
            self.upstream = _digests(self.dir, STAGE_UPSTREAM[self.stage])
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        try:
            self._commit()
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            generation_record_path(self.dir).unlink(missing_ok=True)
            raise

    def _commit(self) -> None:
        stages = dict(self.record.get("stages", {}))
        entry: dict = {"generation": self.id, "inputs": self.inputs,
                       "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
        if self.stage in STAGE_UPSTREAM:
            entry["upstream"] = self.upstream
        stages[self.stage] = entry
        for stage in list(stages):  # a stage dropped from this generation is forgotten
            if stage in self.drop_stages():
                del stages[stage]
        record = {"id": self.id, "previous": self.record.get("id"), "stages": stages}
        generation_record_path(self.dir).write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
        _fsync_folder(self.dir)
        _fsync_folder(self.dir.parent)
        link = self.processed.parent / f".{self.processed.name}.{self.id}.tmp"
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(self.dir, self.processed.parent), link)
        if self.processed.is_dir() and not self.processed.is_symlink():
            check_processed_folder(self.processed)
            if not os.listdir(self.processed):
                self.processed.rmdir()  # an empty folder: nothing to keep
            else:
                # The tables of an older version (nothing else, checked): a generation itself.
                gens = generations_dir(self.processed)
                _record_made(gens, [*_made(gens), f"legacy-{self.id}"])
                os.replace(self.processed, gens / f"legacy-{self.id}")
        os.replace(link, self.processed)
        _fsync_folder(self.processed.parent)

    def drop_stages(self) -> set[str]:
        return {"beneficiaries"} if any(d.startswith("coverage") for d in self.drop) else set()


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def generation_id(processed: Path | str) -> str | None:
    """The id of the generation ``processed`` points to (None for a plain folder)."""
    return read_generation(current_generation(processed)).get("id")


def describe_os_error(exc: OSError) -> tuple[str, int] | None:
    """A one-line message and exit code for the file-system errors a user can fix:
    a full disk (1, naming the file), a folder that cannot be written or a path
    under a file (2: a bad path given by the user). None for any other error."""
    where = exc.filename or "a file"
    if errno_of(exc) in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full: could not write {where}; free some space and run again", 1
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}: permission denied (a read-only folder?); give a folder you can write to", 2
    if exc.errno == errno.ENOTDIR:
        return f"{where}: a part of this path is a file, not a folder", 2
    return None
