"""Full-batch L-BFGS (a quasi-Newton method) on a dict of parameter arrays: scipy's L-BFGS-B on one flat vector."""

import numpy as np
from scipy.optimize import minimize

from .._checks import check_positive


def flatten(params):
    """One float64 vector (sum of sizes,) from a dict of arrays, and the (key, shape, dtype) layout to undo it."""
    layout = [(k, v.shape, v.dtype) for k, v in params.items()]
    return np.concatenate([np.ravel(v).astype(np.float64) for v in params.values()]), layout


def unflatten(theta, layout):
    """The dict of arrays that `flatten` turned into theta."""
    params, start = {}, 0
    for key, shape, dtype in layout:
        size = int(np.prod(shape))
        params[key] = theta[start : start + size].reshape(shape).astype(dtype, copy=False)
        start += size
    return params


def lbfgs(loss_and_grads, params, maxiter=400, callback=None):
    """Minimise loss_and_grads(params) -> (value, grads) with scipy's L-BFGS-B; returns (params, OptimizeResult).

    callback(params), if given, is called after every iteration with the current parameters.
    """
    check_positive("maxiter", maxiter, integer=True)
    theta0, layout = flatten(params)

    def fun(theta):
        value, grads = loss_and_grads(unflatten(theta, layout))
        return float(value), flatten({k: grads[k] for k, _, _ in layout})[0]  # gradient in the same layout

    result = minimize(
        fun,
        theta0,
        jac=True,
        method="L-BFGS-B",
        callback=None if callback is None else (lambda th: callback(unflatten(th, layout))),
        options={"maxiter": maxiter},
    )
    return unflatten(result.x, layout), result
