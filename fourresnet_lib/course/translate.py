"""English editions of the lessons, built from translation files.

The lessons in notebooks/ are written in Simplified Chinese. For every lesson,
``notebooks/translations/en/<lesson>.json`` maps each markdown cell's id to its English
text and to a fingerprint of the Chinese source it was translated from. Building an
edition replaces every markdown cell by its translation and adds a first code cell that
switches the library's language, so plots, widgets and messages follow:

    python -m fourresnet_lib.course.translate build --lang en    # writes build/notebooks-en/
    python -m fourresnet_lib.course.translate status             # lists missing or stale cells
    python -m fourresnet_lib.course.translate template LESSON    # prints a file to translate

A translation whose fingerprint no longer matches the Chinese cell is stale: ``status``
lists it and the build refuses it, so an edited lesson never shows an outdated text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from fourresnet_lib.i18n import t
from fourresnet_lib.settings import REPO_ROOT

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
TRANSLATION_DIR = NOTEBOOK_DIR / "translations"
LANGUAGE_CELL = "import fourresnet_lib\nfourresnet_lib.set_language({language!r})"


def fingerprint(source: str) -> str:
    """Return a short SHA-256 fingerprint of a cell's source text."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def translation_path(lesson: Path, language: str) -> Path:
    return TRANSLATION_DIR / language / f"{lesson.stem}.json"


@dataclass
class Coverage:
    """Translation state of one lesson: cell ids without a translation or with a stale one."""

    lesson: str
    missing: list[str]
    stale: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.stale


def _markdown_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "markdown"]


def load_translations(lesson: Path, language: str) -> dict[str, dict[str, str]]:
    path = translation_path(lesson, language)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(t("translate.invalid_file", path=path, error=error)) from error
    return data.get("cells", {})


def coverage(lesson: Path, language: str) -> Coverage:
    """Compare a lesson's markdown cells with its translation file."""
    import nbformat

    notebook = nbformat.read(lesson, as_version=4)
    translations = load_translations(lesson, language)
    missing, stale = [], []
    for cell in _markdown_cells(notebook):
        entry = translations.get(cell.id)
        if entry is None:
            missing.append(cell.id)
        elif entry.get("source_fingerprint") != fingerprint(cell.source):
            stale.append(cell.id)
    return Coverage(lesson.name, missing, stale)


def template(lesson: Path, language: str) -> dict:
    """Return a translation file for ``lesson`` that keeps current entries and adds blanks."""
    import nbformat

    notebook = nbformat.read(lesson, as_version=4)
    current = load_translations(lesson, language)
    cells = {}
    for cell in _markdown_cells(notebook):
        entry = current.get(cell.id, {})
        cells[cell.id] = {
            "source_fingerprint": fingerprint(cell.source),
            "source": cell.source,
            "text": entry.get("text", ""),
        }
    return {"lesson": lesson.name, "language": language, "cells": cells}


def build_edition(lesson: Path, language: str, output_dir: Path) -> Path:
    """Write the ``language`` edition of ``lesson`` into ``output_dir`` atomically."""
    import nbformat

    state = coverage(lesson, language)
    if not state.complete:
        raise ValueError(
            t(
                "translate.incomplete",
                lesson=lesson.name,
                missing=len(state.missing),
                stale=len(state.stale),
            )
        )
    notebook = nbformat.read(lesson, as_version=4)
    translations = load_translations(lesson, language)
    for cell in _markdown_cells(notebook):
        cell.source = translations[cell.id]["text"]
    notebook.cells.insert(0, nbformat.v4.new_code_cell(LANGUAGE_CELL.format(language=language)))

    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / lesson.name
    partial = target.with_name(target.name + ".tmp")
    nbformat.write(notebook, partial)
    os.replace(partial, target)
    return target


def lessons() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=t("translate.description"))
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help=t("translate.help_build"))
    build.add_argument("--lang", default="en", help=t("translate.help_lang"))
    build.add_argument("--output", type=Path, default=None, help=t("translate.help_output"))
    status = commands.add_parser("status", help=t("translate.help_status"))
    status.add_argument("--lang", default="en", help=t("translate.help_lang"))
    make_template = commands.add_parser("template", help=t("translate.help_template"))
    make_template.add_argument("lesson", type=Path)
    make_template.add_argument("--lang", default="en", help=t("translate.help_lang"))
    args = parser.parse_args(argv)

    if args.command == "template":
        if not args.lesson.is_file():
            parser.error(t("render.notebook_missing", path=args.lesson))
        json.dump(template(args.lesson, args.lang), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if args.command == "status":
        incomplete = 0
        for lesson in lessons():
            state = coverage(lesson, args.lang)
            incomplete += not state.complete
            print(t("translate.status_line", lesson=lesson.name, missing=len(state.missing), stale=len(state.stale)))
        return 1 if incomplete else 0

    output_dir = args.output or REPO_ROOT / "build" / f"notebooks-{args.lang}"
    for lesson in lessons():
        target = build_edition(lesson, args.lang, output_dir)
        print(t("render.written", path=target), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
