"""Tests for autoencoders.data.toy: scikit-learn's 8x8 digits, the tutorial patterns and random images."""

import numpy as np
import pytest

import autoencoders.data as data


def test_load_digits_matches_sklearn(row_keys):
    """Are the 8x8 digits scaled to [0, 1], split in full, and labelled correctly?"""
    from sklearn.datasets import load_digits

    ref = load_digits()
    ds = data.load_digits(dtype=np.float32)
    assert ds.source == "digits" and ds.image_shape == (8, 8) and ds.X_train.dtype == np.float32
    assert len(ds.y_train) + len(ds.y_test) == 1797 and abs(len(ds.y_test) - 0.2 * 1797) <= 1
    # stratified on unequal classes (174 to 183 digits each): every class gets its 20 % share
    assert np.all(np.abs(np.bincount(ds.y_test) - 0.2 * np.bincount(ref.target)) <= 1)
    assert ds.X_train.min() == 0.0 and ds.X_train.max() == 1.0
    label_of = dict(zip(row_keys(ref.data / 16.0), ref.target))
    keys = row_keys(np.vstack([ds.X_train, ds.X_test]))
    assert [label_of[k] for k in keys] == list(np.concatenate([ds.y_train, ds.y_test]))


def test_tutorial_patterns():
    """Are the five tutorial patterns the binary 3x3 shapes of the NTU tutorial?"""
    P = data.tutorial_patterns()
    assert P.shape == (5, 9) and P.dtype == np.float64
    assert set(np.unique(P)) == {0.0, 1.0}
    top_row, left_col, ell = np.zeros((3, 3)), np.zeros((3, 3)), np.zeros((3, 3))
    top_row[0] = 1
    left_col[:, 0] = 1
    ell[:, 0], ell[2] = 1, 1
    expected = [top_row, left_col, np.fliplr(np.eye(3)), np.eye(3), ell]
    np.testing.assert_array_equal(P, np.array([e.ravel() for e in expected]))
    assert data.tutorial_patterns(dtype="float32").dtype == np.float32


def test_random_images():
    """Are random images seeded, shaped (n, size^2) and uniform on [0, 1]?"""
    A = data.random_images()
    assert A.shape == (100, 100) and A.dtype == np.float64
    assert A.min() >= 0 and A.max() <= 1
    assert abs(A.mean() - 0.5) < 0.02 and abs(A.var() - 1 / 12) < 0.005  # U(0, 1) moments
    np.testing.assert_array_equal(A, data.random_images())
    assert not np.array_equal(A, data.random_images(seed=1))
    assert data.random_images(n=3, size=4, dtype=np.float32).shape == (3, 16)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: data.random_images(n=0), "n must.*0"),
        (lambda: data.random_images(size=-2), "size.*-2"),
        (lambda: data.random_images(dtype="float16"), "dtype.*float16"),
        (lambda: data.random_images(seed=-3), "seed must be an integer >= 0, got -3"),
        (lambda: data.tutorial_patterns(dtype=int), "dtype.*int"),
    ],
)
def test_bad_arguments_raise(call, match):
    """Does each bad argument raise a ValueError naming the argument and the value?"""
    with pytest.raises(ValueError, match=match):
        call()
