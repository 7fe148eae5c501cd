"""Interactive explorers (ipywidgets + matplotlib Agg): train an autoencoder and watch it learn.

Every view is an ipywidgets.Image holding a PNG rendered by Agg, so the explorers need no
matplotlib front-end extension and can be driven without a browser: set a control's `.value`,
call `.click()` on a button, then read the views' `.value` bytes. Training runs in a daemon
thread (background=True, the default) or in the caller's thread (background=False, for tests).
"""
import contextlib
import io
import os
import threading
import time

import ipywidgets as W
import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from . import data, noise as noises, optim, pca as pca_, plotting
from .models import Autoencoder
from .penalties import KLSparsity
from .training import train as train_loop

__all__ = ["AutoencoderExplorer", "DenoisingFiltersExplorer", "PcaVsAutoencoderExplorer", "load_dataset"]

_DPI = 100
_FONT = 8
_RENDER_LOCK = threading.Lock()  # matplotlib is not thread-safe: one figure is drawn at a time
_STYLE = {"description_width": "110px"}
# Weights start as N(0, 0.01^2): weights of pixels that are always 0 (MNIST's border) get no gradient, and
# larger random starts would stay visible as noise in every filter mosaic.
INIT_SCALE = 0.01


def _fast():
    """True when AUTOENCODERS_FAST=1: smaller data and fewer epochs, same code paths."""
    return os.environ.get("AUTOENCODERS_FAST", "") not in ("", "0")


# --------------------------------------------------------------------------- data

DATASETS = {"MNIST subset": "mnist", "8x8 digits": "digits", "random 10x10 images": "random",
            "natural patches 8x8": "patches"}
_DATA_CACHE = {}


def load_dataset(name):
    """(X_train, X_test, image_shape) for an explorer dataset, pixels in [0, 1]; cached per process."""
    if name not in DATASETS.values():
        raise ValueError(f"name must be one of {sorted(DATASETS.values())}, got {name!r}")
    key = (name, _fast())
    if key not in _DATA_CACHE:
        fast = _fast()
        if name == "mnist":
            ds = data.load_mnist(source="subset", n_train=500 if fast else 2000,
                                 test_size=200 if fast else 500, verbose=False)
            split = ds.X_train, ds.X_test, (28, 28)
        elif name == "digits":
            ds = data.load_digits()
            split = ds.X_train, ds.X_test, (8, 8)
        elif name == "random":
            X = data.random_images(n=600, size=10, seed=0)  # (600, 100)
            split = X[:500], X[500:], (10, 10)
        else:
            n_test = 200 if fast else 500
            X = data.natural_patches(n=10 * n_test, patch_size=8, seed=0)  # (n, 64)
            split = X[n_test:], X[:n_test], (8, 8)
        _DATA_CACHE[key] = split
    return _DATA_CACHE[key]


# --------------------------------------------------------------------------- rendering

def _png(build, *args, **kwargs):
    """PNG bytes of the Figure that build(*args, **kwargs) returns (Agg, under the render lock)."""
    buf = io.BytesIO()
    with _RENDER_LOCK, np.errstate(all="ignore"):  # a diverged model may hold inf: draw it, don't warn
        fig = build(*args, **kwargs)
        fig.savefig(buf, format="png", dpi=_DPI, pil_kwargs={"compress_level": 1})  # fast, still lossless
    return buf.getvalue()


_PLOT_MARGINS = {"left": 0.16, "right": 0.97, "bottom": 0.17, "top": 0.89}  # room for labels and title


def _figure(width, height, n_rows=1, n_cols=1, **margins):
    """A Figure (not registered with pyplot) with fixed margins (a layout engine would double the cost)."""
    fig = Figure(figsize=(width, height), dpi=_DPI)
    fig.subplots_adjust(**margins)
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    for ax in axes.ravel():
        ax.tick_params(labelsize=_FONT - 1)
    return fig, axes


def _blank(ax, message):
    """An empty panel with a grey message."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.45", fontsize=_FONT + 1)
    ax.set_axis_off()


def _strip(ax, X, shape, label):
    """One row of images (n, h*w) side by side on a white background, clipped to [0, 1]."""
    image = plotting.mosaic(np.clip(X, 0, 1), shape, n_cols=len(X), normalize=None, pad=1, fill=1.0)
    ax.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylabel(label, fontsize=_FONT, rotation=0, ha="right", va="center")


def _tiles(ax, W_rows, shape, title, limit=144):
    """A mosaic of the first `limit` rows of W_rows (each tile rescaled on its own)."""
    n = len(W_rows)
    ax.imshow(plotting.mosaic(W_rows[:limit], shape), cmap="gray", interpolation="nearest")
    ax.set_axis_off()
    ax.set_title(title + (f" (first {limit} of {n})" if n > limit else f" ({n} units)"), fontsize=_FONT + 1)


def loss_figure(history):
    """Training objective per step (raw and smoothed) and test objective, on a log scale."""
    fig, axes = _figure(3.6, 2.5, **_PLOT_MARGINS)
    ax = axes[0, 0]
    if history is None or not history.loss:
        _blank(ax, "press Train to see the loss curve")
        return fig
    steps, loss = np.asarray(history.steps), np.asarray(history.loss)
    ax.plot(steps, loss, color="C0", alpha=0.3, lw=1)
    smooth = plotting.moving_average(loss, max(1, min(25, len(loss) // 5)))
    ax.plot(steps, smooth, color="C0", lw=1.5, marker="o" if len(loss) == 1 else None, label="train")
    if history.test_loss:
        ax.plot(history.test_steps, history.test_loss, color="C1", lw=1.5, marker="o", ms=2.5, label="test")
    if np.all(loss > 0) and np.all(np.asarray(history.test_loss) > 0):
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 3.0, 5.0)))  # 10, 20, 30, 50: readable
        ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_xlabel("step", fontsize=_FONT)
    ax.set_ylabel("objective", fontsize=_FONT)
    ax.set_title(f"Loss: train {smooth[-1]:.4g}" + (f", test {history.test_loss[-1]:.4g}" if history.test_loss
                                                    else ""), fontsize=_FONT + 1)
    ax.legend(fontsize=_FONT - 1)
    return fig


def hidden_figure(H, rho=None):
    """Histogram of hidden activations H (N, k) with the mean activation and the fraction near zero."""
    fig, axes = _figure(3.6, 2.5, **_PLOT_MARGINS)
    ax = axes[0, 0]
    H = H[np.isfinite(H)]
    if H.size == 0:
        _blank(ax, "no finite hidden activations")
        return fig
    counts, edges = np.histogram(H, bins=40)
    ax.stairs(counts, edges, fill=True, color="C2")  # one patch: much faster than ax.hist's 40
    mean, near_zero = float(H.mean()), float(np.mean(np.abs(H) < 0.05))
    if rho is not None:
        ax.axvline(rho, color="C3", lw=1.5, label=f"target rho = {rho:g}")
        ax.legend(fontsize=_FONT - 1)
    ax.set_xlabel("activation h", fontsize=_FONT)
    ax.set_ylabel("count", fontsize=_FONT)
    ax.set_title(f"Hidden: mean {mean:.3f}, {near_zero:.0%} of |h| < 0.05", fontsize=_FONT + 1)
    return fig


def weights_figure(W1, W2, shape, tied=False):
    """Encoder filters (rows of W1) and decoder atoms (columns of W2) as two mosaics."""
    fig, axes = _figure(7.4, 3.7, 1, 2, left=0.01, right=0.99, bottom=0.01, top=0.93, wspace=0.05)
    _tiles(axes[0, 0], W1, shape, "Encoder W1 rows")
    _tiles(axes[0, 1], W2.T, shape, "Decoder W2 columns" + (" = W1 rows (tied)" if tied else ""))
    return fig


def reconstruction_figure(rows, labels, shape, title):
    """Rows of images, e.g. original / noisy / reconstruction, one strip per row."""
    height = 0.85 * len(rows) + 0.35
    fig, axes = _figure(7.4, height, len(rows), 1, left=0.13, right=0.99, bottom=0.02, top=1 - 0.3 / height,
                        hspace=0.08)
    for ax, X, label in zip(axes[:, 0], rows, labels):
        if X is None:
            _blank(ax, f"{label}: training...")
        else:
            _strip(ax, X, shape, label)
    fig.suptitle(title, fontsize=_FONT + 1)
    return fig


def _image(cls, width):
    """An empty PNG Image view with a CSS class (the browser test finds views by class)."""
    view = W.Image(format="png", layout=W.Layout(width=f"{width}px", height="auto"))
    view.add_class(cls)
    return view


def _status(widget, message, error=False):
    """Show a status message; errors are red and tag the widget with the CSS class ae-error."""
    colour = "#b00020" if error else "#333"
    widget.value = f"<span style='color:{colour}'>{message}</span>"
    (widget.add_class if error else widget.remove_class)("ae-error")


def _one_blas_thread():
    """Context: single-threaded BLAS while the explorers compute.

    Their matrices are small: on a busy machine, BLAS threads mostly wait for each other (an SVD of
    500 MNIST images took 3.7 s with threads and 0.3 s without on a loaded 2-core box), and a free
    core keeps the notebook responsive. The limit is process-wide while it lasts.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
        return threadpool_limits(limits=1, user_api="blas")
    except Exception:  # no threadpoolctl, or it cannot inspect this process: just run as is
        return contextlib.nullcontext()


def _start(target, background):
    """Run target() with one BLAS thread, in a daemon thread (returned) or right here (returns None)."""
    def run():
        with _one_blas_thread():
            target()

    if not background:
        run()
        return None
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


class _Explorer:
    """Shared plumbing: a root widget with a busy flag, display, a worker thread, stop and close."""

    def _init_root(self, children, background):
        self.background = background
        self.error = None  # the last exception a run raised, if any
        self._thread = None
        self._stop = threading.Event()
        self.ui = W.VBox(children)
        self.ui.add_class("ae-explorer")

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)

    @property
    def running(self):
        """True while a background run is in progress."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout=None):
        """Block until the background run (if any) finishes; returns self."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self

    def _busy(self, on):
        (self.ui.add_class if on else self.ui.remove_class)("ae-busy")

    def close(self):
        """Stop any run and close the widgets."""
        self._stop.set()
        self.wait(10)
        _close_tree(self.ui)


def _close_tree(widget):
    """Close a widget and all its descendants (and nothing else)."""
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()


# --------------------------------------------------------------------------- the main explorer

class AutoencoderExplorer(_Explorer):
    """Controls for data, architecture, noise, sparsity and optimiser; Train shows live curves, weights and codes."""

    def __init__(self, dataset="mnist", n_hidden=49, hidden="sigmoid", output="identity", tied=False,
                 noise=None, noise_level=0.25, beta=0.0, rho=0.05, optimizer="adam", lr=0.003,
                 epochs=None, batch_size=64, n_show=10, redraw_every=0.5, background=True, seed=0):
        epochs = (2 if _fast() else 10) if epochs is None else epochs
        self.batch_size, self.n_show, self.redraw_every, self.seed = batch_size, n_show, redraw_every, seed
        acts = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
        self.dataset = W.Dropdown(options=list(DATASETS.items()), value=dataset, description="dataset", style=_STYLE)
        self.n_hidden = W.IntSlider(n_hidden, min=1, max=256, description="hidden units", style=_STYLE)
        self.hidden = W.Dropdown(options=acts, value=hidden, description="hidden act.", style=_STYLE)
        self.output = W.Dropdown(options=["identity", "sigmoid", "relu"], value=output, description="output act.",
                                 style=_STYLE)
        self.tied = W.Checkbox(tied, description="tied weights (W2 = W1ᵀ)", indent=False)
        self.noise = W.Dropdown(options=[("none", "none"), ("masking", "masking"), ("gaussian", "gaussian"),
                                         ("salt & pepper", "salt_and_pepper")], value=noise or "none",
                                description="noise", style=_STYLE)  # "none", not None: None shows a blank box
        self.noise.add_class("ae-noise")
        self.noise_level = W.FloatSlider(noise_level, min=0.0, max=1.0, step=0.05, description="noise level",
                                         style=_STYLE, continuous_update=False)
        self.noise_level.add_class("ae-noise-level")
        self.noise_level.add_class("ae-key-slider")
        self.beta = W.FloatSlider(beta, min=0.0, max=5.0, step=0.1, description="sparsity β", style=_STYLE,
                                  continuous_update=False)
        self.rho = W.FloatSlider(rho, min=0.01, max=0.5, step=0.01, description="sparsity ρ", style=_STYLE,
                                 continuous_update=False)
        self.optimizer = W.Dropdown(options=sorted(optim.RULES), value=optimizer, description="optimiser",
                                    style=_STYLE)
        self.lr = W.FloatLogSlider(lr, base=10, min=-4, max=0, step=0.1, description="step size", style=_STYLE,
                                   readout_format=".1e", continuous_update=False)
        self.epochs = W.IntSlider(epochs, min=1, max=100, description="epochs", style=_STYLE,
                                  continuous_update=False)
        self.epochs.add_class("ae-epochs")
        self.train_button = W.Button(description="Train", button_style="primary", icon="play")
        self.train_button.add_class("ae-train")
        self.stop_button = W.Button(description="Stop", icon="stop", disabled=True)
        self.stop_button.add_class("ae-stop")
        self.progress = W.FloatProgress(0.0, min=0.0, max=1.0, description="progress", style=_STYLE)
        self.status = W.HTML()
        self.status.add_class("ae-status")
        self.views = {"loss": _image("ae-view-loss", 360), "hidden": _image("ae-view-hidden", 360),
                      "weights": _image("ae-view-weights", 740), "recon": _image("ae-view-recon", 740)}
        self.views["recon"].add_class("ae-key-view")

        controls = W.VBox([self.dataset, self.n_hidden, self.hidden, self.output, self.tied, self.noise,
                           self.noise_level, self.beta, self.rho, self.optimizer, self.lr, self.epochs,
                           W.HBox([self.train_button, self.stop_button]), self.progress, self.status],
                          layout=W.Layout(width="340px", min_width="340px"))
        views = W.VBox([W.HBox([self.views["loss"], self.views["hidden"]]), self.views["weights"],
                        self.views["recon"]])
        self._init_root([W.HBox([controls, views])], background)

        self.train_button.on_click(lambda _: self.train())
        self.stop_button.on_click(lambda _: self.stop())
        self.noise.observe(self._on_noise, names="value")
        self.noise_level.observe(self._on_noise, names="value")
        self.dataset.observe(self._on_dataset, names="value")
        for control in (self.n_hidden, self.hidden, self.output, self.tied, self.beta, self.rho,
                        self.optimizer, self.lr, self.epochs):
            control.observe(self._on_setting, names="value")
        self.history = None
        self._reset()

    # ----- model and data from the controls ------------------------------------------------
    def _noise(self):
        """The noise name for Autoencoder (None for "none")."""
        return None if self.noise.value == "none" else self.noise.value

    def build_model(self):
        """An unfitted Autoencoder from the current control values (validated)."""
        penalties = (KLSparsity(rho=self.rho.value, beta=self.beta.value),) if self.beta.value > 0 else ()
        return Autoencoder(self.n_hidden.value, hidden=self.hidden.value, output=self.output.value,
                           tied=self.tied.value, penalties=penalties, noise=self._noise(),
                           noise_level=self.noise_level.value if self._noise() else 0.0,
                           init="normal", init_scale=INIT_SCALE, seed=self.seed).validate()

    def _reset(self):
        """Load the dataset, start from fresh weights, and redraw every view."""
        self.X_train, self.X_test, self.image_shape = load_dataset(self.dataset.value)
        self.history = None
        self.progress.value = 0.0
        try:
            self.model = self.build_model()
        except ValueError:  # e.g. sparsity with a non-sigmoid hidden layer: fall back to a plain model
            self.model = Autoencoder(self.n_hidden.value, init="normal", init_scale=INIT_SCALE, seed=self.seed)
        self.params = self.model.init_params(self.X_train.shape[1])
        n, d = self.X_train.shape
        _status(self.status, f"{n} training images of {d} pixels. Press Train.")
        self.redraw()

    # ----- drawing ---------------------------------------------------------------------------
    def _shown(self):
        """The test images shown in the reconstruction row: (n_show, d)."""
        return self.X_test[:self.n_show]

    def noisy_examples(self):
        """The shown test images corrupted with the current noise controls (seeded, so redraws are stable)."""
        level = self.noise_level.value if self._noise() else 0.0
        rng = np.random.default_rng(self.seed + 1)
        return noises.corrupt(self._shown(), self._noise(), level, rng)

    def redraw_reconstructions(self):
        """Redraw original / noisy / reconstruction with the current model: no training (cheap)."""
        X, X_noisy = self._shown(), self.noisy_examples()
        with np.errstate(all="ignore"):  # a diverged model may hold inf
            X_hat, _ = self.model.forward(self.params, X_noisy)
            mse = float(np.mean((X_hat - X) ** 2))
        self.views["recon"].value = _png(reconstruction_figure, [X, X_noisy, X_hat],
                                         ["original", "noisy", "reconstruction"], self.image_shape,
                                         f"Test images: per-pixel MSE of the reconstruction {mse:.4f}")

    def redraw(self):
        """Redraw every view from the current history and parameters (the loss curve first)."""
        self.views["loss"].value = _png(loss_figure, self.history)
        W2 = self.params["W1"].T if self.model.tied else self.params["W2"]
        self.views["weights"].value = _png(weights_figure, self.params["W1"], W2, self.image_shape, self.model.tied)
        with np.errstate(all="ignore"):
            _, (_, H, *_) = self.model.forward(self.params, self.X_test)  # H: (N_test, n_hidden)
        rho = self.model.penalties[0].rho if self.model.penalties else None
        self.views["hidden"].value = _png(hidden_figure, H, rho)
        self.redraw_reconstructions()

    # ----- events ------------------------------------------------------------------------------
    def _on_noise(self, change):
        if not self.running:
            self.redraw_reconstructions()

    def _on_dataset(self, change):
        self.stop()
        self.wait()
        self._reset()

    def _on_setting(self, change):
        if not self.running and self.history is not None:
            _status(self.status, "Settings changed: press Train to train with them.")

    # ----- training ------------------------------------------------------------------------------
    def stop(self):
        """Ask a running training to stop after the current step."""
        self._stop.set()

    def train(self, wait=False):
        """Train from fresh weights with the current controls; in a thread unless background=False."""
        if self.running:
            return self
        try:
            model = self.build_model()
        except ValueError as exc:
            self.error = exc
            _status(self.status, f"Cannot train: {exc}", error=True)
            return self
        self.model, self.params, self.history, self.error = model, model.init_params(self.X_train.shape[1]), None, None
        self._stop.clear()
        self._last_draw, self._draw_cost = 0.0, 0.0
        self._total = -(-len(self.X_train) // self.batch_size) * self.epochs.value
        self.train_button.disabled, self.stop_button.disabled = True, False
        self._busy(True)
        _status(self.status, "Training...")
        self._thread = _start(self._run, self.background)
        return self.wait() if wait else self

    def _run(self):
        """The training body: ae.train with a callback that redraws at most every redraw_every seconds."""
        start = time.perf_counter()
        try:
            per_epoch = -(-len(self.X_train) // self.batch_size)
            train_loop(self.model, self.params, self.X_train, self.X_train, self.X_test, self.X_test,
                       optimizer=self.optimizer.value, lr=self.lr.value, epochs=self.epochs.value,
                       batch_size=self.batch_size, record="step", eval_every=max(1, per_epoch // 4),
                       seed=self.seed, verbose=False, callback=self._on_record)
            stopped = " (stopped)" if self._stop.is_set() else ""
            steps = self.history.steps[-1] if self.history else 0
            _status(self.status, f"Trained {steps} steps in {time.perf_counter() - start:.1f} s{stopped}.")
        except Exception as exc:  # shown in the widget: a thread has nobody else to tell
            self.error = exc
            _status(self.status, f"{type(exc).__name__}: {exc}", error=True)
        finally:
            if self.history:
                self.model.params_, self.model.history_ = self.params, self.history  # usable as a fitted model
                self.progress.value = self.history.steps[-1] / self._total
            self.redraw()
            self.train_button.disabled, self.stop_button.disabled = False, True
            self._busy(False)

    def _on_record(self, history, params):
        """ae.train's callback: keep the latest state, redraw when due; True stops training.

        Redraws at most every redraw_every seconds, and never spends more than a third of the time drawing.
        """
        self.history, self.params = history, dict(params)
        now = time.perf_counter()
        if now - self._last_draw >= max(self.redraw_every, 2 * self._draw_cost):
            self.progress.value = history.steps[-1] / self._total
            self.redraw()
            self._last_draw = time.perf_counter()
            self._draw_cost = self._last_draw - now
        return self._stop.is_set()


# --------------------------------------------------------------------------- slider over cached results

class _CachedSliderExplorer(_Explorer):
    """A slider over a few settings whose results are computed once (in a worker thread) and then cached."""

    def _init_cache(self, slider, views, background):
        self.slider = slider
        slider.add_class("ae-key-slider")
        self.cache = {}
        self.progress = W.FloatProgress(0.0, min=0.0, max=1.0, description="precomputing", style=_STYLE)
        self.status = W.HTML()
        self.status.add_class("ae-status")
        self._init_root([slider, W.HBox([self.progress, self.status]), *views], background)
        slider.observe(self._on_slider, names="value")

    def _pending(self):
        """Keys still to compute, the slider's current one first."""
        keys = [self.slider.value] + [k for k in self._keys() if k != self.slider.value]
        return [k for k in keys if k not in self.cache]

    def precompute(self, wait=False):
        """Compute every uncached setting (in the worker thread unless background=False); returns self."""
        if not self.running and self._pending():
            self._busy(True)
            self._thread = _start(self._work, self.background)
        return self.wait() if wait else self

    def _work(self, only_current=False):
        """Compute pending settings, the current one first, redrawing when the current one is ready."""
        try:
            while self._pending() and not self._stop.is_set():
                key = self._pending()[0]
                if only_current and key != self.slider.value:
                    break
                done, n = len(self.cache), len(self._keys())
                _status(self.status, f"computing {self._label(key)} ({done + 1} of {n})...")
                self.cache[key] = self._compute(key, lambda f: setattr(self.progress, "value", (done + f) / n))
                self.progress.value = len(self.cache) / n
                self.redraw()
            pending = len(self._pending())
            _status(self.status, "all settings computed: the slider is instant now" if not pending else
                    f"{len(self.cache)} of {len(self._keys())} settings computed")
        except Exception as exc:  # shown in the widget: a thread has nobody else to tell
            if not self._stop.is_set():
                self.error = exc
                _status(self.status, f"{type(exc).__name__}: {exc}", error=True)
        finally:
            self._busy(False)

    def _on_slider(self, change):
        self.redraw()
        if change["new"] in self.cache:
            return
        if self.background:
            self.precompute()
        else:  # synchronous (tests): compute just this setting, now
            with _one_blas_thread():
                self._work(only_current=True)


def _denoising_row(model, params, X, level, seed):
    """(X_masked, X_hat): X with a fraction `level` of pixels zeroed, and its reconstruction."""
    X_noisy = noises.corrupt(X, "masking", level, np.random.default_rng(seed))
    return X_noisy, model.forward(params, X_noisy)[0]


class DenoisingFiltersExplorer(_CachedSliderExplorer):
    """A slider over the masking level shows the first-layer filters a denoising autoencoder learns there."""

    def __init__(self, levels=(0.0, 0.1, 0.25, 0.5), n_hidden=144, epochs=None, lr=0.005, batch_size=32,
                 n_show=10, background=True, seed=0):
        self.levels, self.n_hidden, self.lr, self.batch_size = tuple(levels), n_hidden, lr, batch_size
        self.epochs = (2 if _fast() else 15) if epochs is None else epochs
        self.n_show, self.seed = n_show, seed
        self.X_train, self.X_test, self.image_shape = load_dataset("mnist")
        slider = W.SelectionSlider(options=[(f"{level:.0%}", level) for level in self.levels],
                                   value=self.levels[0], description="destroyed", style=_STYLE,
                                   continuous_update=False)
        self.views = {"filters": _image("ae-view-filters", 520), "recon": _image("ae-view-recon", 740)}
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
        model = Autoencoder(self.n_hidden, hidden="sigmoid", output="sigmoid", loss="bce", tied=True,
                            noise="masking" if level > 0 else None, noise_level=level, init="normal",
                            init_scale=INIT_SCALE, seed=self.seed)
        params = model.init_params(self.X_train.shape[1])
        total = -(-len(self.X_train) // self.batch_size) * self.epochs

        def callback(history, params):
            report(history.steps[-1] / total)
            return self._stop.is_set()

        params, history = train_loop(model, params, self.X_train, self.X_train, self.X_test, self.X_test,
                                     optimizer="adam", lr=self.lr, epochs=self.epochs, batch_size=self.batch_size,
                                     seed=self.seed, verbose=False, callback=callback)
        X = self.X_test[:self.n_show]
        X_noisy, X_hat = _denoising_row(model, params, X, level, self.seed + 1)
        return {"W1": params["W1"], "test_loss": history.test_loss[-1], "rows": [X, X_noisy, X_hat]}

    def redraw(self):
        """Show the cached filters and reconstructions for the slider's level (or a 'training' note)."""
        level = self.slider.value
        result = self.cache.get(level)
        if result is None:
            filters = _png(_pending_figure, f"training the autoencoder for masking {level:.0%}...")
            rows = [self.X_test[:self.n_show], None, None]
        else:
            filters = _png(_filters_figure, result["W1"], self.image_shape,
                           f"Encoder filters, {level:.0%} of pixels destroyed (test loss {result['test_loss']:.1f})")
            rows = result["rows"]
        self.views["filters"].value = filters
        self.views["recon"].value = _png(reconstruction_figure, rows, ["original", "masked", "reconstruction"],
                                         self.image_shape, f"Denoising at {level:.0%} masking")


def _pending_figure(message):
    fig, axes = _figure(5.2, 5.2, left=0.01, right=0.99, bottom=0.01, top=0.95)
    _blank(axes[0, 0], message)
    return fig


def _filters_figure(W1, shape, title):
    fig, axes = _figure(5.2, 5.2, left=0.01, right=0.99, bottom=0.01, top=0.95)
    _tiles(axes[0, 0], W1, shape, title)
    return fig


# --------------------------------------------------------------------------- PCA against a linear autoencoder

class PcaVsAutoencoderExplorer(_CachedSliderExplorer):
    """A slider over k: PCA and a linear autoencoder with k hidden units, reconstructions and errors side by side."""

    def __init__(self, ks=(1, 2, 5, 10, 25, 50), k=10, maxiter=None, n_show=10, background=True, seed=0):
        self.ks, self.n_show, self.seed = tuple(ks), n_show, seed
        if k not in self.ks:
            raise ValueError(f"k must be one of ks={self.ks}, got {k!r}")
        self.maxiter = (40 if _fast() else 300) if maxiter is None else maxiter
        self.X_train, self.X_test, self.image_shape = load_dataset("mnist")
        with _one_blas_thread():
            self.pca = pca_.pca(self.X_train, max(self.ks))  # nested: the top k of the top max(ks)
        slider = W.SelectionSlider(options=list(self.ks), value=k, description="k (code size)", style=_STYLE,
                                   continuous_update=False)
        self.views = {"recon": _image("ae-view-recon", 740), "errors": _image("ae-view-errors", 400)}
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
        """X projected on the top-k principal subspace of the training set: (N, d)."""
        V, mean = self.pca.components_[:k], self.pca.mean_  # (k, d), (d,)
        return (X - mean) @ V.T @ V + mean  # (N, d) @ (d, k) @ (k, d) -> (N, d)

    def pca_error(self, k):
        """Per-pixel test MSE of PCA with k components."""
        return pca_.reconstruction_error(self.X_test, self.pca_reconstruct(self.X_test, k))

    def _compute(self, k, report):
        """Fit a linear autoencoder (identity activations, biases, SSE) with k units by L-BFGS."""
        model = Autoencoder(k, hidden="identity", output="identity", seed=self.seed)
        params = model.init_params(self.X_train.shape[1])
        count = [0]

        def callback(_):
            count[0] += 1
            report(min(1.0, count[0] / self.maxiter))
            if self._stop.is_set():
                raise InterruptedError("stopped")

        params, _ = optim.lbfgs(lambda p: model.loss_and_grads(p, self.X_train), params, self.maxiter, callback)
        X_hat = model.forward(params, self.X_test)[0]
        angles = pca_.principal_angles(params["W2"], self.pca.components_[:k].T)  # (d, k) vs (d, k)
        return {"X_hat": X_hat[:self.n_show], "error": pca_.reconstruction_error(self.X_test, X_hat),
                "angle": float(np.degrees(np.median(angles)))}

    def redraw(self):
        """Show reconstructions for the slider's k and the error-versus-k curves."""
        k = self.slider.value
        X = self.X_test[:self.n_show]
        result = self.cache.get(k)
        e_pca = self.pca_error(k)
        title = f"k = {k}, test MSE per pixel: PCA {e_pca:.4f}"
        if result is not None:
            title += (f", linear AE {result['error']:.4f} ({result['error'] / e_pca:.2f}× PCA); "
                      f"median angle between subspaces {result['angle']:.1f}°")
        rows = [X, self.pca_reconstruct(X, k), None if result is None else result["X_hat"]]
        self.views["recon"].value = _png(reconstruction_figure, rows, ["original", f"PCA k={k}", f"linear AE k={k}"],
                                         self.image_shape, title)
        errors = {kk: r["error"] for kk, r in self.cache.items()}
        self.views["errors"].value = _png(_errors_figure, self.ks, [self.pca_error(kk) for kk in self.ks], errors, k)


def _errors_figure(ks, pca_errors, ae_errors, k):
    """Test MSE against k: PCA for every k, the linear autoencoder for the k computed so far."""
    fig, axes = _figure(4.0, 2.6, **_PLOT_MARGINS)
    ax = axes[0, 0]
    ax.plot(ks, pca_errors, "o-", color="C0", ms=3, label="PCA")
    done = sorted(ae_errors)
    if done:
        ax.plot(done, [ae_errors[kk] for kk in done], "s--", color="C1", ms=4, label="linear autoencoder")
    ax.axvline(k, color="0.6", lw=1)
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(kk) for kk in ks])
    ax.minorticks_off()
    ax.set_xlabel("k", fontsize=_FONT)
    ax.set_ylabel("test MSE per pixel", fontsize=_FONT)
    ax.set_title("Reconstruction error against code size", fontsize=_FONT + 1)
    ax.legend(fontsize=_FONT - 1)
    return fig
