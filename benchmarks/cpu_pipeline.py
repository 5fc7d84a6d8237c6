"""Compare data pipelines and measure training speed on the CPU.

Measures, in one run and on the same images:

1. the tensor pipeline (``TensorLoader``: uint8 tensors, crop/flip/normalize in batches);
2. the textbook pipeline (``torch.utils.data.DataLoader`` over PIL images with
   torchvision ``transforms``, as ``torchvision.datasets.CIFAR10`` does), with 0 and
   ``--workers`` worker processes, and the same with ``transforms.v2`` on uint8 tensors;
3. training images/s (forward, backward, SGD step) of the course model
   ``fourresnet26_cifar`` fed by the tensor pipeline;

then prints images/s and the ratios. Data: the CIFAR-10 image-folder archive named by
``--data`` or ``$FOURRESNET_CIFAR_ARCHIVE``.

    python benchmarks/cpu_pipeline.py --data ../shared/datasets/cifar10-jpeg.zip
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fourresnet_lib.data import TensorLoader, channel_stats, load_dataset, make_torch_loader  # noqa: E402
from fourresnet_lib.models import create_model  # noqa: E402


def images_per_second(loader, limit_batches: int | None = None) -> float:
    count = 0
    start = time.perf_counter()
    for index, (images, _) in enumerate(loader):
        count += images.shape[0]
        if limit_batches is not None and index + 1 >= limit_batches:
            break
    return count / (time.perf_counter() - start)


def training_speed(model_name: str, loader: TensorLoader, steps: int, warmup: int = 1) -> float:
    torch.manual_seed(0)
    model = create_model(model_name).to(memory_format=torch.channels_last).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    batches = iter(loader)
    count = 0
    start = time.perf_counter()
    for step in range(warmup + steps):
        if step == warmup:
            count, start = 0, time.perf_counter()
        images, labels = next(batches)
        loss = criterion(model(images), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        count += images.shape[0]
    return count / (time.perf_counter() - start)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("FOURRESNET_CIFAR_ARCHIVE", "cifar10"),
                        help="dataset source (default: $FOURRESNET_CIFAR_ARCHIVE, else cifar10)")
    parser.add_argument("--images", type=int, default=10_000, help="training images to stream (class-balanced)")
    parser.add_argument("--batch-size", type=int, default=256, help="images per batch for the pipelines")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes for the second run")
    parser.add_argument("--pipeline-threads", type=int, default=0,
                        help="torch threads in this process while timing the pipelines (0: torch default); "
                             "DataLoader workers always use 1")
    parser.add_argument("--model", default="fourresnet26_cifar", help="model for the training measurement")
    parser.add_argument("--train-batch-size", type=int, default=64, help="images per training step")
    parser.add_argument("--train-steps", type=int, default=5, help="timed training steps (after one warm-up step)")
    args = parser.parse_args()

    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} logical CPUs, torch threads {torch.get_num_threads()}")
    print(f"torch {torch.__version__}, python {platform.python_version()}, commit {git_commit()}")
    if hasattr(os, "getloadavg"):
        print("load average before the run: " + ", ".join(f"{value:.1f}" for value in os.getloadavg()))

    dataset = load_dataset(args.data, "train", subset=args.images, seed=0)
    mean, std = channel_stats(dataset.images)
    print(f"data: {args.data}, {len(dataset.labels)} images {tuple(dataset.images.shape[1:])}")

    default_threads = torch.get_num_threads()
    if args.pipeline_threads:
        torch.set_num_threads(args.pipeline_threads)
    print(f"pipelines timed with {torch.get_num_threads()} torch threads in the main process")
    results: dict[str, float] = {}
    tensor_loader = TensorLoader(dataset.images, dataset.labels, args.batch_size, train=True, mean=mean, std=std)
    images_per_second(tensor_loader, limit_batches=2)  # warm-up
    results["tensor pipeline (TensorLoader)"] = images_per_second(tensor_loader)

    for workers in (0, args.workers):
        for pil, label in ((True, "PIL + transforms"), (False, "uint8 + transforms.v2")):
            loader = make_torch_loader(dataset.images, dataset.labels, args.batch_size, train=True, mean=mean,
                                       std=std, num_workers=workers, pil=pil, persistent_workers=False)
            results[f"DataLoader, {label}, {workers} workers"] = images_per_second(loader)

    torch.set_num_threads(default_threads)
    train_loader = TensorLoader(dataset.images, dataset.labels, args.train_batch_size, train=True, mean=mean, std=std)
    training = training_speed(args.model, train_loader, args.train_steps)

    tensor = results["tensor pipeline (TensorLoader)"]
    print()
    print(f"{'pipeline':<45} {'images/s':>10} {'tensor / this':>14}")
    for name, speed in results.items():
        print(f"{name:<45} {speed:>10.0f} {tensor / speed:>14.2f}")
    print()
    print(f"training {args.model} (batch {args.train_batch_size}, fp32, channels_last, "
          f"{default_threads} threads): {training:.1f} images/s")
    print(f"tensor pipeline / training: {tensor / training:.0f}x")
    textbook = results[f"DataLoader, PIL + transforms, {args.workers} workers"]
    print(f"textbook pipeline ({args.workers} workers) / training: {textbook / training:.0f}x")


if __name__ == "__main__":
    main()
