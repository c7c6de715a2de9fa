"""The README, the package docstrings and docs/ are true to the code: every module they
name exists, every test file and document they cite is there, and every dotted
reference in a docstring (``:func:`nsss_analysis...```) resolves."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import nsss_analysis
from nsss_analysis.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "nsss_analysis"
README = PROJECT_ROOT / "README.md"
#: Top-level modules of the layers README and the package docstring call "shared", "commands", "cli".
TOP_LEVEL = {"shared", "commands", "cli"}


def _exists(layer: str, name: str) -> bool:
    """``name`` (``vocab.py``, ``figures/``, ``vocab``) is a module or package of
    ``layer``; a name ending in ``/`` may be a data folder (``locale/``)."""
    folder = PACKAGE if layer in TOP_LEVEL else PACKAGE / layer.strip("`/")
    if name.endswith("/"):
        return (folder / name).is_dir()
    name = name.removesuffix(".py")
    return (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()


def _layers() -> set[str]:
    return TOP_LEVEL | {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}


def readme_layer_table() -> list[tuple[str, str]]:
    """(layer, module) for every module in the README's table of layers."""
    named = []
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0].strip("`/") not in _layers():
            continue
        named += [(cells[0].strip("`"), m) for m in re.findall(r"`([\w]+(?:\.py|/))`", cells[1])]
    return named


def docstring_layers() -> list[tuple[str, str]]:
    """(layer, module) for every module the package docstring names, bullet by bullet."""
    named = []
    for bullet in re.split(r"\n- ", nsss_analysis.__doc__ or "")[1:]:
        head, _, rest = bullet.partition(":")
        words = re.findall(r"``(\w+)``", head)
        layer = words[0] if words and not head.startswith("shared") else "shared"
        if layer in TOP_LEVEL or layer not in {p.name for p in PACKAGE.iterdir() if p.is_dir()}:
            named += [("shared", w) for w in re.findall(r"``(\w+)``", bullet)]
        else:
            named += [(layer, w) for w in re.findall(r"``(\w+)``", rest)]
    return named


def test_the_readme_table_names_every_layer_and_only_modules_that_exist():
    named = readme_layer_table()
    assert len(named) >= 40  # the table was found
    assert [(layer, m) for layer, m in named if not _exists(layer, m)] == []
    layers = {layer.strip("/") for layer, _ in named}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= layers, packages - layers


def test_the_readme_table_lists_every_module_of_each_layer():
    named = {(layer.strip("/"), m.removesuffix(".py").rstrip("/")) for layer, m in readme_layer_table()}
    missing = [(p.parent.name, p.stem) for p in PACKAGE.glob("*/*.py")  # figures/ is named as a folder
               if p.stem != "__init__" and p.parent.name != "__pycache__" and (p.parent.name, p.stem) not in named]
    assert missing == []


def test_the_package_docstring_names_only_modules_that_exist():
    named = docstring_layers()
    assert len(named) >= 30  # the bullets were found
    assert {layer for layer, _ in named} >= {"reference", "intake", "diagnostics", "mis", "report", "runner"}
    assert [(layer, m) for layer, m in named if not (_exists(layer, m) or _exists("shared", m))] == []


def _documents() -> list[Path]:
    return [README, *sorted((PROJECT_ROOT / "docs").glob("*.md")), *sorted(PACKAGE.rglob("*.py"))]


@pytest.mark.parametrize("kind, pattern", [("test file", r"tests/test_\w+\.py"), ("document", r"docs/[\w-]+\.md")])
def test_every_test_file_and_document_cited_exists(kind, pattern):
    cited = {(str(p.relative_to(PROJECT_ROOT)), m) for p in _documents()
             for m in re.findall(pattern, p.read_text(encoding="utf-8"))}
    assert cited, f"no {kind} cited anywhere"
    assert sorted((where, m) for where, m in cited if not (PROJECT_ROOT / m).is_file()) == []


def _resolves(reference: str) -> bool:
    parts = reference.split(".")
    for i in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attribute in parts[i:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def test_every_dotted_reference_in_the_package_resolves():
    references = {(str(p.relative_to(PROJECT_ROOT)), m) for p in PACKAGE.rglob("*.py")
                  for m in re.findall(r"`~?(nsss_analysis(?:\.\w+)+)`", p.read_text(encoding="utf-8"))}
    assert len(references) >= 10
    assert sorted((where, ref) for where, ref in references if not _resolves(ref)) == []
