"""Tests for autoencoders.plotting.images: rows of reconstructions (per-image Axes or strips) and mosaic grids."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from autoencoders.plotting import plot_reconstruction_grid, plot_reconstructions


def _expected_mosaic_shape(n, h, w, n_cols, pad):
    """Grid arithmetic written out independently of the code under test."""
    n_rows = -(-n // n_cols)
    return (n_rows * h + (n_rows - 1) * pad, n_cols * w + (n_cols - 1) * pad)


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


def test_plot_reconstructions_strips_on_given_axes():
    """With one Axes per row, is each row one strip of its images clipped to [vmin, vmax], 1 px apart?"""
    rng = np.random.default_rng(8)
    X, X_hat = rng.random((5, 6)), rng.normal(0.5, 1.0, size=(5, 6))  # X_hat leaves [0, 1]
    fig = Figure()
    axes = fig.subplots(2, 1)
    assert plot_reconstructions([X, X_hat], (2, 3), n=4, vmin=0, vmax=1, title="T", axes=axes) is fig
    assert len(fig.axes) == 2 and fig.get_suptitle() == "T"
    strip = np.asarray(axes[1].images[0].get_array())
    assert strip.shape == _expected_mosaic_shape(4, 2, 3, 4, 1)  # 4 images in one row
    np.testing.assert_allclose(strip[:, 4:7], np.clip(X_hat[1], 0, 1).reshape(2, 3))  # the second image
    np.testing.assert_array_equal(strip[:, 3], 1.0)  # white padding
    assert axes[1].images[0].get_clim() == (0, 1)
    assert [ax.get_ylabel() for ax in axes] == ["original", "reconstructed"]
    auto = Figure().subplots(1, 1, squeeze=False)[:, 0]
    plot_reconstructions([X_hat], (2, 3), n=2, axes=auto)  # no vmin/vmax: each image scaled on its own
    tile = np.asarray(auto[0].images[0].get_array())[:, :3]
    np.testing.assert_allclose(tile, (X_hat[0] - X_hat[0].min()).reshape(2, 3) / np.ptp(X_hat[0]))
    with pytest.raises(ValueError, match=r"axes must hold one Axes per row \(2\), got 1"):
        plot_reconstructions([X, X_hat], (2, 3), axes=auto)


def test_plot_reconstructions_pending_rows():
    """Does a None row show '<label>: <pending>' instead of images, in strips and in the grid?"""
    X = np.random.default_rng(9).random((3, 4))
    axes = Figure().subplots(2, 1)
    plot_reconstructions([X, None], (2, 2), row_labels=["original", "AE"], axes=axes, pending="training...")
    assert len(axes[0].images) == 1 and not axes[1].images
    assert axes[1].texts[0].get_text() == "AE: training..."
    fig = plot_reconstructions([X, None], (2, 2), n=3)
    assert sum(len(ax.images) for ax in fig.axes) == 3
    assert fig.axes[3].texts[0].get_text() == "reconstructed: pending..."


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


def test_plot_reconstruction_grid_panels_fit_wide_mosaics_without_white_bands():
    """With 10 images in 5 columns (a 2x5 mosaic), is each row about as tall as its mosaic, not square?"""
    rng = np.random.default_rng(6)
    cells = [[rng.random((10, 784)) for _ in range(5)] for _ in range(3)]
    fig = plot_reconstruction_grid(cells, ["a", "b", "c"], list("vwxyz"), (28, 28), n_cols=5)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    top, bottom = (fig.axes[i].images[0].get_window_extent(renderer) for i in (0, 5))  # rows 1 and 2, column 1
    gap = top.y0 - bottom.y1  # pixels between the two rows' images
    assert gap < 0.3 * top.height, f"white band of {gap / top.height:.0%} of a row between rows"
    width, height = fig.get_size_inches()
    assert height < 0.45 * width
