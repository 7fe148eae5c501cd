"""Offline data loaders and toy sets: MNIST, 8x8 digits, tutorial patterns, random images, natural patches.

    ds = ae.data.load_mnist()          # a Dataset: X_train (N, 784) in [0, 1], y_train (N,), X_test, y_test

Modules: `mnist` (MNIST sources and `load_mnist`), `toy` (digits, tutorial patterns, random images),
`images` (natural patches), `split` (`Dataset`, stratified split, scaling, argument checks) and
`cache` (the checksummed array cache under `cache_dir()`).
"""

from .cache import cache_dir
from .images import natural_patches
from .mnist import NetworkBlocked, load_mnist
from .split import Dataset
from .toy import load_digits, random_images, tutorial_patterns

__all__ = [
    "Dataset",
    "load_mnist",
    "load_digits",
    "tutorial_patterns",
    "random_images",
    "natural_patches",
    "cache_dir",
    "NetworkBlocked",
]
