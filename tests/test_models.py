"""ResNet against torchvision, the registry, options, stage metadata and stage_summary."""

from __future__ import annotations

import pytest
import torch
import torchvision
from torch.utils.flop_counter import FlopCounterMode

from fourresnet_lib import create_model, list_models
from fourresnet_lib.i18n import set_language, t
from fourresnet_lib.models import BasicBlock, Bottleneck, ResNet, StageInfo, stage_summary


def count_parameters(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language(None)


def test_fourresnet50_loads_torchvision_weights():
    torch.manual_seed(0)
    reference = torchvision.models.resnet50(weights=None).eval()
    # Give BatchNorm non-trivial statistics so a misplaced layer changes the logits.
    for module in reference.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.1, 0.1)
    model = create_model("fourresnet50").eval()

    result = model.load_state_dict(reference.state_dict(), strict=True)
    assert not result.missing_keys
    assert not result.unexpected_keys

    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected = reference(x)
        actual = model(x)
    torch.testing.assert_close(actual, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("fourresnet50", torchvision.models.resnet50),
        ("fourresnet101", torchvision.models.resnet101),
        ("fourresnet152", torchvision.models.resnet152),
    ],
)
def test_imagenet_parameter_counts_match_torchvision(name, reference):
    assert count_parameters(create_model(name)) == count_parameters(reference(weights=None))


def test_fourresnet101_state_dict_keys_match_torchvision():
    model_keys = set(create_model("fourresnet101").state_dict())
    reference_keys = set(torchvision.models.resnet101(weights=None).state_dict())
    assert model_keys == reference_keys


# Parameter counts in millions that He et al. 2015 report for their CIFAR-10 ResNets.
@pytest.mark.parametrize(
    ("name", "millions"),
    [("resnet20", 0.27), ("resnet32", 0.46), ("resnet44", 0.66), ("resnet56", 0.85), ("resnet110", 1.7)],
)
def test_cifar_parameter_counts_match_he2015(name, millions):
    count = count_parameters(create_model(name))
    assert round(count / 1e6, 2 if millions < 1 else 1) == millions


@pytest.mark.parametrize("name", ["resnet20", "resnet56", "resnet110"])
def test_cifar_resnet_has_6n_plus_2_layers(name):
    model = create_model(name)
    weighted = [m for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    assert len(weighted) == int(name.removeprefix("resnet"))
    assert [info.channels for info in model.stage_info] == [16, 32, 64]


def test_cifar_resnet_uses_zero_padding_shortcuts():
    model = create_model("resnet20")
    downsamples = [m.downsample for m in model.modules() if isinstance(m, BasicBlock)]
    assert sum(d is not None for d in downsamples) == 2
    for downsample in downsamples:
        if downsample is not None:
            assert count_parameters(downsample) == 0


def test_plain_models_have_no_shortcuts():
    for name in list_models():
        if not name.startswith("plain"):
            continue
        model = create_model(name, width_multiplier=0.25)
        blocks = [m for m in model.modules() if isinstance(m, (BasicBlock, Bottleneck))]
        assert blocks, name
        assert all(not block.residual and block.downsample is None for block in blocks), name


def test_plain_model_matches_residual_layout():
    plain = create_model("plain26_cifar")
    residual = create_model("fourresnet26_cifar")
    assert plain.stage_info == residual.stage_info
    projection_parameters = sum(
        count_parameters(m.downsample)
        for m in residual.modules()
        if isinstance(m, Bottleneck) and m.downsample is not None
    )
    assert count_parameters(residual) - count_parameters(plain) == projection_parameters


def test_registry_lists_every_name():
    expected = {
        "fourresnet50", "fourresnet101", "fourresnet152",
        "resnet20", "resnet32", "resnet44", "resnet56", "resnet110",
        "fourresnet26_cifar",
        "plain20", "plain32", "plain44", "plain56", "plain110",
        "plain50", "plain101", "plain152", "plain26_cifar",
    }
    assert set(list_models()) == expected


def test_fourresnet26_cifar_layout():
    model = create_model("fourresnet26_cifar")
    assert model.stage_info == [
        StageInfo("layer1", 128, 1, 1, 2),
        StageInfo("layer2", 256, 2, 2, 2),
        StageInfo("layer3", 512, 2, 4, 2),
        StageInfo("layer4", 1024, 2, 8, 2),
    ]
    assert model.fusion_kind == "fpn"
    assert model.fc.out_features == 10
    assert model.min_input_size == 8
    assert isinstance(model.maxpool, torch.nn.Identity)


def test_imagenet_stage_info():
    model = create_model("fourresnet50")
    assert [info.channels for info in model.stage_info] == [256, 512, 1024, 2048]
    assert [info.reduction for info in model.stage_info] == [4, 8, 16, 32]
    assert [info.depth for info in model.stage_info] == [3, 4, 6, 3]
    assert model.min_input_size == 32


def test_options_override_defaults():
    model = create_model("resnet20", num_classes=100, fusion="concat", stem="imagenet")
    assert model.fc.out_features == 100
    assert model.fusion_kind == "concat"
    assert isinstance(model.maxpool, torch.nn.MaxPool2d)
    assert model.min_input_size == 16


def test_fusion_none_has_no_fusion_parameters():
    names = [name for name, _ in create_model("fourresnet26_cifar", fusion="none").named_parameters()]
    assert not any(name.startswith("fusion") for name in names)
    assert any(name.startswith("fusion") for name, _ in create_model("resnet20", fusion="fpn").named_parameters())


def test_width_multiplier_scales_widths():
    model = create_model("fourresnet26_cifar", width_multiplier=0.5)
    assert [info.channels for info in model.stage_info] == [64, 128, 256, 512]
    assert model.conv1.out_channels == 16
    assert model.fusion.width == 32


def test_unknown_model_name_lists_valid_names():
    with pytest.raises(ValueError, match="resnet9000") as info:
        create_model("resnet9000")
    for name in ("fourresnet50", "resnet20", "plain26_cifar"):
        assert name in str(info.value)


@pytest.mark.parametrize(
    ("option", "value", "choice"),
    [
        ("fusion", "pyramid", "fpn"),
        ("stem", "mnist", "cifar"),
        ("shortcut", "option_b", "zero_pad"),
        ("stride_on", "5x5", "1x1"),
        ("activation", "swish", "gelu"),
        ("init", "uniform", "orthogonal"),
    ],
)
def test_invalid_option_value_names_choices(option, value, choice):
    with pytest.raises(ValueError, match=value) as info:
        create_model("resnet20", **{option: value})
    assert choice in str(info.value)
    assert option in str(info.value)


@pytest.mark.parametrize(
    ("option", "value"),
    [("num_classes", 0), ("num_classes", 2.5), ("fusion_width", -1), ("width_multiplier", 0), ("width_multiplier", float("nan")), ("depths", (3, 0, 3))],
)
def test_invalid_numeric_option_raises(option, value):
    with pytest.raises(ValueError, match=option):
        create_model("resnet20", **{option: value})


def test_depths_widths_length_mismatch_raises():
    with pytest.raises(ValueError, match="depths"):
        ResNet("basic", (1, 1), (16, 32, 64), stem="cifar")


def test_unknown_option_name_raises():
    with pytest.raises(ValueError, match="num_clases") as info:
        create_model("resnet20", num_clases=5)
    assert "num_classes" in str(info.value)


def test_messages_follow_language(english):
    with pytest.raises(ValueError, match="Unknown model name"):
        create_model("nope")
    set_language("zh")
    with pytest.raises(ValueError, match="未知的模型名"):
        create_model("nope")


def test_resnet_accepts_any_number_of_stages():
    model = ResNet("basic", (1, 1, 1, 1, 1), (8, 8, 16, 16, 32), stem="cifar", num_classes=3)
    assert len(model.stage_info) == 5
    assert model.min_input_size == 16
    assert model(torch.randn(2, 3, 16, 17)).shape == (2, 3)


@pytest.mark.parametrize("init", ["kaiming", "xavier", "orthogonal", "normal"])
def test_init_schemes(init):
    torch.manual_seed(0)
    model = create_model("resnet20", init=init)
    weight = model.layer2[0].conv1.weight.detach()
    fan_in = weight[0].numel()
    fan_out = weight.shape[0] * weight[0, 0].numel()
    expected_std = {
        "kaiming": (2 / fan_out) ** 0.5,
        "xavier": (2 / (fan_in + fan_out)) ** 0.5,
        "normal": 0.01,
    }
    if init == "orthogonal":
        rows = weight.flatten(1)
        torch.testing.assert_close(rows @ rows.T, torch.eye(rows.shape[0]), atol=1e-4, rtol=0)
    else:
        assert weight.std().item() == pytest.approx(expected_std[init], rel=0.1)
    bn = model.layer2[0].bn1
    assert torch.all(bn.weight == 1)
    assert torch.all(bn.bias == 0)


def test_reset_parameters_uses_build_options():
    torch.manual_seed(0)
    model = create_model("resnet20", init="normal", zero_init_residual=True)
    for parameter in model.parameters():
        parameter.data.fill_(3.0)
    model.reset_parameters()
    assert model.layer3[0].conv2.weight.std().item() == pytest.approx(0.01, rel=0.1)
    assert torch.all(model.layer3[0].bn2.weight == 0)
    assert torch.all(model.layer3[0].bn1.weight == 1)


def test_numpy_integers_accepted():
    numpy = pytest.importorskip("numpy")
    model = create_model("resnet20", depths=numpy.array([1, 2, 1]), num_classes=numpy.int64(4))
    assert [info.depth for info in model.stage_info] == [1, 2, 1]
    assert model.fc.out_features == 4


def test_stride_on_1x1_changes_logits_not_keys():
    torch.manual_seed(0)
    reference = torchvision.models.resnet50(weights=None).eval()
    model = create_model("fourresnet50", stride_on="1x1").eval()
    model.load_state_dict(reference.state_dict(), strict=True)
    assert model.layer2[0].conv1.stride == (2, 2)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert not torch.allclose(model(x), reference(x))


def test_zero_init_residual_zeroes_last_bn():
    model = create_model("fourresnet26_cifar", zero_init_residual=True)
    blocks = [m for m in model.modules() if isinstance(m, Bottleneck)]
    assert all(torch.all(block.bn3.weight == 0) for block in blocks)
    assert all(torch.all(block.bn2.weight == 1) for block in blocks)


@pytest.mark.parametrize("fusion", ["none", "fpn"])
def test_norm_false_removes_batchnorm(fusion):
    model = create_model("resnet20", norm=False, fusion=fusion)
    batchnorms = (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)
    assert not any(isinstance(m, batchnorms) for m in model.modules())
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    assert all(conv.bias is not None for conv in convs)
    assert torch.isfinite(model(torch.randn(1, 3, 8, 8))).all()


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu", "identity"])
def test_activation_option(activation):
    model = create_model("resnet20", activation=activation, depths=(1, 1, 1))
    expected = {
        "relu": torch.nn.ReLU,
        "tanh": torch.nn.Tanh,
        "sigmoid": torch.nn.Sigmoid,
        "gelu": torch.nn.GELU,
        "identity": torch.nn.Identity,
    }[activation]
    assert type(model.relu) is expected
    assert type(model.layer1[0].relu) is expected


def test_stage_summary_totals(english):
    model = create_model("fourresnet26_cifar", width_multiplier=0.25)
    table = stage_summary(model, input_size=(1, 3, 16, 16))

    parts = table.iloc[:-1]
    total = table.iloc[-1]
    assert list(parts["part"]) == ["stem", "layer1", "layer2", "layer3", "layer4", "fusion", "head"]
    head_parameters = count_parameters(model.fc) + count_parameters(model.head_norm)
    assert parts.iloc[-1]["parameters"] == head_parameters
    assert total["part"] == "total"
    assert total["parameters"] == count_parameters(model)
    assert parts["parameters"].sum() == total["parameters"]

    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model.eval()(torch.zeros(1, 3, 16, 16))
    assert total["FLOPs"] == counter.get_total_flops()
    assert parts["FLOPs"].sum() == total["FLOPs"]
    assert total["FLOPs"] > 0
    assert table.loc[table["part"] == "layer2", "output shape"].item() == "[1, 64, 8, 8]"
    assert total["output shape"] == "[1, 10]"


def test_stage_summary_headers_translated():
    set_language("zh")
    try:
        table = stage_summary(create_model("resnet20"), input_size=(1, 3, 8, 8))
    finally:
        set_language(None)
    assert list(table.columns) == [
        t("models.summary.part", language="zh"),
        t("models.summary.output_shape", language="zh"),
        t("models.summary.parameters", language="zh"),
        t("models.summary.flops", language="zh"),
    ]
    assert "fusion" not in list(table.iloc[:, 0])


def test_stage_summary_restores_training_mode():
    model = create_model("resnet20").train()
    stage_summary(model, input_size=(1, 3, 8, 8))
    assert model.training
