"""``train(config, callbacks)``: the training loop shared by notebooks, the CLI and torchrun."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm.auto import tqdm

from fourresnet_lib.data import TensorLoader, channel_stats, load_dataset, make_torch_loader
from fourresnet_lib.i18n import t
from fourresnet_lib.train import distributed
from fourresnet_lib.train.checkpoint import (
    CHECKPOINT_NAME,
    HISTORY_NAME,
    check_resume_config,
    load_checkpoint,
    load_resume_state,
    rng_states,
    save_checkpoint,
    set_rng_states,
    write_json,
)
from fourresnet_lib.train.config import TrainConfig
from fourresnet_lib.train.evaluate import EvalResult, evaluate
from fourresnet_lib.train.runtime import autocast_dtype, build_optimizer, build_scheduler, resolve_device

Callback = Callable[[dict[str, Any]], None]


class NonFiniteError(FloatingPointError):
    """Training produced a NaN or infinite loss or BatchNorm statistic."""


@dataclass
class TrainResult:
    """Result of ``train``: the trained model (unwrapped), per-epoch history, the end
    summary, and the final test evaluation."""

    model: nn.Module
    history: list[dict[str, Any]]
    summary: dict[str, Any]
    metrics: EvalResult = field(repr=False)


def _build_model(config: TrainConfig, num_classes: int) -> nn.Module:
    from fourresnet_lib.models import create_model

    options: dict[str, Any] = {"num_classes": num_classes}
    if config.fusion is not None:
        options["fusion"] = config.fusion
    if config.width_multiplier != 1.0:
        options["width_multiplier"] = config.width_multiplier
    return create_model(config.model, **options)


def _load_splits(config: TrainConfig, info: distributed.DistInfo):
    """Load train and test splits; rank 0 first, so only one process fills the cache."""

    def load():
        train = load_dataset(config.data, "train", root=config.data_root, subset=config.subset, seed=config.seed)
        test = load_dataset(config.data, "test", root=config.data_root, subset=config.test_subset, seed=config.seed)
        return train, test

    if info.is_main:
        splits = load()
    distributed.barrier(info)
    if not info.is_main:
        splits = load()
    return splits


def _check_batchnorm(model: nn.Module, epoch: int) -> None:
    for name, module in model.named_modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and module.running_var is not None:
            if not (torch.isfinite(module.running_mean).all() and torch.isfinite(module.running_var).all()):
                raise NonFiniteError(t("train.nonfinite_batchnorm", module=name, epoch=epoch))


def _emit(callbacks: Iterable[Callback], event: dict[str, Any]) -> None:
    for callback in callbacks:
        callback(event)


def train(config: TrainConfig, callbacks: Iterable[Callback] = (), model: nn.Module | None = None) -> TrainResult:
    """Train and evaluate a model as ``config`` describes; return a ``TrainResult``.

    Every callback receives event dicts: ``{"kind": "step", ...}`` after each optimizer
    step, ``{"kind": "epoch", ...}`` with the history record after each epoch (after the
    checkpoint is written), and ``{"kind": "end", ...}`` with the summary. An exception
    raised by a callback stops training; ``resume=True`` continues from the last
    checkpoint. ``model`` replaces the registry model named in ``config`` (its initial
    weights are the caller's).

    Under ``torchrun`` every process runs this function and takes its shard of the
    data. Metrics are summed over processes, and only rank 0 prints and writes files.
    Raises ``NonFiniteError`` when the loss or a BatchNorm statistic stops being finite.
    """
    config.validate()
    callbacks = tuple(callbacks)
    device = resolve_device(config.device)
    info = distributed.setup(device)
    try:
        return _train(config, callbacks, model, distributed.local_device(device, info), info)
    finally:
        distributed.teardown(info)


def _train(
    config: TrainConfig,
    callbacks: tuple[Callback, ...],
    model: nn.Module | None,
    device: torch.device,
    info: distributed.DistInfo,
) -> TrainResult:
    # Read and compare the checkpoint before the data is loaded, so that a run with other
    # settings fails at once. Load to the CPU: RNG states must stay CPU tensors, and
    # load_state_dict copies weights and optimizer state onto the parameters' device.
    out = config.out_path
    checkpoint_file = out / CHECKPOINT_NAME if out else None
    state: dict[str, Any] | None = None
    if config.resume and checkpoint_file is not None and checkpoint_file.is_file():
        state = load_checkpoint(checkpoint_file, map_location="cpu")
        check_resume_config(state.get("config"), config.to_dict(), checkpoint_file)

    torch.manual_seed(config.seed)
    random.seed(config.seed)
    train_set, test_set = _load_splits(config, info)
    num_classes = len(train_set.classes)
    mean, std = channel_stats(train_set.images)

    # Data: every rank stores the whole split and takes its own positions of each epoch.
    if config.batch_size % info.world_size:
        raise ValueError(t("train.batch_not_divisible", batch_size=config.batch_size, world_size=info.world_size))
    per_rank_batch = config.batch_size // info.world_size
    loader_options = dict(
        mean=mean, std=std, device=device, channels_last=config.channels_last, rank=info.rank, world_size=info.world_size
    )
    test_loader = TensorLoader(test_set.images, test_set.labels, max(per_rank_batch, 256), train=False, **loader_options)
    if config.pipeline == "tensor":
        train_loader = TensorLoader(
            train_set.images,
            train_set.labels,
            per_rank_batch,
            train=True,
            padding=config.crop_padding,
            padding_mode=config.padding_mode,
            flip=config.flip,
            cutout=config.cutout,
            seed=config.seed,
            **loader_options,
        )
        sampler = None
    else:
        train_loader, sampler = _torchvision_loader(config, train_set, mean, std, per_rank_batch, info)
    steps_per_epoch = len(train_loader)
    if steps_per_epoch == 0:
        raise ValueError(t("train.too_few_images", count=len(train_set.labels), batch_size=config.batch_size))

    # Model, optimizer, schedule, precision.
    custom_model = model
    if model is None:
        model = _build_model(config, num_classes)
    model = model.to(device)
    if config.channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = build_optimizer(model, config)
    scheduler = build_scheduler(optimizer, config, steps_per_epoch)
    amp_dtype = autocast_dtype(config.precision, device)
    scaler = torch.amp.GradScaler(device.type, enabled=amp_dtype == torch.float16)
    criterion = nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)

    # Resume before wrapping, so the checkpoint contains the plain module's state dict.
    history: list[dict[str, Any]] = []
    start_epoch = 0
    if state is not None:
        stored_model = str((state.get("config") or {}).get("model", "?"))
        requested_model = config.model if custom_model is None else type(custom_model).__name__
        for what, target in (("model", model), ("optimizer", optimizer), ("scheduler", scheduler), ("scaler", scaler)):
            load_resume_state(target, state[what], what, checkpoint_file, stored_model, requested_model)
        if state.get("loader") is not None and isinstance(train_loader, TensorLoader):
            train_loader.load_state_dict(state["loader"])
        set_rng_states(state["rng"])
        start_epoch = state["epoch"]
        history = list(state["history"])
        # Printed even without progress output: a silent resume looks like a run that did nothing.
        if info.is_main:
            print(t("train.resumed", path=str(checkpoint_file), epoch=start_epoch), flush=True)

    network: nn.Module = model
    if info.enabled:
        network = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    if config.compile:
        network = torch.compile(network)

    total_seconds = sum(record["seconds"] for record in history)
    train_images = sum(record["train_images"] for record in history)
    train_seconds = sum(record["train_seconds"] for record in history)
    for epoch in range(start_epoch, config.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        elif config.pipeline == "torchvision":
            # Re-seeding per epoch makes the order and the worker seeds of an epoch
            # independent of earlier epochs, so a resumed run draws the same batches.
            train_loader.generator.manual_seed(config.seed + epoch)
        epoch_start = time.perf_counter()
        # The bar stays open through evaluation so its last line also shows test accuracy.
        with _progress_bar(config, epoch, steps_per_epoch, info) as bar:
            stats = _train_epoch(
                network, train_loader, optimizer, scheduler, scaler, criterion, amp_dtype, config, epoch, callbacks,
                info, bar,
            )
            _check_batchnorm(model, epoch + 1)
            distributed.broadcast_buffers(model, info)
            test = evaluate(model, test_loader, num_classes=num_classes, autocast_dtype=amp_dtype, dist_info=info)
            bar.set_postfix(
                {
                    t("train.bar_loss"): f"{stats['loss']:.3f}",
                    t("train.bar_accuracy"): f"{100 * stats['accuracy']:.1f}%",
                    t("train.bar_test_accuracy"): f"{100 * test.accuracy:.1f}%",
                    t("train.bar_speed"): f"{stats['images'] / max(stats['seconds'], 1e-9):.0f}",
                }
            )
        seconds = time.perf_counter() - epoch_start
        record = {
            "epoch": epoch + 1,
            "train_loss": stats["loss"],
            "train_accuracy": stats["accuracy"],
            "test_loss": test.loss,
            "test_accuracy": test.accuracy,
            "lr": optimizer.param_groups[0]["lr"],
            "seconds": seconds,
            "train_seconds": stats["seconds"],
            "train_images": stats["images"],
            "images_per_second": stats["images"] / max(stats["seconds"], 1e-9),
        }
        history.append(record)
        total_seconds += seconds
        train_images += stats["images"]
        train_seconds += stats["seconds"]
        if info.is_main and out is not None:
            write_json(out / HISTORY_NAME, history)
            save_checkpoint(
                checkpoint_file,
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "scaler": scaler.state_dict(),
                    "loader": train_loader.state_dict() if isinstance(train_loader, TensorLoader) else None,
                    "rng": rng_states(),
                    "epoch": epoch + 1,
                    "history": history,
                    "config": config.to_dict(),
                },
            )
        distributed.barrier(info)
        _emit(callbacks, {"kind": "epoch", **record})

    final = evaluate(model, test_loader, tta=config.tta, num_classes=num_classes, autocast_dtype=amp_dtype, dist_info=info)
    summary = {
        "device": str(device),
        "world_size": info.world_size,
        "model": config.model if custom_model is None else type(custom_model).__name__,
        "epochs": config.epochs,
        "train_size": int(len(train_set.labels)),
        "test_size": final.count,
        "test_accuracy": final.accuracy,
        "test_loss": final.loss,
        "tta": config.tta,
        "seconds": total_seconds,
        "images_per_second": train_images / max(train_seconds, 1e-9),
    }
    if info.is_main:
        if out is not None:
            write_json(out / "summary.json", summary)
        if config.progress:
            print(
                t(
                    "train.summary",
                    device=summary["device"],
                    accuracy=100 * final.accuracy,
                    tta=t("train.tta_on") if config.tta else t("train.tta_off"),
                    seconds=total_seconds,
                    speed=summary["images_per_second"],
                ),
                flush=True,
            )
    _emit(callbacks, {"kind": "end", **summary})
    return TrainResult(model=model, history=history, summary=summary, metrics=final)


def _torchvision_loader(config, train_set, mean, std, per_rank_batch, info):
    sampler = None
    options: dict[str, Any] = {}
    if info.enabled:
        sampler = torch.utils.data.DistributedSampler(
            range(len(train_set.labels)), num_replicas=info.world_size, rank=info.rank, seed=config.seed, drop_last=True
        )
        options["sampler"] = sampler
    loader = make_torch_loader(
        train_set.images,
        train_set.labels,
        per_rank_batch,
        train=True,
        mean=mean,
        std=std,
        num_workers=config.num_workers,
        padding=config.crop_padding,
        padding_mode=config.padding_mode,
        cutout=config.cutout,
        seed=config.seed,
        **options,
    )
    return loader, sampler


def _progress_bar(config: TrainConfig, epoch: int, steps: int, info: distributed.DistInfo) -> tqdm:
    return tqdm(
        total=steps,
        desc=t("train.epoch_progress", epoch=epoch + 1, epochs=config.epochs),
        disable=not (config.progress and info.is_main),
        leave=True,
        dynamic_ncols=True,
    )


def _train_epoch(network, loader, optimizer, scheduler, scaler, criterion, amp_dtype, config, epoch, callbacks, info, bar):
    """Run one epoch; return mean loss and accuracy over all ranks, images and seconds."""
    network.train()
    device = next(network.parameters()).device
    totals = torch.zeros(3, dtype=torch.float64)  # loss * images, correct, images (all ranks)
    start = time.perf_counter()
    for step, (images, labels) in enumerate(loader):
        images = images.to(device, non_blocking=True)
        labels = labels.to(device, non_blocking=True)
        if config.channels_last and images.ndim == 4:
            images = images.contiguous(memory_format=torch.channels_last)
        with torch.autocast(device.type, dtype=amp_dtype or torch.float32, enabled=amp_dtype is not None):
            logits = network(images)
            loss = criterion(logits.float(), labels)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        lr = optimizer.param_groups[0]["lr"]
        scheduler.step()

        # One device-to-host copy per step for the loss, the accuracy and the bar.
        # MPS has no float64, so sums are float32 there.
        dtype = torch.float32 if device.type == "mps" else torch.float64
        batch = torch.stack(
            [loss.detach().to(dtype) * len(labels), (logits.argmax(1) == labels).sum().to(dtype),
             torch.tensor(float(len(labels)), dtype=dtype, device=loss.device)]
        )
        distributed.all_reduce_sum(batch, info)
        batch = batch.cpu().double()
        if not math.isfinite(float(batch[0])):
            raise NonFiniteError(
                t("train.nonfinite_loss", epoch=epoch + 1, step=step + 1, value=float(batch[0] / batch[2]), lr=lr)
            )
        totals += batch
        elapsed = time.perf_counter() - start
        event = {
            "kind": "step",
            "epoch": epoch + 1,
            "step": step + 1,
            "steps": len(loader),
            "loss": float(batch[0] / batch[2]),
            "accuracy": float(batch[1] / batch[2]),
            "images_per_second": float(totals[2]) / max(elapsed, 1e-9),
            "lr": lr,
        }
        bar.update(1)
        bar.set_postfix(
            {
                t("train.bar_loss"): f"{event['loss']:.3f}",
                t("train.bar_accuracy"): f"{100 * event['accuracy']:.1f}%",
                t("train.bar_speed"): f"{event['images_per_second']:.0f}",
            },
            refresh=False,
        )
        _emit(callbacks, event)
    seconds = time.perf_counter() - start
    images = float(totals[2])
    return {
        "loss": float(totals[0]) / max(images, 1),
        "accuracy": float(totals[1]) / max(images, 1),
        "images": int(images),
        "seconds": seconds,
    }
