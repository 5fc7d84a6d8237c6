"""Self-checks for the exercises of lesson 01 (vanishing gradients and degradation).

Each ``check_exercise_N`` computes the expected answer, prints passed, a hint or
"not answered yet" through :mod:`fourresnet_lib.course.selfcheck`, and returns True
only when the answer is right.
"""

from __future__ import annotations

import functools
from typing import Any

from fourresnet_lib.course.selfcheck import check_value

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3", "check_exercise_4"]


def check_exercise_1(answer: Any) -> bool:
    """Check the gradient left after 30 layers that each multiply it by 0.5."""
    factor, layers = 0.5, 30
    return check_value(answer, factor**layers, "nb.l01.hint_ex1", rtol=1e-3)


def check_exercise_2(answer: Any) -> bool:
    """Check the number of blocks per stage n of ``plain110`` (6n + 2 layers)."""
    layers = 110
    return check_value(answer, (layers - 2) // 6, "nb.l01.hint_ex2")


def check_exercise_3(answer: Any) -> bool:
    """Check the judgement that network B shows degradation, not overfitting.

    B's training error (25%) is higher than A's (2%), which is degradation; with
    overfitting the deeper network would have the lower training error.
    """
    training_error_a, training_error_b = 2.0, 25.0
    return check_value(answer, training_error_b > training_error_a, "nb.l01.hint_ex3")


def check_exercise_4(answer: Any) -> bool:
    """Check the first-to-last block gradient ratio of ``resnet20`` with BatchNorm.

    The expected value comes from the same :func:`fourresnet_lib.viz.compare_depths`
    call as the lesson's ``with_bn`` table. That call is seeded, so resnet20's network
    and batch do not depend on which other depths are compared.
    """
    return check_value(answer, _resnet20_gradient_ratio(), "nb.l01.hint_ex4", rtol=1e-4)


@functools.lru_cache(maxsize=1)
def _resnet20_gradient_ratio() -> float:
    from fourresnet_lib.viz import compare_depths  # imports matplotlib: only when checked

    table = compare_depths(depths=(20,), residual=(True,))
    norms = table.loc[table["kind"] == "activation", "norm"].to_numpy()
    return float(norms[0] / norms[-1])
