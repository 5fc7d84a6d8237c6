"""Self-checks for the exercises of lesson 03 (the bottleneck block).

Each ``check_exercise_N`` computes the expected answer from the library, prints
passed, a hint or "not answered yet" through :mod:`fourresnet_lib.course.selfcheck`,
and returns True only when the answer is right.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from fourresnet_lib.course.selfcheck import check_shape, check_value
from fourresnet_lib.models import Bottleneck

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3", "check_exercise_4"]


def check_exercise_1(answer: Any) -> bool:
    """Check the parameter count of a bias-free 1×1 convolution from 512 to 128 channels."""
    conv = nn.Conv2d(512, 128, kernel_size=1, bias=False)
    expected = sum(parameter.numel() for parameter in conv.parameters())
    return check_value(answer, expected, "nb.l03.hint_ex1")


def check_exercise_2(answer: Any) -> bool:
    """Check the convolution weights in the branch of ``Bottleneck(1024, 256)``."""
    block = Bottleneck(1024, 256)
    expected = sum(
        module.weight.numel()
        for name, module in block.named_modules()
        if isinstance(module, nn.Conv2d) and not name.startswith("downsample")
    )
    return check_value(answer, expected, "nb.l03.hint_ex2")


def check_exercise_3(answer: Any) -> bool:
    """Check the output shape of ``Bottleneck(256, 128, stride=2)`` on a 1×256×56×56 input."""
    block = Bottleneck(256, 128, stride=2).eval()
    with torch.no_grad():
        expected = tuple(block(torch.zeros(1, 256, 56, 56)).shape)
    return check_shape(answer, expected, "nb.l03.hint_ex3")


def check_exercise_4(answer: Any) -> bool:
    """Check whether ``Bottleneck(512, 128)`` has a projection shortcut."""
    expected = Bottleneck(512, 128).downsample is not None
    return check_value(answer, expected, "nb.l03.hint_ex4")
