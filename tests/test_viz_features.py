"""Feature capture by name, clones that survive in-place ops, and example images."""

from __future__ import annotations

import pytest
import torch
import torchvision
from torch import nn

from fourresnet_lib.models import create_model
from fourresnet_lib.viz import features, images


@pytest.fixture(scope="module")
def fused_model():
    torch.manual_seed(0)
    return create_model("fourresnet26_cifar", width_multiplier=0.25).eval()


def test_course_model_features_by_name(fused_model):
    batch = torch.randn(2, 3, 32, 32)
    maps = features.capture_features(fused_model, batch, ["layer2", "fused2"])

    assert list(maps) == ["layer2", "fused2"]
    assert maps["layer2"].shape[0] == 2
    assert maps["fused2"].shape[-2:] == maps["layer2"].shape[-2:]
    for value in maps.values():
        assert value.device.type == "cpu"
        assert not value.requires_grad
        assert value.dtype == torch.float32


def test_all_names_when_none_given(fused_model):
    maps = features.capture_features(fused_model, torch.randn(3, 32, 32))
    assert list(maps) == fused_model.feature_names


def test_fused_name_pairs_stage_with_fused_map(fused_model):
    assert features.fused_name(fused_model, "layer3") == "fused3"
    plain = create_model("resnet20")
    assert features.fused_name(plain, "layer3") is None


def test_pre_activation_map_keeps_negative_values():
    # torchvision applies ReLU(inplace=True) right after bn1; without a clone the
    # stored bn1 output would be overwritten with its ReLU.
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    batch = torch.randn(1, 3, 64, 64)
    maps = features.capture_features(model, batch, ["bn1", "relu"])

    expected = model.bn1(model.conv1(batch)).detach()
    assert (maps["bn1"] < 0).any()
    torch.testing.assert_close(maps["bn1"], expected)
    assert (maps["relu"] >= 0).all()
    assert all(not module._forward_hooks for module in model.modules())


def test_block_pre_activation_of_course_model():
    torch.manual_seed(0)
    model = create_model("resnet20").eval()
    maps = features.capture_features(model, torch.randn(1, 3, 32, 32), ["layer1.0.bn2", "layer1"])
    assert (maps["layer1.0.bn2"] < 0).any()
    assert (maps["layer1"] >= 0).all()


def test_unknown_module_name_raises():
    model = nn.Sequential(nn.Conv2d(3, 4, 3))
    with pytest.raises(ValueError, match="nonexistent"):
        features.capture_features(model, torch.randn(1, 3, 8, 8), ["nonexistent"])
    with pytest.raises(ValueError, match="Sequential"):
        features.capture_features(model, torch.randn(1, 3, 8, 8))


def test_mean_activation_and_strongest_channels():
    feature_map = torch.zeros(3, 2, 2)
    feature_map[1] = 4.0
    feature_map[2] = -1.0
    mean = features.mean_activation(feature_map, size=(4, 4))

    assert mean.shape == (4, 4)
    assert torch.allclose(mean, torch.full((4, 4), 1.0))
    assert features.strongest_channels(feature_map, 2) == [1, 2]
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        features.mean_activation(torch.zeros(2, 2))


def test_skimage_photos_resized():
    photos = images.example_images(count=3, size=40, source="skimage")

    assert photos.source == "skimage"
    assert photos.images.shape == (3, 3, 40, 40)
    assert photos.images.dtype == torch.uint8
    assert photos.captions == ["astronaut", "coffee", "chelsea"]
    assert int(photos.images.float().std()) > 10  # real photos, not blank arrays


def test_model_input_normalised():
    batch = images.to_model_input(torch.full((1, 3, 2, 2), 255, dtype=torch.uint8))
    expected = (1.0 - images.CIFAR10_MEAN[0]) / images.CIFAR10_STD[0]
    assert batch[0, 0, 0, 0].item() == pytest.approx(expected)
    with pytest.raises(ValueError, match="float32"):
        images.to_model_input(torch.zeros(1, 3, 2, 2))


def test_bad_image_arguments_raise():
    with pytest.raises(ValueError, match="imagenet"):
        images.example_images(source="imagenet")
    with pytest.raises(ValueError, match="nosuchphoto"):
        images.load_skimage_photos(("nosuchphoto",))


@pytest.mark.dataset
def test_cifar_archive_read_directly(cifar_archive):
    loaded = images.read_cifar_archive(cifar_archive, count=6, seed=3)

    assert loaded.images.shape == (6, 3, 32, 32)
    assert loaded.images.dtype == torch.uint8
    assert all(caption in images.CIFAR10_CLASSES for caption in loaded.captions)
    assert loaded.labels.tolist() == [images.CIFAR10_CLASSES.index(c) for c in loaded.captions]
    again = images.read_cifar_archive(cifar_archive, count=6, seed=3)
    assert torch.equal(again.images, loaded.images)
