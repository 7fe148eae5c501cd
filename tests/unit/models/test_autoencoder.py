"""Tests for autoencoders.models.autoencoder: gradients of every variant, validation, fitting and codes."""

import itertools

import numpy as np
import pytest

import autoencoders as ae
from autoencoders import penalties as P

HIDDEN = ["relu", "sigmoid", "tanh", "identity", "negative", "leaky_relu"]
LOSS_OUTPUT = [("sse", "identity"), ("mse", "tanh"), ("bce", "sigmoid")]
PENALTIES = {
    "none": [],
    "weight_decay": [P.WeightDecay(0.1)],
    "l1": [P.L1Activity(0.05)],
    "kl": [P.KLSparsity(rho=0.1, beta=0.5)],
    "contractive": [P.Contractive(0.3)],
    "kl+decay": [P.KLSparsity(rho=0.05, beta=3.0), P.WeightDecay(1e-2)],
}
SIGMOID_ONLY = {"kl", "contractive", "kl+decay"}

CASES = [
    c
    for c in itertools.product(HIDDEN, [False, True], [False, True], LOSS_OUTPUT, PENALTIES)
    if c[0] == "sigmoid" or c[4] not in SIGMOID_ONLY
]

X = np.random.default_rng(0).random((10, 4))


@pytest.fixture
def low_rank():
    rng = np.random.default_rng(0)
    # low-rank data, so a small autoencoder can reconstruct it
    return rng.random((64, 3)) @ rng.random((3, 12))


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("hidden,tied,bias,loss_output,penalty", CASES)
def test_autoencoder_gradients_match_finite_differences(hidden, tied, bias, loss_output, penalty):
    """Is the relative error below 1e-6 for this variant?"""
    loss, output = loss_output
    rng = np.random.default_rng(1)
    X = rng.random((6, 5))
    model = ae.Autoencoder(
        4,
        hidden=hidden,
        output=output,
        loss=loss,
        tied=tied,
        bias=bias,
        penalties=PENALTIES[penalty],
        init="uniform",
        seed=2,
    )
    params = model.init_params(5)
    if bias:  # non-zero biases, so their gradients are exercised away from the origin
        params = {k: v + 0.1 * rng.standard_normal(v.shape) if k.startswith("b") else v for k, v in params.items()}
    errors = ae.check_gradients(lambda p: model.loss_and_grads(p, X), params)
    assert set(errors) == set(params)
    assert max(errors.values()) < 1e-6, errors


def test_denoising_gradient_uses_clean_target():
    """With a noisy input and a clean target, is the gradient still right, and different from the clean one?"""
    rng = np.random.default_rng(0)
    X = rng.random((6, 5))
    model = ae.Autoencoder(4, hidden="relu", noise="masking", noise_level=0.3)
    params = model.init_params(5)
    X_noisy = model.corrupt(X, rng)
    assert not np.array_equal(X_noisy, X)
    errors = ae.check_gradients(lambda p: model.loss_and_grads(p, X_noisy, X), params)
    assert max(errors.values()) < 1e-6
    g_clean = model.loss_and_grads(params, X)[1]["W1"]
    g_noisy = model.loss_and_grads(params, X_noisy, X)[1]["W1"]
    assert not np.allclose(g_clean, g_noisy)


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("tied", [False, True])
def test_decoder_weight_is_w2_or_the_transposed_encoder(tied):
    """Is decoder_weight (d, k) W2, or W1.T when tied, and is it what forward decodes with?"""
    model = ae.Autoencoder(3, tied=tied, bias=False, hidden="identity")
    params = model.init_params(5)
    assert set(params) == ({"W1"} if tied else {"W1", "W2"})
    W_dec = model.decoder_weight(params)
    assert W_dec.shape == (5, 3)
    np.testing.assert_array_equal(W_dec, params["W1"].T if tied else params["W2"])
    X5 = np.random.default_rng(3).random((2, 5))
    X_hat, _ = model.forward(params, X5)  # identity units, no biases: X W1^T W_dec^T
    np.testing.assert_allclose(X_hat, X5 @ params["W1"].T @ W_dec.T)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"n_hidden": 0}, "n_hidden must be an integer > 0, got 0"),
        ({"n_hidden": -3}, "n_hidden must be an integer > 0, got -3"),
        ({"n_hidden": 2.5}, "n_hidden must be an integer > 0, got 2.5"),
        ({"n_hidden": 3, "hidden": "swish"}, "hidden must be one of .*got 'swish'"),
        ({"n_hidden": 3, "output": "step"}, "output must be one of .*got 'step'"),
        ({"n_hidden": 3, "loss": "hinge"}, "loss must be one of .*got 'hinge'"),
        ({"n_hidden": 3, "loss": "bce", "output": "identity"}, "loss='bce' needs output='sigmoid'"),
        ({"n_hidden": 3, "noise": "speckle"}, "noise must be one of .*got 'speckle'"),
        ({"n_hidden": 3, "noise": "masking", "noise_level": 1.5}, r"noise_level must lie in \[0, 1\].*got 1.5"),
        ({"n_hidden": 3, "init": "zeros"}, "init must be one of .*got 'zeros'"),
        ({"n_hidden": 3, "hidden": "relu", "penalties": [P.KLSparsity()]}, "KLSparsity needs hidden='sigmoid'"),
    ],
)
def test_bad_model_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ae.Autoencoder(**kwargs).fit(X, epochs=1, verbose=False)


@pytest.mark.parametrize(
    "data,message",
    [
        (np.ones(4), r"X must be a 2-D array .*got shape \(4,\)"),
        (np.ones((0, 4)), r"X must not be empty, got shape \(0, 4\)"),
        (np.array([[1.0, np.nan]]), "X contains NaN or inf"),
        (np.array([[1.0, np.inf]]), "X contains NaN or inf"),
        (np.array([["a", "b"]]), "X must be numeric"),
    ],
)
def test_bad_data(data, message):
    with pytest.raises(ValueError, match=message):
        ae.Autoencoder(2).fit(data, epochs=1, verbose=False)


def test_test_set_with_the_wrong_width():
    with pytest.raises(ValueError, match=r"X_test must have 4 features .*got shape \(3, 5\)"):
        ae.Autoencoder(2).fit(X, X_test=np.ones((3, 5)), epochs=1, verbose=False)


def test_using_an_unfitted_model():
    with pytest.raises(RuntimeError, match="not fitted yet"):
        ae.Autoencoder(2).encode(X)


def test_encode_checks_the_width():
    model = ae.Autoencoder(2).fit(X, epochs=1, verbose=False)
    with pytest.raises(ValueError, match=r"X must have 4 features"):
        model.encode(np.ones((2, 3)))


# --------------------------------------------------------------------------- fitting


def test_fit_reduces_the_loss(low_rank):
    model = ae.Autoencoder(4, hidden="sigmoid", init="uniform").fit(
        low_rank, optimizer="adam", lr=0.01, epochs=40, batch_size=16, verbose=False
    )
    loss = model.history_.loss
    assert len(loss) == 40
    assert loss[-1] < 0.5 * loss[0]
    assert model.score(low_rank) < loss[0]


def test_codes_and_reconstructions(low_rank):
    """Are encode (N, k), decode (N, d) and reconstruct = decode(encode) consistent with forward?"""
    model = ae.Autoencoder(4, hidden="tanh", tied=True).fit(low_rank, epochs=2, verbose=False)
    H = model.encode(low_rank)
    assert H.shape == (64, 4) and model.decode(H).shape == (64, 12)
    np.testing.assert_allclose(model.reconstruct(low_rank), model.forward(model.params_, low_rank)[0])
    assert model.transform == model.encode and model.inverse_transform == model.decode


def test_float32_training_stays_float32(low_rank):
    model = ae.Autoencoder(4, hidden="relu", dtype=np.float32).fit(low_rank, epochs=2, verbose=False)
    assert all(v.dtype == np.float32 for v in model.params_.values())
    assert model.reconstruct(low_rank).dtype == np.float32
