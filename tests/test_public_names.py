"""Public names for what other modules use: a module does not import another module's
``_private`` name (a leading underscore says "only this module relies on it"; a name
another module needs is part of the module's contract and is named so).

The names still imported across modules are listed below, module by module: a debt to
pay down, never to grow. A new import of a private name fails; so does an entry of the
list that is no longer needed (so the list shrinks as the names are made public)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from nsss_analysis.config import PACKAGE_DIR

#: gettext's ``_`` is the one conventional private-looking public name.
GETTEXT = {"_"}

#: Private names still imported from another module (module -> names). Shrink only.
STILL_IMPORTED: dict[str, set[str]] = {
    "nsss_analysis.intake.cells": {"_reject_spreadsheet_error"},
    "nsss_analysis.intake.files": {"_check_parts", "_check_size", "_xlsx_sheets"},
    "nsss_analysis.intake.template": {"_list_values"},
    "nsss_analysis.report.figures.style": {
        "_ci", "_digits", "_district_name", "_empty", "_err", "_figure", "_fy", "_ink", "_int", "_is_small",
        "_label", "_level", "_n_beneficiaries", "_n_programmes", "_note", "_num", "_paired_pointrange", "_panels",
        "_pct", "_programme_fy_labels", "_programme_labels", "_programme_name", "_programmes", "_share_axis",
        "_unit_name", "_wrap"},
    "nsss_analysis.runner.kernel": {"_one_line", "_record_engine_error"},
    "nsss_analysis.runner.manifest": {"_jsonable"},
}


def private_imports(root: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Every ``from nsss_analysis.<module> import _name`` in the package: module -> names."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nsss_analysis"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__") and alias.name not in GETTEXT:
                        found[str(node.module)].add(alias.name)
    return dict(found)


def test_no_module_imports_a_new_private_name_of_another():
    new = {m: sorted(names - STILL_IMPORTED.get(m, set())) for m, names in private_imports().items()}
    new = {m: names for m, names in new.items() if names}
    assert not new, f"private names imported from another module (make them public): {new}"


def test_the_list_of_private_names_still_imported_only_shrinks():
    found = private_imports()
    paid = {m: sorted(names - found.get(m, set())) for m, names in STILL_IMPORTED.items()}
    paid = {m: names for m, names in paid.items() if names}
    assert not paid, f"no longer imported across modules: take them off STILL_IMPORTED: {paid}"


def test_the_scan_finds_a_private_import(tmp_path):
    (tmp_path / "a.py").write_text("from nsss_analysis.x import _hidden, shown, _\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from nsss_analysis.x import __version__\nfrom os import _exit\n",
                                   encoding="utf-8")
    assert private_imports(tmp_path) == {"nsss_analysis.x": {"_hidden"}}
