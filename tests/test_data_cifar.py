"""Real input: the JPEG copy of CIFAR-10 through the image-folder loader and a short CPU training run."""

from __future__ import annotations

import time

import pytest
import torch

from fourresnet_lib.data import decode as decode_module
from fourresnet_lib.data import load_dataset
from fourresnet_lib.train import TrainConfig, train

pytestmark = pytest.mark.dataset

CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


@pytest.fixture(scope="module")
def cifar_cache(cifar_archive, tmp_path_factory):
    """A fresh data folder in which both splits of the archive were decoded once."""
    root = tmp_path_factory.mktemp("cifar-data")
    start = time.perf_counter()
    train_set = load_dataset(cifar_archive, "train", root=root)
    test_set = load_dataset(cifar_archive, "test", root=root)
    print(f"decoded 60,000 images in {time.perf_counter() - start:.1f} s")
    return root, train_set, test_set


def test_archive_decodes_to_cifar10(cifar_cache):
    _, train_set, test_set = cifar_cache

    assert train_set.images.shape == (50_000, 3, 32, 32)
    assert test_set.images.shape == (10_000, 3, 32, 32)
    assert train_set.classes == CIFAR10_CLASSES
    assert torch.bincount(train_set.labels).tolist() == [5_000] * 10
    assert torch.bincount(test_set.labels).tolist() == [1_000] * 10
    mean = test_set.images.double().mean(dim=(0, 2, 3)) / 255
    # Per-channel means of the JPEG copy's test split, as measured when it was packed.
    assert torch.allclose(mean, torch.tensor([0.4941, 0.4851, 0.4504], dtype=torch.float64), atol=5e-4)


def test_second_load_uses_cache(cifar_cache, cifar_archive, monkeypatch):
    root, train_set, _ = cifar_cache

    def fail(*args, **kwargs):
        raise AssertionError("the archive was decoded again although a cache exists")

    monkeypatch.setattr(decode_module, "decode_images", fail)
    start = time.perf_counter()
    again = load_dataset(cifar_archive, "train", root=root)
    print(f"cached load of 50,000 images: {time.perf_counter() - start:.2f} s")

    assert torch.equal(again.images, train_set.images)
    assert torch.equal(again.labels, train_set.labels)


@pytest.mark.timeout(400)
def test_short_cpu_training_beats_chance(cifar_cache, cifar_archive):
    root, _, _ = cifar_cache
    config = TrainConfig(
        model="resnet20",
        width_multiplier=0.5,
        data=str(cifar_archive),
        data_root=str(root),
        epochs=2,
        batch_size=128,
        lr=0.8,
        warmup_epochs=0.3,
        subset=5_000,
        test_subset=1_000,
        device="cpu",
        progress=False,
        seed=0,
    )

    start = time.perf_counter()
    result = train(config)
    print(
        f"resnet20 (width x0.5), 2 epochs on 5,000 images: test accuracy {result.metrics.accuracy:.3f} "
        f"on 1,000 images (JPEG copy of CIFAR-10), {time.perf_counter() - start:.0f} s, "
        f"{result.summary['images_per_second']:.0f} training images/s"
    )

    assert result.metrics.count == 1_000
    assert result.metrics.accuracy > 0.25  # chance is 0.10
