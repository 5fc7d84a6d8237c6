"""Small generated image-folder datasets for tests, smoke runs and exercises."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image


def write_image_folder(
    root: str | os.PathLike,
    classes: int = 4,
    train_per_class: int = 8,
    test_per_class: int = 4,
    size: int = 16,
    seed: int = 0,
    extension: str = "png",
) -> Path:
    """Write ``train/<class>/*`` and ``test/<class>/*`` images under ``root``; return ``root``.

    Class ``k`` is a noisy image whose mean colour and a bright square's position depend
    on ``k``, so a small network can learn the classes in a few steps. Class folders are
    named ``class0``, ``class1``... Lossless PNG by default, so decoded pixels equal the
    generated arrays.
    """
    root = Path(root)
    rng = np.random.default_rng(seed)
    for split, count in (("train", train_per_class), ("test", test_per_class)):
        for label in range(classes):
            folder = root / split / f"class{label}"
            folder.mkdir(parents=True, exist_ok=True)
            for index in range(count):
                Image.fromarray(class_image(label, classes, size, rng)).save(folder / f"{index:04d}.{extension}")
    return root


def class_image(label: int, classes: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return one ``[size, size, 3]`` uint8 image of class ``label``."""
    hue = np.array([label / classes, 1 - label / classes, (label % 2) * 0.8 + 0.1])
    image = rng.normal(loc=hue * 200 + 20, scale=25, size=(size, size, 3))
    quarter = size // 4
    top = (label % 2) * 2 * quarter
    left = (label // 2 % 2) * 2 * quarter
    image[top : top + quarter, left : left + quarter] = 255
    return image.clip(0, 255).astype(np.uint8)
