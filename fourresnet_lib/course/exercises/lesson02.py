"""Self-checks for the exercises of lesson 02 (the residual connection).

Each ``check_exercise_N`` computes the expected answer, prints passed, a hint or
"not answered yet" through :mod:`fourresnet_lib.course.selfcheck`, and returns True
only when the answer is right.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.autograd.functional import jacobian

from fourresnet_lib.course.selfcheck import check_value
from fourresnet_lib.models import BasicBlock

__all__ = [
    "check_exercise_1",
    "check_exercise_2a",
    "check_exercise_2b",
    "check_exercise_3",
    "check_exercise_4",
]


def check_exercise_1(answer: Any) -> bool:
    """Check dy/dx of the residual block y = a·x + x with a = -0.3."""
    slope = -0.3
    return check_value(answer, 1 + slope, "nb.l02.hint_ex1")


def check_exercise_2a(answer: Any) -> bool:
    """Check dx_10/dx_0 of 10 residual blocks with F(x) = 0.1·x."""
    slope, blocks = 0.1, 10
    return check_value(answer, (1 + slope) ** blocks, "nb.l02.hint_ex2a", rtol=1e-3)


def check_exercise_2b(answer: Any) -> bool:
    """Check dx_10/dx_0 of 10 plain blocks with F(x) = 0.1·x."""
    slope, blocks = 0.1, 10
    return check_value(answer, slope**blocks, "nb.l02.hint_ex2b", rtol=1e-3)


def _zero_init_block(post_activation: bool) -> BasicBlock:
    torch.manual_seed(0)
    block = BasicBlock(4, 4, zero_init_last_bn=True, post_activation=post_activation)
    return block.double().eval()


def check_exercise_3(answer: Any) -> bool:
    """Check max |J - I| of a zero-initialised block without post-activation."""
    block = _zero_init_block(post_activation=False)
    x = torch.randn(1, 4, 3, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    size = x.numel()
    matrix = jacobian(block, x).reshape(size, size)
    expected = (matrix - torch.eye(size, dtype=torch.float64)).abs().max().item()
    return check_value(answer, expected, "nb.l02.hint_ex3", atol=1e-12)


def check_exercise_4(answer: Any) -> bool:
    """Check whether block(x) == x holds for every x with the default post-activation.

    One input with negative entries is enough to decide: the final ReLU maps them to 0.
    """
    block = _zero_init_block(post_activation=True)
    x = torch.linspace(-1.0, 1.0, 36, dtype=torch.float64).reshape(1, 4, 3, 3)
    with torch.no_grad():
        holds = bool(torch.equal(block(x), x))
    return check_value(answer, holds, "nb.l02.hint_ex4")
