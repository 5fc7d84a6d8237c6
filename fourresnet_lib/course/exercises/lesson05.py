"""Self-checks for the exercises of lesson 05 (multi-scale feature fusion).

The expected answers are computed here from the library, so the notebook cell that a
student edits contains only the placeholder and the call of the checker.
"""

from __future__ import annotations

from typing import Any

import torch

from fourresnet_lib.course.selfcheck import check_shape, check_true, check_value

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3"]

# Exercise 1 asks for the layer4 size of fourresnet50 on a square input of this side.
EXERCISE_1_SIDE = 65
# Exercise 2 asks for the parameter count of the FPN module at this fusion width.
EXERCISE_2_WIDTH = 128


def check_exercise_1(answer: Any) -> bool:
    """Check the (height, width) of layer4 for a 65×65 input to fourresnet50."""
    from fourresnet_lib import create_model

    model = create_model("fourresnet50").eval()
    with torch.no_grad():
        layer4 = model.get_features(torch.zeros(1, 3, EXERCISE_1_SIDE, EXERCISE_1_SIDE), ["layer4"])["layer4"]
    return check_shape(answer, tuple(layer4.shape[-2:]), "nb.l05.hint_odd_size")


def check_exercise_2(answer: Any) -> bool:
    """Check the parameter count of the FPN fusion module with fusion_width=128."""
    from fourresnet_lib import create_model

    model = create_model("fourresnet50", fusion="fpn", fusion_width=EXERCISE_2_WIDTH)
    expected = sum(parameter.numel() for parameter in model.fusion.parameters())
    return check_value(answer, expected, "nb.l05.hint_fpn_params")


def _upsample_works(function: Any) -> bool:
    """Return True when ``function(m, reference)`` is nearest upsampling to the reference size."""
    generator = torch.Generator().manual_seed(0)
    small = torch.randn(1, 2, 5, 6, generator=generator)
    target = torch.randn(1, 3, 9, 12, generator=generator)
    result = function(small, target)
    expected = torch.nn.functional.interpolate(small, size=target.shape[-2:], mode="nearest")
    return tuple(result.shape) == (1, 2, 9, 12) and torch.equal(result, expected)


def check_exercise_3(upsample_to: Any) -> bool:
    """Check a function ``upsample_to(m, reference)`` that upsamples to the reference's size."""
    return check_true(_upsample_works, "nb.l05.hint_upsample", answer=upsample_to)
