"""Residual blocks: BasicBlock (two 3x3 convolutions) and Bottleneck (1x1, 3x3, 1x1).

A block computes ``y = act(F(x) + shortcut(x))``. ``forward_branch`` returns F(x) and
``forward_shortcut`` the shortcut term, so a notebook can look at the two summands
separately. Attribute names follow torchvision's ``models/resnet.py`` (``conv1``..``conv3``,
``bn1``..``bn3``, ``relu``, ``downsample``) so torchvision state dicts load unchanged.
"""

from __future__ import annotations

import torch
from torch import nn

from fourresnet_lib.i18n import t
from fourresnet_lib.models.shortcuts import SHORTCUT_KINDS, make_shortcut

ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu", "identity")
STRIDE_PLACES = ("3x3", "1x1")


def check_choice(option: str, value: object, choices: tuple) -> None:
    """Raise ValueError naming the option, the value received and the valid choices."""
    if value not in choices:
        raise ValueError(
            t(
                "models.option_invalid",
                option=option,
                value=value,
                choices=", ".join(str(choice) for choice in choices),
            )
        )


def make_activation(name: str) -> nn.Module:
    """Build the activation module called `name` (one of ACTIVATIONS)."""
    check_choice("activation", name, ACTIVATIONS)
    # Not in-place: full backward hooks, which the gradient explorers use, reject
    # modules that overwrite their input.
    modules = {
        "relu": nn.ReLU,
        "tanh": nn.Tanh,
        "sigmoid": nn.Sigmoid,
        "gelu": nn.GELU,
        "identity": nn.Identity,
    }
    return modules[name]()


def make_norm(channels: int, norm: bool) -> nn.Module:
    """Return BatchNorm2d, or nn.Identity when normalisation is switched off."""
    return nn.BatchNorm2d(channels) if norm else nn.Identity()


def conv3x3(in_channels: int, out_channels: int, stride: int = 1, bias: bool = False) -> nn.Conv2d:
    return nn.Conv2d(
        in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=bias
    )


def conv1x1(in_channels: int, out_channels: int, stride: int = 1, bias: bool = False) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=bias)


class _ResidualBlock(nn.Module):
    """Shared part of both blocks: options, shortcut and the final add.

    Subclasses build ``conv*``/``bn*`` and implement ``forward_branch``. The attribute
    ``relu`` keeps torchvision's name but is the activation chosen with ``activation``.
    """

    expansion: int = 1

    def __init__(
        self,
        in_channels: int,
        planes: int,
        stride: int = 1,
        *,
        residual: bool = True,
        shortcut: str = "projection",
        zero_init_last_bn: bool = False,
        stride_on: str = "3x3",
        norm: bool = True,
        activation: str = "relu",
        post_activation: bool = True,
    ) -> None:
        super().__init__()
        check_choice("shortcut", shortcut, SHORTCUT_KINDS)
        check_choice("stride_on", stride_on, STRIDE_PLACES)
        check_choice("residual", residual, (True, False))
        check_choice("norm", norm, (True, False))
        check_choice("post_activation", post_activation, (True, False))
        self.in_channels = in_channels
        self.planes = planes
        self.out_channels = planes * self.expansion
        self.stride = stride
        self.residual = residual
        self.norm = norm
        self.stride_on = stride_on
        self.post_activation = post_activation
        self.zero_init_last_bn = zero_init_last_bn
        self.relu = make_activation(activation)
        # A plain block (residual=False) has no shortcut at all, not even a projection.
        self.downsample = (
            make_shortcut(shortcut, in_channels, self.out_channels, stride, norm)
            if residual
            else None
        )

    @property
    def last_bn(self) -> nn.Module:
        raise NotImplementedError

    def reset_last_bn(self) -> None:
        """Zero the gamma of the branch's last BatchNorm, so the block starts as its shortcut.

        torchvision's ``zero_init_residual`` does the same, citing Goyal et al. 2017
        (arXiv:1706.02677). Without BatchNorm (norm=False) there is no gamma to zero.
        """
        if isinstance(self.last_bn, nn.BatchNorm2d):
            nn.init.zeros_(self.last_bn.weight)

    def forward_branch(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward_shortcut(self, x: torch.Tensor) -> torch.Tensor:
        """Return the shortcut term: x, its projection or its zero-padded subsample.

        A plain block returns zeros of the output's shape, so
        ``y = act(forward_branch(x) + forward_shortcut(x))`` holds for every block.
        """
        if not self.residual:
            sampled = x[:, :1, :: self.stride, :: self.stride]
            shape = (x.shape[0], self.out_channels, sampled.shape[2], sampled.shape[3])
            return x.new_zeros(shape)
        if self.downsample is None:
            return x
        return self.downsample(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x
        if self.downsample is not None:
            identity = self.downsample(x)

        out = self.forward_branch(x)

        if self.residual:
            out = out + identity
        if self.post_activation:
            out = self.relu(out)
        return out


class BasicBlock(_ResidualBlock):
    """Two 3x3 convolutions, used by ResNet-18/34 and the CIFAR ResNet-20..110."""

    expansion: int = 1

    def __init__(self, in_channels: int, planes: int, stride: int = 1, **options) -> None:
        super().__init__(in_channels, planes, stride, **options)
        bias = not self.norm
        # stride_on is accepted for a uniform interface; with two 3x3 convolutions the
        # stride always sits on the first one.
        self.conv1 = conv3x3(in_channels, planes, stride, bias=bias)
        self.bn1 = make_norm(planes, self.norm)
        self.conv2 = conv3x3(planes, planes, bias=bias)
        self.bn2 = make_norm(planes, self.norm)
        if self.zero_init_last_bn:
            self.reset_last_bn()

    @property
    def last_bn(self) -> nn.Module:
        return self.bn2

    def forward_branch(self, x: torch.Tensor) -> torch.Tensor:
        """Return F(x): conv-bn-act, conv-bn (the activation comes after the add)."""
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        return out


class Bottleneck(_ResidualBlock):
    """1x1 reduce, 3x3, 1x1 expand (x4), used by ResNet-50/101/152.

    ``stride_on="3x3"`` (the default) is torchvision's "ResNet v1.5": the 3x3 convolution
    downsamples. ``stride_on="1x1"`` is the original "v1" of He et al. 2015, where the first
    1x1 convolution has stride 2 and so never reads 3 of every 4 input positions. With the
    stride on the 3x3 every input position contributes; torchvision's resnet.py states that
    this variant improves accuracy, citing NVIDIA's ResNet-50 v1.5 model scripts.
    """

    expansion: int = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1, **options) -> None:
        super().__init__(in_channels, planes, stride, **options)
        bias = not self.norm
        stride_1x1 = stride if self.stride_on == "1x1" else 1
        stride_3x3 = stride if self.stride_on == "3x3" else 1
        self.conv1 = conv1x1(in_channels, planes, stride_1x1, bias=bias)
        self.bn1 = make_norm(planes, self.norm)
        self.conv2 = conv3x3(planes, planes, stride_3x3, bias=bias)
        self.bn2 = make_norm(planes, self.norm)
        self.conv3 = conv1x1(planes, self.out_channels, bias=bias)
        self.bn3 = make_norm(self.out_channels, self.norm)
        if self.zero_init_last_bn:
            self.reset_last_bn()

    @property
    def last_bn(self) -> nn.Module:
        return self.bn3

    def forward_branch(self, x: torch.Tensor) -> torch.Tensor:
        """Return F(x): 1x1 reduce, 3x3, 1x1 expand (no activation after the last BN)."""
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)

        out = self.conv3(out)
        out = self.bn3(out)
        return out
