"""Figures: Chinese text without missing glyphs, pixel budget, state markers, no leaked figures."""

from __future__ import annotations

import io
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import torch

from fourresnet_lib import i18n
from fourresnet_lib.viz import fonts, gradflow, plots


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    # Tiny models: one thread is faster and does not fight other test processes.
    with gradflow.torch_threads(1):
        yield

def glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught
            if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def draw_chinese_figure():
    fig = plots.new_figure((4, 3))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([-3, -1, 0, 2], [-2.5, 1, -0.5, 3])
    ax.set_title("梯度流：负数刻度 −1")
    ax.set_xlabel("训练步数")
    ax.set_ylabel("损失")
    fig.canvas.draw()
    fig.savefig(io.BytesIO(), format="png")
    return fig


def test_chinese_title_renders_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw_chinese_figure()

    assert glyph_warnings(caught) == []
    assert fonts.cjk_available()
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    labels = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert any(text.startswith("-") for text in labels)


def test_glyph_check_detects_latin_only_font():
    # The check above must be able to fail: with DejaVu Sans alone the same figure
    # produces missing-glyph warnings.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            draw_chinese_figure()
    assert glyph_warnings(caught)


def test_font_file_comes_from_mplfonts():
    path = fonts.find_cjk_font_file()
    assert path is not None
    assert "mplfonts" in str(path)
    registered = {entry.fname for entry in matplotlib.font_manager.fontManager.ttflist}
    assert str(path) in registered


def test_plot_language_falls_back_to_english(monkeypatch):
    monkeypatch.setattr(fonts, "_setup_done", True)
    monkeypatch.setattr(fonts, "_cjk_family", None)
    i18n.set_language("zh")
    try:
        assert fonts.plot_language() == "en"
        assert fonts.plot_text("viz.axis_step") == i18n.MESSAGES["viz.axis_step"]["en"]
    finally:
        i18n.set_language(None)


def test_missing_font_warns_once(monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font_file", lambda: None)
    saved = matplotlib.rcParams.copy()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert fonts.setup_fonts(force=True) is None
            fonts.setup_fonts()
            fonts.plot_language()
        assert len([w for w in caught if "CJK" in str(w.message) or "中文" in str(w.message)]) == 1
        assert fonts.plot_language() == "en"
    finally:
        matplotlib.rcParams.update(saved)
        monkeypatch.undo()
        fonts.setup_fonts(force=True)
    assert fonts.cjk_available()


def test_channel_grid_respects_pixel_budget():
    feature_map = torch.randn(2048, 4, 4)
    fig = plots.plot_channel_grid(feature_map)

    width, height = plots.figure_pixels(fig)
    assert width <= plots.MAX_FIGURE_PIXELS[0]
    assert height <= plots.MAX_FIGURE_PIXELS[1]
    assert len(fig.axes) == plots.DEFAULT_MAX_CHANNELS
    png = plots.figure_to_png(fig)
    assert png.startswith(b"\x89PNG")


def test_channel_grid_small_budget_and_choice():
    feature_map = torch.zeros(10, 3, 3)
    feature_map[7] = 5.0
    fig = plots.plot_channel_grid(feature_map, max_channels=1, max_pixels=(200, 150))

    assert plots.figure_pixels(fig)[0] <= 200
    assert plots.figure_pixels(fig)[1] <= 150
    assert [ax.get_title() for ax in fig.axes] == ["7"]
    with pytest.raises(ValueError, match="12"):
        plots.plot_channel_grid(feature_map, channels=[12])


def test_negative_map_uses_centred_colours():
    feature_map = torch.tensor([[[-2.0, 1.0], [0.5, 0.0]]])
    fig = plots.plot_channel_grid(feature_map)
    image = fig.axes[0].images[0]
    assert image.get_clim() == (-2.0, 2.0)


def state_table() -> pd.DataFrame:
    rows = [
        ("activation", 0, "a", "ok", 1.0),
        ("activation", 1, "b", "zero", 0.0),
        ("activation", 2, "c", "no_grad", 0.0),
        ("activation", 3, "d", "ok", 0.01),
    ]
    return pd.DataFrame(
        [{"kind": k, "index": i, "name": n, "module_type": "X", "role": "activation",
          "numel": 4, "norm": v, "rms": v / 2, "state": s} for k, i, n, s, v in rows],
        columns=list(gradflow.COLUMNS),
    )


def test_gradient_plot_marks_special_states():
    fig = plots.plot_gradient_flow(state_table())
    ax = fig.axes[0]

    assert ax.get_yscale() == "log"
    markers = {collection.get_label(): collection for collection in ax.collections}
    assert set(markers) == {fonts.plot_text("viz.state_zero"), fonts.plot_text("viz.state_no_grad")}
    zero_points = markers[fonts.plot_text("viz.state_zero")].get_offsets()
    assert zero_points[0][0] == 1
    assert zero_points[0][1] < 0.01  # drawn below the smallest norm
    line = ax.lines[0]
    assert list(line.get_xdata()) == [0, 3]
    assert ax.get_ylim()[0] > 0


def test_depth_comparison_draws_every_network():
    inputs, targets = gradflow.random_batch(batch_size=2)
    table = gradflow.compare_depths(depths=(8, 14), residual=(False, True),
                                    inputs=inputs, targets=targets)

    assert set(zip(table["depth"], table["residual"])) == {(8, False), (8, True), (14, False), (14, True)}
    fig = plots.plot_depth_comparison(table)
    plain_ax, residual_ax = fig.axes[:2]
    assert len(plain_ax.lines) == 2
    assert len(residual_ax.lines) == 2
    assert len(plain_ax.lines[1].get_xdata()) == 6  # depth 14: 3 stages of 2 blocks


def test_gradient_history_plot():
    history = pd.concat([state_table().assign(step=step) for step in range(4)])
    fig = plots.plot_gradient_history(history, names=["a", "b"])
    assert [line.get_label() for line in fig.axes[0].lines] == ["a", "b"]
    assert len(fig.axes[0].lines[0].get_xdata()) == 4
    assert len(fig.axes[0].lines[1].get_xdata()) == 0  # "b" is zero at every step


def test_feature_plots_have_expected_panels():
    image = torch.randint(0, 256, (3, 32, 32), dtype=torch.uint8)
    unfused, fused = torch.randn(16, 8, 8), torch.randn(16, 8, 8)

    assert len(plots.plot_mean_activation(image, unfused).axes) == 2
    assert len(plots.plot_fused_comparison(image, unfused, fused, names=("layer2", "fused2")).axes) == 3
    panel = plots.plot_feature_panel(image, unfused, channel=5, name="layer2")
    assert "5" in panel.axes[2].get_title()


def test_thirty_plots_leave_no_open_figures():
    plt.close("all")
    table = state_table()
    fig = None
    for _ in range(15):
        plots.plot_gradient_flow(table)
        fig = plots.plot_gradient_flow(table, fig=fig)
    assert len(plt.get_fignums()) <= 1
    assert len(fig.axes) == 1  # redrawing into a figure replaces its contents
