"""Image figures: rows of reconstructions (original / noisy / reconstructed) and a grid of mosaics."""

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from .._checks import check_int
from ._arrays import check_rows, check_shape
from ._axes import hide_ticks, write_message
from .mosaics import mosaic


def _strip(ax, R, shape, label, cmap, vmin, vmax):
    """Images R (n, h*w) side by side in one Axes, 1 pixel apart, with the row label on the left."""
    if vmin is None and vmax is None:  # each image scaled on its own
        image, lo, hi = mosaic(R, shape, n_cols=len(R), normalize="tile", fill=1.0), 0.0, 1.0
    else:  # one scale for the row; a missing bound is the row's own min or max
        lo = float(R.min()) if vmin is None else vmin
        hi = float(R.max()) if vmax is None else vmax
        image = mosaic(np.clip(R, lo, hi), shape, n_cols=len(R), normalize=None, fill=hi)
    ax.imshow(image, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")  # padding: the top colour
    hide_ticks(ax)
    ax.set_ylabel(label, rotation=0, ha="right", va="center")


def plot_reconstructions(
    rows,
    image_shape,
    row_labels=None,
    n=10,
    cmap="gray",
    vmin=None,
    vmax=None,
    title="Reconstructions",
    axes=None,
    pending="pending...",
):
    """Figure with one row of n images per array in `rows` (each (N, d)), e.g. original / noisy / reconstructed.

    row_labels defaults to ("original", "reconstructed") for 2 rows,
    ("original", "noisy", "reconstructed") for 3, else "row 0", "row 1", ...
    Each image is scaled on its own unless vmin/vmax are given. A row that is None (not computed yet)
    shows "<label>: <pending>". Without `axes` every image gets an Axes of its own; with `axes` (one
    Axes per row, e.g. of a figure with fixed margins) each row is drawn as one strip: much faster.
    """
    shape = check_shape("image_shape", image_shape)
    if isinstance(rows, np.ndarray) and rows.ndim == 2:
        rows = [rows]
    rows = [None if R is None else check_rows(f"rows[{i}]", R, shape) for i, R in enumerate(rows)]
    if not rows:
        raise ValueError("rows must hold at least one (N, d) array, got none")
    if row_labels is None:
        defaults = {2: ("original", "reconstructed"), 3: ("original", "noisy", "reconstructed")}
        row_labels = defaults.get(len(rows), [f"row {i}" for i in range(len(rows))])
    if len(row_labels) != len(rows):
        raise ValueError(f"row_labels must have one label per row ({len(rows)}), got {list(row_labels)!r}")
    n = min([check_int("n", n, minimum=1)] + [R.shape[0] for R in rows if R is not None])

    if axes is not None:
        axes = list(np.ravel(axes))
        if len(axes) != len(rows):
            raise ValueError(f"axes must hold one Axes per row ({len(rows)}), got {len(axes)}")
        for ax, R, label in zip(axes, rows, row_labels):
            if R is None:
                write_message(ax, f"{label}: {pending}")
            else:
                _strip(ax, R[:n], shape, label, cmap, vmin, vmax)
        fig = axes[0].figure
    else:
        fig = Figure(figsize=(1.0 * n, 1.1 * len(rows) + 0.4), layout="constrained")
        grid = fig.subplots(len(rows), n, squeeze=False)
        for r, (R, label) in enumerate(zip(rows, row_labels)):
            for j, ax in enumerate(grid[r]):
                if R is None:
                    ax.set_axis_off()
                    continue
                ax.imshow(R[j].reshape(shape), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
                hide_ticks(ax)
            if R is None:
                write_message(grid[r, 0], f"{label}: {pending}", x=0.0, ha="left")
            else:
                grid[r, 0].set_ylabel(label)
    fig.suptitle(title)
    return fig


def plot_reconstruction_grid(
    images_by_cell,
    row_labels,
    col_labels,
    image_shape,
    n_cols=None,
    normalize="tile",
    cmap="gray",
    title="Reconstructions",
):
    """Figure: a grid of mosaics, e.g. hidden sizes along rows x activations along columns.

    images_by_cell is a nested sequence [row][col] or a mapping {(row_label, col_label): X},
    each X (n, d) a few reconstructed images; a missing or None cell is left blank.
    """
    shape = check_shape("image_shape", image_shape)
    row_labels, col_labels = list(row_labels), list(col_labels)
    if not row_labels or not col_labels:
        raise ValueError(f"row_labels and col_labels must be non-empty, got {row_labels!r} and {col_labels!r}")
    if isinstance(images_by_cell, Mapping):
        cells = [[images_by_cell.get((r, c)) for c in col_labels] for r in row_labels]
    else:
        cells = [list(row) for row in images_by_cell]
        if len(cells) != len(row_labels) or any(len(row) != len(col_labels) for row in cells):
            found = [len(row) for row in cells]
            raise ValueError(
                f"images_by_cell must be {len(row_labels)} rows x {len(col_labels)} columns "
                f"to match the labels, got {len(cells)} rows of lengths {found}"
            )

    images = [
        [None if X is None else mosaic(X, shape, n_cols=n_cols, normalize=normalize) for X in row] for row in cells
    ]
    # each panel is sized to its mosaic (height / width), so the rows sit close with no white bands between them
    aspect = max((im.shape[0] / im.shape[1] for row in images for im in row if im is not None), default=1.0)
    width = 2.4 if aspect < 1 else 2.0  # inches per panel: wide mosaics get a little more
    figsize = (width * len(col_labels) + 0.8, width * aspect * len(row_labels) + 0.1 * len(row_labels) + 0.6)
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(len(row_labels), len(col_labels), squeeze=False)
    for i, row in enumerate(images):
        for j, image in enumerate(row):
            ax = axes[i, j]
            if image is None:
                ax.text(0.5, 0.5, "n/a", ha="center", va="center", transform=ax.transAxes)
            else:
                ax.imshow(image, cmap=cmap, interpolation="nearest")
            hide_ticks(ax)
    for j, label in enumerate(col_labels):
        axes[0, j].set_title(str(label))
    for i, label in enumerate(row_labels):
        axes[i, 0].set_ylabel(str(label))
    fig.suptitle(title)
    return fig
