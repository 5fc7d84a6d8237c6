"""Trainer: configuration, schedule, evaluation, callbacks, checkpoints and resume, non-finite stops."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from torch import nn

from fourresnet_lib.data import TensorLoader, write_image_folder
from fourresnet_lib.i18n import set_language
from fourresnet_lib.train import NonFiniteError, ResumeMismatchError, TrainConfig, evaluate, train
from fourresnet_lib.train.runtime import build_optimizer, lr_factor, parameter_groups

CLASSES = 4


class TinyNet(nn.Module):
    """Conv + BatchNorm + linear head: small enough for many CPU runs in one test file."""

    def __init__(self, classes: int = CLASSES) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(x.mean(dim=(2, 3)))


def tiny_model(seed: int = 0) -> TinyNet:
    torch.manual_seed(seed)
    return TinyNet()


@pytest.fixture(autouse=True)
def english_messages():
    set_language("en")
    yield
    set_language(None)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return write_image_folder(tmp_path_factory.mktemp("images"), classes=CLASSES, train_per_class=10, test_per_class=4, size=8)


def config_for(dataset: Path, tmp_path: Path, **options) -> TrainConfig:
    settings = dict(
        data=str(dataset),
        data_root=str(tmp_path / "data"),
        epochs=2,
        batch_size=16,
        lr=0.8,
        warmup_epochs=0.5,
        device="cpu",
        progress=False,
        padding_mode="reflect",
        crop_padding=2,
    )
    settings.update(options)
    return TrainConfig(**settings)


# --- configuration ------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, match",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"lr": -0.1}, "lr"),
        ({"momentum": 1.0}, "momentum"),
        ({"label_smoothing": -0.1}, "label_smoothing"),
        ({"device": "tpu"}, "device.*auto, cpu, cuda, mps"),
        ({"schedule": "step"}, "schedule"),
        ({"fusion": "sum"}, "fusion"),
        ({"subset": 0}, "subset"),
        ({"cutout": -1}, "cutout"),
        ({"resume": True}, "out_dir"),
    ],
)
def test_config_rejects_bad_values(options, match):
    with pytest.raises(ValueError, match=match):
        TrainConfig(**options).validate()


def test_scaled_lr_is_per_512():
    config = TrainConfig(lr=0.4, batch_size=128)
    assert config.scaled_lr == pytest.approx(0.1)


def test_lr_schedule_warmup_then_decay():
    total, warmup = 100, 10

    cosine = [lr_factor(step, total, warmup, "cosine") for step in range(total + 1)]
    linear = [lr_factor(step, total, warmup, "linear") for step in range(total + 1)]

    assert cosine[0] == pytest.approx(0.1)
    assert cosine[9] == pytest.approx(1.0)
    assert cosine[10] == pytest.approx(1.0)
    assert cosine[55] == pytest.approx(0.5)
    assert linear[55] == pytest.approx(0.5)
    assert cosine[100] == pytest.approx(0.0, abs=1e-12)
    assert all(a >= b for a, b in zip(cosine[10:], cosine[11:]))


def test_no_weight_decay_on_batchnorm_and_bias():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))

    decay, no_decay = parameter_groups(model, 5e-4)

    decayed = {id(p) for p in decay["params"]}
    assert decayed == {id(model[0].weight), id(model[3].weight)}
    assert {id(p) for p in no_decay["params"]} == {id(model[0].bias), id(model[1].weight), id(model[1].bias), id(model[3].bias)}
    assert no_decay["weight_decay"] == 0.0
    optimizer = build_optimizer(model, TrainConfig(batch_size=256, lr=0.4))
    assert optimizer.defaults["nesterov"] is True
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.2)


# --- evaluate -----------------------------------------------------------------------


def eval_loader(count: int = 12) -> TensorLoader:
    generator = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (count, 3, 8, 8), dtype=torch.uint8, generator=generator)
    labels = torch.arange(count) % CLASSES
    return TensorLoader(images, labels, 5, train=False, mean=(0.5,) * 3, std=(0.25,) * 3)


@pytest.mark.parametrize("start_training", [True, False])
def test_evaluate_restores_mode(start_training):
    model = tiny_model()
    model.train(start_training)

    evaluate(model, eval_loader())

    assert model.training is start_training
    assert model.bn.training is start_training


def test_evaluate_restores_mode_after_error():
    model = tiny_model().train()

    def broken():
        yield torch.zeros(2, 5, 8, 8), torch.zeros(2, dtype=torch.long)  # 5 channels: conv fails

    with pytest.raises(RuntimeError):
        evaluate(model, broken())
    assert model.training


def test_evaluate_metrics_agree_with_direct_computation():
    model = tiny_model().eval()
    loader = eval_loader()
    x = torch.cat([batch for batch, _ in loader])
    y = torch.cat([labels for _, labels in loader])

    result = evaluate(model, loader)

    with torch.no_grad():
        logits = model(x)
    predicted = logits.argmax(1)
    assert result.count == 12
    assert result.accuracy == pytest.approx((predicted == y).float().mean().item())
    assert result.loss == pytest.approx(nn.functional.cross_entropy(logits, y).item(), rel=1e-5)
    assert result.confusion.sum() == 12
    assert result.confusion.sum(dim=1).tolist() == [3, 3, 3, 3]
    for label in range(CLASSES):
        mask = y == label
        assert result.per_class_accuracy[label] == pytest.approx((predicted[mask] == label).float().mean().item())


def test_evaluate_tta_averages_mirror():
    model = tiny_model().eval()
    loader = eval_loader()
    x = torch.cat([batch for batch, _ in loader])
    y = torch.cat([labels for _, labels in loader])

    result = evaluate(model, loader, tta=True)

    with torch.no_grad():
        probabilities = (model(x).softmax(1) + model(x.flip(-1)).softmax(1)) / 2
    assert result.loss == pytest.approx(nn.functional.nll_loss(probabilities.log(), y).item(), rel=1e-5)


# --- train --------------------------------------------------------------------------


def test_train_events_history_and_files(dataset, tmp_path):
    events = []
    out = tmp_path / "run"
    config = config_for(dataset, tmp_path, out_dir=str(out))

    result = train(config, callbacks=[events.append], model=tiny_model())

    kinds = [event["kind"] for event in events]
    steps = [event for event in events if event["kind"] == "step"]
    assert kinds.count("epoch") == 2
    assert kinds[-1] == "end"
    assert len(steps) == 2 * 3  # 40 images at 16 per batch: 16, 16, 8
    assert set(steps[0]) >= {"epoch", "step", "loss", "accuracy", "images_per_second", "lr"}
    assert all(math.isfinite(event["loss"]) for event in steps)
    assert steps[0]["lr"] < steps[2]["lr"]  # warm-up over the first half epoch

    history = json.loads((out / "history.json").read_text())
    assert history == result.history
    assert [record["epoch"] for record in history] == [1, 2]
    assert set(history[0]) >= {"train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr", "seconds"}
    assert (out / "checkpoint.pt").is_file()
    assert result.summary["device"] == "cpu"
    assert result.metrics.count == CLASSES * 4
    assert events[-1]["test_accuracy"] == result.metrics.accuracy


def test_train_learns_synthetic_classes(dataset, tmp_path):
    config = config_for(dataset, tmp_path, epochs=6, lr=1.6)

    result = train(config, model=tiny_model())

    # Chance is 0.25; the classes differ in colour, so a trained model separates them.
    assert result.metrics.accuracy >= 0.75


def test_resume_matches_uninterrupted_run(dataset, tmp_path):
    uninterrupted = train(config_for(dataset, tmp_path, epochs=3, out_dir=str(tmp_path / "full")), model=tiny_model())

    def stop_after_first_epoch(event):
        if event["kind"] == "epoch" and event["epoch"] == 1:
            raise KeyboardInterrupt

    interrupted = config_for(dataset, tmp_path, epochs=3, out_dir=str(tmp_path / "cut"))
    with pytest.raises(KeyboardInterrupt):
        train(interrupted, callbacks=[stop_after_first_epoch], model=tiny_model())
    resumed_config = config_for(dataset, tmp_path, epochs=3, out_dir=str(tmp_path / "cut"), resume=True)
    resumed = train(resumed_config, model=tiny_model(seed=123))

    for name, value in uninterrupted.model.state_dict().items():
        assert torch.equal(value, resumed.model.state_dict()[name]), name
    assert [r["train_loss"] for r in resumed.history] == [r["train_loss"] for r in uninterrupted.history]


@pytest.fixture(scope="module")
def one_epoch_run(dataset, tmp_path_factory) -> Path:
    """Output folder of a finished 1-epoch TinyNet run; tests resume from it but never change it."""
    folder = tmp_path_factory.mktemp("one-epoch")
    train(config_for(dataset, folder, epochs=1, out_dir=str(folder / "run")), model=tiny_model())
    return folder


@pytest.mark.parametrize(
    "options, stored, requested",
    [
        ({"model": "plain20"}, "'fourresnet26_cifar'", "'plain20'"),
        ({"fusion": "fpn"}, "None", "'fpn'"),
        ({"width_multiplier": 0.5}, "1.0", "0.5"),
        ({"subset": 20}, "None", "20"),
        ({"seed": 3}, "0", "3"),
        ({"batch_size": 8}, "16", "8"),
        ({"lr": 0.4}, "0.8", "0.4"),
    ],
)
def test_resume_rejects_changed_settings(dataset, one_epoch_run, options, stored, requested):
    name = next(iter(options))
    config = config_for(dataset, one_epoch_run, epochs=1, out_dir=str(one_epoch_run / "run"), resume=True, **options)

    with pytest.raises(ResumeMismatchError) as info:
        train(config, model=tiny_model())

    message = str(info.value)
    assert f"{name} (--{name.replace('_', '-')}): {stored} in the checkpoint, {requested} requested" in message
    assert "repeat the checkpoint's settings" in message
    assert "new output folder with --out" in message
    assert "learning-rate schedule" not in message


def test_resume_rejects_other_epoch_count(dataset, one_epoch_run):
    config = config_for(dataset, one_epoch_run, epochs=2, out_dir=str(one_epoch_run / "run"), resume=True)

    with pytest.raises(ResumeMismatchError) as info:
        train(config, model=tiny_model())

    message = str(info.value)
    assert "epochs (--epochs): 1 in the checkpoint, 2 requested" in message
    assert "learning-rate schedule is laid out over the total number of epochs" in message
    assert "start from scratch in a new output folder" in message


def test_resume_with_other_weights_is_explained(dataset, one_epoch_run):
    other = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, CLASSES))
    config = config_for(dataset, one_epoch_run, epochs=1, out_dir=str(one_epoch_run / "run"), resume=True)

    with pytest.raises(ResumeMismatchError) as info:
        train(config, model=other)

    message = str(info.value)
    assert "The model state in the checkpoint" in message
    assert "comes from the model fourresnet26_cifar, this run asks for Sequential" in message
    assert "--out" in message
    assert "Missing key" not in message
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_resume_line_printed_without_progress(dataset, one_epoch_run, capsys):
    config = config_for(dataset, one_epoch_run, epochs=1, out_dir=str(one_epoch_run / "run"), resume=True)
    assert config.progress is False

    result = train(config, model=tiny_model(seed=5))

    output = capsys.readouterr().out
    assert f"Resuming from the checkpoint {one_epoch_run / 'run' / 'checkpoint.pt'} (1 epochs done)." in output
    assert len(result.history) == 1  # nothing left to train: the stored epoch only


def test_nonfinite_loss_stops_with_advice(dataset, tmp_path):
    model = tiny_model()

    def poison(event):
        if event["kind"] == "step" and event["step"] == 2:
            with torch.no_grad():
                model.fc.weight.fill_(float("nan"))

    with pytest.raises(NonFiniteError, match=r"epoch 1, step 3 is nan") as info:
        train(config_for(dataset, tmp_path), callbacks=[poison], model=model)
    assert "lower learning rate" in str(info.value)


def test_nonfinite_batchnorm_stops(dataset, tmp_path):
    model = tiny_model()

    def poison(event):
        if event["kind"] == "step" and event["step"] == 3:
            model.bn.running_var.fill_(float("inf"))

    with pytest.raises(NonFiniteError, match="BatchNorm layer bn"):
        train(config_for(dataset, tmp_path), callbacks=[poison], model=model)


def test_torchvision_pipeline_trains(dataset, tmp_path):
    result = train(config_for(dataset, tmp_path, epochs=1, pipeline="torchvision"), model=tiny_model())
    assert len(result.history) == 1
    assert result.history[0]["train_images"] == 32  # drop_last: two full batches of 16


def test_registry_model_with_subset(dataset, tmp_path):
    config = config_for(dataset, tmp_path, model="resnet20", width_multiplier=0.25, epochs=1, subset=20, tta=False)

    result = train(config)

    assert result.summary["train_size"] == 20
    assert result.model.fc.out_features == CLASSES
