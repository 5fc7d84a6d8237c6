"""stage_summary: output shape, parameter count and FLOPs of every part of a ResNet."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import torch
from torch.utils.flop_counter import FlopCounterMode

from fourresnet_lib.i18n import t
from fourresnet_lib.models.network import ResNet


def _parts(model: ResNet) -> list[tuple[str, list[str]]]:
    """Return (part name, attribute names) for stem, stages, fusion and head."""
    parts = [("stem", ["conv1", "bn1", "relu", "maxpool"])]
    parts += [(info.name, [info.name]) for info in model.stage_info]
    if model.fusion is not None:
        parts.append(("fusion", ["fusion"]))
    head = ["avgpool", "fc"] if model.head_norm is None else ["avgpool", "head_norm", "fc"]
    parts.append(("head", head))
    return parts


def _format_shape(output: object) -> str:
    if isinstance(output, torch.Tensor):
        return str(list(output.shape))
    if isinstance(output, (list, tuple)):
        return ", ".join(_format_shape(item) for item in output)
    return ""


def stage_summary(model: ResNet, input_size: Sequence[int] = (1, 3, 32, 32)) -> pd.DataFrame:
    """Run one forward pass on zeros of `input_size` and tabulate every part of `model`.

    One row per part (stem, each stage, fusion if any, head) and a total row. FLOPs come
    from torch.utils.flop_counter.FlopCounterMode, which counts a multiply-add as 2 FLOPs
    and counts only matrix products and convolutions (not BatchNorm, activations,
    pooling or the residual add). The model runs in eval mode and is switched back after.
    """
    parameter = next(model.parameters())
    x = torch.zeros(tuple(input_size), dtype=parameter.dtype, device=parameter.device)
    model.check_input(x)

    parts = _parts(model)
    shapes: dict[str, str] = {}
    handles = []
    # The head's last module is fc; the stem's is maxpool. A part's output is the output
    # of its last module.
    for part, attributes in parts:
        module = getattr(model, attributes[-1])

        def record(_module, _inputs, output, part=part):
            shapes[part] = _format_shape(output)

        handles.append(module.register_forward_hook(record))

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            logits = model(x)
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()

    root = type(model).__name__
    counts = counter.get_flop_counts()
    rows = []
    for part, attributes in parts:
        flops = 0
        parameters = 0
        for attribute in attributes:
            flops += sum(counts.get(f"{root}.{attribute}", {}).values())
            parameters += sum(p.numel() for p in getattr(model, attribute).parameters())
        # Stage names (layer1, ...) are module names and stay as they are.
        label = t(f"models.summary.part_{part}") if part in ("stem", "fusion", "head") else part
        rows.append((label, shapes.get(part, ""), parameters, flops))
    rows.append(
        (
            t("models.summary.total"),
            str(list(logits.shape)),
            sum(p.numel() for p in model.parameters()),
            counter.get_total_flops(),
        )
    )

    columns = [
        t("models.summary.part"),
        t("models.summary.output_shape"),
        t("models.summary.parameters"),
        t("models.summary.flops"),
    ]
    return pd.DataFrame(rows, columns=columns)
