"""Does training reduce the loss, reproduce bit for bit, record what it promises and fail loudly?"""
import numpy as np
import pytest

import autoencoders as ae


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    # low-rank data, so a small autoencoder can reconstruct it
    return rng.random((64, 3)) @ rng.random((3, 12))


def test_fit_reduces_the_loss(X):
    model = ae.Autoencoder(4, hidden="sigmoid", init="uniform").fit(X, optimizer="adam", lr=0.01, epochs=40,
                                                                     batch_size=16, verbose=False)
    loss = model.history_.loss
    assert len(loss) == 40
    assert loss[-1] < 0.5 * loss[0]
    assert model.score(X) < loss[0]


def test_same_seed_same_bits_other_seed_differs(X):
    kw = dict(optimizer="sgd", lr=0.1, epochs=3, batch_size=8, verbose=False)
    make = lambda seed: ae.Autoencoder(5, hidden="relu", noise="masking", noise_level=0.2, seed=seed).fit(X, **kw)
    a, b, c = make(1), make(1), make(2)
    for k in a.params_:
        np.testing.assert_array_equal(a.params_[k], b.params_[k])
    assert a.history_.loss == b.history_.loss
    assert not np.array_equal(a.params_["W1"], c.params_["W1"])


def test_records_per_step_with_sparsity_and_test_loss(X):
    model = ae.Autoencoder(6, hidden="relu", init="normal").fit(
        X, X_test=X[:10], optimizer="sgd", lr=0.05, steps=50, batch_size=1, record="step", eval_every=10, verbose=False)
    h = model.history_
    assert h.unit == "step" and h.steps == list(range(1, 51))
    assert len(h.loss) == len(h.sparsity) == len(h.mean_activation) == 50
    assert all(0 <= s <= 1 for s in h.sparsity)
    assert h.test_steps == [10, 20, 30, 40, 50] and len(h.test_loss) == 5
    assert set(h.as_dict()) == {"train", "test"}


def test_sparsity_is_the_fraction_of_nonzero_relu_units(X):
    """With all hidden biases pushed very negative, is every relu unit silent (sparsity 0)?"""
    model = ae.Autoencoder(4, hidden="relu")
    params = model.init_params(X.shape[1])
    params["b1"] -= 100.0
    _, h = ae.train(model, params, X, X, optimizer="sgd", lr=1e-3, epochs=1, verbose=False)
    assert h.sparsity == [0.0] and h.mean_activation == [0.0]


def test_divergence_names_the_step_and_suggests_a_smaller_step(X):
    model = ae.Autoencoder(4, hidden="identity", init="uniform")
    with pytest.raises(ae.DivergenceError, match=r"at step \d+ \(epoch \d+\); try a smaller step size than lr=1e\+06"):
        model.fit(X * 100, optimizer="sgd", lr=1e6, epochs=5, verbose=False)


def test_callback_sees_each_record_and_can_stop(X):
    seen = []

    def callback(history, params):
        seen.append(history.steps[-1])
        return len(seen) == 3

    model = ae.Autoencoder(3).fit(X, epochs=10, batch_size=32, verbose=False, callback=callback)
    assert seen == [2, 4, 6] and len(model.history_.loss) == 3


def test_progress_bar_shows_only_when_verbose(X, capsys):
    ae.Autoencoder(3).fit(X, epochs=2, verbose=False)
    assert capsys.readouterr().err == ""
    ae.Autoencoder(3).fit(X, epochs=2, verbose=True)
    assert "step" in capsys.readouterr().err


def test_float32_training_stays_float32(X):
    model = ae.Autoencoder(4, hidden="relu", dtype=np.float32).fit(X, epochs=2, verbose=False)
    assert all(v.dtype == np.float32 for v in model.params_.values())
    assert model.reconstruct(X).dtype == np.float32


def test_classifier_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    clf = ae.Classifier((8,), activation="tanh").fit(X, y, optimizer="adam", lr=0.05, epochs=30, verbose=False)
    assert clf.score(X, y) > 0.95


def test_stacked_autoencoder_pretrains_then_finetunes():
    """Do the pretrained encoders seed the classifier, and does fine-tuning change them?"""
    rng = np.random.default_rng(1)
    X = rng.random((120, 16))
    y = (X[:, :8].sum(1) > X[:, 8:].sum(1)).astype(int)
    sae = ae.StackedAutoencoder((10, 6), layer_kw={"noise": "masking", "noise_level": 0.1},
                                pretrain_kw={"epochs": 3, "lr": 0.1, "verbose": False},
                                finetune_kw={"epochs": 40, "lr": 0.5, "batch_size": 16, "verbose": False})
    sae.pretrain(X)
    assert [layer.params_["W1"].shape for layer in sae.layers_] == [(10, 16), (6, 10)]
    W1_pre = sae.layers_[0].params_["W1"].copy()
    sae.fit(X, y)
    assert sae.classifier_.params_["W1"].shape == (10, 16)
    assert not np.allclose(sae.classifier_.params_["W1"], W1_pre)
    assert sae.score(X, y) > 0.8
