"""Reconstruction and classification losses; each returns (value, gradient w.r.t. its first argument).

Conventions, for a batch of N rows of d outputs:
- "sse": the lecture's squared error, (1/N) * sum_n 1/2 ||x_hat_n - x_n||^2   (sum/2 per example, mean over examples)
- "mse": the per-pixel mean squared error, mean over all N*d entries of (x_hat - x)^2
- "bce": binary cross-entropy, summed over the d outputs and averaged over the N examples
- "softmax_ce": cross-entropy of softmax(scores) against integer labels, averaged over the N examples
"""

import numpy as np

from ._checks import check_choice
from .activations import softmax

EPS = 1e-12


def sse(X_hat, X):
    """(1/N) sum_n 1/2 ||x_hat_n - x_n||^2 and its gradient."""
    diff = X_hat - X  # (N, d)
    n = X.shape[0]
    return 0.5 * np.vdot(diff, diff) / n, diff / n


def mse(X_hat, X):
    """Per-pixel mean squared error and its gradient."""
    diff = X_hat - X
    return np.vdot(diff, diff) / diff.size, 2 * diff / diff.size


def binary_cross_entropy(Y, X):
    """Cross-entropy of probabilities Y against targets X in [0, 1]; Y is clipped away from 0 and 1."""
    Y = np.clip(Y, EPS, 1 - EPS)
    n = X.shape[0]
    value = -np.sum(X * np.log(Y) + (1 - X) * np.log1p(-Y)) / n
    return value, (Y - X) / (Y * (1 - Y)) / n


def binary_cross_entropy_with_logits(Z, X):
    """Cross-entropy of sigmoid(Z) against X, computed from the logits Z; gradient w.r.t. Z."""
    n = X.shape[0]
    # log(1 + e^z) - x z, stable for any z
    value = np.sum(np.logaddexp(0, Z) - X * Z) / n
    P = np.exp(-np.logaddexp(0, -Z))  # sigmoid(Z) without overflow
    return value, (P - X) / n


def softmax_cross_entropy(Z, y):
    """Mean cross-entropy of softmax(Z) (N, C) against integer labels y (N,); gradient w.r.t. Z."""
    n = Z.shape[0]
    log_p = Z - Z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    value = -log_p[np.arange(n), y].sum() / n
    grad = softmax(Z)
    grad[np.arange(n), y] -= 1
    return value, grad / n


LOSSES = {"sse": sse, "mse": mse, "bce": binary_cross_entropy, "softmax_ce": softmax_cross_entropy}


def get(name):
    """The loss called name; ValueError listing the valid names otherwise."""
    return check_choice("loss", name, LOSSES)
