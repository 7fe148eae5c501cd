"""Are the activations in autoencoders.activations correct, stable and validated?"""

import numpy as np
import pytest

from autoencoders import activations

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
