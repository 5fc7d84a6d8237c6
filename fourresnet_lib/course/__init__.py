"""Course support: exercise self-checks, the environment check and recorded reference results.

The submodules are imported on use (``from fourresnet_lib.course.selfcheck import
check_value``) so that importing the package stays cheap and does not pull in pandas.
"""

from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
"""Folder with reference results (JSON) recorded by the scripts in benchmarks/."""

__all__ = ["REFERENCE_DIR"]
