"""What every explorer shares below its widgets: figures to PNG, image views, status lines, worker threads."""

import io
import threading

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from .. import plotting
from ..settings import one_blas_thread

DPI = 100
FONT = 8  # labels; titles and messages FONT + 1, ticks and legends FONT - 1
RENDER_LOCK = threading.Lock()  # matplotlib is not thread-safe: one figure is drawn at a time
STYLE = {"description_width": "110px"}  # control labels
PLOT_MARGINS = {"left": 0.16, "right": 0.97, "bottom": 0.17, "top": 0.89}  # room for labels and a title


def figure(width, height, n_rows=1, n_cols=1, **margins):
    """(Figure, axes (n_rows, n_cols)) with fixed margins: not registered with pyplot, no layout engine (2x faster)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.subplots_adjust(**margins)
    return fig, fig.subplots(n_rows, n_cols, squeeze=False)


def rows_figure(rows, labels, shape, title):
    """Rows of images (n, h*w) in [0, 1], e.g. original / noisy / reconstruction; a None row says 'training...'."""
    height = 0.85 * len(rows) + 0.35  # inches: 0.85 per strip and 0.35 for the title
    fig, axes = figure(7.4, height, len(rows), 1, left=0.13, right=0.99, bottom=0.02, top=1 - 0.3 / height, hspace=0.08)
    n = max(len(R) for R in rows if R is not None)
    return plotting.plot_reconstructions(
        rows, shape, row_labels=labels, n=n, vmin=0, vmax=1, title=title, axes=axes[:, 0], pending="training..."
    )


def compact(fig):
    """Shrink the text of a figure built by `plotting` to the explorers' small font sizes."""
    for ax in fig.axes:
        ax.title.set_fontsize(FONT + 1)
        ax.xaxis.label.set_fontsize(FONT)
        ax.yaxis.label.set_fontsize(FONT)
        ax.tick_params(labelsize=FONT - 1)
        for text in ax.texts:  # messages such as "training..."
            text.set_fontsize(FONT + 1)
        if ax.get_legend() is not None:
            ax.legend(fontsize=FONT - 1)  # rebuilt: a legend lays itself out for its font size
    for text in fig.texts:  # the suptitle
        text.set_fontsize(FONT + 1)
    return fig


def png(build, *args, **kwargs):
    """PNG bytes of the Figure that build(*args, **kwargs) returns, in compact fonts (Agg, under the render lock)."""
    buf = io.BytesIO()
    with RENDER_LOCK, np.errstate(all="ignore"):  # a diverged model may hold inf: draw it, don't warn
        fig = compact(build(*args, **kwargs))
        fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})  # fast, still lossless
    return buf.getvalue()


def image_view(cls, width):
    """An empty PNG Image view with a CSS class (the browser test finds views by class)."""
    view = W.Image(format="png", layout=W.Layout(width=f"{width}px", height="auto"))
    view.add_class(cls)
    return view


def show_status(widget, message, error=False):
    """Show a status message; errors are red and tag the widget with the CSS class ae-error."""
    colour = "#b00020" if error else "#333"
    widget.value = f"<span style='color:{colour}'>{message}</span>"
    (widget.add_class if error else widget.remove_class)("ae-error")


def start(target, background):
    """Run target() with one BLAS thread, in a daemon thread (returned) or right here (returns None)."""

    def run():
        with one_blas_thread():  # small matrices: threads only wait for each other, and a core stays free
            target()

    if not background:
        run()
        return None
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def close_tree(widget):
    """Close a widget and all its descendants (and nothing else)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
