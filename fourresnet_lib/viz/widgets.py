"""Live widgets of the course (ipywidgets 8): gradient flow, feature maps, training curves.

Each widget owns one matplotlib figure, redrawn in place and shown as a PNG in an
``ipywidgets.Image``, so an update never adds a second figure to the output. Sliders
whose work takes more than a moment use ``continuous_update=False``: the work runs once
when the slider is released, not for every intermediate value. An exception raised
while updating is shown in the widget's error area and kept in ``last_error``.

Every widget can be driven from Python. Setting a control's ``value`` runs the same
update as in the browser, and ``update()`` redraws directly. ``last_table`` or
``last_data`` contains what was plotted.
"""

from __future__ import annotations

import html
import time
import traceback
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import pandas as pd
import torch
from torch import nn

from fourresnet_lib.i18n import t
from fourresnet_lib.viz import gradflow, plots
from fourresnet_lib.viz.features import capture_features, feature_names, fused_name
from fourresnet_lib.viz.fonts import plot_text
from fourresnet_lib.viz.images import ExampleImages, example_images, to_model_input

DEPTH_MIN, DEPTH_MAX, DEPTH_STEP = 20, 110, 6  # CIFAR ResNet depths 6n + 2


class _FigureWidget:
    """One persistent figure shown as a PNG, an error area and a status line."""

    def __init__(self, figsize: tuple[float, float]):
        self.figure = plots.new_figure(figsize)
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.status = widgets.HTML()
        self.error = widgets.HTML()
        self.last_error: str | None = None
        self.render_count = 0
        self.last_seconds = 0.0
        self.widget: widgets.Widget = widgets.VBox([self.status, self.error, self.image])

    def _render(self) -> None:
        raise NotImplementedError

    def update(self) -> bool:
        """Recompute and redraw; return False when it failed (the error is shown in the widget)."""
        start = time.perf_counter()
        try:
            self._render()
        except Exception as error:  # noqa: BLE001 - any failure must reach the user in the widget
            self._show_error(error)
            return False
        self.last_error = None
        self.error.value = ""
        self.last_seconds = time.perf_counter() - start
        return True

    def _show_error(self, error: BaseException) -> None:
        self.last_error = f"{type(error).__name__}: {error}"
        details = html.escape("".join(traceback.format_exception(error)))
        self.error.value = (
            f'<div style="color:#b00020"><b>{html.escape(t("viz.widget_error"))}</b> '
            f"{html.escape(self.last_error)}<details><summary>{html.escape(t('viz.widget_traceback'))}"
            f"</summary><pre>{details}</pre></details></div>"
        )

    def _publish(self) -> None:
        self.image.value = plots.figure_to_png(self.figure)
        self.render_count += 1

    def display(self) -> None:
        """Show the widget now, for example before a long call in the same notebook cell."""
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _model_choices(name: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """Return a tuple of option values published by ``fourresnet_lib.models``, else ``fallback``."""
    try:
        import fourresnet_lib.models as models
    except ImportError:
        return fallback
    return tuple(getattr(models, name, fallback))


class GradientFlowExplorer(_FigureWidget):
    """Gradient norm at each block output of a freshly initialised CIFAR network.

    Controls: depth (6n + 2), residual shortcuts on/off, BatchNorm on/off, weight
    initialisation, activation, and whether to show block outputs or weights. All
    networks see the same batch. ``model_factory(depth, residual, norm, activation,
    init, seed)`` builds the network (default :func:`gradflow.cifar_network`).
    ``last_table`` is the gradient table last plotted.

    ``num_threads``: torch threads for the forward and backward pass (None keeps torch's
    setting); see :func:`gradflow.torch_threads` for why the default is 1.
    """

    def __init__(self, depth: int = 20, residual: bool = False, norm: bool = True,
                 init: str = "kaiming", activation: str = "relu",
                 view: str = gradflow.KIND_ACTIVATION, batch_size: int = 8, seed: int = 0,
                 model_factory: Callable[..., nn.Module] | None = None,
                 inputs: torch.Tensor | None = None, targets: torch.Tensor | None = None,
                 depth_range: tuple[int, int] = (DEPTH_MIN, DEPTH_MAX),
                 num_threads: int | None = 1, auto_update: bool = True):
        super().__init__((7.5, 4.0))
        gradflow.check_cifar_depth(depth)
        if not depth_range[0] <= depth <= depth_range[1]:
            raise ValueError(t("viz.depth_out_of_range", value=depth, low=depth_range[0],
                               high=depth_range[1]))
        self.num_threads = num_threads
        self.model_factory = model_factory or gradflow.cifar_network
        self.seed = seed
        if inputs is None:
            inputs, targets = gradflow.random_batch(batch_size, seed=seed)
        self.inputs, self.targets = inputs, targets
        self.last_table: pd.DataFrame | None = None
        self._cache_key: tuple | None = None

        style = {"description_width": "initial"}
        self.depth = widgets.IntSlider(
            value=depth, min=depth_range[0], max=depth_range[1], step=DEPTH_STEP,
            continuous_update=False, description=t("viz.widget_depth"), style=style)
        self.residual = widgets.Checkbox(value=residual, description=t("viz.widget_residual"))
        self.norm = widgets.Checkbox(value=norm, description=t("viz.widget_batchnorm"))
        self.init = widgets.Dropdown(
            options=_model_choices("INITS", ("kaiming",)), value=init,
            description=t("viz.widget_init"), style=style)
        self.activation = widgets.Dropdown(
            options=_model_choices("ACTIVATIONS", ("relu",)), value=activation,
            description=t("viz.widget_activation"), style=style)
        self.view = widgets.Dropdown(
            options=[(t("viz.widget_view_activation"), gradflow.KIND_ACTIVATION),
                     (t("viz.widget_view_parameter"), gradflow.KIND_PARAMETER)],
            value=view, description=t("viz.widget_view"), style=style)
        controls = [self.depth, self.residual, self.norm, self.init, self.activation, self.view]
        for control in controls:
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.depth, self.residual, self.norm]),
            widgets.HBox([self.init, self.activation, self.view]),
            self.status, self.error, self.image,
        ])
        if auto_update:
            self.update()

    def settings(self) -> dict:
        """Return the network settings selected in the controls."""
        return {"depth": self.depth.value, "residual": self.residual.value,
                "norm": self.norm.value, "activation": self.activation.value,
                "init": self.init.value}

    def _on_change(self, change: Mapping) -> None:
        self.update()

    def _render(self) -> None:
        settings = self.settings()
        key = tuple(sorted(settings.items()))
        if key != self._cache_key or self.last_table is None:
            # Clear first: if building or running the network fails, last_table must not
            # describe the previous settings.
            self.last_table, self._cache_key = None, None
            with gradflow.torch_threads(self.num_threads):
                model = self.model_factory(seed=self.seed, **settings)
                model.train()
                table = gradflow.gradient_flow(model, self.inputs, self.targets)
            table.attrs.update(settings)
            self.last_table, self._cache_key = table, key
        table = self.last_table
        name = plot_text("viz.network_residual" if settings["residual"] else "viz.network_plain")
        title = plot_text("viz.title_gradient_flow_of", network=name, depth=settings["depth"])
        plots.plot_gradient_flow(table, kind=self.view.value, title=title, fig=self.figure)
        self._publish()
        counts = table[table["kind"] == self.view.value]["state"].value_counts()
        self.status.value = html.escape(t(
            "viz.widget_gradient_status", depth=settings["depth"], loss=table.attrs["loss"],
            zero=int(counts.get(gradflow.STATE_ZERO, 0)),
            no_grad=int(counts.get(gradflow.STATE_NO_GRAD, 0))))


class FeatureMapExplorer(_FigureWidget):
    """Feature maps of a model for a few real images.

    Controls: image, stage, unfused or fused map (when the model has fused maps), and
    channel (-1 shows the strongest channel). ``last_data`` contains the name of the map,
    the channel shown and the plotted tensors.
    """

    def __init__(self, model: nn.Module | None = None, images: ExampleImages | None = None,
                 stage: str | None = None, fused: bool = False, channel: int = -1,
                 preprocess: Callable[[torch.Tensor], torch.Tensor] = to_model_input,
                 auto_update: bool = True):
        super().__init__((9.0, 3.2))
        if model is None:
            from fourresnet_lib.models import create_model

            model = create_model("fourresnet26_cifar")
        names = feature_names(model)
        if not names:
            raise ValueError(t("viz.model_without_features", model=type(model).__name__))
        self.model = model.eval()
        self.images = images if images is not None else example_images(count=8)
        self.preprocess = preprocess
        self.last_data: dict | None = None
        self._features: dict[int, dict[str, torch.Tensor]] = {}
        self._syncing = False

        stages = [name for name in names if not name.startswith("fused")]
        has_fused = any(name.startswith("fused") for name in names)
        style = {"description_width": "initial"}
        self.image_index = widgets.Dropdown(
            options=[(f"{i}: {caption}", i) for i, caption in enumerate(self.images.captions)],
            value=0, description=t("viz.widget_image"), style=style)
        self.stage = widgets.Dropdown(options=stages, value=stage or stages[-1],
                                      description=t("viz.widget_stage"), style=style)
        self.fused = widgets.ToggleButtons(
            options=[(t("viz.widget_unfused"), False), (t("viz.widget_fused"), True)],
            value=bool(fused and has_fused), disabled=not has_fused,
            description=t("viz.widget_fusion"), style=style)
        self.channel = widgets.IntSlider(
            value=-1, min=-1, max=0, continuous_update=False,
            description=t("viz.widget_channel"), style=style)
        for control in (self.image_index, self.stage, self.fused, self.channel):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.image_index, self.stage]),
            widgets.HBox([self.fused, self.channel]),
            self.status, self.error, self.image,
        ])
        self._sync_channel_range()
        if not -1 <= channel <= self.channel.max:
            raise ValueError(t("viz.channel_invalid", value=channel, count=self.channel.max + 1))
        self._syncing = True
        try:
            self.channel.value = channel
        finally:
            self._syncing = False
        if auto_update:
            self.update()

    def map_name(self) -> str:
        """Return the feature name selected by the stage and fusion controls."""
        if self.fused.value:
            name = fused_name(self.model, self.stage.value)
            if name is not None:
                return name
        return self.stage.value

    def _features_of(self, index: int) -> dict[str, torch.Tensor]:
        if index not in self._features:
            batch = self.preprocess(self.images.images[index:index + 1])
            self._features[index] = capture_features(self.model, batch)
        return self._features[index]

    def _sync_channel_range(self) -> None:
        """Set the channel slider's maximum to the selected map's channel count."""
        channels = self._features_of(self.image_index.value)[self.map_name()].shape[1]
        self._syncing = True
        try:
            self.channel.max = channels - 1
        finally:
            self._syncing = False

    def _on_change(self, change: Mapping) -> None:
        if self._syncing:
            return
        if change["owner"] is not self.channel:
            try:
                self._sync_channel_range()
            except Exception as error:  # noqa: BLE001 - shown in the widget
                self._show_error(error)
                return
        self.update()

    def _render(self) -> None:
        index = self.image_index.value
        name = self.map_name()
        feature_map = self._features_of(index)[name][0]
        channel = None if self.channel.value < 0 else self.channel.value
        plots.plot_feature_panel(self.images.images[index], feature_map, channel=channel,
                                 name=name, fig=self.figure)
        self._publish()
        shown = channel if channel is not None else plots.strongest_channels(feature_map, 1)[0]
        self.last_data = {"image_index": index, "name": name, "channel": shown,
                          "feature_map": feature_map, "channel_map": feature_map[shown]}
        self.status.value = html.escape(t(
            "viz.widget_feature_status", name=name, channels=feature_map.shape[0],
            height=feature_map.shape[1], width=feature_map.shape[2], channel=shown))


class TrainingMonitor(_FigureWidget):
    """Live loss and accuracy curves; pass it as a callback to ``fourresnet_lib.train.train``.

    In a notebook, show it before training starts in the same cell::

        monitor = TrainingMonitor()
        monitor.display()
        train(config, callbacks=[monitor])

    Called with the training events: ``{"kind": "step", "loss", "accuracy", ...}``,
    ``{"kind": "epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", ...}``
    and ``{"kind": "end", ...}``. The x axis counts step events over the whole run, and
    each epoch is drawn at the last step before it. Step events redraw at most every
    ``min_interval`` seconds; epoch and end events always redraw. A failure while
    drawing is shown in the widget and never interrupts training. ``last_data`` contains
    the ``steps`` and ``epochs`` tables.
    """

    STEP_FIELDS = ("step", "epoch", "loss", "accuracy")
    EPOCH_FIELDS = ("step", "epoch", "train_loss", "train_accuracy", "test_loss",
                    "test_accuracy", "lr", "seconds")

    def __init__(self, min_interval: float = 1.0):
        super().__init__((10.0, 3.6))
        self.min_interval = min_interval
        self._steps: list[dict] = []
        self._epochs: list[dict] = []
        self._last_draw: float | None = None
        self.finished = False
        self.status.value = html.escape(t("viz.monitor_waiting"))

    @property
    def last_data(self) -> dict[str, pd.DataFrame]:
        return {"steps": pd.DataFrame(self._steps, columns=list(self.STEP_FIELDS)),
                "epochs": pd.DataFrame(self._epochs, columns=list(self.EPOCH_FIELDS))}

    def __call__(self, event: Mapping) -> None:
        kind = event.get("kind")
        if kind == "step":
            # The trainer numbers steps within each epoch, so the x axis uses a running
            # count of step events instead.
            self._steps.append({"step": len(self._steps) + 1, "epoch": event.get("epoch"),
                                "loss": event.get("loss"), "accuracy": event.get("accuracy")})
            if self._last_draw is None or time.monotonic() - self._last_draw >= self.min_interval:
                self.update()
        elif kind == "epoch":
            record = {field: event.get(field) for field in self.EPOCH_FIELDS}
            record["step"] = self._steps[-1]["step"] if self._steps else len(self._epochs) + 1
            self._epochs.append(record)
            self.update()
        elif kind == "end":
            self.finished = True
            self.update()

    def _render(self) -> None:
        self._last_draw = time.monotonic()
        data = self.last_data
        plots.plot_training_curves(data["steps"], data["epochs"], fig=self.figure)
        self._publish()
        if self.finished:
            self.status.value = html.escape(t("viz.monitor_finished", steps=len(self._steps),
                                              epochs=len(self._epochs)))
        elif self._epochs:
            last = self._epochs[-1]
            self.status.value = html.escape(t(
                "viz.monitor_epoch", epoch=last.get("epoch") or len(self._epochs),
                train_loss=_number(last.get("train_loss")), test_accuracy=_number(last.get("test_accuracy"))))
        elif self._steps:
            last = self._steps[-1]
            self.status.value = html.escape(t("viz.monitor_step", step=last["step"],
                                              loss=_number(last["loss"])))


def _number(value) -> str:
    return "-" if value is None else f"{float(value):.4g}"
