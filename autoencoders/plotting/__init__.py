"""Figures for the course: weight mosaics, learning curves, reconstructions, activations.

Every plot function returns a matplotlib Figure and never calls plt.show(); these are all the
figure builders of the package (the explorers in `autoencoders.widgets` draw them on their own Axes).
Without `ax`, the Figure is built directly (not registered with pyplot), so a
notebook shows it exactly once when it is the cell's last expression; elsewhere
use `display(fig)` or `fig.savefig(path)`.

Modules: `mosaics` (`mosaic`, the tiled image array, and `plot_mosaic`), `curves` (`moving_average`,
`plot_learning_curves`, `plot_error_vs_code_size`), `images` (`plot_reconstructions`,
`plot_reconstruction_grid`), `hidden` (`plot_hidden_activations`), and the shared helpers `_axes`
(a Figure or the given Axes, bare Axes, grey messages, `plot_message`) and `_arrays` (image-array checks).
"""

from ._axes import plot_message
from .curves import moving_average, plot_error_vs_code_size, plot_learning_curves
from .hidden import plot_hidden_activations
from .images import plot_reconstruction_grid, plot_reconstructions
from .mosaics import mosaic, plot_mosaic

__all__ = [
    "mosaic",
    "plot_mosaic",
    "moving_average",
    "plot_learning_curves",
    "plot_error_vs_code_size",
    "plot_reconstructions",
    "plot_reconstruction_grid",
    "plot_hidden_activations",
    "plot_message",
]
