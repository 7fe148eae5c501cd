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


def test_fit_with_lbfgs_minimises_the_sparse_objective():
    """solver="lbfgs": full-batch L-BFGS lowers the objective, records each iteration, and keeps scipy's result."""
    X = np.random.default_rng(3).uniform(0.1, 0.9, size=(40, 9))
    net = ae.Autoencoder(5, output="sigmoid", penalties=[P.KLSparsity(0.1, 3.0), P.WeightDecay(1e-3)], seed=1)
    start = net.loss_and_grads(net.init_params(9), X)[0]
    net.fit(X, X_test=X[:10], solver="lbfgs", maxiter=30)
    h = net.history_
    assert h.unit == "iteration" and h.steps == list(range(1, len(h.steps) + 1))
    assert 1 <= len(h.steps) <= 30 and net.result_.nit == len(h.steps)
    assert h.loss[-1] < start and np.isclose(h.loss[-1], net.score(X)) and np.isclose(net.result_.fun, net.score(X))
    assert np.isclose(h.mean_activation[-1], net.encode(X).mean())
    assert len(h.test_loss) == len(h.steps) and np.isclose(h.test_loss[-1], net.score(X[:10]))
    assert set(net.params_) == {"W1", "W2", "b1", "b2"} and net.params_["W1"].dtype == np.float64


def test_fit_with_lbfgs_matches_the_optimiser_it_wraps():
    """The same iterates as calling optim.quasi_newton.lbfgs on loss_and_grads by hand."""
    X = np.random.default_rng(4).random((20, 6))
    net = ae.Autoencoder(3, tied=True, output="sigmoid", loss="bce", seed=2)
    params0 = net.init_params(6)
    by_hand, _ = ae.optim.quasi_newton.lbfgs(lambda p: net.loss_and_grads(p, X), params0, maxiter=15)
    net.fit(X, params=params0, solver="lbfgs", maxiter=15)
    for k in by_hand:
        np.testing.assert_allclose(net.params_[k], by_hand[k])


def test_fit_with_lbfgs_rejects_what_it_cannot_do():
    X = np.random.default_rng(5).random((8, 4))
    with pytest.raises(ValueError, match="solver"):
        ae.Autoencoder(2).fit(X, solver="newton")
    with pytest.raises(ValueError, match="no training options"):
        ae.Autoencoder(2).fit(X, solver="lbfgs", lr=0.1)
    with pytest.raises(ValueError, match="noise"):
        ae.Autoencoder(2, noise="gaussian", noise_level=0.1).fit(X, solver="lbfgs")
