"""Interactive explorers (ipywidgets + matplotlib Agg): train an autoencoder and watch it learn.

Every view is an ipywidgets.Image holding a PNG rendered by Agg from a `plotting` figure, so the explorers
need no matplotlib front-end extension and can be driven without a browser: set a control's `.value`,
call `.click()` on a button, then read the views' `.value` bytes. Training runs in a daemon thread
(background=True, the default) or in the caller's thread (background=False, for tests).

Modules: `render` (PNG rendering, status, threads), `datasets`, `base` (the base classes), and one per explorer.
"""

from .autoencoder_explorer import AutoencoderExplorer
from .base import INIT_SCALE
from .datasets import DATASETS, load_dataset
from .denoising_filters import DenoisingFiltersExplorer
from .pca_vs_autoencoder import PcaVsAutoencoderExplorer
from .sparsity import SparsityExplorer

__all__ = [
    "AutoencoderExplorer",
    "DenoisingFiltersExplorer",
    "PcaVsAutoencoderExplorer",
    "SparsityExplorer",
    "load_dataset",
    "DATASETS",
    "INIT_SCALE",
]
