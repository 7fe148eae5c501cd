"""From labelled raw pixels to a `Dataset`: argument checks, a shuffled stratified split, and scaling.

Every loader that returns a train/test split (`load_mnist`, `load_digits`) goes through `make_dataset`, and
checks its arguments with `check_split_args` before loading anything.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from .._checks import check_choice, check_int, check_positive

SCALINGS = {"unit": "unit", "standard": "standard"}
DTYPES = {"float32": np.float32, "float64": np.float64}


@dataclass(frozen=True)
class Dataset:
    """A train/test split; images in [0, 1] are recovered as X * std + mean."""

    X_train: np.ndarray  # (N_train, d) float
    X_test: np.ndarray  # (N_test, d) float
    y_train: np.ndarray  # (N_train,) int64 labels
    y_test: np.ndarray  # (N_test,) int64 labels
    source: str  # "subset", "openml" or "digits"
    image_shape: tuple = (28, 28)  # reshape one row to this to plot it
    mean: float = 0.0  # subtracted after mapping pixels to [0, 1]
    std: float = 1.0  # divided by after subtracting mean


# --------------------------------------------------------------------------- arguments


def check_dtype(dtype):
    """Return np.float32 or np.float64, or raise ValueError naming dtype."""
    try:
        key = np.dtype(dtype).name
    except TypeError:
        key = None
    if key not in DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return DTYPES[key]


def check_seed(seed):
    """Return seed, or raise unless it is None or an integer >= 0."""
    return None if seed is None else check_int("seed", seed, minimum=0)


def check_test_size(test_size, n_samples):
    """Return the number of test examples for an int count or a float fraction."""
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and not isinstance(test_size, bool) and 0 < test_size < 1:
        n_test = int(round(test_size * n_samples))
    else:
        n_test = -1
    if not 0 < n_test < n_samples:
        raise ValueError(f"test_size must be an int in [1, {n_samples - 1}] or a float in (0, 1), got {test_size!r}")
    return n_test


def check_split_args(scaling, dtype, test_size, seed, n_train, n_samples):
    """Validate the arguments shared by load_mnist and load_digits before any loading."""
    check_choice("scaling", scaling, SCALINGS)
    check_dtype(dtype)
    check_test_size(test_size, n_samples)
    check_seed(seed)
    if n_train is not None:
        check_positive("n_train", n_train, integer=True)


# --------------------------------------------------------------------------- splitting and scaling


def stratified_split(y, n_test, rng):
    """Shuffle indices with rng, then take n_test of them for the test set, class proportions kept."""
    perm = rng.permutation(len(y))  # shuffle BEFORE splitting (the subset is sorted by class)
    classes, counts = np.unique(y, return_counts=True)
    # largest-remainder rounding so that the per-class quotas sum to n_test exactly
    exact = counts * n_test / len(y)  # (C,) fractional quotas
    quota = np.floor(exact).astype(int)
    short = n_test - quota.sum()
    quota[np.argsort(quota - exact, kind="stable")[:short]] += 1
    in_test = np.zeros(len(y), dtype=bool)
    for c, q in zip(classes, quota):
        in_test[perm[y[perm] == c][:q]] = True  # first q of class c in shuffled order
    # which members went to the test set depends on their position in perm, so shuffle
    # each part again: otherwise the training set would start with a few classes only
    train, test = np.flatnonzero(~in_test), np.flatnonzero(in_test)
    return rng.permutation(train), rng.permutation(test)


def scale(X_train, X_test, scaling, dtype):
    """Map 0..1 pixels to 'unit' or 'standard' (global mean/std of the training split)."""
    if scaling == "unit":
        return X_train.astype(dtype), X_test.astype(dtype), 0.0, 1.0
    mean = float(X_train.mean())  # one number for all pixels, as in the homework
    std = float(X_train.std())
    return ((X_train - mean) / std).astype(dtype), ((X_test - mean) / std).astype(dtype), mean, std


def make_dataset(X, y, *, max_value, scaling, dtype, test_size, seed, n_train, source, image_shape):
    """Shuffle, split (stratified), subsample the training set and scale; X / max_value is in [0, 1]."""
    check_split_args(scaling, dtype, test_size, seed, n_train, len(y))
    dtype = check_dtype(dtype)
    n_test = check_test_size(test_size, len(y))
    train, test = stratified_split(y, n_test, np.random.default_rng(seed))
    if n_train is not None:
        if n_train > len(train):
            raise ValueError(f"n_train must be <= {len(train)} (examples left after the test split), got {n_train}")
        train = train[:n_train]
    # index the raw (e.g. uint8) pixels first: a float copy of all 70,000 digits is not needed
    X_train, X_test, mean, std = scale(X[train] / max_value, X[test] / max_value, scaling, dtype)
    return Dataset(
        X_train,
        X_test,
        y[train].astype(np.int64),
        y[test].astype(np.int64),
        source=source,
        image_shape=image_shape,
        mean=mean,
        std=std,
    )
