"""Self-checks for the exercises of lesson 06 (gradient flow).

The expected answers are computed here, so the notebook cell that a student edits contains
only the placeholder and the call of the checker.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fourresnet_lib.course.selfcheck import check_value

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3", "first_last_ratio"]

# Exercise 1: depth of the residual network whose ratio r is estimated.
EXERCISE_1_DEPTH = 38
# Exercise 2: the explorer settings the student sets by code.
EXERCISE_2_SETTINGS = {"depth": 32, "residual": True, "norm": False, "init": "normal"}


def first_last_ratio(table: pd.DataFrame) -> float:
    """Return the gradient norm at the first block output divided by the one at the last."""
    blocks = table[table["kind"] == "activation"]
    return float(blocks["norm"].iloc[0] / blocks["norm"].iloc[-1])


def check_exercise_1(answer: Any) -> bool:
    """Check the estimate r ≈ (√2)^(K−1) for a residual network of depth 38 (5 % tolerance)."""
    blocks = 3 * (EXERCISE_1_DEPTH - 2) // 6
    return check_value(answer, 2 ** ((blocks - 1) / 2), "nb.l06.hint_estimate", rtol=0.05)


def check_exercise_2(answer: Any) -> bool:
    """Check the ratio r read from the explorer at depth 32, residual, no BatchNorm, normal init."""
    from fourresnet_lib.viz import compare_depths

    settings = EXERCISE_2_SETTINGS
    reference = compare_depths((settings["depth"],), residual=(settings["residual"],),
                               norm=settings["norm"], init=settings["init"])
    return check_value(answer, first_last_ratio(reference), "nb.l06.hint_drive", rtol=1e-3)


def check_exercise_3(answer: Any) -> bool:
    """Check the name of the setting in which the plain network's gradient explodes."""
    # BatchNorm without shortcuts makes the gradient grow towards the input (Yang et al., 2019);
    # lesson 06 asserts this on the measured table.
    return check_value(answer, "batchnorm", "nb.l06.hint_which_explodes")
