"""Do environment.yml (conda route) and pyproject.toml (pip route) declare the same packages?"""

import re
from pathlib import Path

import pytest
import yaml  # a dev dependency in both files

from tests.support import ROOT

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"

# Conda-side tooling and the kit itself, which pyproject.toml does not list as dependencies.
NOT_COMPARED = {"pip"}
SELF_INSTALL = {"-e .", "-e ./", "."}

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)")


def normalise_name(name):
    """Lower-case a package name and fold runs of '-', '_' and '.' into '-' (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def normalise_spec(spec):
    """Drop spaces and sort comma-separated version clauses: '<0.10, >=0.9' -> '<0.10,>=0.9'."""
    clauses = [c for c in re.sub(r"\s+", "", spec).split(",") if c]
    return ",".join(sorted(clauses))


def split_requirement(text):
    """Split 'Name[extra] >=1.0 ; marker' into ('name', '>=1.0')."""
    match = _REQUIREMENT.match(text)
    if match is None:
        raise ValueError(f"requirement must start with a package name, got {text!r}")
    return normalise_name(match.group(1)), normalise_spec(match.group(2))


def pyproject_requirements(path):
    """Map name -> version spec for python, runtime and dev dependencies in pyproject.toml."""
    project = tomllib.loads(Path(path).read_text())["project"]
    texts = project["dependencies"] + project.get("optional-dependencies", {}).get("dev", [])
    found = {"python": normalise_spec(project["requires-python"])}
    found.update(split_requirement(t) for t in texts)
    return found


def environment_requirements(path):
    """Map name -> version spec for conda and pip dependencies in environment.yml."""
    data = yaml.safe_load(Path(path).read_text())
    found = {}
    for entry in data["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for text in entries:
            if text.strip() in SELF_INSTALL:
                continue
            name, spec = split_requirement(text)
            if name not in NOT_COMPARED:
                found[name] = spec
    return found


def differences(pyproject_path, environment_path):
    """List human-readable disagreements between the two files (empty when they agree)."""
    pip_side = pyproject_requirements(pyproject_path)
    conda_side = environment_requirements(environment_path)
    problems = [
        f"{n} is in pyproject.toml but not in environment.yml" for n in sorted(pip_side.keys() - conda_side.keys())
    ]
    problems += [
        f"{n} is in environment.yml but not in pyproject.toml" for n in sorted(conda_side.keys() - pip_side.keys())
    ]
    problems += [
        f"{n}: pyproject.toml says {pip_side[n]!r}, environment.yml says {conda_side[n]!r}"
        for n in sorted(pip_side.keys() & conda_side.keys())
        if pip_side[n] != conda_side[n]
    ]
    return problems


def test_pyproject_and_environment_agree():
    """Does every package (and version) appear identically on both routes?"""
    assert differences(PYPROJECT, ENVIRONMENT) == []


def test_environment_is_named_and_installs_the_kit():
    """Is the conda env called 'autoencoders', and does it install the kit itself with pip?"""
    data = yaml.safe_load(ENVIRONMENT.read_text())
    assert data["name"] == "autoencoders"
    pip_entries = [e for entry in data["dependencies"] if isinstance(entry, dict) for e in entry.get("pip", [])]
    assert any(e.strip() in SELF_INSTALL for e in pip_entries), pip_entries


def test_the_parsers_see_the_real_packages():
    """Do the parsers read the packages we know are there (so agreement is not two empty dicts)?"""
    pip_side = pyproject_requirements(PYPROJECT)
    assert {"python", "numpy", "scikit-learn", "nbgrader", "pytest", "pyyaml"} <= pip_side.keys()
    assert pip_side["nbgrader"] == "<0.10,>=0.9"


@pytest.mark.parametrize(
    ("which", "old", "new", "expected"),
    [
        ("environment", "  - scipy>=1.10\n", "", "scipy is in pyproject.toml but not in environment.yml"),
        ("environment", "  - numpy>=1.24\n", "  - numpy>=1.26\n", "numpy: pyproject.toml says '>=1.24'"),
        (
            "environment",
            "  - pip:\n",
            "  - torch>=2.0\n  - pip:\n",
            "torch is in environment.yml but not in pyproject.toml",
        ),
        ("environment", "      - playwright>=1.40\n", "", "playwright is in pyproject.toml but not"),
        ("environment", "  - python>=3.10\n", "  - python>=3.12\n", "python: pyproject.toml says '>=3.10'"),
        (
            "pyproject",
            '    "pyyaml>=6.0",\n',
            '    "pyyaml>=6.0",\n    "hypothesis>=6.0",\n',
            "hypothesis is in pyproject.toml",
        ),
        ("pyproject", '"nbgrader>=0.9,<0.10"', '"nbgrader>=0.9"', "nbgrader: pyproject.toml says '>=0.9'"),
    ],
)
def test_a_disagreement_is_caught(tmp_path, which, old, new, expected):
    """Is a modified copy of either file reported, naming the package that differs?"""
    copies = {"pyproject": tmp_path / "pyproject.toml", "environment": tmp_path / "environment.yml"}
    copies["pyproject"].write_text(PYPROJECT.read_text())
    copies["environment"].write_text(ENVIRONMENT.read_text())
    text = copies[which].read_text()
    assert old in text, f"the edit for this case no longer applies to {which}: {old!r} not found"
    copies[which].write_text(text.replace(old, new, 1))
    problems = differences(copies["pyproject"], copies["environment"])
    assert any(p.startswith(expected) for p in problems), problems


def test_names_are_normalised(tmp_path):
    """Do 'Scikit_Learn' and 'PyYAML' still count as 'scikit-learn' and 'pyyaml'?"""
    env_copy = tmp_path / "environment.yml"
    text = ENVIRONMENT.read_text()
    for old, new in [("- scikit-learn>=1.3", "- Scikit_Learn >=1.3"), ("- pyyaml>=6.0", "- PyYAML>=6.0")]:
        assert old in text
        text = text.replace(old, new)
    env_copy.write_text(text)
    assert differences(PYPROJECT, env_copy) == []
