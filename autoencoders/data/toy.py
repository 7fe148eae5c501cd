"""Small sets that need no download: scikit-learn's 8x8 digits, the tutorial's 3x3 patterns, random images."""

import numpy as np

from .._checks import check_positive
from .split import check_dtype, check_seed, check_split_args, make_dataset


def load_digits(scaling="unit", dtype=np.float64, test_size=0.2, seed=0, n_train=None):
    """scikit-learn's 1,797 8x8 digits (0..16 mapped to [0, 1]) as a shuffled, stratified Dataset."""
    from sklearn.datasets import load_digits as sk_load_digits

    check_split_args(scaling, dtype, test_size, seed, n_train, 1797)
    digits = sk_load_digits()  # (1797, 64) pixels 0..16
    return make_dataset(
        digits.data,
        digits.target,
        max_value=16.0,
        scaling=scaling,
        dtype=dtype,
        test_size=test_size,
        seed=seed,
        n_train=n_train,
        source="digits",
        image_shape=(8, 8),
    )


def tutorial_patterns(dtype=np.float64):
    """The five 3x3 binary patterns of the NTU tutorial, one flattened pattern per row: (5, 9)."""
    patterns = np.array(
        [
            [[1, 1, 1], [0, 0, 0], [0, 0, 0]],  # x1: top row
            [[1, 0, 0], [1, 0, 0], [1, 0, 0]],  # x2: left column
            [[0, 0, 1], [0, 1, 0], [1, 0, 0]],  # x3: anti-diagonal
            [[1, 0, 0], [0, 1, 0], [0, 0, 1]],  # x4: diagonal
            [[1, 0, 0], [1, 0, 0], [1, 1, 1]],  # x5: L shape
        ]
    )  # (5, 3, 3)
    return patterns.reshape(5, 9).astype(check_dtype(dtype))


def random_images(n=100, size=10, seed=0, dtype=np.float64):
    """n seeded images of size x size pixels drawn from U(0, 1): (n, size * size)."""
    check_positive("n", n, integer=True)
    check_positive("size", size, integer=True)
    rng = np.random.default_rng(check_seed(seed))
    return rng.uniform(0.0, 1.0, size=(n, size * size)).astype(check_dtype(dtype))
