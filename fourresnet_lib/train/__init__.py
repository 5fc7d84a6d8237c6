"""Training: ``TrainConfig``, ``train()``, ``evaluate()``, checkpoints and the CLI.

Run ``python -m fourresnet_lib.train --help`` for the command line.
"""

from fourresnet_lib.train.checkpoint import ResumeMismatchError
from fourresnet_lib.train.config import TrainConfig
from fourresnet_lib.train.evaluate import EvalResult, evaluate
from fourresnet_lib.train.loop import NonFiniteError, TrainResult, train

__all__ = ["EvalResult", "NonFiniteError", "ResumeMismatchError", "TrainConfig", "TrainResult", "evaluate", "train"]
