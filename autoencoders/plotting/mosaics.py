"""Weight mosaics: tile the rows of a matrix (n_tiles, h*w) into one image, and draw it."""

import math

import numpy as np

from .._checks import check_int
from ._arrays import check_rows, check_shape
from ._axes import figure_and_axes, hide_ticks

_NORMALIZE = ("tile", "global", None)


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
    h, w = check_shape("tile_shape", tile_shape)
    W = check_rows("W", W, (h, w))
    if normalize not in _NORMALIZE:
        raise ValueError(f"normalize must be one of {_NORMALIZE}, got {normalize!r}")
    n = W.shape[0]
    n_cols = math.ceil(math.sqrt(n)) if n_cols is None else check_int("n_cols", n_cols, minimum=1)
    n_rows = math.ceil(n / n_cols)
    pad = check_int("pad", pad, minimum=0)

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
        image[top : top + h, left : left + w] = tiles[i]
    return image


def plot_mosaic(W, tile_shape, title="Weights", ax=None, cmap="gray", limit=None, **kw):
    """Figure of a weight mosaic: rows of W are tiles (encoder W1 as is; decoder atoms: pass W2.T).

    limit=m shows only the first m tiles (the title says so). Extra keywords (n_cols, pad, normalize,
    fill) go to `mosaic`.
    """
    n = np.shape(W)[0] if np.ndim(W) == 2 else 1
    if limit is not None and n > check_int("limit", limit, minimum=1):
        W, count = W[:limit], f"first {limit} of {n} tiles"
    else:
        count = f"{n} tiles"
    image = mosaic(W, tile_shape, **kw)
    fig, ax = figure_and_axes(ax, figsize=(6, 6))
    ax.imshow(image, cmap=cmap, interpolation="nearest")
    hide_ticks(ax)
    ax.set_title(f"{title} ({count})")
    return fig
