"""Feature-map shapes over odd and non-square sizes, and input validation."""

from __future__ import annotations

import math

import pytest
import torch

from fourresnet_lib import create_model
from fourresnet_lib.i18n import set_language
from fourresnet_lib.models import ResNet


def tiny_model(stem: str, fusion: str) -> ResNet:
    return create_model(
        "fourresnet26_cifar",
        stem=stem,
        fusion=fusion,
        depths=(1, 1, 1, 1),
        width_multiplier=0.125,
    ).eval()


def expected_stage_sizes(height: int, width: int, stem: str, stages: int) -> list[tuple[int, int]]:
    """Sizes after each stage: every stride-2 step keeps ceil(n / 2) positions."""
    halvings = 2 if stem == "imagenet" else 0
    sizes = []
    for index in range(stages):
        if index > 0:
            halvings += 1
        scale = 2**halvings
        # Repeated ceil-halving equals one ceil division by the product of the strides.
        sizes.append((math.ceil(height / scale), math.ceil(width / scale)))
    return sizes


@pytest.mark.parametrize("fusion", ["none", "fpn", "concat"])
@pytest.mark.parametrize("stem", ["cifar", "imagenet"])
def test_feature_shapes_odd_and_non_square(stem, fusion):
    torch.manual_seed(0)
    model = tiny_model(stem, fusion)
    smallest = model.min_input_size
    sizes = [(smallest, smallest), (smallest + 1, smallest), (smallest, smallest + 3)]
    sizes += [(smallest + 5, 2 * smallest + 1), (3 * smallest - 1, smallest + 2)]
    for height, width in sizes:
        x = torch.randn(2, 3, height, width)
        with torch.no_grad():
            features = model.get_features(x)
            logits = model(x)
        assert logits.shape == (2, 10), (height, width)
        assert list(features) == model.feature_names

        expected = expected_stage_sizes(height, width, stem, len(model.stage_info))
        for index, (info, size) in enumerate(zip(model.stage_info, expected), start=1):
            stage_map = features[f"layer{index}"]
            assert tuple(stage_map.shape) == (2, info.channels, *size), (height, width, index)
        assert features["stem"].shape[-2:] == features["layer1"].shape[-2:]

        if fusion == "fpn":
            for index in range(1, len(model.stage_info) + 1):
                fused = features[f"fused{index}"]
                assert fused.shape[-2:] == features[f"layer{index}"].shape[-2:]
                assert fused.shape[1] == model.fusion_width
        elif fusion == "concat":
            fused = features["fused"]
            assert fused.shape[-2:] == features["layer1"].shape[-2:]
            assert fused.shape[1] == model.fusion_width * len(model.stage_info)
        else:
            assert not any(name.startswith("fused") for name in features)


@pytest.mark.parametrize("fusion", ["none", "fpn", "concat"])
@pytest.mark.parametrize("stem", ["cifar", "imagenet"])
def test_every_size_from_minimum(stem, fusion):
    model = tiny_model(stem, fusion)
    for size in range(model.min_input_size, model.min_input_size + 9):
        with torch.no_grad():
            assert model(torch.randn(1, 3, size, size + 3)).shape == (1, 10)
            assert model(torch.randn(1, 3, size + 2, size)).shape == (1, 10)


def test_feature_names_per_fusion():
    assert tiny_model("cifar", "none").feature_names == ["stem", "layer1", "layer2", "layer3", "layer4"]
    assert tiny_model("cifar", "fpn").feature_names[-4:] == ["fused1", "fused2", "fused3", "fused4"]
    assert tiny_model("cifar", "concat").feature_names[-1] == "fused"


def test_get_features_selected_names():
    model = tiny_model("cifar", "fpn")
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        selected = model.get_features(x, names=["layer2", "stem"])
        fused = model.get_features(x, names="fused3")
        everything = model.get_features(x)
    assert list(selected) == ["layer2", "stem"]
    torch.testing.assert_close(selected["layer2"], everything["layer2"])
    assert list(fused) == ["fused3"]
    torch.testing.assert_close(fused["fused3"], everything["fused3"])


def test_get_features_unknown_name():
    model = tiny_model("cifar", "none")
    with pytest.raises(ValueError, match="fused1") as info:
        model.get_features(torch.randn(2, 3, 16, 16), names=["fused1"])
    assert "layer4" in str(info.value)


def test_fused_map_matches_head_input():
    # The FPN head pools exactly the maps get_features returns.
    model = tiny_model("cifar", "fpn")
    x = torch.randn(2, 3, 13, 11)
    with torch.no_grad():
        features = model.get_features(x)
        pooled = torch.cat([features[f"fused{i}"].mean(dim=(2, 3)) for i in range(1, 5)], dim=1)
        torch.testing.assert_close(model.fc(model.head_norm(pooled)), model(x))


@pytest.mark.parametrize(
    ("shape", "fragment"),
    [
        ((3, 32, 32), "[3, 32, 32]"),
        ((1, 1, 3, 32, 32), "[1, 1, 3, 32, 32]"),
        ((2, 1, 32, 32), "[2, 1, 32, 32]"),
        ((2, 4, 32, 32), "[2, 4, 32, 32]"),
        ((2, 3, 7, 32), "[2, 3, 7, 32]"),
        ((2, 3, 32, 7), "[2, 3, 32, 7]"),
    ],
)
def test_invalid_input_shape_raises(shape, fragment):
    model = tiny_model("cifar", "fpn")
    with pytest.raises(ValueError) as info:
        model(torch.randn(*shape))
    message = str(info.value)
    assert fragment in message
    assert "[N, 3, H, W]" in message
    with pytest.raises(ValueError):
        model.get_features(torch.randn(*shape))


def test_too_small_names_minimum():
    set_language("en")
    try:
        model = create_model("fourresnet50")
        with pytest.raises(ValueError, match="at least 32x32"):
            model(torch.randn(2, 3, 31, 64))
    finally:
        set_language(None)


def test_non_tensor_input_raises():
    with pytest.raises(TypeError, match="list"):
        tiny_model("cifar", "none")([[1.0]])


def test_batch_of_one_eval_works():
    model = create_model("fourresnet50").eval()
    with torch.no_grad():
        assert model(torch.randn(1, 3, 32, 32)).shape == (1, 1000)


def test_batch_of_one_train_with_spatial_extent_works():
    model = create_model("resnet20").train()
    assert model(torch.randn(1, 3, 8, 8)).shape == (1, 10)


@pytest.mark.parametrize("fusion", ["fpn", "concat"])
def test_batch_of_one_train_fused_head_explains(fusion):
    # The fused head's BatchNorm1d sees one value per channel for a batch of one.
    set_language("en")
    try:
        model = tiny_model("cifar", fusion).train()
        with pytest.raises(ValueError, match="batch size of at least 2"):
            model(torch.randn(1, 3, 32, 32))
        assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)
    finally:
        set_language(None)


def test_batch_of_one_train_single_value_explains():
    set_language("en")
    try:
        model = tiny_model("imagenet", "none").train()
        with pytest.raises(ValueError, match="single value per channel") as info:
            model(torch.randn(1, 3, 32, 32))
        assert "model.eval()" in str(info.value)
        assert "batch size of at least 2" in str(info.value)
        with pytest.raises(ValueError, match="single value per channel"):
            model.get_features(torch.randn(1, 3, 32, 32))
    finally:
        set_language(None)
