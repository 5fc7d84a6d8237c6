"""Self-checks for the exercises of lesson 07 (training on CIFAR-10).

The expected answers are computed here from the library or from the values of the run
that the notebook passes in, so the cell that a student edits contains only the placeholder
and the call of the checker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fourresnet_lib.course.selfcheck import check_value

__all__ = ["check_exercise_1", "check_exercise_2", "check_exercise_3"]

# Exercise 1: the settings whose scaled learning rate is asked for.
EXERCISE_1_BATCH_SIZE, EXERCISE_1_LR = 256, 0.4
# Exercise 2: a run of this many epochs interrupted after the checkpoint of this epoch.
EXERCISE_2_EPOCHS, EXERCISE_2_FINISHED = 10, 4


def check_exercise_1(answer: Any) -> bool:
    """Check the peak learning rate used by TrainConfig(batch_size=256, lr=0.4)."""
    from fourresnet_lib.train import TrainConfig

    expected = TrainConfig(batch_size=EXERCISE_1_BATCH_SIZE, lr=EXERCISE_1_LR).scaled_lr
    return check_value(answer, expected, "nb.l07.hint_scaled_lr")


def check_exercise_2(answer: Any) -> bool:
    """Check how many epochs a resumed 10-epoch run still trains after epoch 4's checkpoint."""
    return check_value(answer, EXERCISE_2_EPOCHS - EXERCISE_2_FINISHED, "nb.l07.hint_resume_epochs")


def check_exercise_3(answer: Any, confusion: torch.Tensor, class_names: Sequence[str]) -> bool:
    """Check the class that true cats are most often predicted as, in this run's ``confusion``."""
    names = list(class_names)
    cat = names.index("cat")
    row = torch.as_tensor(confusion, dtype=torch.float64)[cat].clone()
    row[cat] = -1  # the diagonal counts correct predictions, not confusions
    return check_value(answer, names[int(row.argmax())], "nb.l07.hint_confusion")
