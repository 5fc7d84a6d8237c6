"""Multi-scale fusion of the stage maps: "none", "fpn" and "concat".

Every fusion module takes the stage maps finest first (layer1, layer2, ...) and returns
a list of maps. The classifier head global-average-pools each returned map, concatenates
the pooled vectors and applies one linear layer. With "none" the head receives the last
stage map alone, which is exactly torchvision's head.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

FUSION_KINDS = ("none", "fpn", "concat")


class FPNFusion(nn.Module):
    """Top-down feature pyramid (Lin et al. 2017, "Feature Pyramid Networks").

    Each stage map gets a 1x1 lateral convolution to ``width`` channels. From the coarsest
    level to the finest, the running top-down map is upsampled to the exact size of the
    next finer map and added to that map's lateral. A 3x3 convolution then smooths every
    sum. Upsampling by ``size=`` rather than by a factor of 2 keeps odd and non-square
    inputs working, because a stride-2 stage outputs ceil(H / 2) rows.
    """

    def __init__(self, in_channels: list[int], width: int) -> None:
        super().__init__()
        self.width = width
        self.lateral = nn.ModuleList(
            nn.Conv2d(channels, width, kernel_size=1) for channels in in_channels
        )
        self.smooth = nn.ModuleList(
            nn.Conv2d(width, width, kernel_size=3, padding=1) for _ in in_channels
        )

    @property
    def out_channels(self) -> int:
        return self.width * len(self.lateral)

    def forward(self, maps: list[torch.Tensor]) -> list[torch.Tensor]:
        laterals = [conv(x) for conv, x in zip(self.lateral, maps)]

        top_down = laterals[-1]
        merged = [top_down]
        for lateral in reversed(laterals[:-1]):
            upsampled = F.interpolate(top_down, size=lateral.shape[-2:], mode="nearest")
            top_down = lateral + upsampled
            merged.insert(0, top_down)

        return [conv(x) for conv, x in zip(self.smooth, merged)]


class ConcatFusion(nn.Module):
    """Project every stage map to ``width`` channels, resize to layer1's size, concatenate.

    The result is one map with ``width * number_of_stages`` channels at the finest
    resolution, meant for classification: the head pools it to one vector.
    """

    def __init__(self, in_channels: list[int], width: int) -> None:
        super().__init__()
        self.width = width
        self.projections = nn.ModuleList(
            nn.Conv2d(channels, width, kernel_size=1) for channels in in_channels
        )

    @property
    def out_channels(self) -> int:
        return self.width * len(self.projections)

    def forward(self, maps: list[torch.Tensor]) -> list[torch.Tensor]:
        size = maps[0].shape[-2:]
        resized = []
        for conv, x in zip(self.projections, maps):
            projected = conv(x)
            if projected.shape[-2:] != size:
                projected = F.interpolate(projected, size=size, mode="nearest")
            resized.append(projected)

        return [torch.cat(resized, dim=1)]


def make_fusion(kind: str, in_channels: list[int], width: int) -> nn.Module | None:
    """Build the fusion module, or None for "none" (so no extra parameters exist)."""
    if kind == "none":
        return None
    if kind == "fpn":
        return FPNFusion(in_channels, width)
    if kind == "concat":
        return ConcatFusion(in_channels, width)
    raise AssertionError(f"unchecked fusion kind {kind!r}")
