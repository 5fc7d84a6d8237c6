"""Shortcut connections of a residual block: identity, projection and zero-padding.

He et al. 2015, "Deep Residual Learning for Image Recognition", Sec. 3.3, give two ways
to match shapes when a block changes the stride or the channel count. Option A pads the
extra channels with zeros and has no parameters; their CIFAR-10 networks use it. Option B
projects with a 1x1 convolution, as their ImageNet networks and torchvision do.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from fourresnet_lib.i18n import t

SHORTCUT_KINDS = ("projection", "zero_pad")


class ZeroPadShortcut(nn.Module):
    """Option A shortcut: keep every `stride`-th position and append zero channels."""

    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        if out_channels < in_channels:
            raise ValueError(
                t(
                    "models.zero_pad_reduces",
                    in_channels=in_channels,
                    out_channels=out_channels,
                )
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Slicing keeps ceil(H / stride) rows, the same count as a 3x3 convolution with
        # padding 1 and the same stride, so odd input sizes line up with the branch.
        if self.stride != 1:
            x = x[:, :, :: self.stride, :: self.stride]
        extra = self.out_channels - self.in_channels
        if extra:
            x = F.pad(x, (0, 0, 0, 0, 0, extra))
        return x

    def extra_repr(self) -> str:
        return f"{self.in_channels}, {self.out_channels}, stride={self.stride}"


def make_shortcut(
    kind: str, in_channels: int, out_channels: int, stride: int, norm: bool = True
) -> nn.Module | None:
    """Build the `downsample` module of a block, or None when the identity fits.

    The identity is used whenever input and output shapes match. The projection is an
    ``nn.Sequential(conv, bn)`` so its state-dict keys (``downsample.0.weight``,
    ``downsample.1.running_mean``, ...) match torchvision's ResNet.
    """
    if stride == 1 and in_channels == out_channels:
        return None
    if kind == "projection":
        conv = nn.Conv2d(
            in_channels, out_channels, kernel_size=1, stride=stride, bias=not norm
        )
        bn = nn.BatchNorm2d(out_channels) if norm else nn.Identity()
        return nn.Sequential(conv, bn)
    if kind == "zero_pad":
        return ZeroPadShortcut(in_channels, out_channels, stride)
    raise ValueError(
        t("models.option_invalid", option="shortcut", value=kind, choices=", ".join(SHORTCUT_KINDS))
    )
