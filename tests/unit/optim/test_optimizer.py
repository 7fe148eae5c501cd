"""Tests for autoencoders.optim.optimizer: package rules by name, your own rule by `rule=`, and bad arguments."""

import numpy as np
import pytest

import autoencoders as ae
from autoencoders import optim

W0, G1, G2 = np.array([1.0, -2.0]), np.array([0.5, 0.25]), np.array([-1.0, 2.0])


def test_named_rule_fills_in_defaults():
    opt = ae.Optimizer("adam", lr=0.1)
    assert opt.name == "adam" and opt.rule is optim.adam
    assert opt.hyper == {**optim.DEFAULTS["adam"], "lr": 0.1}
    assert ae.Optimizer().name == "sgd" and ae.Optimizer().hyper == optim.DEFAULTS["sgd"]
    assert repr(ae.Optimizer("sgd", lr=0.5)) == "Optimizer('sgd', lr=0.5)"


def test_custom_rule_gets_exactly_the_given_hyperparameters():
    """Is rule(w, dw, state, **hyper) called with the caller's hyperparameters, and nothing else?"""
    calls = []

    def scaled_sgd(w, dw, state, lr, scale):
        calls.append((dict(state), lr, scale))
        return w - lr * scale * dw, {"n": state.get("n", 0) + 1}

    opt = ae.Optimizer(rule=scaled_sgd, lr=0.1, scale=3.0)
    assert opt.name == "scaled_sgd" and opt.rule is scaled_sgd and opt.hyper == {"lr": 0.1, "scale": 3.0}
    params = {"w": W0.copy()}
    opt.step(params, {"w": G1})
    np.testing.assert_allclose(params["w"], W0 - 0.3 * G1)
    assert calls == [({}, 0.1, 3.0)]


def test_custom_rule_keeps_one_state_per_parameter():
    """Does every parameter array get its own state, handed back at its next step?"""

    def counting(w, dw, state, lr):
        n = state.get("n", 0) + 1
        return w - lr * n * dw, {"n": n}  # the k-th step of a parameter is k times larger

    opt = ae.Optimizer(rule=counting, lr=0.1, name="counting sgd")
    params = {"a": W0.copy(), "b": np.zeros((2, 2))}
    opt.step(params, {"a": G1, "b": np.ones((2, 2))})
    opt.step(params, {"a": G2})  # only "a" has a gradient this time
    assert opt.name == "counting sgd" and opt.state == {"a": {"n": 2}, "b": {"n": 1}}
    np.testing.assert_allclose(params["a"], W0 - 0.1 * G1 - 0.2 * G2)
    np.testing.assert_allclose(params["b"], -0.1 * np.ones((2, 2)))


def test_custom_momentum_matches_the_package_rule():
    """Does a student's momentum plugged in with rule= train exactly like the package's momentum?"""

    def my_momentum(w, dw, state, lr, mu):
        v = mu * state.get("v", 0) - lr * dw
        return w + v, {"v": v}

    mine, theirs = ae.Optimizer(rule=my_momentum, lr=0.1, mu=0.9), ae.Optimizer("momentum", lr=0.1, mu=0.9)
    p_mine, p_theirs = {"w": W0.copy()}, {"w": W0.copy()}
    for g in (G1, G2, G1):
        mine.step(p_mine, {"w": g})
        theirs.step(p_theirs, {"w": g})
    np.testing.assert_array_equal(p_mine["w"], p_theirs["w"])


def test_a_package_rule_passed_as_rule_is_the_named_rule():
    opt = ae.Optimizer(rule=optim.momentum, lr=0.2)
    assert opt.name == "momentum" and opt.hyper == {**optim.DEFAULTS["momentum"], "lr": 0.2}
    assert ae.Optimizer("momentum", rule=optim.momentum).name == "momentum"


def test_train_accepts_a_name_an_optimizer_or_a_rule():
    """Do the three ways of choosing the optimiser in train() give the same run?"""
    rng = np.random.default_rng(0)
    X = rng.random((32, 6))
    model = ae.Autoencoder(3, hidden="tanh")
    params = model.init_params(6)

    def my_sgd(w, dw, state, lr):
        return w - lr * dw, state

    runs = [
        ae.train(model, params, X, X, optimizer=opt, lr=0.1, epochs=2, batch_size=8, verbose=False)[0]
        for opt in ("sgd", ae.Optimizer(rule=my_sgd, lr=0.1), my_sgd)
    ]
    for other in runs[1:]:
        for key in params:
            np.testing.assert_array_equal(other[key], runs[0][key])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "adamw"}, "optimizer must be one of .*got 'adamw'"),
        ({"name": "sgd", "lr": -1}, "lr must be a number > 0, got -1"),
        ({"name": "sgd", "mu": 0.9}, r"optimizer 'sgd' takes \['lr'\], got unknown \['mu'\]"),
        ({"rule": "sgd"}, "rule must be a function .*got 'sgd'"),
        ({"name": optim.sgd}, "pass your own function as rule=.*got name=<function sgd"),
        ({"name": "adam", "rule": optim.sgd}, "name='adam' and rule=sgd disagree"),
        ({"rule": lambda w, dw, state, lr: (w, state)}, r"lr is required with rule=<lambda>.*got hyperparameters \[\]"),
        ({"rule": lambda w, dw, state, lr: (w, state), "lr": 0}, "lr must be a number > 0, got 0"),
        (
            {"rule": lambda w, dw, state, lr: (w, state), "lr": 0.1, "mu": 0.9},
            r"rule <lambda>\(w, dw, state, lr\) cannot be called as <lambda>\(w, dw, state, lr=0.1, mu=0.9\)",
        ),
        ({"rule": lambda w, dw, state, lr, mu: (w, state), "lr": 0.1}, "cannot be called .*missing .*'mu'"),
        (
            {"rule": lambda w, dw, state, lr: (w, state), "lr": 0.1, "name": 3},
            "name must be a non-empty string.*got name=3",
        ),
    ],
)
def test_bad_arguments_name_the_argument_and_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ae.Optimizer(**kwargs)
