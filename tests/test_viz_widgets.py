"""Widgets driven from Python: controls update the plotted data, errors show in the widget."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch

from fourresnet_lib.models import create_model
from fourresnet_lib.viz import gradflow, images, plots, widgets


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    # Tiny models: one thread is faster and does not fight other test processes.
    with gradflow.torch_threads(1):
        yield


@pytest.fixture
def small_batch():
    return gradflow.random_batch(batch_size=2)


def make_explorer(small_batch, **kwargs) -> widgets.GradientFlowExplorer:
    inputs, targets = small_batch
    return widgets.GradientFlowExplorer(depth=8, depth_range=(8, 20), inputs=inputs,
                                        targets=targets, **kwargs)


def activation_count(explorer) -> int:
    return int((explorer.last_table["kind"] == gradflow.KIND_ACTIVATION).sum())


def test_gradient_explorer_depth_updates_plot(small_batch):
    explorer = make_explorer(small_batch)
    first_png = bytes(explorer.image.value)

    assert explorer.last_error is None
    assert explorer.render_count == 1
    assert activation_count(explorer) == 3
    assert first_png.startswith(b"\x89PNG")

    explorer.depth.value = 14
    assert explorer.render_count == 2
    assert activation_count(explorer) == 6
    assert explorer.last_table.attrs["depth"] == 14
    assert bytes(explorer.image.value) != first_png
    assert "14" in explorer.status.value


def test_gradient_explorer_options_reach_model(small_batch):
    explorer = make_explorer(small_batch, residual=True)
    residual_table = explorer.last_table

    explorer.residual.value = False
    explorer.norm.value = False
    assert explorer.last_table.attrs["residual"] is False
    assert explorer.last_table.attrs["norm"] is False
    assert "norm_scale" not in set(explorer.last_table["role"])
    assert "norm_scale" in set(residual_table["role"])
    assert not explorer.last_table["norm"].equals(residual_table["norm"])


def test_gradient_explorer_view_reuses_table(small_batch):
    explorer = make_explorer(small_batch)
    table = explorer.last_table
    explorer.view.value = gradflow.KIND_PARAMETER

    assert explorer.last_table is table
    assert explorer.render_count == 2


def test_sliders_update_on_release_only(small_batch):
    explorer = make_explorer(small_batch)
    assert explorer.depth.continuous_update is False
    assert explorer.depth.step == 6


def test_gradient_explorer_shows_callback_error(small_batch):
    def factory(depth, **settings):
        if depth == 14:
            raise RuntimeError("factory failed at depth 14")
        return gradflow.cifar_network(depth, **settings)

    explorer = make_explorer(small_batch, model_factory=factory)
    explorer.depth.value = 14

    assert "factory failed at depth 14" in explorer.last_error
    assert "factory failed at depth 14" in explorer.error.value
    assert explorer.last_table is None

    explorer.depth.value = 20
    assert explorer.last_error is None
    assert explorer.error.value == ""
    assert activation_count(explorer) == 9


def test_thirty_updates_leave_at_most_one_figure(small_batch):
    plt.close("all")
    explorer = make_explorer(small_batch)
    for index in range(30):
        explorer.view.value = (gradflow.KIND_PARAMETER, gradflow.KIND_ACTIVATION)[index % 2]

    assert explorer.render_count == 31
    assert len(plt.get_fignums()) <= 1
    assert len(explorer.figure.axes) == 1


@pytest.fixture(scope="module")
def feature_explorer():
    torch.manual_seed(0)
    model = create_model("fourresnet26_cifar", width_multiplier=0.25)
    photos = images.example_images(count=2, size=32, source="skimage")
    return widgets.FeatureMapExplorer(model=model, images=photos, stage="layer2")


def test_feature_explorer_controls(feature_explorer):
    explorer = feature_explorer
    assert explorer.last_error is None
    assert explorer.last_data["name"] == "layer2"
    channels = explorer.last_data["feature_map"].shape[0]
    assert explorer.channel.max == channels - 1
    assert explorer.channel.continuous_update is False

    explorer.fused.value = True
    assert explorer.last_data["name"] == "fused2"

    explorer.channel.value = 3
    assert explorer.last_data["channel"] == 3
    torch.testing.assert_close(explorer.last_data["channel_map"], explorer.last_data["feature_map"][3])

    explorer.image_index.value = 1
    assert explorer.last_data["image_index"] == 1

    explorer.fused.value = False
    explorer.stage.value = "layer4"
    assert explorer.last_data["name"] == "layer4"
    assert explorer.channel.max == explorer.last_data["feature_map"].shape[0] - 1


def test_feature_explorer_error_shown(feature_explorer, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("cannot draw this map")

    monkeypatch.setattr(plots, "plot_feature_panel", broken)
    feature_explorer.channel.value = 1
    assert "cannot draw this map" in feature_explorer.error.value


def test_training_monitor_collects_events():
    monitor = widgets.TrainingMonitor(min_interval=0.0)
    for step in range(1, 5):
        monitor({"kind": "step", "step": step, "epoch": 1, "loss": 2.0 / step, "accuracy": 0.1 * step})
    monitor({"kind": "epoch", "epoch": 1, "train_loss": 0.9, "train_accuracy": 0.3,
             "test_loss": 1.1, "test_accuracy": 0.25, "lr": 0.1, "seconds": 1.0})
    monitor({"kind": "end"})

    steps, epochs = monitor.last_data["steps"], monitor.last_data["epochs"]
    assert steps["loss"].tolist() == [2.0, 1.0, 2.0 / 3, 0.5]
    assert epochs["step"].tolist() == [4]
    assert epochs["test_accuracy"].tolist() == [0.25]
    assert monitor.render_count == 6
    assert monitor.finished
    lines = monitor.figure.axes[0].lines
    assert len(lines) == 3  # per-step loss, train epoch loss, test epoch loss


def test_training_monitor_throttles_step_redraws():
    monitor = widgets.TrainingMonitor(min_interval=3600.0)
    for step in range(1, 20):
        monitor({"kind": "step", "step": step, "loss": 1.0, "accuracy": 0.5})
    assert monitor.render_count == 1
    assert len(monitor.last_data["steps"]) == 19


def test_training_monitor_error_does_not_stop_training(monkeypatch):
    monitor = widgets.TrainingMonitor(min_interval=0.0)

    def broken(*args, **kwargs):
        raise RuntimeError("plotting broke")

    monkeypatch.setattr(plots, "plot_training_curves", broken)
    monitor({"kind": "step", "step": 1, "loss": 1.0, "accuracy": 0.5})
    assert "plotting broke" in monitor.last_error
    assert "plotting broke" in monitor.error.value


class TinyNet(torch.nn.Module):
    def __init__(self, classes: int = 3):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4, classes)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


def test_training_monitor_as_train_callback(tmp_path):
    from fourresnet_lib.data import write_image_folder
    from fourresnet_lib.train import TrainConfig, train

    folder = write_image_folder(tmp_path / "images", classes=3, train_per_class=8,
                                test_per_class=2, size=8)
    config = TrainConfig(data=str(folder), data_root=str(tmp_path / "data"), epochs=2,
                         batch_size=8, lr=0.1, warmup_epochs=0.5, device="cpu",
                         progress=False, crop_padding=2)
    monitor = widgets.TrainingMonitor(min_interval=0.0)
    torch.manual_seed(0)
    result = train(config, callbacks=[monitor], model=TinyNet())

    steps, epochs = monitor.last_data["steps"], monitor.last_data["epochs"]
    assert steps["step"].tolist() == list(range(1, 7))  # 24 images at 8 per batch, 2 epochs
    assert epochs["epoch"].tolist() == [1, 2]
    assert epochs["step"].tolist() == [3, 6]
    assert epochs["test_accuracy"].tolist() == [record["test_accuracy"] for record in result.history]
    assert monitor.finished
    assert monitor.last_error is None


def test_explorer_arguments_checked(small_batch):
    inputs, targets = small_batch
    with pytest.raises(ValueError, match="8"):
        widgets.GradientFlowExplorer(depth=8, inputs=inputs, targets=targets)
    with pytest.raises(ValueError, match="21"):
        widgets.GradientFlowExplorer(depth=21, inputs=inputs, targets=targets)


def test_feature_explorer_initial_channel(feature_explorer):
    explorer = widgets.FeatureMapExplorer(model=feature_explorer.model, images=feature_explorer.images,
                                          stage="layer1", channel=2, auto_update=False)
    assert explorer.render_count == 0
    explorer.update()
    assert explorer.last_data["channel"] == 2
    with pytest.raises(ValueError, match="9999"):
        widgets.FeatureMapExplorer(model=feature_explorer.model, images=feature_explorer.images,
                                   channel=9999, auto_update=False)
