"""The environment check that lesson 00 runs before anything else.

:func:`check_environment` returns a pandas table with one row per check (Python, PyTorch,
compute device, Jupyter widgets, Chinese font, CIFAR-10) and a status of "ok", "warn"
or "fail". A failed check stops part of the course from working. A warning means that the
course works with a limitation (slower training, English plot labels, a download on first
use). Each message says what to do next.

Every check is a function that takes the facts it looks at as optional arguments, so the
tests can simulate machines other than the one they run on (a widget version mismatch,
no font, no dataset).
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from fourresnet_lib.i18n import t
from fourresnet_lib.settings import data_dir

__all__ = [
    "CheckResult",
    "check_environment",
    "run_checks",
    "check_python",
    "check_torch",
    "check_device",
    "check_widgets",
    "check_font",
    "check_cifar10",
]

STATUSES = ("ok", "warn", "fail")
MIN_PYTHON = (3, 11)
# Same lower bound as the torch requirement in pyproject.toml.
MIN_TORCH = Version("2.2")
WIDGET_FIX = "pip install -U ipywidgets jupyterlab_widgets"
# The front-end package each ipywidgets major release was built for (ipywidgets 7.6+
# depends on jupyterlab_widgets 1.x, ipywidgets 8 on jupyterlab_widgets 3.x). Used only
# when ipywidgets' own package metadata does not state the requirement.
FRONTEND_MAJOR_FOR_IPYWIDGETS = {7: 1, 8: 3}
CIFAR_ARCHIVE_ENV = "FOURRESNET_CIFAR_ARCHIVE"
OFFICIAL_CIFAR_ARCHIVE = "cifar-10-python.tar.gz"
OFFICIAL_CIFAR_FOLDER = "cifar-10-batches-py"
OFFICIAL_CIFAR_FILES = ("batches.meta", "test_batch", *(f"data_batch_{i}" for i in range(1, 6)))


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: stable id, status ("ok", "warn", "fail"), found value, message."""

    check: str
    status: str
    value: str
    message: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"CheckResult.status must be one of {STATUSES}, got {self.status!r}")


def _installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or what the platform module reports."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _major(version: str) -> int | None:
    try:
        return Version(version).major
    except InvalidVersion:
        return None


# --- interpreter and libraries ---------------------------------------------------------


def check_python(version_info: tuple[int, ...] | None = None) -> CheckResult:
    """Check that Python is at least 3.11, the version the course requires."""
    version_info = tuple(sys.version_info[:3]) if version_info is None else tuple(version_info)
    value = ".".join(str(part) for part in version_info[:3])
    required = ".".join(str(part) for part in MIN_PYTHON)
    if version_info[:2] >= MIN_PYTHON:
        return CheckResult("python", "ok", value, t("nb.env.python_ok", required=required))
    return CheckResult("python", "fail", value, t("nb.env.python_old", version=value, required=required))


def check_torch(
    torch_version: str | None = None, torchvision_version: str | None = None, detect: bool = True
) -> CheckResult:
    """Check that PyTorch (at least 2.2) and torchvision are installed.

    Versions left as None are read from the installed packages when ``detect`` is true,
    and mean "not installed" otherwise.
    """
    if detect:
        torch_version = torch_version or _installed_version("torch")
        torchvision_version = torchvision_version or _installed_version("torchvision")
    if torch_version is None:
        return CheckResult("torch", "fail", "-", t("nb.env.torch_missing"))
    value = f"torch {torch_version}, torchvision {torchvision_version or '-'}"
    try:
        too_old = Version(torch_version).release < MIN_TORCH.release
    except InvalidVersion:
        too_old = False
    if too_old:
        return CheckResult("torch", "fail", value, t("nb.env.torch_old", version=torch_version, required=str(MIN_TORCH)))
    if torchvision_version is None:
        return CheckResult("torch", "fail", value, t("nb.env.torchvision_missing"))
    return CheckResult("torch", "ok", value, t("nb.env.torch_ok"))


def check_device(
    cuda_available: bool | None = None,
    cuda_name: str | None = None,
    mps_available: bool | None = None,
) -> CheckResult:
    """Report the device the lessons train on: a CUDA GPU, Apple's MPS, or the CPU."""
    if cuda_available is None or mps_available is None:
        import torch

        if cuda_available is None:
            cuda_available = torch.cuda.is_available()
        if mps_available is None:
            mps_backend = getattr(torch.backends, "mps", None)
            mps_available = bool(mps_backend is not None and mps_backend.is_available())
    if cuda_available:
        if cuda_name is None:
            import torch

            cuda_name = torch.cuda.get_device_name(0)
        return CheckResult("device", "ok", f"CUDA: {cuda_name}", t("nb.env.device_cuda"))
    if mps_available:
        return CheckResult("device", "ok", "MPS", t("nb.env.device_mps"))
    value = t("nb.env.device_cpu_value", model=cpu_model(), cores=os.cpu_count())
    return CheckResult("device", "warn", value, t("nb.env.device_cpu"))


# --- Jupyter widgets -------------------------------------------------------------------


def _frontend_requirement() -> str | None:
    """Return ipywidgets' declared jupyterlab_widgets requirement, e.g. "jupyterlab_widgets~=3.0.15"."""
    try:
        requirements = importlib.metadata.requires("ipywidgets") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for line in requirements:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if requirement.name.replace("-", "_").lower() == "jupyterlab_widgets" and requirement.marker is None:
            return line
    return None


def _expected_frontend_major(ipywidgets_version: str, requirement: str | None) -> int | None:
    """Return the jupyterlab_widgets major version that this ipywidgets release needs."""
    if requirement is not None:
        specifier = Requirement(requirement).specifier
        lowest = [spec.version for spec in specifier if spec.operator in ("~=", ">=", "==")]
        if lowest:
            return _major(lowest[0])
    kernel_major = _major(ipywidgets_version)
    return FRONTEND_MAJOR_FOR_IPYWIDGETS.get(kernel_major) if kernel_major is not None else None


def check_widgets(
    ipywidgets_version: str | None = None,
    jupyterlab_widgets_version: str | None = None,
    requirement: str | None = None,
    detect: bool = True,
) -> CheckResult:
    """Compare the kernel's ipywidgets with JupyterLab's widget manager, jupyterlab_widgets.

    The two halves of a widget talk over a versioned protocol: ipywidgets 8 in the kernel
    needs the jupyterlab_widgets 3 front end, and a major-version mismatch shows "Error
    displaying widget" instead of the widget. ``requirement`` is ipywidgets' declared
    jupyterlab_widgets requirement (read from its package metadata when ``detect`` is
    true). With ``detect=False`` a missing argument means "not installed".
    """
    if detect:
        installed = _installed_version("ipywidgets")
        ipywidgets_version = ipywidgets_version or installed
        jupyterlab_widgets_version = jupyterlab_widgets_version or _installed_version("jupyterlab_widgets")
        # The declared requirement belongs to the installed release only.
        if requirement is None and ipywidgets_version == installed:
            requirement = _frontend_requirement()
    if ipywidgets_version is None:
        return CheckResult("widgets", "fail", "-", t("nb.env.widgets_missing", fix=WIDGET_FIX))
    value = f"ipywidgets {ipywidgets_version}, jupyterlab_widgets {jupyterlab_widgets_version or '-'}"
    if jupyterlab_widgets_version is None:
        return CheckResult("widgets", "warn", value, t("nb.env.widgets_frontend_missing", fix=WIDGET_FIX))

    kernel_major = _major(ipywidgets_version)
    frontend_major = _major(jupyterlab_widgets_version)
    expected_major = _expected_frontend_major(ipywidgets_version, requirement)
    if kernel_major is not None and kernel_major < 8:
        return CheckResult(
            "widgets", "fail", value, t("nb.env.widgets_kernel_old", version=ipywidgets_version, fix=WIDGET_FIX)
        )
    if expected_major is not None and frontend_major is not None and frontend_major != expected_major:
        return CheckResult(
            "widgets",
            "fail",
            value,
            t(
                "nb.env.widgets_mismatch",
                kernel=ipywidgets_version,
                frontend=jupyterlab_widgets_version,
                kernel_major=kernel_major,
                expected_major=expected_major,
                frontend_major=frontend_major,
                fix=WIDGET_FIX,
            ),
        )
    if requirement is not None and not Requirement(requirement).specifier.contains(
        jupyterlab_widgets_version, prereleases=True
    ):
        return CheckResult(
            "widgets", "warn", value, t("nb.env.widgets_minor", requirement=requirement, fix=WIDGET_FIX)
        )
    return CheckResult("widgets", "ok", value, t("nb.env.widgets_ok"))


# --- font and data ---------------------------------------------------------------------


def _default_font_finder() -> Callable[[], Path | None]:
    """Return the font lookup of fourresnet_lib.viz, or the mplfonts file lookup without it."""
    try:
        from fourresnet_lib.viz.fonts import find_cjk_font_file
    except ImportError:

        def find_cjk_font_file() -> Path | None:
            try:
                import mplfonts
            except ImportError:
                return None
            path = Path(mplfonts.__file__).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
            return path if path.is_file() else None

    return find_cjk_font_file


def check_font(find_font: Callable[[], Path | None] | None = None) -> CheckResult:
    """Check that a CJK font file is available for Chinese plot labels."""
    path = (find_font or _default_font_finder())()
    if path is not None and Path(path).is_file():
        return CheckResult("font", "ok", Path(path).name, t("nb.env.font_ok"))
    return CheckResult("font", "warn", "-", t("nb.env.font_missing"))


def check_cifar10(environ: Mapping[str, str] | None = None, folder: str | os.PathLike | None = None) -> CheckResult:
    """Find CIFAR-10: $FOURRESNET_CIFAR_ARCHIVE first, else the official copy in the data folder.

    This follows the order in which ``fourresnet_lib.data.load_dataset("cifar10")``
    looks. It reads no image, so it is fast, but it opens an archive that the variable
    names (the zip directory or the first tar header) and fails with the loader's own
    message when the file is not a readable .zip or .tar.
    """
    environ = os.environ if environ is None else environ
    folder = data_dir() if folder is None else Path(folder)
    archive = environ.get(CIFAR_ARCHIVE_ENV)
    if archive:
        path = Path(archive).expanduser()
        if not (path.is_file() or path.is_dir()):
            return CheckResult(
                "cifar10", "fail", str(path), t("nb.env.cifar_archive_missing", env=CIFAR_ARCHIVE_ENV, path=str(path))
            )
        from fourresnet_lib.data.decode import DatasetError, verify_archive

        try:
            verify_archive(path)
        except (DatasetError, OSError) as error:
            return CheckResult("cifar10", "fail", str(path), str(error))
        return CheckResult("cifar10", "ok", str(path), t("nb.env.cifar_archive_ok", env=CIFAR_ARCHIVE_ENV))
    extracted = folder / OFFICIAL_CIFAR_FOLDER
    if all((extracted / name).is_file() for name in OFFICIAL_CIFAR_FILES):
        return CheckResult("cifar10", "ok", str(extracted), t("nb.env.cifar_official_ok"))
    tarball = folder / OFFICIAL_CIFAR_ARCHIVE
    if tarball.is_file():
        return CheckResult("cifar10", "ok", str(tarball), t("nb.env.cifar_tarball_ok"))
    return CheckResult(
        "cifar10",
        "warn",
        "-",
        t("nb.env.cifar_missing", folder=str(folder), archive=OFFICIAL_CIFAR_ARCHIVE, env=CIFAR_ARCHIVE_ENV),
    )


# --- the report ------------------------------------------------------------------------


def run_checks() -> list[CheckResult]:
    """Run every check on this machine and return the results in display order."""
    return [check_python(), check_torch(), check_device(), check_widgets(), check_font(), check_cifar10()]


def check_environment(results: list[CheckResult] | None = None):
    """Return the environment report as a pandas DataFrame, one row per check.

    The index is the stable check id (python, torch, device, widgets, font, cifar10); the
    column headers and messages are in the course language, and the status column contains
    "ok", "warn" or "fail". Pass ``results`` to tabulate checks that were already run.
    """
    import pandas as pd

    results = run_checks() if results is None else results
    rows = [
        {
            t("nb.env.col_item"): t(f"nb.env.item_{result.check}"),
            t("nb.env.col_status"): result.status,
            t("nb.env.col_value"): result.value,
            t("nb.env.col_message"): result.message,
        }
        for result in results
    ]
    table = pd.DataFrame(rows, index=[result.check for result in results])
    table.index.name = "check"
    return table
