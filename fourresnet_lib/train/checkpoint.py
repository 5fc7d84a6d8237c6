"""Atomic checkpoints and JSON histories, with every RNG state needed for bitwise resume."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import torch

from fourresnet_lib.data.cache import atomic_torch_save, atomic_write
from fourresnet_lib.i18n import t

CHECKPOINT_NAME = "checkpoint.pt"
HISTORY_NAME = "history.json"

# Settings a resumed run must share with the checkpoint. They fix the architecture
# (model, fusion, width_multiplier), the training images and their order (data, subset,
# seed, pipeline), the augmentation, the optimizer, and the learning-rate schedule, which
# is laid out over epochs * steps per epoch (epochs, batch_size, lr, warmup_epochs,
# schedule). The optimizer's state dict would silently bring back the stored lr,
# momentum, weight_decay and nesterov, so a changed value would not even take effect.
# Settings left out (device, precision, compile, out_dir, progress, tta, test_subset,
# num_workers, data_root) change where or how fast the run goes, or only the evaluation.
RESUME_MUST_MATCH = (
    "model",
    "fusion",
    "width_multiplier",
    "data",
    "subset",
    "seed",
    "epochs",
    "batch_size",
    "lr",
    "warmup_epochs",
    "schedule",
    "weight_decay",
    "momentum",
    "nesterov",
    "label_smoothing",
    "crop_padding",
    "padding_mode",
    "flip",
    "cutout",
    "pipeline",
)

# Command-line spelling of the settings above, for messages.
CLI_OPTIONS = {
    "width_multiplier": "--width-multiplier",
    "batch_size": "--batch-size",
    "warmup_epochs": "--warmup-epochs",
    "weight_decay": "--weight-decay",
    "nesterov": "--no-nesterov",
    "label_smoothing": "--label-smoothing",
    "padding_mode": "--padding-mode",
    "crop_padding": None,
    "flip": None,
}


class ResumeMismatchError(ValueError):
    """A checkpoint cannot continue: it was written with other settings or another model."""


def _option(name: str) -> str:
    cli = CLI_OPTIONS.get(name, f"--{name}")
    return name if cli is None else f"{name} ({cli})"


def check_resume_config(stored: dict[str, Any] | None, requested: dict[str, Any], path: Path) -> None:
    """Raise ``ResumeMismatchError`` when ``requested`` differs from the checkpoint's settings.

    The message lists every differing setting with the stored and the requested value,
    and says how to continue the stored run or start a new one. A checkpoint without
    stored settings is accepted; its weights are still checked when they are loaded.
    """
    if not stored:
        return
    differences = [
        name for name in RESUME_MUST_MATCH if name in stored and name in requested and stored[name] != requested[name]
    ]
    if not differences:
        return
    lines = [t("train.resume_mismatch", path=str(path))]
    for name in differences:
        lines.append(
            t("train.resume_mismatch_item", name=_option(name), stored=repr(stored[name]), requested=repr(requested[name]))
        )
    if "epochs" in differences:
        lines.append(
            t("train.resume_epochs_schedule", stored=stored["epochs"], requested=requested["epochs"])
        )
    lines.append(t("train.resume_mismatch_fix", out=str(path.parent)))
    raise ResumeMismatchError("\n".join(lines))


def load_resume_state(target: Any, state: dict[str, Any], what: str, path: Path, stored_model: str, requested_model: str) -> None:
    """Load ``state`` into ``target``, raising ``ResumeMismatchError`` in place of PyTorch's
    key or shape error, with the stored and the requested model names."""
    try:
        target.load_state_dict(state)
    except (RuntimeError, ValueError, KeyError) as error:
        raise ResumeMismatchError(
            t(
                "train.resume_state_mismatch",
                path=str(path),
                what=what,
                stored=stored_model,
                requested=requested_model,
                out=str(path.parent),
            )
        ) from None  # PyTorch's list of missing keys says nothing about the fix


def rng_states() -> dict[str, Any]:
    """Return the Python, torch CPU and (if present) CUDA random states."""
    states: dict[str, Any] = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def set_rng_states(states: dict[str, Any]) -> None:
    """Restore states returned by ``rng_states``."""
    random.setstate(states["python"])
    torch.set_rng_state(states["torch"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Write a checkpoint dict atomically (temporary file, then ``os.replace``)."""
    atomic_torch_save(state, path)


def load_checkpoint(path: Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint written by ``save_checkpoint``.

    ``weights_only=False`` because the Python RNG state is a tuple of ints inside a
    plain tuple; only load checkpoints this library wrote.
    """
    return torch.load(path, map_location=map_location, weights_only=False)


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as UTF-8 JSON atomically."""
    atomic_write(path, lambda handle: json.dump(data, handle, ensure_ascii=False, indent=2), mode="w", encoding="utf-8")
