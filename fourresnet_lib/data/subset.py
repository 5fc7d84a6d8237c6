"""Seeded, class-balanced sampling of a labelled dataset."""

from __future__ import annotations

import torch

from fourresnet_lib.i18n import t


def balanced_subset(labels: torch.Tensor, size: int, seed: int = 0) -> torch.Tensor:
    """Return sorted indices of ``size`` samples, spread as evenly as possible over classes.

    Every class gets ``size // classes`` samples; the remainder goes to randomly chosen
    classes, one extra each. The same ``seed`` gives the same indices. Raises ValueError
    when ``size`` is not positive or a class has too few samples.
    """
    total = int(labels.shape[0])
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0 or size > total:
        raise ValueError(t("data.subset_invalid", value=size, total=total))
    generator = torch.Generator().manual_seed(seed)
    classes = torch.unique(labels)
    per_class = torch.full((len(classes),), size // len(classes), dtype=torch.long)
    extra = torch.randperm(len(classes), generator=generator)[: size % len(classes)]
    per_class[extra] += 1

    chosen = []
    for label, count in zip(classes.tolist(), per_class.tolist()):
        members = torch.nonzero(labels == label).flatten()
        if count > len(members):
            raise ValueError(
                t("data.subset_class_short", value=size, label=label, count=count, available=len(members))
            )
        order = torch.randperm(len(members), generator=generator)[:count]
        chosen.append(members[order])
    return torch.cat(chosen).sort().values
