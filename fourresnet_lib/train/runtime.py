"""Device, precision, optimizer and learning-rate schedule for a ``TrainConfig``."""

from __future__ import annotations

import math

import torch
from torch import nn

from fourresnet_lib.i18n import t
from fourresnet_lib.train.config import TrainConfig


def resolve_device(name: str) -> torch.device:
    """Return the device for "auto", "cpu", "cuda" or "mps"; "auto" prefers CUDA, then MPS."""
    mps_available = hasattr(torch.backends, "mps") and torch.backends.mps.is_available()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps" if mps_available else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(t("train.device_unavailable", device=name))
    if name == "mps" and not mps_available:
        raise RuntimeError(t("train.device_unavailable", device=name))
    return torch.device(name)


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """Return the autocast dtype for a precision setting, or None for full float32.

    "auto" means bf16 on CUDA devices that support it, fp16 on older CUDA devices
    (with a gradient scaler), and float32 on CPU and MPS.
    """
    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    if precision == "fp16":
        return torch.float16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return None


def parameter_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Split parameters into a weight-decay group (conv and linear weights) and a group
    without decay (BatchNorm weights and biases, all 1-D tensors)."""
    decay, no_decay = [], []
    for parameter in model.parameters():
        if not parameter.requires_grad:
            continue
        (decay if parameter.ndim > 1 else no_decay).append(parameter)
    return [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]


def build_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.SGD:
    """Return SGD with (Nesterov) momentum at the scaled peak learning rate."""
    return torch.optim.SGD(
        parameter_groups(model, config.weight_decay),
        lr=config.scaled_lr,
        momentum=config.momentum,
        nesterov=config.nesterov and config.momentum > 0,
    )


def lr_factor(step: int, total_steps: int, warmup_steps: int, schedule: str) -> float:
    """Return the multiplier of the peak learning rate before optimizer step ``step``.

    Linear warm-up from ``1 / warmup_steps`` to 1 over ``warmup_steps`` steps, then a
    cosine or linear decay that reaches 0 after ``total_steps``.
    """
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    return 1.0 - progress


def build_scheduler(
    optimizer: torch.optim.Optimizer, config: TrainConfig, steps_per_epoch: int
) -> torch.optim.lr_scheduler.LambdaLR:
    """Return a per-step schedule: warm-up for ``warmup_epochs``, then decay to 0."""
    total_steps = config.epochs * steps_per_epoch
    warmup_steps = min(round(config.warmup_epochs * steps_per_epoch), total_steps)

    def factor(step: int) -> float:
        return lr_factor(step, total_steps, warmup_steps, config.schedule)

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
