"""Time-to-94% on CIFAR-10 for a four-stage bottleneck ResNet on one GPU, plus the course recipe.

Speedrun recipe, in the spirit of airbench: the whole training split stays on the GPU
as uint8 and is augmented there (random crop with 2-pixel reflect padding, flip). The
network is ``fourresnet26_cifar`` with FPN fusion off, optionally behind a frozen
whitening stem (2x2 patch PCA with +/- filters). Training uses bf16 autocast,
channels_last, label smoothing 0.2, SGD with Nesterov momentum, and linear warm-up then
linear decay to 0. Evaluation uses flip test-time augmentation. Each seed is timed from the first step to the last with
evaluation excluded; ``time_to_target`` is the training time at the end of the first
epoch whose TTA test accuracy reaches ``--target``. With ``--compile`` the compilation
is timed separately on a warm-up run that is not counted.

The course recipe is ``fourresnet_lib.train.train`` with ``TrainConfig`` defaults for
``fourresnet26_cifar`` and ``--course-epochs`` epochs, run once.

    python benchmarks/gpu_speedrun.py --data ../shared/datasets/cifar10-jpeg.zip --seeds 5
    python benchmarks/gpu_speedrun.py --smoke      # tiny generated data, CPU is fine

NOTE: the default epochs and learning rate are starting values for this network that
have not been tuned on a GPU; measure before quoting a time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fourresnet_lib.data import TensorLoader, channel_stats, load_dataset, write_image_folder  # noqa: E402
from fourresnet_lib.models import create_model  # noqa: E402
from fourresnet_lib.train import TrainConfig, evaluate, train  # noqa: E402
from fourresnet_lib.train.runtime import autocast_dtype, lr_factor, parameter_groups, resolve_device  # noqa: E402


class WhiteningStem(nn.Module):
    """Frozen 2x2 convolution that whitens image patches, followed by GELU.

    ``fit`` sets the filters from the eigenvectors of the training patches' covariance,
    scaled by ``1 / sqrt(eigenvalue + eps)``. Each filter is used with both signs, so
    the stem has ``2 * 12 = 24`` output channels for RGB input.
    """

    def __init__(self, in_channels: int = 3, eps: float = 5e-4) -> None:
        super().__init__()
        self.eps = eps
        self.conv = nn.Conv2d(in_channels, 2 * in_channels * 4, kernel_size=2, bias=False)
        self.conv.weight.requires_grad_(False)
        self.act = nn.GELU()

    @property
    def out_channels(self) -> int:
        return self.conv.out_channels

    @torch.no_grad()
    def fit(self, images: torch.Tensor) -> None:
        """Set the filters from normalized float images ``[N, C, H, W]``."""
        channels = images.shape[1]
        patches = images.float().unfold(2, 2, 1).unfold(3, 2, 1)  # N, C, H-1, W-1, 2, 2
        patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(-1, channels * 4).double()
        patches = patches - patches.mean(dim=0)
        covariance = patches.T @ patches / patches.shape[0]
        eigenvalues, eigenvectors = torch.linalg.eigh(covariance)
        filters = (eigenvectors.T / torch.sqrt(eigenvalues + self.eps)[:, None]).view(-1, channels, 2, 2)
        self.conv.weight.copy_(torch.cat([filters, -filters]).to(self.conv.weight))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.conv(x))


def build_network(stem: str, width_multiplier: float, fit_images: torch.Tensor) -> nn.Module:
    options = {"fusion": "none", "width_multiplier": width_multiplier}
    if stem == "plain":
        return create_model("fourresnet26_cifar", **options)
    whitening = WhiteningStem()
    whitening.fit(fit_images)
    return nn.Sequential(whitening, create_model("fourresnet26_cifar", in_channels=whitening.out_channels, **options))


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def speedrun_once(args, seed: int, train_set, test_set, mean, std, device, dtype) -> dict:
    """Train one seed; return accuracy per epoch, training seconds and time to target."""
    torch.manual_seed(seed)
    loader = TensorLoader(train_set.images, train_set.labels, args.batch_size, train=True, mean=mean, std=std,
                          device=device, padding=2, seed=seed)
    test_loader = TensorLoader(test_set.images, test_set.labels, 1000, train=False, mean=mean, std=std, device=device)
    fit_images = next(iter(TensorLoader(train_set.images[:5000], train_set.labels[:5000], 5000, train=False,
                                        mean=mean, std=std, channels_last=False)))[0]
    model = build_network(args.stem, args.width_multiplier, fit_images).to(device).to(memory_format=torch.channels_last)
    network = torch.compile(model) if args.compile else model

    optimizer = torch.optim.SGD(parameter_groups(model, args.weight_decay), lr=args.lr, momentum=0.9, nesterov=True)
    total_steps = args.epochs * len(loader)
    warmup_steps = round(args.warmup_epochs * len(loader))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: lr_factor(step, total_steps, warmup_steps, "linear")
    )
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)

    accuracies, train_seconds, time_to_target = [], 0.0, None
    for _ in range(args.epochs):
        synchronize(device)
        start = time.perf_counter()
        model.train()
        for images, labels in loader:
            with torch.autocast(device.type, dtype=dtype or torch.float32, enabled=dtype is not None):
                loss = criterion(network(images).float(), labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
        synchronize(device)
        train_seconds += time.perf_counter() - start
        accuracy = evaluate(model, test_loader, tta=True, autocast_dtype=dtype).accuracy
        accuracies.append(accuracy)
        if time_to_target is None and accuracy >= args.target:
            time_to_target = train_seconds
    return {"seed": seed, "accuracy": accuracies[-1], "accuracies": accuracies,
            "train_seconds": train_seconds, "time_to_target": time_to_target}


def summarize(values: list[float]) -> str:
    if not values:
        return "n/a"
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} +/- {spread:.4f} (n={len(values)})"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.environ.get("FOURRESNET_CIFAR_ARCHIVE", "cifar10"),
                        help="dataset source (default: $FOURRESNET_CIFAR_ARCHIVE, else cifar10)")
    parser.add_argument("--data-root", default=None, help="data folder for decode caches (default: FOURRESNET_DATA)")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"))
    parser.add_argument("--seeds", type=int, default=5, help="number of timed seeds (report mean and std)")
    parser.add_argument("--epochs", type=int, default=12, help="speedrun epochs per seed")
    parser.add_argument("--batch-size", type=int, default=1024, help="images per step")
    parser.add_argument("--lr", type=float, default=2.0, help="peak learning rate (absolute, for --batch-size)")
    parser.add_argument("--warmup-epochs", type=float, default=1.0, help="epochs of linear warm-up")
    parser.add_argument("--weight-decay", type=float, default=5e-4 * 1024 / 512,
                        help="weight decay on conv/linear weights")
    parser.add_argument("--label-smoothing", type=float, default=0.2)
    parser.add_argument("--stem", choices=("whiten", "plain"), default="whiten",
                        help="frozen whitening stem in front of the network, or the network's own stem")
    parser.add_argument("--width-multiplier", type=float, default=1.0)
    parser.add_argument("--target", type=float, default=0.94, help="test accuracy (with flip TTA) to time")
    parser.add_argument("--compile", action="store_true", help="torch.compile; compile time is reported apart")
    parser.add_argument("--course-epochs", type=int, default=30,
                        help="epochs of the course recipe run (0 skips it)")
    parser.add_argument("--out", default=None, help="write all results to this JSON file")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny generated data and sizes: checks that everything runs, measures nothing")
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    temporary = None
    if args.smoke:
        temporary = tempfile.TemporaryDirectory()
        args.data = str(write_image_folder(Path(temporary.name) / "images", classes=4, train_per_class=16,
                                           test_per_class=4, size=16))
        args.data_root = str(Path(temporary.name) / "data")
        args.seeds, args.epochs, args.batch_size, args.course_epochs = 2, 2, 16, 1
        args.width_multiplier, args.lr = 0.125, 0.2

    device = resolve_device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    dtype = autocast_dtype("auto", device)
    train_set = load_dataset(args.data, "train", root=args.data_root)
    test_set = load_dataset(args.data, "test", root=args.data_root)
    mean, std = channel_stats(train_set.images)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else str(device)
    print(f"device {name}, torch {torch.__version__}, precision {dtype or torch.float32}, data {args.data}")

    results: dict = {"device": name, "torch": torch.__version__, "args": vars(args)}
    if args.compile:
        start = time.perf_counter()
        warmup_args = argparse.Namespace(**{**vars(args), "epochs": 1})
        speedrun_once(warmup_args, 10_000, train_set, test_set, mean, std, device, dtype)
        results["compile_warmup_seconds"] = time.perf_counter() - start
        print(f"compile warm-up (1 epoch, not counted): {results['compile_warmup_seconds']:.1f} s")

    runs = []
    for seed in range(args.seeds):
        run = speedrun_once(args, seed, train_set, test_set, mean, std, device, dtype)
        runs.append(run)
        reached = "not reached" if run["time_to_target"] is None else f"{run['time_to_target']:.2f} s"
        print(f"seed {seed}: accuracy {run['accuracy']:.4f}, training {run['train_seconds']:.2f} s, "
              f"time to {args.target:.0%}: {reached}")
    results["speedrun"] = runs
    times = [run["time_to_target"] for run in runs if run["time_to_target"] is not None]
    print(f"speedrun accuracy: {summarize([run['accuracy'] for run in runs])}")
    print(f"speedrun training seconds: {summarize([run['train_seconds'] for run in runs])}")
    print(f"time to {args.target:.0%}: {summarize(times)}; reached in {len(times)} of {len(runs)} seeds")

    if args.course_epochs > 0:
        config = TrainConfig(model="fourresnet26_cifar", data=args.data, epochs=args.course_epochs,
                             data_root=args.data_root, device=str(device.type), progress=False, compile=args.compile)
        if args.smoke:
            config.width_multiplier, config.batch_size = args.width_multiplier, args.batch_size
        course = train(config)
        results["course"] = course.summary
        print(f"course recipe ({args.course_epochs} epochs): accuracy {course.metrics.accuracy:.4f} with flip TTA, "
              f"{course.summary['seconds']:.1f} s, {course.summary['images_per_second']:.0f} training images/s")

    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    if temporary is not None:
        temporary.cleanup()
    return results


if __name__ == "__main__":
    main()
