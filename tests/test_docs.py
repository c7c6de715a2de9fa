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


# --- short references: `module.name` in README and docs/, roles in docstrings --------------------------

#: Backticked dotted names in README and docs/ that are not ours (a matplotlib setting).
NOT_OURS = {"text.language"}
#: File names, not dotted references (`programmes.csv`, `cli.py`).
FILE_NAME = re.compile(r"\.(?:py|csv|parquet|html|md|toml|json|lock|pot|po|mo|cfg|ya?ml|ipynb|txt|xlsx|zip|pdf|png)$")


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _has(target: object, names: list[str]) -> bool:
    for name in names:
        if not hasattr(target, name):
            return False
        target = getattr(target, name)
    return True


def _in_package(reference: str) -> bool | None:
    """Whether ``reference`` (``io.load_tables``, ``report.fonts.CSS_FONT_STACK``: a module
    named by its last parts, then names in it) resolves; ``None`` when no module of the
    package has such a name (not a reference to our code)."""
    parts = reference.removesuffix("()").split(".")
    modules = _modules()
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        candidates = [m for m in modules if m == prefix or m.endswith("." + prefix)]
        if candidates:
            return any(_has(importlib.import_module(m), parts[i:]) for m in candidates)
    return None


def _in_module(reference: str, module: str) -> bool:
    """A docstring's role target (``:func:`name```, ``:data:`~pkg.mod.NAME```, ``:mod:`.style```)
    resolves: in the module's own names or its classes' (methods, attributes set on
    ``self``), as a module of the package, or as an importable module (``html.escape``)."""
    reference = reference.lstrip("~")
    path = _modules()[module]
    if reference.startswith("."):
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        reference = package + reference
    parts = reference.split(".")
    namespace = importlib.import_module(module)
    if _has(namespace, parts) or _in_package(reference):
        return True
    if len(parts) == 1:
        classes = [c for c in vars(namespace).values() if isinstance(c, type) and c.__module__ == module]
        if any(hasattr(c, reference) for c in classes) or f"self.{reference} =" in path.read_text(encoding="utf-8"):
            return True
    try:
        return _has(importlib.import_module(parts[0]), parts[1:])
    except ImportError:
        return False


def test_every_module_name_reference_in_the_readme_and_docs_resolves():
    python_files = {p.name for folder in ("nsss_analysis", "tools", "tests", "benchmarks")
                    for p in (PROJECT_ROOT / folder).rglob("*.py")}
    bad, checked = [], 0
    for document in [README, *sorted((PROJECT_ROOT / "docs").glob("*.md"))]:
        for reference in re.findall(r"`~?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?)`", document.read_text("utf-8")):
            if reference in NOT_OURS:
                continue
            if FILE_NAME.search(reference):
                if reference.endswith(".py"):
                    checked += 1
                    if reference not in python_files:
                        bad.append((document.name, reference))
                continue
            resolved = _in_package(reference)
            checked += resolved is not None
            if resolved is False:
                bad.append((document.name, reference))
    assert checked >= 50  # the references were found
    assert bad == []


def test_every_role_in_the_package_docstrings_resolves():
    roles = [(module, target) for module, path in _modules().items()
             for target in re.findall(r":(?:func|class|meth|data|attr|mod|exc|obj|const):`([~.\w]+)`",
                                      path.read_text(encoding="utf-8"))]
    assert len(roles) >= 100  # the roles were found
    assert sorted((module, target) for module, target in roles if not _in_module(target, module)) == []
