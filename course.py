#!/usr/bin/env python3
"""Set up the course in ./.venv and open it in JupyterLab, or run the whole test suite.

    python3 course.py lab     # create .venv, install, open notebooks/ in JupyterLab
    python3 course.py lab --lang en   # the same with the English edition of the lessons
    python3 course.py test    # create .venv, install with test extras, run all tests
    python3 course.py html    # execute every notebook and write build/html/*.html

On Windows run ``py course.py lab`` (or ``py course.py test``). The install step is
skipped when pyproject.toml and the requested extras are unchanged since the last
successful install. Only the Python standard library is used here, because this script
runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".fourresnet-install-stamp"
CHROMIUM = "/usr/bin/chromium"


def _load_translations():
    # fourresnet_lib/i18n.py uses only the standard library, so it can be loaded by path
    # before anything is installed; importing the package would need torch.
    spec = importlib.util.spec_from_file_location("fourresnet_i18n", ROOT / "fourresnet_lib" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.t


t = _load_translations()


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def run(command: list[str], **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def read_stamp() -> dict:
    try:
        return json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return {}


def ensure_venv(extras: str) -> Path:
    """Create .venv and install the package (editable) unless the stamp is current.

    The stamp records the pyproject.toml fingerprint and the extras installed with it,
    so `lab` after `test` skips pip, while `test` after `lab` installs the test extras.
    """
    if sys.version_info < (3, 11):
        sys.exit(t("runner.python_too_old", version=sys.version.split()[0]))
    python = venv_python()
    if not python.exists():
        print(t("runner.creating_venv", path=VENV), flush=True)
        venv.create(VENV, with_pip=True)
    fingerprint = install_fingerprint()
    requested = {extras} - {""}
    stamp = read_stamp()
    installed = set(stamp.get("extras", [])) if stamp.get("fingerprint") == fingerprint else set()
    if stamp.get("fingerprint") == fingerprint and requested <= installed:
        print(t("runner.install_skipped"), flush=True)
        return python
    # Keep the extras installed earlier, so switching commands never drops any.
    wanted = sorted(requested | set(stamp.get("extras", [])))
    target = f".[{','.join(wanted)}]" if wanted else "."
    run([python, "-m", "pip", "install", "--upgrade", "pip"])
    run([python, "-m", "pip", "install", "-e", target], cwd=ROOT)
    # Write the stamp only after a successful install, atomically, so an interrupted
    # install is retried on the next run.
    partial = STAMP.with_suffix(".tmp")
    partial.write_text(json.dumps({"fingerprint": fingerprint, "extras": wanted}) + "\n")
    partial.replace(STAMP)
    return python


def start_lab(python: Path, notebook_dir: Path, extra_args: list[str], env: dict) -> None:
    """Replace this process by JupyterLab, so Ctrl+C and kill reach the server itself."""
    command = [str(python), "-m", "jupyter", "lab", "--notebook-dir", str(notebook_dir)]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra_args:
        # JupyterLab refuses to start as root without this flag; containers and
        # teaching servers often run as root.
        print(t("runner.allow_root"), flush=True)
        command.append("--allow-root")
    command += extra_args
    print("+", " ".join(command), flush=True)
    if os.name == "nt":
        sys.exit(subprocess.run(command, env=env).returncode)
    os.execve(command[0], command, env)


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser test where that is possible.

    The browser test needs a system Chromium because Playwright's own browser download
    is not always reachable. On a Debian or Ubuntu machine where this runs as root the
    package is installed with apt-get; elsewhere the test explains what to install.
    """
    if os.environ.get("FOURRESNET_CHROMIUM") or shutil.which("chromium") or Path(CHROMIUM).exists():
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run([apt, "update", "-qq"], env=env)
        run([apt, "install", "-y", "-qq", "chromium"], env=env)
    else:
        print(t("runner.chromium_missing"), flush=True)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    extra_args = argv[1:]
    if command == "lab":
        python = ensure_venv("")
        notebook_dir = ROOT / "notebooks"
        env = dict(os.environ)
        if extra_args[:1] == ["--lang"] and len(extra_args) >= 2:
            language, extra_args = extra_args[1], extra_args[2:]
            if language != "zh":
                # The English edition is built from notebooks/translations/ into build/.
                run([python, "-m", "fourresnet_lib.course.translate", "build", "--lang", language], cwd=ROOT)
                notebook_dir = ROOT / "build" / f"notebooks-{language}"
            env["FOURRESNET_LANG"] = language
        start_lab(python, notebook_dir, extra_args, env)
        return 0
    if command == "test":
        python = ensure_venv("test")
        ensure_chromium()
        env = dict(os.environ, FOURRESNET_QUICK="1", MPLBACKEND="Agg", PYTHONHASHSEED="0")
        result = subprocess.run(
            [str(python), "-m", "pytest", "--nbval-lax", "tests", "notebooks", *extra_args],
            cwd=ROOT,
            env=env,
        )
        return result.returncode
    if command == "html":
        python = ensure_venv("test")
        run([python, "-m", "fourresnet_lib.course.render", *extra_args], cwd=ROOT)
        return 0
    print(t("runner.usage"))
    return 0 if command in ("help", "-h", "--help") else 2


def cli(argv: list[str]) -> None:
    """Run ``main`` and turn a failed step into one message instead of a traceback."""
    try:
        sys.exit(main(argv))
    except subprocess.CalledProcessError as error:
        command = " ".join(str(part) for part in error.cmd)
        sys.exit(t("runner.command_failed", command=command, code=error.returncode))


if __name__ == "__main__":
    cli(sys.argv[1:])
