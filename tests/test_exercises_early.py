"""Exercise checkers of lessons 00-04: right answers pass, wrong ones get the hint.

Every case runs the checker three times (right answer, typical wrong answer, the
placeholder None) and reads what it printed. The expected texts come from the i18n
table in Chinese, the default language of the course.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from fourresnet_lib import i18n
from fourresnet_lib.course.exercises import lesson00, lesson01, lesson02, lesson03, lesson04
from fourresnet_lib.models import BasicBlock


def _zh(key: str) -> str:
    return i18n.t(key, language="zh")


def _resnet20_ratio() -> float:
    # Solved the way lesson 01 sets it up: the block gradient table of compare_depths.
    from fourresnet_lib.viz import compare_depths

    table = compare_depths(depths=(20, 56), residual=(False, True))
    rows = table[(table["kind"] == "activation") & (table["depth"] == 20) & table["residual"]]
    norms = rows["norm"].to_numpy()
    return norms[0] / norms[-1]


def _jacobian_gap() -> float:
    # Solved the way lesson 02's exercise 3 asks, in float32 on a fresh random input.
    from torch.autograd.functional import jacobian

    block = BasicBlock(4, 4, zero_init_last_bn=True, post_activation=False).eval()
    x = torch.randn(1, 4, 3, 3)
    matrix = jacobian(block, x).reshape(36, 36)
    return (matrix - torch.eye(36)).abs().max().item()


# (checker, right answer or a function that computes it, wrong answer, hint key)
CASES = [
    (lesson00.check_exercise_1, 9, 5, "nb.l00.hint_ex1"),
    (lesson00.check_exercise_2, 853_018, 853_000, "nb.l00.hint_ex2"),
    (lesson00.check_exercise_3, "✅ Passed!", "✅ 通过！", "nb.l00.hint_ex3"),
    (lesson01.check_exercise_1, 0.5**30, 0.5 * 30, "nb.l01.hint_ex1"),
    (lesson01.check_exercise_2, 18, 110 // 2, "nb.l01.hint_ex2"),
    (lesson01.check_exercise_3, True, False, "nb.l01.hint_ex3"),
    (lesson01.check_exercise_4, _resnet20_ratio, 1.0, "nb.l01.hint_ex4"),
    (lesson02.check_exercise_1, 0.7, -0.3, "nb.l02.hint_ex1"),
    (lesson02.check_exercise_2a, 1.1**10, 1.0, "nb.l02.hint_ex2a"),
    (lesson02.check_exercise_2b, 0.1**10, 1.1**10, "nb.l02.hint_ex2b"),
    (lesson02.check_exercise_3, _jacobian_gap, 1.0, "nb.l02.hint_ex3"),
    (lesson02.check_exercise_4, False, True, "nb.l02.hint_ex4"),
    (lesson03.check_exercise_1, 512 * 128, 512 * 128 + 128, "nb.l03.hint_ex1"),
    (lesson03.check_exercise_2, 1_114_112, 9 * 1024 * 256 * 3, "nb.l03.hint_ex2"),
    (lesson03.check_exercise_3, (1, 512, 28, 28), (1, 128, 28, 28), "nb.l03.hint_ex3"),
    (lesson03.check_exercise_4, False, True, "nb.l03.hint_ex4"),
    (lesson04.check_exercise_1, 101, 3 * (3 + 4 + 23 + 3), "nb.l04.hint_ex1"),
    (lesson04.check_exercise_2, torch.zeros(1, 1024, 14, 14), (1, 256, 14, 14), "nb.l04.hint_ex2"),
    (lesson04.check_exercise_3, 4, 1, "nb.l04.hint_ex3"),
    (lesson04.check_exercise_4, 20_490, 20_480, "nb.l04.hint_ex4"),
]
IDS = [f"{case[0].__module__.rsplit('.', 1)[-1]}.{case[0].__name__}" for case in CASES]


@pytest.mark.parametrize(("checker", "right", "wrong", "hint_key"), CASES, ids=IDS)
def test_checker_right_wrong_unanswered(capsys, checker, right, wrong, hint_key):
    if callable(right):
        right = right()

    assert checker(right) is True
    assert capsys.readouterr().out.strip() == _zh("nb.check.passed")

    assert checker(wrong) is False
    printed = capsys.readouterr().out
    assert _zh(hint_key) in printed
    assert printed.startswith("❌")

    assert checker(None) is False
    assert capsys.readouterr().out.strip() == _zh("nb.check.not_answered")


@pytest.mark.parametrize("checker", [lesson01.check_exercise_3, lesson02.check_exercise_4, lesson03.check_exercise_4])
@pytest.mark.parametrize("answer", ["True", "False", 1])
def test_bool_exercise_non_bool_answer(capsys, checker, answer):
    assert checker(answer) is False
    printed = capsys.readouterr().out
    assert _zh("nb.check.expected_bool") in printed
    assert repr(answer) in printed


def test_numpy_scalar_answer_echoed_as_number(capsys):
    assert lesson01.check_exercise_1(np.float64(0.25)) is False
    printed = capsys.readouterr().out
    assert "（你的答案：0.25）" in printed
    assert "np.float64" not in printed


def test_zero_dim_tensor_answer_echoed_as_number(capsys):
    assert lesson02.check_exercise_1(torch.tensor(0.5)) is False
    printed = capsys.readouterr().out
    assert "（你的答案：0.5）" in printed
    assert "tensor(" not in printed


def test_tensor_answer_passes_as_number(capsys):
    assert lesson02.check_exercise_1(torch.tensor(0.7, dtype=torch.float64)) is True
    assert capsys.readouterr().out.strip() == _zh("nb.check.passed")


def test_hints_do_not_contain_answers():
    # A hint guides: it must not print the value that the checker accepts.
    for checker, right, _wrong, hint_key in CASES:
        if callable(right) or isinstance(right, (bool, torch.Tensor)):
            continue
        for language in i18n.LANGUAGES:
            hint = i18n.t(hint_key, language=language)
            assert str(right) not in hint, (hint_key, language)
