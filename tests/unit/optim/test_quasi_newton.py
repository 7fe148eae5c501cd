"""Tests for autoencoders.optim.quasi_newton: flattening parameter dicts, and L-BFGS through scipy."""

import numpy as np
import pytest

from autoencoders import optim


def test_flatten_and_unflatten_round_trip():
    """Does unflatten(flatten(p)) give back every key, shape and dtype, from one float64 vector?"""
    params = {"W": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([-1.0, 2.0])}
    theta, layout = optim.flatten(params)
    assert theta.dtype == np.float64 and theta.shape == (8,)
    np.testing.assert_array_equal(theta, [0, 1, 2, 3, 4, 5, -1, 2])
    back = optim.unflatten(theta, layout)
    assert list(back) == ["W", "b"]
    for key in params:
        assert back[key].dtype == params[key].dtype and back[key].shape == params[key].shape
        np.testing.assert_array_equal(back[key], params[key])


def test_lbfgs_minimises_a_quadratic():
    """Does L-BFGS on flattened parameters find the minimum of a separable quadratic?"""
    target = {"a": np.array([[1.0, 2.0]]), "b": np.array([-3.0])}
    seen = []

    def f(p):
        diff = {k: p[k] - target[k] for k in p}
        return sum(np.sum(d**2) for d in diff.values()), {k: 2 * d for k, d in diff.items()}

    params, result = optim.lbfgs(
        f, {"a": np.zeros((1, 2)), "b": np.zeros(1)}, maxiter=50, callback=lambda p: seen.append(sorted(p))
    )
    assert result.success
    assert seen and seen[0] == ["a", "b"]  # callback gets the parameter dict each iteration
    for k in target:
        np.testing.assert_allclose(params[k], target[k], atol=1e-6)
        assert params[k].shape == target[k].shape


def test_lbfgs_checks_maxiter():
    with pytest.raises(ValueError, match="maxiter must be an integer > 0, got 0"):
        optim.lbfgs(lambda p: (0.0, p), {"a": np.zeros(1)}, maxiter=0)
