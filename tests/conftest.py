"""Shared pytest set-up: where the CIFAR-10 image-folder archive is, and quiet plotting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

# The JPEG copy of CIFAR-10 (image-folder layout in one zip) sits beside the checkout on
# the development and CI machines. FOURRESNET_CIFAR_ARCHIVE overrides the location.
_SIBLING_ARCHIVE = REPO_ROOT.parent / "shared" / "datasets" / "cifar10-jpeg.zip"


def cifar_archive_path() -> Path | None:
    """Return the CIFAR-10 image-folder archive if one is available, else None."""
    configured = os.environ.get("FOURRESNET_CIFAR_ARCHIVE")
    if configured:
        return Path(configured)
    if _SIBLING_ARCHIVE.is_file():
        return _SIBLING_ARCHIVE
    return None


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Notebook kernels started by nbval inherit this environment, so lessons find the
    # dataset the same way the library tests do.
    archive = cifar_archive_path()
    if archive is not None:
        os.environ.setdefault("FOURRESNET_CIFAR_ARCHIVE", str(archive))


@pytest.fixture(scope="session")
def cifar_archive() -> Path:
    """Path of the CIFAR-10 image-folder archive; skips when absent outside CI."""
    archive = cifar_archive_path()
    if archive is None or not archive.is_file():
        message = (
            "CIFAR-10 image-folder archive not found; set FOURRESNET_CIFAR_ARCHIVE "
            "to a zip with train/<class>/*.jpg and test/<class>/*.jpg"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return archive
