"""Tests for autoencoders.plotting.hidden: the histogram of hidden activations and its title."""

import numpy as np
import pytest

from autoencoders.plotting import plot_hidden_activations


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_hidden_activations_histogram_and_title():
    """Do the bars count every activation and does the title give 25.0% non-zero and mean 0.5?"""
    H = np.zeros((10, 10))
    H.flat[::4] = 2.0  # 25 of 100 entries active
    fig = plot_hidden_activations(H, bins=10)
    (ax,) = fig.axes
    (bars,) = ax.patches  # one StepPatch of 10 bins
    assert bars.get_data().values.sum() == H.size
    assert len(bars.get_data().values) == 10
    assert "25.0%" in ax.get_title() and "mean 0.5" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="H must not be empty"):
        plot_hidden_activations(np.ones((0, 3)))


def test_plot_hidden_activations_rho_tol_and_non_finite():
    """Are the rho line, the |h| > tol wording and the mean right, with NaN/inf left out of everything?"""
    H = np.array([[0.0, 0.01, 0.5, 1.0], [np.nan, np.inf, 0.02, 0.5]])  # 6 finite, 3 with |h| > 0.05
    (ax,) = plot_hidden_activations(H, bins=5, tol=0.05, title="Hidden", rho=0.1).axes
    assert ax.patches[0].get_data().values.sum() == 6
    assert ax.get_title() == "Hidden: 50.0% with |h| > 0.05, mean 0.338"
    (line,) = ax.lines
    assert list(line.get_xdata()) == [0.1, 0.1] and _legend_texts(ax) == ["target rho = 0.1"]
    (ax,) = plot_hidden_activations(np.full((2, 2), np.nan), title="Hidden").axes
    assert ax.texts[0].get_text() == "Hidden: no finite activations"
