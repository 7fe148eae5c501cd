"""Does every Autoencoder variant's analytic gradient agree with central differences (float64)?"""
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
    c for c in itertools.product(HIDDEN, [False, True], [False, True], LOSS_OUTPUT, PENALTIES)
    if c[0] == "sigmoid" or c[4] not in SIGMOID_ONLY
]


@pytest.mark.parametrize("hidden,tied,bias,loss_output,penalty", CASES)
def test_autoencoder_gradients_match_finite_differences(hidden, tied, bias, loss_output, penalty):
    """Is the relative error below 1e-6 for this variant?"""
    loss, output = loss_output
    rng = np.random.default_rng(1)
    X = rng.random((6, 5))
    model = ae.Autoencoder(4, hidden=hidden, output=output, loss=loss, tied=tied, bias=bias,
                           penalties=PENALTIES[penalty], init="uniform", seed=2)
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


@pytest.mark.parametrize("hidden_sizes", [(), (4,), (4, 3)])
@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_classifier_gradients(hidden_sizes, activation):
    """Does the softmax classifier's backprop through any depth match central differences?"""
    rng = np.random.default_rng(3)
    X, y = rng.random((7, 5)), rng.integers(0, 3, 7)
    clf = ae.Classifier(hidden_sizes, activation=activation)
    params = clf.init_params(5, 3)
    errors = ae.check_gradients(lambda p: clf.loss_and_grads(p, X, y), params)
    assert max(errors.values()) < 1e-6, errors


def test_gradcheck_catches_a_wrong_gradient():
    """Does check_gradients report a large error for a gradient with a sign error?"""
    model = ae.Autoencoder(3, hidden="tanh")
    X = np.random.default_rng(0).random((4, 5))
    params = model.init_params(5)

    def wrong(p):
        value, grads = model.loss_and_grads(p, X)
        return value, {**grads, "W2": -grads["W2"]}

    errors = ae.check_gradients(wrong, params)
    assert errors["W2"] > 0.5 and errors["W1"] < 1e-6


def test_rel_error_values():
    """Is rel_error ||a-b|| / ||a+b||, zero for equal inputs and 0 for two zero arrays?"""
    assert ae.rel_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert ae.rel_error(np.zeros(3), np.zeros(3)) == 0
    assert ae.rel_error([1.0, 0.0], [3.0, 0.0]) == pytest.approx(2 / 4)


def test_numerical_gradient_of_a_quadratic():
    """Is the central difference exact (to rounding) for f(w) = sum(w^2 / 2) + w_0 w_1?"""
    w = np.array([[1.5, -2.0], [0.3, 4.0]])
    num = ae.numerical_gradient(lambda v: 0.5 * np.sum(v**2) + v[0, 0] * v[0, 1], w)
    expected = w.copy()
    expected[0, 0] += w[0, 1]
    expected[0, 1] += w[0, 0]
    np.testing.assert_allclose(num, expected, rtol=1e-9)
