"""Pictures and live widgets of the course: gradient flow, feature maps, training curves.

Submodules: ``fonts`` (CJK font setup), ``gradflow`` (gradient recording), ``features``
(feature-map capture), ``images`` (example inputs), ``plots`` (figures) and ``widgets``
(ipywidgets explorers). Importing this package registers the CJK font with matplotlib.
"""

from fourresnet_lib.viz.features import capture_features, mean_activation
from fourresnet_lib.viz.fonts import plot_language, setup_fonts
from fourresnet_lib.viz.gradflow import (
    GradientRecorder,
    cifar_network,
    compare_depths,
    gradient_flow,
    parameter_gradient_table,
)
from fourresnet_lib.viz.images import example_images, to_model_input
from fourresnet_lib.viz.plots import (
    plot_channel_grid,
    plot_depth_comparison,
    plot_feature_panel,
    plot_fused_comparison,
    plot_gradient_flow,
    plot_gradient_history,
    plot_mean_activation,
    plot_training_curves,
    show,
)
from fourresnet_lib.viz.widgets import FeatureMapExplorer, GradientFlowExplorer, TrainingMonitor

__all__ = [
    "FeatureMapExplorer",
    "GradientFlowExplorer",
    "GradientRecorder",
    "TrainingMonitor",
    "capture_features",
    "cifar_network",
    "compare_depths",
    "example_images",
    "gradient_flow",
    "mean_activation",
    "parameter_gradient_table",
    "plot_channel_grid",
    "plot_depth_comparison",
    "plot_feature_panel",
    "plot_fused_comparison",
    "plot_gradient_flow",
    "plot_gradient_history",
    "plot_language",
    "plot_mean_activation",
    "plot_training_curves",
    "setup_fonts",
    "show",
    "to_model_input",
]
