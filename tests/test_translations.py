"""English editions of the lessons: complete, current, and buildable."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from fourresnet_lib.course import translate


@pytest.fixture()
def lesson(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 第0课 测试"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("## 小结"),
    ]
    path = tmp_path / "notebooks" / "00_test.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    monkeypatch.setattr(translate, "TRANSLATION_DIR", tmp_path / "notebooks" / "translations")
    return path


def _write_translation(lesson, data):
    target = translate.translation_path(lesson, "en")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False))


def test_template_lists_every_markdown_cell(lesson):
    data = translate.template(lesson, "en")
    assert len(data["cells"]) == 2
    assert all(entry["text"] == "" for entry in data["cells"].values())


def test_build_replaces_markdown_and_sets_language(lesson, tmp_path):
    data = translate.template(lesson, "en")
    for entry in data["cells"].values():
        entry["text"] = "EN " + entry["source"]
    _write_translation(lesson, data)

    built = nbformat.read(translate.build_edition(lesson, "en", tmp_path / "out"), as_version=4)
    assert built.cells[0].cell_type == "code"
    assert "set_language('en')" in built.cells[0].source
    markdown = [cell.source for cell in built.cells if cell.cell_type == "markdown"]
    assert markdown == ["EN # 第0课 测试", "EN ## 小结"]


def test_edited_cell_makes_translation_stale(lesson, tmp_path):
    data = translate.template(lesson, "en")
    for entry in data["cells"].values():
        entry["text"] = "EN"
    _write_translation(lesson, data)
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells[2].source = "## 小结（已修改）"
    nbformat.write(notebook, lesson)

    state = translate.coverage(lesson, "en")
    assert state.stale == [notebook.cells[2].id]
    assert state.missing == []
    with pytest.raises(ValueError, match="00_test"):
        translate.build_edition(lesson, "en", tmp_path / "out")


@pytest.mark.parametrize("lesson_path", translate.lessons(), ids=lambda path: path.stem)
def test_lesson_has_current_english_translation(lesson_path):
    state = translate.coverage(lesson_path, "en")
    assert state.missing == [], f"untranslated markdown cells: {state.missing}"
    assert state.stale == [], f"stale translations (Chinese changed since): {state.stale}"
    texts = translate.load_translations(lesson_path, "en")
    empty = [cell_id for cell_id, entry in texts.items() if not entry.get("text", "").strip()]
    assert empty == []


@pytest.mark.timeout(600)
def test_english_edition_runs_in_english(tmp_path, monkeypatch):
    # Lesson 02 prints and plots through the translation table, so its English edition
    # must show no Chinese at all: neither in the prose nor in any output.
    from nbclient import NotebookClient

    monkeypatch.setenv("FOURRESNET_QUICK", "1")
    lesson = translate.NOTEBOOK_DIR / "02_residual_connection.ipynb"
    notebook = nbformat.read(translate.build_edition(lesson, "en", tmp_path), as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(translate.NOTEBOOK_DIR)}},
    ).execute()

    chinese = re.compile(r"[\u4e00-\u9fff]")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            assert not chinese.search(cell.source), f"markdown cell {index} has Chinese text"
        for output in cell.get("outputs", []):
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            assert not chinese.search(text), f"cell {index} printed Chinese: {text[:120]!r}"
