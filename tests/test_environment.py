"""environment.yml (conda users), pyproject.toml and requirements.lock (``make install``) agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from nsss_analysis.config import PROJECT_ROOT

LOCK_FILE = "requirements.lock"
#: Packages a lock must never pull in: the GPU stack is gigabytes and nothing here uses it.
NEVER_LOCKED = {"torch", "torchvision", "tensorflow", "jax", "jaxlib"}

#: conda-forge packages published under another name on PyPI.
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}
#: Entries of environment.yml that are the toolchain, not dependencies.
CONDA_ONLY = {"python", "pip"}


def pyproject_dependencies(root: Path = PROJECT_ROOT) -> dict[str, SpecifierSet]:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    parsed = [Requirement(r) for r in requirements]
    return {canonicalize_name(r.name): r.specifier for r in parsed}


def conda_dependencies(root: Path = PROJECT_ROOT) -> tuple[dict[str, SpecifierSet], list[str], str]:
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    deps: dict[str, SpecifierSet] = {}
    pip: list[str] = []
    python = ""
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", entry.strip())
        name, spec = m.group(1), m.group(2).replace(" ", "")
        if name == "python":
            python = spec
        if name in CONDA_ONLY:
            continue
        deps[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = SpecifierSet(spec)
    return deps, pip, python


def differences(root: Path = PROJECT_ROOT) -> list[str]:
    """What differs between the two dependency lists, in words (empty when equal)."""
    pip_side = pyproject_dependencies(root)
    conda_side, _, _ = conda_dependencies(root)
    problems = [f"only in environment.yml: {n}" for n in sorted(set(conda_side) - set(pip_side))]
    problems += [f"only in pyproject.toml: {n}" for n in sorted(set(pip_side) - set(conda_side))]
    problems += [
        f"{n}: environment.yml {conda_side[n]} vs pyproject.toml {pip_side[n]}"
        for n in sorted(set(pip_side) & set(conda_side))
        if conda_side[n] != pip_side[n]
    ]
    return problems


def test_environment_yml_and_pyproject_list_the_same_packages_and_versions():
    assert differences() == []


def test_the_comparison_notices_a_drift(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["pandas>=3.0", "duckdb>=1.0"]\n'
        '[project.optional-dependencies]\ntest = ["pytest>=8.0", "nbval>=0.11"]\n',
        encoding="utf-8",
    )
    (tmp_path / "environment.yml").write_text(
        "dependencies:\n  - python=3.11\n  - pip\n  - pandas>=3.0\n  - python-duckdb>=0.9\n"
        "  - pytest>=8.0\n  - requests\n  - pip:\n      - -e .\n",
        encoding="utf-8",
    )
    assert differences(tmp_path) == [
        "only in environment.yml: requests",
        "only in pyproject.toml: nbval",
        "duckdb: environment.yml >=0.9 vs pyproject.toml >=1.0",
    ]


def test_environment_yml_installs_the_package_itself_with_python_311():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    _, pip, python = conda_dependencies()
    assert "conda-forge" in env["channels"]
    assert pip == ["-e ."]
    assert python in ("=3.11", "==3.11", "3.11") or python.startswith("=3.11")
    requires = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    assert SpecifierSet(requires).contains("3.11")


def locked_versions(root: Path = PROJECT_ROOT) -> dict[str, list[Requirement]]:
    """The lock's pins by package name; a name pinned twice differs by environment marker."""
    pins: dict[str, list[Requirement]] = {}
    for line in (root / LOCK_FILE).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith((" ", "#", "-")):
            requirement = Requirement(line)
            pins.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return pins


def lock_gaps(root: Path = PROJECT_ROOT) -> list[str]:
    """pyproject dependencies the lock misses or pins outside their range, in words (empty when none)."""
    pins = locked_versions(root)
    problems = []
    for name, wanted in pyproject_dependencies(root).items():
        here = [r for r in pins.get(name, []) if r.marker is None or r.marker.evaluate()]
        if not here:
            problems.append(f"not in {LOCK_FILE}: {name} (run `make lock`)")
            continue
        version = next(iter(here[0].specifier)).version
        if not wanted.contains(version, prereleases=True):
            problems.append(f"{name}: {LOCK_FILE} pins {version}, pyproject.toml asks {wanted} (run `make lock`)")
    return problems


def test_the_lock_pins_every_pyproject_dependency_within_its_range():
    assert lock_gaps() == []


def test_every_lock_line_is_an_exact_pin_and_no_gpu_stack():
    pins = locked_versions()
    assert len(pins) > len(pyproject_dependencies())
    for name, requirements in pins.items():
        assert all(len(r.specifier) == 1 and next(iter(r.specifier)).operator == "==" for r in requirements), name
    assert not NEVER_LOCKED & set(pins)
    assert not [n for n in pins if n.startswith("nvidia-")]
    assert "make lock" in (PROJECT_ROOT / LOCK_FILE).read_text(encoding="utf-8").splitlines()[1]


def test_the_lock_check_notices_a_missing_or_stale_pin(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["pandas>=3.0", "duckdb>=1.0"]\n'
        '[project.optional-dependencies]\ntest = ["pytest>=8.0", "nbval>=0.11"]\n',
        encoding="utf-8",
    )
    (tmp_path / LOCK_FILE).write_text(
        "# This file was autogenerated by uv via the following command:\n#    make lock\n"
        "duckdb==0.9.2\n    # via x\npandas==3.0.1\npytest==8.3.0 ; python_full_version < '3.0'\n"
        "pytest==9.0.0 ; python_full_version >= '3.0'\nnbval==0.11.0 ; sys_platform == 'no-such-platform'\n",
        encoding="utf-8",
    )
    assert lock_gaps(tmp_path) == [
        "duckdb: requirements.lock pins 0.9.2, pyproject.toml asks >=1.0 (run `make lock`)",
        "not in requirements.lock: nbval (run `make lock`)",
    ]
