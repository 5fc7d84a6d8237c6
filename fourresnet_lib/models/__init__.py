"""Residual networks of the course: blocks, shortcuts, fusion, ResNet and the registry."""

from fourresnet_lib.models.blocks import ACTIVATIONS, BasicBlock, Bottleneck
from fourresnet_lib.models.fusion import FUSION_KINDS, ConcatFusion, FPNFusion
from fourresnet_lib.models.network import INITS, STEMS, ResNet, StageInfo
from fourresnet_lib.models.registry import MODEL_CONFIGS, create_model, list_models
from fourresnet_lib.models.shortcuts import SHORTCUT_KINDS, ZeroPadShortcut, make_shortcut
from fourresnet_lib.models.summary import stage_summary

__all__ = [
    "ACTIVATIONS",
    "BasicBlock",
    "Bottleneck",
    "ConcatFusion",
    "FPNFusion",
    "FUSION_KINDS",
    "INITS",
    "MODEL_CONFIGS",
    "ResNet",
    "SHORTCUT_KINDS",
    "STEMS",
    "StageInfo",
    "ZeroPadShortcut",
    "create_model",
    "list_models",
    "make_shortcut",
    "stage_summary",
]
