"""Argument checks for image arrays: a (height, width) shape and rows of flattened images."""

import numbers

import numpy as np

from .._checks import check_int


def check_shape(name, shape):
    """Return shape as (h, w) of positive ints; an int n means (n, n)."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape, shape)
    try:
        h, w = shape
        return check_int(name, h, minimum=1), check_int(name, w, minimum=1)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of positive integers (height, width), got {shape!r}") from None


def check_rows(name, X, shape):
    """Return X as a float (N, h*w) array with N >= 1, or raise ValueError."""
    X = np.asarray(X, dtype=np.float64)
    size = shape[0] * shape[1]
    if X.ndim == 1 and X.size == size:
        X = X[None, :]  # a single flattened image
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] != size:
        raise ValueError(
            f"{name} must be a non-empty 2-D array with {shape[0]}*{shape[1]}={size} columns, got shape {X.shape}"
        )
    return X
