"""Self-checks for the exercises of lesson 08 (trained feature maps).

The expected answers are computed here from the library or from the measurements of
the run that the notebook passes in, so the cell that a student edits contains only the
placeholder and the call of the checker.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import torch

from fourresnet_lib.course.selfcheck import check_shape, check_value

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3"]


def check_exercise_1(answer: Any) -> bool:
    """Check the (height, width) of fused3 for a 32×32 input to fourresnet26_cifar."""
    from fourresnet_lib import create_model

    model = create_model("fourresnet26_cifar", width_multiplier=0.25).eval()
    with torch.no_grad():
        fused3 = model.get_features(torch.zeros(1, 3, 32, 32), ["fused3"])["fused3"]
    return check_shape(answer, tuple(fused3.shape[-2:]), "nb.l08.hint_fused_size")


def check_exercise_2(answer: Any, result: Any) -> bool:
    """Check the standard error sqrt(p (1 − p) / N) of ``result`` (1 % tolerance).

    ``result`` is an evaluation result with ``accuracy`` (between 0 and 1) and ``count``.
    """
    p, n = float(result.accuracy), int(result.count)
    return check_value(answer, math.sqrt(p * (1 - p) / n), "nb.l08.hint_standard_error", rtol=0.01)


def check_exercise_3(answer: Any, mean_selectivity: pd.Series) -> bool:
    """Check the stage with the highest mean class selectivity in ``mean_selectivity``."""
    return check_value(answer, str(mean_selectivity.idxmax()), "nb.l08.hint_selectivity")
