"""Does each update rule in autoencoders.optim.rules follow its textbook formula, and stay pure?"""

import numpy as np
import pytest

import autoencoders as ae
from autoencoders import optim
from autoencoders.grading import forbid

W0, G1, G2 = np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([-1.0, 2.0])


def two_steps(name, **hyper):
    """Parameter w after one and after two Optimizer steps of rule `name` with gradients G1, G2."""
    opt = ae.Optimizer(name, **hyper)
    params = {"w": W0.copy()}
    opt.step(params, {"w": G1})
    first = params["w"].copy()
    opt.step(params, {"w": G2})
    return first, params["w"]


def test_sgd():
    first, second = two_steps("sgd", lr=0.1)
    np.testing.assert_allclose(first, W0 - 0.1 * G1)
    np.testing.assert_allclose(second, W0 - 0.1 * G1 - 0.1 * G2)


def test_momentum():
    lr, mu = 0.1, 0.9
    v1 = -lr * G1
    v2 = mu * v1 - lr * G2
    first, second = two_steps("momentum", lr=lr, mu=mu)
    np.testing.assert_allclose(first, W0 + v1)
    np.testing.assert_allclose(second, W0 + v1 + v2)


def test_rmsprop():
    lr, rho, eps = 0.01, 0.9, 1e-8
    s1 = (1 - rho) * G1**2
    w1 = W0 - lr * G1 / (np.sqrt(s1) + eps)
    s2 = rho * s1 + (1 - rho) * G2**2
    first, second = two_steps("rmsprop", lr=lr, decay=rho, eps=eps)
    np.testing.assert_allclose(first, w1)
    np.testing.assert_allclose(second, w1 - lr * G2 / (np.sqrt(s2) + eps))


def test_adam_with_bias_correction():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    # after one step, the bias-corrected moments are g and g^2: the step is lr * sign(g) (up to eps)
    first, second = two_steps("adam", lr=lr, beta1=b1, beta2=b2, eps=eps)
    np.testing.assert_allclose(first, W0 - lr * np.sign(G1), rtol=1e-6)
    m = b1 * (1 - b1) * G1 + (1 - b1) * G2
    v = b2 * (1 - b2) * G1**2 + (1 - b2) * G2**2
    step = lr * (m / (1 - b1**2)) / (np.sqrt(v / (1 - b2**2)) + eps)
    np.testing.assert_allclose(second, first - step)


def test_adagrad():
    lr, eps = 0.5, 1e-8
    first, second = two_steps("adagrad", lr=lr, eps=eps)
    np.testing.assert_allclose(first, W0 - lr * G1 / (np.abs(G1) + eps))
    np.testing.assert_allclose(second, first - lr * G2 / (np.sqrt(G1**2 + G2**2) + eps))


def test_rules_are_pure():
    """Does an update rule leave its inputs untouched?"""
    w, dw = W0.copy(), G1.copy()
    for name, rule in optim.RULES.items():
        state = {}
        rule(w, dw, state, **optim.DEFAULTS[name])
        np.testing.assert_array_equal(w, W0)
        assert state == {}


def test_every_rule_has_defaults_and_is_exported_as_itself():
    """Is ae.optim.<name> the very function in RULES (what grading.forbid relies on), with DEFAULTS for it?"""
    assert set(optim.DEFAULTS) == set(optim.RULES)
    for name, rule in optim.RULES.items():
        assert getattr(optim, name) is rule and rule.__name__ == name
        assert "lr" in optim.DEFAULTS[name]


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_forbidding_a_rule_blocks_the_optimizer(name):
    """Inside forbid(ae.optim, name), does the package's Optimizer refuse to run that rule?"""
    opt = ae.Optimizer(name)
    with forbid(ae.optim, name), pytest.raises(AssertionError, match=f"ae.optim.{name}"):
        opt.step({"w": W0.copy()}, {"w": G1})
    opt.step({"w": W0.copy()}, {"w": G1})  # restored after the block
