"""``TensorLoader``: batches from uint8 tensors kept on the training device."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch

from fourresnet_lib.data.augment import PADDING_MODES, crop_flip, cutout
from fourresnet_lib.i18n import t


class TensorLoader:
    """Iterate ``(images, labels)`` batches, augmenting on the device that stores the data.

    The whole split is moved to ``device`` once as uint8. Each training epoch draws one
    permutation and the augmentation parameters of every image from the loader's own
    ``torch.Generator`` (on the CPU), so a seed and the generator state fix the batches
    on any device. Output batches are float, normalized with ``mean``/``std`` (per
    channel, for pixel values in [0, 1]) and in ``channels_last`` layout unless disabled.

    Training mode (``train=True``) shuffles, pads by ``padding`` pixels ("reflect" mirrors
    without repeating the edge, "zeros" pads with black) and crops back at random,
    flips half the images horizontally, optionally applies ``cutout`` (a square of that
    many pixels set to the mean colour), and drops a last batch of exactly one image
    because BatchNorm cannot train on a single sample. Evaluation mode keeps the order
    and every image.

    With ``world_size`` > 1 every rank draws the same permutation and takes every
    ``world_size``-th position starting at ``rank``; in training the epoch is first cut
    to a multiple of ``world_size`` so all ranks run the same number of steps.
    """

    def __init__(
        self,
        images: torch.Tensor,
        labels: torch.Tensor,
        batch_size: int,
        train: bool,
        mean: Sequence[float],
        std: Sequence[float],
        device: str | torch.device = "cpu",
        padding: int = 4,
        padding_mode: str = "reflect",
        flip: bool = True,
        cutout: int = 0,
        seed: int = 0,
        channels_last: bool = True,
        dtype: torch.dtype = torch.float32,
        rank: int = 0,
        world_size: int = 1,
    ) -> None:
        if images.dtype != torch.uint8 or images.ndim != 4:
            raise ValueError(t("data.images_invalid", dtype=str(images.dtype), shape=tuple(images.shape)))
        if labels.shape != (images.shape[0],):
            raise ValueError(t("data.labels_invalid", shape=tuple(labels.shape), count=images.shape[0]))
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(t("data.batch_size_invalid", value=batch_size))
        if padding_mode not in PADDING_MODES:
            raise ValueError(t("data.padding_mode_invalid", value=padding_mode, choices=", ".join(PADDING_MODES)))
        height, width = images.shape[-2:]
        if not 0 <= padding < min(height, width):
            raise ValueError(t("data.padding_invalid", value=padding, size=min(height, width)))
        if not 0 <= cutout <= min(height, width):
            raise ValueError(t("data.cutout_invalid", value=cutout, size=min(height, width)))
        if not 0 <= rank < world_size:
            raise ValueError(t("data.rank_invalid", rank=rank, world_size=world_size))

        self.device = torch.device(device)
        self.images = images.to(self.device)
        self.labels = labels.to(self.device)
        self.batch_size = batch_size
        self.train = train
        self.padding = padding
        self.padding_mode = padding_mode
        self.flip = flip
        self.cutout = cutout
        self.channels_last = channels_last
        self.dtype = dtype
        self.rank = rank
        self.world_size = world_size
        # (x / 255 - mean) / std as one multiply-add on the uint8 values x.
        mean_255 = torch.tensor(mean, dtype=torch.float32, device=self.device).view(1, -1, 1, 1) * 255.0
        std_255 = torch.tensor(std, dtype=torch.float32, device=self.device).view(1, -1, 1, 1) * 255.0
        self.scale = 1.0 / std_255
        self.shift = -mean_255 / std_255
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        count = self._positions_per_rank()
        if self.train:
            full, rest = divmod(count, self.batch_size)
            return full + (1 if rest > 1 else 0)
        return -(-count // self.batch_size)

    def _positions_per_rank(self) -> int:
        total = self.images.shape[0]
        if self.train:
            return total // self.world_size
        return len(range(self.rank, total, self.world_size))

    def _normalize(self, batch: torch.Tensor) -> torch.Tensor:
        # Convert into a preallocated buffer in the target layout, then scale in place:
        # one pass fewer over the batch than (x - mean) / std followed by a layout change.
        layout = torch.channels_last if self.channels_last else torch.contiguous_format
        output = torch.empty(batch.shape, dtype=torch.float32, device=batch.device, memory_format=layout)
        output.copy_(batch)
        output.mul_(self.scale).add_(self.shift)
        return output if self.dtype == torch.float32 else output.to(self.dtype)

    def _epoch_plan(self) -> dict[str, torch.Tensor]:
        """Draw this epoch's order and augmentation parameters for every image."""
        total = self.images.shape[0]
        height, width = self.images.shape[-2:]
        generator = self.generator
        plan = {
            "order": torch.randperm(total, generator=generator),
            "shift_y": torch.randint(0, 2 * self.padding + 1, (total,), generator=generator),
            "shift_x": torch.randint(0, 2 * self.padding + 1, (total,), generator=generator),
            "flip": torch.rand(total, generator=generator) < 0.5,
        }
        if self.cutout:
            plan["center_y"] = torch.randint(0, height, (total,), generator=generator)
            plan["center_x"] = torch.randint(0, width, (total,), generator=generator)
        return plan

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        if not self.train:
            positions = torch.arange(self.rank, self.images.shape[0], self.world_size)
            for start in range(0, len(positions), self.batch_size):
                index = positions[start : start + self.batch_size].to(self.device)
                yield self._normalize(self.images[index]), self.labels[index]
            return

        # One host-to-device copy of the epoch's plan, instead of several per batch.
        plan = {key: value.to(self.device) for key, value in self._epoch_plan().items()}
        usable = (self.images.shape[0] // self.world_size) * self.world_size
        positions = torch.arange(self.rank, usable, self.world_size, device=self.device)
        for start in range(0, len(positions), self.batch_size):
            chosen = positions[start : start + self.batch_size]
            if len(chosen) == 1:
                break  # a last batch of one would break BatchNorm's training statistics
            step = {key: value[chosen] for key, value in plan.items()}
            flip = step["flip"] if self.flip else torch.zeros_like(step["flip"])
            batch = crop_flip(
                self.images, step["order"], step["shift_y"], step["shift_x"], flip, self.padding, self.padding_mode
            )
            batch = self._normalize(batch)
            if self.cutout:
                batch = cutout(batch, step["center_y"], step["center_x"], self.cutout)
            yield batch, self.labels[step["order"]]

    def state_dict(self) -> dict[str, torch.Tensor]:
        """Return the generator state, so a resumed run draws the same later epochs."""
        return {"generator": self.generator.get_state()}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        """Restore the generator state saved by ``state_dict``."""
        self.generator.set_state(state["generator"])
