"""Time one update of the gradient-flow widget for a 110-layer plain network on the CPU.

One update is what happens when the depth slider is released at 110 with shortcuts off.
It builds the network and runs one forward and backward pass on the widget's batch of
8 random 32x32 images. Then it builds the gradient table, redraws the figure and encodes
the PNG. The
script times the whole update and its parts, with 1 torch thread (the widget's default)
and with torch's default thread count, and prints the median of ``--repeats`` runs.

    .venv/bin/python benchmarks/gradflow_update.py --repeats 5

The target is below 1 s per update with the widget's default settings. Process CPU
time is printed next to wall-clock time because on a machine shared with other busy
processes the wall-clock time mostly measures waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fourresnet_lib.viz import gradflow, plots  # noqa: E402
from fourresnet_lib.viz.widgets import GradientFlowExplorer  # noqa: E402

DEPTH = 110


def time_parts(num_threads: int | None, inputs, targets) -> dict[str, float]:
    """Return the seconds spent building, running the pass, plotting and encoding once."""
    figure = plots.new_figure((7.5, 4.0))
    with gradflow.torch_threads(num_threads):
        start = time.perf_counter()
        model = gradflow.cifar_network(DEPTH, residual=False)
        model.train()
        built = time.perf_counter()
        table = gradflow.gradient_flow(model, inputs, targets)
        passed = time.perf_counter()
    plots.plot_gradient_flow(table, fig=figure)
    plotted = time.perf_counter()
    plots.figure_to_png(figure)
    encoded = time.perf_counter()
    return {"build": built - start, "forward+backward": passed - built,
            "plot": plotted - passed, "png": encoded - plotted, "total": encoded - start}


def time_widget_update(num_threads: int | None, repeats: int) -> tuple[list[float], list[float]]:
    """Return wall-clock and process CPU seconds of ``repeats`` updates from depth 104 to 110."""
    explorer = GradientFlowExplorer(depth=104, residual=False, num_threads=num_threads)
    wall, cpu = [], []
    for _ in range(repeats):
        explorer.depth.value = 104
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        explorer.depth.value = DEPTH
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
        if explorer.last_error:
            raise RuntimeError(explorer.last_error)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per setting (default 5)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; torch {torch.__version__}, "
          f"default threads {torch.get_num_threads()}")
    inputs, targets = gradflow.random_batch(batch_size=8)
    time_parts(1, inputs, targets)  # warm-up: imports, font loading, first allocations

    for label, threads in (("1 thread (widget default)", 1),
                           (f"{torch.get_num_threads()} threads (torch default)", None)):
        runs = [time_parts(threads, inputs, targets) for _ in range(args.repeats)]
        medians = {part: statistics.median(run[part] for run in runs) for part in runs[0]}
        parts = ", ".join(f"{part} {value:.3f} s" for part, value in medians.items())
        print(f"plain-{DEPTH} parts, {label}, median of {args.repeats}: {parts}")
        wall, cpu = time_widget_update(threads, args.repeats)
        print(f"plain-{DEPTH} widget update, {label}: wall median {statistics.median(wall):.3f} s "
              f"(min {min(wall):.3f}, max {max(wall):.3f}); "
              f"process CPU median {statistics.median(cpu):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
