"""Denoising filters: a slider over the masking level shows the encoder filters a denoising autoencoder learns."""

import ipywidgets as W
import numpy as np

from .. import noise as noises
from .. import plotting
from ..models import Autoencoder
from ..settings import fast_mode
from .base import INIT_SCALE, CachedSliderExplorer
from .datasets import load_dataset
from .render import STYLE, figure, image_view, png, rows_figure


def filters_figure(W1, shape, title):
    """A mosaic of the encoder filters (rows of W1 (k, d)); W1=None shows the title as a 'training' note."""
    ax = figure(5.2, 5.2, left=0.01, right=0.99, bottom=0.01, top=0.95)[1][0, 0]
    if W1 is None:
        return plotting.plot_message(title, ax=ax)
    return plotting.plot_mosaic(W1, shape, title, ax=ax, limit=144)


def denoising_row(model, params, X, level, seed):
    """(X_masked, X_hat): X (n, d) with a fraction `level` of pixels zeroed, and its reconstruction."""
    X_noisy = noises.corrupt(X, "masking", level, np.random.default_rng(seed))
    return X_noisy, model.forward(params, X_noisy)[0]


class DenoisingFiltersExplorer(CachedSliderExplorer):
    """A slider over the masking level shows the first-layer filters a denoising autoencoder learns there."""

    CACHE_SETTINGS = (
        "n_hidden",
        "lr",
        "batch_size",
        "epochs",
        "n_show",
        "seed",
    )  # what a result depends on besides its key and the data

    def __init__(
        self,
        levels=(0.0, 0.1, 0.25, 0.5),
        n_hidden=144,
        epochs=None,
        lr=0.01,
        batch_size=32,
        n_show=10,
        background=True,
        seed=0,
    ):
        self.levels, self.n_hidden, self.lr, self.batch_size = tuple(levels), n_hidden, lr, batch_size
        # 40 epochs at 0.01: long enough that the filters at 0 % (speckled) and 50 % (strokes and blobs) differ plainly
        self.epochs = (2 if fast_mode() else 40) if epochs is None else epochs
        self.n_show, self.seed = n_show, seed
        self.X_train, self.X_test, self.image_shape = load_dataset("mnist")
        slider = W.SelectionSlider(
            options=[(f"{level:.0%}", level) for level in self.levels],
            value=self.levels[0],
            description="destroyed",
            style=STYLE,
            continuous_update=False,
        )
        self.views = {"filters": image_view("ae-view-filters", 520), "recon": image_view("ae-view-recon", 740)}
        self.views["filters"].add_class("ae-key-view")
        self._init_cache(slider, [self.views["filters"], self.views["recon"]], background)
        self.redraw()
        if background:
            self.precompute()

    def _keys(self):
        return self.levels

    def _label(self, level):
        return f"masking {level:.0%}"

    def _compute(self, level, report):
        """Train a tied sigmoid autoencoder with cross-entropy on MNIST masked at `level`; keep W1 and a row."""
        model = Autoencoder(
            self.n_hidden,
            hidden="sigmoid",
            output="sigmoid",
            loss="bce",
            tied=True,
            noise="masking" if level > 0 else None,
            noise_level=level,
            init="normal",
            init_scale=INIT_SCALE,
            seed=self.seed,
        )
        params, history = self._train(
            model, report, self.X_test, lr=self.lr, epochs=self.epochs, batch_size=self.batch_size
        )
        X = self.X_test[: self.n_show]
        X_noisy, X_hat = denoising_row(model, params, X, level, self.seed + 1)
        return {"W1": params["W1"], "test_loss": history.test_loss[-1], "rows": [X, X_noisy, X_hat]}

    def redraw(self):
        """Show the cached filters and reconstructions for the slider's level (or a 'training' note)."""
        level = self.slider.value
        result = self.cache.get(level)
        if result is None:
            filters = png(
                filters_figure, None, self.image_shape, f"training the autoencoder for masking {level:.0%}..."
            )
            rows = [self.X_test[: self.n_show], None, None]
        else:
            filters = png(
                filters_figure,
                result["W1"],
                self.image_shape,
                f"Encoder filters, {level:.0%} of pixels destroyed (test loss {result['test_loss']:.1f})",
            )
            rows = result["rows"]
        self.views["filters"].value = filters
        self.views["recon"].value = png(
            rows_figure,
            rows,
            ["original", "masked", "reconstruction"],
            self.image_shape,
            f"Denoising at {level:.0%} masking",
        )
