"""Process-wide settings read from environment variables: data folder and quick mode.

FOURRESNET_DATA   folder for downloads, caches and run outputs (default: ``data/``
                  at the repository root, or ``~/.cache/fourresnet`` when the package
                  is installed outside a checkout).
FOURRESNET_QUICK  "1" switches notebooks and examples to their small, fast setting;
                  the test command sets it. Unset or "0" means the full setting.
FOURRESNET_LANG   "zh" (default) or "en": language of every user-visible string.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def _in_checkout() -> bool:
    return (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "notebooks").is_dir()


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the data folder: the argument, else $FOURRESNET_DATA, else the default."""
    if override is not None:
        return Path(override).expanduser()
    env = os.environ.get("FOURRESNET_DATA")
    if env:
        return Path(env).expanduser()
    if _in_checkout():
        return REPO_ROOT / "data"
    return Path.home() / ".cache" / "fourresnet"


def quick_mode() -> bool:
    """Return True when FOURRESNET_QUICK selects the small, fast setting."""
    value = os.environ.get("FOURRESNET_QUICK", "0").strip().lower()
    return value not in ("", "0", "false", "no", "off")
