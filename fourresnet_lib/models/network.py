"""ResNet: stem, any number of residual stages, optional multi-scale fusion, classifier.

Layout and attribute names follow torchvision's ResNet (``conv1``, ``bn1``, ``relu``,
``maxpool``, ``layer1``..``layerN``, ``avgpool``, ``fc``), so with ``fusion="none"`` and
the ImageNet stem a torchvision state dict of the same depth loads with ``strict=True``.
"""

from __future__ import annotations

import contextlib
import numbers
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from fourresnet_lib.i18n import t
from fourresnet_lib.models.blocks import (
    ACTIVATIONS,
    STRIDE_PLACES,
    BasicBlock,
    Bottleneck,
    check_choice,
    conv3x3,
    make_activation,
    make_norm,
)
from fourresnet_lib.models.fusion import FUSION_KINDS, make_fusion
from fourresnet_lib.models.shortcuts import SHORTCUT_KINDS

BLOCKS = {"basic": BasicBlock, "bottleneck": Bottleneck}
STEMS = ("imagenet", "cifar")
INITS = ("kaiming", "xavier", "orthogonal", "normal")
# Standard deviation of init="normal". It is small on purpose: with it the signal and the
# gradients shrink layer by layer in a plain network, which shows vanishing gradients.
NORMAL_INIT_STD = 0.01
# Spatial reduction of each stem: 7x7 stride-2 conv then stride-2 max-pool, or none.
STEM_REDUCTION = {"imagenet": 4, "cifar": 1}

_BATCHNORM_SINGLE_VALUE = re.compile(r"Expected more than 1 value per channel when training")


@dataclass(frozen=True)
class StageInfo:
    """Metadata of one residual stage.

    ``channels`` is the stage's output channel count, ``stride`` the stride of its first
    block, ``reduction`` the total downsampling from the input to the stage's output, and
    ``depth`` the number of blocks.
    """

    name: str
    channels: int
    stride: int
    reduction: int
    depth: int


def _is_positive_int(value: object) -> bool:
    # numbers.Integral also admits NumPy integers; bool is excluded on purpose.
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1


def _check_positive_int(option: str, value: object) -> int:
    if not _is_positive_int(value):
        raise ValueError(t("models.positive_int_invalid", option=option, value=value))
    return int(value)


def _check_int_sequence(option: str, value: object) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(t("models.sequence_invalid", option=option, value=value))
    items = tuple(value)
    if not items or not all(_is_positive_int(item) for item in items):
        raise ValueError(t("models.sequence_invalid", option=option, value=value))
    return tuple(int(item) for item in items)


@contextlib.contextmanager
def _explain_batchnorm_errors() -> Iterator[None]:
    """Re-raise BatchNorm's single-value error with its cause and the fix."""
    try:
        yield
    except ValueError as error:
        if not _BATCHNORM_SINGLE_VALUE.search(str(error)):
            raise
        raise ValueError(t("models.batchnorm_single_value", detail=str(error))) from error


class ResNet(nn.Module):
    """Residual network with ``len(depths)`` stages.

    Args:
        block: ``BasicBlock``, ``Bottleneck``, or the name "basic" / "bottleneck".
        depths: blocks per stage, e.g. (3, 4, 6, 3) for ResNet-50.
        widths: bottleneck widths ("planes") per stage; a stage outputs
            ``width * block.expansion`` channels.
        stem: "imagenet" (7x7 stride-2 conv, BN, activation, 3x3 stride-2 max-pool) or
            "cifar" (3x3 stride-1 conv, BN, activation; ``maxpool`` is nn.Identity).
        num_classes: outputs of the linear classifier.
        in_channels: channels of the input images.
        fusion: "none", "fpn" or "concat" (see ``fusion.py``).
        fusion_width: channels of every fused level; default: layer1's output channels.
        residual: False drops every shortcut, giving the "plain" network.
        shortcut: "projection" (1x1 conv + BN where shapes change) or "zero_pad".
        stride_on: "3x3" (v1.5) or "1x1" (v1), where a Bottleneck puts its stride.
        zero_init_residual: zero the last BN gamma of every block.
        norm: False replaces every BatchNorm with nn.Identity and turns conv biases on.
        activation: one of "relu", "tanh", "sigmoid", "gelu", "identity".
        init: "kaiming", "xavier", "orthogonal" or "normal" (std 0.01).
        stem_width: output channels of the stem; default: ``widths[0]``.
    """

    def __init__(
        self,
        block: type[nn.Module] | str,
        depths: Sequence[int],
        widths: Sequence[int],
        *,
        stem: str = "imagenet",
        num_classes: int = 1000,
        in_channels: int = 3,
        fusion: str = "none",
        fusion_width: int | None = None,
        residual: bool = True,
        shortcut: str = "projection",
        stride_on: str = "3x3",
        zero_init_residual: bool = False,
        norm: bool = True,
        activation: str = "relu",
        init: str = "kaiming",
        stem_width: int | None = None,
    ) -> None:
        super().__init__()
        if isinstance(block, str):
            check_choice("block", block, tuple(BLOCKS))
            block = BLOCKS[block]
        if not (isinstance(block, type) and issubclass(block, (BasicBlock, Bottleneck))):
            check_choice("block", block, tuple(BLOCKS))
        depths = _check_int_sequence("depths", depths)
        widths = _check_int_sequence("widths", widths)
        if len(depths) != len(widths):
            raise ValueError(t("models.depths_widths_mismatch", depths=depths, widths=widths))
        check_choice("stem", stem, STEMS)
        check_choice("fusion", fusion, FUSION_KINDS)
        check_choice("shortcut", shortcut, SHORTCUT_KINDS)
        check_choice("stride_on", stride_on, STRIDE_PLACES)
        check_choice("activation", activation, ACTIVATIONS)
        check_choice("init", init, INITS)
        for option, value in (
            ("residual", residual),
            ("zero_init_residual", zero_init_residual),
            ("norm", norm),
        ):
            check_choice(option, value, (True, False))
        num_classes = _check_positive_int("num_classes", num_classes)
        in_channels = _check_positive_int("in_channels", in_channels)
        if stem_width is None:
            stem_width = widths[0]
        stem_width = _check_positive_int("stem_width", stem_width)
        if fusion_width is not None:
            fusion_width = _check_positive_int("fusion_width", fusion_width)

        self.block = block
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.stem_kind = stem
        self.fusion_kind = fusion
        self.residual = residual

        # Stem. The CIFAR stem keeps the 32x32 resolution, as in He et al. 2015, Sec. 4.2.
        if stem == "imagenet":
            self.conv1 = nn.Conv2d(
                in_channels, stem_width, kernel_size=7, stride=2, padding=3, bias=not norm
            )
        else:
            self.conv1 = conv3x3(in_channels, stem_width, bias=not norm)
        self.bn1 = make_norm(stem_width, norm)
        self.relu = make_activation(activation)
        if stem == "imagenet":
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        else:
            self.maxpool = nn.Identity()

        # Stages: the first keeps the stem's resolution, every later one halves it.
        block_options = dict(
            residual=residual,
            shortcut=shortcut,
            zero_init_last_bn=zero_init_residual,
            stride_on=stride_on,
            norm=norm,
            activation=activation,
        )
        stage_info = []
        channels = stem_width
        reduction = STEM_REDUCTION[stem]
        for index, (depth, width) in enumerate(zip(depths, widths), start=1):
            stride = 1 if index == 1 else 2
            reduction *= stride
            blocks = []
            for block_index in range(depth):
                blocks.append(
                    block(channels, width, stride if block_index == 0 else 1, **block_options)
                )
                channels = width * block.expansion
            setattr(self, f"layer{index}", nn.Sequential(*blocks))
            stage_info.append(StageInfo(f"layer{index}", channels, stride, reduction, depth))
        self.stage_info: list[StageInfo] = stage_info
        self.min_input_size: int = reduction

        # Fusion and head. With fusion="none" this is torchvision's head exactly.
        stage_channels = [info.channels for info in stage_info]
        if fusion_width is None:
            fusion_width = stage_channels[0]
        self.fusion_width = fusion_width if fusion != "none" else None
        self.fusion = make_fusion(fusion, stage_channels, fusion_width)
        head_channels = stage_channels[-1] if self.fusion is None else self.fusion.out_channels
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        # A fused head concatenates pooled vectors whose scales differ by orders of
        # magnitude (deep post-ReLU maps are much larger than shallow ones). Without a
        # normalisation there, fourresnet26_cifar with FPN fusion diverged within four SGD
        # steps at lr 0.1 on CIFAR-10; BatchNorm1d puts every input of `fc` on one scale.
        # In training mode it needs a batch of at least 2, and norm=False leaves it out.
        use_head_norm = self.fusion is not None and norm
        self.head_norm = nn.BatchNorm1d(head_channels) if use_head_norm else None
        self.fc = nn.Linear(head_channels, num_classes)

        self.init = init
        self.zero_init_residual = zero_init_residual
        self.reset_parameters()

    # -- initialisation ------------------------------------------------------------

    def reset_parameters(
        self, init: str | None = None, zero_init_residual: bool | None = None
    ) -> None:
        """Re-initialise every weight with the scheme `init` (see INITS).

        Both arguments default to the values the model was built with. "kaiming" matches
        torchvision: He-normal convolutions (fan_out, ReLU gain) and
        PyTorch's default for the classifier. The other schemes also apply to the
        classifier. BatchNorm starts at gamma 1, beta 0 and biases at 0.
        """
        init = self.init if init is None else init
        if zero_init_residual is None:
            zero_init_residual = self.zero_init_residual
        check_choice("init", init, INITS)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                _init_weight(module.weight, init)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, (nn.BatchNorm2d, nn.BatchNorm1d)):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                if init == "kaiming":
                    module.reset_parameters()
                else:
                    _init_weight(module.weight, init)
                    nn.init.zeros_(module.bias)
        if zero_init_residual:
            for module in self.modules():
                if isinstance(module, (BasicBlock, Bottleneck)):
                    module.reset_last_bn()

    # -- structure ---------------------------------------------------------------

    @property
    def stages(self) -> list[nn.Sequential]:
        return [getattr(self, info.name) for info in self.stage_info]

    @property
    def feature_names(self) -> list[str]:
        """Names that ``get_features`` accepts and returns, in forward order.

        "stem" is the stem's output, after the max-pool for the ImageNet stem.
        """
        names = ["stem"] + [info.name for info in self.stage_info]
        if self.fusion_kind == "fpn":
            names += [f"fused{index}" for index in range(1, len(self.stage_info) + 1)]
        elif self.fusion_kind == "concat":
            names.append("fused")
        return names

    # -- forward -----------------------------------------------------------------

    def check_input(self, x: object) -> None:
        """Raise ValueError unless `x` is [N, in_channels, H, W] with H, W >= min_input_size."""
        smallest = self.min_input_size
        expected = f"[N, {self.in_channels}, H, W], H >= {smallest}, W >= {smallest}"
        if not isinstance(x, torch.Tensor):
            raise TypeError(t("models.input_not_tensor", expected=expected, type=type(x).__name__))
        shape = list(x.shape)
        if x.dim() != 4:
            raise ValueError(t("models.input_not_4d", expected=expected, shape=shape))
        if x.shape[1] != self.in_channels:
            raise ValueError(
                t("models.input_channels", expected=expected, shape=shape, channels=x.shape[1])
            )
        if min(x.shape[-2:]) < self.min_input_size:
            raise ValueError(
                t(
                    "models.input_too_small",
                    expected=expected,
                    shape=shape,
                    min_size=self.min_input_size,
                )
            )

    def forward_stem(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)
        return x

    def forward_head(self, maps: list[torch.Tensor]) -> torch.Tensor:
        """Pool every map to a vector, concatenate, classify."""
        pooled = [torch.flatten(self.avgpool(x), 1) for x in maps]
        x = pooled[0] if len(pooled) == 1 else torch.cat(pooled, dim=1)
        if self.head_norm is not None:
            x = self.head_norm(x)
        return self.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.check_input(x)
        with _explain_batchnorm_errors():
            x = self.forward_stem(x)

            stage_maps = []
            for stage in self.stages:
                x = stage(x)
                stage_maps.append(x)

            if self.fusion is None:
                head_maps = stage_maps[-1:]
            else:
                head_maps = self.fusion(stage_maps)

            return self.forward_head(head_maps)

    def get_features(
        self, x: torch.Tensor, names: Sequence[str] | None = None
    ) -> dict[str, torch.Tensor]:
        """Return the named feature maps for input `x` (all of ``feature_names`` by default).

        Stage maps are computed only as far as the deepest requested one; a fused map
        needs every stage.
        """
        available = self.feature_names
        if names is None:
            names = available
        elif isinstance(names, str):
            names = [names]
        for name in names:
            if name not in available:
                raise ValueError(
                    t("models.feature_unknown", name=name, choices=", ".join(available))
                )
        self.check_input(x)

        needs_fusion = any(name.startswith("fused") for name in names)
        stage_names = [info.name for info in self.stage_info]
        last_stage = 0
        for index, name in enumerate(stage_names, start=1):
            if needs_fusion or name in names:
                last_stage = index

        features: dict[str, torch.Tensor] = {}
        with _explain_batchnorm_errors():
            x = self.forward_stem(x)
            features["stem"] = x

            stage_maps = []
            for name, stage in zip(stage_names[:last_stage], self.stages):
                x = stage(x)
                stage_maps.append(x)
                features[name] = x

            if needs_fusion:
                fused = self.fusion(stage_maps)
                if self.fusion_kind == "fpn":
                    for index, level in enumerate(fused, start=1):
                        features[f"fused{index}"] = level
                else:
                    features["fused"] = fused[0]

        return {name: features[name] for name in names}


def _init_weight(weight: torch.Tensor, init: str) -> None:
    if init == "kaiming":
        nn.init.kaiming_normal_(weight, mode="fan_out", nonlinearity="relu")
    elif init == "xavier":
        nn.init.xavier_normal_(weight)
    elif init == "orthogonal":
        nn.init.orthogonal_(weight)
    else:
        nn.init.normal_(weight, mean=0.0, std=NORMAL_INIT_STD)
