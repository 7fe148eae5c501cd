"""Optimisers as pure update rules, update(w, dw, state, **hyper) -> (w, state), plus L-BFGS via scipy.

DEFAULTS holds every rule's hyperparameters in one place. `Optimizer` applies a rule to a dict of parameters.
"""
import numpy as np
from scipy.optimize import minimize

from ._checks import check_choice, check_positive


def sgd(w, dw, state, lr):
    return w - lr * dw, state


def momentum(w, dw, state, lr, mu):
    v = mu * state.get("v", 0) - lr * dw  # velocity
    return w + v, {"v": v}


def rmsprop(w, dw, state, lr, decay, eps):
    s = decay * state.get("s", 0) + (1 - decay) * dw**2  # running mean of squared gradients
    return w - lr * dw / (np.sqrt(s) + eps), {"s": s}


def adam(w, dw, state, lr, beta1, beta2, eps):
    t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0) + (1 - beta1) * dw
    v = beta2 * state.get("v", 0) + (1 - beta2) * dw**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)  # bias correction
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}


def adagrad(w, dw, state, lr, eps):
    g2 = state.get("g2", 0) + dw**2  # sum of squared gradients
    return w - lr * dw / (np.sqrt(g2) + eps), {"g2": g2}


RULES = {"sgd": sgd, "momentum": momentum, "rmsprop": rmsprop, "adam": adam, "adagrad": adagrad}

DEFAULTS = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.01, "mu": 0.9},
    "rmsprop": {"lr": 0.001, "decay": 0.9, "eps": 1e-8},
    "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "adagrad": {"lr": 0.01, "eps": 1e-8},
}


class Optimizer:
    """Applies the named update rule to every entry of a parameter dict, keeping one state per entry."""

    def __init__(self, name="sgd", **hyper):
        check_choice("optimizer", name, RULES)
        unknown = set(hyper) - set(DEFAULTS[name])
        if unknown:
            raise ValueError(f"optimizer {name!r} takes {sorted(DEFAULTS[name])}, got unknown {sorted(unknown)}")
        self.name, self.rule = name, RULES[name]
        self.hyper = {**DEFAULTS[name], **hyper}
        check_positive("lr", self.hyper["lr"])
        self.state = {}

    def step(self, params, grads):
        """Update params in place (new arrays per entry) from grads."""
        for key, dw in grads.items():
            params[key], self.state[key] = self.rule(params[key], dw, self.state.get(key, {}), **self.hyper)


def flatten(params):
    """One float64 vector from a dict of arrays, and the (key, shape, dtype) layout to undo it."""
    layout = [(k, v.shape, v.dtype) for k, v in params.items()]
    return np.concatenate([np.ravel(v).astype(np.float64) for v in params.values()]), layout


def unflatten(theta, layout):
    """The dict of arrays that `flatten` turned into theta."""
    params, start = {}, 0
    for key, shape, dtype in layout:
        size = int(np.prod(shape))
        params[key] = theta[start:start + size].reshape(shape).astype(dtype, copy=False)
        start += size
    return params


def lbfgs(loss_and_grads, params, maxiter=400, callback=None):
    """Minimise loss_and_grads(params) -> (value, grads) with scipy's L-BFGS-B; returns (params, OptimizeResult)."""
    check_positive("maxiter", maxiter, integer=True)
    theta0, layout = flatten(params)

    def fun(theta):
        value, grads = loss_and_grads(unflatten(theta, layout))
        return float(value), flatten({k: grads[k] for k, _, _ in layout})[0]

    result = minimize(fun, theta0, jac=True, method="L-BFGS-B",
                      callback=None if callback is None else (lambda th: callback(unflatten(th, layout))),
                      options={"maxiter": maxiter})
    return unflatten(result.x, layout), result
