"""Named model configurations: create_model(name, **options) and list_models().

Each configuration is data: the ResNet arguments that define it. Options passed to
create_model override them, so ``create_model("resnet20", num_classes=100)`` works.
"""

from __future__ import annotations

import inspect
import math
import numbers
from typing import Any

from fourresnet_lib.i18n import t
from fourresnet_lib.models.network import ResNet

_IMAGENET = dict(
    block="bottleneck",
    widths=(64, 128, 256, 512),
    stem="imagenet",
    num_classes=1000,
    fusion="none",
    shortcut="projection",
    stride_on="3x3",
)

# CIFAR ResNets of He et al. 2015, Sec. 4.2: a 3x3 stem with 16 channels, three stages
# of n basic blocks with 16, 32 and 64 channels (6n + 2 weighted layers), option A
# (zero-padding) shortcuts, global average pooling and a 10-way classifier.
_CIFAR_PAPER = dict(
    block="basic",
    widths=(16, 32, 64),
    stem="cifar",
    num_classes=10,
    fusion="none",
    shortcut="zero_pad",
)

# The course's main model: 4 bottleneck stages on the CIFAR stem, outputs 128..1024
# channels at strides 1, 2, 4, 8, and an FPN head over all four levels. The FPN is 64
# channels wide: at 128 (layer1's width) its 3x3 convolutions at 32x32 cost more FLOPs
# than the whole backbone.
_FOURRESNET26_CIFAR = dict(
    block="bottleneck",
    depths=(2, 2, 2, 2),
    widths=(32, 64, 128, 256),
    stem="cifar",
    num_classes=10,
    fusion="fpn",
    fusion_width=64,
    shortcut="projection",
    stride_on="3x3",
)

_RESIDUAL_CONFIGS: dict[str, dict[str, Any]] = {
    "fourresnet50": dict(_IMAGENET, depths=(3, 4, 6, 3)),
    "fourresnet101": dict(_IMAGENET, depths=(3, 4, 23, 3)),
    "fourresnet152": dict(_IMAGENET, depths=(3, 8, 36, 3)),
    "resnet20": dict(_CIFAR_PAPER, depths=(3, 3, 3)),
    "resnet32": dict(_CIFAR_PAPER, depths=(5, 5, 5)),
    "resnet44": dict(_CIFAR_PAPER, depths=(7, 7, 7)),
    "resnet56": dict(_CIFAR_PAPER, depths=(9, 9, 9)),
    "resnet110": dict(_CIFAR_PAPER, depths=(18, 18, 18)),
    "fourresnet26_cifar": _FOURRESNET26_CIFAR,
}

# Plain counterparts: the same layers with every shortcut removed.
_PLAIN_NAMES = {
    "plain20": "resnet20",
    "plain32": "resnet32",
    "plain44": "resnet44",
    "plain56": "resnet56",
    "plain110": "resnet110",
    "plain50": "fourresnet50",
    "plain101": "fourresnet101",
    "plain152": "fourresnet152",
    "plain26_cifar": "fourresnet26_cifar",
}

MODEL_CONFIGS: dict[str, dict[str, Any]] = dict(_RESIDUAL_CONFIGS)
for _plain, _residual in _PLAIN_NAMES.items():
    MODEL_CONFIGS[_plain] = dict(_RESIDUAL_CONFIGS[_residual], residual=False)

# Options create_model accepts besides the ResNet arguments.
EXTRA_OPTIONS = ("width_multiplier",)


def list_models() -> list[str]:
    """Return the registered model names."""
    return list(MODEL_CONFIGS)


def valid_options() -> list[str]:
    """Return the option names create_model accepts."""
    parameters = inspect.signature(ResNet.__init__).parameters
    return [name for name in parameters if name != "self"] + list(EXTRA_OPTIONS)


def _scale(value: int, multiplier: float) -> int:
    return max(1, int(round(value * multiplier)))


def create_model(name: str, **options: Any) -> ResNet:
    """Build the registered model `name`; `options` override its ResNet arguments.

    ``width_multiplier`` scales every stage width, the stem width and the fusion width
    (rounded, at least 1), which trades accuracy for speed on a CPU.
    """
    if name not in MODEL_CONFIGS:
        raise ValueError(t("models.name_unknown", name=name, choices=", ".join(list_models())))
    allowed = valid_options()
    for option in options:
        if option not in allowed:
            raise ValueError(
                t("models.option_unknown", option=option, model=name, choices=", ".join(allowed))
            )

    config = dict(MODEL_CONFIGS[name])
    multiplier = options.pop("width_multiplier", 1.0)
    config.update(options)
    if multiplier != 1.0:
        is_number = isinstance(multiplier, numbers.Real) and not isinstance(multiplier, bool)
        # The chained comparison is False for NaN, so NaN is rejected too.
        if not (is_number and 0 < multiplier < math.inf):
            raise ValueError(t("models.width_multiplier_invalid", value=multiplier))
        config["widths"] = tuple(_scale(width, multiplier) for width in config["widths"])
        for key in ("stem_width", "fusion_width"):
            if config.get(key) is not None:
                config[key] = _scale(config[key], multiplier)

    block = config.pop("block")
    depths = config.pop("depths")
    widths = config.pop("widths")
    model = ResNet(block, depths, widths, **config)
    model.model_name = name
    model.model_options = dict(options, width_multiplier=multiplier)
    return model
