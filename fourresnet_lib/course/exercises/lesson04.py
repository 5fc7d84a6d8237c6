"""Self-checks for the exercises of lesson 04 (four stages).

Each ``check_exercise_N`` reads the expected answer from the library's model
metadata, prints passed, a hint or "not answered yet" through
:mod:`fourresnet_lib.course.selfcheck`, and returns True only when the answer is right.
"""

from __future__ import annotations

import functools
from typing import Any

import torch

from fourresnet_lib.course.selfcheck import check_shape, check_value
from fourresnet_lib.models import ResNet, create_model

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3", "check_exercise_4"]


@functools.lru_cache(maxsize=None)
def _model_on_meta(name: str, **options: Any) -> ResNet:
    # The meta device allocates no memory and skips the arithmetic of initialisation;
    # the checks need only shapes, parameter counts and stage metadata.
    with torch.device("meta"):
        return create_model(name, **options)


def check_exercise_1(answer: Any) -> bool:
    """Check the weighted layers of a bottleneck network with 3, 4, 23 and 3 blocks.

    Lesson 04 counts 3 convolutions per block, the stem convolution and the fully
    connected layer, and leaves out the 1×1 projection convolutions.
    """
    model = _model_on_meta("fourresnet101")
    blocks = [info.depth for info in model.stage_info]
    if blocks != [3, 4, 23, 3]:
        raise RuntimeError(f"fourresnet101 has stage depths {blocks}; exercise 1 asks about 3, 4, 23, 3")
    return check_value(answer, 3 * sum(blocks) + 2, "nb.l04.hint_ex1")


def check_exercise_2(answer: Any) -> bool:
    """Check the shape after ``layer3`` of ``fourresnet50`` for a 224×224 input."""
    size = 224
    layer3 = _model_on_meta("fourresnet50").stage_info[2]
    expected = (1, layer3.channels, size // layer3.reduction, size // layer3.reduction)
    return check_shape(answer, expected, "nb.l04.hint_ex2")


def check_exercise_3(answer: Any) -> bool:
    """Check the height of ``layer4``'s output with the CIFAR stem on a 32×32 input."""
    size = 32
    layer4 = _model_on_meta("fourresnet50", stem="cifar").stage_info[-1]
    return check_value(answer, size // layer4.reduction, "nb.l04.hint_ex3")


def check_exercise_4(answer: Any) -> bool:
    """Check the parameters (weights and biases) of ``fc`` in a 10-class ``fourresnet50``."""
    head = _model_on_meta("fourresnet50", num_classes=10).fc
    expected = sum(parameter.numel() for parameter in head.parameters())
    return check_value(answer, expected, "nb.l04.hint_ex4")
