"""The explorers' datasets: images as rows in [0, 1], loaded once per process."""

from .. import data
from ..settings import fast_mode

DATASETS = {
    "MNIST subset": "mnist",
    "8x8 digits": "digits",
    "random 10x10 images": "random",
    "natural patches 8x8": "patches",
}  # dropdown label -> name
_CACHE = {}  # (name, fast mode) -> (X_train, X_test, image_shape)


def load_dataset(name):
    """(X_train, X_test, image_shape) for an explorer dataset, pixels in [0, 1]; cached per process."""
    if name not in DATASETS.values():
        raise ValueError(f"name must be one of {sorted(DATASETS.values())}, got {name!r}")
    fast = fast_mode()
    key = (name, fast)
    if key not in _CACHE:
        if name == "mnist":
            ds = data.load_mnist(
                source="subset", n_train=500 if fast else 2000, test_size=200 if fast else 500, verbose=False
            )
            split = ds.X_train, ds.X_test, (28, 28)
        elif name == "digits":
            ds = data.load_digits()
            split = ds.X_train, ds.X_test, (8, 8)
        elif name == "random":
            X = data.random_images(n=600, size=10, seed=0)  # (600, 100)
            split = X[:500], X[500:], (10, 10)
        else:
            n_test = 200 if fast else 500
            X = data.natural_patches(n=10 * n_test, patch_size=8, seed=0)  # (n, 64)
            split = X[n_test:], X[:n_test], (8, 8)
        _CACHE[key] = split
    return _CACHE[key]
