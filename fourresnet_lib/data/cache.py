"""Decoded-image cache: one ``.pt`` file per source and split, keyed by the source's content.

A cache file stores ``{"version", "images", "labels", "classes"}``. It is written to a
temporary file in the same folder and moved into place with ``os.replace``, so a reader
sees either no file or a complete one. A temporary file left behind by an interrupted
writer is never loaded and is removed by the next writer once its process is gone.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
import warnings
from pathlib import Path

import torch

from fourresnet_lib.i18n import t
from fourresnet_lib.settings import data_dir

# Part of every cache key: bump it when the stored layout or the decoding changes.
CACHE_VERSION = 1

_TEMP_SUFFIX = ".tmp"
# Temporary files of writers whose process id cannot be checked (Windows) are removed
# only when older than this, so a slow writer in another process is left alone.
_STALE_TEMP_SECONDS = 3600.0


def cache_dir(root: str | os.PathLike | None = None) -> Path:
    """Return the folder for decoded-image caches: ``<data folder>/cache``."""
    return data_dir(root) / "cache"


def file_digest(path: Path, chunk_size: int = 1 << 20) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def folder_digest(path: Path) -> str:
    """Return a SHA-256 over every file's relative path, size and modification time.

    Cheaper than hashing the pixels, and any added, removed, resized or rewritten file
    changes it.
    """
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        info = file.stat()
        relative = file.relative_to(path).as_posix()
        digest.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def source_digest(path: Path) -> str:
    """Return the content key of an image-folder source (directory or archive file)."""
    return folder_digest(path) if path.is_dir() else file_digest(path)


def cache_path(root: str | os.PathLike | None, name: str, split: str, digest: str) -> Path:
    """Return the cache file for one source and split."""
    key = hashlib.sha256(f"v{CACHE_VERSION}\0{digest}\0{split}".encode()).hexdigest()[:20]
    return cache_dir(root) / f"{name}-{split}-{key}.pt"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(final: Path) -> list[Path]:
    """Delete temporary files left by interrupted writers of ``final``; return them.

    Temporary names are ``.<final name>.<pid>.<random>.tmp``. A file whose writer
    process no longer runs is removed. On Windows, where ``os.kill(pid, 0)`` would send
    a signal, age decides instead.
    """
    removed = []
    for temp in final.parent.glob(f".{final.name}.*{_TEMP_SUFFIX}"):
        parts = temp.name[len(final.name) + 2 :].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            pid = -1
        if os.name == "posix" and pid > 0:
            stale = pid != os.getpid() and not _process_alive(pid)
        else:
            try:
                stale = time.time() - temp.stat().st_mtime > _STALE_TEMP_SECONDS
            except FileNotFoundError:
                continue
        if stale:
            temp.unlink(missing_ok=True)
            removed.append(temp)
    return removed


def temp_path(final: Path) -> Path:
    """Return a new temporary name next to ``final``: ``.<name>.<pid>.<random>.tmp``."""
    return final.parent / f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"


def atomic_write(final: Path, write, mode: str = "wb", **open_options) -> None:
    """Call ``write(handle)`` on a temporary file, then move it onto ``final``.

    Readers see either the old file or the complete new one. The temporary file is
    opened with ``open(..., "x")`` rather than ``tempfile``, so it gets the usual
    permissions (0666 minus the umask) instead of 0600.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(final)
    try:
        with open(temp, mode.replace("w", "x"), **open_options) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def atomic_torch_save(obj: object, final: Path) -> None:
    """Write ``obj`` with ``torch.save`` to ``final`` so readers never see a partial file."""
    atomic_write(final, lambda handle: torch.save(obj, handle))


def save_cache(path: Path, images: torch.Tensor, labels: torch.Tensor, classes: list[str]) -> None:
    """Store a decoded split atomically, first removing stale temporary files."""
    remove_stale_temp_files(path)
    payload = {"version": CACHE_VERSION, "images": images, "labels": labels, "classes": list(classes)}
    atomic_torch_save(payload, path)


def load_cache(path: Path) -> tuple[torch.Tensor, torch.Tensor, list[str]] | None:
    """Return ``(images, labels, classes)`` from a cache file, or None when it is unusable.

    An unreadable or inconsistent file is reported with a warning and treated as absent,
    so the caller decodes again and overwrites it.
    """
    if not path.is_file():
        return None
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
        images, labels, classes = payload["images"], payload["labels"], payload["classes"]
        valid = (
            payload.get("version") == CACHE_VERSION
            and images.dtype == torch.uint8
            and images.ndim == 4
            and labels.ndim == 1
            and labels.shape[0] == images.shape[0]
            and all(isinstance(name, str) for name in classes)
        )
    except Exception as error:  # any unpickling or format failure means "decode again"
        warnings.warn(t("data.cache_unreadable", path=str(path), error=repr(error)), stacklevel=3)
        return None
    if not valid:
        warnings.warn(t("data.cache_unreadable", path=str(path), error="inconsistent contents"), stacklevel=3)
        return None
    return images, labels, list(classes)
