"""The fully connected layer as a forward/backward pair, shared by every model."""

import numpy as np


def dense_forward(X, W, b=None):
    """Z = X W^T + b: (N, n_in) @ (n_in, n_out) -> (N, n_out)."""
    Z = X @ W.T
    if b is not None:
        Z += b
    return Z, (X, W)


def dense_backward(dZ, cache, need_dX=True):
    """Gradients (dX, dW, db) of a dense layer from dZ (N, n_out)."""
    X, W = cache
    dW = dZ.T @ X  # (n_out, N) @ (N, n_in) -> (n_out, n_in)
    db = dZ.sum(axis=0)
    dX = dZ @ W if need_dX else None  # (N, n_out) @ (n_out, n_in) -> (N, n_in)
    return dX, dW, db


def init_weight(n_out, n_in, init, rng, dtype=np.float64, scale=0.01):
    """An (n_out, n_in) weight: 'normal' is N(0, scale^2), 'uniform' is U(+-sqrt(6 / (n_in + n_out + 1)))."""
    if init == "normal":
        W = rng.normal(0.0, scale, size=(n_out, n_in))
    elif init == "uniform":
        r = np.sqrt(6.0 / (n_in + n_out + 1))
        W = rng.uniform(-r, r, size=(n_out, n_in))
    else:
        raise ValueError(f"init must be one of ['normal', 'uniform'], got {init!r}")
    return W.astype(dtype)
