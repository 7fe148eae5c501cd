"""Headless tests of the explorers: set control values, click buttons, and check what the views show."""
import io

import numpy as np
import pytest
from PIL import Image

from autoencoders import widgets
from autoencoders.training import DivergenceError

SMALL = dict(dataset="digits", n_hidden=9, epochs=1, background=False)  # 8x8 digits: 23 steps per epoch


def png_size(data):
    """(width, height) of PNG bytes; fails on anything that is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "view does not hold a PNG"
    return Image.open(io.BytesIO(data)).size


def snapshot(explorer):
    return {name: view.value for name, view in explorer.views.items()}


def test_load_dataset_shapes_and_range():
    """Does every explorer dataset come as images in [0, 1] whose pixel count matches the image shape?"""
    for name in widgets.DATASETS.values():
        X_train, X_test, shape = widgets.load_dataset(name)
        assert X_train.shape[1] == X_test.shape[1] == shape[0] * shape[1], name
        assert len(X_train) > len(X_test) > 0, name
        assert X_train.min() >= 0 and X_train.max() <= 1, name
    with pytest.raises(ValueError, match="name must be one of .* got 'cifar'"):
        widgets.load_dataset("cifar")


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
    X, X_noisy = ex.X_test[:ex.n_show], ex.noisy_examples()
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


def test_divergence_is_reported_in_the_status():
    """Does a step size that blows up end training with a DivergenceError shown in the widget?"""
    ex = widgets.AutoencoderExplorer(**{**SMALL, "epochs": 5})
    ex.hidden.value, ex.output.value, ex.optimizer.value, ex.lr.value = "identity", "identity", "sgd", 1.0
    ex.train_button.click()
    assert isinstance(ex.error, DivergenceError)
    assert "ae-error" in ex.status._dom_classes and "DivergenceError" in ex.status.value
    assert min(png_size(ex.views["loss"].value)) > 100


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


def test_pca_explorer_matches_sklearn_and_trains_a_linear_autoencoder():
    """Does the PCA row equal scikit-learn's PCA reconstruction, and does the autoencoder beat the mean image?"""
    from sklearn.decomposition import PCA

    ex = widgets.PcaVsAutoencoderExplorer(ks=(2, 5), k=2, maxiter=30, background=False)
    X_train, X_test = ex.X_train, ex.X_test
    reference = PCA(n_components=5, svd_solver="full").fit(X_train)
    np.testing.assert_allclose(ex.pca_reconstruct(X_test, 5), reference.inverse_transform(reference.transform(X_test)),
                               atol=1e-8)
    before = ex.views["recon"].value
    ex.slider.value = 5
    assert ex.error is None and sorted(ex.cache) == [5]
    assert ex.views["recon"].value != before
    mean_only = np.mean((X_test - X_train.mean(axis=0)) ** 2)
    assert ex.cache[5]["error"] < 0.9 * mean_only
    with pytest.raises(ValueError, match="k must be one of ks=.* got 3"):
        widgets.PcaVsAutoencoderExplorer(ks=(2, 5), k=3, background=False)


def test_background_precompute_fills_the_cache():
    """Does the worker thread compute every setting and then clear the busy flag?"""
    ex = widgets.PcaVsAutoencoderExplorer(ks=(1, 2), k=1, maxiter=5, background=True)
    ex.wait(timeout=120)
    assert ex.error is None and sorted(ex.cache) == [1, 2]
    assert "ae-busy" not in ex.ui._dom_classes and ex.progress.value == pytest.approx(1.0)
    ex.close()
