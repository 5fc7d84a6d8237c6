"""``TrainConfig``: every training setting with its unit, in one place."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fourresnet_lib.i18n import t

DEVICES = ("auto", "cpu", "cuda", "mps")
SCHEDULES = ("cosine", "linear")
PRECISIONS = ("auto", "bf16", "fp16", "fp32")
PIPELINES = ("tensor", "torchvision")
FUSIONS = ("none", "fpn", "concat")
PADDING_MODES = ("reflect", "zeros")

# The learning rate is given for this many images per batch and scaled linearly.
REFERENCE_BATCH = 512


@dataclass
class TrainConfig:
    """Settings of one training run.

    Units:

    - ``epochs``, ``warmup_epochs``: passes over the training subset.
    - ``batch_size``: images per optimizer step, summed over all processes.
    - ``lr``: peak learning rate for a batch of 512 images. The run uses
      ``lr * batch_size / 512`` (linear scaling).
    - ``weight_decay``: L2 coefficient for convolution and linear weights only, not for
      BatchNorm parameters or biases.
    - ``subset``, ``test_subset``: images, class-balanced; None means all.
    - ``cutout``, ``crop_padding``: pixels.
    """

    model: str = "fourresnet26_cifar"
    fusion: str | None = None  # None keeps the model's own default
    width_multiplier: float = 1.0
    data: str = "cifar10"  # "cifar10", "cifar100", or an image-folder directory / archive path
    data_root: str | None = None  # data folder for caches and downloads (None: settings.data_dir())
    epochs: int = 10
    batch_size: int = 512
    lr: float = 0.4
    warmup_epochs: float = 1.0
    schedule: str = "cosine"
    weight_decay: float = 5e-4
    momentum: float = 0.9
    nesterov: bool = True
    label_smoothing: float = 0.1
    subset: int | None = None
    test_subset: int | None = None
    crop_padding: int = 4
    padding_mode: str = "reflect"
    flip: bool = True
    cutout: int = 0
    tta: bool = True  # horizontal-flip test-time augmentation in the final evaluation
    pipeline: str = "tensor"  # "tensor" (device-side augmentation) or "torchvision" (DataLoader)
    num_workers: int = 0  # DataLoader worker processes; only for pipeline="torchvision"
    out_dir: str | None = None  # checkpoint and history folder; None writes nothing
    resume: bool = False
    compile: bool = False
    seed: int = 0
    device: str = "auto"
    precision: str = "auto"  # "auto": bf16 on CUDA where supported, else fp16 on CUDA, fp32 elsewhere
    channels_last: bool = True
    progress: bool = True

    def validate(self) -> TrainConfig:
        """Raise ValueError naming the first invalid setting; return self when all are valid."""
        _positive_int("epochs", self.epochs)
        _positive_int("batch_size", self.batch_size)
        _choice("device", self.device, DEVICES)
        _choice("schedule", self.schedule, SCHEDULES)
        _choice("precision", self.precision, PRECISIONS)
        _choice("pipeline", self.pipeline, PIPELINES)
        _choice("padding_mode", self.padding_mode, PADDING_MODES)
        if self.fusion is not None:
            _choice("fusion", self.fusion, FUSIONS)

        for name in ("lr", "width_multiplier"):
            value = getattr(self, name)
            if not _is_number(value) or value <= 0:
                raise ValueError(t("train.config_positive", name=name, value=value))
        for name in ("warmup_epochs", "weight_decay"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise ValueError(t("train.config_non_negative", name=name, value=value))
        if not _is_number(self.momentum) or not 0 <= self.momentum < 1:
            raise ValueError(t("train.config_range", name="momentum", value=self.momentum, low=0, high=1))
        if not _is_number(self.label_smoothing) or not 0 <= self.label_smoothing < 1:
            raise ValueError(
                t("train.config_range", name="label_smoothing", value=self.label_smoothing, low=0, high=1)
            )

        for name in ("subset", "test_subset"):
            value = getattr(self, name)
            if value is not None:
                _positive_int(name, value)
        for name in ("cutout", "crop_padding", "num_workers", "seed"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(t("train.config_non_negative", name=name, value=value))

        if self.resume and not self.out_dir:
            raise ValueError(t("train.resume_needs_out_dir"))
        return self

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict."""
        return dataclasses.asdict(self)

    @property
    def scaled_lr(self) -> float:
        """Peak learning rate used for ``batch_size``: ``lr * batch_size / 512``."""
        return self.lr * self.batch_size / REFERENCE_BATCH

    @property
    def out_path(self) -> Path | None:
        """``out_dir`` as a Path, or None."""
        return Path(self.out_dir).expanduser() if self.out_dir else None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positive_int(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(t("train.config_positive_int", name=name, value=value))


def _choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(t("train.config_choice", name=name, value=value, choices=", ".join(choices)))
