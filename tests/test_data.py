"""Data sources, decode cache, subsets, device-side augmentation and the DataLoader adapter."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from fourresnet_lib.data import (
    DatasetError,
    TensorLoader,
    balanced_subset,
    channel_stats,
    load_dataset,
    load_image_folder,
    make_torch_loader,
    write_image_folder,
)
from fourresnet_lib.data import cache as cache_module
from fourresnet_lib.data import decode as decode_module
from fourresnet_lib.data.augment import crop_flip
from fourresnet_lib.i18n import set_language

CLASSES = 3
TRAIN_PER_CLASS = 5
TEST_PER_CLASS = 2
SIZE = 12


@pytest.fixture(autouse=True)
def english_messages():
    set_language("en")
    yield
    set_language(None)


@pytest.fixture()
def data_root(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return write_image_folder(
        tmp_path / "images", classes=CLASSES, train_per_class=TRAIN_PER_CLASS, test_per_class=TEST_PER_CLASS, size=SIZE
    )


def make_zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.rglob("*.png")):
            archive.write(file, file.relative_to(folder).as_posix())
    return target


def make_tar(folder: Path, target: Path, mode: str) -> Path:
    with tarfile.open(target, mode) as archive:
        for file in sorted(folder.rglob("*.png")):
            archive.add(file, arcname=file.relative_to(folder).as_posix())
    return target


def expected_pixels(folder: Path, split: str) -> torch.Tensor:
    files = sorted((folder / split).glob("*/*.png"), key=lambda p: (p.parent.name, p.as_posix()))
    return torch.stack([torch.from_numpy(np.array(Image.open(f).convert("RGB"))).permute(2, 0, 1) for f in files])


# --- sources ------------------------------------------------------------------------


def test_directory_source_pixels_and_labels(folder, data_root):
    train = load_image_folder(folder, "train", root=data_root)
    test = load_image_folder(folder, "test", root=data_root)

    assert train.images.dtype == torch.uint8
    assert train.images.shape == (CLASSES * TRAIN_PER_CLASS, 3, SIZE, SIZE)
    assert test.images.shape == (CLASSES * TEST_PER_CLASS, 3, SIZE, SIZE)
    assert train.classes == [f"class{k}" for k in range(CLASSES)]
    assert torch.equal(train.labels, torch.arange(CLASSES).repeat_interleave(TRAIN_PER_CLASS))
    assert torch.equal(train.images, expected_pixels(folder, "train"))
    assert torch.equal(test.images, expected_pixels(folder, "test"))


@pytest.mark.parametrize("kind", ["zip", "tar", "tar.gz"])
def test_archive_sources_match_directory(folder, data_root, tmp_path, kind):
    if kind == "zip":
        archive = make_zip(folder, tmp_path / "set.zip")
    else:
        archive = make_tar(folder, tmp_path / f"set.{kind}", "w" if kind == "tar" else "w:gz")
    reference = load_image_folder(folder, "train", root=data_root)

    loaded = load_image_folder(archive, "train", root=data_root)

    assert loaded.classes == reference.classes
    assert torch.equal(loaded.images, reference.images)
    assert torch.equal(loaded.labels, reference.labels)


def test_archive_with_top_level_folder(folder, data_root, tmp_path):
    archive = tmp_path / "nested.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for file in sorted(folder.rglob("*.png")):
            handle.write(file, "cifar/" + file.relative_to(folder).as_posix())

    loaded = load_image_folder(archive, "test", root=data_root)

    assert loaded.images.shape[0] == CLASSES * TEST_PER_CLASS


def test_missing_source_names_path(data_root, tmp_path):
    missing = tmp_path / "nowhere.zip"
    with pytest.raises(DatasetError, match="nowhere.zip") as info:
        load_dataset(missing, "train", root=data_root)
    assert "not found" in str(info.value)


def test_truncated_zip_names_file_and_fix(folder, data_root, tmp_path):
    archive = make_zip(folder, tmp_path / "cut.zip")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    with pytest.raises(DatasetError, match="cut.zip") as info:
        load_image_folder(archive, "train", root=data_root)
    assert "download or copy it again" in str(info.value)


def test_corrupt_zip_member_is_reported(folder, data_root, tmp_path):
    archive = make_zip(folder, tmp_path / "flipped.zip")
    data = bytearray(archive.read_bytes())
    # Damage the first member's data (stored uncompressed right after its 30-byte local
    # header and name), which breaks its CRC-32 or its PNG structure.
    with zipfile.ZipFile(archive) as handle:
        first = handle.infolist()[0]
    start = first.header_offset + 30 + len(first.filename.encode())
    for offset in range(start + 8, start + 40):
        data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))

    assert first.filename == "test/class0/0000.png"

    with pytest.raises(DatasetError, match="flipped.zip"):
        load_image_folder(archive, "test", root=data_root)


def test_truncated_tar_gz_names_file(folder, data_root, tmp_path):
    archive = make_tar(folder, tmp_path / "cut.tar.gz", "w:gz")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    with pytest.raises(DatasetError, match="cut.tar.gz"):
        load_image_folder(archive, "train", root=data_root)


def test_non_archive_file_rejected(data_root, tmp_path):
    fake = tmp_path / "notes.zip"
    fake.write_text("this is not a zip file")
    with pytest.raises(DatasetError, match="notes.zip"):
        load_image_folder(fake, "train", root=data_root)

    other = tmp_path / "images.rar"
    other.write_bytes(b"Rar!")
    with pytest.raises(DatasetError, match=r"images\.rar.*\.tar\.gz"):
        load_image_folder(other, "train", root=data_root)


def test_layout_without_split_rejected(data_root, tmp_path):
    flat = tmp_path / "flat"
    (flat / "cats").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(flat / "cats" / "a.png")
    with pytest.raises(DatasetError, match="train/<class>"):
        load_image_folder(flat, "train", root=data_root)


def test_image_size_mismatch_names_file(folder, data_root):
    odd = folder / "train" / "class1" / "0003.png"
    Image.new("RGB", (SIZE + 2, SIZE)).save(odd)
    with pytest.raises(DatasetError, match="class1/0003.png") as info:
        load_image_folder(folder, "train", root=data_root)
    assert f"{SIZE + 2}x{SIZE}" in str(info.value)


def test_undecodable_image_names_file(folder, data_root):
    (folder / "test" / "class2" / "0001.png").write_bytes(b"\x89PNG broken")
    with pytest.raises(DatasetError, match="class2/0001.png"):
        load_image_folder(folder, "test", root=data_root)


def test_undecodable_member_names_archive(folder, data_root, tmp_path):
    (folder / "train" / "class0" / "0002.png").write_bytes(b"these bytes are not an image")
    archive = make_zip(folder, tmp_path / "bad-member.zip")

    with pytest.raises(DatasetError) as info:
        load_image_folder(archive, "train", root=data_root)

    message = str(info.value)
    assert str(archive) in message
    assert "train/class0/0002.png" in message
    assert "UnidentifiedImageError" in message
    assert "BytesIO" not in message
    assert "0x" not in message


def test_worker_decode_error_names_source(folder):
    items = [(f"train/a/{index}.png", (folder / "train" / "class0" / "0000.png").read_bytes()) for index in range(3)]
    items.append(("train/a/broken.png", b"not an image"))

    with pytest.raises(DatasetError, match=r"train/a/broken\.png in /somewhere/images\.zip"):
        decode_module.decode_images(items, workers=2, source="/somewhere/images.zip")


def test_verify_archive_kinds_and_failures(folder, tmp_path):
    assert decode_module.verify_archive(folder) == "dir"
    assert decode_module.verify_archive(make_zip(folder, tmp_path / "ok.zip")) == "zip"
    assert decode_module.verify_archive(make_tar(folder, tmp_path / "ok.tar.gz", "w:gz")) == "tar"

    text = tmp_path / "text.zip"
    text.write_text("this is not a zip file")
    with pytest.raises(DatasetError, match=r"text\.zip \(BadZipFile") as info:
        decode_module.verify_archive(text)
    assert "download or copy it again" in str(info.value)

    fake_tar = tmp_path / "text.tar.gz"
    fake_tar.write_text("this is not a tar file")
    with pytest.raises(DatasetError, match=r"text\.tar\.gz \(ReadError"):
        decode_module.verify_archive(fake_tar)

    (tmp_path / "nothing").mkdir()
    empty_tar = make_tar(tmp_path / "nothing", tmp_path / "empty.tar", "w")
    with pytest.raises(DatasetError, match="empty.tar.*archive is empty"):
        decode_module.verify_archive(empty_tar)


def test_archive_variable_pointing_nowhere(data_root, tmp_path, monkeypatch):
    missing = tmp_path / "missing.zip"
    monkeypatch.setenv("FOURRESNET_CIFAR_ARCHIVE", str(missing))

    with pytest.raises(DatasetError) as info:
        load_dataset("cifar10", "train", root=data_root)

    message = str(info.value)
    assert f"The environment variable FOURRESNET_CIFAR_ARCHIVE points to {missing}, which does not exist" in message
    assert "unset it" in message
    assert "set FOURRESNET_CIFAR_ARCHIVE" not in message


def test_bad_split_rejected(folder, data_root):
    with pytest.raises(ValueError, match="'valid'"):
        load_image_folder(folder, "valid", root=data_root)


def test_resolver_uses_archive_variable(folder, data_root, tmp_path, monkeypatch):
    archive = make_zip(folder, tmp_path / "cifar-like.zip")
    monkeypatch.setenv("FOURRESNET_CIFAR_ARCHIVE", str(archive))

    loaded = load_dataset("cifar10", "test", root=data_root)

    assert loaded.images.shape == (CLASSES * TEST_PER_CLASS, 3, SIZE, SIZE)


def test_official_missing_without_download(data_root, monkeypatch):
    monkeypatch.delenv("FOURRESNET_CIFAR_ARCHIVE", raising=False)
    with pytest.raises(DatasetError, match="FOURRESNET_CIFAR_ARCHIVE") as info:
        load_dataset("cifar100", "train", root=data_root, download=False)
    assert str(data_root) in str(info.value)


def test_decode_in_worker_processes(folder):
    items = [(path.name, path.read_bytes()) for path in sorted(folder.rglob("*.png"))]

    serial = decode_module.decode_images(items, workers=0)
    parallel = decode_module.decode_images(items, workers=2)

    assert np.array_equal(serial, parallel)


# --- cache --------------------------------------------------------------------------


def test_second_load_reads_cache(folder, data_root, monkeypatch):
    first = load_image_folder(folder, "train", root=data_root)
    cached = list((data_root / "cache").glob("*.pt"))

    def fail(*args, **kwargs):
        raise AssertionError("decoded again although a cache exists")

    monkeypatch.setattr(decode_module, "decode_images", fail)
    second = load_image_folder(folder, "train", root=data_root)

    assert len(cached) == 1
    assert torch.equal(first.images, second.images)
    assert torch.equal(first.labels, second.labels)


def test_changed_folder_invalidates_cache(folder, data_root):
    load_image_folder(folder, "train", root=data_root)
    replacement = np.full((SIZE, SIZE, 3), 7, dtype=np.uint8)
    Image.fromarray(replacement).save(folder / "train" / "class0" / "0000.png")

    reloaded = load_image_folder(folder, "train", root=data_root)

    assert torch.all(reloaded.images[0] == 7)
    assert len(list((data_root / "cache").glob("*.pt"))) == 2


def test_interrupted_cache_write_leaves_no_cache(folder, data_root, monkeypatch):
    real_save = torch.save

    def interrupted_save(obj, handle, *args, **kwargs):
        handle.write(b"partial bytes")
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_module.torch, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        load_image_folder(folder, "train", root=data_root)
    monkeypatch.setattr(cache_module.torch, "save", real_save)

    assert list((data_root / "cache").iterdir()) == []


def test_leftover_temp_file_ignored_and_removed(folder, data_root):
    digest = cache_module.source_digest(folder)
    final = cache_module.cache_path(data_root, folder.name, "train", digest)
    final.parent.mkdir(parents=True)
    # A writer that died: its process id belongs to a process that has exited.
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)
    leftover = final.parent / f".{final.name}.{dead_pid}.abc123.tmp"
    leftover.write_bytes(b"half a cache")

    loaded = load_image_folder(folder, "train", root=data_root)

    assert loaded.images.shape[0] == CLASSES * TRAIN_PER_CLASS
    assert final.is_file()
    assert not leftover.exists()


def test_corrupt_cache_file_is_redecoded(folder, data_root):
    first = load_image_folder(folder, "train", root=data_root)
    (cache_file,) = (data_root / "cache").glob("*.pt")
    cache_file.write_bytes(cache_file.read_bytes()[:100])

    with pytest.warns(UserWarning, match="unusable"):
        again = load_image_folder(folder, "train", root=data_root)

    assert torch.equal(first.images, again.images)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_image_folder(folder, "train", root=data_root)


# --- subsets ------------------------------------------------------------------------


def test_balanced_subset_counts_and_seed():
    labels = torch.arange(10).repeat_interleave(50)

    chosen = balanced_subset(labels, 203, seed=1)

    counts = torch.bincount(labels[chosen], minlength=10)
    assert len(chosen) == 203
    assert len(torch.unique(chosen)) == 203
    assert counts.max() - counts.min() <= 1
    assert torch.equal(chosen, balanced_subset(labels, 203, seed=1))
    assert not torch.equal(chosen, balanced_subset(labels, 203, seed=2))


@pytest.mark.parametrize("size", [0, -3, 501, 2.5, True])
def test_balanced_subset_rejects_bad_size(size):
    labels = torch.arange(10).repeat_interleave(50)
    with pytest.raises(ValueError, match="subset size"):
        balanced_subset(labels, size)


def test_balanced_subset_short_class():
    labels = torch.tensor([0] * 10 + [1] * 2)
    with pytest.raises(ValueError, match="class 1"):
        balanced_subset(labels, 8)


def test_load_dataset_subset(folder, data_root):
    part = load_dataset(folder, "train", root=data_root, subset=6, seed=3)
    assert torch.equal(torch.bincount(part.labels), torch.tensor([2, 2, 2]))


# --- TensorLoader -------------------------------------------------------------------


def random_images(count: int, size: int = 8, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (count, 3, size, size), dtype=torch.uint8, generator=generator)
    labels = torch.arange(count) % 4
    return images, labels


MEAN, STD = (0.5, 0.4, 0.3), (0.2, 0.25, 0.3)


def test_train_batches_shape_dtype_layout():
    images, labels = random_images(20)
    loader = TensorLoader(images, labels, 8, train=True, mean=MEAN, std=STD, cutout=3)

    batches = list(loader)

    assert [len(x) for x, _ in batches] == [8, 8, 4]
    for x, y in batches:
        assert x.dtype == torch.float32
        assert x.shape[1:] == (3, 8, 8)
        assert x.is_contiguous(memory_format=torch.channels_last)
        assert y.dtype == torch.long


def test_same_seed_same_batches_and_epochs_differ():
    images, labels = random_images(32)
    first = TensorLoader(images, labels, 16, train=True, mean=MEAN, std=STD, cutout=2, seed=5)
    second = TensorLoader(images, labels, 16, train=True, mean=MEAN, std=STD, cutout=2, seed=5)

    epoch_a, epoch_b = list(first), list(second)
    next_epoch = list(first)

    for (xa, ya), (xb, yb) in zip(epoch_a, epoch_b):
        assert torch.equal(xa, xb)
        assert torch.equal(ya, yb)
    assert not torch.equal(epoch_a[0][0], next_epoch[0][0])


def test_loader_state_restores_next_epoch():
    images, labels = random_images(32)
    loader = TensorLoader(images, labels, 16, train=True, mean=MEAN, std=STD, seed=5)
    list(loader)
    state = loader.state_dict()
    expected = list(loader)

    fresh = TensorLoader(images, labels, 16, train=True, mean=MEAN, std=STD, seed=99)
    fresh.load_state_dict(state)

    for (xa, _), (xb, _) in zip(expected, fresh):
        assert torch.equal(xa, xb)


@pytest.mark.parametrize("mode", ["reflect", "zeros"])
def test_crop_flip_matches_pad_then_crop(mode):
    images, _ = random_images(6, size=8)
    shift_y = torch.tensor([0, 8, 3, 4, 1, 7])
    shift_x = torch.tensor([8, 0, 5, 4, 2, 6])
    flip = torch.tensor([False, True, True, False, True, False])

    result = crop_flip(images, torch.arange(6), shift_y, shift_x, flip, padding=4, padding_mode=mode)

    padded = F.pad(images.float(), (4, 4, 4, 4), mode="reflect" if mode == "reflect" else "constant")
    for i in range(6):
        window = padded[i, :, shift_y[i] : shift_y[i] + 8, shift_x[i] : shift_x[i] + 8]
        if flip[i]:
            window = window.flip(-1)
        assert torch.equal(result[i], window.to(torch.uint8)), i


def test_cutout_zeroes_square_after_normalization():
    images = torch.full((4, 3, 16, 16), 200, dtype=torch.uint8)
    loader = TensorLoader(images, torch.zeros(4, dtype=torch.long), 4, train=True, mean=MEAN, std=STD,
                          padding=0, flip=False, cutout=4)

    (batch, _), = list(loader)

    zeros_per_image = (batch == 0).all(dim=1).flatten(1).sum(dim=1)
    assert torch.all(zeros_per_image >= 4)  # a corner square is clipped to 2x2
    assert torch.all(zeros_per_image <= 16)
    assert torch.all(batch[batch != 0] > 0)


def test_eval_batches_are_normalized_in_order():
    images, labels = random_images(10)
    loader = TensorLoader(images, labels, 4, train=False, mean=MEAN, std=STD)

    x = torch.cat([batch for batch, _ in loader])
    y = torch.cat([batch for _, batch in loader])

    expected = (images.float() / 255 - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    assert len(loader) == 3
    assert torch.allclose(x, expected, atol=1e-5)
    assert torch.equal(y, labels)


@pytest.mark.parametrize("count, batches, last", [(17, 2, 8), (18, 3, 2), (16, 2, 8)])
def test_training_drops_last_batch_of_one(count, batches, last):
    images, labels = random_images(count)
    loader = TensorLoader(images, labels, 8, train=True, mean=MEAN, std=STD)

    sizes = [len(x) for x, _ in loader]

    assert len(loader) == batches
    assert len(sizes) == batches
    assert sizes[-1] == last


def test_eval_keeps_batch_of_one():
    images, labels = random_images(9)
    loader = TensorLoader(images, labels, 8, train=False, mean=MEAN, std=STD)
    assert [len(x) for x, _ in loader] == [8, 1]


def test_ranks_take_disjoint_shards():
    images = torch.arange(10, dtype=torch.uint8).view(10, 1, 1, 1).expand(10, 3, 4, 4).contiguous()
    labels = torch.arange(10)
    seen = []
    for rank in range(2):
        loader = TensorLoader(images, labels, 3, train=True, mean=MEAN, std=STD, padding=0, flip=False,
                              seed=1, rank=rank, world_size=2)
        seen.append(torch.cat([y for _, y in loader]))

    assert len(seen[0]) == len(seen[1]) == 5
    assert set(seen[0].tolist()).isdisjoint(seen[1].tolist())


@pytest.mark.parametrize(
    "options, match",
    [
        ({"batch_size": 0}, "batch size"),
        ({"padding_mode": "wrap"}, "padding mode"),
        ({"padding": 8}, "padding"),
        ({"cutout": 9}, "cutout"),
    ],
)
def test_loader_rejects_bad_options(options, match):
    images, labels = random_images(4)
    arguments = {"batch_size": 2, "train": True, "mean": MEAN, "std": STD, **options}
    with pytest.raises(ValueError, match=match):
        TensorLoader(images, labels, **arguments)


def test_loader_rejects_float_images():
    with pytest.raises(ValueError, match="uint8"):
        TensorLoader(torch.zeros(2, 3, 4, 4), torch.zeros(2), 2, train=False, mean=MEAN, std=STD)


def test_channel_stats_match_torch():
    images, _ = random_images(12)
    mean, std = channel_stats(images)
    scaled = images.double() / 255
    assert torch.allclose(torch.tensor(mean, dtype=torch.float64), scaled.mean(dim=(0, 2, 3)))
    assert torch.allclose(torch.tensor(std, dtype=torch.float64), scaled.std(dim=(0, 2, 3), unbiased=False))


# --- DataLoader adapter -------------------------------------------------------------


@pytest.mark.parametrize("pil", [False, True])
def test_torch_loader_in_main_process(pil):
    images, labels = random_images(12)
    loader = make_torch_loader(images, labels, 4, train=True, mean=MEAN, std=STD, cutout=2, pil=pil)

    batches = list(loader)

    assert len(batches) == 3
    assert batches[0][0].shape == (4, 3, 8, 8)
    assert batches[0][0].dtype == torch.float32


def test_torch_loader_eval_matches_tensor_loader():
    images, labels = random_images(10)
    textbook = make_torch_loader(images, labels, 10, train=False, mean=MEAN, std=STD)
    fast = TensorLoader(images, labels, 10, train=False, mean=MEAN, std=STD)

    (x_textbook, y_textbook), = list(textbook)
    (x_fast, y_fast), = list(fast)

    assert torch.allclose(x_textbook, x_fast, atol=1e-5)
    assert torch.equal(y_textbook, y_fast)


@pytest.mark.timeout(120)
def test_torch_loader_spawn_worker():
    images, labels = random_images(8)
    loader = make_torch_loader(
        images, labels, 4, train=True, mean=MEAN, std=STD, num_workers=1, multiprocessing_context="spawn"
    )

    batches = list(loader)

    assert [x.shape[0] for x, _ in batches] == [4, 4]
    assert sorted(torch.cat([y for _, y in batches]).tolist()) == sorted(labels.tolist())


def test_torch_loader_rejects_negative_workers():
    images, labels = random_images(4)
    with pytest.raises(ValueError, match="num_workers"):
        make_torch_loader(images, labels, 2, train=True, mean=MEAN, std=STD, num_workers=-1)


class FakeCIFAR10:
    """Stand-in for torchvision.datasets.CIFAR10 that records how it was called."""

    calls: list[bool] = []
    present = False

    def __init__(self, root, train=True, download=False):
        FakeCIFAR10.calls.append(download)
        if not (FakeCIFAR10.present or download):
            raise RuntimeError("Dataset not found or corrupted.")
        FakeCIFAR10.present = True
        self.data = np.zeros((4, 32, 32, 3), dtype=np.uint8)
        self.targets = [0, 1, 2, 3]
        self.classes = ["a", "b", "c", "d"]


@pytest.fixture()
def fake_cifar(monkeypatch):
    import torchvision.datasets

    FakeCIFAR10.calls = []
    FakeCIFAR10.present = False
    monkeypatch.setattr(torchvision.datasets, "CIFAR10", FakeCIFAR10)
    monkeypatch.delenv("FOURRESNET_CIFAR_ARCHIVE", raising=False)
    return FakeCIFAR10


def test_resolver_downloads_only_when_missing(fake_cifar, data_root):
    first = load_dataset("cifar10", "train", root=data_root)
    second = load_dataset("cifar10", "test", root=data_root)

    assert fake_cifar.calls == [False, True, False]
    assert first.images.shape == (4, 3, 32, 32)
    assert second.classes == ["a", "b", "c", "d"]


def test_resolver_prefers_archive_over_official(fake_cifar, folder, data_root, tmp_path, monkeypatch):
    monkeypatch.setenv("FOURRESNET_CIFAR_ARCHIVE", str(make_zip(folder, tmp_path / "copy.zip")))

    loaded = load_dataset("cifar10", "train", root=data_root)

    assert fake_cifar.calls == []
    assert loaded.classes == [f"class{k}" for k in range(CLASSES)]
