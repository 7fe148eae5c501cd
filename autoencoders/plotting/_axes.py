"""Axes helpers shared by every figure: a fresh Figure or the given Axes, bare Axes, grey messages."""

from matplotlib.figure import Figure


def figure_and_axes(ax, figsize):
    """Use the given Axes, or make a fresh single-Axes Figure (not registered with pyplot)."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def hide_ticks(ax):
    """Remove ticks and frame but keep the Axes so it can still carry labels."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def write_message(ax, message, x=0.5, ha="center"):
    """Write a grey message on an Axes and hide its ticks and frame."""
    ax.text(x, 0.5, message, ha=ha, va="center", transform=ax.transAxes, color="0.45")
    ax.set_axis_off()


def plot_message(message, ax=None):
    """Figure of an empty panel with a grey message, e.g. in place of a result not computed yet."""
    fig, ax = figure_and_axes(ax, figsize=(6, 4))
    write_message(ax, message)
    return fig
