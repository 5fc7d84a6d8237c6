"""Gradient recording: hook hygiene, gradient states, in-place ReLU models, exact values."""

from __future__ import annotations

import copy
import math
from collections import OrderedDict

import pytest
import torch
import torchvision
from torch import nn

from fourresnet_lib.viz import gradflow
from fourresnet_lib.viz.gradflow import GradientRecorder


def all_hook_counts(model: nn.Module) -> dict[str, int]:
    """Return the number of forward and backward hooks of every module that has any."""
    counts = {}
    for name, module in model.named_modules():
        total = (len(module._forward_hooks) + len(module._forward_pre_hooks)
                 + len(module._backward_hooks) + len(module._backward_pre_hooks))
        if total:
            counts[name] = total
    return counts


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    # Tiny models: one thread is faster and does not fight other test processes.
    with gradflow.torch_threads(1):
        yield

@pytest.fixture(scope="module")
def batch():
    return gradflow.random_batch(batch_size=4, seed=1)


@pytest.fixture
def small_resnet():
    return gradflow.cifar_network(14, residual=True)


def test_hooks_removed_after_context(small_resnet, batch):
    inputs, targets = batch
    with GradientRecorder(small_resnet) as recorder:
        assert len(all_hook_counts(small_resnet)) == len(recorder.blocks)
        nn.functional.cross_entropy(small_resnet(inputs), targets).backward()

    assert all_hook_counts(small_resnet) == {}
    assert gradflow.installed_recorder(small_resnet) is None
    assert not recorder.installed


def test_hooks_removed_after_exception(small_resnet, batch):
    inputs, _ = batch
    with pytest.raises(RuntimeError, match="boom"):
        with GradientRecorder(small_resnet):
            small_resnet(inputs)
            raise RuntimeError("boom")

    assert all_hook_counts(small_resnet) == {}


def test_repeated_install_keeps_one_hook(small_resnet, batch):
    inputs, targets = batch
    first = GradientRecorder(small_resnet).install()
    second = GradientRecorder(small_resnet).install()  # a notebook cell run again
    second.install()  # the same recorder installed twice

    counts = all_hook_counts(small_resnet)
    assert len(counts) == len(second.blocks)
    assert set(counts.values()) == {1}
    assert not first.installed
    assert gradflow.installed_recorder(small_resnet) is second

    nn.functional.cross_entropy(small_resnet(inputs), targets).backward()
    states = set(second.activation_table()["state"])
    assert states == {gradflow.STATE_OK}
    assert set(first.activation_table()["state"]) == {gradflow.STATE_NO_GRAD}
    second.remove()
    assert all_hook_counts(small_resnet) == {}


def test_remove_before_backward_detaches_tensor_hooks(small_resnet, batch):
    inputs, targets = batch
    recorder = GradientRecorder(small_resnet).install()
    loss = nn.functional.cross_entropy(small_resnet(inputs), targets)
    recorder.remove()
    loss.backward()

    assert set(recorder.activation_table()["state"]) == {gradflow.STATE_NO_GRAD}


def test_zero_init_marks_zero_rows_without_nan(batch):
    inputs, targets = batch
    model = gradflow.cifar_network(20, residual=True, zero_init_residual=True)
    table = gradflow.gradient_flow(model, inputs, targets)

    assert not table["norm"].isna().any()
    assert not table["rms"].isna().any()
    assert all(math.isfinite(value) for value in table["norm"])
    # The last BN scale of every block is 0, so nothing before it inside the branch
    # receives gradient: conv1, bn1 and conv2 of every block are exactly zero.
    params = table[table["kind"] == gradflow.KIND_PARAMETER].set_index("name")
    expected_zero = {
        f"{block}.{suffix}"
        for block, _ in gradflow.find_blocks(model)
        for suffix in ("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight")
    }
    assert len(expected_zero) == 9 * 4
    assert set(params.index[params["state"] == gradflow.STATE_ZERO]) == expected_zero
    assert (params.loc[sorted(expected_zero), "norm"] == 0.0).all()
    others = params.drop(index=sorted(expected_zero))
    assert set(others["state"]) == {gradflow.STATE_OK}
    assert (others["norm"] > 0).all()


class WithUnusedLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.used = nn.Linear(4, 3)
        self.unused = nn.Linear(4, 3)

    def forward(self, x):
        return self.used(x)


def test_unused_layer_marked_no_grad():
    model = WithUnusedLayer()
    table = gradflow.gradient_flow(model, torch.randn(5, 4), blocks=[model.used, "unused"])
    rows = table.set_index(["kind", "name"])

    assert rows.loc[("parameter", "unused.weight"), "state"] == gradflow.STATE_NO_GRAD
    assert rows.loc[("parameter", "unused.bias"), "state"] == gradflow.STATE_NO_GRAD
    assert rows.loc[("parameter", "unused.weight"), "norm"] == 0.0
    assert rows.loc[("parameter", "used.weight"), "state"] == gradflow.STATE_OK
    assert rows.loc[("activation", "unused"), "state"] == gradflow.STATE_NO_GRAD
    assert rows.loc[("activation", "used"), "state"] == gradflow.STATE_OK
    assert not table["norm"].isna().any()


def test_infinite_gradient_marked_nonfinite():
    model = nn.Sequential(nn.Linear(3, 3))
    model[0].weight.data.fill_(1e30)
    table = gradflow.gradient_flow(model, torch.ones(2, 3),
                                   loss_fn=lambda out, _: out.pow(4).sum(), blocks=[model[0]])

    assert set(table["state"]) == {gradflow.STATE_NONFINITE}
    assert (table["norm"] == 0.0).all()


def test_roles_come_from_module_type():
    model = nn.Sequential(OrderedDict(
        norm=nn.Conv2d(3, 4, 3),  # named like a norm layer, but a convolution
        conv=nn.GroupNorm(2, 4),  # named like a conv, but a normalisation layer
        flat=nn.Flatten(),
        head=nn.Linear(4 * 6 * 6, 2),
        ln=nn.LayerNorm(2),
    ))
    table = gradflow.parameter_gradient_table(model).set_index("name")

    assert table.loc["norm.weight", "role"] == "conv"
    assert table.loc["norm.bias", "role"] == "bias"
    assert table.loc["conv.weight", "role"] == "norm_scale"
    assert table.loc["conv.bias", "role"] == "norm_shift"
    assert table.loc["head.weight", "role"] == "linear"
    assert table.loc["ln.weight", "role"] == "norm_scale"
    assert set(table["state"]) == {gradflow.STATE_NO_GRAD}


def test_torchvision_resnet18_matches_autograd():
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=5)
    inputs = torch.randn(2, 3, 64, 64)
    targets = torch.tensor([1, 3])

    with GradientRecorder(model) as recorder:
        nn.functional.cross_entropy(model(inputs), targets).backward()
    assert len(recorder.blocks) == 8
    assert all(isinstance(m, torchvision.models.resnet.BasicBlock) for _, m in recorder.blocks)

    outputs = {}
    handles = [module.register_forward_hook(lambda m, i, o, n=name: outputs.__setitem__(n, o))
               for name, module in recorder.blocks]
    loss = nn.functional.cross_entropy(model(inputs), targets)
    for handle in handles:
        handle.remove()
    names = [name for name, _ in recorder.blocks]
    expected = torch.autograd.grad(loss, [outputs[name] for name in names])

    table = recorder.activation_table().set_index("name")
    for name, reference in zip(names, expected):
        recorded = recorder.activation_grads[name]
        assert recorded.device.type == "cpu"
        assert not recorded.requires_grad
        torch.testing.assert_close(recorded, reference, rtol=1e-4, atol=1e-7)
        assert table.loc[name, "norm"] == pytest.approx(float(reference.norm()), rel=1e-4)


def test_output_overwritten_in_place_keeps_its_gradient():
    # torchvision's stem applies ReLU(inplace=True) to the output of bn1, which
    # overwrites the tensor the hook saw. The reference model uses out-of-place ReLU.
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=4).eval()
    reference = copy.deepcopy(model)
    for module in reference.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False
    inputs = torch.randn(2, 3, 32, 32)

    with GradientRecorder(model, blocks=["bn1"]) as recorder:
        model(inputs).sum().backward()

    captured = {}
    handle = reference.bn1.register_forward_hook(lambda m, i, o: captured.setdefault("bn1", o))
    out = reference(inputs).sum()
    handle.remove()
    (expected,) = torch.autograd.grad(out, captured["bn1"])
    # ReLU zeroes the gradient where its input was negative; a wrong hook would see
    # the gradient of the ReLU output instead, with no zeros.
    assert (expected == 0).any()
    torch.testing.assert_close(recorder.activation_grads["bn1"], expected, rtol=1e-4, atol=1e-7)


def test_snapshot_history_over_steps(small_resnet, batch):
    inputs, targets = batch
    optimizer = torch.optim.SGD(small_resnet.parameters(), lr=0.01)
    with GradientRecorder(small_resnet) as recorder:
        for step in range(3):
            optimizer.zero_grad(set_to_none=True)
            nn.functional.cross_entropy(small_resnet(inputs), targets).backward()
            recorder.snapshot(step)
            optimizer.step()
    history = recorder.history_table()

    assert sorted(history["step"].unique()) == [0, 1, 2]
    activations = history[history["kind"] == gradflow.KIND_ACTIVATION]
    assert len(activations) == 3 * len(recorder.blocks)
    assert set(activations["state"]) == {gradflow.STATE_OK}


def test_bad_blocks_and_depth_raise():
    model = WithUnusedLayer()
    with pytest.raises(ValueError, match="nope"):
        GradientRecorder(model, blocks=["nope"])
    with pytest.raises(ValueError, match="Linear"):
        GradientRecorder(model, blocks=[nn.Linear(2, 2)])
    with pytest.raises(TypeError, match="42"):
        GradientRecorder(model, blocks=[42])
    for depth in (21, 2, "20"):
        with pytest.raises(ValueError, match=repr(depth)):
            gradflow.check_cifar_depth(depth)
    assert gradflow.check_cifar_depth(110) == 18
