"""Rules every course notebook follows: stored without outputs, python3 kernel, lesson form.

Notebooks are stored without outputs so that diffs stay readable and no dataset images
end up in the repository; `python3 course.py html` renders the executed course instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
LESSONS = [
    "00_overview.ipynb",
    "01_vanishing_gradients.ipynb",
    "02_residual_connection.ipynb",
    "03_bottleneck.ipynb",
    "04_four_stages.ipynb",
    "05_feature_fusion.ipynb",
    "06_gradient_flow.ipynb",
    "07_training_cifar10.ipynb",
    "08_trained_features.ipynb",
]
# A Chinese term followed by its English name in full-width or ASCII parentheses,
# e.g. 残差连接（residual connection）.
_TERM = re.compile(r"[\u4e00-\u9fff]+\s*[（(]\s*([A-Za-z][A-Za-z0-9 \-/,.']*?)\s*[）)]")


def _present_lessons() -> list[Path]:
    return [NOTEBOOK_DIR / name for name in LESSONS if (NOTEBOOK_DIR / name).exists()]


def _markdown(notebook) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_course_has_every_lesson():
    present = sorted(path.name for path in NOTEBOOK_DIR.glob("*.ipynb"))
    assert present == LESSONS


@pytest.mark.parametrize("path", _present_lessons(), ids=lambda path: path.stem)
def test_notebook_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} has stored outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", _present_lessons(), ids=lambda path: path.stem)
def test_notebook_kernel_and_backend(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert "%matplotlib notebook" not in cell.source
            assert "%matplotlib widget" not in cell.source


@pytest.mark.parametrize("path", _present_lessons(), ids=lambda path: path.stem)
def test_notebook_has_lesson_form(path):
    text = _markdown(nbformat.read(path, as_version=4))
    for heading in ("学习目标", "小结", "练习"):
        assert heading in text, f"{path.name} has no {heading} section"


@pytest.mark.parametrize("path", _present_lessons(), ids=lambda path: path.stem)
def test_notebook_switches_to_quick_mode(path):
    sources = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    assert "quick_mode" in sources, f"{path.name} never reads the quick-mode setting"


def test_glossary_covers_introduced_terms():
    glossary = (ROOT / "docs" / "terminology.md").read_text(encoding="utf-8").lower()
    missing: dict[str, str] = {}
    for path in _present_lessons():
        for term in _TERM.findall(_markdown(nbformat.read(path, as_version=4))):
            if term.lower() not in glossary:
                missing.setdefault(term, path.name)
    assert not missing, f"terms introduced in lessons but absent from docs/terminology.md: {missing}"
