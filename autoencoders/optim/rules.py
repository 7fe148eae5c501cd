"""First-order update rules as pure functions: rule(w, dw, state, **hyper) -> (w, state).

w and dw are arrays of the same shape (one parameter and its gradient); state is a dict the rule returns
and gets back at the next step for the same parameter ({} at the first step). A rule never changes its
inputs in place. DEFAULTS holds every rule's hyperparameters in one place.
"""

import numpy as np


def sgd(w, dw, state, lr):
    return w - lr * dw, state


def momentum(w, dw, state, lr, mu):
    v = mu * state.get("v", 0) - lr * dw  # velocity, shape of w
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
