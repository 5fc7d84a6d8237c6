"""Packaging promises: pyproject.toml and environment.yml agree, CI runs the README command."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# conda-forge names that differ from the PyPI names.
CONDA_TO_PYPI = {"pytorch": "torch"}

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    match = _REQUIREMENT.match(requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name = match.group(1).lower().replace("_", "-")
    specifier = match.group(2).replace(" ", "")
    return CONDA_TO_PYPI.get(name, name), specifier


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return dict(_parse(item) for item in requirements)


def _environment_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    requirements: list[str] = []
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            requirements.extend(item.get("pip", []))
        else:
            requirements.append(item)
    parsed = dict(_parse(item) for item in requirements)
    parsed.pop("python", None)
    parsed.pop("pip", None)
    return parsed


def test_environment_yml_matches_pyproject():
    pyproject = _pyproject_requirements()
    environment = _environment_requirements()
    assert sorted(environment) == sorted(pyproject)
    for name, specifier in pyproject.items():
        assert environment[name] == specifier, f"{name}: {environment[name]!r} != {specifier!r}"


def test_ci_runs_readme_test_command():
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    test_command = ci_lines[-1]
    assert test_command == "python3 course.py test"
    for readme in ("README.md", "README.zh-CN.md"):
        text = (ROOT / readme).read_text(encoding="utf-8")
        assert test_command in text, f"{readme} does not print {test_command!r}"
        assert "python3 course.py lab" in text, f"{readme} does not print the lab command"


def test_torch_range_admits_pinned_build():
    # The development machines install torch 2.14.1 and torchvision 0.29.1 from disk.
    pyproject = _pyproject_requirements()
    assert pyproject["torch"] == ">=2.2,<3"
    assert pyproject["torchvision"] == ">=0.17,<1"
