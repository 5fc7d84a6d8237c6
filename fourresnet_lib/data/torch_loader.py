"""The textbook route: ``torch.utils.data.DataLoader`` with torchvision transforms.

Works on the same uint8 tensors as ``TensorLoader``. Dataset and transform are
module-level classes, so they pickle and ``num_workers > 0`` works under the "spawn"
start method (the default on Windows and macOS).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from fourresnet_lib.i18n import t


class UInt8ImageDataset(Dataset):
    """Map-style dataset over uint8 ``[N, 3, H, W]`` images and their labels.

    With ``pil=True`` an item is a ``PIL.Image`` before ``transform``, as in
    ``torchvision.datasets.CIFAR10``; otherwise it is the uint8 tensor ``[3, H, W]``.
    """

    def __init__(
        self, images: torch.Tensor, labels: torch.Tensor, transform: Callable | None = None, pil: bool = False
    ) -> None:
        self.images = images
        self.labels = labels
        self.transform = transform
        self.pil = pil

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def __getitem__(self, index: int) -> tuple[object, int]:
        image = self.images[index]
        if self.pil:
            image = Image.fromarray(image.permute(1, 2, 0).numpy())
        if self.transform is not None:
            image = self.transform(image)
        return image, int(self.labels[index])


def torchvision_transforms(
    train: bool,
    mean: Sequence[float],
    std: Sequence[float],
    size: tuple[int, int] = (32, 32),
    padding: int = 4,
    padding_mode: str = "reflect",
    cutout: int = 0,
    pil: bool = False,
):
    """Return the torchvision pipeline that matches ``TensorLoader``'s augmentation.

    ``size`` is the image height and width. ``pil=True`` gives the classic
    ``transforms`` chain on PIL images (``ToTensor`` near the end); otherwise
    ``transforms.v2`` on uint8 tensors. Cutout uses ``RandomErasing`` with a square of
    ``cutout`` pixels and value 0 after normalization; unlike ``TensorLoader`` it keeps
    the square fully inside the image.
    """
    if pil:
        from torchvision import transforms as module
    else:
        from torchvision.transforms import v2 as module

    fill_mode = "constant" if padding_mode == "zeros" else padding_mode
    steps: list = []
    if train:
        steps.append(module.RandomCrop(size, padding=padding, padding_mode=fill_mode))
        steps.append(module.RandomHorizontalFlip())
    if pil:
        steps.append(module.ToTensor())
    else:
        steps.append(module.ToDtype(torch.float32, scale=True))
    steps.append(module.Normalize(mean, std))
    if train and cutout:
        scale = cutout * cutout / float(size[0] * size[1])
        steps.append(module.RandomErasing(p=1.0, scale=(scale, scale), ratio=(1.0, 1.0), value=0))
    return module.Compose(steps)


def make_torch_loader(
    images: torch.Tensor,
    labels: torch.Tensor,
    batch_size: int,
    train: bool,
    mean: Sequence[float],
    std: Sequence[float],
    num_workers: int = 0,
    padding: int = 4,
    padding_mode: str = "reflect",
    cutout: int = 0,
    pil: bool = False,
    seed: int = 0,
    multiprocessing_context: str | None = None,
    **loader_options,
) -> DataLoader:
    """Return a standard ``DataLoader`` over the uint8 tensors with torchvision transforms.

    Shuffles and drops the last incomplete batch in training, like the classic CIFAR
    recipes; ``seed`` seeds the shuffling generator. Extra keyword arguments go to
    ``DataLoader`` (``pin_memory``, ``persistent_workers``...). With a ``sampler``
    (for example ``DistributedSampler``) the sampler decides order and length.
    """
    if not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(t("data.num_workers_invalid", value=num_workers))
    transform = torchvision_transforms(
        train, mean, std, size=tuple(images.shape[-2:]), padding=padding, padding_mode=padding_mode, cutout=cutout, pil=pil
    )
    dataset = UInt8ImageDataset(images, labels, transform, pil=pil)
    custom_order = "sampler" in loader_options
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=train and not custom_order,
        drop_last=train and not custom_order,
        num_workers=num_workers,
        generator=torch.Generator().manual_seed(seed),
        multiprocessing_context=multiprocessing_context if num_workers > 0 else None,
        **loader_options,
    )
