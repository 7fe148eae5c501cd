"""Tests for autoencoders.plotting.curves: moving averages, learning curves and error against code size."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from autoencoders.plotting import moving_average, plot_error_vs_code_size, plot_learning_curves


def _naive_moving_average(x, window):
    """Reference: explicit loop over trailing windows, truncated at the start."""
    return np.array([np.mean(x[max(0, i - window + 1) : i + 1]) for i in range(len(x))])


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


def test_learning_curves_of_a_history_use_the_recorded_steps():
    """Do a History's train and test curves share the step axis, even when recorded at different steps?"""
    from autoencoders.training import History

    h = History(
        unit="step", steps=[1, 2, 3, 4, 5, 6], loss=[6.0, 5, 4, 3, 2, 1], test_steps=[3, 6], test_loss=[4.5, 1.5]
    )
    fig = plot_learning_curves(h, window=1)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["train"].get_xdata(), [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(lines["test"].get_xdata(), [3, 6])
    assert h.as_dict() == {"train": h.loss, "test": h.test_loss}


def test_plot_learning_curves_window_per_curve():
    """With window={name: w}, is that curve smoothed over w points and every other curve drawn raw?"""
    rng = np.random.default_rng(7)
    history = {"train": rng.random(30), "test": rng.random(6)}
    (ax,) = plot_learning_curves(history, window={"train": 4}).axes
    assert len(ax.lines) == 3  # train raw + smoothed, test raw only
    np.testing.assert_allclose(ax.lines[1].get_ydata(), _naive_moving_average(history["train"], 4))
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), history["test"])
    assert _legend_texts(ax) == ["train (4-point average)", "test"]
    with pytest.raises(ValueError, match=r"window\['train'\] must be an integer >= 1, got 0"):
        plot_learning_curves(history, window={"train": 0})


def test_plot_learning_curves_log_auto_and_readable_ticks():
    """Is log="auto" a log axis only for positive values, labelled 10, 20, 30, 50 over a short range?"""
    from matplotlib import ticker

    ax = plot_learning_curves({"a": [60.0, 40.0, 25.0, 12.0]}, window=1, log="auto").axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "loss (log scale)"
    assert isinstance(ax.yaxis.get_major_formatter(), ticker.FormatStrFormatter)
    assert [t for t in ax.yaxis.get_major_locator().tick_values(10, 60) if 10 <= t <= 60] == [10, 20, 30, 50]
    assert plot_learning_curves({"a": [1.0, 0.0, -1.0]}, log="auto").axes[0].get_yscale() == "linear"
    wide = plot_learning_curves({"a": [1e6, 1e3, 1.0]}, log=True).axes[0]  # six decades: the default ticks
    assert wide.get_yscale() == "log"
    assert not isinstance(wide.yaxis.get_major_formatter(), ticker.FormatStrFormatter)


def test_plot_learning_curves_one_point_is_a_dot():
    """Is a curve with a single point drawn with a marker (a one-point line is invisible)?"""
    (ax,) = plot_learning_curves({"train": [3.0], "test": [2.0, 1.0]}, window=1).axes
    assert ax.lines[0].get_marker() == "o" and ax.lines[1].get_marker() in ("None", None, "")


def test_plot_error_vs_code_size():
    """Is there one curve per name over the k it holds, a tick at every k, and a line at the current k?"""
    errors = {"PCA": {1: 0.06, 2: 0.05, 10: 0.03}, "AE": {2: 0.052}, "none yet": {}}
    (ax,) = plot_error_vs_code_size(errors, current=10).axes
    pca_line, ae_line, current = ax.lines
    np.testing.assert_array_equal(pca_line.get_xdata(), [1, 2, 10])
    np.testing.assert_array_equal(pca_line.get_ydata(), [0.06, 0.05, 0.03])
    np.testing.assert_array_equal(ae_line.get_xdata(), [2])
    assert list(current.get_xdata()) == [10, 10]
    assert ax.get_xscale() == "log" and [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "10"]
    assert _legend_texts(ax) == ["PCA", "AE"] and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="errors must be a non-empty mapping"):
        plot_error_vs_code_size({})
    with pytest.raises(ValueError, match=r"errors\['PCA'\] must map k to an error, got list"):
        plot_error_vs_code_size({"PCA": [0.1, 0.2]})
