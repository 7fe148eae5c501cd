"""Are the activation, loss and noise tables correct, stable and validated?"""
import numpy as np
import pytest

import autoencoders as ae
from autoencoders import activations, losses, noise

Z = np.linspace(-3, 3, 13).reshape(1, -1) + 0.05  # avoid relu's kink at exactly 0


@pytest.mark.parametrize("name", [n for n in activations.ACTIVATIONS if n != "softmax"])
def test_derivative_matches_finite_differences(name):
    """Does DERIVATIVES[name] agree with the central difference of ACTIVATIONS[name]?"""
    f, h = activations.ACTIVATIONS[name], 1e-6
    numeric = (f(Z + h) - f(Z - h)) / (2 * h)
    np.testing.assert_allclose(activations.DERIVATIVES[name](Z, f(Z)), numeric, rtol=1e-6, atol=1e-8)


def test_softmax_jacobian_and_backward():
    """Do the softmax Jacobian and its vector-Jacobian product match finite differences?"""
    z = np.array([[0.2, -1.0, 0.7], [3.0, 0.0, -2.0]])
    a = activations.softmax(z)
    np.testing.assert_allclose(a.sum(axis=1), 1)
    J = activations.DERIVATIVES["softmax"](z, a)
    for i in range(3):
        e = np.zeros(3)
        e[i] = 1e-6
        col = (activations.softmax(z + e) - activations.softmax(z - e)) / 2e-6
        np.testing.assert_allclose(J[:, :, i], col, atol=1e-8)
    dA = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 1.0]])
    np.testing.assert_allclose(activations.backward("softmax", dA, z, a), np.einsum("nij,ni->nj", J, dA), atol=1e-12)


def test_sigmoid_and_softmax_do_not_overflow():
    """Are sigmoid and softmax finite and warning-free at extreme inputs?"""
    z = np.array([[-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(activations.sigmoid(z), [[0.0, 0.5, 1.0]])
        assert np.all(np.isfinite(activations.softmax(z)))


def test_unknown_activation_lists_valid_names():
    """Does an unknown name raise a ValueError that lists the valid ones?"""
    with pytest.raises(ValueError, match=r"activation must be one of .*'relu'.*got 'swish'"):
        activations.get("swish")


@pytest.mark.parametrize("name", ["sse", "mse", "bce"])
def test_loss_gradients(name):
    """Does each reconstruction loss's gradient match central differences?"""
    rng = np.random.default_rng(0)
    X, Y = rng.random((4, 3)), rng.uniform(0.1, 0.9, (4, 3))
    fn = losses.LOSSES[name]
    value, grad = fn(Y, X)
    numeric = ae.numerical_gradient(lambda y: fn(y, X)[0], Y)
    assert ae.rel_error(numeric, grad) < 1e-6  # central differences: O(eps^2) truncation


def test_loss_conventions():
    """Are sse = mean over examples of half the squared norm, and mse = the per-entry mean?"""
    X, Y = np.zeros((2, 2)), np.array([[1.0, 1.0], [2.0, 0.0]])
    assert losses.sse(Y, X)[0] == pytest.approx((0.5 * 2 + 0.5 * 4) / 2)
    assert losses.mse(Y, X)[0] == pytest.approx(6 / 4)


def test_bce_with_logits_matches_bce_and_is_stable():
    """Do both cross-entropies agree on moderate logits, and stay finite for huge ones?"""
    rng = np.random.default_rng(1)
    Zl, X = rng.normal(size=(5, 4)), rng.random((5, 4))
    v1, g1 = losses.binary_cross_entropy_with_logits(Zl, X)
    v2, _ = losses.binary_cross_entropy(activations.sigmoid(Zl), X)
    assert v1 == pytest.approx(v2)
    assert ae.rel_error(ae.numerical_gradient(lambda z: losses.binary_cross_entropy_with_logits(z, X)[0], Zl), g1) < 1e-8
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, grad = losses.binary_cross_entropy_with_logits(np.array([[1e4, -1e4]]), np.array([[0.0, 1.0]]))
    assert value == pytest.approx(2e4) and np.all(np.isfinite(grad))


def test_softmax_cross_entropy():
    """Is softmax CE log(C) for equal scores, with a gradient matching finite differences?"""
    y = np.array([0, 2])
    assert losses.softmax_cross_entropy(np.zeros((2, 3)), y)[0] == pytest.approx(np.log(3))
    Zs = np.random.default_rng(2).normal(size=(2, 3))
    _, grad = losses.softmax_cross_entropy(Zs, y)
    numeric = ae.numerical_gradient(lambda z: losses.softmax_cross_entropy(z, y)[0], Zs)
    assert ae.rel_error(numeric, grad) < 1e-8


def test_noise_is_seeded_and_has_the_right_level():
    """Do the three corruptions depend only on the seed, and destroy about the asked fraction?"""
    X = np.random.default_rng(0).uniform(0.2, 0.8, (200, 50))
    for name in noise.NOISES:
        a = noise.corrupt(X, name, 0.25, np.random.default_rng(5))
        b = noise.corrupt(X, name, 0.25, np.random.default_rng(5))
        np.testing.assert_array_equal(a, b)
        assert a.shape == X.shape and a.dtype == X.dtype
    masked = noise.masking(X, 0.25, np.random.default_rng(1))
    assert np.mean(masked == 0) == pytest.approx(0.25, abs=0.02)
    sp = noise.salt_and_pepper(X, 0.25, np.random.default_rng(1))
    changed = sp != X
    assert np.mean(changed) == pytest.approx(0.25, abs=0.02)
    assert set(np.unique(sp[changed])) <= {X.min(), X.max()}
    g = noise.gaussian(X, 0.5, np.random.default_rng(1)) - X
    assert np.std(g) == pytest.approx(0.5, rel=0.05)
    assert noise.corrupt(X, None, 0.5, None) is X
