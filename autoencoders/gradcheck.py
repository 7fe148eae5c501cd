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
    return numerical_gradient_many(lambda ws: [f(v) for v in ws], w, eps)


def numerical_gradient_many(f_many, w, eps=EPSILON, chunk=64):
    """numerical_gradient for an f_many that takes a list of arrays and returns their values.

    Up to 2 * chunk shifted copies of w go to each call, so a function in another process (a student's, reached
    through `student.f.map`) is evaluated in a few round trips instead of one per entry.
    """
    w = np.array(w, dtype=np.float64)
    grad = np.zeros_like(w)
    entries = list(np.ndindex(w.shape))
    for start in range(0, len(entries), chunk):
        block = entries[start : start + chunk]
        shifted = []
        for i in block:
            for step in (eps, -eps):
                v = w.copy()
                v[i] += step
                shifted.append(v)
        values = f_many(shifted)
        for j, i in enumerate(block):
            grad[i] = (values[2 * j] - values[2 * j + 1]) / (2 * eps)
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
