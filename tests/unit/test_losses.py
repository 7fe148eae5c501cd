"""Are the losses in autoencoders.losses right, with gradients that match finite differences?"""

import numpy as np
import pytest

import autoencoders as ae
from autoencoders import activations, losses


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
    numeric = ae.numerical_gradient(lambda z: losses.binary_cross_entropy_with_logits(z, X)[0], Zl)
    assert ae.rel_error(numeric, g1) < 1e-8
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
