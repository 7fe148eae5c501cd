"""Tests for autoencoders.data.split: shuffled stratified splits, scaling, dtypes and the shared argument checks."""

import numpy as np
import pytest

import autoencoders.data as data
from autoencoders.data import split


def test_stratified_split_keeps_class_shares_and_sizes():
    """On unequal, sorted classes: are the test quotas the rounded shares, summing to n_test exactly?"""
    y = np.repeat([0, 1, 2], [50, 30, 20])  # sorted by class, like the MNIST subset
    train, test = split.stratified_split(y, 15, np.random.default_rng(0))
    assert len(test) == 15 and len(train) == 85
    assert sorted(np.concatenate([train, test])) == list(range(100))  # a partition of all indices
    assert list(np.bincount(y[test])) == [8, 4, 3]  # 7.5, 4.5, 3.0 by largest remainder
    assert len(set(y[train[:10]])) > 1  # the training order is shuffled too


def test_mnist_is_shuffled_and_stratified():
    """Are the class-sorted digits shuffled before splitting, and is the test set balanced?"""
    for seed in range(3):
        ds = data.load_mnist(seed=seed, verbose=False)
        first = np.bincount(ds.y_train[:100], minlength=10)
        assert np.all(first > 0), f"seed {seed}: classes missing from the first 100 labels {first}"
        assert first.max() <= 30, f"seed {seed}: first 100 labels are lopsided {first}"
        assert np.all(np.bincount(ds.y_test, minlength=10) == 100)
        assert np.all(np.bincount(ds.y_train, minlength=10) == 400)


def test_mnist_seed_reproducible(row_keys):
    """Does the same seed give the same split, and another seed a different one?"""
    a = data.load_mnist(seed=3, verbose=False)
    b = data.load_mnist(seed=3, verbose=False)
    c = data.load_mnist(seed=4, verbose=False)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_train, c.y_train)
    assert set(row_keys(a.X_test)) != set(row_keys(c.X_test))  # different digits, not just order


def test_mnist_standard_scaling_uses_training_statistics():
    """Is 'standard' the unit data minus the global training mean, over the global training std?"""
    unit = data.load_mnist(scaling="unit", verbose=False)
    std = data.load_mnist(scaling="standard", verbose=False)
    mu, sigma = unit.X_train.mean(), unit.X_train.std()
    assert 0.1 < mu < 0.15  # MNIST is mostly black background
    np.testing.assert_allclose(std.X_train, (unit.X_train - mu) / sigma, atol=1e-12)
    np.testing.assert_allclose(std.X_test, (unit.X_test - mu) / sigma, atol=1e-12)
    assert abs(std.X_train.mean()) < 1e-10 and abs(std.X_train.std() - 1) < 1e-10
    assert abs(std.X_test.mean()) > 1e-6  # test statistics are not used
    np.testing.assert_allclose(std.X_train * std.std + std.mean, unit.X_train, atol=1e-12)


def test_mnist_float32_and_n_train():
    """Are dtype and n_train honoured, with the same test set?"""
    full = data.load_mnist(verbose=False)
    small = data.load_mnist(dtype=np.float32, n_train=500, verbose=False)
    assert small.X_train.dtype == np.float32 and small.X_test.dtype == np.float32
    assert small.X_train.shape == (500, 784)
    np.testing.assert_array_equal(small.y_test, full.y_test)
    np.testing.assert_allclose(small.X_train, full.X_train[:500], atol=1e-7)


def test_mnist_test_size_fraction():
    """Does a float test_size give that fraction of the 5,000 digits?"""
    ds = data.load_mnist(test_size=0.1, verbose=False)
    assert ds.X_test.shape == (500, 784) and ds.X_train.shape == (4500, 784)


@pytest.mark.parametrize(
    "call, match, early",
    [
        (lambda: data.load_mnist(scaling="minmax"), "scaling.*minmax", True),
        (lambda: data.load_mnist(dtype=np.int32), "dtype.*int32", True),
        (lambda: data.load_mnist(test_size=0), "test_size.*0", True),
        (lambda: data.load_mnist(test_size=5000), "test_size.*5000", False),
        (lambda: data.load_mnist(test_size=1.5), "test_size.*1.5", True),
        (lambda: data.load_mnist(seed=-1), "seed must be an integer >= 0, got -1", True),
        (lambda: data.load_mnist(seed=1.5), "seed must be an integer >= 0, got 1.5", True),
        (lambda: data.load_mnist(n_train=0), "n_train.*0", True),
        (lambda: data.load_mnist(n_train=4001), "n_train.*4001", False),
        (lambda: data.load_digits(scaling="zscore"), "scaling.*zscore", True),
        (lambda: data.load_digits(seed=True), "seed.*True", True),
    ],
)
def test_bad_split_arguments_raise(call, match, early, capfd, request):
    """Does each bad argument raise a ValueError naming the argument and the value (before loading)?"""
    if early:  # limits that do not depend on the data size
        request.getfixturevalue("no_loading")
    with pytest.raises(ValueError, match=match):
        call()
    assert capfd.readouterr().out == ""
