"""Datasets as uint8 tensors, their decode cache, and two ways to make training batches.

``load_dataset`` returns a whole split as a uint8 tensor ``[N, 3, H, W]`` with labels and
class names. ``TensorLoader`` keeps those tensors on the training device and augments
there (the fast route). ``make_torch_loader`` builds a standard
``torch.utils.data.DataLoader`` with torchvision transforms over the same tensors (the
textbook route).
"""

from fourresnet_lib.data.augment import channel_stats
from fourresnet_lib.data.cache import CACHE_VERSION, cache_dir
from fourresnet_lib.data.decode import DatasetError
from fourresnet_lib.data.loader import TensorLoader
from fourresnet_lib.data.sources import ImageDataset, load_dataset, load_image_folder
from fourresnet_lib.data.subset import balanced_subset
from fourresnet_lib.data.synthetic import write_image_folder
from fourresnet_lib.data.torch_loader import UInt8ImageDataset, make_torch_loader, torchvision_transforms

__all__ = [
    "CACHE_VERSION",
    "DatasetError",
    "ImageDataset",
    "TensorLoader",
    "UInt8ImageDataset",
    "balanced_subset",
    "cache_dir",
    "channel_stats",
    "load_dataset",
    "load_image_folder",
    "make_torch_loader",
    "torchvision_transforms",
    "write_image_folder",
]
