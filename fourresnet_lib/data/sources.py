"""Dataset sources and the resolver ``load_dataset``.

Sources:

* an image-folder layout (``train/<class>/*``, ``test/<class>/*``) given as a directory
  or a .zip, .tar, .tar.gz archive, decoded once into a uint8 cache;
* the official CIFAR-10 / CIFAR-100 Python batches through ``torchvision.datasets``.

``load_dataset("cifar10")`` takes ``$FOURRESNET_CIFAR_ARCHIVE`` when it is set, else the
official copy in the data folder, else downloads the official copy there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import torch

from fourresnet_lib.data import cache, decode
from fourresnet_lib.data.decode import DatasetError
from fourresnet_lib.data.subset import balanced_subset
from fourresnet_lib.i18n import t
from fourresnet_lib.settings import data_dir

ARCHIVE_ENV = "FOURRESNET_CIFAR_ARCHIVE"
OFFICIAL = ("cifar10", "cifar100")


class ImageDataset(NamedTuple):
    """One split: ``images`` uint8 ``[N, 3, H, W]``, ``labels`` int64 ``[N]``, class names."""

    images: torch.Tensor
    labels: torch.Tensor
    classes: list[str]


def _check_split(split: str) -> None:
    if split not in decode.SPLITS:
        raise ValueError(t("data.split_invalid", value=split, choices=", ".join(decode.SPLITS)))


def load_image_folder(
    path: str | os.PathLike, split: str = "train", root: str | os.PathLike | None = None, workers: int | None = None
) -> ImageDataset:
    """Load one split of an image-folder source, decoding it only when no cache matches.

    The cache lives in ``<data folder>/cache`` and is keyed by the SHA-256 of the
    archive file, or for a directory by the relative paths, sizes and modification
    times of its files. ``workers`` sets the number of decode processes (None: automatic).
    """
    _check_split(split)
    path = Path(path).expanduser()
    decode.archive_kind(path)  # raises a clear error for a missing or unsupported source
    digest = cache.source_digest(path)
    name = path.name.split(".")[0] or "dataset"
    cache_file = cache.cache_path(root, name, split, digest)
    cached = cache.load_cache(cache_file)
    if cached is not None:
        return ImageDataset(*cached)

    members, classes = decode.read_members(path, split)
    arrays = decode.decode_images([(member, data) for member, _, data in members], workers=workers, source=path)
    images = torch.from_numpy(arrays).permute(0, 3, 1, 2).contiguous()
    index = {name: label for label, name in enumerate(classes)}
    labels = torch.tensor([index[class_name] for _, class_name, _ in members], dtype=torch.long)
    cache.save_cache(cache_file, images, labels, classes)
    return ImageDataset(images, labels, classes)


def load_official(name: str, split: str = "train", root: str | os.PathLike | None = None, download: bool = True) -> ImageDataset:
    """Load the official CIFAR-10 or CIFAR-100 batches from the data folder via torchvision.

    Uses a copy already in the data folder without touching the network; downloads
    only when none is there and ``download`` is True.
    """
    import torchvision.datasets

    _check_split(split)
    folder = data_dir(root)
    dataset_class = torchvision.datasets.CIFAR10 if name == "cifar10" else torchvision.datasets.CIFAR100
    train = split == "train"
    try:
        dataset = dataset_class(root=str(folder), train=train, download=False)
    except RuntimeError:
        if not download:
            raise DatasetError(t("data.official_missing", name=name, folder=str(folder), env=ARCHIVE_ENV)) from None
        folder.mkdir(parents=True, exist_ok=True)
        try:
            dataset = dataset_class(root=str(folder), train=train, download=True)
        except (OSError, RuntimeError) as error:
            raise DatasetError(
                t("data.download_failed", name=name, folder=str(folder), error=str(error), env=ARCHIVE_ENV)
            ) from error
    images = torch.from_numpy(dataset.data).permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor(dataset.targets, dtype=torch.long)
    return ImageDataset(images, labels, list(dataset.classes))


def load_dataset(
    source: str | os.PathLike = "cifar10",
    split: str = "train",
    root: str | os.PathLike | None = None,
    subset: int | None = None,
    seed: int = 0,
    download: bool = True,
    workers: int | None = None,
) -> ImageDataset:
    """Return one split of a dataset as uint8 tensors, optionally a class-balanced subset.

    ``source`` is "cifar10", "cifar100", or the path of an image-folder directory or
    archive. For "cifar10", ``$FOURRESNET_CIFAR_ARCHIVE`` (an image-folder archive) wins
    over the official copy. ``root`` overrides the data folder. ``subset`` keeps that
    many images, balanced over classes and chosen with ``seed``.
    """
    _check_split(split)
    key = str(source).lower()
    if key == "cifar10" and os.environ.get(ARCHIVE_ENV):
        archive = Path(os.environ[ARCHIVE_ENV]).expanduser()
        if not archive.exists():
            raise DatasetError(t("data.archive_env_missing", env=ARCHIVE_ENV, path=str(archive)))
        dataset = load_image_folder(archive, split, root=root, workers=workers)
    elif key in OFFICIAL:
        dataset = load_official(key, split, root=root, download=download)
    else:
        dataset = load_image_folder(source, split, root=root, workers=workers)

    if subset is not None:
        indices = balanced_subset(dataset.labels, subset, seed=seed)
        dataset = ImageDataset(dataset.images[indices], dataset.labels[indices], dataset.classes)
    return dataset
