"""Sparsity: sliders for the KL target rho and its weight beta on a sparse overcomplete MNIST autoencoder."""

import ipywidgets as W
import numpy as np

from .. import plotting
from ..models import Autoencoder
from ..penalties import KLSparsity
from ..settings import fast_mode
from .base import INIT_SCALE, CachedSliderExplorer
from .datasets import load_dataset
from .render import STYLE, figure, image_view, png


def filters_figure(W1, shape, title):
    """A mosaic of the first 64 encoder filters (rows of W1 (k, d)); W1=None shows the title as a note."""
    ax = figure(4.6, 4.6, left=0.01, right=0.99, bottom=0.01, top=0.93)[1][0, 0]
    if W1 is None:
        return plotting.plot_message(title, ax=ax)
    return plotting.plot_mosaic(W1, shape, title, ax=ax, limit=64)


def activations_figure(rho_hat, rho, title):
    """Histogram of the mean activation of each hidden unit (rho_hat (k,)) with the target rho marked."""
    ax = figure(5.4, 4.6, left=0.13, right=0.97, bottom=0.12, top=0.9)[1][0, 0]
    if rho_hat is None:
        return plotting.plot_message(title, ax=ax)
    fig = plotting.plot_hidden_activations(rho_hat, bins=30, ax=ax, title=title, rho=rho)
    ax.set_title(f"{title}; mean activation {float(np.mean(rho_hat)):.3g} (target {rho:g})")
    ax.set_xlabel("mean activation of a hidden unit over the test digits")
    ax.set_ylabel("hidden units")
    return fig


def _beta_label(beta):
    return "0 (no penalty)" if beta == 0 else f"{beta:g}"


class SparsityExplorer(CachedSliderExplorer):
    """rho and beta sliders: the filters, the mean activations against rho, and the reconstruction error."""

    CACHE_SETTINGS = (
        "n_hidden",
        "lr",
        "batch_size",
        "epochs",
        "seed",
    )  # what a result depends on besides its key and the data

    def __init__(
        self,
        rhos=(0.01, 0.05, 0.2),
        betas=(0.0, 0.5, 3.0),
        n_hidden=144,
        epochs=None,
        lr=0.005,
        batch_size=32,
        background=True,
        seed=0,
    ):
        if any(not 0 < rho < 1 for rho in rhos) or any(beta < 0 for beta in betas) or not rhos or not betas:
            raise ValueError(f"rhos must lie in (0, 1) and betas be >= 0, got rhos={rhos!r}, betas={betas!r}")
        self.rhos, self.betas, self.n_hidden, self.lr, self.batch_size = (
            tuple(rhos),
            tuple(betas),
            n_hidden,
            lr,
            batch_size,
        )
        self.epochs = (1 if fast_mode() else 4) if epochs is None else epochs
        self.seed = seed
        self.X_train, self.X_test, self.image_shape = load_dataset("mnist")
        rho_slider = W.SelectionSlider(
            options=[(f"{rho:g}", rho) for rho in self.rhos],
            value=self.rhos[1],
            description="target rho",
            style=STYLE,
            continuous_update=False,
        )
        self.beta_slider = W.SelectionSlider(
            options=[(_beta_label(beta), beta) for beta in self.betas],
            value=self.betas[-1],
            description="weight beta",
            style=STYLE,
            continuous_update=False,
        )
        self.views = {
            "filters": image_view("ae-view-filters", 460),
            "activations": image_view("ae-view-activations", 540),
        }
        self.views["activations"].add_class("ae-key-view")
        self._init_cache(rho_slider, [W.HBox([self.views["filters"], self.views["activations"]])], background)
        self.ui.children = (rho_slider, self.beta_slider, *self.ui.children[1:])
        self.beta_slider.observe(self._on_slider, names="value")
        self.redraw()
        if background:
            self.precompute()

    def _current(self):
        return (self.slider.value, self.beta_slider.value)

    def _keys(self):
        return [(rho, beta) for beta in self.betas for rho in self.rhos]

    def _label(self, key):
        rho, beta = key
        return f"rho {rho:g}, beta {_beta_label(beta)}"

    def _compute(self, key, report):
        """Train a sigmoid autoencoder with cross-entropy (+ beta KL(rho)); keep W1, the mean activations, the error."""
        rho, beta = key
        model = Autoencoder(
            self.n_hidden,
            hidden="sigmoid",
            output="sigmoid",
            loss="bce",
            penalties=(KLSparsity(rho=rho, beta=beta),) if beta > 0 else (),
            init="normal",
            init_scale=INIT_SCALE,
            seed=self.seed,
        )
        params, _ = self._train(model, report, lr=self.lr, epochs=self.epochs, batch_size=self.batch_size)
        X_hat = model.forward(params, self.X_test)[0]  # (n, d)
        H = model.loss_and_grads(params, self.X_test, return_hidden=True)[2]  # (n, k) hidden activations
        error = float(np.mean(np.sum((X_hat - self.X_test) ** 2, axis=1)))  # squared error per test digit
        return {"W1": params["W1"], "rho_hat": H.mean(axis=0), "error": error}

    def redraw(self):
        """Show the cached filters and mean activations of the current (rho, beta), or a 'training' note."""
        rho, beta = self._current()
        result = self.cache.get((rho, beta))
        if result is None:
            note = f"training with rho {rho:g}, beta {_beta_label(beta)}..."
            self.views["filters"].value = png(filters_figure, None, self.image_shape, note)
            self.views["activations"].value = png(activations_figure, None, rho, note)
            return
        self.views["filters"].value = png(
            filters_figure, result["W1"], self.image_shape, f"Encoder filters (rho {rho:g}, beta {_beta_label(beta)})"
        )
        self.views["activations"].value = png(
            activations_figure, result["rho_hat"], rho, f"Squared error per digit {result['error']:.1f}"
        )
