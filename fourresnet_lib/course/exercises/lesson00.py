"""Self-checks for the exercises of lesson 00 (course overview).

Each ``check_exercise_N`` computes the expected answer from the library, prints
passed, a hint or "not answered yet" through :mod:`fourresnet_lib.course.selfcheck`,
and returns True only when the answer is right.
"""

from __future__ import annotations

from typing import Any

from fourresnet_lib.course.selfcheck import check_value
from fourresnet_lib.i18n import t
from fourresnet_lib.models import create_model, list_models

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3"]


def check_exercise_1(answer: Any) -> bool:
    """Check the number of registered model names that start with ``plain``."""
    expected = sum(name.startswith("plain") for name in list_models())
    return check_value(answer, expected, "nb.l00.hint_ex1")


def check_exercise_2(answer: Any) -> bool:
    """Check the parameter count of ``resnet56``."""
    expected = sum(parameter.numel() for parameter in create_model("resnet56").parameters())
    return check_value(answer, expected, "nb.l00.hint_ex2")


def check_exercise_3(answer: Any) -> bool:
    """Check the English text of the "passed" message."""
    return check_value(answer, t("nb.check.passed", language="en"), "nb.l00.hint_ex3")
