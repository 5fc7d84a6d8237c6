"""Atomic checkpoints and JSON histories, with every RNG state needed for bitwise resume."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import torch

from fourresnet_lib.data.cache import atomic_torch_save, atomic_write

CHECKPOINT_NAME = "checkpoint.pt"
HISTORY_NAME = "history.json"


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
