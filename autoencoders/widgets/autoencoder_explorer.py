"""The main explorer: choose data, architecture, noise, sparsity and optimiser, then watch an autoencoder train."""

import time

import ipywidgets as W
import numpy as np

from .. import noise as noises
from .. import optim, plotting
from .._checks import n_batches
from ..models import Autoencoder
from ..penalties import KLSparsity
from ..settings import fast_mode
from ..training import DivergenceError
from ..training import train as train_loop
from .base import INIT_SCALE, Explorer
from .datasets import DATASETS, load_dataset
from .render import PLOT_MARGINS, STYLE, figure, image_view, png, rows_figure, show_status, start

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


def loss_figure(history):
    """Training objective per step (raw and smoothed) and test objective; log scale when all are > 0."""
    ax = figure(3.6, 2.5, **PLOT_MARGINS)[1][0, 0]
    if history is None or not history.loss:
        return plotting.plot_message("press Train to see the loss curve", ax=ax)
    window = max(1, min(25, len(history.loss) // 5))  # the test curve has few points: not smoothed
    title = f"Loss: train {plotting.moving_average(history.loss, window)[-1]:.4g}"
    if history.test_loss:
        title += f", test {history.test_loss[-1]:.4g}"
    return plotting.plot_learning_curves(
        history, window={"train": window}, log="auto", ax=ax, title=title, ylabel="objective"
    )


def hidden_figure(H, rho=None, diverged=False):
    """Histogram of hidden activations H (N, k): mean, fraction with |h| > 0.05, and the sparsity target rho.

    After a divergence the activations are astronomically large and mean nothing: a message says so instead.
    """
    ax = figure(3.6, 2.5, **PLOT_MARGINS)[1][0, 0]
    if diverged:
        return plotting.plot_message("training diverged:\nno meaningful activations", ax=ax)
    return plotting.plot_hidden_activations(H, bins=40, ax=ax, tol=0.05, title="Hidden", rho=rho)


def weights_figure(W1, W2, shape, tied=False):
    """Encoder filters (rows of W1 (k, d)) and decoder atoms (columns of W2 (d, k)), side by side."""
    fig, axes = figure(7.4, 3.7, 1, 2, left=0.01, right=0.99, bottom=0.01, top=0.93, wspace=0.05)
    plotting.plot_mosaic(W1, shape, "Encoder W1 rows", ax=axes[0, 0], limit=144)
    plotting.plot_mosaic(
        W2.T, shape, "Decoder W2 columns" + (" = W1 rows (tied)" if tied else ""), ax=axes[0, 1], limit=144
    )
    return fig


class AutoencoderExplorer(Explorer):
    """Controls for data, architecture, noise, sparsity and optimiser; Train shows live curves, weights and codes."""

    def __init__(
        self,
        dataset="mnist",
        n_hidden=49,
        hidden="sigmoid",
        output="identity",
        tied=False,
        noise=None,
        noise_level=0.25,
        beta=0.0,
        rho=0.05,
        optimizer="adam",
        lr=0.003,
        epochs=None,
        batch_size=64,
        n_show=10,
        redraw_every=0.5,
        background=True,
        seed=0,
    ):
        # 30 epochs of the 2,000-image MNIST subset take about 8 s here: long enough to watch the curves move
        epochs = (2 if fast_mode() else 30) if epochs is None else epochs
        self.batch_size, self.n_show, self.redraw_every, self.seed = batch_size, n_show, redraw_every, seed
        self.dataset = W.Dropdown(options=list(DATASETS.items()), value=dataset, description="dataset", style=STYLE)
        self.n_hidden = W.IntSlider(n_hidden, min=1, max=256, description="hidden units", style=STYLE)
        self.hidden = W.Dropdown(options=ACTIVATIONS, value=hidden, description="hidden act.", style=STYLE)
        self.output = W.Dropdown(
            options=["identity", "sigmoid", "relu"], value=output, description="output act.", style=STYLE
        )
        self.tied = W.Checkbox(tied, description="tied weights (W2 = W1ᵀ)", indent=False)
        self.noise = W.Dropdown(
            options=[
                ("none", "none"),
                ("masking", "masking"),
                ("gaussian", "gaussian"),
                ("salt & pepper", "salt_and_pepper"),
            ],
            value=noise or "none",
            description="noise",
            style=STYLE,
        )  # "none", not None: None shows a blank box
        self.noise.add_class("ae-noise")
        self.noise_level = W.FloatSlider(
            noise_level, min=0.0, max=1.0, step=0.05, description="noise level", style=STYLE, continuous_update=False
        )
        self.noise_level.add_class("ae-noise-level")
        self.noise_level.add_class("ae-key-slider")
        self.beta = W.FloatSlider(
            beta, min=0.0, max=5.0, step=0.1, description="sparsity β", style=STYLE, continuous_update=False
        )
        self.rho = W.FloatSlider(
            rho, min=0.01, max=0.5, step=0.01, description="sparsity ρ", style=STYLE, continuous_update=False
        )
        self.optimizer = W.Dropdown(options=sorted(optim.RULES), value=optimizer, description="optimiser", style=STYLE)
        self.lr = W.FloatLogSlider(
            lr,
            base=10,
            min=-4,
            max=0,
            step=0.1,
            description="step size",
            style=STYLE,
            readout_format=".1e",
            continuous_update=False,
        )
        self.epochs = W.IntSlider(epochs, min=1, max=100, description="epochs", style=STYLE, continuous_update=False)
        self.epochs.add_class("ae-epochs")
        self.train_button = W.Button(description="Train", button_style="primary", icon="play")
        self.train_button.add_class("ae-train")
        self.stop_button = W.Button(description="Stop", icon="stop", disabled=True)
        self.stop_button.add_class("ae-stop")
        self.progress = W.FloatProgress(0.0, min=0.0, max=1.0, description="progress", style=STYLE)
        self.status = W.HTML()
        self.status.add_class("ae-status")
        self.views = {
            "loss": image_view("ae-view-loss", 360),
            "hidden": image_view("ae-view-hidden", 360),
            "weights": image_view("ae-view-weights", 740),
            "recon": image_view("ae-view-recon", 740),
        }
        self.views["recon"].add_class("ae-key-view")

        controls = W.VBox(
            [
                self.dataset,
                self.n_hidden,
                self.hidden,
                self.output,
                self.tied,
                self.noise,
                self.noise_level,
                self.beta,
                self.rho,
                self.optimizer,
                self.lr,
                self.epochs,
                W.HBox([self.train_button, self.stop_button]),
                self.progress,
                self.status,
            ],
            layout=W.Layout(width="340px", min_width="340px"),
        )
        views = W.VBox([W.HBox([self.views["loss"], self.views["hidden"]]), self.views["weights"], self.views["recon"]])
        self._init_root([W.HBox([controls, views])], background)

        self.train_button.on_click(lambda _: self.train())
        self.stop_button.on_click(lambda _: self.stop())
        self.noise.observe(self._on_noise, names="value")
        self.noise_level.observe(self._on_noise, names="value")
        self.dataset.observe(self._on_dataset, names="value")
        for control in (
            self.n_hidden,
            self.hidden,
            self.output,
            self.tied,
            self.beta,
            self.rho,
            self.optimizer,
            self.lr,
            self.epochs,
        ):
            control.observe(self._on_setting, names="value")
        self.history = None
        self._reset()

    # ----- model and data from the controls ------------------------------------------------
    def _noise(self):
        """The noise name for Autoencoder (None for "none")."""
        return None if self.noise.value == "none" else self.noise.value

    def build_model(self, sparsity=True):
        """An unfitted Autoencoder from the current control values (validated); sparsity=False leaves out β."""
        use = sparsity and self.beta.value > 0
        penalties = (KLSparsity(rho=self.rho.value, beta=self.beta.value),) if use else ()
        return Autoencoder(
            self.n_hidden.value,
            hidden=self.hidden.value,
            output=self.output.value,
            tied=self.tied.value,
            penalties=penalties,
            noise=self._noise(),
            noise_level=self.noise_level.value if self._noise() else 0.0,
            init="normal",
            init_scale=INIT_SCALE,
            seed=self.seed,
        ).validate()

    def _reset(self):
        """Load the dataset, start from fresh weights, and redraw every view."""
        self.X_train, self.X_test, self.image_shape = load_dataset(self.dataset.value)
        self.history, self.error = None, None
        self.progress.value = 0.0
        n, d = self.X_train.shape
        try:
            self.model, problem = self.build_model(), None
        except ValueError as exc:  # e.g. sparsity with a relu hidden layer: the same model without the penalty
            self.model, problem = self.build_model(sparsity=False), exc
        self.params = self.model.init_params(d)
        if problem is None:
            show_status(self.status, f"{n} training images of {d} pixels. Press Train.")
        else:
            show_status(self.status, f"Shown without sparsity; cannot train these settings: {problem}", error=True)
        self.redraw()

    # ----- drawing ---------------------------------------------------------------------------
    def _shown(self):
        """The test images shown in the reconstruction row: (n_show, d)."""
        return self.X_test[: self.n_show]

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
        self.views["recon"].value = png(
            rows_figure,
            [X, X_noisy, X_hat],
            ["original", "noisy", "reconstruction"],
            self.image_shape,
            f"Test images: per-pixel MSE of the reconstruction {mse:.4f}",
        )

    def redraw(self):
        """Redraw every view from the current history and parameters (the loss curve first)."""
        self.views["loss"].value = png(loss_figure, self.history)
        self.views["weights"].value = png(
            weights_figure, self.params["W1"], self.model.decoder_weight(self.params), self.image_shape, self.model.tied
        )
        with np.errstate(all="ignore"):
            _, (_, H, *_) = self.model.forward(self.params, self.X_test)  # H: (N_test, n_hidden)
        rho = self.model.penalties[0].rho if self.model.penalties else None
        self.views["hidden"].value = png(hidden_figure, H, rho, isinstance(self.error, DivergenceError))
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
            show_status(self.status, "Settings changed: press Train to train with them.")

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
            show_status(self.status, f"Cannot train: {exc}", error=True)
            return self
        self.model, self.params, self.history, self.error = model, model.init_params(self.X_train.shape[1]), None, None
        self._stop.clear()
        self._last_draw, self._draw_cost = 0.0, 0.0
        self._total = n_batches(len(self.X_train), self.batch_size) * self.epochs.value  # steps in the run
        self.train_button.disabled, self.stop_button.disabled = True, False
        self._busy(True)
        show_status(self.status, "Training...")
        self._thread = start(self._run, self.background)
        return self.wait() if wait else self

    def _run(self):
        """The training body: ae.train with a callback that redraws at most every redraw_every seconds."""
        begin = time.perf_counter()
        try:
            per_epoch = n_batches(len(self.X_train), self.batch_size)
            train_loop(
                self.model,
                self.params,
                self.X_train,
                self.X_train,
                self.X_test,
                self.X_test,
                optimizer=self.optimizer.value,
                lr=self.lr.value,
                epochs=self.epochs.value,
                batch_size=self.batch_size,
                record="step",
                eval_every=max(1, per_epoch // 4),
                seed=self.seed,
                verbose=False,
                callback=self._on_record,
            )
            stopped = " (stopped)" if self._stop.is_set() else ""
            steps = self.history.steps[-1] if self.history else 0
            show_status(self.status, f"Trained {steps} steps in {time.perf_counter() - begin:.1f} s{stopped}.")
        except Exception as exc:  # noqa: BLE001 (shown in the widget: a thread has nobody else to tell)
            self.error = exc
            show_status(self.status, f"{type(exc).__name__}: {exc}", error=True)
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
