"""``evaluate``: loss, accuracy, per-class accuracy and confusion matrix of a model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from fourresnet_lib.train.distributed import DistInfo, all_reduce_sum


@dataclass
class EvalResult:
    """Metrics over a whole loader: mean cross-entropy ``loss``, ``accuracy`` in [0, 1],
    ``per_class_accuracy`` (NaN for a class with no samples), ``confusion[true, predicted]``
    counts, and the number of images ``count``."""

    loss: float
    accuracy: float
    per_class_accuracy: list[float]
    confusion: torch.Tensor = field(repr=False)
    count: int

    def to_dict(self) -> dict[str, object]:
        """Return the metrics as JSON-ready values."""
        return {
            "loss": self.loss,
            "accuracy": self.accuracy,
            "per_class_accuracy": self.per_class_accuracy,
            "confusion": self.confusion.tolist(),
            "count": self.count,
        }


@torch.no_grad()
def evaluate(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    tta: bool = False,
    num_classes: int | None = None,
    autocast_dtype: torch.dtype | None = None,
    dist_info: DistInfo | None = None,
) -> EvalResult:
    """Evaluate ``model`` on every batch of ``loader`` in eval mode, then restore its mode.

    ``tta=True`` averages the softmax of each image and its horizontal mirror. The loss
    is plain cross-entropy (no label smoothing) of the averaged prediction. Under
    several processes the sums are added over all ranks. ``num_classes`` defaults to
    the width of the model's output.
    """
    was_training = model.training
    model.eval()
    info = dist_info or DistInfo()
    device = next(model.parameters()).device
    # MPS has no float64, so the loss sum is float32 there.
    sum_dtype = torch.float32 if device.type == "mps" else torch.float64
    loss_sum = torch.zeros((), dtype=sum_dtype, device=device)
    confusion = None
    try:
        for images, labels in loader:
            images = images.to(device, non_blocking=True)
            labels = labels.to(device, non_blocking=True)
            with torch.autocast(device.type, dtype=autocast_dtype or torch.float32, enabled=autocast_dtype is not None):
                logits = model(images)
                if tta:
                    mirrored = model(images.flip(-1))
            probabilities = logits.float().softmax(dim=1)
            if tta:
                probabilities = (probabilities + mirrored.float().softmax(dim=1)) / 2
            loss_sum += F.nll_loss(probabilities.clamp_min(1e-12).log(), labels, reduction="sum").to(sum_dtype)
            if confusion is None:
                width = num_classes or probabilities.shape[1]
                confusion = torch.zeros(width, width, dtype=torch.long, device=device)
            predicted = probabilities.argmax(dim=1)
            confusion += torch.bincount(labels * confusion.shape[0] + predicted, minlength=confusion.numel()).view_as(
                confusion
            )
    finally:
        model.train(was_training)

    if confusion is None:
        width = num_classes or 0
        confusion = torch.zeros(width, width, dtype=torch.long, device=device)
    all_reduce_sum(confusion, info)
    all_reduce_sum(loss_sum, info)

    confusion = confusion.cpu()
    count = int(confusion.sum())
    correct = int(confusion.diagonal().sum())
    per_class_total = confusion.sum(dim=1).double()
    per_class = (confusion.diagonal().double() / per_class_total).tolist()
    return EvalResult(
        loss=float(loss_sum) / max(count, 1),
        accuracy=correct / max(count, 1),
        per_class_accuracy=per_class,
        confusion=confusion,
        count=count,
    )
