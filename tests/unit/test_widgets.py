"""Headless tests of the explorers: set control values, click buttons, and check what the views show.

Sections follow the modules of autoencoders/widgets/: render, datasets, then one per explorer (base is
exercised through them).
"""

import contextlib
import io

import ipywidgets
import numpy as np
import pytest
from matplotlib import ticker
from PIL import Image

from autoencoders import widgets
from autoencoders.training import DivergenceError
from autoencoders.widgets import autoencoder_explorer, render

SMALL = dict(dataset="digits", n_hidden=9, epochs=1, background=False)  # 8x8 digits: 23 steps per epoch


def png_size(data):
    """(width, height) of PNG bytes; fails on anything that is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "view does not hold a PNG"
    return Image.open(io.BytesIO(data)).size


def snapshot(explorer):
    return {name: view.value for name, view in explorer.views.items()}


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --------------------------------------------------------------------------- render


def test_png_draws_a_plotting_figure_in_compact_fonts():
    """Does png() return PNG bytes of the built figure, with titles, labels, ticks and legends shrunk?"""
    from autoencoders import plotting

    built = []

    def build():
        ax = render.figure(3.6, 2.5, **render.PLOT_MARGINS)[1][0, 0]
        built.append(plotting.plot_learning_curves({"a": [3.0, 2.0, 1.0]}, window=2, ax=ax))
        built[0].suptitle("overall")
        return built[0]

    assert png_size(render.png(build)) == (360, 250)
    (ax,) = built[0].axes
    assert ax.title.get_fontsize() == render.FONT + 1 and ax.xaxis.label.get_fontsize() == render.FONT
    assert ax.get_legend().get_texts()[0].get_fontsize() == render.FONT - 1
    assert ax.xaxis.get_major_ticks()[0].label1.get_fontsize() == render.FONT - 1
    assert built[0].texts[0].get_fontsize() == render.FONT + 1  # the suptitle


def test_start_runs_the_target_with_one_blas_thread(monkeypatch):
    """Does start() run the target inside settings.one_blas_thread, here or in a daemon thread?"""
    events = []

    @contextlib.contextmanager
    def one_thread():
        events.append("limit")
        yield
        events.append("restore")

    monkeypatch.setattr(render, "one_blas_thread", one_thread)
    assert render.start(lambda: events.append("here"), background=False) is None
    thread = render.start(lambda: events.append("thread"), background=True)
    assert thread.daemon
    thread.join(10)
    assert events == ["limit", "here", "restore", "limit", "thread", "restore"]


def test_close_closes_the_whole_widget_tree_and_nothing_else():
    """Does close() close the explorer's root and every descendant, but no widget outside it?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    tree, todo = [], [ex.ui]
    while todo:
        widget = todo.pop()
        tree.append(widget)
        todo.extend(getattr(widget, "children", ()))
    outside = ipywidgets.Button()
    ex.close()
    assert len(tree) > 20 and all(widget.comm is None for widget in tree)
    assert outside.comm is not None
    outside.close()


# --------------------------------------------------------------------------- datasets


def test_load_dataset_shapes_and_range():
    """Does every explorer dataset come as images in [0, 1] whose pixel count matches the image shape?"""
    for name in widgets.DATASETS.values():
        X_train, X_test, shape = widgets.load_dataset(name)
        assert X_train.shape[1] == X_test.shape[1] == shape[0] * shape[1], name
        assert len(X_train) > len(X_test) > 0, name
        assert X_train.min() >= 0 and X_train.max() <= 1, name
    with pytest.raises(ValueError, match="name must be one of .* got 'cifar'"):
        widgets.load_dataset("cifar")


# --------------------------------------------------------------------------- AutoencoderExplorer


@pytest.mark.parametrize("value, epochs", [("0", 30), ("false", 30), ("1", 2), ("true", 2)])
def test_default_epochs_follow_settings_fast_mode(monkeypatch, value, epochs):
    """Do the default epochs come from ae.settings.fast_mode() (any spelling it accepts)?"""
    monkeypatch.setenv("AUTOENCODERS_FAST", value)
    assert widgets.AutoencoderExplorer(dataset="digits", n_hidden=4, background=False).epochs.value == epochs
    monkeypatch.setenv("AUTOENCODERS_FAST", "maybe")
    with pytest.raises(ValueError, match="AUTOENCODERS_FAST must be one of"):
        widgets.AutoencoderExplorer(dataset="digits", n_hidden=4, background=False)


def test_explorer_displays_as_a_widget():
    """Does a notebook display the explorer as a widget view rather than as text?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.ui.model_id
    for name, view in ex.views.items():
        assert min(png_size(view.value)) > 100, name


def test_train_button_trains_and_redraws_every_view():
    """Does clicking Train record one point per step, fill the progress bar and change every view?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    before, W1_before = snapshot(ex), ex.params["W1"].copy()
    ex.train_button.click()
    assert ex.error is None and "ae-error" not in ex.status._dom_classes
    n_steps = -(-len(ex.X_train) // ex.batch_size)  # one epoch of minibatches of 64
    assert ex.history.steps == list(range(1, n_steps + 1))
    assert ex.progress.value == pytest.approx(1.0)
    assert not np.allclose(ex.params["W1"], W1_before)
    after = snapshot(ex)
    assert all(after[k] != before[k] for k in before), [k for k in before if after[k] == before[k]]
    assert not ex.train_button.disabled and ex.stop_button.disabled


def test_views_are_the_plotting_figures(monkeypatch):
    """Are the loss, hidden and weights views plotting's builders: smoothed train and raw test curves on a
    log scale, a histogram with the sparsity target, and the decoder from Autoencoder.decoder_weight?"""
    ex = widgets.AutoencoderExplorer(beta=1.0, rho=0.1, tied=True, **SMALL)
    ex.train(wait=True)
    h = ex.history
    (ax,) = autoencoder_explorer.loss_figure(h).axes
    window = max(1, min(25, len(h.loss) // 5))
    assert legend_texts(ax) == [f"train ({window}-point average)", "test"]
    np.testing.assert_array_equal(ax.lines[-1].get_xdata(), h.test_steps)  # the test curve, unsmoothed
    np.testing.assert_array_equal(ax.lines[-1].get_ydata(), h.test_loss)
    assert ax.get_yscale() == "log" and isinstance(ax.yaxis.get_major_formatter(), ticker.FormatStrFormatter)
    assert ax.get_title() == (f"Loss: train {np.mean(h.loss[-window:]):.4g}, test {h.test_loss[-1]:.4g}")
    (blank,) = autoencoder_explorer.loss_figure(None).axes
    assert blank.texts[0].get_text() == "press Train to see the loss curve"

    H = ex.model.forward(ex.params, ex.X_test)[1][1]
    (ax,) = autoencoder_explorer.hidden_figure(H, 0.1).axes
    assert ax.patches[0].get_data().values.sum() == H.size and list(ax.lines[0].get_xdata()) == [0.1, 0.1]
    assert f"{np.mean(np.abs(H) > 0.05):.1%} with |h| > 0.05" in ax.get_title()

    drawn = []
    monkeypatch.setattr(
        autoencoder_explorer,
        "weights_figure",
        lambda *args: drawn.append(args) or autoencoder_explorer.plotting.plot_message("x"),
    )
    ex.redraw()
    monkeypatch.undo()  # the real weights_figure again
    ((W1, W2, shape, tied),) = drawn
    assert W1 is ex.params["W1"] and tied and shape == (8, 8)
    np.testing.assert_array_equal(W2, ex.model.decoder_weight(ex.params))
    np.testing.assert_array_equal(W2, ex.params["W1"].T)  # tied: the decoder is W1 transposed
    encoder, decoder = autoencoder_explorer.weights_figure(W1, W2, shape, tied).axes
    np.testing.assert_array_equal(encoder.images[0].get_array(), decoder.images[0].get_array())
    assert decoder.get_title() == "Decoder W2 columns = W1 rows (tied) (9 tiles)"


def test_noise_level_redraws_reconstructions_without_training():
    """On a trained model, does moving the noise level change only the reconstruction view, not the weights?"""
    ex = widgets.AutoencoderExplorer(noise="masking", noise_level=0.1, **SMALL)
    ex.train(wait=True)
    before, params, history = snapshot(ex), dict(ex.params), ex.history
    ex.noise_level.value = 0.6
    after = snapshot(ex)
    assert after["recon"] != before["recon"]
    assert [after[k] == before[k] for k in ("loss", "weights", "hidden")] == [True] * 3
    assert ex.history is history and all(ex.params[k] is params[k] for k in params)
    # what the noisy row shows: about 60% of the pixels of the shown images are zeroed
    X, X_noisy = ex.X_test[: ex.n_show], ex.noisy_examples()
    lit = X > 0
    assert np.mean(X_noisy[lit] == 0) == pytest.approx(0.6, abs=0.1)
    ex.noise.value = "none"
    np.testing.assert_array_equal(ex.noisy_examples(), X)


def test_settings_reach_the_model():
    """Do hidden units, activations, tied weights and sparsity controls end up in the model that trains?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    ex.n_hidden.value, ex.hidden.value, ex.output.value, ex.tied.value = 7, "sigmoid", "sigmoid", True
    ex.beta.value, ex.rho.value = 2.0, 0.1
    ex.train_button.click()
    assert ex.error is None
    assert ex.params["W1"].shape == (7, 64) and "W2" not in ex.params
    assert (ex.model.hidden, ex.model.output, ex.model.tied) == ("sigmoid", "sigmoid", True)
    (penalty,) = ex.model.penalties
    assert (penalty.beta, penalty.rho) == (2.0, 0.1)


def test_dataset_change_reloads_data_and_weights():
    """Does choosing another dataset reshape the weights and redraw the views at once?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    before = snapshot(ex)
    ex.dataset.value = "random"
    assert ex.image_shape == (10, 10) and ex.params["W1"].shape == (9, 100)
    after = snapshot(ex)
    assert after["weights"] != before["weights"] and after["recon"] != before["recon"]


def test_invalid_settings_show_an_error_instead_of_training():
    """Does sparsity with a relu hidden layer show a readable error, keep Train usable and not train?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    ex.hidden.value, ex.beta.value = "relu", 1.0
    ex.train_button.click()
    assert isinstance(ex.error, ValueError)
    assert "ae-error" in ex.status._dom_classes and "hidden='sigmoid'" in ex.status.value
    assert ex.history is None and not ex.train_button.disabled


def test_divergence_is_reported_in_the_status(monkeypatch):
    """Does a step size that blows up end training with a DivergenceError shown in the widget, and does the
    hidden view say so instead of a histogram of astronomically large activations?"""
    messages = []
    draw_message = autoencoder_explorer.plotting.plot_message
    monkeypatch.setattr(
        autoencoder_explorer.plotting, "plot_message", lambda m, ax=None: messages.append(m) or draw_message(m, ax=ax)
    )
    ex = widgets.AutoencoderExplorer(**{**SMALL, "epochs": 5})
    ex.hidden.value, ex.output.value, ex.optimizer.value, ex.lr.value = "identity", "identity", "sgd", 1.0
    ex.train_button.click()
    assert isinstance(ex.error, DivergenceError)
    assert "ae-error" in ex.status._dom_classes and "DivergenceError" in ex.status.value
    assert min(png_size(ex.views["loss"].value)) > 100
    assert any("diverged" in m for m in messages)
    ex.dataset.value = "random"  # a fresh model: its activations are shown again
    assert ex.error is None


def test_after_a_dataset_switch_the_view_shows_the_model_the_controls_describe():
    """With relu and β > 0 (not trainable: KL needs sigmoid), does a dataset switch show a relu model and say
    why it cannot train, rather than a sigmoid model the controls do not describe?"""
    ex = widgets.AutoencoderExplorer(**SMALL)
    ex.hidden.value, ex.beta.value = "relu", 1.0
    ex.dataset.value = "random"
    assert ex.model.hidden == "relu" and ex.model.penalties == ()
    assert "ae-error" in ex.status._dom_classes and "hidden='sigmoid'" in ex.status.value
    ex.beta.value, ex.dataset.value = 0.0, "digits"
    assert ex.model.hidden == "relu" and "ae-error" not in ex.status._dom_classes


def test_background_training_can_be_stopped():
    """Does Train return at once in background mode, and does Stop end the run before its last step?"""
    ex = widgets.AutoencoderExplorer(**{**SMALL, "epochs": 100, "background": True})
    ex.train_button.click()
    assert ex.running and ex.train_button.disabled and "ae-busy" in ex.ui._dom_classes
    ex.stop_button.click()
    ex.wait(timeout=60)
    assert not ex.running and ex.error is None
    total = 100 * -(-len(ex.X_train) // ex.batch_size)
    assert 1 <= ex.history.steps[-1] < total
    assert "stopped" in ex.status.value and "ae-busy" not in ex.ui._dom_classes
    ex.close()


# --------------------------------------------------------------------------- DenoisingFiltersExplorer


def test_denoising_slider_computes_once_then_reads_the_cache(monkeypatch):
    """Does each destruction level train once, and does moving back to it redraw from the cache?"""
    ex = widgets.DenoisingFiltersExplorer(levels=(0.0, 0.5), n_hidden=16, epochs=1, background=False)
    calls = []
    compute = ex._compute
    monkeypatch.setattr(ex, "_compute", lambda key, report: calls.append(key) or compute(key, report))
    pending = ex.views["filters"].value
    ex.slider.value = 0.5
    shown_half = ex.views["filters"].value
    assert calls == [0.5] and shown_half != pending and ex.error is None
    X, X_masked, X_hat = ex.cache[0.5]["rows"]
    assert np.mean(X_masked[X > 0] == 0) == pytest.approx(0.5, abs=0.1)  # half the ink is destroyed
    ex.slider.value = 0.0
    assert calls == [0.5, 0.0]
    assert not np.allclose(ex.cache[0.0]["W1"], ex.cache[0.5]["W1"])
    ex.slider.value = 0.5
    assert calls == [0.5, 0.0] and ex.views["filters"].value == shown_half


def test_slider_results_are_kept_on_disk_for_the_next_session(monkeypatch, tmp_path):
    """Does a second explorer with the same settings read the first one's results from disk, and one with
    other settings (or with the cache off) compute its own?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))
    monkeypatch.setenv("AUTOENCODERS_EXPLORER_CACHE", "on")
    settings = dict(levels=(0.0, 0.5), n_hidden=16, epochs=1, background=False)
    first = widgets.DenoisingFiltersExplorer(**settings)
    first.slider.value = 0.5
    first.slider.value = 0.0
    assert len(list(tmp_path.glob("explorer-DenoisingFiltersExplorer-*.npz"))) == 2  # one file per level
    monkeypatch.setattr(widgets.DenoisingFiltersExplorer, "_compute", lambda *a: pytest.fail("computed again"))
    again = widgets.DenoisingFiltersExplorer(**settings)
    assert sorted(again.cache) == [0.0, 0.5]
    np.testing.assert_array_equal(again.cache[0.5]["W1"], first.cache[0.5]["W1"])
    assert again.cache[0.5]["test_loss"] == first.cache[0.5]["test_loss"]
    X, X_masked, X_hat = again.cache[0.5]["rows"]  # drawn as before
    np.testing.assert_array_equal(X_hat, first.cache[0.5]["rows"][2])
    assert widgets.DenoisingFiltersExplorer(**{**settings, "n_hidden": 9}).cache == {}, "other settings, own results"
    monkeypatch.setenv("AUTOENCODERS_EXPLORER_CACHE", "off")
    assert widgets.DenoisingFiltersExplorer(**settings).cache == {}


# --------------------------------------------------------------------------- PcaVsAutoencoderExplorer


def test_pca_explorer_matches_sklearn_and_trains_a_linear_autoencoder():
    """Does the PCA row equal scikit-learn's PCA reconstruction, and does the autoencoder beat the mean image?"""
    from sklearn.decomposition import PCA

    ex = widgets.PcaVsAutoencoderExplorer(ks=(2, 5), k=2, maxiter=30, background=False)
    X_train, X_test = ex.X_train, ex.X_test
    reference = PCA(n_components=5, svd_solver="full").fit(X_train)
    np.testing.assert_allclose(
        ex.pca_reconstruct(X_test, 5), reference.inverse_transform(reference.transform(X_test)), atol=1e-8
    )
    before = ex.views["recon"].value
    ex.slider.value = 5
    assert ex.error is None and sorted(ex.cache) == [5]
    assert ex.views["recon"].value != before
    mean_only = np.mean((X_test - X_train.mean(axis=0)) ** 2)
    assert ex.cache[5]["error"] < 0.9 * mean_only
    with pytest.raises(ValueError, match="k must be one of ks=.* got 3"):
        widgets.PcaVsAutoencoderExplorer(ks=(2, 5), k=3, background=False)


def test_pca_explorer_stops_near_pca_and_warm_starts_larger_k():
    """Does training stop once close enough to PCA's training loss, and does a larger k start from a smaller fit?"""
    ex = widgets.PcaVsAutoencoderExplorer(ks=(1, 2), k=1, maxiter=300, tolerance=0.05, background=False)
    ex.slider.value = 2  # k = 2 from scratch (nothing smaller fitted yet)
    ex.slider.value = 1  # then k = 1, also from scratch
    exact = widgets.PcaVsAutoencoderExplorer(ks=(1, 2), k=2, maxiter=300, tolerance=0.0, background=False)
    exact.slider.value = 1
    assert ex.error is None and exact.error is None
    assert ex.cache[1]["iterations"] < exact.cache[1]["iterations"]  # the tolerance ended training sooner
    X = ex.X_train
    total = np.sum((X - X.mean(axis=0)) ** 2)  # what the mean image leaves; below, PCA's and the autoencoder's
    pca_left = np.sum((X - ex.pca_reconstruct(X, 1)) ** 2)
    fit = ex._fits[1]
    ae_left = np.sum(((X @ fit["W1"].T + fit["b1"]) @ fit["W2"].T + fit["b2"] - X) ** 2)  # (N, d) residuals
    assert pca_left * (1 - 1e-9) <= ae_left <= pca_left + 0.05 * (total - pca_left) * 1.001

    start = ex._warm_start(2, {key: np.zeros_like(v) for key, v in ex._fits[2].items()})
    np.testing.assert_array_equal(start["W1"][:1], fit["W1"])  # the k = 1 unit carried over
    np.testing.assert_array_equal(start["W2"][:, :1], fit["W2"])
    np.testing.assert_array_equal(start["b1"][:1], fit["b1"])
    np.testing.assert_array_equal(start["b2"], fit["b2"])
    assert not start["W1"][1:].any() and not start["W2"][:, 1:].any()  # the new unit keeps its fresh start
    assert ex._warm_start(1, {"W1": np.zeros((1, 2))})["W1"].tolist() == [[0.0, 0.0]]  # nothing smaller: as given
    with pytest.raises(ValueError, match="tolerance must be in"):
        widgets.PcaVsAutoencoderExplorer(ks=(1, 2), k=1, tolerance=1.5, background=False)


def test_background_precompute_fills_the_cache():
    """Does the worker thread compute every setting and then clear the busy flag?"""
    ex = widgets.PcaVsAutoencoderExplorer(ks=(1, 2), k=1, maxiter=5, background=True)
    ex.wait(timeout=120)
    assert ex.error is None and sorted(ex.cache) == [1, 2]
    assert "ae-busy" not in ex.ui._dom_classes and ex.progress.value == pytest.approx(1.0)
    ex.close()


# --------------------------------------------------------------------------- SparsityExplorer


def test_sparsity_explorer_trains_each_rho_and_beta_once_and_the_penalty_works(monkeypatch):
    """Do both sliders pick the setting shown, is each (rho, beta) trained once, and does beta pull rho_hat to rho?"""
    ex = widgets.SparsityExplorer(rhos=(0.05, 0.3), betas=(0.0, 3.0), n_hidden=16, epochs=1, background=False)
    calls = []
    compute = ex._compute
    monkeypatch.setattr(ex, "_compute", lambda key, report: calls.append(key) or compute(key, report))
    pending = ex.views["activations"].value  # the controls start at rho 0.3, beta 3: nothing trained yet
    ex.slider.value = 0.05  # beta stays 3
    assert calls == [(0.05, 3.0)] and ex.views["activations"].value != pending and ex.error is None
    ex.beta_slider.value = 0.0
    ex.slider.value = 0.3
    ex.beta_slider.value = 3.0
    assert calls == [(0.05, 3.0), (0.05, 0.0), (0.3, 0.0), (0.3, 3.0)]
    shown = ex.views["activations"].value
    ex.beta_slider.value = 0.0
    ex.beta_slider.value = 3.0
    assert len(calls) == 4 and ex.views["activations"].value == shown  # read from the cache
    low, high = ex.cache[(0.05, 3.0)]["rho_hat"].mean(), ex.cache[(0.3, 3.0)]["rho_hat"].mean()
    assert abs(low - 0.05) < abs(ex.cache[(0.05, 0.0)]["rho_hat"].mean() - 0.05) and low < high
    with pytest.raises(ValueError, match="rhos must lie in"):
        widgets.SparsityExplorer(rhos=(0.0,), background=False)
