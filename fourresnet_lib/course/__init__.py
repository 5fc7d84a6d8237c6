"""Course support around the lessons in notebooks/.

- ``selfcheck``: exercise checkers that print passed, a hint or "not answered yet";
- ``envcheck``: the environment check of lesson 00;
- ``reference/``: reference results (JSON) recorded by the scripts in benchmarks/;
- ``render``: executes the lessons and writes HTML;
- ``translate``: builds the English editions from the translation files.

The submodules are imported on use (``from fourresnet_lib.course.selfcheck import
check_value``) so that importing the package stays cheap and does not pull in pandas.
"""

from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
"""Folder with reference results (JSON) recorded by the scripts in benchmarks/."""

__all__ = ["REFERENCE_DIR"]
