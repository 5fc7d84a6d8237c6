"""Read an image-folder source (directory, .zip, .tar, .tar.gz) and decode it with Pillow.

Layout: ``<split>/<class>/<file>`` for splits "train" and "test", optionally below one
top-level folder. Class names are the sorted union of the class folders of all splits,
so label numbers agree between splits.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import tarfile
import zipfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from fourresnet_lib.i18n import t

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
SPLITS = ("train", "test")

# Below this many images the set-up cost of worker processes outweighs their gain.
_MIN_IMAGES_PER_WORKER = 2000


class DatasetError(ValueError):
    """A dataset source is missing, unreadable or not in the image-folder layout."""


def archive_kind(path: Path) -> str:
    """Return "dir", "zip" or "tar" for a source path, or raise DatasetError."""
    if not path.exists():
        raise DatasetError(t("data.source_missing", path=str(path)))
    if path.is_dir():
        return "dir"
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar", ".tar.gz", ".tgz")):
        return "tar"
    raise DatasetError(t("data.source_format", path=str(path), formats=", ".join(ARCHIVE_SUFFIXES)))


def _member_entry(relative: str) -> tuple[str, str] | None:
    """Return ``(split, class)`` for an image path inside the layout, else None."""
    parts = relative.replace("\\", "/").strip("/").split("/")
    if len(parts) < 3 or any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return None
    if not parts[-1].lower().endswith(IMAGE_EXTENSIONS) or parts[-3] not in SPLITS:
        return None
    return parts[-3], parts[-2]


def _corrupt(path: Path, error: BaseException) -> DatasetError:
    return DatasetError(t("data.archive_corrupt", path=str(path), error=f"{type(error).__name__}: {error}"))


@contextlib.contextmanager
def _archive_errors(path: Path):
    """Turn errors of a damaged archive into DatasetError naming ``path``.

    A missing file or a permission error passes through unchanged, because its own
    message already names the cause.
    """
    try:
        yield
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error) as error:
        raise _corrupt(path, error) from error
    except OSError as error:
        if isinstance(error, (FileNotFoundError, PermissionError)):
            raise
        raise _corrupt(path, error) from error


def verify_archive(path: Path) -> str:
    """Check that a source exists and that an archive opens, and return its kind.

    Reads only the zip directory or the first tar header, so it is fast even for a large
    archive. Raises the same ``DatasetError`` messages as ``read_members`` for a missing,
    unsupported or unreadable file; a truncated member is found only when decoding.
    """
    kind = archive_kind(path)
    with _archive_errors(path):
        if kind == "zip":
            with zipfile.ZipFile(path):
                pass
        elif kind == "tar":
            with tarfile.open(path, mode="r|*") as archive:
                if archive.next() is None:
                    raise tarfile.ReadError(t("data.archive_empty"))
    return kind


def read_members(path: Path, split: str) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    """Return ``([(relative path, class, file bytes)...], classes)`` for one split.

    Members are sorted by class, then by path, which fixes the label order.
    """
    kind = archive_kind(path)
    entries: list[tuple[str, str, bytes]] = []
    classes: set[str] = set()
    with _archive_errors(path):
        if kind == "dir":
            for file in path.rglob("*"):
                relative = file.relative_to(path).as_posix()
                entry = _member_entry(relative) if file.is_file() else None
                if entry:
                    classes.add(entry[1])
                    if entry[0] == split:
                        entries.append((relative, entry[1], file.read_bytes()))
        elif kind == "zip":
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    entry = None if info.is_dir() else _member_entry(info.filename)
                    if entry:
                        classes.add(entry[1])
                        if entry[0] == split:
                            entries.append((info.filename, entry[1], archive.read(info)))
        else:
            # Streaming mode ("r|*") reads a .tar.gz front to back once, without seeking.
            with tarfile.open(path, mode="r|*") as archive:
                for member in archive:
                    entry = _member_entry(member.name) if member.isfile() else None
                    if entry:
                        classes.add(entry[1])
                        if entry[0] == split:
                            handle = archive.extractfile(member)
                            entries.append((member.name, entry[1], handle.read()))
    if not entries:
        raise DatasetError(t("data.split_empty", path=str(path), split=split))
    entries.sort(key=lambda item: (item[1], item[0]))
    return entries, sorted(classes)


# Pillow's message for an unrecognised file names the in-memory buffer
# ("<_io.BytesIO object at 0x...>"), which means nothing to the reader.
_BUFFER_REPR = re.compile(r"\s*<_io\.BytesIO object at 0x[0-9a-fA-F]+>")


def _decode_one(name: str, data: bytes, source: str) -> np.ndarray:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        detail = _BUFFER_REPR.sub("", str(error)).strip()
        detail = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
        raise DatasetError(t("data.image_unreadable", name=name, source=source, error=detail)) from error


def decode_chunk(items: list[tuple[str, bytes]], source: str = "?") -> list[np.ndarray]:
    """Decode ``[(name, bytes)...]`` to HWC uint8 RGB arrays; a worker-process entry point.

    ``source`` (the archive or directory the bytes came from) appears in error messages.
    """
    return [_decode_one(name, data, source) for name, data in items]


def default_workers(count: int) -> int:
    """Return how many decode processes to use for ``count`` images (0 means in-process)."""
    cores = os.cpu_count() or 1
    return 0 if cores < 2 or count < 2 * _MIN_IMAGES_PER_WORKER else min(cores, 8)


def decode_images(
    items: list[tuple[str, bytes]], workers: int | None = None, source: str | os.PathLike = "?"
) -> np.ndarray:
    """Decode images to one ``[N, H, W, 3]`` uint8 array; sizes must match the first image.

    ``workers`` > 0 spreads the work over that many processes; None picks a default.
    ``source`` names the archive or directory in error messages.
    """
    decode = functools.partial(decode_chunk, source=str(source))
    workers = default_workers(len(items)) if workers is None else workers
    if workers > 0:
        size = -(-len(items) // (workers * 4))
        chunks = [items[start : start + size] for start in range(0, len(items), size)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            arrays = [array for chunk in pool.map(decode, chunks) for array in chunk]
    else:
        arrays = decode(items)

    expected = arrays[0].shape
    for (name, _), array in zip(items, arrays):
        if array.shape != expected:
            raise DatasetError(
                t(
                    "data.image_size_mismatch",
                    name=name,
                    size=f"{array.shape[1]}x{array.shape[0]}",
                    expected=f"{expected[1]}x{expected[0]}",
                    first=items[0][0],
                )
            )
    return np.stack(arrays)
