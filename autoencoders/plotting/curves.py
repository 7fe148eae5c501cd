"""Curves: moving averages, learning curves by name, and reconstruction error against code size."""

from collections.abc import Mapping

import numpy as np
from matplotlib import ticker

from .._checks import check_int
from ._axes import figure_and_axes


def moving_average(x, window):
    """Same-length trailing average: y[i] = mean(x[max(0, i-window+1) : i+1]).

    The first window-1 points average what is available so far, so a window
    longer than x gives the running (cumulative) mean. A NaN or inf only
    affects the windows that contain it.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    window = check_int("window", window, minimum=1)
    n = x.size
    if n == 0:
        return x.copy()
    window = min(window, n)
    sums = np.convolve(x, np.ones(window))[:n]  # sums[i] = x[i-window+1] + ... + x[i]
    counts = np.minimum(np.arange(1, n + 1), window)
    return sums / counts


def _as_series(history):
    """Turn a history object, a mapping or a single sequence into {name: (x, y)} 1-D float arrays.

    x is the recorded step when the history has `as_xy()` (a training History), else the index.
    """
    xs = {}
    if hasattr(history, "as_xy"):
        xs = {name: np.asarray(x, dtype=np.float64) for name, (x, _) in history.as_xy().items()}
    if hasattr(history, "as_dict"):
        history = history.as_dict()
    if not isinstance(history, Mapping) and hasattr(history, "keys") and hasattr(history, "__getitem__"):
        history = {key: history[key] for key in history.keys()}  # noqa: SIM118 (iterating calls [0], [1], ...)
    if not isinstance(history, Mapping):
        history = {"loss": history}
    series = {}
    for name, values in history.items():
        y = np.asarray(values, dtype=np.float64)
        if y.ndim != 1:
            raise ValueError(f"history[{name!r}] must be a 1-D sequence, got shape {y.shape}")
        if y.size:  # an empty series (e.g. no test loss yet) draws nothing
            series[str(name)] = (xs.get(name, np.arange(y.size)), y)
    if not series:
        raise ValueError("history must hold at least one non-empty sequence, got none")
    return series


def _windows(window, names):
    """{name: smoothing window}: one int for every curve, or a mapping (curves not in it: 1, unsmoothed)."""
    if isinstance(window, Mapping):
        return {name: check_int(f"window[{name!r}]", window.get(name, 1), minimum=1) for name in names}
    window = check_int("window", window, minimum=1)
    return dict.fromkeys(names, window)


def _log_y(ax, values):
    """Log y-axis; when the values span at most two decades, ticks at 1, 2, 3, 5 x 10^n as plain numbers."""
    ax.set_yscale("log")
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size and positive.max() <= 100 * positive.min():  # wider: too many ticks, keep the default
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 3.0, 5.0)))  # e.g. 10, 20, 30, 50
        ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def plot_learning_curves(
    history_or_dict, window=25, log=False, ax=None, title="Learning curves", xlabel="step", ylabel="loss"
):
    """Figure of curves by name: raw values faint, their `window`-point moving average bold.

    Accepts a training History (x = the step of each record, so train and test curves line up),
    {"train": [...], "test": [...]}, any mapping, an object with `.as_dict()`, or a single sequence
    (x = each curve's own index). window is one int for every curve, or {name: window} (curves not in
    it are drawn unsmoothed). log=True gives a log y-axis, log="auto" only when every value is > 0.
    A one-point curve is drawn as a dot.
    """
    series = _as_series(history_or_dict)
    windows = _windows(window, series)
    values = np.concatenate([y for _, y in series.values()])
    if isinstance(log, str) and log == "auto":
        log = bool(np.all(values > 0))
    fig, ax = figure_and_axes(ax, figsize=(7, 4))
    for name, (steps, y) in series.items():
        w, marker = windows[name], "o" if y.size == 1 else None  # a one-point line is invisible
        if w > 1:
            (raw,) = ax.plot(steps, y, alpha=0.3, linewidth=1, label="_nolegend_")
            ax.plot(
                steps,
                moving_average(y, w),
                color=raw.get_color(),
                linewidth=2,
                marker=marker,
                label=f"{name} ({w}-point average)",
            )
        else:
            ax.plot(steps, y, linewidth=2, marker=marker, label=name)
    if log:
        _log_y(ax, values)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    ax.set_title(title)
    ax.legend()
    return fig


def plot_error_vs_code_size(
    errors,
    current=None,
    ax=None,
    title="Reconstruction error against code size",
    xlabel="k",
    ylabel="test MSE per pixel",
):
    """Figure: error against code size k (log x, a tick at every k), one curve per entry of {name: {k: error}}.

    A curve may hold only some k (e.g. those computed so far); an empty one is not drawn.
    current=k marks that k with a grey vertical line.
    """
    if not isinstance(errors, Mapping) or not errors:
        raise ValueError(f"errors must be a non-empty mapping {{name: {{k: error}}}}, got {errors!r}")
    fig, ax = figure_and_axes(ax, figsize=(6, 4))
    ks = set() if current is None else {current}
    for i, (name, by_k) in enumerate(errors.items()):
        if not hasattr(by_k, "items"):
            raise ValueError(f"errors[{name!r}] must map k to an error, got {type(by_k).__name__}")
        done = sorted(by_k)
        ks.update(done)
        if done:
            style = ("o-", "s--", "^-.", "D:")[i % 4]
            ax.plot(done, [by_k[k] for k in done], style, color=f"C{i}", markersize=3.5, label=str(name))
    if current is not None:
        ax.axvline(current, color="0.6", linewidth=1)
    ax.set_xscale("log")
    ax.set_xticks(sorted(ks), [str(k) for k in sorted(ks)])
    ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    return fig
