"""Batch augmentation on the tensors' own device: random crop, horizontal flip, cutout.

All random numbers are drawn beforehand (see ``TensorLoader``) so the same generator
state gives the same batches on any device.
"""

from __future__ import annotations

import torch

PADDING_MODES = ("reflect", "zeros")


def reflect_index(index: torch.Tensor, size: int) -> torch.Tensor:
    """Map positions in ``[-size + 1, 2 * size - 2]`` into ``[0, size)`` by mirror reflection.

    Matches ``torch.nn.functional.pad(mode="reflect")``: the edge pixel is not repeated.
    """
    index = index.abs()
    return torch.where(index >= size, 2 * (size - 1) - index, index)


def crop_flip(
    images: torch.Tensor,
    indices: torch.Tensor,
    shift_y: torch.Tensor,
    shift_x: torch.Tensor,
    flip: torch.Tensor,
    padding: int,
    padding_mode: str = "reflect",
) -> torch.Tensor:
    """Return ``images[indices]`` randomly cropped from a padded copy and flipped, as uint8.

    The crop is gathered directly from the unpadded images: ``shift_y``/``shift_x`` in
    ``[0, 2 * padding]`` select the window in the padded frame, and out-of-range pixels
    are mirrored ("reflect") or set to 0 ("zeros"). ``flip`` is a bool per sample.
    """
    _, channels, height, width = images.shape
    rows = shift_y[:, None] - padding + torch.arange(height, device=images.device)
    cols = shift_x[:, None] - padding + torch.arange(width, device=images.device)
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    if padding_mode == "reflect":
        valid = None
        rows, cols = reflect_index(rows, height), reflect_index(cols, width)
    else:
        valid = ((rows >= 0) & (rows < height))[:, :, None] & ((cols >= 0) & (cols < width))[:, None, :]
        rows, cols = rows.clamp(0, height - 1), cols.clamp(0, width - 1)

    channel = torch.arange(channels, device=images.device)
    batch = images[indices[:, None, None, None], channel[None, :, None, None], rows[:, None, :, None], cols[:, None, None, :]]
    if valid is not None:
        batch = batch * valid[:, None].to(batch.dtype)
    return batch


def cutout(batch: torch.Tensor, center_y: torch.Tensor, center_x: torch.Tensor, size: int) -> torch.Tensor:
    """Zero a ``size`` x ``size`` square per sample (clipped at the borders), in place.

    Applied after normalization, zero is the per-channel mean colour.
    """
    height, width = batch.shape[-2:]
    rows = torch.arange(height, device=batch.device)[None, :]
    cols = torch.arange(width, device=batch.device)[None, :]
    top = center_y[:, None] - size // 2
    left = center_x[:, None] - size // 2
    inside_rows = (rows >= top) & (rows < top + size)
    inside_cols = (cols >= left) & (cols < left + size)
    mask = inside_rows[:, :, None] & inside_cols[:, None, :]
    return batch.masked_fill_(mask[:, None], 0.0)


def channel_stats(images: torch.Tensor, chunk: int = 4096) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Return per-channel mean and standard deviation of uint8 images, scaled to [0, 1]."""
    channels = images.shape[1]
    total = torch.zeros(channels, dtype=torch.float64)
    squares = torch.zeros(channels, dtype=torch.float64)
    for start in range(0, images.shape[0], chunk):
        part = images[start : start + chunk].to(torch.float64) / 255.0
        total += part.sum(dim=(0, 2, 3))
        squares += (part * part).sum(dim=(0, 2, 3))
    count = images.shape[0] * images.shape[2] * images.shape[3]
    mean = total / count
    std = (squares / count - mean * mean).clamp_min(0).sqrt()
    return tuple(mean.tolist()), tuple(std.tolist())
