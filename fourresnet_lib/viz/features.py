"""Feature maps of a batch, by name.

Models of this course expose ``model.get_features(x, names)`` with "stem", "layer1"..,
"fused1".. or "fused"; :func:`capture_features` uses it. For any other model the names are
qualified module names and forward hooks store a clone of each module's output, because
a later in-place op (for example torchvision's ``ReLU(inplace=True)`` after ``bn1``) would
otherwise overwrite the stored tensor. That is also how pre-activation maps with their
negative values are captured.

All returned maps are detached float32 CPU tensors ``[N, C, H, W]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from fourresnet_lib.i18n import t


def feature_names(model: nn.Module) -> list[str]:
    """Return the names :func:`capture_features` accepts for ``model`` without hooks."""
    names = getattr(model, "feature_names", None)
    return list(names) if names is not None else []


def fused_name(model: nn.Module, stage_name: str) -> str | None:
    """Return the fused map that belongs to ``stage_name`` ("layer2" -> "fused2" or "fused").

    Returns None when the model has no fused maps.
    """
    names = feature_names(model)
    if stage_name.startswith("layer"):
        candidate = "fused" + stage_name[len("layer"):]
        if candidate in names:
            return candidate
    if "fused" in names:
        return "fused"
    return None


def _detached(tensor: Tensor) -> Tensor:
    return tensor.detach().float().to("cpu", copy=True)


def capture_with_hooks(model: nn.Module, inputs: Tensor, names: Sequence[str]) -> dict[str, Tensor]:
    """Run ``model(inputs)`` and return a clone of the output of each named module.

    The hooks are removed before returning, also when the forward pass raises.
    """
    modules = dict(model.named_modules())
    missing = [name for name in names if name not in modules]
    if missing:
        raise ValueError(t("viz.feature_unknown", value=", ".join(missing),
                           choices=", ".join(list(modules)[1:12]) + ", ..."))
    captured: dict[str, Tensor] = {}

    def store(name: str, module: nn.Module, inputs, output) -> None:
        if isinstance(output, Tensor):
            # Clone now: the tensor may be modified in place after this hook returns.
            captured[name] = _detached(output)

    handles = [modules[name].register_forward_hook(lambda m, i, o, n=name: store(n, m, i, o))
               for name in names]
    try:
        with torch.no_grad():
            model(inputs)
    finally:
        for handle in handles:
            handle.remove()
    return {name: captured[name] for name in names if name in captured}


def capture_features(model: nn.Module, inputs: Tensor,
                     names: Sequence[str] | None = None) -> dict[str, Tensor]:
    """Return feature maps of ``inputs`` by name.

    With ``model.get_features`` the names are those of ``model.feature_names`` (all of
    them when ``names`` is None). Names the model does not know, and models without
    ``get_features``, go through forward hooks on the modules of those qualified names.
    """
    if inputs.ndim == 3:
        inputs = inputs.unsqueeze(0)
    own = feature_names(model)
    if hasattr(model, "get_features") and (names is None or all(name in own for name in names)):
        with torch.no_grad():
            maps = model.get_features(inputs, list(names) if names is not None else None)
        return {name: _detached(value) for name, value in maps.items()}
    if names is None:
        raise ValueError(t("viz.feature_names_required", model=type(model).__name__))
    return capture_with_hooks(model, inputs, names)


def mean_activation(feature_map: Tensor, size: tuple[int, int] | None = None) -> Tensor:
    """Return the channel mean of a ``[C, H, W]`` map, bilinearly resized to ``size`` (H, W)."""
    if feature_map.ndim == 4:
        if feature_map.shape[0] != 1:
            raise ValueError(t("viz.feature_shape_invalid", shape=tuple(feature_map.shape)))
        feature_map = feature_map[0]
    if feature_map.ndim != 3:
        raise ValueError(t("viz.feature_shape_invalid", shape=tuple(feature_map.shape)))
    mean = feature_map.float().mean(dim=0, keepdim=True)
    if size is not None and tuple(mean.shape[-2:]) != tuple(size):
        mean = nn.functional.interpolate(mean.unsqueeze(0), size=size, mode="bilinear",
                                         align_corners=False)[0]
    return mean[0]


def strongest_channels(feature_map: Tensor, count: int) -> list[int]:
    """Return the indices of the ``count`` channels with the largest mean absolute value."""
    if feature_map.ndim == 4:
        feature_map = feature_map[0]
    energy = feature_map.float().abs().mean(dim=(1, 2))
    count = max(0, min(count, energy.numel()))
    return torch.argsort(energy, descending=True)[:count].tolist()
