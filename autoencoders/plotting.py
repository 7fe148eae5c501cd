"""Figures for the course: weight mosaics, learning curves, reconstructions, activations.

Every plot function returns a matplotlib Figure and never calls plt.show().
Without `ax`, the Figure is built directly (not registered with pyplot), so a
notebook shows it exactly once when it is the cell's last expression; elsewhere
use `display(fig)` or `fig.savefig(path)`.
"""
import math
import numbers
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

_NORMALIZE = ("tile", "global", None)


def _check_int(name, value, minimum):
    """Return value as int, or raise ValueError unless it is an integer >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_shape(name, shape):
    """Return shape as (h, w) of positive ints; an int n means (n, n)."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape, shape)
    try:
        h, w = shape
        return _check_int(name, h, 1), _check_int(name, w, 1)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of positive integers (height, width), got {shape!r}") from None


def _check_rows(name, X, shape):
    """Return X as a float (N, h*w) array with N >= 1, or raise ValueError."""
    X = np.asarray(X, dtype=np.float64)
    size = shape[0] * shape[1]
    if X.ndim == 1 and X.size == size:
        X = X[None, :]  # a single flattened image
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] != size:
        raise ValueError(f"{name} must be a non-empty 2-D array with {shape[0]}*{shape[1]}={size} "
                         f"columns, got shape {X.shape}")
    return X


def _rescale(T, axis):
    """Min-max rescale T to [0, 1] over `axis`; a constant block becomes 0.5, never NaN."""
    lo = T.min(axis=axis, keepdims=True)
    span = T.max(axis=axis, keepdims=True) - lo
    safe = np.where(span > 0, span, 1.0)  # no division by zero on constant tiles
    return np.where(span > 0, (T - lo) / safe, 0.5)


def mosaic(W, tile_shape, n_cols=None, pad=1, normalize="tile", fill=None):
    """Tile the rows of W (n_tiles, h*w) into one 2-D image array; draws nothing, W unchanged.

    Tiles are placed row-major on an n_rows x n_cols grid (default: n_cols =
    ceil(sqrt(n_tiles)), near-square), separated by `pad` pixels, with no outer
    border: the result is (n_rows*h + (n_rows-1)*pad, n_cols*w + (n_cols-1)*pad).
    normalize="tile" rescales each tile to [0, 1] on its own, "global" rescales
    all tiles together, None keeps raw values; a constant tile becomes 0.5.
    Padding and unused grid slots hold `fill`: by default 1.0 (white in a gray
    colormap) when normalising, and the maximum of W when normalize=None.
    """
    h, w = _check_shape("tile_shape", tile_shape)
    W = _check_rows("W", W, (h, w))
    if normalize not in _NORMALIZE:
        raise ValueError(f"normalize must be one of {_NORMALIZE}, got {normalize!r}")
    n = W.shape[0]
    n_cols = math.ceil(math.sqrt(n)) if n_cols is None else _check_int("n_cols", n_cols, 1)
    n_rows = math.ceil(n / n_cols)
    pad = _check_int("pad", pad, 0)

    tiles = W.reshape(n, h, w)  # a view; every step below makes new arrays
    if normalize == "tile":
        tiles = _rescale(tiles, axis=(1, 2))
    elif normalize == "global":
        tiles = _rescale(tiles, axis=None)
    if fill is None:
        fill = 1.0 if normalize else float(tiles.max())

    image = np.full((n_rows * h + (n_rows - 1) * pad, n_cols * w + (n_cols - 1) * pad), float(fill))
    for i in range(n):
        r, c = divmod(i, n_cols)
        top, left = r * (h + pad), c * (w + pad)
        image[top:top + h, left:left + w] = tiles[i]
    return image


def _figure_and_axes(ax, figsize):
    """Use the given Axes, or make a fresh single-Axes Figure (not registered with pyplot)."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _hide_ticks(ax):
    """Remove ticks and frame but keep the Axes so it can still carry labels."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_mosaic(W, tile_shape, title="Weights", ax=None, cmap="gray", **kw):
    """Figure of a weight mosaic: rows of W are tiles (encoder W1 as is; decoder atoms: pass W2.T).

    Extra keywords (n_cols, pad, normalize, fill) go to `mosaic`.
    """
    image = mosaic(W, tile_shape, **kw)
    fig, ax = _figure_and_axes(ax, figsize=(6, 6))
    ax.imshow(image, cmap=cmap, interpolation="nearest")
    _hide_ticks(ax)
    n = np.shape(W)[0] if np.ndim(W) == 2 else 1
    ax.set_title(f"{title} ({n} tiles)")
    return fig


def moving_average(x, window):
    """Same-length trailing average: y[i] = mean(x[max(0, i-window+1) : i+1]).

    The first window-1 points average what is available so far, so a window
    longer than x gives the running (cumulative) mean. A NaN or inf only
    affects the windows that contain it.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    window = _check_int("window", window, 1)
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
        history = {key: history[key] for key in history.keys()}
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


def plot_learning_curves(history_or_dict, window=25, log=False, ax=None, title="Learning curves",
                         xlabel="step", ylabel="loss"):
    """Figure of curves by name: raw values faint, their `window`-point moving average bold.

    Accepts a training History (x = the step of each record, so train and test curves line up),
    {"train": [...], "test": [...]}, any mapping, an object with `.as_dict()`, or a single sequence
    (x = each curve's own index).
    """
    series = _as_series(history_or_dict)
    window = _check_int("window", window, 1)
    fig, ax = _figure_and_axes(ax, figsize=(7, 4))
    for name, (steps, y) in series.items():
        if window > 1:
            (raw,) = ax.plot(steps, y, alpha=0.3, linewidth=1, label="_nolegend_")
            ax.plot(steps, moving_average(y, window), color=raw.get_color(), linewidth=2,
                    label=f"{name} ({window}-point average)")
        else:
            ax.plot(steps, y, linewidth=2, label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    ax.set_title(title)
    ax.legend()
    return fig


def plot_reconstructions(rows, image_shape, row_labels=None, n=10, cmap="gray", vmin=None, vmax=None,
                         title="Reconstructions"):
    """Figure with one row of n images per array in `rows` (each (N, d)), e.g. original / noisy / reconstructed.

    row_labels defaults to ("original", "reconstructed") for 2 rows,
    ("original", "noisy", "reconstructed") for 3, else "row 0", "row 1", ...
    Each image is scaled on its own unless vmin/vmax are given.
    """
    shape = _check_shape("image_shape", image_shape)
    if isinstance(rows, np.ndarray) and rows.ndim == 2:
        rows = [rows]
    rows = [_check_rows(f"rows[{i}]", R, shape) for i, R in enumerate(rows)]
    if not rows:
        raise ValueError("rows must hold at least one (N, d) array, got none")
    if row_labels is None:
        defaults = {2: ("original", "reconstructed"), 3: ("original", "noisy", "reconstructed")}
        row_labels = defaults.get(len(rows), [f"row {i}" for i in range(len(rows))])
    if len(row_labels) != len(rows):
        raise ValueError(f"row_labels must have one label per row ({len(rows)}), got {list(row_labels)!r}")
    n = min(_check_int("n", n, 1), min(R.shape[0] for R in rows))

    fig = Figure(figsize=(1.0 * n, 1.1 * len(rows) + 0.4), layout="constrained")
    axes = fig.subplots(len(rows), n, squeeze=False)
    for r, (R, label) in enumerate(zip(rows, row_labels)):
        for j in range(n):
            ax = axes[r, j]
            ax.imshow(R[j].reshape(shape), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
            _hide_ticks(ax)
        axes[r, 0].set_ylabel(label)
    fig.suptitle(title)
    return fig


def plot_hidden_activations(H, bins=50, ax=None, tol=0.0, title="Hidden activations"):
    """Figure: histogram of all hidden activations; title gives fraction non-zero (|h| > tol) and mean."""
    H = np.asarray(H, dtype=np.float64)
    if H.size == 0:
        raise ValueError(f"H must not be empty, got shape {H.shape}")
    values = H.ravel()
    active = float(np.mean(np.abs(values) > tol))  # fraction of non-zero activations
    mean = float(np.mean(values))
    fig, ax = _figure_and_axes(ax, figsize=(6, 4))
    ax.hist(values, bins=bins, color="tab:blue")
    ax.set_xlabel("activation")
    ax.set_ylabel("count")
    ax.set_title(f"{title}: {active:.1%} non-zero, mean {mean:.3g}")
    return fig


def plot_reconstruction_grid(images_by_cell, row_labels, col_labels, image_shape, n_cols=None,
                             normalize="tile", cmap="gray", title="Reconstructions"):
    """Figure: a grid of mosaics, e.g. hidden sizes along rows x activations along columns.

    images_by_cell is a nested sequence [row][col] or a mapping {(row_label, col_label): X},
    each X (n, d) a few reconstructed images; a missing or None cell is left blank.
    """
    shape = _check_shape("image_shape", image_shape)
    row_labels, col_labels = list(row_labels), list(col_labels)
    if not row_labels or not col_labels:
        raise ValueError(f"row_labels and col_labels must be non-empty, got {row_labels!r} and {col_labels!r}")
    if isinstance(images_by_cell, Mapping):
        cells = [[images_by_cell.get((r, c)) for c in col_labels] for r in row_labels]
    else:
        cells = [list(row) for row in images_by_cell]
        if len(cells) != len(row_labels) or any(len(row) != len(col_labels) for row in cells):
            found = [len(row) for row in cells]
            raise ValueError(f"images_by_cell must be {len(row_labels)} rows x {len(col_labels)} columns "
                             f"to match the labels, got {len(cells)} rows of lengths {found}")

    fig = Figure(figsize=(2.0 * len(col_labels) + 0.8, 2.0 * len(row_labels) + 0.5), layout="constrained")
    axes = fig.subplots(len(row_labels), len(col_labels), squeeze=False)
    for i, row in enumerate(cells):
        for j, X in enumerate(row):
            ax = axes[i, j]
            if X is None:
                ax.text(0.5, 0.5, "n/a", ha="center", va="center", transform=ax.transAxes)
            else:
                image = mosaic(X, shape, n_cols=n_cols, normalize=normalize)
                ax.imshow(image, cmap=cmap, interpolation="nearest")
            _hide_ticks(ax)
    for j, label in enumerate(col_labels):
        axes[0, j].set_title(str(label))
    for i, label in enumerate(row_labels):
        axes[i, 0].set_ylabel(str(label))
    fig.suptitle(title)
    return fig
