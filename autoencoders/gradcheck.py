"""Numerical gradient checking by central differences."""

import numpy as np

EPSILON = 1e-4


def rel_error(a, b):
    """||a - b|| / ||a + b|| (UFLDL's check): about 1e-9 or less in float64 when a gradient is right."""
    a, b = np.ravel(np.asarray(a, np.float64)), np.ravel(np.asarray(b, np.float64))
    denom = np.linalg.norm(a + b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else float(np.linalg.norm(a - b) > 0)


def numerical_gradient(f, w, eps=EPSILON):
    """Central differences (f(w + eps e_i) - f(w - eps e_i)) / 2 eps for every entry of w; f(w) -> float."""
    w = np.array(w, dtype=np.float64)
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + eps
        f_plus = f(w)
        w[i] = old - eps
        f_minus = f(w)
        w[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def check_gradients(loss_and_grads, params, eps=EPSILON):
    """Relative error between analytic and numerical gradients, per parameter name.

    loss_and_grads(params) -> (value, grads) for a dict of float64 arrays, e.g.
    `lambda p: model.loss_and_grads(p, X)`.
    """
    params = {k: np.asarray(v, np.float64) for k, v in params.items()}
    _, grads = loss_and_grads(params)
    errors = {}
    for name, w in params.items():

        def f(w_new, name=name):
            return loss_and_grads({**params, name: w_new})[0]

        errors[name] = rel_error(numerical_gradient(f, w, eps), grads[name])
    return errors
