"""Execute every course notebook and write it as HTML under build/html/.

    python -m fourresnet_lib.course.render [--quick] [--output DIR] [NOTEBOOK ...]

The notebooks are stored without outputs; this renders a readable, executed copy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fourresnet_lib.i18n import t
from fourresnet_lib.settings import REPO_ROOT


def render(notebook: Path, output_dir: Path, timeout_s: int) -> Path:
    """Execute ``notebook`` in its own folder and write ``output_dir/<stem>.html`` atomically."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor

    executed = nbformat.read(notebook, as_version=4)
    executor = ExecutePreprocessor(timeout=timeout_s, kernel_name="python3")
    executor.preprocess(executed, {"metadata": {"path": str(notebook.parent)}})
    body, _ = HTMLExporter().from_notebook_node(executed)

    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"{notebook.stem}.html"
    partial = target.with_suffix(".html.tmp")
    partial.write_text(body, encoding="utf-8")
    os.replace(partial, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=t("render.description"))
    parser.add_argument("notebooks", nargs="*", type=Path, help=t("render.help_notebooks"))
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "build" / "html", help=t("render.help_output"))
    parser.add_argument("--quick", action="store_true", help=t("render.help_quick"))
    parser.add_argument("--timeout", type=int, default=3600, help=t("render.help_timeout"))
    args = parser.parse_args(argv)

    if args.quick:
        os.environ["FOURRESNET_QUICK"] = "1"
    notebooks = args.notebooks or sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for notebook in notebooks:
        if not notebook.is_file():
            parser.error(t("render.notebook_missing", path=notebook))
        print(t("render.progress", path=notebook.name), flush=True)
        target = render(notebook.resolve(), args.output, args.timeout)
        print(t("render.written", path=target), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
