"""Activation functions and their derivatives, in tables keyed by name.

ACTIVATIONS[name](z) -> a.  DERIVATIVES[name](z, a) -> da/dz, elementwise, given a = f(z)
(softmax, whose derivative is a Jacobian, returns the (N, k, k) stack of Jacobians).
`backward(name, dA, z, a)` turns dL/da into dL/dz for every entry, softmax included.
"""

import numpy as np

from ._checks import check_choice

LEAKY_SLOPE = 0.01


def relu(z):
    return np.maximum(z, 0)


def sigmoid(z):
    # exp of a non-positive number only, so it never overflows
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def tanh(z):
    return np.tanh(z)


def identity(z):
    return z


def negative(z):
    """f(z) = -z, the EPFL homework's 'negative' activation."""
    return -z


def leaky_relu(z):
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def softmax(z):
    """Row-wise softmax of (N, k) scores."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_jacobian(z, a):
    # (N, k) -> (N, k, k): diag(a) - a a^T per row
    return a[..., :, None] * (np.eye(a.shape[-1], dtype=a.dtype) - a[..., None, :])


ACTIVATIONS = {
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "identity": identity,
    "negative": negative,
    "leaky_relu": leaky_relu,
    "softmax": softmax,
}

DERIVATIVES = {
    "relu": lambda z, a: (z > 0).astype(z.dtype),
    "sigmoid": lambda z, a: a * (1 - a),
    "tanh": lambda z, a: 1 - a**2,
    "identity": lambda z, a: np.ones_like(z),
    "negative": lambda z, a: -np.ones_like(z),
    "leaky_relu": lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype),
    "softmax": _softmax_jacobian,
}


def get(name):
    """The activation called name; ValueError listing the valid names otherwise."""
    return check_choice("activation", name, ACTIVATIONS)


def backward(name, dA, z, a):
    """dL/dz from dL/da for activation `name` (a vector-Jacobian product for softmax)."""
    check_choice("activation", name, ACTIVATIONS)
    if name == "softmax":
        return a * (dA - np.sum(dA * a, axis=-1, keepdims=True))
    if name == "identity":
        return dA
    if name == "negative":
        return -dA
    return dA * DERIVATIVES[name](z, a)
