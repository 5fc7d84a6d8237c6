"""Blocks and shortcuts: the residual identity, stride placement, options, zero-padding."""

from __future__ import annotations

import pytest
import torch
from torch.autograd.functional import jacobian

from fourresnet_lib.models import BasicBlock, Bottleneck, ZeroPadShortcut, make_shortcut


def randomise_batchnorm(block: torch.nn.Module) -> None:
    for module in block.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.5, 0.5)


@pytest.mark.parametrize("block_class", [BasicBlock, Bottleneck])
def test_residual_identity_jacobian(block_class):
    torch.manual_seed(0)
    channels = 4 * block_class.expansion
    block = block_class(channels, 4, post_activation=False).double().eval()
    randomise_batchnorm(block)
    x = torch.randn(1, channels, 3, 3, dtype=torch.float64)

    full = jacobian(block, x).reshape(x.numel(), x.numel())
    branch = jacobian(block.forward_branch, x).reshape(x.numel(), x.numel())

    torch.testing.assert_close(full, torch.eye(x.numel(), dtype=torch.float64) + branch)
    # The branch alone is far from the identity, so the check above is not trivial.
    assert (branch - torch.eye(x.numel(), dtype=torch.float64)).abs().max() > 0.1


def test_projection_jacobian_is_sum_of_terms():
    torch.manual_seed(0)
    block = BasicBlock(3, 5, stride=2, post_activation=False).double().eval()
    randomise_batchnorm(block)
    x = torch.randn(1, 3, 5, 4, dtype=torch.float64)

    full = jacobian(block, x)
    branch = jacobian(block.forward_branch, x)
    shortcut = jacobian(block.forward_shortcut, x)
    torch.testing.assert_close(full, branch + shortcut)


def test_plain_block_jacobian_is_branch():
    torch.manual_seed(0)
    block = BasicBlock(4, 4, residual=False, post_activation=False).double().eval()
    x = torch.randn(1, 4, 3, 3, dtype=torch.float64)
    torch.testing.assert_close(jacobian(block, x), jacobian(block.forward_branch, x))
    assert torch.all(block.forward_shortcut(x) == 0)


@pytest.mark.parametrize("block_class", [BasicBlock, Bottleneck])
@pytest.mark.parametrize("stride", [1, 2])
def test_block_equals_activation_of_sum(block_class, stride):
    torch.manual_seed(0)
    block = block_class(8, 4, stride=stride).eval()
    randomise_batchnorm(block)
    x = torch.randn(2, 8, 7, 6)
    with torch.no_grad():
        expected = torch.relu(block.forward_branch(x) + block.forward_shortcut(x))
        torch.testing.assert_close(block(x), expected)


def test_post_activation_false_keeps_negative_values():
    torch.manual_seed(0)
    block = BasicBlock(4, 4, post_activation=False).eval()
    with torch.no_grad():
        y = block(torch.randn(2, 4, 5, 5))
    assert (y < 0).any()


def test_bottleneck_stride_on_3x3_is_default():
    block = Bottleneck(64, 32, stride=2)
    assert block.conv1.stride == (1, 1)
    assert block.conv2.stride == (2, 2)


def test_bottleneck_stride_on_1x1():
    block = Bottleneck(64, 32, stride=2, stride_on="1x1")
    assert block.conv1.stride == (2, 2)
    assert block.conv2.stride == (1, 1)
    x = torch.randn(2, 64, 9, 6)
    assert block.eval()(x).shape == (2, 128, 5, 3)


def test_block_attribute_names_match_torchvision():
    import torchvision

    ours = Bottleneck(64, 64, stride=1)
    reference = torchvision.models.resnet.Bottleneck(
        64, 64, downsample=torch.nn.Sequential(torch.nn.Conv2d(64, 256, 1, bias=False), torch.nn.BatchNorm2d(256))
    )
    assert set(ours.state_dict()) == set(reference.state_dict())
    assert ours.expansion == 4
    assert BasicBlock.expansion == 1


def test_zero_init_last_bn_makes_block_its_shortcut():
    torch.manual_seed(0)
    block = Bottleneck(16, 4, zero_init_last_bn=True, post_activation=False).eval()
    x = torch.randn(2, 16, 5, 5)
    with torch.no_grad():
        torch.testing.assert_close(block(x), x)
    assert torch.all(block.bn3.weight == 0)


def test_norm_false_uses_identity_and_bias():
    block = Bottleneck(8, 4, stride=2, norm=False)
    assert all(isinstance(getattr(block, f"bn{i}"), torch.nn.Identity) for i in (1, 2, 3))
    assert all(getattr(block, f"conv{i}").bias is not None for i in (1, 2, 3))
    assert block.downsample[0].bias is not None


def test_identity_shortcut_when_shapes_match():
    assert make_shortcut("projection", 16, 16, 1) is None
    assert make_shortcut("zero_pad", 16, 16, 1) is None
    assert BasicBlock(16, 16).downsample is None


def test_projection_shortcut_structure():
    shortcut = make_shortcut("projection", 16, 32, 2)
    assert isinstance(shortcut, torch.nn.Sequential)
    assert isinstance(shortcut[0], torch.nn.Conv2d)
    assert shortcut[0].kernel_size == (1, 1)
    assert shortcut[0].stride == (2, 2)
    assert isinstance(shortcut[1], torch.nn.BatchNorm2d)
    assert make_shortcut("projection", 16, 32, 1)[0].stride == (1, 1)


def test_zero_pad_shortcut_values():
    shortcut = make_shortcut("zero_pad", 3, 7, 2)
    assert isinstance(shortcut, ZeroPadShortcut)
    assert sum(p.numel() for p in shortcut.parameters()) == 0
    x = torch.randn(2, 3, 5, 4)
    y = shortcut(x)
    assert y.shape == (2, 7, 3, 2)
    torch.testing.assert_close(y[:, :3], x[:, :, ::2, ::2])
    assert torch.all(y[:, 3:] == 0)


def test_zero_pad_rejects_channel_reduction():
    with pytest.raises(ValueError, match="projection"):
        make_shortcut("zero_pad", 8, 4, 1)


def test_block_invalid_options():
    with pytest.raises(ValueError, match="swish"):
        BasicBlock(4, 4, activation="swish")
    with pytest.raises(ValueError, match="2x2"):
        Bottleneck(4, 4, stride_on="2x2")
    with pytest.raises(ValueError, match="option_c"):
        BasicBlock(4, 8, shortcut="option_c")
