"""PCA against a linear autoencoder: a slider over the code size k, reconstructions and errors side by side."""

import dataclasses

import ipywidgets as W
import numpy as np

from .. import losses, optim, plotting
from .. import pca as pca_
from ..models import Autoencoder
from ..settings import fast_mode, one_blas_thread
from .base import CachedSliderExplorer
from .datasets import load_dataset
from .render import PLOT_MARGINS, STYLE, figure, image_view, png, rows_figure


def leading(fit, k):
    """The PCA fit restricted to its top k components (principal subspaces are nested)."""
    return dataclasses.replace(
        fit,
        components_=fit.components_[:k],
        explained_variance_=fit.explained_variance_[:k],
        explained_variance_ratio_=fit.explained_variance_ratio_[:k],
    )


def errors_figure(pca_errors, ae_errors, k):
    """Test MSE against k: PCA for every k, the linear autoencoder for the k computed so far ({k: error} each)."""
    ax = figure(4.0, 2.6, **PLOT_MARGINS)[1][0, 0]
    return plotting.plot_error_vs_code_size({"PCA": pca_errors, "linear autoencoder": ae_errors}, current=k, ax=ax)


class PcaVsAutoencoderExplorer(CachedSliderExplorer):
    """A slider over k: PCA and a linear autoencoder with k hidden units, reconstructions and errors side by side."""

    CACHE_SETTINGS = ("maxiter", "tolerance", "n_show", "seed")  # what a result depends on besides key and data

    def __init__(
        self, ks=(1, 2, 5, 10, 25, 50), k=10, maxiter=None, tolerance=0.005, n_show=10, background=True, seed=0
    ):
        self.ks, self.n_show, self.seed = tuple(ks), n_show, seed
        if k not in self.ks:
            raise ValueError(f"k must be one of ks={self.ks}, got {k!r}")
        if not 0 <= tolerance < 1:
            raise ValueError(f"tolerance must be in [0, 1), got {tolerance!r}")
        self.maxiter = (40 if fast_mode() else 400) if maxiter is None else maxiter
        self.tolerance = tolerance  # training stops this close to PCA's training loss (see _compute)
        self._fits = {}  # k -> trained parameters, in memory: warm starts for larger k
        self.X_train, self.X_test, self.image_shape = load_dataset("mnist")
        with one_blas_thread():
            self.pca = pca_.pca(self.X_train, max(self.ks))  # nested: the top k of the top max(ks)
        self._pca_errors = {}  # k -> test MSE of PCA
        slider = W.SelectionSlider(
            options=list(self.ks), value=k, description="k (code size)", style=STYLE, continuous_update=False
        )
        self.views = {"recon": image_view("ae-view-recon", 740), "errors": image_view("ae-view-errors", 400)}
        self.views["recon"].add_class("ae-key-view")
        self._init_cache(slider, [self.views["recon"], self.views["errors"]], background)
        self.redraw()
        if background:
            self.precompute()

    def _keys(self):
        return self.ks

    def _label(self, k):
        return f"the linear autoencoder with k={k}"

    def pca_reconstruct(self, X, k):
        """X (N, d) projected on the top-k principal subspace of the training set: (N, d)."""
        fit = leading(self.pca, k)
        return fit.inverse_transform(fit.transform(X))  # (N, d) -> (N, k) -> (N, d)

    def pca_error(self, k):
        """Per-pixel test MSE of PCA with k components (computed once)."""
        if k not in self._pca_errors:
            self._pca_errors[k] = pca_.reconstruction_error(self.X_test, self.pca_reconstruct(self.X_test, k))
        return self._pca_errors[k]

    def _compute(self, k, report):
        """Fit a linear autoencoder (identity activations, biases, SSE) with k units by L-BFGS.

        It starts from the largest smaller k already fitted in this session (those units kept, the new ones
        random) and stops after maxiter iterations, or once it has gained all but a fraction `tolerance` of
        what PCA gains over the mean image: PCA's training loss is the lowest any linear code of k numbers
        can reach.
        """
        model = Autoencoder(k, hidden="identity", output="identity", seed=self.seed)
        params = self._warm_start(k, model.init_params(self.X_train.shape[1]))
        loss = losses.LOSSES[model.loss]
        pca_loss = loss(self.pca_reconstruct(self.X_train, k), self.X_train)[0]  # the optimum
        mean_loss = loss(np.broadcast_to(self.pca.mean_, self.X_train.shape), self.X_train)[0]  # k = 0
        good_enough = pca_loss + self.tolerance * (mean_loss - pca_loss)  # within tolerance of PCA's gain
        last, count = [np.inf], [0]

        def objective(p):
            last[0], grads = model.loss_and_grads(p, self.X_train)
            return last[0], grads

        def callback(_):
            count[0] += 1
            report(min(1.0, count[0] / self.maxiter))
            if self._stop.is_set():
                raise InterruptedError("stopped")
            if last[0] <= good_enough:
                raise StopIteration  # scipy ends the run and keeps these parameters

        params, _ = optim.lbfgs(objective, params, self.maxiter, callback)
        self._fits[k] = params
        X_hat = model.forward(params, self.X_test)[0]
        # the decoder's columns (d, k) span the autoencoder's subspace; PCA's is components_[:k].T (d, k)
        angles = pca_.principal_angles(model.decoder_weight(params), self.pca.components_[:k].T)
        return {
            "X_hat": X_hat[: self.n_show],
            "error": pca_.reconstruction_error(self.X_test, X_hat),
            "angle": float(np.degrees(np.median(angles))),
            "iterations": count[0],
        }

    def _warm_start(self, k, params):
        """params (fresh, k units) with its first units replaced by the largest smaller fit of this session."""
        smaller = [kk for kk in self._fits if kk < k]
        if not smaller:
            return params
        fit = self._fits[max(smaller)]
        j = fit["W1"].shape[0]
        params["W1"][:j], params["W2"][:, :j] = fit["W1"], fit["W2"]  # (k, d) rows and (d, k) columns
        params["b1"][:j], params["b2"][:] = fit["b1"], fit["b2"]
        return params

    def redraw(self):
        """Show reconstructions for the slider's k and the error-versus-k curves."""
        k = self.slider.value
        X = self.X_test[: self.n_show]
        result = self.cache.get(k)
        e_pca = self.pca_error(k)
        title = f"k = {k}, test MSE per pixel: PCA {e_pca:.4f}"
        if result is not None:
            title += (
                f", linear AE {result['error']:.4f} ({result['error'] / e_pca:.2f}× PCA); "
                f"median angle between subspaces {result['angle']:.1f}°"
            )
        rows = [X, self.pca_reconstruct(X, k), None if result is None else result["X_hat"]]
        self.views["recon"].value = png(
            rows_figure, rows, ["original", f"PCA k={k}", f"linear AE k={k}"], self.image_shape, title
        )
        ae_errors = {kk: r["error"] for kk, r in self.cache.items()}
        self.views["errors"].value = png(errors_figure, {kk: self.pca_error(kk) for kk in self.ks}, ae_errors, k)
