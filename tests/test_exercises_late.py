"""The exercise checkers of lessons 05 to 08: a right answer passes, a wrong one gets the
hint, the placeholder None gets "not answered yet".

The right answers here are worked out the way a student would (by hand from the lesson's
rules, or by driving the widget), not by calling the code inside the checkers.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from fourresnet_lib import i18n
from fourresnet_lib.course.exercises import lesson05, lesson06, lesson07, lesson08
from fourresnet_lib.i18n import t


@pytest.fixture(autouse=True)
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language(None)


def ceil_halvings(side, times):
    for _ in range(times):
        side = math.ceil(side / 2)
    return side


def upsample_exact(m, reference):
    return F.interpolate(m, size=reference.shape[-2:], mode="nearest")


def upsample_doubled(m, reference):
    return F.interpolate(m, scale_factor=2, mode="nearest")


def explorer_ratio():
    """Solve lesson 06 exercise 2 as the notebook asks: set the explorer's controls by code."""
    from fourresnet_lib.viz import GradientFlowExplorer

    explorer = GradientFlowExplorer(depth=32, residual=True, norm=False, init="normal")
    assert explorer.last_error is None, explorer.last_error
    return lesson06.first_last_ratio(explorer.last_table)


CONFUSION = torch.tensor([[5, 1, 0], [2, 9, 4], [0, 1, 7]])  # the "cat" row: most confused with "ship"
CLASSES = ["plane", "cat", "ship"]
SELECTIVITY = pd.Series({"layer1": 0.05, "layer2": 0.08, "layer3": 0.21, "layer4": 0.17})
RESULT = SimpleNamespace(accuracy=0.3, count=200)

# (name, checker, right answer factory, wrong answer, extra arguments, hint key)
CASES = [
    ("05-1", lesson05.check_exercise_1, lambda: (ceil_halvings(65, 5),) * 2, (5, 5), (), "nb.l05.hint_odd_size"),
    ("05-2", lesson05.check_exercise_2,
     lambda: sum(c * 128 + 128 for c in (256, 512, 1024, 2048)) + 4 * (9 * 128 * 128 + 128),
     sum(c * 128 for c in (256, 512, 1024, 2048)) + 4 * 9 * 128 * 128, (), "nb.l05.hint_fpn_params"),
    ("05-3", lesson05.check_exercise_3, lambda: upsample_exact, upsample_doubled, (), "nb.l05.hint_upsample"),
    ("06-1", lesson06.check_exercise_1, lambda: math.sqrt(2) ** (3 * 6 - 1), 3 * 6, (), "nb.l06.hint_estimate"),
    ("06-2", lesson06.check_exercise_2, explorer_ratio, 1.0, (), "nb.l06.hint_drive"),
    ("06-3", lesson06.check_exercise_3, lambda: "batchnorm", "small_init", (), "nb.l06.hint_which_explodes"),
    ("07-1", lesson07.check_exercise_1, lambda: 0.4 * 256 / 512, 0.4, (), "nb.l07.hint_scaled_lr"),
    ("07-2", lesson07.check_exercise_2, lambda: 6, 10, (), "nb.l07.hint_resume_epochs"),
    ("07-3", lesson07.check_exercise_3, lambda: "ship", "cat", (CONFUSION, CLASSES), "nb.l07.hint_confusion"),
    ("08-1", lesson08.check_exercise_1, lambda: (ceil_halvings(32, 2),) * 2, (16, 16), (), "nb.l08.hint_fused_size"),
    ("08-2", lesson08.check_exercise_2, lambda: math.sqrt(0.3 * 0.7 / 200),
     100 * math.sqrt(0.3 * 0.7 / 200), (RESULT,), "nb.l08.hint_standard_error"),
    ("08-3", lesson08.check_exercise_3, lambda: "layer3", "layer4", (SELECTIVITY,), "nb.l08.hint_selectivity"),
]


@pytest.mark.parametrize("name, checker, right, wrong, extra, hint_key", CASES, ids=[case[0] for case in CASES])
def test_checker(capsys, name, checker, right, wrong, extra, hint_key):
    assert checker(None, *extra) is False
    assert capsys.readouterr().out.strip() == t("nb.check.not_answered")

    assert checker(wrong, *extra) is False
    output = capsys.readouterr().out
    assert t(hint_key) in output
    assert t("nb.check.passed") not in output

    assert checker(right(), *extra) is True
    assert capsys.readouterr().out.strip() == t("nb.check.passed")


def test_confusion_checker_skips_diagonal(capsys):
    # The cat row's largest entry is the diagonal (9): the answer is the largest other class.
    assert lesson07.check_exercise_3("cat", CONFUSION, CLASSES) is False
    assert t("nb.l07.hint_confusion") in capsys.readouterr().out


def test_upsample_checker_raising_function(capsys):
    def broken(m, reference):
        raise RuntimeError("typo")

    assert lesson05.check_exercise_3(broken) is False
    assert t("nb.l05.hint_upsample") in capsys.readouterr().out
