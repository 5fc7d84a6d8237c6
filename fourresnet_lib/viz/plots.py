"""Figures for gradient flow, feature maps and training curves.

Every function returns the figure it drew. Given ``fig``, it clears that figure and
draws into it, which is how the widgets redraw one persistent figure. Otherwise it
creates a new figure.
New figures are ``matplotlib.figure.Figure`` objects with an Agg canvas, created outside
pyplot: pyplot never tracks them, so a loop that plots many times leaves no open
figures behind. In Jupyter a returned figure is displayed like any other; :func:`show`
displays one explicitly.

Importing this module registers the CJK font (see :mod:`fourresnet_lib.viz.fonts`), and
every title and axis label comes from the i18n table.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from torch import Tensor

from fourresnet_lib.i18n import t
from fourresnet_lib.viz import gradflow
from fourresnet_lib.viz.features import mean_activation, strongest_channels
from fourresnet_lib.viz.fonts import plot_text, setup_fonts

setup_fonts()

DPI = 100
# Upper bound of a figure's size in pixels (inches * dpi) for the channel grid, so that
# a 2,048-channel map cannot produce a giant image.
MAX_FIGURE_PIXELS = (1600, 1600)
DEFAULT_MAX_CHANNELS = 64

# Markers of the special gradient states; "ok" points are drawn as a line with dots.
STATE_STYLES = {
    gradflow.STATE_ZERO: {"marker": "v", "color": "tab:red", "key": "viz.state_zero"},
    gradflow.STATE_NO_GRAD: {"marker": "x", "color": "tab:gray", "key": "viz.state_no_grad"},
    gradflow.STATE_NONFINITE: {"marker": "*", "color": "black", "key": "viz.state_nonfinite"},
}


# --- figure helpers ----------------------------------------------------------------------
def new_figure(figsize: tuple[float, float] = (7.0, 4.0), dpi: int = DPI) -> Figure:
    """Return a Figure with an Agg canvas that pyplot does not track."""
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _prepare(fig: Figure | None, figsize: tuple[float, float], dpi: int = DPI) -> Figure:
    if fig is None:
        return new_figure(figsize, dpi)
    fig.clear()
    fig.set_size_inches(*figsize)
    fig.set_dpi(dpi)
    return fig


def figure_to_png(fig: Figure, dpi: int | None = None) -> bytes:
    """Render ``fig`` to PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi)
    return buffer.getvalue()


def figure_pixels(fig: Figure) -> tuple[int, int]:
    """Return the (width, height) of ``fig`` in pixels at its dpi."""
    width, height = fig.get_size_inches()
    return round(width * fig.dpi), round(height * fig.dpi)


def show(fig: Figure) -> None:
    """Display ``fig`` in Jupyter once; outside IPython, do nothing.

    The figure is not tracked by pyplot, so nothing stays open afterwards.
    """
    try:
        from IPython.display import Image, display
    except ImportError:
        return
    # Render the PNG here rather than display(fig): a figure made outside pyplot only has
    # an image representation once matplotlib's inline backend has started, and before
    # that Jupyter would print "<Figure ...>" in place of the picture.
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    display(Image(data=buffer.getvalue(), format="png"))


# --- gradient flow -----------------------------------------------------------------------
def _select_rows(table: pd.DataFrame, kind: str, roles: Sequence[str] | None) -> pd.DataFrame:
    if kind not in (gradflow.KIND_ACTIVATION, gradflow.KIND_PARAMETER):
        raise ValueError(t("viz.kind_invalid", value=kind))
    rows = table[table["kind"] == kind]
    if kind == gradflow.KIND_PARAMETER:
        rows = rows[rows["role"].isin(roles or ("conv", "linear"))]
    return rows.reset_index(drop=True)


def _floor(values: pd.Series) -> float:
    """Return a y value below every positive value, where special states are drawn."""
    positive = values[values > 0]
    return float(positive.min()) / 10.0 if len(positive) else 1e-12


def _draw_states(ax, x: np.ndarray, rows: pd.DataFrame, floor: float, labelled: set) -> None:
    for state, style in STATE_STYLES.items():
        mask = (rows["state"] == state).to_numpy()
        if not mask.any():
            continue
        label = None
        if state not in labelled:
            label = plot_text(style["key"])
            labelled.add(state)
        ax.scatter(x[mask], np.full(mask.sum(), floor), marker=style["marker"],
                   color=style["color"], s=40, zorder=3, label=label, clip_on=False)


def plot_gradient_flow(table: pd.DataFrame, kind: str = gradflow.KIND_ACTIVATION,
                       roles: Sequence[str] | None = None, value: str = "norm",
                       title: str | None = None, fig: Figure | None = None) -> Figure:
    """Plot per-layer gradient norms on a log scale, with the special states marked.

    ``kind`` picks activation rows (gradient at each block output) or parameter rows,
    the latter filtered to ``roles`` (default: conv and linear weights). Rows with state
    "zero", "no_grad" or "nonfinite" have no logarithm, so they are drawn below the
    smallest norm with their own markers.
    """
    if value not in ("norm", "rms"):
        raise ValueError(t("viz.value_invalid", value=value))
    fig = _prepare(fig, (7.5, 4.0))
    ax = fig.add_subplot(1, 1, 1)
    rows = _select_rows(table, kind, roles)
    x = np.arange(len(rows))
    ok = (rows["state"] == gradflow.STATE_OK).to_numpy()
    values = rows[value].astype(float)
    floor = _floor(values)

    if ok.any():
        ax.plot(x[ok], values[ok], marker="o", markersize=3, linewidth=1.2,
                label=plot_text("viz.state_ok"))
    _draw_states(ax, x, rows, floor, set())
    ax.set_yscale("log")
    if not ok.all():
        ax.set_ylim(bottom=floor / 2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(plot_text("viz.axis_block" if kind == gradflow.KIND_ACTIVATION else "viz.axis_layer"))
    ax.set_ylabel(plot_text("viz.axis_grad_norm" if value == "norm" else "viz.axis_grad_rms"))
    ax.set_title(title or plot_text("viz.title_gradient_flow"))
    if len(rows):
        ax.legend(loc="best", fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    # Fixed margins instead of tight_layout: the widget redraws this figure on every
    # change, and tight_layout lays out the log-axis tick labels an extra time.
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.13, top=0.9)
    return fig


def plot_depth_comparison(table: pd.DataFrame, value: str = "norm",
                          fig: Figure | None = None) -> Figure:
    """Plot activation-gradient norms of plain and residual networks at several depths.

    ``table`` is the output of :func:`fourresnet_lib.viz.gradflow.compare_depths`: the
    gradient tables of several networks with ``depth`` and ``residual`` columns. The x
    axis is the block position relative to the network's depth (0 = input side,
    1 = output side), so networks of different depth share one axis; the two panels share
    the y axis.
    """
    fig = _prepare(fig, (11.0, 4.2))
    rows = table[table["kind"] == gradflow.KIND_ACTIVATION]
    depths = sorted(rows["depth"].unique())
    colors = matplotlib.colormaps["viridis"](np.linspace(0.0, 0.85, max(len(depths), 1)))
    floor = _floor(rows[value].astype(float))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, residual in zip(axes, (False, True)):
        labelled: set = set()
        for color, depth in zip(colors, depths):
            part = rows[(rows["depth"] == depth) & (rows["residual"] == residual)].reset_index(drop=True)
            if part.empty:
                continue
            x = np.linspace(0.0, 1.0, len(part)) if len(part) > 1 else np.zeros(1)
            ok = (part["state"] == gradflow.STATE_OK).to_numpy()
            ax.plot(x[ok], part[value].astype(float)[ok], color=color, linewidth=1.4,
                    label=plot_text("viz.legend_depth", depth=int(depth)))
            _draw_states(ax, x, part, floor, labelled)
        ax.set_yscale("log")
        ax.set_title(plot_text("viz.title_residual" if residual else "viz.title_plain"))
        ax.set_xlabel(plot_text("viz.axis_relative_depth"))
        ax.grid(True, which="major", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    axes[0].set_ylabel(plot_text("viz.axis_grad_norm"))
    if (rows["state"] != gradflow.STATE_OK).any():
        axes[0].set_ylim(bottom=floor / 2)
    fig.suptitle(plot_text("viz.title_depth_comparison"))
    fig.tight_layout()
    return fig


def plot_gradient_history(history: pd.DataFrame, names: Sequence[str] | None = None,
                          kind: str = gradflow.KIND_ACTIVATION,
                          fig: Figure | None = None) -> Figure:
    """Plot gradient norms over training steps for a few layers.

    ``history`` comes from ``GradientRecorder.history_table()``. ``names`` defaults to
    the first, middle and last row of ``kind`` (conv/linear weights for parameters).
    """
    fig = _prepare(fig, (7.5, 4.0))
    ax = fig.add_subplot(1, 1, 1)
    rows = history[history["kind"] == kind]
    if kind == gradflow.KIND_PARAMETER:
        rows = rows[rows["role"].isin(("conv", "linear"))]
    if names is None:
        ordered = list(dict.fromkeys(rows["name"]))
        names = list(dict.fromkeys(ordered[i] for i in (0, len(ordered) // 2, -1))) if ordered else []
    floor = _floor(rows["norm"].astype(float))
    labelled: set = set()
    for name in names:
        part = rows[rows["name"] == name].sort_values("step").reset_index(drop=True)
        steps = part["step"].to_numpy()
        ok = (part["state"] == gradflow.STATE_OK).to_numpy()
        ax.plot(steps[ok], part["norm"].astype(float)[ok], marker="o", markersize=2,
                linewidth=1.2, label=name)
        _draw_states(ax, steps, part, floor, labelled)
    ax.set_yscale("log")
    if (rows["state"] != gradflow.STATE_OK).any():
        ax.set_ylim(bottom=floor / 2)
    ax.set_xlabel(plot_text("viz.axis_step"))
    ax.set_ylabel(plot_text("viz.axis_grad_norm"))
    ax.set_title(plot_text("viz.title_gradient_history"))
    ax.grid(True, which="major", alpha=0.3)
    if names:
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


# --- feature maps ------------------------------------------------------------------------
def _as_map(feature_map: Tensor) -> Tensor:
    if feature_map.ndim == 4 and feature_map.shape[0] == 1:
        feature_map = feature_map[0]
    if feature_map.ndim != 3:
        raise ValueError(t("viz.feature_shape_invalid", shape=tuple(feature_map.shape)))
    return feature_map.detach().float().cpu()


def _as_image(image: Tensor) -> np.ndarray:
    """Return an HxWx3 float array in [0, 1] from a uint8 or float ``[3, H, W]`` image."""
    if image.ndim == 4 and image.shape[0] == 1:
        image = image[0]
    if image.ndim != 3 or image.shape[0] != 3:
        raise ValueError(t("viz.image_shape_invalid", shape=tuple(image.shape)))
    array = image.detach().cpu().permute(1, 2, 0).numpy()
    if image.dtype == torch.uint8:
        return array.astype(np.float32) / 255.0
    low, high = float(array.min()), float(array.max())
    return (array - low) / (high - low) if high > low else np.zeros_like(array)


def _map_colors(values: Tensor) -> dict:
    """Return imshow arguments: a diverging map centred on 0 when the map has negative values."""
    low, high = float(values.min()), float(values.max())
    if low < 0.0:
        limit = max(abs(low), abs(high)) or 1.0
        return {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    return {"cmap": "viridis", "vmin": low, "vmax": high if high > low else low + 1.0}


def grid_shape(count: int) -> tuple[int, int]:
    """Return (rows, columns) of a near-square grid for ``count`` cells."""
    columns = max(1, math.ceil(math.sqrt(count)))
    return max(1, math.ceil(count / columns)), columns


def plot_channel_grid(feature_map: Tensor, channels: Sequence[int] | None = None,
                      max_channels: int = DEFAULT_MAX_CHANNELS, title: str | None = None,
                      max_pixels: tuple[int, int] = MAX_FIGURE_PIXELS,
                      fig: Figure | None = None) -> Figure:
    """Plot a grid of single-channel maps from a ``[C, H, W]`` map.

    Shows ``channels`` or else the ``max_channels`` strongest channels (largest mean
    absolute value), never more than ``max_channels``. The figure never exceeds
    ``max_pixels`` (width, height in pixels). Maps with negative values (pre-activation)
    use a diverging colour map centred on zero. Each drawn channel gets one axes, titled
    with its index.
    """
    feature_map = _as_map(feature_map)
    if max_channels < 1:
        raise ValueError(t("viz.max_channels_invalid", value=max_channels))
    if channels is None:
        channels = strongest_channels(feature_map, max_channels)
    channels = list(channels)[:max_channels]
    bad = [c for c in channels if not 0 <= int(c) < feature_map.shape[0]]
    if bad:
        raise ValueError(t("viz.channel_invalid", value=bad[0], count=feature_map.shape[0]))

    rows, columns = grid_shape(len(channels))
    cell = 1.1  # inches per map
    width, height = columns * cell, rows * cell + 0.5
    scale = min(1.0, max_pixels[0] / (width * DPI), max_pixels[1] / (height * DPI))
    fig = _prepare(fig, (width * scale, height * scale))
    colors = _map_colors(feature_map[channels]) if channels else {}
    for position, channel in enumerate(channels):
        ax = fig.add_subplot(rows, columns, position + 1)
        ax.imshow(feature_map[int(channel)].numpy(), interpolation="nearest", **colors)
        ax.set_title(str(int(channel)), fontsize=7, pad=1)
        ax.set_axis_off()
    fig.suptitle(title or plot_text("viz.title_channel_grid", shown=len(channels),
                                     total=feature_map.shape[0]), fontsize=10)
    return fig


def _overlay(ax, image: np.ndarray, heat: Tensor, title: str) -> None:
    ax.imshow(image, interpolation="bilinear")
    ax.imshow(heat.numpy(), cmap="inferno", alpha=0.55, interpolation="bilinear")
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()


def plot_mean_activation(image: Tensor, feature_map: Tensor, title: str | None = None,
                         fig: Figure | None = None) -> Figure:
    """Plot the input image and the channel-mean activation laid over it as a heat map."""
    picture = _as_image(image)
    heat = mean_activation(_as_map(feature_map), size=picture.shape[:2])
    fig = _prepare(fig, (6.0, 3.2))
    first, second = fig.subplots(1, 2)
    first.imshow(picture, interpolation="bilinear")
    first.set_title(plot_text("viz.title_input"), fontsize=9)
    first.set_axis_off()
    _overlay(second, picture, heat, title or plot_text("viz.title_mean_activation"))
    fig.tight_layout()
    return fig


def plot_fused_comparison(image: Tensor, unfused: Tensor, fused: Tensor,
                          names: tuple[str, str] = ("layer", "fused"),
                          fig: Figure | None = None) -> Figure:
    """Plot the mean activation of an unfused and a fused map side by side over the image."""
    picture = _as_image(image)
    fig = _prepare(fig, (9.0, 3.2))
    axes = fig.subplots(1, 3)
    axes[0].imshow(picture, interpolation="bilinear")
    axes[0].set_title(plot_text("viz.title_input"), fontsize=9)
    axes[0].set_axis_off()
    for ax, feature_map, name, key in zip(axes[1:], (unfused, fused), names,
                                          ("viz.title_unfused", "viz.title_fused")):
        heat = mean_activation(_as_map(feature_map), size=picture.shape[:2])
        _overlay(ax, picture, heat, plot_text(key, name=name))
    fig.tight_layout()
    return fig


def plot_feature_panel(image: Tensor, feature_map: Tensor, channel: int | None = None,
                       name: str = "", fig: Figure | None = None) -> Figure:
    """Plot the input image, the mean activation over it, and one channel of the map.

    ``channel`` None shows the strongest channel (largest mean absolute value).
    """
    picture = _as_image(image)
    feature_map = _as_map(feature_map)
    if channel is None:
        channel = strongest_channels(feature_map, 1)[0]
    if not 0 <= channel < feature_map.shape[0]:
        raise ValueError(t("viz.channel_invalid", value=channel, count=feature_map.shape[0]))
    fig = _prepare(fig, (9.0, 3.2))
    axes = fig.subplots(1, 3)
    axes[0].imshow(picture, interpolation="bilinear")
    axes[0].set_title(plot_text("viz.title_input"), fontsize=9)
    axes[0].set_axis_off()
    heat = mean_activation(feature_map, size=picture.shape[:2])
    _overlay(axes[1], picture, heat, plot_text("viz.title_mean_of", name=name))
    single = feature_map[channel]
    shown = axes[2].imshow(single.numpy(), interpolation="nearest", **_map_colors(single))
    fig.colorbar(shown, ax=axes[2], fraction=0.046, pad=0.04)
    axes[2].set_title(plot_text("viz.title_channel", name=name, channel=channel), fontsize=9)
    axes[2].set_axis_off()
    fig.tight_layout()
    return fig


# --- training curves ---------------------------------------------------------------------
def plot_training_curves(steps: pd.DataFrame, epochs: pd.DataFrame,
                         fig: Figure | None = None) -> Figure:
    """Plot loss and accuracy: per-step training values and per-epoch train/test values.

    ``steps`` has columns step, loss, accuracy; ``epochs`` has step (the step at the end
    of the epoch), train_loss, train_accuracy, test_loss, test_accuracy. Either may be
    empty.
    """
    fig = _prepare(fig, (10.0, 3.6))
    loss_ax, accuracy_ax = fig.subplots(1, 2)
    for ax, metric, key in ((loss_ax, "loss", "viz.axis_loss"),
                            (accuracy_ax, "accuracy", "viz.axis_accuracy")):
        if not steps.empty and metric in steps:
            part = steps.dropna(subset=[metric])
            ax.plot(part["step"], part[metric], linewidth=0.8, alpha=0.6,
                    label=plot_text("viz.legend_train_step"))
        for prefix, legend_key, marker in (("train", "viz.legend_train_epoch", "o"),
                                           ("test", "viz.legend_test_epoch", "s")):
            column = f"{prefix}_{metric}"
            if not epochs.empty and column in epochs:
                part = epochs.dropna(subset=[column])
                if not part.empty:
                    ax.plot(part["step"], part[column], marker=marker, linewidth=1.5,
                            label=plot_text(legend_key))
        ax.set_xlabel(plot_text("viz.axis_step"))
        ax.set_ylabel(plot_text(key))
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    loss_ax.set_title(plot_text("viz.title_loss"))
    accuracy_ax.set_title(plot_text("viz.title_accuracy"))
    fig.tight_layout()
    return fig
