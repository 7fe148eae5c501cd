"""Mosaics, moving averages and figures: shapes, purity, no NaN, and what each figure contains."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from autoencoders.plotting import (mosaic, moving_average, plot_hidden_activations, plot_learning_curves,
                                   plot_mosaic, plot_reconstruction_grid, plot_reconstructions)


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
        got = image[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w]
        np.testing.assert_allclose(got, expected, atol=1e-12)
    blank = image[(h + pad):, 2 * (w + pad):]  # slot 5 (row 1, column 2) is unused
    np.testing.assert_array_equal(blank, 1.0)
    np.testing.assert_array_equal(image[h:h + pad, :], 1.0)  # the padding between rows


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


@pytest.mark.parametrize("kwargs, message", [
    (dict(W=np.ones((3, 10)), tile_shape=(3, 3)), r"W must .*3\*3=9 columns, got shape \(3, 10\)"),
    (dict(W=np.ones((0, 9)), tile_shape=(3, 3)), "W must be a non-empty"),
    (dict(W=np.ones((2, 3, 3)), tile_shape=(3, 3)), "W must"),
    (dict(W=np.ones((2, 9)), tile_shape=(3, 0)), r"tile_shape must .*\(3, 0\)"),
    (dict(W=np.ones((2, 9)), tile_shape=(9,)), "tile_shape must"),
    (dict(W=np.ones((2, 9)), tile_shape=(3, 3), n_cols=0), "n_cols must .*got 0"),
    (dict(W=np.ones((2, 9)), tile_shape=(3, 3), pad=-1), "pad must .*got -1"),
    (dict(W=np.ones((2, 9)), tile_shape=(3, 3), normalize="row"), "normalize must .*'row'"),
])
def test_mosaic_bad_arguments(kwargs, message):
    """Is each malformed argument rejected with a message naming it and its value?"""
    with pytest.raises(ValueError, match=message):
        mosaic(**kwargs)


def _naive_moving_average(x, window):
    """Reference: explicit loop over trailing windows, truncated at the start."""
    return np.array([np.mean(x[max(0, i - window + 1): i + 1]) for i in range(len(x))])


@pytest.mark.parametrize("n, window", [(50, 1), (50, 7), (50, 50), (10, 25), (1, 3)])
def test_moving_average_matches_loop(n, window):
    """Is the same-length trailing average right, also for window > len(x)?"""
    x = np.random.default_rng(n).normal(size=n)
    y = moving_average(x, window)
    assert y.shape == x.shape
    np.testing.assert_allclose(y, _naive_moving_average(x, window), atol=1e-12)


def test_moving_average_nan_stays_local_and_input_untouched():
    """Does a NaN only spoil the windows containing it, leaving x unchanged?"""
    x = np.arange(10.0)
    x[3] = np.nan
    before = x.copy()
    y = moving_average(x, 2)
    assert np.isnan(y[3]) and np.isnan(y[4]) and np.all(np.isfinite(np.delete(y, [3, 4])))
    np.testing.assert_array_equal(x, before)
    assert moving_average([], 5).shape == (0,)
    with pytest.raises(ValueError, match="window must .*got 0"):
        moving_average(x, 0)
    with pytest.raises(ValueError, match="x must be 1-D"):
        moving_average(np.ones((2, 2)), 2)


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_learning_curves_from_dict():
    """Are there a faint raw and a bold smoothed line per curve, a legend, labels and a title?"""
    rng = np.random.default_rng(2)
    history = {"train": rng.random(100), "test": rng.random(40)}
    fig = plot_learning_curves(history, window=5, log=True, title="DAE")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert len(ax.lines) == 4
    raw, smooth = ax.lines[0], ax.lines[1]
    assert raw.get_alpha() < 1 and smooth.get_linewidth() > raw.get_linewidth()
    assert raw.get_color() == smooth.get_color()
    np.testing.assert_allclose(smooth.get_ydata(), _naive_moving_average(history["train"], 5))
    assert len(ax.lines[3].get_xdata()) == 40
    assert [t.split()[0] for t in _legend_texts(ax)] == ["train", "test"]
    assert ax.get_title() == "DAE" and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_yscale() == "log"


class _History:
    """A stand-in for a training history object exposing as_dict()."""

    def as_dict(self):
        return {"loss": [3.0, 2.0, 1.0], "sparsity": [0.5, 0.4, 0.3], "unused": []}


class _MappingLike:
    """Only keys() and __getitem__, like a pandas DataFrame."""

    def keys(self):
        return ["a"]

    def __getitem__(self, key):
        return [1.0, 2.0]


def test_plot_learning_curves_accepts_history_objects_and_sequences():
    """Are as_dict() objects, mapping-likes and a bare sequence accepted, empty series skipped?"""
    assert len(plot_learning_curves(_History(), window=2).axes[0].lines) == 4
    assert _legend_texts(plot_learning_curves(_MappingLike(), window=1).axes[0]) == ["a"]
    ax = plot_learning_curves([4.0, 3.0, 2.0]).axes[0]
    assert len(ax.lines) == 2 and ax.get_yscale() == "linear"


def test_plot_learning_curves_bad_input():
    """Are a 2-D series and an all-empty history rejected?"""
    with pytest.raises(ValueError, match=r"history\['x'\] must be a 1-D"):
        plot_learning_curves({"x": np.ones((3, 3))})
    with pytest.raises(ValueError, match="at least one non-empty"):
        plot_learning_curves({"x": []})


def test_plot_learning_curves_draws_on_given_axes():
    """With ax given, does it draw there and return that Axes' figure?"""
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_learning_curves({"a": [1.0, 2.0]}, ax=ax) is fig
    assert len(ax.lines) == 2


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


def test_plot_reconstructions_rows_and_labels():
    """Is there one Axes per image, each row labelled, each image the right digit?"""
    rng = np.random.default_rng(4)
    X, X_noisy, X_hat = (rng.random((12, 20)) for _ in range(3))
    fig = plot_reconstructions([X, X_noisy, X_hat], (4, 5), n=6)
    assert isinstance(fig, Figure) and len(fig.axes) == 18
    assert [fig.axes[6 * r].get_ylabel() for r in range(3)] == ["original", "noisy", "reconstructed"]
    np.testing.assert_array_equal(fig.axes[7].images[0].get_array(), X_noisy[1].reshape(4, 5))
    assert fig.get_suptitle()
    two = plot_reconstructions([X, X_hat], (4, 5), n=30)  # n is capped at N = 12
    assert len(two.axes) == 24 and two.axes[12].get_ylabel() == "reconstructed"
    with pytest.raises(ValueError, match="row_labels must"):
        plot_reconstructions([X, X_hat], (4, 5), row_labels=("a", "b", "c"))
    with pytest.raises(ValueError, match=r"rows\[1\] must"):
        plot_reconstructions([X, X_hat[:, :-1]], (4, 5))


def test_plot_hidden_activations_histogram_and_title():
    """Do the bars count every activation and does the title give 25.0% non-zero and mean 0.5?"""
    H = np.zeros((10, 10))
    H.flat[::4] = 2.0  # 25 of 100 entries active
    fig = plot_hidden_activations(H, bins=10)
    (ax,) = fig.axes
    assert sum(p.get_height() for p in ax.patches) == H.size
    assert len(ax.patches) == 10
    assert "25.0%" in ax.get_title() and "mean 0.5" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="H must not be empty"):
        plot_hidden_activations(np.ones((0, 3)))


def test_plot_reconstruction_grid_layout():
    """Is it rows x columns of mosaics, columns titled, rows labelled, None cells blank?"""
    rng = np.random.default_rng(5)
    sizes, acts = [25, 50], ["relu", "sigmoid", "tanh"]
    cells = [[rng.random((4, 36)) for _ in acts] for _ in sizes]
    cells[1][2] = None
    fig = plot_reconstruction_grid(cells, sizes, acts, (6, 6))
    assert len(fig.axes) == 6
    assert [ax.get_title() for ax in fig.axes[:3]] == acts
    assert [fig.axes[3 * i].get_ylabel() for i in range(2)] == ["25", "50"]
    assert fig.axes[0].images[0].get_array().shape == (13, 13)  # 2x2 tiles of 6x6, pad 1
    assert len(fig.axes[5].images) == 0
    assert fig.get_suptitle()
    keyed = {(s, a): rng.random((3, 36)) for s in sizes for a in acts}
    assert len(plot_reconstruction_grid(keyed, sizes, acts, (6, 6)).axes) == 6
    with pytest.raises(ValueError, match="images_by_cell must be 2 rows x 3 columns"):
        plot_reconstruction_grid(cells[:1], sizes, acts, (6, 6))


def test_learning_curves_of_a_history_use_the_recorded_steps():
    """Do a History's train and test curves share the step axis, even when recorded at different steps?"""
    from autoencoders.training import History

    h = History(unit="step", steps=[1, 2, 3, 4, 5, 6], loss=[6.0, 5, 4, 3, 2, 1], test_steps=[3, 6], test_loss=[4.5, 1.5])
    fig = plot_learning_curves(h, window=1)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["train"].get_xdata(), [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(lines["test"].get_xdata(), [3, 6])
    assert h.as_dict() == {"train": h.loss, "test": h.test_loss}
