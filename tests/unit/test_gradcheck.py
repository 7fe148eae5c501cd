"""Tests for autoencoders.gradcheck: central differences, the relative error, and catching a wrong gradient."""

import numpy as np
import pytest

import autoencoders as ae


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


def test_numerical_gradient_many_evaluates_in_chunks_and_agrees():
    """Does the list form make few calls (2 * chunk shifted copies each), leave w alone, and agree with the loop?"""
    rng = np.random.default_rng(0)
    w, A = rng.normal(size=(3, 7)), rng.normal(size=(5, 3))
    calls = []

    def f_many(ws):
        calls.append(len(ws))
        return [np.sum(np.sin(A @ v)) for v in ws]

    w_before = w.copy()
    num = ae.numerical_gradient_many(f_many, w, eps=1e-5, chunk=8)
    assert calls == [16, 16, 10] and np.array_equal(w, w_before)
    np.testing.assert_allclose(num, A.T @ np.cos(A @ w), rtol=1e-7)
    np.testing.assert_array_equal(num, ae.numerical_gradient(lambda v: np.sum(np.sin(A @ v)), w, eps=1e-5))
