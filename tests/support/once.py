"""Build a folder once per test run, shared by every pytest-xdist worker.

The first worker to ask builds it under an exclusive file lock; a worker asking
meanwhile blocks on that lock (the kernel wakes it when the build ends: no polling),
then finds the folder built. A build that failed is not marked built, so the next
worker to ask tries again and fails with its own error.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run: shared by the xdist workers (each has its own
    ``getbasetemp()`` below it), the session's own folder without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """``run_folder/name``, made by ``build(path)`` the first time any worker asks."""
    root = run_folder(tmp_path_factory)
    target, done = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                if target.exists():  # what a failed build left
                    shutil.rmtree(target)
                build(target)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target
