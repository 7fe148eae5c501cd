"""Tests for autoencoders.plotting.mosaics: mosaic shapes, tile placement, purity, no NaN, and plot_mosaic."""

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from autoencoders.plotting import mosaic, plot_mosaic


def _expected_mosaic_shape(n, h, w, n_cols, pad):
    """Grid arithmetic written out independently of the code under test."""
    n_rows = -(-n // n_cols)
    return (n_rows * h + (n_rows - 1) * pad, n_cols * w + (n_cols - 1) * pad)


@pytest.mark.parametrize("n", [1, 7, 100, 225])
@pytest.mark.parametrize("tile_shape", [(28, 28), (8, 8), (3, 5)])
def test_mosaic_shape_default_grid(n, tile_shape):
    """Does any tile count give a near-square grid of the right pixel size?"""
    h, w = tile_shape
    W = np.random.default_rng(n).normal(size=(n, h * w))
    image = mosaic(W, tile_shape)
    n_cols = math.isqrt(n - 1) + 1  # ceil(sqrt(n))
    assert image.shape == _expected_mosaic_shape(n, h, w, n_cols, 1)
    assert np.all(np.isfinite(image)) and image.min() >= 0 and image.max() <= 1


@pytest.mark.parametrize("n, n_cols, pad", [(7, 2, 0), (7, 7, 3), (5, 10, 2), (225, 15, 1)])
def test_mosaic_shape_explicit_grid(n, n_cols, pad):
    """Do n_cols and pad set the layout, including more columns than tiles?"""
    image = mosaic(np.ones((n, 12)), (3, 4), n_cols=n_cols, pad=pad)
    assert image.shape == _expected_mosaic_shape(n, 3, 4, n_cols, pad)


def test_mosaic_places_each_tile_rescaled_row_major():
    """Is tile i at grid cell divmod(i, n_cols), rescaled to [0, 1] on its own, with blank cells = fill?"""
    rng = np.random.default_rng(0)
    h, w, pad, n_cols = 4, 3, 2, 3
    W = rng.normal(size=(5, h * w)) * rng.uniform(0.1, 10, size=(5, 1))
    image = mosaic(W, (h, w), n_cols=n_cols, pad=pad)
    for i in range(5):
        r, c = i // n_cols, i % n_cols
        tile = W[i].reshape(h, w)
        expected = (tile - tile.min()) / (tile.max() - tile.min())
        got = image[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w]
        np.testing.assert_allclose(got, expected, atol=1e-12)
    blank = image[(h + pad) :, 2 * (w + pad) :]  # slot 5 (row 1, column 2) is unused
    np.testing.assert_array_equal(blank, 1.0)
    np.testing.assert_array_equal(image[h : h + pad, :], 1.0)  # the padding between rows


def test_mosaic_normalize_modes():
    """Does "global" share one scale, and None keep raw values with a fill of max(W)?"""
    W = np.array([[0.0, 1.0], [2.0, 4.0]])
    np.testing.assert_allclose(mosaic(W, (1, 2), n_cols=2, pad=0, normalize="global"), [[0, 0.25, 0.5, 1]])
    raw = mosaic(W, (1, 2), n_cols=3, pad=1, normalize=None)
    np.testing.assert_array_equal(raw, [[0, 1, 4, 2, 4, 4, 4, 4]])
    np.testing.assert_array_equal(mosaic(W, (1, 2), n_cols=3, pad=1, normalize=None, fill=-1)[0, 2], -1)


def test_mosaic_constant_tiles_are_finite():
    """Do a constant tile and an all-zero W give finite uniform tiles instead of NaN (no warning)?"""
    W = np.vstack([np.full(16, 3.0), np.arange(16.0)])
    with np.errstate(all="raise"):
        image = mosaic(W, (4, 4), n_cols=2)
        zeros = mosaic(np.zeros((9, 16)), (4, 4))
        global_zero = mosaic(np.zeros((2, 16)), (4, 4), normalize="global")
    np.testing.assert_array_equal(image[:, :4], 0.5)
    assert np.all(np.isfinite(zeros)) and np.all(np.isfinite(global_zero))
    assert np.unique(zeros[:4, :4]).size == 1


def test_mosaic_is_pure():
    """Is W left unchanged (even when read-only) and is a new array returned?"""
    W = np.random.default_rng(1).normal(size=(6, 9))
    before = W.copy()
    W.flags.writeable = False  # any in-place write would raise
    image = mosaic(W, (3, 3))
    np.testing.assert_array_equal(W, before)
    assert not np.shares_memory(image, W)


def test_mosaic_accepts_ints_and_single_image():
    """Do uint8 pixels work, and is one flattened image a single tile?"""
    digit = np.arange(16, dtype=np.uint8)
    assert mosaic(digit, (4, 4)).shape == (4, 4)
    assert mosaic(digit[None, :], 4).shape == (4, 4)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(W=np.ones((3, 10)), tile_shape=(3, 3)), r"W must .*3\*3=9 columns, got shape \(3, 10\)"),
        (dict(W=np.ones((0, 9)), tile_shape=(3, 3)), "W must be a non-empty"),
        (dict(W=np.ones((2, 3, 3)), tile_shape=(3, 3)), "W must"),
        (dict(W=np.ones((2, 9)), tile_shape=(3, 0)), r"tile_shape must .*\(3, 0\)"),
        (dict(W=np.ones((2, 9)), tile_shape=(9,)), "tile_shape must"),
        (dict(W=np.ones((2, 9)), tile_shape=(3, 3), n_cols=0), "n_cols must .*got 0"),
        (dict(W=np.ones((2, 9)), tile_shape=(3, 3), pad=-1), "pad must .*got -1"),
        (dict(W=np.ones((2, 9)), tile_shape=(3, 3), normalize="row"), "normalize must .*'row'"),
    ],
)
def test_mosaic_bad_arguments(kwargs, message):
    """Is each malformed argument rejected with a message naming it and its value?"""
    with pytest.raises(ValueError, match=message):
        mosaic(**kwargs)


def test_plot_mosaic_shows_the_mosaic():
    """Is the imaged array the mosaic of W, with a title?"""
    W = np.random.default_rng(3).normal(size=(10, 64))
    fig = plot_mosaic(W, (8, 8), title="W1", n_cols=5)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title().startswith("W1")
    shown = np.asarray(ax.images[0].get_array())
    assert shown.shape == _expected_mosaic_shape(10, 8, 8, 5, 1)
    np.testing.assert_allclose(shown[:8, :8], (W[0] - W[0].min()).reshape(8, 8) / np.ptp(W[0]))


def test_plot_mosaic_limit_shows_the_first_tiles():
    """Does limit=m draw only the first m tiles and say 'first m of n' (and nothing when n <= m)?"""
    W = np.random.default_rng(6).normal(size=(20, 16))
    (ax,) = plot_mosaic(W, (4, 4), title="W1", limit=9).axes
    assert ax.get_title() == "W1 (first 9 of 20 tiles)"
    np.testing.assert_array_equal(ax.images[0].get_array(), mosaic(W[:9], (4, 4)))
    (ax,) = plot_mosaic(W, (4, 4), title="W1", limit=20).axes
    assert ax.get_title() == "W1 (20 tiles)" and ax.images[0].get_array().shape == mosaic(W, (4, 4)).shape
    with pytest.raises(ValueError, match="limit must be an integer >= 1, got 0"):
        plot_mosaic(W, (4, 4), limit=0)
