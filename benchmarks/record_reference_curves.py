"""Record the reference training curves that lesson 01 shows next to its quick run.

Trains plain and residual CIFAR networks of two depths with fourresnet_lib.train on the
same class-balanced subset, without data augmentation. Every epoch's training loss and
error go to one JSON file (written atomically), together with the hardware, torch
version, settings, seed, data copy, git commit and date.

Augmentation and label smoothing are off on purpose: the lesson is about how well a
network can fit its training set (the degradation problem), so the training error must
measure fitting alone.

Example::

    FOURRESNET_CIFAR_ARCHIVE=../shared/datasets/cifar10-jpeg.zip \\
        nice .venv/bin/python benchmarks/record_reference_curves.py

The JSON records the exact command, settings and CPU time of the recording that the
lesson uses.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from fourresnet_lib.course import REFERENCE_DIR
from fourresnet_lib.course.envcheck import cpu_model
from fourresnet_lib.data.sources import ARCHIVE_ENV
from fourresnet_lib.i18n import t
from fourresnet_lib.train import TrainConfig, train

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REFERENCE_DIR / "degradation_cifar10.json"
DEFAULT_MODELS = ("plain20", "plain56", "resnet20", "resnet56")
SCHEMA_VERSION = 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=t("nb.ref.description"))
    parser.add_argument("--models", nargs="+", default=list(DEFAULT_MODELS), help=t("nb.ref.help_models"))
    parser.add_argument("--subset", type=int, default=1000, help=t("nb.ref.help_subset"))
    parser.add_argument("--test-subset", type=int, default=200, help=t("nb.ref.help_test_subset"))
    parser.add_argument("--epochs", type=int, default=3, help=t("nb.ref.help_epochs"))
    parser.add_argument("--batch-size", type=int, default=32, help=t("nb.ref.help_batch_size"))
    parser.add_argument("--lr", type=float, default=1.6, help=t("nb.ref.help_lr"))
    parser.add_argument("--seed", type=int, default=0, help=t("nb.ref.help_seed"))
    parser.add_argument("--threads", type=int, default=None, help=t("nb.ref.help_threads"))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=t("nb.ref.help_output"))
    parser.add_argument("--note", default="", help=t("nb.ref.help_note"))
    return parser.parse_args(argv)


def cpu_seconds() -> float:
    """Return the user plus system CPU time of this process and its finished children."""
    total = 0.0
    for scope in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(scope)
        total += usage.ru_utime + usage.ru_stime
    return total


def git_commit() -> str:
    """Return the HEAD commit, with "+dirty" when tracked files have uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def describe_data() -> dict:
    """Return which CIFAR-10 copy load_dataset("cifar10") reads: archive name, size, SHA-256."""
    archive = os.environ.get(ARCHIVE_ENV)
    if not archive:
        return {"source": "official CIFAR-10 Python batches", "path": "data folder"}
    path = Path(archive)
    if path.is_dir():
        return {"source": "image-folder directory", "path": str(path)}
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return {
        "source": "JPEG copy of CIFAR-10 (image-folder archive)",
        "archive": path.name,
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }


def write_json_atomically(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(payload, file, indent=1, ensure_ascii=False)
            file.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def make_config(args: argparse.Namespace, model: str) -> TrainConfig:
    return TrainConfig(
        model=model,
        data="cifar10",
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        warmup_epochs=0.5,
        schedule="cosine",
        weight_decay=1e-4,
        momentum=0.9,
        label_smoothing=0.0,
        subset=args.subset,
        test_subset=args.test_subset,
        crop_padding=0,
        flip=False,
        cutout=0,
        tta=False,
        seed=args.seed,
        device="cpu",
        precision="fp32",
        channels_last=False,
        progress=False,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    started = datetime.datetime.now(datetime.timezone.utc)
    # Read before training: the code that runs is the code checked out at the start.
    commit = git_commit()
    runs = {}
    total_cpu_start = cpu_seconds()
    for model in args.models:
        config = make_config(args, model)
        wall_start = time.perf_counter()
        cpu_start = cpu_seconds()
        result = train(config)
        wall = time.perf_counter() - wall_start
        cpu = cpu_seconds() - cpu_start
        runs[model] = {
            "epochs": [
                {
                    "epoch": record["epoch"],
                    "train_loss": record["train_loss"],
                    "train_error": 1.0 - record["train_accuracy"],
                    "test_error": 1.0 - record["test_accuracy"],
                    "seconds": record["seconds"],
                }
                for record in result.history
            ],
            "parameters": sum(p.numel() for p in result.model.parameters()),
            "wall_seconds": wall,
            "cpu_seconds": cpu,
        }
        last = runs[model]["epochs"][-1]
        print(
            t("nb.ref.progress", model=model, error=100 * last["train_error"], seconds=wall),
            flush=True,
        )

    payload = {
        "schema": SCHEMA_VERSION,
        "description": "Training curves of plain and residual CIFAR networks for lesson 01 (degradation).",
        "date_utc": started.isoformat(timespec="seconds"),
        "commit": commit,
        "hardware": {
            "cpu_model": cpu_model(),
            "cpu_count": os.cpu_count(),
            "torch_threads": torch.get_num_threads(),
            "device": "cpu",
            "note": args.note,
            "cpu_seconds_total": cpu_seconds() - total_cpu_start,
        },
        "software": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "platform": platform.platform(),
        },
        "data": describe_data(),
        "settings": {key: value for key, value in make_config(args, "<model>").to_dict().items()},
        "seed": args.seed,
        "command": " ".join([Path(sys.argv[0]).name, *(sys.argv[1:] if argv is None else argv)]),
        "runs": runs,
    }
    write_json_atomically(args.output, payload)
    print(t("nb.ref.written", path=str(args.output)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
