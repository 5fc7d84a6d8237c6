"""course.py: the install is skipped only when nothing that affects it changed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def runner(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("course_runner", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    venv_dir = tmp_path / ".venv"
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "bin" / "python").write_text("")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", venv_dir)
    monkeypatch.setattr(module, "STAMP", venv_dir / ".fourresnet-install-stamp")
    monkeypatch.setattr(module, "venv_python", lambda: venv_dir / "bin" / "python")
    calls: list[list[str]] = []
    monkeypatch.setattr(module, "run", lambda command, **kwargs: calls.append([str(c) for c in command]))
    return module, calls


def test_second_run_skips_install(runner):
    module, calls = runner
    module.ensure_venv("test")
    installs = [call for call in calls if "-e" in call]
    assert len(installs) == 1
    assert installs[0][-1] == ".[test]"

    module.ensure_venv("test")
    assert len([call for call in calls if "-e" in call]) == 1


def test_changed_pyproject_reinstalls(runner):
    module, calls = runner
    module.ensure_venv("test")
    (module.ROOT / "pyproject.toml").write_text("[project]\nname = 'y'\n")
    module.ensure_venv("test")
    assert len([call for call in calls if "-e" in call]) == 2


def test_other_extras_reinstall(runner):
    module, calls = runner
    module.ensure_venv("")
    module.ensure_venv("test")
    installs = [call[-1] for call in calls if "-e" in call]
    assert installs == [".", ".[test]"]


def test_lab_after_test_skips_install(runner):
    module, calls = runner
    module.ensure_venv("test")
    module.ensure_venv("")
    installs = [call[-1] for call in calls if "-e" in call]
    assert installs == [".[test]"]


def test_corrupt_stamp_reinstalls(runner):
    module, calls = runner
    module.ensure_venv("test")
    module.STAMP.write_text("not json")
    module.ensure_venv("test")
    assert len([call for call in calls if "-e" in call]) == 2


def test_failed_command_prints_one_line(runner, monkeypatch, capsys):
    module, _ = runner

    def failing_main(argv):
        raise subprocess.CalledProcessError(3, ["pip", "install", "-e", "."])

    monkeypatch.setattr(module, "main", failing_main)
    with pytest.raises(SystemExit) as exit_info:
        module.cli(["test"])
    message = str(exit_info.value.code)
    assert "pip install -e ." in message
    assert "3" in message


def test_unknown_command_prints_usage():
    result = subprocess.run(
        [sys.executable, str(ROOT / "course.py"), "bogus"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "course.py lab" in result.stdout
    assert "course.py test" in result.stdout
