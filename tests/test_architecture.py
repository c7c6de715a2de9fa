"""The package's shape: layers by the data's journey, imports pointing one way, no cycle.

Every module is imported, and its imports (top-level and inside functions) are walked
with ``ast``. A module may import its own layer and the layers below it, never one
above; ``intake`` and ``diagnostics`` know nothing of reports, the runner or the
command line.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import nsss_analysis

#: The layers, lowest first. ``shared`` modules (paths, errors, file I/O) sit below all.
LAYERS: list[str] = [
    "shared",
    "reference",
    "intake",
    "diagnostics",
    "mis",
    "report",
    "runner",
    "commands",
    "cli",
]
SHARED = {"config", "errors", "io"}
PACKAGE_ROOT = Path(nsss_analysis.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for info in pkgutil.walk_packages(nsss_analysis.__path__, "nsss_analysis."):
        module = importlib.import_module(info.name) if not info.name.endswith("__main__") else None
        path = Path(module.__file__) if module else PACKAGE_ROOT / "__main__.py"
        out[info.name] = path
    return out


MODULES = _modules()


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "shared"  # the package itself: its version
    if parts[1] == "__main__":
        return "cli"
    if parts[1] in SHARED:
        return "shared"
    return parts[1]


def package_imports(path: Path) -> list[tuple[str, int, bool]]:
    """``(module, line, in_function)`` for every import of a package module in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("nsss_analysis"):
                for alias in child.names:
                    candidate = f"{child.module}.{alias.name}"
                    found.append((candidate if candidate in MODULES else child.module, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("nsss_analysis"):
                        found.append((alias.name, child.lineno, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


GRAPH = {name: package_imports(path) for name, path in MODULES.items()}


def test_every_module_imports():
    assert len(MODULES) > 30
    for layer in LAYERS[1:-2]:
        assert any(layer_of(m) == layer for m in MODULES), f"no module in layer {layer}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    mine = LAYERS.index(layer_of(module))
    for imported, line, _ in GRAPH[module]:
        theirs = LAYERS.index(layer_of(imported))
        assert theirs <= mine, f"{module} (layer {layer_of(module)}) imports {imported} ({layer_of(imported)}) at line {line}"


def test_intake_and_diagnostics_know_nothing_of_reports_runner_or_cli():
    above = {"report", "runner", "commands", "cli"}
    for module, imports in GRAPH.items():
        if layer_of(module) in ("intake", "diagnostics"):
            bad = [(m, line) for m, line, _ in imports if layer_of(m) in above]
            assert not bad, f"{module} imports {bad}"


def test_no_import_cycle():
    graph = {m: {i for i, _, _ in imports if i != m} for m, imports in GRAPH.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)


#: Function-level imports of the package's own modules, each for a measured start-up
#: cost (the comment at the import says which).
ALLOWED_LAZY = {
    ("nsss_analysis.cli", "nsss_analysis.commands"),
    # each command loads its stage when it runs: `nsss beneficiaries` never imports
    # pandas, the diagnostics or the report layer (benchmarks/beneficiaries.py)
    ("nsss_analysis.commands", "nsss_analysis.intake"),
    ("nsss_analysis.commands", "nsss_analysis.diagnostics"),
    ("nsss_analysis.commands", "nsss_analysis.mis"),
    ("nsss_analysis.commands", "nsss_analysis.reference"),
    ("nsss_analysis.commands", "nsss_analysis.report"),
    ("nsss_analysis.commands", "nsss_analysis.runner.claims_file"),
    # `nsss build` starts the report kernels (runner.render.early_pool) before cleaning;
    # the other commands never load the renderer (pandas, the rules, nbconvert's exporter)
    ("nsss_analysis.commands", "nsss_analysis.runner.render"),
    ("nsss_analysis.runner.run", "nsss_analysis.runner.render"),
    ("nsss_analysis.runner.kernel", "nsss_analysis.runner.engine"),
    ("nsss_analysis.runner.kernel_state", "nsss_analysis.diagnostics"),
    ("nsss_analysis.runner.kernel_state", "nsss_analysis.report"),
}


def test_function_level_imports_are_only_the_measured_ones():
    lazy = {(m, i) for m, imports in GRAPH.items() for i, _, inside in imports if inside}
    unexpected = sorted(
        (m, i) for m, i in lazy
        if not any(m == a and (i == b or i.startswith(b + ".")) for a, b in ALLOWED_LAZY)
    )
    assert not unexpected, f"unexpected function-level imports: {unexpected}"


def test_no_synthetic_data_generator_in_the_package():
    for path in PACKAGE_ROOT.rglob("*.py"):
        assert "synthetic" not in path.stem, path
