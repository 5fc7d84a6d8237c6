"""Real example images for the feature-map pictures.

CIFAR-10 test images when the image-folder archive is available (through
``fourresnet_lib.data`` when that package is importable, else read here with zipfile and
Pillow), otherwise photos that scikit-image ships with the package, resized.

Images are returned as ``uint8`` tensors ``[N, 3, H, W]`` with one caption per image.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from fourresnet_lib.i18n import t
from fourresnet_lib.settings import REPO_ROOT

CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
# Per-channel statistics of the JPEG copy of the CIFAR-10 test split (RGB, [0, 1]),
# measured with Pillow over all 10,000 test images of the archive.
CIFAR10_MEAN = (0.4941, 0.4851, 0.4504)
CIFAR10_STD = (0.2448, 0.2422, 0.2606)

SKIMAGE_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
ARCHIVE_ENV = "FOURRESNET_CIFAR_ARCHIVE"


@dataclass
class ExampleImages:
    """A small batch of example images with captions and, for CIFAR-10, labels."""

    images: Tensor  # uint8 [N, 3, H, W]
    captions: list[str]
    source: str  # "cifar10" or "skimage"
    labels: Tensor | None = None


def cifar_archive_path() -> Path | None:
    """Return the CIFAR-10 image-folder zip: $FOURRESNET_CIFAR_ARCHIVE, else the shared copy."""
    env = os.environ.get(ARCHIVE_ENV)
    candidates = [Path(env).expanduser()] if env else []
    candidates.append(REPO_ROOT.parent / "shared" / "datasets" / "cifar10-jpeg.zip")
    for path in candidates:
        if path.is_file():
            return path
    return None


def read_cifar_archive(path: str | os.PathLike, count: int = 8, seed: int = 0,
                       split: str = "test") -> ExampleImages:
    """Read ``count`` images of ``split`` from the image-folder zip at ``path``.

    Images are drawn at random with ``seed`` across all classes and returned in class
    order of their file names; only the chosen members are decoded.
    """
    if count < 1:
        raise ValueError(t("viz.count_invalid", value=count))
    with zipfile.ZipFile(path) as archive:
        members = sorted(
            name for name in archive.namelist()
            if name.startswith(f"{split}/") and name.lower().endswith((".jpg", ".jpeg", ".png"))
        )
        if not members:
            raise ValueError(t("viz.archive_empty", path=str(path), split=split))
        generator = np.random.default_rng(seed)
        chosen = sorted(generator.choice(len(members), size=min(count, len(members)), replace=False))
        arrays, labels = [], []
        for index in chosen:
            name = members[index]
            class_name = name.split("/")[1]
            with Image.open(io.BytesIO(archive.read(name))) as image:
                arrays.append(np.asarray(image.convert("RGB")))
            labels.append(CIFAR10_CLASSES.index(class_name) if class_name in CIFAR10_CLASSES else -1)
    images = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    captions = [CIFAR10_CLASSES[label] if label >= 0 else "?" for label in labels]
    return ExampleImages(images, captions, "cifar10", torch.tensor(labels))


def _load_cifar_with_data_package(count: int, seed: int) -> ExampleImages | None:
    try:
        from fourresnet_lib.data import load_dataset
        from fourresnet_lib.data.decode import DatasetError
    except ImportError:
        return None
    try:
        # download=False: without a local copy, fall back instead of going online.
        images, labels, class_names = load_dataset("cifar10", "test", subset=count, seed=seed,
                                                   download=False)
    except (DatasetError, FileNotFoundError):
        return None
    captions = [str(class_names[int(label)]) for label in labels]
    return ExampleImages(images, captions, "cifar10", labels)


def load_cifar_images(count: int = 8, seed: int = 0) -> ExampleImages | None:
    """Return ``count`` CIFAR-10 test images, or None when the dataset is not available."""
    loaded = _load_cifar_with_data_package(count, seed)
    if loaded is not None:
        return loaded
    path = cifar_archive_path()
    if path is None:
        return None
    return read_cifar_archive(path, count=count, seed=seed)


def _square_resize(array: np.ndarray, size: int) -> np.ndarray:
    """Centre-crop an HxWx3 array to a square and resize it to ``size`` pixels."""
    height, width = array.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    image = Image.fromarray(array[top:top + side, left:left + side])
    return np.asarray(image.resize((size, size), Image.Resampling.BICUBIC))


def load_skimage_photos(names: tuple[str, ...] = SKIMAGE_PHOTOS, size: int = 32) -> ExampleImages:
    """Return the named scikit-image sample photos, centre-cropped and resized to ``size``."""
    import skimage.data

    if size < 8:
        raise ValueError(t("viz.size_invalid", value=size))
    arrays = []
    for name in names:
        loader = getattr(skimage.data, name, None)
        if loader is None:
            raise ValueError(t("viz.photo_unknown", value=name, choices=", ".join(SKIMAGE_PHOTOS)))
        array = np.asarray(loader())
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        arrays.append(_square_resize(array[..., :3].astype(np.uint8), size))
    images = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    return ExampleImages(images, list(names), "skimage")


def example_images(count: int = 8, size: int = 32, seed: int = 0, source: str = "auto") -> ExampleImages:
    """Return example images: CIFAR-10 test images when available, else scikit-image photos.

    ``source`` is "auto", "cifar10" (fail when the dataset is missing) or "skimage".
    CIFAR-10 images keep their 32x32 size. Photos are resized to ``size``, and there are
    only ``len(SKIMAGE_PHOTOS)`` of them, so fewer than ``count`` images may come back;
    photos have no labels.
    """
    if source not in ("auto", "cifar10", "skimage"):
        raise ValueError(t("viz.source_invalid", value=source))
    if source in ("auto", "cifar10"):
        loaded = load_cifar_images(count, seed)
        if loaded is not None:
            return loaded
        if source == "cifar10":
            raise FileNotFoundError(t("viz.cifar_missing", env=ARCHIVE_ENV))
    names = tuple(SKIMAGE_PHOTOS[i % len(SKIMAGE_PHOTOS)] for i in range(min(count, len(SKIMAGE_PHOTOS))))
    return load_skimage_photos(names, size=size)


def to_model_input(images: Tensor, mean: tuple[float, ...] = CIFAR10_MEAN,
                   std: tuple[float, ...] = CIFAR10_STD) -> Tensor:
    """Convert uint8 images ``[N, 3, H, W]`` to normalised float32 model input."""
    if images.dtype != torch.uint8 or images.ndim != 4 or images.shape[1] != 3:
        raise ValueError(t("viz.images_shape_invalid", shape=tuple(images.shape), dtype=str(images.dtype)))
    scaled = images.float() / 255.0
    mean_tensor = torch.tensor(mean).view(1, 3, 1, 1)
    std_tensor = torch.tensor(std).view(1, 3, 1, 1)
    return (scaled - mean_tensor) / std_tensor
